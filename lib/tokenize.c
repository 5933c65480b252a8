/*
 * tokenize.c - one pass from original text to tokens.
 *
 * Two paths produce identical token hashes:
 *
 *   - the general path walks code points.  ASCII letters and digits are
 *     lower-cased through a table; a token containing anything else is put
 *     through NFKC case folding once it is complete, so utf8proc only sees
 *     the (usually few) tokens that need it.  It also records spans and the
 *     normalised text when asked (GEMA_TOKENIZE_SPANS).
 *   - the block path classifies and lower-cases 64 bytes at a time with
 *     SSE2 and finds token boundaries with bit operations, so a word costs a
 *     hash call rather than a branch per byte.  It handles plain ASCII
 *     without apostrophes and hands anything else to the general path,
 *     token by token.  block_run gives hashes only (dedup's fingerprint);
 *     span_run gives spans, flags and the normalised text as well (stories,
 *     passages), which the general path alone still gives with
 *     GEMA_TOKENIZE_GENERAL, for the tests that compare the two.
 *
 * Apostrophes join: "don't" and "Jum'at" are single tokens with the
 * apostrophe dropped.  A leading or trailing apostrophe is a separator.
 */
#include "tokenize.h"

#include "utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    gema_buf_free(&t->lower);
    gema_norm_scratch_free(&t->scratch);
    if (t->sub) {
        gema_tokenizer_free(t->sub);
        free(t->sub);
    }
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
    const unsigned char *text; /* the original text */
    size_t start;      /* original byte offset, or SIZE_MAX when outside a token */
    size_t nstart;     /* offset in norm */
    int nonascii;      /* needs NFKC case folding */
    int upper;
} open_token;

/*
 * Would p[0..n), a token after NFKC case folding, tokenise as one token that
 * is all of it?  Not always: "½" folds to "1⁄2" (a fraction slash: a
 * separator), "㈠" to "(一)", Thai U+0E33 to a mark and a letter (a unit of
 * its own).  The rules are general_run's, read off the classes.
 */
static int folds_whole(const char *p, size_t n)
{
    size_t i = 0;
    int unit = -1; /* the token's kind once it has begun: 1 unit, 0 word */
    while (i < n) {
        int32_t cp;
        size_t k = gema_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        int cls = cp < 0x80 ? gema_ascii_class[cp] : gema_cp_class(cp);
        if (cls == GEMA_CC_MARK) {
            if (unit < 0) unit = 0; /* a stray mark starts a word */
        } else if (cls == GEMA_CC_WORD || cls == GEMA_CC_UNIT) {
            if (unit == 1 || (unit == 0 && cls == GEMA_CC_UNIT)) return 0;
            if (unit < 0) unit = cls == GEMA_CC_UNIT;
        } else {
            return 0; /* separators end it, apostrophes and ignorables would be dropped */
        }
        i += k;
    }
    return 1;
}

static int add_token(gema_tokenizer *t, uint64_t hash, size_t start, size_t end, size_t nstart,
                     size_t nlen, unsigned flags, unsigned tflags)
{
    if (t->count == t->cap && grow(t, flags) != GEMA_OK) return GEMA_ERR_NOMEM;
    t->hash[t->count] = hash;
    if (flags & GEMA_TOKENIZE_SPANS) {
        gema_token *k = &t->tok[t->count];
        k->start = (uint32_t)start;
        k->end = (uint32_t)end;
        k->nstart = (uint32_t)nstart;
        k->nlen = (uint16_t)(nlen > 0xFFFF ? 0xFFFF : nlen);
        k->flags = (uint16_t)tflags;
    }
    t->count++;
    return GEMA_OK;
}

/* The token whose folded form is norm[o->nstart..] does not fold whole:
 * replace it by the tokens of its folded form, each spanning the original
 * token, so that normalising the normalised text changes nothing. */
