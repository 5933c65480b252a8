/*
 * test_json_fast.c - the reader's own JSON scanner: what it accepts it reads
 * as cJSON does, and whatever it refuses goes to cJSON, so that documents
 * and rejects do not depend on which of the two read a record.
 */
#include "testutil.h"

#include "corpus.h"
#include "json_fast.h"

#include <cjson/cJSON.h>

enum { TEXT, ID, URL, NM };

typedef struct {
    gema_jf_member m[NM];
    gema_buf out[NM];
} scan;

static int do_scan(scan *x, const char *s, size_t len)
{
    memset(x->m, 0, sizeof x->m);
    x->m[TEXT].name = "text";
    x->m[ID].name = "id";
    x->m[URL].name = "url";
    for (int k = 0; k < NM; k++) {
        assert_int_equal(gema_buf_reserve(&x->out[k], 0), GEMA_OK);
        x->m[k].out = &x->out[k];
    }
    return gema_jf_scan(s, len, x->m, NM);
}

static void scan_free(scan *x)
{
    for (int k = 0; k < NM; k++) gema_buf_free(&x->out[k]);
}

/* When the scanner accepts s, cJSON (as the reader calls it) accepts it too
 * and holds the same strings: the property everything rests on. */
static int agree(const char *s, size_t len)
{
    scan x;
    memset(&x, 0, sizeof x);
    int rc = do_scan(&x, s, len);
    assert_true(rc == GEMA_OK || rc == GEMA_ERR_FORMAT);
    if (rc == GEMA_OK) {
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(s, len, &end, 0);
        assert_non_null(root);
        assert_true(cJSON_IsObject(root));
        for (const char *p = end; p < s + len; p++) assert_non_null(strchr(" \t\r\n", *p));
        for (int k = 0; k < NM; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, x.m[k].name);
            if (!x.m[k].v1) {
                assert_null(v);
                assert_int_equal(x.out[k].len, 0);
                continue;
            }
            assert_true(cJSON_IsString(v));
            assert_int_equal(strlen(v->valuestring), x.out[k].len);
            assert_memory_equal(v->valuestring, x.out[k].data, x.out[k].len);
            assert_int_equal(x.out[k].data[x.out[k].len], '\0');
            assert_int_equal(s[x.m[k].v0], '"');
            assert_int_equal(s[x.m[k].v1 - 1], '"');
            /* Decoding again from the span gives the same string. */
            gema_buf again = { 0 };
            assert_int_equal(gema_jf_decode(s, &x.m[k], &again), GEMA_OK);
            assert_int_equal(again.len, x.out[k].len);
            assert_memory_equal(again.data, x.out[k].data, again.len);
            gema_buf_free(&again);
        }
        cJSON_Delete(root);
    }
    scan_free(&x);
    return rc == GEMA_OK;
}

static void accepted(const char *s)
{
    assert_true(agree(s, strlen(s)));
}

static void refused(const char *s)
{
    scan x;
    memset(&x, 0, sizeof x);
    assert_int_equal(do_scan(&x, s, strlen(s)), GEMA_ERR_FORMAT);
    scan_free(&x);
}

/* The text member of s as the scanner decodes it. */
static void text_is(const char *s, const char *want, int escaped, int ascii)
{
    scan x;
    memset(&x, 0, sizeof x);
    assert_int_equal(do_scan(&x, s, strlen(s)), GEMA_OK);
    assert_true(x.m[TEXT].v1 > 0);
    assert_int_equal(x.out[TEXT].len, strlen(want));
    assert_string_equal(x.out[TEXT].data, want);
    assert_int_equal(x.m[TEXT].escaped, escaped);
    assert_int_equal(x.m[TEXT].ascii, ascii);
    scan_free(&x);
    accepted(s);
}

