/*
 * stories_eval.c - score gema stories against gold labels, and make
 * reordered copies of a corpus.
 *
 *   stories_eval score GOLD.jsonl ASSIGNMENTS.jsonl [LABEL]
 *       GOLD lines carry "id" and a label field (default "story");
 *       ASSIGNMENTS is gema stories --assignments output ("id", "story").
 *       Prints one JSON object: B-cubed, pairwise, ARI, V-measure over the
 *       gold ids.  A gold id without an assignment (or with story null)
 *       counts as a story of its own and is reported under "missing".
 *   stories_eval baseline GOLD.jsonl [LABEL]
 *       The plain baseline the issue compares against, in C: TF-IDF as
 *       scikit-learn's TfidfVectorizer defaults (lower-cased tokens of two or
 *       more word characters, raw counts, smoothed IDF ln((1+N)/(1+df)) + 1,
 *       L2 norm), average-link agglomerative clustering on cosine distance,
 *       cut at distance thresholds 0.50, 0.55, ... 0.95.  One JSON line per
 *       threshold, then the best one with "best": true - tuned on the very
 *       file it is scored on, so an upper bound for the baseline.
 *   stories_eval shuffle SEED IN OUT
 *       IN's lines in a pseudo-random order fixed by SEED (xorshift64*,
 *       Fisher-Yates), so a stream clusterer can be scored on orders other
 *       than the file's, which groups ECB+ by story.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_metrics.h"

typedef struct {
    char *id;
    char *label;     /* gold label text, or NULL */
    long story;      /* assignment, -1 if none */
} row;

typedef struct {
    char **line;
    size_t n, cap;
    char *data;
} lines;

static int read_lines(const char *path, lines *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "stories_eval: %s: cannot open\n", path);
        return -1;
    }
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        size_t r = fread(buf + len, 1, cap - len - 1, f);
        len += r;
        if (len < cap - 1) break;
        cap *= 2;
        char *b = realloc(buf, cap);
        if (!b) {
            free(buf);
            buf = NULL;
        }
        buf = b;
    }
    fclose(f);
    if (!buf) return -1;
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    out->data = buf;
    for (char *p = buf; *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (*p) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 1024;
                char **l = realloc(out->line, out->cap * sizeof *l);
                if (!l) return -1;
                out->line = l;
            }
            out->line[out->n++] = p;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const row *)a)->id, ((const row *)b)->id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c) memcpy(c, s, n);
    return c;
}

