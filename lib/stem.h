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

/* Words longer than this many bytes are not stemmed (they are URLs, glued
 * text or compounds, and the stemmers gain nothing on them). */
#define GEMA_STEM_MAX_BYTES 48

/* The cache: 2^GEMA_STEM_CACHE_SET_BITS sets of GEMA_STEM_CACHE_WAYS slots,
 * a set to a 64-byte line. */
#define GEMA_STEM_CACHE_SET_BITS 14
#define GEMA_STEM_CACHE_WAYS 4

/* The object is shown here only so that a cache hit and a prefetch inline
 * into the featurizer's per-token loops (a call each cost more than the
 * probe); use it through the functions below. */
typedef struct {
    uint64_t key;
    uint64_t stem;
} gema_stem_slot;

struct sb_stemmer;
typedef struct gema_stemmer {
    struct sb_stemmer *sb[GEMA_LANG_COUNT];
    unsigned char tried[GEMA_LANG_COUNT];
    unsigned char has[GEMA_LANG_COUNT]; /* gema_lang_stemmer(lang) != NULL */
    gema_stem_slot *cache;
    uint64_t lookups, misses;
} gema_stemmer;

GEMA_INTERNAL int gema_stemmer_new(gema_stemmer **out);
GEMA_INTERNAL void gema_stemmer_free(gema_stemmer *s);

/* The cache key of a word: the language mixed in so one word stems per
 * language; 0 marks an empty slot. */
static inline uint64_t gema_stem_cache_key(gema_lang lang, uint64_t token_hash)
{
    uint64_t key = token_hash ^ ((uint64_t)lang * 0x9E3779B97F4A7C15ULL);
    return key ? key : 1;
}

/* The first slot of the key's set.  The featurizer knows which tokens it
 * will stem a pass before it stems them, and prefetches these slots, which
 * are mostly not in the cache. */
static inline gema_stem_slot *gema_stem_cache_slot(const gema_stemmer *s, uint64_t key)
{
    size_t set = (size_t)((key * 0xD6E8FEB86659FD93ULL) >> (64 - GEMA_STEM_CACHE_SET_BITS));
    return &s->cache[set * GEMA_STEM_CACHE_WAYS];
}

/* gema_stem_hash() past the cache: stem, store, count the miss. */
GEMA_INTERNAL int gema_stem_hash_miss(gema_stemmer *s, gema_lang lang, uint64_t token_hash,
                                      const char *word, size_t len, uint64_t *stem_hash);

/* Hash of the stem of word[0..len) (normalised text, as the tokeniser
 * writes it) whose token hash is token_hash.  Returns GEMA_OK or
 * GEMA_ERR_NOMEM (libstemmer out of memory). */
static inline int gema_stem_hash(gema_stemmer *s, gema_lang lang, uint64_t token_hash,
                                 const char *word, size_t len, uint64_t *stem_hash)
{
    if (lang < 0 || lang >= GEMA_LANG_COUNT || !s->has[lang] || len > GEMA_STEM_MAX_BYTES) {
        *stem_hash = token_hash;
        return GEMA_OK;
    }
    uint64_t key = gema_stem_cache_key(lang, token_hash);
    gema_stem_slot *c = gema_stem_cache_slot(s, key);
    s->lookups++;
    if (c[0].key == key) {
        *stem_hash = c[0].stem;
        return GEMA_OK;
    }
    /* A hit further in moves one place forward: frequent words gather at
     * the front and outlive the rare ones a miss brings in. */
    for (unsigned w = 1; w < GEMA_STEM_CACHE_WAYS; w++)
        if (c[w].key == key) {
            gema_stem_slot t = c[w];
            c[w] = c[w - 1];
            c[w - 1] = t;
            *stem_hash = t.stem;
            return GEMA_OK;
        }
    return gema_stem_hash_miss(s, lang, token_hash, word, len, stem_hash);
}

/* The stem itself, uncached: *out points into the stemmer and is valid
 * until the next call on s.  A language without a stemmer gives the word. */
GEMA_INTERNAL int gema_stem_text(gema_stemmer *s, gema_lang lang, const char *word, size_t len,
                                 const char **out, size_t *out_len);

/* Cache probes and misses so far (for statistics). */
GEMA_INTERNAL void gema_stemmer_counts(const gema_stemmer *s, uint64_t *lookups, uint64_t *misses);

#endif
