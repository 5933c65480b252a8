/*
 * features_bench.c - time gema stories' per-article feature extraction
 * alone, and fingerprint what it produces.
 *
 *   features_bench FILE.jsonl [DOCS [REPS]]
 *
 * Reads up to DOCS records (default all) of a JSONL corpus ("title",
 * "text") into memory, then, REPS times (default 3), extracts as gema
 * stories does: unweighted vectors of every fifth article counted into an
 * IDF table, then the weighted vector of every article.  Prints one JSON
 * object: CPU seconds of each part (best of the REPS), articles per CPU
 * second of the weighted part, the stem cache's lookups and misses (of one
 * repetition), and a checksum of every weighted vector (terms, weights,
 * channels, display strings, language, token count) and of the unweighted
 * ones: two builds give the same checksums when they extract the same.
 *
 * Only the library's internal headers are used, not gema stories itself,
 * so reading and clustering cost nothing here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "termvec.h"

typedef struct {
    char *title, *text;
    size_t title_len, text_len;
} doc;

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *dup_string(const cJSON *j, size_t *len)
{
    if (!cJSON_IsString(j)) {
        *len = 0;
        return NULL;
    }
    *len = strlen(j->valuestring);
    char *s = malloc(*len + 1);
    if (s) memcpy(s, j->valuestring, *len + 1);
    return s;
}

/* One vector's fingerprint: fields hashed one by one (the struct has padding). */
static uint64_t vec_hash(const gema_fvec *v, int weighted)
{
    uint64_t h = XXH3_64bits_withSeed(&v->tokens, sizeof v->tokens, (uint64_t)v->lang);
    for (size_t i = 0; i < v->n; i++) {
        uint32_t wb;
        memcpy(&wb, &v->t[i].w, sizeof wb);
        uint64_t z[3] = { v->t[i].term, ((uint64_t)wb << 8) | v->t[i].channel,
                          weighted ? v->t[i].str : 0 };
        uint64_t e = XXH3_64bits(z, sizeof z);
        /* Unweighted vectors come in no promised order: add, do not chain. */
        h = weighted ? XXH3_64bits_withSeed(&e, sizeof e, h) : h + e;
    }
    if (weighted && v->strings.len) h ^= XXH3_64bits(v->strings.data, v->strings.len);
    return h;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: features_bench FILE.jsonl [DOCS [REPS]]\n");
        return 2;
    }
    size_t max_docs = argc > 2 ? strtoul(argv[2], NULL, 10) : (size_t)-1;
    int reps = argc > 3 ? atoi(argv[3]) : 3;
    if (reps < 1) reps = 1;
    FILE *fp = fopen(argv[1], "rb");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    doc *d = NULL;
    size_t n = 0, cap = 0, line_cap = 0;
    char *line = NULL;
    ssize_t l;
    while (n < max_docs && (l = getline(&line, &line_cap, fp)) > 0) {
        cJSON *j = cJSON_ParseWithLength(line, (size_t)l);
        if (!j) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            doc *nd = realloc(d, cap * sizeof *d);
            if (!nd) return 1;
            d = nd;
        }
        d[n].title = dup_string(cJSON_GetObjectItem(j, "title"), &d[n].title_len);
        d[n].text = dup_string(cJSON_GetObjectItem(j, "text"), &d[n].text_len);
        cJSON_Delete(j);
        n++;
    }
    free(line);
    fclose(fp);

    /* gema stories' defaults. */
    gema_feature_params p = { 2.0, 1.0, 2.0, 0.0, 0, 100, GEMA_LANG_UND };
    double best_u = 1e300, best_w = 1e300;
    uint64_t sum_u = 0, sum_w = 0, lookups = 0, misses = 0;
    for (int r = 0; r < reps; r++) {
        gema_featurizer *f;
        gema_idf *idf;
        gema_fvec v;
        memset(&v, 0, sizeof v);
        if (gema_featurizer_new(&p, &f) != GEMA_OK || gema_idf_new(&idf) != GEMA_OK) return 1;
        sum_u = sum_w = 0;
        double t0 = cpu_seconds();
        for (size_t i = 0; i < n; i += 5) {
            if (gema_features_extract(f, d[i].title, d[i].title_len, d[i].text, d[i].text_len,
                                      NULL, &v) != GEMA_OK ||
                gema_idf_add(idf, &v) != GEMA_OK)
                return 1;
            sum_u += vec_hash(&v, 0);
        }
        double t1 = cpu_seconds();
        if (gema_idf_freeze(idf) != GEMA_OK) return 1;
        double t2 = cpu_seconds();
        for (size_t i = 0; i < n; i++) {
            if (gema_features_extract(f, d[i].title, d[i].title_len, d[i].text, d[i].text_len,
                                      idf, &v) != GEMA_OK)
                return 1;
            sum_w = sum_w * 1000003u + vec_hash(&v, 1);
        }
        double t3 = cpu_seconds();
        if (t1 - t0 < best_u) best_u = t1 - t0;
        if (t3 - t2 < best_w) best_w = t3 - t2;
        gema_featurizer_counts(f, &lookups, &misses);
        gema_fvec_free(&v);
        gema_idf_free(idf);
        gema_featurizer_free(f);
    }
    printf("{\"docs\": %zu, \"reps\": %d, \"seconds_unweighted\": %.3f, "
           "\"seconds_weighted\": %.3f, \"articles_per_cpu_second_weighted\": %.0f, "
           "\"stem_lookups\": %llu, \"stem_misses\": %llu, "
           "\"checksum_unweighted\": \"%016llx\", \"checksum_weighted\": \"%016llx\"}\n",
           n, reps, best_u, best_w, best_w > 0 ? (double)n / best_w : 0.0,
           (unsigned long long)lookups, (unsigned long long)misses, (unsigned long long)sum_u,
           (unsigned long long)sum_w);
    for (size_t i = 0; i < n; i++) {
        free(d[i].title);
        free(d[i].text);
    }
    free(d);
    return 0;
}
