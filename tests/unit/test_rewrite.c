/*
 * test_rewrite.c - finding and replacing one member of a JSON object line.
 */
#include "testutil.h"

#include "rewrite.h"

#include <cjson/cJSON.h>

static void span_is(const char *line, const char *key, const char *want)
{
    size_t a, b;
    assert_int_equal(gema_json_find_member(line, strlen(line), key, &a, &b), GEMA_OK);
    assert_int_equal(b - a, strlen(want));
    assert_memory_equal(line + a, want, strlen(want));
}

static void test_find_simple(void **state)
{
    (void)state;
    span_is("{\"id\":1,\"text\":\"abc\"}", "text", "\"abc\"");
    span_is("{\"id\":1,\"text\":\"abc\"}", "id", "1");
    span_is("  { \"text\" :\t\"a b\" , \"x\": null }  ", "text", "\"a b\"");
    span_is("{\"a\":-1.5e+3,\"text\":true}", "a", "-1.5e+3");
    span_is("{\"a\":-1.5e+3,\"text\":true}", "text", "true");
}

static void test_find_skips_nested_and_strings(void **state)
{
    (void)state;
    /* A "text" inside a nested object, an array or a string value is not the
     * top-level member. */
    const char *line = "{\"meta\":{\"text\":\"no\",\"a\":[1,{\"text\":2}]},"
                       "\"title\":\"say \\\"text\\\": here\",\"list\":[\"text\",\"}\"],"
                       "\"text\":\"yes\"}";
    span_is(line, "text", "\"yes\"");
    span_is(line, "meta", "{\"text\":\"no\",\"a\":[1,{\"text\":2}]}");
    span_is(line, "list", "[\"text\",\"}\"]");
}

static void test_find_escaped_key_and_first_duplicate(void **state)
{
    (void)state;
    /* cJSON decodes member names and returns the first match: so do we. */
    span_is("{\"te\\u0078t\":\"escaped\",\"text\":\"plain\"}", "text", "\"escaped\"");
    span_is("{\"text\":\"first\",\"text\":\"second\"}", "text", "\"first\"");
    span_is("{\"caf\\u00e9\":1,\"text\":\"x\"}", "caf\xC3\xA9", "1");
    span_is("{\"\\ud83d\\ude00\":7}", "\xF0\x9F\x98\x80", "7");
    /* An escaped quote inside a name does not end it. */
    span_is("{\"a\\\"text\":1,\"text\":2}", "text", "2");
}

static void test_find_absent_and_malformed(void **state)
{
    (void)state;
    size_t a, b;
    assert_int_equal(gema_json_find_member("{\"id\":1}", 8, "text", &a, &b), GEMA_ERR_RANGE);
    assert_int_equal(gema_json_find_member("{}", 2, "text", &a, &b), GEMA_ERR_RANGE);
    assert_int_equal(gema_json_find_member("[1,2]", 5, "text", &a, &b), GEMA_ERR_FORMAT);
    assert_int_equal(gema_json_find_member("", 0, "text", &a, &b), GEMA_ERR_FORMAT);
    assert_int_equal(gema_json_find_member("{\"text\"", 7, "text", &a, &b), GEMA_ERR_FORMAT);
    assert_int_equal(gema_json_find_member("{\"text\":\"abc", 12, "text", &a, &b), GEMA_ERR_FORMAT);
    assert_int_equal(gema_json_find_member("{\"a\":{\"b\":1,\"text\":1", 20, "text", &a, &b),
                     GEMA_ERR_FORMAT);
    /* A broken escape in a name (cJSON rejects "\q" and reads a bad "\u"
     * as U+0000) makes a name that equals no key; the scan goes on. */
    span_is("{\"\\q\":1,\"text\":2}", "text", "2");
    span_is("{\"te\\u00zzxt\":1,\"text\":2}", "text", "2");
    span_is("{\"\\u\":1,\"text\":2}", "text", "2");
    /* Bytes up to 0x20 are white space to cJSON, and a byte-order mark may
     * come first. */
    span_is("\xEF\xBB\xBF{\x18\"text\"\x01:\x1F\"v\"}", "text", "\"v\"");
    span_is("{\"te\x01xt\":1,\"text\":2}", "text", "2");
    /* Escaped quotes and backslashes inside values are skipped correctly. */
    span_is("{\"a\":\"x\\\"}\",\"b\":\"y\\\\\",\"text\":1}", "text", "1");
    /* The length bounds the scan: a NUL-free prefix of a valid line. */
    const char *line = "{\"id\":1,\"text\":\"abc\"}";
    assert_int_equal(gema_json_find_member(line, 10, "text", &a, &b), GEMA_ERR_FORMAT);
}

