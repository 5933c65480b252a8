/*
 * dedup_eval.c - how right is gema dedup?  Exact Jaccard by brute force on a
 * sample of documents, against gema's verified pairs and clusters and
 * against the planted groups of gen_corpus.
 *
 * Shingle sets are built with gema's own tokeniser and shingler (lib/
 * tokenize.h, lib/shingle.h) with the shingle size and seed of
 * gema_dedup_options_default() unless told otherwise, so "Jaccard" here is
 * exactly the quantity gema thresholds.
 *
 * All pairs with Jaccard >= t are found exactly, without comparing all
 * pairs, by prefix filtering over an inverted index (Chaudhuri, Ganti and
 * Kaushik, ICDE 2006; Bayardo, Ma and Srikant, "Scaling up all pairs
 * similarity search", WWW 2007): order shingles by ascending document
 * frequency; two sets with J >= t share at least one shingle among the first
 * |x| - ceil(t |x|) + 1 of each, so only pairs sharing such a prefix shingle
 * are verified, by exact intersection.  --check-naive N compares the result
 * with all N(N-1)/2 pairs computed one by one.
 *
 * The sample keeps planted groups whole: documents are taken by group (a
 * document in no group is its own group) in order of a hash of the group's
 * key, until at least --sample documents are in.
 */
#include "common.h"
#include "shingle.h"
#include "tokenize.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <xxhash.h>

static const char usage[] =
    "Usage: dedup_eval [OPTIONS] CORPUS.jsonl\n"
    "\n"
    "Brute-force exact Jaccard over gema's shingle sets on a sample of CORPUS, and\n"
    "precision and recall of gema dedup's output against it.  Writes one JSON object.\n"
    "\n"
    "      --truth FILE        gen_corpus truth: planted groups and their edits\n"
    "      --label-field NAME  instead of --truth: documents with the same value of this\n"
    "                          field form a group (e.g. \"story\" in ECB+); pairs across\n"
    "                          groups are then reported as unplanned / across groups\n"
    "      --sample N          documents to sample, whole groups at a time (default\n"
    "                          20000; 0 = every document)\n"
    "      --shingle N         words per shingle (default: gema's)\n"
    "      --seed N            shingle hash seed (default: gema's)\n"
    "      --threshold T       threshold for the planted-group tables (default: gema's)\n"
    "      --run T,CLUSTERS[,PAIRS[,NAME]]\n"
    "                          a gema dedup run at threshold T: its --clusters file and\n"
    "                          optionally its --pairs file; repeatable\n"
    "      --check-naive N     also compare all pairs of the first N sampled documents\n"
    "                          one by one with the indexed result\n"
    "      --unrelated N       random pairs of unrelated documents to test for shared\n"
    "                          shingles (default 200000)\n"
    "  -o, --output FILE       JSON result (default stdout)\n"
    "  -q, --quiet             no progress on stderr\n"
    "\n"
    "Pairs count as duplicates when their Jaccard is at least T - 1e-6 (gema's own\n"
    "tolerance).  Cluster precision is over all pairs inside a cluster, and over the\n"
    "(member, representative) pairs gema reports; recall is the share of brute-force\n"
    "pairs whose two documents gema put in one cluster.  Missed pairs are split by\n"
    "cause: neither document clustered, or an unclustered one reaches the other's\n"
    "representative (the search lost it); one sits in another cluster but also\n"
    "reaches the other's representative (it could have joined either); both below T\n"
    "to the other's representative (the star-shaped clusters keep them apart).\n";

/* ---- helpers --------------------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dedup_eval: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xalloc(size_t n, size_t sz)
{
    void *p = gema_alloc_array(n ? n : 1, sz);
    if (!p) die("out of memory");
    return p;
}

static void *xgrow(void *p, size_t n, size_t sz)
{
    void *q = gema_realloc_array(p, n ? n : 1, sz);
    if (!q) die("out of memory");
    return q;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int quiet;

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
    if (quiet) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("dedup_eval: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Read a whole file; NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("%s: cannot open", path);
    gema_buf b = { 0 };
    char chunk[1 << 16];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (gema_buf_append(&b, chunk, got) != GEMA_OK) die("out of memory");
    if (ferror(f)) die("%s: read error", path);
    fclose(f);
    if (!b.data && gema_buf_reserve(&b, 1) != GEMA_OK) die("out of memory");
    *len = b.len;
    return b.data;
}

/* Call fn on each non-blank line of a JSONL file as a cJSON object. */
typedef void (*line_fn)(void *user, const cJSON *obj, const char *path, size_t line);

static void each_json_line(const char *path, line_fn fn, void *user)
{
    size_t len;
    char *s = slurp(path, &len);
    size_t line = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && s[e] != '\n') e++;
        line++;
        if (e > i) {
            cJSON *j = cJSON_ParseWithLength(s + i, e - i);
            if (!cJSON_IsObject(j)) die("%s:%zu: not a JSON object", path, line);
            fn(user, j, path, line);
            cJSON_Delete(j);
        }
        i = e + 1;
    }
    free(s);
}

/* ---- string -> index map ----------------------------------------------------- */

typedef struct {
    char **key;
    uint32_t *val;
    size_t mask, n;
} strmap;

static void strmap_init(strmap *m, size_t expect)
{
    size_t cap = 1024;
    while (cap < expect * 2) cap *= 2;
    m->key = xalloc(cap, sizeof *m->key);
    m->val = xalloc(cap, sizeof *m->val);
    m->mask = cap - 1;
    m->n = 0;
}

static uint32_t *strmap_slot(strmap *m, const char *k, size_t n, int insert)
{
    for (size_t i = (size_t)XXH3_64bits(k, n) & m->mask;; i = (i + 1) & m->mask) {
        if (!m->key[i]) {
            if (!insert) return NULL;
            if ((m->n + 1) * 2 > m->mask) die("id map full");
            m->key[i] = xalloc(n + 1, 1);
            memcpy(m->key[i], k, n);
            m->n++;
            return &m->val[i];
        }
        if (strlen(m->key[i]) == n && memcmp(m->key[i], k, n) == 0) return &m->val[i];
    }
}

#define NONE UINT32_MAX

static uint32_t strmap_get(strmap *m, const char *k)
{
    uint32_t *v = strmap_slot(m, k, strlen(k), 0);
    return v ? *v : NONE;
}

/* ---- statistics -------------------------------------------------------------- */

typedef struct {
    double *v;
    size_t n, cap;
    size_t ge, found;   /* at or above the threshold; found by gema */
} series;

static void series_add(series *s, double x, int found, double t)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = xgrow(s->v, s->cap, sizeof *s->v);
    }
    s->v[s->n++] = x;
    s->ge += x >= t - 1e-6;
    s->found += found != 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile(const double *v, size_t n, double q)
{
    if (!n) return 0;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n) return v[n - 1];
    return v[i] + (pos - (double)i) * (v[i + 1] - v[i]);
}

/* A JSON writer over gema_buf. */
typedef struct {
    gema_buf b;
    int first[32];
    int depth;
} jw;

