/*
 * test_clean.c - the clean stage through the public API: learning furniture
 * from repetition within a site (and what other sites say), the thresholds,
 * protection of syndicated lines, the report's positions, output records,
 * and identical results at any thread count.
 */
#include "testutil.h"

/* One JSONL record; text is given raw and escaped here (\n only). */
static void record(test_buf *b, const char *id, const char *site, const char *text)
{
    test_add(b, "{\"id\":\"%s\",\"url\":\"https://%s/%s\",\"text\":\"", id, site, id);
    for (const char *p = text; *p; p++) {
        if (*p == '\n') test_add(b, "\\n");
        else if (*p == '"') test_add(b, "\\\"");
        else test_add(b, "%c", *p);
    }
    test_add(b, "\"}\n");
}

#define FOOTER_A "Redaksi menerima tulisan opini dari pembaca melalui surel resmi kami setiap hari kerja."
#define FOOTER_C "Kirimkan berita dari daerah Anda kepada redaksi melalui nomor layanan pembaca kami."
#define NETWORK "Tinggalkan komentar Anda di kolom yang tersedia di bawah artikel ini dengan sopan."
#define SYND "Menurut badan statistik, harga beras medium naik dua persen dibanding bulan lalu di seluruh provinsi."
#define TWICE "Gubernur meminta warga tetap tenang dan tidak memborong bahan pokok di pasar tradisional."

/* A body for document k: two sentences of words no other document has
 * (digits would not do: lines are compared with digits folded). */
static void body(char *out, size_t cap, const char *site, int k)
{
    static const char *const place[] = { "Ambarawa", "Bantul", "Cilacap", "Demak", "Ende",
                                         "Flores", "Garut", "Halmahera", "Indramayu", "Jepara" };
    static const char *const thing[] = { "saluran", "jembatan", "pasar", "sekolah", "masjid",
                                         "puskesmas", "terminal", "dermaga", "balai", "gudang" };
    snprintf(out, cap,
             "Warga %s di %s memperbaiki %s yang rusak setelah hujan deras mengguyur wilayah itu sepanjang pekan lalu tanpa henti.\n"
             "Kepala desa %s dari %s mengatakan perbaikan %s selesai berkat gotong royong seluruh warga %s.\n",
             site, place[k % 10], thing[k % 10], place[k % 10], place[k / 10 % 10],
             thing[(k + 3) % 10], site);
}

/*
 * Sites a.example (10 documents) and b.example (25), learned, and c.example
 * (4, too small to learn):
 *   - FOOTER_A in every document of a: repeated furniture of a;
 *   - FOOTER_C in every document of c: c is too small, so it stays;
 *   - NETWORK in every document of a and b and in c's: a network's line;
 *   - SYND in three documents of a and one of b: frequent in a, ordinary in b
 *     (one page in 25 is under min_share; one in 10 would prove nothing):
 *     shared, kept everywhere;
 *   - TWICE in two documents of a: under the threshold of 3;
 *   - a7 and b7 carry one article with its own dateline, "3 Januari 2022":
 *     the dateline rule would remove it, but two learned sites print it with
 *     the article, so it stays; other documents' datelines go.
 */
static const char *ARTICLE =
    "Banjir Besar Melanda Kota Semarang\n"
    "3 Januari 2022\n"
    "Hujan deras sejak Minggu malam membuat ratusan rumah di Semarang utara terendam air setinggi pinggang orang dewasa dan warga mengungsi.\n"
    "Badan penanggulangan bencana mengirim perahu karet dan dapur umum ke lima kelurahan yang paling parah terdampak banjir tahun ini.\n";

/* Letters for n: copies differ in words, not digits. */
static void letters(char *out, int n)
{
    int i = 0;
    do {
        out[i++] = (char)('a' + n % 26);
        n /= 26;
    } while (n && i < 8);
    out[i] = '\0';
}

/* The corpus described above, `copies` times over: copy j > 0 adds a line
 * of its own to every document (so that none is an exact copy of another)
 * and its own ids. */
