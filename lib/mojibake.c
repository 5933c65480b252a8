/*
 * mojibake.c - find and undo UTF-8 that was decoded through a single-byte
 * code page and encoded again ("cafÃ©", "2025 ยฉ", "â€œquotedâ€").
 *
 * How it works, in three passes over the text:
 *
 * 1. Candidates.  A broken UTF-8 sequence becomes two to four characters of
 *    the page's upper half (bytes 0x80-0xFF), so it lies inside a run of
 *    non-ASCII characters; ASCII is skipped eight bytes at a time.  In every
 *    run of two or more characters, each page re-encodes the characters it
 *    has and keeps the stretches whose bytes form valid UTF-8 (shortest form,
 *    no surrogates, no control, private-use or unassigned result).  A run is
 *    given to the page that explains most of its characters.  For cp874 and
 *    windows-1251 a stretch must also be a whole word of the run: real Thai
 *    and Cyrillic words often contain a pair that happens to decode ("รถ" is
 *    the bytes of "ö"), but rarely consist of nothing else.
 *
 * 2. Scores.  Each stretch is judged in its context by how odd the text
 *    looks before and after repair, in the spirit of ftfy's "badness"
 *    (rspeer/python-ftfy, ftfy/badness.py) but with our own classes and
 *    weights: control, private-use and unassigned characters, a symbol glued
 *    to a letter, letters of two scripts side by side, a capital inside a
 *    lower-case word, rare blocks (IPA, Syriac, NKo, CJK extension A...).
 *    Repair also gains one point per character saved, a prior for the
 *    common lead characters glued to a symbol ("Â©", "Ã¼", "Г©"), and, for
 *    the Thai and Cyrillic pages, the script around it: an island of Thai in
 *    Latin text is mojibake, the same letters inside Thai text are Thai.
 *
 * 3. Decision.  Stretches scoring SURE or more are repaired; those scoring
 *    MAYBE or more are repaired when the same document has a sure repair from
 *    the same page, or when the page explains most of the document's
 *    non-ASCII text (the whole text went through it).  The result is checked
 *    again, up to MAX_LAYERS times, for text that was broken twice.
 *
 * The tables (byte <-> code point of each page) are built by iconv at
 * gema_mojibake_new(); nothing is hand-typed.  Undefined bytes follow the
 * "sloppy" convention of ftfy and of the WHATWG decoders for 0x80-0x9F: byte
 * b was read as U+00b.
 */
#include "mojibake.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <utf8proc.h>

#define MAX_LAYERS 3
#define SURE 3
#define MAYBE 1
#define WINDOW 48           /* code points of context on each side */
#define DOC_SCRIPT_REAL 4   /* letters of a page's script outside candidates
                               that make a document "written in" that script */

/* ------------------------------------------------------------------------ */
/* Code pages                                                               */
/* ------------------------------------------------------------------------ */

enum { P_1252, P_LATIN1, P_874, P_1251, P_1250, P_1257 };

static const char *const page_names[GEMA_MOJIBAKE_PAGES] = {
    "windows-1252", "latin-1", "cp874", "windows-1251", "windows-1250", "windows-1257"
};
static const char *const iconv_names[GEMA_MOJIBAKE_PAGES] = {
    "CP1252", "ISO-8859-1", "CP874", "CP1251", "CP1250", "CP1257"
};

/* Scripts, coarse: only what the scores need to tell apart. */
enum {
    S_NONE, S_LATIN, S_GREEK, S_CYRILLIC, S_ARMENIAN, S_HEBREW, S_ARABIC, S_INDIC,
    S_THAI, S_LAO, S_CJK, S_HANGUL, S_GEORGIAN, S_OTHER, S_COUNT
};

/* The script a page's own letters are in. */
static const uint8_t page_script[GEMA_MOJIBAKE_PAGES] = {
    S_LATIN, S_LATIN, S_THAI, S_CYRILLIC, S_LATIN, S_LATIN
};

/* Pages decoded as one family when deciding whether a document has sure
 * repairs: latin-1 and windows-1252 differ only in 0x80-0x9F. */
static const uint8_t page_family[GEMA_MOJIBAKE_PAGES] = { 0, 0, 1, 2, 3, 4 };
#define FAMILIES 5

/* Every code point of the pages' upper halves lies in one of three blocks;
 * a dense index over them keeps the table at 1792 entries. */
#define IDX_SIZE 0x700

static inline int cp_index(uint32_t c)
{
    if (c < 0x80) return -1;
    if (c < 0x500) return (int)(c - 0x80);
    if (c - 0xE00u < 0x80u) return (int)(0x480 + (c - 0xE00));
    if (c - 0x2000u < 0x200u) return (int)(0x500 + (c - 0x2000));
    return -1;
}

typedef struct {
    uint8_t lead;   /* pages where the character stands for a lead byte C2-F4 */
    uint8_t cont;   /* pages where it stands for a continuation byte 80-BF */
    uint8_t byte[GEMA_MOJIBAKE_PAGES];
} cp_entry;

struct gema_mojibake {
    cp_entry e[IDX_SIZE];
    uint8_t glue[IDX_SIZE];   /* glues(): letter or mark, for the indexed blocks */
    uint32_t page_char[GEMA_MOJIBAKE_PAGES][128]; /* 0 = undefined in the page */
};

static inline int glues(uint32_t cp);

static inline const cp_entry *entry(const gema_mojibake *m, uint32_t c)
{
    int i = cp_index(c);
    return i < 0 ? NULL : &m->e[i];
}

const char *gema_mojibake_page_name(unsigned p)
{
    return p < GEMA_MOJIBAKE_PAGES ? page_names[p] : "";
}

uint32_t gema_mojibake_page_char(const gema_mojibake *m, unsigned p, unsigned char b)
{
    if (!m || p >= GEMA_MOJIBAKE_PAGES) return 0;
    if (b < 0x80) return b;
    return m->page_char[p][b - 0x80];
}

/* The code point iconv gives for one byte of a page, or 0 if none. */
static uint32_t iconv_byte(iconv_t cd, unsigned char b)
{
    char in[1] = { (char)b };
    unsigned char outb[8];
    char *ip = in, *op = (char *)outb;
    size_t il = 1, ol = sizeof outb;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0) return 0;
    if (sizeof outb - ol != 4) return 0;
    return (uint32_t)outb[0] | (uint32_t)outb[1] << 8 | (uint32_t)outb[2] << 16 |
           (uint32_t)outb[3] << 24;
}

static int set_char(gema_mojibake *m, unsigned p, unsigned char b, uint32_t c)
{
    int i = cp_index(c);
    if (i < 0) return GEMA_ERR_ENCODING; /* a page outside the blocks we index */
    cp_entry *e = &m->e[i];
    if (e->byte[p]) return GEMA_OK;      /* first byte wins (never happens for these pages) */
    e->byte[p] = b;
    if (b >= 0xC2 && b <= 0xF4) e->lead |= (uint8_t)(1u << p);
    if (b <= 0xBF) e->cont |= (uint8_t)(1u << p);
    m->page_char[p][b - 0x80] = c;
    return GEMA_OK;
}

