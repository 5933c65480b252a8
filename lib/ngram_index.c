/*
 * ngram_index.c - hashed word n-grams, their inverted index, and candidate
 * pairs found from it.
 *
 * Filling.  Every n-gram of a document that winnowing keeps, with its
 * position, is appended to 256 buckets by a byte of its hash, one set of
 * buckets per thread, so filling needs no locks and no pass to scatter
 * afterwards.
 *
 * One shard then goes through four steps:
 *
 *   1. per bucket (in parallel): gather the threads' entries, drop those
 *      whose n-gram certainly occurs nowhere else (most of them), radix-sort
 *      the rest (a bucket is about 1/256 of the shard, so it sorts in cache)
 *      and walk runs of equal hash: a run is the posting list of one n-gram,
 *      a document repeating it counted once at its first position.  Runs of
 *      one document carry no pair; runs longer than max_df are counted and
 *      dropped.  Entries are sorted by (hash, document, position), so the
 *      outcome does not depend on which thread added them.  The entries'
 *      memory is given back as soon as every bucket is done;
 *   2. turn the postings around into, per document, where it stands in the
 *      posting list of each n-gram it holds (a forward index, CSR layout);
 *   3. per document a (in parallel over ranges of a): list the hits
 *      (b, position in a, position in b) of every later document b sharing
 *      an n-gram with it, grouped by b through a counter array indexed by
 *      document (no hash table of pairs is ever built);
 *   4. per b: sort its hits by position in a and cut them into clusters
 *      at gaps wider than max_gap in either document; the pair is a
 *      candidate if some cluster holds min_shared hits and covers
 *      min_extent tokens in both documents.
 *
 * Memory for a shard with E entries, P kept postings and D documents: 8 E
 * bytes of entries (plus per-thread scratch for the largest bucket), then
 * 16 P + 8 D for the postings, the forward index and its offsets, 12 D per
 * thread for counters, and 12 bytes per candidate pair.
 */
#include "ngram_index.h"

#include "pool.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#define C1 0x9E3779B97F4A7C15ULL
#define C2 0xC2B2AE3D27D4EB4FULL
#define NBUCKETS 256
#define POS_BITS 20
#define POS_MASK ((uint64_t)GEMA_NGRAM_MAX_POS)
#define DOCS_PER_TASK 256

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

/* Winnowing rank: the hash itself would make the kept n-grams the ones
 * of small hash, all in the first shard and the first buckets. */
static inline uint64_t winnow_rank(uint64_t h)
{
    h *= C2;
    return h ^ (h >> 32);
}

