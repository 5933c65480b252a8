/*
 * dedup.c - exact and near-duplicate documents, from corpus to clusters.
 *
 * The run has five phases; only the first touches every byte of input.
 *
 *   1. fingerprint (parallel over chunks of documents): parse, tokenise,
 *      hash the normalised text (XXH3-128), shingle, MinHash, band keys.
 *      Per document we keep 16 bytes of exact hash, the band keys (8 bytes
 *      each) and a few bytes of metadata; signatures and shingles are
 *      dropped as soon as the keys are made.
 *   2. exact groups: sort by the 128-bit hash.  Each group sends one
 *      entrant, the one the keep policy prefers, into near matching.
 *   3. candidates: group each band's keys (kept band by band); documents
 *      sharing a key are candidate pairs (lsh.c).
 *   4. verify and 5. group (parallel over connected components of the
 *      candidate graph): rebuild shingle sets from the text (the input
 *      stays in memory, so this costs CPU, not storage), compare a pair
 *      only when union-find has not already joined it, then split each
 *      group around its representative so every member really is similar
 *      to the document it is reported as a duplicate of.
 *
 * Everything that could depend on thread timing is written to per-item
 * slots and combined in index order, so the result is the same at any -j.
 */
#include "clean.h"
#include "common.h"
#include "dedup.h"
#include "lsh.h"
#include "minhash.h"
#include "pool.h"
#include "shingle.h"
#include "tokenize.h"
#include "unionfind.h"
#include "utf8.h"

#include <math.h>
#include <stdatomic.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#define DOCS_PER_TASK 512
#define NONE32 UINT32_MAX

struct gema_dedup {
    size_t n;
    unsigned char *state;   /* gema_doc_state */
    unsigned char *reject;  /* gema_reject */
    unsigned char *exact;
    uint32_t *cluster;      /* NONE32 if in none */
    uint32_t *rep;
    float *sim;
    size_t nclusters;
    size_t *cl_start;       /* nclusters + 1 offsets into cl_members */
    size_t *cl_members;
    size_t *cl_rep;
    uint64_t *pairs;        /* verified pairs, a << 32 | b */
    float *pair_sim;
    size_t npairs;
    gema_dedup_stats stats;
};

void gema_dedup_options_default(gema_dedup_options *o)
{
    memset(o, 0, sizeof *o);
    o->shingle = 5;
    o->threshold = 0.7;
    o->num_hashes = 128;
    o->bands = 0;
    o->rows = 0;
    /* Every candidate is verified on its real shingle sets, so a false
     * positive costs one comparison while a false negative is a duplicate
     * lost for good.  With misses weighed 49 times as much, t 0.7 gets 23x5
     * bands (datasketch's 0.5/0.5 gives 14x9): on the benchmark corpus pair
     * recall goes from 0.964 to 0.995, every remaining miss is a clustering
     * limit rather than an LSH one, and the cost is +5 band keys per
     * document and a few percent of run time (doc/BENCHMARKS.md, dedup). */
    o->fp_weight = 0.02;
    o->fn_weight = 0.98;
    o->scheme = GEMA_MINHASH_OPH;
    o->similarity = GEMA_SIM_JACCARD;
    o->keep = GEMA_KEEP_FIRST;
    o->threads = 1;
    o->seed = 0x67656D61ULL; /* "gema" */
}

/* ---- per-thread state -------------------------------------------------- */

/* Per-thread state for working on one candidate component (phase 4-5). */
typedef struct {
    gema_u64vec *sets;        /* per local member */
    unsigned char *have;      /* set built */
    size_t cap;               /* entries allocated */
    size_t cached;            /* hash values held */
    uint32_t *parent;         /* local union-find */
    uint32_t *mark;           /* generation mark: member is in the current list */
    uint32_t *stack;
    size_t stack_cap;
} comp_state;

typedef struct {
    gema_reader *reader;
    gema_cleaned *cleaned;      /* with a cleaner only */
    gema_tokenizer tok;
    gema_u64vec shingles;
    gema_u64vec set_a, set_b;   /* scratch sets once the cache budget is spent */
    uint32_t *sig;
    comp_state cs;
} worker;

typedef struct {
    const gema_corpus *corpus;
    const gema_dedup_options *opt;
    gema_dedup_each_fn each;
    void *each_user;
    gema_minhasher mh;
    unsigned bands, rows;
    uint64_t band_seed, shingle_seed;
    size_t n;
    unsigned threads;
    worker *w;
    gema_dedup *d;
    /* phase 1 outputs */
    XXH128_hash_t *hash;
    uint64_t *keys;          /* bands * n, band by band */
    uint32_t *length;        /* code points of text */
    int64_t *time;
    unsigned char *has_sig;
    unsigned char *invalid;
    /* phase 2 */
    uint32_t *entrant;       /* entrant of each document's exact group */
    unsigned char *active;
    /* phases 3-5 */
    gema_u64vec cand;             /* candidate pairs, a << 32 | b, sorted */
    float *cand_sim;              /* similarity of each, NaN until compared */
    size_t *comp_start;           /* candidate components: members ... */
    uint32_t *comp;
    size_t *pair_start;           /* ... and pairs (indices into cand) */
    size_t *pair_idx;
    size_t ncomp;
    struct comp_result *cres;
    /* progress */
    atomic_uint_fast64_t done_bytes;
    uint64_t total_bytes;
} run_ctx;

