/*
 * ngram_index.c - hashed word n-grams, their inverted index, and candidate
 * pairs counted from it.
 *
 * One shard goes through four steps:
 *
 *   1. sort the packed (hash, document) entries: one scatter on the highest
 *      varying byte, then the buckets are radix-sorted in parallel;
 *   2. walk runs of equal hash: a run is the posting list of one n-gram.
 *      Runs of one document carry no pair; runs longer than max_df are
 *      counted and dropped;
 *   3. turn the kept postings around into, per document, the list of runs
 *      it appears in (a forward index, CSR layout);
 *   4. count pairs document by document: for document a, walk its runs and
 *      bump a counter for every later document b listed there.  The counters
 *      are a plain array indexed by document, one per thread, reset through a
 *      list of the entries touched, so the cost is the number of increments
 *      and no hash table of pairs is ever built.  Pairs come out in (a, b)
 *      order because the tasks cover ascending ranges of a and each task
 *      sorts its b's.
 *
 * Memory for a shard with E entries, P kept postings and D documents:
 * 16 E bytes while sorting (the chunks or a scatter buffer, and the sorted
 * keys), then 8 E + 8 P + 8 D for the sorted keys, postings, forward index
 * and its offsets, 8 D per thread for the counters, and 12 bytes per
 * candidate pair.
 */
#include "ngram_index.h"

#include "pool.h"

#define C1 0x9E3779B97F4A7C15ULL
#define C2 0xC2B2AE3D27D4EB4FULL

uint64_t gema_ngram_hash(const uint64_t *tok, unsigned n, uint64_t seed)
{
    uint64_t h = seed ^ ((uint64_t)n * C2);
    for (unsigned k = 0; k < n; k++) {
        h = (h ^ tok[k]) * C1;
        h ^= h >> 31;
    }
    h = (h ^ (h >> 33)) * C2;
    return h ^ (h >> 29);
}

int gema_ngrams(const uint64_t *tok, size_t ntok, unsigned n, uint64_t seed, gema_u64vec *out)
{
    if (n == 0) return GEMA_ERR_ARG;
    if (ntok < n) return GEMA_OK;
    size_t m = ntok - n + 1;
    int rc = gema_u64vec_reserve(out, out->len + m);
    if (rc != GEMA_OK) return rc;
    uint64_t *dst = out->v + out->len;
    for (size_t i = 0; i < m; i++) dst[i] = gema_ngram_hash(tok + i, n, seed);
    out->len += m;
    return GEMA_OK;
}

void gema_ngram_layout_init(gema_ngram_layout *l, size_t ndocs, unsigned shards)
{
    unsigned bits = 1;
    while (bits < 32 && ((size_t)1 << bits) < ndocs) bits++;
    l->doc_bits = bits;
    unsigned sb = 0;
    while (sb < 8 && (1u << sb) < shards) sb++;
    l->shard_bits = sb;
}

void gema_pair_counts_free(gema_pair_counts *p)
{
    free(p->pair);
    free(p->count);
    memset(p, 0, sizeof *p);
}

