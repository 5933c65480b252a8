/*
 * test_normalize.c - the normaliser and the tokeniser: normalised text,
 * character classes, token spans and flags, unspaced scripts, idempotence.
 *
 * Expected normal forms follow the Unicode data files (NFKC decompositions,
 * CaseFolding.txt full foldings: "ß" -> "ss", "İ" -> "i" U+0307) and the
 * rules in include/gema.h (punctuation, symbols and spaces fold to one
 * space; apostrophes inside words are dropped; unspaced scripts give one
 * token per character).
 */
#include "testutil.h"

#include "normalize.h"
#include "tokenize.h"

static void normalises_n(const char *in, size_t in_len, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(gema_normalize(in, in_len, &out, &len), GEMA_OK);
    if (strcmp(out, want) != 0) fprintf(stderr, "normalise [%s] -> [%s], want [%s]\n", in, out, want);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    /* Normalising again changes nothing. */
    char *again = NULL;
    assert_int_equal(gema_normalize(out, len, &again, NULL), GEMA_OK);
    assert_string_equal(again, want);
    gema_free(again);
    gema_free(out);
}

static void normalises(const char *in, const char *want)
{
    normalises_n(in, strlen(in), want);
}

static void test_normal_forms(void **state)
{
    (void)state;
    normalises("", "");
    normalises("   \t\n  ", "");
    normalises("Harga BBM naik, lagi di Jakarta.", "harga bbm naik lagi di jakarta");
    normalises("  leading and   trailing  ", "leading and trailing");
    /* Case folding, full foldings. */
    normalises("Stra\xC3\x9F" "e", "strasse");
    normalises("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x8A\xCE\x91 \xCF\x83\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1",
               "\xCF\x83\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1 \xCF\x83\xCE\xBF\xCF\x86\xCE\xAF\xCE\xB1");
    normalises("\xC4\xB0STANBUL", "i\xCC\x87stanbul");
    normalises("\xC3\x85NGSTR\xC3\x96M", "\xC3\xA5ngstr\xC3\xB6m");
    /* NFKC: compatibility forms and composition. */
    normalises("\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC width", "full width");
    normalises("\xEF\xAC\x81le", "file");
    normalises("e\xCC\x81t\xC3\xA9", "\xC3\xA9t\xC3\xA9");    /* e + U+0301 = é */
    normalises("\xC7\x84" "EMAL", "d\xC5\xBE" "emal");          /* U+01C4 DŽ */
    normalises("\xE2\x85\xAB", "xii");                          /* Roman numeral twelve */
    normalises("x\xC2\xB2", "x2");                               /* superscript two */
    /* Apostrophes: inside a word dropped, at its edges a separator. */
    normalises("DON'T don\xE2\x80\x99t 'quoted' dogs' Jum'at", "dont dont quoted dogs jumat");
    /* Punctuation, symbols, dashes: one space. */
    normalises("a\xE2\x80\x94" "b\xE2\x80\xA6" "c (d) [e] \"f\" \xC2\xA9 g", "a b c d e f g");
    normalises("menginjak-injak 15/12/2021 3,5% $100", "menginjak injak 15 12 2021 3 5 100");
    /* Ignorables: soft hyphen and joiners vanish inside a word. */
    normalises("soft\xC2\xAD" "hyphen x\xE2\x80\x8D" "y", "softhyphen xy");
    /* Unspaced scripts: a token per character. */
    normalises("\xE4\xB8\xAD\xE5\x9B\xBD\xE4\xBA\xBA", "\xE4\xB8\xAD \xE5\x9B\xBD \xE4\xBA\xBA");
    normalises("\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2",
               "\xE0\xB8\xA0 \xE0\xB8\xB2 \xE0\xB8\xA9 \xE0\xB8\xB2");
    normalises("abc\xE4\xB8\xAD" "def", "abc \xE4\xB8\xAD def");
    /* Combining marks stay with their letter; Thai vowel marks too. */
    normalises("\xE0\xB8\x81\xE0\xB8\xB4", "\xE0\xB8\x81\xE0\xB8\xB4");
    /* Invalid bytes become U+FFFD, a symbol: a separator. */
    normalises("a\xFF\xFE" "b", "a b");
    normalises_n("a\0b", 3, "a b");
}

