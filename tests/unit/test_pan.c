/*
 * test_pan.c - the PAN text-alignment measures (bench/pan.h) on hand-made
 * cases.  Expected values are worked out by hand from the definitions in
 * Potthast et al. (COLING 2010) with characters of both documents counted,
 * as the PAN evaluation script counts them: e.g. a case of 100 + 100
 * characters detected on [50, 150) in both documents is half recalled.
 */
#include "testutil.h"

#include "../../bench/pan.h"

static void near(double got, double want, const char *what, int line)
{
    if (fabs(got - want) <= 1e-9) return;
    fprintf(stderr, "line %d: %s = %.12f, expected %.12f\n", line, what, got, want);
    fail();
}
#define assert_near(a, b) near((a), (b), #a, __LINE__)

/* Same span in both documents of pair (d, d + 100). */
static pan_span sp(uint32_t d, size_t a, size_t b)
{
    pan_span s = {d, d + 100, a, b, a, b};
    return s;
}

static pan_scores score(const pan_span *S, size_t ns, const pan_span *R, size_t nr)
{
    pan_scores s;
    assert_int_equal(pan_score(S, ns, R, nr, &s), 0);
    return s;
}

static void test_perfect_and_empty(void **state)
{
    (void)state;
    pan_span c = sp(1, 0, 100);
    pan_scores s = score(&c, 1, &c, 1);
    assert_near(s.precision, 1);
    assert_near(s.recall, 1);
    assert_near(s.granularity, 1);
    assert_near(s.plagdet, 1);
    /* The script's conventions: nothing to find and nothing found is
     * perfect; either side empty alone scores 0. */
    s = score(NULL, 0, NULL, 0);
    assert_near(s.plagdet, 1);
    s = score(&c, 1, NULL, 0);
    assert_near(s.recall, 0);
    assert_near(s.precision, 0);
    assert_near(s.granularity, 1);
    assert_near(s.plagdet, 0);
    s = score(NULL, 0, &c, 1);
    assert_near(s.precision, 0);
    assert_near(s.plagdet, 0);
}

static void test_partial_overlap(void **state)
{
    (void)state;
    pan_span c = sp(2, 0, 100);
    /* [50,150) covers half of the case, and half of itself is in it. */
    pan_span r1 = sp(2, 50, 150);
    pan_scores s = score(&c, 1, &r1, 1);
    assert_near(s.recall, 0.5);
    assert_near(s.precision, 0.5);
    assert_near(s.plagdet, 0.5);
    /* [25,100) lies inside: recall 0.75, precision 1. */
    pan_span r2 = sp(2, 25, 100);
    s = score(&c, 1, &r2, 1);
    assert_near(s.recall, 0.75);
    assert_near(s.precision, 1);
    /* Both: the union [25,100) is covered once, not counted twice;
     * precision is the mean over detections (0.5 + 1) / 2; two detections
     * of one case give granularity 2. */
    pan_span R[2] = {r1, r2};
    s = score(&c, 1, R, 2);
    assert_near(s.recall, 0.75);
    assert_near(s.precision, 0.75);
    assert_near(s.granularity, 2);
    double f1 = 2 * 0.75 * 0.75 / 1.5;
    assert_near(s.plagdet, f1 / log2(3.0));
}

static void test_adjacent_spans_do_not_overlap(void **state)
{
    (void)state;
    pan_span c = sp(1, 0, 100), r = sp(1, 100, 200);
    pan_scores s = score(&c, 1, &r, 1);
    assert_near(s.recall, 0);
    assert_near(s.precision, 0);
    assert_int_equal(s.detected_cases, 0);
    assert_near(s.granularity, 1);
    /* A detection twice the case: recall 1, precision 0.5; with a second,
     * wrong detection, precision falls to (0 + 0.5) / 2. */
    pan_span big = sp(1, 0, 200);
    s = score(&c, 1, &big, 1);
    assert_near(s.recall, 1);
    assert_near(s.precision, 0.5);
    assert_near(s.plagdet, 2 * 0.5 / 1.5);
    pan_span R[2] = {r, big};
    s = score(&c, 1, R, 2);
    assert_near(s.precision, 0.25);
}

static void test_both_documents_must_overlap(void **state)
{
    (void)state;
    pan_span c = {1, 7, 0, 100, 500, 600};
    /* Right place in the suspicious document, wrong place in the source. */
    pan_span wrong_src = {1, 7, 0, 100, 0, 100};
    pan_scores s = score(&c, 1, &wrong_src, 1);
    assert_near(s.recall, 0);
    /* Right spans, wrong source document. */
    pan_span other_doc = {1, 8, 0, 100, 500, 600};
    s = score(&c, 1, &other_doc, 1);
    assert_near(s.recall, 0);
    /* Only the source side fully found: characters of both sides count,
     * 100 of the suspicious 100 and 50 of the source 100 -> 0.75. */
    pan_span half_src = {1, 7, 0, 100, 550, 650};
    s = score(&c, 1, &half_src, 1);
    assert_near(s.recall, 0.75);
    assert_near(s.precision, 0.75);
}

static void test_macro_average_and_granularity(void **state)
{
    (void)state;
    /* Two cases, one found: recall is the mean per case, 0.5. */
    pan_span S[2] = {sp(1, 0, 100), sp(2, 0, 100)};
    pan_scores s = score(S, 2, &S[0], 1);
    assert_near(s.recall, 0.5);
    assert_near(s.precision, 1);
    assert_int_equal(s.detected_cases, 1);
    /* Cases [0,100) and [100,200) of one pair; detections [0,1), [0,200):
     * the first case has two detections, the second one: granularity 1.5. */
    pan_span S2[2] = {sp(1, 0, 100), sp(1, 100, 200)};
    pan_span R2[2] = {sp(1, 0, 1), sp(1, 0, 200)};
    s = score(S2, 2, R2, 2);
    assert_near(s.granularity, 1.5);
    assert_near(s.recall, 1);
    assert_near(s.precision, 1);
    assert_near(s.plagdet, 1 / log2(2.5));
}

static void test_union_length(void **state)
{
    (void)state;
    pan_iv iv[5] = {{10, 20}, {0, 5}, {15, 30}, {30, 31}, {40, 40}};
    /* [0,5) + [10,31) = 5 + 21; the empty [40,40) counts nothing. */
    assert_int_equal(pan_union_len(iv, 5), 26);
    assert_int_equal(pan_union_len(iv, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect_and_empty),
        cmocka_unit_test(test_partial_overlap),
        cmocka_unit_test(test_adjacent_spans_do_not_overlap),
        cmocka_unit_test(test_both_documents_must_overlap),
        cmocka_unit_test(test_macro_average_and_granularity),
        cmocka_unit_test(test_union_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
