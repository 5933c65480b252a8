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
 *   stories_eval shuffle SEED IN OUT
 *       IN's lines in a pseudo-random order fixed by SEED (xorshift64*,
 *       Fisher-Yates), so a stream clusterer can be scored on orders other
 *       than the file's, which groups ECB+ by story.
 */
#include <cjson/cJSON.h>
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
    if (argc == 5 && strcmp(argv[1], "shuffle") == 0)
        return shuffle(strtoull(argv[2], NULL, 10), argv[3], argv[4]);
    fprintf(stderr, "usage: stories_eval score GOLD.jsonl ASSIGNMENTS.jsonl [LABEL]\n"
                    "       stories_eval shuffle SEED IN OUT\n");
    return 2;
}