size_t gema_winnow(const uint64_t *grams, size_t n, unsigned window, uint32_t *pos)
{
    if (n == 0) return 0;
    if (window <= 1) {
        for (size_t i = 0; i < n; i++) pos[i] = (uint32_t)i;
        return n;
    }
    size_t w = window, k = 0;
    if (n < w) w = n;
    /* The least of the first window, then slide: a new n-gram takes over
     * when it ranks at or below the current least; when the least leaves
     * the window, the window is searched again. */
    size_t m = 0;
    uint64_t mr = winnow_rank(grams[0]);
    for (size_t j = 1; j < w; j++) {
        uint64_t r = winnow_rank(grams[j]);
        if (r <= mr) {
            m = j;
            mr = r;
        }
    }
    pos[k++] = (uint32_t)m;
    for (size_t i = w; i < n; i++) { /* window (i - w, i] */
        uint64_t r = winnow_rank(grams[i]);
        if (r <= mr) {
            m = i;
            mr = r;
        } else if (m + w <= i) {
            m = i - w + 1;
            mr = winnow_rank(grams[m]);
            for (size_t j = m + 1; j <= i; j++) {
                uint64_t q = winnow_rank(grams[j]);
                if (q <= mr) {
                    m = j;
                    mr = q;
                }
            }
        } else {
            continue;
        }
        pos[k++] = (uint32_t)m;
    }
    return k;
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

/* ---- sorting ------------------------------------------------------------- */

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

/* ---- filling ----------------------------------------------------------------- */

/*
 * An index entry is one uint64: the n-gram's hash bits (those the shard and
 * bucket do not already imply) above the document number above the
 * position, so sorting entries sorts by (n-gram, document, position) and
 * the first entry of a document in a run holds its first position.  Only
 * 64 - doc_bits - POS_BITS hash bits remain (25 at 276,000 documents; 33
 * with the bucket's): two n-grams may now and then share a key.  Such a
 * false shared n-gram is a single hit between two unrelated documents; it
 * would need a second one within max_gap in both to make a candidate, and
 * the alignment checks the words of every candidate anyway.
 *
 * Entries are appended to fixed-size chunks carved from large per-thread
 * arenas (with transparent huge pages where the system grants them): no
 * vector is ever copied to grow, and a few large mappings take far fewer
 * page faults than many growing ones.
 */
#define CHUNK_ENTRIES 2048
#define ARENA_BYTES ((size_t)64 << 20)

typedef struct {
    uint64_t **chunk;       /* full chunks, then the one being filled */
    size_t nchunks, cap;
    size_t fill;            /* entries in the last chunk */
} bucket;

typedef struct {
    void **block;           /* arena blocks of ARENA_BYTES */
    size_t nblocks, cap;
    size_t used;            /* bytes used of the last block */
} arena;

static void *map_block(size_t bytes)
{
#if defined(__linux__)
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
#if defined(MADV_HUGEPAGE)
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
#else
    return malloc(bytes);
#endif
}

static void unmap_block(void *p, size_t bytes)
{
#if defined(__linux__)
    if (p) munmap(p, bytes);
#else
    (void)bytes;
    free(p);
#endif
}

static uint64_t *arena_chunk(arena *a)
{
    const size_t need = CHUNK_ENTRIES * sizeof(uint64_t);
    if (a->nblocks == 0 || a->used + need > ARENA_BYTES) {
        if (a->nblocks == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 16;
            void **b = gema_realloc_array(a->block, cap, sizeof *b);
            if (!b) return NULL;
            a->block = b;
            a->cap = cap;
        }
        void *p = map_block(ARENA_BYTES);
        if (!p) return NULL;
        a->block[a->nblocks++] = p;
        a->used = 0;
    }
    uint64_t *c = (uint64_t *)((char *)a->block[a->nblocks - 1] + a->used);
    a->used += need;
    return c;
}

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->nblocks; i++) unmap_block(a->block[i], ARENA_BYTES);
    free(a->block);
    memset(a, 0, sizeof *a);
}

static size_t bucket_len(const bucket *b)
{
    return b->nchunks ? (b->nchunks - 1) * CHUNK_ENTRIES + b->fill : 0;
}

typedef struct {
    uint32_t doc, pos;
} posting;

typedef struct {
    uint32_t *v;
    size_t cap;
} posvec;

struct gema_ngram_index {
    size_t ndocs;
    unsigned doc_bits, shard_bits, threads, window;
    bucket *bucket;      /* threads * NBUCKETS */
    arena *arena;        /* per thread */
    posvec *kept;        /* per thread: positions winnowing keeps */
};

int gema_ngram_index_new(size_t ndocs, unsigned shards, unsigned threads, unsigned window,
                         gema_ngram_index **out)
{
    if (threads < 1) threads = 1;
    if (ndocs > UINT32_MAX) return GEMA_ERR_TOO_BIG;
    gema_ngram_index *ix = calloc(1, sizeof *ix);
    if (!ix) return GEMA_ERR_NOMEM;
    ix->ndocs = ndocs;
    unsigned bits = 1;
    while (bits < 32 && ((uint64_t)1 << bits) < ndocs) bits++;
    ix->doc_bits = bits;
    unsigned sb = 0;
    while (sb < 8 && (1u << sb) < shards) sb++;
    ix->shard_bits = sb;
    ix->threads = threads;
    ix->window = window ? window : 1;
    ix->bucket = calloc((size_t)threads * NBUCKETS, sizeof *ix->bucket);
    ix->arena = calloc(threads, sizeof *ix->arena);
    ix->kept = calloc(threads, sizeof *ix->kept);
    if (!ix->bucket || !ix->arena || !ix->kept) {
        free(ix->bucket);
        free(ix->arena);
        free(ix->kept);
        free(ix);
        return GEMA_ERR_NOMEM;
    }
    *out = ix;
    return GEMA_OK;
}

