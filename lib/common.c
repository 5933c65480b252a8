/*
 * common.c - buffers, arrays, sorting and the clock shared by the library.
 */
#include "common.h"

#include <time.h>

void *gema_alloc_array(size_t n, size_t sz)
{
    if (n == 0 || sz == 0) return calloc(1, 1);
    if (n > SIZE_MAX / sz) return NULL;
    return calloc(n, sz);
}

void *gema_realloc_array(void *p, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz) return NULL;
    size_t bytes = n * sz;
    return realloc(p, bytes ? bytes : 1);
}

int gema_buf_grow(gema_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return GEMA_OK;
    if (extra > SIZE_MAX / 2 - b->len) return GEMA_ERR_NOMEM;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return GEMA_ERR_NOMEM;
    /* Keep data NUL-terminated from its first allocation on, so a buffer
     * that was only reserved reads as "" (gema_utf8_fix of an empty input
     * used to hand out an unterminated string). */
    p[b->len] = '\0';
    b->data = p;
    b->cap = cap;
    return GEMA_OK;
}

void gema_buf_clear(gema_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void gema_buf_free(gema_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int gema_u64vec_reserve(gema_u64vec *a, size_t n)
{
    if (n <= a->cap) return GEMA_OK;
    size_t cap = a->cap ? a->cap : 64;
    while (cap < n) {
        if (cap > SIZE_MAX / 2) return GEMA_ERR_NOMEM;
        cap *= 2;
    }
    uint64_t *p = gema_realloc_array(a->v, cap, sizeof *p);
    if (!p) return GEMA_ERR_NOMEM;
    a->v = p;
    a->cap = cap;
    return GEMA_OK;
}

int gema_u64vec_push(gema_u64vec *a, uint64_t x)
{
    if (a->len == a->cap && gema_u64vec_reserve(a, a->len + 1) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    a->v[a->len++] = x;
    return GEMA_OK;
}

void gema_u64vec_free(gema_u64vec *a)
{
    free(a->v);
    a->v = NULL;
    a->len = a->cap = 0;
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

/* For long arrays and for values that crowd a few buckets: a least-
 * significant-digit radix sort, 8 passes of one byte (a pass skipped when
 * every value has the same byte there), linear whatever the values and
 * about ten times faster than qsort's comparison calls.  Its passes stream
 * through memory, where one scatter into a million buckets would not. */
static void radix_sort_u64(uint64_t *v, size_t n, uint64_t *tmp)
{
    uint64_t *src = v, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[257] = { 0 };
        for (size_t i = 0; i < n; i++) count[((src[i] >> shift) & 0xFF) + 1]++;
        if (count[((src[0] >> shift) & 0xFF) + 1] == n) continue; /* one bucket: skip pass */
        for (size_t i = 0; i < 256; i++) count[i + 1] += count[i];
        for (size_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Hashes are uniform, so one pass that scatters by the top bits into about
 * one bucket per two values leaves buckets of a few values: taken in bucket
 * order, each value goes behind the ones already placed or a step or two
 * before them, and a repeat is dropped on the way.  The sort and the
 * removal of repeats are one pass over the scattered values.  Values that
 * are not uniform (small numbers, pairs of indices) crowd into few buckets
 * and would make the insertion quadratic: past 4n steps back, v gets its
 * values back (in some order) and this returns 0 for the radix sort, as it
 * does at once when the first value's bucket is crowded. */
static size_t bucket_sort_unique_u64(uint64_t *v, size_t n, uint64_t *tmp, uint32_t *count,
                                     unsigned bits)
{
    const size_t nb = (size_t)1 << bits;
    const unsigned shift = 64 - bits;
    memset(count, 0, nb * sizeof *count);
    for (size_t i = 0; i < n; i++) count[v[i] >> shift]++;
    /* Values that all share their top bits (pairs of small indices) are
     * told apart at once by the first value's crowded bucket. */
    if (count[v[0] >> shift] > 32 + n / 8) return 0;
    gema_bucket_starts(count, nb);
    for (size_t i = 0; i < n; i++) tmp[count[v[i] >> shift]++] = v[i];
    size_t w = 1, back = 0;
    v[0] = tmp[0];
    for (size_t i = 1; i < n; i++) {
        uint64_t x = tmp[i];
        if (v[w - 1] < x) {
            v[w++] = x;
            continue;
        }
        if (v[w - 1] == x) continue;
        /* x belongs before v[w - 1]: shift the greater values up (a step
         * or two); a repeat found below them puts them back. */
        size_t j = w;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        back += w - j;
        if (j > 0 && v[j - 1] == x) {
            for (size_t t = j; t < w; t++) v[t] = v[t + 1];
        } else {
            v[j] = x;
            w++;
        }
        if (back > 4 * n) {
            memcpy(v, tmp, n * sizeof *v);
            return 0;
        }
    }
    return w;
}

#define BUCKET_STACK 4096      /* values sorted with buffers on the stack */
#define BUCKET_HEAP (1u << 16) /* above: the radix sort (its passes stream) */

size_t gema_u64_sort_unique(uint64_t *v, size_t n)
{
    if (n < 2) return n;
    if (n <= 32) {
        insertion_sort_u64(v, n);
    } else if (n <= BUCKET_STACK) {
        uint64_t tmp[BUCKET_STACK];
        uint32_t count[BUCKET_STACK];
        size_t w = bucket_sort_unique_u64(v, n, tmp, count, gema_bucket_bits(n));
        if (w) return w;
        radix_sort_u64(v, n, tmp);
    } else {
        uint64_t *tmp = malloc(n * sizeof *tmp);
        if (!tmp) {
            qsort(v, n, sizeof *v, cmp_u64); /* no memory for the buffers */
        } else {
            size_t w = 0;
            if (n <= BUCKET_HEAP) {
                unsigned bits = gema_bucket_bits(n);
                uint32_t *count = malloc(((size_t)1 << bits) * sizeof *count);
                if (count) w = bucket_sort_unique_u64(v, n, tmp, count, bits);
                free(count);
            }
            if (!w) radix_sort_u64(v, n, tmp);
            free(tmp);
            if (w) return w;
        }
    }
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[w - 1]) v[w++] = v[i];
    return w;
}

static int cmp_hash_doc(const void *pa, const void *pb)
{
    const gema_hash_doc *a = pa, *b = pb;
    if (a->hi != b->hi) return a->hi < b->hi ? -1 : 1;
    if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
    return (a->doc > b->doc) - (a->doc < b->doc);
}

static inline int hash_doc_less(const gema_hash_doc *a, const gema_hash_doc *b)
{
    if (a->hi != b->hi) return a->hi < b->hi;
    if (a->lo != b->lo) return a->lo < b->lo;
    return a->doc < b->doc;
}

/* One bucket per two values or so: most buckets then hold one or two, and
 * an insertion sort finishes each.  A large bucket (exact duplicates share
 * a hash, so it is often one long run already in order, or keys that are
 * not uniform) is checked for order and handed to qsort only if it is not. */
void gema_hash_doc_sort(gema_hash_doc *v, size_t n)
{
    if (n < 2) return;
    const unsigned bits = gema_bucket_bits(n), shift = 64 - bits;
    const size_t nb = (size_t)1 << bits;
    gema_hash_doc *tmp = gema_alloc_array(n, sizeof *tmp);
    uint32_t *count = n <= UINT32_MAX ? gema_alloc_array(nb, sizeof *count) : NULL;
    if (!tmp || !count) {
        free(tmp);
        free(count);
        qsort(v, n, sizeof *v, cmp_hash_doc);
        return;
    }
    for (size_t i = 0; i < n; i++) count[v[i].hi >> shift]++;
    gema_bucket_starts(count, nb);
    for (size_t i = 0; i < n; i++) tmp[count[v[i].hi >> shift]++] = v[i];
    /* count[b] is now the end of bucket b and the start of bucket b + 1. */
    for (size_t b = 0, lo = 0; b < nb; b++) {
        size_t hi = count[b], len = hi - lo;
        gema_hash_doc *u = tmp + lo;
        if (len <= 32) {
            for (size_t i = 1; i < len; i++) {
                gema_hash_doc x = u[i];
                size_t j = i;
                while (j > 0 && hash_doc_less(&x, &u[j - 1])) {
                    u[j] = u[j - 1];
                    j--;
                }
                u[j] = x;
            }
        } else {
            for (size_t i = 1; i < len; i++)
                if (hash_doc_less(&u[i], &u[i - 1])) {
                    qsort(u, len, sizeof *u, cmp_hash_doc);
                    break;
                }
        }
        lo = hi;
    }
    memcpy(v, tmp, n * sizeof *v);
    free(tmp);
    free(count);
}

double gema_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
