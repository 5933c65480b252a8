/*
 * json_fast.c - a grammar check of one JSON object that notes where the
 * wanted string members lie, refusing whatever cJSON would read otherwise.
 *
 * The cJSON behaviour matched here is that of libcjson 1.7.15 (Debian 12),
 * read from its source: white space is every byte from 0x01 to 0x20; an
 * escape other than \" \\ \/ \b \f \n \r \t \uXXXX fails the parse; \u with
 * a bad hex digit reads as U+0000 and cuts the string; a lone or reversed
 * surrogate fails; numbers are read by strtod() from at most 63 bytes;
 * nesting is limited to 1000.  Where our rule would differ, we refuse (the
 * caller then asks cJSON), so refusing more than needed only costs time.
 *
 * Strings are the bulk of a record, so the scan looks for the bytes that
 * end or interrupt one (quote, backslash, NUL) sixteen at a time.
 */
#include "json_fast.h"

#include "utf8.h"

#if defined(__SSE2__) && !defined(GEMA_NO_SIMD)
#include <emmintrin.h>
#endif

/* The index of the first '"', '\\' or NUL in s[i..len), or len.  The high
 * bits of the bytes looked at are or-ed into *high (a few bytes past the
 * one found may be among them). */
static size_t find_special(const char *s, size_t len, size_t i, unsigned *high)
{
#if defined(__SSE2__) && !defined(GEMA_NO_SIMD)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i zero = _mm_setzero_si128();
    __m128i seen = zero;
    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        seen = _mm_or_si128(seen, x);
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
                                   _mm_cmpeq_epi8(x, zero));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask) {
            *high |= (unsigned)_mm_movemask_epi8(seen);
            return i + (size_t)__builtin_ctz(mask);
        }
        i += 16;
    }
    *high |= (unsigned)_mm_movemask_epi8(seen);
#endif
    for (; i < len && s[i] != '"' && s[i] != '\\' && s[i] != '\0'; i++) *high |= (unsigned char)s[i] & 0x80;
    return i;
}

/* A \u escape starting at s[i] (the backslash): its length (6, or 12 for a
 * surrogate pair) and its code point in *cp, or 0 when refused. */
static size_t u_escape(const char *s, size_t len, size_t i, int32_t *cp)
{
    long hi = gema_hex4(s, len, i + 2);
    if (hi <= 0 || (hi >= 0xDC00 && hi <= 0xDFFF)) return 0; /* \u0000, bad hex, lone low half */
    if (hi < 0xD800 || hi > 0xDBFF) {
        *cp = (int32_t)hi;
        return 6;
    }
    if (len - i < 12 || s[i + 6] != '\\' || s[i + 7] != 'u') return 0;
    long lo = gema_hex4(s, len, i + 8);
    if (lo < 0xDC00 || lo > 0xDFFF) return 0;
    *cp = (int32_t)(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
    return 12;
}

/* The length of the escape at s[i] (a backslash), 0 when refused; *one
 * receives the byte a one-byte escape stands for, or 0 for \u. */
static size_t escape(const char *s, size_t len, size_t i, char *one, int32_t *cp)
{
    if (len - i < 2) return 0;
    *one = 0;
    switch (s[i + 1]) {
    case '"': *one = '"'; return 2;
    case '\\': *one = '\\'; return 2;
    case '/': *one = '/'; return 2;
    case 'b': *one = '\b'; return 2;
    case 'f': *one = '\f'; return 2;
    case 'n': *one = '\n'; return 2;
    case 'r': *one = '\r'; return 2;
    case 't': *one = '\t'; return 2;
    case 'u': return u_escape(s, len, i, cp);
    default: return 0;
    }
}

/* s[i] is an opening quote.  Returns the index past the closing quote, or 0
 * when refused.  *escaped tells whether the string holds an escape, *high
 * (may be 0 for an ASCII string, see gema_jf_member.ascii) whether it holds
 * a byte above 0x7F.  When out is not NULL the decoded string is appended to
 * it (*nomem set when that fails). */
static size_t string_end(const char *s, size_t len, size_t i, int *escaped, unsigned *high,
                         gema_buf *out, int *nomem)
{
    *escaped = 0;
    *high = 0;
    i++;
    for (;;) {
        size_t from = i;
        i = find_special(s, len, i, high);
        if (i >= len || s[i] == '\0') return 0;
        if (out && i > from && gema_buf_append(out, s + from, i - from) != GEMA_OK) {
            *nomem = 1;
            return 0;
        }
        if (s[i] == '"') return i + 1;
        char one;
        int32_t cp = 0;
        size_t n = escape(s, len, i, &one, &cp);
        if (!n) return 0;
        *escaped = 1;
        i += n;
        if (!out) continue;
        char enc[4];
        size_t k = one ? 1 : gema_utf8_encode(cp, enc);
        if (gema_buf_append(out, one ? &one : enc, k) != GEMA_OK) {
            *nomem = 1;
            return 0;
        }
    }
}

/* White space as cJSON skips it, NUL excepted (a NUL is refused). */
static size_t skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (unsigned char)s[i] <= 0x20 && s[i] != '\0') i++;
    return i;
}

static size_t digits(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    return i;
}

/* A number in JSON's grammar, which strtod() reads whole as cJSON does as
 * long as it fits cJSON's 63-byte buffer. */
static size_t number_end(const char *s, size_t len, size_t i)
{
    size_t start = i;
    if (i < len && s[i] == '-') i++;
    if (i < len && s[i] == '0') i++;
    else if (i < len && s[i] >= '1' && s[i] <= '9') i = digits(s, len, i);
    else return 0;
    if (i < len && s[i] == '.') {
        size_t j = digits(s, len, i + 1);
        if (j == i + 1) return 0;
        i = j;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t j = digits(s, len, i);
        if (j == i) return 0;
        i = j;
    }
    return i - start <= 63 ? i : 0;
}

