/*
 * test_passages.c - the public passages API (gema_passages_run and its
 * accessors) on tests/data/passages/news.jsonl: six short Indonesian news
 * items in which a wire paragraph is reposted whole and edited, and a quote
 * travels through four sites, one of them undated.
 */
#include "testutil.h"

enum { WIRE2, WIRE1, DAILY1, OTHER, SPAM1, BLOG1, NDOCS };

static gema_corpus *load(const char *extra)
{
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_path(c, TEST_DATA("passages/news.jsonl")), GEMA_OK);
    if (extra)
        assert_int_equal(gema_corpus_add_memory(c, "extra.jsonl", extra, strlen(extra),
                                                GEMA_FORMAT_JSONL), GEMA_OK);
    return c;
}

static gema_passages *run_mem(const gema_corpus *c, unsigned threads, unsigned shards, int cross,
                              size_t memory)
{
    gema_passages_options o;
    gema_passages_options_default(&o);
    if (memory) o.index_memory = memory;
    o.threads = threads;
    o.shards = shards;
    o.cross_site_only = cross;
    gema_passages *p = NULL;
    assert_int_equal(gema_passages_run(c, &o, &p), GEMA_OK);
    return p;
}

static gema_passages *run(const gema_corpus *c, unsigned threads, unsigned shards, int cross)
{
    return run_mem(c, threads, shards, cross, 0);
}

static void same_passages(const gema_passages *a, const gema_passages *b)
{
    assert_int_equal(gema_passages_count(a), gema_passages_count(b));
    for (size_t k = 0; k < gema_passages_count(a); k++) {
        gema_passage x, y;
        assert_int_equal(gema_passages_get(a, k, &x), GEMA_OK);
        assert_int_equal(gema_passages_get(b, k, &y), GEMA_OK);
        assert_memory_equal(&x.a, &y.a, sizeof x.a);
        assert_memory_equal(&x.b, &y.b, sizeof x.b);
        assert_true(x.score == y.score && x.group == y.group && x.cls == y.cls);
    }
}

static void test_passages_found(void **state)
{
    (void)state;
    gema_corpus *c = load(NULL);
    gema_passages *p = run(c, 1, 0, 0);
    assert_int_equal(gema_passages_count(p), 9);
    gema_passage prev, ps;
    int wire_daily = 0;
    for (size_t k = 0; k < gema_passages_count(p); k++) {
        assert_int_equal(gema_passages_get(p, k, &ps), GEMA_OK);
        assert_true(ps.a.doc < ps.b.doc);
        assert_true(ps.score > 0.3 && ps.score <= 1.0);
        assert_true(ps.a.words >= 15 && ps.b.words >= 15);
        if (k) /* ascending (a.doc, b.doc, a.start, b.start) */
            assert_true(prev.a.doc < ps.a.doc ||
                        (prev.a.doc == ps.a.doc && (prev.b.doc < ps.b.doc ||
                         (prev.b.doc == ps.b.doc && prev.a.start <= ps.a.start))));
        prev = ps;
        if (ps.a.doc == WIRE2 && ps.b.doc == WIRE1) {
            assert_int_equal(ps.cls, GEMA_CLASS_SAME_SITE);
            assert_int_equal(ps.earlier, GEMA_EARLIER_A);
        }
        if (ps.b.doc == BLOG1) assert_int_equal(ps.earlier, GEMA_EARLIER_NONE);
        if (ps.a.doc == WIRE1 && ps.b.doc == DAILY1) {
            wire_daily++;
            /* The edited paragraph, whole: code points and words. */
            assert_int_equal(ps.a.start, 11);
            assert_int_equal(ps.a.end, 320);
            assert_int_equal(ps.b.start, 108);
            assert_int_equal(ps.b.end, 385);
            assert_int_equal(ps.a.words, 43);
            assert_int_equal(ps.b.words, 37);
            assert_int_equal(ps.matched, 36);
            assert_int_equal(ps.cls, GEMA_CLASS_CROSS_SITE);
            assert_int_equal(ps.earlier, GEMA_EARLIER_A);
        }
        assert_true(ps.a.doc != OTHER && ps.b.doc != OTHER);
    }
    assert_int_equal(wire_daily, 1);
    assert_int_equal(gema_passages_get(p, 9, &ps), GEMA_ERR_RANGE);
    gema_passages_doc info;
    assert_int_equal(gema_passages_doc_info(p, OTHER, &info), GEMA_OK);
    assert_int_equal(info.passages, 0);
    assert_int_equal(info.reject, GEMA_REJECT_NONE);
    assert_int_equal(gema_passages_doc_info(p, SPAM1, &info), GEMA_OK);
    assert_int_equal(info.passages, 5); /* wire-2, wire-1 (twice), daily-1, blog-1 */
    gema_passages_stats st;
    gema_passages_stats_get(p, &st);
    assert_int_equal(st.documents, NDOCS);
    assert_int_equal(st.passages, 9);
    assert_int_equal(st.docs_with_passages, 5);
    gema_passages_free(p);
    gema_corpus_free(c);
}