static int score(const char *gold_path, const char *assign_path, const char *label)
{
    lines g, a;
    if (read_lines(gold_path, &g) || read_lines(assign_path, &a)) return 1;
    row *gold = calloc(g.n ? g.n : 1, sizeof *gold);
    row *as = calloc(a.n ? a.n : 1, sizeof *as);
    size_t ng = 0, na = 0;
    for (size_t i = 0; i < g.n; i++) {
        cJSON *j = cJSON_Parse(g.line[i]);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
        const cJSON *lb = cJSON_GetObjectItemCaseSensitive(j, label);
        if (cJSON_IsString(id) && cJSON_IsString(lb)) {
            gold[ng].id = dup_string(id->valuestring);
            gold[ng].label = dup_string(lb->valuestring);
            ng++;
        }
        cJSON_Delete(j);
    }
    for (size_t i = 0; i < a.n; i++) {
        cJSON *j = cJSON_Parse(a.line[i]);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "story");
        if (cJSON_IsString(id)) {
            as[na].id = dup_string(id->valuestring);
            as[na].story = cJSON_IsNumber(st) ? (long)st->valuedouble : -1;
            na++;
        }
        cJSON_Delete(j);
    }
    qsort(as, na, sizeof *as, cmp_row);
    /* Dense gold label numbers. */
    char **labels = malloc((ng ? ng : 1) * sizeof *labels);
    for (size_t i = 0; i < ng; i++) labels[i] = gold[i].label;
    qsort(labels, ng, sizeof *labels, cmp_str);
    uint32_t *pred = malloc((ng ? ng : 1) * sizeof *pred);
    uint32_t *gl = malloc((ng ? ng : 1) * sizeof *gl);
    size_t missing = 0;
    uint32_t next_missing = 0x80000000u;
    for (size_t i = 0; i < ng; i++) {
        char **l = bsearch(&gold[i].label, labels, ng, sizeof *labels, cmp_str);
        gl[i] = (uint32_t)(l - labels);
        row key = { gold[i].id, NULL, 0 };
        row *r = bsearch(&key, as, na, sizeof *as, cmp_row);
        if (r && r->story >= 0 && r->story < 0x80000000L) {
            pred[i] = (uint32_t)r->story;
        } else {
            pred[i] = next_missing++;
            missing++;
        }
    }
    /* Equal labels got the first index among equals: collapse to that. */
    for (size_t i = 0; i < ng; i++) {
        size_t k = gl[i];
        while (k > 0 && strcmp(labels[k - 1], labels[k]) == 0) k--;
        gl[i] = (uint32_t)k;
    }
    cluster_scores s;
    if (cluster_score(pred, gl, ng, &s)) return 1;
    printf("{\"n\": %zu, \"missing\": %zu, \"gold_stories\": %zu, \"stories\": %zu, "
           "\"bcubed_p\": %.4f, \"bcubed_r\": %.4f, \"bcubed_f1\": %.4f, "
           "\"pair_p\": %.4f, \"pair_r\": %.4f, \"pair_f1\": %.4f, \"ari\": %.4f, "
           "\"homogeneity\": %.4f, \"completeness\": %.4f, \"v_measure\": %.4f}\n",
           s.n, missing, s.gold_clusters, s.pred_clusters, s.bcubed_p, s.bcubed_r, s.bcubed_f1,
           s.pair_p, s.pair_r, s.pair_f1, s.ari, s.homogeneity, s.completeness, s.v_measure);
    for (size_t i = 0; i < ng; i++) {
        free(gold[i].id);
        free(gold[i].label);
    }
    for (size_t i = 0; i < na; i++) free(as[i].id);
    free(gold); free(as); free(labels); free(pred); free(gl);
    free(g.line); free(g.data); free(a.line); free(a.data);
    return 0;
}


/* ---- the baseline: TF-IDF + average link ---------------------------------- */

typedef struct {
    uint32_t *term;
    double *w;
    size_t n;
} svec;

typedef struct {
    char **key;
    uint32_t *df;
    size_t cap, n;
} vocab;

static uint32_t vocab_id(vocab *v, const char *w, size_t len)
{
    if ((v->n + 1) * 2 > v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4096;
        char **k = calloc(cap, sizeof *k);
        uint32_t *df = calloc(cap, sizeof *df);
        uint32_t *id = calloc(cap, sizeof *id);
        for (size_t i = 0; i < v->cap; i++) {
            if (!v->key[i]) continue;
            size_t h = 5381;
            for (const char *p = v->key[i]; *p; p++) h = h * 33 + (unsigned char)*p;
            size_t j = h & (cap - 1);
            while (k[j]) j = (j + 1) & (cap - 1);
            k[j] = v->key[i];
            df[j] = v->df[i];
        }
        free(v->key);
        free(v->df);
        free(id);
        v->key = k;
        v->df = df;
        v->cap = cap;
    }
    size_t h = 5381;
    for (size_t i = 0; i < len; i++) h = h * 33 + (unsigned char)w[i];
    size_t j = h & (v->cap - 1);
    while (v->key[j]) {
        if (strlen(v->key[j]) == len && memcmp(v->key[j], w, len) == 0) return (uint32_t)j;
        j = (j + 1) & (v->cap - 1);
    }
    v->key[j] = malloc(len + 1);
    memcpy(v->key[j], w, len);
    v->key[j][len] = '\0';
    v->n++;
    return (uint32_t)j;
}

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Terms of a text as sorted vocabulary slots with counts.  Slots move when
 * the table grows, so terms are kept as strings until the vocabulary is
 * complete: here the text is tokenised twice instead (count, then build). */
