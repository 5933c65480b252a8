/*
 * rewrite.c - find one member of a JSON object line and replace its value.
 *
 * The scanner only needs to get past values, not to understand them: strings
 * are skipped escape by escape, objects and arrays by counting brackets
 * outside strings, numbers and literals up to the next delimiter.  Records
 * reach this file after cJSON accepted them, but the scanner is also fuzzed
 * on its own and never reads past len whatever the input.
 *
 * Member names are compared after decoding their escapes ("te\u0078t" is
 * "text"), and the first match wins, as with cJSON_GetObjectItemCaseSensitive
 * which the reader uses: the value replaced is the one the text came from.
 */
#include "rewrite.h"

#include "utf8.h"

/* White space as cJSON reads it: every byte up to 0x20. */
static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (unsigned char)s[i] <= 0x20) i++;
    return i;
}

/* s[i] is the opening quote of a string.  Returns the index just past the
 * closing quote, or 0 if the string is not terminated or malformed.  When key
 * is not NULL, *match tells whether the decoded string equals key[0..klen). */
static size_t scan_string(const char *s, size_t len, size_t i, const char *key, size_t klen,
                          int *match)
{
    size_t k = 0;     /* bytes of key matched so far */
    int ok = 1;
    i++;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            if (match) *match = ok && k == klen;
            return i + 1;
        }
        if (c != '\\') {
            /* A raw control byte is not JSON, but cJSON takes it, and the
             * reader read the record through cJSON: so do we. */
            if (ok && (k >= klen || key[k] != (char)c)) ok = 0;
            k++;
            i++;
            continue;
        }
        if (i + 1 >= len) return 0;
        char e = s[i + 1];
        char one = 0;
        switch (e) {
        case '"': one = '"'; break;
        case '\\': one = '\\'; break;
        case '/': one = '/'; break;
        case 'b': one = '\b'; break;
        case 'f': one = '\f'; break;
        case 'n': one = '\n'; break;
        case 'r': one = '\r'; break;
        case 't': one = '\t'; break;
        case 'u': break;
        default:
            /* Not JSON; a name that holds it equals no key.  The string
             * goes on past the escaped byte, as cJSON finds its end. */
            ok = 0;
            i += 2;
            continue;
        }
        if (e != 'u') {
            if (ok && (k >= klen || key[k] != one)) ok = 0;
            k++;
            i += 2;
            continue;
        }
        long hx = gema_hex4(s, len, i + 2);
        if (hx < 0) {
            ok = 0;
            i += 2;
            continue;
        }
        i += 6;
        unsigned cp = (unsigned)hx;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = i + 1 < len && s[i] == '\\' && s[i + 1] == 'u' ? gema_hex4(s, len, i + 2) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned)lo - 0xDC00);
                i += 6;
            } else {
                ok = 0; /* a lone surrogate never equals a valid UTF-8 name */
                continue;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            ok = 0;
            continue;
        }
        if (cp == 0) {
            ok = 0;
            continue;
        }
        char enc[4];
        size_t n = gema_utf8_encode((int32_t)cp, enc);
        if (ok && (k + n > klen || memcmp(key + k, enc, n) != 0)) ok = 0;
        k += n;
    }
    return 0;
}

/* Skip a string value: s[i] is its opening quote.  The text member is most
 * of a record, so this is the scanner's hot loop: memchr finds the next
 * quote, and a quote is escaped exactly when an odd number of backslashes
 * precedes it.  Escapes are not checked here; member names, which are
 * compared, go through scan_string. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    size_t from = i + 1;
    for (;;) {
        const char *q = memchr(s + from, '"', len - from);
        if (!q) return 0;
        size_t at = (size_t)(q - s), b = at;
        while (b > i + 1 && s[b - 1] == '\\') b--;
        if ((at - b) % 2 == 0) return at + 1;
        from = at + 1;
    }
}

/* Skip one value starting at s[i] (no leading white space).  Returns the
 * index just past it, or 0 on malformed input. */
static size_t scan_value(const char *s, size_t len, size_t i)
{
    if (i >= len) return 0;
    char c = s[i];
    if (c == '"') return skip_string(s, len, i);
    if (c == '{' || c == '[') {
        size_t depth = 0;
        while (i < len) {
            char d = s[i];
            if (d == '"') {
                i = skip_string(s, len, i);
                if (!i) return 0;
                continue;
            }
            if (d == '{' || d == '[') depth++;
            else if (d == '}' || d == ']') {
                if (depth == 0) return 0;
                if (--depth == 0) return i + 1;
            }
            i++;
        }
        return 0;
    }
    size_t start = i;
    while (i < len && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' &&
           s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '"' && s[i] != '{' &&
           s[i] != '[')
        i++;
    return i > start ? i : 0;
}

