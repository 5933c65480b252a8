/*
 * test_lsh.c - choice of bands and rows, the banding S-curve, band keys and
 * candidate pairs.
 *
 * The expected (bands, rows) were computed apart from lib/lsh.c by
 * tests/unit/gen_lsh_golden.py: datasketch's _optimal_param criterion with
 * both areas integrated exactly (P(s) is a polynomial), so they are what
 * datasketch's scipy quadrature gives up to its own rounding.  The comment
 * on each row is the exact minimum and how far the runner-up is behind.
 * Weights are always passed explicitly: the dedup defaults may change.
 */
#include "testutil.h"

/* cmocka's assert_float_equal compares in float; these need double. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include <math.h>

#include "lsh.h"

typedef struct {
    double threshold;
    unsigned k;
    double fp_weight, fn_weight;
    unsigned bands, rows;
} lsh_case;

static const lsh_case cases[] = {
    { 0.5, 16, 0.5, 0.5, 5, 3 }, /* error 0.0682383, runner-up +7.30% */
    { 0.5, 16, 0.1, 0.9, 8, 2 }, /* error 0.0274656, runner-up +6.26% */
    { 0.5, 16, 0.02, 0.98, 7, 1 }, /* error 0.00798828, runner-up +0.08% */
    { 0.5, 16, 0.9, 0.1, 3, 5 }, /* error 0.028703, runner-up +7.73% */
    { 0.7, 16, 0.5, 0.5, 3, 5 }, /* error 0.0587531, runner-up +12.69% */
    { 0.7, 16, 0.1, 0.9, 5, 3 }, /* error 0.0278229, runner-up +10.43% */
    { 0.7, 16, 0.02, 0.98, 7, 2 }, /* error 0.00802284, runner-up +0.27% */
    { 0.7, 16, 0.9, 0.1, 2, 8 }, /* error 0.0224908, runner-up +0.96% */
    { 0.8, 16, 0.5, 0.5, 2, 8 }, /* error 0.0468022, runner-up +2.41% */
    { 0.8, 16, 0.1, 0.9, 4, 4 }, /* error 0.0242746, runner-up +10.68% */
    { 0.8, 16, 0.02, 0.98, 5, 3 }, /* error 0.00706888, runner-up +12.46% */
    { 0.8, 16, 0.9, 0.1, 1, 16 }, /* error 0.0154422, runner-up +0.43% */
    { 0.9, 16, 0.5, 0.5, 1, 15 }, /* error 0.0303314, runner-up +0.20% */
    { 0.9, 16, 0.1, 0.9, 2, 7 }, /* error 0.0188907, runner-up +1.59% */
    { 0.9, 16, 0.02, 0.98, 3, 5 }, /* error 0.0057399, runner-up +3.74% */
    { 0.9, 16, 0.9, 0.1, 1, 16 }, /* error 0.0139278, runner-up +10.08% */
    { 0.5, 64, 0.5, 0.5, 14, 4 }, /* error 0.0525006, runner-up +0.17% */
    { 0.5, 64, 0.1, 0.9, 21, 3 }, /* error 0.0207204, runner-up +0.08% */
    { 0.5, 64, 0.02, 0.98, 16, 2 }, /* error 0.00608127, runner-up +0.08% */
    { 0.5, 64, 0.9, 0.1, 9, 7 }, /* error 0.0220626, runner-up +2.73% */
    { 0.7, 64, 0.5, 0.5, 8, 8 }, /* error 0.0423183, runner-up +2.85% */
    { 0.7, 64, 0.1, 0.9, 12, 5 }, /* error 0.0194468, runner-up +2.26% */
    { 0.7, 64, 0.02, 0.98, 16, 4 }, /* error 0.00538343, runner-up +0.01% */
    { 0.7, 64, 0.9, 0.1, 5, 12 }, /* error 0.0167495, runner-up +3.73% */
    { 0.8, 64, 0.5, 0.5, 5, 11 }, /* error 0.0348371, runner-up +0.47% */
    { 0.8, 64, 0.1, 0.9, 9, 7 }, /* error 0.0164273, runner-up +3.15% */
    { 0.8, 64, 0.02, 0.98, 10, 6 }, /* error 0.00487495, runner-up +3.60% */
    { 0.8, 64, 0.9, 0.1, 3, 19 }, /* error 0.0126848, runner-up +0.13% */
    { 0.9, 64, 0.5, 0.5, 3, 21 }, /* error 0.0215848, runner-up +0.28% */
    { 0.9, 64, 0.1, 0.9, 5, 12 }, /* error 0.0116558, runner-up +2.36% */
    { 0.9, 64, 0.02, 0.98, 7, 9 }, /* error 0.00343466, runner-up +6.73% */
    { 0.9, 64, 0.9, 0.1, 2, 32 }, /* error 0.00733445, runner-up +1.75% */
    { 0.5, 128, 0.5, 0.5, 25, 5 }, /* error 0.0437371, runner-up +0.36% */
    { 0.5, 128, 0.1, 0.9, 32, 4 }, /* error 0.0178015, runner-up +1.37% */
    { 0.5, 128, 0.02, 0.98, 34, 3 }, /* error 0.00484246, runner-up +0.04% */
    { 0.5, 128, 0.9, 0.1, 16, 8 }, /* error 0.0197221, runner-up +1.56% */
    { 0.7, 128, 0.5, 0.5, 14, 9 }, /* error 0.0362545, runner-up +1.74% */
    { 0.7, 128, 0.1, 0.9, 20, 6 }, /* error 0.0167277, runner-up +0.13% */
    { 0.7, 128, 0.02, 0.98, 23, 5 }, /* error 0.00461034, runner-up +0.15% */
    { 0.7, 128, 0.9, 0.1, 9, 14 }, /* error 0.014823, runner-up +1.67% */
    { 0.8, 128, 0.5, 0.5, 9, 13 }, /* error 0.029297, runner-up +0.31% */
    { 0.8, 128, 0.1, 0.9, 14, 9 }, /* error 0.0136237, runner-up +2.33% */
    { 0.8, 128, 0.02, 0.98, 17, 7 }, /* error 0.00395861, runner-up +0.09% */
    { 0.8, 128, 0.9, 0.1, 6, 21 }, /* error 0.0111239, runner-up +0.94% */
    { 0.9, 128, 0.5, 0.5, 5, 25 }, /* error 0.0184384, runner-up +0.00% */
    { 0.9, 128, 0.1, 0.9, 8, 16 }, /* error 0.00938544, runner-up +0.58% */
    { 0.9, 128, 0.02, 0.98, 10, 12 }, /* error 0.0027864, runner-up +4.41% */
    { 0.9, 128, 0.9, 0.1, 3, 42 }, /* error 0.00651249, runner-up +0.03% */
    { 0.5, 256, 0.5, 0.5, 42, 6 }, /* error 0.0380457, runner-up +0.48% */
    { 0.5, 256, 0.02, 0.98, 64, 4 }, /* error 0.00401114, runner-up +0.20% */
    { 0.7, 256, 0.5, 0.5, 25, 10 }, /* error 0.0320135, runner-up +0.30% */
    { 0.7, 256, 0.02, 0.98, 36, 7 }, /* error 0.00394142, runner-up +2.18% */
    { 0.8, 256, 0.5, 0.5, 17, 15 }, /* error 0.024936, runner-up +0.51% */
    { 0.8, 256, 0.02, 0.98, 28, 9 }, /* error 0.00324973, runner-up +0.17% */
    { 0.9, 256, 0.5, 0.5, 9, 28 }, /* error 0.0155679, runner-up +1.04% */
    { 0.9, 256, 0.02, 0.98, 16, 16 }, /* error 0.00221868, runner-up +1.99% */
};

