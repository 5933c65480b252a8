/*
 * test_shingle.c - token and shingle hashes against XXH3 values computed
 * apart from the library, shingle sets, and set similarity.
 *
 * Golden values come from xxhsum 0.8.1 (Debian package xxhash):
 *   printf 'harga' | xxhsum -H3 -             token hash of "harga"
 *   (8-byte little-endian token hashes) | xxhsum -H3 -   shingle, seed 0
 *   (the same) | xxhsum -H128 -               128-bit digest of a text
 * XXH3_64bits_withSeed(x, 0) is XXH3_64bits(x), which is what xxhsum -H3
 * prints; 0x2D06800538D394C2 for the empty input is also in the xxHash
 * specification's test vectors.
 */
#include "testutil.h"

/* cmocka's assert_float_equal compares in float; these need double. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include <math.h>

#include "shingle.h"
#include "tokenize.h"

/* "Harga BBM naik, lagi di Jakarta." */
static const uint64_t words[6] = {
    0x6a55555cbd50b54aULL, /* harga */
    0xfb5259f6cdb5b1a7ULL, /* bbm */
    0x9e780ad58a0b15a3ULL, /* naik */
    0x21a8f7a6882ae142ULL, /* lagi */
    0xb5ff7a908b7f2fd0ULL, /* di */
    0xb600875e85bfd807ULL, /* jakarta */
};

static void test_token_hashes_are_xxh3_of_normalised_words(void **state)
{
    (void)state;
    const char *text = "Harga BBM naik, lagi di Jakarta.";
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    for (unsigned flags = 0; flags <= GEMA_TOKENIZE_SPANS; flags += GEMA_TOKENIZE_SPANS) {
        assert_int_equal(gema_tokenize(&t, text, strlen(text), flags), GEMA_OK);
        assert_int_equal(t.count, 6);
        for (size_t i = 0; i < 6; i++) assert_true(t.hash[i] == words[i]);
    }
    /* Digest: XXH3-128 over the six hashes, high half first. */
    uint64_t d[2];
    gema_tokens_digest(&t, d);
    assert_true(d[0] == 0xab23f707e36d0bd6ULL);
    assert_true(d[1] == 0x0181035f97907f22ULL);
    /* No tokens: XXH3-128 of nothing (spec: 99AA06D3014798D8 6001C324468D497F). */
    assert_int_equal(gema_tokenize(&t, " ... ", 5, 0), GEMA_OK);
    gema_tokens_digest(&t, d);
    assert_true(d[0] == 0x99aa06d3014798d8ULL && d[1] == 0x6001c324468d497fULL);

    /* Words outside ASCII hash as their NFKC case-folded UTF-8. */
    const struct { const char *in; uint64_t h; } nonascii[] = {
        { "Caf\xC3\xA9", 0x4c83dbd5f29d367fULL },                 /* café */
        { "Stra\xC3\x9F" "e", 0x6a5260406c46e30cULL },            /* strasse */
        { "\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC", 0x1d81b8a3533d6af7ULL }, /* full */
        { "DON'T", 0x9242c3e492fc3ed9ULL },                       /* dont */
        { "don\xE2\x80\x99t", 0x9242c3e492fc3ed9ULL },            /* dont */
        { "e\xCC\x81t\xC3\xA9", 0x4527085b35eb8255ULL },          /* été, composed */
        { "\xC7\x84" "EMAL", 0xf05aaffd7f8529fbULL },             /* DŽ -> džemal */
        { "\xE4\xB8\xAD", 0x0524b6e05bc20c62ULL },                /* 中 */
        { "\xE2\x85\xAB", 0xc4a242ac51675a81ULL },                /* Roman XII -> xii */
        { "\xEF\xAC\x81le", 0x34ba11dfe8f0d786ULL },              /* ﬁle -> file */
    };
    for (size_t i = 0; i < sizeof nonascii / sizeof nonascii[0]; i++) {
        for (unsigned flags = 0; flags <= GEMA_TOKENIZE_SPANS; flags += GEMA_TOKENIZE_SPANS) {
            assert_int_equal(gema_tokenize(&t, nonascii[i].in, strlen(nonascii[i].in), flags),
                             GEMA_OK);
            if (t.count != 1 || t.hash[0] != nonascii[i].h)
                fprintf(stderr, "token hash of %s wrong\n", nonascii[i].in);
            assert_int_equal(t.count, 1);
            assert_true(t.hash[0] == nonascii[i].h);
        }
    }
    gema_tokenizer_free(&t);
}

