/*
 * fuzz_jsonl.c - the read stage (corpus indexing, gzip/zstd detection, JSON
 * parsing, UTF-8 repair, ids, sites, dates) on arbitrary bytes.
 *
 * The bytes are added to three corpora: as a JSONL file with the default
 * options, as a JSONL file with other field names and a small size limit,
 * and as a plain-text file.  Every record is read and every field touched.
 * Checks what later stages rely on: the library never fails on bad input
 * (it rejects records instead); records lie inside their file, in line
 * order, without their line terminator; every string handed out is
 * NUL-terminated valid UTF-8 without a NUL inside and of the length given;
 * a rejected record carries location fields only; reading the records in
 * another order with another reader gives the same documents, and so does a
 * reader that parses every record with cJSON instead of json_fast.c's
 * scanner (which refuses whatever cJSON would read otherwise); reading
 * without the text (gema_reader_get_meta) gives the same reject and fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"

#include "corpus.h" /* gema_reader_use_fast(), internal */

/* A field is absent (NULL, 0) or a proper string. */
static void check_string(const char *s, size_t len)
{
    if (!s) {
        CHECK(len == 0);
        return;
    }
    CHECK(s[len] == '\0');
    CHECK(fuzz_valid_utf8((const unsigned char *)s, len, 0));
}

static void check_doc(const gema_corpus *c, const gema_doc *d, size_t index)
{
    CHECK(d->index == index);
    CHECK(d->file && d->raw);
    CHECK(d->format == GEMA_FORMAT_JSONL || d->format == GEMA_FORMAT_TEXT);
    CHECK(d->line >= 1);
    CHECK(d->offset + d->raw_len <= gema_corpus_bytes(c));
    if (d->format == GEMA_FORMAT_JSONL) {
        CHECK(memchr(d->raw, '\n', d->raw_len) == NULL);
        /* Lines of JSON white space only are blank lines, not records. */
        size_t k = 0;
        while (k < d->raw_len && strchr(" \t\r", d->raw[k]) && d->raw[k]) k++;
        CHECK(k < d->raw_len);
    }
    gema_doc loc;
    CHECK(gema_corpus_record(c, index, &loc) == GEMA_OK);
    CHECK(loc.raw == d->raw && loc.raw_len == d->raw_len && loc.line == d->line &&
          loc.offset == d->offset && loc.file == d->file && loc.format == d->format);
    if (d->reject != GEMA_REJECT_NONE) {
        CHECK(d->reject <= GEMA_REJECT_BINARY);
        CHECK(gema_reject_name(d->reject) && gema_reject_message(d->reject));
        CHECK(!d->text && !d->id && !d->url && !d->date && !d->title && !d->site);
        CHECK(d->time == GEMA_TIME_NONE);
        return;
    }
    CHECK(d->text);
    check_string(d->text, d->text_len);
    CHECK(d->id); /* may be empty: {"id": ""} */
    check_string(d->id, d->id_len);
    check_string(d->url, d->url_len);
    check_string(d->date, d->date_len);
    check_string(d->title, d->title_len);
    check_string(d->site, d->site_len);
    CHECK(d->invalid_bytes <= d->raw_len);
    if (d->format == GEMA_FORMAT_TEXT) CHECK(d->text_len <= d->raw_len * 3);
    if (!d->date && d->format == GEMA_FORMAT_TEXT) CHECK(d->time == GEMA_TIME_NONE);
}

/* Copies of what a document holds, to compare two reads of it. */
typedef struct {
    char *text, *id, *url, *date, *title, *site;
    size_t text_len;
    int64_t time;
    int reject;
} saved_doc;

