/*
 * stories_run.c - gema_stories_run(): from a corpus to stories.
 *
 * Phases:
 *   1. dedup (optional): gema_dedup_run_each(), for the clusters that must
 *      stay together; the scan rides on its fingerprint pass, which parses
 *      every record anyway, so a record is parsed once for both.
 *   2. scan (parallel over chunks of records; a pass of its own only without
 *      dedup): take every record's date and usability; extract the
 *      unweighted terms of an even sample of articles (every k-th usable
 *      record, idf_sample of them) into per-thread document-frequency
 *      tables, merged at the end.  A sample of 20,000 articles pins down the
 *      IDF of every term that matters for clustering at a fixed cost however
 *      large the corpus (extraction is most of the work, and the sample is
 *      extracted twice); terms never seen in it get the largest IDF, as the
 *      rarest seen would.
 *   3. order: by date, then input order.  An undated article takes the date
 *      of the dated article before it in input order (crawls come roughly
 *      in time order), or of the first dated one; with no dates at all the
 *      stream is the input order and the corpus is one window (or, with
 *      window_articles, windows of that many articles by position).  The first
 *      article of each dedup cluster in this order leads it; the others
 *      follow it and are not clustered.
 *   4. cluster (stories.c), in blocks of BLOCK articles: while the calling
 *      thread, or whichever takes task 0, clusters block k-1 in order, the
 *      other threads extract the weighted vectors of block k.  Extraction
 *      is most of the work; the clustering itself is sequential, which is
 *      what makes the result independent of the thread count.
 *   5. results, story by story as the clusterer closes each (while the
 *      stream goes on, or at the end): its members (with the dedup
 *      followers of each), dates, headline (the title, else first line, of
 *      the most central member, preferring members with a title; each
 *      lead's candidate is kept from when the stream read it until its
 *      story closes, so no record is read again) and summary terms.  The
 *      story goes to the caller's on_story at once, and nothing of it is
 *      kept; or into a table, renumbered at the end by first article.
 */
#include "clean.h"
#include "corpus.h"
#include "dedup.h"
#include "langid.h"
#include "pool.h"
#include "stories.h"
#include "stopwords.h"
#include "termvec.h"

#include <math.h>
#include <stdatomic.h>

#define NONE32 UINT32_MAX
#define SCAN_CHUNK 256
#define BLOCK 1024
#define EXTRACT_CHUNK 64
#define HEADLINE_MAX 200 /* fits a length byte */

/* Stories as they close, in closing order: kept here unless the caller
 * takes them as they come (on_story); then renumbered by first article. */
typedef struct {
    size_t n, cap;             /* stories */
    size_t *start;             /* n + 1 offsets into members */
    size_t *members;
    size_t nmembers, members_cap;
    size_t *head_rec;
    size_t *head_off;          /* into text */
    int64_t *first, *last;
    size_t *sum_off;           /* n + 1 offsets into str_off */
    uint32_t *nterms;
    size_t *str_off;           /* summary strings, offsets into text */
    size_t nstr, str_cap;
    gema_buf text;             /* headlines and summary strings */
} story_table;

struct gema_stories {
    size_t n;
    uint32_t *story;           /* final story of each record, NONE32 if rejected */
    unsigned char *decision;   /* gema_story_decision */
    unsigned char *reject;
    unsigned char *lang;
    float *score;
    uint32_t *dup_of;
    story_table t;             /* kept stories (none when passed to on_story) */
    const char **sum_ptr;      /* t.str_off as pointers */
    gema_stories_stats stats;
};

static const char *const decision_names[] = { "new", "joined", "duplicate", "moved", "rejected" };

const char *gema_story_decision_name(gema_story_decision d)
{
    if ((unsigned)d > GEMA_STORY_REJECTED) return "unknown";
    return decision_names[d];
}

const char *gema_stories_language(size_t i)
{
    return i < GEMA_LANG_COUNT ? gema_lang_code((gema_lang)i) : NULL;
}

const char *gema_language_guess(const char *text, size_t len)
{
    if (!text || gema_stopwords_init() != GEMA_OK) return "und";
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    if (len > GEMA_TOKENIZE_MAX_BYTES) len = GEMA_TOKENIZE_MAX_BYTES;
    gema_lang l = GEMA_LANG_UND;
    if (gema_tokenize(&t, text, len, GEMA_TOKENIZE_SPANS) == GEMA_OK)
        l = gema_langid_tokens(&t, text, len);
    gema_tokenizer_free(&t);
    return gema_lang_code(l);
}

void gema_stories_options_default(gema_stories_options *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = 0.65;
    o->neighbours = 5;
    o->density_floor = 0.25;
    o->name_weight = 2.0;
    o->number_weight = 1.0;
    o->title_weight = 2.0;
    o->max_terms = 100;
    o->half_life_days = 2.0;
    o->grace_days = 1.0;
    o->window_days = 0;
    o->revisit = 1;
    o->dedup = 1;
    gema_dedup_options_default(&o->dedup_options);
    o->idf_sample = 20000;
    o->language = NULL;
    o->threads = 1;
}

