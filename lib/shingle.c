/*
 * shingle.c - shingle hashing and exact set similarity.
 */
#include "shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* flatten: inline XXH3 for the short, fixed-size input. */
__attribute__((flatten)) int gema_shingles(const uint64_t *tok, size_t ntok, unsigned n, uint64_t seed,
                  gema_u64vec *out)
{
    if (ntok == 0) return GEMA_OK;
    size_t count = ntok >= n ? ntok - n + 1 : 1;
    size_t width = ntok >= n ? n : ntok;
    if (gema_u64vec_reserve(out, out->len + count) != GEMA_OK) return GEMA_ERR_NOMEM;
    uint64_t *dst = out->v + out->len;
    for (size_t i = 0; i < count; i++)
        dst[i] = XXH3_64bits_withSeed(tok + i, width * sizeof *tok, seed);
    out->len += count;
    return GEMA_OK;
}

int gema_shingle_set(const uint64_t *tok, size_t ntok, unsigned n, uint64_t seed,
                     gema_u64vec *out)
{
    out->len = 0;
    int rc = gema_shingles(tok, ntok, n, seed, out);
    if (rc != GEMA_OK) return rc;
    out->len = gema_u64_sort_unique(out->v, out->len);
    return GEMA_OK;
}

size_t gema_set_intersection(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) i++;
        else if (a[i] > b[j]) j++;
        else { k++; i++; j++; }
    }
    return k;
}

double gema_set_similarity(const uint64_t *a, size_t na, const uint64_t *b, size_t nb,
                           gema_similarity kind)
{
    if (na == 0 && nb == 0) return 1.0;
    if (na == 0 || nb == 0) return 0.0;
    size_t k = gema_set_intersection(a, na, b, nb);
    if (kind == GEMA_SIM_CONTAINMENT) return (double)k / (double)GEMA_MIN(na, nb);
    return (double)k / (double)(na + nb - k);
}