int gema_json_find_member(const char *s, size_t len, const char *key, size_t *vstart,
                          size_t *vend)
{
    if (!s || !key || !vstart || !vend) return GEMA_ERR_ARG;
    size_t klen = strlen(key);
    /* cJSON skips a byte-order mark before the value: so do we. */
    size_t i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    i = skip_ws(s, len, i);
    if (i >= len || s[i] != '{') return GEMA_ERR_FORMAT;
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == '}') return GEMA_ERR_RANGE;
    for (;;) {
        if (i >= len || s[i] != '"') return GEMA_ERR_FORMAT;
        int match = 0;
        i = scan_string(s, len, i, key, klen, &match);
        if (!i) return GEMA_ERR_FORMAT;
        i = skip_ws(s, len, i);
        if (i >= len || s[i] != ':') return GEMA_ERR_FORMAT;
        i = skip_ws(s, len, i + 1);
        size_t v0 = i;
        i = scan_value(s, len, i);
        if (!i) return GEMA_ERR_FORMAT;
        if (match) {
            *vstart = v0;
            *vend = i;
            return GEMA_OK;
        }
        i = skip_ws(s, len, i);
        if (i >= len) return GEMA_ERR_FORMAT;
        if (s[i] == '}') return GEMA_ERR_RANGE;
        if (s[i] != ',') return GEMA_ERR_FORMAT;
        i = skip_ws(s, len, i + 1);
    }
}

/* The index of the first byte of s[i..len) that needs escaping (under 0x20,
 * '"', '\\' or 0x7F), or len.  SSE2 on x86-64, sixteen bytes at a time;
 * elsewhere eight bytes as a word, exact as a yes/no (the bit hacks
 * "hasless" and "haszero", Anderson, "Bit Twiddling Hacks"), then the byte
 * loop finds which. */
static int plain(unsigned char c)
{
    return c >= 0x20 && c != '"' && c != '\\' && c != 0x7F;
}

#if defined(__SSE2__) && !defined(GEMA_NO_SIMD)
#include <emmintrin.h>
static size_t next_escape(const char *s, size_t len, size_t i)
{
    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x);  /* x <= 0x1F */
        __m128i e = _mm_or_si128(_mm_or_si128(low, _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F))));
        unsigned mask = (unsigned)_mm_movemask_epi8(e);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
    while (i < len && plain((unsigned char)s[i])) i++;
    return i;
}
#else
static size_t next_escape(const char *s, size_t len, size_t i)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    while (len - i >= 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7F);
        uint64_t t = ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) |
                     ((d - ones) & ~d);
        if (t & high) break;
        i += 8;
    }
    while (i < len && plain((unsigned char)s[i])) i++;
    return i;
}
#endif

int gema_json_escape(gema_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    /* Room for the quotes and every byte as it is; each escape then reserves
     * its own growth plus the rest, so the copies below need no checks. */
    if (gema_buf_reserve(out, len + 2) != GEMA_OK) return GEMA_ERR_NOMEM;
    out->data[out->len++] = '"';
    size_t i = 0;
    for (;;) {
        size_t j = next_escape(s, len, i);
        memcpy(out->data + out->len, s + i, j - i);
        out->len += j - i;
        if (j >= len) break;
        if (gema_buf_reserve(out, 6 + (len - j) + 1) != GEMA_OK) return GEMA_ERR_NOMEM;
        unsigned char c = (unsigned char)s[j];
        char *e = out->data + out->len;
        e[0] = '\\';
        size_t n = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            e[1] = 'u'; e[2] = '0'; e[3] = '0';
            e[4] = hex[c >> 4]; e[5] = hex[c & 15];
            n = 6;
        }
        out->len += n;
        i = j + 1;
    }
    out->data[out->len++] = '"';
    out->data[out->len] = '\0';
    return GEMA_OK;
}

int gema_json_replace_string(const char *line, size_t len, const char *key, const char *text,
                             size_t tlen, gema_buf *out)
{
    size_t v0, v1;
    int rc = gema_json_find_member(line, len, key, &v0, &v1);
    if (rc != GEMA_OK) return rc;
    return gema_json_replace_span(line, len, v0, v1, text, tlen, out);
}

int gema_json_replace_span(const char *line, size_t len, size_t v0, size_t v1, const char *text,
                           size_t tlen, gema_buf *out)
{
    if (v0 > v1 || v1 > len) return GEMA_ERR_ARG;
    if (gema_buf_reserve(out, len + tlen + 2) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (gema_buf_append(out, line, v0) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (gema_json_escape(out, text, tlen) != GEMA_OK) return GEMA_ERR_NOMEM;
    return gema_buf_append(out, line + v1, len - v1);
}