static void test_shingle_golden(void **state)
{
    (void)state;
    gema_u64vec v = { 0 };
    assert_int_equal(gema_shingles(words, 6, 3, 0, &v), GEMA_OK);
    const uint64_t sh3[4] = { 0x75bb791454db24f7ULL, 0xd22ff770dfd2ce07ULL,
                              0xc36e21ab6b81febaULL, 0x7c83d23a2b966838ULL };
    assert_int_equal(v.len, 4);
    for (size_t i = 0; i < 4; i++) assert_true(v.v[i] == sh3[i]);
    /* Appends after what is there. */
    assert_int_equal(gema_shingles(words, 2, 2, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 5);
    assert_true(v.v[4] == 0x2193ad55ab80e912ULL); /* harga bbm */
    /* Fewer tokens than n: one shingle of all of them. */
    v.len = 0;
    assert_int_equal(gema_shingles(words, 2, 5, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 1);
    assert_true(v.v[0] == 0x2193ad55ab80e912ULL);
    /* Exactly n tokens: one shingle. */
    v.len = 0;
    assert_int_equal(gema_shingles(words, 3, 3, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 1);
    assert_true(v.v[0] == sh3[0]);
    /* No tokens: no shingles. */
    v.len = 0;
    assert_int_equal(gema_shingles(words, 0, 3, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 0);
    /* n = 1: a shingle per token, XXH3 of its 8 bytes. */
    assert_int_equal(gema_shingles(words, 6, 1, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 6);
    /* A seed gives another, fixed, family of hashes. */
    gema_u64vec s1 = { 0 }, s2 = { 0 };
    assert_int_equal(gema_shingles(words, 6, 3, 12345, &s1), GEMA_OK);
    assert_int_equal(gema_shingles(words, 6, 3, 12345, &s2), GEMA_OK);
    assert_int_equal(s1.len, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_true(s1.v[i] == s2.v[i]);
        assert_true(s1.v[i] != sh3[i]);
    }
    gema_u64vec_free(&s1);
    gema_u64vec_free(&s2);
    gema_u64vec_free(&v);
}

static void test_shingle_set(void **state)
{
    (void)state;
    /* "a b a b a b": shingles ab ba ab ba ab -> the set {ab, ba}, sorted. */
    const uint64_t a = 0xe6c632b61e964e1fULL, b = 0x575a0b1c44d8843fULL;
    const uint64_t toks[6] = { a, b, a, b, a, b };
    gema_u64vec v = { 0 };
    assert_int_equal(gema_u64vec_push(&v, 7), GEMA_OK); /* replaced, not appended to */
    assert_int_equal(gema_shingle_set(toks, 6, 2, 0, &v), GEMA_OK);
    assert_int_equal(v.len, 2);
    assert_true(v.v[0] == 0x4b7f6328de1eefdeULL); /* b a */
    assert_true(v.v[1] == 0x9377b5b3482bf747ULL); /* a b */
    gema_u64vec_free(&v);
}

static void test_set_similarity(void **state)
{
    (void)state;
    const uint64_t A[4] = { 1, 2, 3, 4 }, B[3] = { 3, 4, 5 }, C[2] = { 8, 9 };
    assert_int_equal(gema_set_intersection(A, 4, B, 3), 2);
    assert_int_equal(gema_set_intersection(A, 4, C, 2), 0);
    assert_int_equal(gema_set_intersection(A, 4, A, 4), 4);
    assert_near(gema_set_similarity(A, 4, B, 3, GEMA_SIM_JACCARD), 2.0 / 5.0, 1e-15);
    assert_near(gema_set_similarity(A, 4, B, 3, GEMA_SIM_CONTAINMENT), 2.0 / 3.0, 1e-15);
    assert_near(gema_set_similarity(B, 3, A, 4, GEMA_SIM_CONTAINMENT), 2.0 / 3.0, 1e-15);
    assert_near(gema_set_similarity(A, 4, A, 4, GEMA_SIM_JACCARD), 1.0, 0.0);
    assert_near(gema_set_similarity(A, 4, C, 2, GEMA_SIM_JACCARD), 0.0, 0.0);
    /* Both empty count as equal; one empty matches nothing. */
    assert_near(gema_set_similarity(A, 0, B, 0, GEMA_SIM_JACCARD), 1.0, 0.0);
    assert_near(gema_set_similarity(A, 0, B, 3, GEMA_SIM_JACCARD), 0.0, 0.0);
    assert_near(gema_set_similarity(A, 4, B, 0, GEMA_SIM_CONTAINMENT), 0.0, 0.0);
    /* A subset is fully contained. */
    const uint64_t sub[2] = { 2, 3 };
    assert_near(gema_set_similarity(sub, 2, A, 4, GEMA_SIM_CONTAINMENT), 1.0, 0.0);
    assert_near(gema_set_similarity(sub, 2, A, 4, GEMA_SIM_JACCARD), 0.5, 0.0);
}

static void test_sort_unique(void **state)
{
    (void)state;
    uint64_t v[9] = { 5, UINT64_MAX, 1, 5, 0, 1, 1, UINT64_MAX, 3 };
    assert_int_equal(gema_u64_sort_unique(v, 9), 5);
    const uint64_t want[5] = { 0, 1, 3, 5, UINT64_MAX };
    for (size_t i = 0; i < 5; i++) assert_true(v[i] == want[i]);
    assert_int_equal(gema_u64_sort_unique(v, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_hashes_are_xxh3_of_normalised_words),
        cmocka_unit_test(test_shingle_golden),
        cmocka_unit_test(test_shingle_set),
        cmocka_unit_test(test_set_similarity),
        cmocka_unit_test(test_sort_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