static void test_plain(void **state)
{
    (void)state;
    text_is("{\"id\":\"a\",\"text\":\"hello\"}", "hello", 0, 1);
    text_is("{\"text\":\"\"}", "", 0, 1);
    text_is("{\"text\":\"caf\xC3\xA9\"}", "caf\xC3\xA9", 0, 0);
    /* Long enough for the sixteen-byte blocks, with the quote at each offset. */
    char rec[160], want[64];
    for (size_t n = 0; n < 40; n++) {
        memset(want, 'x', n);
        want[n] = '\0';
        snprintf(rec, sizeof rec, "{\"text\":\"%s\",\"id\":\"%s\"}", want, want);
        text_is(rec, want, 0, 1);
    }
}

static void test_escapes(void **state)
{
    (void)state;
    text_is("{\"text\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "\"\\/\b\f\n\r\t", 1, 1);
    text_is("{\"text\":\"caf\\u00e9 caf\\u00E9\"}", "caf\xC3\xA9 caf\xC3\xA9", 1, 1);
    text_is("{\"text\":\"\\u20ac\\u0041\"}", "\xE2\x82\xAC" "A", 1, 1);
    /* A surrogate pair is one code point. */
    text_is("{\"text\":\"a\\ud83d\\ude00b\"}", "a\xF0\x9F\x98\x80" "b", 1, 1);
    text_is("{\"text\":\"\\uD83D\\uDE00\"}", "\xF0\x9F\x98\x80", 1, 1);
    /* An escaped quote does not end the string; an escaped backslash does not
     * escape the quote after it. */
    text_is("{\"text\":\"a\\\"b\\\\\",\"id\":\"c\"}", "a\"b\\", 1, 1);
    /* cJSON fails these: so must we. */
    refused("{\"text\":\"\\x41\"}");
    refused("{\"text\":\"\\'\"}");
    refused("{\"text\":\"\\udc00\"}");          /* lone low half */
    refused("{\"text\":\"\\ud800\"}");          /* high half alone */
    refused("{\"text\":\"\\ud800x\"}");
    refused("{\"text\":\"\\ud800\\u0041\"}");   /* high half, no low half */
    refused("{\"text\":\"\\ud800\\n\"}");
    refused("{\"text\":\"\\u12\"}");            /* truncated */
    refused("{\"text\":\"abc\\\"}");            /* the escape eats the closing quote */
    /* cJSON reads these differently from JSON (bad hex is U+0000 to it, and
     * its strings end at a NUL): cJSON decides. */
    refused("{\"text\":\"\\u12G4\"}");
    refused("{\"text\":\"a\\u0000b\"}");
    refused("{\"id\":\"a\\u0000\",\"text\":\"b\"}");
    /* Also in members nobody asked for. */
    refused("{\"x\":\"\\q\",\"text\":\"b\"}");
    refused("{\"x\":[\"\\udc00\"],\"text\":\"b\"}");
}

static void test_whitespace(void **state)
{
    (void)state;
    text_is("  {\t\"text\" :\r \"a\" ,\"id\"\n:\"b\"}  \r\n", "a", 0, 1);
    text_is("\xEF\xBB\xBF{\"text\":\"a\"}", "a", 0, 1);
    text_is("{ \"text\" : \"a\" , \"x\" : [ 1 , { } , [ ] ] }", "a", 0, 1);
    /* cJSON skips every byte up to 0x20 between tokens... */
    text_is("{\x01\"text\"\x1F:\x0B\"a\"}", "a", 0, 1);
    /* ... but the reader allows only these four after the object. */
    refused("{\"text\":\"a\"}\x01");
    refused("{\"text\":\"a\"} x");
    refused("{\"text\":\"a\"}{}");
    /* Raw control bytes inside a string are cJSON's to take, and ours. */
    text_is("{\"text\":\"a\tb\x01" "c\"}", "a\tb\x01" "c", 0, 1);
}

