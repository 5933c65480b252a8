/*
 * lsh.h - banding of MinHash signatures into candidate pairs.
 *
 * A signature of k values is cut into b bands of r rows; two documents are
 * candidates when all r values of some band agree, which happens with
 * probability 1 - (1 - s^r)^b for documents of Jaccard similarity s.
 */
#ifndef GEMA_LSH_H
#define GEMA_LSH_H

#include "common.h"

/* Hash each band b of sig into keys[b * stride]. */
GEMA_INTERNAL void gema_lsh_band_keys(const uint32_t *sig, unsigned bands, unsigned rows,
                                      uint64_t seed, uint64_t *keys, size_t stride);

/* Runs of more documents than this in one band bucket are linked as a star
 * and a chain instead of all pairs, so a template repeated on ten thousand
 * pages costs 2m pairs, not m^2/2. */
#define GEMA_LSH_MAX_RUN 64

/*
 * Candidate pairs from band keys.  keys holds `bands` keys for each of the
 * n documents, band by band (keys[band * n + i]: each band's grouping reads
 * one contiguous array); only documents with active[i] != 0
 * take part.  pairs receives (a << 32 | b) with a < b, sorted and unique.
 */
GEMA_INTERNAL int gema_lsh_candidates(const uint64_t *keys, size_t n, unsigned bands,
                                      const unsigned char *active, gema_u64vec *pairs);

#endif
