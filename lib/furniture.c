/*
 * furniture.c - lines, their normalised hashes and shape, and the rules that
 * decide which lines are page furniture.
 *
 * Cost: gema_lines_split() is one pass over the bytes with a 256-entry class
 * table, writing the normalised line and hashing it with XXH3; it is the
 * only work done on every byte.  The rules look at the per-line counts it
 * leaves; word lists are consulted only for the few lines a rule is unsure
 * of (short lines, colon lines, headings near the end), so a long article
 * paragraph costs nothing beyond the split.
 *
 * The in-document rules follow the lead of jusText (Pomikalek, "Removing
 * Boilerplate and Duplicate Content from Web Corpora", PhD thesis, Masaryk
 * University 2011): classify lines by length, stop-word density and shape,
 * then use position relative to the body.  Unlike jusText they never remove
 * a line for being short or poor in stop words alone, because headlines,
 * subheadings and one-line quotes look like that too: a line goes only with
 * positive evidence (a label, the shape of a link list or a menu, a date, a
 * credit) or, outside the body, when it is a fragment of at most two words
 * (three with a digit: "Version 1.94.0") that ends no sentence.
 */
#include "furniture.h"

#include "date.h"
#include "normalize.h"
#include "utf8.h"

#include <stdio.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Byte classes for the split loop. */
enum { C_OTHER = 0, C_SPACE, C_LOWER, C_UPPER, C_DIGIT, C_END, C_HIGH, C_NL };

static const unsigned char cls[256] = {
    ['\t'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE, [' '] = C_SPACE,
    ['\n'] = C_NL,
    ['.'] = C_END, ['!'] = C_END, ['?'] = C_END,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    ['a'] = C_LOWER, ['b'] = C_LOWER, ['c'] = C_LOWER, ['d'] = C_LOWER, ['e'] = C_LOWER,
    ['f'] = C_LOWER, ['g'] = C_LOWER, ['h'] = C_LOWER, ['i'] = C_LOWER, ['j'] = C_LOWER,
    ['k'] = C_LOWER, ['l'] = C_LOWER, ['m'] = C_LOWER, ['n'] = C_LOWER, ['o'] = C_LOWER,
    ['p'] = C_LOWER, ['q'] = C_LOWER, ['r'] = C_LOWER, ['s'] = C_LOWER, ['t'] = C_LOWER,
    ['u'] = C_LOWER, ['v'] = C_LOWER, ['w'] = C_LOWER, ['x'] = C_LOWER, ['y'] = C_LOWER,
    ['z'] = C_LOWER,
    ['A'] = C_UPPER, ['B'] = C_UPPER, ['C'] = C_UPPER, ['D'] = C_UPPER, ['E'] = C_UPPER,
    ['F'] = C_UPPER, ['G'] = C_UPPER, ['H'] = C_UPPER, ['I'] = C_UPPER, ['J'] = C_UPPER,
    ['K'] = C_UPPER, ['L'] = C_UPPER, ['M'] = C_UPPER, ['N'] = C_UPPER, ['O'] = C_UPPER,
    ['P'] = C_UPPER, ['Q'] = C_UPPER, ['R'] = C_UPPER, ['S'] = C_UPPER, ['T'] = C_UPPER,
    ['U'] = C_UPPER, ['V'] = C_UPPER, ['W'] = C_UPPER, ['X'] = C_UPPER, ['Y'] = C_UPPER,
    ['Z'] = C_UPPER,
#define H16(b) [b] = C_HIGH, [b + 1] = C_HIGH, [b + 2] = C_HIGH, [b + 3] = C_HIGH, \
    [b + 4] = C_HIGH, [b + 5] = C_HIGH, [b + 6] = C_HIGH, [b + 7] = C_HIGH, [b + 8] = C_HIGH, \
    [b + 9] = C_HIGH, [b + 10] = C_HIGH, [b + 11] = C_HIGH, [b + 12] = C_HIGH, \
    [b + 13] = C_HIGH, [b + 14] = C_HIGH, [b + 15] = C_HIGH
    H16(0x80), H16(0x90), H16(0xA0), H16(0xB0), H16(0xC0), H16(0xD0), H16(0xE0), H16(0xF0)
#undef H16
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 32);
}

void gema_lines_free(gema_lines *ls)
{
    free(ls->line);
    gema_buf_free(&ls->norm);
    gema_u64vec_free(&ls->scratch);
    gema_u64vec_free(&ls->scratch2);
    gema_words_free(&ls->own_words);
    memset(ls, 0, sizeof *ls);
}

/* Is the non-ASCII character at s (valid UTF-8, n bytes left) an upper-case
 * letter, a letter at all? */
static void high_letter(const char *s, size_t n, int *letter, int *upper)
{
    int32_t cp;
    gema_utf8_decode((const unsigned char *)s, n, &cp);
    int c = gema_cp_class(cp);
    *letter = c == GEMA_CC_WORD || c == GEMA_CC_UNIT;
    *upper = *letter && gema_cp_isupper(cp);
}

/* Shape flags of the line s[0..n) that the split loop does not track. */
static uint8_t line_shape(const char *s, size_t n)
{
    uint8_t f = 0;
    size_t e = n;
    /* Closing quotes and brackets may follow the sentence end: ." .) .” */
    for (;;) {
        while (e > 0 && cls[(unsigned char)s[e - 1]] == C_SPACE) e--;
        if (e == 0) break;
        unsigned char c = (unsigned char)s[e - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '*') { e--; continue; }
        if (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) { e -= 3; continue; }  /* ” ’ */
        break;
    }
    if (e > 0) {
        unsigned char c = (unsigned char)s[e - 1];
        if (c == '.' || c == '!' || c == '?') f |= GEMA_LINE_END | GEMA_LINE_SENT;
        else if (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
                 c == 0xA6) f |= GEMA_LINE_END | GEMA_LINE_SENT;  /* … */
    }
    size_t t = n;
    while (t > 0 && cls[(unsigned char)s[t - 1]] == C_SPACE) t--;
    if (t > 0 && s[t - 1] == ':') f |= GEMA_LINE_COLON;
    size_t b = 0;
    while (b < n && cls[(unsigned char)s[b]] == C_SPACE) b++;
    if (b < n) {
        unsigned char c = (unsigned char)s[b];
        if ((c == '-' || c == '*' || c == '>' || c == '+') && b + 1 < n && s[b + 1] == ' ')
            f |= GEMA_LINE_BULLET;
        else if (c == 0xC2 && b + 1 < n && ((unsigned char)s[b + 1] == 0xBB ||  /* » */
                                            (unsigned char)s[b + 1] == 0xB7))   /* · */
            f |= GEMA_LINE_BULLET;
        else if (c == 0xE2 && b + 2 < n) {
            unsigned char c1 = (unsigned char)s[b + 1], c2 = (unsigned char)s[b + 2];
            if ((c1 == 0x80 && (c2 == 0xA2 || c2 == 0x93 || c2 == 0x94)) || /* • – — */
                (c1 == 0x96 && (c2 == 0xAA || c2 == 0xBA || c2 == 0xB8)) ||  /* ▪ ► ▸ */
                (c1 == 0x86 && c2 == 0x92))                                   /* → */
                f |= GEMA_LINE_BULLET;
        }
    }
    return f;
}

