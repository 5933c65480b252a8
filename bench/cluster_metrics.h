/*
 * cluster_metrics.h - how well a clustering matches gold labels: B-cubed
 * precision/recall/F1 (Bagga & Baldwin 1998), pairwise precision/recall/F1,
 * adjusted Rand index (Hubert & Arabie 1985) and V-measure (Rosenberg &
 * Hirschberg 2007).  All are computed from the contingency table of
 * (predicted cluster, gold class) counts; labels are any uint32 values.
 *
 * Header-only, for the benchmark programs and their unit test.
 */
#ifndef GEMA_CLUSTER_METRICS_H
#define GEMA_CLUSTER_METRICS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n;                 /* items */
    size_t gold_clusters, pred_clusters;
    double bcubed_p, bcubed_r, bcubed_f1;
    double pair_p, pair_r, pair_f1;
    double ari;
    double homogeneity, completeness, v_measure;
} cluster_scores;

typedef struct {
    uint32_t pred, gold;
} cm_pair;

static int cm_cmp_pair(const void *x, const void *y)
{
    const cm_pair *a = x, *b = y;
    if (a->pred != b->pred) return a->pred < b->pred ? -1 : 1;
    if (a->gold != b->gold) return a->gold < b->gold ? -1 : 1;
    return 0;
}

static int cm_cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static double cm_choose2(double x)
{
    return x * (x - 1) / 2;
}

/* Sizes of the groups of equal values in v[0..n) (v is sorted in place). */
static size_t cm_group_sizes(uint32_t *v, size_t n, double *sizes)
{
    qsort(v, n, sizeof *v, cm_cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j] == v[i]) j++;
        sizes[k++] = (double)(j - i);
        i = j;
    }
    return k;
}

/* Score pred against gold over n items.  Returns 0, or -1 if out of memory. */
static int cluster_score(const uint32_t *pred, const uint32_t *gold, size_t n, cluster_scores *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0) return 0;
    cm_pair *p = malloc(n * sizeof *p);
    uint32_t *tmp = malloc(n * sizeof *tmp);
    double *psize = malloc(n * sizeof *psize), *gsize = malloc(n * sizeof *gsize);
    double *cell = malloc(n * sizeof *cell);
    uint32_t *cell_pred = malloc(n * sizeof *cell_pred), *cell_gold = malloc(n * sizeof *cell_gold);
    if (!p || !tmp || !psize || !gsize || !cell || !cell_pred || !cell_gold) {
        free(p); free(tmp); free(psize); free(gsize); free(cell); free(cell_pred); free(cell_gold);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        p[i].pred = pred[i];
        p[i].gold = gold[i];
    }
    qsort(p, n, sizeof *p, cm_cmp_pair);
    size_t ncell = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j].pred == p[i].pred && p[j].gold == p[i].gold) j++;
        cell[ncell] = (double)(j - i);
        cell_pred[ncell] = p[i].pred;
        cell_gold[ncell] = p[i].gold;
        ncell++;
        i = j;
    }
    memcpy(tmp, pred, n * sizeof *tmp);
    size_t np = cm_group_sizes(tmp, n, psize);
    memcpy(tmp, gold, n * sizeof *tmp);
    size_t ng = cm_group_sizes(tmp, n, gsize);
    out->pred_clusters = np;
    out->gold_clusters = ng;
    /* Size of the predicted cluster and gold class of each cell.  Cells are
     * sorted by pred; predicted sizes are in the same order of pred values. */
    double N = (double)n;
    double bp = 0, br = 0, sum_cell2 = 0, sum_p2 = 0, sum_g2 = 0;
    double h_gc = 0, h_cg = 0, h_g = 0, h_c = 0;
    {
        /* pred size per cell: walk cells and predicted groups together. */
        size_t gi = 0;
        for (size_t c = 0; c < ncell; c++) {
            if (c > 0 && cell_pred[c] != cell_pred[c - 1]) gi++;
            double a = psize[gi];
            bp += cell[c] * cell[c] / a;
            h_gc -= cell[c] / N * log(cell[c] / a);
        }
    }
    {
        /* gold size per cell: map gold value -> size by binary search over
         * the sorted distinct gold values (tmp holds sorted gold). */
        uint32_t *gv = malloc(ng * sizeof *gv);
        if (!gv) {
            free(p); free(tmp); free(psize); free(gsize); free(cell); free(cell_pred); free(cell_gold);
            return -1;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (i == 0 || tmp[i] != tmp[i - 1]) gv[k++] = tmp[i];
        for (size_t c = 0; c < ncell; c++) {
            size_t lo = 0, hi = ng;
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (gv[mid] <= cell_gold[c]) lo = mid;
                else hi = mid;
            }
            double b = gsize[lo];
            br += cell[c] * cell[c] / b;
            h_cg -= cell[c] / N * log(cell[c] / b);
        }
        free(gv);
    }
    out->bcubed_p = bp / N;
    out->bcubed_r = br / N;
    out->bcubed_f1 = out->bcubed_p + out->bcubed_r > 0
                         ? 2 * out->bcubed_p * out->bcubed_r / (out->bcubed_p + out->bcubed_r)
                         : 0;
    for (size_t c = 0; c < ncell; c++) sum_cell2 += cm_choose2(cell[c]);
    for (size_t i = 0; i < np; i++) {
        sum_p2 += cm_choose2(psize[i]);
        h_c -= psize[i] / N * log(psize[i] / N);
    }
    for (size_t i = 0; i < ng; i++) {
        sum_g2 += cm_choose2(gsize[i]);
        h_g -= gsize[i] / N * log(gsize[i] / N);
    }
    out->pair_p = sum_p2 > 0 ? sum_cell2 / sum_p2 : 1.0;
    out->pair_r = sum_g2 > 0 ? sum_cell2 / sum_g2 : 1.0;
    out->pair_f1 = out->pair_p + out->pair_r > 0
                       ? 2 * out->pair_p * out->pair_r / (out->pair_p + out->pair_r)
                       : 0;
    double expected = n > 1 ? sum_p2 * sum_g2 / cm_choose2(N) : 0;
    double maxi = 0.5 * (sum_p2 + sum_g2);
    /* Both partitions trivial and equal (all one cluster, or all singletons). */
    out->ari = maxi - expected != 0 ? (sum_cell2 - expected) / (maxi - expected) : 1.0;
    out->homogeneity = h_g > 0 ? 1 - h_gc / h_g : 1.0;
    out->completeness = h_c > 0 ? 1 - h_cg / h_c : 1.0;
    out->v_measure = out->homogeneity + out->completeness > 0
                         ? 2 * out->homogeneity * out->completeness /
                               (out->homogeneity + out->completeness)
                         : 0;
    free(p); free(tmp); free(psize); free(gsize); free(cell); free(cell_pred); free(cell_gold);
    return 0;
}

#endif