static void clear_buckets(gema_ngram_index *ix)
{
    for (size_t i = 0; i < (size_t)ix->threads * NBUCKETS; i++) {
        free(ix->bucket[i].chunk);
        memset(&ix->bucket[i], 0, sizeof ix->bucket[i]);
    }
    for (unsigned t = 0; t < ix->threads; t++) arena_free(&ix->arena[t]);
}

void gema_ngram_index_free(gema_ngram_index *ix)
{
    if (!ix) return;
    clear_buckets(ix);
    free(ix->bucket);
    free(ix->arena);
    for (unsigned t = 0; t < ix->threads; t++) free(ix->kept[t].v);
    free(ix->kept);
    free(ix);
}

unsigned gema_ngram_index_shards(const gema_ngram_index *ix)
{
    return 1u << ix->shard_bits;
}

static int bucket_new_chunk(bucket *b, arena *a)
{
    if (b->nchunks == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        uint64_t **c = gema_realloc_array(b->chunk, cap, sizeof *c);
        if (!c) return GEMA_ERR_NOMEM;
        b->chunk = c;
        b->cap = cap;
    }
    uint64_t *c = arena_chunk(a);
    if (!c) return GEMA_ERR_NOMEM;
    b->chunk[b->nchunks++] = c;
    b->fill = 0;
    return GEMA_OK;
}

int gema_ngram_index_add(gema_ngram_index *ix, unsigned thread, unsigned shard, uint32_t doc,
                         const uint64_t *grams, size_t n)
{
    if (thread >= ix->threads) return GEMA_ERR_ARG;
    unsigned sb = ix->shard_bits, low = ix->doc_bits + POS_BITS;
    bucket *buckets = ix->bucket + (size_t)thread * NBUCKETS;
    arena *ar = &ix->arena[thread];
    const uint32_t *sel = NULL;
    if (ix->window > 1) {
        posvec *k = &ix->kept[thread];
        if (n > k->cap) {
            uint32_t *v = gema_realloc_array(k->v, n, sizeof *v);
            if (!v) return GEMA_ERR_NOMEM;
            k->v = v;
            k->cap = n;
        }
        n = gema_winnow(grams, n, ix->window, k->v);
        sel = k->v;
    }
    uint64_t docbits = (uint64_t)doc << POS_BITS;
    /* An n-gram repeated within the document is entered each time: the
     * entries' sort puts the repeats side by side and the walk over a run
     * keeps the first position, which is cheaper than a sort per document. */
    for (size_t q = 0; q < n; q++) {
        size_t i = sel ? sel[q] : q;
        uint64_t h = grams[i];
        if (sb && (unsigned)(h >> (64 - sb)) != shard) continue;
        bucket *b = &buckets[(h >> (64 - sb - 8)) & 0xFF];
        if (b->nchunks == 0 || b->fill == CHUNK_ENTRIES) {
            int rc = bucket_new_chunk(b, ar);
            if (rc != GEMA_OK) return rc;
        }
        /* The shard and bucket bits are implied by where the entry lives. */
        b->chunk[b->nchunks - 1][b->fill++] =
            (h << (sb + 8)) >> low << low | docbits | (i < POS_MASK ? i : POS_MASK);
    }
    return GEMA_OK;
}

/* ---- step 1: buckets to postings ------------------------------------------------ */

typedef struct {
    posting *post;          /* postings of the kept runs, run after run */
    size_t npost;
    uint32_t *run_len;      /* documents per kept run */
    size_t nruns;
    uint64_t entries, distinct, over_df;
} bucket_out;

typedef struct {
    uint64_t *gather, *tmp; /* per thread */
    size_t cap;
    uint64_t *seen;         /* the two bitmaps of the singleton filter */
    size_t seen_words;
} bucket_scratch;

/* Bits of the singleton filter per entry of a bucket: at 16, an n-gram that
 * occurs once survives the filter with probability about 1/16. */
#define FILTER_BITS_PER_ENTRY 16
#define FILTER_MAX_LOG 24

