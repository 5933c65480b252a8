/*
 * align.c - seeds, X-drop extension and fragment merging over tokens.
 *
 * Why this shape.  Reused news text is mostly verbatim with local edits: a
 * word changed, a clause dropped, a quote re-punctuated.  Exact seeds find
 * where to look at almost no cost; the extension then decides how far the
 * reuse goes.  The extension is the BLAST idea (Altschul et al. 1997,
 * "Gapped BLAST and PSI-BLAST") applied to tokens: a dynamic programme that
 * only keeps cells within `xdrop` of the best score seen, so it follows the
 * passage through edits and stops soon after the texts part, touching about
 * (passage length) x (2 xdrop) cells.  Scores are +2 / -1 / -1, so text that
 * keeps one token in three still extends (2/3 - 2/3 * 1 > 0 per column on
 * average ... at the margin) while unrelated text, where chance matches are
 * a few percent of columns, falls by nearly one per token and is abandoned
 * after about xdrop tokens.
 *
 * The same extension run from every seed would redo the work of a long
 * passage once per seed, so seeds inside a fragment already found are
 * skipped.  Fragments are then merged when they overlap or sit within
 * max_gap tokens of each other in both texts: reordered sentences
 * (one paragraph rewritten by moving its clauses) come out as one passage.
 *
 * The text reuse literature this follows: passim (Smith, Cordell and
 * Dillon, "Infectious texts", 2013) for n-gram candidates and local
 * alignment of reprinted newspaper text; the PAN text-alignment systems
 * (Potthast et al. 2013-2014 overviews) for seed, extend and merge.
 */
#include "align.h"

#include "ngram_index.h"

#define NEG (INT32_MIN / 2)
#define NONE32 UINT32_MAX
#define ROW_CAP 512               /* widest X-drop window, in cells */
#define OPS_DP_CELLS (1u << 20)   /* largest gap aligned cell by cell in gema_align_ops */

void gema_aligner_init(gema_aligner *al)
{
    memset(al, 0, sizeof *al);
}

void gema_aligner_free(gema_aligner *al)
{
    free(al->slot);
    free(al->next);
    gema_u64vec_free(&al->kb);
    free(al->hit);
    gema_u64vec_free(&al->seeds);
    gema_u64vec_free(&al->tmp);
    free(al->covered);
    for (int r = 0; r < 2; r++) {
        free(al->row[r]);
        free(al->mrow[r]);
    }
    free(al->frag);
    free(al->out);
    memset(al, 0, sizeof *al);
}

static int grow_bytes(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap) return GEMA_OK;
    size_t c = *cap ? *cap : 64;
    while (c < n) c *= 2;
    void *q = gema_realloc_array(*p, c, sz);
    if (!q) return GEMA_ERR_NOMEM;
    *p = q;
    *cap = c;
    return GEMA_OK;
}

/* ---- seeds ---------------------------------------------------------------- */

static size_t seed_positions(size_t n, unsigned k)
{
    return n >= k ? n - k + 1 : 0;
}

int gema_aligner_set_a(gema_aligner *al, const gema_align_params *p, const uint64_t *a,
                       size_t na)
{
    if (na > UINT32_MAX - 1) return GEMA_ERR_TOO_BIG;
    al->a = a;
    al->na = na;
    size_t npos = seed_positions(na, p->seed_words);
    size_t size = 16;
    while (size < 2 * npos) size *= 2;
    if (grow_bytes((void **)&al->slot, &al->slot_cap, size, sizeof *al->slot))
        return GEMA_ERR_NOMEM;
    al->slot_mask = size - 1;
    memset(al->slot, 0, size * sizeof *al->slot);
    if (grow_bytes((void **)&al->next, &al->next_cap, npos ? npos : 1, sizeof *al->next))
        return GEMA_ERR_NOMEM;
    for (size_t pos = npos; pos-- > 0;) {
        uint64_t h = gema_ngram_hash(a + pos, p->seed_words, p->seed);
        size_t s = (size_t)h & al->slot_mask;
        while (al->slot[s].count && al->slot[s].hash != h) s = (s + 1) & al->slot_mask;
        gema_kgram_slot *sl = &al->slot[s];
        if (sl->count == 0) {
            sl->hash = h;
            al->next[pos] = NONE32;
        } else {
            al->next[pos] = sl->head;
        }
        sl->head = (uint32_t)pos;
        sl->count++;
    }
    return GEMA_OK;
}

