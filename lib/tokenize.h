/*
 * tokenize.h - split text into normalised tokens, keeping where each came from.
 *
 * One pass over the original UTF-8 text produces, for every token, its
 * XXH3-64 hash, its byte span in the original text and its span in the
 * normalised text (tokens joined by single spaces).  Every later stage
 * (fingerprints, passages, stories) works from this one result.
 */
#ifndef GEMA_TOKENIZE_H
#define GEMA_TOKENIZE_H

#include "common.h"
#include "normalize.h"

/* Token flags. */
enum {
    GEMA_TOK_UNIT = 1,    /* a character of an unspaced script */
    GEMA_TOK_NUMERIC = 2, /* only digits */
    GEMA_TOK_UPPER = 4    /* first character is an upper-case letter in the original */
};

typedef struct {
    uint32_t start, end;   /* byte span in the original text */
    uint32_t nstart;       /* byte offset in the normalised text */
    uint16_t nlen;         /* byte length in the normalised text (capped at 65535) */
    uint16_t flags;
} gema_token;

typedef struct gema_tokenizer_s {
    /* Results of the last gema_tokenize() call. */
    gema_token *tok;       /* count tokens (NULL when offsets were not asked for) */
    uint64_t *hash;        /* count token hashes */
    size_t count;
    gema_buf norm;         /* normalised text: tokens joined by ' ' (SPANS only) */
    /* Working state. */
    gema_buf lower;        /* lower-cased copy aligned with the input (block path) */
    size_t cap;
    gema_norm_scratch scratch;
    struct gema_tokenizer_s *sub; /* re-tokenises a token NFKC splits (allocated when needed) */
    int nested;                   /* this is a sub: take NFKC output as it comes */
} gema_tokenizer;

enum {
    GEMA_TOKENIZE_SPANS = 1,  /* fill tok[] and norm as well as hash[] */
    GEMA_TOKENIZE_GENERAL = 2 /* with SPANS: the general path only (tests compare the paths) */
};

/* Texts longer than this are tokenised only up to it, so spans fit in 32 bits. */
#define GEMA_TOKENIZE_MAX_BYTES ((size_t)UINT32_MAX)

GEMA_INTERNAL void gema_tokenizer_init(gema_tokenizer *t);
GEMA_INTERNAL void gema_tokenizer_free(gema_tokenizer *t);

/* Tokenise valid UTF-8 text[0..len).  Replaces the previous results.
 * Without GEMA_TOKENIZE_SPANS only hash[] and count are filled; the hashes
 * are the same either way.  With it, norm is NUL-terminated. */
GEMA_INTERNAL int gema_tokenize(gema_tokenizer *t, const char *text, size_t len,
                                unsigned flags);

/* 128-bit digest of the token sequence (XXH3-128 over the token hashes):
 * equal for two texts exactly when their normalised texts are equal, up to
 * hash collisions.  out[0] is the high half. */
GEMA_INTERNAL void gema_tokens_digest(const gema_tokenizer *t, uint64_t out[2]);

#endif
