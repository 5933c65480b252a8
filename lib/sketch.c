/*
 * sketch.c - count-min sketch and exact pair table (see sketch.h).
 *
 * Row r takes bits of key * M[r] from the top: a multiply-shift hash per row
 * (Dietzfelbinger et al., 1997) over a key that is already a good 64-bit
 * hash, so the rows are independent enough and cost one multiply each.
 */
#include "sketch.h"

static const uint64_t row_mul[GEMA_CMS_ROWS] = {
    0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL, 0xD6E8FEB86659FD93ULL
};

int gema_cms_init(gema_cms *s, size_t bytes)
{
    memset(s, 0, sizeof *s);
    size_t per_row = bytes / GEMA_CMS_ROWS / sizeof(uint32_t);
    size_t w = 1024;
    unsigned bits = 10;
    while (w * 2 <= per_row && bits < 40) {
        w *= 2;
        bits++;
    }
    s->cells = gema_alloc_array(w * GEMA_CMS_ROWS, sizeof(uint32_t));
    if (!s->cells) return GEMA_ERR_NOMEM;
    s->width = w;
    s->shift = 64 - bits;
    return GEMA_OK;
}

void gema_cms_free(gema_cms *s)
{
    free(s->cells);
    memset(s, 0, sizeof *s);
}

void gema_cms_add(gema_cms *s, uint64_t key)
{
    for (unsigned r = 0; r < GEMA_CMS_ROWS; r++) {
        uint32_t *c = &s->cells[r * s->width + ((key * row_mul[r]) >> s->shift)];
        /* Saturate instead of wrapping: 4 billion is already "everywhere". */
        if (__atomic_load_n(c, __ATOMIC_RELAXED) != UINT32_MAX)
            __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
    }
}

uint32_t gema_cms_get(const gema_cms *s, uint64_t key)
{
    uint32_t m = UINT32_MAX;
    for (unsigned r = 0; r < GEMA_CMS_ROWS; r++) {
        uint32_t v = s->cells[r * s->width + ((key * row_mul[r]) >> s->shift)];
        if (v < m) m = v;
    }
    return m;
}

void gema_pairtab_free(gema_pairtab *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static size_t pair_home(const gema_pairtab *t, uint64_t line, uint64_t site)
{
    return (size_t)(gema_site_line_key(site, line) & (t->cap - 1));
}

static int grow(gema_pairtab *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    gema_pair *old = t->slot;
    size_t ocap = t->cap;
    t->slot = gema_alloc_array(cap, sizeof *t->slot);
    if (!t->slot) {
        t->slot = old;
        return GEMA_ERR_NOMEM;
    }
    t->cap = cap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].count) continue;
        size_t h = pair_home(t, old[i].line, old[i].site);
        while (t->slot[h].count) h = (h + 1) & (cap - 1);
        t->slot[h] = old[i];
    }
    free(old);
    return GEMA_OK;
}

int gema_pairtab_add(gema_pairtab *t, uint64_t line, uint64_t site, uint32_t n)
{
    if (!n) return GEMA_OK;
    if ((t->len + 1) * 4 > t->cap * 3 && grow(t) != GEMA_OK) return GEMA_ERR_NOMEM;
    size_t h = pair_home(t, line, site);
    for (;;) {
        gema_pair *p = &t->slot[h];
        if (!p->count) {
            p->line = line;
            p->site = site;
            p->count = n;
            t->len++;
            return GEMA_OK;
        }
        if (p->line == line && p->site == site) {
            p->count = p->count > UINT32_MAX - n ? UINT32_MAX : p->count + n;
            return GEMA_OK;
        }
        h = (h + 1) & (t->cap - 1);
    }
}

uint32_t gema_pairtab_get(const gema_pairtab *t, uint64_t line, uint64_t site)
{
    if (!t->cap) return 0;
    size_t h = pair_home(t, line, site);
    for (;;) {
        const gema_pair *p = &t->slot[h];
        if (!p->count) return 0;
        if (p->line == line && p->site == site) return p->count;
        h = (h + 1) & (t->cap - 1);
    }
}

int gema_pairtab_merge(gema_pairtab *dst, const gema_pairtab *src)
{
    for (size_t i = 0; i < src->cap; i++)
        if (src->slot[i].count &&
            gema_pairtab_add(dst, src->slot[i].line, src->slot[i].site, src->slot[i].count) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    return GEMA_OK;
}
