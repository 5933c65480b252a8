/*
 * clean.c - the clean stage: learn furniture from a corpus, clean one
 * document.
 *
 * Learning reads the corpus in passes, each parallel over fixed chunks of
 * records, so that memory stays bounded by the sketches and the result is
 * exact and the same at any thread count:
 *   1. every distinct normalised line of every document is added to a
 *      count-min sketch under its (site, line) key, lines with digits also
 *      as written; each record's site and text hash are kept (16 bytes a
 *      record).  Then, per site, documents whose text equals an earlier
 *      one's are set aside (a page crawled twice must not make its own
 *      sentences look repeated) and the distinct documents counted.
 *   2. lines whose sketch estimate reaches their site's threshold become
 *      candidates.  The sketch never underestimates, so every line that is
 *      truly frequent is among them.  Each document's article keys (its
 *      longest lines, furniture.h) go into a second sketch.
 *   3. candidates are counted exactly, per site, over every site, and the
 *      model decided (decide): a candidate that reaches the threshold in its
 *      site is furniture, unless it occurs in at least shared_sites learned
 *      sites and in one of them below the threshold: syndicated paragraphs
 *      and quotes travel between sites as ordinary lines, while a site's
 *      menu stays home and a publishing network's footer is repeated in
 *      every site that carries it (and is then furniture in small sites
 *      too).
 *   4. documents whose article the second sketch saw twice or more are
 *      cleaned as the cleaner will (the model, then the in-document rules);
 *      the lines the rules remove are kept with their article.
 *   5. those documents again: which learned sites print each such line with
 *      the same article.  A line printed with its article by shared_sites
 *      learned sites is protected from the in-document rules (decide_shared).
 * Pass 4 reads the documents of learned sites, pass 5 only those of
 * syndicated articles.  The outcome is what exact counting would give; the
 * sketches only decide how many lines get counted exactly.  Atomic sketch
 * increments commute and exact tables are merged by addition, so no thread
 * count changes it.
 *
 * Applying: repair, split into lines, mark repeated lines and the
 * in-document rules, and write the kept lines (furniture.c has the rules).
 */
#include "clean.h"

#include "corpus.h"
#include "pool.h"
#include "sketch.h"

#include <math.h>
#include <stdatomic.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

static const char *const reason_names[GEMA_CLEAN_REASONS] = {
    "kept", "repeated-in-site", "label", "link-list", "menu", "dateline", "copyright",
    "byline", "caption", "no-text", "edge-fragment", "appended-story", "duplicate-line"
};

const char *gema_clean_reason_name(gema_clean_reason reason)
{
    if ((unsigned)reason >= GEMA_CLEAN_REASONS) return "unknown";
    return reason_names[reason];
}

void gema_clean_options_default(gema_clean_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->repair = 1;
    opt->furniture = 1;
    opt->repetition = 1;
    opt->min_site_docs = 6;
    opt->min_repeat = 3;
    opt->min_share = 0.05;
    opt->shared_sites = 2;
    opt->sketch_bytes = (size_t)64 << 20;
    opt->threads = 1;
}

uint64_t gema_site_hash(const char *site, size_t len)
{
    if (!site || !len) return 0;
    uint64_t h = XXH3_64bits(site, len);
    return h ? h : 1;
}

static int check_options(const gema_clean_options *o)
{
    if (!o) return GEMA_OK;
    if (o->min_share < 0 || o->min_share > 1 || isnan(o->min_share)) return GEMA_ERR_ARG;
    if (o->min_repeat < 2 || o->min_site_docs < 2) return GEMA_ERR_ARG;
    return GEMA_OK;
}

static int cleaner_alloc(const gema_clean_options *opt, gema_cleaner **out)
{
    if (!out) return GEMA_ERR_ARG;
    int rc = check_options(opt);
    if (rc != GEMA_OK) return rc;
    gema_cleaner *c = calloc(1, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    if (opt) c->opt = *opt;
    else gema_clean_options_default(&c->opt);
    c->opt.progress = NULL;
    c->opt.progress_user = NULL;
#ifdef GEMA_HAVE_MOJIBAKE
    if (c->opt.repair) {
        gema_mojibake *m = NULL;
        rc = gema_mojibake_new(&m);
        if (rc != GEMA_OK) {
            free(c);
            return rc;
        }
        c->mojibake = m;
    }
#endif
    *out = c;
    return GEMA_OK;
}

int gema_cleaner_new(const gema_clean_options *opt, gema_cleaner **out)
{
    return cleaner_alloc(opt, out);
}

void gema_cleaner_free(gema_cleaner *c)
{
    if (!c) return;
#ifdef GEMA_HAVE_MOJIBAKE
    gema_mojibake_free(c->mojibake);
#endif
    gema_pairtab_free(&c->model.furniture);
    gema_pairtab_free(&c->model.shared);
    free(c);
}

void gema_cleaner_info_get(const gema_cleaner *c, gema_cleaner_info *out)
{
    if (!out) return;
    if (!c) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = c->info;
}

int gema_clean_fix_encoding(const gema_cleaner *c, const char *text, size_t len, gema_buf *buf,
                      gema_repair **repairs, size_t *n)
{
    gema_buf_clear(buf);
    *n = 0;
#ifdef GEMA_HAVE_MOJIBAKE
    if (c->mojibake && gema_mojibake_suspect(c->mojibake, text, len)) {
        int rc = gema_mojibake_fix(c->mojibake, text, len, buf, repairs, n);
        if (rc != GEMA_OK) return rc;
        if (*n) return GEMA_OK;
        gema_buf_clear(buf);
    }
#else
    GEMA_UNUSED(c);
    GEMA_UNUSED(repairs);
#endif
    return gema_buf_append(buf, text, len);
}

/* ------------------------------------------------------------------------ */
/* Learning                                                                 */
/* ------------------------------------------------------------------------ */

#define CHUNK 256   /* records per task: fixed, so chunks never depend on threads */

typedef struct {
    uint64_t site;
    uint32_t docs;       /* distinct documents */
    uint32_t threshold;  /* documents a line needs to be furniture */
    int learned;         /* docs >= min_site_docs */
} site_info;

typedef struct {
    gema_reader *reader;
    gema_lines ls;
    gema_buf work;
    gema_repair *repairs;
    size_t nrepairs;
    gema_u64vec keys;        /* pass 1: a document's lines with digits, as written */
    gema_u64vec versions;    /* pass 3: (line, site, article) of rare candidates */
    gema_pairtab local;      /* pass 2: candidates; 3: exact counts; 5: (key, site) */
    gema_pairtab local_exact;/* pass 4: (key, article) of lines the rules remove */
} worker;

typedef struct {
    const gema_corpus *corpus;
    const gema_cleaner *c;
    const gema_clean_options *opt;
    size_t n;
    uint64_t *site;          /* per record; 0 = rejected, no site, or set aside */
    uint64_t *text;          /* per record: hash of the repaired text */
    site_info *sites;
    size_t nsites;
    gema_cms cms;            /* (site, line) */
    gema_cms cms_shared;     /* article keys */
    gema_cms cms_lines;      /* lines of syndicated articles, keyed within the article */
    unsigned char *synd;     /* per record: its article is syndicated (pass 4) */
    gema_pairtab removed;    /* (key, article) of lines the rules remove (pass 4) */
    gema_pairtab cand;       /* candidate lines for repetition (site 0) */
    gema_pairtab articles;   /* (line, site) -> distinct articles, for rare candidates */
    worker *w;
    unsigned threads;
    int pass;
    atomic_uint_fast64_t done;
    uint64_t total;
    uint64_t docs;
} learn_ctx;

static const site_info *find_site(const learn_ctx *x, uint64_t site)
{
    size_t lo = 0, hi = x->nsites;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->sites[mid].site < site) lo = mid + 1;
        else if (x->sites[mid].site > site) hi = mid;
        else return &x->sites[mid];
    }
    return NULL;
}

