/*
 * sketch.h - counting line hashes at scale: a count-min sketch shared by
 * threads, and an exact open-addressing table of (line, site) counts.
 *
 * Learning furniture counts, for every site, in how many documents each
 * normalised line occurs.  The sketch answers that in fixed memory with an
 * overestimate only (Cormode & Muthukrishnan, "An improved data stream
 * summary: the count-min sketch and its applications", J. Algorithms 2005);
 * lines it flags are then counted exactly in a gema_pairtab.  Increments are
 * atomic additions, which commute, so the sketch is the same whatever the
 * number of threads or the order they ran in.
 */
#ifndef GEMA_SKETCH_H
#define GEMA_SKETCH_H

#include "common.h"

#define GEMA_CMS_ROWS 4

typedef struct {
    uint32_t *cells;   /* GEMA_CMS_ROWS rows of `width` counters */
    size_t width;      /* a power of two */
    unsigned shift;    /* 64 - log2(width) */
} gema_cms;

/* A sketch of about `bytes` of memory (rounded down to a power-of-two width,
 * at least 1024 counters a row). */
GEMA_INTERNAL int gema_cms_init(gema_cms *s, size_t bytes);
GEMA_INTERNAL void gema_cms_free(gema_cms *s);
/* Add 1 for key; safe from many threads at once. */
GEMA_INTERNAL void gema_cms_add(gema_cms *s, uint64_t key);
/* Estimate for key: never below the true count.  Call once adding is over. */
GEMA_INTERNAL uint32_t gema_cms_get(const gema_cms *s, uint64_t key);

/* The key of a line within a site: a mix of both hashes (each already XXH3). */
static inline uint64_t gema_site_line_key(uint64_t site, uint64_t line)
{
    uint64_t x = line ^ (site * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    return x;
}

/* One exact count of a (line, site) pair. */
typedef struct {
    uint64_t line, site;
    uint32_t count;
} gema_pair;

/* Open addressing, linear probing; the empty slot has count 0. */
typedef struct {
    gema_pair *slot;
    size_t cap;        /* power of two */
    size_t len;
} gema_pairtab;

GEMA_INTERNAL void gema_pairtab_free(gema_pairtab *t);
/* Add n to the count of (line, site), inserting it if new. */
GEMA_INTERNAL int gema_pairtab_add(gema_pairtab *t, uint64_t line, uint64_t site, uint32_t n);
/* Count of (line, site), 0 if absent. */
GEMA_INTERNAL uint32_t gema_pairtab_get(const gema_pairtab *t, uint64_t line, uint64_t site);
/* Add every pair of src into dst. */
GEMA_INTERNAL int gema_pairtab_merge(gema_pairtab *dst, const gema_pairtab *src);

#endif