static void test_classes(void **state)
{
    (void)state;
    assert_int_equal(gema_ascii_class['a'], GEMA_CC_WORD);
    assert_int_equal(gema_ascii_class['Z'], GEMA_CC_WORD);
    assert_int_equal(gema_ascii_class['7'], GEMA_CC_WORD);
    assert_int_equal(gema_ascii_class[' '], GEMA_CC_SEP);
    assert_int_equal(gema_ascii_class['-'], GEMA_CC_SEP);
    assert_int_equal(gema_ascii_class['_'], GEMA_CC_SEP);
    assert_int_equal(gema_ascii_class['\''], GEMA_CC_JOIN);
    assert_int_equal(gema_ascii_class[0], GEMA_CC_SEP);
    assert_int_equal(gema_word_lower['A'], 'a');
    assert_int_equal(gema_word_lower['z'], 'z');
    assert_int_equal(gema_word_lower['5'], '5');
    assert_int_equal(gema_word_lower['.'], 0);
    assert_int_equal(gema_word_lower[0xC3], 0);
    assert_int_equal(gema_cp_class(0xE9), GEMA_CC_WORD);     /* é */
    assert_int_equal(gema_cp_class(0x0416), GEMA_CC_WORD);   /* Ж */
    assert_int_equal(gema_cp_class(0x0661), GEMA_CC_WORD);   /* Arabic-Indic one */
    assert_int_equal(gema_cp_class(0x4E2D), GEMA_CC_UNIT);   /* 中 */
    assert_int_equal(gema_cp_class(0x3042), GEMA_CC_UNIT);   /* あ */
    assert_int_equal(gema_cp_class(0x30AB), GEMA_CC_UNIT);   /* カ */
    assert_int_equal(gema_cp_class(0x0E01), GEMA_CC_UNIT);   /* Thai ko kai */
    assert_int_equal(gema_cp_class(0x1780), GEMA_CC_UNIT);   /* Khmer ka */
    assert_int_equal(gema_cp_class(0x0301), GEMA_CC_MARK);
    assert_int_equal(gema_cp_class(0x0E34), GEMA_CC_MARK);   /* Thai sara i */
    assert_int_equal(gema_cp_class(0x00AD), GEMA_CC_IGNORE); /* soft hyphen */
    assert_int_equal(gema_cp_class(0x200D), GEMA_CC_IGNORE); /* ZWJ */
    assert_int_equal(gema_cp_class(0x2019), GEMA_CC_JOIN);   /* ’ */
    assert_int_equal(gema_cp_class(0x2014), GEMA_CC_SEP);    /* — */
    assert_int_equal(gema_cp_class(0x00A0), GEMA_CC_SEP);    /* no-break space */
    assert_int_equal(gema_cp_class(0x3000), GEMA_CC_SEP);    /* ideographic space */
    assert_int_equal(gema_cp_class(0x1F600), GEMA_CC_SEP);   /* emoji */
    assert_int_equal(gema_cp_class(0xFFFD), GEMA_CC_SEP);
    assert_true(gema_cp_isupper(0xC9));
    assert_true(gema_cp_isupper(0x01C5)); /* title case ǅ */
    assert_false(gema_cp_isupper(0xE9));
    assert_false(gema_cp_isupper(0x4E2D));
}

static void test_spans_and_flags(void **state)
{
    (void)state;
    /* "Caf\xC3\xA9 2021, DON'T \xE4\xB8\xADok" */
    const char *text = "Caf\xC3\xA9 2021, DON'T \xE4\xB8\xAD" "ok";
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, text, strlen(text), GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 5);
    /* (norm is not NUL-terminated after gema_tokenize: compare by length.) */
    const char *norm = "caf\xC3\xA9 2021 dont \xE4\xB8\xAD ok";
    assert_int_equal(t.norm.len, strlen(norm));
    assert_memory_equal(t.norm.data, norm, t.norm.len);
    const struct { uint32_t start, end, nstart, nlen; unsigned flags; } want[5] = {
        { 0, 5, 0, 5, GEMA_TOK_UPPER },
        { 6, 10, 6, 4, GEMA_TOK_NUMERIC },
        { 12, 17, 11, 4, GEMA_TOK_UPPER },
        { 18, 21, 16, 3, GEMA_TOK_UNIT },
        { 21, 23, 20, 2, 0 },
    };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(t.tok[i].start, want[i].start);
        assert_int_equal(t.tok[i].end, want[i].end);
        assert_int_equal(t.tok[i].nstart, want[i].nstart);
        assert_int_equal(t.tok[i].nlen, want[i].nlen);
        assert_int_equal(t.tok[i].flags, want[i].flags);
    }
    /* The tokeniser is reusable: a second call replaces the results. */
    assert_int_equal(gema_tokenize(&t, "one", 3, GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 1);
    assert_int_equal(t.norm.len, 3);
    assert_memory_equal(t.norm.data, "one", 3);
    gema_tokenizer_free(&t);
}