static void test_params_match_datasketch_criterion(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const lsh_case *c = &cases[i];
        unsigned b = 0, r = 0;
        assert_int_equal(gema_lsh_params(c->threshold, c->k, c->fp_weight, c->fn_weight, &b, &r),
                         GEMA_OK);
        if (b != c->bands || r != c->rows)
            fprintf(stderr, "t %.2f k %u w %.2f/%.2f: got %ux%u, want %ux%u\n", c->threshold,
                    c->k, c->fp_weight, c->fn_weight, b, r, c->bands, c->rows);
        assert_int_equal(b, c->bands);
        assert_int_equal(r, c->rows);
        assert_true(b * r <= c->k);
    }
}

static void test_params_scale_free_in_weights(void **state)
{
    (void)state;
    /* Only the ratio of the weights matters. */
    unsigned b1, r1, b2, r2;
    assert_int_equal(gema_lsh_params(0.7, 128, 0.5, 0.5, &b1, &r1), GEMA_OK);
    assert_int_equal(gema_lsh_params(0.7, 128, 3.0, 3.0, &b2, &r2), GEMA_OK);
    assert_int_equal(b1, b2);
    assert_int_equal(r1, r2);
    /* The more a miss weighs, the fewer rows per band (a steeper curve
     * shifted left) and the likelier a pair at the threshold is found. */
    const double fn[] = { 0.1, 0.3, 0.5, 0.7, 0.9, 0.98 };
    unsigned prev_r = 1000;
    double prev_p = 0.0;
    for (size_t i = 0; i < sizeof fn / sizeof fn[0]; i++) {
        assert_int_equal(gema_lsh_params(0.7, 128, 1.0 - fn[i], fn[i], &b1, &r1), GEMA_OK);
        double p = gema_lsh_probability(0.7, b1, r1);
        assert_true(r1 <= prev_r);
        assert_true(p >= prev_p);
        prev_r = r1;
        prev_p = p;
    }
    /* A single hash leaves one choice. */
    assert_int_equal(gema_lsh_params(0.5, 1, 0.5, 0.5, &b1, &r1), GEMA_OK);
    assert_int_equal(b1, 1);
    assert_int_equal(r1, 1);
}

