/*
 * stories.c - the stream clusterer: story vectors, the inverted index over
 * them, the join-or-new decision, closing, and the lagged revisit.
 *
 * Costs per article: Q index lookups (query_terms) whose postings name
 * candidate stories with a partial score (the article's weight on the
 * shared terms), then an exact score for the best C of them (candidates):
 * one hash probe per article term into each candidate's vector.  Posting
 * lists only hold live stories, each under its index_terms heaviest terms,
 * so their length follows the number of live stories sharing a salient
 * term, not the corpus size; a term in more than max_postings of them is
 * acting as a stop word within the window and is not looked up.  The
 * density of an article costs the same kind of lookup in the index of held
 * articles (postings carry the article's weight, so partial scores are dot
 * products over the heaviest terms), then 2k exact dot products against
 * a hash table of the article's own terms.
 *
 * Story vectors are open-addressed tables of (term, weight, display string)
 * with linear probing and backward-shift deletion (a revisit can take an
 * article out).  A story that outgrows 2 * story_terms entries keeps its
 * story_terms heaviest.  Its index terms are recomputed when its size passes
 * 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 18, ... (a quarter more each time):
 * the heaviest terms of a big story barely move with one more article.
 *
 * Everything here runs on one thread in stream order, so the result is a
 * function of the input order alone; ties go to the lower story number.
 */
#include "stories.h"

#include <math.h>

#define NONE32 UINT32_MAX
#define DISPLAY_MAX 64   /* bytes of a display string kept in a story */
#define DENSITY_EXACT 2  /* neighbours scored exactly per density, per k */

typedef struct {
    uint64_t key;    /* 0 = empty; term 0 is stored as 1 */
    float w;
    uint32_t str;    /* offset into the story's strings; high byte: channel */
} centry;

typedef struct {
    centry *e;
    uint32_t cap, n;
    gema_buf str;
    uint32_t leads;         /* articles in the vector */
    uint32_t ver;           /* changes whenever the vector may have changed */
    uint32_t next_reindex;
    int64_t first_t, last_t;
    uint64_t *idx;          /* terms it is indexed under */
    uint32_t nidx;
    uint32_t live_pos;      /* position in the live list, NONE32 when closed */
    uint32_t *mem;          /* its articles, in no order (nmem == leads) */
    uint32_t nmem, mem_cap;
} story;

/* A list holds ids[lo..n); in the article index the weights follow the ids
 * in the same block (pw()).  Removal fills the hole with ids[lo] and moves
 * lo on: articles leave the article index in the order they entered it, so
 * there the id removed is found at lo at once. */
typedef struct {
    uint64_t key;
    uint32_t *ids;
    uint32_t lo, n, cap;
} posting;

/* An inverted index: term -> ids (stories, or articles with their weights). */
typedef struct {
    posting *post;
    size_t cap, used, empty;
    int weighted;
} ptable;

/* A held article.  sig[i] is a 16-bit hash of term i (nsig = 0 when the
 * vector is too long to have them): an exact density dot product walks
 * these instead of the 24-byte terms and loads only the terms the query's
 * 65,536 bits let through. */
#define SIG_MAX 128
#define SEEN_MAX 8
typedef struct {
    uint32_t doc;
    uint32_t nsig;
    int64_t t;
    gema_fvec v;
    uint16_t sig[SIG_MAX];
    /* The dot products with stories its decision computed, for the revisit:
     * a story whose vector has not changed since gives the same one. */
    uint32_t nseen;
    uint32_t seen_id[SEEN_MAX], seen_ver[SEEN_MAX];
    double seen_dot[SEEN_MAX];
} pending;

/* Candidate scratch per id: the query it was last seen by, its partial score. */
typedef struct {
    uint32_t gen;
    float part;
} mark;

struct gema_clusterer {
    gema_cluster_params p;
    size_t ndocs;
    /* per article */
    uint32_t *doc_story;       /* may name a story merged since: see story_of() */
    float *doc_score, *doc_central;
    float *doc_sigma;          /* local density: similarity to the k-th neighbour */
    const pending **doc_vec;   /* an article in the article index, else NULL */
    unsigned char *doc_decision;
    unsigned char *doc_held;   /* pushed */
    /* stories */
    story **st;                /* by id; NULL once closed, merged away or emptied, so
                                  that a closed story costs a pointer, not a record */
    size_t nst, st_cap;
    uint32_t *fwd;             /* story merged into, NONE32 if none */
    uint32_t *live;
    int64_t *live_last;        /* last_t of live[i]: the close check reads these, not
                                  a cache line per story */
    size_t nlive;
    /* indexes: live stories, and articles held for neighbours and revisit */
    ptable sidx, aidx;
    /* candidate scratch (stories) */
    mark *stamp;               /* stamp and partial score side by side: one miss per posting */
    size_t stamp_cap;
    uint32_t gen;
    uint32_t *cand;
    size_t cand_cap;
    /* candidate scratch (articles) */
    mark *astamp;
    uint32_t agen;
    uint32_t *acand;
    size_t acand_cap;
    float *knn;
    /* a query vector as a hash table, for exact dot products with articles */
    uint64_t *qkey;
    float *qw;
    size_t qcap, qmask;
    uint64_t *qbits;           /* QBITS bits, one per query term's sig16: most terms of the
                                  others miss; all zero between queries */
    unsigned char *qpass;      /* per exact candidate, the terms that passed the bits */
    size_t qpass_cap;
    /* held articles (ring, stream order): the first q_rev of them are revisited */
    pending *q;
    size_t q_cap, q_head, q_len, q_dec, q_rev;
    /* spare vectors */
    gema_fvec *spare;
    size_t nspare, spare_cap;
    int64_t last_push_t;
    int64_t next_close_t;
    uint64_t pushes_since_close;
    /* scratch for selections */
    centry *sel;
    size_t sel_cap;
    int finished;
    gema_cluster_close_fn on_close;
    void *on_close_user;
    gema_cluster_stats stats;
};

void gema_cluster_params_default(gema_cluster_params *p)
{
    memset(p, 0, sizeof *p);
    p->threshold = 0.65;
    p->neighbours = 5;
    p->density_floor = 0.25;
    p->revisit = 1;
    p->close_every = 3600;
    p->query_terms = 24;
    p->index_terms = 24;
    p->candidates = 6;
    p->story_terms = 1000;
    p->max_postings = 5000;
    p->summary_terms = 10;
}

/* ---- story vectors --------------------------------------------------------- */

static inline uint64_t fix_key(uint64_t k)
{
    return k ? k : 1;
}

static inline size_t home(uint64_t k, uint32_t cap)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

/* Behind a story's table sit BLOOM_WORDS words with a bit per term it holds
 * (bits a deleted term set stay: a false positive only costs a probe).  An
 * article scored against a story shares few of its terms, and the table of
 * a story not touched lately is not in the cache: the bits turn most
 * probes away. */
#define BLOOM_WORDS 16

static inline uint64_t *bloom(const story *s)
{
    return (uint64_t *)(void *)(s->e + s->cap);
}

/* A term's bit among BLOOM_WORDS * 64: the top bits of the product whose
 * middle bits home() uses. */
static inline void bits_set(uint64_t *bits, uint64_t k)
{
    uint64_t b = (k * 0x9E3779B97F4A7C15ULL) >> 54;
    bits[b >> 6] |= 1ULL << (b & 63);
}

static inline int bits_has(const uint64_t *bits, uint64_t k)
{
    uint64_t b = (k * 0x9E3779B97F4A7C15ULL) >> 54;
    return (bits[b >> 6] >> (b & 63)) & 1;
}

static inline void bloom_set(const story *s, uint64_t k)
{
    bits_set(bloom(s), k);
}

static centry *vfind(const story *s, uint64_t k)
{
    if (!s->cap) return NULL;
    if (!bits_has(bloom(s), k)) return NULL;
    size_t i = home(k, s->cap);
    while (s->e[i].key) {
        if (s->e[i].key == k) return &s->e[i];
        i = (i + 1) & (s->cap - 1);
    }
    return NULL;
}

static int vgrow(story *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 256;
    centry *e = calloc(1, cap * sizeof *e + BLOOM_WORDS * sizeof(uint64_t));
    if (!e) return GEMA_ERR_NOMEM;
    story big = *s;
    big.e = e;
    big.cap = cap;
    for (uint32_t i = 0; i < s->cap; i++) {
        if (!s->e[i].key) continue;
        size_t j = home(s->e[i].key, cap);
        while (e[j].key) j = (j + 1) & (cap - 1);
        e[j] = s->e[i];
        bloom_set(&big, s->e[i].key);
    }
    free(s->e);
    s->e = e;
    s->cap = cap;
    return GEMA_OK;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
static void vdelete(story *s, centry *x)
{
    size_t mask = s->cap - 1;
    size_t i = (size_t)(x - s->e);
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!s->e[j].key) break;
        size_t h = home(s->e[j].key, s->cap);
        /* Move e[j] into the hole at i unless its home lies cyclically in (i, j]. */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            s->e[i] = s->e[j];
            i = j;
        }
    }
    s->e[i].key = 0;
    s->n--;
}

/* Bytes of src a story keeps (whole characters). */
static size_t display_len(const char *src)
{
    size_t len = strlen(src);
    if (len > DISPLAY_MAX) {
        len = DISPLAY_MAX;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) len--; /* whole characters */
    }
    return len;
}