static char *corpus_copies(size_t *len, int copies)
{
    test_buf b = { 0 };
    char t[8192], bd[1024], id[64], w[16], extra[128];
    for (int j = 0; j < copies; j++) {
        letters(w, j);
        if (j) snprintf(extra, sizeof extra, "Laporan seri %s disusun oleh tim redaksi kami hari ini.\n", w);
        else extra[0] = '\0';
        for (int k = 0; k < 10; k++) {
            body(bd, sizeof bd, "a", k);
            snprintf(id, sizeof id, "a%d%s", k, j ? w : "");
            if (k == 7) snprintf(t, sizeof t, "%s%s%s\n%s\n", ARTICLE, extra, FOOTER_A, NETWORK);
            else
                snprintf(t, sizeof t, "Judul Berita Nomor %d Hari Ini\n%d Februari 2022\n%s%s%s%s%s\n%s\n",
                         k, k + 1, bd, extra, k < 3 ? SYND "\n" : "", k >= 3 && k < 5 ? TWICE "\n" : "",
                         FOOTER_A, NETWORK);
            record(&b, id, "a.example", t);
        }
        for (int k = 0; k < 25; k++) {
            body(bd, sizeof bd, "b", k);
            snprintf(id, sizeof id, "b%d%s", k, j ? w : "");
            if (k == 7) snprintf(t, sizeof t, "%s%s%s\n", ARTICLE, extra, NETWORK);
            else snprintf(t, sizeof t, "%s%s%s%s\n", bd, extra, k == 0 ? SYND "\n" : "", NETWORK);
            record(&b, id, "b.example", t);
        }
        for (int k = 0; k < 4; k++) {
            body(bd, sizeof bd, "c", k);
            snprintf(id, sizeof id, "c%d%s", k, j ? w : "");
            snprintf(t, sizeof t, "%s%s%s\n%s\n", bd, extra, FOOTER_C, NETWORK);
            record(&b, id, "c.example", t);
        }
    }
    *len = b.len;
    return b.s;
}

static char *corpus_text(size_t *len) { return corpus_copies(len, 1); }

static gema_corpus *load(const char *text, size_t len)
{
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", text, len, GEMA_FORMAT_JSONL), GEMA_OK);
    return c;
}

/* What a run produced: records and cleaned texts by record index. */
typedef struct {
    char *rec[2048];
    char *text[2048];
    size_t n;
} run_out;

static int collect(void *user, const gema_cleaned *r)
{
    run_out *o = user;
    size_t i = gema_cleaned_index(r), len;
    assert_true(i < 2048);
    const char *rec = gema_cleaned_record(r, &len);
    o->rec[i] = strndup(rec ? rec : "", len);
    const char *t = gema_cleaned_text(r, &len);
    o->text[i] = strndup(t, len);
    o->n++;
    return 0;
}

static void free_out(run_out *o)
{
    for (size_t i = 0; i < 2048; i++) {
        free(o->rec[i]);
        free(o->text[i]);
    }
}

static void run(const gema_corpus *c, const gema_clean_options *opt, run_out *o,
                gema_cleaner_info *info)
{
    memset(o, 0, sizeof *o);
    gema_cleaner *cl = NULL;
    assert_int_equal(gema_cleaner_learn(c, opt, &cl), GEMA_OK);
    if (info) gema_cleaner_info_get(cl, info);
    gema_clean_stats st;
    assert_int_equal(gema_clean_run(c, cl, opt, collect, o, &st), GEMA_OK);
    assert_int_equal(st.records, gema_corpus_count(c));
    gema_cleaner_free(cl);
}

static void test_learn_repetition_within_site(void **state)
{
    (void)state;
    size_t len;
    char *text = corpus_text(&len);
    gema_corpus *c = load(text, len);
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    run_out o;
    gema_cleaner_info info;
    run(c, &opt, &o, &info);
    assert_int_equal(o.n, 39);
    assert_int_equal(info.sites, 3);
    assert_int_equal(info.sites_learned, 2);
    for (int k = 0; k < 10; k++) {
        assert_null(strstr(o.text[k], FOOTER_A));        /* a's furniture */
        assert_null(strstr(o.text[k], NETWORK));         /* frequent in a and b */
        if (k != 7) assert_non_null(strstr(o.text[k], "Warga a di"));
    }
    assert_non_null(strstr(o.text[0], SYND));            /* shared with b: kept */
    assert_non_null(strstr(o.text[10], SYND));
    assert_non_null(strstr(o.text[3], TWICE));           /* two documents: under 3 */
    for (int k = 35; k < 39; k++) {
        assert_non_null(strstr(o.text[k], FOOTER_C));    /* c is too small to learn */
        assert_null(strstr(o.text[k], NETWORK));         /* but a network's line goes */
    }
    assert_true(info.network_lines >= 1);   /* (NETWORK, c) */
    assert_true(info.shared_lines >= 1);
    free_out(&o);

    /* Without the cross-site check, the syndicated line is a's furniture. */
    opt.shared_sites = 0;
    run(c, &opt, &o, NULL);
    assert_null(strstr(o.text[0], SYND));
    assert_non_null(strstr(o.text[10], SYND));           /* once in b */
    free_out(&o);

    /* Thresholds: a line in two documents of a is furniture at min_repeat 2;
     * with min_site_docs 4, c is learned and its footer goes. */
    gema_clean_options_default(&opt);
    opt.min_repeat = 2;
    opt.min_site_docs = 4;
    run(c, &opt, &o, &info);
    assert_null(strstr(o.text[3], TWICE));
    assert_null(strstr(o.text[35], FOOTER_C));
    assert_int_equal(info.sites_learned, 3);
    free_out(&o);

    /* min_share: at 0.5 a site of 10 needs a line in 5 documents. */
    gema_clean_options_default(&opt);
    opt.min_share = 0.5;
    opt.shared_sites = 0;
    run(c, &opt, &o, NULL);
    assert_non_null(strstr(o.text[0], SYND));             /* 3 of 10 */
    assert_null(strstr(o.text[1], FOOTER_A));
    free_out(&o);
    gema_corpus_free(c);
    free(text);
}