/* The criterion evaluated the plain way, bands outer and rows inner, P(s)
 * through gema_lsh_probability at every point: gema_lsh_params shares the
 * powers of s between band counts and must still pick the same (b, r),
 * ties included, down to the last bit of every area. */
static double plain_area(double lo, double hi, unsigned b, unsigned r, int false_negative)
{
    double h = (hi - lo) / 200, sum = 0.0;
    for (int i = 0; i <= 200; i++) {
        double p = gema_lsh_probability(lo + h * i, b, r);
        double f = false_negative ? 1.0 - p : p;
        sum += ((i == 0 || i == 200) ? 1.0 : (i % 2 ? 4.0 : 2.0)) * f;
    }
    return sum * h / 3.0;
}

static void test_params_same_as_plain_loop(void **state)
{
    (void)state;
    const unsigned ks[] = { 1, 2, 3, 5, 8, 12, 16, 23, 40 };
    const double weights[][2] = { { 0.5, 0.5 }, { 0.02, 0.98 }, { 1.0, 0.0 }, { 0.0, 1.0 } };
    for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++)
        for (int t = 5; t < 100; t += 10)
            for (size_t wi = 0; wi < sizeof weights / sizeof *weights; wi++) {
                double th = t / 100.0, fp = weights[wi][0], fn = weights[wi][1];
                double best = INFINITY;
                unsigned wb = 1, wr = ks[ki];
                for (unsigned b = 1; b <= ks[ki]; b++)
                    for (unsigned r = 1; b * r <= ks[ki]; r++) {
                        double err = fp * plain_area(0.0, th, b, r, 0) +
                                     fn * plain_area(th, 1.0, b, r, 1);
                        if (err < best) {
                            best = err;
                            wb = b;
                            wr = r;
                        }
                    }
                unsigned b, r;
                assert_int_equal(gema_lsh_params(th, ks[ki], fp, fn, &b, &r), GEMA_OK);
                assert_int_equal(b, wb);
                assert_int_equal(r, wr);
            }
}