/*
 * Blocks of bytes at a time: sixteen with SSE2 (every x86-64), eight as
 * 64-bit words (SWAR) elsewhere or when built with -DGEMA_NO_SIMD.  Most
 * bytes of news text are ASCII letters, single spaces and punctuation; a
 * block of such bytes is normalised (upper case folded), counted and copied
 * with a few word-wide operations instead of a loop over classes.  A block
 * holding anything else (a byte under 0x20 such as the newline, a digit, a
 * byte of a multi-byte character, two spaces in a row, a space that would
 * lead or double the normalised line) goes to the byte loop, which stays
 * the reference: all paths give the same lines, counts and hashes
 * (tests/unit/test_furniture.c compares them with a plain reimplementation
 * on generated text).
 */

/* The state of a line being split, shared by both paths. */
typedef struct {
    uint32_t words, digits;
    int in_word, sent, pending_space;
} split_state;

#if defined(__SSE2__) && !defined(GEMA_NO_SIMD)
#include <emmintrin.h>

#define BLOCK 16

static unsigned count16(unsigned m)
{
    m = m - ((m >> 1) & 0x5555);
    m = (m & 0x3333) + ((m >> 2) & 0x3333);
    m = (m + (m >> 4)) & 0x0F0F;
    return (m + (m >> 8)) & 0x1F;
}

/* Take the plain bytes at the start of the block at text[i..i+16) (see
 * above): how many (0 if the first is not).  Bit j of a mask is byte j. */
static size_t split_block(split_state *st, const char *text, size_t i, size_t len, char *norm,
                          size_t *np, size_t nstart)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
    unsigned space = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
    __m128i ctrl = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));  /* and bytes >= 0x80 */
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    /* Stop at a control byte (newline, tab), a byte of a multi-byte
     * character (negative as signed), a digit, the second of two spaces, or
     * a space that would lead or double the normalised line. */
    unsigned bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(ctrl, digit)) | (space & (space << 1));
    if ((space & 1) && (*np == nstart || norm[*np - 1] == ' ')) bad |= 1;
    size_t take = bad ? (size_t)__builtin_ctz(bad) : 16;
    if (!take) return 0;
    unsigned keep = take == 16 ? 0xFFFF : (1u << take) - 1;
    space &= keep;
    __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                                  _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
    if (st->pending_space && !(space & 1)) norm[(*np)++] = ' ';
    unsigned nonspace = ~space & keep;
    st->words += count16(nonspace & ((space << 1) | (st->in_word ? 0 : 1)));
    if (!st->sent) {
        __m128i e = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('!'))),
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('?')));
        unsigned end = (unsigned)_mm_movemask_epi8(e) & keep;
        if (((end << 1) & space) ||
            ((end >> (take - 1)) && i + take < len && cls[(unsigned char)text[i + take]] == C_SPACE))
            st->sent = 1;
    }
    /* All sixteen bytes are stored; only `take` count (the buffer has room:
     * the normalised text never outgrows the text). */
    _mm_storeu_si128((__m128i *)(void *)(norm + *np),
                     _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
    *np += take;
    st->in_word = (int)((nonspace >> (take - 1)) & 1);
    st->pending_space = 0;
    return take;
}

#else

#define BLOCK 8
#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