/* Read record i, repair and split it; 0 if it takes no part. */
static int load(learn_ctx *x, worker *w, size_t i, int *ok)
{
    gema_doc doc;
    *ok = 0;
    int rc = gema_reader_get(w->reader, i, &doc);
    if (rc != GEMA_OK) return rc;
    if (doc.reject != GEMA_REJECT_NONE) return GEMA_OK;
    if (x->pass == 1) {
        x->site[i] = gema_site_hash(doc.site, doc.site_len);
        if (!x->site[i]) return GEMA_OK;
    }
    rc = gema_clean_fix_encoding(x->c, doc.text, doc.text_len, &w->work, &w->repairs, &w->nrepairs);
    if (rc != GEMA_OK) return rc;
    if (x->pass == 1) x->text[i] = XXH3_64bits(w->work.data, w->work.len);
    rc = gema_lines_split(&w->ls, w->work.data, w->work.len);
    if (rc == GEMA_OK) *ok = 1;
    return rc;
}

/* The document's article keys (gema_lines_articles) once the lines its
 * site repeats are marked: by the sketch while the model is being learned
 * (passes 2 and 3), by the model once it is (passes 4 and 5, as the
 * cleaner will). */
static void article_keys(learn_ctx *x, worker *w, uint64_t site, const site_info *si,
                         uint64_t article[GEMA_ARTICLE_KEYS])
{
    gema_lines *ls = &w->ls;
    if (x->pass <= 3) {
        for (size_t k = 0; k < ls->n; k++) {
            gema_line *L = &ls->line[k];
            if (L->hash && gema_cms_get(&x->cms, gema_site_line_key(site, L->hash)) >= si->threshold)
                L->reason = GEMA_CLEAN_REPEATED;
        }
    } else {
        gema_furniture_repeated(&x->c->model, site, ls);
    }
    gema_lines_articles(ls, ls->n, article);
}

/* A line the site prints often as written takes no part in protection:
 * "Share" next to the same article on two sites is chance, "November 12,
 * 2011" is not, though "November 0, 0" is a dateline the site prints every
 * day. */
static int often(learn_ctx *x, const gema_line *L, uint64_t site, const site_info *si)
{
    return L->reason == GEMA_CLEAN_REPEATED ||
           gema_cms_get(&x->cms, gema_site_line_key(site, L->exact)) >= si->threshold;
}

/* Keep the keys (zero the others) of the articles the second sketch saw in
 * two documents or more, each once; 1 if any is left. */
static int syndicated(const learn_ctx *x, uint64_t article[GEMA_ARTICLE_KEYS])
{
    int any = 0;
    for (int j = 0; j < GEMA_ARTICLE_KEYS; j++) {
        for (int t = 0; t < j; t++)
            if (article[t] == article[j]) article[j] = 0;
        if (article[j] && gema_cms_get(&x->cms_shared, article[j]) < 2) article[j] = 0;
        any |= article[j] != 0;
    }
    return any;
}

/*
 * Passes 4 and 5, for a document of a syndicated article.  Pass 4: the lines
 * the in-document rules remove that the third sketch saw printed with the
 * article twice or more, under each of their keys within the article, into
 * w->local_exact as (key, article).  Pass 5: every line whose (key,
 * article) pass 4 kept, into w->local as (key, site): the sites that print
 * the line with the article, whether their copy lost it to the rules or not.
 */
static int syndicated_lines(learn_ctx *x, worker *w, uint64_t site, const site_info *si,
                            const uint64_t article[GEMA_ARTICLE_KEYS])
{
    gema_lines *ls = &w->ls;
    /* An appended block is judged against the article above it. */
    uint64_t head[GEMA_ARTICLE_KEYS];
    size_t block = ls->n;
    if (x->pass == 4) {
        int rc = gema_furniture_rules(ls, w->work.data, NULL, 1);
        if (rc != GEMA_OK) return rc;
        for (size_t k = 0; k < ls->n && block == ls->n; k++)
            if (ls->line[k].reason == GEMA_CLEAN_APPENDED) block = k;
        if (block < ls->n) gema_lines_articles(ls, block, head);
    }
    for (size_t k = 0; k < ls->n; k++) {
        const gema_line *L = &ls->line[k];
        if (!L->hash || (x->pass == 4 && !L->reason) || often(x, L, site, si)) continue;
        const uint64_t *art = k >= block ? head : article;
        for (int j = 0; j < GEMA_ARTICLE_KEYS; j++) {
            if (!art[j]) continue;
            uint64_t key = gema_shared_key(art[j], L->wire);
            int rc = GEMA_OK;
            if (x->pass == 4) {
                if (gema_cms_get(&x->cms_lines, key) >= 2)
                    rc = gema_pairtab_add(&w->local_exact, key, art[j], 1);
            } else if (gema_pairtab_get(&x->removed, key, art[j]))
                rc = gema_pairtab_add(&w->local, key, site, 1);
            if (rc != GEMA_OK) return rc;
        }
    }
    return GEMA_OK;
}