static size_t value_end(const char *s, size_t len, size_t i, int depth);

/* s[i] is '{' or '['.  Returns the index past the matching close, or 0. */
static size_t container_end(const char *s, size_t len, size_t i, int depth)
{
    if (depth >= GEMA_JF_MAX_DEPTH) return 0;
    char close = s[i] == '{' ? '}' : ']';
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == close) return i + 1;
    for (;;) {
        int escaped, nomem;
        unsigned high;
        if (close == '}') {
            if (i >= len || s[i] != '"') return 0;
            i = string_end(s, len, i, &escaped, &high, NULL, &nomem);
            if (!i) return 0;
            i = skip_ws(s, len, i);
            if (i >= len || s[i] != ':') return 0;
            i = skip_ws(s, len, i + 1);
        }
        i = value_end(s, len, i, depth + 1);
        if (!i) return 0;
        i = skip_ws(s, len, i);
        if (i >= len) return 0;
        if (s[i] == close) return i + 1;
        if (s[i] != ',') return 0;
        i = skip_ws(s, len, i + 1);
    }
}

/* One value starting at s[i]: the index past it, or 0 when refused. */
static size_t value_end(const char *s, size_t len, size_t i, int depth)
{
    if (i >= len) return 0;
    int escaped, nomem;
    unsigned high;
    switch (s[i]) {
    case '"': return string_end(s, len, i, &escaped, &high, NULL, &nomem);
    case '{':
    case '[': return container_end(s, len, i, depth);
    case 't': return len - i >= 4 && memcmp(s + i, "true", 4) == 0 ? i + 4 : 0;
    case 'f': return len - i >= 5 && memcmp(s + i, "false", 5) == 0 ? i + 5 : 0;
    case 'n': return len - i >= 4 && memcmp(s + i, "null", 4) == 0 ? i + 4 : 0;
    default: return number_end(s, len, i);
    }
}

/* The first of m[0..nm) still unfound that is named s[0..n), or NULL. */
static gema_jf_member *wanted(gema_jf_member *m, const size_t *name_len, size_t nm,
                              const char *s, size_t n)
{
    for (size_t k = 0; k < nm; k++)
        if (m[k].name && !m[k].v1 && name_len[k] == n && memcmp(m[k].name, s, n) == 0)
            return &m[k];
    return NULL;
}

int gema_jf_scan(const char *s, size_t len, gema_jf_member *m, size_t nm)
{
    if (!s || (nm && !m) || nm > 16) return GEMA_ERR_ARG;
    size_t name_len[16];
    for (size_t k = 0; k < nm; k++) {
        m[k].v0 = m[k].v1 = 0;
        m[k].escaped = m[k].ascii = 0;
        name_len[k] = m[k].name ? strlen(m[k].name) : 0;
        if (m[k].out) gema_buf_clear(m[k].out);
    }
    size_t i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    i = skip_ws(s, len, i);
    if (i >= len || s[i] != '{') return GEMA_ERR_FORMAT;
    i = skip_ws(s, len, i + 1);
    if (i < len && s[i] == '}') {
        i++;
    } else {
        for (;;) {
            int escaped, nomem = 0;
            unsigned high;
            if (i >= len || s[i] != '"') return GEMA_ERR_FORMAT;
            size_t k0 = i + 1;
            i = string_end(s, len, i, &escaped, &high, NULL, &nomem);
            if (!i || escaped) return GEMA_ERR_FORMAT; /* escaped names: cJSON decodes them */
            size_t klen = i - 1 - k0;
            gema_jf_member *w = wanted(m, name_len, nm, s + k0, klen);
            i = skip_ws(s, len, i);
            if (i >= len || s[i] != ':') return GEMA_ERR_FORMAT;
            i = skip_ws(s, len, i + 1);
            size_t v0 = i;
            if (!w) {
                i = value_end(s, len, i, 1);
            } else if (i < len && s[i] == '"') {
                i = string_end(s, len, i, &escaped, &high, w->out, &nomem);
                if (nomem) return GEMA_ERR_NOMEM;
                /* The same name may be asked for twice (url and site both "url"). */
                for (gema_jf_member *x = w; i && x; x = wanted(m, name_len, nm, s + k0, klen)) {
                    x->v0 = v0;
                    x->v1 = i;
                    x->escaped = escaped;
                    x->ascii = !high;
                    if (x != w && x->out && gema_jf_decode(s, x, x->out) != GEMA_OK)
                        return GEMA_ERR_NOMEM;
                }
            } else {
                return GEMA_ERR_FORMAT; /* not a string: cJSON decides what it means */
            }
            if (!i) return GEMA_ERR_FORMAT;
            i = skip_ws(s, len, i);
            if (i >= len) return GEMA_ERR_FORMAT;
            if (s[i] == '}') {
                i++;
                break;
            }
            if (s[i] != ',') return GEMA_ERR_FORMAT;
            i = skip_ws(s, len, i + 1);
        }
    }
    /* After the object the reader allows these four and nothing else. */
    for (; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return GEMA_ERR_FORMAT;
    return GEMA_OK;
}

int gema_jf_decode(const char *s, const gema_jf_member *m, gema_buf *out)
{
    gema_buf_clear(out);
    if (gema_buf_reserve(out, m->v1 - m->v0) != GEMA_OK) return GEMA_ERR_NOMEM;
    int escaped, nomem = 0;
    unsigned high;
    if (!string_end(s, m->v1, m->v0, &escaped, &high, out, &nomem)) return nomem ? GEMA_ERR_NOMEM : GEMA_ERR_FORMAT;
    return GEMA_OK;
}