static void tokens(const char *text, vocab *v, uint32_t **out, size_t *n)
{
    size_t cap = 256, k = 0;
    uint32_t *ids = malloc(cap * sizeof *ids);
    char buf[256];
    for (const char *p = text; *p;) {
        if (!word_byte((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *q = p;
        while (*q && word_byte((unsigned char)*q)) q++;
        size_t len = (size_t)(q - p);
        if (len >= 2 && len < sizeof buf) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
            if (k == cap) ids = realloc(ids, (cap *= 2) * sizeof *ids);
            ids[k++] = vocab_id(v, buf, len);
        }
        p = q;
    }
    *out = ids;
    *n = k;
}

static int baseline(const char *gold_path, const char *label)
{
    lines g;
    if (read_lines(gold_path, &g)) return 1;
    size_t n = 0;
    char **text = malloc((g.n ? g.n : 1) * sizeof *text);
    char **lab = malloc((g.n ? g.n : 1) * sizeof *lab);
    for (size_t i = 0; i < g.n; i++) {
        cJSON *j = cJSON_Parse(g.line[i]);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, label);
        if (cJSON_IsString(t) && cJSON_IsString(l)) {
            text[n] = dup_string(t->valuestring);
            lab[n] = dup_string(l->valuestring);
            n++;
        }
        cJSON_Delete(j);
    }
    /* Vocabulary first (slots are stable once it stops growing). */
    vocab v = { 0 };
    for (size_t i = 0; i < n; i++) {
        uint32_t *ids;
        size_t k;
        tokens(text[i], &v, &ids, &k);
        free(ids);
    }
    size_t cap_before = v.cap;
    svec *d = calloc(n ? n : 1, sizeof *d);
    for (size_t i = 0; i < n; i++) {
        uint32_t *ids;
        size_t k;
        tokens(text[i], &v, &ids, &k);
        qsort(ids, k, sizeof *ids, cmp_u32);
        d[i].term = malloc((k ? k : 1) * sizeof *d[i].term);
        d[i].w = malloc((k ? k : 1) * sizeof *d[i].w);
        for (size_t a = 0; a < k;) {
            size_t b = a;
            while (b < k && ids[b] == ids[a]) b++;
            d[i].term[d[i].n] = ids[a];
            d[i].w[d[i].n++] = (double)(b - a);
            v.df[ids[a]]++;
            a = b;
        }
        free(ids);
    }
    if (v.cap != cap_before) {
        fprintf(stderr, "stories_eval: vocabulary moved\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        double n2 = 0;
        for (size_t a = 0; a < d[i].n; a++) {
            d[i].w[a] *= log((1.0 + (double)n) / (1.0 + v.df[d[i].term[a]])) + 1.0;
            n2 += d[i].w[a] * d[i].w[a];
        }
        for (size_t a = 0; a < d[i].n; a++) d[i].w[a] /= sqrt(n2 > 0 ? n2 : 1);
    }
    /* Cosine distances, then UPGMA merges recorded with their heights (average
     * link is monotone, so a cut at t replays the merges below t). */
    double *D = malloc(n * n * sizeof *D);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i; j < n; j++) {
            double s = 0;
            size_t a = 0, b = 0;
            while (a < d[i].n && b < d[j].n) {
                if (d[i].term[a] == d[j].term[b]) s += d[i].w[a++] * d[j].w[b++];
                else if (d[i].term[a] < d[j].term[b]) a++;
                else b++;
            }
            D[i * n + j] = D[j * n + i] = 1.0 - s;
        }
    size_t *size = malloc(n * sizeof *size), *ma = malloc(n * sizeof *ma), *mb = malloc(n * sizeof *mb);
    double *mh = malloc(n * sizeof *mh);
    char *alive = malloc(n);
    size_t *nn = malloc(n * sizeof *nn); /* nearest live row of each row */
    for (size_t i = 0; i < n; i++) size[i] = 1, alive[i] = 1;
    for (size_t i = 0; i < n; i++) {
        nn[i] = SIZE_MAX;
        for (size_t j = 0; j < n; j++)
            if (j != i && (nn[i] == SIZE_MAX || D[i * n + j] < D[i * n + nn[i]])) nn[i] = j;
    }
    size_t nm = 0;
    for (size_t step = 1; step < n; step++) {
        size_t a = SIZE_MAX;
        for (size_t i = 0; i < n; i++)
            if (alive[i] && nn[i] != SIZE_MAX && (a == SIZE_MAX || D[i * n + nn[i]] < D[a * n + nn[a]]))
                a = i;
        size_t b = nn[a];
        ma[nm] = a, mb[nm] = b, mh[nm] = D[a * n + b], nm++;
        for (size_t k = 0; k < n; k++)
            if (alive[k] && k != a && k != b) {
                double x = ((double)size[a] * D[a * n + k] + (double)size[b] * D[b * n + k]) /
                           (double)(size[a] + size[b]);
                D[a * n + k] = D[k * n + a] = x;
            }
        size[a] += size[b];
        alive[b] = 0;
        for (size_t i = 0; i < n; i++) {
            if (!alive[i]) continue;
            if (i == a || nn[i] == a || nn[i] == b) {
                nn[i] = SIZE_MAX;
                for (size_t j = 0; j < n; j++)
                    if (j != i && alive[j] && (nn[i] == SIZE_MAX || D[i * n + j] < D[i * n + nn[i]]))
                        nn[i] = j;
            } else if (D[i * n + a] < D[i * n + nn[i]]) {
                nn[i] = a;
            }
        }
    }
    /* Gold labels as numbers. */
    uint32_t *gl = malloc(n * sizeof *gl), *pred = malloc(n * sizeof *pred), *uf = malloc(n * sizeof *uf);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (strcmp(lab[k], lab[i]) != 0) k++;
        gl[i] = (uint32_t)k;
    }
    cluster_scores best;
    double best_t = 0;
    memset(&best, 0, sizeof best);
    for (int ti = 0; ti <= 9; ti++) {
        double t = 0.50 + 0.05 * ti;
        for (size_t i = 0; i < n; i++) uf[i] = (uint32_t)i;
        for (size_t m = 0; m < nm && mh[m] < t; m++) {
            uint32_t x = (uint32_t)ma[m], y = (uint32_t)mb[m];
            while (uf[x] != x) x = uf[x];
            while (uf[y] != y) y = uf[y];
            if (x != y) uf[y] = x;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t x = (uint32_t)i;
            while (uf[x] != x) x = uf[x];
            pred[i] = x;
        }
        cluster_scores s;
        if (cluster_score(pred, gl, n, &s)) return 1;
        printf("{\"threshold\": %.2f, \"stories\": %zu, \"bcubed_p\": %.4f, \"bcubed_r\": %.4f, "
               "\"bcubed_f1\": %.4f, \"pair_f1\": %.4f, \"ari\": %.4f, \"v_measure\": %.4f}\n",
               t, s.pred_clusters, s.bcubed_p, s.bcubed_r, s.bcubed_f1, s.pair_f1, s.ari,
               s.v_measure);
        if (s.bcubed_f1 > best.bcubed_f1) best = s, best_t = t;
    }
    printf("{\"best\": true, \"threshold\": %.2f, \"stories\": %zu, \"gold_stories\": %zu, "
           "\"bcubed_p\": %.4f, \"bcubed_r\": %.4f, \"bcubed_f1\": %.4f, \"pair_f1\": %.4f, "
           "\"ari\": %.4f, \"v_measure\": %.4f}\n",
           best_t, best.pred_clusters, best.gold_clusters, best.bcubed_p, best.bcubed_r,
           best.bcubed_f1, best.pair_f1, best.ari, best.v_measure);
    return 0;
}