/* ---- per-thread state ------------------------------------------------------ */

typedef struct {
    gema_reader *reader;
    gema_featurizer *fz;
    gema_idf *idf;
    gema_fvec v;
    gema_cleaned *cleaned;     /* with a cleaner only */
} worker;

typedef struct {
    const gema_corpus *corpus;
    const gema_stories_options *opt;
    gema_feature_params fp;
    size_t n;
    unsigned threads;
    worker *w;
    gema_stories *s;
    /* scan */
    int64_t *time;
    unsigned char *has_title;
    size_t stride;
    atomic_uint_fast64_t done_bytes;
    uint64_t total_bytes;
    /* dedup */
    gema_dedup *dd;
    uint32_t *lead;            /* record it follows (itself for a lead), NONE32 if rejected */
    uint32_t *follower;        /* a lead's first follower, a follower's next, in stream order */
    unsigned char **head;      /* a lead's headline candidate until its story is out:
                                  length byte, then the bytes */
    /* stream */
    uint32_t *order;
    uint32_t *pos;             /* position of each record in order */
    size_t norder;
    int64_t *real_time;        /* dates for the output (time is the stream's clock) */
    size_t *scratch;           /* members of the story being put out */
    size_t scratch_cap;
    gema_buf line;             /* its headline, when passed to on_story */
    gema_idf *idf;
    gema_clusterer *cl;
    gema_fvec *vec[2];         /* block buffers */
    size_t extract_block, cluster_block;
    int has_cluster, has_extract;
} run_ctx;

static int worker_init(run_ctx *x, worker *w)
{
    int rc = gema_reader_new(x->corpus, &w->reader);
    if (rc == GEMA_OK) rc = gema_featurizer_new(&x->fp, &w->fz);
    if (rc == GEMA_OK) rc = gema_idf_new(&w->idf);
    if (rc == GEMA_OK && x->opt->cleaner) rc = gema_cleaned_new(&w->cleaned);
    return rc;
}

static void worker_free(worker *w)
{
    gema_reader_free(w->reader);
    gema_featurizer_free(w->fz);
    gema_idf_free(w->idf);
    gema_fvec_free(&w->v);
    gema_cleaned_free(w->cleaned);
}

/* Read record i with its text cleaned when there is a cleaner: the text then
 * points into w->cleaned until the worker's next read. */
static int read_doc(const run_ctx *x, worker *w, size_t i, gema_doc *doc)
{
    int rc = gema_reader_get(w->reader, i, doc);
    if (rc != GEMA_OK) return rc;
    return gema_clean_view(x->opt->cleaner, doc, w->cleaned, &doc->text, &doc->text_len);
}

static void tick(void *p)
{
    run_ctx *x = p;
    if (x->opt->progress)
        x->opt->progress(x->opt->progress_user, atomic_load(&x->done_bytes), x->total_bytes);
}

/* ---- phase 2: scan ----------------------------------------------------------- */

/* What the scan keeps of record i, read as doc (uncleaned): its date and
 * usability, and the terms of a sampled article in the thread's table. */
static int scan_doc(run_ctx *x, worker *w, size_t i, const gema_doc *doc)
{
    x->s->reject[i] = (unsigned char)doc->reject;
    x->time[i] = doc->time;
    x->has_title[i] = doc->title_len > 0;
    if (doc->reject != GEMA_REJECT_NONE || i % x->stride != 0) return GEMA_OK;
    const char *text;
    size_t len;
    int rc = gema_clean_view(x->opt->cleaner, doc, w->cleaned, &text, &len);
    if (rc == GEMA_OK)
        rc = gema_features_extract(w->fz, doc->title, doc->title_len, text, len, NULL, &w->v);
    return rc == GEMA_OK ? gema_idf_add(w->idf, &w->v) : rc;
}

/* With dedup, the scan rides on its fingerprint pass, which parses every
 * record anyway (its threads are numbered as ours). */
static int scan_each(void *p, size_t i, const gema_doc *doc, unsigned thread)
{
    run_ctx *x = p;
    return scan_doc(x, &x->w[thread], i, doc);
}

/* Without dedup, a pass of its own. */
static int scan_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    worker *w = &x->w[thread];
    size_t from = task * SCAN_CHUNK, to = GEMA_MIN(x->n, from + SCAN_CHUNK);
    uint64_t bytes = 0;
    for (size_t i = from; i < to; i++) {
        gema_doc doc;
        int rc = gema_reader_get(w->reader, i, &doc);
        if (rc == GEMA_OK) rc = scan_doc(x, w, i, &doc);
        if (rc != GEMA_OK) return rc;
        bytes += doc.raw_len;
    }
    atomic_fetch_add(&x->done_bytes, bytes);
    return GEMA_OK;
}

/* The headline of doc: its title, or the first line with a letter, trimmed
 * and cut to HEADLINE_MAX bytes at a character boundary (a span of doc). */
