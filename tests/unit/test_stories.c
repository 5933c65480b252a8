/*
 * test_stories.c - gema stories from the inside out: the language guess,
 * stemming and stop words, article term vectors, the stream clusterer
 * (join or new, the chaining guard, time decay and the window, the batch
 * merge, local density) and gema_stories_run (duplicates in one story,
 * rejects, every record accounted for, identical results at 1, 2 and 4
 * threads).
 *
 * Clusterer tests push hand-made unit vectors, so every similarity is known
 * exactly; neighbours = 0 where the test is about plain cosine rules.
 */
#include "testutil.h"

#include <math.h>

#include "common.h"
#include "langid.h"
#include "stem.h"
#include "stopwords.h"
#include "stories.h"
#include "termvec.h"
#include "tokenize.h"

/* ---- language guess ----------------------------------------------------- */

static void test_language_guess(void **state)
{
    (void)state;
    const char *en = "The president said on Tuesday that the government would not change its "
                     "plans for the new budget, which was passed by the parliament last week.";
    const char *id = "Presiden mengatakan bahwa pemerintah tidak akan mengubah rencana anggaran "
                     "yang sudah disetujui oleh parlemen pada pekan lalu karena itu penting.";
    const char *fr = "Le président a déclaré mardi que le gouvernement ne changerait pas ses "
                     "projets pour le nouveau budget, qui a été adopté par le parlement.";
    const char *ru = "Президент заявил во вторник, что правительство не изменит свои планы.";
    const char *zh = "总统星期二表示，政府不会改变新预算的计划。";
    assert_string_equal(gema_language_guess(en, strlen(en)), "en");
    assert_string_equal(gema_language_guess(id, strlen(id)), "id");
    assert_string_equal(gema_language_guess(fr, strlen(fr)), "fr");
    assert_string_equal(gema_language_guess(ru, strlen(ru)), "ru");
    assert_string_equal(gema_language_guess(zh, strlen(zh)), "zh");
    assert_string_equal(gema_language_guess("", 0), "und");
    assert_string_equal(gema_language_guess("12345 678", 9), "und");
    assert_string_equal(gema_language_guess(NULL, 3), "und");
    /* Public language table and codes agree. */
    assert_string_equal(gema_stories_language(0), "und");
    assert_string_equal(gema_stories_language(GEMA_LANG_EN), "en");
    assert_null(gema_stories_language(GEMA_LANG_COUNT));
}

/* ---- stemming and stop words -------------------------------------------- */

static uint64_t token_hash(const char *word)
{
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, word, strlen(word), GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 1);
    uint64_t h = t.hash[0];
    gema_tokenizer_free(&t);
    return h;
}

static void expect_stem(gema_stemmer *s, gema_lang l, const char *word, const char *stem)
{
    const char *out;
    size_t n;
    assert_int_equal(gema_stem_text(s, l, word, strlen(word), &out, &n), GEMA_OK);
    assert_int_equal(n, strlen(stem));
    assert_memory_equal(out, stem, n);
}

static void test_stem_and_stopwords(void **state)
{
    (void)state;
    gema_stemmer *s;
    assert_int_equal(gema_stemmer_new(&s), GEMA_OK);
    expect_stem(s, GEMA_LANG_EN, "running", "run");
    expect_stem(s, GEMA_LANG_EN, "presidents", "presid");
    expect_stem(s, GEMA_LANG_ID, "permainan", "main");
    expect_stem(s, GEMA_LANG_ID, "pertemuan", "temu");
    /* A language without a stemmer gives the word back. */
    expect_stem(s, GEMA_LANG_ZH, "abc", "abc");
    /* The cached hash path agrees with the text path: same stem, same hash. */
    uint64_t a, b;
    assert_int_equal(gema_stem_hash(s, GEMA_LANG_EN, token_hash("running"), "running", 7, &a),
                     GEMA_OK);
    assert_int_equal(gema_stem_hash(s, GEMA_LANG_EN, token_hash("run"), "run", 3, &b), GEMA_OK);
    assert_true(a == b);
    assert_int_equal(gema_stem_hash(s, GEMA_LANG_EN, token_hash("running"), "running", 7, &b),
                     GEMA_OK);
    assert_true(a == b);
    uint64_t look, miss;
    gema_stemmer_counts(s, &look, &miss);
    assert_int_equal(look, 3);
    assert_int_equal(miss, 2); /* the second "running" came from the cache */
    gema_stemmer_free(s);

    assert_int_equal(gema_stopwords_init(), GEMA_OK);
    assert_int_equal(gema_stopword_flags(GEMA_LANG_EN, token_hash("the")), GEMA_STOP_FUNCTION);
    assert_true(gema_stopword_flags(GEMA_LANG_EN, token_hash("said")) & GEMA_STOP_QUOTE);
    assert_true(gema_stopword_flags(GEMA_LANG_ID, token_hash("yang")) & GEMA_STOP_FUNCTION);
    assert_true(gema_stopword_flags(GEMA_LANG_ID, token_hash("kata")) & GEMA_STOP_QUOTE);
    assert_int_equal(gema_stopword_flags(GEMA_LANG_EN, token_hash("earthquake")), 0);
    /* Lists are per language: "the" is no Indonesian function word. */
    assert_int_equal(gema_stopword_flags(GEMA_LANG_ID, token_hash("the")), 0);
    assert_int_equal(gema_month_of(token_hash("desember")), 12);
    assert_int_equal(gema_month_of(token_hash("december")), 12);
    assert_int_equal(gema_month_of(token_hash("march")), 3);
    assert_true(gema_is_weekday(token_hash("tuesday")));
    assert_false(gema_is_weekday(token_hash("president")));
}