/* Pass 1: every distinct line into the sketch under (site, line), and lines
 * with digits also as written. */
static int count_lines(learn_ctx *x, worker *w, uint64_t site)
{
    size_t nd;
    if (gema_lines_distinct(&w->ls, &nd) != GEMA_OK) return GEMA_ERR_NOMEM;
    for (size_t k = 0; k < nd; k++) gema_cms_add(&x->cms, gema_site_line_key(site, w->ls.scratch.v[k]));
    if (!x->c->opt.shared_sites) return GEMA_OK;
    w->keys.len = 0;
    for (size_t k = 0; k < w->ls.n; k++) {
        const gema_line *L = &w->ls.line[k];
        if (L->exact != L->hash && gema_u64vec_push(&w->keys, L->exact) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    }
    nd = gema_u64_sort_unique(w->keys.v, w->keys.len);
    for (size_t k = 0; k < nd; k++) gema_cms_add(&x->cms, gema_site_line_key(site, w->keys.v[k]));
    return GEMA_OK;
}

/*
 * Versions.  A site may publish one article several times (an update, a
 * correction, a page crawled under two addresses), each copy a little
 * different, so not set aside as an exact copy; in a small site three
 * versions would make the article's sentences look like furniture.  So for
 * candidates the sketch counts in few documents (VERSIONS_UPTO or fewer:
 * the thresholds of sites up to 320 documents), pass 3 also records each
 * document's article, its longest line found in at most VERSIONS_MAX
 * documents of the site (the article's own, not the template's), and
 * documents of one article count once.  A version that lost that very line
 * counts apart; three versions then still count two.  Memory: 24 bytes per such (line, document),
 * at most VERSIONS_UPTO per candidate.
 */
#define VERSIONS_UPTO 16

#define VERSIONS_MAX 4     /* more copies of one article in a site are no versions */

static uint64_t version_key(const learn_ctx *x, const worker *w, uint64_t site)
{
    const gema_lines *ls = &w->ls;
    size_t best = SIZE_MAX, len = 0;
    for (size_t k = 0; k < ls->n; k++) {
        const gema_line *L = &ls->line[k];
        if (L->hash && L->nlen > len &&
            gema_cms_get(&x->cms, gema_site_line_key(site, L->hash)) <= VERSIONS_MAX) {
            len = L->nlen;
            best = k;
        }
    }
    return best == SIZE_MAX ? 0 : ls->line[best].exact;
}

static int cmp_triple(const void *a, const void *b)
{
    const uint64_t *p = a, *q = b;
    for (int i = 0; i < 3; i++)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}

/* The workers' (line, site, article) records into x->articles: distinct
 * articles per (line, site). */
static int count_versions(learn_ctx *x)
{
    size_t n = 0;
    for (unsigned t = 0; t < x->threads; t++) n += x->w[t].versions.len;
    uint64_t *all = gema_alloc_array(n ? n : 1, sizeof *all);
    if (!all) return GEMA_ERR_NOMEM;
    size_t m = 0;
    for (unsigned t = 0; t < x->threads; t++) {
        if (x->w[t].versions.len) memcpy(all + m, x->w[t].versions.v, x->w[t].versions.len * sizeof *all);
        m += x->w[t].versions.len;
        gema_u64vec_free(&x->w[t].versions);
    }
    qsort(all, m / 3, 3 * sizeof *all, cmp_triple);
    int rc = GEMA_OK;
    for (size_t i = 0; i < m && rc == GEMA_OK; i += 3)
        if (i == 0 || all[i] != all[i - 3] || all[i + 1] != all[i - 2] || all[i + 2] != all[i - 1])
            rc = gema_pairtab_add(&x->articles, all[i], all[i + 1], 1);
    free(all);
    return rc;
}

/*
 * One chunk of records, for one pass:
 *   1. lines into the sketch (count_lines);
 *   2. lines of learned sites the sketch counts often enough become
 *      repetition candidates; each document's article keys go into the
 *      second sketch;
 *   3. repetition candidates are counted exactly per site, in every site;
 *      then the model is decided;
 *   4. in documents of learned sites whose article the second sketch saw
 *      twice or more, the lines the in-document rules remove are counted
 *      exactly per site with their article.
 */
static int learn_task(void *p, size_t task, unsigned thread)
{
    learn_ctx *x = p;
    worker *w = &x->w[thread];
    size_t from = task * CHUNK, to = GEMA_MIN(x->n, from + CHUNK);
    uint64_t bytes = 0;
    int protect = x->c->opt.shared_sites > 0;
    for (size_t i = from; i < to; i++) {
        gema_doc rec;
        gema_corpus_record(x->corpus, i, &rec);
        bytes += rec.raw_len;
        if (x->pass > 1 && !x->site[i]) continue;
        const site_info *si = x->pass > 1 ? find_site(x, x->site[i]) : NULL;
        int learned = si && si->learned;
        if ((x->pass == 2 || x->pass == 4) && !learned) continue;
        if (x->pass == 5 && !x->synd[i]) continue;
        int ok;
        int rc = load(x, w, i, &ok);
        if (rc != GEMA_OK) return rc;
        if (!ok) continue;
        uint64_t site = x->site[i];
        if (x->pass == 1) {
            rc = count_lines(x, w, site);
            if (rc != GEMA_OK) return rc;
            continue;
        }
        uint64_t article[GEMA_ARTICLE_KEYS];
        if (x->pass >= 4) {
            article_keys(x, w, site, si, article);
            x->synd[i] = (unsigned char)syndicated(x, article);
            if (!x->synd[i]) continue;
            rc = syndicated_lines(x, w, site, si, article);
            if (rc != GEMA_OK) return rc;
            continue;
        }
        uint64_t art = x->pass == 3 && learned ? version_key(x, w, site) : 0;
        size_t nd;
        if (gema_lines_distinct(&w->ls, &nd) != GEMA_OK) return GEMA_ERR_NOMEM;
        const uint64_t *h = w->ls.scratch.v;
        for (size_t k = 0; k < nd; k++) {
            if (x->pass == 3 && learned && gema_pairtab_get(&x->cand, h[k], 0) &&
                gema_cms_get(&x->cms, gema_site_line_key(site, h[k])) <= VERSIONS_UPTO &&
                (gema_u64vec_push(&w->versions, h[k]) != GEMA_OK ||
                 gema_u64vec_push(&w->versions, site) != GEMA_OK ||
                 gema_u64vec_push(&w->versions, art) != GEMA_OK))
                return GEMA_ERR_NOMEM;
            if (x->pass == 2) {
                if (gema_cms_get(&x->cms, gema_site_line_key(site, h[k])) >= si->threshold &&
                    gema_pairtab_add(&w->local, h[k], 0, 1) != GEMA_OK)
                    return GEMA_ERR_NOMEM;
            } else if (gema_pairtab_get(&x->cand, h[k], 0) &&
                       gema_pairtab_add(&w->local, h[k], site, 1) != GEMA_OK) {
                return GEMA_ERR_NOMEM;
            }
        }
        if (x->pass == 2 && protect) {
            article_keys(x, w, site, si, article);
            for (int j = 0; j < GEMA_ARTICLE_KEYS; j++) {
                int again = 0;
                for (int t = 0; t < j; t++) again |= article[t] == article[j];
                if (article[j] && !again) gema_cms_add(&x->cms_shared, article[j]);
            }
        } else if (x->pass == 3 && protect && learned) {
            /* Lines of syndicated articles into the third sketch, so that
             * pass 4 keeps only removed lines another document prints with
             * the same article (most it removes are unique: datelines with
             * their time, captions): the tables stay the size of what is
             * shared, not of the corpus. */
            article_keys(x, w, site, si, article);
            if (!syndicated(x, article)) continue;
            for (size_t k = 0; k < w->ls.n; k++) {
                const gema_line *L = &w->ls.line[k];
                /* As written only: the model may yet call a line the sketch
                 * marked (a dateline form, "November 0, 0") shared. */
                if (!L->hash ||
                    gema_cms_get(&x->cms, gema_site_line_key(site, L->exact)) >= si->threshold)
                    continue;
                for (int j = 0; j < GEMA_ARTICLE_KEYS; j++)
                    if (article[j]) gema_cms_add(&x->cms_lines, gema_shared_key(article[j], L->wire));
            }
        }
    }
    atomic_fetch_add(&x->done, bytes);
    return GEMA_OK;
}

static void learn_tick(void *p)
{
    learn_ctx *x = p;
    if (x->opt->progress) x->opt->progress(x->opt->progress_user, atomic_load(&x->done), x->total);
}

static int run_pass(learn_ctx *x, int pass)
{
    x->pass = pass;
    size_t tasks = (x->n + CHUNK - 1) / CHUNK;
    return gema_parallel(x->threads, tasks, learn_task, learn_tick, x);
}

typedef struct {
    uint64_t site, text;
    size_t index;
} doc_key;

static int cmp_doc_key(const void *a, const void *b)
{
    const doc_key *p = a, *q = b;
    if (p->site != q->site) return p->site < q->site ? -1 : 1;
    if (p->text != q->text) return p->text < q->text ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

/* Sites, their distinct documents and thresholds; copies set aside. */
static int build_sites(learn_ctx *x, gema_cleaner *c)
{
    size_t m = 0;
    for (size_t i = 0; i < x->n; i++) m += x->site[i] != 0;
    x->docs = m;
    doc_key *k = gema_alloc_array(m ? m : 1, sizeof *k);
    if (!k) return GEMA_ERR_NOMEM;
    m = 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->site[i]) k[m++] = (doc_key){ x->site[i], x->text[i], i };
    qsort(k, m, sizeof *k, cmp_doc_key);
    size_t nsites = 0;
    for (size_t j = 0; j < m; j++)
        if (j == 0 || k[j].site != k[j - 1].site) nsites++;
    x->sites = gema_alloc_array(nsites ? nsites : 1, sizeof *x->sites);
    if (!x->sites) {
        free(k);
        return GEMA_ERR_NOMEM;
    }
    const gema_clean_options *o = &c->opt;
    for (size_t j = 0; j < m; j++) {
        if (j == 0 || k[j].site != k[j - 1].site) {
            x->sites[x->nsites].site = k[j].site;
            x->sites[x->nsites].docs = 0;
            x->nsites++;
        }
        if (j > 0 && k[j].site == k[j - 1].site && k[j].text == k[j - 1].text) {
            x->site[k[j].index] = 0;    /* a copy: counted once, under its first index */
            c->info.duplicates++;
            continue;
        }
        x->sites[x->nsites - 1].docs++;
    }
    free(k);
    for (size_t s = 0; s < x->nsites; s++) {
        site_info *si = &x->sites[s];
        double t = ceil(o->min_share * si->docs - 1e-9);
        si->threshold = (uint32_t)GEMA_MAX((double)o->min_repeat, t);
        si->learned = si->docs >= o->min_site_docs;
        c->info.sites_learned += (uint64_t)si->learned;
    }
    c->info.sites = x->nsites;
    return GEMA_OK;
}

/* Merge the workers' tables (and free them): local into `into`, local_exact
 * into `into_exact` when that is not NULL. */
static int merge_locals(learn_ctx *x, gema_pairtab *into, gema_pairtab *into_exact)
{
    for (unsigned t = 0; t < x->threads; t++) {
        if (gema_pairtab_merge(into, &x->w[t].local) != GEMA_OK ||
            (into_exact && gema_pairtab_merge(into_exact, &x->w[t].local_exact) != GEMA_OK))
            return GEMA_ERR_NOMEM;
        gema_pairtab_free(&x->w[t].local);
        gema_pairtab_free(&x->w[t].local_exact);
    }
    return GEMA_OK;
}

static int cmp_pair(const void *a, const void *b)
{
    const gema_pair *p = a, *q = b;
    if (p->line != q->line) return p->line < q->line ? -1 : 1;
    return p->site < q->site ? -1 : p->site > q->site;
}

/* The pairs of t sorted by line then site; *n of them.  NULL on no memory. */
static gema_pair *sorted_pairs(const gema_pairtab *t, size_t *n)
{
    gema_pair *all = gema_alloc_array(t->len ? t->len : 1, sizeof *all);
    if (!all) return NULL;
    size_t m = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].count) all[m++] = t->slot[i];
    qsort(all, m, sizeof *all, cmp_pair);
    *n = m;
    return all;
}