static uint64_t load64(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static void store64(char *p, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    memcpy(p, &x, 8);
}

/* Per-byte masks (bit 7 of each byte) for bytes that are all below 0x80:
 * byte >= c, byte == c.  No carry crosses a byte. */
static uint64_t ge8(uint64_t x, unsigned c) { return (x + (0x80 - c) * ONES) & HIGH; }
static uint64_t eq8(uint64_t x, unsigned c) { return ~((x ^ (c * ONES)) + 0x7F * ONES) & HIGH; }
/* Bytes set in a mask: one multiply, no popcount instruction needed. */
static unsigned count8(uint64_t m) { return (unsigned)(((m >> 7) * ONES) >> 56); }

/* Take the plain bytes at the start of the block at text[i..i+8) (see
 * above): how many (0 if the first is not). */
static size_t split_block(split_state *st, const char *text, size_t i, size_t len, char *norm,
                          size_t *np, size_t nstart)
{
    uint64_t x = load64(text + i);
    uint64_t high = x & HIGH;
    uint64_t y = x & ~HIGH;  /* the masks below need bytes under 0x80 */
    uint64_t space = eq8(y, ' ') & ~high;
    uint64_t bad = high | (~ge8(y, 0x20) & HIGH) | (ge8(y, '0') & ~ge8(y, '9' + 1)) |
                   (space & (space << 8));
    if ((space & 0x80) && (*np == nstart || norm[*np - 1] == ' ')) bad |= 0x80;
    size_t take = bad ? (size_t)__builtin_ctzll(bad) / 8 : 8;
    if (!take) return 0;
    uint64_t keep = take == 8 ? ~0ULL : (1ULL << (8 * take)) - 1;
    space &= keep;
    uint64_t upper = ge8(y, 'A') & ~ge8(y, 'Z' + 1) & keep;
    if (st->pending_space && !(space & 0x80)) norm[(*np)++] = ' ';
    uint64_t nonspace = HIGH & ~space & keep;
    st->words += count8(nonspace & ((space << 8) | (st->in_word ? 0 : 0x80)));
    if (!st->sent) {
        uint64_t end = (eq8(y, '.') | eq8(y, '!') | eq8(y, '?')) & keep;
        if (((end << 8) & space) ||
            ((end >> (8 * take - 1)) && i + take < len && cls[(unsigned char)text[i + take]] == C_SPACE))
            st->sent = 1;
    }
    /* All eight bytes are stored; only `take` count (the buffer has room:
     * the normalised text never outgrows the text). */
    store64(norm + *np, x | (upper >> 2));
    *np += take;
    st->in_word = (int)((nonspace >> (8 * take - 1)) & 1);
    st->pending_space = 0;
    return take;
}

#endif

/* Letters, words starting with a letter (capitalised or not) and camel-case
 * joints of line L, in one pass over the line's bytes. */
static void measure(const char *text, gema_line *L)
{
    uint32_t alpha = 0, capw = 0, letters = 0, camel = 0;
    int in_word = 0, prev_lower = 0;
    for (size_t i = L->start; i < L->end;) {
        unsigned char c = (unsigned char)text[i];
        unsigned k = cls[c];
        if (k == C_SPACE || (c == 0xC2 && i + 1 < L->end && (unsigned char)text[i + 1] == 0xA0)) {
            i += k == C_SPACE ? 1 : 2;
            in_word = prev_lower = 0;
            continue;
        }
        int word_start = !in_word;
        in_word = 1;
        size_t n = 1;
        int letter = 0, upper = 0;
        if (k == C_LOWER) letter = 1;
        else if (k == C_UPPER) letter = upper = 1;
        else if (k == C_HIGH) {
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (n > L->end - i) n = L->end - i;
            high_letter(text + i, L->end - i, &letter, &upper);
        }
        if (letter) {
            letters++;
            if (word_start) {
                alpha++;
                capw += (uint32_t)upper;
            }
            camel += (uint32_t)(upper && prev_lower);
        }
        prev_lower = letter && !upper;
        i += n;
    }
    L->alpha_words = alpha;
    L->cap_words = capw;
    L->letters = letters;
    L->camel = camel;
    L->flags |= GEMA_LINE_MEASURED;
}

/* The lines of a gema_lines are its own (the const is the callers'), so
 * counting in place is sound. */
const gema_line *gema_line_shape(const gema_lines *ls, const gema_line *L)
{
    if (!(L->flags & GEMA_LINE_MEASURED)) measure(ls->text, (gema_line *)L);
    return L;
}

/* A wire credit at the end of line s[0..n) after the end of a sentence:
 * " (Reuters)", " (ANTARA)", " (AFP)", one capitalised word of two to twelve
 * letters in parentheses.  Returns the length of the normalised line
 * norm[0..nlen) without it, or 0 when there is none.  An outlet adds such a
 * credit to a few paragraphs of its copy of a wire story; without it the
 * paragraph is the one other outlets print. */
static size_t wire_credit(const char *s, size_t n, const char *norm, size_t nlen)
{
    if (n < 8 || s[n - 1] != ')') return 0;
    size_t k = n - 1, letters = 0;
    while (k > 0 && ((s[k - 1] >= 'a' && s[k - 1] <= 'z') || (s[k - 1] >= 'A' && s[k - 1] <= 'Z'))) {
        k--;
        letters++;
    }
    if (letters < 2 || letters > 12 || k < 4 || s[k - 1] != '(' || s[k - 2] != ' ') return 0;
    if (s[k] < 'A' || s[k] > 'Z') return 0;
    size_t e = k - 2; /* the end of the sentence before it */
    while (e > 0 && s[e - 1] == ' ') e--;
    if (e == 0) return 0;
    unsigned char p = (unsigned char)s[e - 1];
    int sentence = p == '.' || p == '!' || p == '?' || p == '"' || p == '\'' ||
                   (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
                    (p == 0x9D || p == 0x99)); /* closing quotes ” ’ */
    if (!sentence || nlen < letters + 4) return 0;
    size_t cut = nlen - letters - 3;
    if (norm[cut] != ' ' || norm[cut + 1] != '(' || norm[nlen - 1] != ')') return 0;
    return cut;
}

int gema_lines_split(gema_lines *ls, const char *text, size_t len)
{
    ls->n = 0;
    ls->text = text;
    gema_buf_clear(&ls->norm);
    if (gema_buf_reserve(&ls->norm, len + 2) != GEMA_OK) return GEMA_ERR_NOMEM;
    char *norm = ls->norm.data;
    size_t np = 0;
    size_t cont = 0;    /* UTF-8 continuation bytes so far: code points = bytes - cont */
    size_t i = 0;
    while (i < len) {
        if (ls->n == ls->cap) {
            size_t cap = ls->cap ? ls->cap * 2 : 64;
            gema_line *p = gema_realloc_array(ls->line, cap, sizeof *p);
            if (!p) return GEMA_ERR_NOMEM;
            ls->line = p;
            ls->cap = cap;
        }
        gema_line *L = &ls->line[ls->n++];
        memset(L, 0, sizeof *L);
        L->start = i;
        L->cp_start = i - cont;
        L->nstart = np;
        split_state st = { 0, 0, 0, 0, 0 };
        uint64_t dsig = 0;  /* the digits the normalised line folded to 0 */
        /* The normalised line: no leading space, one space between runs. */
        size_t stop = i;    /* the byte loop runs to here, then blocks again */
        while (i < len) {
            if (i >= stop) {
                size_t took = len - i >= BLOCK ? split_block(&st, text, i, len, norm, &np, L->nstart) : 0;
                i += took;
                /* A whole block: try the next; part of one: the byte loop
                 * takes the byte that stopped it, then blocks again; none:
                 * the byte loop takes a block's worth (text in another
                 * script would fail at every byte). */
                stop = took == BLOCK ? i : took ? i + 1 : i + BLOCK;
                if (took) continue;
            }
            unsigned char c = (unsigned char)text[i];
            unsigned k = cls[c];
            if (k == C_NL) break;
            if (k == C_SPACE || (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] == 0xA0)) {
                if (k != C_SPACE) {  /* NBSP is two bytes */
                    i++;
                    cont++;
                }
                i++;
                if (st.in_word) st.pending_space = 1;
                st.in_word = 0;
                continue;
            }
            if (st.pending_space) {
                norm[np++] = ' ';
                st.pending_space = 0;
            }
            if (!st.in_word) st.words++;
            st.in_word = 1;
            switch (k) {
            case C_LOWER: {
                /* Most bytes of news text: copy the run at once. */
                size_t j = i + 1;
                while (j < len && cls[(unsigned char)text[j]] == C_LOWER) j++;
                memcpy(norm + np, text + i, j - i);
                np += j - i;
                i = j;
                break;
            }
            case C_UPPER:
                norm[np++] = (char)(c | 0x20);
                i++;
                break;
            case C_DIGIT:
                st.digits++;
                norm[np++] = '0';
                for (; i < len && cls[(unsigned char)text[i]] == C_DIGIT; i++)
                    dsig = (dsig ^ (unsigned char)text[i]) * 0x100000001B3ULL;
                dsig = (dsig ^ 0xFF) * 0x100000001B3ULL;  /* "1 23" is not "12 3" */
                break;
            case C_HIGH: {
                size_t n = 1;
                if (c >= 0xF0) n = 4;
                else if (c >= 0xE0) n = 3;
                else if (c >= 0xC0) n = 2;
                if (n > len - i) n = len - i;
                for (size_t j = 0; j < n; j++) cont += ((unsigned char)text[i + j] & 0xC0) == 0x80;
                memcpy(norm + np, text + i, n);
                np += n;
                i += n;
                break;
            }
            case C_END:
                /* A sentence ends inside the line: ". " followed by more. */
                if (i + 1 < len && cls[(unsigned char)text[i + 1]] == C_SPACE) st.sent = 1;
                /* fall through */
            default:
                norm[np++] = (char)c;
                i++;
            }
        }
        size_t end = i;
        if (end > L->start && text[end - 1] == '\r') end--;
        L->end = end;
        L->cp_end = end - cont;
        L->next = i < len ? i + 1 : len;
        /* A block may have copied the line's trailing space. */
        if (np > L->nstart && norm[np - 1] == ' ') np--;
        L->nlen = np - L->nstart;
        L->words = st.words;
        L->digits = st.digits;
        if (L->nlen == 0) {
            L->flags = GEMA_LINE_BLANK;
            L->hash = 0;
        } else {
            L->flags = line_shape(text + L->start, L->end - L->start);
            if (st.sent) L->flags |= GEMA_LINE_SENT;
            L->hash = XXH3_64bits(norm + L->nstart, L->nlen);
            if (L->hash == 0) L->hash = 1;
            L->exact = dsig ? mix64(L->hash ^ dsig) : L->hash;
            if (L->exact == 0) L->exact = 1;
            L->wire = L->exact;
            size_t cut = wire_credit(text + L->start, L->end - L->start, norm + L->nstart, L->nlen);
            if (cut) {
                uint64_t h = XXH3_64bits(norm + L->nstart, cut);
                L->wire = dsig ? mix64(h ^ dsig) : h;
                if (L->wire == 0) L->wire = 1;
            }
        }
        norm[np++] = '\n';
        if (i < len) i++; /* past the '\n'; a final one starts no empty line */
    }
    ls->norm.len = np;
    norm[np] = '\0';
    return GEMA_OK;
}

