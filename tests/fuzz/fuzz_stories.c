/*
 * fuzz_stories.c - gema_stories_run on arbitrary bytes, read as a JSONL
 * corpus (records with any text, titles, dates) and as one plain-text
 * document.
 *
 * Checks what the output promises: the run never fails on bad input (bad
 * records are rejected); every record is rejected or in exactly one story,
 * and the story lists agree with the per-record answers; duplicates are in
 * the story of the record they follow; story numbers follow the stream;
 * headlines are NUL-terminated one-line strings of at most 200 bytes; the
 * result is the same at 1 and 2 threads; a one-day half-life (a short
 * window over dated records) and windows of two articles by stream position
 * keep the same promises; stories passed to on_story as they close are the
 * stories a run that keeps them gives, numbered as they were passed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gema.h"
#include "fuzzutil.h"

static gema_stories *run_with(const gema_corpus *c, unsigned threads, double half_life,
                              size_t window_articles, gema_story_fn on_story, void *user)
{
    gema_stories_options o;
    gema_stories_options_default(&o);
    o.on_story = on_story;
    o.on_story_user = user;
    o.threads = threads;
    o.half_life_days = half_life;
    o.window_articles = window_articles;
    o.grace_days = half_life > 0 ? 0.1 : 1;
    gema_stories *s = NULL;
    int rc = gema_stories_run(c, &o, &s);
    CHECK(rc == GEMA_OK);
    return s;
}

static gema_stories *run_once(const gema_corpus *c, unsigned threads, double half_life,
                              size_t window_articles)
{
    return run_with(c, threads, half_life, window_articles, NULL, NULL);
}

/* A streamed run checked against the kept stories of the same options. */
typedef struct {
    const gema_stories *kept;
    size_t passed;
    size_t *kept_of;  /* per story passed: the kept story it equals */
} streamed;

static int on_story(void *user, size_t k, const gema_story *st)
{
    streamed *sd = user;
    CHECK(k == sd->passed);
    CHECK(st->size >= 1);
    gema_story_doc d;
    CHECK(gema_stories_doc_info(sd->kept, st->members[0], &d) == GEMA_OK);
    gema_story b;
    CHECK(gema_stories_get(sd->kept, d.story, &b) == GEMA_OK);
    CHECK(b.size == st->size);
    CHECK(memcmp(b.members, st->members, st->size * sizeof *st->members) == 0);
    CHECK(b.headline_record == st->headline_record && strcmp(b.headline, st->headline) == 0);
    CHECK(b.first == st->first && b.last == st->last);
    CHECK(b.nterms == st->nterms && b.nnames == st->nnames);
    for (size_t i = 0; i < st->nterms; i++) CHECK(strcmp(b.terms[i], st->terms[i]) == 0);
    for (size_t i = 0; i < st->nnames; i++) CHECK(strcmp(b.names[i], st->names[i]) == 0);
    sd->kept_of[sd->passed++] = d.story;
    return GEMA_OK;
}

static void check_streamed(const gema_corpus *c, const gema_stories *kept, double half_life,
                           size_t window_articles)
{
    size_t ns = gema_stories_count(kept), n = gema_corpus_count(c);
    streamed sd = { kept, 0, calloc(ns ? ns : 1, sizeof(size_t)) };
    CHECK(sd.kept_of);
    gema_stories *s = run_with(c, 1, half_life, window_articles, on_story, &sd);
    CHECK(sd.passed == ns && gema_stories_count(s) == 0);
    gema_stories_stats stats;
    gema_stories_stats_get(s, &stats);
    CHECK(stats.stories == ns);
    for (size_t i = 0; i < n; i++) {
        gema_story_doc x, y;
        gema_stories_doc_info(s, i, &x);
        gema_stories_doc_info(kept, i, &y);
        CHECK(x.decision == y.decision && x.score == y.score);
        CHECK(x.story == SIZE_MAX ? y.story == SIZE_MAX : sd.kept_of[x.story] == y.story);
    }
    gema_stories_free(s);
    free(sd.kept_of);
}