static void test_protection_of_syndicated_lines(void **state)
{
    (void)state;
    size_t len;
    char *text = corpus_text(&len);
    gema_corpus *c = load(text, len);
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    run_out o;
    gema_cleaner_info info;
    run(c, &opt, &o, &info);
    /* a7 and b7: the article's own dateline travels with it. */
    assert_non_null(strstr(o.text[7], "3 Januari 2022"));
    assert_non_null(strstr(o.text[17], "3 Januari 2022"));
    assert_true(info.protected_lines >= 1);
    /* Other datelines go. */
    assert_null(strstr(o.text[1], "2 Februari 2022"));
    free_out(&o);
    /* Without the cross-site check the rules take it. */
    opt.shared_sites = 0;
    run(c, &opt, &o, NULL);
    assert_null(strstr(o.text[7], "3 Januari 2022"));
    free_out(&o);
    /* One-pass cleaning has no corpus to ask. */
    gema_cleaner *cl = NULL;
    gema_clean_options_default(&opt);
    assert_int_equal(gema_cleaner_new(&opt, &cl), GEMA_OK);
    memset(&o, 0, sizeof o);
    assert_int_equal(gema_clean_run(c, cl, &opt, collect, &o, NULL), GEMA_OK);
    assert_null(strstr(o.text[7], "3 Januari 2022"));
    assert_non_null(strstr(o.text[1], FOOTER_A));
    free_out(&o);
    gema_cleaner_free(cl);
    gema_corpus_free(c);
    free(text);
}

static void test_same_at_any_thread_count(void **state)
{
    (void)state;
    size_t len;
    /* 1950 records: several learning chunks of 256 and cleaning batches. */
    char *text = corpus_copies(&len, 50);
    gema_corpus *c = load(text, len);
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    run_out one, three;
    gema_cleaner_info i1, i3;
    run(c, &opt, &one, &i1);
    opt.threads = 3;
    run(c, &opt, &three, &i3);
    assert_int_equal(one.n, three.n);
    for (size_t k = 0; k < one.n; k++) assert_string_equal(one.rec[k], three.rec[k]);
    assert_int_equal(i1.furniture_lines, i3.furniture_lines);
    assert_int_equal(i1.protected_lines, i3.protected_lines);
    assert_int_equal(i1.candidates, i3.candidates);
    free_out(&one);
    free_out(&three);
    gema_corpus_free(c);
    free(text);
}

