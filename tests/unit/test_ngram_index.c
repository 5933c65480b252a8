/*
 * test_ngram_index.c - hashed word n-grams, the radix sort and the
 * candidate pairs of the sharded n-gram index (lib/ngram_index.c).
 */
#include "testutil.h"

#include "ngram_index.h"

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static void test_ngrams(void **state)
{
    (void)state;
    uint64_t tok[12] = {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 7};
    gema_u64vec g = {0};
    assert_int_equal(gema_ngrams(tok, 12, 5, 99, &g), GEMA_OK);
    assert_int_equal(g.len, 8);
    /* The same five words give the same hash wherever they stand... */
    assert_true(g.v[0] == g.v[6]);
    assert_true(g.v[0] == gema_ngram_hash(tok, 5, 99));
    assert_true(g.v[7] == gema_ngram_hash(tok + 7, 5, 99));
    /* ...and different words, order or seed another. */
    assert_true(g.v[0] != g.v[1]);
    assert_true(g.v[1] != g.v[7]);
    assert_true(gema_ngram_hash(tok, 5, 98) != g.v[0]);
    uint64_t rev[5] = {5, 4, 3, 2, 1};
    assert_true(gema_ngram_hash(rev, 5, 99) != g.v[0]);
    /* Fewer tokens than n: none; the vector is appended to. */
    g.len = 0;
    assert_int_equal(gema_ngrams(tok, 4, 5, 99, &g), GEMA_OK);
    assert_int_equal(g.len, 0);
    assert_int_equal(gema_ngrams(tok, 5, 5, 99, &g), GEMA_OK);
    assert_int_equal(gema_ngrams(tok, 6, 5, 99, &g), GEMA_OK);
    assert_int_equal(g.len, 3);
    gema_u64vec_free(&g);
}

static void test_radix_sort(void **state)
{
    (void)state;
    enum { N = 20000 };
    uint64_t *k = malloc(N * sizeof *k), *want = malloc(N * sizeof *k), *tmp = malloc(N * sizeof *k);
    assert_non_null(k);
    assert_non_null(want);
    assert_non_null(tmp);
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* Half the keys share their top 40 bits, so some digits are equal
         * in many keys but not all; a few exact duplicates. */
        k[i] = (i % 2) ? (0xABCDEF1234ull << 24) | (x & 0xFFFFFF) : x;
        if (i % 97 == 0 && i) k[i] = k[i - 1];
    }
    memcpy(want, k, N * sizeof *k);
    qsort(want, N, sizeof *want, cmp_u64);
    gema_radix_sort_u64(k, tmp, N);
    assert_memory_equal(k, want, N * sizeof *k);
    /* All equal, one key, none. */
    for (size_t i = 0; i < 100; i++) k[i] = 7;
    gema_radix_sort_u64(k, tmp, 100);
    assert_true(k[0] == 7 && k[99] == 7);
    gema_radix_sort_u64(k, tmp, 1);
    gema_radix_sort_u64(k, tmp, 0);
    free(k);
    free(want);
    free(tmp);
}

static void test_winnow(void **state)
{
    (void)state;
    enum { N = 200, W = 4 };
    uint64_t g[N], h[N];
    uint32_t pos[N], pos2[N];
    uint64_t x = 0x243F6A8885A308D3u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        g[i] = x;
    }
    size_t k = gema_winnow(g, N, W, pos);
    /* Ascending, distinct, and every window of W holds a kept one: at
     * most W - 1 n-grams between two kept ones, at most W - 1 before the
     * first and after the last. */
    assert_true(k > N / W && k < N);
    assert_true(pos[0] < W && pos[k - 1] >= N - W);
    for (size_t i = 1; i < k; i++) assert_true(pos[i] > pos[i - 1] && pos[i] - pos[i - 1] <= W);
    /* About 2 / (W + 1) of random n-grams are kept. */
    assert_true(k > N / 4 && k < N / 2);
    /* A copy of a stretch inside other text keeps the same n-grams inside
     * it, windows reaching outside aside. */
    for (size_t i = 0; i < N; i++) h[i] = ~g[i];
    for (size_t i = 0; i < 60; i++) h[100 + i] = g[20 + i];
    size_t k2 = gema_winnow(h, N, W, pos2);
    size_t inside = 0, same = 0;
    for (size_t i = 0; i < k; i++) {
        if (pos[i] < 20 + W || pos[i] >= 80 - W) continue;
        inside++;
        for (size_t j = 0; j < k2; j++) same += pos2[j] == pos[i] + 80;
    }
    assert_true(inside > 5);
    assert_int_equal(same, inside);
    /* Window 1 keeps all; fewer n-grams than the window keep one. */
    assert_int_equal(gema_winnow(g, 10, 1, pos), 10);
    assert_int_equal(gema_winnow(g, 3, W, pos), 1);
    assert_int_equal(gema_winnow(g, 0, W, pos), 0);
}

/* Five documents of 60 tokens: 0 and 1 share a 30-token passage; 2 and 3
 * share only one 6-word phrase (too little to be a candidate); every
 * document carries one 8-word set phrase (over max_df). */
enum { NDOC = 5, LEN = 60 };