/* ---- term vectors ---------------------------------------------------------- */

static const char *display(const gema_fvec *v, size_t i)
{
    return v->strings.data + v->t[i].str;
}

static int find_term(const gema_fvec *v, const char *s, int channel)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->t[i].channel == channel && strcmp(display(v, i), s) == 0) return (int)i;
    return -1;
}

static const char *article =
    "Hollywood actress Tara Reid checked into a rehab facility in Malibu on Tuesday, her rep said.\n"
    "Reid, 33, entered the Promises center after a quake of magnitude 6.1 shook the coast "
    "on 16 December.  The actress thanked her fans.";

static void test_term_vectors(void **state)
{
    (void)state;
    gema_feature_params fp = { 2.0, 1.0, 2.0, 1.0, 0, 100, GEMA_LANG_UND };
    gema_featurizer *f;
    assert_int_equal(gema_featurizer_new(&fp, &f), GEMA_OK);
    gema_idf *idf;
    assert_int_equal(gema_idf_new(&idf), GEMA_OK);
    gema_fvec v = { 0 };
    /* Unweighted: raw counts, every term once. */
    assert_int_equal(gema_features_extract(f, NULL, 0, article, strlen(article), NULL, &v), GEMA_OK);
    assert_int_equal(v.lang, GEMA_LANG_EN);
    assert_true(v.n > 10);
    assert_int_equal(gema_idf_add(idf, &v), GEMA_OK);
    const char *other = "The parliament passed the budget on Monday.";
    assert_int_equal(gema_features_extract(f, NULL, 0, other, strlen(other), NULL, &v), GEMA_OK);
    assert_int_equal(gema_idf_add(idf, &v), GEMA_OK);
    assert_int_equal(gema_idf_docs(idf), 2);
    /* The smoothed IDF of a term in no article is the largest. */
    assert_true(gema_idf_weight(idf, 12345) > gema_idf_weight(idf, v.t[0].term));

    assert_int_equal(gema_features_extract(f, NULL, 0, article, strlen(article), idf, &v), GEMA_OK);
    double n2 = 0;
    for (size_t i = 0; i < v.n; i++) {
        n2 += (double)v.t[i].w * v.t[i].w;
        if (i) assert_true(v.t[i - 1].w >= v.t[i].w); /* heaviest first */
    }
    assert_true(fabs(n2 - 1.0) < 1e-5);
    /* Names: shown by "Reid" in mid-sentence; the pair, and Tara joining it. */
    assert_true(find_term(&v, "Tara Reid", GEMA_CH_NAME) >= 0);
    assert_true(find_term(&v, "Reid", GEMA_CH_NAME) >= 0);
    assert_true(find_term(&v, "Malibu", GEMA_CH_NAME) >= 0);
    /* "Hollywood" only starts a sentence, before no name: not a name. */
    assert_true(find_term(&v, "Hollywood", GEMA_CH_NAME) < 0);
    assert_true(find_term(&v, "actress", GEMA_CH_WORD) >= 0);
    /* Numbers whole, the date as one term; the weekday is no name. */
    assert_true(find_term(&v, "6.1", GEMA_CH_NUMBER) >= 0);
    assert_true(find_term(&v, "33", GEMA_CH_NUMBER) >= 0);
    assert_true(find_term(&v, "--12-16", GEMA_CH_NUMBER) >= 0);
    assert_true(find_term(&v, "Tuesday", GEMA_CH_NAME) < 0);
    /* Stop words and quote verbs are looked up, not terms. */
    assert_true(find_term(&v, "the", GEMA_CH_WORD) < 0);
    assert_true(find_term(&v, "said", GEMA_CH_WORD) < 0);
    /* The stem is shown by its shortest surface form. */
    assert_true(find_term(&v, "checked", GEMA_CH_WORD) >= 0);
    int quake = find_term(&v, "quake", GEMA_CH_WORD);
    assert_true(quake >= 0);
    float plain = v.t[quake].w;

    /* A title word counts title_weight times: heavier than in the text alone. */
    const char *title = "Quake shakes the coast";
    assert_int_equal(gema_features_extract(f, title, strlen(title), article, strlen(article), idf,
                                           &v),
                     GEMA_OK);
    quake = find_term(&v, "quake", GEMA_CH_WORD);
    assert_true(quake >= 0 && v.t[quake].w > plain);

    /* max_terms caps the vector, which stays a unit vector. */
    gema_featurizer_free(f);
    fp.max_terms = 5;
    assert_int_equal(gema_featurizer_new(&fp, &f), GEMA_OK);
    assert_int_equal(gema_features_extract(f, NULL, 0, article, strlen(article), idf, &v), GEMA_OK);
    assert_int_equal(v.n, 5);
    n2 = 0;
    for (size_t i = 0; i < v.n; i++) n2 += (double)v.t[i].w * v.t[i].w;
    assert_true(fabs(n2 - 1.0) < 1e-5);
    /* An empty text gives an empty vector, not an error. */
    assert_int_equal(gema_features_extract(f, NULL, 0, "", 0, idf, &v), GEMA_OK);
    assert_int_equal(v.n, 0);
    gema_fvec_free(&v);
    gema_idf_free(idf);
    gema_featurizer_free(f);
}

