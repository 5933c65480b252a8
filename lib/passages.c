/*
 * passages.c - gema passages: from a corpus to aligned passages and groups.
 *
 * A run has three phases:
 *
 *   1. index (once per shard, parallel over chunks of documents): parse,
 *      tokenise (hashes only: the fast path), hash the word n-grams, keep
 *      each distinct n-gram of a document once, and keep those whose hash
 *      falls in the shard.  Then ngram_index.c sorts the entries and counts
 *      the n-grams each pair of documents shares.  The first pass also
 *      records what later phases need per document: reject reason, date,
 *      a hash of the site.  Shards exist so that the index of a corpus too
 *      big for memory can still be built: each shard re-reads the input
 *      (which is in memory or mapped anyway) and holds 1/shards of the
 *      entries.
 *   2. align (parallel over runs of candidate pairs with the same first
 *      document): document a is tokenised once for all its pairs; each b
 *      is tokenised and aligned against it (align.c).  Only pairs that
 *      produce passages are tokenised again with spans, to turn token
 *      positions into byte and code-point offsets.
 *   3. groups (passage_groups.c).
 *
 * Each task writes its own slot and slots are joined in task order, so the
 * result is the same at any thread count.
 */
#include "passages.h"

#include "align.h"
#include "clean.h"
#include "ngram_index.h"
#include "pool.h"
#include "tokenize.h"
#include "utf8.h"

#include <stdatomic.h>
#include <utf8proc.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define DOCS_PER_TASK 512
#define PAIRS_PER_TASK 32
/* The score a fragment needs before it may be merged into a passage: five
 * matched words net of edits.  A single chance seed (three words, score 6)
 * does not pass; on the PAN id-reuse data a bar of 10 removed every false
 * detection that merging chance seeds had made, at no cost in recall (see
 * doc/BENCHMARKS.md). */
#define MIN_FRAGMENT 10
/* Shared n-grams of a candidate pair may lie this many times max_gap words
 * apart and still count as one cluster: alignment bridges max_gap between
 * fragments, and each fragment may itself hold edits that break n-grams. */
#define CANDIDATE_GAP_FACTOR 2
/* Punctuation taken into a span at each end, at most. */
#define EDGE_PUNCT 4

void gema_passages_options_default(gema_passages_options *o)
{
    memset(o, 0, sizeof *o);
    o->ngram = 4;
    o->max_df = 100;
    o->rare_df = 0;
    o->window = 0;
    o->min_shared = 2;
    o->seed_words = 3;
    o->max_repeat = 10;
    o->min_words = 15;
    o->min_similarity = 0.3;
    o->max_gap = 30;
    o->xdrop = 16;
    o->cross_site_only = 0;
    o->index_memory = (size_t)4 << 30;
    o->shards = 0;
    o->threads = 1;
    o->seed = 0x67656D61ULL; /* "gema" */
}

const char *gema_passage_class_name(gema_passage_class cls)
{
    switch (cls) {
    case GEMA_CLASS_SAME_SITE: return "same-site";
    case GEMA_CLASS_CROSS_SITE: return "cross-site";
    case GEMA_CLASS_UNKNOWN:
    default: return "unknown";
    }
}

static int check_options(const gema_passages_options *o)
{
    if (o->ngram < 1 || o->ngram > 64 || o->window > 64 || o->max_df < 2 || o->min_shared < 1 ||
        o->seed_words < 1 || o->seed_words > 64 || o->max_repeat < 1 || o->min_words < 1 ||
        !(o->min_similarity >= 0 && o->min_similarity <= 1) || o->xdrop < 1 ||
        o->xdrop > 100000 || o->max_gap > 1000000 || o->shards > 256 || o->threads > 256)
        return GEMA_ERR_ARG;
    return GEMA_OK;
}

static void align_params(const gema_passages_options *o, gema_align_params *p)
{
    p->seed_words = o->seed_words;
    p->max_repeat = o->max_repeat;
    p->xdrop = (int)o->xdrop;
    p->min_fragment = MIN_FRAGMENT;
    p->max_gap = o->max_gap;
    p->min_words = o->min_words;
    p->min_similarity = o->min_similarity;
    p->seed = o->seed ^ 0x5EED5EED5EED5EEDULL;
}

/* ---- spans: tokens to bytes to code points ------------------------------------ */

static int edge_punct(int32_t cp, int at_start)
{
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_PO) return 1; /* . , ! ? " ' and the like */
    if (at_start) return c == UTF8PROC_CATEGORY_PS || c == UTF8PROC_CATEGORY_PI;
    return c == UTF8PROC_CATEGORY_PE || c == UTF8PROC_CATEGORY_PF;
}

/* Move a span start back over opening punctuation glued to the word. */
static size_t widen_start(const char *text, size_t at)
{
    for (int k = 0; k < EDGE_PUNCT && at > 0; k++) {
        size_t p = at - 1;
        while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80) p--;
        int32_t cp;
        gema_utf8_decode((const unsigned char *)text + p, at - p, &cp);
        if (!edge_punct(cp, 1)) break;
        at = p;
    }
    return at;
}