static int pairs_reserve(gema_pair_counts *p, size_t n)
{
    if (n <= p->cap) return GEMA_OK;
    size_t cap = p->cap ? p->cap : 256;
    while (cap < n) cap *= 2;
    uint64_t *a = gema_realloc_array(p->pair, cap, sizeof *a);
    if (!a) return GEMA_ERR_NOMEM;
    p->pair = a;
    uint32_t *c = gema_realloc_array(p->count, cap, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    p->count = c;
    p->cap = cap;
    return GEMA_OK;
}

/* ---- sorting ----------------------------------------------------------- */

void gema_radix_sort_u64(uint64_t *keys, uint64_t *tmp, size_t n)
{
    if (n < 2) return;
    uint64_t diff = 0;
    for (size_t i = 1; i < n; i++) diff |= keys[i] ^ keys[0];
    uint64_t *src = keys, *dst = tmp;
    size_t count[256];
    for (unsigned shift = 0; shift < 64; shift += 8) {
        if (((diff >> shift) & 0xFF) == 0) continue;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++) count[(src[i] >> shift) & 0xFF]++;
        size_t sum = 0;
        for (unsigned d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys) memcpy(keys, src, n * sizeof *keys);
}

typedef struct {
    uint64_t *keys, *tmp;
    size_t start[257];
} sort_ctx;

static int sort_bucket(void *p, size_t task, unsigned thread)
{
    GEMA_UNUSED(thread);
    sort_ctx *s = p;
    size_t lo = s->start[task], hi = s->start[task + 1];
    /* The scatter left the bucket in tmp; sort it there and copy it home. */
    gema_radix_sort_u64(s->tmp + lo, s->keys + lo, hi - lo);
    memcpy(s->keys + lo, s->tmp + lo, (hi - lo) * sizeof *s->keys);
    return GEMA_OK;
}

/*
 * Sort the entries of all chunks into a new array *out.  One scatter on the
 * highest byte that varies copies the chunks into a buffer (freeing each
 * chunk as it is copied); the 256 buckets are then radix-sorted on
 * `threads` threads into the result.  The lower bytes still decide the
 * order inside a bucket, so the result is exactly that of a plain radix
 * sort, and memory peaks at two copies of the entries.
 */
static int sort_chunks(gema_u64vec *chunks, size_t nchunks, size_t n, unsigned threads,
                       uint64_t **out)
{
    uint64_t *tmp = gema_alloc_array(n ? n : 1, sizeof *tmp);
    if (!tmp) return GEMA_ERR_NOMEM;
    uint64_t first = 0, diff = 0;
    int have = 0;
    for (size_t c = 0; c < nchunks; c++)
        for (size_t i = 0; i < chunks[c].len; i++) {
            if (!have) first = chunks[c].v[i], have = 1;
            diff |= chunks[c].v[i] ^ first;
        }
    unsigned top = diff ? 63 - (unsigned)__builtin_clzll(diff) : 7;
    unsigned shift = top >= 7 ? top - 7 : 0;
    sort_ctx s;
    s.tmp = tmp;
    memset(s.start, 0, sizeof s.start);
    for (size_t c = 0; c < nchunks; c++)
        for (size_t i = 0; i < chunks[c].len; i++) s.start[((chunks[c].v[i] >> shift) & 0xFF) + 1]++;
    for (unsigned d = 0; d < 256; d++) s.start[d + 1] += s.start[d];
    size_t pos[256];
    memcpy(pos, s.start, sizeof pos);
    for (size_t c = 0; c < nchunks; c++) {
        for (size_t i = 0; i < chunks[c].len; i++) {
            uint64_t k = chunks[c].v[i];
            tmp[pos[(k >> shift) & 0xFF]++] = k;
        }
        gema_u64vec_free(&chunks[c]);
    }
    s.keys = gema_alloc_array(n ? n : 1, sizeof *s.keys);
    if (!s.keys) {
        free(tmp);
        return GEMA_ERR_NOMEM;
    }
    /* Bits at and above `shift` are equal inside a bucket, so the bucket
     * sort skips them by itself. */
    int rc = gema_parallel(threads, 256, sort_bucket, NULL, &s);
    free(tmp);
    if (rc != GEMA_OK) {
        free(s.keys);
        return rc;
    }
    *out = s.keys;
    return GEMA_OK;
}

/* ---- pair counting ------------------------------------------------------ */

#define DOCS_PER_TASK 256

typedef struct {
    uint32_t *count;    /* per document */
    uint32_t *touched;
    size_t ntouched;
} counter;

typedef struct {
    gema_pair_counts out;
    uint64_t increments;
} task_out;

typedef struct {
    const uint32_t *post_doc;   /* documents of each kept run, ascending */
    const size_t *run_start;    /* nruns + 1 */
    const size_t *fwd_start;    /* ndocs + 1 */
    const uint32_t *fwd_run;
    size_t ndocs;
    unsigned min_count;
    counter *ctr;               /* per thread */
    task_out *tasks;
} count_ctx;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int count_task(void *p, size_t task, unsigned thread)
{
    count_ctx *x = p;
    counter *c = &x->ctr[thread];
    if (!c->count) {
        c->count = gema_alloc_array(x->ndocs, sizeof *c->count);
        c->touched = gema_alloc_array(x->ndocs, sizeof *c->touched);
        if (!c->count || !c->touched) return GEMA_ERR_NOMEM;
    }
    task_out *o = &x->tasks[task];
    size_t lo = task * DOCS_PER_TASK, hi = GEMA_MIN(x->ndocs, lo + DOCS_PER_TASK);
    for (size_t a = lo; a < hi; a++) {
        c->ntouched = 0;
        for (size_t f = x->fwd_start[a]; f < x->fwd_start[a + 1]; f++) {
            uint32_t r = x->fwd_run[f];
            size_t s = x->run_start[r], e = x->run_start[r + 1];
            /* Postings are ascending: skip to the documents after a. */
            while (s < e && x->post_doc[s] <= a) s++;
            o->increments += e - s;
            for (; s < e; s++) {
                uint32_t b = x->post_doc[s];
                if (c->count[b]++ == 0) c->touched[c->ntouched++] = b;
            }
        }
        if (c->ntouched > 1) qsort(c->touched, c->ntouched, sizeof *c->touched, cmp_u32);
        for (size_t t = 0; t < c->ntouched; t++) {
            uint32_t b = c->touched[t];
            if (c->count[b] >= x->min_count) {
                if (pairs_reserve(&o->out, o->out.len + 1) != GEMA_OK) return GEMA_ERR_NOMEM;
                o->out.pair[o->out.len] = (uint64_t)a << 32 | b;
                o->out.count[o->out.len] = c->count[b];
                o->out.len++;
            }
            c->count[b] = 0;
        }
    }
    return GEMA_OK;
}

/* Merge the sorted lists acc and add (summing counts of equal pairs). */
static int merge_pairs(gema_pair_counts *acc, gema_pair_counts *add)
{
    if (add->len == 0) return GEMA_OK;
    if (acc->len == 0) { /* take the list over */
        gema_pair_counts t = *acc;
        *acc = *add;
        *add = t;
        return GEMA_OK;
    }
    gema_pair_counts m = { 0 };
    if (pairs_reserve(&m, acc->len + add->len) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t i = 0, j = 0;
    while (i < acc->len || j < add->len) {
        if (j == add->len || (i < acc->len && acc->pair[i] < add->pair[j])) {
            m.pair[m.len] = acc->pair[i];
            m.count[m.len++] = acc->count[i++];
        } else if (i == acc->len || add->pair[j] < acc->pair[i]) {
            m.pair[m.len] = add->pair[j];
            m.count[m.len++] = add->count[j++];
        } else {
            m.pair[m.len] = acc->pair[i];
            m.count[m.len++] = acc->count[i++] + add->count[j++];
        }
    }
    gema_pair_counts_free(acc);
    *acc = m;
    return GEMA_OK;
}

void gema_pair_counts_filter(gema_pair_counts *acc, unsigned min_count)
{
    size_t k = 0;
    for (size_t i = 0; i < acc->len; i++) {
        if (acc->count[i] < min_count) continue;
        acc->pair[k] = acc->pair[i];
        acc->count[k++] = acc->count[i];
    }
    acc->len = k;
}

int gema_ngram_shard_pairs(const gema_ngram_layout *l, gema_u64vec *chunks, size_t nchunks,
                           size_t ndocs, unsigned max_df, unsigned min_count, unsigned threads,
                           gema_pair_counts *acc, gema_ngram_stats *stats)
{
    if (threads < 1) threads = 1;
    size_t n_entries = 0, capacity = 0;
    for (size_t c = 0; c < nchunks; c++) {
        n_entries += chunks[c].len;
        capacity += chunks[c].cap;
    }
    uint64_t peak = (uint64_t)(GEMA_MAX(capacity, n_entries) + n_entries) * sizeof(uint64_t);
    if (peak > stats->peak_bytes) stats->peak_bytes = peak;
    uint64_t *entries = NULL;
    int rc = sort_chunks(chunks, nchunks, n_entries, threads, &entries);
    if (rc != GEMA_OK) return rc;
    stats->entries += n_entries;

    /* Runs of equal hash: a run is the posting list of one n-gram. */
    size_t npost = 0, nruns = 0, runs_cap = 1024, post_cap = 1024;
    uint32_t *post_doc = gema_alloc_array(post_cap, sizeof *post_doc);
    size_t *run_start = gema_alloc_array(runs_cap + 1, sizeof *run_start);
    size_t *fwd_start = gema_alloc_array(ndocs + 1, sizeof *fwd_start);
    uint32_t *fwd_run = NULL;
    count_ctx cx;
    memset(&cx, 0, sizeof cx);
    gema_pair_counts shard = { 0 };
    size_t ntasks = (ndocs + DOCS_PER_TASK - 1) / DOCS_PER_TASK;
    if (!post_doc || !run_start || !fwd_start) {
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    uint64_t docmask = ((uint64_t)1 << l->doc_bits) - 1;
    for (size_t i = 0; i < n_entries;) {
        uint64_t h = entries[i] >> l->doc_bits;
        size_t j = i;
        size_t df = 0, first = npost;
        uint32_t last = UINT32_MAX;
        while (j < n_entries && (entries[j] >> l->doc_bits) == h) j++;
        stats->distinct++;
        for (size_t t = i; t < j; t++) df += t == i || (entries[t] & docmask) != (entries[t - 1] & docmask);
        if (df >= 2 && df <= max_df) {
            if (npost + df > post_cap) {
                size_t cap = post_cap;
                while (cap < npost + df) cap *= 2;
                uint32_t *pd = gema_realloc_array(post_doc, cap, sizeof *pd);
                if (!pd) {
                    rc = GEMA_ERR_NOMEM;
                    goto done;
                }
                post_doc = pd;
                post_cap = cap;
            }
            for (size_t t = i; t < j; t++) {
                uint32_t d = (uint32_t)(entries[t] & docmask);
                if (d == last) continue;
                post_doc[npost++] = d;
                last = d;
            }
            if (nruns == runs_cap) {
                size_t *r = gema_realloc_array(run_start, runs_cap * 2 + 1, sizeof *r);
                if (!r) {
                    rc = GEMA_ERR_NOMEM;
                    goto done;
                }
                run_start = r;
                runs_cap *= 2;
            }
            run_start[nruns++] = first;
            stats->shared++;
        } else if (df > max_df) {
            stats->over_df++;
        }
        i = j;
    }
    run_start[nruns] = npost;
    stats->postings += npost;

    /* Forward index: for each document, the runs it appears in. */
    memset(fwd_start, 0, (ndocs + 1) * sizeof *fwd_start);
    for (size_t p = 0; p < npost; p++) fwd_start[post_doc[p] + 1]++;
    for (size_t d = 0; d < ndocs; d++) fwd_start[d + 1] += fwd_start[d];
    fwd_run = gema_alloc_array(npost ? npost : 1, sizeof *fwd_run);
    if (!fwd_run) {
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    {
        size_t *fill = gema_alloc_array(ndocs + 1, sizeof *fill);
        if (!fill) {
            rc = GEMA_ERR_NOMEM;
            goto done;
        }
        memcpy(fill, fwd_start, (ndocs + 1) * sizeof *fill);
        for (size_t r = 0; r < nruns; r++)
            for (size_t p = run_start[r]; p < run_start[r + 1]; p++)
                fwd_run[fill[post_doc[p]]++] = (uint32_t)r;
        free(fill);
    }

    cx.post_doc = post_doc;
    cx.run_start = run_start;
    cx.fwd_start = fwd_start;
    cx.fwd_run = fwd_run;
    cx.ndocs = ndocs;
    cx.min_count = min_count;
    cx.ctr = gema_alloc_array(threads, sizeof *cx.ctr);
    cx.tasks = gema_alloc_array(ntasks ? ntasks : 1, sizeof *cx.tasks);
    if (!cx.ctr || !cx.tasks) {
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    rc = gema_parallel(threads, ntasks, count_task, NULL, &cx);
    /* Tasks cover ascending ranges of a, so their lists simply follow each
     * other; one merge then adds the shard to what earlier shards found. */
    size_t total = 0;
    for (size_t t = 0; rc == GEMA_OK && t < ntasks; t++) total += cx.tasks[t].out.len;
    if (rc == GEMA_OK && pairs_reserve(&shard, total) != GEMA_OK) rc = GEMA_ERR_NOMEM;
    for (size_t t = 0; rc == GEMA_OK && t < ntasks; t++) {
        const gema_pair_counts *o = &cx.tasks[t].out;
        stats->increments += cx.tasks[t].increments;
        if (o->len) {
            memcpy(shard.pair + shard.len, o->pair, o->len * sizeof *o->pair);
            memcpy(shard.count + shard.len, o->count, o->len * sizeof *o->count);
        }
        shard.len += o->len;
        gema_pair_counts_free(&cx.tasks[t].out);
    }
    if (rc == GEMA_OK) rc = merge_pairs(acc, &shard);
done:
    gema_pair_counts_free(&shard);
    if (cx.tasks)
        for (size_t t = 0; t < ntasks; t++) gema_pair_counts_free(&cx.tasks[t].out);
    free(cx.tasks);
    if (cx.ctr)
        for (unsigned t = 0; t < threads; t++) {
            free(cx.ctr[t].count);
            free(cx.ctr[t].touched);
        }
    free(cx.ctr);
    free(fwd_run);
    free(fwd_start);
    free(run_start);
    free(post_doc);
    free(entries);
    return rc;
}
