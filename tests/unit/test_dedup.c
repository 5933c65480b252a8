/*
 * test_dedup.c - gema_dedup_run at library level: exact groups, near groups,
 * the chaining guard, keep policies, containment, rejects, the invariant
 * that every record ends in exactly one state, and identical results at 1,
 * 2 and 4 threads.
 *
 * Documents are built from numbered words with shingles of one word, so the
 * Jaccard similarity of two documents is known exactly from the words they
 * share.  Bands and rows are given explicitly (32 x 4: a pair at J 0.67 is
 * a candidate with probability 0.999) so the tests do not depend on the
 * default LSH weights, which are being tuned.
 */
#include "testutil.h"

#include <math.h>

#include "common.h"
#include "dedup.h"

/* Append a JSONL record whose text is the words w<from> .. w<to-1>, with an
 * optional prefix (to make exact duplicates differ in case and punctuation)
 * and date. */
static void add_doc(gema_buf *b, const char *id, int from, int to, const char *prefix,
                    const char *date)
{
    char tmp[64];
    gema_buf_append(b, "{\"id\":\"", 7);
    gema_buf_append(b, id, strlen(id));
    gema_buf_append(b, "\",", 2);
    if (date) {
        snprintf(tmp, sizeof tmp, "\"date\":\"%s\",", date);
        gema_buf_append(b, tmp, strlen(tmp));
    }
    gema_buf_append(b, "\"text\":\"", 8);
    if (prefix) gema_buf_append(b, prefix, strlen(prefix));
    for (int w = from; w < to; w++) {
        snprintf(tmp, sizeof tmp, w + 1 < to ? "w%d " : "w%d", w);
        gema_buf_append(b, tmp, strlen(tmp));
    }
    gema_buf_append(b, "\"}\n", 3);
}