/* Move a span end forward over closing punctuation glued to the word. */
static size_t widen_end(const char *text, size_t len, size_t at)
{
    for (int k = 0; k < EDGE_PUNCT && at < len; k++) {
        int32_t cp;
        size_t n = gema_utf8_decode((const unsigned char *)text + at, len - at, &cp);
        if (!edge_punct(cp, 0)) break;
        at += n;
    }
    return at;
}

/* Code point offsets counted forward from the last offset asked for. */
typedef struct {
    size_t byte, cp;
} cp_cache;

static size_t cp_at(const char *text, cp_cache *c, size_t byte)
{
    if (byte < c->byte) c->byte = c->cp = 0;
    c->cp += gema_utf8_count(text + c->byte, byte - c->byte);
    c->byte = byte;
    return c->cp;
}

typedef struct {
    const char *text;           /* what was tokenised: the cleaned text with a cleaner */
    size_t len;
    const gema_tokenizer *tok;  /* with spans */
    const char *orig;           /* the document's own text, where offsets point */
    const gema_cleaned *cleaned; /* NULL: text is orig */
    cp_cache cache;
} side_src;

static int make_side(side_src *s, uint32_t t0, uint32_t t1, size_t doc, gema_passage_side *out)
{
    if (t1 <= t0 || t1 > s->tok->count) return GEMA_ERR_STATE;
    size_t b0 = widen_start(s->text, s->tok->tok[t0].start);
    size_t b1 = widen_end(s->text, s->len, s->tok->tok[t1 - 1].end);
    if (s->cleaned) {
        b0 = gema_cleaned_source_offset(s->cleaned, b0);
        b1 = gema_cleaned_source_end(s->cleaned, b1);
    }
    out->doc = doc;
    out->byte_start = b0;
    out->byte_end = b1;
    out->start = cp_at(s->orig, &s->cache, b0);
    out->end = cp_at(s->orig, &s->cache, b1);
    out->words = t1 - t0;
    return GEMA_OK;
}

static void fill_passage(const gema_span_pair *sp, gema_passage *p)
{
    p->matched = sp->matches;
    p->score = 2.0 * (double)sp->matches / (double)(p->a.words + p->b.words);
    if (p->score > 1) p->score = 1;
    p->cls = GEMA_CLASS_UNKNOWN;
    p->earlier = GEMA_EARLIER_NONE;
    p->group = SIZE_MAX;
}

/* ---- the run ---------------------------------------------------------------- */

typedef struct {
    gema_reader *ra, *rb;
    gema_cleaned *ca, *cb;      /* with a cleaner only */
    gema_tokenizer tok_a, tok_b, span_a, span_b;
    gema_u64vec grams;
    gema_aligner al;
} worker;

typedef struct {
    gema_passage *v;
    size_t n, cap;
    uint64_t aligned_pairs, skipped, cells;
} align_out;

typedef struct {
    const gema_corpus *corpus;
    const gema_passages_options *opt;
    gema_align_params ap;
    gema_ngram_index *ix;
    unsigned shard;
    size_t n;
    unsigned threads;
    worker *w;
    gema_passages *res;
    uint64_t *site;              /* hash of the site, 0 if none */
    unsigned char *invalid;
    /* index phase */
    uint64_t *task_words;
    uint64_t *task_bytes;        /* input bytes per scan task (progress) */
    size_t nscan;
    /* With several shards, the first pass may keep every document's n-gram
     * hashes (per scan task, documents in order; gcount per record) so that
     * later passes feed the index without parsing and tokenising again. */
    gema_u64vec *gcache;         /* nscan vectors, or NULL when not caching */
    uint32_t *gcount;
    /* align phase */
    gema_pair_counts pairs;
    size_t *atask;               /* natask + 1 boundaries into pairs */
    size_t natask;
    align_out *aout;
    /* progress */
    atomic_uint_fast64_t done;
    uint64_t total;
} run_ctx;

static int worker_init(const run_ctx *x, worker *w)
{
    memset(w, 0, sizeof *w);
    gema_tokenizer_init(&w->tok_a);
    gema_tokenizer_init(&w->tok_b);
    gema_tokenizer_init(&w->span_a);
    gema_tokenizer_init(&w->span_b);
    gema_aligner_init(&w->al);
    int rc = gema_reader_new(x->corpus, &w->ra);
    if (rc == GEMA_OK) rc = gema_reader_new(x->corpus, &w->rb);
    if (rc == GEMA_OK && x->opt->cleaner) rc = gema_cleaned_new(&w->ca);
    if (rc == GEMA_OK && x->opt->cleaner) rc = gema_cleaned_new(&w->cb);
    return rc;
}

/* Read record i; *text is what to find passages in: the document's text, or
 * its cleaned form (in c, until the next read into c). */