int gema_mojibake_new(gema_mojibake **out)
{
    if (!out) return GEMA_ERR_ARG;
    gema_mojibake *m = calloc(1, sizeof *m);
    if (!m) return GEMA_ERR_NOMEM;
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++) {
        iconv_t cd = iconv_open("UTF-32LE", iconv_names[p]);
        if (cd == (iconv_t)-1) {
            free(m);
            return GEMA_ERR_ENCODING;
        }
        int rc = GEMA_OK;
        for (unsigned b = 0x80; b <= 0xFF && rc == GEMA_OK; b++) {
            uint32_t c = iconv_byte(cd, (unsigned char)b);
            if (c) rc = set_char(m, p, (unsigned char)b, c);
        }
        iconv_close(cd);
        /* Sloppy: an undefined byte was read as the code point of its value. */
        for (unsigned b = 0x80; b <= 0xFF && rc == GEMA_OK; b++) {
            if (m->page_char[p][b - 0x80]) continue;
            const cp_entry *e = entry(m, b);
            if (e && e->byte[p]) continue;
            rc = set_char(m, p, (unsigned char)b, b);
        }
        if (rc != GEMA_OK) {
            free(m);
            return rc;
        }
    }
    for (uint32_t c = 0x80; c < 0x2200; c++) {
        int i = cp_index(c);
        if (i >= 0) m->glue[i] = (uint8_t)glues(c);
    }
    *out = m;
    return GEMA_OK;
}

void gema_mojibake_free(gema_mojibake *m)
{
    free(m);
}

/* ------------------------------------------------------------------------ */
/* UTF-8 and character classes                                              */
/* ------------------------------------------------------------------------ */

#define BAD_CP 0xFFFFFFFFu   /* an invalid byte: never part of a repair */

/* Decode one character of s[0..len) (len > 0); an invalid byte gives BAD_CP
 * and length 1. */
static inline size_t dec(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) {
        if (len >= 2 && (s[1] & 0xC0) == 0x80) {
            *cp = (uint32_t)(c & 0x1F) << 6 | (s[1] & 0x3Fu);
            return 2;
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
            !(c == 0xE0 && s[1] < 0xA0) && !(c == 0xED && s[1] > 0x9F)) {
            *cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu);
            return 3;
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (len >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
            (s[3] & 0xC0) == 0x80 && !(c == 0xF0 && s[1] < 0x90) && !(c == 0xF4 && s[1] > 0x8F)) {
            *cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
                  (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3Fu);
            return 4;
        }
    }
    *cp = BAD_CP;
    return 1;
}

/* Start of the character that ends just before byte i (i > 0). */
static inline size_t prev_start(const unsigned char *s, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80) j--;
    uint32_t c;
    if (dec(s + j, i - j, &c) != i - j) return i - 1;
    return j;
}

/* Length of the ASCII prefix of s[0..len). */
static inline size_t ascii_span(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL) break;
        i += 8;
    }
    while (i < len && s[i] < 0x80) i++;
    return i;
}

enum {
    K_SPACE, K_DIGIT, K_UPPER, K_LOWER, K_LETTER, K_MODLET, K_MARK, K_NUMOTHER,
    K_SYMBOL, K_SYMMOD, K_POPEN, K_PCLOSE, K_PDASH, K_PUNCT, K_CONTROL, K_FORMAT, K_BAD
};

typedef struct {
    uint32_t cp;
    uint8_t k;      /* K_* */
    uint8_t script; /* S_* for letters, S_NONE otherwise */
    uint8_t rare;   /* a block real text almost never uses */
} chinfo;

static uint8_t script_of(uint32_t c)
{
    if (c < 0x80) return S_LATIN;
    if (c < 0x2B0) return S_LATIN;
    if (c < 0x370) return S_NONE;
    if (c < 0x400) return S_GREEK;
    if (c < 0x530) return S_CYRILLIC;
    if (c < 0x590) return S_ARMENIAN;
    if (c < 0x600) return S_HEBREW;
    if (c < 0x700) return S_ARABIC;
    if (c < 0x750) return S_OTHER;
    if (c < 0x780) return S_ARABIC;
    if (c < 0x900) return S_OTHER;
    if (c < 0xE00) return S_INDIC;
    if (c < 0xE80) return S_THAI;
    if (c < 0xF00) return S_LAO;
    if (c >= 0x10A0 && c < 0x1100) return S_GEORGIAN;
    if (c >= 0x1100 && c < 0x1200) return S_HANGUL;
    if (c >= 0x1E00 && c < 0x1F00) return S_LATIN;
    if (c >= 0x1F00 && c < 0x2000) return S_GREEK;
    if (c >= 0x2C60 && c < 0x2C80) return S_LATIN;
    if (c >= 0x2E80 && c < 0xA000) return S_CJK;
    if (c >= 0xA720 && c < 0xA800) return S_LATIN;
    if (c >= 0xAC00 && c < 0xD7B0) return S_HANGUL;
    if (c >= 0xF900 && c < 0xFB00) return S_CJK;
    if (c >= 0xFF21 && c < 0xFF5B) return S_LATIN;
    if (c >= 0xFF66 && c < 0xFFA0) return S_CJK;
    if (c >= 0xFFA0 && c < 0xFFE0) return S_HANGUL;
    if (c >= 0x20000 && c < 0x32000) return S_CJK;
    return S_OTHER;
}

/* Blocks whose characters in running text are far more often decoding
 * accidents than writing: most of Latin Extended-B and IPA, spacing
 * modifiers, historic Cyrillic, Hebrew cantillation, Syriac, Thaana, NKo,
 * Samaritan, Mandaic, conjoining jamo, CJK extensions and radicals,
 * presentation forms.  The kept exceptions are letters of living
 * orthographies (Vietnamese, Romanian, Pinyin, Azerbaijani, the Ukrainian
 * apostrophe). */
static int is_rare(uint32_t c)
{
    if (c < 0x180) return 0;
    if (c < 0x250)
        return !(c == 0x18F || c == 0x1A0 || c == 0x1A1 || c == 0x1AF || c == 0x1B0 ||
                 (c >= 0x1CD && c <= 0x1DC) || (c >= 0x218 && c <= 0x21B));
    if (c < 0x2B0) return c != 0x259;
    if (c < 0x300) return !(c == 0x2BC || c == 0x2C6 || c == 0x2C7 || (c >= 0x2D8 && c <= 0x2DD));
    if (c < 0x370) return 0;
    if (c >= 0x3E2 && c < 0x3F0) return 1;
    if (c >= 0x460 && c < 0x48A) return 1;
    if (c >= 0x500 && c < 0x530) return 1;
    if (c >= 0x591 && c < 0x5B0) return 1;
    if (c >= 0x5EF && c < 0x5F3) return 1;
    if (c >= 0x700 && c < 0x750) return 1;
    if (c >= 0x780 && c < 0x900) return 1;
    if (c >= 0x1100 && c < 0x1200) return 1;
    if (c >= 0x13A0 && c < 0x1E00) return !(c >= 0x1780 && c < 0x1800);
    if (c >= 0x2C00 && c < 0x3000) return 1;
    if (c >= 0x3100 && c < 0x3130) return 1;
    if (c >= 0x3190 && c < 0x3200) return 1;
    if (c >= 0x3400 && c < 0x4E00) return 1;
    if (c >= 0xA000 && c < 0xAC00) return 1;
    if (c >= 0xD7B0 && c < 0xE000) return 1;
    if (c >= 0xF900 && c < 0xFF00) return c != 0xFEFF;
    if (c >= 0xFFF0 && c < 0xFFFD) return 1;
    if (c >= 0x10000) return !(c >= 0x1F000 && c < 0x1FB00);
    return 0;
}

