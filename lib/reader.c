/*
 * reader.c - the read stage, second half: one record into one gema_doc.
 *
 * JSON records are read by json_fast.c's scanner, which finds the members
 * the reader needs without building a tree, and by cJSON (Debian's libcjson,
 * measured at about 840 MB/s on one core of our machines against 85 MB/s for
 * jansson, ../shared/guide/MEASURED.md) for every record the scanner refuses:
 * malformed ones, members of other types, NULs.  Both fill the same member
 * table, so what follows does not know which one read the record.  Every
 * string handed out is repaired to valid UTF-8 here, once, so no later stage
 * needs to check.
 */
#include "corpus.h"
#include "date.h"
#include "json_fast.h"
#include "utf8.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>

/* The members a record is read for, in gema_jf_member order. */
enum { M_TEXT, M_ID, M_URL, M_TITLE, M_DATE, M_SITE, M_COUNT };

/* A wanted member as either parser found it. */
typedef struct {
    const char *str;      /* decoded string, NUL-terminated; NULL when absent or not a string */
    size_t len;
    int valid;            /* str is known to be valid UTF-8 without a NUL */
    const cJSON *item;    /* cJSON's node (any type) when cJSON read the record */
} member;

struct gema_reader {
    const gema_corpus *c;
    cJSON *root;
    int no_fast;          /* tests: read every record with cJSON */
    size_t text_v0, text_v1; /* the text value's span when the scanner read the record */
    gema_buf dec[M_COUNT];   /* members decoded by the scanner's caller */
    gema_buf text, id, url, date, title, site;
    gema_buf nulfix;   /* a record with NULs rewritten (see without_nuls) */
};

int gema_reader_new(const gema_corpus *c, gema_reader **out)
{
    if (!c || !out) return GEMA_ERR_ARG;
    gema_reader *r = calloc(1, sizeof *r);
    if (!r) return GEMA_ERR_NOMEM;
    r->c = c;
    *out = r;
    return GEMA_OK;
}

void gema_reader_free(gema_reader *r)
{
    if (!r) return;
    cJSON_Delete(r->root);
    gema_buf_free(&r->text);
    gema_buf_free(&r->id);
    gema_buf_free(&r->url);
    gema_buf_free(&r->date);
    gema_buf_free(&r->title);
    gema_buf_free(&r->site);
    gema_buf_free(&r->nulfix);
    for (int k = 0; k < M_COUNT; k++) gema_buf_free(&r->dec[k]);
    free(r);
}

/* Repair s into b unless it is already valid; returns the string to use. */
static int clean_string(gema_buf *b, const char *s, size_t len, const char **out,
                        size_t *outlen, size_t *replaced)
{
    *replaced = 0;
    if (gema_utf8_valid(s, len)) {
        *out = s;
        *outlen = len;
        return GEMA_OK;
    }
    gema_buf_clear(b);
    if (gema_utf8_repair(s, len, b, replaced) != GEMA_OK) return GEMA_ERR_NOMEM;
    *out = b->data;
    *outlen = b->len;
    return GEMA_OK;
}

/* A member's string, repaired into b unless known or found valid. */
static int member_string(gema_buf *b, const member *m, const char **out, size_t *outlen,
                         size_t *replaced)
{
    if (!m->valid) return clean_string(b, m->str, m->len, out, outlen, replaced);
    *replaced = 0;
    *out = m->str;
    *outlen = m->len;
    return GEMA_OK;
}

/* A string member, repaired into b when needed; NULL when absent or not a string. */
static int string_field(const member *m, gema_buf *b, const char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (!m->str) return GEMA_OK;
    size_t replaced;
    return member_string(b, m, out, outlen, &replaced);
}

/* Lower-cased host of a URL without "www.", into b. */
static int url_host(const char *url, size_t len, gema_buf *b)
{
    const char *p = url, *end = url + len;
    const char *scheme = NULL;
    for (const char *q = p; q + 2 < end; q++) {
        if (*q == '/' || *q == '?' || *q == '#') break;
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') { scheme = q + 3; break; }
    }
    if (scheme) p = scheme;
    else if (end - p >= 2 && p[0] == '/' && p[1] == '/') p += 2;
    const char *h = p;
    while (h < end && *h != '/' && *h != '?' && *h != '#') h++;
    const char *at = memchr(p, '@', (size_t)(h - p));
    if (at) p = at + 1;
    const char *colon = memchr(p, ':', (size_t)(h - p));
    if (colon) h = colon;
    if (h - p > 4 && strncasecmp(p, "www.", 4) == 0) p += 4;
    gema_buf_clear(b);
    size_t n = (size_t)(h - p);
    if (gema_buf_reserve(b, n) != GEMA_OK) return GEMA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) b->data[i] = (char)tolower((unsigned char)p[i]);
    b->data[n] = '\0';
    b->len = n;
    return GEMA_OK;
}