static gema_corpus *corpus_of(const gema_buf *b, size_t max_doc_bytes)
{
    gema_corpus_options o;
    gema_corpus_options_default(&o);
    if (max_doc_bytes) o.max_doc_bytes = max_doc_bytes;
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(&o, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "test.jsonl", b->data, b->len, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    return c;
}

static void options(gema_dedup_options *o, double threshold)
{
    gema_dedup_options_default(o);
    o->shingle = 1;
    o->threshold = threshold;
    o->num_hashes = 128;
    o->bands = 32;
    o->rows = 4;
}

/* Every record in exactly one state, and clusters consistent with it. */
static void check_invariants(const gema_corpus *c, const gema_dedup *d)
{
    size_t n = gema_corpus_count(c);
    gema_dedup_stats st;
    gema_dedup_stats_get(d, &st);
    assert_int_equal(st.records, n);
    size_t kept = 0, dup = 0, rej = 0, exact = 0;
    size_t *in_cluster = calloc(n ? n : 1, sizeof *in_cluster);
    assert_non_null(in_cluster);
    for (size_t k = 0; k < gema_dedup_cluster_count(d); k++) {
        gema_dedup_cluster cl;
        assert_int_equal(gema_dedup_cluster_get(d, k, &cl), GEMA_OK);
        assert_true(cl.size >= 2);
        int has_rep = 0;
        for (size_t i = 0; i < cl.size; i++) {
            assert_true(cl.members[i] < n);
            if (i) assert_true(cl.members[i - 1] < cl.members[i]); /* input order */
            assert_int_equal(in_cluster[cl.members[i]], 0);          /* in one cluster only */
            in_cluster[cl.members[i]] = k + 1;
            has_rep |= cl.members[i] == cl.representative;
        }
        assert_true(has_rep);
        /* Clusters are numbered in input order of their first member. */
        if (k) {
            gema_dedup_cluster prev;
            gema_dedup_cluster_get(d, k - 1, &prev);
            assert_true(prev.members[0] < cl.members[0]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        gema_dedup_doc di;
        assert_int_equal(gema_dedup_doc_info(d, i, &di), GEMA_OK);
        switch (di.state) {
        case GEMA_DOC_KEPT:
            kept++;
            if (in_cluster[i]) {
                assert_int_equal(di.cluster, in_cluster[i] - 1);
                assert_int_equal(di.representative, i);
            } else {
                assert_true(di.cluster == SIZE_MAX);
            }
            break;
        case GEMA_DOC_DUPLICATE: {
            dup++;
            exact += di.exact != 0;
            assert_true(in_cluster[i] != 0);
            assert_int_equal(di.cluster, in_cluster[i] - 1);
            gema_dedup_doc rep;
            assert_int_equal(gema_dedup_doc_info(d, di.representative, &rep), GEMA_OK);
            assert_int_equal(rep.state, GEMA_DOC_KEPT);
            assert_int_equal(rep.cluster, di.cluster);
            assert_true(di.similarity > 0.0 && di.similarity <= 1.0);
            break;
        }
        case GEMA_DOC_REJECTED:
            rej++;
            assert_int_equal(in_cluster[i], 0);
            assert_true(di.reject != GEMA_REJECT_NONE);
            break;
        default:
            fail();
        }
    }
    assert_int_equal(kept + dup + rej, n);
    assert_int_equal(st.kept, kept);
    assert_int_equal(st.exact_duplicates + st.near_duplicates, dup);
    assert_int_equal(st.exact_duplicates, exact);
    assert_int_equal(st.rejected, rej);
    assert_int_equal(st.clusters, gema_dedup_cluster_count(d));
    uint64_t by = 0;
    for (int r = 0; r < 8; r++) by += st.rejected_by[r];
    assert_int_equal(by, rej);
    gema_dedup_doc bad;
    assert_int_equal(gema_dedup_doc_info(d, n, &bad), GEMA_ERR_RANGE);
    free(in_cluster);
}

static gema_dedup *run(const gema_corpus *c, const gema_dedup_options *o)
{
    gema_dedup *d = NULL;
    assert_int_equal(gema_dedup_run(c, o, &d), GEMA_OK);
    check_invariants(c, d);
    return d;
}

static gema_dedup_doc info(const gema_dedup *d, size_t i)
{
    gema_dedup_doc di;
    assert_int_equal(gema_dedup_doc_info(d, i, &di), GEMA_OK);
    return di;
}

static void test_exact_groups(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "a", 0, 50, NULL, NULL);
    add_doc(&b, "other", 100, 150, NULL, NULL);
    add_doc(&b, "a-shout", 0, 50, "!! ", NULL);   /* same words after folding */
    add_doc(&b, "a-again", 0, 50, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    options(&o, 0.7);
    gema_dedup *d = run(c, &o);
    assert_int_equal(gema_dedup_cluster_count(d), 1);
    assert_int_equal(info(d, 0).state, GEMA_DOC_KEPT);
    assert_int_equal(info(d, 1).state, GEMA_DOC_KEPT);
    assert_true(info(d, 1).cluster == SIZE_MAX);
    for (size_t i = 2; i < 4; i++) {
        gema_dedup_doc di = info(d, i);
        assert_int_equal(di.state, GEMA_DOC_DUPLICATE);
        assert_int_equal(di.representative, 0);
        assert_int_equal(di.exact, 1);
        assert_true(di.similarity == 1.0);
    }
    gema_dedup_stats st;
    gema_dedup_stats_get(d, &st);
    assert_int_equal(st.exact_duplicates, 2);
    assert_int_equal(st.near_duplicates, 0);
    gema_dedup_free(d);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

/* A ~ B and B ~ C at J 0.67, A ~ C at J 0.43, threshold 0.6: one cluster
 * {A, B} and C on its own, never {A, B, C}. */
static void test_chaining_guard(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "A", 0, 100, NULL, NULL);
    add_doc(&b, "B", 20, 120, NULL, NULL);
    add_doc(&b, "C", 40, 140, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    options(&o, 0.6);
    for (int scheme = 0; scheme < 2; scheme++) {
        o.scheme = (gema_minhash_scheme)scheme;
        gema_dedup *d = run(c, &o);
        gema_dedup_doc a = info(d, 0), bb = info(d, 1), cc = info(d, 2);
        assert_int_equal(a.state, GEMA_DOC_KEPT);
        assert_int_equal(bb.state, GEMA_DOC_DUPLICATE);
        assert_int_equal(bb.representative, 0);
        assert_int_equal(bb.exact, 0);
        assert_true(fabs(bb.similarity - 80.0 / 120.0) < 1e-6);
        assert_int_equal(cc.state, GEMA_DOC_KEPT);
        assert_true(cc.cluster == SIZE_MAX);
        assert_int_equal(gema_dedup_cluster_count(d), 1);
        gema_dedup_stats st;
        gema_dedup_stats_get(d, &st);
        assert_int_equal(st.near_duplicates, 1);
        assert_true(st.verified_pairs >= 1);
        gema_dedup_free(d);
    }
    gema_corpus_free(c);
    gema_buf_free(&b);
}

/* A longer chain, A0 ~ A1 ~ ... ~ A7 with each step J 0.82 and the ends far
 * apart: every cluster's members reach the threshold against its
 * representative. */
static void test_long_chain_split(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    char id[16];
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "A%d", i);
        add_doc(&b, id, i * 10, i * 10 + 100, NULL, NULL);
    }
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    options(&o, 0.7);
    gema_dedup *d = run(c, &o);
    assert_true(gema_dedup_cluster_count(d) >= 2);
    for (size_t i = 0; i < 8; i++) {
        gema_dedup_doc di = info(d, i);
        if (di.state != GEMA_DOC_DUPLICATE) continue;
        /* Shifted by 10 words per step: J = (100 - s) / (100 + s). */
        double s = 10.0 * (double)(i > di.representative ? i - di.representative
                                                         : di.representative - i);
        assert_true((100 - s) / (100 + s) >= 0.7 - 1e-9);
        assert_true(fabs(di.similarity - (100 - s) / (100 + s)) < 1e-6);
    }
    gema_dedup_stats st;
    gema_dedup_stats_get(d, &st);
    assert_true(st.chain_splits >= 1);
    gema_dedup_free(d);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

static void test_keep_policies(void **state)
{
    (void)state;
    /* Three near copies: 0 first, 1 longest, 2 earliest; 3 undated copy. */
    gema_buf b = { 0 };
    add_doc(&b, "first", 0, 100, NULL, "2021-12-16");
    add_doc(&b, "longest", 0, 110, NULL, "2021-12-17");
    add_doc(&b, "earliest", 5, 100, NULL, "2021-12-15T23:00:00Z");
    add_doc(&b, "undated", 0, 95, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    options(&o, 0.8);
    const struct { gema_keep keep; size_t rep; } cases[] = {
        { GEMA_KEEP_FIRST, 0 }, { GEMA_KEEP_LONGEST, 1 }, { GEMA_KEEP_EARLIEST, 2 },
    };
    for (size_t k = 0; k < 3; k++) {
        o.keep = cases[k].keep;
        gema_dedup *d = run(c, &o);
        assert_int_equal(gema_dedup_cluster_count(d), 1);
        gema_dedup_cluster cl;
        gema_dedup_cluster_get(d, 0, &cl);
        assert_int_equal(cl.size, 4);
        assert_int_equal(cl.representative, cases[k].rep);
        for (size_t i = 0; i < 4; i++) {
            gema_dedup_doc di = info(d, i);
            assert_int_equal(di.state, i == cases[k].rep ? GEMA_DOC_KEPT : GEMA_DOC_DUPLICATE);
            assert_int_equal(di.representative, cases[k].rep);
        }
        gema_dedup_free(d);
    }
    gema_corpus_free(c);
    gema_buf_free(&b);
}

/* A short text inside a long one: Jaccard 0.3, containment 1. */
static void test_containment(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "long", 0, 100, NULL, NULL);
    add_doc(&b, "part", 10, 40, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    options(&o, 0.8);
    gema_dedup *d = run(c, &o);
    assert_int_equal(gema_dedup_cluster_count(d), 0);
    gema_dedup_free(d);
    o.similarity = GEMA_SIM_CONTAINMENT;
    o.bands = 128; /* one row per band: MinHash of nested sets agrees often enough */
    o.rows = 1;
    d = run(c, &o);
    assert_int_equal(gema_dedup_cluster_count(d), 1);
    gema_dedup_doc di = info(d, 1);
    assert_int_equal(di.state, GEMA_DOC_DUPLICATE);
    assert_int_equal(di.representative, 0);
    assert_true(fabs(di.similarity - 1.0) < 1e-9);
    gema_dedup_free(d);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

static void test_rejects(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "ok", 0, 50, NULL, NULL);
    const char *bad = "{not json\n"
                      "[1,2]\n"
                      "{\"id\":\"notext\"}\n"
                      "{\"id\":\"num\",\"text\":42}\n";
    gema_buf_append(&b, bad, strlen(bad));
    add_doc(&b, "big", 0, 400, NULL, NULL); /* over the 1000-byte limit below */
    add_doc(&b, "copy", 0, 50, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 1000);
    gema_dedup_options o;
    options(&o, 0.7);
    gema_dedup *d = run(c, &o);
    const gema_reject want[7] = { GEMA_REJECT_NONE, GEMA_REJECT_MALFORMED_JSON,
                                  GEMA_REJECT_NOT_OBJECT, GEMA_REJECT_MISSING_TEXT,
                                  GEMA_REJECT_TEXT_NOT_STRING, GEMA_REJECT_TOO_BIG,
                                  GEMA_REJECT_NONE };
    for (size_t i = 0; i < 7; i++) {
        gema_dedup_doc di = info(d, i);
        if (want[i] == GEMA_REJECT_NONE) {
            assert_true(di.state != GEMA_DOC_REJECTED);
        } else {
            assert_int_equal(di.state, GEMA_DOC_REJECTED);
            assert_int_equal(di.reject, want[i]);
        }
    }
    assert_int_equal(info(d, 6).state, GEMA_DOC_DUPLICATE);
    gema_dedup_stats st;
    gema_dedup_stats_get(d, &st);
    assert_int_equal(st.rejected, 5);
    assert_int_equal(st.rejected_by[GEMA_REJECT_MALFORMED_JSON], 1);
    assert_int_equal(st.rejected_by[GEMA_REJECT_TOO_BIG], 1);
    gema_dedup_free(d);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

static uint64_t rng = 0x1234567ULL;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 20);
}

/* Results are the same at 1, 2 and 4 threads, and across runs. */
static void test_determinism_across_threads(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    char id[32];
    /* 300 documents: 60 bases of 80 words, each copied 0-6 times with a
     * random shift of up to 25 words (J from 1 down to 0.52). */
    int n = 0;
    for (int base = 0; base < 60 && n < 300; base++) {
        int from = base * 1000;
        snprintf(id, sizeof id, "b%d", base);
        add_doc(&b, id, from, from + 80, NULL, NULL);
        n++;
        int copies = (int)(next_rand() % 7);
        for (int k = 0; k < copies && n < 300; k++, n++) {
            int shift = (int)(next_rand() % 26);
            snprintf(id, sizeof id, "b%d-%d", base, k);
            add_doc(&b, id, from + shift, from + 80 + (int)(next_rand() % 5), NULL, NULL);
        }
    }
    gema_corpus *c = corpus_of(&b, 0);
    size_t records = gema_corpus_count(c);
    gema_dedup_options o;
    options(&o, 0.7);
    gema_dedup *ref = NULL;
    const unsigned threads[4] = { 1, 2, 4, 1 };
    for (int t = 0; t < 4; t++) {
        o.threads = threads[t];
        gema_dedup *d = run(c, &o);
        if (!ref) {
            ref = d;
            assert_true(gema_dedup_cluster_count(ref) > 10);
            continue;
        }
        assert_int_equal(gema_dedup_cluster_count(d), gema_dedup_cluster_count(ref));
        for (size_t i = 0; i < records; i++) {
            gema_dedup_doc x = info(d, i), y = info(ref, i);
            assert_int_equal(x.state, y.state);
            assert_int_equal(x.cluster, y.cluster);
            assert_int_equal(x.representative, y.representative);
            assert_true(x.similarity == y.similarity);
            assert_int_equal(x.exact, y.exact);
        }
        assert_int_equal(gema_dedup_pair_count(d), gema_dedup_pair_count(ref));
        for (size_t k = 0; k < gema_dedup_pair_count(d); k++) {
            size_t a1, b1, a2, b2;
            double s1, s2;
            assert_int_equal(gema_dedup_pair_get(d, k, &a1, &b1, &s1), GEMA_OK);
            assert_int_equal(gema_dedup_pair_get(ref, k, &a2, &b2, &s2), GEMA_OK);
            assert_true(a1 == a2 && b1 == b2 && s1 == s2);
            /* Similarities are kept as float (4 bytes a pair): a pair at
             * exactly J 0.7 reads back as 0.69999998807907104. */
            assert_true(a1 < b1 && s1 >= 0.7 - 1e-6);
        }
        gema_dedup_stats s1, s2;
        gema_dedup_stats_get(d, &s1);
        gema_dedup_stats_get(ref, &s2);
        assert_int_equal(s1.kept, s2.kept);
        assert_int_equal(s1.near_duplicates, s2.near_duplicates);
        assert_int_equal(s1.candidate_pairs, s2.candidate_pairs);
        assert_int_equal(s1.chain_splits, s2.chain_splits);
        gema_dedup_free(d);
    }
    gema_dedup_free(ref);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

/* gema_dedup_run_each: the callback sees every record once, as read, on a
 * thread below the thread count; the result is that of gema_dedup_run; a
 * failing callback stops the run with its status. */
typedef struct {
    unsigned char calls[8];
    int64_t time[8];
    int reject[8];
    unsigned threads, bad_thread;
    size_t fail_at;
} each_log;

static int each_record(void *user, size_t i, const gema_doc *doc, unsigned thread)
{
    each_log *l = user;
    if (i == l->fail_at) return GEMA_ERR_IO;
    if (thread >= l->threads) l->bad_thread = 1;
    if (i < 8) {
        l->calls[i]++;
        l->time[i] = doc->time;
        l->reject[i] = doc->reject;
    }
    return GEMA_OK;
}

static void test_run_each(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "a", 0, 40, NULL, "2021-12-16");
    add_doc(&b, "b", 0, 40, "The ", NULL);
    gema_buf_append(&b, "{\"id\":\"bad\"\n", 12);
    add_doc(&b, "c", 100, 140, NULL, "2021-12-18");
    add_doc(&b, "d", 2, 41, NULL, "2021-12-17");
    gema_corpus *c = corpus_of(&b, 0);
    assert_int_equal(gema_corpus_count(c), 5);
    gema_dedup_options o;
    options(&o, 0.7);
    gema_dedup *ref = run(c, &o);
    for (unsigned t = 1; t <= 2; t++) {
        o.threads = t;
        each_log l;
        memset(&l, 0, sizeof l);
        l.threads = t;
        l.fail_at = SIZE_MAX;
        gema_dedup *d = NULL;
        assert_int_equal(gema_dedup_run_each(c, &o, each_record, &l, &d), GEMA_OK);
        assert_int_equal(l.bad_thread, 0);
        for (size_t i = 0; i < 5; i++) {
            assert_int_equal(l.calls[i], 1);
            gema_dedup_doc x = info(d, i), y = info(ref, i);
            assert_int_equal(x.state, y.state);
            assert_int_equal(x.representative, y.representative);
            assert_int_equal(x.reject, l.reject[i]);
        }
        assert_true(l.time[1] == GEMA_TIME_NONE && l.time[0] != GEMA_TIME_NONE);
        assert_true(l.time[0] < l.time[4] && l.time[4] < l.time[3]);
        assert_int_equal(l.reject[2], GEMA_REJECT_MALFORMED_JSON);
        gema_dedup_free(d);
        l.fail_at = 3;
        d = NULL;
        assert_int_equal(gema_dedup_run_each(c, &o, each_record, &l, &d), GEMA_ERR_IO);
        assert_null(d);
    }
    gema_dedup_free(ref);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

static void test_bad_options(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    add_doc(&b, "a", 0, 10, NULL, NULL);
    gema_corpus *c = corpus_of(&b, 0);
    gema_dedup_options o;
    gema_dedup *d = NULL;
    options(&o, 0.0);
    assert_int_equal(gema_dedup_run(c, &o, &d), GEMA_ERR_ARG);
    options(&o, 1.5);
    assert_int_equal(gema_dedup_run(c, &o, &d), GEMA_ERR_ARG);
    options(&o, 0.7);
    o.shingle = 0;
    assert_int_equal(gema_dedup_run(c, &o, &d), GEMA_ERR_ARG);
    options(&o, 0.7);
    o.bands = 64; /* 64 x 4 > 128 hashes */
    assert_int_equal(gema_dedup_run(c, &o, &d), GEMA_ERR_ARG);
    assert_null(d);
    assert_int_equal(gema_dedup_run(NULL, &o, &d), GEMA_ERR_ARG);
    gema_corpus_free(c);
    gema_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_groups),
        cmocka_unit_test(test_chaining_guard),
        cmocka_unit_test(test_long_chain_split),
        cmocka_unit_test(test_keep_policies),
        cmocka_unit_test(test_containment),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_determinism_across_threads),
        cmocka_unit_test(test_run_each),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
