/*
 * ngram_index.h - an inverted index of hashed word n-grams and the candidate
 * document pairs it proposes.
 *
 * Each document's distinct n-grams (or those winnowing keeps) go into the
 * index with the position of their first occurrence.  N-grams found in more than `max_df` documents are
 * dropped (boilerplate, set phrases), so one common phrase cannot turn into
 * max_df^2/2 pairs.  Two documents become a candidate pair when the n-grams
 * they share cluster: at least `min_shared` of them follow each other with
 * gaps of at most `max_gap` tokens in both documents and together cover at
 * least `min_extent` tokens.  Counting alone would make a pair of every two
 * articles that happen to share one common six-word phrase (two
 * overlapping 5-grams); requiring the shared n-grams to cover more words
 * than a set phrase does removes most such pairs before any alignment.
 *
 * The index can be built one shard of hash values at a time: a shard holds
 * only the n-grams whose hash falls in its range, so memory is the whole
 * index divided by the number of shards.  A pair is a candidate when its
 * shared n-grams cluster within one shard; the n-grams of a shard are
 * spread evenly along a passage, so a passage keeps its extent in each.
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

/* Positions above this are recorded as this (documents of more than a
 * million words lose positional precision in the candidate test only). */
#define GEMA_NGRAM_MAX_POS 0xFFFFFu

/* Candidate pairs: a < b, sorted by (a, b), with the number of n-grams they
 * share (summed over shards). */
typedef struct {
    uint64_t *pair;    /* a << 32 | b */
    uint32_t *count;
    size_t len, cap;
} gema_pair_counts;

GEMA_INTERNAL void gema_pair_counts_free(gema_pair_counts *p);

typedef struct {
    unsigned ngram;          /* words per n-gram */
    unsigned max_df;
    unsigned min_shared;
    unsigned min_extent;     /* tokens a cluster of shared n-grams must cover */
    unsigned max_gap;        /* largest gap inside a cluster, tokens */
    unsigned rare_df;        /* an n-gram in more documents pairs each of them only
                                with the next rare_df holding it; 0 = no limit */
} gema_pair_params;

typedef struct {
    uint64_t entries;        /* (n-gram, document) entries sorted */
    uint64_t distinct;       /* distinct n-grams */
    uint64_t shared;         /* n-grams in 2..max_df documents */
    uint64_t over_df;        /* n-grams in more than max_df documents */
    uint64_t postings;       /* documents listed under shared n-grams */
    uint64_t hits;           /* (pair, shared n-gram) hits examined */
    uint64_t pairs_sharing;  /* pairs with at least one shared n-gram */
    uint64_t peak_bytes;     /* index memory of the largest shard */
} gema_ngram_stats;

typedef struct gema_ngram_index gema_ngram_index;

/* An empty index for ndocs documents, split into at least `shards` shards
 * (a power of two, at most 256), filled from up to `threads` threads.
 * window > 1 indexes only the n-grams gema_winnow selects with that window;
 * 1 indexes every n-gram. */
GEMA_INTERNAL int gema_ngram_index_new(size_t ndocs, unsigned shards, unsigned threads,
                                       unsigned window, gema_ngram_index **out);

/*
 * Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms
 * for document fingerprinting", SIGMOD 2003): of every `window` consecutive
 * n-grams keep the one of least rank (a remix of its hash, so that the kept
 * hashes stay uniform over shards and buckets), the rightmost on ties, each
 * position once.  Two texts sharing window + ngram - 1 consecutive words
 * share at least one kept n-gram, and a kept n-gram depends only on the
 * window around it, so copies keep the same ones.  Writes the kept
 * positions, ascending, to pos (room for n) and returns how many; a text of
 * fewer than `window` n-grams keeps its least one.
 */
GEMA_INTERNAL size_t gema_winnow(const uint64_t *grams, size_t n, unsigned window, uint32_t *pos);
GEMA_INTERNAL void gema_ngram_index_free(gema_ngram_index *ix);
GEMA_INTERNAL unsigned gema_ngram_index_shards(const gema_ngram_index *ix);

/*
 * Add the n-grams of document `doc` (grams[i] starts at token i) that fall
 * in `shard`.  An n-gram repeated in the document counts once, at its
 * first position.  Called by thread number `thread` (0..threads-1);
 * different threads may add at the same time, one document at a time each.
 */
GEMA_INTERNAL int gema_ngram_index_add(gema_ngram_index *ix, unsigned thread, unsigned shard,
                                       uint32_t doc, const uint64_t *grams, size_t n);

/*
 * Turn what was added (one shard) into candidate pairs merged into *acc,
 * and empty the index for the next shard.  The result does not depend on
 * the number of threads or on which thread added what.
 */
GEMA_INTERNAL int gema_ngram_index_pairs(gema_ngram_index *ix, const gema_pair_params *p,
                                         unsigned threads, gema_pair_counts *acc,
                                         gema_ngram_stats *stats);

/* Sort n 64-bit keys ascending (LSD radix, 8-bit digits, skipping digits
 * that are equal in every key).  tmp holds n keys of scratch. */
GEMA_INTERNAL void gema_radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n);

#endif
