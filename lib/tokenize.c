/*
 * tokenize.c - one pass from original text to tokens.
 *
 * The loop is built for mostly-ASCII news text: an ASCII byte costs one table
 * look-up and one store into the normalised buffer.  A token that contains
 * anything else is put through NFKC case folding once it is complete, so
 * utf8proc only sees the (usually few) tokens that need it.
 *
 * Apostrophes join: "don't" and "Jum'at" are single tokens with the
 * apostrophe dropped.  A leading or trailing apostrophe is a separator.
 */
#include "tokenize.h"

#include "utf8.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

void gema_tokenizer_init(gema_tokenizer *t)
{
    memset(t, 0, sizeof *t);
}

void gema_tokenizer_free(gema_tokenizer *t)
{
    free(t->tok);
    free(t->hash);
    gema_buf_free(&t->norm);
    gema_norm_scratch_free(&t->scratch);
    memset(t, 0, sizeof *t);
}

static int grow(gema_tokenizer *t, unsigned flags)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *h = gema_realloc_array(t->hash, cap, sizeof *h);
    if (!h) return GEMA_ERR_NOMEM;
    t->hash = h;
    if (flags & GEMA_TOKENIZE_SPANS || t->tok) {
        gema_token *k = gema_realloc_array(t->tok, cap, sizeof *k);
        if (!k) return GEMA_ERR_NOMEM;
        t->tok = k;
    }
    t->cap = cap;
    return GEMA_OK;
}

/* State of the token being built. */
typedef struct {
    size_t start;      /* original byte offset, or SIZE_MAX when outside a token */
    size_t nstart;     /* offset in norm */
    int nonascii;      /* needs NFKC case folding */
    int digits_only;
    int upper;
} open_token;

