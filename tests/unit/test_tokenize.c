/*
 * test_tokenize.c - the block paths (hashes only; spans) and the general
 * path must give the same tokens, spans, flags and normalised text for any
 * text.
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
    "A1", "1a", "0", "12345678901234567890123456789012345", "COVID19", "19x", "\xC2\xBD", "1\xC2\xBD",
    "\xE3\x88\xA0", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "Zz",
};

/* The span path (default) against the general path alone (GEMA_TOKENIZE_GENERAL):
 * every field of every token, and the normalised text. */
static void compare_spans(gema_tokenizer *b, gema_tokenizer *c, const char *text, size_t len)
{
    assert_int_equal(gema_tokenize(b, text, len, GEMA_TOKENIZE_SPANS), GEMA_OK);
    assert_int_equal(gema_tokenize(c, text, len, GEMA_TOKENIZE_SPANS | GEMA_TOKENIZE_GENERAL),
                     GEMA_OK);
    if (b->count != c->count || b->norm.len != c->norm.len ||
        memcmp(b->norm.data, c->norm.data, b->norm.len) != 0)
        fprintf(stderr, "text: [%.*s]\nspan:    [%.*s]\ngeneral: [%.*s]\n", (int)len, text,
                (int)b->norm.len, b->norm.data, (int)c->norm.len, c->norm.data);
    assert_int_equal(b->count, c->count);
    assert_int_equal(b->norm.len, c->norm.len);
    assert_memory_equal(b->norm.data, c->norm.data, b->norm.len);
    assert_int_equal(b->norm.data[b->norm.len], '\0');
    for (size_t i = 0; i < b->count; i++) {
        const gema_token *x = &b->tok[i], *y = &c->tok[i];
        if (x->start != y->start || x->end != y->end || x->nstart != y->nstart ||
            x->nlen != y->nlen || x->flags != y->flags || b->hash[i] != c->hash[i])
            fprintf(stderr, "token %zu of [%.*s]: %u-%u %u+%u f%u vs %u-%u %u+%u f%u\n", i,
                    (int)len, text, x->start, x->end, x->nstart, x->nlen, x->flags, y->start,
                    y->end, y->nstart, y->nlen, y->flags);
        assert_int_equal(x->start, y->start);
        assert_int_equal(x->end, y->end);
        assert_int_equal(x->nstart, y->nstart);
        assert_int_equal(x->nlen, y->nlen);
        assert_int_equal(x->flags, y->flags);
        assert_true(b->hash[i] == c->hash[i]);
    }
}

/* Kept across calls, so stale bytes of a longer earlier text are in the buffers. */
static gema_tokenizer reused_b, reused_c;

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
    gema_tokenizer c;
    gema_tokenizer_init(&c);
    compare_spans(&b, &c, text, len);
    compare_spans(&reused_b, &reused_c, text, len);
    gema_tokenizer_free(&a);
    gema_tokenizer_free(&b);
    gema_tokenizer_free(&c);
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
    const char *tails[] = { "\xC3\xA9t\xC3\xA9", "'s", "s'", "abc", "\xE4\xB8\xAD", "123", "x" };
    const char fills[] = { 'a', '7', 'Q' };
    for (size_t at = 50; at < 140; at++) {
        for (size_t k = 0; k < sizeof tails / sizeof tails[0] * sizeof fills; k++) {
            memset(buf, fills[k % sizeof fills], at);
            for (size_t j = 0; j < at; j += 7) buf[j] = ' ';
            size_t len = at;
            const char *tail = tails[k / sizeof fills];
            memcpy(buf + len, tail, strlen(tail));
            len += strlen(tail);
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

/* Words longer than a block and than nlen can say (65535), digits only or
 * with one letter placed in the first, a middle or the last block. */
static void test_long_words(void **state)
{
    (void)state;
    size_t n = 70000;
    char *buf = malloc(n + 8);
    assert_non_null(buf);
    const size_t letter_at[] = { SIZE_MAX, 0, 63, 64, 127, 4096, 65535, 69999 };
    for (size_t k = 0; k < sizeof letter_at / sizeof letter_at[0]; k++) {
        buf[0] = ' ';
        memset(buf + 1, '5', n);
        if (letter_at[k] != SIZE_MAX) buf[1 + letter_at[k]] = 'K';
        memcpy(buf + 1 + n, " 42", 3);
        check_same(buf, n + 4);
        check_same(buf + 1, n); /* text of one word */
        for (size_t cut = 60; cut < 200; cut += 13) check_same(buf, cut);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_agree_on_random_texts),
        cmocka_unit_test(test_block_boundaries),
        cmocka_unit_test(test_empty_and_separators),
        cmocka_unit_test(test_long_words),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    gema_tokenizer_free(&reused_b);
    gema_tokenizer_free(&reused_c);
    return rc;
}
