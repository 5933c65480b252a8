/*
 * test_reader.c - gema_reader_get_meta() against gema_reader_get(): the
 * same rejects and the same fields, the text alone left out, whichever
 * parser (the scanner or cJSON) reads the record.
 */
#include "testutil.h"

#include "corpus.h"

/* Every kind of record the reader tells apart: read by the scanner, by
 * cJSON, rejected for each reason, with escapes, invalid bytes and NULs in
 * the text and in the other members. */
static const char jsonl[] =
    "{\"id\":\"a\",\"text\":\"one\\ntwo\",\"url\":\"https://www.Example.com/x\",\"date\":\"2021-12-15\"}\n"
    "{\"id\":12,\"text\":\"numeric id\",\"date\":1639526400}\n"
    "{\"id\":1.5,\"text\":\"fraction id\"}\n"
    "{\"text\":\"no id\",\"title\":\"T\\u00edtulo\"}\n"
    "{\"id\":\"b\",\"text\":\"nul \\u0000 inside\"}\n"
    "{\"id\":\"c\",\"text\":\"raw nul \0 inside\"}\n"
    "{\"id\":\"d\",\"text\":\"bad \xFF byte\",\"title\":\"bad \xC3 title\"}\n"
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
    "{\"id\":\"o\",\"text\":\"x\",\"url\":7}\n"
    "{\"id\":\"p\\u00e9\\\"q\",\"text\":\"caf\xC3\xA9 \\ud83d\\ude00\",\"date\":\"16 Desember 2021 1:02 WIB\"}\n"
    "{\"id\":\"q\",\"text\":\"\",\"date\":1639526400123}\n"
    "{\"id\":\"r\",\"text\":\"long enough to pass the limit of 100 bytes set below, and so to be rejected for being too big\"}\n"
    "{\"id\":\"s\",\"text\":\"x\",\"date\":{\"nested\":true}}\n";

/* a and b agree on everything but the text fields; b has none. */
static void same_but_text(const gema_doc *a, const gema_doc *b)
{
    assert_int_equal(a->reject, b->reject);
    assert_int_equal(a->index, b->index);
    assert_true(a->raw == b->raw);
    assert_int_equal(a->raw_len, b->raw_len);
    assert_true(a->file == b->file);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->offset, b->offset);
    assert_int_equal(a->format, b->format);
    assert_true(a->time == b->time);
    assert_null(b->text);
    assert_int_equal(b->text_len, 0);
    assert_int_equal(b->invalid_bytes, 0);
    const char *fa[] = { a->id, a->url, a->date, a->title, a->site };
    const char *fb[] = { b->id, b->url, b->date, b->title, b->site };
    size_t la[] = { a->id_len, a->url_len, a->date_len, a->title_len, a->site_len };
    size_t lb[] = { b->id_len, b->url_len, b->date_len, b->title_len, b->site_len };
    for (int k = 0; k < 5; k++) {
        assert_true((fa[k] == NULL) == (fb[k] == NULL));
        assert_int_equal(la[k], lb[k]);
        if (fa[k]) {
            assert_memory_equal(fa[k], fb[k], la[k]);
            assert_int_equal(fb[k][lb[k]], '\0');
        }
    }
}

/* Each record through gema_reader_get() on r and gema_reader_get_meta() on
 * m, scanner on and off; x alternates both on the same records, so a meta
 * read after a full one and a full read after a meta one are checked too. */