static chinfo classify(uint32_t c)
{
    chinfo r = { c, K_BAD, S_NONE, 0 };
    if (c == BAD_CP) return r;
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') r.k = K_UPPER;
        else if (c >= 'a' && c <= 'z') r.k = K_LOWER;
        else if (c >= '0' && c <= '9') r.k = K_DIGIT;
        else if (c == ' ' || (c >= 9 && c <= 13)) r.k = K_SPACE;
        else if (c < 0x20 || c == 0x7F) r.k = K_CONTROL;
        else r.k = K_PUNCT;
        if (r.k == K_UPPER || r.k == K_LOWER) r.script = S_LATIN;
        return r;
    }
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: r.k = K_UPPER; break;
    case UTF8PROC_CATEGORY_LL: r.k = K_LOWER; break;
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL: r.k = K_LETTER; break;
    case UTF8PROC_CATEGORY_LM: r.k = K_MODLET; break;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        r.k = K_MARK; break;
    case UTF8PROC_CATEGORY_ND: r.k = K_DIGIT; break;
    case UTF8PROC_CATEGORY_NO: r.k = K_NUMOTHER; break;
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PI: r.k = K_POPEN; break;
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PF: r.k = K_PCLOSE; break;
    case UTF8PROC_CATEGORY_PD: r.k = K_PDASH; break;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PO: r.k = K_PUNCT; break;
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SO:
        r.k = K_SYMBOL; break;
    case UTF8PROC_CATEGORY_SK: r.k = K_SYMMOD; break;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        r.k = K_SPACE; break;
    case UTF8PROC_CATEGORY_CC: r.k = K_CONTROL; break;
    case UTF8PROC_CATEGORY_CF: r.k = K_FORMAT; break;
    default: r.k = K_BAD; break; /* unassigned, surrogate, private use */
    }
    if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF)) r.k = K_BAD;
    if (c == 0xFFFD) r.k = K_SYMBOL;  /* "ï¿½" is a replacement character, broken */
    if (r.k <= K_MODLET && r.k >= K_UPPER) r.script = script_of(c);
    r.rare = (uint8_t)is_rare(c);
    return r;
}

static inline int is_letter(const chinfo *c)
{
    return c->k >= K_UPPER && c->k <= K_MODLET;
}

/* A letter or mark: glues a stretch of a non-Latin page into a word. */
static inline int glues(uint32_t cp)
{
    chinfo ci = classify(cp);
    return is_letter(&ci) || ci.k == K_MARK;
}

/* glues() through the table where it has the answer. */
static inline int glue_of(const gema_mojibake *m, uint32_t cp)
{
    if (cp < 0x80) return (cp | 0x20) - 'a' < 26u;
    int i = cp_index(cp);
    return i >= 0 ? m->glue[i] : glues(cp);
}

static inline int is_cased_upper(const chinfo *c) { return c->k == K_UPPER; }
static inline int is_cased_lower(const chinfo *c) { return c->k == K_LOWER; }

/* A character that may end a word right after a letter: closing quotes and
 * brackets, dashes, spaces, the ellipsis. */
static inline int is_closer(const chinfo *c)
{
    return c->k == K_PCLOSE || c->k == K_PDASH || c->k == K_SPACE || c->cp == 0x2026;
}

/* Symbols that sit oddly against letters: a © or ¢ glued to a word. */
static inline int is_gluey(const chinfo *c)
{
    if (c->cp < 0x80) return 0;
    /* Trade mark, registered, copyright and degree signs belong against words. */
    if (c->cp == 0x2122 || c->cp == 0xAE || c->cp == 0xA9 || c->cp == 0xB0) return 0;
    if (c->k == K_SYMBOL || c->k == K_NUMOTHER || c->k == K_SYMMOD) return 1;
    return c->k == K_PUNCT && c->cp != 0x2026 && c->cp != 0xB7;
}

/* Bad: the repair must not produce it. */
static inline int is_bad(const chinfo *c)
{
    return c->k == K_BAD || c->k == K_CONTROL;
}

/* A non-ASCII Latin letter that makes a word by itself ("ö" between spaces)
 * is odd, except for the few that are words: French "à", Italian "è",
 * Portuguese "é", Spanish and Portuguese "ó"... */
static int lone_letter_odd(const chinfo *w, size_t n, size_t i)
{
    const chinfo *c = &w[i];
    if (c->cp < 0x80 || c->script != S_LATIN || !is_letter(c)) return 0;
    if ((i > 0 && is_letter(&w[i - 1])) || (i + 1 < n && is_letter(&w[i + 1]))) return 0;
    switch (c->cp) {
    case 0xE0: case 0xE1: case 0xE8: case 0xE9: case 0xEC: case 0xED: case 0xF2: case 0xF3:
    case 0xF9: case 0xFA: case 0xC0: case 0xC8: case 0xC9:
        return 0;
    default:
        return 1;
    }
}

/* How odd the characters w[lo..hi) look among their neighbours w[0..n).
 * The weights are ours; the kinds of oddness follow ftfy's badness.py. */
static int weirdness(const chinfo *w, size_t n, size_t lo, size_t hi)
{
    int score = 0;
    for (size_t i = lo; i < hi; i++) {
        const chinfo *c = &w[i];
        if (c->k == K_CONTROL || c->k == K_BAD) score += 5;
        else if (c->k == K_FORMAT) score += (c->cp == 0x200C || c->cp == 0x200D) ? 0 : 1;
        else if (c->k == K_SYMMOD && c->cp >= 0x80) score += 1;
        else if (c->k == K_MARK && (i == 0 || !(is_letter(&w[i - 1]) || w[i - 1].k == K_MARK)))
            score += 2;
        if (c->rare) score += 2;
        score += lone_letter_odd(w, n, i);
    }
    size_t first = lo ? lo - 1 : 0;
    for (size_t i = first; i + 1 < n && i < hi; i++) {
        const chinfo *a = &w[i], *b = &w[i + 1];
        if (is_letter(a) && is_letter(b)) {
            int cjk_a = a->script == S_CJK || a->script == S_HANGUL;
            int cjk_b = b->script == S_CJK || b->script == S_HANGUL;
            if (a->script != b->script && a->script != S_NONE && b->script != S_NONE &&
                !(cjk_a && cjk_b))
                score += 2;
            else if (is_cased_lower(a) && is_cased_upper(b) && b->cp >= 0x80)
                score += 2;
            else if (is_cased_upper(a) && is_cased_lower(b) && b->cp >= 0x80 && i > 0 &&
                     is_cased_upper(&w[i - 1]) && !(i + 2 < n && is_cased_lower(&w[i + 2])))
                score += 1;
        } else if (is_letter(a)) {
            if (is_gluey(b)) score += 2;
            else if (b->k == K_POPEN && b->cp >= 0x80) score += 1;
        } else if (is_letter(b)) {
            if (is_gluey(a) && a->k != K_PUNCT) score += 1;
            else if (a->k == K_PCLOSE && a->cp >= 0x80 && a->cp != 0x2019) score += 1;
        } else if (is_gluey(a) && is_gluey(b)) {
            score += 1;
        }
        /* An opening mark before a space: "¡ means". */
        if (b->cp == ' ' && ((a->k == K_POPEN && a->cp >= 0x80 && a->cp != 0xAB && a->cp != 0x2039) ||
                             a->cp == 0xA1 || a->cp == 0xBF))
            score += 1;
    }
    return score;
}