/* Code points of s[0..bytes). */
static size_t cps(const char *s, size_t bytes)
{
    size_t n = 0;
    for (size_t i = 0; i < bytes; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static void check_removals_and_repairs(const char *orig)
{
    gema_cleaner *cl = NULL;
    assert_int_equal(gema_cleaner_new(NULL, &cl), GEMA_OK);
    gema_cleaned *r = NULL;
    assert_int_equal(gema_cleaned_new(&r), GEMA_OK);
    gema_doc d;
    memset(&d, 0, sizeof d);
    d.text = orig;
    d.text_len = strlen(orig);
    d.id = "x";
    d.id_len = 1;
    d.index = 5;
    assert_int_equal(gema_cleaner_apply(cl, &d, r), GEMA_OK);
    assert_int_equal(gema_cleaned_index(r), 5);
    assert_true(gema_cleaned_changed(r));
    size_t n = gema_cleaned_removal_count(r);
    assert_true(n >= 2);
    for (size_t k = 0; k < n; k++) {
        gema_clean_removal m;
        assert_int_equal(gema_cleaned_removal(r, k, &m), GEMA_OK);
        /* The removed line, as repaired, is at [start, end) code points of
         * the original: find the original line by its line number. */
        const char *p = orig;
        for (size_t line = 1; line < m.line; line++) p = strchr(p, '\n') + 1;
        const char *e = strchr(p, '\n');
        if (!e) e = orig + strlen(orig);
        assert_int_equal(m.start, cps(orig, (size_t)(p - orig)));
        assert_int_equal(m.end, cps(orig, (size_t)(e - orig)));
        assert_true(m.reason > GEMA_CLEAN_KEPT && m.reason < GEMA_CLEAN_REASONS);
        assert_true(m.text_len > 0 && strlen(gema_clean_reason_name(m.reason)) > 0);
    }
    gema_clean_removal m;
    assert_int_equal(gema_cleaned_removal(r, n, &m), GEMA_ERR_RANGE);
    for (size_t k = 0; k < gema_cleaned_repair_count(r); k++) {
        gema_clean_repair p;
        assert_int_equal(gema_cleaned_repair(r, k, &p), GEMA_OK);
        /* from is the original text at [start, end) code points. */
        size_t a = 0, cp = 0;
        while (cp < p.start) cp += ((unsigned char)orig[++a] & 0xC0) != 0x80;
        assert_memory_equal(orig + a, p.from, p.from_len);
        assert_int_equal(cps(p.from, p.from_len), p.end - p.start);
        assert_string_equal(p.codepage, "cp874");
    }
    /* Every byte of the cleaned text maps back to the same text in the
     * original (outside repaired spans). */
    size_t clen;
    const char *clean = gema_cleaned_text(r, &clen);
    const char *body = strstr(clean, "Warga");
    assert_non_null(body);
    size_t at = gema_cleaned_source_offset(r, (size_t)(body - clean));
    assert_memory_equal(orig + at, "Warga", 5);
    /* A span ending at the last kept character before "Warga" ends there
     * in the original too, not after the removed lines that follow it. */
    size_t e = (size_t)(body - clean);
    while (e > 0 && clean[e - 1] == '\n') e--;
    size_t oe = gema_cleaned_source_end(r, e);
    assert_true(oe > 0 && oe < at);
    assert_int_equal(orig[oe - 1], clean[e - 1]);
    assert_int_equal(gema_cleaned_source_end(r, 0), gema_cleaned_source_offset(r, 0));
    gema_cleaned_free(r);
    gema_cleaner_free(cl);
}

static void test_report_positions(void **state)
{
    (void)state;
    /* Plain, with multi-byte characters before the removed lines. */
    check_removals_and_repairs("Berita \xE2\x80\x9CTerkini\xE2\x80\x9D Hari Ini\nADVERTISEMENT\n"
                               "Warga kampung \xC3\xA9t\xC3\xA9 memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\n"
                               "Bagikan:\n\nKepala desa mengatakan perbaikan selesai dalam tiga hari berkat gotong royong seluruh warga.\n");
    /* With mojibake repaired before the removed lines: positions are still
     * those of the original text. */
    check_removals_and_repairs("\xE0\xB8\xA2\xE0\xB8\xA9 2025 PT Contoh Media\nADVERTISEMENT\n"
                               "Warga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\n"
                               "Bagikan:\n\nKepala desa mengatakan perbaikan selesai dalam tiga hari berkat gotong royong seluruh warga.\n");
}

static void test_records_keep_other_fields(void **state)
{
    (void)state;
    const char *in =
        "{\"id\": \"r1\", \"score\": 1.0, \"text\": \"ADVERTISEMENT\\nWarga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu pada hari Minggu.\", \"tags\": [\"x\", {\"text\": \"nested\"}]}\n"
        "{\"id\":\"r2\",\"text\":\"Warga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu pada hari Minggu.\",\"n\":1e3}\n"
        "{\"id\":\"r3\",\"text\":\"no closing\"\n"
        "{\"id\":\"r4\",\"text\":\"Caf\xC3\xA9 \\u00e9t\xC3\xA9 \\\"kutipan\\\"\\nSCROLL TO CONTINUE WITH CONTENT\\nWarga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\"}\n";
    gema_corpus *c = load(in, strlen(in));
    gema_cleaner *cl = NULL;
    assert_int_equal(gema_cleaner_new(NULL, &cl), GEMA_OK);
    run_out o;
    memset(&o, 0, sizeof o);
    gema_clean_stats st;
    assert_int_equal(gema_clean_run(c, cl, NULL, collect, &o, &st), GEMA_OK);
    assert_string_equal(o.rec[0],
                        "{\"id\": \"r1\", \"score\": 1.0, \"text\": \"Warga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu pada hari Minggu.\", \"tags\": [\"x\", {\"text\": \"nested\"}]}");
    /* Unchanged: the line byte for byte. */
    assert_string_equal(o.rec[1], "{\"id\":\"r2\",\"text\":\"Warga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu pada hari Minggu.\",\"n\":1e3}");
    assert_int_equal(st.rejected, 1);
    assert_string_equal(o.rec[2], "");
    assert_string_equal(o.rec[3], "{\"id\":\"r4\",\"text\":\"Caf\xC3\xA9 \xC3\xA9t\xC3\xA9 \\\"kutipan\\\"\\nWarga kampung memperbaiki saluran air yang rusak setelah hujan deras mengguyur wilayah itu.\"}");
    assert_int_equal(st.lines_removed, 2);
    assert_int_equal(st.removed_by[GEMA_CLEAN_LABEL], 2);
    assert_int_equal(st.unrewritten, 0);
    free_out(&o);
    gema_corpus_free(c);

    /* Plain text: {"id","text"} with the path as id. */
    const char *txt = "Bagikan:\nWarga kampung memperbaiki saluran \"air\" yang rusak.\n";
    c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "site/one.txt", txt, strlen(txt), GEMA_FORMAT_TEXT), GEMA_OK);
    memset(&o, 0, sizeof o);
    assert_int_equal(gema_clean_run(c, cl, NULL, collect, &o, NULL), GEMA_OK);
    assert_string_equal(o.rec[0], "{\"id\":\"site/one.txt\",\"text\":\"Warga kampung memperbaiki saluran \\\"air\\\" yang rusak.\\n\"}");
    free_out(&o);
    gema_corpus_free(c);
    gema_cleaner_free(cl);
}