static int read_doc(const run_ctx *x, gema_reader *rd, gema_cleaned *c, size_t i,
                    gema_doc *doc, const char **text, size_t *len)
{
    int rc = gema_reader_get(rd, i, doc);
    return rc != GEMA_OK ? rc : gema_clean_view(x->opt->cleaner, doc, c, text, len);
}

static void worker_free(worker *w)
{
    gema_reader_free(w->ra);
    gema_reader_free(w->rb);
    gema_cleaned_free(w->ca);
    gema_cleaned_free(w->cb);
    gema_tokenizer_free(&w->tok_a);
    gema_tokenizer_free(&w->tok_b);
    gema_tokenizer_free(&w->span_a);
    gema_tokenizer_free(&w->span_b);
    gema_u64vec_free(&w->grams);
    gema_aligner_free(&w->al);
}

static void tick(void *p)
{
    run_ctx *x = p;
    if (x->opt->progress)
        x->opt->progress(x->opt->progress_user, atomic_load(&x->done), x->total);
}

static int scan_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    worker *w = &x->w[thread];
    gema_passages *r = x->res;
    size_t lo = task * DOCS_PER_TASK, hi = GEMA_MIN(x->n, lo + DOCS_PER_TASK);
    uint64_t bytes = 0, words = 0;
    int first = x->shard == 0;
    if (!first && x->gcache) {
        const gema_u64vec *c = &x->gcache[task];
        size_t off = 0;
        for (size_t i = lo; i < hi; i++) {
            if (r->reject[i] != GEMA_REJECT_NONE) continue;
            int rc = gema_ngram_index_add(x->ix, thread, x->shard, (uint32_t)i, c->v + off,
                                          x->gcount[i]);
            if (rc != GEMA_OK) return rc;
            off += x->gcount[i];
        }
        atomic_fetch_add(&x->done, x->task_bytes ? x->task_bytes[task] : 0);
        return GEMA_OK;
    }
    for (size_t i = lo; i < hi; i++) {
        gema_doc doc;
        int rc;
        if (!first && r->reject[i] != GEMA_REJECT_NONE) {
            rc = gema_corpus_record(x->corpus, i, &doc);
            if (rc != GEMA_OK) return rc;
            bytes += doc.raw_len + 1;
            continue;
        }
        const char *text;
        size_t len;
        rc = read_doc(x, w->ra, w->ca, i, &doc, &text, &len);
        if (rc != GEMA_OK) return rc;
        bytes += doc.raw_len + 1;
        if (first) {
            r->reject[i] = (unsigned char)doc.reject;
            if (doc.reject != GEMA_REJECT_NONE) continue;
            r->time[i] = doc.time;
            x->invalid[i] = doc.invalid_bytes > 0;
            x->site[i] = doc.site_len ? XXH3_64bits(doc.site, doc.site_len) | 1 : 0;
        }
        rc = gema_tokenize(&w->tok_a, text, len, 0);
        if (rc != GEMA_OK) return rc;
        words += w->tok_a.count;
        w->grams.len = 0;
        rc = gema_ngrams(w->tok_a.hash, w->tok_a.count, x->opt->ngram, x->opt->seed, &w->grams);
        if (rc != GEMA_OK) return rc;
        rc = gema_ngram_index_add(x->ix, thread, x->shard, (uint32_t)i, w->grams.v, w->grams.len);
        if (rc != GEMA_OK) return rc;
        if (first && x->gcache) {
            if (w->grams.len > UINT32_MAX) return GEMA_ERR_RANGE;
            x->gcount[i] = (uint32_t)w->grams.len;
            gema_u64vec *c = &x->gcache[task];
            rc = gema_u64vec_reserve(c, c->len + w->grams.len);
            if (rc != GEMA_OK) return rc;
            if (w->grams.len) memcpy(c->v + c->len, w->grams.v, w->grams.len * sizeof *c->v);
            c->len += w->grams.len;
        }
    }
    if (first && x->gcache && x->gcache[task].cap > x->gcache[task].len) {
        /* Give back the doubling slack: the cache lives through every pass. */
        gema_u64vec *c = &x->gcache[task];
        uint64_t *v = c->len ? gema_realloc_array(c->v, c->len, sizeof *v) : NULL;
        if (v || !c->len) {
            if (!c->len) free(c->v);
            c->v = v;
            c->cap = c->len;
        }
    }
    x->task_words[task] = words;
    if (first && x->task_bytes) x->task_bytes[task] = bytes;
    atomic_fetch_add(&x->done, bytes);
    return GEMA_OK;
}

static int push_passage(align_out *o, const gema_passage *p)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        gema_passage *v = gema_realloc_array(o->v, cap, sizeof *v);
        if (!v) return GEMA_ERR_NOMEM;
        o->v = v;
        o->cap = cap;
    }
    o->v[o->n++] = *p;
    return GEMA_OK;
}