/* ------------------------------------------------------------------------ */
/* Pass 1: candidates                                                       */
/* ------------------------------------------------------------------------ */

typedef struct {
    size_t start, end;      /* the broken text: bytes of the input */
    size_t dec, dec_len;    /* its repair: bytes of the scratch buffer */
    uint32_t chars, units;  /* code points broken; UTF-8 sequences recovered */
    int prior;              /* evidence from the shape of the units */
    int glued;              /* letters of the same run touching it (Latin pages) */
    int local;              /* score from the text right around it */
    int odd;                /* oddness removed by the repair (may be < 0) */
    int net;                /* local plus the script of the context */
    uint32_t letters_x;     /* letters of the page's own script inside */
    uint8_t page;
    uint8_t pages;          /* every page that repairs its run the same way */
    uint8_t script;         /* a non-Latin script the repair writes, or S_NONE */
    uint8_t mismatch;       /* net lost 2 for writing a script foreign to the context */
    uint8_t apply;
} cand;

typedef struct {
    cand *v;
    size_t n, cap;
    gema_buf bytes;
} cand_list;

typedef struct {
    const gema_mojibake *m;
    const unsigned char *s;
    size_t len;
    cand_list c;            /* kept candidates, in text order */
    cand_list tmp;          /* one run's candidates under every page */
    chinfo *win;            /* scoring windows */
    size_t win_cap;
    const int *famw;        /* second scan: evidence for each family, breaking ties */
    int tied;               /* a run had two pages with equal scores and different repairs */
    uint64_t nonascii;      /* code points >= 0x80 */
    uint64_t doc_x[GEMA_MOJIBAKE_PAGES]; /* letters of each page's script outside
                                            candidates (Thai, Cyrillic) */
    uint64_t cover[FAMILIES], units[FAMILIES];
    const gema_repair *prev; /* the previous layer's repairs, their out spans */
    size_t nprev;            /* in this layer's text (double encoding) */
} fixer;

static int cand_push(cand_list *l, const cand *c)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        cand *v = gema_realloc_array(l->v, cap, sizeof *v);
        if (!v) return GEMA_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *c;
    return GEMA_OK;
}

static int win_reserve(fixer *f, size_t n)
{
    if (n <= f->win_cap) return GEMA_OK;
    size_t cap = GEMA_MAX(n, f->win_cap * 2);
    chinfo *w = gema_realloc_array(f->win, cap, sizeof *w);
    if (!w) return GEMA_ERR_NOMEM;
    f->win = w;
    f->win_cap = cap;
    return GEMA_OK;
}

/* Fill f->win with the character before byte `start`, the characters of
 * t[0..tlen) and the two after byte `end`.  Returns the window length; lo
 * and hi delimit t in it. */
static size_t fill_window(fixer *f, size_t start, size_t end, const unsigned char *t,
                          size_t tlen, size_t *lo, size_t *hi)
{
    const unsigned char *s = f->s;
    size_t n = 0;
    uint32_t cp;
    if (start > 0) {
        size_t st = prev_start(s, start);
        dec(s + st, start - st, &cp);
        f->win[n++] = classify(cp);
    }
    *lo = n;
    for (size_t i = 0; i < tlen;) {
        i += dec(t + i, tlen - i, &cp);
        f->win[n++] = classify(cp);
    }
    *hi = n;
    size_t pos = end;
    for (int k = 0; k < 2 && pos < f->len; k++) {
        pos += dec(s + pos, f->len - pos, &cp);
        f->win[n++] = classify(cp);
    }
    return n;
}

/* Quotation marks a unit may end in that also pair up with another on their
 * line: curly double quotes (any of “ ” „) and guillemets. */
static int quote_family(uint32_t cp)
{
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E) return 1;
    if (cp == 0xAB || cp == 0xBB) return 2;
    return 0;
}

/* 1 if the quotation mark at byte pos of the text is needed to balance the
 * marks of its family on its line: an even number of curly double quotes, or
 * as many « as ».  "«A MINHA IRMÃ»" is a quoted word, not "IRMû"; in
 * "«C'est sÃ»r»" the extra » is the mojibake.  Lines are looked at up to
 * 2 KB either way, so the cost stays linear. */
static int quote_needed(const fixer *f, size_t pos, int fam)
{
    const unsigned char *s = f->s;
    size_t a = pos, b = pos, lim = 2048;
    while (a > 0 && s[a - 1] != '\n' && pos - a < lim) a--;
    while (b < f->len && s[b] != '\n' && b - pos < lim) b++;
    long n = 0, open = 0, close = 0;
    uint32_t prev = '\n';
    for (size_t i = a; i < b;) {
        if (s[i] < 0x80) {
            prev = s[i++];
            continue;
        }
        uint32_t cp;
        size_t at = i;
        i += dec(s + i, b - i, &cp);
        /* Marks right after a character of the pages may be mojibake
         * themselves ("â€”" is an em dash): only the others count. */
        int counts = at == pos || prev < 0x80 || !entry(f->m, prev);
        prev = cp;
        if (!counts || quote_family(cp) != fam) continue;
        n++;
        if (cp == 0xAB) open++;
        if (cp == 0xBB) close++;
    }
    return fam == 1 ? n % 2 == 0 : open == close;
}

/* The score of candidate c from its own text and its immediate neighbours:
 * oddness removed, characters saved, the prior of its units, minus 3 for each
 * letter of its run glued to it.  Also notes the script the repair writes. */