/* site_m is the record's site member, NULL for plain text. */
static int set_site(gema_reader *r, const member *site_m, const gema_file *f, gema_doc *doc)
{
    const gema_corpus_options *o = &r->c->opt;
    if (o->site) {
        doc->site = o->site;
        doc->site_len = strlen(o->site);
        return GEMA_OK;
    }
    if (site_m) {
        int rc = string_field(site_m, &r->site, &doc->site, &doc->site_len);
        if (rc != GEMA_OK || doc->site) return rc;
    }
    if (doc->url && doc->url_len) {
        if (url_host(doc->url, doc->url_len, &r->site) != GEMA_OK) return GEMA_ERR_NOMEM;
        if (r->site.len) {
            doc->site = r->site.data;
            doc->site_len = r->site.len;
            return GEMA_OK;
        }
    }
    if (f->format == GEMA_FORMAT_TEXT || !site_m) {
        doc->site = f->site;
        doc->site_len = strlen(f->site);
    }
    return GEMA_OK;
}

static int synth_id(gema_reader *r, const gema_file *f, uint64_t line, gema_doc *doc)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, ":%llu", (unsigned long long)line);
    gema_buf_clear(&r->id);
    size_t replaced;
    const char *name;
    size_t nlen;
    gema_buf scratch = { 0 };
    int rc = clean_string(&scratch, f->name, strlen(f->name), &name, &nlen, &replaced);
    if (rc == GEMA_OK) rc = gema_buf_append(&r->id, name, nlen);
    if (rc == GEMA_OK) rc = gema_buf_append(&r->id, tmp, strlen(tmp));
    gema_buf_free(&scratch);
    doc->id = r->id.data;
    doc->id_len = r->id.len;
    return rc;
}

static int id_field(gema_reader *r, const member *m, const gema_file *f, uint64_t line,
                    gema_doc *doc)
{
    if (m->str) {
        size_t replaced;
        return member_string(&r->id, m, &doc->id, &doc->id_len, &replaced);
    }
    const cJSON *v = m->item;
    if (cJSON_IsNumber(v)) {
        char tmp[64];
        double d = v->valuedouble;
        if (d > -9e15 && d < 9e15 && d == (double)(long long)d) /* range first: the cast is UB outside it */
            snprintf(tmp, sizeof tmp, "%lld", (long long)d);
        else
            snprintf(tmp, sizeof tmp, "%.17g", d);
        gema_buf_clear(&r->id);
        if (gema_buf_append(&r->id, tmp, strlen(tmp)) != GEMA_OK) return GEMA_ERR_NOMEM;
        doc->id = r->id.data;
        doc->id_len = r->id.len;
        return GEMA_OK;
    }
    return synth_id(r, f, line, doc);
}

/*
 * cJSON's strings end at their first NUL, so a NUL byte or a \u0000 escape
 * inside a string would cut the text short without a word.  Such a record
 * is parsed from a copy where each becomes the byte 0xFF: cJSON passes it
 * through, and clean_string() then replaces it by U+FFFD and counts it like
 * any other invalid byte.  (Outside a string the 0xFF is as malformed as the
 * NUL was.)  Records without either are parsed in place.
 */
static int without_nuls(gema_reader *r, const char *s, size_t n, const char **out, size_t *outlen)
{
    *out = s;
    *outlen = n;
    int found = memchr(s, '\0', n) != NULL;
    for (const char *p = s, *end = s + n;
         !found && p < end && (p = memchr(p, '\\', (size_t)(end - p))); p += 2)
        found = end - p >= 6 && memcmp(p + 1, "u0000", 5) == 0;
    if (!found) return GEMA_OK;
    gema_buf *b = &r->nulfix;
    gema_buf_clear(b);
    if (gema_buf_reserve(b, n) != GEMA_OK) return GEMA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            b->data[b->len++] = '\xFF';
        } else if (s[i] == '\\' && i + 1 < n) {
            /* An escape: copy both characters, so the second backslash of
             * "\\u0000" is not read as the start of another escape. */
            if (s[i + 1] == 'u' && i + 6 <= n && memcmp(s + i + 2, "0000", 4) == 0) {
                b->data[b->len++] = '\xFF';
                i += 5;
            } else {
                b->data[b->len++] = s[i++];
                b->data[b->len++] = s[i];
            }
        } else {
            b->data[b->len++] = s[i];
        }
    }
    b->data[b->len] = '\0';
    *out = b->data;
    *outlen = b->len;
    return GEMA_OK;
}

/* The scanner's reading; GEMA_ERR_FORMAT when it refuses the record.
 * Without want_text the text member is found and its grammar checked (so
 * the record is accepted or refused exactly as with it) but not decoded. */
