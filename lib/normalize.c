/*
 * normalize.c - character classes and NFKC case folding for matching.
 *
 * Which scripts count as "written without spaces" is decided by code point
 * block, since utf8proc carries no script property: Thai, Lao, Myanmar,
 * Khmer, Han (with its radicals, extensions and compatibility ideographs),
 * Hiragana, Katakana and Bopomofo.  Hangul is written with spaces and stays
 * with words.
 */
#include "normalize.h"

#include <utf8proc.h>

const unsigned char gema_ascii_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

const char gema_word_lower[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0,
    0, 0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 'f', 'g',
    'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
    't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k',
    'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0,
};

static int unspaced_script(int32_t cp)
{
    return (cp >= 0x0E00 && cp <= 0x0EFF) ||   /* Thai, Lao */
           (cp >= 0x1000 && cp <= 0x109F) ||   /* Myanmar */
           (cp >= 0x1780 && cp <= 0x17FF) ||   /* Khmer */
           (cp >= 0x19E0 && cp <= 0x19FF) ||   /* Khmer symbols */
           (cp >= 0x2E80 && cp <= 0x2FDF) ||   /* CJK radicals, Kangxi */
           (cp >= 0x3040 && cp <= 0x31FF) ||   /* kana, Bopomofo, CJK strokes */
           (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK unified ideographs */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* CJK compatibility ideographs */
           (cp >= 0xFF66 && cp <= 0xFF9F) ||   /* half-width katakana */
           (cp >= 0x20000 && cp <= 0x3FFFF);   /* CJK extensions B.. */
}

int gema_cp_class(int32_t cp)
{
    switch (cp) {
    case 0x2019: case 0x02BC: case 0xFF07:
        return GEMA_CC_JOIN;
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return GEMA_CC_IGNORE;
    default:
        break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return unspaced_script(cp) ? GEMA_CC_UNIT : GEMA_CC_WORD;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return GEMA_CC_WORD;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return GEMA_CC_MARK;
    default:
        return GEMA_CC_SEP;
    }
}

int gema_cp_isupper(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

void gema_norm_scratch_free(gema_norm_scratch *s)
{
    free(s->cps);
    s->cps = NULL;
    s->cap = 0;
}

static int scratch_reserve(gema_norm_scratch *s, size_t n)
{
    if (n <= s->cap) return GEMA_OK;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < n) cap *= 2;
    int32_t *p = gema_realloc_array(s->cps, cap, sizeof *p);
    if (!p) return GEMA_ERR_NOMEM;
    s->cps = p;
    s->cap = cap;
    return GEMA_OK;
}

int gema_nfkc_casefold_tail(gema_buf *out, size_t len, gema_norm_scratch *s)
{
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    const utf8proc_uint8_t *src = (const utf8proc_uint8_t *)out->data + out->len - len;
    /* Decomposition can grow a string (U+FDFA becomes 18 code points); ask
     * utf8proc how much room it needs and retry once with that. */
    if (scratch_reserve(s, len * 2 + 8) != GEMA_OK) return GEMA_ERR_NOMEM;
    utf8proc_ssize_t n = utf8proc_decompose(src, (utf8proc_ssize_t)len, s->cps,
                                            (utf8proc_ssize_t)s->cap - 1,
                                            (opt & ~(utf8proc_option_t)UTF8PROC_COMPOSE) | UTF8PROC_DECOMPOSE);
    if (n >= (utf8proc_ssize_t)s->cap - 1) {
        if (scratch_reserve(s, (size_t)n + 2) != GEMA_OK) return GEMA_ERR_NOMEM;
        n = utf8proc_decompose(src, (utf8proc_ssize_t)len, s->cps,
                               (utf8proc_ssize_t)s->cap - 1,
                               (opt & ~(utf8proc_option_t)UTF8PROC_COMPOSE) | UTF8PROC_DECOMPOSE);
    }
    if (n < 0) return GEMA_OK; /* input is valid UTF-8; leave it as it is */
    utf8proc_ssize_t bytes = utf8proc_reencode(s->cps, n, opt);
    if (bytes < 0) return GEMA_OK;
    out->len -= len;
    if (gema_buf_append(out, s->cps, (size_t)bytes) != GEMA_OK) return GEMA_ERR_NOMEM;
    return GEMA_OK;
}
