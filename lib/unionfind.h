/*
 * unionfind.h - disjoint sets over document numbers.
 *
 * Union by size with path halving (Tarjan & van Leeuwen, 1984): near-constant
 * time per operation.  Ties go to the smaller root so the structure, and so
 * every output built from it, depends only on the order of unions.
 */
#ifndef GEMA_UNIONFIND_H
#define GEMA_UNIONFIND_H

#include "common.h"

typedef struct {
    uint32_t *parent;
    uint32_t *size;
    size_t n;
} gema_uf;

GEMA_INTERNAL int gema_uf_init(gema_uf *uf, size_t n);
GEMA_INTERNAL void gema_uf_free(gema_uf *uf);
GEMA_INTERNAL uint32_t gema_uf_find(gema_uf *uf, uint32_t x);
/* Join the sets of a and b; returns 1 if they were apart. */
GEMA_INTERNAL int gema_uf_union(gema_uf *uf, uint32_t a, uint32_t b);

#endif
