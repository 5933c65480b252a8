/*
 * test_furniture.c - lines and the in-document furniture rules.
 *
 * The split is checked against a plain reimplementation (one byte or
 * character at a time, no blocks) on generated text that mixes the cases
 * the block paths must hand over to the byte loop: digits, tabs, NBSP, runs
 * of spaces, multi-byte characters, CRLF, line ends at every offset.  Build
 * with -DGEMA_NO_SIMD to run the same comparison on the 64-bit-word path.
 * Each in-document rule is shown removing what it is for and keeping what
 * looks like it but is content.
 */
#include "testutil.h"

#include "furniture.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* ------------------------------------------------------------------------ */
/* The split against a reference                                            */
/* ------------------------------------------------------------------------ */

typedef struct {
    size_t start, end, next, cp_start, cp_end;
    uint32_t words, digits, alpha, capw, letters, camel;
    int sent;
    char norm[8192];
    size_t nlen;
} ref_line;

static int ref_space(const unsigned char *s, size_t n, size_t *w)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\v' || s[0] == '\f' || s[0] == '\r')) {
        *w = 1;
        return 1;
    }
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
        *w = 2;
        return 1;
    }
    return 0;
}

static size_t ref_char_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Letters of the generated text, by hand: a, é (lower), A, É (upper), ก
 * (Thai: a letter without case); anything else non-ASCII is no letter. */
static void ref_letter(const unsigned char *s, int *letter, int *upper)
{
    *letter = *upper = 0;
    if (s[0] >= 'a' && s[0] <= 'z') *letter = 1;
    else if (s[0] >= 'A' && s[0] <= 'Z') *letter = *upper = 1;
    else if (s[0] == 0xC3 && s[1] == 0xA9) *letter = 1;
    else if (s[0] == 0xC3 && s[1] == 0x89) *letter = *upper = 1;
    else if (s[0] == 0xE0 && s[1] == 0xB8 && s[2] == 0x81) *letter = 1;
}

/* One line of s starting at `start`: what gema_lines_split must find. */
static size_t ref_split_line(const char *text, size_t len, size_t start, size_t cp_before,
                             ref_line *r)
{
    const unsigned char *s = (const unsigned char *)text;
    memset(r, 0, sizeof *r);
    r->start = start;
    r->cp_start = cp_before;
    size_t e = start;
    while (e < len && s[e] != '\n') e++;
    r->next = e < len ? e + 1 : len;
    r->end = e > start && s[e - 1] == '\r' ? e - 1 : e;
    int in_word = 0, pending = 0, prev_lower = 0;
    size_t cp = cp_before;
    for (size_t i = start; i < r->end;) {
        size_t w;
        if (ref_space(s + i, r->end - i, &w)) {
            if (in_word) pending = 1;
            in_word = prev_lower = 0;
            cp++;
            i += w;
            continue;
        }
        if (pending) r->norm[r->nlen++] = ' ';
        pending = 0;
        int start_word = !in_word;
        if (start_word) r->words++;
        in_word = 1;
        unsigned char c = s[i];
        if (c >= '0' && c <= '9') {
            r->digits++;
            r->norm[r->nlen++] = '0';
            while (i < r->end && s[i] >= '0' && s[i] <= '9') {
                i++;
                cp++;
            }
            prev_lower = 0;
            continue;
        }
        if ((c == '.' || c == '!' || c == '?') && i + 1 < e &&
            (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\v' || s[i + 1] == '\f' ||
             s[i + 1] == '\r'))
            r->sent = 1;
        size_t n = ref_char_len(c);
        int letter, upper;
        ref_letter(s + i, &letter, &upper);
        if (letter) {
            r->letters++;
            if (start_word) {
                r->alpha++;
                r->capw += (uint32_t)upper;
            }
            r->camel += (uint32_t)(upper && prev_lower);
        }
        prev_lower = letter && !upper;
        for (size_t k = 0; k < n; k++)
            r->norm[r->nlen++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : s[i + k]);
        i += n;
        cp++;
    }
    r->cp_end = cp;
    /* A sentence also ends at the end of the line, before closing quotes. */
    size_t t = r->end;
    for (;;) {
        while (t > start && (s[t - 1] == ' ' || s[t - 1] == '\t')) t--;
        if (t > start && (s[t - 1] == '"' || s[t - 1] == '\'' || s[t - 1] == ')' ||
                          s[t - 1] == ']' || s[t - 1] == '*')) {
            t--;
            continue;
        }
        break;
    }
    if (t > start && (s[t - 1] == '.' || s[t - 1] == '!' || s[t - 1] == '?')) r->sent = 1;
    return r->next;
}

