/*
 * shingle.h - word shingles and similarity of shingle sets.
 *
 * A shingle is n consecutive tokens; its hash is XXH3-64 over the n token
 * hashes.  A text with fewer than n tokens (but at least one) has a single
 * shingle made of all its tokens, so short texts still match each other.
 */
#ifndef GEMA_SHINGLE_H
#define GEMA_SHINGLE_H

#include "common.h"

/* Append the shingle hashes of tok[0..ntok) to out (in text order, repeats
 * kept).  n must be at least 1. */
GEMA_INTERNAL int gema_shingles(const uint64_t *tok, size_t ntok, unsigned n,
                                uint64_t seed, gema_u64vec *out);

/* Shingles as a sorted set: gema_shingles() then sort and unique. */
GEMA_INTERNAL int gema_shingle_set(const uint64_t *tok, size_t ntok, unsigned n,
                                   uint64_t seed, gema_u64vec *out);

/* Size of the intersection of two sorted sets. */
GEMA_INTERNAL size_t gema_set_intersection(const uint64_t *a, size_t na,
                                           const uint64_t *b, size_t nb);

/* Jaccard or containment of two sorted sets (1 when both are empty). */
GEMA_INTERNAL double gema_set_similarity(const uint64_t *a, size_t na, const uint64_t *b,
                                         size_t nb, gema_similarity kind);

#endif
