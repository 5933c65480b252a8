/*
 * fuzz_normalize.c - UTF-8 repair, tokenisation and normalisation on
 * arbitrary bytes.
 *
 * Checks what matching relies on:
 *   - repair gives valid UTF-8 without NUL, leaves valid text alone, and
 *     gema_utf8_fix agrees with the internal repair and its count;
 *   - the fast path (hashes only) and the general path (spans) give the same
 *     tokens, and the same 128-bit digest;
 *   - spans lie inside the text, in order, without overlap; the normalised
 *     text is the tokens joined by single spaces and is valid UTF-8;
 *   - gema_normalize agrees with the tokeniser, and normalising twice gives
 *     what normalising once gave (idempotence), with the same digest, so two
 *     texts with equal normalised forms are exact duplicates of each other.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"
#include "tokenize.h"
#include "utf8.h"

static gema_tokenizer fast, full, again;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;

    /* Repair. */
    char *fixed = NULL;
    size_t flen = 0;
    CHECK(gema_utf8_fix(size ? in : NULL, size, &fixed, &flen) == GEMA_OK);
    CHECK(fixed[flen] == '\0');
    CHECK(fuzz_valid_utf8((const unsigned char *)fixed, flen, 0));
    gema_buf rep = { 0 };
    size_t replaced = 0;
    CHECK(gema_utf8_repair(in, size, &rep, &replaced) == GEMA_OK);
    CHECK(rep.len == flen && (flen == 0 || memcmp(rep.data, fixed, flen) == 0));
    /* Each replaced sequence of 1-3 bytes becomes U+FFFD, 3 bytes. */
    CHECK(replaced <= size && flen <= size + 2 * replaced && flen + replaced >= size);
    int was_valid = fuzz_valid_utf8(data, size, 0);
    CHECK(gema_utf8_valid(in, size) == was_valid);
    CHECK(was_valid == (replaced == 0));
    if (was_valid) CHECK(flen == size && memcmp(fixed, in, size) == 0);
    CHECK(gema_utf8_count(fixed, flen) <= flen);
    gema_buf_free(&rep);

    /* Both tokeniser paths. */
    CHECK(gema_tokenize(&fast, fixed, flen, 0) == GEMA_OK);
    CHECK(gema_tokenize(&full, fixed, flen, GEMA_TOKENIZE_SPANS) == GEMA_OK);
    CHECK(fast.count == full.count);
    CHECK(fast.count == 0 || memcmp(fast.hash, full.hash, fast.count * sizeof *fast.hash) == 0);
    uint64_t d1[2], d2[2];
    gema_tokens_digest(&fast, d1);
    gema_tokens_digest(&full, d2);
    CHECK(d1[0] == d2[0] && d1[1] == d2[1]);

    /* Spans and the normalised text. */
    const gema_buf *nb = &full.norm;
    CHECK(full.count == 0 ? nb->len == 0 : nb->len > 0);
    CHECK(fuzz_valid_utf8((const unsigned char *)nb->data, nb->len, 0));
    size_t prev_start = SIZE_MAX, prev_end = 0, next_n = 0;
    for (size_t i = 0; i < full.count; i++) {
        const gema_token *k = &full.tok[i];
        CHECK(k->start < k->end && k->end <= flen);
        /* In order, apart; or the next piece of a token NFKC split ("½"). */
        CHECK(k->start >= prev_end || (k->start == prev_start && k->end == prev_end));
        CHECK(k->nstart == next_n);
        CHECK(k->nlen > 0 && (size_t)k->nstart + k->nlen <= nb->len);
        /* Spans fall on character boundaries of the original text. */
        CHECK(((unsigned char)fixed[k->start] & 0xC0) != 0x80);
        CHECK(k->end == flen || ((unsigned char)fixed[k->end] & 0xC0) != 0x80);
        if (k->nlen < 0xFFFF) {
            const char *tok = nb->data + k->nstart;
            CHECK(memchr(tok, ' ', k->nlen) == NULL);
            size_t after = (size_t)k->nstart + k->nlen;
            CHECK(i + 1 == full.count ? after == nb->len : nb->data[after] == ' ');
            next_n = after + 1;
        } else {
            const char *sp = memchr(nb->data + k->nstart, ' ', nb->len - k->nstart);
            next_n = sp ? (size_t)(sp - nb->data) + 1 : nb->len;
        }
        prev_start = k->start;
        prev_end = k->end;
    }

    /* The public call, and idempotence. */
    char *norm = NULL, *norm2 = NULL;
    size_t nlen = 0, nlen2 = 0;
    CHECK(gema_normalize(size ? in : NULL, size, &norm, &nlen) == GEMA_OK);
    CHECK(nlen == nb->len && memcmp(norm, nb->data, nlen) == 0 && norm[nlen] == '\0');
    CHECK(gema_normalize(norm, nlen, &norm2, &nlen2) == GEMA_OK);
    if (nlen2 != nlen || memcmp(norm, norm2, nlen) != 0)
        fprintf(stderr, "not idempotent:\n  once:  [%s]\n  twice: [%s]\n", norm, norm2);
    CHECK(nlen2 == nlen && memcmp(norm, norm2, nlen) == 0);
    CHECK(gema_tokenize(&again, norm, nlen, 0) == GEMA_OK);
    CHECK(again.count == full.count);
    gema_tokens_digest(&again, d2);
    CHECK(d1[0] == d2[0] && d1[1] == d2[1]);

    gema_free(norm);
    gema_free(norm2);
    gema_free(fixed);
    return 0;
}