static void test_groups_by_first_appearance(void **state)
{
    (void)state;
    gema_corpus *c = load(NULL);
    gema_passages *p = run(c, 1, 0, 0);
    assert_int_equal(gema_passages_group_count(p), 2);
    gema_passage_group g;
    /* The quote first appeared on 28 February; the undated blog is last. */
    assert_int_equal(gema_passages_group_get(p, 0, &g), GEMA_OK);
    assert_int_equal(g.size, 4);
    assert_int_equal(g.documents, 4);
    assert_int_equal(g.occ[0].doc, WIRE2);
    assert_int_equal(g.occ[1].doc, WIRE1);
    assert_int_equal(g.occ[2].doc, SPAM1);
    assert_int_equal(g.occ[3].doc, BLOG1);
    assert_true(g.occ[3].time == GEMA_TIME_NONE);
    assert_true(g.occ[0].time < g.occ[1].time && g.occ[1].time < g.occ[2].time);
    assert_int_equal(gema_passages_group_get(p, 1, &g), GEMA_OK);
    assert_int_equal(g.size, 3);
    assert_int_equal(g.occ[0].doc, WIRE1);
    assert_int_equal(gema_passages_group_get(p, 2, &g), GEMA_ERR_RANGE);
    gema_passage ps;
    for (size_t k = 0; k < gema_passages_count(p); k++) {
        assert_int_equal(gema_passages_get(p, k, &ps), GEMA_OK);
        assert_true(ps.group < 2);
    }
    gema_passages_free(p);
    gema_corpus_free(c);
}

/* Threads never change the result.  Shards may (a candidate needs its
 * shared n-grams to cluster within one shard; see doc/BENCHMARKS.md), but
 * not for passages as long as these, which keep enough n-grams in each of
 * 8 shards. */
static void test_same_result_any_threads_or_shards(void **state)
{
    (void)state;
    gema_corpus *c = load(NULL);
    gema_passages *a = run(c, 1, 1, 0), *b = run(c, 2, 8, 0);
    same_passages(a, b);
    gema_passages_stats st;
    gema_passages_stats_get(b, &st);
    assert_int_equal(st.shards, 8);
    /* The same 8 shards with a budget too small to keep the n-grams between
     * passes (each pass tokenises again): same result. */
    gema_passages *d = run_mem(c, 2, 8, 0, 1);
    same_passages(a, d);
    /* A one-byte budget plans the most shards, 256, and indexes every
     * n-gram (the default window when sharded): a passage of 27 words has
     * about one n-gram per shard, so pairs may be lost (the documented cost
     * of many shards) -- but what is found is found exactly as with one
     * shard. */
    gema_passages *e = run_mem(c, 1, 0, 0, 1);
    gema_passages_stats_get(e, &st);
    assert_int_equal(st.shards, 256);
    assert_int_equal(st.window, 1);
    assert_true(gema_passages_count(e) <= gema_passages_count(a));
    for (size_t k = 0; k < gema_passages_count(e); k++) {
        gema_passage x, y;
        int found = 0;
        assert_int_equal(gema_passages_get(e, k, &x), GEMA_OK);
        for (size_t m = 0; m < gema_passages_count(a) && !found; m++) {
            assert_int_equal(gema_passages_get(a, m, &y), GEMA_OK);
            found = !memcmp(&x.a, &y.a, sizeof x.a) && !memcmp(&x.b, &y.b, sizeof x.b);
        }
        assert_true(found);
    }
    gema_passages_free(a);
    gema_passages_free(b);
    gema_passages_free(d);
    gema_passages_free(e);
    gema_corpus_free(c);
}

static void test_cross_site_only_and_rejects(void **state)
{
    (void)state;
    gema_corpus *c = load("{\"id\":\"broken\",\"text\":\"no end\"\n{\"id\":\"no-text\"}\n");
    gema_passages *p = run(c, 1, 0, 1);
    assert_int_equal(gema_passages_count(p), 8);
    gema_passages_stats st;
    gema_passages_stats_get(p, &st);
    assert_int_equal(st.skipped_same_site, 1);
    assert_int_equal(st.records, NDOCS + 2);
    assert_int_equal(st.rejected, 2);
    assert_int_equal(st.rejected_by[GEMA_REJECT_MALFORMED_JSON], 1);
    assert_int_equal(st.rejected_by[GEMA_REJECT_MISSING_TEXT], 1);
    gema_passages_doc info;
    assert_int_equal(gema_passages_doc_info(p, NDOCS, &info), GEMA_OK);
    assert_int_equal(info.reject, GEMA_REJECT_MALFORMED_JSON);
    assert_int_equal(gema_passages_doc_info(p, NDOCS + 2, &info), GEMA_ERR_RANGE);
    gema_passage ps;
    for (size_t k = 0; k < gema_passages_count(p); k++) {
        assert_int_equal(gema_passages_get(p, k, &ps), GEMA_OK);
        assert_int_equal(ps.cls, GEMA_CLASS_CROSS_SITE);
    }
    gema_passages_free(p);
    gema_corpus_free(c);
}

static void test_bad_options(void **state)
{
    (void)state;
    gema_corpus *c = load(NULL);
    gema_passages_options o;
    gema_passages *p = NULL;
    gema_passages_options_default(&o);
    o.min_similarity = 2.0;
    assert_int_equal(gema_passages_run(c, &o, &p), GEMA_ERR_ARG);
    gema_passages_options_default(&o);
    o.ngram = 0;
    assert_int_equal(gema_passages_run(c, &o, &p), GEMA_ERR_ARG);
    assert_null(p);
    gema_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passages_found),
        cmocka_unit_test(test_groups_by_first_appearance),
        cmocka_unit_test(test_same_result_any_threads_or_shards),
        cmocka_unit_test(test_cross_site_only_and_rejects),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
