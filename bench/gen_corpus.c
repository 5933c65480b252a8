/*
 * gen_corpus.c - a seeded, deterministic news-like corpus with planted
 * near-duplicates and reused passages, for the benchmarks.
 *
 * Text.  A word-bigram model is built from real article text (by default
 * every *.jsonl file directly in $GEMA_EVAL: ECB+ and PolNeAR news), with
 * words as whitespace-separated tokens, punctuation attached, so vocabulary,
 * capitalisation, quotes and sentence length look like news.  Base articles
 * are random walks through the model, so they are new text: copying the few
 * MB of real text into hundreds of thousands of articles would make
 * unrelated articles share long runs of words everywhere.  A bigram walk
 * still reproduces frequent phrases ("according to the", "the United States
 * and"), as real news does; dedup_eval measures how many 5-word shingles
 * unrelated generated documents share.
 *
 * Near duplicates (--mode near, the default).  A share of base articles
 * (--dup-share of all documents end up in groups) is republished 1..N-1
 * times, each copy derived from the original or from an earlier copy, with
 * edits that imitate news reuse: exact copies that differ only in white
 * space, letter case or punctuation, and near copies with one to three of:
 * header lines added, footer lines added, paragraphs dropped, paragraphs
 * moved, words substituted, the end truncated, the headline changed.
 * Copies are emitted a random distance later in the file, dated up to three
 * days after what they copy, on other sites.
 *
 * Reused passages (--mode passages, or both).  A share of articles take 1..5
 * consecutive paragraphs from an earlier article, lightly edited (a changed
 * word, a dropped clause, punctuation), inserted after their lead.  Sources
 * and targets are kept out of near-duplicate groups and each source lends
 * once, so the listed passages are the only planted reuse.
 *
 * Everything comes from one xoshiro256** stream seeded by --seed, so the
 * same options give byte-identical output.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "gema.h"

static const char usage[] =
    "Usage: gen_corpus [OPTIONS] --output FILE\n"
    "\n"
    "Write a seeded, deterministic news-like JSONL corpus with planted near-duplicate\n"
    "groups and/or reused passages, and a ground-truth file.\n"
    "\n"
    "Size (one of):\n"
    "      --bytes SIZE       stop near SIZE bytes of output (K, M, G = 10^3, 10^6, 10^9)\n"
    "      --docs N           exactly N documents\n"
    "Content:\n"
    "      --seed N           seed (default 1)\n"
    "      --mode M           near (default), passages, both, or none (no planted reuse)\n"
    "      --dup-share F      share of documents in near-duplicate groups (default 0.25)\n"
    "      --max-group N      largest group (default 12; sizes 2..N, P(k) ~ k^-2)\n"
    "      --passage-share F  share of documents that receive a passage (default 0.10)\n"
    "      --doc-bytes N      mean text bytes per article (default 3100; records ~3.5 KB)\n"
    "      --sites N          fake news sites (default 50; hosts end in .example)\n"
    "      --days N           dates spread over N days from 2021-01-01 (default 365)\n"
    "      --furniture        give every site header/footer lines on each of its pages\n"
    "                         (for the clean benchmark; listed in the truth)\n"
    "      --source FILE      JSONL file with a \"text\" field to learn text from;\n"
    "                         repeatable (default: every *.jsonl directly in --eval DIR)\n"
    "      --eval DIR         default $GEMA_EVAL, else ../shared/eval\n"
    "Output:\n"
    "  -o, --output FILE      the corpus, one {\"id\",\"url\",\"date\",\"title\",\"text\"} per line\n"
    "      --truth FILE       ground truth, one JSON object per line (below)\n"
    "  -q, --quiet            no summary on stderr\n"
    "\n"
    "Truth lines.  Every document has one line:\n"
    "  {\"kind\":\"doc\",\"id\",\"site\",\"group\":G|null,\"role\":\"single\"|\"original\"|\"copy\",\n"
    "   \"parent\":ID|null,\"edits\":[{\"type\":T,...}],\"headline_in_text\":bool,\n"
    "   \"furniture\":[line numbers, 1-based]}\n"
    "  group numbers a planted near-duplicate group (its original and copies);\n"
    "  parent is the document a copy was made from and edits are relative to it:\n"
    "    exact-ws, exact-case, exact-punct   same words, only white space, ASCII letter\n"
    "                                        case or punctuation differ\n"
    "    header {lines}, footer {lines}      lines added before / after the text\n"
    "    drop {paragraphs}                   paragraphs removed (never the first)\n"
    "    reorder {moved}                     paragraphs moved elsewhere\n"
    "    substitute {rate}                   each word replaced with probability rate\n"
    "    truncate {kept}                     only the first paragraphs kept (share of words)\n"
    "    headline                            a new title (and first line, if in text)\n"
    "Each planted passage has one line:\n"
    "  {\"kind\":\"passage\",\"source\":ID,\"source_start\":S,\"source_end\":E,\n"
    "   \"target\":ID,\"target_start\":S,\"target_end\":E,\"paragraphs\":N,\"edits\":[...]}\n"
    "  Spans are [start, end) in Unicode code points of the documents' \"text\" values,\n"
    "  from the first character of the first copied paragraph to the last character\n"
    "  of the last one (the paragraph separators between them included, each in its\n"
    "  own document's style: one or two newlines, so a multi-paragraph passage with\n"
    "  no edits can still differ there).  edits lists\n"
    "  light edits made inside the copy: word (a word changed), clause (words up to a\n"
    "  comma dropped), punct (a comma dropped or a quote mark changed).  A source lends\n"
    "  one passage at most; sources and targets are in no near-duplicate group.\n";

/* ---- random numbers ----------------------------------------------------- */