/* ---- the clusterer ----------------------------------------------------------- */

/* A unit vector over terms 1..: weights w[i] for term terms[i]. */
static gema_fvec vec(const unsigned *terms, const double *w, size_t n)
{
    gema_fvec v = { 0 };
    v.t = calloc(n ? n : 1, sizeof *v.t);
    assert_non_null(v.t);
    v.cap = n;
    double n2 = 0;
    for (size_t i = 0; i < n; i++) n2 += w[i] * w[i];
    for (size_t i = 0; i < n; i++) {
        char s[16];
        snprintf(s, sizeof s, "t%u", terms[i]);
        v.t[i].term = 1000 + terms[i];
        v.t[i].w = (float)(w[i] / sqrt(n2));
        v.t[i].channel = GEMA_CH_WORD;
        v.t[i].str = (uint32_t)v.strings.len;
        gema_buf_append(&v.strings, s, strlen(s) + 1);
    }
    v.n = n;
    return v;
}

static void push(gema_clusterer *c, uint32_t doc, int64_t t, const unsigned *terms, size_t n)
{
    double w[16];
    for (size_t i = 0; i < n; i++) w[i] = 1;
    gema_fvec v = vec(terms, w, n);
    assert_int_equal(gema_clusterer_push(c, doc, t, &v), GEMA_OK);
    gema_fvec_free(&v);
}

static gema_cluster_doc doc_of(const gema_clusterer *c, uint32_t d)
{
    gema_cluster_doc o;
    gema_clusterer_doc(c, d, &o);
    return o;
}

/* What the clusterer handed over as its stories closed. */
#define LOG_MAX 64
static struct {
    size_t n;
    uint32_t story[LOG_MAX], size[LOG_MAX], nterms[LOG_MAX];
    char first_term[LOG_MAX][16];
    uint32_t member_of[LOG_MAX]; /* per doc: log entry + 1, 0 = in none */
    int twice;                   /* a doc handed over in two stories */
} closed;

static int log_close(void *user, uint32_t story, const gema_cluster_summary *sum)
{
    (void)user;
    size_t k = closed.n++;
    assert_true(k < LOG_MAX);
    closed.story[k] = story;
    closed.size[k] = sum->size;
    closed.nterms[k] = sum->nterms;
    snprintf(closed.first_term[k], sizeof closed.first_term[k], "%s",
             sum->nterms ? sum->strings[0] : "");
    for (uint32_t i = 0; i < sum->size; i++) {
        assert_true(sum->members[i] < LOG_MAX);
        if (closed.member_of[sum->members[i]]) closed.twice = 1;
        closed.member_of[sum->members[i]] = (uint32_t)k + 1;
    }
    return GEMA_OK;
}

/* Every pushed doc was handed over once, in the story the clusterer names. */
static void check_closed(const gema_clusterer *c, uint32_t ndocs)
{
    assert_false(closed.twice);
    for (uint32_t d = 0; d < ndocs; d++) {
        gema_cluster_doc o;
        gema_clusterer_doc(c, d, &o);
        if (o.story == UINT32_MAX) {
            assert_int_equal(closed.member_of[d], 0);
            continue;
        }
        assert_int_not_equal(closed.member_of[d], 0);
        assert_int_equal(closed.story[closed.member_of[d] - 1], o.story);
    }
}

static gema_clusterer *plain(double threshold, int revisit, size_t ndocs)
{
    gema_cluster_params p;
    gema_cluster_params_default(&p);
    p.threshold = threshold;
    p.neighbours = 0;
    p.revisit = revisit;
    gema_clusterer *c;
    assert_int_equal(gema_clusterer_new(&p, ndocs, &c), GEMA_OK);
    memset(&closed, 0, sizeof closed);
    gema_clusterer_on_close(c, log_close, NULL);
    return c;
}