static void test_nested_and_other_values(void **state)
{
    (void)state;
    const char *line = "{\"meta\":{\"text\":\"no\",\"a\":[1,{\"text\":2}],\"b\":[]},"
                       "\"x\":[true,false,null,-1.5e+3,0,0.25,1E9],"
                       "\"title\":\"say \\\"text\\\": here\",\"list\":[\"text\",\"}\"],"
                       "\"text\":\"yes\",\"n\":-0}";
    text_is(line, "yes", 0, 1);
    accepted("{\"text\":\"a\",\"deep\":[[[[[[[[[[{\"a\":[{}]}]]]]]]]]]]}");
    /* Nesting beyond the scanner's limit goes to cJSON. */
    char deep[2 * GEMA_JF_MAX_DEPTH + 64];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"text\":\"a\",\"d\":");
    for (int k = 0; k < GEMA_JF_MAX_DEPTH; k++) deep[n++] = '[';
    for (int k = 0; k < GEMA_JF_MAX_DEPTH; k++) deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    refused(deep);
    /* Numbers cJSON reads otherwise, or not whole, and bad literals. */
    refused("{\"text\":\"a\",\"n\":01}");
    refused("{\"text\":\"a\",\"n\":1.}");
    refused("{\"text\":\"a\",\"n\":.5}");
    refused("{\"text\":\"a\",\"n\":+1}");
    refused("{\"text\":\"a\",\"n\":-}");
    refused("{\"text\":\"a\",\"n\":1e}");
    refused("{\"text\":\"a\",\"n\":1-2}");
    refused("{\"text\":\"a\",\"n\":0x10}");
    refused("{\"text\":\"a\",\"n\":tru}");
    refused("{\"text\":\"a\",\"n\":nulls}");
    refused("{\"text\":\"a\",\"n\":NaN}");
    char big[128];
    snprintf(big, sizeof big, "{\"text\":\"a\",\"n\":%s}",
             "1234567890123456789012345678901234567890123456789012345678901234");
    refused(big);
    snprintf(big, sizeof big, "{\"text\":\"a\",\"n\":%s}",
             "123456789012345678901234567890123456789012345678901234567890123");
    accepted(big);
    /* Grammar. */
    refused("{\"text\":\"a\",}");
    refused("{\"text\":\"a\",\"x\":[1,]}");
    refused("{\"text\" \"a\"}");
    refused("{\"text\":\"a\" \"id\":\"b\"}");
    refused("{text:\"a\"}");
    refused("{'text':'a'}");
    refused("[\"text\"]");
    refused("\"text\"");
    refused("");
    refused("   ");
}

static void test_members(void **state)
{
    (void)state;
    scan x;
    memset(&x, 0, sizeof x);
    /* Absent members: accepted, nothing found, nothing decoded. */
    assert_int_equal(do_scan(&x, "{\"id\":\"a\"}", 10), GEMA_OK);
    assert_int_equal(x.m[TEXT].v1, 0);
    assert_int_equal(x.m[URL].v1, 0);
    assert_string_equal(x.out[ID].data, "a");
    accepted("{}");
    /* A wanted member of another type: cJSON's business. */
    refused("{\"id\":1,\"text\":\"x\"}");
    refused("{\"text\":5}");
    refused("{\"text\":null}");
    refused("{\"text\":[\"a\"]}");
    refused("{\"url\":{},\"text\":\"a\"}");
    /* ... but any type is fine where nobody asks. */
    accepted("{\"n\":1,\"o\":{\"id\":1},\"text\":\"x\"}");
    /* Duplicates: the first one counts, as with cJSON_GetObjectItemCaseSensitive. */
    text_is("{\"text\":\"first\",\"text\":\"second\"}", "first", 0, 1);
    text_is("{\"text\":\"first\",\"text\":2}", "first", 0, 1);
    refused("{\"text\":2,\"text\":\"second\"}");
    /* Names compare as bytes, case and all. */
    text_is("{\"Text\":\"no\",\"texts\":\"no\",\"tex\":\"no\",\"text\":\"yes\"}", "yes", 0, 1);
    /* Escaped names are decoded by cJSON ("te\u0078t" is "text"): refused. */
    refused("{\"te\\u0078t\":\"a\"}");
    refused("{\"a\\\"b\":1,\"text\":\"a\"}");
    /* The same name asked for twice. */
    gema_buf b1 = { 0 }, b2 = { 0 };
    gema_jf_member m[2] = { { .name = "url", .out = &b1 }, { .name = "url", .out = &b2 } };
    const char *rec = "{\"url\":\"http:\\/\\/a.b\\/\"}";
    assert_int_equal(gema_jf_scan(rec, strlen(rec), m, 2), GEMA_OK);
    assert_string_equal(b1.data, "http://a.b/");
    assert_string_equal(b2.data, "http://a.b/");
    assert_int_equal(m[0].v0, m[1].v0);
    assert_int_equal(m[0].v1, m[1].v1);
    gema_buf_free(&b1);
    gema_buf_free(&b2);
    /* Without an out buffer only the span is noted. */
    gema_jf_member only = { .name = "text" };
    assert_int_equal(gema_jf_scan("{\"text\":\"ab\"}", 13, &only, 1), GEMA_OK);
    assert_int_equal(only.v0, 8);
    assert_int_equal(only.v1, 12);
    scan_free(&x);
}