/* xoshiro256** and splitmix64 seeding (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", 2018; public-domain reference code). */
typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix(&seed);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n) by multiply-shift (Lemire 2019); n < 2^32. */
static inline uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline double rng_unit(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

static double rng_normal(rng_t *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    if (u < 1e-300) u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

/* ---- small growable arrays ---------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "gen_corpus: out of memory\n");
        exit(1);
    }
    return q;
}

typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_reserve(sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void sb_put(sbuf *b, const void *s, size_t n)
{
    sb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_putc(sbuf *b, char c)
{
    sb_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    sb_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* s as a JSON string literal. */
static void sb_json(sbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sb_reserve(b, n + 2);
    b->p[b->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\') j++;
        sb_put(b, s + i, j - i);
        if (j == n) break;
        unsigned char c = (unsigned char)s[j];
        char esc[7] = { '\\', 0, 0, 0, 0, 0, 0 };
        size_t el = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
            esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            el = 6;
            break;
        }
        sb_put(b, esc, el);
        i = j + 1;
    }
    sb_putc(b, '"');
}

static char *xstrdup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---- the bigram model --------------------------------------------------- */

enum { W_FINAL = 1, W_COMMA = 2 };

#define END_WORD 0u   /* pseudo-word: the sentence ends */

typedef struct {
    sbuf arena;                /* word bytes, NUL-separated */
    uint32_t *off;             /* per word id: offset in arena */
    uint16_t *len;
    uint8_t *flags;
    size_t nwords, wcap;
    uint32_t *table;           /* open addressing: word id + 1, 0 = empty */
    size_t tmask;
    uint64_t *trans;           /* (prev << 32 | next) while learning */
    size_t ntrans, trans_cap;
    uint32_t *succ_start, *succ; /* successors of each word, with repeats */
    uint32_t *starts;          /* sentence-initial words, with repeats */
    size_t nstarts, starts_cap;
    uint64_t para_hist[9];     /* sentences per paragraph in the sources, 1..8 */
    uint64_t source_docs, source_bytes, source_words;
    double bytes_per_word;
} model;

static const char *word_str(const model *m, uint32_t w) { return m->arena.p + m->off[w]; }

static uint32_t word_id(model *m, const char *s, size_t n)
{
    if (n > 65535) n = 65535;
    size_t h = (size_t)XXH3_64bits(s, n);
    for (size_t i = h & m->tmask;; i = (i + 1) & m->tmask) {
        uint32_t e = m->table[i];
        if (!e) {
            if (m->nwords == m->wcap) {
                m->wcap = m->wcap ? m->wcap * 2 : 4096;
                m->off = xrealloc(m->off, m->wcap * sizeof *m->off);
                m->len = xrealloc(m->len, m->wcap * sizeof *m->len);
                m->flags = xrealloc(m->flags, m->wcap);
            }
            uint32_t id = (uint32_t)m->nwords++;
            m->off[id] = (uint32_t)m->arena.len;
            m->len[id] = (uint16_t)n;
            m->flags[id] = 0;
            sb_put(&m->arena, s, n);
            sb_putc(&m->arena, 0);
            m->table[i] = id + 1;
            if (m->nwords * 2 > m->tmask) { /* grow and rehash */
                size_t nm = m->tmask * 2 + 1;
                uint32_t *t = calloc(nm + 1, sizeof *t);
                if (!t) xrealloc(NULL, SIZE_MAX);
                for (size_t w = 0; w < m->nwords; w++) {
                    size_t hh = (size_t)XXH3_64bits(word_str(m, (uint32_t)w), m->len[w]);
                    size_t k = hh & nm;
                    while (t[k]) k = (k + 1) & nm;
                    t[k] = (uint32_t)w + 1;
                }
                free(m->table);
                m->table = t;
                m->tmask = nm;
            }
            return id;
        }
        uint32_t id = e - 1;
        if (m->len[id] == n && memcmp(word_str(m, id), s, n) == 0) return id;
    }
}

static void add_trans(model *m, uint32_t a, uint32_t b)
{
    if (m->ntrans == m->trans_cap) {
        m->trans_cap = m->trans_cap ? m->trans_cap * 2 : 1 << 16;
        m->trans = xrealloc(m->trans, m->trans_cap * sizeof *m->trans);
    }
    m->trans[m->ntrans++] = (uint64_t)a << 32 | b;
}

static void add_start(model *m, uint32_t w)
{
    if (m->nstarts == m->starts_cap) {
        m->starts_cap = m->starts_cap ? m->starts_cap * 2 : 1 << 14;
        m->starts = xrealloc(m->starts, m->starts_cap * sizeof *m->starts);
    }
    m->starts[m->nstarts++] = w;
}

static int is_closer(unsigned char c) { return c == '"' || c == '\'' || c == ')'; }

/* Does token s[0..n) end a sentence?  Ends in . ! ? (before closing quotes
 * or brackets), is not an abbreviation (a short capitalised core such as
 * "Mr." or a dotted one such as "U.S."), and the next token, if any, starts
 * with a capital, a digit or a quote. */
static int ends_sentence(const char *s, size_t n, const char *next, size_t nn)
{
    size_t e = n;
    while (e > 0) {
        unsigned char c = (unsigned char)s[e - 1];
        if (is_closer(c)) { e--; continue; }
        /* ” and ’ are E2 80 9D and E2 80 99 */
        if (e >= 3 && (unsigned char)s[e - 3] == 0xE2 && (unsigned char)s[e - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) { e -= 3; continue; }
        break;
    }
    if (e == 0) return 0;
    char p = s[e - 1];
    if (p != '.' && p != '!' && p != '?') return 0;
    if (p == '.') {
        size_t core = e - 1;
        if (core == 0) return 0;
        if (memchr(s, '.', core)) return 0;
        if (core <= 3 && s[0] >= 'A' && s[0] <= 'Z') return 0;
    }
    if (!next || nn == 0) return 1;
    unsigned char c = (unsigned char)next[0];
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' || c == '\'' ||
           c == 0xE2 || c == '(';
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Learn from one article's text. */
static void learn_text(model *m, const char *t, size_t n)
{
    m->source_docs++;
    m->source_bytes += n;
    size_t i = 0;
    while (i < n) {
        size_t le = i;
        while (le < n && t[le] != '\n') le++;
        /* One line is one paragraph. */
        uint32_t prev = END_WORD;
        unsigned sentences = 0;
        size_t p = i;
        while (p < le && is_space((unsigned char)t[p])) p++;
        while (p < le) {
            size_t q = p;
            while (q < le && !is_space((unsigned char)t[q])) q++;
            size_t r = q;
            while (r < le && is_space((unsigned char)t[r])) r++;
            size_t r2 = r;
            while (r2 < le && !is_space((unsigned char)t[r2])) r2++;
            uint32_t w = word_id(m, t + p, q - p);
            m->source_words++;
            if (q - p > 0 && t[q - 1] == ',') m->flags[w] |= W_COMMA;
            if (prev == END_WORD) add_start(m, w);
            else add_trans(m, prev, w);
            prev = w;
            if (ends_sentence(t + p, q - p, r < le ? t + r : NULL, r2 - r)) {
                m->flags[w] |= W_FINAL;
                add_trans(m, w, END_WORD);
                prev = END_WORD;
                sentences++;
            }
            p = r;
        }
        if (prev != END_WORD) {
            add_trans(m, prev, END_WORD);
            sentences++;
        }
        if (sentences) m->para_hist[sentences > 8 ? 8 : sentences]++;
        i = le + 1;
    }
}

static int learn_file(model *m, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
        return -1;
    }
    sbuf b = { 0 };
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) sb_put(&b, chunk, got);
    fclose(f);
    size_t line = 0, docs = 0;
    for (size_t i = 0; i < b.len;) {
        size_t e = i;
        while (e < b.len && b.p[e] != '\n') e++;
        line++;
        if (e > i) {
            cJSON *j = cJSON_ParseWithLength(b.p + i, e - i);
            const cJSON *text = j ? cJSON_GetObjectItemCaseSensitive(j, "text") : NULL;
            if (!cJSON_IsString(text)) {
                fprintf(stderr, "gen_corpus: %s:%zu: not a JSON object with a \"text\" string\n",
                        path, line);
                cJSON_Delete(j);
                free(b.p);
                return -1;
            }
            learn_text(m, text->valuestring, strlen(text->valuestring));
            docs++;
            cJSON_Delete(j);
        }
        i = e + 1;
    }
    free(b.p);
    if (!docs) {
        fprintf(stderr, "gen_corpus: %s: no documents\n", path);
        return -1;
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void model_init(model *m)
{
    memset(m, 0, sizeof *m);
    m->tmask = (1u << 16) - 1;
    m->table = calloc(m->tmask + 1, sizeof *m->table);
    if (!m->table) xrealloc(NULL, SIZE_MAX);
    word_id(m, "", 0); /* id 0 = END_WORD */
}

/* Turn the transition list into successor lists (counting sort by word). */
static void model_finish(model *m)
{
    /* Sorting keeps successor order independent of hash-table layout. */
    qsort(m->trans, m->ntrans, sizeof *m->trans, cmp_u64);
    m->succ_start = calloc(m->nwords + 1, sizeof *m->succ_start);
    m->succ = xrealloc(NULL, m->ntrans * sizeof *m->succ);
    if (!m->succ_start) xrealloc(NULL, SIZE_MAX);
    for (size_t i = 0; i < m->ntrans; i++) {
        m->succ_start[(m->trans[i] >> 32) + 1]++;
        m->succ[i] = (uint32_t)m->trans[i];
    }
    for (size_t w = 0; w < m->nwords; w++) m->succ_start[w + 1] += m->succ_start[w];
    free(m->trans);
    m->trans = NULL;
    m->bytes_per_word = m->source_words ? (double)(m->source_bytes) / (double)m->source_words : 6;
}

/* Id of an existing word, or END_WORD. */
static uint32_t word_find(const model *m, const char *s, size_t n)
{
    size_t h = (size_t)XXH3_64bits(s, n);
    for (size_t i = h & m->tmask;; i = (i + 1) & m->tmask) {
        uint32_t e = m->table[i];
        if (!e) return END_WORD;
        if (m->len[e - 1] == n && memcmp(word_str(m, e - 1), s, n) == 0) return e - 1;
    }
}

static void model_free(model *m)
{
    free(m->arena.p);
    free(m->off);
    free(m->len);
    free(m->flags);
    free(m->table);
    free(m->trans);
    free(m->succ_start);
    free(m->succ);
    free(m->starts);
}

static uint32_t next_word(const model *m, rng_t *r, uint32_t prev)
{
    uint32_t a = m->succ_start[prev], b = m->succ_start[prev + 1];
    if (a == b) return END_WORD;
    return m->succ[a + rng_below(r, b - a)];
}

/* ---- articles ------------------------------------------------------------ */

typedef struct {
    uint32_t *w;
    size_t n, cap;
    int tag;                   /* passage number + 1 for inserted paragraphs */
} para;

typedef struct {
    char *title;
    para *p;
    size_t np, pcap;
    char **head, **tail;       /* literal lines before / after the body */
    size_t nhead, ntail;
    int headline_in_text;
    int sep;                   /* newlines between paragraphs: 1 or 2 */
} article;

static void para_push(para *p, uint32_t w)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->w = xrealloc(p->w, p->cap * sizeof *p->w);
    }
    p->w[p->n++] = w;
}

static para *art_add_para(article *a)
{
    if (a->np == a->pcap) {
        a->pcap = a->pcap ? a->pcap * 2 : 16;
        a->p = xrealloc(a->p, a->pcap * sizeof *a->p);
    }
    para *p = &a->p[a->np++];
    memset(p, 0, sizeof *p);
    return p;
}

static void art_free(article *a)
{
    free(a->title);
    for (size_t i = 0; i < a->np; i++) free(a->p[i].w);
    free(a->p);
    for (size_t i = 0; i < a->nhead; i++) free(a->head[i]);
    for (size_t i = 0; i < a->ntail; i++) free(a->tail[i]);
    free(a->head);
    free(a->tail);
    memset(a, 0, sizeof *a);
}

static void art_copy(article *dst, const article *src)
{
    memset(dst, 0, sizeof *dst);
    dst->title = xstrdup(src->title, strlen(src->title));
    dst->headline_in_text = src->headline_in_text;
    dst->sep = src->sep;
    dst->pcap = dst->np = src->np;
    dst->p = xrealloc(NULL, (src->np ? src->np : 1) * sizeof *dst->p);
    for (size_t i = 0; i < src->np; i++) {
        dst->p[i] = src->p[i];
        dst->p[i].cap = src->p[i].n;
        dst->p[i].w = xrealloc(NULL, (src->p[i].n ? src->p[i].n : 1) * sizeof(uint32_t));
        memcpy(dst->p[i].w, src->p[i].w, src->p[i].n * sizeof(uint32_t));
    }
    dst->nhead = src->nhead;
    dst->ntail = src->ntail;
    dst->head = xrealloc(NULL, (src->nhead + 1) * sizeof(char *));
    dst->tail = xrealloc(NULL, (src->ntail + 1) * sizeof(char *));
    for (size_t i = 0; i < src->nhead; i++) dst->head[i] = xstrdup(src->head[i], strlen(src->head[i]));
    for (size_t i = 0; i < src->ntail; i++) dst->tail[i] = xstrdup(src->tail[i], strlen(src->tail[i]));
}

static void add_line(char ***lines, size_t *n, char *s, int front)
{
    *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
    if (front) {
        memmove(*lines + 1, *lines, *n * sizeof **lines);
        (*lines)[0] = s;
    } else {
        (*lines)[*n] = s;
    }
    (*n)++;
}

static size_t art_words(const article *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->np; i++) n += a->p[i].n;
    return n;
}