static void compare_all(gema_corpus *c, size_t *rejects, size_t *spans)
{
    gema_reader *r = NULL, *m = NULL, *x = NULL;
    assert_int_equal(gema_reader_new(c, &r), GEMA_OK);
    assert_int_equal(gema_reader_new(c, &m), GEMA_OK);
    assert_int_equal(gema_reader_new(c, &x), GEMA_OK);
    *rejects = *spans = 0;
    for (int fast = 1; fast >= 0; fast--) {
        gema_reader_use_fast(r, fast);
        gema_reader_use_fast(m, fast);
        gema_reader_use_fast(x, fast);
        for (size_t i = 0; i < gema_corpus_count(c); i++) {
            gema_doc a, b;
            assert_int_equal(gema_reader_get(r, i, &a), GEMA_OK);
            assert_int_equal(gema_reader_get_meta(m, i, &b), GEMA_OK);
            same_but_text(&a, &b);
            /* The scanner still locates the text it did not decode. */
            size_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            int ra = gema_reader_text_span(r, &a0, &a1), rb = gema_reader_text_span(m, &b0, &b1);
            assert_int_equal(ra, rb);
            if (ra == GEMA_OK) {
                assert_int_equal(a0, b0);
                assert_int_equal(a1, b1);
                *spans += (size_t)fast;
            }
            *rejects += fast && a.reject != GEMA_REJECT_NONE;
            gema_doc xb, xa;
            assert_int_equal(gema_reader_get_meta(x, i, &xb), GEMA_OK);
            same_but_text(&a, &xb);
            assert_int_equal(gema_reader_get(x, i, &xa), GEMA_OK);
            assert_int_equal(xa.reject, a.reject);
            assert_int_equal(xa.text_len, a.text_len);
            assert_int_equal(xa.invalid_bytes, a.invalid_bytes);
            if (a.text) assert_memory_equal(xa.text, a.text, a.text_len + 1);
            else assert_null(xa.text);
            if (a.id) assert_memory_equal(xa.id, a.id, a.id_len + 1);
        }
    }
    gema_reader_free(r);
    gema_reader_free(m);
    gema_reader_free(x);
}

static void test_meta_jsonl(void **state)
{
    (void)state;
    gema_corpus_options o;
    gema_corpus_options_default(&o);
    o.site_field = "site";
    o.max_doc_bytes = 100;
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(&o, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", jsonl, sizeof jsonl - 1, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    assert_int_equal(gema_corpus_count(c), 23);
    size_t rejects, spans;
    compare_all(c, &rejects, &spans);
    assert_int_equal(rejects, 8); /* the seven of test_json_fast and the one too big */
    assert_true(spans >= 5);
    gema_corpus_free(c);
}

/* The text member's name asked for twice (as text and as title) is still
 * decoded for the title when the text is not. */
static void test_meta_shared_name(void **state)
{
    (void)state;
    static const char data[] = "{\"id\":\"a\",\"text\":\"x\\u00e9y\\n\"}\n";
    gema_corpus_options o;
    gema_corpus_options_default(&o);
    o.title_field = "text";
    o.id_field = "text";
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(&o, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "t.jsonl", data, sizeof data - 1, GEMA_FORMAT_JSONL),
                     GEMA_OK);
    size_t rejects, spans;
    compare_all(c, &rejects, &spans);
    gema_reader *m = NULL;
    assert_int_equal(gema_reader_new(c, &m), GEMA_OK);
    gema_doc d;
    assert_int_equal(gema_reader_get_meta(m, 0, &d), GEMA_OK);
    assert_string_equal(d.title, "x\xC3\xA9y\n");
    assert_string_equal(d.id, "x\xC3\xA9y\n");
    assert_null(d.text);
    gema_reader_free(m);
    gema_corpus_free(c);
}

/* Plain-text files: ids and sites are kept; binary files are rejected by
 * both; a few invalid bytes are not a reject. */
static void test_meta_text_files(void **state)
{
    (void)state;
    static const char ok[] = "\xEF\xBB\xBFPlain article text.\n";
    static const char bad[] = "Caf\xE9 in Latin-1, one bad byte.";
    static const char nul[] = "GIF89a\0\0\0";
    char binary[256];
    for (size_t i = 0; i < sizeof binary; i++) binary[i] = (char)(0x80 | (i * 7));
    gema_corpus *c = NULL;
    assert_int_equal(gema_corpus_new(NULL, &c), GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "news/a.txt", ok, sizeof ok - 1, GEMA_FORMAT_TEXT),
                     GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "news/b.txt", bad, sizeof bad - 1, GEMA_FORMAT_TEXT),
                     GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "img/c.gif", nul, sizeof nul - 1, GEMA_FORMAT_TEXT),
                     GEMA_OK);
    assert_int_equal(gema_corpus_add_memory(c, "img/d.bin", binary, sizeof binary, GEMA_FORMAT_TEXT),
                     GEMA_OK);
    assert_int_equal(gema_corpus_count(c), 4);
    size_t rejects, spans;
    compare_all(c, &rejects, &spans);
    assert_int_equal(rejects, 2);
    assert_int_equal(spans, 0);
    gema_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_jsonl),
        cmocka_unit_test(test_meta_shared_name),
        cmocka_unit_test(test_meta_text_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