static int align_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    worker *w = &x->w[thread];
    align_out *o = &x->aout[task];
    gema_passages *r = x->res;
    size_t cur_a = SIZE_MAX;
    gema_doc da, db;
    const char *text_a = NULL, *text_b;
    size_t len_a = 0, len_b;
    int have_span_a = 0;
    side_src sa;
    memset(&sa, 0, sizeof sa);
    memset(&da, 0, sizeof da);
    uint64_t bytes = 0;
    for (size_t k = x->atask[task]; k < x->atask[task + 1]; k++) {
        size_t a = (size_t)(x->pairs.pair[k] >> 32), b = (size_t)(uint32_t)x->pairs.pair[k];
        int same = x->site[a] && x->site[a] == x->site[b];
        if (x->opt->cross_site_only && same) {
            o->skipped++;
            continue;
        }
        int rc;
        if (a != cur_a) {
            rc = read_doc(x, w->ra, w->ca, a, &da, &text_a, &len_a);
            if (rc == GEMA_OK) rc = gema_tokenize(&w->tok_a, text_a, len_a, 0);
            if (rc == GEMA_OK) rc = gema_aligner_set_a(&w->al, &x->ap, w->tok_a.hash, w->tok_a.count);
            if (rc != GEMA_OK) return rc;
            cur_a = a;
            have_span_a = 0;
            bytes += da.raw_len + 1;
        }
        rc = read_doc(x, w->rb, w->cb, b, &db, &text_b, &len_b);
        if (rc == GEMA_OK) rc = gema_tokenize(&w->tok_b, text_b, len_b, 0);
        if (rc == GEMA_OK) rc = gema_aligner_run(&w->al, &x->ap, w->tok_b.hash, w->tok_b.count);
        if (rc != GEMA_OK) return rc;
        if (w->al.nout == 0) continue;
        o->aligned_pairs++;
        if (!have_span_a) {
            rc = gema_tokenize(&w->span_a, text_a, len_a, GEMA_TOKENIZE_SPANS);
            if (rc != GEMA_OK) return rc;
            sa.text = text_a;
            sa.len = len_a;
            sa.tok = &w->span_a;
            sa.orig = da.text;
            sa.cleaned = x->opt->cleaner ? w->ca : NULL;
            have_span_a = 1;
        }
        sa.cache.byte = sa.cache.cp = 0;
        rc = gema_tokenize(&w->span_b, text_b, len_b, GEMA_TOKENIZE_SPANS);
        if (rc != GEMA_OK) return rc;
        side_src sb = { text_b, len_b, &w->span_b, db.text, x->opt->cleaner ? w->cb : NULL, { 0, 0 } };
        for (size_t q = 0; q < w->al.nout; q++) {
            const gema_span_pair *sp = &w->al.out[q];
            gema_passage ps;
            rc = make_side(&sa, sp->a0, sp->a1, a, &ps.a);
            if (rc == GEMA_OK) rc = make_side(&sb, sp->b0, sp->b1, b, &ps.b);
            if (rc != GEMA_OK) return rc;
            fill_passage(sp, &ps);
            if (x->site[a] && x->site[b]) ps.cls = same ? GEMA_CLASS_SAME_SITE : GEMA_CLASS_CROSS_SITE;
            int64_t ta = r->time[a], tb = r->time[b];
            if (ta != GEMA_TIME_NONE && tb != GEMA_TIME_NONE && ta != tb)
                ps.earlier = ta < tb ? GEMA_EARLIER_A : GEMA_EARLIER_B;
            rc = push_passage(o, &ps);
            if (rc != GEMA_OK) return rc;
        }
    }
    o->cells = w->al.cells;
    w->al.cells = 0;
    atomic_fetch_add(&x->done, bytes);
    return GEMA_OK;
}

/* Split the candidate pairs into tasks that never split one document a. */
static int plan_align_tasks(run_ctx *x)
{
    size_t n = x->pairs.len, cap = n / PAIRS_PER_TASK + 2;
    x->atask = gema_alloc_array(cap + 1, sizeof *x->atask);
    if (!x->atask) return GEMA_ERR_NOMEM;
    size_t t = 0;
    x->atask[t] = 0;
    for (size_t k = 0; k < n;) {
        size_t j = k;
        while (j < n && j - k < PAIRS_PER_TASK) {
            uint64_t a = x->pairs.pair[j] >> 32;
            while (j < n && x->pairs.pair[j] >> 32 == a) j++;
        }
        if (t + 1 >= cap) {
            size_t *v = gema_realloc_array(x->atask, cap * 2 + 1, sizeof *v);
            if (!v) return GEMA_ERR_NOMEM;
            x->atask = v;
            cap *= 2;
        }
        x->atask[++t] = j;
        k = j;
    }
    x->natask = t;
    return GEMA_OK;
}

/* Bytes of cached n-gram hashes per input byte: one 8-byte hash per word,
 * about one word per six bytes of news text. */
#define GRAM_CACHE_PER_BYTE (8.0 / 6.0)

