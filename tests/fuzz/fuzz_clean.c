/*
 * fuzz_clean.c - the clean path on arbitrary bytes: read as JSONL and as
 * plain text, furniture learned over the records (with thresholds low
 * enough that a few records make a learned site), every record cleaned by
 * gema_clean_run, and the bytes cleaned as one document by
 * gema_cleaner_apply.
 *
 * Checks what callers rely on: every record comes back exactly once, in
 * order; cleaned text is valid UTF-8 without NUL and no longer than the
 * repaired text allows; removed lines are in order with code-point
 * positions inside the original text; repairs in order and inside it;
 * source offsets never go backwards and stay inside the original; a JSONL
 * record that changed is still a JSON object whose text member is the
 * cleaned text; cleaning one document by itself gives what the run gave.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"

static size_t code_points(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The invariants of one result, given the document it came from. */
static void check_result(const gema_cleaned *r, const gema_doc *d)
{
    size_t len;
    const char *t = gema_cleaned_text(r, &len);
    CHECK(t && t[len] == '\0');
    if (gema_cleaned_reject(r) != GEMA_REJECT_NONE) {
        CHECK(len == 0 && gema_cleaned_removal_count(r) == 0);
        return;
    }
    CHECK(fuzz_valid_utf8((const unsigned char *)t, len, 0));
    size_t ocp = code_points(d->text, d->text_len);
    if (!gema_cleaned_changed(r)) CHECK(len == d->text_len && memcmp(t, d->text, len) == 0);
    size_t n = gema_cleaned_removal_count(r), prev_line = 0, prev_end = 0;
    CHECK(n <= gema_cleaned_lines(r));
    for (size_t k = 0; k < n; k++) {
        gema_clean_removal m;
        CHECK(gema_cleaned_removal(r, k, &m) == GEMA_OK);
        CHECK(m.line > prev_line);
        CHECK(m.start >= prev_end && m.start <= m.end && m.end <= ocp);
        CHECK(m.reason > GEMA_CLEAN_KEPT && m.reason < GEMA_CLEAN_REASONS);
        CHECK(m.text && fuzz_valid_utf8((const unsigned char *)m.text, m.text_len, 0));
        CHECK(m.reason == GEMA_CLEAN_REPEATED ? m.count >= 1 : m.count == 0);
        prev_line = m.line;
        prev_end = m.end;
    }
    gema_clean_removal m;
    CHECK(gema_cleaned_removal(r, n, &m) == GEMA_ERR_RANGE);
    prev_end = 0;
    for (size_t k = 0; k < gema_cleaned_repair_count(r); k++) {
        gema_clean_repair p;
        CHECK(gema_cleaned_repair(r, k, &p) == GEMA_OK);
        CHECK(p.start >= prev_end && p.start < p.end && p.end <= ocp);
        CHECK(p.codepage && p.codepage[0]);
        CHECK(fuzz_valid_utf8((const unsigned char *)p.to, p.to_len, 0));
        CHECK(code_points(p.from, p.from_len) == p.end - p.start);
        prev_end = p.end;
    }
    size_t last = 0;
    for (size_t o = 0; o <= len; o += 1 + o / 8) {
        size_t s = gema_cleaned_source_offset(r, o);
        CHECK(s >= last && s <= d->text_len);
        last = s;
    }
}

typedef struct {
    const gema_corpus *corpus;
    const gema_cleaner *c;
    gema_reader *reader;
    gema_cleaned *alone;
    size_t next;
} run_ctx;

