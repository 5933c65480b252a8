/*
 * test_minhash.c - MinHash signatures, both schemes.
 *
 * Golden signatures were computed apart from lib/minhash.c by a short Python
 * transcription of the two schemes as documented in lib/minhash.h
 * (SplitMix64 parameters, h = (a x + b) >> 32; bin = (hi32 * k) >> 32 with
 * the low 32 bits as value, empty bins filled along SplitMix64 probes
 * seeded by seed ^ (bin << 32)).  Accuracy is checked on random set pairs
 * of known Jaccard similarity against the binomial standard deviation
 * sqrt(J (1 - J) / k) of the estimator.
 */
#include "testutil.h"

#include <math.h>

#include "minhash.h"

static const uint64_t xs[5] = { 0x0123456789ABCDEFULL, 0xFEDCBA9876543210ULL,
                                0x5555AAAA5555AAAAULL, 0x8000000000000001ULL,
                                0x00000000FFFFFFFFULL };

static void test_golden(void **state)
{
    (void)state;
    gema_minhasher m;
    uint32_t sig[8];
    assert_int_equal(gema_minhasher_init(&m, 6, GEMA_MINHASH_PERM, 42), GEMA_OK);
    assert_int_equal(gema_minhash(&m, xs, 5, sig), 1);
    const uint32_t perm[6] = { 0x46000824, 0x3670ea2e, 0x08a5081c, 0x0b2f7d4c, 0x4926cbca,
                               0x0caff4de };
    for (int i = 0; i < 6; i++) assert_int_equal(sig[i], perm[i]);
    gema_minhasher_free(&m);

    /* OPH, k = 8: the shingles fill bins 0, 7, 2, 4 (and 0 again, with a
     * value of all-ones folded to 0xFFFFFFFE that loses to 0x89ABCDEF);
     * bins 1, 3, 5, 6 borrow along their probe sequences. */
    assert_int_equal(gema_minhasher_init(&m, 8, GEMA_MINHASH_OPH, 42), GEMA_OK);
    assert_int_equal(gema_minhash(&m, xs, 5, sig), 1);
    const uint32_t oph[8] = { 0x89abcdef, 0x5555aaaa, 0x5555aaaa, 0x5555aaaa,
                              0x00000001, 0x5555aaaa, 0x00000001, 0x76543210 };
    for (int i = 0; i < 8; i++) assert_int_equal(sig[i], oph[i]);
    /* A value of all-ones is not mistaken for an empty bin. */
    const uint64_t ones = UINT64_MAX;
    assert_int_equal(gema_minhash(&m, &ones, 1, sig), 1);
    for (int i = 0; i < 8; i++) assert_int_equal(sig[i], 0xFFFFFFFEu);
    gema_minhasher_free(&m);
}

static void test_empty_and_arguments(void **state)
{
    (void)state;
    gema_minhasher m;
    uint32_t sig[16];
    for (int scheme = 0; scheme < 2; scheme++) {
        assert_int_equal(gema_minhasher_init(&m, 16, (gema_minhash_scheme)scheme, 1), GEMA_OK);
        memset(sig, 0, sizeof sig);
        assert_int_equal(gema_minhash(&m, xs, 0, sig), 0);
        for (int i = 0; i < 16; i++) assert_int_equal(sig[i], UINT32_MAX);
        gema_minhasher_free(&m);
        gema_minhasher_free(&m); /* twice is harmless */
    }
    assert_int_equal(gema_minhasher_init(&m, 0, GEMA_MINHASH_OPH, 1), GEMA_ERR_ARG);
    assert_int_equal(gema_minhasher_init(&m, 4097, GEMA_MINHASH_PERM, 1), GEMA_ERR_ARG);
    assert_int_equal(gema_minhasher_init(&m, 4096, GEMA_MINHASH_OPH, 1), GEMA_OK);
    gema_minhasher_free(&m);
}

static uint64_t rng_state;
static uint64_t next64(void)
{
    rng_state += 0x9E3779B97F4A7C15ULL;
    return gema_splitmix64(rng_state);
}