static int put_string(story *s, const char *src, uint32_t *off)
{
    size_t len = display_len(src);
    if (s->str.len + len + 1 > 0xFFFFFF) return GEMA_ERR_TOO_BIG;
    *off = (uint32_t)s->str.len;
    if (gema_buf_append(&s->str, src, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    return gema_buf_putc(&s->str, '\0');
}

/* Add weight w to term k of s; a new term takes its display string. */
static int vput(story *s, uint64_t k, float w, const char *str, unsigned channel)
{
    centry *e = vfind(s, k);
    if (e) {
        e->w += w;
        /* A shorter surface form of the same stem reads better ("president"). */
        if (channel == GEMA_CH_WORD) {
            char *now = s->str.data + (e->str & 0xFFFFFF);
            size_t nl = strlen(now), cl = strlen(str);
            if (cl < nl) memcpy(now, str, cl + 1);
        }
        return GEMA_OK;
    }
    if ((s->n + 1) * 4 > s->cap * 3 && vgrow(s) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t j = home(k, s->cap);
    while (s->e[j].key) j = (j + 1) & (s->cap - 1);
    uint32_t off;
    int rc = put_string(s, str, &off);
    if (rc != GEMA_OK) return rc;
    s->e[j].key = k;
    s->e[j].w = w;
    s->e[j].str = off | ((uint32_t)channel << 24);
    bloom_set(s, k);
    s->n++;
    return GEMA_OK;
}

/* S += scale * v; a negative scale takes an article out again. */
static int vadd(story *s, const gema_fvec *v, double scale)
{
    s->ver++;
    for (size_t i = 0; i < v->n; i++) {
        const gema_fterm *t = &v->t[i];
        uint64_t k = fix_key(t->term);
        float w = (float)(scale * t->w);
        if (scale < 0) {
            centry *e = vfind(s, k);
            if (!e) continue; /* pruned away */
            e->w += w;
            if (e->w <= 1e-6f) vdelete(s, e);
            continue;
        }
        int rc = vput(s, k, w, v->strings.data + t->str, t->channel);
        if (rc != GEMA_OK) return rc;
    }
    return GEMA_OK;
}

/* S_dst += S_src (a merge). */
static int vmerge(story *dst, const story *src)
{
    dst->ver++;
    for (uint32_t i = 0; i < src->cap; i++) {
        const centry *e = &src->e[i];
        if (!e->key) continue;
        int rc = vput(dst, e->key, e->w, src->str.data + (e->str & 0xFFFFFF), e->str >> 24);
        if (rc != GEMA_OK) return rc;
    }
    return GEMA_OK;
}

/* The sum over e[0..n) (empty slots, key 0, skipped) of e.w times b's weight
 * on e.key, in that order.  Two passes per chunk, as in vdot: b's bits pick
 * the entries that may be shared and start the loads of their home slots in
 * b; then the probes and the sum (the same sum as one pass). */
static double dot_entries(const centry *e, size_t n, const story *b)
{
    double dot = 0;
    if (!b->cap) return 0;
    uint32_t pass[256];
    const uint64_t *bl = bloom(b);
    size_t mask = b->cap - 1;
    for (size_t done = 0; done < n;) {
        size_t end = GEMA_MIN(n, done + 256), np = 0;
        for (size_t i = done; i < end; i++) {
            uint64_t k = e[i].key;
            if (!k || !bits_has(bl, k)) continue;
            __builtin_prefetch(&b->e[home(k, b->cap)]);
            pass[np++] = (uint32_t)i;
        }
        for (size_t x = 0; x < np; x++) {
            /* cppcheck-suppress uninitvar ; pass[0..np) was written just above */
            const centry *y = &e[pass[x]];
            size_t j = home(y->key, b->cap);
            while (b->e[j].key && b->e[j].key != y->key) j = (j + 1) & mask;
            if (b->e[j].key) dot += (double)y->w * (double)b->e[j].w;
        }
        done = end;
    }
    return dot;
}

/* S_a . S_b, walking the smaller table in its slot order.  A story scored
 * against several may come as its entries listed in slot order (alist,
 * nalist; NULL to walk the table). */
static double sdot(const story *a, const story *b, const centry *alist, size_t nalist)
{
    if (a->n > b->n) return dot_entries(b->e, b->cap, a);
    return alist ? dot_entries(alist, nalist, b) : dot_entries(a->e, a->cap, b);
}

/* d.S, and the part of it that d itself put there (for leave-one-out). */
static double vdot(const story *s, const gema_fvec *v, double *self)
{
    double dot = 0, me = 0;
    if (!s->cap) {
        if (self) *self = 0;
        return 0;
    }
    /* Two passes: the bits say which terms may be there and the loads of
     * their slots start together; then the probes, in the vector's order
     * (the sums are the same as one pass would make). */
    uint32_t pass[256];
    size_t n = 0, done = 0;
    const uint64_t *bl = bloom(s);
    size_t mask = s->cap - 1;
    while (done < v->n) {
        size_t end = GEMA_MIN(v->n, done + 256);
        n = 0;
        for (size_t i = done; i < end; i++) {
            uint64_t k = fix_key(v->t[i].term);
            if (!bits_has(bl, k)) continue;
            __builtin_prefetch(&s->e[home(k, s->cap)]);
            pass[n++] = (uint32_t)i;
        }
        for (size_t x = 0; x < n; x++) {
            size_t i = pass[x];
            uint64_t k = fix_key(v->t[i].term);
            size_t j = home(k, s->cap);
            while (s->e[j].key && s->e[j].key != k) j = (j + 1) & mask;
            if (!s->e[j].key) continue;
            dot += (double)v->t[i].w * (double)s->e[j].w;
            me += (double)v->t[i].w * (double)v->t[i].w;
        }
        done = end;
    }
    if (self) *self = me;
    return dot;
}

static int heavier(const centry *a, const centry *b)
{
    if (a->w != b->w) return a->w > b->w;
    return a->key < b->key;
}

static int cmp_heavier(const void *x, const void *y)
{
    const centry *a = x, *b = y;
    if (heavier(a, b)) return -1;
    if (heavier(b, a)) return 1;
    return 0;
}

/* Move the k heaviest of a[0..n) to the front. */
static void select_top(centry *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1 && k > lo && k < hi) {
        size_t mid = lo + (hi - lo) / 2;
        centry pv = a[mid];
        a[mid] = a[hi - 1];
        a[hi - 1] = pv;
        size_t store = lo;
        for (size_t i = lo; i < hi - 1; i++)
            if (heavier(&a[i], &pv)) {
                centry tmp = a[i];
                a[i] = a[store];
                a[store] = tmp;
                store++;
            }
        a[hi - 1] = a[store];
        a[store] = pv;
        if (store == k || store + 1 == k) return;
        if (store > k) hi = store;
        else lo = store + 1;
    }
}

static int sel_reserve(gema_clusterer *c, size_t n)
{
    if (c->sel_cap < n) {
        centry *x = gema_realloc_array(c->sel, n, sizeof *x);
        if (!x) return GEMA_ERR_NOMEM;
        c->sel = x;
        c->sel_cap = n;
    }
    return GEMA_OK;
}

/* Entries of s, optionally only of some channels, into c->sel. */
static int gather(gema_clusterer *c, const story *s, unsigned channels, size_t *n)
{
    if (sel_reserve(c, s->n) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t k = 0;
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->e[i].key && (channels & (1u << (s->e[i].str >> 24)))) c->sel[k++] = s->e[i];
    *n = k;
    return GEMA_OK;
}

/* Keep the story_terms heaviest entries of a story grown past twice that. */
static int prune(gema_clusterer *c, story *s)
{
    if (s->n <= 2 * c->p.story_terms) return GEMA_OK;
    s->ver++;
    size_t n;
    int rc = gather(c, s, 0xFF, &n);
    if (rc != GEMA_OK) return rc;
    size_t keep = c->p.story_terms;
    select_top(c->sel, n, keep);
    gema_buf str = { 0 };
    memset(s->e, 0, s->cap * sizeof *s->e + BLOOM_WORDS * sizeof(uint64_t));
    s->n = 0;
    for (size_t i = 0; i < keep; i++) {
        centry x = c->sel[i];
        const char *src = s->str.data + (x.str & 0xFFFFFF);
        uint32_t off = (uint32_t)str.len;
        if (gema_buf_append(&str, src, strlen(src) + 1) != GEMA_OK) {
            gema_buf_free(&str);
            return GEMA_ERR_NOMEM;
        }
        x.str = off | (x.str & 0xFF000000u);
        size_t j = home(x.key, s->cap);
        while (s->e[j].key) j = (j + 1) & (s->cap - 1);
        s->e[j] = x;
        bloom_set(s, x.key);
        s->n++;
    }
    gema_buf_free(&s->str);
    s->str = str;
    return GEMA_OK;
}

/* ---- the indexes ---------------------------------------------------------- */

static inline size_t phome(uint64_t k, size_t cap)
{
    return (size_t)((k * 0xD6E8FEB86659FD93ULL) >> 32) & (cap - 1);
}

static posting *pfind(const ptable *t, uint64_t k)
{
    if (!t->cap) return NULL;
    size_t i = phome(k, t->cap);
    while (t->post[i].key) {
        if (t->post[i].key == k) return &t->post[i];
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

static inline float *pw(const posting *p)
{
    return (float *)(void *)(p->ids + p->cap);
}

static inline uint32_t plen(const posting *p)
{
    return p->n - p->lo;
}

static int prehash(ptable *t, size_t cap)
{
    posting *p = calloc(cap, sizeof *p);
    if (!p) return GEMA_ERR_NOMEM;
    size_t used = 0;
    for (size_t i = 0; i < t->cap; i++) {
        posting *o = &t->post[i];
        if (!o->key) continue;
        if (!plen(o)) { /* drop lists emptied by closed stories or dropped articles */
            free(o->ids);
            continue;
        }
        size_t j = phome(o->key, cap);
        while (p[j].key) j = (j + 1) & (cap - 1);
        p[j] = *o;
        used++;
    }
    free(t->post);
    t->post = p;
    t->cap = cap;
    t->used = used;
    t->empty = 0;
    return GEMA_OK;
}

static int padd(ptable *t, uint64_t k, uint32_t id, float w)
{
    posting *p = pfind(t, k);
    if (!p) {
        if ((t->used + 1) * 2 > t->cap) {
            /* Grow, or just sweep out empty lists if they are most of it. */
            size_t live = t->used - t->empty;
            size_t cap = t->cap ? t->cap : 1024;
            while ((live + 1) * 2 > cap / 2) cap *= 2;
            if (prehash(t, cap) != GEMA_OK) return GEMA_ERR_NOMEM;
        }
        size_t i = phome(k, t->cap);
        while (t->post[i].key) i = (i + 1) & (t->cap - 1);
        p = &t->post[i];
        p->key = k;
        t->used++;
        t->empty++;
    }
    if (p->n == p->cap) {
        uint32_t len = plen(p);
        /* Grow only when the list is full, as when removal filled holes
         * from the back: the same capacities, at most one move of the list
         * per removal from its front (the old removal scanned it). */
        if (p->lo) {
            memmove(p->ids, p->ids + p->lo, len * sizeof *p->ids);
            if (t->weighted) memmove(pw(p), pw(p) + p->lo, len * sizeof(float));
        } else {
            uint32_t cap = p->cap ? p->cap * 2 : 4;
            uint32_t *ids = gema_realloc_array(NULL, cap, t->weighted ? 8 : 4);
            if (!ids) return GEMA_ERR_NOMEM;
            if (len) {
                memcpy(ids, p->ids + p->lo, len * sizeof *ids);
                if (t->weighted) memcpy(ids + cap, pw(p) + p->lo, len * sizeof(float));
            }
            free(p->ids);
            p->ids = ids;
            p->cap = cap;
        }
        p->lo = 0;
        p->n = len;
    }
    if (p->n == p->lo) t->empty--;
    if (t->weighted) pw(p)[p->n] = w;
    p->ids[p->n++] = id;
    return GEMA_OK;
}

static void premove(ptable *t, uint64_t k, uint32_t id)
{
    posting *p = pfind(t, k);
    if (!p) return;
    for (uint32_t i = p->lo; i < p->n; i++)
        if (p->ids[i] == id) {
            /* Order within a list does not matter: scores are sums per id,
             * and candidates are ranked by a total order. */
            p->ids[i] = p->ids[p->lo];
            if (t->weighted) pw(p)[i] = pw(p)[p->lo];
            p->lo++;
            if (p->lo == p->n) {
                p->lo = p->n = 0;
                t->empty++;
            }
            return;
        }
}

static void ptable_free(ptable *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->post[i].ids);
    free(t->post);
    memset(t, 0, sizeof *t);
}

static uint64_t ptable_bytes(const ptable *t)
{
    uint64_t b = t->cap * sizeof(posting);
    for (size_t i = 0; i < t->cap; i++)
        b += t->post[i].cap * (sizeof(uint32_t) + (t->weighted ? sizeof(float) : 0));
    return b;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Index a story under its heaviest terms, changing only what changed. */
static int reindex(gema_clusterer *c, uint32_t id, const gema_fvec *only)
{
    story *s = c->st[id];
    uint64_t fresh[256];
    size_t k;
    int rc;
    if (only) {
        /* A story of one article: its heaviest terms are the article's. */
        k = GEMA_MIN(GEMA_MIN(only->n, (size_t)c->p.index_terms), (size_t)256);
        for (size_t i = 0; i < k; i++) fresh[i] = fix_key(only->t[i].term);
    } else {
        size_t n;
        if ((rc = gather(c, s, 0xFF, &n)) != GEMA_OK) return rc;
        k = GEMA_MIN(GEMA_MIN(n, (size_t)c->p.index_terms), (size_t)256);
        select_top(c->sel, n, k);
        for (size_t i = 0; i < k; i++) fresh[i] = c->sel[i].key;
    }
    qsort(fresh, k, sizeof *fresh, cmp_u64);
    if (c->sidx.cap) /* cold slots: their loads start together */
        for (size_t i = 0; i < k; i++) __builtin_prefetch(&c->sidx.post[phome(fresh[i], c->sidx.cap)]);
    if (!s->idx) {
        s->idx = calloc(GEMA_MIN((size_t)c->p.index_terms, (size_t)256), sizeof *s->idx);
        if (!s->idx) return GEMA_ERR_NOMEM;
    }
    /* Both lists are sorted: walk them together. */
    size_t i = 0, j = 0;
    while (i < s->nidx || j < k) {
        if (j == k || (i < s->nidx && s->idx[i] < fresh[j])) {
            premove(&c->sidx, s->idx[i++], id);
        } else if (i == s->nidx || fresh[j] < s->idx[i]) {
            if ((rc = padd(&c->sidx, fresh[j++], id, 0)) != GEMA_OK) return rc;
        } else {
            i++;
            j++;
        }
    }
    memcpy(s->idx, fresh, k * sizeof *fresh);
    s->nidx = (uint32_t)k;
    return GEMA_OK;
}

static void unindex(gema_clusterer *c, uint32_t id)
{
    story *s = c->st[id];
    /* The slots' loads start together, then the lists'. */
    if (c->sidx.cap)
        for (uint32_t i = 0; i < s->nidx; i++)
            __builtin_prefetch(&c->sidx.post[phome(s->idx[i], c->sidx.cap)]);
    for (uint32_t i = 0; i < s->nidx; i++) {
        const posting *p = pfind(&c->sidx, s->idx[i]);
        if (p && plen(p)) __builtin_prefetch(p->ids + p->lo);
    }
    for (uint32_t i = 0; i < s->nidx; i++) premove(&c->sidx, s->idx[i], id);
    s->nidx = 0;
}

/* ---- clusterer ------------------------------------------------------------- */

int gema_clusterer_new(const gema_cluster_params *p, size_t ndocs, gema_clusterer **out)
{
    if (!p || !out || !(p->threshold >= 0) || ndocs >= NONE32 || !(p->density_floor >= 0))
        return GEMA_ERR_ARG;
    gema_clusterer *c = calloc(1, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    c->p = *p;
    if (!c->p.query_terms) c->p.query_terms = 24;
    if (!c->p.index_terms) c->p.index_terms = 24;
    if (c->p.index_terms > 256) c->p.index_terms = 256;
    if (!c->p.candidates) c->p.candidates = 6;
    if (!c->p.story_terms) c->p.story_terms = 1000;
    if (!c->p.max_postings) c->p.max_postings = UINT32_MAX;
    if (c->p.neighbours > 64) c->p.neighbours = 64;
    c->aidx.weighted = 1;
    c->ndocs = ndocs;
    size_t m = ndocs ? ndocs : 1;
    c->doc_story = malloc(m * sizeof *c->doc_story);
    c->doc_score = calloc(m, sizeof *c->doc_score);
    c->doc_central = calloc(m, sizeof *c->doc_central);
    c->doc_sigma = calloc(m, sizeof *c->doc_sigma);
    c->doc_decision = calloc(m, 1);
    c->doc_held = calloc(m, 1);
    if (c->p.neighbours) {
        c->doc_vec = calloc(m, sizeof *c->doc_vec);
        c->astamp = calloc(m, sizeof *c->astamp);
    }
    if (!c->doc_story || !c->doc_score || !c->doc_central || !c->doc_sigma || !c->doc_decision || !c->doc_held ||
        (c->p.neighbours && (!c->doc_vec || !c->astamp))) {
        gema_clusterer_free(c);
        return GEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < ndocs; i++) c->doc_story[i] = NONE32;
    c->last_push_t = INT64_MIN;
    *out = c;
    return GEMA_OK;
}

static void story_release(story *s)
{
    free(s->e);
    s->e = NULL;
    s->cap = s->n = 0;
    gema_buf_free(&s->str);
    free(s->idx);
    s->idx = NULL;
    free(s->mem);
    s->mem = NULL;
    s->nmem = s->mem_cap = 0;
}

/* A story is done with (closed, merged away, emptied): only its id stays. */
static void story_drop(gema_clusterer *c, uint32_t id)
{
    story_release(c->st[id]);
    free(c->st[id]);
    c->st[id] = NULL;
}

/* Members: an array per live story, so that a story hands over its articles
 * as it closes and the clusterer keeps nothing per closed story but its
 * forwarding entry.  A revisit's move scans one story's array; moves are
 * few. */
static int mem_reserve(story *s, uint32_t more)
{
    if (s->nmem + more <= s->mem_cap) return GEMA_OK;
    size_t cap = s->mem_cap ? s->mem_cap : 4;
    while (cap < (size_t)s->nmem + more) cap *= 2;
    if (cap > NONE32) return GEMA_ERR_TOO_BIG;
    uint32_t *m = gema_realloc_array(s->mem, cap, sizeof *m);
    if (!m) return GEMA_ERR_NOMEM;
    s->mem = m;
    s->mem_cap = (uint32_t)cap;
    return GEMA_OK;
}

static int mem_add(story *s, uint32_t doc)
{
    int rc = mem_reserve(s, 1);
    if (rc == GEMA_OK) s->mem[s->nmem++] = doc;
    return rc;
}

static void mem_remove(story *s, uint32_t doc)
{
    for (uint32_t i = 0; i < s->nmem; i++)
        if (s->mem[i] == doc) {
            s->mem[i] = s->mem[--s->nmem];
            return;
        }
}

void gema_clusterer_free(gema_clusterer *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nst; i++) {
        if (!c->st[i]) continue;
        story_release(c->st[i]);
        free(c->st[i]);
    }
    free(c->st);
    free(c->fwd);
    free(c->live);
    free(c->live_last);
    ptable_free(&c->sidx);
    ptable_free(&c->aidx);
    free(c->stamp);
    free(c->cand);
    free(c->astamp);
    free(c->acand);
    free(c->knn);
    free(c->qkey);
    free(c->qw);
    free(c->qbits);
    free(c->qpass);
    for (size_t i = 0; i < c->q_len; i++) gema_fvec_free(&c->q[(c->q_head + i) % c->q_cap].v);
    free(c->q);
    for (size_t i = 0; i < c->nspare; i++) gema_fvec_free(&c->spare[i]);
    free(c->spare);
    free(c->sel);
    free(c->doc_story);
    free(c->doc_score);
    free(c->doc_central);
    free(c->doc_sigma);
    free(c->doc_vec);
    free(c->doc_decision);
    free(c->doc_held);
    free(c);
}

/* Keep a vector's storage for reuse, or free it. */
static void recycle(gema_clusterer *c, gema_fvec *v)
{
    if (c->nspare < 64) {
        if (c->nspare == c->spare_cap) {
            size_t cap = c->spare_cap ? c->spare_cap * 2 : 16;
            gema_fvec *s = gema_realloc_array(c->spare, cap, sizeof *s);
            if (!s) {
                gema_fvec_free(v);
                return;
            }
            c->spare = s;
            c->spare_cap = cap;
        }
        c->spare[c->nspare++] = *v;
    } else {
        gema_fvec_free(v);
    }
    memset(v, 0, sizeof *v);
}

/* The story an article's story was merged into, if it was (path halving). */
static uint32_t story_of(gema_clusterer *c, uint32_t id)
{
    while (c->fwd[id] != NONE32) {
        uint32_t up = c->fwd[id];
        if (c->fwd[up] != NONE32) c->fwd[id] = c->fwd[up];
        id = up;
    }
    return id;
}

static double decay(const gema_clusterer *c, double dt)
{
    if (c->p.half_life <= 0) return 1.0;
    dt -= c->p.grace;
    if (dt <= 0) return 1.0;
    return exp2(-dt / c->p.half_life);
}

/* Time from t to the nearest article of s, in seconds. */
static double distance(const story *s, int64_t t)
{
    if (t < s->first_t) return (double)s->first_t - (double)t;
    if (t > s->last_t) return (double)t - (double)s->last_t;
    return 0;
}

/* Time between the nearest articles of two stories. */
static double story_distance(const story *a, const story *b)
{
    if (a->last_t < b->first_t) return (double)b->first_t - (double)a->last_t;
    if (b->last_t < a->first_t) return (double)a->first_t - (double)b->last_t;
    return 0;
}

static int in_window(const gema_clusterer *c, double dt)
{
    return c->p.window <= 0 || dt <= c->p.window;
}

/* ---- local density ------------------------------------------------------- */
/*
 * An article's density sigma is its cosine similarity to its k-th most
 * similar article among those held when it is decided (from two windows
 * before it to one after; without a window, all), never below
 * density_floor.
 * Scores divide a similarity by sqrt(sigma_d * sigma_j): the local scaling
 * of Zelnik-Manor & Perona ("Self-tuning spectral clustering", NIPS 2004).
 * Reports of one event that all share a vocabulary (two Oscar-host
 * announcements, two boxing title defences) sit in a dense region and need
 * more than the topic's words in common; a loosely written story in a sparse
 * region joins on less.  The floor keeps an article with no close neighbour
 * from joining on a trace of overlap.
 */

#define QBITS 65536

static inline uint16_t sig16(uint64_t k)
{
    return (uint16_t)((k * 0x9E3779B97F4A7C15ULL) >> 48);
}

static inline int qbit(const uint64_t *bits, uint16_t s)
{
    return (bits[s >> 6] >> (s & 63)) & 1;
}

static int query_table(gema_clusterer *c, const gema_fvec *v)
{
    size_t cap = 64;
    while (cap < 2 * v->n) cap *= 2;
    if (cap > c->qcap) {
        uint64_t *k = realloc(c->qkey, cap * sizeof *k);
        if (!k) return GEMA_ERR_NOMEM;
        c->qkey = k;
        float *w = realloc(c->qw, cap * sizeof *w);
        if (!w) return GEMA_ERR_NOMEM;
        c->qw = w;
        c->qcap = cap;
    }
    memset(c->qkey, 0, cap * sizeof *c->qkey);
    if (!c->qbits && !(c->qbits = calloc(QBITS / 64, sizeof *c->qbits))) return GEMA_ERR_NOMEM;
    for (size_t i = 0; i < v->n; i++) {
        uint64_t k = fix_key(v->t[i].term);
        uint16_t sg = sig16(k);
        c->qbits[sg >> 6] |= 1ULL << (sg & 63);
        size_t j = home(k, (uint32_t)cap);
        while (c->qkey[j]) j = (j + 1) & (cap - 1);
        c->qkey[j] = k;
        c->qw[j] = v->t[i].w;
    }
    c->qmask = cap - 1;
    return GEMA_OK;
}

static void query_untable(gema_clusterer *c, const gema_fvec *v)
{
    for (size_t i = 0; i < v->n; i++) c->qbits[sig16(fix_key(v->t[i].term)) >> 6] = 0;
}

/* The query's weight on term k, or 0 (= not in the query). */
static inline double query_w(const gema_clusterer *c, uint64_t k, int *found)
{
    size_t j = home(k, (uint32_t)(c->qmask + 1));
    while (c->qkey[j]) {
        if (c->qkey[j] == k) {
            *found = 1;
            return (double)c->qw[j];
        }
        j = (j + 1) & c->qmask;
    }
    *found = 0;
    return 0;
}

/* The terms of held article u that pass the query's bits, into pass (their
 * slots' loads started); returns how many.  Only for u->nsig > 0. */
static size_t query_pass(const gema_clusterer *c, const pending *u, unsigned char *pass)
{
    size_t n = 0;
    for (uint32_t i = 0; i < u->nsig; i++) {
        if (!qbit(c->qbits, u->sig[i])) continue;
        __builtin_prefetch(&u->v.t[i]);
        pass[n++] = (unsigned char)i;
    }
    return n;
}

/* q . u summed in u's order over the terms pass names (all of u's terms
 * when u has no sigs: pass NULL). */
static double query_dot(const gema_clusterer *c, const pending *pu, const unsigned char *pass,
                        size_t npass)
{
    const gema_fvec *u = &pu->v;
    double dot = 0;
    int found;
    if (!pass) {
        for (size_t i = 0; i < u->n; i++) {
            uint64_t k = fix_key(u->t[i].term);
            if (!qbit(c->qbits, sig16(k))) continue;
            double w = query_w(c, k, &found);
            if (found) dot += w * (double)u->t[i].w;
        }
        return dot;
    }
    for (size_t x = 0; x < npass; x++) {
        size_t i = pass[x];
        double w = query_w(c, fix_key(u->t[i].term), &found);
        if (found) dot += w * (double)u->t[i].w;
    }
    return dot;
}

/* Move the k best ids of ids[0..n) by score (ties: lower id) to the front,
 * in order.  Quickselect, then a sort of the k: candidate lists can be long. */
static int better(const mark *sc, uint32_t a, uint32_t b)
{
    if (sc[a].part != sc[b].part) return sc[a].part > sc[b].part;
    return a < b;
}

static void best_ids_select(uint32_t *ids, size_t n, size_t k, const mark *sc)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1 && k > lo && k < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t pv = ids[mid];
        ids[mid] = ids[hi - 1];
        ids[hi - 1] = pv;
        size_t store = lo;
        for (size_t i = lo; i < hi - 1; i++)
            if (better(sc, ids[i], pv)) {
                uint32_t tmp = ids[i];
                ids[i] = ids[store];
                ids[store] = tmp;
                store++;
            }
        ids[hi - 1] = ids[store];
        ids[store] = pv;
        if (store == k || store + 1 == k) break;
        if (store > k) hi = store;
        else lo = store + 1;
    }
    /* Insertion sort of the k best: k is small. */
    for (size_t i = 1; i < k; i++) {
        uint32_t x = ids[i];
        size_t j = i;
        while (j > 0 && better(sc, x, ids[j - 1])) {
            ids[j] = ids[j - 1];
            j--;
        }
        ids[j] = x;
    }
}

#define BEST_MAX 128

/* The order is total, so any method gives the same k in the same order.  For
 * a small k one pass keeps the best so far in order, with their scores at
 * hand: most ids are turned away by one comparison with the k-th, and each
 * score is read once. */
static void best_ids(uint32_t *ids, size_t n, size_t k, const mark *sc)
{
    if (k > BEST_MAX) {
        best_ids_select(ids, n, k, sc);
        return;
    }
    if (k == 0) return;
    uint32_t top[BEST_MAX];
    float tp[BEST_MAX];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = ids[i];
        float p = sc[id].part;
        if (m == k) {
            if (!(p > tp[k - 1] || (p == tp[k - 1] && id < top[k - 1]))) continue;
            m--;
        }
        size_t j = m;
        while (j > 0 && (p > tp[j - 1] || (p == tp[j - 1] && id < top[j - 1]))) {
            top[j] = top[j - 1];
            tp[j] = tp[j - 1];
            j--;
        }
        top[j] = id;
        tp[j] = p;
        m++;
    }
    /* cppcheck-suppress uninitvar ; top[0..m) is written, and m may be 0 */
    memcpy(ids, top, m * sizeof *ids);
}

/* Start the loads of the article-index slots of v's first q terms together. */
static void aidx_prefetch_slots(const gema_clusterer *c, const gema_fvec *v, size_t q)
{
    if (c->aidx.cap)
        for (size_t i = 0; i < q; i++)
            __builtin_prefetch(&c->aidx.post[phome(fix_key(v->t[i].term), c->aidx.cap)]);
}

/* The slots' loads together, then those of the fronts of their lists (ids
 * and weights), before any list is walked. */
static void aidx_prefetch_fronts(const gema_clusterer *c, const gema_fvec *v, size_t q)
{
    aidx_prefetch_slots(c, v, q);
    for (size_t i = 0; i < q; i++) {
        const posting *p = pfind(&c->aidx, fix_key(v->t[i].term));
        if (p && plen(p)) {
            __builtin_prefetch(p->ids + p->lo);
            __builtin_prefetch(pw(p) + p->lo);
        }
    }
}

static int aindex_add(gema_clusterer *c, pending *pd)
{
    const gema_fvec *v = &pd->v;
    uint32_t doc = pd->doc;
    c->doc_vec[doc] = pd;
    pd->nsig = v->n <= SIG_MAX ? (uint32_t)v->n : 0;
    for (uint32_t i = 0; i < pd->nsig; i++) pd->sig[i] = sig16(fix_key(v->t[i].term));
    size_t q = GEMA_MIN(v->n, (size_t)c->p.index_terms);
    aidx_prefetch_slots(c, v, q); /* the slots' loads together, then the lists' ends */
    for (size_t i = 0; i < q; i++) {
        const posting *p = pfind(&c->aidx, fix_key(v->t[i].term));
        if (p && p->n < p->cap) {
            __builtin_prefetch(p->ids + p->n, 1);
            __builtin_prefetch(pw(p) + p->n, 1);
        }
    }
    for (size_t i = 0; i < q; i++) {
        int rc = padd(&c->aidx, fix_key(v->t[i].term), doc, v->t[i].w);
        if (rc != GEMA_OK) return rc;
    }
    return GEMA_OK;
}

static void aindex_remove(gema_clusterer *c, uint32_t doc, const gema_fvec *v)
{
    size_t q = GEMA_MIN(v->n, (size_t)c->p.index_terms);
    /* Cold by now; doc is at the front of every list it is in (it is the
     * oldest article there). */
    aidx_prefetch_fronts(c, v, q);
    for (size_t i = 0; i < q; i++) premove(&c->aidx, fix_key(v->t[i].term), doc);
    c->doc_vec[doc] = NULL;
}

/* sigma of article doc with vector v against the held articles.  Candidates
 * come from the article index (partial dot products over the heaviest terms
 * of both); the 2k best are scored exactly. */
static int density(gema_clusterer *c, uint32_t doc, const gema_fvec *v, float *out)
{
    unsigned k = c->p.neighbours;
    *out = 1.0f;
    if (!k) return GEMA_OK;
    if (++c->agen == 0) {
        memset(c->astamp, 0, c->ndocs * sizeof *c->astamp);
        c->agen = 1;
    }
    size_t n = 0;
    size_t q = GEMA_MIN(v->n, (size_t)c->p.query_terms);
    aidx_prefetch_fronts(c, v, q);
    for (size_t i = 0; i < q; i++) {
        const posting *p = pfind(&c->aidx, fix_key(v->t[i].term));
        if (!p || !plen(p)) continue;
        if (plen(p) > c->p.max_postings) {
            c->stats.skipped_postings++;
            continue;
        }
        const float *pwt = pw(p);
        for (uint32_t j = p->lo; j < p->n; j++) {
            uint32_t id = p->ids[j];
            if (id == doc) continue;
            mark *mk = &c->astamp[id];
            if (mk->gen != c->agen) {
                mk->gen = c->agen;
                mk->part = 0;
                if (n == c->acand_cap) {
                    size_t cap = c->acand_cap ? c->acand_cap * 2 : 256;
                    uint32_t *x = gema_realloc_array(c->acand, cap, sizeof *x);
                    if (!x) return GEMA_ERR_NOMEM;
                    c->acand = x;
                    c->acand_cap = cap;
                }
                c->acand[n++] = id;
            }
            mk->part += v->t[i].w * pwt[j];
        }
        c->stats.article_postings += plen(p);
    }
    size_t want = GEMA_MIN(n, (size_t)DENSITY_EXACT * k);
    best_ids(c->acand, n, want, c->astamp);
    if (!c->knn && !(c->knn = malloc(DENSITY_EXACT * 64 * sizeof *c->knn))) return GEMA_ERR_NOMEM;
    int rc = query_table(c, v);
    if (rc != GEMA_OK) return rc;
    if (c->qpass_cap < want * SIG_MAX) {
        unsigned char *x = realloc(c->qpass, want * SIG_MAX);
        if (!x) return GEMA_ERR_NOMEM;
        c->qpass = x;
        c->qpass_cap = want * SIG_MAX;
    }
    /* Held articles are cold: their sigs load together, then the terms
     * that pass the bits, all candidates' at once, then the sums. */
    size_t npass[DENSITY_EXACT * 64];
    for (size_t i = 0; i < want; i++) {
        const pending *u = c->doc_vec[c->acand[i]];
        for (size_t b = 0; b < 4 && b * 64 < u->nsig * sizeof *u->sig; b++)
            __builtin_prefetch((const char *)u->sig + b * 64);
    }
    for (size_t i = 0; i < want; i++)
        npass[i] = query_pass(c, c->doc_vec[c->acand[i]], c->qpass + i * SIG_MAX);
    size_t m = 0;
    for (size_t i = 0; i < want; i++) {
        const pending *u = c->doc_vec[c->acand[i]];
        c->knn[m++] = (float)query_dot(c, u, u->nsig ? c->qpass + i * SIG_MAX : NULL, npass[i]);
    }
    query_untable(c, v);
    /* The k-th largest of knn[0..m). */
    float kth = 0;
    if (m >= k) {
        for (size_t i = 0; i < k; i++) {
            size_t best = i;
            for (size_t j = i + 1; j < m; j++)
                if (c->knn[j] > c->knn[best]) best = j;
            float tmp = c->knn[i];
            c->knn[i] = c->knn[best];
            c->knn[best] = tmp;
        }
        kth = c->knn[k - 1];
    }
    *out = kth > (float)c->p.density_floor ? kth : (float)c->p.density_floor;
    if (*out <= 0) *out = 1e-3f;
    return GEMA_OK;
}

/* ---- stories ---------------------------------------------------------------- */

static int ensure_stamps(gema_clusterer *c)
{
    if (c->stamp_cap >= c->nst) return GEMA_OK;
    size_t cap = c->stamp_cap ? c->stamp_cap : 1024;
    while (cap < c->nst) cap *= 2;
    mark *s = gema_realloc_array(c->stamp, cap, sizeof *s);
    if (!s) return GEMA_ERR_NOMEM;
    memset(s + c->stamp_cap, 0, (cap - c->stamp_cap) * sizeof *s);
    c->stamp = s;
    c->stamp_cap = cap;
    return GEMA_OK;
}

/* Candidate stories for the terms t[0..n) (heaviest first) from the story
 * index: the best `candidates` by the query's weight on the terms they are
 * indexed under.  Returns how many, in c->cand. */
static int candidates(gema_clusterer *c, const uint64_t *key, const float *w, size_t stride,
                      size_t n_terms, size_t *count)
{
    int rc = ensure_stamps(c);
    if (rc != GEMA_OK) return rc;
    if (++c->gen == 0) {
        memset(c->stamp, 0, c->stamp_cap * sizeof *c->stamp);
        c->gen = 1;
    }
    size_t n = 0;
    size_t q = GEMA_MIN(n_terms, (size_t)c->p.query_terms);
    if (c->sidx.cap)
        for (size_t i = 0; i < q; i++) {
            uint64_t k = *(const uint64_t *)(const void *)((const char *)key + i * stride);
            __builtin_prefetch(&c->sidx.post[phome(fix_key(k), c->sidx.cap)]);
        }
    for (size_t i = 0; i < q; i++) { /* then the lists they point to */
        uint64_t k = *(const uint64_t *)(const void *)((const char *)key + i * stride);
        const posting *p = pfind(&c->sidx, fix_key(k));
        if (p && plen(p)) __builtin_prefetch(p->ids + p->lo);
    }
    for (size_t i = 0; i < q; i++) {
        uint64_t k = *(const uint64_t *)(const void *)((const char *)key + i * stride);
        float wi = *(const float *)(const void *)((const char *)w + i * stride);
        const posting *p = pfind(&c->sidx, fix_key(k));
        if (!p || !plen(p)) continue;
        if (plen(p) > c->p.max_postings) {
            c->stats.skipped_postings++;
            continue;
        }
        for (uint32_t j = p->lo; j < p->n; j++) {
            uint32_t id = p->ids[j];
            mark *mk = &c->stamp[id];
            if (mk->gen != c->gen) {
                mk->gen = c->gen;
                mk->part = 0;
                if (n == c->cand_cap) {
                    size_t cap = c->cand_cap ? c->cand_cap * 2 : 256;
                    uint32_t *x = gema_realloc_array(c->cand, cap, sizeof *x);
                    if (!x) return GEMA_ERR_NOMEM;
                    c->cand = x;
                    c->cand_cap = cap;
                }
                c->cand[n++] = id;
            }
            mk->part += wi;
        }
        c->stats.story_postings += plen(p);
    }
    size_t k = GEMA_MIN(n, (size_t)c->p.candidates);
    best_ids(c->cand, n, k, c->stamp);
    *count = k;
    return GEMA_OK;
}

static int article_candidates(gema_clusterer *c, const gema_fvec *v, size_t *count)
{
    if (!v->n) {
        *count = 0;
        return ensure_stamps(c);
    }
    return candidates(c, &v->t[0].term, &v->t[0].w, sizeof v->t[0], v->n, count);
}

/* Mean scaled similarity of article v (density sigma) to story id, with
 * decay; -1 when out of the window.  The story vector is the sum of its
 * articles' unit vectors each divided by sqrt(its sigma), so this is the mean
 * over its articles j of cos(v, j) / sqrt(sigma * sigma_j). */
static double score(gema_clusterer *c, uint32_t id, pending *pd, float sigma, int64_t t,
                    int remember)
{
    const story *s = c->st[id];
    if (!s->leads) return -1;
    double dt = distance(s, t);
    if (!in_window(c, dt)) return -1;
    c->stats.scored++;
    double dot;
    uint32_t i = 0;
    while (i < pd->nseen && pd->seen_id[i] != id) i++;
    if (i < pd->nseen && pd->seen_ver[i] == s->ver) {
        dot = pd->seen_dot[i];
    } else {
        dot = vdot(s, &pd->v, NULL);
        if (remember && pd->nseen < SEEN_MAX) {
            pd->seen_id[pd->nseen] = id;
            pd->seen_ver[pd->nseen] = s->ver;
            pd->seen_dot[pd->nseen++] = dot;
        }
    }
    return dot / (s->leads * sqrt((double)sigma)) * decay(c, dt);
}

/* The stories about to be scored are mostly cold: start loading the bits
 * behind their tables (and the story records) together. */
static void prefetch_candidates(const gema_clusterer *c, size_t nc)
{
    for (size_t i = 0; i < nc; i++) {
        const story *s = c->st[c->cand[i]];
        if (!s->cap) continue;
        __builtin_prefetch(bloom(s));
        __builtin_prefetch(bloom(s) + 8);
    }
}

static int live_add(gema_clusterer *c, uint32_t id)
{
    if (c->nlive % 1024 == 0) {
        uint32_t *l = gema_realloc_array(c->live, c->nlive + 1024, sizeof *l);
        if (!l) return GEMA_ERR_NOMEM;
        c->live = l;
        int64_t *t = gema_realloc_array(c->live_last, c->nlive + 1024, sizeof *t);
        if (!t) return GEMA_ERR_NOMEM;
        c->live_last = t;
    }
    c->st[id]->live_pos = (uint32_t)c->nlive;
    c->live_last[c->nlive] = c->st[id]->last_t;
    c->live[c->nlive++] = id;
    if (c->nlive > c->stats.peak_live) c->stats.peak_live = c->nlive;
    return GEMA_OK;
}

static void live_remove(gema_clusterer *c, uint32_t id)
{
    uint32_t pos = c->st[id]->live_pos;
    if (pos == NONE32) return;
    uint32_t last = c->live[--c->nlive];
    c->live[pos] = last;
    c->live_last[pos] = c->live_last[c->nlive];
    c->st[last]->live_pos = pos;
    c->st[id]->live_pos = NONE32;
}

static int names_cover(const char *longer, const char *shorter)
{
    /* Is `shorter` one of the space-separated words of `longer`? */
    size_t n = strlen(shorter);
    for (const char *p = longer; (p = strstr(p, shorter)) != NULL; p++) {
        int start = p == longer || p[-1] == ' ';
        int end = p[n] == '\0' || p[n] == ' ';
        if (start && end) return 1;
    }
    return 0;
}

/* Close a story: out of the index, its members and summary handed to the
 * caller, everything it held freed. */
static int close_story(gema_clusterer *c, uint32_t id)
{
    story *s = c->st[id];
    unindex(c, id);
    live_remove(c, id);
    c->stats.closed++;
    size_t nt = 0, nn = 0, n;
    size_t want = c->p.summary_terms;
    const char *picked[64]; /* words and numbers, then names (want <= 32 each) */
    if (want > 32) want = 32;
    int rc = GEMA_OK;
    if (s->leads && want) {
        /* Words and numbers to the front of c->sel, names to its back, in
         * one walk of the table (the selections below do not depend on the
         * order they are given). */
        if ((rc = sel_reserve(c, s->n)) != GEMA_OK) return rc;
        size_t nw = 0, nm = 0;
        for (uint32_t i = 0; i < s->cap; i++) {
            if (!s->e[i].key) continue;
            unsigned ch = s->e[i].str >> 24;
            if (ch == GEMA_CH_NAME) c->sel[s->n - 1 - nm++] = s->e[i];
            else if (ch == GEMA_CH_WORD || ch == GEMA_CH_NUMBER) c->sel[nw++] = s->e[i];
        }
        centry *names = c->sel ? c->sel + (s->n - nm) : NULL; /* none for an empty vector */
        n = nw;
        size_t k = GEMA_MIN(n, want);
        select_top(c->sel, n, k);
        if (k > 1) qsort(c->sel, k, sizeof *c->sel, cmp_heavier);
        for (size_t i = 0; i < k; i++) picked[nt++] = s->str.data + (c->sel[i].str & 0xFFFFFF);
        /* Names: a name also listed inside a heavier-or-close longer name is
         * left out ("Jinping" after "Xi Jinping"). */
        n = nm;
        k = GEMA_MIN(n, 2 * want);
        select_top(names, n, k);
        if (k > 1) qsort(names, k, sizeof *names, cmp_heavier);
        size_t len[64];
        for (size_t i = 0; i < k; i++) len[i] = strlen(s->str.data + (names[i].str & 0xFFFFFF));
        for (size_t i = 0; i < k && nn < want; i++) {
            const char *name = s->str.data + (names[i].str & 0xFFFFFF);
            int covered = 0;
            for (size_t j = 0; j < k && !covered; j++) {
                if (j == i) continue;
                const char *other = s->str.data + (names[j].str & 0xFFFFFF);
                if (len[j] > len[i] && names[j].w >= 0.5f * names[i].w &&
                    names_cover(other, name))
                    covered = 1;
            }
            for (size_t j = 0; j < nn && !covered; j++)
                if (strcmp(picked[nt + j], name) == 0) covered = 1;
            if (!covered) picked[nt + nn++] = name;
        }
    }
    gema_cluster_summary sum = { s->leads, s->first_t, s->last_t, s->mem, (uint32_t)nt,
                                 (uint32_t)nn, picked };
    if (c->on_close && s->leads) rc = c->on_close(c->on_close_user, id, &sum);
    story_drop(c, id);
    return rc;
}

static int new_story(gema_clusterer *c, uint32_t doc, const gema_fvec *v, double scale,
                     int64_t t, uint32_t *out)
{
    if (c->nst == c->st_cap) {
        size_t cap = c->st_cap ? c->st_cap * 2 : 1024;
        story **s = gema_realloc_array(c->st, cap, sizeof *s);
        if (!s) return GEMA_ERR_NOMEM;
        c->st = s;
        uint32_t *f = gema_realloc_array(c->fwd, cap, sizeof *f);
        if (!f) return GEMA_ERR_NOMEM;
        c->fwd = f;
        c->st_cap = cap;
    }
    if (c->nst >= NONE32 - 1) return GEMA_ERR_TOO_BIG;
    uint32_t id = (uint32_t)c->nst++;
    c->fwd[id] = NONE32;
    story *s = c->st[id] = calloc(1, sizeof *s);
    if (!s) return GEMA_ERR_NOMEM;
    s->live_pos = NONE32;
    s->first_t = s->last_t = t;
    s->leads = 1;
    s->next_reindex = 2;
    /* Its strings at once, to the size they would have grown to. */
    size_t bytes = 0;
    for (size_t i = 0; i < v->n; i++) bytes += display_len(v->strings.data + v->t[i].str) + 1;
    int rc = gema_buf_reserve(&s->str, bytes);
    if (rc == GEMA_OK) rc = mem_add(s, doc);
    if (rc == GEMA_OK) rc = vadd(s, v, scale);
    if (rc == GEMA_OK) rc = live_add(c, id);
    if (rc == GEMA_OK) rc = reindex(c, id, v);
    *out = id;
    return rc;
}

static int maybe_reindex(gema_clusterer *c, uint32_t id, int force)
{
    story *s = c->st[id];
    int rc = prune(c, s);
    if (rc != GEMA_OK) return rc;
    if (force || s->leads >= s->next_reindex) {
        s->next_reindex = GEMA_MAX(s->leads + 1, s->leads + s->leads / 4);
        rc = reindex(c, id, NULL);
    }
    return rc;
}

/* An article enters story id (join or move). */
static int enter(gema_clusterer *c, uint32_t id, uint32_t doc, const gema_fvec *v, double scale,
                 int64_t t, int force_index)
{
    story *s = c->st[id];
    int rc = vadd(s, v, scale);
    if (rc != GEMA_OK) return rc;
    s->leads++;
    if ((rc = mem_add(s, doc)) != GEMA_OK) return rc;
    if (t < s->first_t) s->first_t = t;
    if (t > s->last_t) s->last_t = t;
    if (s->live_pos != NONE32) c->live_last[s->live_pos] = s->last_t;
    return maybe_reindex(c, id, force_index);
}

static int leave(gema_clusterer *c, uint32_t id, uint32_t doc, const gema_fvec *v, double scale)
{
    story *s = c->st[id];
    s->leads--;
    mem_remove(s, doc);
    if (s->leads == 0) {
        /* Emptied by the revisit: it never closes with a summary. */
        unindex(c, id);
        live_remove(c, id);
        story_drop(c, id);
        return GEMA_OK;
    }
    int rc = vadd(s, v, -scale);
    return rc == GEMA_OK ? reindex(c, id, NULL) : rc;
}

/* Story b joins story a (a < b keeps story numbers in order of first article). */
static int merge(gema_clusterer *c, uint32_t a, uint32_t b)
{
    if (b < a) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    story *sa = c->st[a], *sb = c->st[b];
    int rc = vmerge(sa, sb);
    if (rc != GEMA_OK) return rc;
    if ((rc = mem_reserve(sa, sb->nmem)) != GEMA_OK) return rc;
    memcpy(sa->mem + sa->nmem, sb->mem, sb->nmem * sizeof *sa->mem);
    sa->nmem += sb->nmem;
    sa->leads += sb->leads;
    if (sb->first_t < sa->first_t) sa->first_t = sb->first_t;
    if (sb->last_t > sa->last_t) sa->last_t = sb->last_t;
    if (sa->live_pos != NONE32) c->live_last[sa->live_pos] = sa->last_t;
    sb->leads = 0;
    unindex(c, b);
    live_remove(c, b);
    story_drop(c, b);
    c->fwd[b] = a;
    c->stats.merged++;
    return maybe_reindex(c, a, 1);
}

/* Mean scaled similarity between the articles of two stories, with decay. */
static double story_score(gema_clusterer *c, uint32_t a, uint32_t b, const centry *alist,
                          size_t nalist)
{
    const story *sa = c->st[a], *sb = c->st[b];
    double dt = story_distance(sa, sb);
    if (!in_window(c, dt)) return -1;
    c->stats.scored++;
    return sdot(sa, sb, alist, nalist) / ((double)sa->leads * (double)sb->leads) * decay(c, dt);
}

/* The live story most similar to story a, or NONE32.  The query is a's
 * heaviest terms. */
static int best_partner(gema_clusterer *c, uint32_t a, uint32_t *best, double *best_score)
{
    /* The query: the terms the story is indexed under (its heaviest at the
     * last reindex), with their weights now. */
    story *s = c->st[a];
    centry q[256];
    size_t k = 0;
    for (uint32_t i = 0; i < s->nidx; i++) {
        const centry *e = vfind(s, s->idx[i]);
        if (e) q[k++] = *e;
    }
    size_t nc;
    int rc = candidates(c, &q[0].key, &q[0].w, sizeof q[0], k, &nc);
    if (rc != GEMA_OK) return rc;
    *best = NONE32;
    *best_score = -1;
    prefetch_candidates(c, nc);
    /* a's entries, listed once in slot order, serve every candidate whose
     * table is as large: the sums are the same as walking a's table. */
    size_t na = 0;
    int listed = 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t id = c->cand[i];
        const story *b = c->st[id];
        if (id == a || !b->leads) continue;
        if (!listed && s->n <= b->n && in_window(c, story_distance(s, b))) {
            if ((rc = sel_reserve(c, s->n)) != GEMA_OK) return rc;
            for (uint32_t j = 0; j < s->cap; j++)
                if (s->e[j].key) c->sel[na++] = s->e[j];
            listed = 1;
        }
        double sc = story_score(c, a, id, c->sel, na);
        if (sc > *best_score || (sc == *best_score && id < *best)) {
            *best_score = sc;
            *best = id;
        }
    }
    return GEMA_OK;
}

