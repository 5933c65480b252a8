/*
 * stopwords.h - per-language function words, quote verbs and month names,
 * looked up by the tokeniser's hash of a normalised token.
 *
 * Nothing here removes words from a text: a stage asks whether a token is a
 * stop word for the language it works in and decides for itself.  Quote
 * verbs ("said", "kata", "ujarnya") are flagged apart from function words:
 * topic features drop both, while quote attribution needs exactly the verbs.
 */
#ifndef GEMA_STOPWORDS_H
#define GEMA_STOPWORDS_H

#include "common.h"
#include "langid.h"

enum {
    GEMA_STOP_FUNCTION = 1, /* function word: article, pronoun, preposition, auxiliary */
    GEMA_STOP_QUOTE = 2     /* verb or phrase word introducing a quote or source */
};

/* Build the lookup table (once per process; later calls return the first
 * result).  Thread-safe.  GEMA_OK or GEMA_ERR_NOMEM. */
GEMA_INTERNAL int gema_stopwords_init(void);

/* What the lists know of one word, packed in 64 bits (0 = in no list), for
 * callers that ask several questions of each token: one probe, and an
 * array of these per text is 8 bytes a token, read in order.
 *   bits  0..31  a bit (1u << lang) per language whose function words include it
 *   bits 32..55  the same for function words or quote verbs (every language
 *                with lists comes before bit 24; the build checks it)
 *   bits 56..59  month 1..12 (0 if none)
 *   bit  60      weekday */
typedef uint64_t gema_swinfo;

#define GEMA_SWINFO_STOP_SHIFT 32
#define GEMA_SWINFO_STOP_LANGS 24

/* The facts of a token hash; 0 when the word is in no list or the table is
 * not built. */
GEMA_INTERNAL gema_swinfo gema_stopword_info(uint64_t token_hash);
/* out[i] = gema_stopword_info(hash[i]) for i < n. */
GEMA_INTERNAL void gema_stopword_infos(const uint64_t *hash, size_t n, gema_swinfo *out);

static inline uint32_t gema_swinfo_function_langs(gema_swinfo i)
{
    return (uint32_t)i;
}

/* The bit that gema_swinfo_is_stop() tests for lang (0 for a language
 * without lists), for callers that test many words in one language. */
static inline gema_swinfo gema_swinfo_stop_bit(gema_lang lang)
{
    if (lang <= GEMA_LANG_UND || lang >= GEMA_SWINFO_STOP_LANGS) return 0;
    return (gema_swinfo)1 << (GEMA_SWINFO_STOP_SHIFT + (unsigned)lang);
}

/* Function word or quote verb in lang: gema_stopword_flags() != 0. */
static inline int gema_swinfo_is_stop(gema_swinfo i, gema_lang lang)
{
    return (i & gema_swinfo_stop_bit(lang)) != 0;
}

static inline unsigned gema_swinfo_month(gema_swinfo i)
{
    return (unsigned)(i >> 56) & 15u;
}

static inline int gema_swinfo_weekday(gema_swinfo i)
{
    return (int)(i >> 60) & 1;
}

/* GEMA_STOP_* flags of a token (by its tokeniser hash) in a language; 0 when
 * the token is a content word there or the table is not built. */
GEMA_INTERNAL unsigned gema_stopword_flags(gema_lang lang, uint64_t token_hash);

/* Bit (1u << lang) set for every language whose function words include the
 * token.  Used by the language guess. */
GEMA_INTERNAL uint32_t gema_stopword_langs(uint64_t token_hash);

/* Month 1..12 if the token names a month in one of the languages with lists
 * ("december", "desember", "dezember", "dec", ...), else 0. */
GEMA_INTERNAL unsigned gema_month_of(uint64_t token_hash);

/* 1 if the token names a day of the week in one of those languages. */
GEMA_INTERNAL int gema_is_weekday(uint64_t token_hash);

/* The word list of a language for tests and tools: space-separated words,
 * function words first then quote verbs in *quotes.  Static storage. */
GEMA_INTERNAL const char *gema_stopword_list(gema_lang lang, const char **quotes);

#endif
