/*
 * minhash.h - MinHash signatures of shingle sets.
 *
 * Two schemes (see gema_minhash_scheme):
 *   - k multiply-shift permutations h_i(x) = (a_i x + b_i) >> 32: the textbook
 *     estimator, k multiplications per shingle;
 *   - one-permutation hashing (Li, Owen & Zhang, NIPS 2012) with optimal
 *     densification (Shrivastava, ICML 2017): one hash per shingle picks a bin
 *     and a value; empty bins borrow from a non-empty bin along a probe
 *     sequence that depends only on the bin number, so two documents fill
 *     their empty bins the same way.  About k times cheaper per shingle.
 * Values are 32 bits.  A set with no shingles gets all-ones and no bands.
 */
#ifndef GEMA_MINHASH_H
#define GEMA_MINHASH_H

#include "common.h"

typedef struct {
    unsigned k;
    gema_minhash_scheme scheme;
    uint64_t seed;
    uint64_t *a, *b; /* permutation parameters, k each (PERM only) */
} gema_minhasher;

GEMA_INTERNAL int gema_minhasher_init(gema_minhasher *m, unsigned k,
                                      gema_minhash_scheme scheme, uint64_t seed);
GEMA_INTERNAL void gema_minhasher_free(gema_minhasher *m);

/* Signature of shingles[0..n) into sig[0..k).  Repeated shingles are fine.
 * Returns 0 when n == 0 (sig is all-ones), 1 otherwise. */
GEMA_INTERNAL int gema_minhash(const gema_minhasher *m, const uint64_t *shingles,
                               size_t n, uint32_t *sig);

/* Fraction of equal positions: the MinHash estimate of Jaccard similarity. */
GEMA_INTERNAL double gema_minhash_estimate(const uint32_t *a, const uint32_t *b, unsigned k);

/* SplitMix64 step (Steele, Lea & Flood, OOPSLA 2014): seeds and probes. */
static inline uint64_t gema_splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

#endif