int gema_lines_distinct(gema_lines *ls, size_t *n)
{
    ls->scratch.len = 0;
    for (size_t k = 0; k < ls->n; k++)
        if (ls->line[k].hash && gema_u64vec_push(&ls->scratch, ls->line[k].hash) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    *n = gema_u64_sort_unique(ls->scratch.v, ls->scratch.len);
    return GEMA_OK;
}

void gema_furniture_repeated(const gema_furniture_model *m, uint64_t site, gema_lines *ls)
{
    if (!m || !m->furniture.len) return;
    for (size_t k = 0; k < ls->n; k++) {
        gema_line *L = &ls->line[k];
        if (!L->hash || L->reason) continue;
        uint32_t c = gema_pairtab_get(&m->furniture, L->hash, site);
        if (c) {
            L->reason = GEMA_CLEAN_REPEATED;
            L->count = c;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Helpers over one line                                                    */
/* ------------------------------------------------------------------------ */

typedef struct {
    gema_lines *ls;
    const char *text;
    const char *norm;
    const gema_pairtab *shared;
    uint64_t article[GEMA_ARTICLE_KEYS];
} ctx;

void gema_lines_articles(const gema_lines *ls, size_t end, uint64_t article[GEMA_ARTICLE_KEYS])
{
    size_t best[GEMA_ARTICLE_KEYS], len[GEMA_ARTICLE_KEYS];
    for (int j = 0; j < GEMA_ARTICLE_KEYS; j++) {
        best[j] = SIZE_MAX;
        len[j] = 0;
    }
    for (size_t k = 0; k < end && k < ls->n; k++) {
        const gema_line *L = &ls->line[k];
        if (!L->hash || L->reason) continue;
        /* Insert into the top list, longest first, earlier first on ties. */
        int j = GEMA_ARTICLE_KEYS;
        while (j > 0 && L->nlen > len[j - 1]) j--;
        if (j == GEMA_ARTICLE_KEYS) continue;
        for (int t = GEMA_ARTICLE_KEYS - 1; t > j; t--) {
            best[t] = best[t - 1];
            len[t] = len[t - 1];
        }
        best[j] = k;
        len[j] = L->nlen;
    }
    for (int j = 0; j < GEMA_ARTICLE_KEYS; j++)
        article[j] = best[j] == SIZE_MAX ? 0 : ls->line[best[j]].exact;
}

/* 1 if shared lists line L with one of the articles. */
static int shared_with(const ctx *x, const gema_line *L, const uint64_t article[GEMA_ARTICLE_KEYS])
{
    for (int j = 0; j < GEMA_ARTICLE_KEYS && x->shared && x->shared->len; j++)
        if (article[j] && gema_pairtab_get(x->shared, gema_shared_key(article[j], L->wire), 0))
            return 1;
    return 0;
}

/* A rule wants line L gone: 1 if it may go, 0 if other sites carry it with
 * the same article (then it is flagged and kept: text that travels with an
 * article between sites is the article's, whatever its shape). */
static int may_remove(const ctx *x, gema_line *L)
{
    if (L->flags & GEMA_LINE_SHARED) return 0;
    if (shared_with(x, L, x->article)) {
        L->flags |= GEMA_LINE_SHARED;
        return 0;
    }
    return 1;
}

static const char *nline(const ctx *x, const gema_line *L) { return x->norm + L->nstart; }

static int starts_with(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

static int ends_with(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s + n - k, p, k) == 0;
}

/* memchr for the first byte, then memcmp: on lines of a few dozen bytes
 * this beats memmem, whose setup costs more than the search. */
static int contains(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (k == 0) return 1;
    for (const char *q = s, *e = s + n; (size_t)(e - q) >= k; q++) {
        q = memchr(q, p[0], (size_t)(e - q) - k + 1);
        if (!q) return 0;
        if (memcmp(q + 1, p + 1, k - 1) == 0) return 1;
    }
    return 0;
}

/* Stop words of each language among the line's words (normalised form). */
static void stopwords(const char *s, size_t n, unsigned *id, unsigned *en, unsigned *words)
{
    *id = *en = *words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !(s[i] >= 'a' && s[i] <= 'z') && !((unsigned char)s[i] >= 0x80)) i++;
        size_t b = i;
        int ascii = 1;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (unsigned char)s[i] >= 0x80)) {
            if ((unsigned char)s[i] >= 0x80) ascii = 0;
            i++;
        }
        if (i == b) break;
        (*words)++;
        if (!ascii) continue;
        int lang = gema_stopword_lang(s + b, i - b);
        if (lang & 1) (*id)++;
        if (lang & 2) (*en)++;
    }
}

static int title_shaped(const gema_lines *ls, const gema_line *L)
{
    return !(L->flags & GEMA_LINE_END) && L->words >= 2 && L->words <= 30 &&
           gema_line_shape(ls, L)->alpha_words >= 2 && L->cap_words * 2 >= L->alpha_words;
}

/* "March 12, 2021 [10:02]" and "Dec. 5, 2009": the parser reads day-month-
 * year, so move the day in front and ask again.  s is lower case. */
