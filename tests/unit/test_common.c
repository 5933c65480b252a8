/*
 * test_common.c - the sorting helpers of lib/common.c against qsort.
 *
 * They scatter by the top bits and sort small buckets, which is fast on
 * hashes; these tests feed them what hashes are not: nothing, one value,
 * one value many times, values differing only in their low bits (one
 * bucket), reverse order, and long runs of repeats, at sizes on both sides
 * of each internal limit.
 */
#include "testutil.h"

#include "common.h"

static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s ^ *s >> 29;
}

typedef enum {
    VAL_UNIFORM,    /* hash-like */
    VAL_EQUAL,      /* one value throughout */
    VAL_LOW_BITS,   /* one top, differing in the low 20 bits only */
    VAL_LOW_FEW,    /* one top and a handful of low values: runs, one bucket */
    VAL_DESCENDING, /* distinct, reverse order */
    VAL_FEW,        /* a few uniform values repeated */
    VAL_SMALL,      /* 0..n: the top bits all zero */
    VAL_CROWD_LATE, /* a uniform first value, then small ones */
    VAL_KINDS
} val_kind;

static uint64_t make_val(val_kind kind, size_t i, size_t n, uint64_t *rng)
{
    uint64_t r = next(rng);
    switch (kind) {
    case VAL_UNIFORM: return r;
    case VAL_EQUAL: return 0x8000000000000001ULL;
    case VAL_LOW_BITS: return 0xFEDC000000000000ULL | (r >> 44);
    case VAL_LOW_FEW: return 0xFEDC000000000000ULL | (r >> 40) % 6;
    case VAL_DESCENDING: return UINT64_MAX - i;
    case VAL_FEW: return ((r >> 40) % 4) * 0x9E3779B97F4A7C15ULL;
    case VAL_SMALL: return r % (n + 1);
    case VAL_CROWD_LATE: default: return i == 0 ? r | 1ULL << 63 : r % (n + 1);
    }
}

static const size_t sizes[] = { 0, 1, 2, 3, 31, 32, 33, 64, 65, 100, 1000, 4096, 4097, 20000 };

static int cmp_hd(const void *pa, const void *pb)
{
    const gema_hash_doc *a = pa, *b = pb;
    if (a->hi != b->hi) return a->hi < b->hi ? -1 : 1;
    if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

static void test_hash_doc_sort(void **state)
{
    (void)state;
    uint64_t rng = 7;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        size_t n = sizes[si];
        gema_hash_doc *v = malloc((n ? n : 1) * sizeof *v);
        gema_hash_doc *want = malloc((n ? n : 1) * sizeof *want);
        assert_non_null(v);
        assert_non_null(want);
        for (int kind = 0; kind < VAL_KINDS; kind++) {
            /* Documents numbered in input order, as dedup gives them, and
             * shuffled: the order must come from (hi, lo, doc) alone. */
            for (int shuffled = 0; shuffled < 2; shuffled++) {
                for (size_t i = 0; i < n; i++) {
                    v[i].hi = make_val((val_kind)kind, i, n, &rng);
                    /* equal highs with different lows, and exact repeats */
                    v[i].lo = next(&rng) % 3;
                    v[i].doc = (uint32_t)(shuffled ? next(&rng) % (n + 1) : i);
                }
                memcpy(want, v, n * sizeof *v);
                qsort(want, n, sizeof *want, cmp_hd);
                gema_hash_doc_sort(v, n);
                for (size_t i = 0; i < n; i++) {
                    assert_true(v[i].hi == want[i].hi);
                    assert_true(v[i].lo == want[i].lo);
                    assert_int_equal(v[i].doc, want[i].doc);
                }
            }
        }
        free(v);
        free(want);
    }
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static void test_u64_sort_unique(void **state)
{
    (void)state;
    /* Past 4096 values the buffers come from the heap, past 65536 the
     * radix sort does it all. */
    static const size_t more[] = { 65536, 65537, 70000 };
    size_t all[sizeof sizes / sizeof *sizes + sizeof more / sizeof *more];
    size_t na = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) all[na++] = sizes[i];
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) all[na++] = more[i];
    uint64_t rng = 11;
    for (size_t si = 0; si < na; si++) {
        size_t n = all[si];
        uint64_t *v = malloc((n ? n : 1) * sizeof *v);
        uint64_t *want = malloc((n ? n : 1) * sizeof *want);
        assert_non_null(v);
        assert_non_null(want);
        for (int kind = 0; kind < VAL_KINDS; kind++) {
            for (int repeats = 0; repeats < 2; repeats++) {
                for (size_t i = 0; i < n; i++) {
                    v[i] = make_val((val_kind)kind, i, n, &rng);
                    /* a copy of an earlier value, now and then */
                    if (repeats && i > 0 && next(&rng) % 4 == 0) v[i] = v[next(&rng) % i];
                }
                memcpy(want, v, n * sizeof *v);
                qsort(want, n, sizeof *want, cmp_u64);
                size_t nw = n ? 1 : 0;
                for (size_t i = 1; i < n; i++)
                    if (want[i] != want[nw - 1]) want[nw++] = want[i];
                assert_int_equal(gema_u64_sort_unique(v, n), nw);
                for (size_t i = 0; i < nw; i++) assert_true(v[i] == want[i]);
            }
        }
        free(v);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_doc_sort),
        cmocka_unit_test(test_u64_sort_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