static void compare_split(const char *text, size_t len)
{
    gema_lines ls;
    memset(&ls, 0, sizeof ls);
    assert_int_equal(gema_lines_split(&ls, text, len), GEMA_OK);
    size_t pos = 0, k = 0, cp = 0;
    ref_line r;
    while (pos < len) {
        size_t next = ref_split_line(text, len, pos, cp, &r);
        assert_true(k < ls.n);
        const gema_line *L = &ls.line[k];
        assert_int_equal(L->start, r.start);
        assert_int_equal(L->end, r.end);
        assert_int_equal(L->next, r.next);
        assert_int_equal(L->cp_start, r.cp_start);
        assert_int_equal(L->cp_end, r.cp_end);
        assert_int_equal(L->nlen, r.nlen);
        assert_memory_equal(ls.norm.data + L->nstart, r.norm, r.nlen);
        assert_int_equal(L->words, r.words);
        assert_int_equal(L->digits, r.digits);
        if (r.nlen == 0) {
            assert_true(L->flags & GEMA_LINE_BLANK);
            assert_true(L->hash == 0);
        } else {
            uint64_t h = XXH3_64bits(r.norm, r.nlen);
            assert_true(L->hash == (h ? h : 1));
            assert_int_equal(!!(L->flags & GEMA_LINE_SENT), r.sent);
            if (!r.digits) assert_true(L->exact == L->hash);
            assert_true(L->wire != 0);
            const gema_line *M = gema_line_shape(&ls, L);
            assert_int_equal(M->alpha_words, r.alpha);
            assert_int_equal(M->cap_words, r.capw);
            assert_int_equal(M->letters, r.letters);
            assert_int_equal(M->camel, r.camel);
        }
        /* Code points to the next line: the terminator counts one. */
        cp = r.cp_end + (r.next > r.end ? r.next - r.end : 0);
        pos = next;
        k++;
    }
    assert_int_equal(ls.n, k);
    gema_lines_free(&ls);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_split_matches_reference(void **state)
{
    (void)state;
    static const char *const atoms[] = {
        " ", "  ", "\t", "\xC2\xA0", "\n", "\r\n", "a", "bc", "Q", "Xy", "5", "12", ".", "!",
        "? ", ". ", ".\"", "\xC3\xA9", "\xC3\x89", "\xE0\xB8\x81", "-", "\"", "\x7F", "\x01",
        "word ", "Word ", "camelCase", "\xF0\x9F\x98\x80", "\xC2\xB7",
        "the quick brown fox jumps over the lazy dog ", "THE QUICK BROWN FOX ",
        "Harga Beras Naik Lagi di Pasar Induk Cipinang ", "semua orang tahu.  Lalu "
    };
    char buf[6000];
    for (int it = 0; it < 20000; it++) {
        size_t n = 0;
        int m = (int)(next_rand() % 80);
        for (int j = 0; j < m; j++) {
            const char *a = atoms[next_rand() % (sizeof atoms / sizeof *atoms)];
            size_t k = strlen(a);
            if (n + k >= sizeof buf) break;
            memcpy(buf + n, a, k);
            n += k;
        }
        compare_split(buf, n);
    }
    compare_split("", 0);
    compare_split("\n\n", 2);
    compare_split("no newline at the end", 21);
}

static void test_split_hash_folds_case_digits_space(void **state)
{
    (void)state;
    gema_lines ls;
    memset(&ls, 0, sizeof ls);
    const char *t = "Published 12 March 2021\n  published   7 march 1999  \nPublished 12 March 2021";
    assert_int_equal(gema_lines_split(&ls, t, strlen(t)), GEMA_OK);
    assert_int_equal(ls.n, 3);
    assert_true(ls.line[0].hash == ls.line[1].hash);    /* case, digits, space folded */
    assert_true(ls.line[0].exact != ls.line[1].exact);  /* but not as written */
    assert_true(ls.line[0].exact == ls.line[2].exact);
    size_t nd;
    assert_int_equal(gema_lines_distinct(&ls, &nd), GEMA_OK);
    assert_int_equal(nd, 1);
    gema_lines_free(&ls);
}

/* A copy that credits the wire on a paragraph shares it under the wire key. */
static void test_split_wire_credit(void **state)
{
    (void)state;
    gema_lines ls;
    memset(&ls, 0, sizeof ls);
    const char *t = "Officials said 12 people were hurt in the blast.\n"
                    "Officials said 12 people were hurt in the blast. (ANTARA)\n"
                    "Officials said 12 people were hurt in the blast.  (Reuters)\r\n"
                    "He called it \xE2\x80\x98" "an act of terror.\xE2\x80\x99 (AFP)\n"
                    "He called it \xE2\x80\x98" "an act of terror.\xE2\x80\x99\n"
                    "Officials said 12 people were hurt in the blast (ANTARA)\n"
                    "Officials said 12 people were hurt in the blast. (antara)\n"
                    "Officials said 12 people were hurt in the blast. (Two words)\n"
                    "Officials said 12 people were hurt in the blast. (A)\n"
                    "Officials said 12 people were hurt in the blast. (AN7ARA)";
    assert_int_equal(gema_lines_split(&ls, t, strlen(t)), GEMA_OK);
    assert_int_equal(ls.n, 10);
    for (size_t k = 0; k < ls.n; k++) assert_true(ls.line[k].wire != 0);
    assert_true(ls.line[0].wire == ls.line[0].exact);
    assert_true(ls.line[1].exact != ls.line[0].exact);
    assert_true(ls.line[1].wire == ls.line[0].exact);
    assert_true(ls.line[2].wire == ls.line[0].exact);
    assert_true(ls.line[3].wire == ls.line[4].exact);
    /* Not a credit: no sentence end before it, lower case, two words, one
     * letter, a digit. */
    for (size_t k = 5; k < 10; k++) assert_true(ls.line[k].wire == ls.line[k].exact);
    gema_lines_free(&ls);
}

static void test_word_lists(void **state)
{
    (void)state;
    assert_int_equal(gema_stopword_check(), 0);
    assert_int_equal(gema_label_check(), 0);
    assert_int_equal(gema_stopword_lang("yang", 4), 1);
    assert_int_equal(gema_stopword_lang("the", 3), 2);
    assert_int_equal(gema_stopword_lang("presiden", 8), 0);
    assert_int_equal(gema_label_kind("advertisement", 13), GEMA_CLEAN_LABEL);
    assert_int_equal(gema_label_kind("--- baca juga: ", 15), GEMA_CLEAN_LINK_LIST);
    assert_int_equal(gema_label_kind("advertisements", 14), 0);
    assert_int_equal(gema_label_prefix_kind("editor: joko", 12), GEMA_CLEAN_BYLINE);
    assert_int_equal(gema_label_prefix_kind("editor joko", 11), 0);
}

/* ------------------------------------------------------------------------ */
/* The in-document rules                                                    */
/* ------------------------------------------------------------------------ */

/* Reasons of the lines of text, one character each: '.' kept, '_' blank,
 * else 'a' + reason - 1 (a repeated, b label, c link-list, d menu, e
 * dateline, f copyright, g byline, h caption, i no-text, j edge, k
 * appended, l duplicate). */
static char reasons[256];

static const char *rules(const char *text)
{
    gema_lines ls;
    memset(&ls, 0, sizeof ls);
    assert_int_equal(gema_lines_split(&ls, text, strlen(text)), GEMA_OK);
    assert_int_equal(gema_furniture_rules(&ls, text, NULL, 1), GEMA_OK);
    assert_true(ls.n < sizeof reasons);
    for (size_t k = 0; k < ls.n; k++)
        reasons[k] = ls.line[k].flags & GEMA_LINE_BLANK ? '_'
                     : ls.line[k].reason ? (char)('a' + ls.line[k].reason - 1)
                                         : '.';
    reasons[ls.n] = '\0';
    gema_lines_free(&ls);
    return reasons;
}

#define BODY1 "Presiden Joko Widodo meresmikan jembatan baru di Samarinda pada hari Senin dan meminta warga menjaganya bersama-sama.\n"
#define BODY2 "Jembatan sepanjang dua kilometer itu menghubungkan dua kecamatan yang selama ini hanya terhubung oleh perahu penyeberangan.\n"
#define BODY3 "Pemerintah daerah berjanji membangun jalan akses tambahan tahun depan agar lalu lintas di sekitar jembatan tidak macet.\n"

static void test_rule_labels(void **state)
{
    (void)state;
    assert_string_equal(rules(BODY1 "ADVERTISEMENT\n" BODY2 "Bagikan:\n\n" BODY3), ".b.b_.");
    /* A quote introduced by a colon is prose, not a label. */
    assert_string_equal(rules(BODY1 "Dia mengatakan:\n\"Kami akan terus bekerja.\"\n" BODY2 BODY3),
                        ".....");
    /* Reading time glued to a label, and a reading-time badge. */
    assert_string_equal(rules("waktu baca 2 menitADVERTISEMENT\n" BODY1 BODY2), "b..");
    assert_string_equal(rules("Tags: politik, jakarta, banjir\n" BODY1 BODY2), "b..");
}

static void test_rule_link_lists(void **state)
{
    (void)state;
    assert_string_equal(rules(BODY1 "Baca juga:\n- Banjir Rendam Ratusan Rumah di Kudus\n"
                                    "- Harga Beras Naik Lagi\n" BODY2 BODY3),
                        ".ccc..");
    /* An inline "Baca juga: Headline" is one line. */
    assert_string_equal(rules(BODY1 "Baca juga: Banjir Rendam Ratusan Rumah di Kudus\n" BODY2),
                        ".c.");
    /* Three bulleted headlines after the body, without a lead: related links. */
    assert_string_equal(rules(BODY1 BODY2 "- Banjir Rendam Ratusan Rumah di Kudus\n"
                                          "- Harga Beras Naik Lagi di Pasar\n"
                                          "- Menteri Tinjau Pelabuhan Baru Makassar\n"),
                        "..ccc");
}

static void test_rule_menus_and_copyright(void **state)
{
    (void)state;
    assert_string_equal(rules("Tentang KamiPedoman Media SiberKetentuan & Kebijakan PrivasiKarir\n"
                              "Home | News | Politics | Sport | World\n" BODY1 BODY2),
                        "dd..");
    assert_string_equal(rules(BODY1 BODY2 "\xC2\xA9 2025 PT Dynamo Media Network\n"
                                          "Copyright 2021 Harian Nusantara. All rights reserved.\n"),
                        "..ff");
    /* A long line about copyright is prose; a sign inside a word is no sign. */
    assert_string_equal(rules(BODY1 "The court ruled that the copyright on the song had expired decades before the band "
                                    "recorded its version, so no royalties were owed to anyone.\n" BODY2),
                        "...");
}

static void test_rule_datelines_bylines_captions(void **state)
{
    (void)state;
    assert_string_equal(rules("Putin Rapat dengan Xi Jinping\n16 Desember 2021 1:02 WIB\n"
                              "By Jane Whitfield\n" BODY1 BODY2),
                        ".eg..");
    assert_string_equal(rules("Headline Of The Day\nMarch 12, 2021\nPublished: 5 May 2020 10:02\n" BODY1 BODY2),
                        ".ee..");
    assert_string_equal(rules(BODY1 "Pertemuan virtual Presiden Putin dengan Presiden Xi. (Sumber: Kremlin)\n" BODY2),
                        ".h.");
    /* A byline starts a line; "by" inside a sentence is prose. */
    assert_string_equal(rules(BODY1 "By the end of the day the bridge was open to traffic again.\n" BODY2), "...");
}

static void test_rule_edges_and_duplicates(void **state)
{
    (void)state;
    /* Short fragments and symbols outside the body go; "***" inside stays. */
    assert_string_equal(rules("Version 1.94.0\n\xC2\xB7\n" BODY1 "***\n" BODY2 "Uncategorized\n"),
                        "ji...b");
    /* 004: the headline printed twice at the top. */
    assert_string_equal(rules("Kremlin: Xi mendukung upaya Putin\nUncategorized\n"
                              "Kremlin: Xi mendukung upaya Putin\n" BODY1 BODY2),
                        ".bl..");
    /* Short lines may repeat (speaker labels). */
    assert_string_equal(rules(BODY1 "TRUMP:\n" BODY2 "TRUMP:\n" BODY3), ".....");
}

static void test_rule_appended_story(void **state)
{
    (void)state;
    const char *doc =
        "Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping melakukan panggilan video untuk membela kepentingan keamanan masing-masing di tengah tekanan dari Barat.\n"
        "Percakapan Putin dan Xi berlangsung delapan hari setelah Putin berbicara dengan Presiden Amerika Serikat Joe Biden dalam format yang sama.\n"
        "Xi mengatakan kekuatan internasional tertentu mencampuri urusan dalam negeri China dan Rusia dengan kedok demokrasi.\n"
        "Ajudan Kremlin Yuri Ushakov mengatakan Xi menawarkan dukungan kepada Putin untuk mendapatkan jaminan keamanan dari Barat.\n"
        "Putin dan Xi juga menyatakan pandangan negatif tentang aliansi militer baru seperti AUKUS antara Australia, Inggris dan Amerika Serikat.\n"
        "4. Kim Yong Ju, Adik dari Pendiri Korea Utara Kim Il Sung, Meninggal Dunia\n"
        "Kim Yong Ju, adik dari pendiri Korea Utara Kim Il Sung, telah meninggal dunia, menurut media pemerintah yang dikutip Sky News.\n"
        "Kim Yong Ju dianggap sebagai tokoh paling kuat kedua di negara itu sebelum keponakannya, Kim Jong Il, menjadi penguasa pada tahun 1994.\n";
    assert_string_equal(rules(doc), ".....kkk");
    /* A subheading followed by more of the same story stays. */
    const char *same =
        "Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping melakukan panggilan video untuk membela kepentingan keamanan masing-masing di tengah tekanan dari Barat.\n"
        "Percakapan Putin dan Xi berlangsung delapan hari setelah Putin berbicara dengan Presiden Amerika Serikat Joe Biden dalam format yang sama.\n"
        "Xi mengatakan kekuatan internasional tertentu mencampuri urusan dalam negeri China dan Rusia dengan kedok demokrasi.\n"
        "Sama-sama Berada di Bawah Tekanan Barat\n"
        "Saat ini China dan Rusia sama-sama berada di bawah tekanan negara-negara Barat, kata Xi kepada Putin dalam panggilan video itu.\n"
        "China ditekan atas isu hak asasi manusia sementara Rusia dituduh mengancam Ukraina, dan Putin meminta jaminan keamanan dari Barat.\n";
    assert_string_equal(rules(same), "......");
}

static void test_rules_keep_plain_prose(void **state)
{
    (void)state;
    assert_string_equal(rules(BODY1 BODY2 BODY3), "...");
    /* A headline of three words is not a fragment; two words with nothing
     * of a sentence are. */
    assert_string_equal(rules("Banjir Melanda Semarang\n\n" BODY1 "\n" BODY2), "._._.");
    assert_string_equal(rules("Breaking News\n" BODY1 BODY2), "b..");
    assert_string_equal(rules("Ekonomi Bisnis\n" BODY1 BODY2), "j..");
    assert_string_equal(rules(""), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_matches_reference),
        cmocka_unit_test(test_split_hash_folds_case_digits_space),
        cmocka_unit_test(test_split_wire_credit),
        cmocka_unit_test(test_word_lists),
        cmocka_unit_test(test_rule_labels),
        cmocka_unit_test(test_rule_link_lists),
        cmocka_unit_test(test_rule_menus_and_copyright),
        cmocka_unit_test(test_rule_datelines_bylines_captions),
        cmocka_unit_test(test_rule_edges_and_duplicates),
        cmocka_unit_test(test_rule_appended_story),
        cmocka_unit_test(test_rules_keep_plain_prose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
