/*
 * test_unionfind.c - disjoint sets: correctness against a naive labelling,
 * union by size with ties to the smaller root (so roots depend only on the
 * order of unions), and the return value of union.
 */
#include "testutil.h"

#include "unionfind.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static void test_basic(void **state)
{
    (void)state;
    gema_uf uf;
    assert_int_equal(gema_uf_init(&uf, 6), GEMA_OK);
    for (uint32_t i = 0; i < 6; i++) assert_int_equal(gema_uf_find(&uf, i), i);
    assert_int_equal(gema_uf_union(&uf, 3, 1), 1);
    /* Equal sizes: the smaller root wins, whatever the argument order. */
    assert_int_equal(gema_uf_find(&uf, 3), 1);
    assert_int_equal(gema_uf_find(&uf, 1), 1);
    assert_int_equal(gema_uf_union(&uf, 1, 3), 0); /* already together */
    assert_int_equal(gema_uf_union(&uf, 5, 4), 1);
    assert_int_equal(gema_uf_find(&uf, 5), 4);
    /* The larger set absorbs the smaller even when its root is larger. */
    assert_int_equal(gema_uf_union(&uf, 0, 4), 1); /* {4,5} + {0}: root 4 */
    assert_int_equal(gema_uf_find(&uf, 0), 4);
    assert_int_equal(uf.size[4], 3);
    assert_int_equal(gema_uf_union(&uf, 3, 0), 1); /* {1,3} + {0,4,5}: root 4 */
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(gema_uf_find(&uf, i), i == 2 ? 2 : 4);
    assert_int_equal(uf.size[4], 5);
    assert_int_equal(gema_uf_union(&uf, 2, 2), 0);
    gema_uf_free(&uf);
    assert_null(uf.parent);
    gema_uf_free(&uf); /* twice is harmless */
}

static void test_empty(void **state)
{
    (void)state;
    gema_uf uf;
    assert_int_equal(gema_uf_init(&uf, 0), GEMA_OK);
    assert_int_equal(uf.n, 0);
    gema_uf_free(&uf);
}

/* Against a naive labelling (relabel every member on each union), with the
 * number of successful unions checked too. */
static void test_random_against_naive(void **state)
{
    (void)state;
    enum { N = 2000, OPS = 6000 };
    static uint32_t label[N];
    gema_uf uf;
    assert_int_equal(gema_uf_init(&uf, N), GEMA_OK);
    for (uint32_t i = 0; i < N; i++) label[i] = i;
    size_t sets = N;
    for (int op = 0; op < OPS; op++) {
        uint32_t a = next_rand() % N, b = next_rand() % N;
        int apart = label[a] != label[b];
        assert_int_equal(gema_uf_union(&uf, a, b), apart);
        if (apart) {
            uint32_t from = label[b], to = label[a];
            for (uint32_t i = 0; i < N; i++)
                if (label[i] == from) label[i] = to;
            sets--;
        }
        if (op % 500 == 0) {
            for (int q = 0; q < 200; q++) {
                uint32_t x = next_rand() % N, y = next_rand() % N;
                assert_int_equal(gema_uf_find(&uf, x) == gema_uf_find(&uf, y),
                                 label[x] == label[y]);
            }
        }
    }
    /* Roots and sizes agree with the labelling. */
    size_t roots = 0, total = 0;
    for (uint32_t i = 0; i < N; i++) {
        if (gema_uf_find(&uf, i) == i) {
            roots++;
            size_t members = 0;
            for (uint32_t j = 0; j < N; j++) members += label[j] == label[i];
            assert_int_equal(uf.size[i], members);
            total += members;
        }
    }
    assert_int_equal(roots, sets);
    assert_int_equal(total, N);
    gema_uf_free(&uf);
}

/* The same unions in the same order give the same roots: the property the
 * cluster numbering relies on. */
static void test_deterministic_roots(void **state)
{
    (void)state;
    enum { N = 500 };
    gema_uf a, b;
    assert_int_equal(gema_uf_init(&a, N), GEMA_OK);
    assert_int_equal(gema_uf_init(&b, N), GEMA_OK);
    uint32_t pairs[800][2];
    for (int i = 0; i < 800; i++) {
        pairs[i][0] = next_rand() % N;
        pairs[i][1] = next_rand() % N;
    }
    for (int i = 0; i < 800; i++) gema_uf_union(&a, pairs[i][0], pairs[i][1]);
    /* Interleave finds (which compress paths) in the second run. */
    for (int i = 0; i < 800; i++) {
        gema_uf_union(&b, pairs[i][0], pairs[i][1]);
        gema_uf_find(&b, next_rand() % N);
    }
    for (uint32_t i = 0; i < N; i++) assert_int_equal(gema_uf_find(&a, i), gema_uf_find(&b, i));
    gema_uf_free(&a);
    gema_uf_free(&b);
}

/* A long chain built the worst way round stays correct (path halving). */
static void test_long_chain(void **state)
{
    (void)state;
    enum { N = 100000 };
    gema_uf uf;
    assert_int_equal(gema_uf_init(&uf, N), GEMA_OK);
    for (uint32_t i = 1; i < N; i++) assert_int_equal(gema_uf_union(&uf, i - 1, i), 1);
    for (uint32_t i = 0; i < N; i++) assert_int_equal(gema_uf_find(&uf, i), 0);
    assert_int_equal(uf.size[0], N);
    gema_uf_free(&uf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_random_against_naive),
        cmocka_unit_test(test_deterministic_roots),
        cmocka_unit_test(test_long_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