static void test_join_or_new(void **state)
{
    (void)state;
    gema_clusterer *c = plain(0.5, 0, 4);
    static const unsigned a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 3, 5 }, z[] = { 7, 8, 9 };
    push(c, 0, 0, a, 4);
    push(c, 1, 0, b, 4); /* cos 0.75 */
    push(c, 2, 0, z, 3); /* cos 0 */
    assert_int_equal(gema_clusterer_push(c, 2, 0, NULL), GEMA_ERR_ARG); /* pushed twice */
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    assert_int_equal(doc_of(c, 0).decision, GEMA_DECIDE_NEW);
    assert_int_equal(doc_of(c, 1).decision, GEMA_DECIDE_JOINED);
    assert_true(fabs(doc_of(c, 1).score - 0.75) < 1e-5);
    assert_int_equal(doc_of(c, 2).decision, GEMA_DECIDE_NEW);
    assert_int_equal(doc_of(c, 0).story, doc_of(c, 1).story);
    assert_int_not_equal(doc_of(c, 0).story, doc_of(c, 2).story);
    assert_int_equal(doc_of(c, 3).story, UINT32_MAX); /* never pushed */
    check_closed(c, 4);
    assert_int_equal(closed.n, 2);
    size_t k = closed.member_of[0] - 1;
    assert_int_equal(closed.size[k], 2);
    assert_true(closed.nterms[k] >= 3);
    assert_string_equal(closed.first_term[k], "t1"); /* shared terms are the heaviest */
    gema_clusterer_free(c);
}

/* A ~ B and B ~ C but A and C share nothing: the mean over the story keeps
 * C out, and the batch merge (same criterion) does not chain it in. */
static void test_chaining_guard(void **state)
{
    (void)state;
    static const unsigned a[] = { 1, 2 }, b[] = { 2, 3 }, cc[] = { 3, 4 };
    for (int revisit = 0; revisit <= 1; revisit++) {
        gema_clusterer *c = plain(0.4, revisit, 3);
        push(c, 0, 0, a, 2);
        push(c, 1, 0, b, 2);  /* cos(a, b) = 0.5: joins */
        push(c, 2, 0, cc, 2); /* mean of 0 and 0.5 = 0.25 < 0.4: new */
        assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
        assert_int_equal(doc_of(c, 0).story, doc_of(c, 1).story);
        assert_int_not_equal(doc_of(c, 2).story, doc_of(c, 0).story);
        assert_true(fabs(doc_of(c, 2).score - 0.25) < 1e-5);
        check_closed(c, 3);
        gema_clusterer_free(c);
    }
}

/* The revisit moves an early article to the story that grew after it, and
 * the batch merge joins stories whose articles are similar on average. */
static void test_revisit_and_merge(void **state)
{
    (void)state;
    static const unsigned x[] = { 1, 2, 3, 4, 5, 6 }, y[] = { 1, 2, 3, 4, 5, 7 },
                          p[] = { 1, 2, 3, 10, 11, 12 };
    gema_clusterer *c = plain(0.6, 1, 3);
    push(c, 0, 0, x, 6);
    push(c, 1, 0, p, 6); /* cos 0.5: new */
    push(c, 2, 0, y, 6); /* cos(y, x) = 0.83: joins x */
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    assert_int_equal(doc_of(c, 2).story, doc_of(c, 0).story);
    assert_int_not_equal(doc_of(c, 1).story, doc_of(c, 0).story);
    check_closed(c, 3);
    gema_clusterer_free(c);

    /* Two stories of two: each pair cos 1, across cos 2/3: merged at 0.6. */
    static const unsigned s1[] = { 1, 2, 3 }, s2[] = { 1, 2, 4 };
    c = plain(0.7, 1, 4);
    push(c, 0, 0, s1, 3);
    push(c, 1, 0, s1, 3);
    push(c, 2, 0, s2, 3); /* mean 2/3 < 0.7: new */
    push(c, 3, 0, s2, 3);
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    assert_int_not_equal(doc_of(c, 0).story, doc_of(c, 2).story);
    gema_clusterer_free(c);
    c = plain(0.6, 1, 4);
    push(c, 0, 0, s1, 3);
    push(c, 1, 0, s1, 3);
    push(c, 2, 0, s2, 3);
    push(c, 3, 0, s2, 3);
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    assert_int_equal(doc_of(c, 0).story, doc_of(c, 3).story);
    check_closed(c, 4); /* the merged-away story is never handed over */
    assert_int_equal(closed.n, 1);
    assert_int_equal(closed.size[0], 4);
    gema_cluster_stats st;
    gema_clusterer_stats(c, &st);
    assert_int_equal(st.pushed, 4);
    gema_clusterer_free(c);
}