static void comp_state_free(comp_state *cs);

static int worker_init(run_ctx *x, worker *w)
{
    memset(w, 0, sizeof *w);
    gema_tokenizer_init(&w->tok);
    w->sig = gema_alloc_array(x->opt->num_hashes, sizeof *w->sig);
    if (!w->sig) return GEMA_ERR_NOMEM;
    if (x->opt->cleaner) {
        int rc = gema_cleaned_new(&w->cleaned);
        if (rc != GEMA_OK) return rc;
    }
    return gema_reader_new(x->corpus, &w->reader);
}

static void worker_free(worker *w)
{
    gema_reader_free(w->reader);
    gema_cleaned_free(w->cleaned);
    gema_tokenizer_free(&w->tok);
    gema_u64vec_free(&w->shingles);
    gema_u64vec_free(&w->set_a);
    gema_u64vec_free(&w->set_b);
    comp_state_free(&w->cs);
    free(w->sig);
}

/* ---- phase 1: fingerprints ---------------------------------------------- */

static int fingerprint_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    worker *w = &x->w[thread];
    size_t lo = task * DOCS_PER_TASK, hi = GEMA_MIN(x->n, lo + DOCS_PER_TASK);
    uint64_t bytes = 0;
    for (size_t i = lo; i < hi; i++) {
        gema_doc doc;
        int rc = gema_reader_get(w->reader, i, &doc);
        if (rc != GEMA_OK) return rc;
        bytes += doc.raw_len + 1;
        if (x->each && (rc = x->each(x->each_user, i, &doc, thread)) != GEMA_OK) return rc;
        x->d->reject[i] = (unsigned char)doc.reject;
        if (doc.reject != GEMA_REJECT_NONE) continue;
        x->invalid[i] = doc.invalid_bytes > 0;
        x->time[i] = doc.time;
        if (x->opt->keep == GEMA_KEEP_LONGEST) { /* the only use of the length */
            size_t cps = gema_utf8_count(doc.text, doc.text_len);
            x->length[i] = cps > UINT32_MAX ? UINT32_MAX : (uint32_t)cps;
        }
        const char *text;
        size_t len;
        rc = gema_clean_view(x->opt->cleaner, &doc, w->cleaned, &text, &len);
        if (rc == GEMA_OK) rc = gema_tokenize(&w->tok, text, len, 0);
        if (rc != GEMA_OK) return rc;
        uint64_t dg[2];
        gema_tokens_digest(&w->tok, dg);
        x->hash[i].high64 = dg[0];
        x->hash[i].low64 = dg[1];
        w->shingles.len = 0;
        rc = gema_shingles(w->tok.hash, w->tok.count, x->opt->shingle, x->shingle_seed,
                           &w->shingles);
        if (rc != GEMA_OK) return rc;
        if (gema_minhash(&x->mh, w->shingles.v, w->shingles.len, w->sig)) {
            x->has_sig[i] = 1;
            gema_lsh_band_keys(w->sig, x->bands, x->rows, x->band_seed, x->keys + i, x->n);
        }
    }
    atomic_fetch_add(&x->done_bytes, bytes);
    return GEMA_OK;
}

static void tick(void *p)
{
    run_ctx *x = p;
    if (x->opt->progress)
        x->opt->progress(x->opt->progress_user, atomic_load(&x->done_bytes), x->total_bytes);
}

/* ---- phase 2: exact groups ---------------------------------------------- */

/* Is document a preferred over b as a representative? */
static int better(const run_ctx *x, uint32_t a, uint32_t b)
{
    switch (x->opt->keep) {
    case GEMA_KEEP_LONGEST:
        if (x->length[a] != x->length[b]) return x->length[a] > x->length[b];
        break;
    case GEMA_KEEP_EARLIEST: {
        int64_t ta = x->time[a], tb = x->time[b];
        if (ta != tb) {
            if (ta == GEMA_TIME_NONE) return 0;
            if (tb == GEMA_TIME_NONE) return 1;
            return ta < tb;
        }
        break;
    }
    case GEMA_KEEP_FIRST:
    default:
        break;
    }
    return a < b;
}

