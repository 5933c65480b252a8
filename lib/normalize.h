/*
 * normalize.h - what counts as a word character, and NFKC case folding.
 *
 * Normalisation for matching is defined per token: a token's characters are
 * put through NFKC with case folding (utf8proc) and default-ignorable
 * characters are dropped.  Text between tokens (punctuation, symbols, white
 * space) is folded to a single space by the tokeniser.  Bytes below 0x80 never
 * reach utf8proc: a 128-entry table classifies and lower-cases them.
 */
#ifndef GEMA_NORMALIZE_H
#define GEMA_NORMALIZE_H

#include "common.h"

/* How the tokeniser treats a character. */
enum {
    GEMA_CC_SEP = 0,    /* ends a token (punctuation, symbols, space, controls) */
    GEMA_CC_WORD = 1,   /* letters and digits of spaced scripts */
    GEMA_CC_JOIN = 2,   /* apostrophe: dropped between word characters, else a separator */
    GEMA_CC_UNIT = 3,   /* letter of a script written without spaces: a token of its own */
    GEMA_CC_MARK = 4,   /* combining mark: extends the token before it */
    GEMA_CC_IGNORE = 5  /* soft hyphen, ZWJ, ZWNJ, word joiner: skipped, token goes on */
};

/* Class of each ASCII byte. */
GEMA_INTERNAL extern const unsigned char gema_ascii_class[128];
/* For every byte: its lower-case form if it is an ASCII letter or digit,
 * else 0 (so bytes >= 0x80 stop a run of ASCII word characters). */
GEMA_INTERNAL extern const char gema_word_lower[256];

/* Class of a code point at or above U+0080. */
GEMA_INTERNAL int gema_cp_class(int32_t cp);

/* 1 if cp is an upper-case or title-case letter. */
GEMA_INTERNAL int gema_cp_isupper(int32_t cp);

/* Scratch space for gema_nfkc_casefold(); zero-initialise, free with
 * gema_norm_scratch_free(). */
typedef struct {
    int32_t *cps;
    size_t cap;
} gema_norm_scratch;

GEMA_INTERNAL void gema_norm_scratch_free(gema_norm_scratch *s);

/* Replace the last `len` bytes of out (a token in valid UTF-8) by their NFKC
 * case-folded form with default ignorables removed. */
GEMA_INTERNAL int gema_nfkc_casefold_tail(gema_buf *out, size_t len, gema_norm_scratch *s);

#endif