static void test_escape_matches_writer(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    const char in[] = "a\"b\\c\n\r\t\b\f\x01\x7f\xC3\xA9/";
    assert_int_equal(gema_json_escape(&b, in, sizeof in - 1), GEMA_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f\xC3\xA9/\"");
    gema_buf_free(&b);
}

/* The escaper against a byte at a time, with the byte to escape at every
 * offset of the sixteen-byte blocks and next to another. */
static void ref_escape(const char *s, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                      : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
                      : c == '\f' ? "\\f" : NULL;
        if (e) {
            memcpy(out + o, e, 2);
            o += 2;
        } else if (c < 0x20 || c == 0x7F) {
            memcpy(out + o, "\\u00", 4);
            out[o + 4] = hex[c >> 4];
            out[o + 5] = hex[c & 15];
            o += 6;
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void test_escape_every_offset(void **state)
{
    (void)state;
    static const char special[] = "\"\\\n\r\t\b\f\x01\x1F\x7F";
    char in[48], want[48 * 6 + 3];
    for (size_t len = 0; len <= 40; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof special - 1; k++) {
                for (size_t i = 0; i < len; i++) in[i] = (char)('a' + i % 26);
                in[at] = special[k];
                if (at + 1 < len && k % 2) in[at + 1] = '"';
                if (len > 20 && k % 3 == 0) in[len - 1] = '\xC3'; /* bytes above 0x7F pass */
                ref_escape(in, len, want);
                gema_buf b = { 0 };
                assert_int_equal(gema_json_escape(&b, in, len), GEMA_OK);
                assert_int_equal(b.len, strlen(want));
                assert_string_equal(b.data, want);
                gema_buf_free(&b);
            }
        }
    }
}

static void test_replace_keeps_other_bytes(void **state)
{
    (void)state;
    const char *line = "{\"id\": 1.0,  \"text\" : \"old \\u00e9\",\"n\":1e2, \"x\":[1, 2]}";
    gema_buf b = { 0 };
    assert_int_equal(gema_json_replace_string(line, strlen(line), "text", "new\n\"q\"", 7, &b),
                     GEMA_OK);
    assert_string_equal(b.data, "{\"id\": 1.0,  \"text\" : \"new\\n\\\"q\\\"\",\"n\":1e2, \"x\":[1, 2]}");
    /* What we wrote parses back to the new text. */
    cJSON *o = cJSON_Parse(b.data);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, "new\n\"q\"");
    cJSON_Delete(o);
    gema_buf_free(&b);
    assert_int_equal(gema_json_replace_string("{\"a\":1}", 7, "text", "x", 1, &b), GEMA_ERR_RANGE);
    gema_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_simple),
        cmocka_unit_test(test_find_skips_nested_and_strings),
        cmocka_unit_test(test_find_escaped_key_and_first_duplicate),
        cmocka_unit_test(test_find_absent_and_malformed),
        cmocka_unit_test(test_escape_matches_writer),
        cmocka_unit_test(test_escape_every_offset),
        cmocka_unit_test(test_replace_keeps_other_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