/* One sentence by a random walk; long walks are steered to an end. */
static void gen_sentence(const model *m, rng_t *r, para *p)
{
    uint32_t w = m->starts[rng_below(r, (uint32_t)m->nstarts)];
    for (size_t len = 1;; len++) {
        para_push(p, w);
        if (len >= 80) return;
        uint32_t nx = next_word(m, r, w);
        if (len > 40) /* prefer an ending among a few draws */
            for (int t = 0; t < 6 && nx != END_WORD && !(m->flags[nx] & W_FINAL); t++)
                nx = next_word(m, r, w);
        if (nx == END_WORD) return;
        w = nx;
    }
}

static unsigned para_sentences(const model *m, rng_t *r)
{
    uint64_t total = 0;
    for (int k = 1; k <= 8; k++) total += m->para_hist[k];
    if (!total) return 2;
    uint64_t x = rng_next(r) % total;
    for (int k = 1; k <= 8; k++) {
        if (x < m->para_hist[k]) return (unsigned)k;
        x -= m->para_hist[k];
    }
    return 1;
}

/* A headline: the start of a walk, 5..14 words, closing punctuation trimmed. */
static char *gen_title(const model *m, rng_t *r)
{
    para p = { 0 };
    while (p.n < 5) {
        p.n = 0;
        gen_sentence(m, r, &p);
    }
    size_t want = 5 + rng_below(r, 10);
    if (p.n > want) p.n = want;
    sbuf b = { 0 };
    for (size_t i = 0; i < p.n; i++) {
        if (i) sb_putc(&b, ' ');
        sb_put(&b, word_str(m, p.w[i]), m->len[p.w[i]]);
    }
    while (b.len > 1 && strchr(".,;:", b.p[b.len - 1])) b.p[--b.len] = 0;
    free(p.w);
    return b.p;
}

static void gen_article(const model *m, rng_t *r, double mean_words, article *a)
{
    memset(a, 0, sizeof *a);
    /* Article length: log-normal, sigma 0.6 (news lengths are right-skewed). */
    const double sigma = 0.6;
    double words = exp(log(mean_words) - sigma * sigma / 2 + sigma * rng_normal(r));
    if (words < 40) words = 40;
    if (words > 8000) words = 8000;
    a->title = gen_title(m, r);
    size_t total = 0;
    while ((double)total < words) {
        para *p = art_add_para(a);
        unsigned k = para_sentences(m, r);
        for (unsigned s = 0; s < k; s++) gen_sentence(m, r, p);
        total += p->n;
    }
}

/* ---- sites, dates, lines --------------------------------------------------- */

static const char *const site_a[] = {
    "harbour", "northbridge", "capital", "riverside", "valley", "coastal", "metro", "lakeside",
    "summit", "prairie", "kabar", "warta", "suara", "berita", "nusa", "pelita"
};
static const char *const site_b[] = {
    "times", "post", "herald", "tribune", "courier", "gazette", "chronicle", "daily",
    "observer", "journal", "wire", "ledger", "kini", "pos", "today", "report"
};
static const char *const sections[] = {
    "news", "politics", "world", "business", "national", "metro", "opinion", "sport"
};
static const char *const first_names[] = {
    "Anna", "Budi", "Carlos", "Dewi", "Elena", "Farid", "Grace", "Hiro", "Irene", "James",
    "Kartika", "Liam", "Maya", "Nadia", "Omar", "Putri", "Rahul", "Sarah", "Tomas", "Yusuf"
};
static const char *const last_names[] = {
    "Andersen", "Basri", "Chen", "Dalton", "Effendi", "Fischer", "Gunawan", "Hartono",
    "Ivanova", "Jensen", "Kusuma", "Lopez", "Miller", "Nugroho", "Okafor", "Pratama",
    "Quinn", "Rossi", "Santoso", "Tanaka"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef struct {
    char host[64];
    char name[64];
    int date_style;            /* 0 ISO with offset, 1 ISO UTC, 2 RFC 2822 */
    int tz;                    /* hours */
    char *furn_head[3], *furn_tail[3];
    int nfh, nft;
    double weight;
} site_t;

/* Days since 1970-01-01 to civil date (H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms", public domain). */
static void civil_from_days(int64_t z, int *y, unsigned *mo, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *mo = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*mo <= 2));
}

#define EPOCH_2021 1609459200LL /* 2021-01-01T00:00:00Z */

