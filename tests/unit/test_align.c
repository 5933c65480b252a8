/*
 * test_align.c - seeded local alignment over token sequences (lib/align.c)
 * and its public face, gema_align_texts().  Token sequences are small
 * integers standing for word hashes, so the expected spans can be counted
 * by hand.
 */
#include "testutil.h"

#include "align.h"

static gema_align_params params(void)
{
    gema_align_params p;
    p.seed_words = 3;
    p.max_repeat = 10;
    p.xdrop = 16;
    p.min_fragment = 10;
    p.max_gap = 30;
    p.min_words = 15;
    p.min_similarity = 0.3;
    p.seed = 42;
    return p;
}

/* Tokens 1000 + i: distinct "words" that occur nowhere else. */
static void fill_unique(uint64_t *t, size_t n, uint64_t base)
{
    for (size_t i = 0; i < n; i++) t[i] = base + i;
}

static size_t run_pair(gema_aligner *al, const gema_align_params *p, const uint64_t *a,
                       size_t na, const uint64_t *b, size_t nb)
{
    assert_int_equal(gema_aligner_set_a(al, p, a, na), GEMA_OK);
    assert_int_equal(gema_aligner_run(al, p, b, nb), GEMA_OK);
    return al->nout;
}

static void test_verbatim_passage_found_whole(void **state)
{
    (void)state;
    /* A = 40 own words, 30 shared, 40 own; B = 20 own, the 30, 10 own. */
    uint64_t a[110], b[60];
    fill_unique(a, 110, 1000);
    fill_unique(b, 60, 5000);
    for (size_t i = 0; i < 30; i++) b[20 + i] = a[40 + i];
    gema_align_params p = params();
    gema_aligner al;
    gema_aligner_init(&al);
    assert_int_equal(run_pair(&al, &p, a, 110, b, 60), 1);
    const gema_span_pair *s = &al.out[0];
    assert_int_equal(s->a0, 40);
    assert_int_equal(s->a1, 70);
    assert_int_equal(s->b0, 20);
    assert_int_equal(s->b1, 50);
    assert_int_equal(s->matches, 30);
    assert_int_equal(s->score, 30 * GEMA_ALIGN_MATCH);
    gema_aligner_free(&al);
}

static void test_small_edits_do_not_split(void **state)
{
    (void)state;
    /* 60 shared words with one word changed every 12 and a 4-word clause
     * dropped from B: still one passage spanning all of it. */
    uint64_t a[60], b[56];
    fill_unique(a, 60, 1000);
    size_t nb = 0;
    for (size_t i = 0; i < 60; i++) {
        if (i >= 30 && i < 34) continue; /* dropped clause */
        b[nb++] = (i % 12 == 6) ? 9000 + i : a[i];
    }
    assert_int_equal(nb, 56);
    gema_align_params p = params();
    gema_aligner al;
    gema_aligner_init(&al);
    assert_int_equal(run_pair(&al, &p, a, 60, b, nb), 1);
    const gema_span_pair *s = &al.out[0];
    assert_int_equal(s->a0, 0);
    assert_int_equal(s->a1, 60);
    assert_int_equal(s->b0, 0);
    assert_int_equal(s->b1, 56);
    /* 60 words, 4 dropped, 5 changed (6, 18, 30 is dropped, 42, 54). */
    assert_int_equal(s->matches, 60 - 4 - 4);
    gema_aligner_free(&al);
}

static void test_unrelated_and_short(void **state)
{
    (void)state;
    uint64_t a[50], b[50];
    fill_unique(a, 50, 1000);
    fill_unique(b, 50, 5000);
    gema_align_params p = params();
    gema_aligner al;
    gema_aligner_init(&al);
    assert_int_equal(run_pair(&al, &p, a, 50, b, 50), 0);
    /* 10 shared words: a seed, but shorter than min_words. */
    for (size_t i = 0; i < 10; i++) b[5 + i] = a[20 + i];
    assert_int_equal(run_pair(&al, &p, a, 50, b, 50), 0);
    p.min_words = 10;
    assert_int_equal(run_pair(&al, &p, a, 50, b, 50), 1);
    assert_int_equal(al.out[0].a1 - al.out[0].a0, 10);
    /* Empty and tiny inputs. */
    assert_int_equal(run_pair(&al, &p, a, 0, b, 50), 0);
    assert_int_equal(run_pair(&al, &p, a, 2, b, 2), 0);
    gema_aligner_free(&al);
}

static void test_repeated_seeds_ignored(void **state)
{
    (void)state;
    /* A run of the same three words 20 times in both (page furniture): no
     * passage, since those seeds repeat more than max_repeat times. */
    uint64_t a[80], b[80];
    fill_unique(a, 80, 1000);
    fill_unique(b, 80, 5000);
    for (size_t i = 0; i < 60; i++) a[i] = b[i] = 7 + i % 3;
    gema_align_params p = params();
    gema_aligner al;
    gema_aligner_init(&al);
    assert_int_equal(run_pair(&al, &p, a, 80, b, 80), 0);
    p.max_repeat = 100;
    assert_true(run_pair(&al, &p, a, 80, b, 80) >= 1);
    gema_aligner_free(&al);
}