static void headline_span(const gema_doc *doc, const char **out, size_t *out_len)
{
    const char *p = doc->title, *end;
    size_t len = doc->title_len;
    if (!len) {
        p = doc->text ? doc->text : "";
        end = p + doc->text_len;
        for (;;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end;
            int letters = 0;
            for (const char *q = p; q < le && !letters; q++)
                letters = ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (unsigned char)*q >= 0xC0;
            if (letters || !nl) {
                len = (size_t)(le - p);
                break;
            }
            p = nl + 1;
        }
    }
    while (len && (*p == ' ' || *p == '\t')) p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\r' || p[len - 1] == '\t')) len--;
    if (len > HEADLINE_MAX) {
        len = HEADLINE_MAX;
        while (len && ((unsigned char)p[len] & 0xC0) == 0x80) len--;
    }
    *out = p;
    *out_len = len;
}

/* ---- phase 4: cluster -------------------------------------------------------- */

static int extract_chunk(run_ctx *x, size_t chunk, unsigned thread)
{
    worker *w = &x->w[thread];
    size_t base = x->extract_block * BLOCK;
    size_t from = base + chunk * EXTRACT_CHUNK;
    size_t to = GEMA_MIN(GEMA_MIN(x->norder, base + BLOCK), from + EXTRACT_CHUNK);
    gema_fvec *vec = x->vec[x->extract_block & 1];
    uint64_t bytes = 0;
    for (size_t pos = from; pos < to; pos++) {
        uint32_t d = x->order[pos];
        if (x->lead[d] != d) continue; /* rejected or a follower */
        gema_doc doc;
        int rc = read_doc(x, w, d, &doc);
        if (rc != GEMA_OK) return rc;
        bytes += doc.raw_len;
        gema_fvec *v = &vec[pos - base];
        rc = gema_features_extract(w->fz, doc.title, doc.title_len, doc.text, doc.text_len, x->idf,
                                   v);
        if (rc != GEMA_OK) return rc;
        x->s->lang[d] = (unsigned char)v->lang;
        /* The headline is chosen as the story closes; keeping each lead's
         * candidate (at most HEADLINE_MAX bytes) until then spares reading
         * the chosen record again. */
        const char *hp;
        size_t hl;
        headline_span(&doc, &hp, &hl);
        unsigned char *h = malloc(1 + hl);
        if (!h) return GEMA_ERR_NOMEM;
        h[0] = (unsigned char)hl;
        memcpy(h + 1, hp, hl);
        x->head[d] = h;
    }
    atomic_fetch_add(&x->done_bytes, bytes);
    return GEMA_OK;
}

static int cluster_block(run_ctx *x)
{
    size_t base = x->cluster_block * BLOCK;
    size_t to = GEMA_MIN(x->norder, base + BLOCK);
    gema_fvec *vec = x->vec[x->cluster_block & 1];
    for (size_t pos = base; pos < to; pos++) {
        uint32_t d = x->order[pos];
        if (x->lead[d] != d) continue;
        int rc = gema_clusterer_push(x->cl, d, x->time[d], &vec[pos - base]);
        if (rc != GEMA_OK) return rc;
    }
    return GEMA_OK;
}

static int stream_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    if (x->has_cluster) {
        if (task == 0) return cluster_block(x);
        task--;
    }
    return extract_chunk(x, task, thread);
}