static void format_date(sbuf *b, const site_t *s, int64_t t)
{
    static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    static const char *const mn[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int64_t local = t + (int64_t)s->tz * 3600;
    int64_t days = local / 86400, secs = local % 86400;
    int y;
    unsigned mo, d;
    civil_from_days(days, &y, &mo, &d);
    int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    switch (s->date_style) {
    case 0:
        sb_printf(b, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:00", y, mo, d, hh, mi, ss,
                  s->tz < 0 ? '-' : '+', abs(s->tz));
        break;
    case 1: {
        int64_t ud = t / 86400, us = t % 86400;
        civil_from_days(ud, &y, &mo, &d);
        sb_printf(b, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, mo, d, (int)(us / 3600),
                  (int)(us / 60 % 60), (int)(us % 60));
        break;
    }
    default:
        sb_printf(b, "%s, %02u %s %04d %02d:%02d:%02d %c%02d00", wd[(days % 7 + 7) % 7], d,
                  mn[mo - 1], y, hh, mi, ss, s->tz < 0 ? '-' : '+', abs(s->tz));
        break;
    }
}

static char *fmt_line(const char *fmt, const char *a, const char *b2)
{
    sbuf b = { 0 };
    sb_printf(&b, fmt, a, b2);
    return b.p;
}

static void make_sites(site_t *s, unsigned n, rng_t *r)
{
    for (unsigned i = 0; i < n; i++) {
        const char *a = site_a[i % NELEM(site_a)];
        const char *b = site_b[(i / NELEM(site_a) + i * 7) % NELEM(site_b)];
        unsigned round = i / (unsigned)(NELEM(site_a) * NELEM(site_b));
        if (round)
            snprintf(s[i].host, sizeof s[i].host, "www.%s-%s%u.example", a, b, round);
        else
            snprintf(s[i].host, sizeof s[i].host, "www.%s-%s.example", a, b);
        snprintf(s[i].name, sizeof s[i].name, "%c%s %c%s", a[0] - 32, a + 1, b[0] - 32, b + 1);
        s[i].date_style = (int)rng_below(r, 3);
        static const int tzs[] = { 0, 7, 8, -5, 1, 9 };
        s[i].tz = s[i].date_style == 1 ? 0 : tzs[rng_below(r, NELEM(tzs))];
        /* Big sites publish more: weight ~ rank^-0.8 (Zipf-like). */
        s[i].weight = pow((double)(i + 1), -0.8);
        /* Furniture: what every page of the site shows around the article. */
        static const char *const heads[] = {
            "Home | News | Politics | World | Business | Sport | %s",
            "Subscribe to %s for unlimited access%s",
            "Trending: Elections Economy Climate Health Technology",
            "Sign in Register Newsletter Podcasts %s",
            "Skip to main content%s"
        };
        static const char *const tails[] = {
            "Copyright 2021 %s. All rights reserved.",
            "About Us Contact Advertise Privacy Policy Terms of Use %s",
            "Follow %s on Facebook, Twitter and Instagram",
            "Download the %s app for the latest news"
        };
        s[i].nfh = 1 + (int)rng_below(r, 3);
        s[i].nft = 1 + (int)rng_below(r, 3);
        for (int k = 0; k < s[i].nfh; k++)
            s[i].furn_head[k] = fmt_line(heads[(i + (unsigned)k * 2) % NELEM(heads)], s[i].name, "");
        for (int k = 0; k < s[i].nft; k++)
            s[i].furn_tail[k] = fmt_line(tails[(i + (unsigned)k) % NELEM(tails)], s[i].name, "");
    }
}

static unsigned pick_site(const site_t *s, unsigned n, double wsum, rng_t *r, int avoid)
{
    for (;;) {
        double x = rng_unit(r) * wsum;
        unsigned i = 0;
        while (i + 1 < n && x >= s[i].weight) x -= s[i++].weight;
        if ((int)i != avoid || n == 1) return i;
    }
}

static const char *pick(rng_t *r, const char *const *v, size_t n) { return v[rng_below(r, (uint32_t)n)]; }

/* A line added by a republisher above the article. */
static char *header_line(rng_t *r, const site_t *site, const char *date)
{
    sbuf b = { 0 };
    switch (rng_below(r, 5)) {
    case 0:
        sb_printf(&b, "By %s %s, %s", pick(r, first_names, NELEM(first_names)),
                  pick(r, last_names, NELEM(last_names)), site->name);
        break;
    case 1: sb_printf(&b, "Published %s", date); break;
    case 2: sb_printf(&b, "%s | %s", site->name, pick(r, sections, NELEM(sections))); break;
    case 3: sb_puts(&b, "Share this article: Facebook Twitter WhatsApp Email"); break;
    default:
        sb_printf(&b, "Updated %u minutes ago - %u min read", 1 + rng_below(r, 59), 2 + rng_below(r, 8));
        break;
    }
    return b.p;
}

/* A line added below the article. */
static char *footer_line(const model *m, rng_t *r, const site_t *site)
{
    sbuf b = { 0 };
    switch (rng_below(r, 5)) {
    case 0: sb_printf(&b, "This story was first published by %s.", site->name); break;
    case 1: {
        char *t = gen_title(m, r);
        sb_printf(&b, "Read more: %s", t);
        free(t);
        break;
    }
    case 2:
        sb_printf(&b, "(Reporting by %s %s; Editing by %s %s)", pick(r, first_names, NELEM(first_names)),
                  pick(r, last_names, NELEM(last_names)), pick(r, first_names, NELEM(first_names)),
                  pick(r, last_names, NELEM(last_names)));
        break;
    case 3: sb_printf(&b, "Copyright %s 2021. All rights reserved.", site->name); break;
    default: {
        char *t1 = gen_title(m, r), *t2 = gen_title(m, r);
        sb_printf(&b, "Related: %s | %s", t1, t2);
        free(t1);
        free(t2);
        break;
    }
    }
    return b.p;
}

/* ---- edits ---------------------------------------------------------------- */

enum {
    E_EXACT_WS, E_EXACT_CASE, E_EXACT_PUNCT,
    E_HEADER, E_FOOTER, E_DROP, E_REORDER, E_SUBSTITUTE, E_TRUNCATE, E_HEADLINE,
    E_COUNT
};
static const char *const edit_name[E_COUNT] = {
    "exact-ws", "exact-case", "exact-punct", "header", "footer", "drop", "reorder",
    "substitute", "truncate", "headline"
};

/* A plausible replacement for word i: another successor of the word before. */
static uint32_t substitute_word(const model *m, rng_t *r, const para *p, size_t i)
{
    uint32_t prev = i ? p->w[i - 1] : END_WORD, cur = p->w[i];
    for (int t = 0; t < 8; t++) {
        uint32_t c = prev != END_WORD ? next_word(m, r, prev)
                                      : m->starts[rng_below(r, (uint32_t)m->nstarts)];
        if (c != END_WORD && c != cur) return c;
    }
    for (;;) {
        uint32_t c = m->starts[rng_below(r, (uint32_t)m->nstarts)];
        if (c != cur) return c;
    }
}

typedef struct {
    const model *m;
    rng_t *r;
    const site_t *site;
    const char *date;
} edit_ctx;

/* Apply edit e to a; append its truth object to tr.  Returns 0 when the edit
 * does not apply to this article (too few paragraphs). */
static int apply_edit(const edit_ctx *c, int e, article *a, sbuf *tr)
{
    rng_t *r = c->r;
    switch (e) {
    case E_HEADER: {
        unsigned k = 1 + rng_below(r, 3);
        for (unsigned i = 0; i < k; i++) add_line(&a->head, &a->nhead, header_line(r, c->site, c->date), 1);
        sb_printf(tr, "{\"type\":\"header\",\"lines\":%u}", k);
        return 1;
    }
    case E_FOOTER: {
        unsigned k = 1 + rng_below(r, 3);
        for (unsigned i = 0; i < k; i++) add_line(&a->tail, &a->ntail, footer_line(c->m, r, c->site), 0);
        sb_printf(tr, "{\"type\":\"footer\",\"lines\":%u}", k);
        return 1;
    }
    case E_DROP: {
        if (a->np < 3) return 0;
        size_t maxk = a->np / 3 ? a->np / 3 : 1;
        size_t k = 1 + rng_below(r, (uint32_t)maxk);
        for (size_t i = 0; i < k; i++) {
            size_t j = 1 + rng_below(r, (uint32_t)(a->np - 1));
            free(a->p[j].w);
            memmove(a->p + j, a->p + j + 1, (a->np - j - 1) * sizeof *a->p);
            a->np--;
        }
        sb_printf(tr, "{\"type\":\"drop\",\"paragraphs\":%zu}", k);
        return 1;
    }
    case E_REORDER: {
        if (a->np < 3) return 0;
        size_t maxk = a->np / 4 ? a->np / 4 : 1;
        size_t k = 1 + rng_below(r, (uint32_t)maxk);
        for (size_t i = 0; i < k; i++) {
            size_t from = rng_below(r, (uint32_t)a->np), to;
            do to = rng_below(r, (uint32_t)a->np); while (to == from);
            para t = a->p[from];
            if (from < to) memmove(a->p + from, a->p + from + 1, (to - from) * sizeof *a->p);
            else memmove(a->p + to + 1, a->p + to, (from - to) * sizeof *a->p);
            a->p[to] = t;
        }
        sb_printf(tr, "{\"type\":\"reorder\",\"moved\":%zu}", k);
        return 1;
    }
    case E_SUBSTITUTE: {
        double rate = 0.01 + 0.14 * rng_unit(r);
        for (size_t i = 0; i < a->np; i++)
            for (size_t j = 0; j < a->p[i].n; j++)
                if (rng_unit(r) < rate) a->p[i].w[j] = substitute_word(c->m, r, &a->p[i], j);
        sb_printf(tr, "{\"type\":\"substitute\",\"rate\":%.3f}", rate);
        return 1;
    }
    case E_TRUNCATE: {
        if (a->np < 2) return 0;
        size_t total = art_words(a);
        double f = 0.3 + 0.6 * rng_unit(r);
        size_t keep = 0, words = 0;
        while (keep < a->np - 1 && (double)(words + a->p[keep].n) <= f * (double)total)
            words += a->p[keep++].n;
        if (keep == 0) words = a->p[keep++].n;
        for (size_t i = keep; i < a->np; i++) free(a->p[i].w);
        a->np = keep;
        sb_printf(tr, "{\"type\":\"truncate\",\"kept\":%.3f}", (double)words / (double)total);
        return 1;
    }
    case E_HEADLINE:
        free(a->title);
        a->title = gen_title(c->m, r);
        sb_puts(tr, "{\"type\":\"headline\"}");
        return 1;
    default:
        sb_printf(tr, "{\"type\":\"%s\"}", edit_name[e]);
        return 1;
    }
}

/* ---- rendering ----------------------------------------------------------- */

enum { R_WS = 1, R_LOWER = 2, R_UPPER_HEAD = 4, R_PUNCT = 8 };

typedef struct {
    size_t start, end;         /* byte offsets in the text */
} span;

static void put_word(sbuf *b, const char *s, size_t n, unsigned style)
{
    size_t at = b->len;
    if (style & R_PUNCT) {
        /* Drop a trailing comma; straight quotes for curly ones. */
        if (n > 1 && s[n - 1] == ',') n--;
        for (size_t i = 0; i < n; i++) {
            if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                ((unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9D)) {
                sb_putc(b, '"');
                i += 2;
            } else {
                sb_putc(b, s[i]);
            }
        }
    } else {
        sb_put(b, s, n);
    }
    if (style & R_LOWER)
        for (size_t i = at; i < b->len; i++)
            if (b->p[i] >= 'A' && b->p[i] <= 'Z') b->p[i] = (char)(b->p[i] + 32);
}

static void put_line(sbuf *b, const char *s, unsigned style, int upper)
{
    size_t at = b->len;
    put_word(b, s, strlen(s), style & (R_LOWER | R_PUNCT));
    if (upper)
        for (size_t i = at; i < b->len; i++)
            if (b->p[i] >= 'a' && b->p[i] <= 'z') b->p[i] = (char)(b->p[i] - 32);
}

/* Plain text of a; furniture lines (if any) around it; byte spans of every
 * paragraph in pspan (a->np entries); line numbers of furniture in furn. */
static void render(const model *m, const article *a, const site_t *furn_site, unsigned style,
                   rng_t *r, sbuf *out, span *pspan, sbuf *furn)
{
    out->len = 0;
    if (out->p) out->p[0] = 0;
    unsigned line = 1;
    int nl = a->sep + ((style & R_WS) ? 1 : 0);
    if (furn_site)
        for (int k = 0; k < furn_site->nfh; k++) {
            put_line(out, furn_site->furn_head[k], 0, 0);
            sb_putc(out, '\n');
            sb_printf(furn, "%s%u", furn->len > 1 ? "," : "", line++);
        }
    for (size_t i = 0; i < a->nhead; i++) {
        put_line(out, a->head[i], style, 0);
        sb_putc(out, '\n');
        line++;
    }
    if (a->headline_in_text) {
        put_line(out, a->title, style, (style & R_UPPER_HEAD) != 0);
        for (int k = 0; k < nl; k++) sb_putc(out, '\n');
        line += (unsigned)nl;
    }
    for (size_t i = 0; i < a->np; i++) {
        const para *p = &a->p[i];
        pspan[i].start = out->len;
        for (size_t j = 0; j < p->n; j++) {
            if (j) {
                sb_putc(out, ' ');
                if ((style & R_WS) && rng_below(r, 16) == 0) sb_putc(out, ' ');
            }
            put_word(out, word_str(m, p->w[j]), m->len[p->w[j]], style);
        }
        pspan[i].end = out->len;
        if ((style & R_WS) && rng_below(r, 3) == 0) sb_putc(out, ' ');
        if (i + 1 < a->np || a->ntail || (furn_site && furn_site->nft)) {
            for (int k = 0; k < nl; k++) sb_putc(out, '\n');
            line += (unsigned)nl;
        }
    }
    for (size_t i = 0; i < a->ntail; i++) {
        put_line(out, a->tail[i], style, 0);
        if (i + 1 < a->ntail || (furn_site && furn_site->nft)) sb_putc(out, '\n');
        line++;
    }
    if (furn_site)
        for (int k = 0; k < furn_site->nft; k++) {
            put_line(out, furn_site->furn_tail[k], 0, 0);
            if (k + 1 < furn_site->nft) sb_putc(out, '\n');
            sb_printf(furn, "%s%u", furn->len > 1 ? "," : "", line++);
        }
}

/* Code points before byte offset `off`, counting from (from_byte, from_cp). */
static size_t cp_at(const char *s, size_t from_byte, size_t from_cp, size_t off)
{
    size_t cp = from_cp;
    for (size_t i = from_byte; i < off; i++) cp += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cp;
}

/* ---- the emission queue --------------------------------------------------- */

/* Copies are written a random distance after what they copy; a min-heap on
 * (due step, sequence number) holds finished records until then. */
typedef struct {
    uint64_t due, seq;
    char *rec, *truth;
    size_t rec_len, truth_len;
} pending;

typedef struct {
    pending *h;
    size_t n, cap;
    uint64_t bytes;
} heap_t;

static int pend_less(const pending *a, const pending *b)
{
    return a->due != b->due ? a->due < b->due : a->seq < b->seq;
}

static void heap_push(heap_t *q, pending e)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 1024;
        q->h = xrealloc(q->h, q->cap * sizeof *q->h);
    }
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!pend_less(&e, &q->h[p])) break;
        q->h[i] = q->h[p];
        i = p;
    }
    q->h[i] = e;
    q->bytes += e.rec_len;
}