static void test_options_and_arguments(void **state)
{
    (void)state;
    gema_clean_options opt;
    gema_clean_options_default(&opt);
    gema_cleaner *cl = NULL;
    opt.min_share = 1.5;
    assert_int_equal(gema_cleaner_new(&opt, &cl), GEMA_ERR_ARG);
    gema_clean_options_default(&opt);
    opt.min_repeat = 1;
    assert_int_equal(gema_cleaner_new(&opt, &cl), GEMA_ERR_ARG);
    assert_int_equal(gema_cleaner_new(NULL, NULL), GEMA_ERR_ARG);
    assert_int_equal(gema_cleaner_learn(NULL, NULL, &cl), GEMA_ERR_ARG);
    gema_cleaner_free(NULL);
    gema_cleaned_free(NULL);
    assert_string_equal(gema_clean_reason_name(GEMA_CLEAN_REPEATED), "repeated-in-site");
    assert_string_equal(gema_clean_reason_name(GEMA_CLEAN_DUPLICATE), "duplicate-line");
    assert_string_equal(gema_clean_reason_name((gema_clean_reason)99), "unknown");
    /* Repair off and furniture off: the text comes back as it was. */
    gema_clean_options_default(&opt);
    opt.repair = 0;
    opt.furniture = 0;
    assert_int_equal(gema_cleaner_new(&opt, &cl), GEMA_OK);
    gema_cleaned *r = NULL;
    assert_int_equal(gema_cleaned_new(&r), GEMA_OK);
    gema_doc d;
    memset(&d, 0, sizeof d);
    d.text = "\xE0\xB8\xA2\xE0\xB8\xA9 2025\nADVERTISEMENT\n";
    d.text_len = strlen(d.text);
    assert_int_equal(gema_cleaner_apply(cl, &d, r), GEMA_OK);
    size_t len;
    assert_string_equal(gema_cleaned_text(r, &len), d.text);
    assert_false(gema_cleaned_changed(r));
    /* A rejected document gives an empty result that says so. */
    d.reject = GEMA_REJECT_MALFORMED_JSON;
    assert_int_equal(gema_cleaner_apply(cl, &d, r), GEMA_OK);
    assert_int_equal(gema_cleaned_reject(r), GEMA_REJECT_MALFORMED_JSON);
    assert_int_equal(gema_cleaned_removal_count(r), 0);
    gema_cleaned_free(r);
    gema_cleaner_free(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learn_repetition_within_site),
        cmocka_unit_test(test_protection_of_syndicated_lines),
        cmocka_unit_test(test_same_at_any_thread_count),
        cmocka_unit_test(test_report_positions),
        cmocka_unit_test(test_records_keep_other_fields),
        cmocka_unit_test(test_options_and_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