static uint64_t index_budget(const gema_passages_options *o)
{
    return o->index_memory ? o->index_memory : ((uint64_t)4 << 30);
}

/* Keep the n-grams between shard passes when there are at least
 * CACHE_MIN_SHARDS passes and the n-grams take at most half the budget; the
 * shards then share what is left.  With 2 shards of 1 GB the cache saved
 * nothing (index 20.3 s against 20.7 s: filling the index, not
 * tokenising, dominates a pass) and cost 1.2 GB; with 8 shards of 100 MB
 * it cut the index phase from 3.1 s to 0.8 s (doc/BENCHMARKS.md). */
#define CACHE_MIN_SHARDS 4

static int cache_grams(const gema_passages_options *o, uint64_t bytes, uint64_t shards)
{
    return shards >= CACHE_MIN_SHARDS &&
           (double)bytes * GRAM_CACHE_PER_BYTE <= (double)index_budget(o) / 2;
}

static unsigned plan_shards(const gema_passages_options *o, uint64_t bytes, unsigned window)
{
    /* Measured peak of a one-shard index (8-byte entries, then postings,
     * forward index, counters), as peak RSS less the input: 0.67 bytes per
     * input byte at 1 GB of news and 0.64 at 100 MB with winnowing (window
     * 4), 1.58 at 100 MB indexing every n-gram, since singletons are
     * dropped before sorting; 1 and 2.5 keep the peak under the budget.
     * See doc/BENCHMARKS.md. */
    uint64_t need = window > 1 ? bytes : bytes * 5 / 2;
    uint64_t budget = index_budget(o);
    uint64_t s = (need + budget - 1) / budget;
    if (cache_grams(o, bytes, s)) {
        budget -= (uint64_t)((double)bytes * GRAM_CACHE_PER_BYTE);
        s = (need + budget - 1) / budget;
    }
    return s < 1 ? 1 : s > 256 ? 256 : (unsigned)s;
}

/*
 * Shards and the winnowing window.  window 0 (the default) winnows with
 * AUTO_WINDOW when the index fits in one shard and indexes every n-gram
 * when it is sharded: a pair is a candidate only when two of its shared
 * n-grams meet in one shard, and the two fifths of them that winnowing
 * keeps, spread over many shards, rarely do.  At the same memory, every
 * n-gram in 16 shards found 0.983 of the planted passages of the 100 MB
 * corpus, winnowed in 8 shards 0.943 (doc/BENCHMARKS.md).
 */
#define AUTO_WINDOW 4

static unsigned shards_for(const gema_passages_options *o, uint64_t bytes, unsigned *window)
{
    if (o->shards) {
        *window = o->window ? o->window : o->shards > 1 ? 1 : AUTO_WINDOW;
        return o->shards;
    }
    unsigned w = o->window ? o->window : AUTO_WINDOW;
    unsigned s = plan_shards(o, bytes, w);
    if (s > 1 && !o->window) {
        w = 1;
        s = plan_shards(o, bytes, w);
    }
    *window = w;
    return s;
}

static int run_index(run_ctx *x)
{
    gema_passages *r = x->res;
    const gema_passages_options *o = x->opt;
    unsigned window;
    unsigned shards = shards_for(o, gema_corpus_bytes(x->corpus), &window);
    r->stats.window = window;
    int rc = gema_ngram_index_new(x->n, shards, x->threads, window, &x->ix);
    if (rc != GEMA_OK) return rc;
    r->stats.shards = gema_ngram_index_shards(x->ix);
    x->nscan = (x->n + DOCS_PER_TASK - 1) / DOCS_PER_TASK;
    x->total = gema_corpus_bytes(x->corpus) * (r->stats.shards + 1);
    x->task_words = gema_alloc_array(x->nscan ? x->nscan : 1, sizeof *x->task_words);
    x->task_bytes = gema_alloc_array(x->nscan ? x->nscan : 1, sizeof *x->task_bytes);
    if (!x->task_words || !x->task_bytes) return GEMA_ERR_NOMEM;
    if (cache_grams(o, gema_corpus_bytes(x->corpus), r->stats.shards)) {
        x->gcache = calloc(x->nscan ? x->nscan : 1, sizeof *x->gcache);
        x->gcount = calloc(x->n ? x->n : 1, sizeof *x->gcount);
        if (!x->gcache || !x->gcount) return GEMA_ERR_NOMEM;
    }
    /* Shared n-grams must cover more words than a set phrase: two n-grams
     * side by side (a shared six-word phrase gives two overlapping 5-grams,
     * covering six words), but never more than a passage has to. */
    gema_pair_params pp;
    pp.ngram = o->ngram;
    pp.max_df = o->max_df;
    pp.rare_df = o->rare_df;
    pp.min_shared = o->min_shared;
    pp.min_extent = GEMA_MIN(2 * o->ngram, o->min_words);
    pp.max_gap = CANDIDATE_GAP_FACTOR * GEMA_MAX(o->max_gap, 1u);
    gema_ngram_stats ns;
    memset(&ns, 0, sizeof ns);
    for (unsigned s = 0; s < r->stats.shards && rc == GEMA_OK; s++) {
        double t0 = gema_now();
        x->shard = s;
        rc = gema_parallel(x->threads, x->nscan, scan_task, tick, x);
        if (rc == GEMA_OK && s == 0)
            for (size_t t = 0; t < x->nscan; t++) r->stats.words += x->task_words[t];
        double t1 = gema_now();
        r->stats.seconds_index += t1 - t0;
        if (rc == GEMA_OK) rc = gema_ngram_index_pairs(x->ix, &pp, x->threads, &x->pairs, &ns);
        r->stats.seconds_candidates += gema_now() - t1;
    }
    if (x->gcache)
        for (size_t t = 0; t < x->nscan; t++) gema_u64vec_free(&x->gcache[t]);
    r->stats.index_entries = ns.entries;
    r->stats.index_peak_bytes = ns.peak_bytes;
    r->stats.ngrams_shared = ns.shared;
    r->stats.ngrams_over_df = ns.over_df;
    r->stats.pair_hits = ns.hits;
    r->stats.candidate_pairs = x->pairs.len;
    return rc;
}