static int local_score(fixer *f, cand *c, const unsigned char *rep)
{
    if (win_reserve(f, (size_t)c->chars + 4) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t lo, hi;
    size_t n = fill_window(f, c->start, c->end, f->s + c->start, c->end - c->start, &lo, &hi);
    int w_orig = weirdness(f->win, n, lo, hi);
    n = fill_window(f, c->start, c->end, rep, c->dec_len, &lo, &hi);
    int w_rep = weirdness(f->win, n, lo, hi);
    c->script = S_NONE;
    for (size_t i = lo; i < hi; i++) {
        if (is_letter(&f->win[i]) && f->win[i].script != S_LATIN && f->win[i].script != S_NONE) {
            c->script = f->win[i].script;
            break;
        }
    }
    c->odd = w_orig - w_rep;
    c->local = c->odd + (int)(c->chars - c->units) + c->prior - 3 * c->glued;
    /* The repair is itself mojibake: a layer of double encoding ("Р’В°"
     * gives "В°", which gives "°"), whose middle layer looks odd in its
     * context.  Correct text almost never decodes twice. */
    if (c->chars > 2 && gema_mojibake_suspect(f->m, (const char *)rep, c->dec_len)) c->local += 2;
    /* A quotation mark taken as a continuation byte that closes a quote,
     * after a letter that ends words ("IRMÃ»", "ROMÂNĂ”"); not after Â,
     * whose "Â»" or "Â«" is the classic broken guillemet. */
    const unsigned char *s = f->s;
    size_t pos = c->start;
    uint32_t cp, prev;
    pos += dec(s + pos, c->end - pos, &prev);
    while (pos < c->end) {
        size_t k = dec(s + pos, c->end - pos, &cp);
        int fam = quote_family(cp);
        const cp_entry *e = entry(f->m, prev);
        if (fam && e && e->byte[c->page] != 0xC2 && quote_needed(f, pos, fam)) {
            c->local -= 3;
            break;
        }
        prev = cp;
        pos += k;
    }
    return GEMA_OK;
}

/* Would a repair of unit decoded as `out` (a code point) produce a character
 * worth having?  Private use, unassigned, noncharacters and C0 controls
 * never. */
static int unit_ok(uint32_t cp)
{
    /* A C1 control is what an intermediate layer of double encoding holds
     * for a byte its page leaves undefined ("â€" and U+009D for the
     * closing quote): let it through; its weirdness still counts against it. */
    if (cp - 0x80u < 0x20u) return 1;
    chinfo c = classify(cp);
    return !is_bad(&c);
}

/* Evidence from one unit's shape: a lead that the page turns into one of the
 * characters most UTF-8 leads become (Â Ã Ä Å Î Ï Ð Ñ, В Г, ย ร) glued to
 * a symbol, or to anything for the Latin pages, where no real word has "Ãœ".
 * A closing quote, dash or space after the lead is also how real words end
 * ("IRMÃ»"), so it counts only when a letter follows it. */
static int unit_prior(unsigned page, unsigned char lead, uint32_t cont, uint32_t after)
{
    int latin = page_script[page] == S_LATIN;
    int prime = latin ? ((lead >= 0xC2 && lead <= 0xC5) || (lead >= 0xCE && lead <= 0xD1))
                      : (lead == 0xC2 || lead == 0xC3);
    if (!prime) return 0;
    chinfo c = classify(cont);
    if (!latin && is_letter(&c)) return 0;
    if (is_closer(&c)) {
        chinfo a = classify(after);
        return after != BAD_CP && is_letter(&a) ? 2 : 0;
    }
    return 2;
}

/* Stretches of run [a, b) that page p decodes, appended to f->tmp with their
 * repaired bytes in f->tmp.bytes and their local scores. */
static int parse_page(fixer *f, unsigned p, size_t a, size_t b)
{
    const unsigned char *s = f->s;
    const uint8_t bit = (uint8_t)(1u << p);
    size_t first = f->tmp.n;
    size_t pos = a;
    size_t cur = SIZE_MAX;     /* index in tmp of the stretch being extended */
    size_t dead_end = SIZE_MAX; /* end of a stretch that will be dropped */
    const int nonlatin = page_script[p] != S_LATIN;
    while (pos < b) {
        uint32_t c0;
        size_t n0 = dec(s + pos, b - pos, &c0);
        const cp_entry *e = c0 == BAD_CP ? NULL : entry(f->m, c0);
        if (!e || !(e->lead & bit)) {
            pos += n0;
            cur = SIZE_MAX;
            continue;
        }
        unsigned char by[4];
        by[0] = e->byte[p];
        size_t need = by[0] >= 0xF0 ? 4 : by[0] >= 0xE0 ? 3 : 2;
        size_t q = pos + n0;
        uint32_t c1 = 0;
        int ok = 1;
        for (size_t k = 1; k < need; k++) {
            uint32_t ck;
            if (q >= b) { ok = 0; break; }
            size_t nk = dec(s + q, b - q, &ck);
            const cp_entry *ek = ck == BAD_CP ? NULL : entry(f->m, ck);
            if (!ek || !(ek->cont & bit)) { ok = 0; break; }
            by[k] = ek->byte[p];
            if (k == 1) c1 = ck;
            q += nk;
        }
        if (ok && ((by[0] == 0xE0 && by[1] < 0xA0) || (by[0] == 0xED && by[1] > 0x9F) ||
                   (by[0] == 0xF0 && by[1] < 0x90) || (by[0] == 0xF4 && by[1] > 0x8F)))
            ok = 0;
        uint32_t out = 0;
        if (ok) {
            dec(by, need, &out);
            ok = out != BAD_CP && unit_ok(out);
        }
        if (!ok) {
            pos += n0;
            cur = SIZE_MAX;
            continue;
        }
        /* A Thai or Cyrillic stretch that starts glued to a letter of its run
         * is dropped below: follow its chain without keeping it (most pairs
         * inside real Thai words end here). */
        int extend = cur != SIZE_MAX && f->tmp.v[cur].end == pos;
        if (!extend && nonlatin) {
            int dead = dead_end == pos;
            if (!dead && pos > a) {
                size_t st = prev_start(s, pos);
                uint32_t pc;
                dec(s + st, pos - st, &pc);
                dead = glue_of(f->m, pc);
            }
            if (dead) {
                dead_end = q;
                cur = SIZE_MAX;
                pos = q;
                continue;
            }
        }
        uint32_t after = BAD_CP;
        if (q < f->len) dec(s + q, f->len - q, &after);
        /* Three or four characters that happen to spell valid UTF-8 are rare. */
        int prior = unit_prior(p, by[0], c1, after) + (need > 2);
        if (extend) {
            cand *c = &f->tmp.v[cur];
            c->end = q;
            c->dec_len += need;
            c->units++;
            c->prior += prior;
        } else {
            cand c;
            memset(&c, 0, sizeof c);
            c.start = pos;
            c.end = q;
            c.dec = f->tmp.bytes.len;
            c.dec_len = need;
            c.units = 1;
            c.prior = prior;
            c.page = (uint8_t)p;
            if (cand_push(&f->tmp, &c) != GEMA_OK) return GEMA_ERR_NOMEM;
            cur = f->tmp.n - 1;
        }
        if (gema_buf_append(&f->tmp.bytes, by, need) != GEMA_OK) return GEMA_ERR_NOMEM;
        pos = q;
    }
    /* Count the characters; drop stretches glued into a word of the page's
     * own (non-Latin) script, note those glued to letters for Latin pages. */
    size_t w = first;
    for (size_t i = first; i < f->tmp.n; i++) {
        cand c = f->tmp.v[i];
        uint32_t cp;
        int glued = 0;
        if (c.start > a) {
            size_t st = prev_start(s, c.start);
            dec(s + st, c.start - st, &cp);
            glued += glue_of(f->m, cp);
        }
        if (c.end < b) {
            dec(s + c.end, b - c.end, &cp);
            glued += glue_of(f->m, cp);
        }
        if (glued && page_script[p] != S_LATIN) continue;
        c.glued = glued;
        for (size_t k = c.start; k < c.end;) {
            k += dec(s + k, c.end - k, &cp);
            chinfo ci = classify(cp);
            if (is_letter(&ci) && ci.script == page_script[p]) c.letters_x++;
            c.chars++;
        }
        int rc = local_score(f, &c, (const unsigned char *)f->tmp.bytes.data + c.dec);
        if (rc != GEMA_OK) return rc;
        f->tmp.v[w++] = c;
    }
    f->tmp.n = w;
    return GEMA_OK;
}

/* 1 if pages p and q repair run candidates [pi..pe) and [qi..qe) of tmp the
 * same way. */
static int same_repairs(const fixer *f, size_t pi, size_t pe, size_t qi, size_t qe)
{
    if (pe - pi != qe - qi) return 0;
    for (size_t k = 0; k < pe - pi; k++) {
        const cand *x = &f->tmp.v[pi + k], *y = &f->tmp.v[qi + k];
        if (x->start != y->start || x->end != y->end || x->dec_len != y->dec_len ||
            memcmp(f->tmp.bytes.data + x->dec, f->tmp.bytes.data + y->dec, x->dec_len))
            return 0;
    }
    return 1;
}

/* The families of a set of pages, as a bit set. */
static unsigned families_of(uint8_t pages)
{
    unsigned r = 0;
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++)
        if (pages & (1u << p)) r |= 1u << page_family[p];
    return r;
}

