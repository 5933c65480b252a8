/*
 * clean_survey.c - whether a corpus carries page furniture, from a sample.
 *
 * Learning a site's furniture reads the corpus five times; on a corpus
 * without furniture that is all cost (gema dedup on 100 MB of generated
 * news took 3.7 times as long with --clean as without, for the same
 * clusters).  A crawl that needs cleaning shows it in any few thousand of
 * its pages: the documents of one site repeat the same lines (menus,
 * footers, labels).  So the survey reads a fixed-size sample, counts per
 * site in how many sampled documents each normalised line occurs, and
 * calls a document furnished when one of its lines occurs in at least half
 * of its site's sampled documents (three at least).
 *
 * The sample is half single records at an even stride (every site in
 * proportion to its size) and half runs of consecutive records: a crawl
 * stored site by site has thousands of sites, too many for a stride to
 * meet any of them three times, but a run of 64 records meets one site
 * many times.  A crawl of very many small sites in random order can hide
 * its furniture from both; --clean still forces learning.
 */
#include <pthread.h>

#include <xxhash.h>

#include "common.h"

#define RUN_LEN 64        /* records in one run of consecutive records */
#define MIN_SITE_DOCS 3   /* sampled documents a site needs to testify */
#define MAX_LINE 256      /* longer lines are not looked at: body paragraphs, mostly,
                             and a site with furniture has short lines of it too */
#define DOC_BITS 13       /* a (site, line) key keeps the sampled document in its low bits */
#define MAX_SAMPLE ((size_t)1 << DOC_BITS)

/* Byte folding as the cleaner folds lines (a page counter or a date in a
 * footer does not make it another line): ASCII letters to lower case, digits
 * to '0', white space to ' ' (runs of it to one); other bytes as they are. */
static unsigned char fold[256];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_init(void)
{
    for (int c = 0; c < 256; c++) fold[c] = (unsigned char)c;
    for (int c = 'A'; c <= 'Z'; c++) fold[c] = (unsigned char)(c + 32);
    for (int c = '0'; c <= '9'; c++) fold[c] = '0';
    fold['\t'] = fold['\r'] = fold['\f'] = fold['\v'] = ' ';
}

/* Hash of a folded line (n <= MAX_LINE); 0 for one with under two letters or signs. */
static uint64_t line_hash(const char *s, size_t n)
{
    unsigned char buf[MAX_LINE];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = fold[(unsigned char)s[i]];
        if (c == ' ' && (m == 0 || buf[m - 1] == ' ')) continue;
        buf[m++] = c;
    }
    if (m && buf[m - 1] == ' ') m--;
    return m < 2 ? 0 : XXH3_64bits(buf, m);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The sampled record numbers, ascending and distinct, into *out (*n). */
static int pick(size_t count, size_t sample, size_t **out, size_t *n)
{
    size_t want = count <= sample ? count : sample;
    size_t *v = gema_alloc_array(want ? want : 1, sizeof *v);
    if (!v) return GEMA_ERR_NOMEM;
    size_t m = 0;
    if (count <= sample) {
        for (size_t i = 0; i < count; i++) v[m++] = i;
    } else {
        size_t single = sample / 2, runs = (sample - single) / RUN_LEN;
        for (size_t k = 0; k < single; k++) v[m++] = (size_t)((uint64_t)k * count / single);
        for (size_t k = 0; k < runs; k++) {
            size_t start = (size_t)(((uint64_t)k * 2 + 1) * count / (runs * 2));
            for (size_t j = 0; j < RUN_LEN && start + j < count && m < want; j++)
                v[m++] = start + j;
        }
        qsort(v, m, sizeof *v, cmp_u64);
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (!u || v[i] != v[u - 1]) v[u++] = v[i];
        m = u;
    }
    *out = v;
    *n = m;
    return GEMA_OK;
}

/* One key per distinct short line of document `doc` of site `site`: the
 * (site, line) hash above DOC_BITS, the document below, so that sorting the
 * keys groups a site's line with the documents that carry it. */
