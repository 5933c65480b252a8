/*
 * test_termvec.c - the fast paths of article features against their plain
 * definitions: the packed stop-word facts, the language guess with facts
 * looked up ahead, the set-associative stem cache under eviction, and the
 * partial sort that keeps an article's heaviest terms.
 */
#include "testutil.h"

#include "common.h"
#include "langid.h"
#include "stem.h"
#include "stopwords.h"
#include "termvec.h"
#include "tokenize.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

static uint64_t hash_of(const char *word)
{
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, word, strlen(word), GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 1);
    uint64_t h = t.hash[0];
    gema_tokenizer_free(&t);
    return h;
}

static void test_stopword_info(void **state)
{
    (void)state;
    assert_int_equal(gema_stopwords_init(), GEMA_OK);
    static const char *const words[] = { "the", "said", "yang", "kata", "und", "december",
                                         "desember", "tuesday", "selasa", "earthquake",
                                         "presiden", "mai", "de" };
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        uint64_t h = hash_of(words[w]);
        gema_swinfo in = gema_stopword_info(h);
        gema_swinfo batch;
        gema_stopword_infos(&h, 1, &batch);
        assert_true(batch == in);
        /* The packed facts answer as the one-question lookups do. */
        assert_int_equal(gema_swinfo_function_langs(in), gema_stopword_langs(h));
        assert_int_equal(gema_swinfo_month(in), gema_month_of(h));
        assert_int_equal(gema_swinfo_weekday(in), gema_is_weekday(h));
        for (int l = 0; l < GEMA_LANG_COUNT; l++)
            assert_int_equal(gema_swinfo_is_stop(in, (gema_lang)l),
                             gema_stopword_flags((gema_lang)l, h) != 0);
    }
    assert_true(gema_swinfo_is_stop(gema_stopword_info(hash_of("said")), GEMA_LANG_EN));
    assert_false(gema_swinfo_is_stop(gema_stopword_info(hash_of("said")), GEMA_LANG_ID));
    assert_int_equal(gema_swinfo_month(gema_stopword_info(hash_of("desember"))), 12);
    assert_true(gema_swinfo_weekday(gema_stopword_info(hash_of("selasa"))));
    assert_true(gema_stopword_info(hash_of("earthquake")) == 0);
}

static gema_lang guess_with_info(const char *text)
{
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    size_t len = strlen(text);
    assert_int_equal(gema_tokenize(&t, text, len, GEMA_TOKENIZE_SPANS), GEMA_OK);
    gema_swinfo *info = calloc(t.count + 1, sizeof *info);
    assert_non_null(info);
    gema_stopword_infos(t.hash, t.count, info);
    gema_lang a = gema_langid_tokens_info(&t, text, len, info);
    gema_lang b = gema_langid_tokens(&t, text, len);
    assert_int_equal(a, b);
    free(info);
    gema_tokenizer_free(&t);
    return a;
}

static void test_langid_info(void **state)
{
    (void)state;
    assert_int_equal(guess_with_info("The minister said that the plan was not ready."),
                     GEMA_LANG_EN);
    assert_int_equal(guess_with_info("Menteri mengatakan bahwa rencana itu belum siap karena "
                                     "dana yang ada tidak cukup."),
                     GEMA_LANG_ID);
    assert_int_equal(guess_with_info("Der Minister sagte, dass der Plan noch nicht fertig "
                                     "ist und die Straße gesperrt bleibt."),
                     GEMA_LANG_DE);
    assert_int_equal(guess_with_info("Le ministre a déclaré que le plan n'était pas prêt."),
                     GEMA_LANG_FR);
    /* Letters alone: four ñ make one point. */
    assert_int_equal(guess_with_info("Ññ ñañ ñoñ"), GEMA_LANG_ES);
    assert_int_equal(guess_with_info("ñ"), GEMA_LANG_UND);
    assert_int_equal(guess_with_info("मंत्री ने कहा कि योजना तैयार नहीं है और यह काम बाद में होगा"),
                     GEMA_LANG_HI);
    assert_int_equal(guess_with_info("1234 5678"), GEMA_LANG_UND);
    /* More tokens than the guess reads, all of them function words of two
     * languages: the counters stay exact, and the tie goes to the first. */
    test_buf b = { 0 };
    for (int i = 0; i < 500; i++) test_add(&b, "%s ", i % 2 ? "di" : "the");
    assert_int_equal(guess_with_info(b.s), GEMA_LANG_EN);
    free(b.s);
}