static void test_exact_duplicate_digest(void **state)
{
    (void)state;
    /* Texts equal after normalisation share a digest; others do not. */
    const char *same[] = {
        "Harga BBM naik lagi.",
        "HARGA  BBM\n\nnaik -- lagi!!",
        "\xEF\xBC\xA8" "arga bbm naik lagi",   /* fullwidth H */
        "  harga bbm naik lagi  ",
    };
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    uint64_t first[2], d[2];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(gema_tokenize(&t, same[i], strlen(same[i]), 0), GEMA_OK);
        gema_tokens_digest(&t, i ? d : first);
        if (i) assert_true(d[0] == first[0] && d[1] == first[1]);
    }
    const char *other[] = { "Harga BBM naik lagi lagi.", "Harga BBM turun lagi.", "HargaBBM naik lagi" };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        assert_int_equal(gema_tokenize(&t, other[i], strlen(other[i]), 0), GEMA_OK);
        gema_tokens_digest(&t, d);
        assert_false(d[0] == first[0] && d[1] == first[1]);
    }
    gema_tokenizer_free(&t);
}

static void test_long_token(void **state)
{
    (void)state;
    /* A token longer than 65535 bytes: nlen is capped, the text is not. */
    size_t n = 70000;
    char *s = malloc(n + 3);
    assert_non_null(s);
    memset(s, 'A', n);
    memcpy(s + n, " b", 3);
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, s, n + 2, GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.tok[0].nlen, 0xFFFF);
    assert_int_equal(t.tok[0].end, n);
    assert_int_equal(t.norm.len, n + 2);
    assert_int_equal(t.norm.data[0], 'a');
    gema_tokenizer_free(&t);
    free(s);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(gema_normalize(NULL, 3, &out, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_normalize("x", 1, NULL, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_normalize(NULL, 0, &out, NULL), GEMA_OK);
    assert_string_equal(out, "");
    gema_free(out);
}

/*
 * NFKC of one token can give text that does not tokenise back into it: "½"
 * folds to "1⁄2" (U+2044 is a separator), "㈠" to "(一)", Thai U+0E33 to a
 * mark and a letter (a unit of its own).  The token is split as its folded
 * text tokenises, so normalising twice gives what normalising once gave.
 */
static void test_nfkc_splits_tokens(void **state)
{
    (void)state;
    normalises("\xC2\xBD", "1 2");                   /* ½ -> 1⁄2 */
    normalises("\xE3\x88\xA0", "\xE4\xB8\x80");      /* ㈠ -> (一) */
    normalises("\xEF\xB7\xBA",                       /* U+FDFA: four Arabic words */
               "\xD8\xB5\xD9\x84\xD9\x89 \xD8\xA7\xD9\x84\xD9\x84\xD9\x87 "
               "\xD8\xB9\xD9\x84\xD9\x8A\xD9\x87 \xD9\x88\xD8\xB3\xD9\x84\xD9\x85");
    normalises("\xE0\xB8\x97\xE0\xB8\xB3",          /* Thai ทำ: U+0E33 -> U+0E4D U+0E32 */
               "\xE0\xB8\x97 \xE0\xB9\x8D \xE0\xB8\xB2");
    /* Idempotence, and spans: every piece spans the original token. */
    static const char *const texts[] = { "a\xC2\xBD b", "x \xEF\xB1\x9E y", "\xE3\x88\xA0\xE3\x88\xA1" };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char *once = NULL, *twice = NULL;
        assert_int_equal(gema_normalize(texts[i], strlen(texts[i]), &once, NULL), GEMA_OK);
        assert_int_equal(gema_normalize(once, strlen(once), &twice, NULL), GEMA_OK);
        assert_string_equal(once, twice);
        gema_free(once);
        gema_free(twice);
    }
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, "x \xC2\xBD", 4, GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(t.count, 3);
    assert_int_equal(t.tok[1].start, 2);
    assert_int_equal(t.tok[1].end, 4);
    assert_int_equal(t.tok[2].start, 2);
    assert_int_equal(t.tok[2].end, 4);
    assert_true(t.tok[1].flags & GEMA_TOK_NUMERIC);
    gema_tokenizer fast;
    gema_tokenizer_init(&fast);
    assert_int_equal(gema_tokenize(&fast, "x \xC2\xBD", 4, 0), GEMA_OK);
    assert_int_equal(fast.count, 3);
    assert_memory_equal(fast.hash, t.hash, 3 * sizeof *t.hash);
    gema_tokenizer_free(&fast);
    gema_tokenizer_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normal_forms),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_spans_and_flags),
        cmocka_unit_test(test_exact_duplicate_digest),
        cmocka_unit_test(test_long_token),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_nfkc_splits_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