/* How one line stands over the sites it occurs in (all[a..b), one line). */
typedef struct {
    size_t sites;      /* sites with the line */
    size_t learned;    /* ... learned ones */
    size_t frequent;   /* ... learned ones where it reaches the threshold */
    size_t ordinary;   /* ... learned ones where it is rare beyond doubt: under the
                          threshold and in under min_share of the documents (2 of
                          a site's 23 pages is under min_repeat, but no sign of a
                          line that is not furniture) */
} spread;

/* The documents of a site that carry a line, versions of one article
 * counted once (see learn_task, pass 3). */
static uint32_t line_docs(const learn_ctx *x, const gema_pair *p)
{
    uint32_t d = gema_pairtab_get(&x->articles, p->line, p->site);
    return d ? d : p->count;
}

static spread spread_of(const learn_ctx *x, const gema_pair *all, size_t a, size_t b)
{
    spread s = { b - a, 0, 0, 0 };
    for (size_t j = a; j < b; j++) {
        const site_info *si = find_site(x, all[j].site);
        if (!si || !si->learned) continue;
        uint32_t n = line_docs(x, &all[j]);
        s.learned++;
        s.frequent += n >= si->threshold;
        s.ordinary += n < si->threshold && (double)n < x->c->opt.min_share * si->docs;
    }
    return s;
}

