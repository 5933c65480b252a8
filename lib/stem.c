/*
 * stem.c - libstemmer behind a set-associative cache.
 *
 * The cache has 2^14 sets of four 16-byte slots, a set to a cache line
 * (1 MiB per thread).  News vocabulary is Zipfian: a few thousand words make
 * up most tokens.  A direct-mapped cache of the same size missed one probe
 * in 19 when extracting 50,000 generated articles (707,413 of 13.5 million),
 * mostly two frequent words taking one slot in turns; four ways, with a hit
 * moving its word one place forward and a miss coming in at the back half,
 * missed one in 272 (49,731), each miss a run of the Snowball program.  A slot holds the full 64-bit key, so
 * a hit is exact (up to 64-bit hash collisions of different words, which
 * the tokeniser's hashes already accept).  Results never depend on what the
 * cache holds.
 */
#include "stem.h"

#include <libstemmer.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define CACHE_SIZE ((size_t)GEMA_STEM_CACHE_WAYS << GEMA_STEM_CACHE_SET_BITS)

int gema_stemmer_new(gema_stemmer **out)
{
    gema_stemmer *s = calloc(1, sizeof *s);
    if (!s) return GEMA_ERR_NOMEM;
    s->cache = aligned_alloc(64, CACHE_SIZE * sizeof *s->cache);
    if (!s->cache) {
        free(s);
        return GEMA_ERR_NOMEM;
    }
    memset(s->cache, 0, CACHE_SIZE * sizeof *s->cache);
    for (int l = 0; l < GEMA_LANG_COUNT; l++) s->has[l] = gema_lang_stemmer((gema_lang)l) != NULL;
    *out = s;
    return GEMA_OK;
}

void gema_stemmer_free(gema_stemmer *s)
{
    if (!s) return;
    for (int i = 0; i < GEMA_LANG_COUNT; i++) sb_stemmer_delete(s->sb[i]);
    free(s->cache);
    free(s);
}

static struct sb_stemmer *get(gema_stemmer *s, gema_lang lang)
{
    if (lang <= GEMA_LANG_UND || lang >= GEMA_LANG_COUNT) return NULL;
    if (!s->tried[lang]) {
        s->tried[lang] = 1;
        const char *name = gema_lang_stemmer(lang);
        if (name) s->sb[lang] = sb_stemmer_new(name, NULL);
    }
    return s->sb[lang];
}

int gema_stem_text(gema_stemmer *s, gema_lang lang, const char *word, size_t len,
                   const char **out, size_t *out_len)
{
    struct sb_stemmer *sb = len <= GEMA_STEM_MAX_BYTES ? get(s, lang) : NULL;
    if (!sb) {
        *out = word;
        *out_len = len;
        return GEMA_OK;
    }
    const sb_symbol *r = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)len);
    if (!r) return GEMA_ERR_NOMEM;
    *out = (const char *)r;
    *out_len = (size_t)sb_stemmer_length(sb);
    return GEMA_OK;
}

int gema_stem_hash_miss(gema_stemmer *s, gema_lang lang, uint64_t token_hash, const char *word,
                        size_t len, uint64_t *stem_hash)
{
    gema_stem_slot *c = gema_stem_cache_slot(s, gema_stem_cache_key(lang, token_hash));
    s->misses++;
    const char *st;
    size_t sl;
    int rc = gema_stem_text(s, lang, word, len, &st, &sl);
    if (rc != GEMA_OK) return rc;
    uint64_t h = (sl == len && memcmp(st, word, len) == 0) ? token_hash : XXH3_64bits(st, sl);
    /* In at the back half of the set: the word must be asked for again
     * before it pushes a frequent one out. */
    unsigned at = GEMA_STEM_CACHE_WAYS / 2;
    for (unsigned w = GEMA_STEM_CACHE_WAYS - 1; w > at; w--) c[w] = c[w - 1];
    c[at].key = gema_stem_cache_key(lang, token_hash);
    c[at].stem = h;
    *stem_hash = h;
    return GEMA_OK;
}

void gema_stemmer_counts(const gema_stemmer *s, uint64_t *lookups, uint64_t *misses)
{
    *lookups = s->lookups;
    *misses = s->misses;
}
