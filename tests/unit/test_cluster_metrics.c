/*
 * test_cluster_metrics.c - the benchmark's clustering measures on small
 * hand-made cases.  Expected values come from the textbook definitions
 * computed item by item and pair by pair (B-cubed per item, pairwise over
 * all pairs, ARI from pair counts, V-measure from conditional entropies),
 * and agree with scikit-learn's documented examples (ARI 0.5714 for
 * [0,0,1,1] vs [0,0,1,2], -0.5 for [0,0,1,1] vs [0,1,0,1]; V-measure 0.8).
 */
#include "testutil.h"

#include "../../bench/cluster_metrics.h"

#define EPS 1e-9

/* This cmocka has no assert_double_equal. */
static void near(double got, double want, double eps, const char *what, int line)
{
    if (fabs(got - want) <= eps) return;
    fprintf(stderr, "line %d: %s = %.12f, expected %.12f\n", line, what, got, want);
    fail();
}
#define assert_double_equal(a, b, eps) near((a), (b), (eps), #a, __LINE__)

static cluster_scores score(const uint32_t *pred, const uint32_t *gold, size_t n)
{
    cluster_scores s;
    assert_int_equal(cluster_score(pred, gold, n, &s), 0);
    return s;
}

static void test_split_class(void **state)
{
    (void)state;
    /* Gold class {2,3} split in two: precision perfect, recall loses. */
    uint32_t pred[] = { 0, 0, 1, 2 }, gold[] = { 0, 0, 1, 1 };
    cluster_scores s = score(pred, gold, 4);
    assert_int_equal(s.pred_clusters, 3);
    assert_int_equal(s.gold_clusters, 2);
    assert_double_equal(s.bcubed_p, 1.0, EPS);
    assert_double_equal(s.bcubed_r, 0.75, EPS);
    assert_double_equal(s.bcubed_f1, 6.0 / 7.0, EPS);
    assert_double_equal(s.pair_p, 1.0, EPS);
    assert_double_equal(s.pair_r, 0.5, EPS);
    assert_double_equal(s.pair_f1, 2.0 / 3.0, EPS);
    assert_double_equal(s.ari, 4.0 / 7.0, EPS);
    assert_double_equal(s.homogeneity, 1.0, EPS);
    assert_double_equal(s.completeness, 2.0 / 3.0, EPS);
    assert_double_equal(s.v_measure, 0.8, EPS);
}

static void test_crossed(void **state)
{
    (void)state;
    /* Every predicted cluster mixes both classes half and half. */
    uint32_t pred[] = { 0, 1, 0, 1 }, gold[] = { 0, 0, 1, 1 };
    cluster_scores s = score(pred, gold, 4);
    assert_double_equal(s.bcubed_p, 0.5, EPS);
    assert_double_equal(s.bcubed_r, 0.5, EPS);
    assert_double_equal(s.pair_p, 0.0, EPS);
    assert_double_equal(s.pair_f1, 0.0, EPS);
    assert_double_equal(s.ari, -0.5, EPS);
    assert_double_equal(s.homogeneity, 0.0, EPS);
    assert_double_equal(s.v_measure, 0.0, EPS);
}

static void test_mixed_and_label_values(void **state)
{
    (void)state;
    /* Arbitrary, non-dense label values. */
    uint32_t pred[] = { 0, 0, 0, 1, 1, 2, 2, 2, 3 };
    uint32_t gold[] = { 5, 5, 7, 7, 7, 9, 9, 9, 9 };
    cluster_scores s = score(pred, gold, 9);
    assert_double_equal(s.bcubed_p, 23.0 / 27.0, EPS);
    assert_double_equal(s.bcubed_r, 0.685185185185, 1e-11);
    assert_double_equal(s.bcubed_f1, 0.75948237394, 1e-10);
    assert_double_equal(s.pair_p, 5.0 / 7.0, EPS);
    assert_double_equal(s.pair_r, 0.5, EPS);
    assert_double_equal(s.pair_f1, 0.588235294118, 1e-11);
    assert_double_equal(s.ari, 0.466101694915, 1e-11);
    assert_double_equal(s.homogeneity, 0.8, EPS);
    assert_double_equal(s.completeness, 0.647464239833, 1e-11);
    assert_double_equal(s.v_measure, 0.715694906461, 1e-11);
}

static void test_degenerate(void **state)
{
    (void)state;
    /* Everything in one cluster against all singletons. */
    uint32_t pred[] = { 1, 1, 1, 1 }, gold[] = { 0, 1, 2, 3 };
    cluster_scores s = score(pred, gold, 4);
    assert_double_equal(s.bcubed_p, 0.25, EPS);
    assert_double_equal(s.bcubed_r, 1.0, EPS);
    assert_double_equal(s.bcubed_f1, 0.4, EPS);
    assert_double_equal(s.pair_p, 0.0, EPS);
    assert_double_equal(s.pair_r, 1.0, EPS);
    assert_double_equal(s.ari, 0.0, EPS);
    assert_double_equal(s.homogeneity, 0.0, EPS);
    assert_double_equal(s.completeness, 1.0, EPS);
    /* Identical partitions score 1 everywhere, whatever the label values. */
    uint32_t a[] = { 3, 3, 8, 8, 1 }, b[] = { 0, 0, 4, 4, 2 };
    s = score(a, b, 5);
    assert_double_equal(s.bcubed_f1, 1.0, EPS);
    assert_double_equal(s.pair_f1, 1.0, EPS);
    assert_double_equal(s.ari, 1.0, EPS);
    assert_double_equal(s.v_measure, 1.0, EPS);
    s = score(a, b, 0);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_class),
        cmocka_unit_test(test_crossed),
        cmocka_unit_test(test_mixed_and_label_values),
        cmocka_unit_test(test_degenerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