static void jw_raw(jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void jw_raw(jw *w, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    if (gema_buf_append(&w->b, tmp, (size_t)n) != GEMA_OK) die("out of memory");
}

static void jw_key(jw *w, const char *k)
{
    jw_raw(w, "%s\n%*s", w->first[w->depth] ? "" : ",", 2 * w->depth, "");
    w->first[w->depth] = 0;
    if (k) jw_raw(w, "\"%s\": ", k);
}

/* depth is the number of open containers; keys are indented by it. */
static void jw_open(jw *w, const char *k, char c)
{
    if (k) jw_key(w, k);
    jw_raw(w, "%c", c);
    if (w->depth + 1 >= (int)(sizeof w->first / sizeof w->first[0])) die("JSON too deep");
    w->first[++w->depth] = 1;
}

static void jw_close(jw *w, char c)
{
    w->depth--;
    jw_raw(w, "\n%*s%c", 2 * w->depth, "", c);
}

static void jw_num(jw *w, const char *k, double v)
{
    jw_key(w, k);
    if (!isfinite(v)) jw_raw(w, "null");
    else if (v == floor(v) && fabs(v) < 1e15) jw_raw(w, "%.0f", v);
    else jw_raw(w, "%.6g", v);
}

static void jw_str(jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_raw(w, "\"");
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\') jw_raw(w, "\\%c", *p);
        else if ((unsigned char)*p < 0x20) jw_raw(w, "\\u%04x", *p);
        else jw_raw(w, "%c", *p);
    }
    jw_raw(w, "\"");
}

enum { SHOW_DIST = 1, SHOW_FOUND = 2 };

static void jw_series(jw *w, const char *k, series *s, unsigned show)
{
    if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < s->n; i++) sum += s->v[i];
    jw_open(w, k, '{');
    jw_num(w, "n", (double)s->n);
    if (show & SHOW_DIST) {
        jw_num(w, "mean", s->n ? sum / (double)s->n : NAN);
        jw_num(w, "p10", s->n ? quantile(s->v, s->n, 0.10) : NAN);
        jw_num(w, "p50", s->n ? quantile(s->v, s->n, 0.50) : NAN);
        jw_num(w, "p90", s->n ? quantile(s->v, s->n, 0.90) : NAN);
    }
    jw_num(w, "share_ge_threshold", s->n ? (double)s->ge / (double)s->n : NAN);
    if (show & SHOW_FOUND) jw_num(w, "share_found", s->n ? (double)s->found / (double)s->n : NAN);
    jw_close(w, '}');
}

/* ---- the corpus sample ----------------------------------------------------------- */

enum { MAX_EDITS = 4 };

typedef struct {
    int32_t group;             /* planted group, -1 if none */
    uint32_t parent;           /* document index, NONE if none */
    uint8_t nedits;
    uint8_t edit[MAX_EDITS];   /* edit type codes */
    float param[MAX_EDITS];    /* rate (substitute), kept (truncate) */
} truth_doc;

static const char *const edit_names[] = {
    "exact-ws", "exact-case", "exact-punct", "header", "footer", "drop", "reorder",
    "substitute", "truncate", "headline"
};
#define NEDIT_TYPES 10

typedef struct {
    size_t ndocs;              /* records in the corpus */
    strmap ids;                /* id -> record index */
    truth_doc *truth;          /* per record, or NULL */
    uint32_t *sidx;            /* record -> sample index, NONE if not sampled */
    uint32_t *doc;             /* sample index -> record */
    size_t m;                  /* sampled documents */
    size_t *off;               /* m + 1 offsets into rank */
    uint32_t *rank;            /* shingle ranks per document, ascending */
    uint32_t *key;             /* sample index -> group key number */
    uint64_t shingles_total, distinct, distinct_shared, occ_shared;
} sample_t;

typedef struct {
    sample_t *s;
} truth_ctx;

static void truth_line(void *user, const cJSON *o, const char *path, size_t line)
{
    sample_t *s = user;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    if (cJSON_IsString(kind) && strcmp(kind->valuestring, "doc") != 0) return;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (!cJSON_IsString(id)) die("%s:%zu: no \"id\"", path, line);
    uint32_t d = strmap_get(&s->ids, id->valuestring);
    if (d == NONE) die("%s:%zu: id %s is not in the corpus", path, line, id->valuestring);
    truth_doc *t = &s->truth[d];
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "group");
    t->group = cJSON_IsNumber(g) ? (int32_t)g->valuedouble : -1;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "parent");
    t->parent = cJSON_IsString(p) ? strmap_get(&s->ids, p->valuestring) : NONE;
    const cJSON *ed = cJSON_GetObjectItemCaseSensitive(o, "edits");
    const cJSON *e;
    t->nedits = 0;
    cJSON_ArrayForEach(e, ed) {
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(e, "type");
        if (!cJSON_IsString(ty) || t->nedits >= MAX_EDITS) continue;
        int code = -1;
        for (int k = 0; k < NEDIT_TYPES; k++)
            if (strcmp(ty->valuestring, edit_names[k]) == 0) code = k;
        if (code < 0) die("%s:%zu: unknown edit %s", path, line, ty->valuestring);
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "rate");
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "kept");
        t->edit[t->nedits] = (uint8_t)code;
        t->param[t->nedits] = cJSON_IsNumber(r) ? (float)r->valuedouble
                            : cJSON_IsNumber(k) ? (float)k->valuedouble : 0.0f;
        t->nedits++;
    }
}

typedef struct {
    uint64_t h;
    uint32_t key, idx;
} key_order;

static int cmp_key_order(const void *a, const void *b)
{
    const key_order *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

typedef struct {
    uint64_t h;
    uint32_t doc, pos;
} occ;

/* Sort by hash, keeping document order among equal hashes: LSD radix sort,
 * 16 bits a pass (stable), several times faster than qsort here. */
static void sort_occ(occ *v, size_t n)
{
    occ *tmp = xalloc(n, sizeof *tmp);
    size_t *count = xalloc(65536, sizeof *count);
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++) count[(v[i].h >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 65536; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) tmp[count[(v[i].h >> shift) & 0xFFFF]++] = v[i];
        occ *t = v;
        v = tmp;
        tmp = t;
    }
    /* Four passes: the sorted data is back in the caller's array. */
    free(tmp);
    free(count);
}

typedef struct {
    uint32_t df;
    uint64_t h;
    uint32_t id;
} distinct_t;