static pending heap_pop(heap_t *q)
{
    pending top = q->h[0], last = q->h[--q->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= q->n) break;
        if (c + 1 < q->n && pend_less(&q->h[c + 1], &q->h[c])) c++;
        if (!pend_less(&q->h[c], &last)) break;
        q->h[i] = q->h[c];
        i = c;
    }
    if (q->n) q->h[i] = last;
    q->bytes -= top.rec_len;
    return top;
}

/* ---- passage sources ------------------------------------------------------ */

#define RING 1024

typedef struct {
    char id[32];
    article a;                 /* paragraphs as written */
    size_t *cps, *cpe;         /* code-point span of each paragraph in its text */
    int live, used;
} source_t;

/* ---- the generator --------------------------------------------------------- */

typedef struct {
    uint64_t seed;
    uint64_t bytes, docs;
    int near, passages;
    double dup_share, passage_share;
    unsigned max_group, nsites, days;
    double doc_bytes;
    int furniture, quiet;
    const char *output, *truth, *eval;
    const char **sources;
    size_t nsources;
} gen_opts;

typedef struct {
    const gen_opts *o;
    model m;
    rng_t r;
    site_t *sites;
    double site_wsum;
    double mean_words;
    double p_group;            /* probability that a base article starts a group */
    double group_cdf[65];
    heap_t q;
    gema_out *out, *tout;
    uint64_t step, seq, next_id, next_group;
    uint64_t written_docs, written_bytes;
    uint64_t stat_groups, stat_grouped, stat_passages, stat_exact, stat_near;
    source_t ring[RING];
    size_t ring_pos;
    sbuf text, rec, tr;
    span *pspan;
    size_t pspan_cap;
    int tty;                   /* progress on stderr */
} gen_t;

static void emit(gen_t *g, pending e)
{
    gema_out_write(g->out, e.rec, e.rec_len);
    if (g->tout) gema_out_write(g->tout, e.truth, e.truth_len);
    g->written_docs++;
    g->written_bytes += e.rec_len;
    free(e.rec);
    free(e.truth);
}

static void slug(sbuf *b, const char *title)
{
    size_t at = b->len;
    int dash = 0;
    for (const char *p = title; *p && b->len - at < 60; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && b->len > at) sb_putc(b, '-');
            dash = 0;
            sb_putc(b, c);
        } else {
            dash = 1;
        }
    }
    if (b->len == at) sb_puts(b, "article");
}

/* A passage planted in a target document. */
typedef struct {
    const source_t *src;
    size_t first, count;       /* source paragraphs copied */
    char edits[64];            /* JSON array body */
} plant;

typedef struct {
    const char *id;
    unsigned site;
    int64_t time;
    int64_t group;             /* -1 = none */
    const char *role;
    const char *parent;
    const char *edits;         /* JSON array body */
    unsigned style;
} doc_meta;

