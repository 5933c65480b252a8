/*
 * test_mojibake.c - encoding repair: the code page tables, the seed's "ยฉ",
 * the hand-checked cases of tests/data/mojibake, correct text in many scripts
 * (tests/data/multilingual) passing unchanged, repaired-span bookkeeping,
 * double encoding, bad input, and the public gema_fix_encoding().
 */
#include "testutil.h"

#include <dirent.h>

#include "mojibake.h"

static gema_mojibake *M;

static int setup(void **state)
{
    (void)state;
    return gema_mojibake_new(&M) == GEMA_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gema_mojibake_free(M);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 14, n = 0, k;
    char *b = malloc(cap);
    assert_non_null(b);
    while ((k = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            b = realloc(b, cap *= 2);
            assert_non_null(b);
        }
    }
    fclose(f);
    b[n] = 0;
    *len = n;
    return b;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the files of dir whose name ends with suffix. */
static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **v = NULL;
    size_t n = 0, sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= sl || strcmp(e->d_name + l - sl, suffix)) continue;
        v = realloc(v, (n + 1) * sizeof *v);
        assert_non_null(v);
        v[n] = malloc(strlen(dir) + l + 2);
        sprintf(v[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* Repair s and check the span list against input and output: in order,
 * inside both, text between spans copied unchanged.  Returns the output
 * (free it) and the spans (free them). */
static char *fix(const char *s, size_t len, size_t *out_len, gema_repair **r, size_t *n)
{
    gema_buf out = { 0 };
    *r = NULL;
    *n = 0;
    assert_int_equal(gema_mojibake_fix(M, s, len, &out, r, n), GEMA_OK);
    size_t in_at = 0, out_at = 0;
    for (size_t k = 0; k < *n; k++) {
        const gema_repair *x = &(*r)[k];
        assert_true(x->start >= in_at && x->start < x->end && x->end <= len);
        assert_true(x->out_start >= out_at && x->out_start < x->out_end && x->out_end <= out.len);
        assert_int_equal(x->start - in_at, x->out_start - out_at);
        assert_memory_equal(s + in_at, out.data + out_at, x->start - in_at);
        assert_true(x->layers >= 1 && x->layers <= 3);
        assert_non_null(x->codepage);
        in_at = x->end;
        out_at = x->out_end;
    }
    assert_int_equal(len - in_at, out.len - out_at);
    assert_memory_equal(s + in_at, out.data + out_at, len - in_at);
    *out_len = out.len;
    return out.data;
}

static void expect_fix(const char *in, const char *want)
{
    size_t ol, n;
    gema_repair *r;
    char *o = fix(in, strlen(in), &ol, &r, &n);
    if (ol != strlen(want) || memcmp(o, want, ol)) fail_msg("fixed \"%s\" to \"%s\", want \"%s\"", in, o, want);
    assert_int_equal(n == 0, strcmp(in, want) == 0);
    free(o);
    free(r);
}

static void test_tables(void **state)
{
    (void)state;
    static const char *const names[GEMA_MOJIBAKE_PAGES] = {
        "windows-1252", "latin-1", "cp874", "windows-1251", "windows-1250", "windows-1257"
    };
    for (unsigned p = 0; p < GEMA_MOJIBAKE_PAGES; p++) {
        assert_string_equal(gema_mojibake_page_name(p), names[p]);
        /* Every byte maps somewhere (sloppy), ASCII to itself. */
        for (unsigned b = 0; b < 256; b++) {
            uint32_t c = gema_mojibake_page_char(M, p, (unsigned char)b);
            if (b < 0x80) assert_int_equal(c, b);
            else assert_true(c >= 0x80);
        }
    }
    assert_string_equal(gema_mojibake_page_name(99), "");
    /* Golden values (Unicode mapping tables of each page). */
    assert_int_equal(gema_mojibake_page_char(M, 2, 0xC2), 0x0E22);  /* cp874 ย */
    assert_int_equal(gema_mojibake_page_char(M, 2, 0xA9), 0x0E09);  /* cp874 ฉ */
    assert_int_equal(gema_mojibake_page_char(M, 2, 0xDB), 0xDB);    /* cp874 undefined: sloppy */
    assert_int_equal(gema_mojibake_page_char(M, 0, 0x80), 0x20AC);  /* windows-1252 € */
    assert_int_equal(gema_mojibake_page_char(M, 0, 0x81), 0x81);    /* undefined: sloppy */
    assert_int_equal(gema_mojibake_page_char(M, 0, 0x9D), 0x9D);
    assert_int_equal(gema_mojibake_page_char(M, 1, 0x80), 0x80);    /* latin-1: C1 control */
    assert_int_equal(gema_mojibake_page_char(M, 1, 0xE9), 0xE9);
    assert_int_equal(gema_mojibake_page_char(M, 3, 0xD0), 0x0420);  /* windows-1251 Р */
    assert_int_equal(gema_mojibake_page_char(M, 4, 0xB3), 0x0142);  /* windows-1250 ł */
    assert_int_equal(gema_mojibake_page_char(M, 5, 0xE8), 0x010D);  /* windows-1257 č */
    assert_int_equal(gema_mojibake_page_char(NULL, 0, 0x80), 0);
    assert_int_equal(gema_mojibake_page_char(M, GEMA_MOJIBAKE_PAGES, 0x80), 0);
}

/* The seed: line 2 of ../shared/seeds/000_*.txt. */
static void test_seed_copyright(void **state)
{
    (void)state;
    const char *in = "2025 \xe0\xb8\xa2\xe0\xb8\x89 PT Dynamo Media Network";
    size_t ol, n;
    gema_repair *r;
    char *o = fix(in, strlen(in), &ol, &r, &n);
    assert_string_equal(o, "2025 \xc2\xa9 PT Dynamo Media Network");
    assert_int_equal(n, 1);
    assert_int_equal(r[0].start, 5);
    assert_int_equal(r[0].end, 11);
    assert_int_equal(r[0].out_start, 5);
    assert_int_equal(r[0].out_end, 7);
    assert_string_equal(r[0].codepage, "cp874");
    assert_int_equal(r[0].layers, 1);
    free(o);
    free(r);
}

static void test_examples(void **state)
{
    (void)state;
    expect_fix("caf\xc3\x83\xc2\xa9 au lait", "caf\xc3\xa9 au lait");                 /* cafÃ© */
    expect_fix("\xc3\xa2\xe2\x82\xac\xc5\x93Hi,\xc3\xa2\xe2\x82\xac\xc2\x9d he said",  /* â€œ â€\x9d */
               "\xe2\x80\x9cHi,\xe2\x80\x9d he said");
    expect_fix("plain ASCII text stays", "plain ASCII text stays");
    expect_fix("", "");
    /* Correct text with characters that are leads of some page. */
    expect_fix("\xc3\x80 bient\xc3\xb4t, \xc3\x89milie", "\xc3\x80 bient\xc3\xb4t, \xc3\x89milie");
    expect_fix("\xd0\x92\xd1\x81\xd1\x91 \xd1\x85\xd0\xbe\xd1\x80\xd0\xbe\xd1\x88\xd0\xbe",
               "\xd0\x92\xd1\x81\xd1\x91 \xd1\x85\xd0\xbe\xd1\x80\xd0\xbe\xd1\x88\xd0\xbe");
}

static void test_hand_checked(void **state)
{
    (void)state;
    char **names;
    size_t nf = list_dir(TEST_DATA("mojibake"), ".broken", &names);
    assert_true(nf >= 15);
    for (size_t i = 0; i < nf; i++) {
        char want_path[512];
        size_t bl = strlen(names[i]) - strlen(".broken");
        snprintf(want_path, sizeof want_path, "%.*s.fixed", (int)bl, names[i]);
        size_t il, wl, ol, n;
        char *in = slurp(names[i], &il), *want = slurp(want_path, &wl);
        gema_repair *r;
        char *o = fix(in, il, &ol, &r, &n);
        if (ol != wl || memcmp(o, want, wl)) fail_msg("%s: got \"%s\"", names[i], o);
        assert_int_equal(n == 0, il == wl && memcmp(in, want, wl) == 0);
        free(o);
        free(r);
        /* The repaired text is left alone. */
        o = fix(want, wl, &ol, &r, &n);
        if (n) fail_msg("%s: repaired text changed again: \"%s\"", want_path, o);
        free(o);
        free(r);
        free(in);
        free(want);
    }
    free_list(names, nf);
}

/* The project's correct multilingual corpus passes unchanged: every file
 * whole, every line by itself (less context), and all files as one text. */
static void test_multilingual_unchanged(void **state)
{
    (void)state;
    char **names;
    size_t nf = list_dir(TEST_DATA("multilingual"), ".txt", &names);
    assert_true(nf >= 19);
    gema_buf all = { 0 };
    for (size_t i = 0; i < nf; i++) {
        size_t len, ol, n;
        char *s = slurp(names[i], &len);
        gema_repair *r;
        char *o = fix(s, len, &ol, &r, &n);
        if (n || ol != len || memcmp(o, s, len)) fail_msg("%s changed: \"%s\"", names[i], o);
        free(o);
        free(r);
        for (char *l = s; l < s + len;) {
            char *e = memchr(l, '\n', (size_t)(s + len - l));
            if (!e) e = s + len;
            o = fix(l, (size_t)(e - l), &ol, &r, &n);
            if (n) fail_msg("%s: line changed: \"%.*s\"", names[i], (int)(e - l), l);
            free(o);
            free(r);
            l = e + 1;
        }
        assert_int_equal(gema_buf_append(&all, s, len), GEMA_OK);
        free(s);
    }
    size_t ol, n;
    gema_repair *r;
    char *o = fix(all.data, all.len, &ol, &r, &n);
    assert_int_equal(n, 0);
    assert_int_equal(ol, all.len);
    assert_memory_equal(o, all.data, ol);
    free(o);
    free(r);
    gema_buf_free(&all);
    free_list(names, nf);
}

static void test_double(void **state)
{
    (void)state;
    /* "“" through windows-1252 twice: Ã¢â‚¬Å“. */
    const char *in = "\xc3\x83\xc2\xa2\xc3\xa2\xe2\x80\x9a\xc2\xac\xc3\x85\xe2\x80\x9cok";
    size_t ol, n;
    gema_repair *r;
    char *o = fix(in, strlen(in), &ol, &r, &n);
    assert_string_equal(o, "\xe2\x80\x9cok");
    assert_int_equal(n, 1);
    assert_int_equal(r[0].start, 0);
    assert_int_equal(r[0].end, strlen(in) - 2);
    assert_int_equal(r[0].out_end, 3);
    assert_int_equal(r[0].layers, 2);
    assert_string_equal(r[0].codepage, "windows-1252");
    free(o);
    free(r);
}

static void test_suspect(void **state)
{
    (void)state;
    assert_int_equal(gema_mojibake_suspect(M, "", 0), 0);
    assert_int_equal(gema_mojibake_suspect(M, "just ASCII, nothing else", 24), 0);
    assert_int_equal(gema_mojibake_suspect(M, "\xe2\x80\x9cok\xe2\x80\x9d", 8), 0); /* “ok” */
    assert_int_equal(gema_mojibake_suspect(M, "2025 \xe0\xb8\xa2\xe0\xb8\x89", 11), 1);
    assert_int_equal(gema_mojibake_suspect(M, "caf\xc3\x83\xc2\xa9", 7), 1);
    /* Lead and continuation split by ASCII are no candidate. */
    assert_int_equal(gema_mojibake_suspect(M, "\xc3\x83 \xc2\xa9", 5), 0);
    assert_int_equal(gema_mojibake_suspect(NULL, "x", 1), 0);
}

static void test_bad_input(void **state)
{
    (void)state;
    /* Invalid UTF-8 and NUL bytes are copied and never part of a repair. */
    static const char in[] = "\xff\x00 caf\xc3\x83\xc2\xa9 \xc3\x83\xff\xc2\xa9 \xc3 \xed\xa0\x80\x00";
    size_t len = sizeof in - 1, ol, n;
    gema_repair *r;
    char *o = fix(in, len, &ol, &r, &n);
    static const char want[] = "\xff\x00 caf\xc3\xa9 \xc3\x83\xff\xc2\xa9 \xc3 \xed\xa0\x80\x00";
    assert_int_equal(ol, sizeof want - 1);
    assert_memory_equal(o, want, ol);
    assert_int_equal(n, 1);
    free(o);
    free(r);

    /* Binary junk: every byte value, repeated. */
    unsigned char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(i * 131 + (i >> 8));
    o = fix((const char *)junk, sizeof junk, &ol, &r, &n);
    free(o);
    free(r);

    /* A 4 MB line of one repeated mojibake, and of Thai letters. */
    size_t big = 1 << 20;
    char *s = malloc(big * 4 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++) memcpy(s + 4 * i, "\xc3\x83\xc2\xa9", 4);
    o = fix(s, big * 4, &ol, &r, &n);
    assert_int_equal(ol, big * 2);
    for (size_t i = 0; i < big; i++) assert_memory_equal(o + 2 * i, "\xc3\xa9", 2);
    assert_true(n >= 1);
    free(o);
    free(r);
    for (size_t i = 0; i < big / 3 * 4; i += 3) memcpy(s + i, "\xe0\xb8\x81", 3); /* ก */
    o = fix(s, big / 3 * 4, &ol, &r, &n);
    assert_int_equal(n, 0);
    free(o);
    free(r);
    free(s);

    gema_buf b = { 0 };
    assert_int_equal(gema_mojibake_fix(NULL, "x", 1, &b, NULL, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_mojibake_fix(M, NULL, 1, &b, NULL, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_mojibake_fix(M, "x", 1, NULL, NULL, NULL), GEMA_ERR_ARG);
    gema_repair *rr = NULL;
    assert_int_equal(gema_mojibake_fix(M, "x", 1, &b, &rr, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_mojibake_new(NULL), GEMA_ERR_ARG);
    gema_buf_free(&b);
}

/* Output is appended to the buffer, spans to the caller's array. */
static void test_append(void **state)
{
    (void)state;
    gema_buf b = { 0 };
    assert_int_equal(gema_buf_append(&b, "head|", 5), GEMA_OK);
    gema_repair *r = calloc(1, sizeof *r);
    size_t n = 1;
    const char *in = "x \xc3\x83\xc2\xa9";
    assert_int_equal(gema_mojibake_fix(M, in, strlen(in), &b, &r, &n), GEMA_OK);
    assert_string_equal(b.data, "head|x \xc3\xa9");
    assert_int_equal(n, 2);
    assert_int_equal(r[1].start, 2);
    assert_int_equal(r[1].end, 6);
    /* Offsets into the bytes this call appended. */
    assert_int_equal(r[1].out_start, 2);
    assert_int_equal(r[1].out_end, 4);
    free(r);
    gema_buf_free(&b);
}

static void test_public(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0, reps = 99;
    const char *in = "\xc3\xa2\xe2\x82\xac\xc5\x93Hi\xc3\xa2\xe2\x82\xac\xc2\x9d \xe0\xb8\xa2\xe0\xb8\x89 2025";
    assert_int_equal(gema_fix_encoding(in, strlen(in), &out, &len, &reps), GEMA_OK);
    assert_string_equal(out, "\xe2\x80\x9cHi\xe2\x80\x9d \xc2\xa9 2025");
    assert_int_equal(len, strlen(out));
    assert_int_equal(reps, 3);
    gema_free(out);
    assert_int_equal(gema_fix_encoding("abc", 3, &out, NULL, &reps), GEMA_OK);
    assert_string_equal(out, "abc");
    assert_int_equal(reps, 0);
    gema_free(out);
    assert_int_equal(gema_fix_encoding(NULL, 0, &out, &len, NULL), GEMA_OK);
    assert_int_equal(len, 0);
    assert_string_equal(out, "");
    gema_free(out);
    assert_int_equal(gema_fix_encoding("x", 1, NULL, NULL, NULL), GEMA_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_seed_copyright),
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_hand_checked),
        cmocka_unit_test(test_multilingual_unchanged),
        cmocka_unit_test(test_double),
        cmocka_unit_test(test_suspect),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_public),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