static int cmp_distinct(const void *a, const void *b)
{
    const distinct_t *x = a, *y = b;
    if (x->df != y->df) return x->df < y->df ? -1 : 1;
    return x->h != y->h ? (x->h < y->h ? -1 : 1) : 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Load ids (and truth), choose the sample, build its shingle sets as ranks. */
static void build_sample(sample_t *s, const char *corpus_path, const char *truth_path,
                         const char *label_field, size_t want, unsigned shingle, uint64_t seed)
{
    gema_corpus *c = NULL;
    if (gema_corpus_new(NULL, &c) != GEMA_OK) die("out of memory");
    int rc = gema_corpus_add_path(c, corpus_path);
    if (rc != GEMA_OK) die("%s", gema_corpus_errmsg(c));
    s->ndocs = gema_corpus_count(c);
    gema_reader *rd = NULL;
    if (gema_reader_new(c, &rd) != GEMA_OK) die("out of memory");
    strmap_init(&s->ids, s->ndocs);
    unsigned char *usable = xalloc(s->ndocs, 1);
    for (size_t i = 0; i < s->ndocs; i++) {
        gema_doc d;
        if (gema_reader_get(rd, i, &d) != GEMA_OK) die("cannot read record %zu", i);
        usable[i] = d.reject == GEMA_REJECT_NONE;
        if (!usable[i]) continue;
        uint32_t *v = strmap_slot(&s->ids, d.id, d.id_len, 1);
        *v = (uint32_t)i;
    }
    s->truth = NULL;
    if (truth_path) {
        s->truth = xalloc(s->ndocs, sizeof *s->truth);
        for (size_t i = 0; i < s->ndocs; i++) {
            s->truth[i].group = -1;
            s->truth[i].parent = NONE;
        }
        each_json_line(truth_path, truth_line, s);
    } else if (label_field) {
        /* Groups from a field of the records themselves (e.g. ECB+ "story"). */
        s->truth = xalloc(s->ndocs, sizeof *s->truth);
        strmap labels;
        strmap_init(&labels, s->ndocs);
        for (size_t i = 0; i < s->ndocs; i++) {
            s->truth[i].group = -1;
            s->truth[i].parent = NONE;
            s->truth[i].nedits = 0;
            if (!usable[i]) continue;
            gema_doc d;
            if (gema_corpus_record(c, i, &d) != GEMA_OK) die("cannot read record %zu", i);
            cJSON *j = cJSON_ParseWithLength(d.raw, d.raw_len);
            const cJSON *v = j ? cJSON_GetObjectItemCaseSensitive(j, label_field) : NULL;
            char num[64];
            const char *lab = NULL;
            if (cJSON_IsString(v)) lab = v->valuestring;
            else if (cJSON_IsNumber(v)) {
                snprintf(num, sizeof num, "%.17g", v->valuedouble);
                lab = num;
            }
            if (lab) {
                size_t before = labels.n;
                uint32_t *slot = strmap_slot(&labels, lab, strlen(lab), 1);
                if (labels.n != before) *slot = (uint32_t)(labels.n - 1);
                s->truth[i].group = (int32_t)*slot;
            }
            cJSON_Delete(j);
        }
        for (size_t i = 0; i <= labels.mask; i++) free(labels.key[i]);
        free(labels.key);
        free(labels.val);
    }
    /* Group keys: planted group number, or the document itself. */
    size_t ngroups = 0;
    for (size_t i = 0; s->truth && i < s->ndocs; i++)
        if (s->truth[i].group >= 0 && (size_t)s->truth[i].group + 1 > ngroups)
            ngroups = (size_t)s->truth[i].group + 1;
    key_order *ko = xalloc(s->ndocs, sizeof *ko);
    size_t nk = 0;
    for (size_t i = 0; i < s->ndocs; i++) {
        if (!usable[i]) continue;
        uint32_t key = s->truth && s->truth[i].group >= 0 ? (uint32_t)s->truth[i].group
                                                          : (uint32_t)(ngroups + i);
        uint64_t kk = key;
        ko[nk].h = XXH3_64bits_withSeed(&kk, sizeof kk, 0x73616D70ULL);
        ko[nk].key = key;
        ko[nk].idx = (uint32_t)i;
        nk++;
    }
    qsort(ko, nk, sizeof *ko, cmp_key_order);
    s->sidx = xalloc(s->ndocs, sizeof *s->sidx);
    for (size_t i = 0; i < s->ndocs; i++) s->sidx[i] = NONE;
    size_t take = 0;
    if (want == 0 || want >= nk) take = nk;
    else {
        while (take < nk && take < want) take++;
        while (take < nk && ko[take].h == ko[take - 1].h) take++; /* finish the group */
    }
    /* Sample indices in input order. */
    for (size_t k = 0; k < take; k++) s->sidx[ko[k].idx] = 0;
    s->m = 0;
    for (size_t i = 0; i < s->ndocs; i++)
        if (s->sidx[i] != NONE) s->sidx[i] = (uint32_t)s->m++;
    s->doc = xalloc(s->m, sizeof *s->doc);
    s->key = xalloc(s->m, sizeof *s->key);
    for (size_t k = 0; k < take; k++) {
        uint32_t j = s->sidx[ko[k].idx];
        s->doc[j] = ko[k].idx;
        s->key[j] = ko[k].key;
    }
    free(ko);

    /* Shingle sets with gema's tokeniser and shingler. */
    gema_tokenizer tok;
    gema_tokenizer_init(&tok);
    gema_u64vec set = { 0 }, all = { 0 };
    s->off = xalloc(s->m + 1, sizeof *s->off);
    s->off[0] = 0;
    for (size_t j = 0; j < s->m; j++) {
        gema_doc d;
        if (gema_reader_get(rd, s->doc[j], &d) != GEMA_OK) die("cannot read record %u", s->doc[j]);
        if (gema_tokenize(&tok, d.text, d.text_len, 0) != GEMA_OK) die("tokenise failed");
        if (gema_shingle_set(tok.hash, tok.count, shingle, seed, &set) != GEMA_OK) die("out of memory");
        if (gema_u64vec_reserve(&all, all.len + set.len) != GEMA_OK) die("out of memory");
        memcpy(all.v + all.len, set.v, set.len * sizeof *set.v);
        all.len += set.len;
        s->off[j + 1] = all.len;
    }
    gema_tokenizer_free(&tok);
    gema_u64vec_free(&set);
    gema_reader_free(rd);
    gema_corpus_free(c);
    free(usable);
    s->shingles_total = all.len;

    /* Rank shingles by ascending document frequency (rare first, the order
     * prefix filtering wants), and count how many are shared by documents
     * of different groups. */
    occ *oc = xalloc(all.len, sizeof *oc);
    for (size_t j = 0; j < s->m; j++)
        for (size_t p = s->off[j]; p < s->off[j + 1]; p++) {
            oc[p].h = all.v[p];
            oc[p].doc = (uint32_t)j;
            oc[p].pos = (uint32_t)(p - s->off[j]);
        }
    gema_u64vec_free(&all);
    sort_occ(oc, s->shingles_total);
    size_t nd = 0;
    for (size_t p = 0; p < s->shingles_total; p++) nd += p == 0 || oc[p].h != oc[p - 1].h;
    distinct_t *dt = xalloc(nd, sizeof *dt);
    uint32_t *keymark = xalloc(s->m, sizeof *keymark); /* by sample index of key's first doc */
    /* Key numbers can be large: name each key by its first sampled document,
     * found by sorting (key, sample index). */
    uint32_t *keyfirst = xalloc(s->m, sizeof *keyfirst);
    {
        uint64_t *kj = xalloc(s->m, sizeof *kj);
        for (size_t j = 0; j < s->m; j++) kj[j] = (uint64_t)s->key[j] << 32 | j;
        size_t n2 = gema_u64_sort_unique(kj, s->m);
        for (size_t a = 0; a < n2;) {
            size_t b = a;
            while (b < n2 && kj[b] >> 32 == kj[a] >> 32) keyfirst[(uint32_t)kj[b++]] = (uint32_t)kj[a];
            a = b;
        }
        free(kj);
    }
    for (size_t j = 0; j < s->m; j++) keymark[j] = NONE;
    s->distinct = nd;
    s->distinct_shared = s->occ_shared = 0;
    size_t di = 0;
    for (size_t p = 0; p < s->shingles_total;) {
        size_t q = p;
        uint32_t keys = 0;
        while (q < s->shingles_total && oc[q].h == oc[p].h) {
            uint32_t kf = keyfirst[oc[q].doc];
            if (keymark[kf] != di) {
                keymark[kf] = (uint32_t)di;
                keys++;
            }
            q++;
        }
        if (keys > 1) {
            s->distinct_shared++;
            s->occ_shared += q - p;
        }
        dt[di].df = (uint32_t)(q - p);
        dt[di].h = oc[p].h;
        dt[di].id = (uint32_t)di;
        di++;
        p = q;
    }
    free(keymark);
    free(keyfirst);
    qsort(dt, nd, sizeof *dt, cmp_distinct);
    uint32_t *rank_of = xalloc(nd, sizeof *rank_of);
    for (size_t r = 0; r < nd; r++) rank_of[dt[r].id] = (uint32_t)r;
    free(dt);
    s->rank = xalloc(s->shingles_total, sizeof *s->rank);
    di = 0;
    for (size_t p = 0; p < s->shingles_total; p++) {
        if (p > 0 && oc[p].h != oc[p - 1].h) di++;
        s->rank[s->off[oc[p].doc] + oc[p].pos] = rank_of[di];
    }
    free(rank_of);
    free(oc);
    for (size_t j = 0; j < s->m; j++)
        qsort(s->rank + s->off[j], s->off[j + 1] - s->off[j], sizeof *s->rank, cmp_u32);
}

static void sample_free(sample_t *s)
{
    for (size_t i = 0; i <= s->ids.mask; i++) free(s->ids.key[i]);
    free(s->ids.key);
    free(s->ids.val);
    free(s->truth);
    free(s->sidx);
    free(s->doc);
    free(s->off);
    free(s->rank);
    free(s->key);
}

static size_t set_size(const sample_t *s, uint32_t j) { return s->off[j + 1] - s->off[j]; }

static double jaccard(const sample_t *s, uint32_t a, uint32_t b)
{
    const uint32_t *x = s->rank + s->off[a], *y = s->rank + s->off[b];
    size_t nx = set_size(s, a), ny = set_size(s, b), i = 0, j = 0, k = 0;
    if (nx == 0 && ny == 0) return 1.0;
    if (nx == 0 || ny == 0) return 0.0;
    while (i < nx && j < ny) {
        if (x[i] < y[j]) i++;
        else if (x[i] > y[j]) j++;
        else { k++; i++; j++; }
    }
    return (double)k / (double)(nx + ny - k);
}

static size_t common(const sample_t *s, uint32_t a, uint32_t b)
{
    const uint32_t *x = s->rank + s->off[a], *y = s->rank + s->off[b];
    size_t nx = set_size(s, a), ny = set_size(s, b), i = 0, j = 0, k = 0;
    while (i < nx && j < ny) {
        if (x[i] < y[j]) i++;
        else if (x[i] > y[j]) j++;
        else { k++; i++; j++; }
    }
    return k;
}

/* ---- all pairs at or above a floor ----------------------------------------------- */

typedef struct {
    uint64_t *pair;            /* a << 32 | b, a < b (sample indices), sorted */
    float *sim;
    size_t n;
    uint64_t candidates;
    double seconds;
} pairset;

typedef struct {
    uint64_t p;
    float s;
} pair_sim;

static int cmp_pair_sim(const void *a, const void *b)
{
    uint64_t x = ((const pair_sim *)a)->p, y = ((const pair_sim *)b)->p;
    return (x > y) - (x < y);
}

static size_t prefix_len(size_t n, double t)
{
    if (n == 0) return 0;
    size_t need = (size_t)ceil(t * (double)n - 1e-9);
    if (need < 1) need = 1;
    return n - need + 1;
}

static void all_pairs(const sample_t *s, double floor_t, pairset *out)
{
    double t0 = now_s();
    const double t = floor_t - 1e-6;
    size_t m = s->m;
    /* Inverted index over prefix shingles. */
    size_t nranks = 0;
    for (size_t j = 0; j < m; j++) {
        size_t pl = prefix_len(set_size(s, (uint32_t)j), t);
        for (size_t p = 0; p < pl; p++)
            if (s->rank[s->off[j] + p] + 1u > nranks) nranks = s->rank[s->off[j] + p] + 1u;
    }
    size_t *start = xalloc(nranks + 1, sizeof *start);
    memset(start, 0, (nranks + 1) * sizeof *start);
    size_t total = 0;
    for (size_t j = 0; j < m; j++) {
        size_t pl = prefix_len(set_size(s, (uint32_t)j), t);
        for (size_t p = 0; p < pl; p++) start[s->rank[s->off[j] + p] + 1]++;
        total += pl;
    }
    for (size_t r = 0; r < nranks; r++) start[r + 1] += start[r];
    uint32_t *post = xalloc(total, sizeof *post);
    size_t *fill = xalloc(nranks, sizeof *fill);
    memset(fill, 0, nranks * sizeof *fill);
    for (size_t j = 0; j < m; j++) {
        size_t pl = prefix_len(set_size(s, (uint32_t)j), t);
        for (size_t p = 0; p < pl; p++) {
            uint32_t r = s->rank[s->off[j] + p];
            post[start[r] + fill[r]++] = (uint32_t)j;
        }
    }
    free(fill);
    uint32_t *mark = xalloc(m, sizeof *mark);
    for (size_t j = 0; j < m; j++) mark[j] = NONE;
    size_t cap = 1024;
    out->pair = xalloc(cap, sizeof *out->pair);
    out->sim = xalloc(cap, sizeof *out->sim);
    out->n = 0;
    out->candidates = 0;
    for (size_t x = 0; x < m; x++) {
        size_t sx = set_size(s, (uint32_t)x), pl = prefix_len(sx, t);
        for (size_t p = 0; p < pl; p++) {
            uint32_t r = s->rank[s->off[x] + p];
            /* Postings are in ascending document order: skip to y > x. */
            for (size_t q = start[r]; q < start[r + 1]; q++) {
                uint32_t y = post[q];
                if (y <= x || mark[y] == x) continue;
                mark[y] = (uint32_t)x;
                size_t sy = set_size(s, y);
                size_t lo = sx < sy ? sx : sy, hi = sx < sy ? sy : sx;
                if ((double)lo < t * (double)hi) continue; /* J <= lo / hi */
                out->candidates++;
                double j = jaccard(s, (uint32_t)x, y);
                if (j < t) continue;
                if (out->n == cap) {
                    cap *= 2;
                    out->pair = xgrow(out->pair, cap, sizeof *out->pair);
                    out->sim = xgrow(out->sim, cap, sizeof *out->sim);
                }
                out->pair[out->n] = (uint64_t)x << 32 | y;
                out->sim[out->n] = (float)j;
                out->n++;
            }
        }
    }
    free(mark);
    free(post);
    free(start);
    /* Pairs come in ascending x but not ascending y: sort, keeping each
     * similarity with its pair. */
    pair_sim *v = xalloc(out->n, sizeof *v);
    for (size_t i = 0; i < out->n; i++) {
        v[i].p = out->pair[i];
        v[i].s = out->sim[i];
    }
    qsort(v, out->n, sizeof *v, cmp_pair_sim);
    for (size_t i = 0; i < out->n; i++) {
        out->pair[i] = v[i].p;
        out->sim[i] = v[i].s;
    }
    free(v);
    out->seconds = now_s() - t0;
}

static size_t find_pair(const pairset *ps, uint32_t a, uint32_t b)
{
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint64_t key = (uint64_t)a << 32 | b;
    size_t lo = 0, hi = ps->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->pair[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < ps->n && ps->pair[lo] == key ? lo : SIZE_MAX;
}

/* Is (a, b) a duplicate at threshold t by brute force?  Pairs below the
 * floor are not in bf, and so not duplicates at any t >= floor. */
static int is_dup(const pairset *bf, uint32_t a, uint32_t b, double t)
{
    size_t k = find_pair(bf, a, b);
    return k != SIZE_MAX && (double)bf->sim[k] >= t - 1e-6;
}

/* ---- gema's output ------------------------------------------------------------------ */

typedef struct {
    double t;
    const char *clusters, *pairs;
    char name[64];
    char *mem;                 /* the argument, split in place */
} run_spec;

typedef struct {
    sample_t *s;
    uint32_t *cl;              /* sample index -> cluster number, NONE if in none */
    uint32_t *rep;             /* sample index -> representative (sample index), NONE */
    size_t clusters_seen;
    /* verified pairs */
    const pairset *bf;
    double t;
    uint64_t vp_total, vp_in_sample, vp_true, vp_sim_mismatch;
    uint64_t *vp;              /* pairs in the sample, for recall */
    size_t nvp, vp_cap;
} run_ctx;

static uint32_t sample_of(sample_t *s, const char *id)
{
    uint32_t d = strmap_get(&s->ids, id);
    return d == NONE ? NONE : s->sidx[d];
}

static void cluster_line(void *user, const cJSON *o, const char *path, size_t line)
{
    run_ctx *r = user;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(o, "cluster");
    const cJSON *rp = cJSON_GetObjectItemCaseSensitive(o, "representative");
    const cJSON *mem = cJSON_GetObjectItemCaseSensitive(o, "members");
    if (!cJSON_IsNumber(k) || !cJSON_IsString(rp) || !cJSON_IsArray(mem))
        die("%s:%zu: not a gema dedup --clusters line", path, line);
    uint32_t c = (uint32_t)k->valuedouble;
    uint32_t rj = sample_of(r->s, rp->valuestring);
    int any = 0;
    if (rj != NONE) {
        r->cl[rj] = c;
        r->rep[rj] = rj;
        any = 1;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, mem) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (!cJSON_IsString(id)) die("%s:%zu: member without id", path, line);
        uint32_t j = sample_of(r->s, id->valuestring);
        if (j == NONE) continue;
        r->cl[j] = c;
        r->rep[j] = rj;
        any = 1;
    }
    r->clusters_seen += any;
}

static void pair_line(void *user, const cJSON *o, const char *path, size_t line)
{
    run_ctx *r = user;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "a");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "b");
    const cJSON *sim = cJSON_GetObjectItemCaseSensitive(o, "similarity");
    if (!cJSON_IsString(a) || !cJSON_IsString(b) || !cJSON_IsNumber(sim))
        die("%s:%zu: not a gema dedup --pairs line", path, line);
    r->vp_total++;
    uint32_t x = sample_of(r->s, a->valuestring), y = sample_of(r->s, b->valuestring);
    if (x == NONE || y == NONE) return;
    r->vp_in_sample++;
    r->vp_true += is_dup(r->bf, x, y, r->t);
    /* gema prints 4 decimals of a float. */
    if (fabs(jaccard(r->s, x, y) - sim->valuedouble) > 1.5e-4) r->vp_sim_mismatch++;
    if (r->nvp == r->vp_cap) {
        r->vp_cap = r->vp_cap ? r->vp_cap * 2 : 1024;
        r->vp = xgrow(r->vp, r->vp_cap, sizeof *r->vp);
    }
    r->vp[r->nvp++] = x < y ? (uint64_t)x << 32 | y : (uint64_t)y << 32 | x;
}