static void test_truncated_and_nul(void **state)
{
    (void)state;
    const char *rec = "{\"id\":\"a\\u00e9\",\"x\":[1,{\"y\":null}],\"text\":\"l1\\nl2 \\ud83d\\ude00\"}";
    size_t len = strlen(rec);
    /* No prefix of a record is accepted... */
    for (size_t n = 0; n < len; n++) {
        char *p = malloc(n ? n : 1); /* exactly n bytes: reading past them is an error under ASan */
        assert_non_null(p);
        memcpy(p, rec, n);
        scan x;
        memset(&x, 0, sizeof x);
        assert_int_equal(do_scan(&x, p, n), GEMA_ERR_FORMAT);
        scan_free(&x);
        free(p);
    }
    accepted(rec);
    /* ... and a NUL byte anywhere sends the record to cJSON (whose strings
     * end there: the reader turns NULs into U+FFFD on that path). */
    char buf[128];
    for (size_t at = 0; at < len; at++) {
        memcpy(buf, rec, len);
        buf[at] = '\0';
        scan x;
        memset(&x, 0, sizeof x);
        assert_int_equal(do_scan(&x, buf, len), GEMA_ERR_FORMAT);
        scan_free(&x);
    }
}

/* Records mutated at random, byte by byte: whatever is accepted agrees with
 * cJSON.  (The fuzz target does the same through the whole reader.) */
static void test_mutations_agree_with_cjson(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "{\"id\":\"a\\u00e9\",\"x\":[1,-2.5e3,{\"y\":null,\"z\":true}],\"text\":\"l1\\nl2 \\ud83d\\ude00 \\\"q\\\"\"}",
        "{\"text\":\"plain words here\",\"url\":\"http://x.example/a\",\"id\":\"7\"}",
        " {\"url\" : \"\\/\\/a\" , \"text\" : \"\\t\\r\\b\\f\\\\\" } ",
    };
    static const char alphabet[] = "{}[]\":,\\u0123456789abcdefDEnrtlx .-+eE\x01\xC3\xA9\x80";
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    size_t accepted_n = 0;
    char buf[256];
    for (int round = 0; round < 30000; round++) {
        const char *src = seeds[round % 3];
        size_t len = strlen(src);
        memcpy(buf, src, len);
        int edits = 1 + round % 3;
        for (int e = 0; e < edits; e++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            size_t at = (size_t)(seed % len);
            char c = alphabet[(seed >> 32) % (sizeof alphabet - 1)];
            switch ((seed >> 48) % 3) {
            case 0: buf[at] = c; break;                                        /* replace */
            case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break; /* delete */
            default:                                                           /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = c;
                    len++;
                }
            }
        }
        char *exact = malloc(len ? len : 1);
        assert_non_null(exact);
        memcpy(exact, buf, len);
        accepted_n += (size_t)agree(exact, len);
        free(exact);
    }
    /* Most mutations break the record; enough survive to mean something. */
    assert_true(accepted_n > 1000);
}

/* The reader gives the same documents and the same rejects with the
 * scanner as with cJSON alone. */
