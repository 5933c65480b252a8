/*
 * fuzz_mojibake.c - gema_mojibake_fix and gema_mojibake_suspect on arbitrary
 * bytes (binary junk, NUL bytes, invalid UTF-8, long runs of one character).
 *
 * Checks what the callers rely on: the repaired spans are in order, do not
 * overlap and lie inside input and output; the text between them is copied
 * byte for byte; no repair means the output equals the input; a text the
 * fast check calls clean comes back unchanged; the output is valid UTF-8
 * wherever the input was; gema_fix_encoding agrees with the internal call.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"
#include "mojibake.h"

static gema_mojibake *m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!m && gema_mojibake_new(&m) != GEMA_OK) abort();
    const char *s = (const char *)data;
    gema_buf out = { 0 };
    gema_repair *r = NULL;
    size_t n = 0;
    CHECK(gema_mojibake_fix(m, s, size, &out, &r, &n) == GEMA_OK);
    CHECK(gema_buf_append(&out, "", 0) == GEMA_OK && out.data); /* memcmp below needs a pointer */
    if (!gema_mojibake_suspect(m, s, size)) CHECK(n == 0);
    if (n == 0) {
        CHECK(out.len == size && (size == 0 || memcmp(out.data, s, size) == 0));
    }
    size_t in_at = 0, out_at = 0;
    for (size_t k = 0; k < n; k++) {
        CHECK(r[k].start >= in_at && r[k].start < r[k].end && r[k].end <= size);
        CHECK(r[k].out_start >= out_at && r[k].out_start < r[k].out_end && r[k].out_end <= out.len);
        CHECK(r[k].start - in_at == r[k].out_start - out_at);
        CHECK(memcmp(s + in_at, out.data + out_at, r[k].start - in_at) == 0);
        CHECK(r[k].codepage && r[k].codepage[0] && r[k].layers >= 1 && r[k].layers <= 3);
        /* A repair turns broken text into fewer bytes of valid UTF-8. */
        CHECK(r[k].out_end - r[k].out_start < r[k].end - r[k].start);
        CHECK(fuzz_valid_utf8((const unsigned char *)out.data + r[k].out_start,
                              r[k].out_end - r[k].out_start, 1));
        in_at = r[k].end;
        out_at = r[k].out_end;
    }
    CHECK(size - in_at == out.len - out_at);
    CHECK(memcmp(s + in_at, out.data + out_at, size - in_at) == 0);
    if (fuzz_valid_utf8(data, size, 1)) CHECK(fuzz_valid_utf8((const unsigned char *)out.data, out.len, 1));

    /* Appending to a buffer that already holds text, with no span list. */
    gema_buf out2 = { 0 };
    CHECK(gema_buf_append(&out2, "x", 1) == GEMA_OK);
    CHECK(gema_mojibake_fix(m, s, size, &out2, NULL, NULL) == GEMA_OK);
    CHECK(out2.len == out.len + 1 && memcmp(out2.data + 1, out.data, out.len) == 0);

    char *pub = NULL;
    size_t plen = 0, preps = 0;
    CHECK(gema_fix_encoding(size ? s : NULL, size, &pub, &plen, &preps) == GEMA_OK);
    CHECK(plen == out.len && preps == n && memcmp(pub, out.data, plen) == 0 && pub[plen] == 0);
    gema_free(pub);
    gema_buf_free(&out2);
    gema_buf_free(&out);
    free(r);
    return 0;
}