static int exact_groups(run_ctx *x)
{
    size_t m = 0;
    for (size_t i = 0; i < x->n; i++) m += x->d->reject[i] == GEMA_REJECT_NONE;
    gema_hash_doc *h = gema_alloc_array(m, sizeof *h);
    if (!h) return GEMA_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < x->n; i++) {
        x->entrant[i] = NONE32;
        if (x->d->reject[i] != GEMA_REJECT_NONE) continue;
        h[k].hi = x->hash[i].high64;
        h[k].lo = x->hash[i].low64;
        h[k].doc = (uint32_t)i;
        k++;
    }
    gema_hash_doc_sort(h, m);
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && h[j].hi == h[i].hi && h[j].lo == h[i].lo) j++;
        uint32_t best = h[i].doc;
        for (size_t t = i + 1; t < j; t++)
            if (better(x, h[t].doc, best)) best = h[t].doc;
        for (size_t t = i; t < j; t++) x->entrant[h[t].doc] = best;
        x->active[best] = x->has_sig[best];
        i = j;
    }
    free(h);
    return GEMA_OK;
}

/* ---- phases 4 and 5: verify and group, one candidate component at a time
 *
 * Candidate pairs are split into connected components first.  Each
 * component is then handled start to finish by one thread, so threads never
 * share a document, and the order of work inside a component is fixed:
 *
 *   - pieces: go through the component's candidate pairs in order and
 *     compare a pair only if union-find does not already join its two
 *     documents (a group of g copies costs about g comparisons, not g^2/2);
 *   - representatives: the preferred document of each piece is its
 *     representative; members that do not reach the threshold against it
 *     are split off, and the rest of them is pieced again the same way
 *     (pairs skipped earlier are compared now if they matter).
 *
 * Each member's shingle set is built once per component and kept while the
 * component is worked on, within a memory budget per thread.
 */

#define SET_CACHE_BUDGET ((size_t)4 << 20) /* cached shingle hashes per thread (32 MiB) */

typedef struct {
    uint32_t rep, doc;
    float sim;
} member;

struct comp_result {
    member *m;          /* clusters one after another, each led by its rep (sim 1) */
    size_t len;
    uint32_t splits;
    uint32_t compared;
};

static int shingle_set_of(run_ctx *x, worker *w, size_t doc, gema_u64vec *out)
{
    gema_doc d;
    int rc = gema_reader_get(w->reader, doc, &d);
    if (rc != GEMA_OK) return rc;
    out->len = 0;
    if (d.reject != GEMA_REJECT_NONE) return GEMA_OK; /* cannot happen: only parsed documents get here */
    const char *text;
    size_t len;
    rc = gema_clean_view(x->opt->cleaner, &d, w->cleaned, &text, &len);
    if (rc == GEMA_OK) rc = gema_tokenize(&w->tok, text, len, 0);
    if (rc != GEMA_OK) return rc;
    return gema_shingle_set(w->tok.hash, w->tok.count, x->opt->shingle, x->shingle_seed, out);
}

static int comp_reserve(comp_state *cs, size_t k)
{
    if (k <= cs->cap) return GEMA_OK;
    size_t cap = cs->cap ? cs->cap : 64;
    while (cap < k) cap *= 2;
    gema_u64vec *sets = gema_realloc_array(cs->sets, cap, sizeof *sets);
    if (!sets) return GEMA_ERR_NOMEM;
    memset(sets + cs->cap, 0, (cap - cs->cap) * sizeof *sets);
    cs->sets = sets;
    unsigned char *have = realloc(cs->have, cap);
    uint32_t *parent = gema_realloc_array(cs->parent, cap, sizeof *parent);
    uint32_t *mark = gema_realloc_array(cs->mark, cap, sizeof *mark);
    uint32_t *stack = gema_realloc_array(cs->stack, cap * 2 + 2, sizeof *stack);
    if (have) cs->have = have;
    if (parent) cs->parent = parent;
    if (mark) cs->mark = mark;
    if (stack) cs->stack = stack;
    if (!have || !parent || !mark || !stack) return GEMA_ERR_NOMEM;
    cs->cap = cap;
    return GEMA_OK;
}

static void comp_state_free(comp_state *cs)
{
    for (size_t i = 0; i < cs->cap; i++) gema_u64vec_free(&cs->sets[i]);
    free(cs->sets);
    free(cs->have);
    free(cs->parent);
    free(cs->mark);
    free(cs->stack);
    memset(cs, 0, sizeof *cs);
}

/* The shingle set of local member i: cached, or built into scratch `slot`
 * (0 or 1) once the cache budget is spent. */
static int set_of(run_ctx *x, worker *w, comp_state *cs, const uint32_t *members, uint32_t i,
                  int slot, const gema_u64vec **out)
{
    if (cs->have[i]) {
        *out = &cs->sets[i];
        return GEMA_OK;
    }
    gema_u64vec *dst = cs->cached < SET_CACHE_BUDGET ? &cs->sets[i] : (slot ? &w->set_b : &w->set_a);
    int rc = shingle_set_of(x, w, members[i], dst);
    if (rc != GEMA_OK) return rc;
    if (dst == &cs->sets[i]) {
        cs->have[i] = 1;
        cs->cached += dst->len;
    }
    *out = dst;
    return GEMA_OK;
}