static void test_reader_same_with_and_without(void **state)
{
    (void)state;
    static const char data[] =
        "{\"id\":\"a\",\"text\":\"one\\ntwo\",\"url\":\"https://www.Example.com/x\",\"date\":\"2021-12-15\"}\n"
        "{\"id\":12,\"text\":\"numeric id\",\"date\":1639526400}\n"
        "{\"id\":1.5,\"text\":\"fraction id\"}\n"
        "{\"text\":\"no id\",\"title\":\"T\\u00edtulo\"}\n"
        "{\"id\":\"b\",\"text\":\"nul \\u0000 inside\"}\n"
        "{\"id\":\"c\",\"text\":\"raw nul \0 inside\"}\n"
        "{\"id\":\"d\",\"text\":\"bad \xFF byte\"}\n"
        "{\"id\":\"e\",\"text\":5}\n"
        "{\"id\":\"f\"}\n"
        "[1,2]\n"
        "{\"id\":\"g\",\"text\":\"unterminated}\n"
        "{\"id\":\"h\",\"text\":\"bad \\x escape\"}\n"
        "{\"id\":\"i\",\"text\":\"trailing\"} x\n"
        "{\"te\\u0078t\":\"escaped name\",\"id\":\"j\"}\n"
        "{\"id\":\"k\",\"text\":\"first\",\"text\":\"second\",\"site\":\"S\"}\n"
        "{\"id\":\"l\",\"text\":\"lone \\udc00 half\"}\n"
        "{\"id\":\"m\",\"text\":\"bad hex \\u00G0 here\"}\n"
        "\xEF\xBB\xBF{\"id\":\"n\",\"text\":\"bom\"}\n"
        "{\"id\":\"o\",\"text\":\"x\",\"url\":7}\n";
    gema_corpus_options o;
    gema_corpus_options_default(&o);
    o.site_field = "site";
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(&o, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", data, sizeof data - 1, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    gema_reader *fast = NULL, *slow = NULL;
    assert_int_equal(gema_reader_new(c, &fast), GEMA_OK);
    assert_int_equal(gema_reader_new(c, &slow), GEMA_OK);
    gema_reader_use_fast(slow, 0);
    size_t n = gema_corpus_count(c), spans = 0, rejects = 0;
    assert_int_equal(n, 19);
    for (size_t i = 0; i < n; i++) {
        gema_doc a, b;
        assert_int_equal(gema_reader_get(fast, i, &a), GEMA_OK);
        size_t v0, v1;
        if (gema_reader_text_span(fast, &v0, &v1) == GEMA_OK) {
            spans++;
            assert_int_equal(a.raw[v0], '"');
            assert_int_equal(a.raw[v1 - 1], '"');
        }
        assert_int_equal(gema_reader_get(slow, i, &b), GEMA_OK);
        assert_int_equal(gema_reader_text_span(slow, &v0, &v1), GEMA_ERR_RANGE);
        assert_int_equal(a.reject, b.reject);
        rejects += a.reject != GEMA_REJECT_NONE;
        assert_int_equal(a.invalid_bytes, b.invalid_bytes);
        assert_true(a.time == b.time);
        const char *fa[] = { a.text, a.id, a.url, a.date, a.title, a.site };
        const char *fb[] = { b.text, b.id, b.url, b.date, b.title, b.site };
        size_t la[] = { a.text_len, a.id_len, a.url_len, a.date_len, a.title_len, a.site_len };
        size_t lb[] = { b.text_len, b.id_len, b.url_len, b.date_len, b.title_len, b.site_len };
        for (int k = 0; k < 6; k++) {
            assert_true((fa[k] == NULL) == (fb[k] == NULL));
            assert_int_equal(la[k], lb[k]);
            if (fa[k]) assert_memory_equal(fa[k], fb[k], la[k]);
        }
    }
    /* The scanner read the usual records; cJSON the rest. */
    assert_int_equal(spans, 5);
    assert_int_equal(rejects, 7);
    gema_reader_free(fast);
    gema_reader_free(slow);
    gema_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_nested_and_other_values),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_truncated_and_nul),
        cmocka_unit_test(test_mutations_agree_with_cjson),
        cmocka_unit_test(test_reader_same_with_and_without),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
