/*
 * clean_run.c - clean a whole corpus on several threads and hand the results
 * over in input order.
 *
 * Records are cleaned in batches: the workers fill one result slot per
 * record of the batch, then the calling thread passes the slots to the sink
 * in order.  Output order and content therefore never depend on the thread
 * count, and memory holds one batch of results, not the corpus's.
 */
#include "clean.h"

#include "corpus.h"
#include "pool.h"
#include "rewrite.h"

#define BATCH_PER_THREAD 64

typedef struct {
    const gema_corpus *corpus;
    const gema_cleaner *c;
    gema_reader **readers;
    gema_words *words;         /* per thread, lent to the results while they are cleaned */
    gema_cleaned **slot;
    size_t first;              /* record index of slot 0 */
    const char *text_field;
} run_ctx;

/* The output record: the JSONL line with the text value replaced, or a new
 * {"id","text"} line for plain text. */
static int build_record(const run_ctx *x, const gema_reader *rd, const gema_doc *doc,
                        gema_cleaned *r)
{
    if (doc->format == GEMA_FORMAT_JSONL) {
        if (!r->changed && doc->invalid_bytes == 0) {
            r->record = doc->raw;
            r->record_len = doc->raw_len;
            return GEMA_OK;
        }
        gema_buf_clear(&r->record_buf);
        size_t v0, v1;
        int rc;
        if (gema_reader_text_span(rd, &v0, &v1) == GEMA_OK)
            rc = gema_json_replace_span(doc->raw, doc->raw_len, v0, v1, r->text, r->text_len,
                                        &r->record_buf);
        else
            rc = gema_json_replace_string(doc->raw, doc->raw_len, x->text_field, r->text,
                                          r->text_len, &r->record_buf);
        if (rc == GEMA_ERR_NOMEM) return rc;
        if (rc != GEMA_OK) {
            /* cJSON found the member but the scanner did not: keep the
             * record as it was rather than lose it, and say so. */
            r->rewrite_failed = 1;
            r->record = doc->raw;
            r->record_len = doc->raw_len;
            return GEMA_OK;
        }
    } else {
        gema_buf_clear(&r->record_buf);
        int rc = gema_buf_append(&r->record_buf, "{\"id\":", 6);
        if (rc == GEMA_OK) rc = gema_json_escape(&r->record_buf, doc->id, doc->id_len);
        if (rc == GEMA_OK) rc = gema_buf_append(&r->record_buf, ",\"text\":", 8);
        if (rc == GEMA_OK) rc = gema_json_escape(&r->record_buf, r->text, r->text_len);
        if (rc == GEMA_OK) rc = gema_buf_putc(&r->record_buf, '}');
        if (rc != GEMA_OK) return rc;
    }
    r->record = r->record_buf.data;
    r->record_len = r->record_buf.len;
    return GEMA_OK;
}

static int run_task(void *p, size_t task, unsigned thread)
{
    run_ctx *x = p;
    gema_doc doc;
    int rc = gema_reader_get(x->readers[thread], x->first + task, &doc);
    if (rc != GEMA_OK) return rc;
    gema_cleaned *r = x->slot[task];
    r->ls.words = &x->words[thread];
    rc = gema_cleaner_apply(x->c, &doc, r);
    r->ls.words = NULL;
    if (rc != GEMA_OK || doc.reject != GEMA_REJECT_NONE) return rc;
    return build_record(x, x->readers[thread], &doc, r);
}

static void account(gema_clean_stats *s, const gema_cleaned *r, uint64_t raw_len)
{
    s->records++;
    s->bytes_in += raw_len;
    if (r->reject != GEMA_REJECT_NONE) {
        s->rejected++;
        return;
    }
    s->documents++;
    s->changed += (uint64_t)r->changed;
    s->lines += r->nonblank;
    s->lines_removed += r->nremoved;
    for (size_t k = 0; k < r->nremoved; k++) s->removed_by[r->ls.line[r->removed[k].line].reason]++;
    s->repairs += r->nrepairs;
    s->repaired_docs += r->nrepairs > 0;
    s->text_bytes_in += r->work.len; /* approximately: repair changes the length a little */
    s->text_bytes_out += r->text_len;
    s->unrewritten += (uint64_t)r->rewrite_failed;
}

int gema_clean_run(const gema_corpus *corpus, const gema_cleaner *c,
                   const gema_clean_options *opt, gema_clean_sink sink, void *user,
                   gema_clean_stats *stats)
{
    if (!corpus || !c || !sink) return GEMA_ERR_ARG;
    gema_clean_options defaults;
    if (!opt) {
        gema_clean_options_default(&defaults);
        opt = &defaults;
    }
    double t0 = gema_now();
    gema_clean_stats s;
    memset(&s, 0, sizeof s);
    unsigned threads = opt->threads ? opt->threads : 1;
    if (threads > 256) threads = 256;
    size_t n = gema_corpus_count(corpus);
    /* One thread needs no batch to share out: a record at a time keeps its
     * buffers in cache from reading to writing. */
    size_t batch = threads == 1 ? 1 : (size_t)threads * BATCH_PER_THREAD;
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.corpus = corpus;
    x.c = c;
    x.text_field = corpus->opt.text_field ? corpus->opt.text_field : "text";
    x.readers = gema_alloc_array(threads, sizeof *x.readers);
    x.slot = gema_alloc_array(batch, sizeof *x.slot);
    x.words = gema_alloc_array(threads, sizeof *x.words);
    int rc = x.readers && x.slot && x.words ? GEMA_OK : GEMA_ERR_NOMEM;
    for (unsigned t = 0; t < threads && rc == GEMA_OK; t++) rc = gema_reader_new(corpus, &x.readers[t]);
    for (size_t b = 0; b < batch && rc == GEMA_OK; b++) rc = gema_cleaned_new(&x.slot[b]);
    uint64_t done = 0, total = gema_corpus_bytes(corpus);
    for (size_t first = 0; first < n && rc == GEMA_OK; first += batch) {
        size_t m = GEMA_MIN(batch, n - first);
        x.first = first;
        rc = gema_parallel(threads, m, run_task, NULL, &x);
        for (size_t k = 0; k < m && rc == GEMA_OK; k++) {
            gema_doc rec;
            gema_corpus_record(corpus, first + k, &rec);
            account(&s, x.slot[k], rec.raw_len);
            done += rec.raw_len;
            rc = sink(user, x.slot[k]);
        }
        if (rc == GEMA_OK && opt->progress) opt->progress(opt->progress_user, done, total);
    }
    for (unsigned t = 0; x.readers && t < threads; t++) gema_reader_free(x.readers[t]);
    for (size_t b = 0; x.slot && b < batch; b++) gema_cleaned_free(x.slot[b]);
    for (unsigned t = 0; x.words && t < threads; t++) gema_words_free(&x.words[t]);
    free(x.readers);
    free(x.slot);
    free(x.words);
    s.seconds = gema_now() - t0;
    if (stats) *stats = s;
    return rc;
}