static int same_cluster(const run_ctx *r, uint32_t a, uint32_t b)
{
    return r->cl[a] != NONE && r->cl[a] == r->cl[b];
}

static int planted_together(const sample_t *s, uint32_t a, uint32_t b)
{
    if (!s->truth) return 0;
    int32_t ga = s->truth[s->doc[a]].group, gb = s->truth[s->doc[b]].group;
    return ga >= 0 && ga == gb;
}

/* Category of a copy for the edit table. */
static void edit_category(const truth_doc *t, char *buf, size_t n)
{
    if (t->nedits != 1) {
        snprintf(buf, n, "%u edits", (unsigned)t->nedits);
        return;
    }
    snprintf(buf, n, "%s", edit_names[t->edit[0]]);
}

static void edit_bin(const truth_doc *t, char *buf, size_t n)
{
    buf[0] = 0;
    if (t->nedits != 1) return;
    double p = t->param[0];
    if (t->edit[0] == 7) { /* substitute: rate */
        const char *b = p < 0.04 ? "0.01-0.04" : p < 0.08 ? "0.04-0.08" : p < 0.12 ? "0.08-0.12" : "0.12-0.15";
        snprintf(buf, n, "substitute rate %s", b);
    } else if (t->edit[0] == 8) { /* truncate: kept */
        const char *b = p < 0.5 ? "<0.5" : p < 0.7 ? "0.5-0.7" : p < 0.9 ? "0.7-0.9" : ">=0.9";
        snprintf(buf, n, "truncate kept %s", b);
    }
}

