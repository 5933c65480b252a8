/*
 * common.h - small pieces every file of the library uses: the hidden
 * visibility marker for internal functions, a growable byte buffer and
 * overflow-checked allocation.
 *
 * Internal functions carry the gema_ prefix like public ones (so the static
 * library exports nothing else) but are marked GEMA_INTERNAL so the shared
 * library does not export them.
 */
#ifndef GEMA_COMMON_H
#define GEMA_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"

#define GEMA_INTERNAL __attribute__((visibility("hidden")))

#define GEMA_MIN(a, b) ((a) < (b) ? (a) : (b))
#define GEMA_MAX(a, b) ((a) > (b) ? (a) : (b))
#define GEMA_UNUSED(x) ((void)(x))

/* calloc/realloc of n elements of size sz; NULL on overflow or failure. */
GEMA_INTERNAL void *gema_alloc_array(size_t n, size_t sz);
GEMA_INTERNAL void *gema_realloc_array(void *p, size_t n, size_t sz);

/* A growable byte buffer.  data is always NUL-terminated when non-NULL so it
 * can be handed out as a C string. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} gema_buf;

/* Make room for extra more bytes and the NUL.  The check is inline since
 * nearly every call finds room (the reader and the writers append a few
 * bytes at a time); only growing is a call. */
GEMA_INTERNAL int gema_buf_grow(gema_buf *b, size_t extra);
static inline int gema_buf_reserve(gema_buf *b, size_t extra)
{
    return b->len + extra + 1 <= b->cap ? GEMA_OK : gema_buf_grow(b, extra);
}

static inline int gema_buf_append(gema_buf *b, const void *data, size_t len)
{
    if (gema_buf_reserve(b, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return GEMA_OK;
}

static inline int gema_buf_putc(gema_buf *b, char c)
{
    if (gema_buf_reserve(b, 1) != GEMA_OK) return GEMA_ERR_NOMEM;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return GEMA_OK;
}

GEMA_INTERNAL void gema_buf_clear(gema_buf *b);
GEMA_INTERNAL void gema_buf_free(gema_buf *b);

/* The four hex digits at s[i..i+4) (a JSON \u escape's) as a number, or -1
 * when they run past len or are not all hex digits. */
static inline long gema_hex4(const char *s, size_t len, size_t i)
{
    if (i > len || len - i < 4) return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        char c = s[i + k];
        int h = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (h < 0) return -1;
        v = v << 4 | h;
    }
    return v;
}

/* Append one byte without a capacity check; the caller reserved room. */
static inline void gema_buf_putc_unchecked(gema_buf *b, char c)
{
    b->data[b->len++] = c;
}

/* A growable array of 64-bit values (token hashes, shingle hashes). */
typedef struct {
    uint64_t *v;
    size_t len;
    size_t cap;
} gema_u64vec;

GEMA_INTERNAL int gema_u64vec_push(gema_u64vec *a, uint64_t x);
GEMA_INTERNAL int gema_u64vec_reserve(gema_u64vec *a, size_t n);
GEMA_INTERNAL void gema_u64vec_free(gema_u64vec *a);

/* Sort ascending and drop repeats; returns the new length. */
GEMA_INTERNAL size_t gema_u64_sort_unique(uint64_t *v, size_t n);

/* The scatter step of the bucket sorts of hashes (LSH band keys, exact
 * groups, sort-unique).  Bits of the top-bits bucket for n uniform values:
 * about one bucket per two values, at most 2^24 buckets. */
static inline unsigned gema_bucket_bits(size_t n)
{
    unsigned bits = 1;
    while (bits < 24 && ((size_t)1 << bits) < n / 2) bits++;
    return bits;
}

/* Turn the counts of nb buckets (their total below 2^32) into each
 * bucket's start; scattering then moves count[b] on to the bucket's end. */
static inline void gema_bucket_starts(uint32_t *count, size_t nb)
{
    uint32_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
        uint32_t c = count[b];
        count[b] = sum;
        sum += c;
    }
}

/* A 128-bit hash (high and low halves) and the document it belongs to. */
typedef struct {
    uint64_t hi, lo;
    uint32_t doc;
} gema_hash_doc;

/* Sort by (hi, lo, doc).  Meant for hashes (uniform bits): a scatter on the
 * top bits of hi does most of the work; keys that are not uniform are
 * still sorted correctly, only slower. */
GEMA_INTERNAL void gema_hash_doc_sort(gema_hash_doc *v, size_t n);

/* Seconds on a monotonic clock. */
GEMA_INTERNAL double gema_now(void);

#endif
