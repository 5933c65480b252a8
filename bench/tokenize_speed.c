/*
 * tokenize_speed.c - throughput of the tokeniser's three paths over the texts
 * of a corpus: hashes only (the block path), spans (the span block path) and
 * spans through the general path alone (what spans cost before the span
 * path).  Prints one JSON object: MB/s of input text, best of the rounds, and
 * whether the span and general results agree (every token, every byte of the
 * normalised text).  Times are CPU seconds of the process.
 *
 *   tokenize_speed FILE.jsonl [--docs N] [--rounds R] [--mode hash|spans|spans_general]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gema.h"
#include "tokenize.h"

typedef struct {
    char *data;      /* every text, back to back */
    size_t *off;     /* n + 1 offsets into data */
    size_t n;
} texts;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load(const char *path, size_t max_docs, texts *T)
{
    gema_corpus *c = NULL;
    gema_reader *r = NULL;
    if (gema_corpus_new(NULL, &c) != GEMA_OK || gema_corpus_add_path(c, path) != GEMA_OK ||
        gema_reader_new(c, &r) != GEMA_OK)
        return -1;
    size_t n = gema_corpus_count(c);
    if (max_docs && n > max_docs) n = max_docs;
    size_t cap = 1 << 20, len = 0;
    T->data = malloc(cap);
    T->off = malloc((n + 1) * sizeof *T->off);
    if (!T->data || !T->off) return -1;
    T->n = 0;
    for (size_t i = 0; i < n; i++) {
        gema_doc d;
        if (gema_reader_get(r, i, &d) != GEMA_OK || d.reject != GEMA_REJECT_NONE) continue;
        while (len + d.text_len > cap) {
            cap *= 2;
            char *p = realloc(T->data, cap);
            if (!p) return -1;
            T->data = p;
        }
        T->off[T->n++] = len;
        memcpy(T->data + len, d.text, d.text_len);
        len += d.text_len;
    }
    T->off[T->n] = len;
    gema_reader_free(r);
    gema_corpus_free(c);
    return 0;
}

/* Seconds for one pass over every text; *tokens counts what was found. */
static double pass(const texts *T, gema_tokenizer *t, unsigned flags, size_t *tokens)
{
    size_t k = 0;
    double t0 = now();
    for (size_t i = 0; i < T->n; i++) {
        if (gema_tokenize(t, T->data + T->off[i], T->off[i + 1] - T->off[i], flags) != GEMA_OK)
            exit(1);
        k += t->count;
    }
    *tokens = k;
    return now() - t0;
}

static int same(const gema_tokenizer *a, const gema_tokenizer *b)
{
    if (a->count != b->count || a->norm.len != b->norm.len ||
        memcmp(a->norm.data, b->norm.data, a->norm.len) != 0)
        return 0;
    for (size_t i = 0; i < a->count; i++) {
        const gema_token *x = &a->tok[i], *y = &b->tok[i];
        if (a->hash[i] != b->hash[i] || x->start != y->start || x->end != y->end ||
            x->nstart != y->nstart || x->nlen != y->nlen || x->flags != y->flags)
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tokenize_speed FILE.jsonl [--docs N] [--rounds R] [--mode M]\n");
        return 2;
    }
    size_t max_docs = 0;
    int rounds = 3;
    const char *only = NULL; /* one mode, to profile it alone */
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--docs") == 0) max_docs = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--rounds") == 0) rounds = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mode") == 0) only = argv[i + 1];
    }
    texts T = { 0 };
    if (load(argv[1], max_docs, &T) != 0) {
        fprintf(stderr, "tokenize_speed: cannot read %s\n", argv[1]);
        return 1;
    }
    gema_tokenizer a, b;
    gema_tokenizer_init(&a);
    gema_tokenizer_init(&b);
    int agree = 1;
    for (size_t i = 0; i < T.n && agree && !only; i++) {
        const char *s = T.data + T.off[i];
        size_t n = T.off[i + 1] - T.off[i];
        if (gema_tokenize(&a, s, n, GEMA_TOKENIZE_SPANS) != GEMA_OK ||
            gema_tokenize(&b, s, n, GEMA_TOKENIZE_SPANS | GEMA_TOKENIZE_GENERAL) != GEMA_OK)
            return 1;
        agree = same(&a, &b);
        if (!agree) fprintf(stderr, "tokenize_speed: paths differ on text %zu\n", i);
    }
    static const struct {
        const char *name;
        unsigned flags;
    } modes[] = { { "hash", 0 },
                  { "spans", GEMA_TOKENIZE_SPANS },
                  { "spans_general", GEMA_TOKENIZE_SPANS | GEMA_TOKENIZE_GENERAL } };
    double mb = (double)T.off[T.n] / 1e6;
    printf("{\"texts\": %zu, \"mb\": %.1f, \"agree\": %s", T.n, mb,
           only ? "null" : agree ? "true" : "false");
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        if (only && strcmp(only, modes[m].name) != 0) continue;
        double best = 1e30;
        size_t tokens = 0;
        for (int r = 0; r < rounds; r++) {
            double s = pass(&T, &a, modes[m].flags, &tokens);
            if (s < best) best = s;
        }
        printf(", \"%s_mb_s\": %.0f, \"%s_mtokens\": %.2f", modes[m].name, mb / best,
               modes[m].name, (double)tokens / 1e6);
    }
    printf("}\n");
    gema_tokenizer_free(&a);
    gema_tokenizer_free(&b);
    free(T.data);
    free(T.off);
    return agree ? 0 : 1;
}