#define MAX_CATS 32

typedef struct {
    char name[MAX_CATS][40];
    series s[MAX_CATS];
    size_t n;
} cats;

static series *cat_get(cats *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0) return &c->s[i];
    if (c->n == MAX_CATS) die("too many categories");
    snprintf(c->name[c->n], sizeof c->name[c->n], "%s", name);
    memset(&c->s[c->n], 0, sizeof c->s[c->n]);
    return &c->s[c->n++];
}

static int cmp_cat_name(const void *a, const void *b) { return strcmp(a, b); }

static void write_cats(jw *w, const char *key, cats *c, unsigned show)
{
    /* Print in name order so the output does not depend on input order. */
    char order[MAX_CATS][40];
    for (size_t i = 0; i < c->n; i++) memcpy(order[i], c->name[i], sizeof order[i]);
    qsort(order, c->n, sizeof order[0], cmp_cat_name);
    jw_open(w, key, '{');
    for (size_t i = 0; i < c->n; i++) jw_series(w, order[i], cat_get(c, order[i]), show);
    jw_close(w, '}');
}

static void cats_free(cats *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->s[i].v);
    c->n = 0;
}

/* Each copy against the document it was made from, by edit (r NULL: no run). */
static void collect_cats(const sample_t *s, const run_ctx *r, double t, cats *c)
{
    for (size_t j = 0; j < s->m; j++) {
        const truth_doc *td = &s->truth[s->doc[j]];
        if (td->parent == NONE) continue;
        uint32_t pj = s->sidx[td->parent];
        if (pj == NONE) continue;
        double jac = jaccard(s, (uint32_t)j, pj);
        int f = r ? same_cluster(r, (uint32_t)j, pj) : 0;
        char name[40];
        edit_category(td, name, sizeof name);
        series_add(cat_get(c, name), jac, f, t);
        edit_bin(td, name, sizeof name);
        if (name[0]) series_add(cat_get(c, name), jac, f, t);
        series_add(cat_get(c, "all copies"), jac, f, t);
    }
}

