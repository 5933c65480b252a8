/*
 * fuzz_tokenize.c - the span block path against the general path.
 *
 * gema_tokenize with GEMA_TOKENIZE_SPANS runs plain ASCII 64 bytes at a
 * time and hands the rest to the general path; with GEMA_TOKENIZE_GENERAL
 * as well it runs the general path alone.  Both must give the same tokens:
 * hash, spans, normalised span, flags, and the same normalised text,
 * NUL-terminated.  The hash-only path must give the same hashes.
 *
 * Input: the first byte picks how the rest is read.  Even: repaired UTF-8
 * as it comes.  Odd: each byte picks a piece of text from a list made to
 * hit the block path's edges (apostrophes, accented letters and digits next
 * to ASCII words, long words across 64-byte blocks), so random bytes make
 * text rather than mostly separators.  The tokenisers are kept between
 * inputs, so stale bytes of earlier, longer texts lie in their buffers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"
#include "tokenize.h"

static const char *const pieces[] = {
    "the", "The", "DON'T", "don't", "'", "''", "Jum'at", "caf\xC3\xA9", "\xC3\x89t\xC3\xA9",
    "e\xCC\x81", "\xE4\xB8\xAD\xE5\x9B\xBD", "\xE0\xB8\xA0\xE0\xB8\xB2", "soft\xC2\xAD", "\xE2\x80\x99",
    "2021", "7", "15/12", "A1", "1a", "COVID19", "\xC2\xBD", "\xE3\x88\xA0", "\xEF\xBC\xA6",
    " ", " ", " ", "  ", "\n", ",", ".", "-", "\"", "(", "\xE2\x80\x94", "\xF0\x9F\x98\x80",
    "\xD0\x9F\xD1\x80\xD0\xB8", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "0123456789012345678901234567890123456789", "Q", "z", "x'", "'x",
};

static gema_tokenizer hashed, span, general;

static void compare(const char *text, size_t len)
{
    CHECK(gema_tokenize(&hashed, text, len, 0) == GEMA_OK);
    CHECK(gema_tokenize(&span, text, len, GEMA_TOKENIZE_SPANS) == GEMA_OK);
    CHECK(gema_tokenize(&general, text, len, GEMA_TOKENIZE_SPANS | GEMA_TOKENIZE_GENERAL) ==
          GEMA_OK);
    CHECK(span.count == general.count && hashed.count == span.count);
    CHECK(span.norm.len == general.norm.len);
    CHECK(memcmp(span.norm.data, general.norm.data, span.norm.len) == 0);
    CHECK(span.norm.data[span.norm.len] == '\0');
    for (size_t i = 0; i < span.count; i++) {
        const gema_token *x = &span.tok[i], *y = &general.tok[i];
        CHECK(span.hash[i] == general.hash[i] && hashed.hash[i] == span.hash[i]);
        CHECK(x->start == y->start && x->end == y->end);
        CHECK(x->nstart == y->nstart && x->nlen == y->nlen);
        CHECK(x->flags == y->flags);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    if (!(data[0] & 1)) {
        char *fixed = NULL;
        size_t flen = 0;
        CHECK(gema_utf8_fix((const char *)data + 1, size - 1, &fixed, &flen) == GEMA_OK);
        compare(fixed, flen);
        gema_free(fixed);
        return 0;
    }
    size_t np = sizeof pieces / sizeof pieces[0], cap = 64 * size, len = 0;
    char *buf = malloc(cap);
    CHECK(buf != NULL);
    for (size_t i = 1; i < size; i++) {
        const char *p = pieces[data[i] % np];
        size_t n = strlen(p);
        memcpy(buf + len, p, n);
        len += n;
    }
    compare(buf, len);
    free(buf);
    return 0;
}