/* Exact counts of every repetition candidate in every site: decide. */
static int decide(learn_ctx *x, gema_cleaner *c, const gema_pairtab *exact)
{
    size_t m;
    gema_pair *all = sorted_pairs(exact, &m);
    if (!all) return GEMA_ERR_NOMEM;
    c->info.candidates = m;
    int rc = GEMA_OK;
    for (size_t a = 0; a < m && rc == GEMA_OK;) {
        size_t b = a;
        while (b < m && all[b].line == all[a].line) b++;
        spread sp = spread_of(x, all, a, b);
        /* Shared: found in enough sites, and in at least one of them as an
         * ordinary line.  A network footer repeated in each of its sites is
         * still furniture; a syndicated paragraph is not.  Only learned
         * sites testify: in a site of two pages every line looks ordinary,
         * and a spam site copying one page would otherwise shield the
         * original site's footer; and a site testifies "ordinary" only when
         * the line is rare there beyond doubt, not merely under min_repeat
         * in a small site. */
        int shared = c->opt.shared_sites && sp.learned >= c->opt.shared_sites && sp.ordinary > 0;
        /* A network's furniture (frequent in two or more learned sites and
         * ordinary in none: a platform's comment form, a group's footer) is
         * furniture too in the sites too small to learn from, and where
         * chance left it under the threshold. */
        int network = sp.frequent >= 2 && sp.ordinary == 0;
        for (size_t j = a; j < b && rc == GEMA_OK; j++) {
            const site_info *si = find_site(x, all[j].site);
            if (!si) continue;
            if (!si->learned || line_docs(x, &all[j]) < si->threshold) {
                if (network) {
                    rc = gema_pairtab_add(&c->model.furniture, all[j].line, all[j].site, all[j].count);
                    c->info.network_lines++;
                }
                continue;
            }
            if (shared) {
                c->info.shared_lines++;
                continue;
            }
            rc = gema_pairtab_add(&c->model.furniture, all[j].line, all[j].site, all[j].count);
            c->info.furniture_lines++;
        }
        a = b;
    }
    free(all);
    return rc;
}

/*
 * Lines the in-document rules remove from a syndicated article (one that
 * several documents carry, by the article keys): a line that shared_sites
 * learned sites or more print with the same article, whether their copy
 * lost it to the rules or not, travels between sites with the article (a
 * syndicated story's dateline, its closing line, a label its source
 * printed), and the rules leave it.  A line alone proves nothing: the same
 * headline is linked from many sites' "Read also" lists, the same tags recur
 * by chance.  Only learned sites testify, so a spam site copying a page
 * shields nothing.  printed holds the (key, site) pairs of pass 5.
 */
static int decide_shared(learn_ctx *x, gema_cleaner *c, const gema_pairtab *printed)
{
    size_t m;
    gema_pair *all = sorted_pairs(printed, &m);
    if (!all) return GEMA_ERR_NOMEM;
    int rc = GEMA_OK;
    for (size_t a = 0; a < m && rc == GEMA_OK;) {
        size_t b = a;
        while (b < m && all[b].line == all[a].line) b++;
        spread sp = spread_of(x, all, a, b);
        if (sp.learned >= c->opt.shared_sites) {
            rc = gema_pairtab_add(&c->model.shared, all[a].line, 0, (uint32_t)sp.learned);
            c->info.protected_lines++;
        }
        a = b;
    }
    free(all);
    return rc;
}

