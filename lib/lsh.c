/*
 * lsh.c - choosing bands and rows, band keys, and candidate pairs.
 *
 * The choice of (b, r) follows datasketch's _optimal_param: minimise
 *   w_fp * integral_0^t P(s) ds + w_fn * integral_t^1 (1 - P(s)) ds
 * with P(s) = 1 - (1 - s^r)^b, over all b * r <= k.  The integrals are
 * computed with Simpson's rule on 200 intervals, which agrees with
 * scipy.integrate.quad to well under 1e-6 for these smooth curves.
 */
#include "lsh.h"

#include <math.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

double gema_lsh_probability(double s, unsigned bands, unsigned rows)
{
    return 1.0 - pow(1.0 - pow(s, (double)rows), (double)bands);
}

static double area(double lo, double hi, unsigned b, unsigned r, int false_negative)
{
    const int steps = 200;
    double h = (hi - lo) / steps, sum = 0.0;
    for (int i = 0; i <= steps; i++) {
        double s = lo + h * i;
        double p = gema_lsh_probability(s, b, r);
        double f = false_negative ? 1.0 - p : p;
        double w = (i == 0 || i == steps) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        sum += w * f;
    }
    return sum * h / 3.0;
}

int gema_lsh_params(double threshold, unsigned num_hashes, double fp_weight,
                    double fn_weight, unsigned *bands, unsigned *rows)
{
    if (!(threshold > 0.0 && threshold < 1.0) || num_hashes < 1 || num_hashes > 4096 ||
        fp_weight < 0.0 || fn_weight < 0.0 || fp_weight + fn_weight <= 0.0)
        return GEMA_ERR_ARG;
    double best = INFINITY;
    unsigned bb = 1, br = num_hashes;
    for (unsigned b = 1; b <= num_hashes; b++) {
        for (unsigned r = 1; b * r <= num_hashes; r++) {
            double err = fp_weight * area(0.0, threshold, b, r, 0) +
                         fn_weight * area(threshold, 1.0, b, r, 1);
            if (err < best) {
                best = err;
                bb = b;
                br = r;
            }
        }
    }
    *bands = bb;
    *rows = br;
    return GEMA_OK;
}

void gema_lsh_band_keys(const uint32_t *sig, unsigned bands, unsigned rows, uint64_t seed,
                        uint64_t *keys)
{
    for (unsigned b = 0; b < bands; b++)
        keys[b] = XXH3_64bits_withSeed(sig + (size_t)b * rows, rows * sizeof *sig, seed + b);
}

typedef struct {
    uint64_t key;
    uint32_t doc;
} keyed;

/* LSD radix sort on the key, 16 bits at a time; stable, so documents stay
 * in index order inside a bucket. */
static void sort_keyed(keyed *v, keyed *tmp, size_t n)
{
    size_t *count = malloc((65536 + 1) * sizeof *count);
    if (!count) return;
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(count, 0, (65536 + 1) * sizeof *count);
        for (size_t i = 0; i < n; i++) count[((v[i].key >> shift) & 0xFFFF) + 1]++;
        for (size_t i = 0; i < 65536; i++) count[i + 1] += count[i];
        for (size_t i = 0; i < n; i++) tmp[count[(v[i].key >> shift) & 0xFFFF]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
    free(count);
}

static int emit_run(const keyed *run, size_t m, gema_u64vec *pairs)
{
    if (m <= GEMA_LSH_MAX_RUN) {
        for (size_t i = 0; i < m; i++)
            for (size_t j = i + 1; j < m; j++)
                if (gema_u64vec_push(pairs, (uint64_t)run[i].doc << 32 | run[j].doc))
                    return GEMA_ERR_NOMEM;
        return GEMA_OK;
    }
    for (size_t j = 1; j < m; j++) {
        if (gema_u64vec_push(pairs, (uint64_t)run[0].doc << 32 | run[j].doc)) return GEMA_ERR_NOMEM;
        if (j > 1 && gema_u64vec_push(pairs, (uint64_t)run[j - 1].doc << 32 | run[j].doc))
            return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
}

int gema_lsh_candidates(const uint64_t *keys, size_t n, unsigned bands,
                        const unsigned char *active, gema_u64vec *pairs)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += active[i] != 0;
    pairs->len = 0;
    if (m < 2) return GEMA_OK;
    keyed *v = gema_alloc_array(m, sizeof *v);
    keyed *tmp = gema_alloc_array(m, sizeof *tmp);
    int rc = (v && tmp) ? GEMA_OK : GEMA_ERR_NOMEM;
    for (unsigned b = 0; b < bands && rc == GEMA_OK; b++) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            if (active[i]) {
                v[w].key = keys[i * bands + b];
                v[w].doc = (uint32_t)i;
                w++;
            }
        sort_keyed(v, tmp, m);
        for (size_t i = 0; i < m && rc == GEMA_OK;) {
            size_t j = i + 1;
            while (j < m && v[j].key == v[i].key) j++;
            if (j - i > 1) rc = emit_run(v + i, j - i, pairs);
            i = j;
        }
        /* Keep memory proportional to distinct pairs, not to bands x pairs. */
        if (rc == GEMA_OK && pairs->len > 4 * m + 1024)
            pairs->len = gema_u64_sort_unique(pairs->v, pairs->len);
    }
    free(v);
    free(tmp);
    if (rc == GEMA_OK) pairs->len = gema_u64_sort_unique(pairs->v, pairs->len);
    return rc;
}