/* Order and repeats of shingles do not matter; the seed does. */
static void test_set_semantics(void **state)
{
    (void)state;
    enum { N = 300, K = 64 };
    uint64_t a[2 * N], b[2 * N];
    rng_state = 7;
    for (int i = 0; i < N; i++) a[i] = next64();
    for (int i = 0; i < N; i++) b[i] = a[N - 1 - i];       /* reversed */
    for (int i = 0; i < N; i++) b[N + i] = a[(i * 7) % N]; /* and repeated */
    for (int scheme = 0; scheme < 2; scheme++) {
        gema_minhasher m, m2;
        uint32_t sa[K], sb[K], sc[K];
        assert_int_equal(gema_minhasher_init(&m, K, (gema_minhash_scheme)scheme, 3), GEMA_OK);
        assert_int_equal(gema_minhasher_init(&m2, K, (gema_minhash_scheme)scheme, 4), GEMA_OK);
        gema_minhash(&m, a, N, sa);
        gema_minhash(&m, b, 2 * N, sb);
        assert_memory_equal(sa, sb, sizeof sa);
        assert_true(gema_minhash_estimate(sa, sb, K) == 1.0);
        if (scheme == GEMA_MINHASH_PERM) {
            /* Another seed, other permutations: the values change. */
            gema_minhash(&m2, a, N, sc);
            assert_true(gema_minhash_estimate(sa, sc, K) < 0.1);
        }
        gema_minhasher_free(&m);
        gema_minhasher_free(&m2);
    }
}

/* Two sets with |A n B| = c and d elements of their own each: J = c / (c + 2d). */
static void make_pair(uint64_t *a, uint64_t *b, int c, int d)
{
    for (int i = 0; i < c; i++) a[i] = b[i] = next64();
    for (int i = 0; i < d; i++) {
        a[c + i] = next64();
        b[c + i] = next64();
    }
}