static int run_align(run_ctx *x)
{
    gema_passages *r = x->res;
    double t0 = gema_now();
    int rc = plan_align_tasks(x);
    if (rc != GEMA_OK) return rc;
    x->aout = gema_alloc_array(x->natask ? x->natask : 1, sizeof *x->aout);
    if (!x->aout) return GEMA_ERR_NOMEM;
    rc = gema_parallel(x->threads, x->natask, align_task, tick, x);
    size_t total = 0;
    for (size_t t = 0; t < x->natask; t++) total += x->aout[t].n;
    if (rc == GEMA_OK) {
        r->pass = gema_alloc_array(total ? total : 1, sizeof *r->pass);
        if (!r->pass) rc = GEMA_ERR_NOMEM;
    }
    for (size_t t = 0; t < x->natask; t++) {
        align_out *o = &x->aout[t];
        if (rc == GEMA_OK) {
            if (o->n) memcpy(r->pass + r->npass, o->v, o->n * sizeof *o->v);
            r->npass += o->n;
        }
        r->stats.aligned_pairs += o->aligned_pairs;
        r->stats.skipped_same_site += o->skipped;
        r->stats.dp_cells += o->cells;
        free(o->v);
    }
    r->stats.seconds_align = gema_now() - t0;
    return rc;
}

static void finish_stats(run_ctx *x)
{
    gema_passages *r = x->res;
    gema_passages_stats *s = &r->stats;
    s->records = x->n;
    s->bytes = gema_corpus_bytes(x->corpus);
    for (size_t i = 0; i < x->n; i++) {
        if (r->reject[i] != GEMA_REJECT_NONE) {
            s->rejected++;
            if (r->reject[i] < 8) s->rejected_by[r->reject[i]]++;
        } else {
            s->documents++;
            s->invalid_utf8_docs += x->invalid[i];
        }
    }
    for (size_t k = 0; k < r->npass; k++) {
        r->count[r->pass[k].a.doc]++;
        r->count[r->pass[k].b.doc]++;
    }
    for (size_t i = 0; i < x->n; i++) s->docs_with_passages += r->count[i] > 0;
    s->passages = r->npass;
    s->groups = r->ngroups;
}

void gema_passages_free(gema_passages *p)
{
    if (!p) return;
    free(p->reject);
    free(p->time);
    free(p->count);
    free(p->pass);
    free(p->occ);
    free(p->group_start);
    free(p->group_docs);
    free(p->group_pass);
    free(p);
}