static int month_first(const char *s, size_t n)
{
    static const char *const months[] = {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "januari", "februari", "maret",
        "mei", "juni", "juli", "agustus", "oktober", "desember", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "agu", "sep", "sept", "oct", "okt", "nov", "dec", "des", NULL
    };
    size_t m = 0;
    while (m < n && s[m] >= 'a' && s[m] <= 'z') m++;
    int known = 0;
    for (int j = 0; months[j] && !known; j++)
        known = strlen(months[j]) == m && memcmp(months[j], s, m) == 0;
    if (!known) return 0;
    size_t i = m;
    if (i < n && s[i] == '.') i++;
    while (i < n && s[i] == ' ') i++;
    size_t d0 = i;
    while (i < n && i - d0 < 2 && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d0 || (i < n && s[i] >= '0' && s[i] <= '9')) return 0;
    size_t d1 = i;
    if (i < n && s[i] == ',') i++;
    char buf[128];
    int len = snprintf(buf, sizeof buf, "%.*s %.*s %.*s", (int)(d1 - d0), s + d0, (int)m, s,
                       (int)(n - i), s + i);
    if (len <= 0 || (size_t)len >= sizeof buf) return 0;
    return gema_parse_date(buf, (size_t)len) != GEMA_TIME_NONE;
}

/* A date alone, maybe after a weekday or a "Published:"-style label, maybe
 * with a time and zone; the date parser decides. */