/* Seeds of b against the current A into al->seeds (i << 32 | j, sorted). */
static int collect_seeds(gema_aligner *al, const gema_align_params *p, const uint64_t *b,
                         size_t nb)
{
    al->seeds.len = 0;
    size_t npa = seed_positions(al->na, p->seed_words);
    size_t npb = seed_positions(nb, p->seed_words);
    if (!npa || !npb) return GEMA_OK;
    al->kb.len = 0;
    int rc = gema_ngrams(b, nb, p->seed_words, p->seed, &al->kb);
    if (rc != GEMA_OK) return rc;
    if (grow_bytes((void **)&al->hit, &al->hit_cap, npb, sizeof *al->hit)) return GEMA_ERR_NOMEM;
    for (size_t j = 0; j < npb; j++) {
        uint64_t h = al->kb.v[j];
        size_t s = (size_t)h & al->slot_mask;
        al->hit[j] = 0;
        while (al->slot[s].count) {
            if (al->slot[s].hash == h) {
                al->hit[j] = (uint32_t)s + 1;
                al->slot[s].count_b++;
                break;
            }
            s = (s + 1) & al->slot_mask;
        }
    }
    for (size_t j = 0; j < npb; j++) {
        if (!al->hit[j]) continue;
        gema_kgram_slot *sl = &al->slot[al->hit[j] - 1];
        if (sl->count > p->max_repeat || sl->count_b > p->max_repeat) continue;
        for (uint32_t i = sl->head; i != NONE32; i = al->next[i]) {
            rc = gema_u64vec_push(&al->seeds, (uint64_t)i << 32 | j);
            if (rc != GEMA_OK) return rc;
        }
    }
    for (size_t j = 0; j < npb; j++)
        if (al->hit[j]) al->slot[al->hit[j] - 1].count_b = 0;
    if (al->seeds.len > 1) {
        rc = gema_u64vec_reserve(&al->tmp, al->seeds.len);
        if (rc != GEMA_OK) return rc;
        gema_radix_sort_u64(al->seeds.v, al->tmp.v, al->seeds.len);
    }
    return GEMA_OK;
}

/* ---- X-drop extension ----------------------------------------------------- */

typedef struct {
    uint32_t di, dj;     /* tokens taken from a and b */
    int32_t score;
    uint32_t matches;
} ext;

/*
 * Extend from just before x[xs] and y[ys] in direction step (+1 or -1), at
 * most lx and ly tokens.  Row i holds the best scores of aligning the first
 * i tokens of x with the first j of y, for the j still alive (within xdrop
 * of the best); a row with nothing alive ends the extension.  Ties prefer
 * the diagonal, then a gap in y, so the result is one fixed path.
 */