/* Find the candidates of one run of non-ASCII characters [a, b) and keep
 * those of the page that explains it best. */
static int scan_run(fixer *f, size_t a, size_t b)
{
    const unsigned char *s = f->s;
    uint8_t leads = 0;
    size_t nch = 0;
    for (size_t i = a; i < b;) {
        uint32_t cp;
        i += dec(s + i, b - i, &cp);
        nch++;
        const cp_entry *e = cp == BAD_CP ? NULL : entry(f->m, cp);
        if (e) leads |= e->lead;
        if (cp - 0xE01u <= 0x2Eu) f->doc_x[P_874]++;       /* Thai consonants */
        else if (cp - 0x400u < 0x60u || cp == 0x490 || cp == 0x491) f->doc_x[P_1251]++;
    }
    f->nonascii += nch;
    if (nch < 2 || !leads) return GEMA_OK;
    f->tmp.n = 0;
    gema_buf_clear(&f->tmp.bytes);
    size_t from[GEMA_MOJIBAKE_PAGES + 1];
    long long sc[GEMA_MOJIBAKE_PAGES] = { 0 };
    uint64_t cov[GEMA_MOJIBAKE_PAGES] = { 0 };
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++) {
        from[p] = f->tmp.n;
        if (!(leads & (1u << p))) continue;
        int rc = parse_page(f, p, a, b);
        if (rc != GEMA_OK) return rc;
        for (size_t k = from[p]; k < f->tmp.n; k++) {
            sc[p] += GEMA_MAX(f->tmp.v[k].local, 0);
            cov[p] += f->tmp.v[k].chars;
        }
    }
    from[GEMA_MOJIBAKE_PAGES] = f->tmp.n;
    unsigned best = GEMA_MOJIBAKE_PAGES;
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++) {
        if (from[p + 1] == from[p]) continue;
        if (best == GEMA_MOJIBAKE_PAGES) { best = p; continue; }
        int better = sc[p] > sc[best];
        if (sc[p] == sc[best] &&
            !same_repairs(f, from[p], from[p + 1], from[best], from[best + 1])) {
            if (sc[p] > 0) f->tied = 1;
            int wp = f->famw ? f->famw[page_family[p]] : 0;
            int wb = f->famw ? f->famw[page_family[best]] : 0;
            /* famw is only set on the second scan, after any tie was seen. */
            better = wp > wb || (wp == wb && cov[p] > cov[best]);
        }
        if (better) best = p;
    }
    if (best == GEMA_MOJIBAKE_PAGES) return GEMA_OK;
    uint8_t same = 0;
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++)
        if (from[p + 1] > from[p] && same_repairs(f, from[p], from[p + 1], from[best], from[best + 1]))
            same |= (uint8_t)(1u << p);
    for (size_t i = from[best]; i < from[best + 1]; i++) {
        cand c = f->tmp.v[i];
        c.pages = same;
        size_t at = f->c.bytes.len;
        if (gema_buf_append(&f->c.bytes, f->tmp.bytes.data + c.dec, c.dec_len) != GEMA_OK)
            return GEMA_ERR_NOMEM;
        c.dec = at;
        if (cand_push(&f->c, &c) != GEMA_OK) return GEMA_ERR_NOMEM;
        unsigned fams = families_of(same);
        for (unsigned fam = 0; fam < FAMILIES; fam++) {
            if (!(fams & (1u << fam))) continue;
            f->cover[fam] += c.chars;
            f->units[fam] += c.units;
        }
        if (page_script[best] != S_LATIN) f->doc_x[best] -= GEMA_MIN(f->doc_x[best], c.letters_x);
    }
    return GEMA_OK;
}

/* Every run of the text, candidates in text order. */
static int scan(fixer *f)
{
    const unsigned char *s = f->s;
    size_t len = f->len;
    f->c.n = 0;
    gema_buf_clear(&f->c.bytes);
    f->nonascii = 0;
    f->tied = 0;
    memset(f->doc_x, 0, sizeof f->doc_x);
    memset(f->cover, 0, sizeof f->cover);
    memset(f->units, 0, sizeof f->units);
    for (size_t i = 0; i < len;) {
        i += ascii_span(s + i, len - i);
        if (i >= len) break;
        size_t b = i;
        while (b < len && s[b] >= 0x80) b++;
        int rc = scan_run(f, i, b);
        if (rc != GEMA_OK) return rc;
        i = b;
    }
    return GEMA_OK;
}

/* ------------------------------------------------------------------------ */
/* Pass 2: scores in context                                                */
/* ------------------------------------------------------------------------ */

typedef struct {
    uint32_t letters[S_COUNT];
    uint8_t main;           /* most frequent script among them, S_NONE if none */
} context;

/* Letters within WINDOW code points of candidate k, not counting the text of
 * any candidate (mojibake is no evidence of the script around it). */
static void context_of(const fixer *f, size_t k, context *ctx)
{
    const unsigned char *s = f->s;
    memset(ctx, 0, sizeof *ctx);
    size_t pos = f->c.v[k].start, j = k;
    for (int seen = 0; pos > 0 && seen < WINDOW;) {
        if (j > 0 && f->c.v[j - 1].end == pos) {
            pos = f->c.v[--j].start;
            continue;
        }
        size_t st = prev_start(s, pos);
        uint32_t cp;
        dec(s + st, pos - st, &cp);
        chinfo ci = classify(cp);
        if (is_letter(&ci)) ctx->letters[ci.script]++;
        pos = st;
        seen++;
    }
    pos = f->c.v[k].end;
    j = k + 1;
    for (int seen = 0; pos < f->len && seen < WINDOW;) {
        if (j < f->c.n && f->c.v[j].start == pos) {
            pos = f->c.v[j++].end;
            continue;
        }
        uint32_t cp;
        size_t n = dec(s + pos, f->len - pos, &cp);
        chinfo ci = classify(cp);
        if (is_letter(&ci)) ctx->letters[ci.script]++;
        pos += n;
        seen++;
    }
    uint32_t best = 0;
    ctx->main = S_NONE;
    for (unsigned sc = S_LATIN; sc < S_COUNT; sc++) {
        if (ctx->letters[sc] > best) {
            best = ctx->letters[sc];
            ctx->main = (uint8_t)sc;
        }
    }
}

/* 1 if bytes [a, b) of this layer's text lie inside what the previous layer
 * repaired. */
static int inside_previous(const fixer *f, size_t a, size_t b)
{
    size_t lo = 0, hi = f->nprev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->prev[mid].out_end <= a) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->nprev && f->prev[lo].out_start <= a && b <= f->prev[lo].out_end;
}