static void test_two_passages_far_apart(void **state)
{
    (void)state;
    /* Two shared runs 100 own words apart in A: two passages, in A order. */
    uint64_t a[200], b[80];
    fill_unique(a, 200, 1000);
    fill_unique(b, 80, 5000);
    for (size_t i = 0; i < 20; i++) {
        b[50 + i] = a[10 + i];  /* first in A, last in B */
        b[5 + i] = a[150 + i];
    }
    gema_align_params p = params();
    gema_aligner al;
    gema_aligner_init(&al);
    assert_int_equal(run_pair(&al, &p, a, 200, b, 80), 2);
    assert_int_equal(al.out[0].a0, 10);
    assert_int_equal(al.out[0].b0, 50);
    assert_int_equal(al.out[1].a0, 150);
    assert_int_equal(al.out[1].b0, 5);
    gema_aligner_free(&al);
}

static void test_edit_script(void **state)
{
    (void)state;
    /* a: 0..19 ; b: same with word 5 replaced, word 10 deleted, one word
     * inserted after 15. */
    uint64_t a[20], b[21];
    fill_unique(a, 20, 1000);
    size_t nb = 0;
    for (size_t i = 0; i < 20; i++) {
        if (i == 10) continue;
        b[nb++] = i == 5 ? 9999 : a[i];
        if (i == 15) b[nb++] = 8888;
    }
    gema_align_params p = params();
    gema_span_pair s = {0, 20, 0, (uint32_t)nb, 0, 0, 0};
    gema_token_op *ops = NULL;
    size_t n = 0;
    assert_int_equal(gema_align_ops(&p, a, 20, b, nb, &s, &ops, &n), GEMA_OK);
    int rep = 0, del = 0, ins = 0;
    uint32_t ea = 0, eb = 0;
    for (size_t i = 0; i < n; i++) {
        /* Ops are contiguous on both sides. */
        assert_int_equal(ops[i].a0, ea);
        assert_int_equal(ops[i].b0, eb);
        ea = ops[i].a1;
        eb = ops[i].b1;
        if (ops[i].op == GEMA_OP_REPLACE) {
            rep++;
            assert_int_equal(ops[i].a0, 5);
            assert_int_equal(ops[i].a1, 6);
        } else if (ops[i].op == GEMA_OP_DELETE) {
            del++;
            assert_int_equal(ops[i].a0, 10);
            assert_int_equal(ops[i].b0, ops[i].b1);
        } else if (ops[i].op == GEMA_OP_INSERT) {
            ins++;
            assert_int_equal(ops[i].a0, ops[i].a1);
        }
    }
    assert_int_equal(ea, 20);
    assert_int_equal(eb, nb);
    assert_int_equal(rep, 1);
    assert_int_equal(del, 1);
    assert_int_equal(ins, 1);
    free(ops);
}

static void test_align_texts_code_points(void **state)
{
    (void)state;
    /* B starts with 8 code points (10 bytes: "é" twice) of its own. */
    const char *para = "Kemarin sore hujan deras mengguyur Kota Semarang selama lebih dari tiga "
                       "jam sehingga puluhan rumah warga di kawasan Kaligawe terendam air.";
    char a[400], b[400];
    snprintf(a, sizeof a, "%s Sisanya lain sama sekali.", para);
    snprintf(b, sizeof b, "Café é. %s", para);
    gema_passages_options o;
    gema_passages_options_default(&o);
    gema_alignment *al = NULL;
    assert_int_equal(gema_align_texts(a, strlen(a), b, strlen(b), &o, &al), GEMA_OK);
    assert_int_equal(gema_alignment_count(al), 1);
    gema_passage ps;
    assert_int_equal(gema_alignment_get(al, 0, &ps), GEMA_OK);
    assert_int_equal(ps.a.start, 0);
    assert_int_equal(ps.a.end, strlen(para));
    assert_int_equal(ps.b.start, 8);
    assert_int_equal(ps.b.byte_start, 10);
    assert_int_equal(ps.b.end, 8 + strlen(para));
    assert_int_equal(ps.a.words, 21);
    assert_true(ps.score == 1.0);
    const gema_edit *ed;
    size_t ne;
    assert_int_equal(gema_alignment_edits(al, 0, &ed, &ne), GEMA_OK);
    assert_int_equal(ne, 1);
    assert_int_equal(ed[0].kind, GEMA_EDIT_EQUAL);
    assert_int_equal(gema_alignment_get(al, 1, &ps), GEMA_ERR_RANGE);
    gema_alignment_free(al);
    /* Invalid UTF-8 is refused. */
    assert_int_equal(gema_align_texts("\xff\xfe", 2, b, strlen(b), &o, &al), GEMA_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verbatim_passage_found_whole),
        cmocka_unit_test(test_small_edits_do_not_split),
        cmocka_unit_test(test_unrelated_and_short),
        cmocka_unit_test(test_repeated_seeds_ignored),
        cmocka_unit_test(test_two_passages_far_apart),
        cmocka_unit_test(test_edit_script),
        cmocka_unit_test(test_align_texts_code_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
