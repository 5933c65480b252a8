/*
 * unionfind.c - disjoint sets.
 */
#include "unionfind.h"

int gema_uf_init(gema_uf *uf, size_t n)
{
    uf->n = n;
    uf->parent = gema_alloc_array(n, sizeof *uf->parent);
    uf->size = gema_alloc_array(n, sizeof *uf->size);
    if (!uf->parent || !uf->size || n > UINT32_MAX) {
        gema_uf_free(uf);
        return GEMA_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        uf->parent[i] = (uint32_t)i;
        uf->size[i] = 1;
    }
    return GEMA_OK;
}

void gema_uf_free(gema_uf *uf)
{
    free(uf->parent);
    free(uf->size);
    uf->parent = uf->size = NULL;
    uf->n = 0;
}

uint32_t gema_uf_find(gema_uf *uf, uint32_t x)
{
    while (uf->parent[x] != x) {
        uf->parent[x] = uf->parent[uf->parent[x]];
        x = uf->parent[x];
    }
    return x;
}

int gema_uf_union(gema_uf *uf, uint32_t a, uint32_t b)
{
    a = gema_uf_find(uf, a);
    b = gema_uf_find(uf, b);
    if (a == b) return 0;
    if (uf->size[a] < uf->size[b] || (b < a && uf->size[a] == uf->size[b])) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uf->parent[b] = a;
    uf->size[a] += uf->size[b];
    return 1;
}
