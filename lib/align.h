/*
 * align.h - seeded local alignment of two token sequences.
 *
 * Given the token hashes of two documents A and B, find the passages of A
 * that reappear in B, tolerating small edits:
 *
 *   1. seeds: positions where the same run of `seed_words` tokens occurs in
 *      both (a run that repeats more than max_repeat times in either
 *      document is page furniture, not evidence, and is skipped);
 *   2. extension: from each seed not already inside a passage, the exact
 *      run is followed and then extended both ways by an X-drop banded
 *      alignment over tokens (match +2, substitution -1, insertion or
 *      deletion -1; stop when the score falls `xdrop` below its best), so
 *      a changed word, a dropped clause or re-wrapped punctuation does not
 *      end the passage;
 *   3. fragments scoring under min_fragment are dropped, the rest are
 *      merged when they overlap or lie within max_gap tokens of each other
 *      in both documents (reordered sentences of one paragraph become one
 *      passage);
 *   4. passages shorter than min_words tokens on either side, or whose
 *      similarity (2 * matched tokens / (tokens in A + tokens in B)) is
 *      under min_similarity, are dropped.
 *
 * An aligner holds scratch space; it is used by one thread at a time.
 */
#ifndef GEMA_ALIGN_H
#define GEMA_ALIGN_H

#include "common.h"

/* Alignment scores.  A match must outweigh two edits so that a passage with
 * one word in three changed still extends, while unrelated text (where
 * mostly every column is an edit) falls by about one per token. */
enum { GEMA_ALIGN_MATCH = 2, GEMA_ALIGN_MISMATCH = -1, GEMA_ALIGN_GAP = -1 };

typedef struct {
    unsigned seed_words;    /* tokens per seed */
    unsigned max_repeat;    /* seeds repeated more often in one document are ignored */
    int xdrop;              /* extension stops this far below its best score */
    int min_fragment;       /* score a fragment needs before merging */
    unsigned max_gap;       /* fragments this many tokens apart are merged */
    unsigned min_words;     /* shortest passage, tokens on each side */
    double min_similarity;  /* 2 * matched / (tokens A + tokens B) */
    uint64_t seed;          /* hash seed for seed n-grams */
} gema_align_params;

/* A passage in token coordinates: A[a0..a1) aligned with B[b0..b1). */
typedef struct {
    uint32_t a0, a1, b0, b1;
    uint32_t matches;       /* identical tokens aligned (at most the shorter side) */
    int32_t score;          /* alignment score, summed over fragments */
    uint32_t fragments;     /* fragments merged into it */
} gema_span_pair;

typedef struct {
    uint64_t hash;
    uint32_t head;          /* first position (chain through next[]) */
    uint32_t count;         /* positions in A */
    uint32_t count_b;       /* positions in B (while aligning one B) */
} gema_kgram_slot;

typedef struct {
    /* Document A: its seed n-grams in a hash table; positions with equal
     * hash are chained in increasing order through next[]. */
    const uint64_t *a;
    size_t na;
    gema_kgram_slot *slot;
    size_t slot_mask, slot_cap;
    uint32_t *next;
    size_t next_cap;
    /* Working state for one B. */
    gema_u64vec kb;          /* seed hashes of B */
    uint32_t *hit;           /* per position of B: slot index + 1, or 0 */
    size_t hit_cap;
    gema_u64vec seeds;       /* i << 32 | j, sorted */
    gema_u64vec tmp;
    unsigned char *covered;
    size_t covered_cap;
    int32_t *row[2];         /* X-drop rows: scores ... */
    uint32_t *mrow[2];       /* ... and matches along the best path */
    gema_span_pair *frag;
    size_t nfrag, frag_cap;
    /* Results of the last gema_aligner_run(), sorted by (a0, b0). */
    gema_span_pair *out;
    size_t nout, out_cap;
    uint64_t cells;          /* DP cells computed, for statistics */
} gema_aligner;

GEMA_INTERNAL void gema_aligner_init(gema_aligner *al);
GEMA_INTERNAL void gema_aligner_free(gema_aligner *al);

/* Make a[0..na) the document A for the following runs.  The array is
 * borrowed and must stay unchanged while runs use it. */
GEMA_INTERNAL int gema_aligner_set_a(gema_aligner *al, const gema_align_params *p,
                                     const uint64_t *a, size_t na);

/* Align b[0..nb) against A; results in al->out[0..al->nout). */
GEMA_INTERNAL int gema_aligner_run(gema_aligner *al, const gema_align_params *p,
                                   const uint64_t *b, size_t nb);

/* An edit script over tokens, for showing an alignment to a person. */
enum { GEMA_OP_EQUAL = 0, GEMA_OP_REPLACE = 1, GEMA_OP_DELETE = 2, GEMA_OP_INSERT = 3 };
typedef struct {
    int op;
    uint32_t a0, a1, b0, b1; /* token spans; DELETE has b0 == b1, INSERT a0 == a1 */
} gema_token_op;

/* Align a[s->a0..s->a1) with b[s->b0..s->b1) end to end: exact seed runs
 * are chained into the longest increasing chain and the gaps between them
 * aligned by dynamic programming (a gap of more than a million cells is
 * shown as one replacement).  *ops is a new array of *nops operations
 * covering both spans in order; free it with free(). */
GEMA_INTERNAL int gema_align_ops(const gema_align_params *p, const uint64_t *a, size_t na,
                                 const uint64_t *b, size_t nb, const gema_span_pair *s,
                                 gema_token_op **ops, size_t *nops);

#endif