typedef struct {
    gema_ngram_index *ix;
    const gema_pair_params *p;
    bucket_scratch *scr;
    bucket_out *out;
} bucket_ctx;

/* Visit every entry E of bucket k over all threads, in thread then chunk
 * order (a macro so that the body stays inline in each pass). */
#define FOR_BUCKET_ENTRIES(ix, k, E, ...)                                               \
    for (unsigned t_ = 0; t_ < (ix)->threads; t_++) {                                   \
        const bucket *b_ = &(ix)->bucket[(size_t)t_ * NBUCKETS + (k)];                  \
        for (size_t c_ = 0; c_ < b_->nchunks; c_++) {                                   \
            const uint64_t *v_ = b_->chunk[c_];                                          \
            size_t m_ = c_ + 1 < b_->nchunks ? CHUNK_ENTRIES : b_->fill;                 \
            for (size_t i_ = 0; i_ < m_; i_++) {                                         \
                uint64_t E = v_[i_];                                                     \
                __VA_ARGS__                                                              \
            }                                                                            \
        }                                                                                \
    }

/*
 * Most n-grams occur in one document only (97% of the entries on the
 * passages benchmark corpus) and can never pair two documents, yet they
 * made up most of the sorting.  Two bitmaps indexed by hash bits find them
 * in two linear passes over the chunks: an entry whose bit was set by no
 * other entry is certainly alone, and only the others are gathered for
 * the sort.  An n-gram held by two documents always sets its bit twice, so
 * nothing shared is ever lost; the survivors depend only on the bucket's
 * contents, and the sort puts them in one order whatever thread added them.
 */
static int bucket_task(void *vp, size_t k, unsigned thread)
{
    bucket_ctx *x = vp;
    gema_ngram_index *ix = x->ix;
    bucket_scratch *s = &x->scr[thread];
    bucket_out *o = &x->out[k];
    size_t n = 0;
    for (unsigned t = 0; t < ix->threads; t++) n += bucket_len(&ix->bucket[(size_t)t * NBUCKETS + k]);
    if (n == 0) return GEMA_OK;
    unsigned low = ix->doc_bits + POS_BITS;
    unsigned log = 10;
    while (log < FILTER_MAX_LOG && ((size_t)1 << log) < n * FILTER_BITS_PER_ENTRY) log++;
    if (log > 64 - low) log = 64 - low;
    size_t words = ((size_t)1 << log) / 64;
    if (words < 1) words = 1;
    if (2 * words > s->seen_words) {
        uint64_t *b = gema_realloc_array(s->seen, 2 * words, sizeof *b);
        if (!b) return GEMA_ERR_NOMEM;
        s->seen = b;
        s->seen_words = 2 * words;
    }
    uint64_t *once = s->seen, *twice = s->seen + words;
    memset(s->seen, 0, 2 * words * sizeof *s->seen);
    /* The top bits of what the key keeps of the hash. */
    unsigned shift = 64 - log;
    FOR_BUCKET_ENTRIES(ix, k, e, {
        uint64_t h = e >> shift, bit = (uint64_t)1 << (h & 63);
        size_t w = (size_t)(h >> 6);
        twice[w] |= once[w] & bit;
        once[w] |= bit;
    })
    size_t m = 0;
    FOR_BUCKET_ENTRIES(ix, k, e, {
        uint64_t h = e >> shift;
        m += twice[h >> 6] >> (h & 63) & 1;
    })
    o->entries = n;
    o->distinct = n - m; /* each dropped entry was an n-gram of its own */
    if (m > s->cap) {
        uint64_t *g = gema_realloc_array(s->gather, m, sizeof *g);
        if (!g) return GEMA_ERR_NOMEM;
        s->gather = g;
        uint64_t *t = gema_realloc_array(s->tmp, m, sizeof *t);
        if (!t) return GEMA_ERR_NOMEM;
        s->tmp = t;
        s->cap = m;
    }
    uint64_t *e = s->gather;
    size_t at = 0;
    FOR_BUCKET_ENTRIES(ix, k, en, {
        uint64_t h = en >> shift;
        if (twice[h >> 6] >> (h & 63) & 1) e[at++] = en;
    })
    n = m;
    gema_radix_sort_u64(e, s->tmp, n);
    uint64_t docmask = ((uint64_t)1 << ix->doc_bits) - 1;
    size_t post_cap = 0, runs_cap = 0;
    for (size_t i = 0; i < n;) {
        uint64_t h = e[i] >> low;
        size_t j = i + 1, df = 1;
        while (j < n && (e[j] >> low) == h) {
            df += (e[j] >> POS_BITS) != (e[j - 1] >> POS_BITS);
            j++;
        }
        o->distinct++;
        if (df > x->p->max_df) {
            o->over_df++;
        } else if (df >= 2) {
            if (o->npost + df > post_cap) {
                size_t cap = post_cap ? post_cap : 64;
                while (cap < o->npost + df) cap *= 2;
                posting *np = gema_realloc_array(o->post, cap, sizeof *np);
                if (!np) return GEMA_ERR_NOMEM;
                o->post = np;
                post_cap = cap;
            }
            if (o->nruns == runs_cap) {
                size_t cap = runs_cap ? runs_cap * 2 : 64;
                uint32_t *nr = gema_realloc_array(o->run_len, cap, sizeof *nr);
                if (!nr) return GEMA_ERR_NOMEM;
                o->run_len = nr;
                runs_cap = cap;
            }
            for (size_t t = i; t < j; t++) {
                /* Sorted by position within a document: its first entry
                 * holds its first position. */
                if (t > i && (e[t] >> POS_BITS) == (e[t - 1] >> POS_BITS)) continue;
                o->post[o->npost].doc = (uint32_t)((e[t] >> POS_BITS) & docmask);
                o->post[o->npost].pos = (uint32_t)(e[t] & POS_MASK);
                o->npost++;
            }
            o->run_len[o->nruns++] = (uint32_t)df;
        }
        i = j;
    }
    return GEMA_OK;
}