/* Render article a as document meta; queue its record and truth line. */
static void finish_doc(gen_t *g, const article *a, const doc_meta *dm, uint64_t due,
                       source_t *as_source, const plant *pl, size_t npl)
{
    const site_t *site = &g->sites[dm->site];
    if (g->pspan_cap < a->np + 1) {
        g->pspan_cap = a->np + 16;
        g->pspan = xrealloc(g->pspan, g->pspan_cap * sizeof *g->pspan);
    }
    sbuf furn = { 0 };
    sb_putc(&furn, '[');
    render(&g->m, a, g->o->furniture ? site : NULL, dm->style, &g->r, &g->text, g->pspan, &furn);
    sb_putc(&furn, ']');
    sbuf *rec = &g->rec;
    rec->len = 0;
    sb_puts(rec, "{\"id\":");
    sb_json(rec, dm->id, strlen(dm->id));
    sb_puts(rec, ",\"url\":\"https://");
    sb_puts(rec, site->host);
    sb_printf(rec, "/%s/", sections[XXH3_64bits(dm->id, strlen(dm->id)) % NELEM(sections)]);
    {
        int y;
        unsigned mo, d;
        civil_from_days(dm->time / 86400, &y, &mo, &d);
        sb_printf(rec, "%04d/%02u/%02u/", y, mo, d);
    }
    slug(rec, a->title);
    sb_printf(rec, "-%s\",\"date\":\"", dm->id);
    format_date(rec, site, dm->time);
    sb_puts(rec, "\",\"title\":");
    sb_json(rec, a->title, strlen(a->title));
    sb_puts(rec, ",\"text\":");
    sb_json(rec, g->text.p ? g->text.p : "", g->text.len);
    sb_puts(rec, "}\n");

    sbuf *tr = &g->tr;
    tr->len = 0;
    sb_puts(tr, "{\"kind\":\"doc\",\"id\":");
    sb_json(tr, dm->id, strlen(dm->id));
    sb_printf(tr, ",\"site\":\"%s\",\"group\":", site->host);
    if (dm->group >= 0) sb_printf(tr, "%lld", (long long)dm->group);
    else sb_puts(tr, "null");
    sb_printf(tr, ",\"role\":\"%s\",\"parent\":", dm->role);
    if (dm->parent) sb_json(tr, dm->parent, strlen(dm->parent));
    else sb_puts(tr, "null");
    sb_printf(tr, ",\"edits\":[%s],\"headline_in_text\":%s,\"furniture\":%s}\n",
              dm->edits ? dm->edits : "", a->headline_in_text ? "true" : "false", furn.p);
    free(furn.p);
    for (size_t k = 0; k < npl; k++) {
        /* The inserted paragraphs are contiguous and tagged k + 1. */
        size_t first = SIZE_MAX, last = 0;
        for (size_t i = 0; i < a->np; i++)
            if (a->p[i].tag == (int)k + 1) {
                if (first == SIZE_MAX) first = i;
                last = i;
            }
        if (first == SIZE_MAX) continue;
        size_t ts = cp_at(g->text.p, 0, 0, g->pspan[first].start);
        size_t te = cp_at(g->text.p, g->pspan[first].start, ts, g->pspan[last].end);
        const source_t *src = pl[k].src;
        sb_puts(tr, "{\"kind\":\"passage\",\"source\":");
        sb_json(tr, src->id, strlen(src->id));
        sb_printf(tr, ",\"source_start\":%zu,\"source_end\":%zu,\"target\":",
                  src->cps[pl[k].first], src->cpe[pl[k].first + pl[k].count - 1]);
        sb_json(tr, dm->id, strlen(dm->id));
        sb_printf(tr, ",\"target_start\":%zu,\"target_end\":%zu,\"paragraphs\":%zu,\"edits\":[%s]}\n",
                  ts, te, pl[k].count, pl[k].edits);
        g->stat_passages++;
    }

    if (as_source) {
        /* Keep the paragraphs and their code-point spans for later targets. */
        source_t *s = as_source;
        snprintf(s->id, sizeof s->id, "%s", dm->id);
        art_copy(&s->a, a);
        s->cps = xrealloc(NULL, (a->np + 1) * sizeof *s->cps);
        s->cpe = xrealloc(NULL, (a->np + 1) * sizeof *s->cpe);
        size_t fb = 0, fc = 0;
        for (size_t i = 0; i < a->np; i++) {
            fc = cp_at(g->text.p, fb, fc, g->pspan[i].start);
            fb = g->pspan[i].start;
            s->cps[i] = fc;
            fc = cp_at(g->text.p, fb, fc, g->pspan[i].end);
            fb = g->pspan[i].end;
            s->cpe[i] = fc;
        }
        s->live = 1;
        s->used = 0;
    }

    pending e;
    e.due = due;
    e.seq = g->seq++;
    e.rec = xstrdup(rec->p, rec->len);
    e.rec_len = rec->len;
    e.truth = xstrdup(tr->p, tr->len);
    e.truth_len = tr->len;
    heap_push(&g->q, e);
}

static void source_free(source_t *s)
{
    if (!s->live) return;
    art_free(&s->a);
    free(s->cps);
    free(s->cpe);
    s->live = 0;
}

static int64_t base_time(gen_t *g, uint64_t expected_docs)
{
    double frac = expected_docs ? (double)g->step / (double)expected_docs : 0;
    if (frac > 1) frac = 1;
    double t = frac * g->o->days * 86400.0 + (rng_unit(&g->r) - 0.5) * 43200.0;
    if (t < 0) t = rng_unit(&g->r) * 3600;
    return EPOCH_2021 + (int64_t)t;
}

static unsigned pick_group_size(gen_t *g)
{
    double x = rng_unit(&g->r);
    for (unsigned k = 2; k <= g->o->max_group; k++)
        if (x < g->group_cdf[k]) return k;
    return g->o->max_group;
}

/* Light edits inside a copied passage: a changed word, a dropped clause,
 * a dropped comma.  Names of the edits made are appended to ed. */
static void passage_edits(gen_t *g, para *p, sbuf *ed)
{
    rng_t *r = &g->r;
    const model *m = &g->m;
    if (p->n > 4 && rng_unit(r) < 0.3) {
        size_t i = 1 + rng_below(r, (uint32_t)(p->n - 1));
        p->w[i] = substitute_word(m, r, p, i);
        sb_printf(ed, "%s\"word\"", ed->len ? "," : "");
    }
    if (p->n > 10 && rng_unit(r) < 0.2) {
        /* "A, b c d, e" -> "A, e": from after one comma to the next. */
        size_t s0 = rng_below(r, (uint32_t)p->n);
        for (size_t t = 0; t < p->n; t++) {
            size_t i = (s0 + t) % p->n;
            if (!(m->flags[p->w[i]] & W_COMMA)) continue;
            size_t j = i + 1;
            while (j < p->n && j - i <= 12 && !(m->flags[p->w[j]] & (W_COMMA | W_FINAL))) j++;
            if (j >= p->n || j - i > 12 || !(m->flags[p->w[j]] & W_COMMA)) continue;
            memmove(p->w + i + 1, p->w + j + 1, (p->n - j - 1) * sizeof *p->w);
            p->n -= j - i;
            sb_printf(ed, "%s\"clause\"", ed->len ? "," : "");
            break;
        }
    }
    if (rng_unit(r) < 0.3) {
        for (size_t i = 0; i < p->n; i++) {
            uint32_t w = p->w[i];
            if (!(m->flags[w] & W_COMMA) || m->len[w] < 2) continue;
            uint32_t bare = word_find(m, word_str(m, w), m->len[w] - 1u);
            if (bare == END_WORD) continue;
            p->w[i] = bare;
            sb_printf(ed, "%s\"punct\"", ed->len ? "," : "");
            break;
        }
    }
}

static source_t *pick_source(gen_t *g)
{
    for (int t = 0; t < 16; t++) {
        source_t *s = &g->ring[rng_below(&g->r, RING)];
        if (s->live && !s->used && s->a.np > 0) return s;
    }
    return NULL;
}

static void make_id(gen_t *g, char *buf, size_t n)
{
    snprintf(buf, n, "gen%09llu", (unsigned long long)g->next_id++);
}

#define DELAY_WINDOW 2000  /* copies appear up to this many articles later */