int gema_cleaner_learn(const gema_corpus *corpus, const gema_clean_options *opt,
                       gema_cleaner **out)
{
    if (!corpus || !out) return GEMA_ERR_ARG;
    double t0 = gema_now();
    gema_cleaner *c;
    int rc = cleaner_alloc(opt, &c);
    if (rc != GEMA_OK) return rc;
    if (!c->opt.furniture || !c->opt.repetition) {
        *out = c;
        return GEMA_OK;
    }
    learn_ctx x;
    memset(&x, 0, sizeof x);
    x.corpus = corpus;
    x.c = c;
    x.opt = opt ? opt : &c->opt;
    x.n = gema_corpus_count(corpus);
    x.threads = c->opt.threads ? c->opt.threads : 1;
    if (x.threads > 256) x.threads = 256;
    x.total = gema_corpus_bytes(corpus) * 5;
    atomic_init(&x.done, 0);
    /* The sketches get a quarter byte per input byte (about 16 bytes of
     * counters per line of 64 bytes), up to the limit asked for: a
     * sixteenth for the article keys (three a document), a quarter for the
     * lines of syndicated articles, the rest for (site, line). */
    size_t want = (size_t)GEMA_MIN(gema_corpus_bytes(corpus) / 4, (uint64_t)c->opt.sketch_bytes);
    want = GEMA_MAX(want, (size_t)1 << 16);
    int protect = c->opt.shared_sites > 0;
    x.site = gema_alloc_array(x.n ? x.n : 1, sizeof *x.site);
    x.text = gema_alloc_array(x.n ? x.n : 1, sizeof *x.text);
    x.w = gema_alloc_array(x.threads, sizeof *x.w);
    rc = (x.site && x.text && x.w) ? GEMA_OK : GEMA_ERR_NOMEM;
    if (rc == GEMA_OK) rc = gema_cms_init(&x.cms, protect ? want / 16 * 11 : want);
    if (rc == GEMA_OK && protect) rc = gema_cms_init(&x.cms_shared, want / 16);
    if (rc == GEMA_OK && protect) rc = gema_cms_init(&x.cms_lines, want / 4);
    c->info.sketch_bytes = (uint64_t)(x.cms.width + x.cms_shared.width + x.cms_lines.width) *
                           GEMA_CMS_ROWS * sizeof(uint32_t);
    for (unsigned t = 0; t < x.threads && rc == GEMA_OK && x.w; t++)
        rc = gema_reader_new(corpus, &x.w[t].reader);
    if (rc == GEMA_OK) rc = run_pass(&x, 1);
    if (rc == GEMA_OK) rc = build_sites(&x, c);
    c->info.documents = x.docs;
    if (rc == GEMA_OK && c->info.sites_learned) {
        x.done = gema_corpus_bytes(corpus);
        rc = run_pass(&x, 2);
        if (rc == GEMA_OK) rc = merge_locals(&x, &x.cand, NULL);
        x.done = gema_corpus_bytes(corpus) * 2;
        if (rc == GEMA_OK) rc = run_pass(&x, 3);
        gema_pairtab exact = { 0 };
        if (rc == GEMA_OK) rc = merge_locals(&x, &exact, NULL);
        if (rc == GEMA_OK) rc = count_versions(&x);
        if (rc == GEMA_OK) rc = decide(&x, c, &exact);
        gema_pairtab_free(&exact);
        x.done = gema_corpus_bytes(corpus) * 3;
        if (rc == GEMA_OK && protect) {
            x.synd = calloc(x.n ? x.n : 1, 1);
            rc = x.synd ? run_pass(&x, 4) : GEMA_ERR_NOMEM;
        }
        if (rc == GEMA_OK && protect) rc = merge_locals(&x, &exact, &x.removed);
        gema_pairtab_free(&exact);
        x.done = gema_corpus_bytes(corpus) * 4;
        if (rc == GEMA_OK && protect && x.removed.len) rc = run_pass(&x, 5);
        if (rc == GEMA_OK && protect) rc = merge_locals(&x, &exact, NULL);
        if (rc == GEMA_OK && protect) rc = decide_shared(&x, c, &exact);
        gema_pairtab_free(&exact);
    }
    if (rc == GEMA_OK && x.opt->progress) x.opt->progress(x.opt->progress_user, x.total, x.total);
    for (unsigned t = 0; x.w && t < x.threads; t++) {
        gema_reader_free(x.w[t].reader);
        gema_lines_free(&x.w[t].ls);
        gema_buf_free(&x.w[t].work);
        free(x.w[t].repairs);
        gema_u64vec_free(&x.w[t].keys);
        gema_u64vec_free(&x.w[t].versions);
        gema_pairtab_free(&x.w[t].local);
        gema_pairtab_free(&x.w[t].local_exact);
    }
    free(x.w);
    gema_cms_free(&x.cms);
    gema_cms_free(&x.cms_shared);
    gema_cms_free(&x.cms_lines);
    gema_pairtab_free(&x.removed);
    free(x.synd);
    gema_pairtab_free(&x.cand);
    gema_pairtab_free(&x.articles);
    free(x.site);
    free(x.text);
    free(x.sites);
    c->info.seconds = gema_now() - t0;
    if (rc != GEMA_OK) {
        gema_cleaner_free(c);
        return rc;
    }
    *out = c;
    return GEMA_OK;
}

/* ------------------------------------------------------------------------ */
/* Applying                                                                 */
/* ------------------------------------------------------------------------ */

int gema_cleaned_new(gema_cleaned **out)
{
    if (!out) return GEMA_ERR_ARG;
    *out = calloc(1, sizeof **out);
    return *out ? GEMA_OK : GEMA_ERR_NOMEM;
}

void gema_cleaned_free(gema_cleaned *r)
{
    if (!r) return;
    gema_buf_free(&r->id);
    gema_lines_free(&r->ls);
    gema_buf_free(&r->work);
    gema_buf_free(&r->out);
    free(r->repairs);
    free(r->repair_cp);
    gema_buf_free(&r->repair_text);
    free(r->repair_from);
    free(r->removed);
    free(r->runs);
    gema_buf_free(&r->record_buf);
    free(r);
}

static void reset(gema_cleaned *r)
{
    r->index = 0;
    r->reject = GEMA_REJECT_NONE;
    r->changed = 0;
    r->rewrite_failed = 0;
    gema_buf_clear(&r->id);
    r->ls.n = 0;
    gema_buf_clear(&r->work);
    gema_buf_clear(&r->out);
    r->text = "";
    r->text_len = 0;
    r->nonblank = 0;
    r->nrepairs = 0;
    gema_buf_clear(&r->repair_text);
    r->nremoved = 0;
    r->nruns = 0;
    r->record = NULL;
    r->record_len = 0;
}

static int add_run(gema_cleaned *r, size_t out, size_t work, size_t len)
{
    if (!len) return GEMA_OK;
    if (r->nruns && r->runs[r->nruns - 1].out + r->runs[r->nruns - 1].len == out &&
        r->runs[r->nruns - 1].work + r->runs[r->nruns - 1].len == work) {
        r->runs[r->nruns - 1].len += len;
        return GEMA_OK;
    }
    if (r->nruns == r->runs_cap) {
        size_t cap = r->runs_cap ? r->runs_cap * 2 : 16;
        gema_kept_run *p = gema_realloc_array(r->runs, cap, sizeof *p);
        if (!p) return GEMA_ERR_NOMEM;
        r->runs = p;
        r->runs_cap = cap;
    }
    r->runs[r->nruns++] = (gema_kept_run){ out, work, len };
    return GEMA_OK;
}

static int emit(gema_cleaned *r, const gema_line *L)
{
    size_t work = L->start, len = L->next - L->start;
    size_t out = r->out.len;
    if (gema_buf_append(&r->out, r->work.data + work, len) != GEMA_OK) return GEMA_ERR_NOMEM;
    return add_run(r, out, work, len);
}

/*
 * Write the kept lines.  Blank lines around removed ones are collapsed so
 * that removing "Bagikan:" between two paragraphs leaves one paragraph break,
 * not two: the longer of the blank run before a removed stretch and the
 * longest blank run within or after it is kept.  Blank lines before the first kept line are dropped when lines
 * were removed before it, and the text ends as the original did (with or
 * without a final newline) when lines were removed after the last kept one.
 */