static void test_time_decay(void **state)
{
    (void)state;
    static const unsigned a[] = { 1, 2, 3 };
    const int64_t day = 86400;
    gema_cluster_params p;
    gema_cluster_params_default(&p);
    p.threshold = 0.5;
    p.neighbours = 0;
    p.revisit = 0;
    p.half_life = (double)day;
    p.grace = 0;
    p.window = 10.0 * (double)day;
    gema_clusterer *c;
    assert_int_equal(gema_clusterer_new(&p, 5, &c), GEMA_OK);
    memset(&closed, 0, sizeof closed);
    gema_clusterer_on_close(c, log_close, NULL);
    push(c, 0, 0, a, 3);
    push(c, 1, day / 2, a, 3);     /* 2^-0.5 = 0.71: joins */
    push(c, 2, 3 * day, a, 3);     /* 2.5 days after the last: 0.18, new */
    assert_int_equal(closed.n, 0); /* decisions wait a window */
    push(c, 3, 40 * day, a, 3);    /* far past the window: new */
    /* Pushing 3 decided 0-2 and closed their two stories, mid-stream. */
    assert_int_equal(closed.n, 2);
    assert_int_equal(closed.size[closed.member_of[0] - 1], 2);
    push(c, 4, 40 * day + 60, a, 3);
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    check_closed(c, 5);
    assert_int_equal(closed.n, 3);
    assert_int_equal(doc_of(c, 1).story, doc_of(c, 0).story);
    assert_true(fabs(doc_of(c, 1).score - exp2(-0.5)) < 1e-4);
    assert_int_not_equal(doc_of(c, 2).story, doc_of(c, 0).story);
    assert_int_not_equal(doc_of(c, 3).story, doc_of(c, 2).story);
    assert_int_equal(doc_of(c, 4).story, doc_of(c, 3).story);
    /* Stream time may not go backwards. */
    gema_fvec v = { 0 };
    assert_int_equal(gema_clusterer_push(c, 4, 0, &v), GEMA_ERR_ARG);
    gema_clusterer_free(c);
}

/* Local scaling: in a dense region (many near-identical reports) an article
 * needs more than the region's shared words to join; in a sparse one the
 * same similarity is enough. */
static void test_density(void **state)
{
    (void)state;
    gema_cluster_params p;
    gema_cluster_params_default(&p);
    p.neighbours = 2;
    p.density_floor = 0.1;
    p.threshold = 0.9;
    gema_clusterer *c;
    assert_int_equal(gema_clusterer_new(&p, 8, &c), GEMA_OK);
    /* Event A: three reports that share terms 1-4 and each other's 5, 6. */
    static const unsigned a1[] = { 1, 2, 3, 4, 5, 6 }, a2[] = { 1, 2, 3, 4, 5, 6, 7 },
                          a3[] = { 1, 2, 3, 4, 5, 6, 8 };
    /* Event B: same topic words 1-4, other details 9, 10. */
    static const unsigned b1[] = { 1, 2, 3, 4, 9, 10 }, b2[] = { 1, 2, 3, 4, 9, 10, 11 },
                          b3[] = { 1, 2, 3, 4, 9, 10, 12 };
    push(c, 0, 0, a1, 6);
    push(c, 1, 0, b1, 6);
    push(c, 2, 0, a2, 7);
    push(c, 3, 0, b2, 7);
    push(c, 4, 0, a3, 7);
    push(c, 5, 0, b3, 7);
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    /* cos(a, b) = 4/6..4/7 ~ 0.6, cos within ~0.9: scaled, A and B stay apart. */
    assert_int_equal(doc_of(c, 0).story, doc_of(c, 2).story);
    assert_int_equal(doc_of(c, 0).story, doc_of(c, 4).story);
    assert_int_equal(doc_of(c, 1).story, doc_of(c, 3).story);
    assert_int_equal(doc_of(c, 1).story, doc_of(c, 5).story);
    assert_int_not_equal(doc_of(c, 0).story, doc_of(c, 1).story);
    assert_true(doc_of(c, 0).density > 0.8f);
    gema_clusterer_free(c);
    /* A lone pair at cos 0.6 with no denser neighbourhood is one story. */
    assert_int_equal(gema_clusterer_new(&p, 2, &c), GEMA_OK);
    static const unsigned l1[] = { 1, 2, 3, 4, 5, 6 }, l2[] = { 1, 2, 3, 4, 9, 10 };
    push(c, 0, 0, l1, 6);
    push(c, 1, 0, l2, 6);
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    assert_int_equal(doc_of(c, 0).story, doc_of(c, 1).story);
    gema_clusterer_free(c);
}

/* Densities in a windowed stream, against brute force.  Groups of articles
 * a long way apart in time all share term 1, so its list in the index of
 * held articles grows, loses each group from its front as the group is let
 * go and is compacted; every article is decided when the next group's first
 * article arrives, and its density is its k-th best cosine among the
 * articles held then (with all terms indexed, the candidates' partial
 * scores are their cosines, so the 2k scored exactly include the k best). */