int gema_passages_run(const gema_corpus *corpus, const gema_passages_options *opt,
                      gema_passages **out)
{
    if (!corpus || !out) return GEMA_ERR_ARG;
    gema_passages_options defaults;
    if (!opt) {
        gema_passages_options_default(&defaults);
        opt = &defaults;
    }
    int rc = check_options(opt);
    if (rc != GEMA_OK) return rc;
    size_t n = gema_corpus_count(corpus);
    if (n >= UINT32_MAX) return GEMA_ERR_TOO_BIG;
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.corpus = corpus;
    x.opt = opt;
    x.n = n;
    x.threads = opt->threads ? opt->threads : 1;
    align_params(opt, &x.ap);
    atomic_init(&x.done, 0);
    gema_passages *r = calloc(1, sizeof *r);
    if (!r) return GEMA_ERR_NOMEM;
    x.res = r;
    r->n = n;
    size_t n1 = n ? n : 1;
    r->reject = calloc(n1, 1);
    r->time = gema_alloc_array(n1, sizeof *r->time);
    r->count = gema_alloc_array(n1, sizeof *r->count);
    x.site = gema_alloc_array(n1, sizeof *x.site);
    x.invalid = calloc(n1, 1);
    x.w = gema_alloc_array(x.threads, sizeof *x.w);
    if (!r->reject || !r->time || !r->count || !x.site || !x.invalid || !x.w) rc = GEMA_ERR_NOMEM;
    for (size_t i = 0; rc == GEMA_OK && i < n; i++) r->time[i] = GEMA_TIME_NONE;
    unsigned started = 0;
    for (; rc == GEMA_OK && started < x.threads; started++) rc = worker_init(&x, &x.w[started]);
    if (rc == GEMA_OK) rc = run_index(&x);
    if (rc == GEMA_OK) rc = run_align(&x);
    if (rc == GEMA_OK) {
        double t0 = gema_now();
        rc = gema_passage_groups(r);
        r->stats.seconds_group = gema_now() - t0;
    }
    if (rc == GEMA_OK) {
        finish_stats(&x);
        if (opt->progress) opt->progress(opt->progress_user, x.total, x.total);
    }
    for (unsigned t = 0; t < started; t++) worker_free(&x.w[t]);
    free(x.w);
    gema_ngram_index_free(x.ix);
    free(x.task_words);
    free(x.task_bytes);
    if (x.gcache)
        for (size_t t = 0; t < x.nscan; t++) gema_u64vec_free(&x.gcache[t]);
    free(x.gcache);
    free(x.gcount);
    gema_pair_counts_free(&x.pairs);
    free(x.atask);
    free(x.aout);
    free(x.site);
    free(x.invalid);
    if (rc != GEMA_OK) {
        gema_passages_free(r);
        return rc;
    }
    *out = r;
    return GEMA_OK;
}

size_t gema_passages_count(const gema_passages *p)
{
    return p ? p->npass : 0;
}

int gema_passages_get(const gema_passages *p, size_t k, gema_passage *out)
{
    if (!p || !out) return GEMA_ERR_ARG;
    if (k >= p->npass) return GEMA_ERR_RANGE;
    *out = p->pass[k];
    return GEMA_OK;
}

size_t gema_passages_group_count(const gema_passages *p)
{
    return p ? p->ngroups : 0;
}

int gema_passages_group_get(const gema_passages *p, size_t k, gema_passage_group *out)
{
    if (!p || !out) return GEMA_ERR_ARG;
    if (k >= p->ngroups) return GEMA_ERR_RANGE;
    out->size = p->group_start[k + 1] - p->group_start[k];
    out->documents = p->group_docs[k];
    out->passages = p->group_pass[k];
    out->occ = p->occ + p->group_start[k];
    return GEMA_OK;
}

int gema_passages_doc_info(const gema_passages *p, size_t index, gema_passages_doc *out)
{
    if (!p || !out) return GEMA_ERR_ARG;
    if (index >= p->n) return GEMA_ERR_RANGE;
    out->reject = (gema_reject)p->reject[index];
    out->passages = p->count[index];
    return GEMA_OK;
}

void gema_passages_stats_get(const gema_passages *p, gema_passages_stats *out)
{
    if (!out) return;
    if (!p) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = p->stats;
}

/* ---- two texts ------------------------------------------------------------------ */

struct gema_alignment {
    char *a, *b;
    size_t alen, blen;
    gema_tokenizer ta, tb;
    gema_align_params ap;
    gema_span_pair *span;
    gema_passage *pass;
    size_t n;
    gema_edit **edits;           /* per passage, computed on request */
    size_t *nedits;
};

void gema_alignment_free(gema_alignment *al)
{
    if (!al) return;
    free(al->a);
    free(al->b);
    gema_tokenizer_free(&al->ta);
    gema_tokenizer_free(&al->tb);
    free(al->span);
    free(al->pass);
    if (al->edits)
        for (size_t k = 0; k < al->n; k++) free(al->edits[k]);
    free(al->edits);
    free(al->nedits);
    free(al);
}

