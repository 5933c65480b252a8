/*
 * test_survey.c - the furniture survey that decides whether a run cleans:
 * furnished sites advise cleaning, unfurnished ones and documents without
 * sites do not, a syndicated paragraph across sites is not furniture, the
 * sample covers sites stored one after another, and bad arguments.
 */
#include "testutil.h"

/* Document k of site s: a body no other document shares, with the site's
 * header and footer when furnished, and a line every site prints when
 * syndicated (a wire paragraph, not furniture). */
static void doc(test_buf *b, int s, int k, int furnished, int syndicated)
{
    test_add(b, "{\"id\":\"s%d-%d\",\"url\":\"https://site%d.example/%d\",\"text\":\"", s, k, s, k);
    if (furnished) test_add(b, "Beranda | Nasional | Daerah %c\\n", 'A' + s % 26);
    test_add(b, "Laporan nomor %d dari situs %d tentang banjir di kampung %c%c.\\n", k, s,
        'a' + k % 26, 'a' + (k / 26) % 26);
    if (syndicated) test_add(b, "Menurut kantor berita, hujan deras turun sejak pagi di seluruh provinsi.\\n");
    test_add(b, "Warga kampung %c%c%c membersihkan lumpur bersama relawan.\\n", 'a' + s % 26,
        'a' + k % 26, 'a' + (k / 26) % 26);
    if (furnished) test_add(b, "Hak cipta situs %d, semua hak dilindungi. Iklan: 021-555-%04d\\n", s, k);
    test_add(b, "\"}\n");
}

static gema_corpus *corpus_of(const test_buf *b)
{
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", b->s, b->len, GEMA_FORMAT_JSONL), GEMA_OK);
    return c;
}

/* sites x docs documents, site by site. */
static gema_clean_survey survey_of(int sites, int docs, int furnished, int syndicated, size_t sample)
{
    test_buf b = { 0 };
    for (int s = 0; s < sites; s++)
        for (int k = 0; k < docs; k++) doc(&b, s, k, furnished, syndicated);
    gema_corpus *c = corpus_of(&b);
    gema_clean_survey v;
    assert_int_equal(gema_clean_survey_run(c, sample, 0, &v), GEMA_OK);
    gema_clean_survey again;
    assert_int_equal(gema_clean_survey_run(c, sample, 0, &again), GEMA_OK);
    assert_int_equal(v.furnished, again.furnished);
    assert_int_equal(v.site_docs, again.site_docs);
    gema_corpus_free(c);
    free(b.s);
    return v;
}

static void test_furnished_sites_advise_cleaning(void **state)
{
    (void)state;
    gema_clean_survey v = survey_of(4, 10, 1, 0, 0);
    assert_int_equal(v.sampled, 40);
    assert_int_equal(v.with_site, 40);
    assert_int_equal(v.sites, 4);
    assert_int_equal(v.site_docs, 40);
    assert_int_equal(v.furnished, 40);
    assert_true(v.share == 1.0);
    assert_true(v.clean);
}

static void test_plain_sites_do_not(void **state)
{
    (void)state;
    gema_clean_survey v = survey_of(4, 10, 0, 0, 0);
    assert_int_equal(v.sites, 4);
    assert_int_equal(v.furnished, 0);
    assert_false(v.clean);
    /* A paragraph every page of every site carries repeats within each site
     * too: the survey cannot tell it from furniture and advises cleaning;
     * the cleaner then keeps it, as found in other sites (test_clean.c). */
    v = survey_of(4, 10, 0, 1, 0);
    assert_true(v.clean);
}

static void test_without_sites_nothing_testifies(void **state)
{
    (void)state;
    test_buf b = { 0 };
    for (int k = 0; k < 20; k++)
        test_add(&b, "{\"id\":\"%d\",\"text\":\"Beranda | Nasional\\nBerita nomor %c%c.\\nHak cipta.\\n\"}\n", k,
            'a' + k % 26, 'a' + k / 26);
    gema_corpus *c = corpus_of(&b);
    gema_clean_survey v;
    assert_int_equal(gema_clean_survey_run(c, 0, 0, &v), GEMA_OK);
    assert_int_equal(v.sampled, 20);
    assert_int_equal(v.with_site, 0);
    assert_int_equal(v.sites, 0);
    assert_true(v.share == 0.0);
    assert_false(v.clean);
    gema_corpus_free(c);
    free(b.s);
    /* Two documents of a site are not enough to tell furniture. */
    gema_clean_survey two = survey_of(5, 2, 1, 0, 0);
    assert_int_equal(two.sites, 0);
    assert_false(two.clean);
}

/* 300 sites of 20 pages stored site by site, sampled 256 records: a stride
 * alone meets no site more than once; the runs of consecutive records see
 * the furniture. */
static void test_sample_sees_sites_stored_in_order(void **state)
{
    (void)state;
    gema_clean_survey v = survey_of(300, 20, 1, 0, 256);
    assert_true(v.sampled <= 256 && v.sampled >= 200);
    assert_true(v.sites >= 2);
    assert_true(v.share > 0.9);
    assert_true(v.clean);
    v = survey_of(300, 20, 0, 0, 256);
    assert_true(v.sites >= 2);
    assert_false(v.clean);
}

static void test_arguments(void **state)
{
    (void)state;
    gema_clean_survey v;
    assert_int_equal(gema_clean_survey_run(NULL, 0, 0, &v), GEMA_ERR_ARG);
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_clean_survey_run(c, 0, 0, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_clean_survey_run(c, 0, 0, &v), GEMA_OK); /* empty corpus */
    assert_int_equal(v.sampled, 0);
    assert_false(v.clean);
    gema_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_furnished_sites_advise_cleaning),
        cmocka_unit_test(test_plain_sites_do_not),
        cmocka_unit_test(test_without_sites_nothing_testifies),
        cmocka_unit_test(test_sample_sees_sites_stored_in_order),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