static void test_density_window(void **state)
{
    (void)state;
    enum { G = 6, M = 9, T = 4 };
    gema_cluster_params p;
    gema_cluster_params_default(&p);
    p.neighbours = 2;
    p.density_floor = 0.01;
    p.threshold = 0.999;
    p.window = 100;
    gema_clusterer *c;
    assert_int_equal(gema_clusterer_new(&p, G * M, &c), GEMA_OK);
    static gema_fvec kept[G * M];
    for (unsigned g = 0; g < G; g++)
        for (unsigned m = 0; m < M; m++) {
            unsigned d = g * M + m;
            unsigned terms[T] = { 1, 100 + g, 1000 + d, 2000 + (d * 7) % 11 };
            double w[T] = { 1.0 + 0.1 * m, 0.5 + 0.05 * ((m * 5) % M), 0.3, 0.2 + 0.1 * (d % 3) };
            gema_fvec v = vec(terms, w, T);
            kept[d] = vec(terms, w, T);
            assert_int_equal(gema_clusterer_push(c, d, (int64_t)g * 1000, &v), GEMA_OK);
            gema_fvec_free(&v);
        }
    assert_int_equal(gema_clusterer_finish(c), GEMA_OK);
    for (unsigned d = 0; d < G * M; d++) {
        unsigned g = d / M;
        double best[G * M];
        size_t nb = 0;
        for (unsigned e = g * M; e < (g + 1) * M + (g + 1 < G); e++) {
            if (e == d) continue;
            double dot = 0;
            for (size_t i = 0; i < kept[d].n; i++)
                for (size_t j = 0; j < kept[e].n; j++)
                    if (kept[d].t[i].term == kept[e].t[j].term)
                        dot += (double)kept[d].t[i].w * (double)kept[e].t[j].w;
            size_t x = nb++;
            while (x > 0 && best[x - 1] < dot) {
                best[x] = best[x - 1];
                x--;
            }
            best[x] = dot;
        }
        double want = best[p.neighbours - 1] > p.density_floor ? best[p.neighbours - 1] : p.density_floor;
        assert_true(fabs(doc_of(c, d).density - want) < 1e-6);
    }
    for (unsigned d = 0; d < G * M; d++) gema_fvec_free(&kept[d]);
    gema_clusterer_free(c);
}

/* ---- gema_stories_run -------------------------------------------------------- */

static const char *const topics[3][8] = {
    { "earthquake", "magnitude", "tremor", "epicentre", "aftershock", "coast", "tsunami", "seismic" },
    { "election", "ballot", "candidate", "parliament", "vote", "campaign", "poll", "coalition" },
    { "football", "striker", "goal", "league", "coach", "stadium", "penalty", "season" },
};

static void add_article(gema_buf *b, const char *id, int topic, int variant, const char *date)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "{\"id\":\"%s\",%s%s%s\"text\":\"", id, date ? "\"date\":\"" : "",
             date ? date : "", date ? "\"," : "");
    gema_buf_append(b, tmp, strlen(tmp));
    for (int s = 0; s < 6; s++) {
        const char *const *w = topics[topic];
        snprintf(tmp, sizeof tmp, "The %s and the %s of the %s were reported near the %s %d. ",
                 w[(s + variant) % 8], w[(s + 1) % 8], w[(s + 2 + variant) % 8],
                 w[(s + 3) % 8], s == 0 ? 10 + topic : 2021);
        gema_buf_append(b, tmp, strlen(tmp));
    }
    gema_buf_append(b, "\"}\n", 3);
}

static gema_corpus *sample_corpus_with(int copies)
{
    gema_buf b = { 0 };
    char id[32];
    for (int i = 0; i < 18; i++) {
        snprintf(id, sizeof id, "a%02d", i);
        add_article(&b, id, i % 3, i / 3, i % 2 ? "2021-12-16" : NULL);
    }
    /* Exact and near copies of a00, a malformed line, a record without text. */
    if (copies) {
        add_article(&b, "copy-1", 0, 0, "2021-12-17");
        add_article(&b, "copy-2", 0, 0, NULL);
    }
    gema_buf_append(&b, "{\"id\":\"bad\",\"text\":\"unterminated\n", 33);
    gema_buf_append(&b, "{\"id\":\"notext\"}\n", 16);
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", b.data, b.len, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    gema_buf_free(&b);
    return c;
}

static gema_corpus *sample_corpus(void)
{
    return sample_corpus_with(1);
}

/* on_story: what it was passed, and a status to stop with after some calls. */
typedef struct {
    size_t calls, stop_after;
    size_t size[8], first_member[8];
    char headline[8][256]; /* a headline is at most 200 bytes */
} story_log;

static int log_story(void *user, size_t k, const gema_story *st)
{
    story_log *l = user;
    assert_int_equal(k, l->calls);
    assert_true(k < 8);
    l->size[k] = st->size;
    l->first_member[k] = st->members[0];
    snprintf(l->headline[k], sizeof l->headline[k], "%s", st->headline);
    l->calls++;
    return l->calls == l->stop_after ? GEMA_ERR_IO : GEMA_OK;
}

/* Stories passed as they close are the stories kept, numbered as passed;
 * the result then keeps none; a status from on_story stops the run. */