static int shuffle(unsigned long long seed, const char *in, const char *outp)
{
    lines l;
    if (read_lines(in, &l)) return 1;
    unsigned long long x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (size_t i = l.n; i > 1; i--) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        size_t j = (size_t)((x * 0x2545F4914F6CDD1DULL) % i);
        char *t = l.line[i - 1];
        l.line[i - 1] = l.line[j];
        l.line[j] = t;
    }
    FILE *f = fopen(outp, "wb");
    if (!f) {
        fprintf(stderr, "stories_eval: %s: cannot write\n", outp);
        return 1;
    }
    for (size_t i = 0; i < l.n; i++) fprintf(f, "%s\n", l.line[i]);
    int bad = fclose(f) != 0;
    free(l.line);
    free(l.data);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "score") == 0)
        return score(argv[2], argv[3], argc > 4 ? argv[4] : "story");
    if (argc >= 3 && strcmp(argv[1], "baseline") == 0)
        return baseline(argv[2], argc > 3 ? argv[3] : "story");
    if (argc == 5 && strcmp(argv[1], "shuffle") == 0)
        return shuffle(strtoull(argv[2], NULL, 10), argv[3], argv[4]);
    fprintf(stderr, "usage: stories_eval score GOLD.jsonl ASSIGNMENTS.jsonl [LABEL]\n"
                    "       stories_eval baseline GOLD.jsonl [LABEL]\n"
                    "       stories_eval shuffle SEED IN OUT\n");
    return 2;
}