static int compare(run_ctx *x, worker *w, comp_state *cs, const uint32_t *members, uint32_t i,
                   uint32_t j, float *out)
{
    const gema_u64vec *a, *b;
    int rc = set_of(x, w, cs, members, i, 0, &a);
    if (rc == GEMA_OK) rc = set_of(x, w, cs, members, j, 1, &b);
    if (rc != GEMA_OK) return rc;
    *out = (float)gema_set_similarity(a->v, a->len, b->v, b->len, x->opt->similarity);
    return GEMA_OK;
}

static int accepted(const run_ctx *x, float s)
{
    /* Similarities are ratios of integers computed in double and stored as
     * float; compare with a hair of tolerance so a pair at exactly the
     * threshold (e.g. 7/10 at 0.7) is not lost to rounding. */
    return !isnan(s) && (double)s >= x->opt->threshold - 1e-6;
}

static int push_member(struct comp_result *r, size_t *cap, uint32_t rep, uint32_t doc, float sim)
{
    if (r->len == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        member *m = gema_realloc_array(r->m, nc, sizeof *m);
        if (!m) return GEMA_ERR_NOMEM;
        r->m = m;
        *cap = nc;
    }
    r->m[r->len].rep = rep;
    r->m[r->len].doc = doc;
    r->m[r->len].sim = sim;
    r->len++;
    return GEMA_OK;
}

static uint32_t local_find(uint32_t *parent, uint32_t a)
{
    while (parent[a] != a) {
        parent[a] = parent[parent[a]];
        a = parent[a];
    }
    return a;
}

static uint32_t local_of(const uint32_t *members, size_t k, uint32_t doc)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (members[mid] < doc) lo = mid + 1;
        else hi = mid;
    }
    return (uint32_t)lo;
}

/* Index into the component's pairs of (a, b), a < b local, or SIZE_MAX. */
static size_t find_pair(const run_ctx *x, size_t task, uint64_t key)
{
    size_t lo = x->pair_start[task], hi = x->pair_start[task + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->cand.v[x->pair_idx[mid]] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < x->pair_start[task + 1] && x->cand.v[x->pair_idx[lo]] == key ? lo : SIZE_MAX;
}

static int component_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    worker *w = &x->w[thread];
    comp_state *cs = &w->cs;
    struct comp_result *res = &x->cres[task];
    const uint32_t *members = x->comp + x->comp_start[task];
    const size_t k = x->comp_start[task + 1] - x->comp_start[task];
    const size_t p0 = x->pair_start[task], p1 = x->pair_start[task + 1];
    size_t cap = 0;
    int rc = comp_reserve(cs, k);
    if (rc != GEMA_OK) return rc;
    memset(cs->have, 0, k);
    memset(cs->mark, 0, k * sizeof *cs->mark);
    cs->cached = 0;

    /* Lists of local members waiting to be pieced, back to back on a stack,
     * each followed by its length. */
    size_t sp = 0;
    for (uint32_t i = 0; i < k; i++) cs->stack[sp++] = i;
    cs->stack[sp++] = (uint32_t)k;
    uint32_t gen = 0;
    while (rc == GEMA_OK && sp > 0) {
        uint32_t len = cs->stack[--sp];
        sp -= len;
        uint32_t *list = cs->stack + sp;
        if (len < 2) continue;
        gen++;
        for (uint32_t i = 0; i < len; i++) {
            cs->mark[list[i]] = gen;
            cs->parent[list[i]] = list[i];
        }
        /* Pieces: compare only pairs not yet joined. */
        for (size_t q = p0; q < p1 && rc == GEMA_OK; q++) {
            size_t ci = x->pair_idx[q];
            uint64_t pr = x->cand.v[ci];
            uint32_t a = local_of(members, k, (uint32_t)(pr >> 32));
            uint32_t b = local_of(members, k, (uint32_t)pr);
            if (cs->mark[a] != gen || cs->mark[b] != gen) continue;
            uint32_t ra = local_find(cs->parent, a), rb = local_find(cs->parent, b);
            if (ra == rb) continue;
            if (isnan(x->cand_sim[ci])) {
                rc = compare(x, w, cs, members, a, b, &x->cand_sim[ci]);
                res->compared++;
            }
            if (rc == GEMA_OK && accepted(x, x->cand_sim[ci])) {
                if (ra < rb) cs->parent[rb] = ra;
                else cs->parent[ra] = rb;
            }
        }
        if (rc != GEMA_OK) break;
        /* Sort the list by root, then member: each piece becomes a run. */
        uint64_t *keyed = malloc(len * sizeof *keyed);
        if (!keyed) { rc = GEMA_ERR_NOMEM; break; }
        for (uint32_t i = 0; i < len; i++)
            keyed[i] = (uint64_t)local_find(cs->parent, list[i]) << 32 | list[i];
        gema_u64_sort_unique(keyed, len);
        /* The list's slot on the stack is reused for the members split off. */
        for (uint32_t i = 0; i < len && rc == GEMA_OK;) {
            uint32_t j = i + 1;
            while (j < len && keyed[j] >> 32 == keyed[i] >> 32) j++;
            if (j - i >= 2) {
                uint32_t rep = (uint32_t)keyed[i];
                for (uint32_t t = i + 1; t < j; t++)
                    if (better(x, members[(uint32_t)keyed[t]], members[rep])) rep = (uint32_t)keyed[t];
                rc = push_member(res, &cap, members[rep], members[rep], 1.0f);
                uint32_t nout = 0;
                for (uint32_t t = i; t < j && rc == GEMA_OK; t++) {
                    uint32_t m = (uint32_t)keyed[t];
                    if (m == rep) continue;
                    float s;
                    uint32_t lo = GEMA_MIN(m, rep), hi = GEMA_MAX(m, rep);
                    size_t q = find_pair(x, task, (uint64_t)members[lo] << 32 | members[hi]);
                    if (q != SIZE_MAX) {
                        float *ps = &x->cand_sim[x->pair_idx[q]];
                        if (isnan(*ps)) {
                            rc = compare(x, w, cs, members, rep, m, ps);
                            res->compared++;
                        }
                        s = *ps;
                    } else {
                        rc = compare(x, w, cs, members, rep, m, &s);
                    }
                    if (rc != GEMA_OK) break;
                    if (accepted(x, s)) rc = push_member(res, &cap, members[rep], members[m], s);
                    else {
                        cs->stack[sp++] = m;
                        nout++;
                    }
                }
                if (nout) {
                    cs->stack[sp++] = nout;
                    res->splits += nout;
                }
            }
            i = j;
        }
        free(keyed);
    }
    /* Keep the cache's memory within budget between components. */
    size_t held = 0;
    for (size_t i = 0; i < cs->cap; i++) held += cs->sets[i].cap;
    if (held > SET_CACHE_BUDGET)
        for (size_t i = 0; i < cs->cap; i++) gema_u64vec_free(&cs->sets[i]);
    return rc;
}