static void evaluate_run(sample_t *s, const pairset *bf, const run_spec *spec, jw *w)
{
    run_ctx r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.bf = bf;
    r.t = spec->t;
    r.cl = xalloc(s->m, sizeof *r.cl);
    r.rep = xalloc(s->m, sizeof *r.rep);
    for (size_t j = 0; j < s->m; j++) r.cl[j] = r.rep[j] = NONE;
    each_json_line(spec->clusters, cluster_line, &r);
    if (spec->pairs) each_json_line(spec->pairs, pair_line, &r);
    const double t = spec->t;

    /* Brute-force positives at t, and how gema's clusters cover them. */
    uint64_t pos = 0, found = 0, unplanned = 0, missed_planted = 0;
    series missed = { 0 };
    /* Why a pair was missed.  gema's clusters are stars: a member must reach
     * its cluster's representative.  If neither document of a missed pair is
     * clustered, or one is in no cluster although it reaches the other's
     * representative, the search lost it (LSH or verification order).  If one
     * sits in another cluster but also reaches the other's representative, it
     * could have joined either: a choice, not a miss of the search.  If each
     * is below t to the other's representative, the star shape keeps them
     * apart. */
    uint64_t miss_unclustered = 0, miss_reachable = 0, miss_choice = 0, miss_star = 0,
             miss_rep_outside = 0;
    for (size_t i = 0; i < bf->n; i++) {
        if ((double)bf->sim[i] < t - 1e-6) continue;
        uint32_t a = (uint32_t)(bf->pair[i] >> 32), b = (uint32_t)bf->pair[i];
        pos++;
        int f = same_cluster(&r, a, b);
        found += f;
        int pl = planted_together(s, a, b);
        if (s->truth && !pl) unplanned++;
        if (!f) {
            series_add(&missed, bf->sim[i], 0, t);
            missed_planted += pl;
            uint32_t ra = r.rep[a], rb = r.rep[b];
            if (r.cl[a] == NONE && r.cl[b] == NONE) miss_unclustered++;
            else if ((r.cl[a] != NONE && ra == NONE) || (r.cl[b] != NONE && rb == NONE)) miss_rep_outside++;
            else {
                int a_to_rb = rb != NONE && jaccard(s, a, rb) >= t - 1e-6;
                int b_to_ra = ra != NONE && jaccard(s, b, ra) >= t - 1e-6;
                if ((a_to_rb && r.cl[a] == NONE) || (b_to_ra && r.cl[b] == NONE)) miss_reachable++;
                else if (a_to_rb || b_to_ra) miss_choice++;
                else miss_star++;
            }
        }
    }
    /* Pairs implied by the clusters: every pair inside one. */
    uint64_t *byc = xalloc(s->m, sizeof *byc);
    size_t nb = 0;
    for (size_t j = 0; j < s->m; j++)
        if (r.cl[j] != NONE) byc[nb++] = (uint64_t)r.cl[j] << 32 | j;
    gema_u64_sort_unique(byc, nb);
    uint64_t implied = 0, implied_true = 0, implied_cross = 0;
    series false_sims = { 0 };
    for (size_t a = 0; a < nb;) {
        size_t b = a;
        while (b < nb && byc[b] >> 32 == byc[a] >> 32) b++;
        for (size_t x = a; x < b; x++)
            for (size_t y = x + 1; y < b; y++) {
                uint32_t u = (uint32_t)byc[x], v = (uint32_t)byc[y];
                implied++;
                if (is_dup(bf, u, v, t)) implied_true++;
                else series_add(&false_sims, jaccard(s, u, v), 0, t);
                if (s->truth && !planted_together(s, u, v)) implied_cross++;
            }
        a = b;
    }
    free(byc);
    uint64_t reps = 0, reps_true = 0;
    for (size_t j = 0; j < s->m; j++) {
        if (r.rep[j] == NONE || r.rep[j] == j) continue;
        reps++;
        reps_true += is_dup(bf, (uint32_t)j, r.rep[j], t);
    }
    /* Verified pairs: recall against the brute-force positives. */
    uint64_t vp_hits = 0;
    if (spec->pairs) {
        gema_u64_sort_unique(r.vp, r.nvp);
        for (size_t i = 0; i < r.nvp; i++)
            vp_hits += is_dup(bf, (uint32_t)(r.vp[i] >> 32), (uint32_t)r.vp[i], t);
    }

    jw_open(w, NULL, '{');
    jw_str(w, "name", spec->name);
    jw_num(w, "threshold", t);
    jw_str(w, "clusters_file", spec->clusters);
    jw_num(w, "bruteforce_pairs", (double)pos);
    if (s->truth) jw_num(w, "bruteforce_pairs_unplanned", (double)unplanned);
    jw_open(w, "clusters", '{');
    jw_num(w, "clusters_touching_sample", (double)r.clusters_seen);
    jw_num(w, "implied_pairs", (double)implied);
    jw_num(w, "implied_pairs_true", (double)implied_true);
    jw_num(w, "precision", implied ? (double)implied_true / (double)implied : NAN);
    if (s->truth) jw_num(w, "implied_pairs_across_planted_groups", (double)implied_cross);
    jw_num(w, "representative_pairs", (double)reps);
    jw_num(w, "representative_precision", reps ? (double)reps_true / (double)reps : NAN);
    jw_num(w, "found", (double)found);
    jw_num(w, "recall", pos ? (double)found / (double)pos : NAN);
    jw_series(w, "false_pair_jaccard", &false_sims, SHOW_DIST);
    jw_series(w, "missed_pair_jaccard", &missed, SHOW_DIST);
    if (s->truth) jw_num(w, "missed_planted", (double)missed_planted);
    jw_open(w, "missed_by_cause", '{');
    jw_num(w, "neither_in_a_cluster", (double)miss_unclustered);
    jw_num(w, "unclustered_one_reaches_the_others_representative", (double)miss_reachable);
    jw_num(w, "clustered_elsewhere_but_reaches_the_others_representative", (double)miss_choice);
    jw_num(w, "both_below_t_to_the_others_representative", (double)miss_star);
    jw_num(w, "representative_outside_sample", (double)miss_rep_outside);
    jw_close(w, '}');
    jw_close(w, '}');
    if (spec->pairs) {
        jw_open(w, "verified_pairs", '{');
        jw_num(w, "reported", (double)r.vp_total);
        jw_num(w, "in_sample", (double)r.vp_in_sample);
        jw_num(w, "true", (double)r.vp_true);
        jw_num(w, "precision", r.vp_in_sample ? (double)r.vp_true / (double)r.vp_in_sample : NAN);
        jw_num(w, "recall", pos ? (double)vp_hits / (double)pos : NAN);
        jw_num(w, "similarity_mismatches", (double)r.vp_sim_mismatch);
        jw_close(w, '}');
    }
    if (s->truth) {
        /* Planted groups: every pair inside a group, and each copy against
         * its parent by edit. */
        uint64_t *byg = xalloc(s->m, sizeof *byg);
        size_t ng = 0;
        for (size_t j = 0; j < s->m; j++) {
            int32_t g = s->truth[s->doc[j]].group;
            if (g >= 0) byg[ng++] = (uint64_t)g << 32 | j;
        }
        gema_u64_sort_unique(byg, ng);
        series all = { 0 };
        uint64_t groups = 0;
        for (size_t a = 0; a < ng;) {
            size_t b = a;
            while (b < ng && byg[b] >> 32 == byg[a] >> 32) b++;
            groups++;
            for (size_t x = a; x < b; x++)
                for (size_t y = x + 1; y < b; y++) {
                    uint32_t u = (uint32_t)byg[x], v = (uint32_t)byg[y];
                    series_add(&all, jaccard(s, u, v), same_cluster(&r, u, v), t);
                }
            a = b;
        }
        free(byg);
        jw_open(w, "planted", '{');
        jw_num(w, "groups", (double)groups);
        jw_num(w, "pairs", (double)all.n);
        jw_num(w, "recall", all.n ? (double)all.found / (double)all.n : NAN);
        jw_num(w, "pairs_ge_threshold", (double)all.ge);
        jw_series(w, "jaccard", &all, SHOW_DIST | SHOW_FOUND);
        jw_close(w, '}');
        free(all.v);
        cats c = { .n = 0 };
        collect_cats(s, &r, t, &c);
        write_cats(w, "copy_vs_parent_by_edit", &c, SHOW_FOUND);
        cats_free(&c);
    }
    jw_close(w, '}');
    free(missed.v);
    free(false_sims.v);
    free(r.vp);
    free(r.cl);
    free(r.rep);
}