static void test_stories_on_story(void **state)
{
    (void)state;
    gema_corpus *corpus = sample_corpus();
    gema_stories_options o;
    gema_stories_options_default(&o);
    gema_stories *kept, *s;
    assert_int_equal(gema_stories_run(corpus, &o, &kept), GEMA_OK);
    story_log log;
    memset(&log, 0, sizeof log);
    o.on_story = log_story;
    o.on_story_user = &log;
    assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_OK);
    assert_int_equal(log.calls, gema_stories_count(kept));
    assert_int_equal(gema_stories_count(s), 0);
    gema_stories_stats st;
    gema_stories_stats_get(s, &st);
    assert_int_equal(st.stories, log.calls);
    for (size_t k = 0; k < log.calls; k++) {
        gema_story_doc d, e;
        gema_stories_doc_info(s, log.first_member[k], &d);
        assert_int_equal(d.story, k);
        gema_stories_doc_info(kept, log.first_member[k], &e);
        gema_story b;
        assert_int_equal(gema_stories_get(kept, e.story, &b), GEMA_OK);
        assert_int_equal(b.size, log.size[k]);
        assert_string_equal(b.headline, log.headline[k]);
    }
    gema_stories_free(s);
    gema_stories_free(kept);
    memset(&log, 0, sizeof log);
    log.stop_after = 1;
    s = NULL;
    assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_ERR_IO);
    assert_null(s);
    assert_int_equal(log.calls, 1);
    gema_corpus_free(corpus);
}

static void test_stories_run(void **state)
{
    (void)state;
    gema_corpus *corpus = sample_corpus();
    size_t n = gema_corpus_count(corpus);
    assert_int_equal(n, 22);
    gema_stories *first = NULL;
    for (unsigned threads = 1; threads <= 4; threads *= 2) {
        gema_stories_options o;
        gema_stories_options_default(&o);
        o.threads = threads;
        gema_stories *s;
        assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_OK);
        gema_stories_stats st;
        gema_stories_stats_get(s, &st);
        assert_int_equal(st.records, 22);
        assert_int_equal(st.articles, 20);
        assert_int_equal(st.rejected, 2);
        assert_int_equal(st.rejected_by[GEMA_REJECT_MALFORMED_JSON], 1);
        assert_int_equal(st.rejected_by[GEMA_REJECT_MISSING_TEXT], 1);
        assert_int_equal(st.duplicates, 2);
        /* Every usable record in exactly one story; stories in stream order. */
        size_t *seen = calloc(n, sizeof *seen);
        size_t total = 0;
        for (size_t k = 0; k < gema_stories_count(s); k++) {
            gema_story story;
            assert_int_equal(gema_stories_get(s, k, &story), GEMA_OK);
            assert_true(story.size >= 1);
            for (size_t m = 0; m < story.size; m++) {
                assert_int_equal(seen[story.members[m]], 0);
                seen[story.members[m]] = k + 1;
            }
            total += story.size;
        }
        assert_int_equal(total, 20);
        assert_int_equal(gema_stories_get(s, gema_stories_count(s), NULL), GEMA_ERR_ARG);
        for (size_t i = 0; i < n; i++) {
            gema_story_doc d;
            assert_int_equal(gema_stories_doc_info(s, i, &d), GEMA_OK);
            if (i >= 20) {
                assert_int_equal(d.decision, GEMA_STORY_REJECTED);
                assert_true(d.story == SIZE_MAX);
                assert_int_equal(seen[i], 0);
                continue;
            }
            assert_int_equal(seen[i], d.story + 1);
            assert_string_equal(d.language, "en");
        }
        /* The copies follow a00 into its story. */
        gema_story_doc a0, c1, c2;
        gema_stories_doc_info(s, 0, &a0);
        gema_stories_doc_info(s, 18, &c1);
        gema_stories_doc_info(s, 19, &c2);
        assert_int_equal(c1.decision, GEMA_STORY_DUPLICATE);
        assert_int_equal(c2.decision, GEMA_STORY_DUPLICATE);
        assert_int_equal(c1.story, a0.story);
        assert_int_equal(c2.story, a0.story);
        assert_int_equal(c1.duplicate_of, 0);
        /* Three topics, three stories, none mixed. */
        assert_int_equal(gema_stories_count(s), 3);
        for (size_t i = 0; i < 18; i++) {
            gema_story_doc d, e;
            gema_stories_doc_info(s, i, &d);
            gema_stories_doc_info(s, i % 3, &e);
            assert_int_equal(d.story, e.story);
        }
        free(seen);
        if (!first) {
            first = s;
            continue;
        }
        /* Identical at any thread count. */
        assert_int_equal(gema_stories_count(s), gema_stories_count(first));
        for (size_t i = 0; i < n; i++) {
            gema_story_doc d, e;
            gema_stories_doc_info(s, i, &d);
            gema_stories_doc_info(first, i, &e);
            assert_int_equal(d.story, e.story);
            assert_int_equal(d.decision, e.decision);
            assert_true(d.score == e.score);
        }
        for (size_t k = 0; k < gema_stories_count(s); k++) {
            gema_story x, y;
            gema_stories_get(s, k, &x);
            gema_stories_get(first, k, &y);
            assert_string_equal(x.headline, y.headline);
            assert_int_equal(x.nterms, y.nterms);
            for (size_t t = 0; t < x.nterms; t++) assert_string_equal(x.terms[t], y.terms[t]);
        }
        gema_stories_free(s);
    }
    gema_stories_free(first);
    gema_stories_free(NULL);

    /* Bad options are refused. */
    gema_stories_options o;
    gema_stories_options_default(&o);
    o.language = "xx";
    gema_stories *s = NULL;
    assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_ERR_ARG);
    gema_stories_options_default(&o);
    o.neighbours = 65;
    assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_ERR_ARG);
    gema_stories_options_default(&o);
    o.density_floor = 0;
    assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_ERR_ARG);
    assert_int_equal(gema_stories_run(NULL, NULL, &s), GEMA_ERR_ARG);
    gema_corpus_free(corpus);
}