static void check_accuracy(gema_minhash_scheme scheme, int size, double J)
{
    enum { K = 128, PAIRS = 300 };
    int c = (int)lround(size * 2 * J / (1 + J)); /* |A| = c + d = size */
    int d = size - c;
    double j = (double)c / (c + 2 * d);
    uint64_t *a = malloc((size_t)size * sizeof *a), *b = malloc((size_t)size * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    gema_minhasher m;
    assert_int_equal(gema_minhasher_init(&m, K, scheme, 99), GEMA_OK);
    double sum = 0.0, sigma = sqrt(j * (1 - j) / K);
    int outside = 0;
    for (int p = 0; p < PAIRS; p++) {
        uint32_t sa[K], sb[K];
        make_pair(a, b, c, d);
        gema_minhash(&m, a, (size_t)size, sa);
        gema_minhash(&m, b, (size_t)size, sb);
        double e = gema_minhash_estimate(sa, sb, K);
        sum += e;
        if (fabs(e - j) > 3 * sigma) outside++;
    }
    double mean = sum / PAIRS;
    /* The mean of 300 estimates has sd sigma / 17; allow 4 of those plus a
     * little for densification's correlation on small sets. */
    if (fabs(mean - j) > 4 * sigma / sqrt(PAIRS) + 0.005 || outside > PAIRS / 50)
        fprintf(stderr, "scheme %d size %d J %.3f: mean %.4f, %d of %d beyond 3 sd\n",
                (int)scheme, size, j, mean, outside, PAIRS);
    assert_true(fabs(mean - j) <= 4 * sigma / sqrt(PAIRS) + 0.005);
    /* 3 sd holds 99.7% of a normal; allow 2% (densification on sets much
     * smaller than k repeats values, which widens the spread a little). */
    assert_true(outside <= PAIRS / 50);
    gema_minhasher_free(&m);
    free(a);
    free(b);
}

static void test_accuracy(void **state)
{
    (void)state;
    rng_state = 12345;
    const double js[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
    for (int scheme = 0; scheme < 2; scheme++) {
        for (size_t i = 0; i < sizeof js / sizeof js[0]; i++) {
            check_accuracy((gema_minhash_scheme)scheme, 1000, js[i]);
            check_accuracy((gema_minhash_scheme)scheme, 200, js[i]);
        }
    }
    /* Small sets leave most OPH bins empty: densification must keep the
     * estimate unbiased. */
    check_accuracy(GEMA_MINHASH_OPH, 40, 0.5);
    check_accuracy(GEMA_MINHASH_OPH, 40, 0.8);
}

/* Densification depends only on which bins are filled and their values:
 * two sets that fill the same bins with the same minima get the same
 * signature, and every borrowed value is one of the set's own. */
static void test_densification_consistency(void **state)
{
    (void)state;
    enum { K = 32 };
    gema_minhasher m;
    assert_int_equal(gema_minhasher_init(&m, K, GEMA_MINHASH_OPH, 5), GEMA_OK);
    rng_state = 77;
    for (int round = 0; round < 200; round++) {
        uint64_t a[8], b[16];
        int n = 1 + round % 8;
        for (int i = 0; i < n; i++) a[i] = b[i] = next64();
        /* b adds, to bins a already fills, values that lose to a's minimum:
         * same high 32 bits (same bin), low 32 bits all-ones minus a bit. */
        for (int i = 0; i < n; i++) b[n + i] = (a[i] & 0xFFFFFFFF00000000ULL) | 0xFFFFFFF0ULL;
        uint32_t sa[K], sb[K];
        gema_minhash(&m, a, (size_t)n, sa);
        gema_minhash(&m, b, (size_t)(2 * n), sb);
        assert_memory_equal(sa, sb, sizeof sa);
        for (int i = 0; i < K; i++) {
            int found = 0;
            for (int t = 0; t < n && !found; t++) found = sa[i] == (uint32_t)a[t];
            assert_true(found);
        }
    }
    gema_minhasher_free(&m);
}

/* OPH with densification as lib/minhash.h defines it, written plainly: a
 * snapshot of the filled bins, and every empty bin probed in turn. */
static void reference_oph(unsigned k, uint64_t seed, const uint64_t *x, size_t n, uint32_t *sig)
{
    for (unsigned i = 0; i < k; i++) sig[i] = UINT32_MAX;
    for (size_t j = 0; j < n; j++) {
        unsigned bin = (unsigned)(((x[j] >> 32) * (uint64_t)k) >> 32);
        uint32_t v = (uint32_t)x[j];
        if (v == UINT32_MAX) v--;
        if (v < sig[bin]) sig[bin] = v;
    }
    if (n == 0) return;
    uint32_t *filled = malloc(k * sizeof *filled);
    assert_non_null(filled);
    memcpy(filled, sig, k * sizeof *sig);
    for (unsigned i = 0; i < k; i++) {
        if (filled[i] != UINT32_MAX) continue;
        uint64_t probe = seed ^ ((uint64_t)i << 32);
        for (;;) {
            probe = gema_splitmix64(probe);
            unsigned j = (unsigned)(((probe >> 32) * (uint64_t)k) >> 32);
            if (filled[j] != UINT32_MAX) {
                sig[i] = filled[j];
                break;
            }
        }
    }
    free(filled);
}

static void test_densification_reference(void **state)
{
    (void)state;
    /* Few shingles in many bins (most empty, the first and last bins too),
     * as many shingles as bins, and full signatures. */
    const unsigned ks[] = { 1, 2, 7, 128, 200, 4096 };
    const size_t sizes[] = { 1, 2, 3, 10, 64, 128, 500, 5000 };
    uint64_t rng = 99;
    uint64_t *x = malloc(5000 * sizeof *x);
    uint32_t *got = malloc(4096 * sizeof *got), *want = malloc(4096 * sizeof *want);
    assert_non_null(x);
    assert_non_null(got);
    assert_non_null(want);
    for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
        gema_minhasher m;
        assert_int_equal(gema_minhasher_init(&m, ks[ki], GEMA_MINHASH_OPH, 7 + ki), GEMA_OK);
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            for (int round = 0; round < 4; round++) {
                for (size_t j = 0; j < sizes[si]; j++) x[j] = rng = gema_splitmix64(rng);
                assert_int_equal(gema_minhash(&m, x, sizes[si], got), 1);
                reference_oph(ks[ki], m.seed, x, sizes[si], want);
                for (unsigned i = 0; i < ks[ki]; i++) assert_int_equal(got[i], want[i]);
            }
        }
        gema_minhasher_free(&m);
    }
    free(x);
    free(got);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_empty_and_arguments),
        cmocka_unit_test(test_set_semantics),
        cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_densification_consistency),
        cmocka_unit_test(test_densification_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