/* Components of the candidate graph, each with its members and its pairs. */
static int build_components(run_ctx *x, gema_uf *uf)
{
    size_t n = x->n;
    for (size_t i = 0; i < x->cand.len; i++)
        gema_uf_union(uf, (uint32_t)(x->cand.v[i] >> 32), (uint32_t)x->cand.v[i]);
    uint32_t *root_comp = gema_alloc_array(n, sizeof *root_comp);
    if (!root_comp) return GEMA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) root_comp[i] = NONE32;
    size_t ncomp = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!x->active[i]) continue;
        uint32_t r = gema_uf_find(uf, (uint32_t)i);
        if (uf->size[r] < 2) continue;
        if (root_comp[r] == NONE32) root_comp[r] = (uint32_t)ncomp++;
        total++;
    }
    x->ncomp = ncomp;
    x->comp_start = gema_alloc_array(ncomp + 1, sizeof *x->comp_start);
    x->comp = gema_alloc_array(total, sizeof *x->comp);
    x->pair_start = gema_alloc_array(ncomp + 1, sizeof *x->pair_start);
    x->pair_idx = gema_alloc_array(x->cand.len, sizeof *x->pair_idx);
    x->cres = gema_alloc_array(ncomp, sizeof *x->cres);
    size_t *fill = gema_alloc_array(ncomp, sizeof *fill);
    if (!x->comp_start || !x->comp || !x->pair_start || !x->pair_idx || !x->cres || !fill) {
        free(fill);
        free(root_comp);
        return GEMA_ERR_NOMEM;
    }
    /* Members in index order, components ordered by their first member. */
    for (size_t i = 0; i < n; i++) {
        if (!x->active[i]) continue;
        uint32_t r = gema_uf_find(uf, (uint32_t)i);
        if (uf->size[r] >= 2) x->comp_start[root_comp[r] + 1]++;
    }
    for (size_t c = 0; c < ncomp; c++) x->comp_start[c + 1] += x->comp_start[c];
    for (size_t i = 0; i < n; i++) {
        if (!x->active[i]) continue;
        uint32_t r = gema_uf_find(uf, (uint32_t)i);
        if (uf->size[r] < 2) continue;
        uint32_t c = root_comp[r];
        x->comp[x->comp_start[c] + fill[c]++] = (uint32_t)i;
    }
    /* Pairs of each component, in candidate (sorted) order. */
    for (size_t i = 0; i < x->cand.len; i++)
        x->pair_start[root_comp[gema_uf_find(uf, (uint32_t)(x->cand.v[i] >> 32))] + 1]++;
    for (size_t c = 0; c < ncomp; c++) x->pair_start[c + 1] += x->pair_start[c];
    memset(fill, 0, ncomp * sizeof *fill);
    for (size_t i = 0; i < x->cand.len; i++) {
        uint32_t c = root_comp[gema_uf_find(uf, (uint32_t)(x->cand.v[i] >> 32))];
        x->pair_idx[x->pair_start[c] + fill[c]++] = i;
    }
    free(fill);
    free(root_comp);
    return GEMA_OK;
}

/* ---- assembling the result ---------------------------------------------- */

typedef struct {
    uint32_t first;   /* smallest member index: orders clusters */
    uint32_t rep;
} cl_order;

