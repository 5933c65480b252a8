/*
 * ngram_index.h - an inverted index of hashed word n-grams and the candidate
 * document pairs it proposes.
 *
 * Documents that share at least `min_shared` n-grams become candidate pairs
 * for alignment.  N-grams found in more than `max_df` documents are left out
 * (boilerplate, set phrases), so one common phrase cannot turn into
 * max_df^2/2 pairs.  The index can be built one shard of hash values at a
 * time: a shard holds only the n-grams whose hash falls in its range, and
 * the pair counts of the shards are summed, so the memory a shard needs is
 * the whole index divided by the number of shards.
 */
#ifndef GEMA_NGRAM_INDEX_H
#define GEMA_NGRAM_INDEX_H

#include "common.h"

/* Append the hashes of every n-gram of tok[0..ntok) (n consecutive token
 * hashes) to out, in text order.  A text of fewer than n tokens has none. */
GEMA_INTERNAL int gema_ngrams(const uint64_t *tok, size_t ntok, unsigned n, uint64_t seed,
                              gema_u64vec *out);

/* Hash of one n-gram starting at tok (n tokens); the value gema_ngrams gives. */
GEMA_INTERNAL uint64_t gema_ngram_hash(const uint64_t *tok, unsigned n, uint64_t seed);

/*
 * An index entry packs an n-gram hash and a document number into 64 bits:
 * the top (64 - doc_bits) bits of the hash, then the document.  Sorting the
 * entries sorts by hash, then by document, in one radix sort.  Truncating
 * the hash merges the postings of n-grams that collide in the kept bits; at
 * 40 kept bits (16M documents) that is a handful of n-grams in 10^8 and only
 * ever adds candidates, which alignment then checks.
 */
typedef struct {
    unsigned doc_bits;   /* bits for the document number */
    unsigned shard_bits; /* log2 of the number of shards */
} gema_ngram_layout;

/* Choose the layout for ndocs documents and at least `shards` shards
 * (rounded up to a power of two, at most 256). */
GEMA_INTERNAL void gema_ngram_layout_init(gema_ngram_layout *l, size_t ndocs, unsigned shards);

static inline unsigned gema_ngram_shard(const gema_ngram_layout *l, uint64_t hash)
{
    return l->shard_bits ? (unsigned)(hash >> (64 - l->shard_bits)) : 0;
}

static inline uint64_t gema_ngram_entry(const gema_ngram_layout *l, uint64_t hash, uint32_t doc)
{
    return (hash >> l->doc_bits << l->doc_bits) | doc;
}

/* Candidate pairs: a < b, sorted by (a, b), with the number of shared
 * n-grams. */
typedef struct {
    uint64_t *pair;    /* a << 32 | b */
    uint32_t *count;
    size_t len, cap;
} gema_pair_counts;

GEMA_INTERNAL void gema_pair_counts_free(gema_pair_counts *p);

typedef struct {
    uint64_t entries;        /* (n-gram, document) entries sorted */
    uint64_t distinct;       /* distinct n-grams */
    uint64_t shared;         /* n-grams in 2..max_df documents */
    uint64_t over_df;        /* n-grams in more than max_df documents */
    uint64_t postings;       /* documents listed under shared n-grams */
    uint64_t increments;     /* pair-count increments made */
    uint64_t peak_bytes;     /* largest sort buffer pair of a shard */
} gema_ngram_stats;

/*
 * One shard: the entries (packed with gema_ngram_entry) arrive as chunks,
 * which this call frees; it sorts them, keeps the n-grams found in
 * 2..max_df documents, and counts, for every pair of documents, the
 * n-grams they share.  Pairs with at least min_count shared n-grams are
 * merged into *acc (counts of a pair already in acc are added).  Work is
 * spread over `threads` threads; the result does not depend on their
 * number.  Peak memory is 16 bytes per entry (chunks, then a sort buffer).
 */
GEMA_INTERNAL int gema_ngram_shard_pairs(const gema_ngram_layout *l, gema_u64vec *chunks,
                                         size_t nchunks, size_t ndocs, unsigned max_df,
                                         unsigned min_count, unsigned threads,
                                         gema_pair_counts *acc, gema_ngram_stats *stats);

/* Drop pairs of acc with fewer than min_count shared n-grams. */
GEMA_INTERNAL void gema_pair_counts_filter(gema_pair_counts *acc, unsigned min_count);

/* Sort n 64-bit keys ascending (LSD radix, 8-bit digits, skipping digits
 * that are equal in every key).  tmp holds n keys of scratch. */
GEMA_INTERNAL void gema_radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);

#endif