/* ---- checks on the sample itself ------------------------------------------------------ */

static void naive_check(const sample_t *s, const pairset *bf, double floor_t, size_t n, jw *w)
{
    double t0 = now_s();
    if (n > s->m) n = s->m;
    uint64_t checked = 0, positives = 0, missing = 0, extra = 0;
    for (uint32_t a = 0; a < n; a++)
        for (uint32_t b = a + 1; b < n; b++) {
            checked++;
            int dup = jaccard(s, a, b) >= floor_t - 1e-6;
            int listed = find_pair(bf, a, b) != SIZE_MAX;
            positives += dup;
            missing += dup && !listed;
            extra += listed && !dup;
        }
    jw_open(w, "naive_check", '{');
    jw_num(w, "documents", (double)n);
    jw_num(w, "pairs_compared", (double)checked);
    jw_num(w, "pairs_ge_floor", (double)positives);
    jw_num(w, "missing_from_index", (double)missing);
    jw_num(w, "extra_in_index", (double)extra);
    jw_num(w, "seconds", now_s() - t0);
    jw_close(w, '}');
    if (missing || extra) fprintf(stderr, "dedup_eval: NAIVE CHECK FAILED: %llu missing, %llu extra\n",
                                  (unsigned long long)missing, (unsigned long long)extra);
}

/* How much do documents that were not planted together share? */
static void unrelated(const sample_t *s, size_t npairs, jw *w)
{
    uint64_t x = 0x756E72656CULL, tried = 0, sharing = 0, shared_total = 0, ge01 = 0;
    double maxj = 0;
    if (s->m >= 2)
        for (size_t i = 0; i < npairs; i++) {
            x += 0x9E3779B97F4A7C15ULL;
            uint64_t z = XXH3_64bits(&x, sizeof x);
            uint32_t a = (uint32_t)((z >> 32) % s->m), b = (uint32_t)((z & 0xFFFFFFFFu) % s->m);
            if (a == b || s->key[a] == s->key[b]) continue;
            tried++;
            size_t k = common(s, a, b);
            if (k) {
                sharing++;
                shared_total += k;
                double j = jaccard(s, a, b);
                if (j > maxj) maxj = j;
                ge01 += j >= 0.1;
            }
        }
    jw_open(w, "unrelated", '{');
    jw_num(w, "random_pairs", (double)tried);
    jw_num(w, "share_with_a_common_shingle", tried ? (double)sharing / (double)tried : NAN);
    jw_num(w, "mean_common_shingles_when_any", sharing ? (double)shared_total / (double)sharing : NAN);
    jw_num(w, "max_jaccard", maxj);
    jw_num(w, "pairs_jaccard_ge_0.1", (double)ge01);
    jw_num(w, "distinct_shingles", (double)s->distinct);
    jw_num(w, "distinct_shingles_in_several_groups", (double)s->distinct_shared);
    jw_num(w, "share_of_distinct_shingles_shared", s->distinct ? (double)s->distinct_shared / (double)s->distinct : NAN);
    jw_num(w, "share_of_shingle_occurrences_shared",
           s->shingles_total ? (double)s->occ_shared / (double)s->shingles_total : NAN);
    jw_close(w, '}');
}

/* ---- main -------------------------------------------------------------------------- */

static int bad_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "dedup_eval: %s%s%s\nTry 'dedup_eval --help'.\n", msg, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

