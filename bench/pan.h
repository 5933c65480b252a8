/*
 * pan.h - the PAN text-alignment measures: character-level macro-averaged
 * precision and recall, granularity and plagdet (Potthast, Stein,
 * Barron-Cedeno and Rosso, "An Evaluation Framework for Plagiarism
 * Detection", COLING 2010).  Header-only so that the evaluator
 * (bench/pan_eval.c) and its unit test (tests/unit/test_pan.c) share it.
 *
 * A case (gold) or a detection is a pair of spans: [t0, t1) in a
 * suspicious document `susp` and [s0, s1) in a source document `src`,
 * in characters.  A detection r detects a case s when both name the same
 * two documents and r overlaps s in the suspicious document and in the
 * source document.  With S the cases and R the detections:
 *
 *   recall    = 1/|S| * sum over s of |s AND (union of r detecting s)| / |s|
 *   precision = 1/|R| * sum over r of |r AND (union of s detected by r)| / |r|
 *   granularity = mean number of detections of a detected case (>= 1)
 *   plagdet   = F1(precision, recall) / log2(1 + granularity)
 *
 * where |x| counts the characters of both spans (suspicious + source), as
 * the PAN evaluation script (pan09 performance measures, webis.de) does.
 * Edge conventions follow that script too: no cases and no detections
 * score 1; only one of them empty scores 0; granularity is 1 when nothing
 * is detected.
 */
#ifndef GEMA_BENCH_PAN_H
#define GEMA_BENCH_PAN_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t susp, src;    /* document numbers */
    size_t t0, t1;         /* suspicious span, characters, end exclusive */
    size_t s0, s1;         /* source span */
} pan_span;

typedef struct {
    double precision, recall, granularity, plagdet;
    size_t cases, detections;
    size_t detected_cases; /* cases with at least one detection */
} pan_scores;

static int pan_detects(const pan_span *r, const pan_span *s)
{
    return r->susp == s->susp && r->src == s->src && r->t0 < s->t1 && s->t0 < r->t1 &&
           r->s0 < s->s1 && s->s0 < r->s1;
}

typedef struct {
    size_t a, b;
} pan_iv;

static int pan_cmp_iv(const void *x, const void *y)
{
    const pan_iv *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Characters covered by the union of iv[0..n) (sorted in place). */
static size_t pan_union_len(pan_iv *iv, size_t n)
{
    qsort(iv, n, sizeof *iv, pan_cmp_iv);
    size_t total = 0, a = 0, b = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (iv[i].b <= iv[i].a) continue;
        if (open && iv[i].a <= b) {
            if (iv[i].b > b) b = iv[i].b;
            continue;
        }
        if (open) total += b - a;
        a = iv[i].a;
        b = iv[i].b;
        open = 1;
    }
    if (open) total += b - a;
    return total;
}

/* Share of x's characters (both spans) covered by the ys that overlap it in
 * both documents; the same function gives a case's recall (ys =
 * detections) and a detection's precision (ys = cases).  *hits counts
 * those ys.  -1 when out of memory. */
static double pan_covered(const pan_span *x, const pan_span *ys, size_t ny, size_t *hits,
                          pan_iv *tmp_t, pan_iv *tmp_s)
{
    size_t k = 0;
    for (size_t j = 0; j < ny; j++) {
        if (!pan_detects(&ys[j], x)) continue;
        const pan_span *y = &ys[j];
        tmp_t[k].a = y->t0 > x->t0 ? y->t0 : x->t0;
        tmp_t[k].b = y->t1 < x->t1 ? y->t1 : x->t1;
        tmp_s[k].a = y->s0 > x->s0 ? y->s0 : x->s0;
        tmp_s[k].b = y->s1 < x->s1 ? y->s1 : x->s1;
        k++;
    }
    *hits = k;
    size_t len = (x->t1 - x->t0) + (x->s1 - x->s0);
    if (!k || !len) return 0.0;
    size_t got = pan_union_len(tmp_t, k) + pan_union_len(tmp_s, k);
    return (double)got / (double)len;
}

static int pan_cmp_pair(const void *x, const void *y)
{
    const pan_span *p = x, *q = y;
    if (p->susp != q->susp) return p->susp < q->susp ? -1 : 1;
    if (p->src != q->src) return p->src < q->src ? -1 : 1;
    return 0;
}

/* Sum over x in X of pan_covered(x, Y); both sorted by document pair, so
 * each x is compared only with the ys of its own pair.  *detected counts
 * the xs with a hit and *hits_total their hits. */
static double pan_sum_covered(const pan_span *X, size_t nx, const pan_span *Y, size_t ny,
                              size_t *detected, size_t *hits_total, pan_iv *tt, pan_iv *ts)
{
    double sum = 0.0;
    size_t j = 0;
    *detected = *hits_total = 0;
    for (size_t i = 0; i < nx; i++) {
        while (j < ny && pan_cmp_pair(&Y[j], &X[i]) < 0) j++;
        size_t e = j;
        while (e < ny && pan_cmp_pair(&Y[e], &X[i]) == 0) e++;
        size_t hits;
        sum += pan_covered(&X[i], Y + j, e - j, &hits, tt, ts);
        if (hits) {
            (*detected)++;
            *hits_total += hits;
        }
    }
    return sum;
}

/* Score detections R[0..nr) against cases S[0..ns).  Returns 0, or -1 when
 * out of memory.  Spans are compared only within their document pair, so
 * this is fast enough for a million spans as long as no pair holds
 * thousands. */
static int pan_score(const pan_span *S, size_t ns, const pan_span *R, size_t nr,
                     pan_scores *out)
{
    out->cases = ns;
    out->detections = nr;
    out->detected_cases = 0;
    out->granularity = 1.0;
    if (!ns || !nr) {
        out->precision = out->recall = (!ns && !nr) ? 1.0 : 0.0;
        out->plagdet = (!ns && !nr) ? 1.0 : 0.0;
        return 0;
    }
    size_t cap = ns > nr ? ns : nr;
    pan_iv *tt = malloc(cap * sizeof *tt), *ts = malloc(cap * sizeof *ts);
    pan_span *s = malloc(ns * sizeof *s), *r = malloc(nr * sizeof *r);
    if (!tt || !ts || !s || !r) {
        free(tt);
        free(ts);
        free(s);
        free(r);
        return -1;
    }
    memcpy(s, S, ns * sizeof *s);
    memcpy(r, R, nr * sizeof *r);
    qsort(s, ns, sizeof *s, pan_cmp_pair);
    qsort(r, nr, sizeof *r, pan_cmp_pair);
    size_t dets_of_detected, unused_a, unused_b;
    double rec = pan_sum_covered(s, ns, r, nr, &out->detected_cases, &dets_of_detected, tt, ts);
    double prec = pan_sum_covered(r, nr, s, ns, &unused_a, &unused_b, tt, ts);
    free(tt);
    free(ts);
    free(s);
    free(r);
    out->recall = rec / (double)ns;
    out->precision = prec / (double)nr;
    if (out->detected_cases)
        out->granularity = (double)dets_of_detected / (double)out->detected_cases;
    double p = out->precision, q = out->recall;
    out->plagdet = (p + q > 0) ? (2 * p * q / (p + q)) / log2(1.0 + out->granularity) : 0.0;
    return 0;
}

#endif