static char *copy_text(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (!c) return NULL;
    if (len) memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

int gema_align_texts(const char *a, size_t alen, const char *b, size_t blen,
                     const gema_passages_options *opt, gema_alignment **out)
{
    if ((!a && alen) || (!b && blen) || !out) return GEMA_ERR_ARG;
    gema_passages_options defaults;
    if (!opt) {
        gema_passages_options_default(&defaults);
        opt = &defaults;
    }
    int rc = check_options(opt);
    if (rc != GEMA_OK) return rc;
    if (!gema_utf8_valid(a ? a : "", alen) || !gema_utf8_valid(b ? b : "", blen))
        return GEMA_ERR_FORMAT;
    if (alen > GEMA_TOKENIZE_MAX_BYTES || blen > GEMA_TOKENIZE_MAX_BYTES) return GEMA_ERR_TOO_BIG;
    gema_alignment *al = calloc(1, sizeof *al);
    if (!al) return GEMA_ERR_NOMEM;
    gema_tokenizer_init(&al->ta);
    gema_tokenizer_init(&al->tb);
    align_params(opt, &al->ap);
    al->a = copy_text(a ? a : "", alen);
    al->b = copy_text(b ? b : "", blen);
    al->alen = alen;
    al->blen = blen;
    gema_aligner aligner;
    gema_aligner_init(&aligner);
    rc = al->a && al->b ? GEMA_OK : GEMA_ERR_NOMEM;
    if (rc == GEMA_OK) rc = gema_tokenize(&al->ta, al->a, alen, GEMA_TOKENIZE_SPANS);
    if (rc == GEMA_OK) rc = gema_tokenize(&al->tb, al->b, blen, GEMA_TOKENIZE_SPANS);
    if (rc == GEMA_OK) rc = gema_aligner_set_a(&aligner, &al->ap, al->ta.hash, al->ta.count);
    if (rc == GEMA_OK) rc = gema_aligner_run(&aligner, &al->ap, al->tb.hash, al->tb.count);
    if (rc == GEMA_OK && aligner.nout) {
        size_t n = aligner.nout;
        al->span = gema_alloc_array(n, sizeof *al->span);
        al->pass = gema_alloc_array(n, sizeof *al->pass);
        al->edits = calloc(n, sizeof *al->edits);
        al->nedits = calloc(n, sizeof *al->nedits);
        if (!al->span || !al->pass || !al->edits || !al->nedits) rc = GEMA_ERR_NOMEM;
        side_src sa = { al->a, alen, &al->ta, al->a, NULL, { 0, 0 } };
        side_src sb = { al->b, blen, &al->tb, al->b, NULL, { 0, 0 } };
        for (size_t k = 0; rc == GEMA_OK && k < n; k++) {
            al->span[k] = aligner.out[k];
            gema_passage *ps = &al->pass[k];
            rc = make_side(&sa, al->span[k].a0, al->span[k].a1, 0, &ps->a);
            if (rc == GEMA_OK) rc = make_side(&sb, al->span[k].b0, al->span[k].b1, 1, &ps->b);
            fill_passage(&al->span[k], ps);
            al->n = k + 1;
        }
    }
    gema_aligner_free(&aligner);
    if (rc != GEMA_OK) {
        gema_alignment_free(al);
        return rc;
    }
    *out = al;
    return GEMA_OK;
}

size_t gema_alignment_count(const gema_alignment *al)
{
    return al ? al->n : 0;
}

int gema_alignment_get(const gema_alignment *al, size_t k, gema_passage *out)
{
    if (!al || !out) return GEMA_ERR_ARG;
    if (k >= al->n) return GEMA_ERR_RANGE;
    *out = al->pass[k];
    return GEMA_OK;
}

int gema_alignment_edits(gema_alignment *al, size_t k, const gema_edit **edits, size_t *n)
{
    if (!al || !edits || !n) return GEMA_ERR_ARG;
    if (k >= al->n) return GEMA_ERR_RANGE;
    if (!al->edits[k]) {
        gema_token_op *ops = NULL;
        size_t nops = 0;
        int rc = gema_align_ops(&al->ap, al->ta.hash, al->ta.count, al->tb.hash, al->tb.count,
                                &al->span[k], &ops, &nops);
        if (rc != GEMA_OK) return rc;
        gema_edit *e = gema_alloc_array(nops ? nops : 1, sizeof *e);
        if (!e) {
            free(ops);
            return GEMA_ERR_NOMEM;
        }
        const gema_passage *ps = &al->pass[k];
        /* Each edit starts where its first word starts (the first edit at
         * the passage start, punctuation included) and ends where the next
         * edit with words on that side starts; so the ranges tile the span.
         * Walking backwards gives every edit that next start. */
        size_t next_a = ps->a.byte_end, next_b = ps->b.byte_end;
        for (size_t i = nops; i-- > 0;) {
            e[i].kind = (gema_edit_kind)ops[i].op;
            e[i].a_end = next_a;
            e[i].b_end = next_b;
            if (ops[i].a1 > ops[i].a0) next_a = i ? al->ta.tok[ops[i].a0].start : ps->a.byte_start;
            if (ops[i].b1 > ops[i].b0) next_b = i ? al->tb.tok[ops[i].b0].start : ps->b.byte_start;
            e[i].a_start = ops[i].a1 > ops[i].a0 ? next_a : e[i].a_end;
            e[i].b_start = ops[i].b1 > ops[i].b0 ? next_b : e[i].b_end;
        }
        /* The first edit takes in the widened start even if it has no
         * words on that side. */
        if (nops) {
            e[0].a_start = GEMA_MIN(e[0].a_start, ps->a.byte_start);
            e[0].b_start = GEMA_MIN(e[0].b_start, ps->b.byte_start);
        }
        free(ops);
        al->edits[k] = e;
        al->nedits[k] = nops;
    }
    *edits = al->edits[k];
    *n = al->nedits[k];
    return GEMA_OK;
}