static int dateline(const char *s, size_t n, const gema_line *L)
{
    if (n > 80 || L->words > 10 || L->digits == 0 || (L->flags & GEMA_LINE_SENT)) return 0;
    static const char *const skip[] = {
        "senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "published", "updated", "posted", "diterbitkan", "diperbarui", "dipublikasikan",
        "terbit", "diposting", "last updated", "pembaruan terakhir", "on", NULL
    };
    char buf[96];
    size_t k = 0;
    /* Lower-case copy without the separators the parser does not take. */
    for (size_t i = 0; i < n && k + 1 < sizeof buf; i++) {
        char c = s[i];
        if (c == '|') c = ' ';
        buf[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    buf[k] = '\0';
    size_t b = 0;
    for (int again = 1; again;) {
        again = 0;
        while (b < k && (buf[b] == ' ' || buf[b] == ',' || buf[b] == ':' || buf[b] == '-')) b++;
        for (int j = 0; skip[j]; j++) {
            size_t m = strlen(skip[j]);
            if (k - b > m && memcmp(buf + b, skip[j], m) == 0 &&
                (buf[b + m] == ' ' || buf[b + m] == ',' || buf[b + m] == ':')) {
                b += m;
                again = 1;
                break;
            }
        }
    }
    while (k > b && (buf[k - 1] == ' ' || buf[k - 1] == '|' || buf[k - 1] == '-')) k--;
    if (k <= b) return 0;
    if (gema_parse_date(buf + b, k - b) != GEMA_TIME_NONE) return 1;
    if (month_first(buf + b, k - b)) return 1;
    /* "16/12/2021, 01:02 WIB" and "16 Desember 2021 | 01:02": the parser
     * takes commas as spaces already; try without a trailing zone word. */
    size_t e = k;
    while (e > b && buf[e - 1] != ' ') e--;
    if (e > b + 6 && gema_parse_date(buf + b, e - 1 - b) != GEMA_TIME_NONE) {
        static const char *const zones[] = { "wib", "wita", "wit", "gmt", "utc", "et", "est",
                                             "edt", "pt", "pst", "pdt", "bst", "cet", NULL };
        for (int j = 0; zones[j]; j++)
            if (k - e == strlen(zones[j]) && memcmp(buf + e, zones[j], k - e) == 0) return 1;
    }
    return 0;
}

/* "(Sumber: Kremlin)", "(ANTARA FOTO/Aditya)", "(AP Photo/Evan Vucci)" at the
 * end of a line: a photo credit, so the line is a caption. */
static int caption(const char *s, size_t n, const gema_line *L)
{
    if (L->words > 45) return 0;
    while (n > 0 && cls[(unsigned char)s[n - 1]] == C_SPACE) n--;
    if (n < 4 || s[n - 1] != ')') return 0;
    size_t o = n - 1;
    while (o > 0 && s[o - 1] != '(' && n - o < 80) o--;
    if (o == 0 || s[o - 1] != '(') return 0;
    const char *p = s + o;
    size_t m = n - 1 - o;
    if (!memchr(p, ':', m) && !memchr(p, '/', m)) return 0;
    static const char *const credit[] = {
        "sumber", "foto", "photo", "source", "credit", "dok", "doc", "image", "gambar",
        "ilustrasi", "istimewa", "ist", "antara", "reuters", "ap", "afp", "getty", "epa",
        "shutterstock", "screenshot", "tangkapan layar", "pixabay", "unsplash", "youtube",
        "instagram", "twitter", "net", "kredit", NULL
    };
    char w[24];
    size_t k = 0;
    while (k < m && k + 1 < sizeof w && p[k] != ':' && p[k] != '/' && p[k] != '.') {
        char c = p[k];
        w[k++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    while (k > 0 && w[k - 1] == ' ') k--;
    w[k] = '\0';
    for (int j = 0; credit[j]; j++) {
        size_t cl = strlen(credit[j]);
        if (k >= cl && memcmp(w, credit[j], cl) == 0 && (k == cl || w[cl] == ' ')) return 1;
    }
    return 0;
}

/* A copyright sign before a year or a name ("\xC2\xA9 2025 PT Dynamo", "\xC2\xA9 Reuters"); a
 * sign inside a word ("clich\xC3\x83\xC2\xA9", mojibake of "clich\xC3\xA9") is not one. */
static int copyright_sign(const char *s, size_t n)
{
    const char *e = s + n;
    for (const char *p = s; e - p >= 2 && (p = memchr(p, 0xC2, (size_t)(e - p) - 1)) != NULL; p++) {
        if ((unsigned char)p[1] != 0xA9) continue;
        const char *q = p + 2;
        while (q < e && *q == ' ') q++;
        if (q < e && ((*q >= '0' && *q <= '9') || (*q >= 'A' && *q <= 'Z'))) return 1;
    }
    return 0;
}

/* Separators between link texts: " | ", " · ", " • ", " » ". */
static unsigned separators(const char *s, size_t n)
{
    unsigned c = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i - 1] != ' ') continue;
        if (s[i] == '|' && s[i + 1] == ' ') c++;
        else if (i + 2 < n && (unsigned char)s[i] == 0xC2 &&
                 ((unsigned char)s[i + 1] == 0xB7 || (unsigned char)s[i + 1] == 0xBB) && s[i + 2] == ' ')
            c++;
        else if (i + 3 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 (unsigned char)s[i + 2] == 0xA2 && s[i + 3] == ' ')
            c++;
    }
    return c;
}

/* ------------------------------------------------------------------------ */
/* Rules                                                                    */
/* ------------------------------------------------------------------------ */

static int next_nonblank(const gema_lines *ls, size_t k)
{
    for (size_t j = k + 1; j < ls->n; j++)
        if (!(ls->line[j].flags & GEMA_LINE_BLANK)) return (int)j;
    return -1;
}

/* Rules that look at one line alone. */
static int line_rule(const ctx *x, size_t k)
{
    const gema_line *L = &x->ls->line[k];
    const char *n = nline(x, L);
    size_t nn = L->nlen;
    const char *s = x->text + L->start;
    size_t sn = L->end - L->start;

    /* Known labels: the whole line, or a label and a colon. */
    int kind = nn <= 48 ? gema_label_kind(n, nn) : 0;
    if (kind) return kind;
    if (L->words <= 30) {
        /* "Tags: a, b" and "Sumber: Reuters" never end a sentence; a linked
         * headline or a caption may. */
        kind = gema_label_prefix_kind(n, nn);
        if (kind && (kind != GEMA_CLEAN_LABEL || !(L->flags & GEMA_LINE_END))) return kind;
    }
    /* A label glued to the line before it in the page ("menitADVERTISEMENT"),
     * and reading-time badges. */
    if (L->words <= 8) {
        if (ends_with(n, nn, "advertisement") || ends_with(n, nn, "advertisment") ||
            (ends_with(n, nn, "iklan") && (nn == 5 || !(n[nn - 6] >= 'a' && n[nn - 6] <= 'z'))))
            return GEMA_CLEAN_LABEL;
        if ((L->digits && (contains(n, nn, "waktu baca 0") || contains(n, nn, "0 menit baca") ||
                           contains(n, nn, "0 min read") || contains(n, nn, "0 mins read") ||
                           contains(n, nn, "0 minute read") || contains(n, nn, "0 minutes read") ||
                           contains(n, nn, "lama baca 0"))) ||
            contains(n, nn, "reading time"))
            return GEMA_CLEAN_LABEL;
    }
    /* A short line ending in a colon with nothing after it in its paragraph
     * ("Bagikan:", "Share:"): a label, unless it introduces a quote ("Dia
     * mengatakan:", "Cruz continued:"): those have function words or a
     * lower-case verb. */
    if ((L->flags & GEMA_LINE_COLON) && L->words <= 2 && L->digits == 0 &&
        gema_line_shape(x->ls, L)->cap_words == L->alpha_words) {
        int nb = next_nonblank(x->ls, k);
        int alone = nb < 0 || nb != (int)k + 1 || (x->ls->line[nb].flags & GEMA_LINE_BULLET);
        unsigned id, en, w;
        stopwords(n, nn, &id, &en, &w);
        if (alone && id + en == 0) return GEMA_CLEAN_LABEL;
    }
    /* Menus: link texts glued together by the page's markup disappearing
     * ("Tentang KamiPedoman Media SiberKetentuan ..."), or set apart by
     * separators ("Home | News | Sport"). */
    if (!(L->flags & GEMA_LINE_SENT)) {
        if (gema_line_shape(x->ls, L)->camel >= 3) return GEMA_CLEAN_MENU;
        unsigned sep = separators(s, sn);
        if (sep >= 2 && L->words <= (sep + 1) * 4) return GEMA_CLEAN_MENU;
    }
    /* Copyright notices are short; a long line mentioning copyright is about
     * it ("Copyright (c) 2015 by ... Reprinted courtesy of ..."). */
    if (L->words <= 15 &&
        (copyright_sign(s, sn) || (L->digits && contains(n, nn, "(c) 0")) ||
         contains(n, nn, "copyright") || contains(n, nn, "hak cipta") ||
         (contains(n, nn, "reserved") &&
          (contains(n, nn, "all rights reserved") || contains(n, nn, "all right reserved")))))
        return GEMA_CLEAN_COPYRIGHT;
    if (dateline(s, sn, L)) return GEMA_CLEAN_DATELINE;
    /* "By Jane Doe", "Oleh Ahmad Sahroji": a byline is a name, capitalised. */
    if ((starts_with(n, nn, "by ") || starts_with(n, nn, "oleh ") || starts_with(n, nn, "posted by ") ||
         starts_with(n, nn, "ditulis oleh ") || starts_with(n, nn, "written by ")) &&
        L->words <= 7 && !(L->flags & GEMA_LINE_SENT) &&
        gema_line_shape(x->ls, L)->cap_words + 1 >= L->alpha_words)
        return GEMA_CLEAN_BYLINE;
    if (caption(s, sn, L)) return GEMA_CLEAN_CAPTION;
    return 0;
}

/* A line that may be one link of a list: bulleted, or shaped like a title. */
static int link_item(const gema_lines *ls, const gema_line *L)
{
    if (L->flags & GEMA_LINE_BLANK) return 0;
    /* A bulleted headline may end in "?" or "…", or hold "Dr." */
    if (L->flags & GEMA_LINE_BULLET) return L->words <= 20;
    return title_shaped(ls, L) && !(L->flags & GEMA_LINE_COLON) &&
           L->cap_words * 5 >= L->alpha_words * 3;
}

/* "Baca juga:" and the links after it.  The lead was marked LINK_LIST by the
 * label rules; only a lead alone on its line opens a list (an inline link,
 * "Baca juga: Title", is a single line). */
static void link_lists(const ctx *x)
{
    gema_lines *ls = x->ls;
    for (size_t k = 0; k < ls->n; k++) {
        gema_line *L = &ls->line[k];
        if (!L->reason || gema_label_kind(ls->norm.data + L->nstart, L->nlen) != GEMA_CLEAN_LINK_LIST)
            continue;
        size_t items = 0;
        for (size_t j = k + 1; j < ls->n && items < 12; j++) {
            gema_line *M = &ls->line[j];
            if (M->flags & GEMA_LINE_BLANK) {
                /* Blank lines may separate the links, not end the list,
                 * when the next line is bulleted. */
                int nb = next_nonblank(ls, j);
                if (nb < 0 || !(ls->line[nb].flags & GEMA_LINE_BULLET)) break;
                continue;
            }
            if (M->reason && M->reason != GEMA_CLEAN_LINK_LIST) continue;
            if (!link_item(ls, M) || !may_remove(x, M)) break;
            M->reason = GEMA_CLEAN_LINK_LIST;
            items++;
        }
    }
}

/* A body line: long enough and built like prose. */
static int body_line(const ctx *x, const gema_line *L)
{
    if (L->reason || (L->flags & GEMA_LINE_BLANK) || L->words < 8) return 0;
    if (L->flags & GEMA_LINE_SENT) return 1;
    unsigned id, en, w;
    stopwords(nline(x, L), L->nlen, &id, &en, &w);
    return w && (id + en) * 4 >= w;
}

/* Outside the body (before its first line, after its last) fragments of up
 * to two words, three with a digit ("Version 1.94.0", "Uncategorized";
 * "Banjir Melanda Semarang" is a headline) are furniture, and so
 * are lines of symbols alone and runs of three or more bulleted title-shaped
 * lines (related links).  Inside the body a line of symbols ("***") is kept:
 * it separates sections of the article. */
static void edges(const ctx *x, size_t first, size_t last)
{
    gema_lines *ls = x->ls;
    for (size_t k = 0; k < ls->n; k++) {
        if (k >= first && k <= last) continue;
        gema_line *L = &ls->line[k];
        if (L->reason || (L->flags & (GEMA_LINE_BLANK | GEMA_LINE_SHARED))) continue;
        uint8_t why = 0;
        if (L->digits == 0 && gema_line_shape(ls, L)->letters == 0) why = GEMA_CLEAN_NO_TEXT;
        else if ((L->words <= 2 || (L->words == 3 && L->digits)) && !(L->flags & GEMA_LINE_END))
            why = GEMA_CLEAN_EDGE;
        if (why && may_remove(x, L)) L->reason = why;
    }
    for (size_t k = 0; k < ls->n;) {
        size_t j = k, items = 0;
        while (j < ls->n && (j < first || j > last)) {
            gema_line *M = &ls->line[j];
            if (M->flags & GEMA_LINE_BLANK) { j++; continue; }
            if (M->reason == 0 && (M->flags & GEMA_LINE_BULLET) && link_item(ls, M) && may_remove(x, M)) {
                items++;
                j++;
                continue;
            }
            break;
        }
        if (items >= 3)
            for (size_t t = k; t < j; t++)
                if (!(ls->line[t].flags & GEMA_LINE_BLANK)) ls->line[t].reason = GEMA_CLEAN_LINK_LIST;
        k = j > k ? j : k + 1;
    }
}

/* "4. Kim Yong Ju, ...": a heading numbered like a list item. */
static int numbered(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] >= '0' && s[i] <= '9') i++;
    return i > 0 && i < n - 1 && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

