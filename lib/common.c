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

int gema_buf_reserve(gema_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return GEMA_OK;
    if (extra > SIZE_MAX / 2 - b->len) return GEMA_ERR_NOMEM;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return GEMA_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return GEMA_OK;
}

int gema_buf_append(gema_buf *b, const void *data, size_t len)
{
    if (gema_buf_reserve(b, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return GEMA_OK;
}

int gema_buf_putc(gema_buf *b, char c)
{
    if (gema_buf_reserve(b, 1) != GEMA_OK) return GEMA_ERR_NOMEM;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Shingle sets are a few hundred to a few thousand values: an insertion sort
 * would lose, qsort's call overhead is acceptable, and a radix sort only pays
 * beyond about ten thousand values. */
static void radix_sort_u64(uint64_t *v, size_t n, uint64_t *tmp)
{
    /* Six passes of 11 bits: the counts stay small enough for a thread's stack. */
    for (unsigned shift = 0; shift < 64; shift += 11) {
        size_t count[2048 + 1];
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++) count[((v[i] >> shift) & 0x7FF) + 1]++;
        for (size_t i = 0; i < 2048; i++) count[i + 1] += count[i];
        for (size_t i = 0; i < n; i++) tmp[count[(v[i] >> shift) & 0x7FF]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

size_t gema_u64_sort_unique(uint64_t *v, size_t n)
{
    if (n < 2) return n;
    uint64_t *tmp = n >= 16384 ? malloc(n * sizeof *tmp) : NULL;
    if (tmp) {
        radix_sort_u64(v, n, tmp);
        free(tmp);
    } else {
        qsort(v, n, sizeof *v, cmp_u64);
    }
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[w - 1]) v[w++] = v[i];
    return w;
}

double gema_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
