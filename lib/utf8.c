/*
 * utf8.c - UTF-8 validation and repair.
 *
 * The validator follows the table in Unicode 15, section 3.9 (Table 3-7,
 * well-formed byte sequences): it rejects overlong forms, surrogates and
 * values past U+10FFFF.  ASCII runs are skipped eight bytes at a time since
 * almost all news text is mostly ASCII.
 */
#include "utf8.h"

/* Length of the well-formed sequence starting at s, or 0 if the bytes at s
 * do not start one.  For an ill-formed start, *sub receives the length of
 * its maximal subpart (at least 1) so it can be replaced by one U+FFFD. */
static size_t seq_len(const unsigned char *s, size_t len, size_t *sub)
{
    unsigned char c = s[0];
    *sub = 1;
    if (c < 0x80) return c ? 1 : 0;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c == 0xE0) { need = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) need = 3;
    else if (c == 0xED) { need = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) need = 3;
    else if (c == 0xF0) { need = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) need = 4;
    else if (c == 0xF4) { need = 4; hi = 0x8F; }
    else return 0;
    if (len < 2 || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < need; i++) {
        if (i >= len || s[i] < 0x80 || s[i] > 0xBF) {
            *sub = i;
            return 0;
        }
    }
    return need;
}

static size_t ascii_run(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* Stop at any byte >= 0x80 or == 0x00. */
        if ((w & 0x8080808080808080ULL) ||
            ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
            break;
        i += 8;
    }
    while (i < len && s[i] && s[i] < 0x80) i++;
    return i;
}

int gema_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        i += ascii_run(s + i, len - i);
        if (i >= len) break;
        size_t sub, n = seq_len(s + i, len - i, &sub);
        if (n == 0) return 0;
        i += n;
    }
    return 1;
}

int gema_utf8_repair(const char *str, size_t len, gema_buf *out, size_t *replaced)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, bad = 0;
    if (gema_buf_reserve(out, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    while (i < len) {
        size_t run = ascii_run(s + i, len - i);
        size_t n = 0, sub = 1;
        if (i + run < len) n = seq_len(s + i + run, len - i - run, &sub);
        run += n; /* a valid multi-byte sequence joins the run */
        if (run && gema_buf_append(out, s + i, run) != GEMA_OK) return GEMA_ERR_NOMEM;
        i += run;
        if (i < len && n == 0) {
            if (gema_buf_append(out, "\xEF\xBF\xBD", 3) != GEMA_OK) return GEMA_ERR_NOMEM;
            bad += sub;
            i += sub;
        }
    }
    if (replaced) *replaced = bad;
    return GEMA_OK;
}

size_t gema_utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t sub, n = seq_len(s, len, &sub);
    switch (n) {
    case 2: *cp = ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F); return 2;
    case 3: *cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F); return 3;
    case 4: *cp = ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
                  ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F); return 4;
    default: *cp = 0xFFFD; return 1;
    }
}

size_t gema_utf8_encode(int32_t cp, char out[4])
{
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t gema_utf8_count(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += (s[i] & 0xC0) != 0x80;
    return n;
}

int gema_utf8_fix(const char *s, size_t len, char **out, size_t *out_len)
{
    if ((!s && len) || !out) return GEMA_ERR_ARG;
    gema_buf b = { 0 };
    size_t replaced;
    if (gema_buf_reserve(&b, len) != GEMA_OK ||
        gema_utf8_repair(s ? s : "", len, &b, &replaced) != GEMA_OK) {
        gema_buf_free(&b);
        return GEMA_ERR_NOMEM;
    }
    *out = b.data;
    if (out_len) *out_len = b.len;
    return GEMA_OK;
}
