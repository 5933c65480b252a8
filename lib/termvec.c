/*
 * termvec.c - term vectors of articles: stems, names, numbers, title.
 *
 * One pass over the tokens (with spans) of the text, then one over the
 * title.  Per token the cost is a stop-word probe, a stem-cache probe and
 * a probe of the article's own term table; names need two passes over the
 * tokens that can be names, which set_flags() lists.  Display strings are
 * only made for the terms that survive truncation, chosen and ordered by a
 * partial sort.
 *
 * Names.  Capitalisation is the evidence, but capitals also start
 * sentences, fill Title Case headlines and menus, and mark weekdays.  So a
 * word counts as a name when the article capitalises it somewhere in
 * mid-sentence on a line that is not in Title Case (a line is Title Case
 * when at most one in eight of its content words is lower-case), it is not a
 * function word (acronyms such as "US" and "AS" excepted) and not a weekday
 * or month.  Once shown to be a name, a word is a name wherever it is
 * capitalised, headlines and sentence starts included; a capitalised word
 * starting a sentence right before a name joins it ("Tara Reid checked
 * in": Reid is shown by another sentence, Tara joins).  This is the
 * document-level consistency heuristic of classic named-entity spotting;
 * it needs no dictionary and works for any language that capitalises.
 */
#include "termvec.h"

#include "stem.h"
#include "stopwords.h"
#include "tokenize.h"

#include <math.h>
#include <stdio.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* Channel constants mixed into term hashes (ASCII "NAME", "NUMB", "DATE"). */
#define SALT_NAME 0x4E414D45A5A5A5A5ULL
#define SALT_NUMBER 0x4E554D425A5A5A5AULL
#define SALT_DATE 0x44415445C3C3C3C3ULL

enum { DISP_NORM, DISP_ORIG, DISP_DATE };

typedef struct {
    uint64_t term;
    float tf;
    uint8_t channel;
    uint8_t src;        /* 0 text, 1 title: whose tokens first..last index */
    uint8_t kind;       /* DISP_* */
    uint8_t strip;      /* bytes to drop from the end of the display (possessive) */
    uint32_t first, last; /* token range of the display form; month, day for dates */
    uint32_t rank;      /* smaller is a better display form */
    float w;
} acc;

enum {
    TF_STOP = 1,       /* function word or quote verb of the article's language */
    TF_INITIAL = 2,    /* starts a sentence, quote or line */
    TF_TITLECASE = 4,  /* on a Title Case line */
    TF_UPPER = 8,      /* starts with a capital */
    TF_ACRONYM = 16,   /* two or more capitals and nothing else */
    TF_CALENDAR = 32,  /* weekday or month */
    TF_NAME = 64,      /* a name here */
    TF_WORDISH = 128   /* letters of a spaced script */
};

typedef struct {
    gema_tokenizer tok;
    unsigned char *flags;
    uint64_t *key;     /* name key (hash of the word without a possessive) */
    uint8_t *strip;    /* possessive bytes in the normalised form */
    gema_swinfo *info; /* stop-word facts of each token, 0 if in no list */
    uint32_t *cand;    /* tokens that can be names (can_be_name()), in order */
    size_t ncand;
    size_t cap;
} source;

/* A weighted term's place in the order "heavier first, then smaller term":
 * hi holds the weight's bits inverted (a positive float's bits order as its
 * value) and the term's high half, lo the term's low half and the term's
 * index in acc[].  Terms are distinct, so comparing (hi, lo) as one 128-bit
 * number is that order, and sorting these needs no trip to acc[]. */
typedef struct {
    uint64_t hi, lo;
} rank_key;

#define LOG_TABLE 64

struct gema_featurizer {
    gema_feature_params p;
    gema_stemmer *stem;
    source src[2];
    acc *acc;
    size_t nacc, acc_cap;
    uint32_t *slots;      /* index + 1 into acc, 0 = empty */
    size_t nslots;
    uint64_t *names;      /* set of confirmed name keys (open addressing, 0 = empty) */
    size_t nnames_cap;
    rank_key *order;      /* the weighted terms, heaviest first once sorted */
    size_t order_cap;
    double log_small[LOG_TABLE]; /* log(i) */
    gema_lang lang;
};

/* ---- vectors ----------------------------------------------------------- */

void gema_fvec_free(gema_fvec *v)
{
    if (!v) return;
    free(v->t);
    gema_buf_free(&v->strings);
    memset(v, 0, sizeof *v);
}

static int fvec_reserve(gema_fvec *v, size_t n)
{
    if (n <= v->cap) return GEMA_OK;
    size_t cap = v->cap ? v->cap : 64;
    while (cap < n) cap *= 2;
    gema_fterm *t = gema_realloc_array(v->t, cap, sizeof *t);
    if (!t) return GEMA_ERR_NOMEM;
    v->t = t;
    v->cap = cap;
    return GEMA_OK;
}