static int parse_run(const char *arg, run_spec *r, size_t k)
{
    char *copy = strdup(arg);
    if (!copy) die("out of memory");
    r->mem = copy;
    char *parts[4] = { 0 };
    int n = 0;
    /* Not strtok: it merges ",," and "T,C,,NAME" (no pairs file) must keep its empty field. */
    for (char *p = copy; p && n < 4;) {
        parts[n++] = p;
        p = n < 4 ? strchr(p, ',') : NULL;
        if (p) *p++ = '\0';
    }
    char *end;
    if (n < 2) return -1;
    r->t = strtod(parts[0], &end);
    if (*end || !(r->t > 0 && r->t <= 1)) return -1;
    r->clusters = parts[1];
    r->pairs = n > 2 && parts[2][0] ? parts[2] : NULL;
    if (n > 3) snprintf(r->name, sizeof r->name, "%s", parts[3]);
    else snprintf(r->name, sizeof r->name, "run%zu", k + 1);
    return 0;
}

int main(int argc, char **argv)
{
    gema_dedup_options dflt;
    gema_dedup_options_default(&dflt);
    unsigned shingle = dflt.shingle;
    uint64_t seed = dflt.seed;
    double threshold = dflt.threshold;
    size_t want = 20000, naive = 0, nunrel = 200000;
    const char *truth = NULL, *output = NULL, *label_field = NULL;
    run_spec *runs = NULL;
    size_t nruns = 0;
    enum { O_TRUTH = 1000, O_SAMPLE, O_SHINGLE, O_SEED, O_THRESHOLD, O_RUN, O_NAIVE, O_UNREL, O_LABEL };
    static const struct option lo[] = {
        { "truth", required_argument, NULL, O_TRUTH }, { "sample", required_argument, NULL, O_SAMPLE },
        { "shingle", required_argument, NULL, O_SHINGLE }, { "seed", required_argument, NULL, O_SEED },
        { "threshold", required_argument, NULL, O_THRESHOLD }, { "run", required_argument, NULL, O_RUN },
        { "check-naive", required_argument, NULL, O_NAIVE },
        { "unrelated", required_argument, NULL, O_UNREL },
        { "label-field", required_argument, NULL, O_LABEL },
        { "output", required_argument, NULL, 'o' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
    };
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "o:qh", lo, NULL)) != -1) {
        switch (c) {
        case O_TRUTH: truth = optarg; break;
        case O_SAMPLE:
            want = (size_t)strtoull(optarg, &end, 10);
            if (*end) return bad_usage("bad --sample", optarg);
            break;
        case O_SHINGLE:
            shingle = (unsigned)strtoul(optarg, &end, 10);
            if (*end || shingle < 1 || shingle > 64) return bad_usage("--shingle is 1..64", optarg);
            break;
        case O_SEED:
            seed = strtoull(optarg, &end, 10);
            if (*end) return bad_usage("bad --seed", optarg);
            break;
        case O_THRESHOLD:
            threshold = strtod(optarg, &end);
            if (*end || !(threshold > 0 && threshold <= 1)) return bad_usage("--threshold is (0, 1]", optarg);
            break;
        case O_RUN:
            runs = xgrow(runs, nruns + 1, sizeof *runs);
            if (parse_run(optarg, &runs[nruns], nruns)) return bad_usage("--run is T,CLUSTERS[,PAIRS[,NAME]]", optarg);
            nruns++;
            break;
        case O_NAIVE:
            naive = (size_t)strtoull(optarg, &end, 10);
            if (*end) return bad_usage("bad --check-naive", optarg);
            break;
        case O_UNREL:
            nunrel = (size_t)strtoull(optarg, &end, 10);
            if (*end) return bad_usage("bad --unrelated", optarg);
            break;
        case O_LABEL: label_field = optarg; break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        default: return bad_usage("unknown option", NULL);
        }
    }
    if (optind + 1 != argc) return bad_usage("give one corpus file", NULL);
    const char *corpus = argv[optind];
    double floor_t = threshold;
    for (size_t i = 0; i < nruns; i++)
        if (runs[i].t < floor_t) floor_t = runs[i].t;

    double t0 = now_s();
    sample_t s;
    memset(&s, 0, sizeof s);
    if (truth && label_field) return bad_usage("--truth and --label-field do not go together", NULL);
    build_sample(&s, corpus, truth, label_field, want, shingle, seed);
    double t1 = now_s();
    progress("%zu of %zu documents sampled, %llu shingles (%llu distinct) in %.1f s", s.m, s.ndocs,
             (unsigned long long)s.shingles_total, (unsigned long long)s.distinct, t1 - t0);
    pairset bf;
    all_pairs(&s, floor_t, &bf);
    progress("brute force: %zu pairs with Jaccard >= %.2f (%llu verified) in %.1f s", bf.n, floor_t,
             (unsigned long long)bf.candidates, bf.seconds);

    jw w;
    memset(&w, 0, sizeof w);
    jw_open(&w, NULL, '{');
    jw_str(&w, "corpus", corpus);
    jw_num(&w, "records", (double)s.ndocs);
    jw_num(&w, "shingle", shingle);
    jw_num(&w, "seed", (double)seed);
    jw_num(&w, "threshold", threshold);
    jw_open(&w, "sample", '{');
    jw_num(&w, "documents", (double)s.m);
    jw_num(&w, "shingles", (double)s.shingles_total);
    jw_num(&w, "seconds", t1 - t0);
    jw_close(&w, '}');
    jw_open(&w, "bruteforce", '{');
    jw_str(&w, "method", "prefix-filtered inverted index, exact intersection");
    jw_num(&w, "floor", floor_t);
    jw_num(&w, "pairs_ge_floor", (double)bf.n);
    jw_num(&w, "candidates_verified", (double)bf.candidates);
    jw_num(&w, "seconds", bf.seconds);
    jw_close(&w, '}');
    if (naive) {
        naive_check(&s, &bf, floor_t, naive, &w);
        progress("naive check of %zu documents done", naive);
    }
    unrelated(&s, nunrel, &w);
    if (s.truth) {
        cats ct = { .n = 0 };
        collect_cats(&s, NULL, threshold, &ct);
        write_cats(&w, "copy_vs_parent_jaccard", &ct, SHOW_DIST);
        cats_free(&ct);
    }
    jw_open(&w, "runs", '[');
    for (size_t i = 0; i < nruns; i++) {
        jw_key(&w, NULL);
        evaluate_run(&s, &bf, &runs[i], &w);
        progress("run %s evaluated", runs[i].name);
    }
    jw_close(&w, ']');
    jw_close(&w, '}');
    if (gema_buf_append(&w.b, "\n", 1) != GEMA_OK) die("out of memory");

    gema_out *out;
    if (gema_out_open(output, &out) != GEMA_OK) die("%s: cannot open for writing", output ? output : "stdout");
    gema_out_write(out, w.b.data, w.b.len);
    int rc = gema_out_commit(out);
    if (rc != GEMA_OK) die("%s: %s", output ? output : "stdout", gema_strerror(rc));
    gema_buf_free(&w.b);
    free(bf.pair);
    free(bf.sim);
    sample_free(&s);
    for (size_t i = 0; i < nruns; i++) free(runs[i].mem);
    free(runs);
    return 0;
}