static int cmp_cl(const void *a, const void *b)
{
    const cl_order *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

static int assemble(run_ctx *x)
{
    gema_dedup *d = x->d;
    size_t n = x->n;
    /* near[e] = representative of entrant e (NONE32 if not in a near cluster),
     * with its similarity. */
    uint32_t *near = gema_alloc_array(n, sizeof *near);
    float *nsim = gema_alloc_array(n, sizeof *nsim);
    if (!near || !nsim) {
        free(near);
        free(nsim);
        return GEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) near[i] = NONE32;
    for (size_t c = 0; c < x->ncomp; c++) {
        for (size_t k = 0; k < x->cres[c].len; k++) {
            member m = x->cres[c].m[k];
            near[m.doc] = m.rep;
            nsim[m.doc] = m.sim;
        }
        d->stats.chain_splits += x->cres[c].splits;
        d->stats.compared_pairs += x->cres[c].compared;
    }
    /* Final representative and similarity of every document. */
    for (size_t i = 0; i < n; i++) {
        d->cluster[i] = NONE32;
        d->rep[i] = (uint32_t)i;
        d->sim[i] = 1.0f;
        if (d->reject[i] != GEMA_REJECT_NONE) {
            d->state[i] = GEMA_DOC_REJECTED;
            continue;
        }
        uint32_t e = x->entrant[i];
        uint32_t r = near[e] != NONE32 ? near[e] : e;
        d->rep[i] = r;
        d->sim[i] = near[e] != NONE32 ? nsim[e] : 1.0f;
        d->exact[i] = e == r;
        d->state[i] = (uint32_t)i == r ? GEMA_DOC_KEPT : GEMA_DOC_DUPLICATE;
    }
    free(nsim);
    /* Clusters: one per representative that has at least one duplicate. */
    uint32_t *first = near; /* reuse: smallest member of each representative's cluster */
    for (size_t i = 0; i < n; i++) first[i] = NONE32;
    size_t ncl = 0;
    for (size_t i = 0; i < n; i++) {
        if (d->state[i] != GEMA_DOC_DUPLICATE) continue;
        uint32_t r = d->rep[i];
        if (first[r] == NONE32) {
            first[r] = GEMA_MIN(r, (uint32_t)i);
            ncl++;
        }
    }
    cl_order *ord = gema_alloc_array(ncl, sizeof *ord);
    d->cl_start = gema_alloc_array(ncl + 1, sizeof *d->cl_start);
    d->cl_rep = gema_alloc_array(ncl, sizeof *d->cl_rep);
    if (!ord || !d->cl_start || !d->cl_rep) {
        free(ord);
        free(near);
        return GEMA_ERR_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (first[i] != NONE32) {
            ord[k].first = first[i];
            ord[k].rep = (uint32_t)i;
            k++;
        }
    qsort(ord, ncl, sizeof *ord, cmp_cl);
    for (size_t c = 0; c < ncl; c++) {
        d->cl_rep[c] = ord[c].rep;
        d->cluster[ord[c].rep] = (uint32_t)c;
    }
    size_t members = 0;
    for (size_t i = 0; i < n; i++) {
        if (d->state[i] == GEMA_DOC_REJECTED) continue;
        uint32_t c = d->cluster[d->rep[i]];
        if (c == NONE32) continue;
        d->cluster[i] = c;
        d->cl_start[c + 1]++;
        members++;
    }
    for (size_t c = 0; c < ncl; c++) d->cl_start[c + 1] += d->cl_start[c];
    d->cl_members = gema_alloc_array(members, sizeof *d->cl_members);
    size_t *fillc = gema_alloc_array(ncl, sizeof *fillc);
    if (!d->cl_members || !fillc) {
        free(fillc);
        free(ord);
        free(near);
        return GEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (d->state[i] == GEMA_DOC_REJECTED || d->cluster[i] == NONE32) continue;
        uint32_t c = d->cluster[i];
        d->cl_members[d->cl_start[c] + fillc[c]++] = i;
    }
    d->nclusters = ncl;
    free(fillc);
    free(ord);
    free(near);

    /* Verified pairs for callers who want them. */
    size_t nv = 0;
    for (size_t i = 0; i < x->cand.len; i++) nv += accepted(x, x->cand_sim[i]);
    d->pairs = gema_alloc_array(nv, sizeof *d->pairs);
    d->pair_sim = gema_alloc_array(nv, sizeof *d->pair_sim);
    if (!d->pairs || !d->pair_sim) return GEMA_ERR_NOMEM;
    for (size_t i = 0, j = 0; i < x->cand.len; i++)
        if (accepted(x, x->cand_sim[i])) {
            d->pairs[j] = x->cand.v[i];
            d->pair_sim[j] = x->cand_sim[i];
            j++;
        }
    d->npairs = nv;

    gema_dedup_stats *s = &d->stats;
    s->records = n;
    s->clusters = ncl;
    s->candidate_pairs = x->cand.len;
    s->verified_pairs = nv;
    for (size_t i = 0; i < n; i++) {
        switch (d->state[i]) {
        case GEMA_DOC_KEPT: s->kept++; break;
        case GEMA_DOC_DUPLICATE:
            if (d->exact[i]) s->exact_duplicates++;
            else s->near_duplicates++;
            break;
        default:
            s->rejected++;
            if (d->reject[i] < 8) s->rejected_by[d->reject[i]]++;
            break;
        }
        s->invalid_utf8_docs += x->invalid[i];
    }
    return GEMA_OK;
}

/* ---- the run ------------------------------------------------------------- */

static int check_options(const gema_dedup_options *o)
{
    if (o->shingle < 1 || o->shingle > 64) return GEMA_ERR_ARG;
    if (!(o->threshold > 0.0 && o->threshold <= 1.0)) return GEMA_ERR_ARG;
    if (o->num_hashes < 1 || o->num_hashes > 4096) return GEMA_ERR_ARG;
    if ((o->bands == 0) != (o->rows == 0)) return GEMA_ERR_ARG;
    if (o->bands && (uint64_t)o->bands * o->rows > o->num_hashes) return GEMA_ERR_ARG;
    if (o->scheme != GEMA_MINHASH_OPH && o->scheme != GEMA_MINHASH_PERM) return GEMA_ERR_ARG;
    if (o->similarity != GEMA_SIM_JACCARD && o->similarity != GEMA_SIM_CONTAINMENT)
        return GEMA_ERR_ARG;
    if (o->keep != GEMA_KEEP_FIRST && o->keep != GEMA_KEEP_LONGEST &&
        o->keep != GEMA_KEEP_EARLIEST)
        return GEMA_ERR_ARG;
    return GEMA_OK;
}

static gema_dedup *result_new(size_t n)
{
    gema_dedup *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->n = n;
    d->state = gema_alloc_array(n, 1);
    d->reject = gema_alloc_array(n, 1);
    d->exact = gema_alloc_array(n, 1);
    d->cluster = gema_alloc_array(n, sizeof *d->cluster);
    d->rep = gema_alloc_array(n, sizeof *d->rep);
    d->sim = gema_alloc_array(n, sizeof *d->sim);
    if (!d->state || !d->reject || !d->exact || !d->cluster || !d->rep || !d->sim) {
        gema_dedup_free(d);
        return NULL;
    }
    return d;
}

static void ctx_free(run_ctx *x)
{
    if (x->w)
        for (unsigned t = 0; t < x->threads; t++) worker_free(&x->w[t]);
    free(x->w);
    gema_minhasher_free(&x->mh);
    free(x->hash);
    free(x->keys);
    free(x->length);
    free(x->time);
    free(x->has_sig);
    free(x->invalid);
    free(x->entrant);
    free(x->active);
    gema_u64vec_free(&x->cand);
    free(x->cand_sim);
    free(x->comp_start);
    free(x->comp);
    free(x->pair_start);
    free(x->pair_idx);
    if (x->cres)
        for (size_t c = 0; c < x->ncomp; c++) free(x->cres[c].m);
    free(x->cres);
}

int gema_dedup_run(const gema_corpus *corpus, const gema_dedup_options *opt, gema_dedup **out)
{
    return gema_dedup_run_each(corpus, opt, NULL, NULL, out);
}

int gema_dedup_run_each(const gema_corpus *corpus, const gema_dedup_options *opt,
                        gema_dedup_each_fn each, void *user, gema_dedup **out)
{
    if (!corpus || !opt || !out) return GEMA_ERR_ARG;
    int rc = check_options(opt);
    if (rc != GEMA_OK) return rc;
    size_t n = gema_corpus_count(corpus);
    if (n >= NONE32) return GEMA_ERR_TOO_BIG;

    run_ctx x;
    memset(&x, 0, sizeof x);
    x.corpus = corpus;
    x.opt = opt;
    x.each = each;
    x.each_user = user;
    x.n = n;
    x.threads = opt->threads ? opt->threads : 1;
    if (x.threads > 256) x.threads = 256;
    x.shingle_seed = opt->seed;
    x.band_seed = gema_splitmix64(opt->seed ^ 0x62616E64ULL);
    x.total_bytes = gema_corpus_bytes(corpus);
    atomic_init(&x.done_bytes, 0);
    if (opt->bands) {
        x.bands = opt->bands;
        x.rows = opt->rows;
    } else if ((rc = gema_lsh_params(GEMA_MIN(opt->threshold, 0.99), opt->num_hashes,
                                     opt->fp_weight, opt->fn_weight, &x.bands, &x.rows)) != GEMA_OK) {
        return rc;
    }
    x.d = result_new(n);
    if (!x.d) return GEMA_ERR_NOMEM;
    gema_dedup *d = x.d;
    d->stats.bands = x.bands;
    d->stats.rows = x.rows;
    d->stats.bytes = x.total_bytes;

    rc = gema_minhasher_init(&x.mh, opt->num_hashes, opt->scheme,
                             gema_splitmix64(opt->seed ^ 0x6D696E68ULL));
    x.w = gema_alloc_array(x.threads, sizeof *x.w);
    x.hash = gema_alloc_array(n, sizeof *x.hash);
    x.keys = gema_alloc_array(n, x.bands * sizeof *x.keys);
    x.length = gema_alloc_array(n, sizeof *x.length);
    x.time = gema_alloc_array(n, sizeof *x.time);
    x.has_sig = gema_alloc_array(n, 1);
    x.invalid = gema_alloc_array(n, 1);
    x.entrant = gema_alloc_array(n, sizeof *x.entrant);
    x.active = gema_alloc_array(n, 1);
    if (rc == GEMA_OK && (!x.w || !x.hash || !x.keys || !x.length || !x.time || !x.has_sig ||
                          !x.invalid || !x.entrant || !x.active))
        rc = GEMA_ERR_NOMEM;
    for (unsigned t = 0; rc == GEMA_OK && t < x.threads; t++) rc = worker_init(&x, &x.w[t]);

    double t0 = gema_now();
    if (rc == GEMA_OK)
        rc = gema_parallel(x.threads, (n + DOCS_PER_TASK - 1) / DOCS_PER_TASK,
                           fingerprint_task, tick, &x);
    if (rc == GEMA_OK) tick(&x);
    double t1 = gema_now();
    if (rc == GEMA_OK) rc = exact_groups(&x);
    if (rc == GEMA_OK) rc = gema_lsh_candidates(x.keys, n, x.bands, x.active, &x.cand);
    /* The band keys are the largest per-document array; done with them. */
    free(x.keys);
    x.keys = NULL;
    if (rc == GEMA_OK) {
        x.cand_sim = gema_alloc_array(x.cand.len, sizeof *x.cand_sim);
        if (!x.cand_sim) rc = GEMA_ERR_NOMEM;
        for (size_t i = 0; rc == GEMA_OK && i < x.cand.len; i++) x.cand_sim[i] = NAN;
    }
    double t2 = gema_now();
    gema_uf uf = { 0 };
    if (rc == GEMA_OK) rc = gema_uf_init(&uf, n);
    if (rc == GEMA_OK) rc = build_components(&x, &uf);
    gema_uf_free(&uf);
    if (rc == GEMA_OK) rc = gema_parallel(x.threads, x.ncomp, component_task, NULL, &x);
    if (rc == GEMA_OK) rc = assemble(&x);
    double t3 = gema_now();
    d->stats.seconds_fingerprint = t1 - t0;
    d->stats.seconds_match = t2 - t1;
    d->stats.seconds_group = t3 - t2;
    ctx_free(&x);
    if (rc != GEMA_OK) {
        gema_dedup_free(d);
        return rc;
    }
    *out = d;
    return GEMA_OK;
}

void gema_dedup_free(gema_dedup *d)
{
    if (!d) return;
    free(d->state);
    free(d->reject);
    free(d->exact);
    free(d->cluster);
    free(d->rep);
    free(d->sim);
    free(d->cl_start);
    free(d->cl_members);
    free(d->cl_rep);
    free(d->pairs);
    free(d->pair_sim);
    free(d);
}

int gema_dedup_doc_info(const gema_dedup *d, size_t i, gema_dedup_doc *out)
{
    if (!d || !out) return GEMA_ERR_ARG;
    if (i >= d->n) return GEMA_ERR_RANGE;
    out->state = (gema_doc_state)d->state[i];
    out->reject = (gema_reject)d->reject[i];
    out->cluster = d->cluster[i] == NONE32 ? SIZE_MAX : d->cluster[i];
    out->representative = d->rep[i];
    out->similarity = d->sim[i];
    out->exact = d->exact[i];
    return GEMA_OK;
}

size_t gema_dedup_cluster_count(const gema_dedup *d)
{
    return d ? d->nclusters : 0;
}

int gema_dedup_cluster_get(const gema_dedup *d, size_t k, gema_dedup_cluster *out)
{
    if (!d || !out) return GEMA_ERR_ARG;
    if (k >= d->nclusters) return GEMA_ERR_RANGE;
    out->representative = d->cl_rep[k];
    out->size = d->cl_start[k + 1] - d->cl_start[k];
    out->members = d->cl_members + d->cl_start[k];
    return GEMA_OK;
}

size_t gema_dedup_pair_count(const gema_dedup *d)
{
    return d ? d->npairs : 0;
}

int gema_dedup_pair_get(const gema_dedup *d, size_t k, size_t *a, size_t *b, double *sim)
{
    if (!d) return GEMA_ERR_ARG;
    if (k >= d->npairs) return GEMA_ERR_RANGE;
    if (a) *a = (size_t)(d->pairs[k] >> 32);
    if (b) *b = (size_t)(uint32_t)d->pairs[k];
    if (sim) *sim = d->pair_sim[k];
    return GEMA_OK;
}

void gema_dedup_stats_get(const gema_dedup *d, gema_dedup_stats *out)
{
    if (d && out) *out = d->stats;
}