static void check(const gema_corpus *c, const gema_stories *s)
{
    size_t n = gema_corpus_count(c);
    size_t ns = gema_stories_count(s);
    size_t *in = calloc(n ? n : 1, sizeof *in);
    CHECK(in);
    size_t total = 0;
    for (size_t k = 0; k < ns; k++) {
        gema_story st;
        CHECK(gema_stories_get(s, k, &st) == GEMA_OK);
        CHECK(st.size >= 1);
        CHECK(st.headline != NULL);
        size_t hl = strlen(st.headline);
        CHECK(hl <= 200);
        CHECK(memchr(st.headline, '\n', hl) == NULL);
        for (size_t i = 0; i < st.nterms; i++) CHECK(st.terms[i] && st.terms[i][0]);
        for (size_t i = 0; i < st.nnames; i++) CHECK(st.names[i] && st.names[i][0]);
        for (size_t m = 0; m < st.size; m++) {
            CHECK(st.members[m] < n);
            CHECK(in[st.members[m]] == 0);
            in[st.members[m]] = k + 1;
        }
        total += st.size;
    }
    gema_stories_stats stats;
    gema_stories_stats_get(s, &stats);
    CHECK(stats.records == n);
    CHECK(stats.articles + stats.rejected == n);
    CHECK(total == stats.articles);
    CHECK(stats.stories == ns);
    for (size_t i = 0; i < n; i++) {
        gema_story_doc d;
        CHECK(gema_stories_doc_info(s, i, &d) == GEMA_OK);
        if (d.decision == GEMA_STORY_REJECTED) {
            CHECK(d.story == SIZE_MAX && in[i] == 0 && d.reject != GEMA_REJECT_NONE);
            continue;
        }
        CHECK(d.story < ns && in[i] == d.story + 1);
        CHECK(d.language && d.language[0]);
        if (d.decision == GEMA_STORY_DUPLICATE) {
            gema_story_doc o;
            CHECK(d.duplicate_of < n);
            CHECK(gema_stories_doc_info(s, d.duplicate_of, &o) == GEMA_OK);
            CHECK(o.story == d.story);
        } else {
            CHECK(d.duplicate_of == SIZE_MAX);
        }
    }
    free(in);
}

static void same(const gema_corpus *c, const gema_stories *a, const gema_stories *b)
{
    CHECK(gema_stories_count(a) == gema_stories_count(b));
    for (size_t i = 0; i < gema_corpus_count(c); i++) {
        gema_story_doc x, y;
        gema_stories_doc_info(a, i, &x);
        gema_stories_doc_info(b, i, &y);
        CHECK(x.story == y.story && x.decision == y.decision && x.score == y.score);
    }
}

static void corpus_run(const char *name, gema_format format, const uint8_t *data, size_t size,
                       int full)
{
    gema_corpus *c = NULL;
    CHECK(gema_corpus_new(NULL, &c) == GEMA_OK);
    if (gema_corpus_add_memory(c, name, data, size, format) != GEMA_OK) {
        gema_corpus_free(c);
        return;
    }
    gema_stories *one = run_once(c, 1, 0, 0);
    check(c, one);
    if (full) {
        gema_stories *two = run_once(c, 2, 0, 0);
        same(c, one, two);
        gema_stories_free(two);
        gema_stories *timed = run_once(c, 1, 1.0, 0);
        check(c, timed);
        check_streamed(c, timed, 1.0, 0);
        gema_stories_free(timed);
        gema_stories *by_position = run_once(c, 1, 0, 2);
        check(c, by_position);
        check_streamed(c, by_position, 0, 2);
        gema_stories_free(by_position);
    }
    gema_stories_free(one);
    gema_corpus_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1 << 18)) return 0;
    corpus_run("fuzz.jsonl", GEMA_FORMAT_JSONL, data, size, 1);
    corpus_run("fuzz.txt", GEMA_FORMAT_TEXT, data, size, 0);
    return 0;
}