/* ---- steps 3 and 4: hits to candidate pairs ------------------------------------------ */

typedef struct {
    uint32_t *count;        /* per document; then the segment offset */
    uint32_t *touched;
    size_t ntouched;
    gema_u64vec seg;        /* hits grouped by b: pos_a << 32 | pos_b */
    gema_u64vec tmp;
} counter;

typedef struct {
    gema_pair_counts out;
    uint64_t hits, sharing;
} task_out;

/* A document's place in the posting list of one of its n-grams: its own
 * posting, then the end of what it pairs with.  Postings are in document
 * order, so the later documents sharing the n-gram are self + 1 .. end (end
 * is the end of the list, or at most rare_df further), and the pair walk
 * never reads (or skips) the earlier ones. */
typedef struct {
    uint32_t self, end;
} fwd_entry;

typedef struct {
    const gema_pair_params *p;
    const posting *post;
    const size_t *fwd_start;    /* ndocs + 1 */
    const fwd_entry *fwd;
    size_t ndocs;
    counter *ctr;               /* per thread */
    task_out *tasks;
} count_ctx;

/* A document's n-grams point to runs scattered over the whole postings
 * array, so walking them is a chain of cache misses (two thirds of the
 * candidate step at 1 GB).  Fetch the run bounds AHEAD*2 n-grams early and
 * the run's postings AHEAD early, when its bounds have arrived. */
#define AHEAD 8
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)0)
#endif
/* A macro, not a function: GCC finds a function that only prefetches free
 * of side effects and deletes the calls. */
#define PREFETCH_RUNS(x, f, f1)                                                         \
    do {                                                                                \
        if ((f) + AHEAD < (f1)) PREFETCH(&(x)->post[(x)->fwd[(f) + AHEAD].self]);        \
    } while (0)

