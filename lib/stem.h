/*
 * stem.h - Snowball stemming (libstemmer) with a per-thread cache.
 *
 * A stemmer object belongs to one thread: libstemmer's stemmers keep state
 * between calls, and so does the cache.  The cache maps (language, token
 * hash) to the hash of the stem, so a word seen before costs one probe
 * instead of a run of the Snowball program (about 60 ns for Indonesian and
 * 260 ns for English per word on our machines, against a few ns for a hit).
 *
 * Stems are identified by the XXH3-64 hash of their text, the same hash the
 * tokeniser gives a token: a word the stemmer leaves alone, or a word of a
 * language without a stemmer, keeps its token hash.
 */
#ifndef GEMA_STEM_H
#define GEMA_STEM_H

#include "common.h"
#include "langid.h"

typedef struct gema_stemmer gema_stemmer;

/* Words longer than this many bytes are not stemmed (they are URLs, glued
 * text or compounds, and the stemmers gain nothing on them). */
#define GEMA_STEM_MAX_BYTES 48

GEMA_INTERNAL int gema_stemmer_new(gema_stemmer **out);
GEMA_INTERNAL void gema_stemmer_free(gema_stemmer *s);

/* Start loading the cache slot a later gema_stem_hash() of token_hash in
 * lang will read: the featurizer knows which tokens it will stem a pass
 * before it stems them, and the slots are mostly not in the cache. */
GEMA_INTERNAL void gema_stem_prefetch(const gema_stemmer *s, gema_lang lang, uint64_t token_hash);

/* Hash of the stem of word[0..len) (normalised text, as the tokeniser
 * writes it) whose token hash is token_hash.  Returns GEMA_OK or
 * GEMA_ERR_NOMEM (libstemmer out of memory). */
GEMA_INTERNAL int gema_stem_hash(gema_stemmer *s, gema_lang lang, uint64_t token_hash,
                                 const char *word, size_t len, uint64_t *stem_hash);

/* The stem itself, uncached: *out points into the stemmer and is valid
 * until the next call on s.  A language without a stemmer gives the word. */
GEMA_INTERNAL int gema_stem_text(gema_stemmer *s, gema_lang lang, const char *word, size_t len,
                                 const char **out, size_t *out_len);

/* Cache probes and misses so far (for statistics). */
GEMA_INTERNAL void gema_stemmer_counts(const gema_stemmer *s, uint64_t *lookups, uint64_t *misses);

#endif