#define APPEND_MIN_TAIL 10    /* distinct content words the tail needs to be judged */
#define APPEND_MIN_HEAD 20
#define APPEND_MAX_CANDIDATES 8

static int kept(const gema_line *L) { return !L->reason && !(L->flags & GEMA_LINE_BLANK); }

/*
 * Content words for the cohesion measure: words of three bytes or more that
 * are not stop words, known by their first five bytes (a crude stem:
 * "negara" and "negara-negara", "meninggal" and "meninggalkan" meet) packed
 * into an integer.  Each distinct word gets a slot of a gema_words that counts
 * the lines it occurs in, in all and above the candidate being judged;
 * ls->scratch holds the slot of every occurrence, line after line.
 */
void gema_words_free(gema_words *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static uint32_t word_slot(gema_words *t, uint64_t key)
{
    for (size_t h = (size_t)mix64(key) & t->mask;; h = (h + 1) & t->mask) {
        gema_word *w = &t->slot[h];
        if (w->gen != t->gen) {
            *w = (gema_word){ key, 0, 0, 0, 0, t->gen };
            return (uint32_t)h;
        }
        if (w->key == key) return (uint32_t)h;
    }
}

/* The occurrences of line k's content words into ls->scratch; counts. */
static int line_words(gema_lines *ls, gema_words *t, const char *s, size_t n, uint32_t line)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && !(s[i] >= 'a' && s[i] <= 'z') && !((unsigned char)s[i] >= 0x80)) i++;
        size_t b = i;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (unsigned char)s[i] >= 0x80)) i++;
        size_t m = i - b;
        if (m < 3 || gema_stopword_lang(s + b, m)) continue;
        uint64_t key = 0;
        memcpy(&key, s + b, m < 5 ? m : 5);
        uint32_t slot = word_slot(t, key);
        gema_word *w = &t->slot[slot];
        if (w->last_all != line) {
            if (!w->all && gema_u64vec_push(&ls->scratch2, slot) != GEMA_OK) return GEMA_ERR_NOMEM;
            w->last_all = line;
            w->all++;
        }
        if (gema_u64vec_push(&ls->scratch, slot) != GEMA_OK) return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
}

typedef struct {
    size_t head, tail;     /* distinct content words above and from the candidate */
    size_t common;         /* ... in both */
    size_t topics;         /* words of at least two lines above (what the article is about) */
    size_t topics_kept;    /* ... that the tail still uses */
} cohesion;

/*
 * A trailing block about something else: some pages append the start of
 * another story (the next item of a list page, a teaser) below the article.
 * Candidates start at a heading-shaped line in the last two thirds of the
 * text, followed by prose and shorter than what precedes it.  The block from
 * there to the end is cut when it does not cohere with the text above, in
 * the sense of lexical cohesion (Hearst, "TextTiling", Computational
 * Linguistics 1997): the same story keeps naming the same people, places and
 * things.  Two measures, over content words:
 *   - overlap: the share of the block's words found above;
 *   - topic coverage: the share of the words that recur in the text above
 *     (in two lines or more: what the article is about) that the block uses.
 * A continuation shares many words and keeps to the topic words; a different
 * story shares only general vocabulary.  Cut when the overlap is under 0.15
 * (0.25 after a heading numbered like a list item, "4. Kim Yong Ju..."), or
 * under 0.4 when the block, long enough to be judged (15 words), covers
 * under a tenth of the topic words.  The least overlapping candidate wins.
 * The limits were read off the furniture benchmark (doc/BENCHMARKS.md).
 */