typedef struct {
    double score;
    uint32_t a, b;
} merge_pair;

static int cmp_pair(const void *x, const void *y)
{
    const merge_pair *p = x, *q = y;
    if (p->score != q->score) return p->score > q->score ? -1 : 1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* The batch step: merge live stories whose articles are, on average, as
 * similar as an article must be to join (average link over stories, best
 * pairs first), until no pair qualifies.  The stream over-splits when a
 * story's first articles came in before its vocabulary settled; this
 * finishes the agglomeration with the same criterion. */
static int merge_live(gema_clusterer *c)
{
    merge_pair *pairs = NULL;
    unsigned char *used = NULL;
    int rc = GEMA_OK;
    for (;;) {
        size_t np = 0, nl = c->nlive;
        free(pairs);
        free(used);
        pairs = malloc((nl ? nl : 1) * sizeof *pairs);
        used = calloc(c->nst ? c->nst : 1, 1);
        if (!pairs || !used) {
            rc = GEMA_ERR_NOMEM;
            break;
        }
        for (size_t i = 0; i < nl && rc == GEMA_OK; i++) {
            uint32_t a = c->live[i], b;
            double sc;
            rc = best_partner(c, a, &b, &sc);
            if (rc == GEMA_OK && b != NONE32 && sc >= c->p.threshold) {
                pairs[np].score = sc;
                pairs[np].a = a < b ? a : b;
                pairs[np].b = a < b ? b : a;
                np++;
            }
        }
        if (rc != GEMA_OK || !np) break;
        qsort(pairs, np, sizeof *pairs, cmp_pair);
        size_t done = 0;
        for (size_t i = 0; i < np && rc == GEMA_OK; i++) {
            if (used[pairs[i].a] || used[pairs[i].b]) continue;
            used[pairs[i].a] = used[pairs[i].b] = 1;
            rc = merge(c, pairs[i].a, pairs[i].b);
            done++;
        }
        if (rc != GEMA_OK || !done) break;
    }
    free(pairs);
    free(used);
    return rc;
}

static double leave_one_out(gema_clusterer *c, uint32_t own, const gema_fvec *v, float sigma,
                            int64_t t)
{
    const story *a = c->st[own];
    if (a->leads < 2) return -1;
    double self;
    double dot = vdot(a, v, &self);
    double sc = (dot - self / sqrt((double)sigma)) / ((a->leads - 1) * sqrt((double)sigma));
    if (sc < 0) sc = 0;
    return sc * decay(c, distance(a, t));
}

/* Look at an article again: refresh its density now that articles after it
 * are known, then move it to the story it fits best if that is another one. */
static int revisit(gema_clusterer *c, pending *pd)
{
    const gema_fvec *v = &pd->v;
    uint32_t doc = pd->doc, own = story_of(c, c->doc_story[doc]);
    c->doc_story[doc] = own;
    c->stats.revisited++;
    float sigma = c->doc_sigma[doc];
    double own_score = leave_one_out(c, own, v, sigma, pd->t);
    size_t nc;
    int rc = article_candidates(c, v, &nc);
    if (rc != GEMA_OK) return rc;
    uint32_t best = NONE32;
    double best_score = -1;
    prefetch_candidates(c, nc);
    for (size_t i = 0; i < nc; i++) {
        uint32_t id = c->cand[i];
        if (id == own) continue;
        double s = score(c, id, pd, sigma, pd->t, 0);
        if (s > best_score || (s == best_score && id < best)) {
            best_score = s;
            best = id;
        }
    }
    double scale = 1.0 / sqrt((double)sigma);
    if (best != NONE32 && best_score >= c->p.threshold && best_score > own_score) {
        if ((rc = leave(c, own, doc, v, scale)) != GEMA_OK) return rc;
        if ((rc = enter(c, best, doc, v, scale, pd->t, 1)) != GEMA_OK) return rc;
        c->doc_story[doc] = best;
        c->doc_decision[doc] = GEMA_DECIDE_MOVED;
        c->doc_score[doc] = (float)best_score;
        c->doc_central[doc] = (float)best_score;
        c->stats.moved++;
    } else {
        c->doc_central[doc] = own_score >= 0 ? (float)own_score : 1.0f;
    }
    return GEMA_OK;
}

static pending *held(gema_clusterer *c, size_t i)
{
    return &c->q[(c->q_head + i) % c->q_cap];
}

/* Decide an article: its density (the held articles now reach a window
 * past it), then join the story where its mean scaled similarity
 * is highest if that reaches the threshold, else open a story. */
static int decide(gema_clusterer *c, pending *pd)
{
    const gema_fvec *v = &pd->v;
    uint32_t doc = pd->doc;
    int64_t t = pd->t;
    float sigma;
    int rc = density(c, doc, v, &sigma);
    if (rc != GEMA_OK) return rc;
    c->doc_sigma[doc] = sigma;
    pd->nseen = 0;
    size_t nc;
    if ((rc = article_candidates(c, v, &nc)) != GEMA_OK) return rc;
    uint32_t best = NONE32;
    double best_score = 0;
    prefetch_candidates(c, nc);
    for (size_t i = 0; i < nc; i++) {
        uint32_t id = c->cand[i];
        double s = score(c, id, pd, sigma, t, 1);
        if (s > best_score || (s == best_score && best != NONE32 && id < best)) {
            best_score = s;
            best = id;
        }
    }
    double scale = 1.0 / sqrt((double)sigma);
    if (best != NONE32 && best_score >= c->p.threshold) {
        if ((rc = enter(c, best, doc, v, scale, t, 0)) != GEMA_OK) return rc;
        c->doc_story[doc] = best;
        c->doc_decision[doc] = GEMA_DECIDE_JOINED;
        c->doc_central[doc] = (float)best_score;
        c->stats.joined++;
    } else {
        uint32_t id;
        if ((rc = new_story(c, doc, v, scale, t, &id)) != GEMA_OK) return rc;
        c->doc_story[doc] = id;
        c->doc_decision[doc] = GEMA_DECIDE_NEW;
        c->doc_central[doc] = INFINITY;
        c->stats.opened++;
    }
    c->doc_score[doc] = (float)best_score;
    return GEMA_OK;
}

/* The pipeline over held articles, in stream order: decided a window after
 * they arrived, revisited a window after that, let go once nobody will
 * look at them again (a window later still: articles decided then may
 * count them as neighbours).  With all set (the end of the stream, or no
 * window), every step is taken for every article, one step at a time. */
static int advance(gema_clusterer *c, int64_t now, int all)
{
    double w = c->p.window;
    int rc = GEMA_OK;
    while (rc == GEMA_OK && c->q_dec < c->q_len) {
        pending *pd = held(c, c->q_dec);
        if (!all && !((double)now - (double)pd->t > w)) break;
        rc = decide(c, pd);
        c->q_dec++;
    }
    while (rc == GEMA_OK && c->p.revisit && c->q_rev < c->q_dec) {
        pending *pd = held(c, c->q_rev);
        if (!all && !((double)now - (double)pd->t > 2 * w)) break;
        rc = revisit(c, pd);
        c->q_rev++;
    }
    if (rc == GEMA_OK && all && c->p.revisit) rc = merge_live(c);
    size_t done = c->p.revisit ? c->q_rev : c->q_dec;
    while (rc == GEMA_OK && done) {
        pending *pd = held(c, 0);
        if (!all && !((double)now - (double)pd->t > 3 * w)) break;
        if (c->p.neighbours) aindex_remove(c, pd->doc, &pd->v);
        recycle(c, &pd->v);
        c->q_head = (c->q_head + 1) % c->q_cap;
        c->q_len--;
        c->q_dec--;
        if (c->q_rev) c->q_rev--;
        done--;
    }
    return rc;
}

static int close_due(gema_clusterer *c, int64_t now)
{
    /* Articles are decided up to a window behind now and revisited up to two
     * windows behind, each looking a window back from its own time; a story
     * about to close first gets the chance to merge into a live one. */
    double lag = c->p.window * (c->p.revisit ? 3 : 2);
    for (size_t i = 0; i < c->nlive;) {
        uint32_t id = c->live[i];
        if ((double)now - (double)c->live_last[i] > lag) {
            uint32_t b;
            double sc;
            int rc = c->p.revisit ? best_partner(c, id, &b, &sc) : GEMA_OK;
            if (rc != GEMA_OK) return rc;
            if (c->p.revisit && b != NONE32 && sc >= c->p.threshold) {
                rc = merge(c, id, b); /* one of the two leaves the live list */
                if (rc != GEMA_OK) return rc;
                continue;
            }
            rc = close_story(c, id); /* moves the last live story to i */
            if (rc != GEMA_OK) return rc;
        } else {
            i++;
        }
    }
    return GEMA_OK;
}

static void note_memory(gema_clusterer *c)
{
    uint64_t b = ptable_bytes(&c->sidx) + ptable_bytes(&c->aidx);
    for (size_t i = 0; i < c->nlive; i++) {
        const story *s = c->st[c->live[i]];
        b += s->cap * sizeof(centry) + (s->cap ? BLOOM_WORDS * sizeof(uint64_t) : 0) + s->str.cap +
             c->p.index_terms * sizeof(uint64_t);
    }
    for (size_t i = 0; i < c->q_len; i++) {
        const gema_fvec *v = &held(c, i)->v;
        b += v->cap * sizeof(gema_fterm) + v->strings.cap;
    }
    if (b > c->stats.peak_story_bytes) c->stats.peak_story_bytes = b;
}

static int hold(gema_clusterer *c, uint32_t doc, int64_t t, gema_fvec *v)
{
    if (c->q_len == c->q_cap) {
        size_t cap = c->q_cap ? c->q_cap * 2 : 1024;
        pending *q = gema_realloc_array(NULL, cap, sizeof *q);
        if (!q) return GEMA_ERR_NOMEM;
        for (size_t i = 0; i < c->q_len; i++) q[i] = *held(c, i);
        free(c->q);
        c->q = q;
        c->q_cap = cap;
        c->q_head = 0;
        if (c->p.neighbours)
            for (size_t i = 0; i < c->q_len; i++) c->doc_vec[q[i].doc] = &q[i];
    }
    pending *pd = held(c, c->q_len);
    pd->doc = doc;
    pd->t = t;
    pd->v = *v;
    c->q_len++;
    if (c->q_len > c->stats.peak_pending) c->stats.peak_pending = c->q_len;
    int rc = c->p.neighbours ? aindex_add(c, pd) : GEMA_OK;
    /* Hand the caller an empty vector with reusable storage. */
    if (c->nspare) *v = c->spare[--c->nspare];
    else memset(v, 0, sizeof *v);
    return rc;
}

int gema_clusterer_push(gema_clusterer *c, uint32_t doc, int64_t t, gema_fvec *v)
{
    if (c->finished || doc >= c->ndocs || c->doc_story[doc] != NONE32 || c->doc_held[doc] ||
        t < c->last_push_t)
        return GEMA_ERR_ARG;
    int rc;
    c->last_push_t = t;
    c->doc_held[doc] = 1;
    c->stats.pushed++;
    if ((rc = hold(c, doc, t, v)) != GEMA_OK) return rc;
    if (c->p.window <= 0) return GEMA_OK; /* one window: everything waits for the end */
    if ((rc = advance(c, t, 0)) != GEMA_OK) return rc;
    if (++c->pushes_since_close >= 4096 || t >= c->next_close_t) {
        if (c->pushes_since_close >= 4096) note_memory(c); /* a sample is enough */
        if ((rc = close_due(c, t)) != GEMA_OK) return rc;
        c->pushes_since_close = 0;
        /* Check again after close_every (an hour of dated stream) or 4096 articles. */
        c->next_close_t = t + (c->p.close_every > 0 ? c->p.close_every : 1);
    }
    return GEMA_OK;
}

int gema_clusterer_finish(gema_clusterer *c)
{
    if (c->finished) return GEMA_OK;
    note_memory(c);
    int rc = advance(c, 0, 1);
    /* The rest close in the order they opened: for an input of one window
     * that is every story, and the caller sees them roughly by first article. */
    size_t n = c->nlive;
    uint32_t *ids = rc == GEMA_OK ? malloc((n ? n : 1) * sizeof *ids) : NULL;
    if (rc == GEMA_OK && !ids) rc = GEMA_ERR_NOMEM;
    if (rc == GEMA_OK && n) {
        memcpy(ids, c->live, n * sizeof *ids);
        qsort(ids, n, sizeof *ids, cmp_u32);
    }
    for (size_t i = 0; rc == GEMA_OK && i < n; i++) rc = close_story(c, ids[i]);
    free(ids);
    c->finished = 1;
    return rc;
}

void gema_clusterer_on_close(gema_clusterer *c, gema_cluster_close_fn fn, void *user)
{
    c->on_close = fn;
    c->on_close_user = user;
}

void gema_clusterer_doc(const gema_clusterer *c, uint32_t doc, gema_cluster_doc *out)
{
    memset(out, 0, sizeof *out);
    out->story = NONE32;
    if (doc >= c->ndocs) return;
    uint32_t id = c->doc_story[doc];
    while (id != NONE32 && c->fwd[id] != NONE32) id = c->fwd[id];
    out->story = id;
    out->decision = c->doc_decision[doc];
    out->score = c->doc_score[doc];
    out->centrality = c->doc_central[doc];
    out->density = c->doc_sigma[doc];
}

void gema_clusterer_stats(const gema_clusterer *c, gema_cluster_stats *out)
{
    *out = c->stats;
}