static void make_docs(uint64_t doc[NDOC][LEN])
{
    for (size_t d = 0; d < NDOC; d++)
        for (size_t i = 0; i < LEN; i++) doc[d][i] = 1000 * (d + 1) + i;
    for (size_t i = 0; i < 30; i++) doc[1][25 + i] = doc[0][5 + i];
    for (size_t i = 0; i < 6; i++) doc[3][40 + i] = doc[2][10 + i];
    for (size_t d = 0; d < NDOC; d++)
        for (size_t i = 0; i < 8; i++) doc[d][50 + i - (d == 1 ? 48 : 0)] = 77 + i;
}

static gema_pair_counts candidates_of(uint64_t doc[NDOC][LEN], const gema_pair_params *pparg,
                                      unsigned shards, unsigned threads, unsigned window,
                                      gema_ngram_stats *st)
{
    gema_pair_params pp = *pparg;
    gema_ngram_index *ix = NULL;
    assert_int_equal(gema_ngram_index_new(NDOC, shards, threads, window, &ix), GEMA_OK);
    unsigned got = gema_ngram_index_shards(ix);
    assert_true(got >= shards);
    gema_pair_counts acc;
    memset(&acc, 0, sizeof acc);
    memset(st, 0, sizeof *st);
    gema_u64vec g = {0};
    for (unsigned s = 0; s < got; s++) {
        for (uint32_t d = 0; d < NDOC; d++) {
            g.len = 0;
            assert_int_equal(gema_ngrams(doc[d], LEN, 5, 7, &g), GEMA_OK);
            /* Documents spread over the threads' slots. */
            assert_int_equal(gema_ngram_index_add(ix, d % threads, s, d, g.v, g.len),
                             GEMA_OK);
        }
        assert_int_equal(gema_ngram_index_pairs(ix, &pp, threads, &acc, st), GEMA_OK);
    }
    gema_u64vec_free(&g);
    gema_ngram_index_free(ix);
    return acc;
}

static gema_pair_counts candidates(unsigned shards, unsigned threads, gema_ngram_stats *st)
{
    uint64_t doc[NDOC][LEN];
    make_docs(doc);
    gema_pair_params pp = {5, 3, 2, 10, 90, 0};
    return candidates_of(doc, &pp, shards, threads, 1, st);
}

/* Winnowed, the shared passage still makes the pair, from fewer entries;
 * a passage in all five documents makes all ten pairs, or, with rare_df 2,
 * the seven of each document with the next two. */
static void test_winnowed_and_chained(void **state)
{
    (void)state;
    uint64_t doc[NDOC][LEN];
    make_docs(doc);
    gema_pair_params pp = {5, 3, 2, 10, 90, 0};
    gema_ngram_stats st;
    gema_pair_counts p = candidates_of(doc, &pp, 1, 1, 4, &st);
    assert_int_equal(p.len, 1);
    assert_true(p.pair[0] == ((uint64_t)0 << 32 | 1));
    assert_true(st.entries < NDOC * (LEN - 4) / 2);
    gema_pair_counts_free(&p);
    /* Documents 1 to 4 carry tokens 5..34 of document 0 at position 25. */
    for (size_t d = 2; d < NDOC; d++)
        for (size_t i = 0; i < 30; i++) doc[d][25 + i] = doc[0][5 + i];
    pp.max_df = 10;
    p = candidates_of(doc, &pp, 1, 1, 4, &st);
    assert_int_equal(p.len, 10);
    gema_pair_counts_free(&p);
    pp.rare_df = 2;
    p = candidates_of(doc, &pp, 2, 2, 4, &st);
    assert_int_equal(p.len, 7);
    for (size_t i = 0; i < p.len; i++) {
        uint64_t a = p.pair[i] >> 32, b = p.pair[i] & 0xFFFFFFFF;
        assert_true(b > a && b <= a + 2);
    }
    gema_pair_counts_free(&p);
}

static void test_candidate_pairs(void **state)
{
    (void)state;
    gema_ngram_stats st;
    gema_pair_counts p = candidates(1, 1, &st);
    assert_int_equal(p.len, 1);
    assert_true(p.pair[0] == ((uint64_t)0 << 32 | 1));
    /* 30 shared tokens are 26 shared 5-grams. */
    assert_int_equal(p.count[0], 26);
    /* The set phrase's 4 n-grams are in all 5 documents > max_df 3. */
    assert_int_equal(st.over_df, 4);
    /* Each document's 56 n-grams are distinct within it. */
    assert_int_equal(st.entries, NDOC * (LEN - 4));
    gema_pair_counts_free(&p);
}

static void test_shards_and_threads_agree(void **state)
{
    (void)state;
    gema_ngram_stats s1, s4;
    gema_pair_counts one = candidates(1, 1, &s1);
    gema_pair_counts four = candidates(4, 2, &s4);
    assert_int_equal(four.len, one.len);
    for (size_t i = 0; i < one.len; i++) {
        assert_true(four.pair[i] == one.pair[i]);
        assert_int_equal(four.count[i], one.count[i]);
    }
    assert_int_equal(s4.entries, s1.entries);
    assert_int_equal(s4.over_df, s1.over_df);
    /* A shard holds about a quarter of the entries. */
    assert_true(s4.peak_bytes <= s1.peak_bytes);
    gema_pair_counts_free(&one);
    gema_pair_counts_free(&four);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ngrams),
        cmocka_unit_test(test_radix_sort),
        cmocka_unit_test(test_winnow),
        cmocka_unit_test(test_winnowed_and_chained),
        cmocka_unit_test(test_candidate_pairs),
        cmocka_unit_test(test_shards_and_threads_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