static int xdrop_extend(gema_aligner *al, const uint64_t *x, size_t xs, size_t lx,
                        const uint64_t *y, size_t ys, size_t ly, ptrdiff_t step, int xdrop,
                        ext *r)
{
    for (int k = 0; k < 2; k++) {
        if (!al->row[k]) al->row[k] = gema_alloc_array(ROW_CAP + 2, sizeof(int32_t));
        if (!al->mrow[k]) al->mrow[k] = gema_alloc_array(ROW_CAP + 2, sizeof(uint32_t));
        if (!al->row[k] || !al->mrow[k]) return GEMA_ERR_NOMEM;
    }
    int32_t *pv = al->row[0], *cv = al->row[1];
    uint32_t *pm = al->mrow[0], *cm = al->mrow[1];
    memset(r, 0, sizeof *r);
    int32_t best = 0;
    size_t pbase = 0, plo = 0, phi = 0;
    pv[0] = 0;
    pm[0] = 0;
    for (size_t j = 1; j <= ly && j < ROW_CAP; j++) {
        int32_t v = (int32_t)j * GEMA_ALIGN_GAP;
        if (v < best - xdrop) break;
        pv[j] = v;
        pm[j] = 0;
        phi = j;
    }
    uint64_t cells = 0;
    for (size_t i = 1; i <= lx; i++) {
        uint64_t xi = x[(ptrdiff_t)xs + step * (ptrdiff_t)(i - 1)];
        size_t cbase = plo, clo = SIZE_MAX, chi = 0;
        int32_t left = NEG;
        uint32_t leftm = 0;
        for (size_t j = plo; j <= ly && j - cbase < ROW_CAP; j++) {
            int32_t v = NEG;
            uint32_t m = 0;
            if (j >= 1 && j - 1 >= plo && j - 1 <= phi && pv[j - 1 - pbase] > NEG) {
                int eq = xi == y[(ptrdiff_t)ys + step * (ptrdiff_t)(j - 1)];
                v = pv[j - 1 - pbase] + (eq ? GEMA_ALIGN_MATCH : GEMA_ALIGN_MISMATCH);
                m = pm[j - 1 - pbase] + (uint32_t)eq;
            }
            if (j <= phi && pv[j - pbase] > NEG && pv[j - pbase] + GEMA_ALIGN_GAP > v) {
                v = pv[j - pbase] + GEMA_ALIGN_GAP;
                m = pm[j - pbase];
            }
            if (left > NEG && left + GEMA_ALIGN_GAP > v) {
                v = left + GEMA_ALIGN_GAP;
                m = leftm;
            }
            if (v < best - xdrop) v = NEG;
            cv[j - cbase] = v;
            cm[j - cbase] = m;
            left = v;
            leftm = m;
            cells++;
            if (v > NEG) {
                if (clo == SIZE_MAX) clo = j;
                chi = j;
                if (v > best) {
                    best = v;
                    r->di = (uint32_t)i;
                    r->dj = (uint32_t)j;
                    r->score = v;
                    r->matches = m;
                }
            } else if (j > phi) {
                break; /* beyond the previous row only a live left neighbour helps */
            }
        }
        if (clo == SIZE_MAX) break;
        int32_t *t = pv;
        pv = cv;
        cv = t;
        uint32_t *tm = pm;
        pm = cm;
        cm = tm;
        pbase = cbase;
        plo = clo;
        phi = chi;
    }
    al->cells += cells;
    return GEMA_OK;
}

/* ---- fragments and merging -------------------------------------------------- */

static int push_span(gema_span_pair **v, size_t *n, size_t *cap, const gema_span_pair *s)
{
    if (grow_bytes((void **)v, cap, *n + 1, sizeof **v)) return GEMA_ERR_NOMEM;
    (*v)[(*n)++] = *s;
    return GEMA_OK;
}