int gema_fvec_copy(gema_fvec *dst, const gema_fvec *src)
{
    if (fvec_reserve(dst, src->n) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (src->n) memcpy(dst->t, src->t, src->n * sizeof *src->t);
    dst->n = src->n;
    gema_buf_clear(&dst->strings);
    if (src->strings.len &&
        gema_buf_append(&dst->strings, src->strings.data, src->strings.len) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    dst->lang = src->lang;
    dst->tokens = src->tokens;
    return GEMA_OK;
}

/* ---- document frequencies ---------------------------------------------- */

typedef struct {
    uint64_t key;
    double w;
} idf_entry;

struct gema_idf {
    uint64_t *key;   /* 0 = empty; a term hashing to 0 is stored as 1 */
    uint32_t *df;
    size_t cap, n;
    uint64_t docs;
    idf_entry *w;    /* key and idf per slot once frozen, NULL while counting */
    double w_unseen; /* idf of a term not in the table, once frozen */
};

int gema_idf_new(gema_idf **out)
{
    gema_idf *d = calloc(1, sizeof *d);
    if (!d) return GEMA_ERR_NOMEM;
    d->cap = 1024;
    d->key = calloc(d->cap, sizeof *d->key);
    d->df = calloc(d->cap, sizeof *d->df);
    if (!d->key || !d->df) {
        gema_idf_free(d);
        return GEMA_ERR_NOMEM;
    }
    *out = d;
    return GEMA_OK;
}

void gema_idf_free(gema_idf *d)
{
    if (!d) return;
    free(d->key);
    free(d->df);
    free(d->w);
    free(d);
}

/* Where a term's probe starts, in key[] and, once frozen, in w[]. */
static size_t idf_home(const gema_idf *d, uint64_t k)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 20) & (d->cap - 1);
}

static size_t idf_slot(const gema_idf *d, uint64_t k)
{
    size_t mask = d->cap - 1;
    size_t i = idf_home(d, k);
    while (d->key[i] && d->key[i] != k) i = (i + 1) & mask;
    return i;
}

static int idf_grow(gema_idf *d)
{
    gema_idf big = { NULL, NULL, d->cap * 2, d->n, d->docs, NULL, 0 };
    big.key = calloc(big.cap, sizeof *big.key);
    big.df = calloc(big.cap, sizeof *big.df);
    if (!big.key || !big.df) {
        free(big.key);
        free(big.df);
        return GEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->key[i]) continue;
        size_t j = idf_slot(&big, d->key[i]);
        big.key[j] = d->key[i];
        big.df[j] = d->df[i];
    }
    free(d->key);
    free(d->df);
    *d = big;
    return GEMA_OK;
}