/* With dedup, the scan (dates, usability, the IDF sample) rides on dedup's
 * fingerprint pass; without, it is a pass of its own.  On a corpus with no
 * duplicates both must give the same stories, at any thread count. */
static void test_scan_in_dedup_pass(void **state)
{
    (void)state;
    gema_corpus *corpus = sample_corpus_with(0);
    size_t n = gema_corpus_count(corpus);
    gema_stories *ref = NULL;
    for (int run = 0; run < 4; run++) {
        gema_stories_options o;
        gema_stories_options_default(&o);
        o.dedup = run & 1;
        o.threads = run < 2 ? 1 : 2;
        o.idf_sample = 5; /* every 4th record: the sample is a real subset */
        gema_stories *s;
        assert_int_equal(gema_stories_run(corpus, &o, &s), GEMA_OK);
        gema_stories_stats st;
        gema_stories_stats_get(s, &st);
        assert_int_equal(st.articles, 18);
        assert_int_equal(st.rejected, 2);
        assert_int_equal(st.dated, 9);
        assert_int_equal(st.duplicates, 0);
        assert_int_equal(st.idf_docs, 5); /* records 0, 4, 8, 12, 16 */
        if (!ref) {
            ref = s;
            continue;
        }
        gema_stories_stats rt;
        gema_stories_stats_get(ref, &rt);
        assert_int_equal(st.vocabulary, rt.vocabulary);
        assert_int_equal(gema_stories_count(s), gema_stories_count(ref));
        for (size_t i = 0; i < n; i++) {
            gema_story_doc d, e;
            gema_stories_doc_info(s, i, &d);
            gema_stories_doc_info(ref, i, &e);
            assert_int_equal(d.story, e.story);
            assert_int_equal(d.decision, e.decision);
            assert_int_equal(d.reject, e.reject);
            assert_true(d.score == e.score);
        }
        for (size_t k = 0; k < gema_stories_count(s); k++) {
            gema_story x, y;
            gema_stories_get(s, k, &x);
            gema_stories_get(ref, k, &y);
            assert_string_equal(x.headline, y.headline);
            assert_true(x.first == y.first && x.last == y.last);
            assert_int_equal(x.nterms, y.nterms);
            for (size_t t = 0; t < x.nterms; t++) assert_string_equal(x.terms[t], y.terms[t]);
        }
        gema_stories_free(s);
    }
    gema_stories_free(ref);
    gema_corpus_free(corpus);
}

/* Headlines: the title on one line, else the first line with a letter,
 * trimmed; a duplicate's story still gets its lead's. */
static void test_headlines(void **state)
{
    (void)state;
    static const char data[] =
        "{\"id\":\"t\",\"title\":\"  Quake\\nhits  coast \",\"text\":\"The earthquake and the "
        "tremor of the magnitude were reported near the coast. Aftershock epicentre seismic.\"}\n"
        "{\"id\":\"u\",\"text\":\"\\n 12 \\n\\tBallot counting begins\\r\\nThe election and the "
        "vote of the parliament candidate were reported. Coalition campaign poll.\"}\n"
        "{\"id\":\"c\",\"text\":\"\\n 12 \\n\\tBallot counting begins\\r\\nThe election and the "
        "vote of the parliament candidate were reported. Coalition campaign poll.\"}\n";
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "h.jsonl", data, sizeof data - 1, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    for (unsigned threads = 1; threads <= 2; threads++) {
        gema_stories_options o;
        gema_stories_options_default(&o);
        o.threads = threads;
        gema_stories *s;
        assert_int_equal(gema_stories_run(c, &o, &s), GEMA_OK);
        assert_int_equal(gema_stories_count(s), 2);
        gema_story a, b;
        gema_stories_get(s, 0, &a);
        gema_stories_get(s, 1, &b);
        assert_string_equal(a.headline, "Quake hits  coast");
        assert_int_equal(a.headline_record, 0);
        assert_string_equal(b.headline, "Ballot counting begins");
        assert_int_equal(b.size, 2);
        gema_stories_free(s);
    }
    gema_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_language_guess),
        cmocka_unit_test(test_stem_and_stopwords),
        cmocka_unit_test(test_term_vectors),
        cmocka_unit_test(test_join_or_new),
        cmocka_unit_test(test_chaining_guard),
        cmocka_unit_test(test_revisit_and_merge),
        cmocka_unit_test(test_time_decay),
        cmocka_unit_test(test_density),
        cmocka_unit_test(test_density_window),
        cmocka_unit_test(test_stories_run),
        cmocka_unit_test(test_stories_on_story),
        cmocka_unit_test(test_scan_in_dedup_pass),
        cmocka_unit_test(test_headlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
