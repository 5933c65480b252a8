/*
 * fuzz_align.c - gema_align_texts and gema_passages_run on arbitrary bytes.
 *
 * Input: a control byte, then texts separated by NUL bytes.  Control bit 0
 * picks the mode: 0 aligns the first two texts (and checks that every
 * passage's edit script covers its spans exactly, in order); 1 runs
 * passages over all texts as a plain-text corpus (and checks spans and
 * groups stay inside their documents).  Bits 1-2 lower min_words so that
 * short inputs reach the alignment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"

static void check_alignment(const char *a, size_t na, const char *b, size_t nb,
                            const gema_passages_options *o)
{
    gema_alignment *al = NULL;
    int rc = gema_align_texts(a, na, b, nb, o, &al);
    if (rc != GEMA_OK) {
        CHECK(rc == GEMA_ERR_FORMAT || rc == GEMA_ERR_NOMEM);
        return;
    }
    for (size_t k = 0; k < gema_alignment_count(al); k++) {
        gema_passage p;
        CHECK(gema_alignment_get(al, k, &p) == GEMA_OK);
        CHECK(p.a.byte_start < p.a.byte_end && p.a.byte_end <= na);
        CHECK(p.b.byte_start < p.b.byte_end && p.b.byte_end <= nb);
        CHECK(p.a.start < p.a.end && p.b.start < p.b.end);
        CHECK(p.score >= 0.0 && p.score <= 1.0);
        const gema_edit *e;
        size_t n;
        CHECK(gema_alignment_edits(al, k, &e, &n) == GEMA_OK);
        size_t ea = p.a.byte_start, eb = p.b.byte_start;
        for (size_t i = 0; i < n; i++) {
            CHECK(e[i].a_start == ea && e[i].b_start == eb);
            CHECK(e[i].a_end >= e[i].a_start && e[i].b_end >= e[i].b_start);
            ea = e[i].a_end;
            eb = e[i].b_end;
        }
        CHECK(ea == p.a.byte_end && eb == p.b.byte_end);
    }
    gema_alignment_free(al);
}

static void check_run(const uint8_t *data, size_t size, const gema_passages_options *o)
{
    gema_corpus_options co;
    gema_corpus_options_default(&co);
    co.format = GEMA_FORMAT_TEXT;
    gema_corpus *c = NULL;
    if (gema_corpus_new(&co, &c) != GEMA_OK) return;
    size_t start = 0, docs = 0;
    char name[32];
    for (size_t i = 0; i <= size && docs < 16; i++) {
        if (i == size || data[i] == 0) {
            memcpy(name, "doc", 3);
            name[3] = (char)('a' + docs);
            memcpy(name + 4, ".txt", 5);
            if (gema_corpus_add_memory(c, name, data + start, i - start, GEMA_FORMAT_TEXT) != GEMA_OK)
                break;
            docs++;
            start = i + 1;
        }
    }
    gema_passages *p = NULL;
    if (gema_passages_run(c, o, &p) == GEMA_OK) {
        size_t n = gema_corpus_count(c);
        for (size_t k = 0; k < gema_passages_count(p); k++) {
            gema_passage ps;
            CHECK(gema_passages_get(p, k, &ps) == GEMA_OK);
            CHECK(ps.a.doc < ps.b.doc && ps.b.doc < n);
            CHECK(ps.group < gema_passages_group_count(p));
        }
        for (size_t g = 0; g < gema_passages_group_count(p); g++) {
            gema_passage_group gr;
            CHECK(gema_passages_group_get(p, g, &gr) == GEMA_OK);
            CHECK(gr.size >= 2);
            for (size_t i = 0; i < gr.size; i++) CHECK(gr.occ[i].doc < n);
        }
        gema_passages_free(p);
    }
    gema_corpus_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned ctl = data[0];
    data++;
    size--;
    gema_passages_options o;
    gema_passages_options_default(&o);
    static const unsigned words[4] = {15, 8, 4, 2};
    o.min_words = words[(ctl >> 1) & 3];
    o.threads = (ctl & 8) ? 2 : 1;
    if (ctl & 1) {
        check_run(data, size, &o);
        return 0;
    }
    const uint8_t *nul = memchr(data, 0, size);
    size_t na = nul ? (size_t)(nul - data) : size / 2;
    const char *b = (const char *)data + na + (nul ? 1 : 0);
    size_t nb = size - na - (nul ? 1 : 0);
    check_alignment((const char *)data, na, b, nb, &o);
    return 0;
}