/* Sort document numbers: insertion for a few, LSD radix otherwise. */
static void sort_docs(uint32_t *v, uint32_t *tmp, size_t n)
{
    if (n <= 32) {
        for (size_t i = 1; i < n; i++) {
            uint32_t x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1] > x) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return;
    }
    uint32_t diff = 0;
    for (size_t i = 1; i < n; i++) diff |= v[i] ^ v[0];
    uint32_t *src = v, *dst = tmp;
    size_t count[256];
    for (unsigned shift = 0; shift < 32; shift += 8) {
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
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

static void insertion_sort_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Do hits h[0..n) (pos_a << 32 | pos_b, sorted) hold a cluster of at least
 * min_shared hits, no gap wider than max_gap in either document, covering
 * min_extent tokens in both? */
static int clustered(const gema_pair_params *p, const uint64_t *h, size_t n)
{
    size_t start = 0;
    uint32_t bmin = (uint32_t)h[0], bmax = bmin;
    for (size_t i = 1; i <= n; i++) {
        uint32_t pa = i < n ? (uint32_t)(h[i] >> 32) : 0, pb = i < n ? (uint32_t)h[i] : 0;
        uint32_t qa = (uint32_t)(h[i - 1] >> 32), qb = (uint32_t)h[i - 1];
        int cut = i == n || pa - qa > p->max_gap ||
                  (pb > qb ? pb - qb : qb - pb) > p->max_gap;
        if (cut) {
            uint32_t ea = qa - (uint32_t)(h[start] >> 32) + p->ngram;
            uint32_t eb = bmax - bmin + p->ngram;
            if (i - start >= p->min_shared && ea >= p->min_extent && eb >= p->min_extent) return 1;
            if (i < n) {
                start = i;
                bmin = bmax = pb;
            }
        } else {
            if (pb < bmin) bmin = pb;
            if (pb > bmax) bmax = pb;
        }
    }
    return 0;
}

static int count_task(void *vp, size_t task, unsigned thread)
{
    count_ctx *x = vp;
    counter *c = &x->ctr[thread];
    if (!c->count) {
        c->count = calloc(x->ndocs ? x->ndocs : 1, sizeof *c->count);
        /* touched, then as much again of scratch for sorting it */
        c->touched = gema_alloc_array(x->ndocs ? 2 * x->ndocs : 1, sizeof *c->touched);
        if (!c->count || !c->touched) return GEMA_ERR_NOMEM;
    }
    task_out *o = &x->tasks[task];
    const gema_pair_params *p = x->p;
    size_t lo = task * DOCS_PER_TASK, hi = GEMA_MIN(x->ndocs, lo + DOCS_PER_TASK);
    for (size_t a = lo; a < hi; a++) {
        size_t f0 = x->fwd_start[a], f1 = x->fwd_start[a + 1];
        if (f0 == f1) continue;
        /* Pass 1: how many hits each later document has with a. */
        c->ntouched = 0;
        size_t nhits = 0;
        for (size_t f = f0; f < f1; f++) {
            PREFETCH_RUNS(x, f, f1);
            for (size_t s = x->fwd[f].self + 1; s < x->fwd[f].end; s++) {
                uint32_t b = x->post[s].doc;
                if (c->count[b]++ == 0) c->touched[c->ntouched++] = b;
                nhits++;
            }
        }
        o->hits += nhits;
        o->sharing += c->ntouched;
        if (c->ntouched == 0) continue;
        /* Most documents touched share a single n-gram with a: drop them
         * before sorting the rest into b order. */
        size_t keep = 0;
        for (size_t t = 0; t < c->ntouched; t++) {
            uint32_t b = c->touched[t];
            if (c->count[b] >= p->min_shared) c->touched[keep++] = b;
            else c->count[b] = 0;
        }
        c->ntouched = keep;
        sort_docs(c->touched, c->touched + x->ndocs, keep);
        /* Segments for the documents with enough hits; count becomes the
         * fill offset (+1, so 0 still means "no segment"). */
        size_t total = 0;
        for (size_t t = 0; t < c->ntouched; t++) {
            uint32_t b = c->touched[t], k = c->count[b];
            c->count[b] = (uint32_t)total + 1;
            total += k;
        }
        if (total) {
            if (gema_u64vec_reserve(&c->seg, total) != GEMA_OK ||
                gema_u64vec_reserve(&c->tmp, total) != GEMA_OK)
                return GEMA_ERR_NOMEM;
            for (size_t f = f0; f < f1; f++) {
                PREFETCH_RUNS(x, f, f1);
                uint64_t pa = (uint64_t)x->post[x->fwd[f].self].pos << 32;
                for (size_t s = x->fwd[f].self + 1; s < x->fwd[f].end; s++) {
                    uint32_t b = x->post[s].doc;
                    if (!c->count[b]) continue;
                    c->seg.v[c->count[b]++ - 1] = pa | x->post[s].pos;
                }
            }
        }
        /* count[b] - 1 is now the end of b's segment; walk them in b order. */
        size_t begin = 0;
        for (size_t t = 0; t < c->ntouched; t++) {
            uint32_t b = c->touched[t];
            if (!c->count[b]) continue;
            size_t end = c->count[b] - 1, k = end - begin;
            c->count[b] = 0;
            uint64_t *h = c->seg.v + begin;
            if (k <= 32) insertion_sort_u64(h, k);
            else gema_radix_sort_u64(h, c->tmp.v, k);
            if (clustered(p, h, k)) {
                if (pairs_reserve(&o->out, o->out.len + 1) != GEMA_OK) return GEMA_ERR_NOMEM;
                o->out.pair[o->out.len] = (uint64_t)a << 32 | b;
                o->out.count[o->out.len] = (uint32_t)k;
                o->out.len++;
            }
            begin = end;
        }
    }
    return GEMA_OK;
}

/* Merge the sorted lists acc and add; a pair in both keeps the sum. */
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

int gema_ngram_index_pairs(gema_ngram_index *ix, const gema_pair_params *p, unsigned threads,
                           gema_pair_counts *acc, gema_ngram_stats *stats)
{
    if (threads < 1) threads = 1;
    size_t ndocs = ix->ndocs;
    uint64_t filled = 0;
    /* Chunks in use, not arena blocks: a block's pages are touched only
     * as far as chunks were carved from it. */
    for (size_t i = 0; i < (size_t)ix->threads * NBUCKETS; i++)
        filled += (uint64_t)ix->bucket[i].nchunks * CHUNK_ENTRIES;
    bucket_ctx bx = { ix, p, NULL, NULL };
    count_ctx cx;
    memset(&cx, 0, sizeof cx);
    posting *post = NULL;
    size_t *run_start = NULL, *fwd_start = NULL, ntasks = 0;
    fwd_entry *fwd = NULL;
    gema_pair_counts shard = { 0 };
    int rc = GEMA_OK;
    bx.scr = calloc(threads, sizeof *bx.scr);
    bx.out = calloc(NBUCKETS, sizeof *bx.out);
    if (!bx.scr || !bx.out) {
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    rc = gema_parallel(threads, NBUCKETS, bucket_task, NULL, &bx);
    /* The entries are all in postings now: give their memory back before
     * the forward index is built. */
    clear_buckets(ix);
    if (rc != GEMA_OK) goto done;
    uint64_t scratch = 0;
    for (unsigned t = 0; t < threads; t++) {
        scratch += 2 * bx.scr[t].cap * sizeof(uint64_t) + bx.scr[t].seen_words * sizeof(uint64_t);
        free(bx.scr[t].gather);
        free(bx.scr[t].tmp);
        free(bx.scr[t].seen);
        memset(&bx.scr[t], 0, sizeof bx.scr[t]);
    }

    /* Step 2: join the buckets' postings, then the forward index. */
    size_t npost = 0, nruns = 0;
    for (unsigned k = 0; k < NBUCKETS; k++) {
        npost += bx.out[k].npost;
        nruns += bx.out[k].nruns;
        stats->entries += bx.out[k].entries;
        stats->distinct += bx.out[k].distinct;
        stats->over_df += bx.out[k].over_df;
    }
    stats->shared += nruns;
    stats->postings += npost;
    if (nruns >= UINT32_MAX || npost >= UINT32_MAX) {
        rc = GEMA_ERR_TOO_BIG;
        goto done;
    }
    uint64_t peak = filled * sizeof(uint64_t) + scratch;
    uint64_t later = (uint64_t)npost * 16 + (uint64_t)(ndocs + nruns) * 8 + (uint64_t)threads * ndocs * 12;
    if (later > peak) peak = later;
    if (peak > stats->peak_bytes) stats->peak_bytes = peak;
    post = gema_alloc_array(npost ? npost : 1, sizeof *post);
    run_start = gema_alloc_array(nruns + 1, sizeof *run_start);
    fwd_start = calloc(ndocs + 1, sizeof *fwd_start);
    fwd = gema_alloc_array(npost ? npost : 1, sizeof *fwd);
    if (!post || !run_start || !fwd_start || !fwd) {
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    size_t at = 0, r = 0;
    for (unsigned k = 0; k < NBUCKETS; k++) {
        bucket_out *o = &bx.out[k];
        if (o->npost) memcpy(post + at, o->post, o->npost * sizeof *post);
        for (size_t q = 0; q < o->nruns; q++) {
            run_start[r++] = at;
            at += o->run_len[q];
        }
        free(o->post);
        free(o->run_len);
        o->post = NULL;
        o->run_len = NULL;
    }
    run_start[nruns] = at;
    for (size_t q = 0; q < npost; q++) fwd_start[post[q].doc + 1]++;
    for (size_t d = 0; d < ndocs; d++) fwd_start[d + 1] += fwd_start[d];
    {
        size_t *fill = gema_alloc_array(ndocs + 1, sizeof *fill);
        if (!fill) {
            rc = GEMA_ERR_NOMEM;
            goto done;
        }
        memcpy(fill, fwd_start, (ndocs + 1) * sizeof *fill);
        /* An n-gram held by more than rare_df documents is shared text
         * (a quote, a wire story) or a set phrase: all its df^2/2 pairs
         * made most of the hits and of the candidates that align to
         * nothing.  Each document pairs only with the next rare_df ones
         * holding it: text held by k documents still links all k (the
         * groups join them) in about k * rare_df pairs, and more than one
         * next document keeps the links when a few other documents hold
         * some of its n-grams. */
        int chain = p->rare_df > 0;
        for (size_t q = 0; q < nruns; q++)
            for (size_t s = run_start[q]; s < run_start[q + 1]; s++) {
                size_t f = fill[post[s].doc]++, end = run_start[q + 1];
                fwd[f].self = (uint32_t)s;
                if (chain) end = GEMA_MIN(end, s + 1 + p->rare_df);
                fwd[f].end = (uint32_t)end;
            }
        free(fill);
    }

    /* Steps 3 and 4. */
    ntasks = (ndocs + DOCS_PER_TASK - 1) / DOCS_PER_TASK;
    cx.p = p;
    cx.post = post;
    cx.fwd_start = fwd_start;
    cx.fwd = fwd;
    cx.ndocs = ndocs;
    cx.ctr = calloc(threads, sizeof *cx.ctr);
    cx.tasks = calloc(ntasks ? ntasks : 1, sizeof *cx.tasks);
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
        stats->hits += cx.tasks[t].hits;
        stats->pairs_sharing += cx.tasks[t].sharing;
        if (o->len) {
            memcpy(shard.pair + shard.len, o->pair, o->len * sizeof *o->pair);
            memcpy(shard.count + shard.len, o->count, o->len * sizeof *o->count);
        }
        shard.len += o->len;
    }
    if (rc == GEMA_OK) rc = merge_pairs(acc, &shard);
done:
    clear_buckets(ix);
    gema_pair_counts_free(&shard);
    if (cx.tasks)
        for (size_t t = 0; t < ntasks; t++) gema_pair_counts_free(&cx.tasks[t].out);
    free(cx.tasks);
    if (cx.ctr)
        for (unsigned t = 0; t < threads; t++) {
            free(cx.ctr[t].count);
            free(cx.ctr[t].touched);
            gema_u64vec_free(&cx.ctr[t].seg);
            gema_u64vec_free(&cx.ctr[t].tmp);
        }
    free(cx.ctr);
    if (bx.scr)
        for (unsigned t = 0; t < threads; t++) {
            free(bx.scr[t].gather);
            free(bx.scr[t].tmp);
            free(bx.scr[t].seen);
        }
    free(bx.scr);
    if (bx.out)
        for (unsigned k = 0; k < NBUCKETS; k++) {
            free(bx.out[k].post);
            free(bx.out[k].run_len);
        }
    free(bx.out);
    free(post);
    free(run_start);
    free(fwd_start);
    free(fwd);
    return rc;
}