static int add_doc(gema_u64vec *keys, const gema_doc *d, uint64_t site, uint32_t doc)
{
    const char *p = d->text, *end = d->text + d->text_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *q = nl ? nl : end;
        uint64_t h = q - p <= MAX_LINE ? line_hash(p, (size_t)(q - p)) : 0;
        if (h) {
            uint64_t k = (XXH3_64bits_withSeed(&h, sizeof h, site) & ~(MAX_SAMPLE - 1)) | doc;
            if (gema_u64vec_push(keys, k) != GEMA_OK) return GEMA_ERR_NOMEM;
        }
        p = nl ? nl + 1 : end;
    }
    return GEMA_OK;
}

/* Sampled documents of one site, from the sorted site hashes of them all. */
static uint32_t site_docs(const uint64_t *sorted, size_t n, uint64_t site)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < site) lo = mid + 1;
        else hi = mid;
    }
    size_t a = lo;
    while (lo < n && sorted[lo] == site) lo++;
    return (uint32_t)(lo - a);
}

int gema_clean_survey_run(const gema_corpus *corpus, size_t sample, double min_share,
                          gema_clean_survey *out)
{
    if (!corpus || !out) return GEMA_ERR_ARG;
    pthread_once(&fold_once, fold_init);
    double t0 = gema_now();
    memset(out, 0, sizeof *out);
    if (!sample) sample = GEMA_CLEAN_SURVEY_SAMPLE;
    sample = GEMA_MIN(sample, MAX_SAMPLE);
    if (min_share <= 0) min_share = GEMA_CLEAN_SURVEY_SHARE;
    size_t *pickv = NULL, npick = 0;
    uint64_t *site = NULL, *sorted = NULL;
    unsigned char *furnished = NULL;
    gema_u64vec keys = { 0 };
    gema_reader *r = NULL;
    int rc = pick(gema_corpus_count(corpus), sample, &pickv, &npick);
    if (rc == GEMA_OK) rc = gema_reader_new(corpus, &r);
    if (rc == GEMA_OK) {
        site = gema_alloc_array(npick ? npick : 1, sizeof *site);
        sorted = gema_alloc_array(npick ? npick : 1, sizeof *sorted);
        furnished = gema_alloc_array(npick ? npick : 1, 1);
        if (!site || !sorted || !furnished) rc = GEMA_ERR_NOMEM;
    }
    size_t nsite = 0;
    for (size_t i = 0; i < npick && rc == GEMA_OK; i++) {
        gema_doc d;
        rc = gema_reader_get(r, pickv[i], &d);
        if (rc != GEMA_OK || d.reject != GEMA_REJECT_NONE) continue;
        out->sampled++;
        if (!d.site_len) continue;
        out->with_site++;
        site[i] = XXH3_64bits(d.site, d.site_len);
        sorted[nsite++] = site[i];
        size_t before = keys.len;
        rc = add_doc(&keys, &d, site[i], (uint32_t)i);
        if (rc == GEMA_OK && keys.len > before) /* a line printed twice in one page counts once */
            keys.len = before + gema_u64_sort_unique(keys.v + before, keys.len - before);
    }
    if (rc == GEMA_OK) {
        qsort(sorted, nsite, sizeof *sorted, cmp_u64);
        size_t n = gema_u64_sort_unique(keys.v, keys.len);
        const uint64_t mask = ~(uint64_t)(MAX_SAMPLE - 1);
        for (size_t a = 0; a < n;) {
            size_t b = a;
            while (b < n && (keys.v[b] & mask) == (keys.v[a] & mask)) b++;
            if (b - a >= MIN_SITE_DOCS) {
                uint32_t docs = site_docs(sorted, nsite, site[keys.v[a] & (MAX_SAMPLE - 1)]);
                if (2 * (b - a) >= docs)
                    for (size_t j = a; j < b; j++) furnished[keys.v[j] & (MAX_SAMPLE - 1)] = 1;
            }
            a = b;
        }
        for (size_t a = 0; a < nsite;) {
            size_t b = a;
            while (b < nsite && sorted[b] == sorted[a]) b++;
            if (b - a >= MIN_SITE_DOCS) {
                out->sites++;
                out->site_docs += b - a;
            }
            a = b;
        }
        for (size_t i = 0; i < npick; i++) out->furnished += furnished[i];
        out->share = out->site_docs ? (double)out->furnished / (double)out->site_docs : 0.0;
        out->clean = out->share >= min_share;
    }
    gema_reader_free(r);
    free(pickv);
    free(site);
    free(sorted);
    free(furnished);
    gema_u64vec_free(&keys);
    out->seconds = gema_now() - t0;
    return rc;
}