static int sink(void *user, const gema_cleaned *r)
{
    run_ctx *x = user;
    CHECK(gema_cleaned_index(r) == x->next);
    x->next++;
    gema_doc d;
    CHECK(gema_reader_get(x->reader, gema_cleaned_index(r), &d) == GEMA_OK);
    CHECK(gema_cleaned_reject(r) == d.reject);
    check_result(r, &d);
    if (d.reject != GEMA_REJECT_NONE) return 0;
    /* Cleaning the document by itself gives the same. */
    CHECK(gema_cleaner_apply(x->c, &d, x->alone) == GEMA_OK);
    size_t a, b;
    const char *ta = gema_cleaned_text(r, &a), *tb = gema_cleaned_text(x->alone, &b);
    CHECK(a == b && memcmp(ta, tb, a) == 0);
    CHECK(gema_cleaned_removal_count(r) == gema_cleaned_removal_count(x->alone));
    size_t rl;
    const char *rec = gema_cleaned_record(r, &rl);
    CHECK(rec && rl > 0 && !memchr(rec, '\n', rl));
    if (d.format == GEMA_FORMAT_JSONL && gema_cleaned_changed(r)) {
        cJSON *o = cJSON_ParseWithLength(rec, rl);
        CHECK(o && cJSON_IsObject(o));
        const cJSON *tx = cJSON_GetObjectItemCaseSensitive(o, "text");
        CHECK(cJSON_IsString(tx) && strlen(tx->valuestring) == a &&
              memcmp(tx->valuestring, ta, a) == 0);
        cJSON_Delete(o);
    }
    return 0;
}

static void run(const char *name, gema_format format, const uint8_t *data, size_t size,
                const gema_clean_options *opt)
{
    gema_corpus_options co;
    gema_corpus_options_default(&co);
    co.max_doc_bytes = 1 << 16;
    gema_corpus *c = NULL;
    CHECK(gema_corpus_new(&co, &c) == GEMA_OK);
    if (gema_corpus_add_memory(c, name, data, size, format) != GEMA_OK) {
        gema_corpus_free(c);  /* corrupt gzip or zstd: the read stage's concern */
        return;
    }
    gema_cleaner *cl = NULL;
    CHECK(gema_cleaner_learn(c, opt, &cl) == GEMA_OK);
    gema_cleaner_info info;
    gema_cleaner_info_get(cl, &info);
    CHECK(info.sites_learned <= info.sites && info.documents <= gema_corpus_count(c));
    run_ctx x = { c, cl, NULL, NULL, 0 };
    CHECK(gema_reader_new(c, &x.reader) == GEMA_OK);
    CHECK(gema_cleaned_new(&x.alone) == GEMA_OK);
    gema_clean_stats st;
    CHECK(gema_clean_run(c, cl, opt, sink, &x, &st) == GEMA_OK);
    CHECK(x.next == gema_corpus_count(c) && st.records == x.next);
    CHECK(st.documents + st.rejected == st.records && st.lines_removed <= st.lines);
    CHECK(st.unrewritten == 0);
    gema_cleaned_free(x.alone);
    gema_reader_free(x.reader);
    gema_cleaner_free(cl);
    gema_corpus_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 18)) return 0;
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    opt.min_site_docs = 2;
    opt.min_repeat = 2;
    opt.sketch_bytes = 1 << 16;
    run("fuzz.jsonl", GEMA_FORMAT_JSONL, data, size, &opt);
    opt.threads = 2;
    opt.shared_sites = 0;
    run("site/fuzz.txt", GEMA_FORMAT_TEXT, data, size, &opt);

    /* The bytes as one document's text, however broken. */
    gema_cleaner *cl = NULL;
    CHECK(gema_cleaner_new(NULL, &cl) == GEMA_OK);
    gema_cleaned *r = NULL;
    CHECK(gema_cleaned_new(&r) == GEMA_OK);
    char *fixed = NULL;
    size_t flen = 0;
    CHECK(gema_utf8_fix((const char *)data, size, &fixed, &flen) == GEMA_OK);
    gema_doc d;
    memset(&d, 0, sizeof d);
    d.text = fixed;
    d.text_len = flen;
    CHECK(gema_cleaner_apply(cl, &d, r) == GEMA_OK);
    check_result(r, &d);
    gema_free(fixed);
    gema_cleaned_free(r);
    gema_cleaner_free(cl);
    return 0;
}
