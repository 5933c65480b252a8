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

#define AREA_STEPS 200

/* s^r at the AREA_STEPS + 1 points of Simpson's rule on [lo, hi]: it does
 * not depend on the number of bands, so it is computed once per r. */
static void powers(double lo, double hi, unsigned r, double *sr)
{
    double h = (hi - lo) / AREA_STEPS;
    for (int i = 0; i <= AREA_STEPS; i++) sr[i] = pow(lo + h * i, (double)r);
}

/* Simpson's rule for P(s) (or 1 - P(s)) given s^r at the points, written
 * term for term as gema_lsh_probability so the areas stay bit-identical. */
static double area(double lo, double hi, const double *sr, unsigned b, int false_negative)
{
    double h = (hi - lo) / AREA_STEPS, sum = 0.0;
    for (int i = 0; i <= AREA_STEPS; i++) {
        double p = 1.0 - pow(1.0 - sr[i], (double)b);
        double f = false_negative ? 1.0 - p : p;
        double w = (i == 0 || i == AREA_STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
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
    double fp_sr[AREA_STEPS + 1], fn_sr[AREA_STEPS + 1];
    /* Rows outer so the powers of s are shared by every band count; a tie
     * goes to fewer bands, then fewer rows, as when bands were outer. */
    for (unsigned r = 1; r <= num_hashes; r++) {
        powers(0.0, threshold, r, fp_sr);
        powers(threshold, 1.0, r, fn_sr);
        for (unsigned b = 1; b * r <= num_hashes; b++) {
            double err = fp_weight * area(0.0, threshold, fp_sr, b, 0) +
                         fn_weight * area(threshold, 1.0, fn_sr, b, 1);
            if (err < best || (err == best && b < bb)) {
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
                        uint64_t *keys, size_t stride)
{
    for (unsigned b = 0; b < bands; b++)
        keys[b * stride] = XXH3_64bits_withSeed(sig + (size_t)b * rows, rows * sizeof *sig, seed + b);
}

typedef struct {
    uint64_t key;
    uint32_t doc;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

/* Put one bucket in key order.  It was filled in document order, so a
 * stable sort keeps documents ascending within a key, which the star and
 * chain of emit_run rely on.  Small buckets take an insertion sort (stable:
 * it moves only past strictly greater keys); a large bucket is usually one
 * key shared by many documents and already in order; anything else (keys
 * built to collide in their top bits) takes qsort on (key, document), which
 * gives the same order. */
static void sort_bucket(keyed *v, size_t len)
{
    if (len <= 32) {
        for (size_t i = 1; i < len; i++) {
            keyed x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1].key > x.key) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    for (size_t i = 1; i < len; i++)
        if (v[i].key < v[i - 1].key) {
            qsort(v, len, sizeof *v, cmp_keyed);
            return;
        }
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

/*
 * Each band's keys are grouped in one scatter pass instead of a full sort:
 * documents go to the bucket of their key's top bits, in document order,
 * and only a bucket of two or more needs sorting and scanning for runs of
 * one key (a run never crosses buckets).  Pairs are made into a sorted set
 * at the end, so only the runs matter, not the order they are found in.
 */
int gema_lsh_candidates(const uint64_t *keys, size_t n, unsigned bands,
                        const unsigned char *active, gema_u64vec *pairs)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += active[i] != 0;
    pairs->len = 0;
    if (m < 2) return GEMA_OK;
    /* Band keys are XXH3 output, so half as many buckets as documents
     * leaves buckets of one or two keys (measured against as many buckets
     * as documents: the same work in the buckets, half the counting).  The
     * cap of 2^24 keeps the count array within 64 MiB; past 32M documents
     * buckets just hold a few more keys. */
    const unsigned bits = gema_bucket_bits(m), shift = 64 - bits;
    const size_t nb = (size_t)1 << bits;
    uint32_t *act = gema_alloc_array(m, sizeof *act);
    keyed *v = gema_alloc_array(m, sizeof *v);
    uint32_t *count = gema_alloc_array(nb, sizeof *count);
    int rc = (act && v && count) ? GEMA_OK : GEMA_ERR_NOMEM;
    if (rc == GEMA_OK)
        for (size_t i = 0, w = 0; i < n; i++)
            if (active[i]) act[w++] = (uint32_t)i;
    for (unsigned b = 0; b < bands && rc == GEMA_OK; b++) {
        const uint64_t *band = keys + (size_t)b * n;
        memset(count, 0, nb * sizeof *count);
        for (size_t t = 0; t < m; t++) count[band[act[t]] >> shift]++;
        gema_bucket_starts(count, nb); /* m < 2^32: documents are numbered in 32 bits */
        for (size_t t = 0; t < m; t++) {
            uint64_t key = band[act[t]];
            keyed *dst = &v[count[key >> shift]++];
            dst->key = key;
            dst->doc = act[t];
        }
        /* count[k] is now the end of bucket k and the start of bucket k + 1. */
        for (size_t k = 0, lo = 0; k < nb && rc == GEMA_OK; k++) {
            size_t hi = count[k];
            if (hi - lo >= 2) {
                sort_bucket(v + lo, hi - lo);
                for (size_t i = lo; i < hi && rc == GEMA_OK;) {
                    size_t j = i + 1;
                    while (j < hi && v[j].key == v[i].key) j++;
                    if (j - i > 1) rc = emit_run(v + i, j - i, pairs);
                    i = j;
                }
            }
            lo = hi;
        }
        /* Keep memory proportional to distinct pairs, not to bands x pairs. */
        if (rc == GEMA_OK && pairs->len > 4 * m + 1024)
            pairs->len = gema_u64_sort_unique(pairs->v, pairs->len);
    }
    free(act);
    free(v);
    free(count);
    if (rc == GEMA_OK) pairs->len = gema_u64_sort_unique(pairs->v, pairs->len);
    return rc;
}