static int cmp_time(const void *a, const void *b, void *p)
{
    const int64_t *t = p;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    if (t[i] != t[j]) return t[i] < t[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* ---- phase 5: results, story by story as each closes ------------------------ */

static void table_free(story_table *t)
{
    free(t->start);
    free(t->members);
    free(t->head_rec);
    free(t->head_off);
    free(t->first);
    free(t->last);
    free(t->sum_off);
    free(t->nterms);
    free(t->str_off);
    gema_buf_free(&t->text);
    memset(t, 0, sizeof *t);
}

/* Room for story n (and the offset after it) in every per-story array. */
static int table_reserve(story_table *t, size_t n)
{
    if (n + 2 <= t->cap) return GEMA_OK;
    size_t cap = t->cap ? t->cap * 2 : 1024;
    while (cap < n + 2) cap *= 2;
    void **arrays[] = { (void **)&t->start, (void **)&t->head_rec, (void **)&t->head_off,
                        (void **)&t->first, (void **)&t->last, (void **)&t->sum_off,
                        (void **)&t->nterms };
    size_t sizes[] = { sizeof *t->start, sizeof *t->head_rec, sizeof *t->head_off,
                       sizeof *t->first, sizeof *t->last, sizeof *t->sum_off,
                       sizeof *t->nterms };
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        void *p = gema_realloc_array(*arrays[i], cap, sizes[i]);
        if (!p) return GEMA_ERR_NOMEM;
        *arrays[i] = p;
    }
    if (!t->cap) t->start[0] = t->sum_off[0] = 0;
    t->cap = cap;
    return GEMA_OK;
}

static int reserve_size(size_t **a, size_t *cap, size_t need)
{
    if (need <= *cap) return GEMA_OK;
    size_t c = *cap ? *cap * 2 : 1024;
    while (c < need) c *= 2;
    size_t *p = gema_realloc_array(*a, c, sizeof *p);
    if (!p) return GEMA_ERR_NOMEM;
    *a = p;
    *cap = c;
    return GEMA_OK;
}

/* A headline as one line (titles may hold line breaks), NUL-terminated, in b. */
static int put_line(gema_buf *b, const char *p, size_t len)
{
    b->len = 0;
    int rc = gema_buf_append(b, p, len);
    for (size_t i = 0; i < len && rc == GEMA_OK; i++)
        if (b->data[i] == '\n' || b->data[i] == '\r') b->data[i] = ' ';
    return rc ? rc : gema_buf_putc(b, '\0');
}

/* Keep story t->n as st (its headline and strings are copied). */
static int keep_story(story_table *t, const gema_story *st)
{
    size_t k = t->n;
    int rc = table_reserve(t, k);
    if (rc == GEMA_OK) rc = reserve_size(&t->members, &t->members_cap, t->nmembers + st->size);
    size_t nstr = st->nterms + st->nnames;
    if (rc == GEMA_OK) rc = reserve_size(&t->str_off, &t->str_cap, t->nstr + nstr);
    if (rc == GEMA_OK) {
        t->head_off[k] = t->text.len;
        rc = gema_buf_append(&t->text, st->headline, strlen(st->headline) + 1);
    }
    for (size_t i = 0; i < nstr && rc == GEMA_OK; i++) {
        const char *v = i < st->nterms ? st->terms[i] : st->names[i - st->nterms];
        t->str_off[t->nstr + i] = t->text.len;
        rc = gema_buf_append(&t->text, v, strlen(v) + 1);
    }
    if (rc != GEMA_OK) return rc;
    memcpy(t->members + t->nmembers, st->members, st->size * sizeof *st->members);
    t->nmembers += st->size;
    t->start[k + 1] = t->nmembers;
    t->head_rec[k] = st->headline_record;
    t->first[k] = st->first;
    t->last[k] = st->last;
    t->nterms[k] = (uint32_t)st->nterms;
    t->nstr += nstr;
    t->sum_off[k + 1] = t->nstr;
    t->n++;
    return GEMA_OK;
}

static int cmp_pos(const void *a, const void *b, void *p)
{
    const uint32_t *pos = p;
    uint32_t i = pos[*(const size_t *)a], j = pos[*(const size_t *)b];
    return i < j ? -1 : i > j;
}

/* The clusterer closed a story: its members are final.  Add the dedup
 * followers, choose the headline, and keep the story or pass it on. */
static int emit(void *p, uint32_t id, const gema_cluster_summary *sum)
{
    (void)id;
    run_ctx *x = p;
    gema_stories *s = x->s;
    size_t n = 0;
    for (uint32_t i = 0; i < sum->size; i++)
        for (uint32_t d = sum->members[i]; d != NONE32; d = x->follower[d]) {
            int rc = reserve_size(&x->scratch, &x->scratch_cap, n + 1);
            if (rc != GEMA_OK) return rc;
            x->scratch[n++] = d;
        }
    if (n > 1) qsort_r(x->scratch, n, sizeof *x->scratch, cmp_pos, x->pos);
    gema_story st;
    memset(&st, 0, sizeof st);
    st.size = n;
    st.members = x->scratch;
    st.first = st.last = GEMA_TIME_NONE;
    /* Headline: the most central lead, members with a title first; the
     * earliest wins a tie. */
    size_t head = SIZE_MAX;
    float best = -INFINITY;
    int titled = 0;
    for (size_t m = 0; m < n; m++) {
        size_t d = x->scratch[m];
        int64_t t = x->real_time[d];
        if (t != GEMA_TIME_NONE) {
            if (st.first == GEMA_TIME_NONE || t < st.first) st.first = t;
            if (st.last == GEMA_TIME_NONE || t > st.last) st.last = t;
        }
        if (x->lead[d] != d) continue;
        gema_cluster_doc cd;
        gema_clusterer_doc(x->cl, (uint32_t)d, &cd);
        int ti = x->has_title[d];
        if (head == SIZE_MAX || (ti && !titled) || (ti == titled && cd.centrality > best)) {
            best = cd.centrality;
            titled = ti;
            head = d;
        }
    }
    st.headline_record = head;
    const unsigned char *h = head != SIZE_MAX ? x->head[head] : NULL;
    int rc = put_line(&x->line, h ? (const char *)h + 1 : "", h ? h[0] : 0);
    if (rc != GEMA_OK) return rc;
    st.headline = x->line.data;
    st.nterms = sum->nterms;
    st.terms = sum->strings;
    st.nnames = sum->nnames;
    st.names = sum->strings + sum->nterms;
    size_t k = (size_t)s->stats.stories;
    if (k >= NONE32) return GEMA_ERR_TOO_BIG;
    for (size_t m = 0; m < n; m++) s->story[x->scratch[m]] = (uint32_t)k;
    s->stats.stories++;
    if (n == 1) s->stats.singletons++;
    if (x->opt->on_story) rc = x->opt->on_story(x->opt->on_story_user, k, &st);
    else rc = keep_story(&s->t, &st);
    for (uint32_t i = 0; i < sum->size; i++) {
        free(x->head[sum->members[i]]);
        x->head[sum->members[i]] = NULL;
    }
    return rc;
}

/* Kept stories, from closing order to the order of their first article. */
static int renumber(run_ctx *x)
{
    gema_stories *s = x->s;
    story_table *t = &s->t, u;
    memset(&u, 0, sizeof u);
    size_t ns = t->n;
    uint32_t *at = malloc((x->norder ? x->norder : 1) * sizeof *at);
    uint32_t *rank = malloc((ns ? ns : 1) * sizeof *rank);
    int rc = at && rank ? table_reserve(&u, ns) : GEMA_ERR_NOMEM;
    if (rc == GEMA_OK) rc = reserve_size(&u.members, &u.members_cap, t->nmembers);
    if (rc == GEMA_OK) rc = reserve_size(&u.str_off, &u.str_cap, t->nstr);
    if (rc == GEMA_OK) {
        for (size_t i = 0; i < x->norder; i++) at[i] = NONE32;
        for (size_t k = 0; k < ns; k++) at[x->pos[t->members[t->start[k]]]] = (uint32_t)k;
        for (size_t i = 0; i < x->norder; i++) {
            uint32_t k = at[i];
            if (k == NONE32) continue;
            size_t j = u.n++;
            rank[k] = (uint32_t)j;
            size_t m0 = t->start[k], m1 = t->start[k + 1];
            memcpy(u.members + u.nmembers, t->members + m0, (m1 - m0) * sizeof *u.members);
            u.nmembers += m1 - m0;
            u.start[j + 1] = u.nmembers;
            size_t s0 = t->sum_off[k], s1 = t->sum_off[k + 1];
            if (s1 > s0) memcpy(u.str_off + u.nstr, t->str_off + s0, (s1 - s0) * sizeof *u.str_off);
            u.nstr += s1 - s0;
            u.sum_off[j + 1] = u.nstr;
            u.head_rec[j] = t->head_rec[k];
            u.head_off[j] = t->head_off[k];
            u.first[j] = t->first[k];
            u.last[j] = t->last[k];
            u.nterms[j] = t->nterms[k];
        }
        for (size_t i = 0; i < s->n; i++)
            if (s->story[i] != NONE32) s->story[i] = rank[s->story[i]];
        u.text = t->text;
        memset(&t->text, 0, sizeof t->text);
        s->sum_ptr = malloc((u.nstr ? u.nstr : 1) * sizeof *s->sum_ptr);
        if (!s->sum_ptr) rc = GEMA_ERR_NOMEM;
        for (size_t i = 0; rc == GEMA_OK && i < u.nstr; i++) s->sum_ptr[i] = u.text.data + u.str_off[i];
    }
    free(at);
    free(rank);
    table_free(rc == GEMA_OK ? t : &u);
    if (rc == GEMA_OK) *t = u;
    return rc;
}

/* ---- the run -------------------------------------------------------------------- */

static int validate(const gema_stories_options *o)
{
    if (!(o->threshold >= 0 && o->threshold <= 10)) return GEMA_ERR_ARG;
    if (o->neighbours > 64 || !(o->density_floor > 0 && o->density_floor <= 1))
        return GEMA_ERR_ARG;
    if (!(o->name_weight >= 0 && o->number_weight >= 0 && o->title_weight >= 0))
        return GEMA_ERR_ARG;
    if (!(o->half_life_days >= 0 && o->grace_days >= 0 && o->window_days >= 0))
        return GEMA_ERR_ARG;
    if (o->language && gema_lang_from_code(o->language) == GEMA_LANG_UND &&
        strcmp(o->language, "und") != 0)
        return GEMA_ERR_ARG;
    return GEMA_OK;
}

static int run(run_ctx *x)
{
    const gema_stories_options *o = x->opt;
    gema_stories *s = x->s;
    size_t n = x->n;
    int rc;
    double t0 = gema_now();
    size_t usable_guess = n ? n : 1;
    size_t sample = o->idf_sample ? o->idf_sample : usable_guess;
    x->stride = (usable_guess + sample - 1) / sample;
    if (x->stride < 1) x->stride = 1;
    x->total_bytes = gema_corpus_bytes(x->corpus);
    /* 1. dedup, with the scan in its pass */
    if (o->dedup) {
        gema_dedup_options dopt = o->dedup_options;
        if (!dopt.cleaner) dopt.cleaner = o->cleaner;
        dopt.threads = x->threads;
        dopt.progress = o->progress;
        dopt.progress_user = o->progress_user;
        if ((rc = gema_dedup_run_each(x->corpus, &dopt, scan_each, x, &x->dd)) != GEMA_OK)
            return rc;
    }
    double t1 = gema_now();
    /* 2. scan, unless dedup did it; the IDF */
    if (!o->dedup) {
        atomic_store(&x->done_bytes, 0);
        size_t ntasks = (n + SCAN_CHUNK - 1) / SCAN_CHUNK;
        if ((rc = gema_parallel(x->threads, ntasks, scan_task, tick, x)) != GEMA_OK) return rc;
    }
    if ((rc = gema_idf_new(&x->idf)) != GEMA_OK) return rc;
    for (unsigned t = 0; t < x->threads; t++) {
        if ((rc = gema_idf_merge(x->idf, x->w[t].idf)) != GEMA_OK) return rc;
        gema_idf_free(x->w[t].idf);
        x->w[t].idf = NULL;
    }
    if ((rc = gema_idf_freeze(x->idf)) != GEMA_OK) return rc;
    s->stats.idf_docs = gema_idf_docs(x->idf);
    s->stats.vocabulary = gema_idf_terms(x->idf);
    double t2 = gema_now();
    /* 3. order */
    int64_t prev = GEMA_TIME_NONE, first_dated = GEMA_TIME_NONE;
    for (size_t i = 0; i < n; i++) {
        if (s->reject[i] != GEMA_REJECT_NONE) continue;
        s->stats.articles++;
        if (x->time[i] != GEMA_TIME_NONE) {
            s->stats.dated++;
            if (first_dated == GEMA_TIME_NONE) first_dated = x->time[i];
        }
    }
    int64_t *stream_t = malloc((n ? n : 1) * sizeof *stream_t);
    x->order = malloc((n ? n : 1) * sizeof *x->order);
    x->lead = malloc((n ? n : 1) * sizeof *x->lead);
    x->follower = malloc((n ? n : 1) * sizeof *x->follower);
    x->pos = malloc((n ? n : 1) * sizeof *x->pos);
    x->head = calloc(n ? n : 1, sizeof *x->head);
    if (!stream_t || !x->order || !x->lead || !x->follower || !x->pos || !x->head) {
        free(stream_t);
        return GEMA_ERR_NOMEM;
    }
    prev = first_dated == GEMA_TIME_NONE ? 0 : first_dated;
    for (size_t i = 0; i < n; i++) {
        if (x->time[i] != GEMA_TIME_NONE) prev = x->time[i];
        stream_t[i] = x->time[i] != GEMA_TIME_NONE ? x->time[i] : prev;
        x->order[i] = (uint32_t)i;
        x->follower[i] = NONE32;
    }
    qsort_r(x->order, n, sizeof *x->order, cmp_time, stream_t);
    x->norder = n;
    uint32_t *cl_lead = NULL;
    size_t ncl = x->dd ? gema_dedup_cluster_count(x->dd) : 0;
    if (ncl) {
        cl_lead = malloc(ncl * sizeof *cl_lead);
        if (!cl_lead) {
            free(stream_t);
            return GEMA_ERR_NOMEM;
        }
        for (size_t k = 0; k < ncl; k++) cl_lead[k] = NONE32;
    }
    for (size_t pos = 0; pos < n; pos++) {
        uint32_t d = x->order[pos];
        x->lead[d] = d;
        if (s->reject[d] != GEMA_REJECT_NONE) {
            x->lead[d] = NONE32;
            continue;
        }
        if (!x->dd) continue;
        gema_dedup_doc info;
        gema_dedup_doc_info(x->dd, d, &info);
        if (info.cluster == SIZE_MAX || info.cluster >= ncl) continue;
        if (cl_lead[info.cluster] == NONE32) {
            cl_lead[info.cluster] = d;
            continue;
        }
        x->lead[d] = cl_lead[info.cluster];
        s->stats.duplicates++;
    }
    free(cl_lead);
    /* Followers chained from their lead in stream order (pushed from the back). */
    for (size_t pos = n; pos-- > 0;) {
        uint32_t d = x->order[pos], l = x->lead[d];
        x->pos[d] = (uint32_t)pos;
        if (l == NONE32 || l == d) continue;
        x->follower[d] = x->follower[l];
        x->follower[l] = d;
    }
    /* The clusterer's clock: stream times, so undated articles sit where they
     * were found; real dates are kept for the output. */
    int64_t *real_t = x->time;
    x->real_time = real_t;
    x->time = stream_t;
    /* 4. cluster */
    gema_cluster_params cp;
    gema_cluster_params_default(&cp);
    cp.threshold = o->threshold;
    cp.neighbours = o->neighbours;
    cp.density_floor = o->density_floor;
    cp.revisit = o->revisit;
    cp.half_life = o->half_life_days * 86400.0;
    cp.grace = o->grace_days * 86400.0;
    cp.window = o->window_days > 0 ? o->window_days * 86400.0
                : o->half_life_days > 0 ? cp.grace + 3 * cp.half_life : 0;
    size_t leads = 0;
    for (size_t i = 0; i < n; i++) leads += x->lead[i] == i;
    if ((cp.window <= 0 || !s->stats.dated) && o->window_articles && leads > o->window_articles) {
        /* No clock cuts the stream into windows: its order stands for time,
         * one second an article, so held articles and live stories follow the
         * last windows, not the corpus.  An input of at most one window stays
         * one, exactly as without the option. */
        size_t k = 0;
        for (size_t pos = 0; pos < n; pos++) {
            uint32_t d = x->order[pos];
            if (x->lead[d] == d) stream_t[d] = (int64_t)k++;
        }
        cp.window = (double)o->window_articles;
        cp.half_life = 0;
        cp.grace = 0;
        /* Look for stories due to close every eighth of a window (a dated
         * stream looks every hour), so that closing keeps pace with windows
         * of a few thousand articles. */
        cp.close_every = (int64_t)(o->window_articles / 8);
        s->stats.window_articles = o->window_articles;
    }
    rc = gema_clusterer_new(&cp, n, &x->cl);
    if (rc == GEMA_OK) gema_clusterer_on_close(x->cl, emit, x);
    for (int b = 0; b < 2 && rc == GEMA_OK; b++) {
        x->vec[b] = calloc(BLOCK, sizeof(gema_fvec));
        if (!x->vec[b]) rc = GEMA_ERR_NOMEM;
    }
    atomic_store(&x->done_bytes, 0);
    size_t nblocks = (n + BLOCK - 1) / BLOCK;
    for (size_t step = 0; rc == GEMA_OK && step <= nblocks; step++) {
        x->has_cluster = step > 0;
        x->cluster_block = step - 1;
        x->has_extract = step < nblocks;
        x->extract_block = step;
        size_t chunks = 0;
        if (x->has_extract) {
            size_t in_block = GEMA_MIN((size_t)BLOCK, n - step * BLOCK);
            chunks = (in_block + EXTRACT_CHUNK - 1) / EXTRACT_CHUNK;
        }
        rc = gema_parallel(x->threads, chunks + (x->has_cluster ? 1 : 0), stream_task, tick, x);
    }
    if (rc == GEMA_OK) rc = gema_clusterer_finish(x->cl);
    double t3 = gema_now();
    x->time = real_t;
    free(stream_t);
    if (rc != GEMA_OK) return rc;
    /* 5. results */
    for (size_t i = 0; i < n; i++) {
        if (s->reject[i] != GEMA_REJECT_NONE) {
            s->decision[i] = GEMA_STORY_REJECTED;
            s->stats.rejected++;
            if (s->reject[i] < 8) s->stats.rejected_by[s->reject[i]]++;
            continue;
        }
        uint32_t l = x->lead[i];
        if (l != i) {
            gema_dedup_doc info;
            gema_dedup_doc_info(x->dd, i, &info);
            s->decision[i] = GEMA_STORY_DUPLICATE;
            if (info.representative != i) {
                s->dup_of[i] = (uint32_t)info.representative;
                s->score[i] = (float)info.similarity;
            } else {
                /* It represents its cluster but an earlier-dated copy leads. */
                gema_dedup_doc li;
                gema_dedup_doc_info(x->dd, l, &li);
                s->dup_of[i] = l;
                s->score[i] = (float)li.similarity;
            }
            s->lang[i] = s->lang[l];
        } else {
            gema_cluster_doc cd;
            gema_clusterer_doc(x->cl, (uint32_t)i, &cd);
            s->decision[i] = cd.decision == GEMA_DECIDE_NEW      ? GEMA_STORY_NEW
                             : cd.decision == GEMA_DECIDE_MOVED ? GEMA_STORY_MOVED
                                                                : GEMA_STORY_JOINED;
            s->score[i] = cd.score;
        }
        s->stats.languages[s->lang[i] < 32 ? s->lang[i] : 0]++;
    }
    if (!o->on_story && (rc = renumber(x)) != GEMA_OK) return rc;
    gema_cluster_stats cs;
    gema_clusterer_stats(x->cl, &cs);
    s->stats.opened = cs.opened;
    s->stats.joined = cs.joined;
    s->stats.moved = cs.moved;
    s->stats.revisited = cs.revisited;
    s->stats.scored = cs.scored;
    s->stats.story_postings = cs.story_postings;
    s->stats.article_postings = cs.article_postings;
    s->stats.skipped_postings = cs.skipped_postings;
    s->stats.merged = cs.merged;
    s->stats.peak_live_stories = cs.peak_live;
    s->stats.peak_pending = cs.peak_pending;
    s->stats.peak_story_bytes = cs.peak_story_bytes;
    for (unsigned t = 0; t < x->threads; t++) {
        uint64_t l, m;
        gema_featurizer_counts(x->w[t].fz, &l, &m);
        s->stats.stem_lookups += l;
        s->stats.stem_misses += m;
    }
    s->stats.bytes = gema_corpus_bytes(x->corpus);
    s->stats.seconds_dedup = t1 - t0;
    s->stats.seconds_scan = t2 - t1;
    s->stats.seconds_cluster = t3 - t2;
    s->stats.seconds_finish = gema_now() - t3;
    return GEMA_OK;
}

int gema_stories_run(const gema_corpus *corpus, const gema_stories_options *opt,
                     gema_stories **out)
{
    if (!corpus || !out) return GEMA_ERR_ARG;
    gema_stories_options defaults;
    if (!opt) {
        gema_stories_options_default(&defaults);
        opt = &defaults;
    }
    int rc = validate(opt);
    if (rc != GEMA_OK) return rc;
    size_t n = gema_corpus_count(corpus);
    if (n >= NONE32) return GEMA_ERR_TOO_BIG;
    gema_stories *s = calloc(1, sizeof *s);
    if (!s) return GEMA_ERR_NOMEM;
    s->n = n;
    size_t m = n ? n : 1;
    s->story = malloc(m * sizeof *s->story);
    s->decision = calloc(m, 1);
    s->reject = calloc(m, 1);
    s->lang = calloc(m, 1);
    s->score = calloc(m, sizeof *s->score);
    s->dup_of = malloc(m * sizeof *s->dup_of);
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.corpus = corpus;
    x.opt = opt;
    x.n = n;
    x.s = s;
    x.threads = opt->threads ? opt->threads : 1;
    if (x.threads > 256) x.threads = 256;
    x.fp.name_weight = opt->name_weight;
    x.fp.number_weight = opt->number_weight;
    x.fp.title_weight = opt->title_weight;
    x.fp.max_terms = opt->max_terms;
    x.fp.force_lang = gema_lang_from_code(opt->language);
    x.time = malloc(m * sizeof *x.time);
    x.has_title = calloc(m, 1);
    x.w = calloc(x.threads, sizeof *x.w);
    rc = (!s->story || !s->decision || !s->reject || !s->lang || !s->score || !s->dup_of ||
          !x.time || !x.has_title || !x.w)
             ? GEMA_ERR_NOMEM
             : GEMA_OK;
    if (rc == GEMA_OK) {
        for (size_t i = 0; i < n; i++) {
            s->story[i] = NONE32;
            s->dup_of[i] = NONE32;
        }
        for (unsigned t = 0; t < x.threads && rc == GEMA_OK; t++) rc = worker_init(&x, &x.w[t]);
    }
    if (rc == GEMA_OK) rc = run(&x);
    if (x.w)
        for (unsigned t = 0; t < x.threads; t++) worker_free(&x.w[t]);
    free(x.w);
    free(x.time);
    free(x.has_title);
    free(x.order);
    free(x.lead);
    free(x.follower);
    free(x.pos);
    if (x.head)
        for (size_t i = 0; i < n; i++) free(x.head[i]);
    free(x.head);
    free(x.scratch);
    gema_buf_free(&x.line);
    for (int b = 0; b < 2; b++) {
        if (!x.vec[b]) continue;
        for (size_t i = 0; i < BLOCK; i++) gema_fvec_free(&x.vec[b][i]);
        free(x.vec[b]);
    }
    gema_idf_free(x.idf);
    gema_clusterer_free(x.cl);
    gema_dedup_free(x.dd);
    if (rc != GEMA_OK) {
        gema_stories_free(s);
        return rc;
    }
    s->stats.records = n;
    *out = s;
    return GEMA_OK;
}

void gema_stories_free(gema_stories *s)
{
    if (!s) return;
    free(s->story);
    free(s->decision);
    free(s->reject);
    free(s->lang);
    free(s->score);
    free(s->dup_of);
    table_free(&s->t);
    free(s->sum_ptr);
    free(s);
}

size_t gema_stories_count(const gema_stories *s)
{
    return s ? s->t.n : 0;
}

int gema_stories_get(const gema_stories *s, size_t k, gema_story *out)
{
    if (!s || !out) return GEMA_ERR_ARG;
    if (k >= s->t.n) return GEMA_ERR_RANGE;
    const story_table *t = &s->t;
    out->size = t->start[k + 1] - t->start[k];
    out->members = t->members + t->start[k];
    out->headline_record = t->head_rec[k];
    out->headline = t->text.data + t->head_off[k];
    out->first = t->first[k];
    out->last = t->last[k];
    size_t total = t->sum_off[k + 1] - t->sum_off[k];
    out->nterms = t->nterms[k];
    out->terms = s->sum_ptr + t->sum_off[k];
    out->nnames = total - t->nterms[k];
    out->names = s->sum_ptr + t->sum_off[k] + t->nterms[k];
    return GEMA_OK;
}

int gema_stories_doc_info(const gema_stories *s, size_t i, gema_story_doc *out)
{
    if (!s || !out) return GEMA_ERR_ARG;
    if (i >= s->n) return GEMA_ERR_RANGE;
    out->decision = (gema_story_decision)s->decision[i];
    out->reject = (gema_reject)s->reject[i];
    out->story = s->story[i] == NONE32 ? SIZE_MAX : s->story[i];
    out->score = s->score[i];
    out->duplicate_of = s->dup_of[i] == NONE32 ? SIZE_MAX : s->dup_of[i];
    out->language = gema_lang_code((gema_lang)s->lang[i]);
    return GEMA_OK;
}

void gema_stories_stats_get(const gema_stories *s, gema_stories_stats *out)
{
    if (!s || !out) return;
    *out = s->stats;
}