static int split_folded(gema_tokenizer *t, open_token *o, size_t end, unsigned flags)
{
    gema_buf *nb = &t->norm;
    if (!t->sub) {
        t->sub = malloc(sizeof *t->sub);
        if (!t->sub) return GEMA_ERR_NOMEM;
        gema_tokenizer_init(t->sub);
        t->sub->nested = 1;
    }
    gema_tokenizer *u = t->sub;
    if (gema_tokenize(u, nb->data + o->nstart, nb->len - o->nstart, GEMA_TOKENIZE_SPANS))
        return GEMA_ERR_NOMEM;
    nb->len = o->nstart;
    if (u->count == 0 && o->nstart > 0) nb->len = o->nstart - 1; /* drop the separating space */
    for (size_t k = 0; k < u->count; k++) {
        const gema_token *v = &u->tok[k];
        if (k > 0 && gema_buf_putc(nb, ' ') != GEMA_OK) return GEMA_ERR_NOMEM;
        size_t nstart = nb->len;
        if (gema_buf_append(nb, u->norm.data + v->nstart, v->nlen) != GEMA_OK)
            return GEMA_ERR_NOMEM;
        unsigned tflags = v->flags & (GEMA_TOK_UNIT | GEMA_TOK_NUMERIC);
        if (k == 0 && o->upper) tflags |= GEMA_TOK_UPPER;
        if (add_token(t, u->hash[k], o->start, end, nstart, v->nlen, flags, tflags) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    }
    nb->data[nb->len] = '\0';
    o->start = SIZE_MAX;
    if (!(flags & GEMA_TOKENIZE_SPANS)) nb->len = 0;
    return GEMA_OK;
}

static int finish(gema_tokenizer *t, open_token *o, size_t end, unsigned flags, int unit)
{
    if (o->start == SIZE_MAX) return GEMA_OK;
    gema_buf *nb = &t->norm;
    if (o->nonascii &&
        gema_nfkc_casefold_tail(nb, nb->len - o->nstart, &t->scratch) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    size_t nlen = nb->len - o->nstart;
    /* Most tokens fold to themselves (no case, or lower case already), and a
     * token tokenises as itself. */
    if (o->nonascii && nlen && !t->nested &&
        !(nlen == end - o->start && memcmp(nb->data + o->nstart, o->text + o->start, nlen) == 0) &&
        !folds_whole(nb->data + o->nstart, nlen))
        return split_folded(t, o, end, flags);
    if (nlen == 0) { /* only ignorable characters: no token */
        if (o->nstart > 0) nb->len = o->nstart - 1; /* drop the separating space */
        nb->data[nb->len] = '\0';
        o->start = SIZE_MAX;
        return GEMA_OK;
    }
    unsigned tflags = 0;
    if (flags & GEMA_TOKENIZE_SPANS) {
        int digits = 1;
        for (size_t j = 0; j < nlen && digits; j++)
            digits = nb->data[o->nstart + j] >= '0' && nb->data[o->nstart + j] <= '9';
        tflags = (unit ? GEMA_TOK_UNIT : 0) | (digits ? GEMA_TOK_NUMERIC : 0) |
                 (o->upper ? GEMA_TOK_UPPER : 0);
    }
    if (add_token(t, XXH3_64bits(nb->data + o->nstart, nlen), o->start, end, o->nstart, nlen,
                  flags, tflags) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    o->start = SIZE_MAX;
    if (!(flags & GEMA_TOKENIZE_SPANS)) nb->len = 0; /* only the hash was wanted */
    return GEMA_OK;
}

static void open_tok(gema_tokenizer *t, open_token *o, size_t at, unsigned flags)
{
    gema_buf *nb = &t->norm;
    if (nb->len && (flags & GEMA_TOKENIZE_SPANS)) gema_buf_putc_unchecked(nb, ' ');
    o->start = at;
    o->nstart = nb->len;
    o->nonascii = 0;
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

/*
 * The general path, from byte i (outside any token) on.  With `handback`
 * it returns as soon as it stands outside a token on an ASCII separator
 * after position i, so the block path can take over again; otherwise it
 * runs to the end.
 */
static int general_run(gema_tokenizer *t, const unsigned char *s, size_t len, size_t *pos,
                       unsigned flags, int handback)
{
    open_token o = { s, SIZE_MAX, 0, 0, 0 };
    int unit = 0; /* the open token is a unit character */
    size_t i = *pos, from = *pos;
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
                    open_tok(t, &o, i, flags);
                    unit = 0;
                    o.upper = c >= 'A' && c <= 'Z';
                }
                /* A run of ASCII letters and digits is lower-cased straight
                 * into the normalised buffer. */
                char *dst = t->norm.data + t->norm.len;
                char l;
                while (i < len && (l = gema_word_lower[s[i]]) != 0) {
                    *dst++ = l;
                    i++;
                }
                t->norm.len = (size_t)(dst - t->norm.data);
                continue;
            }
            if (cls == GEMA_CC_JOIN && o.start != SIZE_MAX && !unit &&
                word_follows(s, i + 1, len)) {
                i++;
                continue;
            }
            if (finish(t, &o, i, flags, unit)) return GEMA_ERR_NOMEM;
            if (handback && i > from && cls == GEMA_CC_SEP) break;
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
                open_tok(t, &o, i, flags);
                unit = cls == GEMA_CC_UNIT;
                o.upper = gema_cp_isupper(cp);
            }
            o.nonascii = 1;
            if (gema_buf_append(&t->norm, s + i, n) != GEMA_OK) return GEMA_ERR_NOMEM;
            break;
        case GEMA_CC_MARK:
            if (o.start == SIZE_MAX) { /* a stray mark starts a word of its own */
                if (gema_buf_reserve(&t->norm, len - i + 8) != GEMA_OK) return GEMA_ERR_NOMEM;
                open_tok(t, &o, i, flags);
                unit = 0;
            }
            o.nonascii = 1;
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
    if (i >= len && finish(t, &o, len, flags, unit)) return GEMA_ERR_NOMEM;
    *pos = i;
    return GEMA_OK;
}

/* flatten: inline XXH3's short-input path; a call per token costs more than the hash. */
__attribute__((flatten)) static int emit_hash(gema_tokenizer *t, const unsigned char *p, size_t n)
{
    if (t->count == t->cap && grow(t, 0) != GEMA_OK) return GEMA_ERR_NOMEM;
    t->hash[t->count++] = XXH3_64bits(p, n);
    return GEMA_OK;
}

/* Classify 64 bytes at p: returns a bit per byte the block path cannot
 * handle (non-ASCII, apostrophe), sets *word to a bit per ASCII letter or
 * digit and *digit to a bit per digit, and stores the bytes lower-cased to
 * dst. */
static inline uint64_t block64(const unsigned char *p, unsigned char *dst, uint64_t *word,
                               uint64_t *digit)
{
#if defined(__SSE2__)
    uint64_t w = 0, sp = 0, dg = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        /* Bytes >= 0x80 are negative as signed chars, so they fall outside
         * every range below and count only in the movemask of v. */
        __m128i num = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
        __m128i isword = _mm_or_si128(num, _mm_or_si128(upper, lower));
        __m128i apos = _mm_cmpeq_epi8(v, _mm_set1_epi8('\''));
        _mm_storeu_si128((__m128i *)(void *)(dst + 16 * k),
                         _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
        w |= (uint64_t)(unsigned)_mm_movemask_epi8(isword) << (16 * k);
        dg |= (uint64_t)(unsigned)_mm_movemask_epi8(num) << (16 * k);
        sp |= (uint64_t)(unsigned)(_mm_movemask_epi8(v) | _mm_movemask_epi8(apos)) << (16 * k);
    }
    *word = w;
    *digit = dg;
    return sp;
#else
    uint64_t w = 0, sp = 0, dg = 0;
    for (unsigned k = 0; k < 64; k++) {
        unsigned char c = p[k];
        char l = gema_word_lower[c];
        dst[k] = l ? (unsigned char)l : c;
        w |= (uint64_t)(l != 0) << k;
        dg |= (uint64_t)(c >= '0' && c <= '9') << k;
        sp |= (uint64_t)(c >= 0x80 || c == '\'') << k;
    }
    *word = w;
    *digit = dg;
    return sp;
#endif
}

/* The block at s[i..]: classified and lower-cased into low + i (the tail
 * padded with spaces), *word and *digit masked to the bytes before the
 * first one the block paths cannot handle, *stop that byte's position in
 * the block (64 when none, or the bytes left).  Returns the mask of the
 * bytes before *stop. */
static inline uint64_t next_block(const unsigned char *s, size_t len, size_t i, unsigned char *low,
                                  unsigned char pad[64], uint64_t *word, uint64_t *digit,
                                  size_t *stop)
{
    const unsigned char *p = s + i;
    size_t n = len - i;
    if (n < 64) {
        memset(pad, ' ', 64);
        memcpy(pad, p, n);
        p = pad;
    }
    uint64_t special = block64(p, low + i, word, digit);
    *stop = n < 64 ? n : 64;
    if (special) *stop = GEMA_MIN(*stop, (size_t)__builtin_ctzll(special));
    uint64_t keep = *stop == 64 ? ~0ULL : ((1ULL << *stop) - 1);
    *word &= keep;
    return keep;
}

/*
 * The block path, from byte *pos (outside any token) on, while the text is
 * ASCII without apostrophes.  Leaves *pos where the general path must take
 * over: at a byte it cannot handle, or at the start of a token that runs
 * into one; or at len.
 */
static int block_run(gema_tokenizer *t, const unsigned char *s, size_t len, size_t *pos)
{
    unsigned char *low = (unsigned char *)t->lower.data; /* aligned with s */
    unsigned char pad[64];
    size_t i = *pos, tok = SIZE_MAX;
    while (i < len) {
        uint64_t word, digit;
        size_t stop;
        uint64_t keep = next_block(s, len, i, low, pad, &word, &digit, &stop);
        /* Bits where the word/non-word state changes: token starts and ends. */
        uint64_t change = (word ^ ((word << 1) | (tok != SIZE_MAX))) & keep;
        while (change) {
            unsigned b = (unsigned)__builtin_ctzll(change);
            change &= change - 1;
            if ((word >> b) & 1) {
                tok = i + b;
            } else {
                if (emit_hash(t, low + tok, i + b - tok)) return GEMA_ERR_NOMEM;
                tok = SIZE_MAX;
            }
        }
        if (stop < 64) {
            i += stop;
            if (tok != SIZE_MAX) {
                if (i == len) {
                    if (emit_hash(t, low + tok, len - tok)) return GEMA_ERR_NOMEM;
                } else {
                    i = tok; /* the token runs into a byte only the general path handles */
                }
            }
            *pos = i;
            return GEMA_OK;
        }
        i += 64;
    }
    if (tok != SIZE_MAX && emit_hash(t, low + tok, len - tok)) return GEMA_ERR_NOMEM;
    *pos = len;
    return GEMA_OK;
}

/*
 * A token of the span path: low[a..b) is its lower-cased text, ASCII letters
 * and digits only, so it is its own normal form.  Appended to norm after a
 * space, as the general path's open_tok and finish would.
 */
static inline int emit_span(gema_tokenizer *t, const unsigned char *s, const unsigned char *low,
                            size_t a, size_t b, int numeric)
{
    if (t->count == t->cap && grow(t, GEMA_TOKENIZE_SPANS) != GEMA_OK) return GEMA_ERR_NOMEM;
    gema_buf *nb = &t->norm;
    size_t n = b - a;
    /* Room for the space, the token rounded up to 16 and the NUL. */
    if (nb->cap - nb->len < n + 34 && gema_buf_reserve(nb, n + 34) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    char *d = nb->data + nb->len;
    if (nb->len) *d++ = ' ';
    /* Copy in 16-byte pieces: the bytes past the token land beyond norm's
     * length and are overwritten by what comes next.  low has 64 bytes of
     * slack past the text, and 16-byte reads past the token stay in it. */
    for (size_t k = 0; k < n; k += 16) memcpy(d + k, low + a + k, 16);
    size_t nstart = (size_t)(d - nb->data);
    nb->len = nstart + n;
    gema_token *k = &t->tok[t->count];
    t->hash[t->count] = XXH3_64bits(d, n);
    k->start = (uint32_t)a;
    k->end = (uint32_t)b;
    k->nstart = (uint32_t)nstart;
    k->nlen = (uint16_t)(n > 0xFFFF ? 0xFFFF : n);
    k->flags = (uint16_t)((numeric ? GEMA_TOK_NUMERIC : 0) |
                          (s[a] >= 'A' && s[a] <= 'Z' ? GEMA_TOK_UPPER : 0));
    t->count++;
    return GEMA_OK;
}

/*
 * block_run for GEMA_TOKENIZE_SPANS: the same walk, emitting spans and the
 * normalised text as well.  A token is NUMERIC when no letter bit of the
 * blocks it lies in falls inside it; `alpha` carries that across blocks.
 * flatten: inline the token's emission with XXH3's short-input path; a call
 * per token costs more than the hash.
 */
__attribute__((flatten)) static int span_run(gema_tokenizer *t, const unsigned char *s, size_t len,
                                             size_t *pos)
{
    unsigned char *low = (unsigned char *)t->lower.data; /* aligned with s */
    unsigned char pad[64];
    size_t i = *pos, tok = SIZE_MAX;
    int alpha = 0; /* the open token had a letter in an earlier block */
    while (i < len) {
        uint64_t word, digit;
        size_t stop;
        uint64_t keep = next_block(s, len, i, low, pad, &word, &digit, &stop);
        uint64_t letters = word & ~digit;
        uint64_t change = (word ^ ((word << 1) | (tok != SIZE_MAX))) & keep;
        while (change) {
            unsigned b = (unsigned)__builtin_ctzll(change);
            change &= change - 1;
            if ((word >> b) & 1) {
                tok = i + b;
                alpha = 0;
            } else {
                /* Bits [tok, b) of this block: b < 64 here. */
                uint64_t in = ((1ULL << b) - 1) & (tok >= i ? ~((1ULL << (tok - i)) - 1) : ~0ULL);
                if (emit_span(t, s, low, tok, i + b, !alpha && !(letters & in)))
                    return GEMA_ERR_NOMEM;
                tok = SIZE_MAX;
            }
        }
        if (tok != SIZE_MAX)
            alpha |= (letters & (tok >= i ? ~((1ULL << (tok - i)) - 1) : ~0ULL)) != 0;
        if (stop < 64) {
            i += stop;
            if (tok != SIZE_MAX) {
                if (i == len) {
                    if (emit_span(t, s, low, tok, len, !alpha)) return GEMA_ERR_NOMEM;
                } else {
                    i = tok; /* the token runs into a byte only the general path handles */
                }
            }
            *pos = i;
            return GEMA_OK;
        }
        i += 64;
    }
    if (tok != SIZE_MAX && emit_span(t, s, low, tok, len, !alpha)) return GEMA_ERR_NOMEM;
    *pos = len;
    return GEMA_OK;
}

int gema_tokenize(gema_tokenizer *t, const char *text, size_t len, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len > GEMA_TOKENIZE_MAX_BYTES) len = GEMA_TOKENIZE_MAX_BYTES;
    t->count = 0;
    gema_buf_clear(&t->norm);
    if ((flags & GEMA_TOKENIZE_SPANS) && !t->tok && t->cap) {
        t->tok = gema_alloc_array(t->cap, sizeof *t->tok);
        if (!t->tok) return GEMA_ERR_NOMEM;
    }
    size_t i = 0;
    if (flags & GEMA_TOKENIZE_SPANS) {
        /* The normalised text is at most the input plus one space per byte;
         * NFKC growth is handled by gema_nfkc_casefold_tail's own appends. */
        if (gema_buf_reserve(&t->norm, len * 2 + 16) != GEMA_OK) return GEMA_ERR_NOMEM;
        if (flags & GEMA_TOKENIZE_GENERAL) return general_run(t, s, len, &i, flags, 0);
    }
    gema_buf_clear(&t->lower);
    if (gema_buf_reserve(&t->lower, len + 64) != GEMA_OK) return GEMA_ERR_NOMEM;
    while (i < len) {
        int rc = flags & GEMA_TOKENIZE_SPANS ? span_run(t, s, len, &i) : block_run(t, s, len, &i);
        if (rc == GEMA_OK && i < len) rc = general_run(t, s, len, &i, flags, 1);
        if (rc != GEMA_OK) return rc;
    }
    /* The general path leaves an ASCII last token unterminated, and the span
     * path copies past it: terminate here, so norm reads as a string. */
    if (flags & GEMA_TOKENIZE_SPANS) t->norm.data[t->norm.len] = '\0';
    return GEMA_OK;
}

void gema_tokens_digest(const gema_tokenizer *t, uint64_t out[2])
{
    XXH128_hash_t h = XXH3_128bits(t->hash, t->count * sizeof *t->hash);
    out[0] = h.high64;
    out[1] = h.low64;
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
    rc = gema_tokenize(&t, fixed, flen, GEMA_TOKENIZE_SPANS);
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
