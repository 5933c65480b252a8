/*
 * test_tokenize.c - the block path (hashes only) and the general path (spans
 * and normalised text) must give the same tokens for any text.
 */
#include "testutil.h"

#include "tokenize.h"
#include "utf8.h"

/* Pieces chosen to hit every boundary the block path hands over at:
 * apostrophes inside and around words, accented letters inside ASCII words,
 * unspaced scripts, marks, ignorables, long words across 64-byte blocks. */
static const char *const pieces[] = {
    "the", "The", "DON'T", "don't", "'quoted'", "dogs'", "Jum'at", "caf\xC3\xA9", "Stra\xC3\x9F" "e",
    "e\xCC\x81", "\xE4\xB8\xAD\xE5\x9B\xBD", "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2",
    "soft\xC2\xAD" "hyphen", "x\xE2\x80\x99s", "2021", "15/12", "menginjak-injak", ",", ".", " ",
    "  ", "\n", "\t", "(", ")", "\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xEF\xBC\xA6\xEF\xBD\x95ll",
    "supercalifragilisticexpialidocioussupercalifragilisticexpialidocious", "A", "z", "9", "'",
    "\xC2\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xD0\x9F\xD1\x80\xD0\xB8", "x'", "'x",
};

static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)rng;
}

static void check_same(const char *text, size_t len)
{
    gema_tokenizer a, b;
    gema_tokenizer_init(&a);
    gema_tokenizer_init(&b);
    assert_int_equal(gema_tokenize(&a, text, len, 0), GEMA_OK);
    assert_int_equal(gema_tokenize(&b, text, len, GEMA_TOKENIZE_SPANS), GEMA_OK);
    if (a.count != b.count) fprintf(stderr, "text: [%.*s]\n", (int)len, text);
    assert_int_equal(a.count, b.count);
    for (size_t i = 0; i < a.count; i++) {
        if (a.hash[i] != b.hash[i])
            fprintf(stderr, "token %zu differs in [%.*s]: %.*s\n", i, (int)len, text,
                    (int)b.tok[i].nlen, b.norm.data + b.tok[i].nstart);
        assert_true(a.hash[i] == b.hash[i]);
    }
    uint64_t da[2], db[2];
    gema_tokens_digest(&a, da);
    gema_tokens_digest(&b, db);
    assert_true(da[0] == db[0] && da[1] == db[1]);
    gema_tokenizer_free(&a);
    gema_tokenizer_free(&b);
}

static void test_paths_agree_on_random_texts(void **state)
{
    (void)state;
    char buf[4096];
    size_t np = sizeof pieces / sizeof pieces[0];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0, want = next_rand() % 600;
        while (len < want) {
            const char *p = pieces[next_rand() % np];
            size_t n = strlen(p);
            if (len + n + 1 >= sizeof buf) break;
            memcpy(buf + len, p, n);
            len += n;
            if (next_rand() % 3) buf[len++] = ' ';
        }
        check_same(buf, len);
    }
}

static void test_block_boundaries(void **state)
{
    (void)state;
    /* A word straddling each position around the 64-byte block edge, with an
     * accented letter or apostrophe at or just after the edge. */
    char buf[256];
    const char *tails[] = { "\xC3\xA9t\xC3\xA9", "'s", "s'", "abc", "\xE4\xB8\xAD" };
    for (size_t at = 50; at < 80; at++) {
        for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++) {
            memset(buf, 'a', at);
            for (size_t j = 0; j < at; j += 7) buf[j] = ' ';
            size_t len = at;
            memcpy(buf + len, tails[k], strlen(tails[k]));
            len += strlen(tails[k]);
            memcpy(buf + len, " end", 4);
            len += 4;
            check_same(buf, len);
            check_same(buf, len - 4); /* text ending right after the tail */
        }
    }
}

static void test_empty_and_separators(void **state)
{
    (void)state;
    check_same("", 0);
    check_same("   ", 3);
    check_same("'''", 3);
    check_same("\xE2\x80\x9C\xE2\x80\x9D", 6);
    gema_tokenizer t;
    gema_tokenizer_init(&t);
    assert_int_equal(gema_tokenize(&t, "...", 3, 0), GEMA_OK);
    assert_int_equal(t.count, 0);
    gema_tokenizer_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_agree_on_random_texts),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_empty_and_separators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