static char *dup_or_null(const char *s, size_t len)
{
    if (!s) return NULL;
    char *p = malloc(len + 1);
    CHECK(p);
    memcpy(p, s, len + 1);
    return p;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void run(const char *name, gema_format format, const gema_corpus_options *opt,
                const uint8_t *data, size_t size)
{
    gema_corpus *c = NULL;
    CHECK(gema_corpus_new(opt, &c) == GEMA_OK);
    int rc = gema_corpus_add_memory(c, name, data, size, format);
    if (rc != GEMA_OK) {
        /* Only corrupt compressed input may fail, and it says why. */
        CHECK(rc == GEMA_ERR_DECOMPRESS);
        CHECK(size >= 2 && ((data[0] == 0x1F && data[1] == 0x8B) ||
                            (size >= 4 && data[0] == 0x28 && data[1] == 0xB5)));
        CHECK(strstr(gema_corpus_errmsg(c), name) != NULL);
        CHECK(gema_corpus_count(c) == 0 && gema_corpus_file_count(c) == 0);
        gema_corpus_free(c);
        return;
    }
    CHECK(gema_corpus_file_count(c) == 1);
    CHECK(strcmp(gema_corpus_file_name(c, 0), name) == 0);
    size_t n = gema_corpus_count(c);
    gema_reader *r = NULL, *r2 = NULL, *r3 = NULL;
    CHECK(gema_reader_new(c, &r) == GEMA_OK && gema_reader_new(c, &r2) == GEMA_OK &&
          gema_reader_new(c, &r3) == GEMA_OK);
    gema_reader_use_fast(r3, 0);
    saved_doc *saved = calloc(n ? n : 1, sizeof *saved);
    CHECK(saved);
    uint64_t prev_line = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        gema_doc d;
        CHECK(gema_reader_get(r, i, &d) == GEMA_OK);
        check_doc(c, &d, i);
        CHECK(d.line > prev_line || (d.format == GEMA_FORMAT_TEXT && n == 1));
        CHECK(i == 0 || d.offset > prev_end);
        prev_line = d.line;
        prev_end = d.offset + d.raw_len;
        saved[i].text = dup_or_null(d.text, d.text_len);
        saved[i].text_len = d.text_len;
        saved[i].id = dup_or_null(d.id, d.id_len);
        saved[i].url = dup_or_null(d.url, d.url_len);
        saved[i].date = dup_or_null(d.date, d.date_len);
        saved[i].title = dup_or_null(d.title, d.title_len);
        saved[i].site = dup_or_null(d.site, d.site_len);
        saved[i].time = d.time;
        saved[i].reject = (int)d.reject;
    }
    /* The reader keeps nothing from one record to the next. */
    for (size_t i = n; i-- > 0;) {
        for (int pass = 0; pass < 2; pass++) {
            gema_doc d;
            CHECK(gema_reader_get(pass ? r3 : r2, i, &d) == GEMA_OK);
            CHECK((int)d.reject == saved[i].reject && d.time == saved[i].time);
            CHECK(same_str(d.text, saved[i].text) && d.text_len == saved[i].text_len);
            CHECK(same_str(d.id, saved[i].id) && same_str(d.url, saved[i].url));
            CHECK(same_str(d.date, saved[i].date) && same_str(d.title, saved[i].title));
            CHECK(same_str(d.site, saved[i].site));
        }
        /* Without the text: the same reject and fields, no text. */
        for (int pass = 0; pass < 2; pass++) {
            gema_doc d;
            CHECK(gema_reader_get_meta(pass ? r3 : r2, i, &d) == GEMA_OK);
            CHECK((int)d.reject == saved[i].reject && d.time == saved[i].time);
            CHECK(d.text == NULL && d.text_len == 0 && d.invalid_bytes == 0);
            CHECK(same_str(d.id, saved[i].id) && same_str(d.url, saved[i].url));
            CHECK(same_str(d.date, saved[i].date) && same_str(d.title, saved[i].title));
            CHECK(same_str(d.site, saved[i].site));
        }
        free(saved[i].text);
        free(saved[i].id);
        free(saved[i].url);
        free(saved[i].date);
        free(saved[i].title);
        free(saved[i].site);
    }
    free(saved);
    gema_doc d;
    CHECK(gema_reader_get(r, n, &d) == GEMA_ERR_RANGE);
    gema_reader_free(r);
    gema_reader_free(r2);
    gema_reader_free(r3);
    gema_corpus_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A zstd frame can announce gigabytes in a few bytes; the read stage
     * handles that by allocating, which is not what is under test here. */
    if (size > (1 << 20)) return 0;

    run("fuzz.jsonl", GEMA_FORMAT_AUTO, NULL, data, size);

    gema_corpus_options o;
    gema_corpus_options_default(&o);
    o.id_field = "n";
    o.text_field = "body";
    o.url_field = "link";
    o.date_field = "published";
    o.site_field = "source";
    o.max_doc_bytes = 200;
    run("site/fuzz.jsonl", GEMA_FORMAT_JSONL, &o, data, size);

    gema_corpus_options_default(&o);
    o.site = "one.example";
    run("dir/sub/fuzz.txt", GEMA_FORMAT_TEXT, NULL, data, size);
    run("dir/fuzz.txt", GEMA_FORMAT_TEXT, &o, data, size);
    return 0;
}