static int assemble(gema_cleaned *r)
{
    gema_lines *ls = &r->ls;
    size_t before = 0;              /* blank lines before a removed stretch */
    size_t after = 0, run = 0;      /* longest run of blank lines within or after it */
    size_t bfirst = 0, afirst = 0;  /* first blank line before / after (0 = none yet) */
    int removed = 0, emitted = 0;
    for (size_t k = 0; k < ls->n; k++) {
        const gema_line *L = &ls->line[k];
        if (L->flags & GEMA_LINE_BLANK) {
            if (removed) {
                if (!afirst) afirst = k;
                run++;
                if (run > after) after = run;
            } else {
                if (!before) bfirst = k;
                before++;
            }
            continue;
        }
        if (L->reason) {
            removed = 1;
            run = 0;
            continue;
        }
        /* A kept line: write the pending blank lines first. */
        if (emitted || !removed) {
            for (size_t j = 0; j < before; j++)
                if (emit(r, &ls->line[bfirst + j]) != GEMA_OK) return GEMA_ERR_NOMEM;
            /* Blank lines after the removal may be interleaved with
             * removed lines: take the first ones found. */
            size_t want = removed && after > before ? after - before : 0;
            for (size_t j = afirst; want && j < k; j++)
                if (ls->line[j].flags & GEMA_LINE_BLANK) {
                    if (emit(r, &ls->line[j]) != GEMA_OK) return GEMA_ERR_NOMEM;
                    want--;
                }
        }
        before = after = run = afirst = 0;
        removed = 0;
        if (emit(r, L) != GEMA_OK) return GEMA_ERR_NOMEM;
        emitted = 1;
    }
    if (!removed) {
        for (size_t j = 0; j < before; j++)
            if (emit(r, &ls->line[bfirst + j]) != GEMA_OK) return GEMA_ERR_NOMEM;
        return GEMA_OK;
    }
    /* Lines were removed after the last kept line: end as the original did. */
    while (r->out.len && (r->out.data[r->out.len - 1] == '\n' || r->out.data[r->out.len - 1] == '\r'))
        r->out.len--;
    int final_nl = r->work.len && r->work.data[r->work.len - 1] == '\n';
    if (r->out.len && final_nl) r->out.data[r->out.len++] = '\n';
    r->out.data[r->out.len] = '\0';
    /* Keep the run map inside the text. */
    while (r->nruns && r->runs[r->nruns - 1].out >= r->out.len) r->nruns--;
    if (r->nruns) {
        gema_kept_run *last = &r->runs[r->nruns - 1];
        if (last->out + last->len > r->out.len) last->len = r->out.len - last->out;
    }
    return GEMA_OK;
}

/* Byte offset in the original of byte w of the work text. */
static size_t work_to_orig(const gema_cleaned *r, size_t w)
{
    size_t shift_in = 0, shift_out = 0;
    for (size_t i = 0; i < r->nrepairs; i++) {
        const gema_repair *p = &r->repairs[i];
        if (p->out_end <= w) {
            shift_in = p->end;
            shift_out = p->out_end;
            continue;
        }
        if (p->out_start < w) return p->start;
        break;
    }
    return shift_in + (w - shift_out);
}