static int idf_count(gema_idf *d, uint64_t term, uint32_t add)
{
    uint64_t k = term ? term : 1;
    if (d->w) { /* counts change: thaw */
        free(d->w);
        d->w = NULL;
    }
    if ((d->n + 1) * 4 > d->cap * 3 && idf_grow(d) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t i = idf_slot(d, k);
    if (!d->key[i]) {
        d->key[i] = k;
        d->n++;
    }
    d->df[i] = d->df[i] > UINT32_MAX - add ? UINT32_MAX : d->df[i] + add;
    return GEMA_OK;
}

int gema_idf_add(gema_idf *d, const gema_fvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        if (idf_count(d, v->t[i].term, 1) != GEMA_OK) return GEMA_ERR_NOMEM;
    d->docs++;
    free(d->w);
    d->w = NULL;
    return GEMA_OK;
}

int gema_idf_merge(gema_idf *dst, const gema_idf *src)
{
    for (size_t i = 0; i < src->cap; i++)
        if (src->key[i] && idf_count(dst, src->key[i], src->df[i]) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    dst->docs += src->docs;
    free(dst->w);
    dst->w = NULL;
    return GEMA_OK;
}

uint64_t gema_idf_docs(const gema_idf *d)
{
    return d->docs;
}

size_t gema_idf_terms(const gema_idf *d)
{
    return d->n;
}

static double idf_of(const gema_idf *d, double df)
{
    return log(((double)d->docs + 1.0) / (df + 1.0)) + 1.0;
}

/* Every article of the stream asks for the weight of each of its few hundred
 * terms: one log per slot here instead of one per term and article. */
int gema_idf_freeze(gema_idf *d)
{
    if (d->w) return GEMA_OK;
    idf_entry *w = malloc(d->cap * sizeof *w);
    if (!w) return GEMA_ERR_NOMEM;
    for (size_t i = 0; i < d->cap; i++) {
        w[i].key = d->key[i];
        w[i].w = d->key[i] ? idf_of(d, (double)d->df[i]) : 0.0;
    }
    d->w = w;
    d->w_unseen = idf_of(d, 0.0);
    return GEMA_OK;
}

/* gema_idf_weight() of a frozen table: the same probe sequence as
 * idf_slot, over one array. */
static inline double idf_frozen_weight(const gema_idf *d, uint64_t term)
{
    uint64_t k = term ? term : 1;
    size_t mask = d->cap - 1;
    size_t i = idf_home(d, k);
    while (d->w[i].key && d->w[i].key != k) i = (i + 1) & mask;
    return d->w[i].key ? d->w[i].w : d->w_unseen;
}

double gema_idf_weight(const gema_idf *d, uint64_t term)
{
    if (d->w) return idf_frozen_weight(d, term);
    uint64_t k = term ? term : 1;
    size_t i = idf_slot(d, k);
    return idf_of(d, d->key[i] ? (double)d->df[i] : 0.0);
}

/* ---- featurizer ---------------------------------------------------------- */

int gema_featurizer_new(const gema_feature_params *p, gema_featurizer **out)
{
    int rc = gema_stopwords_init();
    if (rc != GEMA_OK) return rc;
    gema_featurizer *f = calloc(1, sizeof *f);
    if (!f) return GEMA_ERR_NOMEM;
    f->p = *p;
    if (f->p.max_terms == 0) f->p.max_terms = UINT32_MAX;
    for (unsigned i = 1; i < LOG_TABLE; i++) f->log_small[i] = log((double)i);
    gema_tokenizer_init(&f->src[0].tok);
    gema_tokenizer_init(&f->src[1].tok);
    if (gema_stemmer_new(&f->stem) != GEMA_OK) {
        free(f);
        return GEMA_ERR_NOMEM;
    }
    *out = f;
    return GEMA_OK;
}

void gema_featurizer_free(gema_featurizer *f)
{
    if (!f) return;
    for (int s = 0; s < 2; s++) {
        gema_tokenizer_free(&f->src[s].tok);
        free(f->src[s].flags);
        free(f->src[s].key);
        free(f->src[s].strip);
        free(f->src[s].info);
        free(f->src[s].cand);
    }
    gema_stemmer_free(f->stem);
    free(f->acc);
    free(f->slots);
    free(f->names);
    free(f->order);
    free(f);
}

void gema_featurizer_counts(const gema_featurizer *f, uint64_t *lookups, uint64_t *misses)
{
    gema_stemmer_counts(f->stem, lookups, misses);
}

static int source_reserve(source *s, size_t n)
{
    if (n <= s->cap) return GEMA_OK;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < n) cap *= 2;
    unsigned char *fl = realloc(s->flags, cap);
    if (!fl) return GEMA_ERR_NOMEM;
    s->flags = fl;
    uint64_t *k = gema_realloc_array(s->key, cap, sizeof *k);
    if (!k) return GEMA_ERR_NOMEM;
    s->key = k;
    uint8_t *st = realloc(s->strip, cap);
    if (!st) return GEMA_ERR_NOMEM;
    s->strip = st;
    gema_swinfo *in = gema_realloc_array(s->info, cap, sizeof *in);
    if (!in) return GEMA_ERR_NOMEM;
    s->info = in;
    uint32_t *c = gema_realloc_array(s->cand, cap, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    s->cand = c;
    s->cap = cap;
    return GEMA_OK;
}

/* The article's term table: open addressing over acc[].  Emptied by
 * clearing the slots the terms took, or all of them when that is cheaper
 * (a store of 64 bytes against a hash and a probe per term). */
static void table_reset(gema_featurizer *f)
{
    if (!f->nacc) return;
    if (f->nslots <= 16 * f->nacc) {
        memset(f->slots, 0, f->nslots * sizeof *f->slots);
        f->nacc = 0;
        return;
    }
    for (size_t i = 0; i < f->nacc; i++) {
        size_t mask = f->nslots - 1;
        size_t j = (size_t)((f->acc[i].term * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
        while (f->slots[j] != i + 1) j = (j + 1) & mask;
        f->slots[j] = 0;
    }
    f->nacc = 0;
}

static int table_grow(gema_featurizer *f)
{
    size_t n = f->nslots ? f->nslots * 2 : 1024;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s) return GEMA_ERR_NOMEM;
    free(f->slots);
    f->slots = s;
    f->nslots = n;
    for (size_t i = 0; i < f->nacc; i++) {
        size_t j = (size_t)((f->acc[i].term * 0x9E3779B97F4A7C15ULL) >> 40) & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = (uint32_t)(i + 1);
    }
    return GEMA_OK;
}

/* Find or add a term; NULL on allocation failure. */
static acc *term_get(gema_featurizer *f, uint64_t term, int *added)
{
    if ((f->nacc + 1) * 2 > f->nslots && table_grow(f) != GEMA_OK) return NULL;
    size_t mask = f->nslots - 1;
    size_t j = (size_t)((term * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
    while (f->slots[j]) {
        acc *a = &f->acc[f->slots[j] - 1];
        if (a->term == term) {
            *added = 0;
            return a;
        }
        j = (j + 1) & mask;
    }
    if (f->nacc == f->acc_cap) {
        size_t cap = f->acc_cap ? f->acc_cap * 2 : 512;
        acc *a = gema_realloc_array(f->acc, cap, sizeof *a);
        if (!a) return NULL;
        f->acc = a;
        f->acc_cap = cap;
    }
    if (f->nacc >= UINT32_MAX - 1) return NULL;
    f->slots[j] = (uint32_t)(f->nacc + 1);
    acc *a = &f->acc[f->nacc++];
    memset(a, 0, sizeof *a);
    a->term = term;
    *added = 1;
    return a;
}

/* Count one occurrence; keep the best display form (smallest rank, then
 * first seen, which is a fixed order). */
static int occur(gema_featurizer *f, uint64_t term, int channel, float tf, int src, int kind,
                 uint32_t first, uint32_t last, uint32_t rank, int strip)
{
    int added;
    acc *a = term_get(f, term, &added);
    if (!a) return GEMA_ERR_NOMEM;
    a->tf += tf;
    if (added || rank < a->rank) {
        a->channel = (uint8_t)channel;
        a->src = (uint8_t)src;
        a->kind = (uint8_t)kind;
        a->first = first;
        a->last = last;
        a->rank = rank;
        a->strip = (uint8_t)strip;
    }
    return GEMA_OK;
}

/* Confirmed-name set. */
static int names_add(gema_featurizer *f, uint64_t k, size_t *count)
{
    if (!k) k = 1;
    if ((*count + 1) * 2 > f->nnames_cap) {
        size_t cap = f->nnames_cap ? f->nnames_cap * 2 : 256;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t) return GEMA_ERR_NOMEM;
        for (size_t i = 0; i < f->nnames_cap; i++) {
            if (!f->names[i]) continue;
            size_t j = (size_t)((f->names[i] * 0x9E3779B97F4A7C15ULL) >> 40) & (cap - 1);
            while (t[j]) j = (j + 1) & (cap - 1);
            t[j] = f->names[i];
        }
        free(f->names);
        f->names = t;
        f->nnames_cap = cap;
    }
    size_t mask = f->nnames_cap - 1;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
    while (f->names[j] && f->names[j] != k) j = (j + 1) & mask;
    if (!f->names[j]) {
        f->names[j] = k;
        (*count)++;
    }
    return GEMA_OK;
}

static int names_has(const gema_featurizer *f, uint64_t k)
{
    if (!f->nnames_cap) return 0;
    if (!k) k = 1;
    size_t mask = f->nnames_cap - 1;
    size_t j = (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
    while (f->names[j]) {
        if (f->names[j] == k) return 1;
        j = (j + 1) & mask;
    }
    return 0;
}

/* Does the text between two tokens end a sentence, open a quote or break a
 * line?  Also reports a line break in *newline. */
static int boundary(const unsigned char *s, size_t from, size_t to, int *newline)
{
    int b = 0;
    *newline = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = s[i];
        switch (c) {
        case '\n': case '\r': *newline = 1; b = 1; break;
        case '.': case '!': case '?': case ':': case ';': case '"': case '(': case '|':
        case '[': case '*':
            b = 1;
            break;
        case '-':
            if (to - from > 1) b = 1; /* " - " dateline dash, not "Rusia-China" */
            break;
        case 0xE2: /* curly quotes, bullets and dashes */
            if (i + 2 < to && s[i + 1] == 0x80 &&
                (s[i + 2] == 0x9C || s[i + 2] == 0x9D || s[i + 2] == 0xA2 ||
                 s[i + 2] == 0x93 || s[i + 2] == 0x94))
                b = 1;
            break;
        case 0xC2: /* guillemets, inverted marks */
            if (i + 1 < to && (s[i + 1] == 0xAB || s[i + 1] == 0xBB || s[i + 1] == 0xBF ||
                               s[i + 1] == 0xA1))
                b = 1;
            break;
        default: break;
        }
    }
    return b;
}

/* Possessive "'s" (or "’s") at the end of a token: bytes of "s" to drop from
 * the normalised form (the apostrophe itself is already gone). */
static int possessive(const unsigned char *s, const gema_token *k)
{
    size_t n = k->end - k->start;
    const unsigned char *e = s + k->end;
    if (n >= 3 && (e[-1] == 's' || e[-1] == 'S') && e[-2] == '\'') return 1;
    if (n >= 5 && (e[-1] == 's' || e[-1] == 'S') && e[-2] == 0x99 && e[-3] == 0x80 &&
        e[-4] == 0xE2)
        return 1;
    return 0;
}

static int is_acronym(const unsigned char *s, const gema_token *k)
{
    if (k->end - k->start < 2) return 0;
    for (uint32_t i = k->start; i < k->end; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

/* Elided article or preposition glued by an apostrophe (French, Italian,
 * Catalan: "l'homme", "dell'anno", "d'un"): bytes of the prefix in the
 * normalised form, or 0. */
static size_t elision(const unsigned char *s, const gema_token *k)
{
    size_t n = k->end - k->start;
    for (size_t i = 1; i < n && i <= 5; i++) {
        unsigned char c = s[k->start + i];
        if (c == '\'') return i < n - 1 ? i : 0;
        if (c == 0xE2 && i + 2 < n && s[k->start + i + 1] == 0x80 && s[k->start + i + 2] == 0x99)
            return i;
        if (c >= 0x80) return 0;
    }
    return 0;
}

/* Tokenise one source and set the per-token flags. */
static int prepare(gema_featurizer *f, int si, const char *text, size_t len)
{
    source *S = &f->src[si];
    int rc = gema_tokenize(&S->tok, text, len, GEMA_TOKENIZE_SPANS);
    if (rc == GEMA_OK) rc = source_reserve(S, S->tok.count + 1);
    if (rc != GEMA_OK) return rc;
    /* One probe per token serves the language guess, the flags and dates. */
    gema_stopword_infos(S->tok.hash, S->tok.count, S->info);
    return GEMA_OK;
}

static int can_be_name(unsigned fl)
{
    return (fl & TF_UPPER) && !(fl & TF_CALENDAR) && (!(fl & TF_STOP) || (fl & TF_ACRONYM));
}

/* The flags of every token, and the list of those that can be names.  The
 * per-token state is read into locals first: stores through the byte arrays
 * may alias anything, and the compiler would reload it all every token. */
static void set_flags(gema_featurizer *f, int si, const char *text)
{
    source *S = &f->src[si];
    const gema_tokenizer *t = &S->tok;
    const unsigned char *s = (const unsigned char *)text;
    const gema_token *tok = t->tok;
    const uint64_t *hash = t->hash;
    const gema_swinfo *info = S->info;
    const char *norm = t->norm.data;
    unsigned char *flags = S->flags;
    uint64_t *key = S->key;
    uint8_t *strip = S->strip;
    uint32_t *cand = S->cand;
    size_t n = t->count, line_start = 0, ncand = 0;
    size_t content = 0, lower = 0;
    gema_lang lang = f->lang;
    const gema_stemmer *stem = f->stem;
    int stems = gema_lang_stemmer(lang) != NULL;
    gema_swinfo stop = gema_swinfo_stop_bit(lang);
    for (size_t i = 0; i <= n; i++) {
        int newline = 0, initial = 1;
        if (i < n && i > 0) {
            uint32_t from = tok[i - 1].end, to = tok[i].start;
            /* Most gaps are one space: no boundary, no line break. */
            initial = (to - from == 1 && s[from] == ' ') ? 0 : boundary(s, from, to, &newline);
        }
        if (i == n || newline) {
            /* Close the line [line_start, i). */
            int title = content > 0 && lower * 8 <= content && content > lower;
            if (title)
                for (size_t j = line_start; j < i; j++) flags[j] |= TF_TITLECASE;
            line_start = i;
            content = lower = 0;
            if (i == n) break;
        }
        const gema_token *k = &tok[i];
        unsigned fl = (unsigned)initial * TF_INITIAL;
        uint64_t h = hash[i];
        strip[i] = 0;
        key[i] = h;
        if (!(k->flags & (GEMA_TOK_NUMERIC | GEMA_TOK_UNIT))) {
            gema_swinfo e = info[i];
            /* Without a branch: stop words and others alternate at random. */
            fl |= TF_WORDISH | (unsigned)((e & stop) != 0) * TF_STOP;
            if (k->flags & GEMA_TOK_UPPER) {
                fl |= TF_UPPER;
                if (is_acronym(s, k)) fl |= TF_ACRONYM;
                if (possessive(s, k) && k->nlen > 1) {
                    strip[i] = 1;
                    key[i] = XXH3_64bits(norm + k->nstart, k->nlen - 1u);
                    e = gema_stopword_info(key[i]);
                }
                /* "Monday's" is a weekday too. */
                if (gema_swinfo_month(e) || gema_swinfo_weekday(e)) fl |= TF_CALENDAR;
                cand[ncand] = (uint32_t)i;
                ncand += (size_t)can_be_name(fl);
            }
            size_t c = !(fl & TF_STOP) || (fl & TF_ACRONYM);
            content += c;
            lower += c & !(fl & TF_UPPER);
            /* The slot of a stop word is not loaded, also without a branch:
             * it prefetches slot 0 instead. */
            if (stems)
                __builtin_prefetch(gema_stem_cache_slot(
                    stem, (fl & TF_STOP) ? 0 : gema_stem_cache_key(lang, h)));
        }
        flags[i] = (unsigned char)fl;
    }
    S->ncand = ncand;
}

/* Names shown by the text: capitalised in mid-sentence, not on a Title Case
 * line.  (The set's order of insertion changes its layout, not what it holds.) */
static int confirm_names(gema_featurizer *f, size_t *count)
{
    source *S = &f->src[0];
    for (size_t c = 0; c < S->ncand; c++) {
        uint32_t i = S->cand[c];
        if (!(S->flags[i] & (TF_INITIAL | TF_TITLECASE)))
            if (names_add(f, S->key[i], count) != GEMA_OK) return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
}

/* Backwards over the candidates: a token only ever looks at the one after
 * it, which is marked already (and is no name unless it is a candidate). */
static void mark_names(gema_featurizer *f, int si)
{
    source *S = &f->src[si];
    size_t n = S->tok.count;
    for (size_t c = S->ncand; c-- > 0;) {
        size_t i = S->cand[c];
        unsigned fl = S->flags[i];
        int name = names_has(f, S->key[i]);
        /* A sentence-initial capital right before a name, on an ordinary line,
         * belongs to it ("Tara Reid checked in"). */
        if (!name && (fl & TF_INITIAL) && !(fl & TF_TITLECASE) && i + 1 < n &&
            (S->flags[i + 1] & TF_NAME) && !(S->flags[i + 1] & TF_INITIAL) &&
            S->tok.tok[i + 1].start == S->tok.tok[i].end + 1)
            name = 1;
        if (name) S->flags[i] = (unsigned char)(fl | TF_NAME);
    }
}

static unsigned small_number(const char *p, size_t n)
{
    if (n == 0 || n > 2) return 0;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned)(p[i] - '0');
    return v;
}

static int only_space(const unsigned char *s, size_t from, size_t to)
{
    if (to <= from || to - from > 2) return 0;
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ' && s[i] != ',') return 0;
    return 1;
}

/* Emit the terms of one source. */
static int emit(gema_featurizer *f, int si, const char *text, float base, size_t lead,
                float lead_weight)
{
    source *S = &f->src[si];
    const gema_tokenizer *t = &S->tok;
    const unsigned char *s = (const unsigned char *)text;
    const char *norm = t->norm.data;
    size_t n = t->count;
    gema_lang lang = f->lang;
    int rc;
    for (size_t i = 0; i < n; i++) {
        const gema_token *k = &t->tok[i];
        unsigned fl = S->flags[i];
        float weight = i < lead ? lead_weight : base;
        if (k->flags & GEMA_TOK_NUMERIC) {
            /* "6.1", "1.200", "15/12/2021": digits joined by one separator. */
            size_t j = i;
            while (j + 1 < n && (t->tok[j + 1].flags & GEMA_TOK_NUMERIC) &&
                   t->tok[j + 1].start == t->tok[j].end + 1 &&
                   (s[t->tok[j].end] == '.' || s[t->tok[j].end] == ',' ||
                    s[t->tok[j].end] == '/' || s[t->tok[j].end] == ':'))
                j++;
            uint64_t h = j > i ? XXH3_64bits(s + k->start, t->tok[j].end - k->start)
                               : t->hash[i];
            rc = occur(f, h ^ SALT_NUMBER, GEMA_CH_NUMBER, weight, si, DISP_ORIG, (uint32_t)i,
                       (uint32_t)j, t->tok[j].end - k->start, 0);
            if (rc != GEMA_OK) return rc;
            unsigned day = j == i ? small_number(norm + k->nstart, k->nlen) : 0;
            if (day >= 1 && day <= 31) {
                unsigned month = 0;
                if (i + 1 < n && only_space(s, k->end, t->tok[i + 1].start))
                    month = gema_swinfo_month(S->info[i + 1]);
                if (!month && i > 0 && only_space(s, t->tok[i - 1].end, k->start))
                    month = gema_swinfo_month(S->info[i - 1]);
                if (month) {
                    uint64_t d = (SALT_DATE + month * 64 + day) * 0x9E3779B97F4A7C15ULL;
                    rc = occur(f, d ^ SALT_DATE, GEMA_CH_NUMBER, weight, si, DISP_DATE, month,
                               day, 0, 0);
                    if (rc != GEMA_OK) return rc;
                }
            }
            i = j;
            continue;
        }
        if (k->flags & GEMA_TOK_UNIT) {
            /* Unspaced scripts: character bigrams; a lone character alone. */
            int next = i + 1 < n && (t->tok[i + 1].flags & GEMA_TOK_UNIT) &&
                       t->tok[i + 1].start == k->end;
            int prev = i > 0 && (t->tok[i - 1].flags & GEMA_TOK_UNIT) &&
                       t->tok[i - 1].end == k->start;
            if (next) {
                uint64_t pair[2] = { t->hash[i], t->hash[i + 1] };
                rc = occur(f, XXH3_64bits(pair, sizeof pair), GEMA_CH_WORD, weight, si,
                           DISP_ORIG, (uint32_t)i, (uint32_t)(i + 1), 0, 0);
            } else if (!prev) {
                rc = occur(f, t->hash[i], GEMA_CH_WORD, weight, si, DISP_ORIG, (uint32_t)i,
                           (uint32_t)i, 0, 0);
            } else {
                rc = GEMA_OK;
            }
            if (rc != GEMA_OK) return rc;
            continue;
        }
        if (fl & TF_NAME) {
            /* Display: as written, not all in capitals if the text has it so. */
            uint32_t rank = (fl & TF_ACRONYM) && k->end - k->start > 3 ? 1000u : 0u;
            rank += k->end - k->start;
            rc = occur(f, S->key[i] ^ SALT_NAME, GEMA_CH_NAME, weight, si, DISP_ORIG,
                       (uint32_t)i, (uint32_t)i, rank, S->strip[i]);
            if (rc != GEMA_OK) return rc;
            if (i + 1 < n && (S->flags[i + 1] & TF_NAME) && !S->strip[i] &&
                t->tok[i + 1].start == k->end + 1 && s[k->end] == ' ') {
                uint64_t pair[2] = { S->key[i], S->key[i + 1] };
                unsigned fl2 = S->flags[i + 1];
                uint32_t r2 = ((fl & TF_ACRONYM) || (fl2 & TF_ACRONYM)) ? 1000u : 0u;
                r2 += t->tok[i + 1].end - k->start;
                rc = occur(f, XXH3_64bits(pair, sizeof pair) ^ SALT_NAME, GEMA_CH_NAME, weight,
                           si, DISP_ORIG, (uint32_t)i, (uint32_t)(i + 1), r2, S->strip[i + 1]);
                if (rc != GEMA_OK) return rc;
            }
            continue;
        }
        if (fl & TF_STOP) continue;
        const char *w = norm + k->nstart;
        size_t wl = k->nlen;
        uint64_t h = t->hash[i];
        if (wl < 2) continue; /* single letters: initials, list markers */
        if (lang == GEMA_LANG_FR || lang == GEMA_LANG_IT || lang == GEMA_LANG_CA) {
            size_t e = elision(s, k);
            if (e && e < wl) {
                w += e;
                wl -= e;
                h = XXH3_64bits(w, wl);
                if (gema_stopword_flags(lang, h)) continue;
            }
        }
        uint64_t st;
        rc = gema_stem_hash(f->stem, lang, h, w, wl, &st);
        if (rc != GEMA_OK) return rc;
        /* Display: the shortest surface form, e.g. "president" for "presid". */
        rc = occur(f, st, GEMA_CH_WORD, weight, si, DISP_NORM, (uint32_t)i, (uint32_t)i,
                   (uint32_t)wl, 0);
        if (rc != GEMA_OK) return rc;
    }
    return GEMA_OK;
}

static inline int key_less(const rank_key *a, const rank_key *b)
{
    return a->hi != b->hi ? a->hi < b->hi : a->lo < b->lo;
}

static inline void key_swap(rank_key *a, rank_key *b)
{
    rank_key t = *a;
    *a = *b;
    *b = t;
}

/* Sort the k smallest of a[0..n) into a[0..k) in order (the rest is left in
 * any order): a quicksort that skips the parts wholly past k, so the cost
 * is about n + k log k rather than n log n.  The partition has no branch on
 * the comparison (Lomuto's, with the element moved whichever side it goes:
 * weights are close to random against the pivot, and a mispredicted branch
 * per element cost more than the moves).  The order is total, so any
 * correct sort gives the one result. */
static void sort_first(rank_key *a, size_t n, size_t k)
{
    while (n > 16) {
        /* Median of three to the end as the pivot. */
        size_t m = n / 2, l = n - 1;
        if (key_less(&a[m], &a[0])) key_swap(&a[m], &a[0]);
        if (key_less(&a[l], &a[0])) key_swap(&a[l], &a[0]);
        if (key_less(&a[l], &a[m])) key_swap(&a[l], &a[m]);
        key_swap(&a[m], &a[l]);
        const rank_key pv = a[l];
        size_t j = 0; /* a[0..j) < pv <= a[j..i) */
        for (size_t i = 0; i < l; i++) {
            rank_key x = a[i];
            size_t smaller = (size_t)key_less(&x, &pv);
            a[i] = a[j];
            a[j] = x;
            j += smaller;
        }
        a[l] = a[j];
        a[j] = pv;
        /* a[0..j) < a[j] < a[j+1..n).  Recurse into the smaller side, loop
         * on the larger; the right side matters only if it reaches below k. */
        if (j < n - j - 1) {
            sort_first(a, j, k);
            if (j + 1 >= k) return;
            a += j + 1;
            n -= j + 1;
            k -= j + 1;
        } else {
            if (j + 1 < k) sort_first(a + j + 1, n - j - 1, k - j - 1);
            n = j;
        }
    }
    for (size_t i = 1; i < n; i++) {
        rank_key x = a[i];
        size_t j = i;
        while (j > 0 && key_less(&x, &a[j - 1])) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static int display(gema_featurizer *f, const acc *a, const char *texts[2], gema_buf *out)
{
    if (a->kind == DISP_DATE) {
        char b[16];
        snprintf(b, sizeof b, "--%02u-%02u", a->first, a->last);
        return gema_buf_append(out, b, strlen(b) + 1);
    }
    const gema_tokenizer *t = &f->src[a->src].tok;
    if (a->kind == DISP_NORM) {
        const gema_token *k = &t->tok[a->first];
        int rc = gema_buf_append(out, t->norm.data + k->nstart, k->nlen);
        return rc ? rc : gema_buf_putc(out, '\0');
    }
    /* As written; a name pair is joined by one space, a number or a pair of
     * unspaced characters is one span. */
    const char *s = texts[a->src];
    const gema_token *k1 = &t->tok[a->first], *k2 = &t->tok[a->last];
    int rc;
    if (a->channel == GEMA_CH_NAME && a->first != a->last) {
        rc = gema_buf_append(out, s + k1->start, k1->end - k1->start);
        if (!rc) rc = gema_buf_putc(out, ' ');
        size_t l2 = k2->end - k2->start;
        if (a->strip) l2 -= (s[k2->end - 2] == '\'') ? 2 : 4;
        if (!rc) rc = gema_buf_append(out, s + k2->start, l2);
    } else {
        size_t l = k2->end - k1->start;
        if (a->strip) l -= (s[k2->end - 2] == '\'') ? 2 : 4;
        rc = gema_buf_append(out, s + k1->start, l);
    }
    return rc ? rc : gema_buf_putc(out, '\0');
}

int gema_features_extract(gema_featurizer *f, const char *title, size_t title_len,
                          const char *text, size_t text_len, const gema_idf *idf, gema_fvec *out)
{
    int rc;
    table_reset(f);
    if (f->nnames_cap) memset(f->names, 0, f->nnames_cap * sizeof *f->names);
    if (!text) text_len = 0;
    if (!title) title_len = 0;
    if (text_len > GEMA_TOKENIZE_MAX_BYTES) text_len = GEMA_TOKENIZE_MAX_BYTES;
    if (title_len > GEMA_TOKENIZE_MAX_BYTES) title_len = GEMA_TOKENIZE_MAX_BYTES;
    if ((rc = prepare(f, 0, text ? text : "", text_len)) != GEMA_OK) return rc;
    f->src[1].tok.count = 0;
    if (title_len && (rc = prepare(f, 1, title, title_len)) != GEMA_OK) return rc;
    f->lang = f->p.force_lang;
    if (f->lang == GEMA_LANG_UND) {
        f->lang = gema_langid_tokens_info(&f->src[0].tok, text, text_len, f->src[0].info);
        if (f->lang == GEMA_LANG_UND && title_len)
            f->lang = gema_langid_tokens_info(&f->src[1].tok, title, title_len, f->src[1].info);
    }
    set_flags(f, 0, text);
    if (title_len) set_flags(f, 1, title);
    size_t nnames = 0;
    if ((rc = confirm_names(f, &nnames)) != GEMA_OK) return rc;
    mark_names(f, 0);
    if (title_len) mark_names(f, 1);
    if ((rc = emit(f, 0, text, 1.0f, f->p.lead_tokens, (float)f->p.lead_weight)) != GEMA_OK)
        return rc;
    if (title_len &&
        (rc = emit(f, 1, title, (float)f->p.title_weight, 0, 1.0f)) != GEMA_OK)
        return rc;

    out->lang = f->lang;
    out->tokens = (uint32_t)GEMA_MIN((size_t)UINT32_MAX, f->src[0].tok.count + f->src[1].tok.count);
    out->n = 0;
    gema_buf_clear(&out->strings);
    if (!idf) {
        if (fvec_reserve(out, f->nacc) != GEMA_OK) return GEMA_ERR_NOMEM;
        for (size_t i = 0; i < f->nacc; i++) {
            gema_fterm *o = &out->t[i];
            o->term = f->acc[i].term;
            o->w = f->acc[i].tf;
            o->channel = f->acc[i].channel;
            o->str = 0;
        }
        out->n = f->nacc;
        return GEMA_OK;
    }
    double chw[GEMA_CH_COUNT] = { 1.0, f->p.name_weight, f->p.number_weight };
    if (idf->w) /* the probes below mostly miss: start every load first */
        for (size_t i = 0; i < f->nacc; i++) {
            uint64_t k = f->acc[i].term ? f->acc[i].term : 1;
            __builtin_prefetch(&idf->w[idf_home(idf, k)]);
        }
    for (size_t i = 0; i < f->nacc; i++) {
        acc *a = &f->acc[i];
        /* Most term frequencies are small whole numbers: their logs come
         * from a table (made by the same log(), so the same values). */
        double tf = (double)a->tf, ltf;
        if (tf >= 1.0 && tf < LOG_TABLE && tf == (double)(unsigned)tf)
            ltf = f->log_small[(unsigned)tf];
        else
            ltf = log(tf);
        double iw = idf->w ? idf_frozen_weight(idf, a->term) : gema_idf_weight(idf, a->term);
        a->w = (float)((1.0 + ltf) * iw * chw[a->channel]);
    }
    if (f->order_cap < f->nacc) {
        rank_key *o = gema_realloc_array(f->order, f->nacc, sizeof *o);
        if (!o) return GEMA_ERR_NOMEM;
        f->order = o;
        f->order_cap = f->nacc;
    }
    size_t n = 0;
    for (size_t i = 0; i < f->nacc; i++) {
        const acc *a = &f->acc[i];
        if (!(a->w > 0)) continue;
        uint32_t bits;
        memcpy(&bits, &a->w, sizeof bits);
        f->order[n].hi = ((uint64_t)~bits << 32) | (a->term >> 32);
        f->order[n].lo = (a->term << 32) | (uint32_t)i;
        n++;
    }
    size_t keep = GEMA_MIN(n, (size_t)f->p.max_terms);
    if (keep) sort_first(f->order, n, keep);
    /* Normalise over the terms kept: every vector is a unit vector. */
    double kept2 = 0;
    for (size_t i = 0; i < keep; i++) {
        double w = f->acc[(uint32_t)f->order[i].lo].w;
        kept2 += w * w;
    }
    double scale = kept2 > 0 ? 1.0 / sqrt(kept2) : 0;
    if (fvec_reserve(out, keep) != GEMA_OK) return GEMA_ERR_NOMEM;
    const char *texts[2] = { text, title };
    for (size_t i = 0; i < keep; i++) {
        const acc *a = &f->acc[(uint32_t)f->order[i].lo];
        gema_fterm *o = &out->t[i];
        o->term = a->term;
        o->w = (float)(a->w * scale);
        o->channel = a->channel;
        if (out->strings.len > UINT32_MAX) return GEMA_ERR_TOO_BIG;
        o->str = (uint32_t)out->strings.len;
        if ((rc = display(f, a, texts, &out->strings)) != GEMA_OK) return rc;
    }
    out->n = keep;
    return GEMA_OK;
}