/* Enough distinct words to evict from every set many times over: every
 * cached answer must still be the stemmer's. */
static void test_stem_cache_eviction(void **state)
{
    (void)state;
    gema_stemmer *s, *plain;
    assert_int_equal(gema_stemmer_new(&s), GEMA_OK);
    assert_int_equal(gema_stemmer_new(&plain), GEMA_OK);
    static const char *const suffix[] = { "ing", "ed", "s", "ness", "ation", "" };
    enum { WORDS = 120000 };
    for (int round = 0; round < 2; round++)
        for (unsigned i = 0; i < WORDS; i++) {
            char w[64];
            /* Letters only, so each is one token; a few words recur often. */
            unsigned x = (i % 7 == 0) ? i % 50 : i;
            int n = snprintf(w, sizeof w, "w%c%c%c%c%s", 'a' + x % 26, 'a' + x / 26 % 26,
                             'a' + x / 676 % 26, 'a' + x / 17576 % 26, suffix[x % 6]);
            uint64_t th = XXH3_64bits(w, (size_t)n), got;
            assert_int_equal(gema_stem_hash(s, GEMA_LANG_EN, th, w, (size_t)n, &got), GEMA_OK);
            const char *st;
            size_t sl;
            assert_int_equal(gema_stem_text(plain, GEMA_LANG_EN, w, (size_t)n, &st, &sl), GEMA_OK);
            uint64_t want = (sl == (size_t)n && memcmp(st, w, sl) == 0) ? th : XXH3_64bits(st, sl);
            assert_true(got == want);
        }
    uint64_t look, miss;
    gema_stemmer_counts(s, &look, &miss);
    assert_int_equal(look, 2 * WORDS);
    assert_true(miss < look);
    gema_stemmer_free(s);
    gema_stemmer_free(plain);
}

/* The kept terms are the heaviest of all, heaviest first, ties by term. */
static void test_kept_terms(void **state)
{
    (void)state;
    test_buf b = { 0 };
    for (int i = 0; i < 400; i++)
        test_add(&b, "The w%dq report on item%d was read by %d people%s", i % 97, i % 13, i,
                 i % 5 ? " and " : ".\n");
    gema_feature_params all = { 2.0, 1.0, 2.0, 1.0, 0, 0, GEMA_LANG_UND };
    gema_idf *idf;
    assert_int_equal(gema_idf_new(&idf), GEMA_OK);
    gema_featurizer *f;
    assert_int_equal(gema_featurizer_new(&all, &f), GEMA_OK);
    gema_fvec v = { 0 }, w = { 0 };
    assert_int_equal(gema_features_extract(f, "Item report", 11, b.s, b.len, NULL, &v), GEMA_OK);
    assert_int_equal(gema_idf_add(idf, &v), GEMA_OK);
    const char *other = "A report on something else entirely, item7 and w3q.";
    assert_int_equal(gema_features_extract(f, NULL, 0, other, strlen(other), NULL, &v), GEMA_OK);
    assert_int_equal(gema_idf_add(idf, &v), GEMA_OK);
    assert_int_equal(gema_idf_freeze(idf), GEMA_OK);
    assert_int_equal(gema_features_extract(f, "Item report", 11, b.s, b.len, idf, &v), GEMA_OK);
    assert_true(v.n > 300);
    for (size_t i = 1; i < v.n; i++)
        assert_true(v.t[i - 1].w > v.t[i].w ||
                    (v.t[i - 1].w == v.t[i].w && v.t[i - 1].term < v.t[i].term));
    static const unsigned keep[] = { 1, 2, 16, 17, 33, 100, 299 };
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
        gema_feature_params p = all;
        p.max_terms = keep[k];
        gema_featurizer *g;
        assert_int_equal(gema_featurizer_new(&p, &g), GEMA_OK);
        assert_int_equal(gema_features_extract(g, "Item report", 11, b.s, b.len, idf, &w),
                         GEMA_OK);
        assert_int_equal(w.n, keep[k]);
        for (size_t i = 0; i < w.n; i++) {
            assert_true(w.t[i].term == v.t[i].term);
            assert_string_equal(w.strings.data + w.t[i].str, v.strings.data + v.t[i].str);
        }
        gema_featurizer_free(g);
    }
    gema_fvec_free(&v);
    gema_fvec_free(&w);
    gema_featurizer_free(f);
    gema_idf_free(idf);
    free(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stopword_info),
        cmocka_unit_test(test_langid_info),
        cmocka_unit_test(test_stem_cache_eviction),
        cmocka_unit_test(test_kept_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
