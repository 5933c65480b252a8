/*
 * termvec.h - an article as a weighted term vector, for telling stories
 * apart.
 *
 * Terms come in three channels, kept apart by mixing a channel constant
 * into the hash:
 *   - words: Snowball stems of the words that are not stop words of the
 *     article's language (function words and quote verbs are looked up, not
 *     deleted: the token stream stays whole for any stage that needs them);
 *     letters of unspaced scripts (Han, kana, Thai) as character bigrams;
 *   - names: capitalised words that the article itself shows to be names
 *     (capitalised in mid-sentence somewhere in it, outside Title Case
 *     lines), unstemmed, each alone and each adjacent pair of a name
 *     sequence ("vladimir", "putin", "vladimir putin");
 *   - numbers and dates: numbers as written, with "6.1", "1.200" and
 *     "15/12/2021" kept whole, and day-month pairs ("16 Desember",
 *     "December 16") as one date term.
 * Title words count title_weight times each (the title is a separate,
 * stronger source of the same terms, not a separate vocabulary, so an
 * article with a title still matches one without).
 *
 * Weights: (1 + ln tf) * idf * channel weight, L2-normalised over all
 * terms, then the max_terms heaviest are kept and normalised again, so every
 * article is a unit vector of at most max_terms entries.
 */
#ifndef GEMA_TERMVEC_H
#define GEMA_TERMVEC_H

#include "common.h"
#include "langid.h"

enum { GEMA_CH_WORD = 0, GEMA_CH_NAME = 1, GEMA_CH_NUMBER = 2, GEMA_CH_COUNT = 3 };

typedef struct {
    uint64_t term;      /* hash with the channel mixed in */
    float w;            /* weight; raw term frequency from an unweighted extraction */
    uint32_t str;       /* offset of the display form in the vector's strings */
    uint8_t channel;
} gema_fterm;

/* Terms sorted by weight, heaviest first (ties by term).  strings holds a
 * NUL-terminated display form per term: a surface form of a word (the
 * shortest one in the article), a name as written, a number as written. */
typedef struct {
    gema_fterm *t;
    size_t n, cap;
    gema_buf strings;
    gema_lang lang;
    uint32_t tokens;    /* tokens in title and text */
} gema_fvec;

GEMA_INTERNAL void gema_fvec_free(gema_fvec *v);
/* Copy src into dst (dst's storage is reused). */
GEMA_INTERNAL int gema_fvec_copy(gema_fvec *dst, const gema_fvec *src);

typedef struct {
    double name_weight;    /* channel weights; words are 1 */
    double number_weight;
    double title_weight;   /* each title token counts this many times */
    double lead_weight;    /* each of the first lead_tokens tokens of the text counts
                              this many times (1 = no lead emphasis) */
    unsigned lead_tokens;
    unsigned max_terms;    /* terms kept per weighted vector */
    gema_lang force_lang;  /* GEMA_LANG_UND = guess per article */
} gema_feature_params;

/* Document frequencies learned from a set of articles. */
typedef struct gema_idf gema_idf;

GEMA_INTERNAL int gema_idf_new(gema_idf **out);
GEMA_INTERNAL void gema_idf_free(gema_idf *idf);
/* Count one article: every term of v (an unweighted extraction) once. */
GEMA_INTERNAL int gema_idf_add(gema_idf *idf, const gema_fvec *v);
/* Add the counts of src into dst (per-thread tables merged in a fixed order). */
GEMA_INTERNAL int gema_idf_merge(gema_idf *dst, const gema_idf *src);
GEMA_INTERNAL uint64_t gema_idf_docs(const gema_idf *idf);
GEMA_INTERNAL size_t gema_idf_terms(const gema_idf *idf);
/* ln((N + 1) / (df + 1)) + 1, the smoothed IDF (as scikit-learn's
 * TfidfVectorizer), for a term seen in df of N articles.  Read-only:
 * any number of threads may call it once counting is over. */
GEMA_INTERNAL double gema_idf_weight(const gema_idf *idf, uint64_t term);

/* Compute every weight once, for a table that is done counting (any later
 * add or merge drops them again).  gema_idf_weight answers the same either way. */
GEMA_INTERNAL int gema_idf_freeze(gema_idf *idf);

/* Per-thread extraction state. */
typedef struct gema_featurizer gema_featurizer;

GEMA_INTERNAL int gema_featurizer_new(const gema_feature_params *p, gema_featurizer **out);
GEMA_INTERNAL void gema_featurizer_free(gema_featurizer *f);

/* Extract the terms of an article (title may be NULL).  With idf NULL the
 * result is unweighted: every term once, w = its (title-weighted) term
 * frequency, in no particular order and not truncated (for counting
 * document frequencies).  With idf, the weighted unit vector described
 * above.  out is overwritten. */
GEMA_INTERNAL int gema_features_extract(gema_featurizer *f, const char *title, size_t title_len,
                                        const char *text, size_t text_len, const gema_idf *idf,
                                        gema_fvec *out);

/* Stem-cache probes and misses of this featurizer. */
GEMA_INTERNAL void gema_featurizer_counts(const gema_featurizer *f, uint64_t *lookups,
                                          uint64_t *misses);

#endif