/* A group: the original and its copies. */
static void make_group(gen_t *g, article *base, unsigned size, unsigned site, int64_t t)
{
    typedef struct {
        article a;
        char id[32];
        unsigned site;
        int64_t time;
    } mem;
    mem *ms = xrealloc(NULL, size * sizeof *ms);
    int64_t gid = (int64_t)g->next_group++;
    ms[0].a = *base;
    make_id(g, ms[0].id, sizeof ms[0].id);
    ms[0].site = site;
    ms[0].time = t;
    doc_meta dm = { ms[0].id, site, t, gid, "original", NULL, "", 0 };
    finish_doc(g, &ms[0].a, &dm, g->step, NULL, NULL, 0);
    sbuf ed = { 0 };
    for (unsigned k = 1; k < size; k++) {
        rng_t *r = &g->r;
        unsigned par = (k == 1 || rng_unit(r) < 0.8) ? 0 : rng_below(r, k);
        mem *c = &ms[k];
        art_copy(&c->a, &ms[par].a);
        for (size_t i = 0; i < c->a.np; i++) c->a.p[i].tag = 0;
        make_id(g, c->id, sizeof c->id);
        c->site = pick_site(g->sites, g->o->nsites, g->site_wsum, r, (int)ms[par].site);
        c->time = ms[par].time + (int64_t)(rng_unit(r) * 72 * 3600);
        ed.len = 0;
        if (ed.p) ed.p[0] = 0;
        unsigned style = 0;
        if (rng_unit(r) < 0.25) {
            /* Exact copy: only white space, case or punctuation differ. */
            int e = E_EXACT_WS + (int)rng_below(r, 3);
            style = e == E_EXACT_WS ? R_WS
                  : e == E_EXACT_PUNCT ? R_PUNCT
                  : (rng_unit(r) < 0.5 ? R_LOWER : R_UPPER_HEAD);
            edit_ctx ec = { &g->m, r, &g->sites[c->site], NULL };
            apply_edit(&ec, e, &c->a, &ed);
            g->stat_exact++;
        } else {
            double x = rng_unit(r);
            unsigned nedits = x < 0.6 ? 1 : x < 0.9 ? 2 : 3;
            unsigned done = 0, tried = 0;
            int used[E_COUNT] = { 0 };
            sbuf date = { 0 };
            format_date(&date, &g->sites[c->site], c->time);
            edit_ctx ec = { &g->m, r, &g->sites[c->site], date.p };
            while (done < nedits && tried < 40) {
                tried++;
                int e = E_HEADER + (int)rng_below(r, E_COUNT - E_HEADER);
                if (used[e]) continue;
                used[e] = 1;
                size_t mark = ed.len;
                if (done) sb_putc(&ed, ',');
                if (apply_edit(&ec, e, &c->a, &ed)) done++;
                else if (ed.p) { ed.len = mark; ed.p[mark] = 0; }
            }
            free(date.p);
            g->stat_near++;
        }
        doc_meta cm = { c->id, c->site, c->time, gid, "copy", ms[par].id, ed.p ? ed.p : "", style };
        finish_doc(g, &c->a, &cm, g->step + 1 + rng_below(r, DELAY_WINDOW), NULL, NULL, 0);
    }
    free(ed.p);
    for (unsigned k = 0; k < size; k++) art_free(&ms[k].a);
    free(ms);
    g->stat_groups++;
    g->stat_grouped += size;
}

/* A document that takes one or two passages from earlier documents. */
static int make_target(gen_t *g, article *a, unsigned site, int64_t t)
{
    rng_t *r = &g->r;
    plant pl[2];
    size_t npl = 0, want = rng_unit(r) < 0.8 ? 1 : 2;
    for (size_t k = 0; k < want; k++) {
        source_t *s = pick_source(g);
        if (!s) break;
        static const double len_cdf[] = { 0.35, 0.65, 0.85, 0.95, 1.0 };
        double x = rng_unit(r);
        size_t len = 1;
        while (len < 5 && x >= len_cdf[len - 1]) len++;
        if (len > s->a.np) len = s->a.np;
        size_t first = rng_below(r, (uint32_t)(s->a.np - len + 1));
        sbuf ed = { 0 };
        /* Insert after the lead (or after the previous passage). */
        size_t at = 1 + rng_below(r, (uint32_t)a->np);
        for (size_t i = 0; i < len; i++) {
            para p = s->a.p[first + i];
            p.w = xrealloc(NULL, (p.n ? p.n : 1) * sizeof *p.w);
            memcpy(p.w, s->a.p[first + i].w, p.n * sizeof *p.w);
            p.cap = p.n;
            p.tag = (int)npl + 1;
            passage_edits(g, &p, &ed);
            art_add_para(a);
            memmove(a->p + at + i + 1, a->p + at + i, (a->np - 1 - at - i) * sizeof *a->p);
            a->p[at + i] = p;
        }
        pl[npl].src = s;
        pl[npl].first = first;
        pl[npl].count = len;
        snprintf(pl[npl].edits, sizeof pl[npl].edits, "%s", ed.p ? ed.p : "");
        free(ed.p);
        s->used = 1;
        npl++;
    }
    if (!npl) return 0;
    char id[32];
    make_id(g, id, sizeof id);
    doc_meta dm = { id, site, t, -1, "single", NULL, "", 0 };
    finish_doc(g, a, &dm, g->step, NULL, pl, npl);
    return 1;
}

static void drain(gen_t *g, int all)
{
    while (g->q.n && (all || g->q.h[0].due <= g->step)) emit(g, heap_pop(&g->q));
}

static int generate(gen_t *g)
{
    const gen_opts *o = g->o;
    uint64_t expected_docs = o->docs ? o->docs
                                     : (uint64_t)((double)o->bytes / (o->doc_bytes + 260.0)) + 1;
    /* Mean group size under P(k) ~ k^-2, k = 2..max_group. */
    double z = 0, mu = 0;
    for (unsigned k = 2; k <= o->max_group; k++) z += 1.0 / ((double)k * k);
    double acc = 0;
    for (unsigned k = 2; k <= o->max_group; k++) {
        double pk = 1.0 / ((double)k * k) / z;
        mu += k * pk;
        acc += pk;
        g->group_cdf[k] = acc;
    }
    /* q bases start groups: share of grouped documents q*mu / (1 + q*(mu - 1)). */
    double D = o->near ? o->dup_share : 0;
    g->p_group = D > 0 ? D / (mu - D * (mu - 1)) : 0;
    double pt = o->passages ? o->passage_share * (1 + g->p_group * (mu - 1)) / (1 - g->p_group) : 0;
    if (pt > 1) pt = 1;
    uint64_t planned = 0;
    for (;;) {
        if (o->docs ? planned >= o->docs : g->written_bytes + g->q.bytes >= o->bytes) break;
        g->step++;
        rng_t *r = &g->r;
        article a;
        gen_article(&g->m, r, g->mean_words, &a);
        a.headline_in_text = rng_unit(r) < 0.6;
        a.sep = rng_unit(r) < 0.5 ? 1 : 2;
        unsigned site = pick_site(g->sites, o->nsites, g->site_wsum, r, -1);
        int64_t t = base_time(g, expected_docs);
        double x = rng_unit(r);
        uint64_t room = o->docs ? o->docs - planned : UINT64_MAX;
        if (x < g->p_group && room >= 2) {
            unsigned size = pick_group_size(g);
            if (size > room) size = (unsigned)room;
            make_group(g, &a, size, site, t); /* takes a */
            planned += size;
        } else if (rng_unit(r) < pt && make_target(g, &a, site, t)) {
            art_free(&a);
            planned++;
        } else {
            source_t *s = &g->ring[g->ring_pos++ % RING];
            source_free(s);
            char id[32];
            make_id(g, id, sizeof id);
            doc_meta dm = { id, site, t, -1, "single", NULL, "", 0 };
            finish_doc(g, &a, &dm, g->step, o->passages ? s : NULL, NULL, 0);
            art_free(&a);
            planned++;
        }
        drain(g, 0);
        if (g->tty && g->step % 20000 == 0)
            fprintf(stderr, "\rgen_corpus: %llu documents, %.0f MB",
                    (unsigned long long)g->written_docs, (double)g->written_bytes / 1e6);
    }
    drain(g, 1);
    return 0;
}

/* ---- options and main ------------------------------------------------------ */

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) return -1;
    double mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1e3; end++; break;
    case 'm': case 'M': mul = 1e6; end++; break;
    case 'g': case 'G': mul = 1e9; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b') end++;
    if (*end) return -1;
    *out = (uint64_t)(v * mul);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every *.jsonl directly in dir, in byte order of names. */