static void test_params_bad_arguments(void **state)
{
    (void)state;
    unsigned b = 77, r = 77;
    assert_int_equal(gema_lsh_params(0.0, 128, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(1.0, 128, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(-0.5, 128, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(NAN, 128, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(0.7, 0, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(0.7, 5000, 0.5, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(0.7, 128, -1.0, 0.5, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(gema_lsh_params(0.7, 128, 0.0, 0.0, &b, &r), GEMA_ERR_ARG);
    assert_int_equal(b, 77); /* untouched on failure */
    assert_int_equal(r, 77);
}

static void test_probability(void **state)
{
    (void)state;
    /* 1 - (1 - s^r)^b, values from Python floats. */
    assert_near(gema_lsh_probability(0.5, 20, 5), 0.4700507153168765, 1e-12);
    assert_near(gema_lsh_probability(0.7, 23, 5), 0.9854790153026648, 1e-12);
    assert_near(gema_lsh_probability(0.9, 5, 25), 0.31098022646612, 1e-12);
    assert_near(gema_lsh_probability(0.3, 1, 1), 0.3, 1e-12);
    assert_near(gema_lsh_probability(0.0, 20, 5), 0.0, 0.0);
    assert_near(gema_lsh_probability(1.0, 20, 5), 1.0, 0.0);
    /* Increasing in s. */
    double prev = 0.0;
    for (int i = 1; i <= 100; i++) {
        double p = gema_lsh_probability(i / 100.0, 14, 9);
        assert_true(p >= prev);
        prev = p;
    }
}

static void test_band_keys(void **state)
{
    (void)state;
    uint32_t sig[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint64_t k1[2], k2[2];
    gema_lsh_band_keys(sig, 2, 4, 0, k1, 1);
    /* Band 0 with seed 0 is XXH3-64 of its rows as little-endian bytes:
     * printf of 01000000 02000000 03000000 04000000 | xxhsum -H3. */
    assert_true(k1[0] == 0x6fc1ebd4f4d6ea31ULL);
    /* Equal rows in different bands give different keys (seed + band). */
    uint32_t twice[8] = { 1, 2, 3, 4, 1, 2, 3, 4 };
    gema_lsh_band_keys(twice, 2, 4, 0, k2, 1);
    assert_true(k2[0] == k1[0]);
    assert_true(k2[1] != k2[0]);
    /* A band's key depends on its rows only. */
    uint32_t other[8] = { 1, 2, 3, 4, 5, 6, 7, 9 };
    gema_lsh_band_keys(other, 2, 4, 0, k2, 1);
    assert_true(k2[0] == k1[0] && k2[1] != k1[1]);
    gema_lsh_band_keys(sig, 2, 4, 99, k2, 1);
    assert_true(k2[0] != k1[0] && k2[1] != k1[1]);
    /* With a stride, band b goes to keys[b * stride] and nothing else is
     * written (dedup keeps keys band by band, n documents apart). */
    uint64_t col[6] = { 0 };
    gema_lsh_band_keys(sig, 2, 4, 0, col + 1, 3);
    assert_true(col[1] == k1[0] && col[4] == k1[1]);
    assert_true(col[0] == 0 && col[2] == 0 && col[3] == 0 && col[5] == 0);
}

static int has_pair(const gema_u64vec *p, uint32_t a, uint32_t b)
{
    uint64_t want = (uint64_t)a << 32 | b;
    for (size_t i = 0; i < p->len; i++)
        if (p->v[i] == want) return 1;
    return 0;
}

static void test_candidates(void **state)
{
    (void)state;
    /* 6 documents, 3 bands.  0~2 share band 0; 1~4 share band 1; 2~5 share
     * bands 1 and 2 (one pair, not two); 3 matches 0 in band 2 but is
     * inactive (an empty document). */
    const uint64_t keys[3 * 6] = { /* band by band; a column is a document */
        10, 11, 10, 13, 14, 15,
        20, 21, 22, 23, 21, 22,
        30, 31, 32, 30, 34, 32,
    };
    const unsigned char active[6] = { 1, 1, 1, 0, 1, 1 };
    gema_u64vec p = { 0 };
    assert_int_equal(gema_lsh_candidates(keys, 6, 3, active, &p), GEMA_OK);
    assert_int_equal(p.len, 3);
    assert_true(p.v[0] == ((uint64_t)0 << 32 | 2));
    assert_true(p.v[1] == ((uint64_t)1 << 32 | 4));
    assert_true(p.v[2] == ((uint64_t)2 << 32 | 5));
    /* Fewer than two active documents: no pairs, and old contents cleared. */
    const unsigned char one[6] = { 1, 0, 0, 0, 0, 0 };
    assert_int_equal(gema_lsh_candidates(keys, 6, 3, one, &p), GEMA_OK);
    assert_int_equal(p.len, 0);
    gema_u64vec_free(&p);
}

static void test_candidates_large_bucket(void **state)
{
    (void)state;
    /* A bucket of m > GEMA_LSH_MAX_RUN documents is linked as a star on
     * its first member plus a chain: 2m - 3 pairs, all sorted, a < b. */
    enum { M = 100 };
    uint64_t keys[M];
    unsigned char active[M];
    for (size_t i = 0; i < M; i++) {
        keys[i] = 42;
        active[i] = 1;
    }
    gema_u64vec p = { 0 };
    assert_int_equal(gema_lsh_candidates(keys, M, 1, active, &p), GEMA_OK);
    assert_int_equal(p.len, 2 * M - 3);
    for (uint32_t j = 1; j < M; j++) assert_true(has_pair(&p, 0, j));
    for (uint32_t j = 2; j < M; j++) assert_true(has_pair(&p, j - 1, j));
    for (size_t i = 1; i < p.len; i++) assert_true(p.v[i - 1] < p.v[i]);
    /* At the limit, all pairs. */
    assert_int_equal(gema_lsh_candidates(keys, GEMA_LSH_MAX_RUN, 1, active, &p), GEMA_OK);
    assert_int_equal(p.len, GEMA_LSH_MAX_RUN * (GEMA_LSH_MAX_RUN - 1) / 2);
    gema_u64vec_free(&p);
}

/* The pairs gema_lsh_candidates must give, found the slow way: for each
 * band, each run of documents sharing a key in index order, linked as
 * emit_run links it. */
static void reference_pairs(const uint64_t *keys, size_t n, unsigned bands,
                            const unsigned char *active, gema_u64vec *out)
{
    out->len = 0;
    uint32_t *run = malloc((n ? n : 1) * sizeof *run);
    unsigned char *seen = calloc(n ? n : 1, 1);
    assert_non_null(run);
    assert_non_null(seen);
    for (unsigned b = 0; b < bands; b++) {
        memset(seen, 0, n);
        for (size_t i = 0; i < n; i++) {
            if (!active[i] || seen[i]) continue;
            size_t m = 0;
            for (size_t j = i; j < n; j++)
                if (active[j] && keys[b * n + j] == keys[b * n + i]) {
                    seen[j] = 1;
                    run[m++] = (uint32_t)j;
                }
            if (m <= GEMA_LSH_MAX_RUN) {
                for (size_t x = 0; x < m; x++)
                    for (size_t y = x + 1; y < m; y++)
                        gema_u64vec_push(out, (uint64_t)run[x] << 32 | run[y]);
            } else {
                for (size_t y = 1; y < m; y++) {
                    gema_u64vec_push(out, (uint64_t)run[0] << 32 | run[y]);
                    if (y > 1) gema_u64vec_push(out, (uint64_t)run[y - 1] << 32 | run[y]);
                }
            }
        }
    }
    out->len = gema_u64_sort_unique(out->v, out->len);
    free(run);
    free(seen);
}

typedef enum {
    KEYS_UNIFORM,     /* hash-like: what dedup gives */
    KEYS_FEW,         /* a handful of random keys: long runs */
    KEYS_LOW_BITS,    /* one top, keys differing in their low bits only */
    KEYS_LOW_FEW,     /* the same with repeats: one bucket, unsorted, with runs */
    KEYS_EQUAL,       /* every document the same key */
    KEYS_DESCENDING,  /* distinct keys in reverse document order, one bucket */
    KEYS_KINDS
} key_kind;

static uint64_t make_key(key_kind kind, size_t i, size_t n, uint64_t *rng)
{
    *rng = *rng * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t r = *rng ^ *rng >> 29;
    switch (kind) {
    case KEYS_UNIFORM: return r;
    case KEYS_FEW: return (r >> 40) % 3 * 0x9E3779B97F4A7C15ULL;
    case KEYS_LOW_BITS: return 0xABCD000000000000ULL | (r >> 40);
    case KEYS_LOW_FEW: return 0xABCD000000000000ULL | (r >> 40) % 5;
    case KEYS_EQUAL: return 42;
    case KEYS_DESCENDING: default: return 0x7000000000000000ULL + (n - i);
    }
}

static void test_candidates_match_reference(void **state)
{
    (void)state;
    const size_t sizes[] = { 0, 1, 2, 3, 5, 33, 64, 65, 130, 1000, 3000 };
    uint64_t rng = 12345;
    gema_u64vec got = { 0 }, want = { 0 };
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        size_t n = sizes[si];
        for (int kind = 0; kind < KEYS_KINDS; kind++) {
            for (unsigned bands = 1; bands <= 3; bands += 2) {
                uint64_t *keys = malloc((n ? n : 1) * bands * sizeof *keys);
                unsigned char *active = malloc(n ? n : 1);
                assert_non_null(keys);
                assert_non_null(active);
                for (size_t i = 0; i < n; i++) {
                    active[i] = (unsigned char)(i % 7 != 3); /* some documents sit out */
                    for (unsigned b = 0; b < bands; b++)
                        keys[b * n + i] = make_key((key_kind)kind, i, n, &rng);
                }
                reference_pairs(keys, n, bands, active, &want);
                assert_int_equal(gema_lsh_candidates(keys, n, bands, active, &got), GEMA_OK);
                assert_int_equal(got.len, want.len);
                for (size_t i = 0; i < got.len; i++) assert_true(got.v[i] == want.v[i]);
                free(keys);
                free(active);
            }
        }
    }
    gema_u64vec_free(&got);
    gema_u64vec_free(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_match_datasketch_criterion),
        cmocka_unit_test(test_params_scale_free_in_weights),
        cmocka_unit_test(test_params_same_as_plain_loop),
        cmocka_unit_test(test_params_bad_arguments),
        cmocka_unit_test(test_probability),
        cmocka_unit_test(test_band_keys),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_candidates_large_bucket),
        cmocka_unit_test(test_candidates_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