static void score_in_context(fixer *f, size_t k)
{
    cand *c = &f->c.v[k];
    int net = c->local;
    /* Thai or Cyrillic text the previous layer repaired that decodes again,
     * no odder, was broken twice: the script around it is no evidence
     * ("Р" and a no-break space gave "Р", which gives "н" inside Ukrainian
     * text). */
    if (f->nprev && page_script[c->page] != S_LATIN && c->odd >= 0 && c->local >= MAYBE &&
        inside_previous(f, c->start, c->end)) {
        c->mismatch = 0;
        c->net = net + 2;
        return;
    }
    /* A Latin page writing Latin letters, symbols or punctuation: the
     * context has nothing to say (and most repairs are these). */
    c->mismatch = 0;
    c->net = net;
    if (c->script == S_NONE && page_script[c->page] == S_LATIN) return;
    context ctx;
    context_of(f, k, &ctx);
    /* A repair that writes a script found neither around it nor in Latin. */
    c->mismatch = c->script != S_NONE && ctx.main != S_NONE && c->script != ctx.main;
    if (c->mismatch) net -= 2;
    /* Thai or Cyrillic letters: an island in other text, or part of it. */
    uint8_t x = page_script[c->page];
    if (x != S_LATIN) {
        uint32_t other = 0;
        for (unsigned sc = S_LATIN; sc < S_COUNT; sc++)
            if (sc != x) other += ctx.letters[sc];
        if (ctx.letters[x] == 0 && other > 0 && f->doc_x[c->page] < DOC_SCRIPT_REAL) net += 2;
        else if (ctx.letters[x] >= 2) net -= 4;
    }
    c->net = net;
}

/* ------------------------------------------------------------------------ */
/* Pass 3: decide and write                                                 */
/* ------------------------------------------------------------------------ */