static int read_fast(gema_reader *r, const gema_doc *doc, member *m, int want_text)
{
    const gema_corpus_options *o = &r->c->opt;
    gema_jf_member jm[M_COUNT] = {
        [M_TEXT] = { .name = o->text_field },   [M_ID] = { .name = o->id_field },
        [M_URL] = { .name = o->url_field },     [M_TITLE] = { .name = o->title_field },
        [M_DATE] = { .name = o->date_field },   [M_SITE] = { .name = o->site ? NULL : o->site_field },
    };
    if (r->no_fast) return GEMA_ERR_FORMAT;
    for (int k = 0; k < M_COUNT; k++) {
        /* A first, empty reserve, so that an empty string reads as "". */
        if (gema_buf_reserve(&r->dec[k], 0) != GEMA_OK) return GEMA_ERR_NOMEM;
        jm[k].out = &r->dec[k];
    }
    if (!want_text) jm[M_TEXT].out = NULL;
    int rc = gema_jf_scan(doc->raw, doc->raw_len, jm, M_COUNT);
    if (rc != GEMA_OK) return rc;
    if (!jm[M_TEXT].v1) return GEMA_ERR_FORMAT; /* cJSON's path says why it is rejected */
    for (int k = 0; k < M_COUNT; k++) {
        if (!jm[k].v1) continue;
        m[k].str = r->dec[k].data;
        m[k].len = r->dec[k].len;
        m[k].valid = jm[k].ascii;
    }
    r->text_v0 = jm[M_TEXT].v0;
    r->text_v1 = jm[M_TEXT].v1;
    return GEMA_OK;
}

/* cJSON's reading, which also decides every reject of a JSON record. */
static int read_cjson(gema_reader *r, gema_doc *doc, member *m)
{
    const gema_corpus_options *o = &r->c->opt;
    const char *end = NULL, *json;
    size_t json_len;
    if (without_nuls(r, doc->raw, doc->raw_len, &json, &json_len) != GEMA_OK)
        return GEMA_ERR_NOMEM;
    cJSON *root = cJSON_ParseWithLengthOpts(json, json_len, &end, 0);
    if (!root) {
        doc->reject = GEMA_REJECT_MALFORMED_JSON;
        return GEMA_OK;
    }
    r->root = root;
    for (const char *p = end; p && p < json + json_len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            doc->reject = GEMA_REJECT_MALFORMED_JSON;
            return GEMA_OK;
        }
    }
    if (!cJSON_IsObject(root)) {
        doc->reject = GEMA_REJECT_NOT_OBJECT;
        return GEMA_OK;
    }
    const char *names[M_COUNT] = {
        [M_TEXT] = o->text_field, [M_ID] = o->id_field,     [M_URL] = o->url_field,
        [M_TITLE] = o->title_field, [M_DATE] = o->date_field, [M_SITE] = o->site_field,
    };
    for (int k = 0; k < M_COUNT; k++) {
        const cJSON *v = names[k] ? cJSON_GetObjectItemCaseSensitive(root, names[k]) : NULL;
        m[k].item = v;
        if (cJSON_IsString(v) && v->valuestring) {
            m[k].str = v->valuestring;
            m[k].len = strlen(v->valuestring);
        }
    }
    if (!m[M_TEXT].item) doc->reject = GEMA_REJECT_MISSING_TEXT;
    else if (!m[M_TEXT].str) doc->reject = GEMA_REJECT_TEXT_NOT_STRING;
    return GEMA_OK;
}

static int parse_jsonl(gema_reader *r, const gema_file *f, const gema_record *rec, gema_doc *doc,
                       int want_text)
{
    const gema_corpus_options *o = &r->c->opt;
    cJSON_Delete(r->root);
    r->root = NULL;
    member m[M_COUNT] = { { 0 } };
    int rc = read_fast(r, doc, m, want_text);
    if (rc == GEMA_ERR_FORMAT) {
        memset(m, 0, sizeof m);
        rc = read_cjson(r, doc, m);
    }
    if (rc != GEMA_OK || doc->reject != GEMA_REJECT_NONE) return rc;
    if (want_text)
        rc = member_string(&r->text, &m[M_TEXT], &doc->text, &doc->text_len, &doc->invalid_bytes);
    if (rc == GEMA_OK) rc = id_field(r, &m[M_ID], f, rec->line, doc);
    if (rc == GEMA_OK) rc = string_field(&m[M_URL], &r->url, &doc->url, &doc->url_len);
    if (rc == GEMA_OK) rc = string_field(&m[M_TITLE], &r->title, &doc->title, &doc->title_len);
    if (rc == GEMA_OK && o->date_field) {
        const cJSON *d = m[M_DATE].item;
        if (cJSON_IsNumber(d)) {
            double v = d->valuedouble;
            if (v > 1e11) v /= 1000.0; /* milliseconds */
            if (v > -1e12 && v < 1e12) doc->time = (int64_t)v;
        } else {
            rc = string_field(&m[M_DATE], &r->date, &doc->date, &doc->date_len);
            if (rc == GEMA_OK && doc->date) doc->time = gema_parse_date(doc->date, doc->date_len);
        }
    }
    if (rc == GEMA_OK) rc = set_site(r, &m[M_SITE], f, doc);
    return rc;
}