/* First seed with i >= a0 (seeds sorted by i << 32 | j). */
static size_t seed_lower_bound(const gema_u64vec *s, uint32_t a0)
{
    size_t lo = 0, hi = s->len;
    uint64_t key = (uint64_t)a0 << 32;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void cover_box(gema_aligner *al, const gema_span_pair *f)
{
    for (size_t q = seed_lower_bound(&al->seeds, f->a0);
         q < al->seeds.len && (uint32_t)(al->seeds.v[q] >> 32) < f->a1; q++) {
        uint32_t j = (uint32_t)al->seeds.v[q];
        if (j >= f->b0 && j < f->b1) al->covered[q] = 1;
    }
}

/* Seeds on the diagonal of an exact run [i, i + len) x [j, j + len). */
static void cover_run(gema_aligner *al, uint32_t i, uint32_t j, uint32_t len, unsigned k)
{
    if (len < k) return;
    uint32_t last = i + (len - k);
    for (size_t q = seed_lower_bound(&al->seeds, i);
         q < al->seeds.len && (uint32_t)(al->seeds.v[q] >> 32) <= last; q++) {
        uint32_t si = (uint32_t)(al->seeds.v[q] >> 32), sj = (uint32_t)al->seeds.v[q];
        if (sj - si == j - i && sj >= j) al->covered[q] = 1;
    }
}

static int near(const gema_span_pair *f, const gema_span_pair *g, uint32_t gap)
{
    return (uint64_t)f->a0 <= (uint64_t)g->a1 + gap && (uint64_t)g->a0 <= (uint64_t)f->a1 + gap &&
           (uint64_t)f->b0 <= (uint64_t)g->b1 + gap && (uint64_t)g->b0 <= (uint64_t)f->b1 + gap;
}

static int cmp_span(const void *x, const void *y)
{
    const gema_span_pair *a = x, *b = y;
    if (a->a0 != b->a0) return a->a0 < b->a0 ? -1 : 1;
    if (a->b0 != b->b0) return a->b0 < b->b0 ? -1 : 1;
    if (a->a1 != b->a1) return a->a1 < b->a1 ? -1 : 1;
    return (a->b1 > b->b1) - (a->b1 < b->b1);
}

/* Merge fragments that overlap or lie within gap of each other in both
 * texts, until no two are near; then keep what passes the thresholds. */
static int merge_fragments(gema_aligner *al, const gema_align_params *p)
{
    gema_span_pair *f = al->frag;
    size_t n = al->nfrag;
    if (n > 1) qsort(f, n, sizeof *f, cmp_span);
    int changed = 1;
    while (changed && n > 1) {
        changed = 0;
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            size_t t = 0;
            for (; t < k; t++)
                if (near(&f[t], &f[i], p->max_gap)) break;
            if (t == k) {
                f[k++] = f[i];
                continue;
            }
            gema_span_pair *m = &f[t];
            m->a0 = GEMA_MIN(m->a0, f[i].a0);
            m->a1 = GEMA_MAX(m->a1, f[i].a1);
            m->b0 = GEMA_MIN(m->b0, f[i].b0);
            m->b1 = GEMA_MAX(m->b1, f[i].b1);
            m->matches += f[i].matches;
            m->score += f[i].score;
            m->fragments += f[i].fragments;
            changed = 1;
        }
        n = k;
        if (changed) qsort(f, n, sizeof *f, cmp_span);
    }
    al->nout = 0;
    for (size_t i = 0; i < n; i++) {
        gema_span_pair s = f[i];
        uint32_t wa = s.a1 - s.a0, wb = s.b1 - s.b0;
        if (GEMA_MIN(wa, wb) < p->min_words) continue;
        /* Overlapping fragments (a passage repeated inside one text) may
         * count a token twice; a passage cannot match more than its
         * shorter side. */
        if (s.matches > GEMA_MIN(wa, wb)) s.matches = GEMA_MIN(wa, wb);
        double sim = 2.0 * s.matches / ((double)wa + (double)wb);
        if (sim < p->min_similarity) continue;
        if (push_span(&al->out, &al->nout, &al->out_cap, &s)) return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
}

int gema_aligner_run(gema_aligner *al, const gema_align_params *p, const uint64_t *b,
                     size_t nb)
{
    al->nout = 0;
    al->nfrag = 0;
    if (nb > UINT32_MAX - 1) return GEMA_ERR_TOO_BIG;
    int rc = collect_seeds(al, p, b, nb);
    if (rc != GEMA_OK || al->seeds.len == 0) return rc;
    if (grow_bytes((void **)&al->covered, &al->covered_cap, al->seeds.len, 1))
        return GEMA_ERR_NOMEM;
    memset(al->covered, 0, al->seeds.len);
    const uint64_t *a = al->a;
    size_t na = al->na;
    unsigned k = p->seed_words;
    for (size_t q = 0; q < al->seeds.len; q++) {
        if (al->covered[q]) continue;
        uint32_t i = (uint32_t)(al->seeds.v[q] >> 32), j = (uint32_t)al->seeds.v[q];
        uint32_t len = k;
        while (i + len < na && j + len < nb && a[i + len] == b[j + len]) len++;
        ext fw, bw;
        rc = xdrop_extend(al, a, i + len, na - (i + len), b, j + len, nb - (j + len), 1,
                          p->xdrop, &fw);
        if (rc == GEMA_OK)
            rc = xdrop_extend(al, a, (size_t)i - 1, i, b, (size_t)j - 1, j, -1, p->xdrop, &bw);
        if (rc != GEMA_OK) return rc;
        gema_span_pair f;
        f.a0 = i - bw.di;
        f.b0 = j - bw.dj;
        f.a1 = i + len + fw.di;
        f.b1 = j + len + fw.dj;
        f.score = (int32_t)len * GEMA_ALIGN_MATCH + fw.score + bw.score;
        f.matches = len + fw.matches + bw.matches;
        f.fragments = 1;
        if (f.score < p->min_fragment) {
            cover_run(al, i, j, len, k);
            continue;
        }
        cover_box(al, &f);
        if (push_span(&al->frag, &al->nfrag, &al->frag_cap, &f)) return GEMA_ERR_NOMEM;
    }
    return merge_fragments(al, p);
}

/* ---- edit scripts for display ------------------------------------------------ */

typedef struct {
    gema_token_op *v;
    size_t n, cap;
} opvec;

/* Append one token-level step, joining it to the previous operation when
 * both are EQUAL or both are edits (edits of mixed kinds become REPLACE). */
static int op_push(opvec *o, int op, uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    if (a0 == a1 && b0 == b1) return GEMA_OK;
    if (o->n) {
        gema_token_op *last = &o->v[o->n - 1];
        int last_eq = last->op == GEMA_OP_EQUAL, eq = op == GEMA_OP_EQUAL;
        if (last_eq == eq && last->a1 == a0 && last->b1 == b0) {
            last->a1 = a1;
            last->b1 = b1;
            if (!eq) {
                int ha = last->a0 != last->a1, hb = last->b0 != last->b1;
                last->op = ha && hb ? GEMA_OP_REPLACE : ha ? GEMA_OP_DELETE : GEMA_OP_INSERT;
            }
            return GEMA_OK;
        }
    }
    if (grow_bytes((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v)) return GEMA_ERR_NOMEM;
    gema_token_op *t = &o->v[o->n++];
    t->op = op;
    t->a0 = a0;
    t->a1 = a1;
    t->b0 = b0;
    t->b1 = b1;
    return GEMA_OK;
}

/* Global alignment of a[a0..a1) with b[b0..b1) with the extension's scores,
 * by a full table and traceback. */
static int gap_ops(const uint64_t *a, uint32_t a0, uint32_t a1, const uint64_t *b, uint32_t b0,
                   uint32_t b1, opvec *o)
{
    size_t la = a1 - a0, lb = b1 - b0;
    if (la == 0 || lb == 0 || (uint64_t)la * lb > OPS_DP_CELLS) {
        int op = la && lb ? GEMA_OP_REPLACE : la ? GEMA_OP_DELETE : GEMA_OP_INSERT;
        return op_push(o, op, a0, a1, b0, b1);
    }
    size_t w = lb + 1;
    int32_t *s = gema_alloc_array((la + 1) * w, sizeof *s);
    unsigned char *tb = gema_alloc_array((la + 1) * w, 1);
    if (!s || !tb) {
        free(s);
        free(tb);
        return GEMA_ERR_NOMEM;
    }
    for (size_t j = 0; j <= lb; j++) {
        s[j] = (int32_t)j * GEMA_ALIGN_GAP;
        tb[j] = 2;
    }
    for (size_t i = 1; i <= la; i++) {
        s[i * w] = (int32_t)i * GEMA_ALIGN_GAP;
        tb[i * w] = 1;
        for (size_t j = 1; j <= lb; j++) {
            int eq = a[a0 + i - 1] == b[b0 + j - 1];
            int32_t d = s[(i - 1) * w + j - 1] + (eq ? GEMA_ALIGN_MATCH : GEMA_ALIGN_MISMATCH);
            int32_t u = s[(i - 1) * w + j] + GEMA_ALIGN_GAP;
            int32_t l = s[i * w + j - 1] + GEMA_ALIGN_GAP;
            unsigned char t = 0;
            if (u > d) d = u, t = 1;
            if (l > d) d = l, t = 2;
            s[i * w + j] = d;
            tb[i * w + j] = t;
        }
    }
    /* Trace back into a reversed list of steps, then emit forwards. */
    size_t cap = la + lb, n = 0;
    unsigned char *steps = malloc(cap ? cap : 1);
    int rc = steps ? GEMA_OK : GEMA_ERR_NOMEM;
    size_t i = la, j = lb;
    while (rc == GEMA_OK && (i > 0 || j > 0)) {
        unsigned char t = i == 0 ? 2 : j == 0 ? 1 : tb[i * w + j];
        steps[n++] = t;
        if (t == 0) i--, j--;
        else if (t == 1) i--;
        else j--;
    }
    i = a0;
    j = b0;
    while (rc == GEMA_OK && n > 0) {
        unsigned char t = steps[--n];
        if (t == 0) {
            int eq = a[i] == b[j];
            rc = op_push(o, eq ? GEMA_OP_EQUAL : GEMA_OP_REPLACE, (uint32_t)i, (uint32_t)i + 1,
                         (uint32_t)j, (uint32_t)j + 1);
            i++, j++;
        } else if (t == 1) {
            rc = op_push(o, GEMA_OP_DELETE, (uint32_t)i, (uint32_t)i + 1, (uint32_t)j, (uint32_t)j);
            i++;
        } else {
            rc = op_push(o, GEMA_OP_INSERT, (uint32_t)i, (uint32_t)i, (uint32_t)j, (uint32_t)j + 1);
            j++;
        }
    }
    free(steps);
    free(s);
    free(tb);
    return rc;
}

int gema_align_ops(const gema_align_params *p, const uint64_t *a, size_t na, const uint64_t *b,
                   size_t nb, const gema_span_pair *sp, gema_token_op **ops, size_t *nops)
{
    if (sp->a0 > sp->a1 || sp->a1 > na || sp->b0 > sp->b1 || sp->b1 > nb) return GEMA_ERR_RANGE;
    gema_aligner al;
    gema_aligner_init(&al);
    opvec o = { 0 };
    uint32_t *chain = NULL, *prev = NULL, *tail = NULL;
    int rc = gema_aligner_set_a(&al, p, a + sp->a0, sp->a1 - sp->a0);
    if (rc == GEMA_OK) {
        /* Every seed counts here, however often it repeats. */
        gema_align_params q = *p;
        q.max_repeat = UINT32_MAX;
        rc = collect_seeds(&al, &q, b + sp->b0, sp->b1 - sp->b0);
    }
    size_t ns = al.seeds.len;
    if (rc == GEMA_OK && ns) {
        /* Longest chain increasing in both i and j: sort by i ascending and
         * j descending, then a longest strictly increasing subsequence of
         * j (patience sorting with predecessor links). */
        uint64_t *s = al.seeds.v;
        for (size_t q = 0; q < ns; q++) s[q] = (s[q] & 0xFFFFFFFF00000000ULL) | (0xFFFFFFFFu - (uint32_t)s[q]);
        gema_radix_sort_u64(s, al.tmp.v, ns);
        chain = gema_alloc_array(ns, sizeof *chain);
        prev = gema_alloc_array(ns, sizeof *prev);
        tail = gema_alloc_array(ns, sizeof *tail);
        if (!chain || !prev || !tail) rc = GEMA_ERR_NOMEM;
        size_t len = 0;
        for (size_t q = 0; rc == GEMA_OK && q < ns; q++) {
            uint32_t j = 0xFFFFFFFFu - (uint32_t)s[q];
            size_t lo = 0, hi = len;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if ((0xFFFFFFFFu - (uint32_t)s[tail[mid]]) < j) lo = mid + 1;
                else hi = mid;
            }
            prev[q] = lo ? tail[lo - 1] : NONE32;
            tail[lo] = (uint32_t)q;
            if (lo == len) len++;
        }
        size_t nc = 0;
        for (uint32_t q = len ? tail[len - 1] : NONE32; rc == GEMA_OK && q != NONE32; q = prev[q])
            chain[nc++] = q;
        /* Walk the chain forwards, emitting the tokens each seed matches and
         * aligning the gaps between them. */
        uint32_t ci = 0, cj = 0; /* next unaligned token, relative to the span */
        for (size_t c = nc; rc == GEMA_OK && c-- > 0;) {
            uint32_t si = (uint32_t)(s[chain[c]] >> 32);
            uint32_t sj = 0xFFFFFFFFu - (uint32_t)s[chain[c]];
            for (uint32_t t = 0; rc == GEMA_OK && t < p->seed_words; t++) {
                uint32_t ti = si + t, tj = sj + t;
                if (ti < ci || tj < cj) continue;
                if (a[sp->a0 + ti] != b[sp->b0 + tj]) break;
                rc = gap_ops(a, sp->a0 + ci, sp->a0 + ti, b, sp->b0 + cj, sp->b0 + tj, &o);
                if (rc == GEMA_OK)
                    rc = op_push(&o, GEMA_OP_EQUAL, sp->a0 + ti, sp->a0 + ti + 1, sp->b0 + tj,
                                 sp->b0 + tj + 1);
                ci = ti + 1;
                cj = tj + 1;
            }
        }
        if (rc == GEMA_OK) rc = gap_ops(a, sp->a0 + ci, sp->a1, b, sp->b0 + cj, sp->b1, &o);
    } else if (rc == GEMA_OK) {
        rc = gap_ops(a, sp->a0, sp->a1, b, sp->b0, sp->b1, &o);
    }
    free(chain);
    free(prev);
    free(tail);
    gema_aligner_free(&al);
    if (rc != GEMA_OK) {
        free(o.v);
        return rc;
    }
    *ops = o.v;
    *nops = o.n;
    return GEMA_OK;
}