/* Code points of s[0..to) counted on from (*pos, *cp). */
static size_t cp_at(const char *s, size_t to, size_t *pos, size_t *cp)
{
    size_t c = *cp, i = *pos;
    /* Eight bytes at a time: a continuation byte is 10xxxxxx. */
    for (; i + 8 <= to; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t cont = x & ~(x << 1) & 0x8080808080808080ULL;
        c += 8 - (size_t)(((cont >> 7) * 0x0101010101010101ULL) >> 56);
    }
    for (; i < to; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    *pos = to;
    *cp = c;
    return c;
}

static int record_positions(gema_cleaned *r, const char *orig, size_t olen)
{
    size_t pos = 0, cp = 0;
    /* Without a repair the text split is the original: split counted. */
    for (size_t k = 0; k < r->nremoved && !r->nrepairs; k++) {
        const gema_line *L = &r->ls.line[r->removed[k].line];
        r->removed[k].start = L->cp_start;
        r->removed[k].end = L->cp_end;
    }
    for (size_t k = 0; k < r->nremoved && r->nrepairs; k++) {
        const gema_line *L = &r->ls.line[r->removed[k].line];
        size_t a = GEMA_MIN(work_to_orig(r, L->start), olen);
        size_t b = GEMA_MIN(work_to_orig(r, L->end), olen);
        if (a < pos) { pos = 0; cp = 0; }
        r->removed[k].start = cp_at(orig, a, &pos, &cp);
        r->removed[k].end = cp_at(orig, b, &pos, &cp);
    }
    if (!r->nrepairs) return GEMA_OK;
    free(r->repair_cp);
    free(r->repair_from);
    r->repair_cp = gema_alloc_array(r->nrepairs * 2, sizeof *r->repair_cp);
    r->repair_from = gema_alloc_array(r->nrepairs * 2, sizeof *r->repair_from);
    if (!r->repair_cp || !r->repair_from) return GEMA_ERR_NOMEM;
    pos = cp = 0;
    for (size_t k = 0; k < r->nrepairs; k++) {
        const gema_repair *p = &r->repairs[k];
        size_t a = GEMA_MIN(p->start, olen), b = GEMA_MIN(GEMA_MAX(p->end, a), olen);
        if (a < pos) { pos = 0; cp = 0; }
        r->repair_cp[2 * k] = cp_at(orig, a, &pos, &cp);
        r->repair_cp[2 * k + 1] = cp_at(orig, b, &pos, &cp);
        r->repair_from[2 * k] = r->repair_text.len;
        r->repair_from[2 * k + 1] = r->repair_text.len + (b - a);
        size_t oa = GEMA_MIN(p->out_start, r->work.len), ob = GEMA_MIN(GEMA_MAX(p->out_end, oa), r->work.len);
        if (gema_buf_append(&r->repair_text, orig + a, b - a) != GEMA_OK ||
            gema_buf_append(&r->repair_text, r->work.data + oa, ob - oa) != GEMA_OK)
            return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
}

int gema_clean_text(const gema_cleaner *c, uint64_t site, const char *text, size_t len,
                    gema_cleaned *r)
{
    int rc = gema_clean_fix_encoding(c, text, len, &r->work, &r->repairs, &r->nrepairs);
    if (rc != GEMA_OK) return rc;
    r->text = r->work.data;
    r->text_len = r->work.len;
    if (c->opt.furniture) {
        rc = gema_lines_split(&r->ls, r->work.data, r->work.len);
        if (rc != GEMA_OK) return rc;
        if (site) gema_furniture_repeated(&c->model, site, &r->ls);
        rc = gema_furniture_rules(&r->ls, r->work.data, &c->model.shared, 1);
        if (rc != GEMA_OK) return rc;
        for (size_t k = 0; k < r->ls.n; k++) {
            const gema_line *L = &r->ls.line[k];
            if (L->flags & GEMA_LINE_BLANK) continue;
            r->nonblank++;
            if (!L->reason) continue;
            if (r->nremoved == r->removed_cap) {
                size_t cap = r->removed_cap ? r->removed_cap * 2 : 16;
                gema_removal_pos *p = gema_realloc_array(r->removed, cap, sizeof *p);
                if (!p) return GEMA_ERR_NOMEM;
                r->removed = p;
                r->removed_cap = cap;
            }
            r->removed[r->nremoved++] = (gema_removal_pos){ k, 0, 0 };
        }
        if (r->nremoved) {
            if (gema_buf_reserve(&r->out, r->work.len + 1) != GEMA_OK) return GEMA_ERR_NOMEM;
            rc = assemble(r);
            if (rc != GEMA_OK) return rc;
            r->text = r->out.data ? r->out.data : "";
            r->text_len = r->out.len;
        }
    }
    if (!r->nremoved) {
        r->nruns = 0;
        rc = add_run(r, 0, 0, r->work.len);
        if (rc != GEMA_OK) return rc;
    }
    r->changed = r->nrepairs > 0 || r->nremoved > 0;
    if (r->changed) return record_positions(r, text, len);
    return GEMA_OK;
}

int gema_cleaner_apply(const gema_cleaner *c, const gema_doc *doc, gema_cleaned *r)
{
    if (!c || !doc || !r) return GEMA_ERR_ARG;
    reset(r);
    r->index = doc->index;
    r->reject = doc->reject;
    if (doc->id && gema_buf_append(&r->id, doc->id, doc->id_len) != GEMA_OK) return GEMA_ERR_NOMEM;
    if (doc->reject != GEMA_REJECT_NONE) return GEMA_OK;
    uint64_t site = c->model.furniture.len ? gema_site_hash(doc->site, doc->site_len) : 0;
    return gema_clean_text(c, site, doc->text ? doc->text : "", doc->text ? doc->text_len : 0, r);
}

/* ------------------------------------------------------------------------ */
/* Results                                                                  */
/* ------------------------------------------------------------------------ */

const char *gema_cleaned_text(const gema_cleaned *r, size_t *len)
{
    if (len) *len = r ? r->text_len : 0;
    return r && r->text ? r->text : "";
}

int gema_cleaned_changed(const gema_cleaned *r) { return r ? r->changed : 0; }
gema_reject gema_cleaned_reject(const gema_cleaned *r) { return r ? r->reject : GEMA_REJECT_NONE; }
size_t gema_cleaned_index(const gema_cleaned *r) { return r ? r->index : 0; }
size_t gema_cleaned_lines(const gema_cleaned *r) { return r ? r->nonblank : 0; }

const char *gema_cleaned_id(const gema_cleaned *r, size_t *len)
{
    if (len) *len = r ? r->id.len : 0;
    return r && r->id.data ? r->id.data : "";
}

const char *gema_cleaned_record(const gema_cleaned *r, size_t *len)
{
    if (len) *len = r ? r->record_len : 0;
    return r ? r->record : NULL;
}

size_t gema_cleaned_removal_count(const gema_cleaned *r) { return r ? r->nremoved : 0; }

int gema_cleaned_removal(const gema_cleaned *r, size_t k, gema_clean_removal *out)
{
    if (!r || !out) return GEMA_ERR_ARG;
    if (k >= r->nremoved) return GEMA_ERR_RANGE;
    const gema_removal_pos *p = &r->removed[k];
    const gema_line *L = &r->ls.line[p->line];
    out->line = p->line + 1;
    out->start = p->start;
    out->end = p->end;
    out->reason = (gema_clean_reason)L->reason;
    out->count = L->reason == GEMA_CLEAN_REPEATED ? L->count : 0;
    out->text = r->work.data + L->start;
    out->text_len = L->end - L->start;
    return GEMA_OK;
}

size_t gema_cleaned_repair_count(const gema_cleaned *r) { return r ? r->nrepairs : 0; }

int gema_cleaned_repair(const gema_cleaned *r, size_t k, gema_clean_repair *out)
{
    if (!r || !out) return GEMA_ERR_ARG;
    if (k >= r->nrepairs) return GEMA_ERR_RANGE;
    const gema_repair *p = &r->repairs[k];
    out->start = r->repair_cp[2 * k];
    out->end = r->repair_cp[2 * k + 1];
    out->codepage = p->codepage ? p->codepage : "";
    size_t from = r->repair_from[2 * k], to = r->repair_from[2 * k + 1];
    size_t next = k + 1 < r->nrepairs ? r->repair_from[2 * k + 2] : r->repair_text.len;
    out->from = r->repair_text.data + from;
    out->from_len = to - from;
    out->to = r->repair_text.data + to;
    out->to_len = next - to;
    return GEMA_OK;
}

int gema_clean_view(const gema_cleaner *c, const gema_doc *doc, gema_cleaned *r,
                    const char **text, size_t *len)
{
    *text = doc->text;
    *len = doc->text_len;
    if (!c || doc->reject != GEMA_REJECT_NONE) return GEMA_OK;
    int rc = gema_cleaner_apply(c, doc, r);
    if (rc == GEMA_OK) *text = gema_cleaned_text(r, len);
    return rc;
}

/* The original offset of byte `offset` of the cleaned text, read in the
 * last kept run starting at or before it (as_end = 0), or in the last one
 * starting before it, which holds the byte before it (as_end = 1). */
static size_t source_of(const gema_cleaned *r, size_t offset, int as_end)
{
    if (!r || !r->nruns) return 0;
    size_t lo = 0, hi = r->nruns;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (r->runs[mid].out < offset + (size_t)!as_end) lo = mid;
        else hi = mid;
    }
    const gema_kept_run *k = &r->runs[lo];
    size_t w = k->work + GEMA_MIN(offset - GEMA_MIN(offset, k->out), k->len);
    return work_to_orig(r, w);
}

size_t gema_cleaned_source_offset(const gema_cleaned *r, size_t offset)
{
    return source_of(r, offset, 0);
}

size_t gema_cleaned_source_end(const gema_cleaned *r, size_t offset)
{
    return source_of(r, offset, offset > 0);
}