int gema_corpus_record(const gema_corpus *c, size_t index, gema_doc *doc)
{
    if (!c || !doc) return GEMA_ERR_ARG;
    if (index >= c->nrecs) return GEMA_ERR_RANGE;
    const gema_record *rec = &c->recs[index];
    const gema_file *f = &c->files[rec->file];
    memset(doc, 0, sizeof *doc);
    doc->index = index;
    doc->time = GEMA_TIME_NONE;
    doc->raw = f->data + rec->offset;
    doc->raw_len = (size_t)rec->len;
    doc->file = f->name;
    doc->line = rec->line;
    doc->offset = rec->offset;
    doc->format = f->format;
    return GEMA_OK;
}

/* gema_reader_get(), or gema_reader_get_meta() without want_text. */
static int reader_get(gema_reader *r, size_t index, gema_doc *doc, int want_text)
{
    if (!r || !doc) return GEMA_ERR_ARG;
    const gema_corpus *c = r->c;
    r->text_v0 = r->text_v1 = 0;
    int rc0 = gema_corpus_record(c, index, doc);
    if (rc0 != GEMA_OK) return rc0;
    const gema_record *rec = &c->recs[index];
    const gema_file *f = &c->files[rec->file];
    if (c->opt.max_doc_bytes && rec->len > c->opt.max_doc_bytes) {
        doc->reject = GEMA_REJECT_TOO_BIG;
        return GEMA_OK;
    }
    if (f->format == GEMA_FORMAT_JSONL) {
        int rc = parse_jsonl(r, f, rec, doc, want_text);
        if (rc != GEMA_OK || doc->reject != GEMA_REJECT_NONE) {
            if (doc->reject != GEMA_REJECT_NONE) { /* only location fields for rejects */
                gema_reject why = doc->reject;
                gema_corpus_record(c, index, doc);
                doc->reject = why;
            }
            return rc;
        }
        return GEMA_OK;
    }
    const char *text = doc->raw;
    size_t len = doc->raw_len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* An image or archive in a directory of articles is not a document:
     * NUL bytes never occur in text, and text in a legacy encoding is at
     * worst a few invalid bytes per word, not most of the file. */
    if (memchr(text, '\0', len)) {
        doc->reject = GEMA_REJECT_BINARY;
        return GEMA_OK;
    }
    /* Without want_text, valid text (nearly all of it) is only validated;
     * invalid text is repaired as usual, because the reject below counts
     * the bytes the repair replaces. */
    if (want_text || !gema_utf8_valid(text, len)) {
        int rc = clean_string(&r->text, text, len, &doc->text, &doc->text_len,
                              &doc->invalid_bytes);
        if (rc != GEMA_OK) return rc;
        if (doc->invalid_bytes > 16 && doc->invalid_bytes * 4 > len) {
            gema_reject why = GEMA_REJECT_BINARY;
            gema_corpus_record(c, index, doc);
            doc->reject = why;
            return GEMA_OK;
        }
    }
    if (!want_text) {
        doc->text = NULL;
        doc->text_len = 0;
        doc->invalid_bytes = 0;
    } else if (doc->text != r->text.data) { /* mapped text is not NUL-terminated: copy it */
        gema_buf_clear(&r->text);
        if (gema_buf_append(&r->text, doc->text, doc->text_len) != GEMA_OK) return GEMA_ERR_NOMEM;
        doc->text = r->text.data;
    }
    size_t replaced;
    int rc = clean_string(&r->id, f->rel, strlen(f->rel), &doc->id, &doc->id_len, &replaced);
    if (rc == GEMA_OK) rc = set_site(r, NULL, f, doc);
    return rc;
}

int gema_reader_get(gema_reader *r, size_t index, gema_doc *doc)
{
    return reader_get(r, index, doc, 1);
}

int gema_reader_get_meta(gema_reader *r, size_t index, gema_doc *doc)
{
    return reader_get(r, index, doc, 0);
}

int gema_reader_text_span(const gema_reader *r, size_t *v0, size_t *v1)
{
    if (!r->text_v1) return GEMA_ERR_RANGE;
    *v0 = r->text_v0;
    *v1 = r->text_v1;
    return GEMA_OK;
}

void gema_reader_use_fast(gema_reader *r, int on)
{
    r->no_fast = !on;
}