static int appended(const ctx *x)
{
    gema_lines *ls = x->ls;
    size_t total = 0;
    for (size_t k = 0; k < ls->n; k++)
        if (kept(&ls->line[k])) total += ls->line[k].nlen;
    if (total < 400) return GEMA_OK;
    /* Candidates, from the end (the last few are the plausible ones). */
    size_t cand[APPEND_MAX_CANDIDATES], ncand = 0;
    size_t after = 0, body_after = 0;
    for (size_t k = ls->n; k-- > 0 && ncand < APPEND_MAX_CANDIDATES;) {
        const gema_line *L = &ls->line[k];
        if (!kept(L)) continue;
        size_t before = total - after - L->nlen;
        if (before * 3 >= total && body_after && after + L->nlen <= before && title_shaped(ls, L) &&
            !(L->flags & (GEMA_LINE_BULLET | GEMA_LINE_COLON | GEMA_LINE_SHARED)) &&
            L->words >= 3 && L->words <= 25)
            cand[ncand++] = k;
        after += L->nlen;
        body_after += L->words >= 8;
    }
    if (!ncand) return GEMA_OK;
    /* A table of at least twice as many slots as words can occur (each
     * takes three bytes and a separator). */
    size_t cap = 64;
    while (cap < total / 2) cap *= 2;
    gema_words *t = ls->words ? ls->words : &ls->own_words;
    if (cap > t->cap) {
        gema_word *p = gema_alloc_array(cap, sizeof *p);   /* zeroed: generation 0 */
        if (!p) return GEMA_ERR_NOMEM;
        free(t->slot);
        t->slot = p;
        t->cap = cap;
    }
    t->mask = cap - 1;
    if (++t->gen == 0) {
        memset(t->slot, 0, t->cap * sizeof *t->slot);
        t->gen = 1;
    }
    size_t *woff = gema_alloc_array(ls->n + 1, sizeof *woff);
    if (!woff) return GEMA_ERR_NOMEM;
    ls->scratch.len = ls->scratch2.len = 0;   /* occurrences; distinct slots */
    int rc = GEMA_OK;
    for (size_t k = 0; k < ls->n && rc == GEMA_OK; k++) {
        woff[k] = ls->scratch.len;
        if (kept(&ls->line[k]))
            rc = line_words(ls, t, nline(x, &ls->line[k]), ls->line[k].nlen, (uint32_t)k + 1);
    }
    woff[ls->n] = ls->scratch.len;
    size_t best = SIZE_MAX;
    double best_score = 2;
    /* Candidates from the top down, the text above each growing. */
    size_t upto = 0;
    for (size_t c = ncand; c-- > 0 && rc == GEMA_OK;) {
        size_t k = cand[c];
        for (; upto < k; upto++)
            for (size_t o = woff[upto]; o < woff[upto + 1]; o++) {
                gema_word *w = &t->slot[ls->scratch.v[o]];
                if (w->last_head != upto + 1) {
                    w->last_head = (uint32_t)upto + 1;
                    w->head++;
                }
            }
        cohesion co = { 0, 0, 0, 0, 0 };
        for (size_t d = 0; d < ls->scratch2.len; d++) {
            const gema_word *w = &t->slot[ls->scratch2.v[d]];
            int in_tail = w->all > w->head;
            co.head += w->head > 0;
            co.tail += (size_t)in_tail;
            co.common += w->head > 0 && in_tail;
            co.topics += w->head >= 2;
            co.topics_kept += w->head >= 2 && in_tail;
        }
        if (co.tail < APPEND_MIN_TAIL || co.head < APPEND_MIN_HEAD) continue;
        const gema_line *L = &ls->line[k];
        int num = numbered(x->text + L->start, L->end - L->start);
        double overlap = (double)co.common / (double)co.tail;
        double coverage = co.topics ? (double)co.topics_kept / (double)co.topics : 1;
        int cut = overlap < (num ? 0.25 : 0.15) ||
                  (co.tail >= 15 && co.topics >= 10 && coverage < 0.1 && overlap < 0.4);
        if (cut && (overlap < best_score || (overlap == best_score && k < best))) {
            best_score = overlap;
            best = k;
        }
    }
    free(woff);
    if (rc != GEMA_OK || best == SIZE_MAX) return rc;
    /* A block other sites carry with the article above it is that
     * article's.  (With the article of the whole document, a block that
     * travels with its own story elsewhere would shield itself.) */
    if (x->shared && x->shared->len) {
        uint64_t above[GEMA_ARTICLE_KEYS];
        gema_lines_articles(ls, best, above);
        for (size_t j = best; j < ls->n; j++)
            if (kept(&ls->line[j]) && shared_with(x, &ls->line[j], above)) return GEMA_OK;
    }
    for (size_t j = best; j < ls->n; j++)
        if (kept(&ls->line[j])) ls->line[j].reason = GEMA_CLEAN_APPENDED;
    return GEMA_OK;
}

/* A line printed twice in one document (a headline above and again at the
 * top of the article, a pull quote) is read once: later copies of a line of
 * four words or more go.  Short lines may repeat for a reason (speaker
 * labels of a transcript, "***"). */
static int duplicates(const ctx *x)
{
    gema_lines *ls = x->ls;
    ls->scratch.len = 0;
    for (size_t k = 0; k < ls->n; k++)
        if (kept(&ls->line[k]) && ls->line[k].words >= 4 &&
            gema_u64vec_push(&ls->scratch, ls->line[k].hash) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    size_t n = ls->scratch.len;
    if (n < 2 || gema_u64_sort_unique(ls->scratch.v, n) == n) return GEMA_OK;
    /* Some line repeats: find which, in order (rare, so quadratic is fine). */
    for (size_t k = 1; k < ls->n; k++) {
        gema_line *L = &ls->line[k];
        if (!kept(L) || L->words < 4) continue;
        for (size_t j = 0; j < k; j++) {
            const gema_line *M = &ls->line[j];
            if (M->hash == L->hash && kept(M) && M->nlen == L->nlen &&
                memcmp(nline(x, M), nline(x, L), L->nlen) == 0) {
                if (may_remove(x, L)) L->reason = GEMA_CLEAN_DUPLICATE;
                break;
            }
        }
    }
    return GEMA_OK;
}

int gema_furniture_rules(gema_lines *ls, const char *text, const gema_pairtab *shared,
                         int find_appended)
{
    ctx x = { ls, text, ls->norm.data, shared, { 0 } };
    if (shared && shared->len) gema_lines_articles(ls, ls->n, x.article);
    for (size_t k = 0; k < ls->n; k++) {
        gema_line *L = &ls->line[k];
        if (L->reason || (L->flags & GEMA_LINE_BLANK)) continue;
        int why = line_rule(&x, k);
        if (why && may_remove(&x, L)) L->reason = (uint8_t)why;
    }
    link_lists(&x);
    int rc = duplicates(&x);
    if (rc != GEMA_OK) return rc;
    size_t first = SIZE_MAX, last = 0;
    for (size_t k = 0; k < ls->n; k++)
        if (body_line(&x, &ls->line[k])) {
            if (first == SIZE_MAX) first = k;
            last = k;
        }
    /* Without a line built like prose (a headline and a one-line summary),
     * the longest line left stands for the body. */
    if (first == SIZE_MAX) {
        uint32_t best = 0;
        for (size_t k = 0; k < ls->n; k++)
            if (!ls->line[k].reason && ls->line[k].words > best && ls->line[k].words >= 4) {
                best = ls->line[k].words;
                first = last = k;
            }
    }
    if (first != SIZE_MAX) edges(&x, first, last);
    return find_appended ? appended(&x) : GEMA_OK;
}
