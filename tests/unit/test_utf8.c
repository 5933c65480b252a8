/*
 * test_utf8.c - validation, repair (one U+FFFD per maximal subpart, as the
 * Unicode standard recommends: Unicode 15, section 3.9, "U+FFFD Substitution
 * of Maximal Subparts", Table 3-8), decoding, encoding and counting.
 */
#include "testutil.h"

#include "utf8.h"

#define FFFD "\xEF\xBF\xBD"

static void repaired(const char *in, size_t len, const char *want, size_t want_replaced)
{
    gema_buf b = { 0 };
    size_t replaced = 99;
    assert_int_equal(gema_utf8_repair(in, len, &b, &replaced), GEMA_OK);
    if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0)
        fprintf(stderr, "repair gave [%.*s], want [%s]\n", (int)b.len, b.data, want);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(replaced, want_replaced);
    assert_true(gema_utf8_valid(b.data, b.len));
    gema_buf_free(&b);
}

static void test_valid(void **state)
{
    (void)state;
    const char *good[] = {
        "", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
        "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "0123456789abcdef\xC3\xA9" "0123456789abcdef",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(gema_utf8_valid(good[i], strlen(good[i])));
    const char *bad[] = {
        "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xC2", "\xC2\x41", "\xE0\x80\x80",
        "\xE0\x9F\xBF",     /* overlong */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xED\xBF\xBF",     /* surrogate U+DFFF */
        "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF", /* overlong */
        "\xF4\x90\x80\x80", /* U+110000 */
        "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFE", "\xFF",
        "\xE2\x82", "\xF0\x9F\x98", /* truncated */
        "abcdefgh\xFFijklmnop",       /* inside an 8-byte ASCII block */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(gema_utf8_valid(bad[i], strlen(bad[i])));
    /* A NUL is not accepted either: no later stage has to expect one. */
    assert_false(gema_utf8_valid("a\0b", 3));
    assert_false(gema_utf8_valid("abcdefghijklmn\0p", 16));
    /* Length is respected: a truncated view is judged on its own. */
    assert_false(gema_utf8_valid("\xC3\xA9", 1));
    assert_true(gema_utf8_valid("\xC3\xA9zz", 2));
}

static void test_repair_maximal_subparts(void **state)
{
    (void)state;
    repaired("", 0, "", 0);
    repaired("ok", 2, "ok", 0);
    repaired("a\xFF" "b", 3, "a" FFFD "b", 1);
    /* Table 3-8 of the standard: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
     * gives a FFFD FFFD FFFD b FFFD c FFFD FFFD d. */
    repaired("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13,
             "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d", 9);
    /* A truncated sequence at the end is one subpart. */
    repaired("x\xE2\x82", 3, "x" FFFD, 2);
    repaired("x\xF0\x9F\x98", 4, "x" FFFD, 3);
    /* A lead byte whose second byte is out of its range stands alone. */
    repaired("\xE0\x80\x80", 3, FFFD FFFD FFFD, 3);
    repaired("\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);
    repaired("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4);
    repaired("\xC0\xAF", 2, FFFD FFFD, 2);
    /* NUL becomes U+FFFD and is counted. */
    repaired("a\0b", 3, "a" FFFD "b", 1);
    /* Valid multi-byte text around bad bytes is kept. */
    repaired("caf\xC3\xA9\xFF\xE2\x82\xAC", 9, "caf\xC3\xA9" FFFD "\xE2\x82\xAC", 1);
    /* Appends to what the buffer holds. */
    gema_buf b = { 0 };
    size_t n;
    assert_int_equal(gema_buf_append(&b, "pre:", 4), GEMA_OK);
    assert_int_equal(gema_utf8_repair("\xFF", 1, &b, &n), GEMA_OK);
    assert_string_equal(b.data, "pre:" FFFD);
    gema_buf_free(&b);
    /* replaced may be NULL. */
    assert_int_equal(gema_utf8_repair("\xFF", 1, &b, NULL), GEMA_OK);
    gema_buf_free(&b);
}

static void test_public_fix(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 99;
    assert_int_equal(gema_utf8_fix("a\xFF\0z", 4, &out, &len), GEMA_OK);
    assert_int_equal(len, 8);
    assert_memory_equal(out, "a" FFFD FFFD "z", 9); /* NUL-terminated */
    gema_free(out);
    /* Empty input: an empty, terminated string (was unterminated before). */
    out = NULL;
    assert_int_equal(gema_utf8_fix("", 0, &out, &len), GEMA_OK);
    assert_non_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(out[0], '\0');
    gema_free(out);
    assert_int_equal(gema_utf8_fix(NULL, 0, &out, NULL), GEMA_OK);
    assert_int_equal(out[0], '\0');
    gema_free(out);
    assert_int_equal(gema_utf8_fix(NULL, 3, &out, &len), GEMA_ERR_ARG);
    assert_int_equal(gema_utf8_fix("x", 1, NULL, &len), GEMA_ERR_ARG);
}

static void test_decode_encode(void **state)
{
    (void)state;
    const int32_t cps[] = { 0, 'A', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0xD7FF, 0xE000,
                            0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
    const size_t lens[] = { 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4 };
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        size_t n = gema_utf8_encode(cps[i], buf);
        assert_int_equal(n, lens[i]);
        int32_t back = -1;
        assert_int_equal(gema_utf8_decode((const unsigned char *)buf, n, &back), n);
        assert_int_equal(back, cps[i]);
        if (cps[i]) assert_true(gema_utf8_valid(buf, n));
    }
    /* Known encodings. */
    char buf[4];
    assert_int_equal(gema_utf8_encode(0x20AC, buf), 3);
    assert_memory_equal(buf, "\xE2\x82\xAC", 3);
    assert_int_equal(gema_utf8_encode(0x1F600, buf), 4);
    assert_memory_equal(buf, "\xF0\x9F\x98\x80", 4);
    /* Invalid input decodes as U+FFFD, one byte at a time. */
    int32_t cp;
    assert_int_equal(gema_utf8_decode((const unsigned char *)"\xFF", 1, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(gema_utf8_decode((const unsigned char *)"\xE2\x82", 2, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(gema_utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, 0xFFFD);
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(gema_utf8_count("", 0), 0);
    assert_int_equal(gema_utf8_count("abc", 3), 3);
    assert_int_equal(gema_utf8_count("caf\xC3\xA9", 5), 4);
    assert_int_equal(gema_utf8_count("\xE4\xB8\xAD\xF0\x9F\x98\x80", 7), 2);
    /* Every code point of the BMP and beyond, in one string. */
    gema_buf b = { 0 };
    size_t n = 0;
    for (int32_t c = 1; c <= 0x10FFFF; c += 97) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        char tmp[4];
        size_t k = gema_utf8_encode(c, tmp);
        assert_int_equal(gema_buf_append(&b, tmp, k), GEMA_OK);
        n++;
    }
    assert_true(gema_utf8_valid(b.data, b.len));
    assert_int_equal(gema_utf8_count(b.data, b.len), n);
    gema_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_repair_maximal_subparts),
        cmocka_unit_test(test_public_fix),
        cmocka_unit_test(test_decode_encode),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