static int find_sources(const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "gen_corpus: %s: %s (give --source FILE or --eval DIR)\n", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    char **v = NULL;
    size_t k = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 6, ".jsonl") != 0) continue;
        v = xrealloc(v, (k + 1) * sizeof *v);
        sbuf b = { 0 };
        sb_printf(&b, "%s/%s", dir, e->d_name);
        v[k++] = b.p;
    }
    closedir(d);
    if (!k) {
        fprintf(stderr, "gen_corpus: %s: no *.jsonl files\n", dir);
        return -1;
    }
    qsort(v, k, sizeof *v, cmp_str);
    *out = v;
    *n = k;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#include <getopt.h>

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "gen_corpus: %s%s%s\nTry 'gen_corpus --help'.\n", msg, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    gen_opts o;
    memset(&o, 0, sizeof o);
    o.seed = 1;
    o.near = 1;
    o.dup_share = 0.25;
    o.passage_share = 0.10;
    o.max_group = 12;
    o.nsites = 50;
    o.days = 365;
    o.doc_bytes = 3100;
    o.eval = getenv("GEMA_EVAL") ? getenv("GEMA_EVAL") : "../shared/eval";
    enum { O_BYTES = 1000, O_DOCS, O_SEED, O_MODE, O_DUP, O_MAXG, O_PSH, O_DOCB, O_SITES, O_DAYS,
           O_FURN, O_SOURCE, O_EVAL, O_TRUTH };
    static const struct option lo[] = {
        { "bytes", required_argument, NULL, O_BYTES }, { "docs", required_argument, NULL, O_DOCS },
        { "seed", required_argument, NULL, O_SEED }, { "mode", required_argument, NULL, O_MODE },
        { "dup-share", required_argument, NULL, O_DUP }, { "max-group", required_argument, NULL, O_MAXG },
        { "passage-share", required_argument, NULL, O_PSH },
        { "doc-bytes", required_argument, NULL, O_DOCB }, { "sites", required_argument, NULL, O_SITES },
        { "days", required_argument, NULL, O_DAYS }, { "furniture", no_argument, NULL, O_FURN },
        { "source", required_argument, NULL, O_SOURCE }, { "eval", required_argument, NULL, O_EVAL },
        { "output", required_argument, NULL, 'o' }, { "truth", required_argument, NULL, O_TRUTH },
        { "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    uint64_t u;
    double dv;
    while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        switch (c) {
        case O_BYTES:
            if (parse_size(optarg, &o.bytes) || o.bytes == 0) return usage_error("bad --bytes", optarg);
            break;
        case O_DOCS:
            if (parse_size(optarg, &o.docs) || o.docs == 0) return usage_error("bad --docs", optarg);
            break;
        case O_SEED:
            if (parse_size(optarg, &o.seed)) return usage_error("bad --seed", optarg);
            break;
        case O_MODE:
            if (!strcmp(optarg, "near")) { o.near = 1; o.passages = 0; }
            else if (!strcmp(optarg, "passages")) { o.near = 0; o.passages = 1; }
            else if (!strcmp(optarg, "both")) { o.near = 1; o.passages = 1; }
            else if (!strcmp(optarg, "none")) { o.near = 0; o.passages = 0; }
            else return usage_error("--mode is near, passages, both or none", optarg);
            break;
        case O_DUP:
            if (parse_double(optarg, 0, 0.9, &o.dup_share)) return usage_error("--dup-share is 0..0.9", optarg);
            break;
        case O_MAXG:
            if (parse_size(optarg, &u) || u < 2 || u > 64) return usage_error("--max-group is 2..64", optarg);
            o.max_group = (unsigned)u;
            break;
        case O_PSH:
            if (parse_double(optarg, 0, 0.5, &o.passage_share)) return usage_error("--passage-share is 0..0.5", optarg);
            break;
        case O_DOCB:
            if (parse_double(optarg, 200, 1e6, &dv)) return usage_error("--doc-bytes is 200..1000000", optarg);
            o.doc_bytes = dv;
            break;
        case O_SITES:
            if (parse_size(optarg, &u) || u < 2 || u > 10000) return usage_error("--sites is 2..10000", optarg);
            o.nsites = (unsigned)u;
            break;
        case O_DAYS:
            if (parse_size(optarg, &u) || u < 1 || u > 36500) return usage_error("--days is 1..36500", optarg);
            o.days = (unsigned)u;
            break;
        case O_FURN: o.furniture = 1; break;
        case O_SOURCE:
            o.sources = xrealloc(o.sources, (o.nsources + 1) * sizeof *o.sources);
            o.sources[o.nsources++] = optarg;
            break;
        case O_EVAL: o.eval = optarg; break;
        case 'o': o.output = optarg; break;
        case O_TRUTH: o.truth = optarg; break;
        case 'q': o.quiet = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return usage_error("unknown option", NULL);
        }
    }
    if (optind < argc) return usage_error("unexpected argument", argv[optind]);
    if (!o.bytes == !o.docs) return usage_error("give one of --bytes and --docs", NULL);
    if (!o.output) return usage_error("--output is required", NULL);

    double t0 = now_s();
    gen_t *g = calloc(1, sizeof *g);
    if (!g) xrealloc(NULL, SIZE_MAX);
    g->o = &o;
    g->tty = !o.quiet && isatty(2);
    model_init(&g->m);
    char **found = NULL;
    size_t nfound = 0;
    if (!o.nsources) {
        if (find_sources(o.eval, &found, &nfound)) return 1;
        o.sources = (const char **)found;
        o.nsources = nfound;
    }
    for (size_t i = 0; i < o.nsources; i++)
        if (learn_file(&g->m, o.sources[i])) return 1;
    model_finish(&g->m);
    if (!g->m.nstarts) {
        fprintf(stderr, "gen_corpus: the sources hold no text\n");
        return 1;
    }
    g->mean_words = o.doc_bytes / g->m.bytes_per_word;
    rng_seed(&g->r, o.seed);
    g->sites = calloc(o.nsites, sizeof *g->sites);
    if (!g->sites) xrealloc(NULL, SIZE_MAX);
    make_sites(g->sites, o.nsites, &g->r);
    for (unsigned i = 0; i < o.nsites; i++) g->site_wsum += g->sites[i].weight;
    double t1 = now_s();

    if (gema_out_open(o.output, &g->out) != GEMA_OK) {
        fprintf(stderr, "gen_corpus: %s: cannot open for writing\n", o.output);
        return 1;
    }
    if (o.truth && gema_out_open(o.truth, &g->tout) != GEMA_OK) {
        fprintf(stderr, "gen_corpus: %s: cannot open for writing\n", o.truth);
        gema_out_abort(g->out);
        return 1;
    }
    generate(g);
    int rc = gema_out_commit(g->out);
    if (rc != GEMA_OK) {
        fprintf(stderr, "gen_corpus: %s: %s\n", o.output, gema_strerror(rc));
        gema_out_abort(g->tout);
        return 1;
    }
    if (g->tout && (rc = gema_out_commit(g->tout)) != GEMA_OK) {
        fprintf(stderr, "gen_corpus: %s: %s\n", o.truth, gema_strerror(rc));
        return 1;
    }
    double t2 = now_s();
    if (!o.quiet) {
        fprintf(stderr, "%sgen_corpus: model from %llu articles (%.1f MB, %llu words): %zu word types, "
                "%zu bigrams, %.2f bytes/word; %.2f s\n",
                g->tty ? "\r" : "", (unsigned long long)g->m.source_docs, (double)g->m.source_bytes / 1e6,
                (unsigned long long)g->m.source_words, g->m.nwords - 1,
                (size_t)g->m.succ_start[g->m.nwords], g->m.bytes_per_word, t1 - t0);
        fprintf(stderr, "gen_corpus: %llu documents, %.1f MB (%.0f bytes/doc) in %.2f s (%.0f MB/s)\n",
                (unsigned long long)g->written_docs, (double)g->written_bytes / 1e6,
                g->written_docs ? (double)g->written_bytes / (double)g->written_docs : 0.0, t2 - t1,
                (double)g->written_bytes / 1e6 / (t2 - t1));
        fprintf(stderr, "gen_corpus: %llu groups holding %llu documents (%.1f%%): %llu exact and "
                "%llu near copies; %llu passages\n",
                (unsigned long long)g->stat_groups, (unsigned long long)g->stat_grouped,
                g->written_docs ? 100.0 * (double)g->stat_grouped / (double)g->written_docs : 0.0,
                (unsigned long long)g->stat_exact, (unsigned long long)g->stat_near,
                (unsigned long long)g->stat_passages);
    }
    for (size_t i = 0; i < RING; i++) source_free(&g->ring[i]);
    for (size_t i = 0; i < nfound; i++) free(found[i]);
    free(found);
    if (!nfound) free(o.sources);
    for (unsigned i = 0; i < o.nsites; i++) {
        for (int k = 0; k < g->sites[i].nfh; k++) free(g->sites[i].furn_head[k]);
        for (int k = 0; k < g->sites[i].nft; k++) free(g->sites[i].furn_tail[k]);
    }
    free(g->sites);
    model_free(&g->m);
    free(g->q.h);
    free(g->text.p);
    free(g->rec.p);
    free(g->tr.p);
    free(g->pspan);
    free(g);
    return 0;
}
