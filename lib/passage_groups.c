/*
 * passage_groups.c - join passage pairs into groups: one quote carried by
 * ten articles is one group of ten occurrences, not 45 pairs.
 *
 * Every passage has two sides, each a span of one document.  Two spans of
 * the same document are the same occurrence when they overlap by at least
 * half of the shorter one; a passage joins its two sides.  Groups are the
 * connected components of that graph (union-find).  Requiring half an
 * overlap rather than any overlap keeps two different passages that merely
 * touch (a quote and the paragraph after it, found through different
 * documents) from chaining into one group.
 *
 * Inside a group the spans of one document that overlap are united into
 * one occurrence; spans that do not overlap (a passage quoted twice in one
 * article) stay separate occurrences.
 */
#include "passages.h"

#include "unionfind.h"

typedef struct {
    uint32_t doc;
    uint32_t node;      /* 2 * passage + side */
    uint32_t group;     /* filled after union-find */
    size_t start, end, bstart, bend;
} node;

static int cmp_doc_start(const void *x, const void *y)
{
    const node *a = x, *b = y;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

static int cmp_group_doc_start(const void *x, const void *y)
{
    const node *a = x, *b = y;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    return cmp_doc_start(x, y);
}

typedef struct {
    int64_t time;       /* INT64_MAX when undated, so undated sort last */
    size_t doc, start;
    uint32_t old;       /* group number before sorting */
} group_key;

static int cmp_key(const void *x, const void *y)
{
    const group_key *a = x, *b = y;
    if (a->time != b->time) return a->time < b->time ? -1 : 1;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return (a->old > b->old) - (a->old < b->old);
}

static int cmp_occ(const void *x, const void *y)
{
    const gema_passage_occurrence *a = x, *b = y;
    int64_t ta = a->time == GEMA_TIME_NONE ? INT64_MAX : a->time;
    int64_t tb = b->time == GEMA_TIME_NONE ? INT64_MAX : b->time;
    if (ta != tb) return ta < tb ? -1 : 1;
    if (a->doc != b->doc) return a->doc < b->doc ? -1 : 1;
    return (a->start > b->start) - (a->start < b->start);
}

static int same_occurrence(const node *a, const node *b)
{
    size_t lo = GEMA_MAX(a->start, b->start), hi = GEMA_MIN(a->end, b->end);
    if (hi <= lo) return 0;
    size_t shorter = GEMA_MIN(a->end - a->start, b->end - b->start);
    return 2 * (hi - lo) >= shorter;
}

int gema_passage_groups(gema_passages *p)
{
    size_t nn = 2 * p->npass;
    p->ngroups = 0;
    if (p->npass == 0) {
        p->group_start = calloc(1, sizeof *p->group_start);
        return p->group_start ? GEMA_OK : GEMA_ERR_NOMEM;
    }
    if (nn >= UINT32_MAX) return GEMA_ERR_TOO_BIG;
    node *v = gema_alloc_array(nn, sizeof *v);
    uint32_t *group_of = gema_alloc_array(nn, sizeof *group_of);
    gema_uf uf = { 0 };
    group_key *keys = NULL;
    uint32_t *renum = NULL;
    int rc = v && group_of ? gema_uf_init(&uf, nn) : GEMA_ERR_NOMEM;
    if (rc != GEMA_OK) goto done;
    for (size_t k = 0; k < p->npass; k++) {
        const gema_passage *ps = &p->pass[k];
        for (int s = 0; s < 2; s++) {
            const gema_passage_side *sd = s ? &ps->b : &ps->a;
            node *x = &v[2 * k + (size_t)s];
            x->doc = (uint32_t)sd->doc;
            x->node = (uint32_t)(2 * k + (size_t)s);
            x->start = sd->start;
            x->end = sd->end;
            x->bstart = sd->byte_start;
            x->bend = sd->byte_end;
        }
        gema_uf_union(&uf, (uint32_t)(2 * k), (uint32_t)(2 * k + 1));
    }
    qsort(v, nn, sizeof *v, cmp_doc_start);
    for (size_t i = 0; i < nn; i++)
        for (size_t j = i + 1; j < nn && v[j].doc == v[i].doc && v[j].start < v[i].end; j++)
            if (same_occurrence(&v[i], &v[j])) gema_uf_union(&uf, v[i].node, v[j].node);

    /* Number the components in node order (passage order) for now. */
    for (size_t i = 0; i < nn; i++) group_of[i] = UINT32_MAX;
    uint32_t ng = 0;
    for (size_t i = 0; i < nn; i++) {
        uint32_t r = gema_uf_find(&uf, (uint32_t)i);
        if (group_of[r] == UINT32_MAX) group_of[r] = ng++;
        group_of[i] = group_of[r];
    }
    for (size_t i = 0; i < nn; i++) v[i].group = group_of[v[i].node];

    /* Occurrences: overlapping spans of one document in one group unite. */
    qsort(v, nn, sizeof *v, cmp_group_doc_start);
    p->occ = gema_alloc_array(nn, sizeof *p->occ);
    size_t *occ_group = gema_alloc_array(nn, sizeof *occ_group);
    keys = gema_alloc_array(ng, sizeof *keys);
    renum = gema_alloc_array(ng, sizeof *renum);
    p->group_start = calloc((size_t)ng + 1, sizeof *p->group_start);
    p->group_docs = calloc(ng, sizeof *p->group_docs);
    p->group_pass = calloc(ng, sizeof *p->group_pass);
    if (!p->occ || !occ_group || !keys || !renum || !p->group_start || !p->group_docs ||
        !p->group_pass) {
        free(occ_group);
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    size_t nocc = 0;
    for (size_t i = 0; i < nn;) {
        gema_passage_occurrence o;
        o.doc = v[i].doc;
        o.start = v[i].start;
        o.end = v[i].end;
        o.byte_start = v[i].bstart;
        o.byte_end = v[i].bend;
        o.time = p->time[v[i].doc];
        size_t j = i + 1;
        while (j < nn && v[j].group == v[i].group && v[j].doc == v[i].doc && v[j].start < o.end) {
            if (v[j].end > o.end) {
                o.end = v[j].end;
                o.byte_end = v[j].bend;
            }
            j++;
        }
        occ_group[nocc] = v[i].group;
        p->occ[nocc++] = o;
        i = j;
    }
    /* Order groups by first appearance, and occurrences inside each. */
    for (uint32_t g = 0; g < ng; g++) {
        keys[g].time = INT64_MAX;
        keys[g].doc = SIZE_MAX;
        keys[g].start = SIZE_MAX;
        keys[g].old = g;
    }
    for (size_t o = 0; o < nocc; o++) {
        group_key *kk = &keys[occ_group[o]];
        int64_t t = p->occ[o].time == GEMA_TIME_NONE ? INT64_MAX : p->occ[o].time;
        group_key c = { t, p->occ[o].doc, p->occ[o].start, kk->old };
        if (cmp_key(&c, kk) < 0) *kk = c;
    }
    qsort(keys, ng, sizeof *keys, cmp_key);
    for (uint32_t g = 0; g < ng; g++) renum[keys[g].old] = g;
    /* Occurrences are grouped by old number; place them by new number. */
    for (size_t o = 0; o < nocc; o++) p->group_start[renum[occ_group[o]] + 1]++;
    for (uint32_t g = 0; g < ng; g++) p->group_start[g + 1] += p->group_start[g];
    gema_passage_occurrence *placed = gema_alloc_array(nocc ? nocc : 1, sizeof *placed);
    size_t *fill = gema_alloc_array((size_t)ng + 1, sizeof *fill);
    if (!placed || !fill) {
        free(placed);
        free(fill);
        free(occ_group);
        rc = GEMA_ERR_NOMEM;
        goto done;
    }
    memcpy(fill, p->group_start, ((size_t)ng + 1) * sizeof *fill);
    for (size_t o = 0; o < nocc; o++) placed[fill[renum[occ_group[o]]]++] = p->occ[o];
    free(fill);
    free(occ_group);
    free(p->occ);
    p->occ = placed;
    for (uint32_t g = 0; g < ng; g++) {
        gema_passage_occurrence *o = p->occ + p->group_start[g];
        size_t m = p->group_start[g + 1] - p->group_start[g];
        qsort(o, m, sizeof *o, cmp_occ);
        /* One document has one date, so its occurrences sit together in
         * (date, document) order and distinct documents are runs. */
        size_t docs = 0;
        for (size_t i = 0; i < m; i++) docs += i == 0 || o[i].doc != o[i - 1].doc;
        p->group_docs[g] = docs;
    }
    for (size_t k = 0; k < p->npass; k++) {
        uint32_t g = renum[group_of[2 * k]];
        p->pass[k].group = g;
        p->group_pass[g]++;
    }
    p->ngroups = ng;
done:
    free(v);
    free(group_of);
    free(keys);
    free(renum);
    gema_uf_free(&uf);
    return rc;
}