static int finish(gema_tokenizer *t, open_token *o, size_t end, unsigned flags, int unit)
{
    if (o->start == SIZE_MAX) return GEMA_OK;
    gema_buf *nb = &t->norm;
    if (o->nonascii &&
        gema_nfkc_casefold_tail(nb, nb->len - o->nstart, &t->scratch) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    size_t nlen = nb->len - o->nstart;
    if (nlen == 0) { /* only ignorable characters: no token */
        if (o->nstart > 0) nb->len = o->nstart - 1; /* drop the separating space */
        nb->data[nb->len] = '\0';
        o->start = SIZE_MAX;
        return GEMA_OK;
    }
    if (t->count == t->cap && grow(t, flags) != GEMA_OK) return GEMA_ERR_NOMEM;
    t->hash[t->count] = XXH3_64bits(nb->data + o->nstart, nlen);
    if (flags & GEMA_TOKENIZE_SPANS) {
        gema_token *k = &t->tok[t->count];
        k->start = (uint32_t)o->start;
        k->end = (uint32_t)end;
        k->nstart = (uint32_t)o->nstart;
        k->nlen = (uint16_t)(nlen > 0xFFFF ? 0xFFFF : nlen);
        k->flags = (uint16_t)((unit ? GEMA_TOK_UNIT : 0) |
                              (o->digits_only ? GEMA_TOK_NUMERIC : 0) |
                              (o->upper ? GEMA_TOK_UPPER : 0));
    }
    t->count++;
    o->start = SIZE_MAX;
    return GEMA_OK;
}

static void open_tok(gema_tokenizer *t, open_token *o, size_t at)
{
    gema_buf *nb = &t->norm;
    if (nb->len) gema_buf_putc_unchecked(nb, ' ');
    o->start = at;
    o->nstart = nb->len;
    o->nonascii = 0;
    o->digits_only = 1;
    o->upper = 0;
}

/* Is the character at s[i] a word character?  Decides whether an apostrophe
 * joins two parts of a word or ends it. */
static int word_follows(const unsigned char *s, size_t i, size_t len)
{
    if (i >= len) return 0;
    if (s[i] < 0x80) return gema_ascii_class[s[i]] == GEMA_CC_WORD;
    int32_t cp;
    gema_utf8_decode(s + i, len - i, &cp);
    return gema_cp_class(cp) == GEMA_CC_WORD;
}

int gema_tokenize(gema_tokenizer *t, const char *text, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len > GEMA_TOKENIZE_MAX_BYTES) len = GEMA_TOKENIZE_MAX_BYTES;
    t->count = 0;
    gema_buf_clear(&t->norm);
    /* The normalised text is at most the input plus one space per byte;
     * NFKC growth is handled by gema_nfkc_casefold_tail's own appends. */
    if (gema_buf_reserve(&t->norm, len * 2 + 16) != GEMA_OK) return GEMA_ERR_NOMEM;
    if ((flags & GEMA_TOKENIZE_SPANS) && !t->tok && t->cap) {
        t->tok = gema_alloc_array(t->cap, sizeof *t->tok);
        if (!t->tok) return GEMA_ERR_NOMEM;
    }

    open_token o = { SIZE_MAX, 0, 0, 0, 0 };
    int unit = 0; /* the open token is a unit character */
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            int cls = gema_ascii_class[c];
            if (cls == GEMA_CC_WORD) {
                if (o.start != SIZE_MAX && unit) {
                    if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
                }
                if (o.start == SIZE_MAX) {
                    if (gema_buf_reserve(&t->norm, len - i + 8) != GEMA_OK) return GEMA_ERR_NOMEM;
                    open_tok(t, &o, i);
                    unit = 0;
                    o.upper = c >= 'A' && c <= 'Z';
                }
                o.digits_only &= c >= '0' && c <= '9';
                gema_buf_putc_unchecked(&t->norm, gema_ascii_lower[c]);
                i++;
                continue;
            }
            if (cls == GEMA_CC_JOIN && o.start != SIZE_MAX && !unit &&
                word_follows(s, i + 1, len)) {
                i++;
                continue;
            }
            if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
            i++;
            continue;
        }

        int32_t cp;
        size_t n = gema_utf8_decode(s + i, len - i, &cp);
        int cls = gema_cp_class(cp);
        switch (cls) {
        case GEMA_CC_WORD:
        case GEMA_CC_UNIT:
            if (o.start != SIZE_MAX && (unit || cls == GEMA_CC_UNIT)) {
                if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
            }
            if (o.start == SIZE_MAX) {
                if (gema_buf_reserve(&t->norm, len - i + 8) != GEMA_OK) return GEMA_ERR_NOMEM;
                open_tok(t, &o, i);
                unit = cls == GEMA_CC_UNIT;
                o.upper = gema_cp_isupper(cp);
            }
            o.nonascii = 1;
            o.digits_only = 0;
            if (gema_buf_append(&t->norm, s + i, n) != GEMA_OK) return GEMA_ERR_NOMEM;
            break;
        case GEMA_CC_MARK:
            if (o.start == SIZE_MAX) { /* a stray mark starts a word of its own */
                if (gema_buf_reserve(&t->norm, len - i + 8) != GEMA_OK) return GEMA_ERR_NOMEM;
                open_tok(t, &o, i);
                unit = 0;
            }
            o.nonascii = 1;
            o.digits_only = 0;
            if (gema_buf_append(&t->norm, s + i, n) != GEMA_OK) return GEMA_ERR_NOMEM;
            break;
        case GEMA_CC_IGNORE:
            break;
        case GEMA_CC_JOIN:
            if (o.start != SIZE_MAX && !unit && word_follows(s, i + n, len)) break;
            if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
            break;
        default:
            if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
            break;
        }
        i += n;
    }
    if (finish(t, &o, len, flags, unit)) return GEMA_ERR_NOMEM;
    return GEMA_OK;
}

int gema_normalize(const char *text, size_t len, char **out, size_t *out_len)
{
    if ((!text && len) || !out) return GEMA_ERR_ARG;
    char *fixed = NULL;
    size_t flen = 0;
    int rc = gema_utf8_fix(text, len, &fixed, &flen);
    if (rc != GEMA_OK) return rc;
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    rc = gema_tokenize(&t, fixed, flen, 0);
    free(fixed);
    if (rc == GEMA_OK) {
        char *s = malloc(t.norm.len + 1);
        if (!s) rc = GEMA_ERR_NOMEM;
        else {
            if (t.norm.len) memcpy(s, t.norm.data, t.norm.len);
            s[t.norm.len] = '\0';
            *out = s;
            if (out_len) *out_len = t.norm.len;
        }
    }
    gema_tokenizer_free(&t);
    return rc;
}