/* One layer of repair of s[0..len) into out (cleared first). */
static int fix_layer(fixer *f, const char *str, size_t len, gema_buf *out,
                     gema_repair **reps, size_t *nreps, size_t *reps_cap)
{
    const unsigned char *s = (const unsigned char *)str;
    f->s = s;
    f->len = len;
    f->famw = NULL;
    *nreps = 0;
    gema_buf_clear(out);
    int rc = scan(f);
    if (rc != GEMA_OK) return rc;
    if (!f->c.n) return GEMA_OK;
    if (f->tied) {
        /* Two pages explained a run equally well but differently ("Ä¨" is
         * "Ĩ" in windows-1252, "č" in windows-1257): let the page family
         * with the most sure repairs elsewhere in the text decide. */
        int famw[FAMILIES] = { 0 }, any = 0;
        for (size_t k = 0; k < f->c.n; k++) {
            if (f->c.v[k].local < SURE) continue;
            unsigned fams = families_of(f->c.v[k].pages);
            for (unsigned fam = 0; fam < FAMILIES; fam++)
                if (fams & (1u << fam)) famw[fam] += f->c.v[k].local;
            any = 1;
        }
        if (any) {
            f->famw = famw;
            rc = scan(f);
            f->famw = NULL;
            if (rc != GEMA_OK) return rc;
        }
    }

    int support[FAMILIES] = { 0 };
    uint32_t sure_script[S_COUNT] = { 0 };
    for (unsigned fam = 0; fam < FAMILIES; fam++)
        support[fam] = f->units[fam] >= 3 && f->cover[fam] * 2 >= f->nonascii;
    for (size_t k = 0; k < f->c.n; k++) {
        score_in_context(f, k);
        const cand *c = &f->c.v[k];
        if (c->net >= SURE) {
            unsigned fams = families_of(c->pages);
            for (unsigned fam = 0; fam < FAMILIES; fam++)
                if (fams & (1u << fam)) support[fam] = 1;
            sure_script[c->script] += c->units;
        }
    }
    size_t napply = 0;
    for (size_t k = 0; k < f->c.n; k++) {
        cand *c = &f->c.v[k];
        /* The foreign script was written by sure repairs nearby: the text
         * around was mojibake too (a whole Greek or Russian text). */
        if (c->mismatch && c->net < SURE && c->script != S_NONE && sure_script[c->script] >= 2)
            c->net += 2;
        int supported = 0;
        unsigned fams = families_of(c->pages);
        for (unsigned fam = 0; fam < FAMILIES; fam++)
            if ((fams & (1u << fam)) && support[fam]) supported = 1;
        c->apply = c->net >= SURE || (c->net >= MAYBE && supported);
        napply += c->apply;
    }
    if (!napply) return GEMA_OK;

    if (gema_buf_reserve(out, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (*reps_cap < napply) {
        gema_repair *r = gema_realloc_array(*reps, napply, sizeof *r);
        if (!r) return GEMA_ERR_NOMEM;
        *reps = r;
        *reps_cap = napply;
    }
    size_t at = 0;
    for (size_t k = 0; k < f->c.n; k++) {
        const cand *c = &f->c.v[k];
        if (!c->apply) continue;
        if (gema_buf_append(out, s + at, c->start - at) != GEMA_OK) return GEMA_ERR_NOMEM;
        gema_repair *r = &(*reps)[(*nreps)++];
        r->start = c->start;
        r->end = c->end;
        r->out_start = out->len;
        if (gema_buf_append(out, f->c.bytes.data + c->dec, c->dec_len) != GEMA_OK)
            return GEMA_ERR_NOMEM;
        r->out_end = out->len;
        r->codepage = page_names[c->page];
        r->layers = 1;
        at = c->end;
    }
    if (gema_buf_append(out, s + at, len - at) != GEMA_OK) return GEMA_ERR_NOMEM;
    return GEMA_OK;
}

/* Compose layer A (text0 -> text1) with layer B (text1 -> text2) into one
 * list from text0 to text2.  In text1, A's replacements and B's broken spans
 * that overlap are merged into one group; a group's ends are never inside a
 * span of either list, so they map to text0 and text2 by the length change
 * of the spans before them. */
static int compose(const gema_repair *a, size_t na, const gema_repair *b, size_t nb,
                   gema_repair **out, size_t *nout)
{
    gema_repair *c = gema_alloc_array(na + nb, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    size_t nc = 0, ia = 0, ib = 0, pa = 0, pb = 0;
    long long sha = 0, shb = 0;   /* out minus in of the spans passed so far */
    while (ia < na || ib < nb) {
        size_t gs, ge;
        if (ib >= nb || (ia < na && a[ia].out_start <= b[ib].start)) {
            gs = a[ia].out_start;
            ge = a[ia].out_end;
        } else {
            gs = b[ib].start;
            ge = b[ib].end;
        }
        const char *name_a = NULL, *name_b = NULL;
        unsigned layers_a = 0;
        for (;;) {
            if (ia < na && a[ia].out_start < ge) {
                ge = GEMA_MAX(ge, a[ia].out_end);
                if (!name_a) name_a = a[ia].codepage;
                layers_a = GEMA_MAX(layers_a, a[ia].layers);
                ia++;
            } else if (ib < nb && b[ib].start < ge) {
                ge = GEMA_MAX(ge, b[ib].end);
                if (!name_b) name_b = b[ib].codepage;
                ib++;
            } else {
                break;
            }
        }
        gema_repair *r = &c[nc++];
        while (pa < na && a[pa].out_end <= gs) {
            sha += (long long)(a[pa].out_end - a[pa].out_start) - (long long)(a[pa].end - a[pa].start);
            pa++;
        }
        r->start = (size_t)((long long)gs - sha);
        while (pa < na && a[pa].out_end <= ge) {
            sha += (long long)(a[pa].out_end - a[pa].out_start) - (long long)(a[pa].end - a[pa].start);
            pa++;
        }
        r->end = (size_t)((long long)ge - sha);
        while (pb < nb && b[pb].end <= gs) {
            shb += (long long)(b[pb].out_end - b[pb].out_start) - (long long)(b[pb].end - b[pb].start);
            pb++;
        }
        r->out_start = (size_t)((long long)gs + shb);
        while (pb < nb && b[pb].end <= ge) {
            shb += (long long)(b[pb].out_end - b[pb].out_start) - (long long)(b[pb].end - b[pb].start);
            pb++;
        }
        r->out_end = (size_t)((long long)ge + shb);
        r->codepage = name_a ? name_a : name_b;
        r->layers = layers_a + (name_b != NULL);
    }
    *out = c;
    *nout = nc;
    return GEMA_OK;
}

static void fixer_free(fixer *f)
{
    free(f->c.v);
    gema_buf_free(&f->c.bytes);
    free(f->tmp.v);
    gema_buf_free(&f->tmp.bytes);
    free(f->win);
}

/* Append rs[0..n) to the caller's array. */
static int push_repairs(gema_repair **repairs, size_t *nrepairs, const gema_repair *rs, size_t n)
{
    gema_repair *r = gema_realloc_array(*repairs, *nrepairs + n, sizeof *r);
    if (!r) return GEMA_ERR_NOMEM;
    *repairs = r;
    memcpy(r + *nrepairs, rs, n * sizeof *r);
    *nrepairs += n;
    return GEMA_OK;
}

int gema_mojibake_fix(const gema_mojibake *m, const char *s, size_t len, gema_buf *out,
                      gema_repair **repairs, size_t *nrepairs)
{
    if (!m || (!s && len) || !out || (repairs && !nrepairs)) return GEMA_ERR_ARG;
    if (!len) return gema_buf_append(out, "", 0);
    if (!gema_mojibake_suspect(m, s, len)) return gema_buf_append(out, s, len);
    fixer f;
    memset(&f, 0, sizeof f);
    f.m = m;
    gema_buf cur = { 0 }, next = { 0 };
    gema_repair *acc = NULL, *layer = NULL;
    size_t nacc = 0, nlayer = 0, acc_cap = 0, layer_cap = 0;
    int rc = fix_layer(&f, s, len, &cur, &acc, &nacc, &acc_cap);
    /* Broken twice: the repaired text may be mojibake again. */
    for (int depth = 1; rc == GEMA_OK && nacc && depth < MAX_LAYERS; depth++) {
        if (!gema_mojibake_suspect(m, cur.data, cur.len)) break;
        f.prev = acc;
        f.nprev = nacc;
        rc = fix_layer(&f, cur.data, cur.len, &next, &layer, &nlayer, &layer_cap);
        f.prev = NULL;
        f.nprev = 0;
        if (rc != GEMA_OK || !nlayer) break;
        gema_repair *comp;
        size_t ncomp;
        rc = compose(acc, nacc, layer, nlayer, &comp, &ncomp);
        if (rc != GEMA_OK) break;
        free(acc);
        acc = comp;
        nacc = acc_cap = ncomp;
        gema_buf t = cur;
        cur = next;
        next = t;
    }
    if (rc == GEMA_OK) {
        rc = nacc ? gema_buf_append(out, cur.data, cur.len) : gema_buf_append(out, s, len);
        if (rc == GEMA_OK && repairs && nacc) rc = push_repairs(repairs, nrepairs, acc, nacc);
    }
    free(acc);
    free(layer);
    gema_buf_free(&cur);
    gema_buf_free(&next);
    fixer_free(&f);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* The fast check                                                           */
/* ------------------------------------------------------------------------ */

/* Pages whose letters are not Latin: parse_page() keeps their stretches
 * only when no letter or mark of the same run touches either end. */
#define NONLATIN_PAGES ((uint8_t)((1u << P_874) | (1u << P_1251)))

/* Would parse_page() keep a stretch of page p (one of the bits of `pages`,
 * all non-Latin) starting with the lead at s[i]?  Walks the chain of units
 * from i without the checks that only shorten it (unit_ok, the forbidden
 * second bytes), so it accepts every end parse_page() could reach; the
 * start is known not to be glued.  Conservative: 1 unless every end is
 * glued. */
static int nonlatin_stretch(const gema_mojibake *m, const unsigned char *s, size_t len,
                            size_t i, uint8_t pages)
{
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++) {
        const uint8_t bit = (uint8_t)(1u << p);
        if (!(pages & bit)) continue;
        size_t pos = i;
        for (;;) {
            uint32_t c0;
            size_t n0 = dec(s + pos, len - pos, &c0);
            const cp_entry *e = c0 == BAD_CP ? NULL : entry(m, c0);
            if (!e || !(e->lead & bit)) break;
            unsigned char b0 = e->byte[p];
            size_t need = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2, q = pos + n0, k;
            for (k = 1; k < need && q < len && s[q] >= 0x80; k++) {
                uint32_t ck;
                size_t nk = dec(s + q, len - q, &ck);
                const cp_entry *ek = ck == BAD_CP ? NULL : entry(m, ck);
                if (!ek || !(ek->cont & bit)) break;
                q += nk;
            }
            if (k < need) break;
            /* A unit ends at q: the stretch may end here. */
            if (q >= len || s[q] < 0x80) return 1;
            uint32_t cn;
            dec(s + q, len - q, &cn);
            if (!glue_of(m, cn)) return 1;
            pos = q;
        }
    }
    return 0;
}

int gema_mojibake_suspect(const gema_mojibake *m, const char *str, size_t len)
{
    if (!m || !str) return 0;
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    uint8_t want = 0;       /* Latin pages for which the previous character was a lead */
    uint32_t prev = 0;      /* the previous character, 0 at the start of a run */
    while (i < len) {
        size_t a = ascii_span(s + i, len - i);
        if (a) {
            i += a;
            want = 0;
            prev = 0;
            if (i >= len) break;
        }
        uint32_t cp;
        size_t n = dec(s + i, len - i, &cp);
        const cp_entry *e = cp == BAD_CP ? NULL : entry(m, cp);
        if (e) {
            if (want & e->cont) return 1;
            want = e->lead & (uint8_t)~NONLATIN_PAGES;
            /* Thai and Cyrillic letters are leads and continuations of their
             * own pages all the time: only a stretch not glued into a word
             * (what parse_page keeps) counts. */
            uint8_t nl = e->lead & NONLATIN_PAGES;
            if (nl && (prev == 0 || !glue_of(m, prev)) && nonlatin_stretch(m, s, len, i, nl)) return 1;
        } else {
            want = 0;
        }
        prev = cp;
        i += n;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Public: gema_fix_encoding                                                */
/* ------------------------------------------------------------------------ */

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static gema_mojibake *shared;
static int shared_rc;

static void shared_init(void)
{
    shared_rc = gema_mojibake_new(&shared);
}

int gema_fix_encoding(const char *s, size_t len, char **out, size_t *out_len, size_t *repairs)
{
    if ((!s && len) || !out) return GEMA_ERR_ARG;
    if (pthread_once(&shared_once, shared_init) != 0) return GEMA_ERR_THREAD;
    if (shared_rc != GEMA_OK) return shared_rc;
    gema_buf b = { 0 };
    gema_repair *r = NULL;
    size_t n = 0;
    int rc = gema_buf_reserve(&b, len + 1);
    if (rc == GEMA_OK) rc = gema_mojibake_fix(shared, s ? s : "", len, &b, &r, &n);
    free(r);
    if (rc != GEMA_OK) {
        gema_buf_free(&b);
        return rc;
    }
    *out = b.data;
    if (out_len) *out_len = b.len;
    if (repairs) *repairs = n;
    return GEMA_OK;
}
