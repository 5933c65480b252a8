/*
 * mojibake_eval.c - how well encoding repair undoes generated mojibake, how
 * often it touches correct text, and how fast it runs.
 *
 *   mojibake_eval [--out RESULT.json] [--failures FILE] [--speed-mb N]
 *                 [--limit N] NAME=PATH...
 *
 * Each NAME=PATH is a set of correct documents: a directory of .txt files
 * (one document each), one .txt file, or a .jsonl file (its "text" fields,
 * the first --limit of them, default 300).  A document with no non-ASCII
 * character is replaced by its typographic form (curly quotes, apostrophes,
 * en dashes), as a publishing system would write it, so that there is
 * something to break.
 *
 * For each document and each code page (windows-1252, latin-1, cp874,
 * windows-1251, windows-1250, windows-1257) the mojibake is made the way it
 * happens: the UTF-8 bytes are decoded through the page and encoded again.
 * The byte tables come from iconv, independently of lib/mojibake.c; a byte
 * the page leaves undefined becomes the code point of its value (what
 * browsers and Python's latin-1 do).  Cases:
 *   whole    the whole document broken once;
 *   partial  one to three words with non-ASCII characters broken, the rest
 *            correct (a field pasted from another system);
 *   double   the whole document broken twice through the page;
 *   double-partial  one word broken twice.
 * A case is repaired when the output equals the original byte for byte;
 * otherwise it is "untouched" (output = broken input) or "wrong" (something
 * changed, not to the original).  The false-repair rate is the share of
 * correct documents (original and typographic form) the repair changes at all.
 *
 * Speed: gema_mojibake_suspect alone and gema_mojibake_fix (which runs the
 * suspect check first) over the documents one at a time, as gema clean calls
 * them, on (a) the news sets as they are, (b) the multilingual set (every
 * document non-ASCII: the slow path), (c) every document broken whole through
 * windows-1252, (d) the news sets with one word broken.  Each is repeated
 * until --speed-mb MB (default 100) went through; best of three, in MB per
 * second of the thread's CPU time (the machine is shared).
 *
 *   mojibake_eval break EVERY IN.jsonl OUT.jsonl
 *   mojibake_eval same EVERY A.jsonl B.jsonl
 *
 * For end-to-end runs of gema clean on a large corpus: `break` writes IN with
 * the "text" of every EVERY-th line (0, EVERY, 2 EVERY...) broken whole
 * through the six pages in turn; `same` counts, over those lines, how many
 * "text" fields of A and B are equal (gema clean of the broken corpus against
 * gema clean of the original), and prints it as JSON.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mojibake.h"

#define NPAGES GEMA_MOJIBAKE_PAGES
static const char *const iconv_names[NPAGES] = {
    "CP1252", "ISO-8859-1", "CP874", "CP1251", "CP1250", "CP1257"
};
enum { C_WHOLE, C_PARTIAL, C_DOUBLE, C_DOUBLE_PARTIAL, NCASES };
static const char *const case_names[NCASES] = { "whole", "partial", "double", "double_partial" };

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "mojibake_eval: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

typedef struct {
    char *s;
    size_t len;
    unsigned set;
    char *name;
} doc;

typedef struct {
    doc *v;
    size_t n, cap;
} docs;

#define MAX_SETS 16
static const char *set_names[MAX_SETS];
static unsigned nsets;

static void push_doc(docs *d, const char *s, size_t len, unsigned set, const char *name)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        d->v = realloc(d->v, d->cap * sizeof *d->v);
        if (!d->v) die("out of memory", NULL);
    }
    doc *x = &d->v[d->n++];
    x->s = malloc(len + 1);
    x->name = strdup(name);
    if (!x->s || !x->name) die("out of memory", NULL);
    memcpy(x->s, s, len);
    x->s[len] = 0;
    x->len = len;
    x->set = set;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    size_t cap = 1 << 16, n = 0, k;
    char *b = malloc(cap);
    while (b && (k = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (!b) die("out of memory", NULL);
    b[n] = 0;
    *len = n;
    return b;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_set(docs *d, unsigned set, const char *path, size_t limit)
{
    struct stat st;
    if (stat(path, &st) != 0) die("cannot stat", path);
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir) die("cannot open", path);
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (!ends_with(e->d_name, ".txt")) continue;
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
            sprintf(names[n++], "%s/%s", path, e->d_name);
        }
        closedir(dir);
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n && i < limit; i++) {
            size_t len;
            char *s = slurp(names[i], &len);
            push_doc(d, s, len, set, names[i]);
            free(s);
            free(names[i]);
        }
        for (size_t i = limit; i < n; i++) free(names[i]);
        free(names);
    } else if (ends_with(path, ".jsonl")) {
        size_t len;
        char *s = slurp(path, &len);
        size_t line = 0, taken = 0;
        for (char *p = s; p < s + len && taken < limit;) {
            char *e = memchr(p, '\n', (size_t)(s + len - p));
            if (!e) e = s + len;
            line++;
            cJSON *j = cJSON_ParseWithLength(p, (size_t)(e - p));
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "text");
            if (cJSON_IsString(t)) {
                char name[64];
                snprintf(name, sizeof name, "%s:%zu", set_names[set], line);
                push_doc(d, t->valuestring, strlen(t->valuestring), set, name);
                taken++;
            }
            cJSON_Delete(j);
            p = e + 1;
        }
        free(s);
    } else {
        size_t len;
        char *s = slurp(path, &len);
        push_doc(d, s, len, set, path);
        free(s);
    }
}

static int has_nonascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return 1;
    return 0;
}

/* The typographic form of ASCII text: "x" -> “x”, it's -> it’s, a - b -> a – b. */
static char *typographic(const char *s, size_t n, size_t *out_len)
{
    char *o = malloc(n * 3 + 1);
    if (!o) die("out of memory", NULL);
    size_t k = 0;
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') open = 0;
        if (c == '"') {
            memcpy(o + k, open ? "\xe2\x80\x9d" : "\xe2\x80\x9c", 3);
            k += 3;
            open = !open;
        } else if (c == '\'' && i > 0 && ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')) {
            memcpy(o + k, "\xe2\x80\x99", 3);
            k += 3;
        } else if (c == '-' && i > 0 && i + 1 < n && s[i - 1] == ' ' && s[i + 1] == ' ') {
            memcpy(o + k, "\xe2\x80\x93", 3);
            k += 3;
        } else {
            o[k++] = c;
        }
    }
    o[k] = 0;
    *out_len = k;
    return o;
}

/* ------------------------------------------------------------------------ */
/* Breaking text                                                            */
/* ------------------------------------------------------------------------ */

static uint32_t table[NPAGES][128];

static void build_tables(void)
{
    for (unsigned p = 0; p < NPAGES; p++) {
        iconv_t cd = iconv_open("UTF-32LE", iconv_names[p]);
        if (cd == (iconv_t)-1) die("iconv lacks", iconv_names[p]);
        for (unsigned b = 0x80; b <= 0xFF; b++) {
            char in[1] = { (char)b };
            unsigned char out[8];
            char *ip = in, *op = (char *)out;
            size_t il = 1, ol = sizeof out;
            iconv(cd, NULL, NULL, NULL, NULL);
            uint32_t c = b; /* undefined: read as the code point of its value */
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == sizeof out - 4)
                c = (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16;
            table[p][b - 0x80] = c;
        }
        iconv_close(cd);
    }
}

static size_t put_utf8(char *o, uint32_t c)
{
    if (c < 0x80) { o[0] = (char)c; return 1; }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    o[0] = (char)(0xE0 | c >> 12);
    o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F));
    return 3;
}

typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) die("out of memory", NULL);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

/* Append s[0..n) read through page p and written as UTF-8. */
static void break_into(sbuf *o, const char *s, size_t n, unsigned p)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[4];
        size_t k = c < 0x80 ? (tmp[0] = (char)c, 1u) : put_utf8(tmp, table[p][c - 0x80]);
        sb_put(o, tmp, k);
    }
}

static uint64_t rng;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

typedef struct {
    size_t start, end;
} span;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Words (runs of non-space bytes) holding a non-ASCII character. */
static size_t nonascii_words(const char *s, size_t n, span **out)
{
    size_t cnt = 0, cap = 0;
    span *v = NULL;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space((unsigned char)s[i])) i++;
        size_t a = i;
        int na = 0;
        while (i < n && !is_space((unsigned char)s[i])) na |= (unsigned char)s[i++] >= 0x80;
        if (na) {
            if (cnt == cap) v = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof *v);
            v[cnt].start = a;
            v[cnt++].end = i;
        }
    }
    *out = v;
    return cnt;
}

/* The document with 1-3 of its non-ASCII words broken `times` times. */
static int break_partial(sbuf *o, const doc *d, unsigned p, unsigned times, uint64_t seed)
{
    span *w;
    size_t nw = nonascii_words(d->s, d->len, &w);
    if (!nw) {
        free(w);
        return 0;
    }
    rng = seed;
    size_t want = 1 + (size_t)(rnd() % 3);
    if (want > nw) want = nw;
    unsigned char *pick = calloc(nw, 1);
    for (size_t k = 0; k < want;) {
        size_t i = (size_t)(rnd() % nw);
        if (!pick[i]) {
            pick[i] = 1;
            k++;
        }
    }
    size_t at = 0;
    o->len = 0;
    sb_put(o, "", 0);
    for (size_t i = 0; i < nw; i++) {
        if (!pick[i]) continue;
        sb_put(o, d->s + at, w[i].start - at);
        sbuf t = { 0 }, u = { 0 };
        sb_put(&t, d->s + w[i].start, w[i].end - w[i].start);
        for (unsigned k = 0; k < times; k++) {
            u.len = 0;
            break_into(&u, t.s, t.len, p);
            sbuf x = t;
            t = u;
            u = x;
        }
        sb_put(o, t.s, t.len);
        free(t.s);
        free(u.s);
        at = w[i].end;
    }
    sb_put(o, d->s + at, d->len - at);
    free(pick);
    free(w);
    return 1;
}

/* ------------------------------------------------------------------------ */
/* Evaluation                                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
    uint64_t cases, exact, untouched, wrong;
} tally;

static tally by_page[NPAGES][NCASES];
static tally by_set[MAX_SETS][NCASES];
static FILE *failures;

static const gema_mojibake *M;

static void judge(const doc *d, unsigned p, unsigned c, const char *broken, size_t blen)
{
    gema_buf out = { 0 };
    if (gema_mojibake_fix(M, broken, blen, &out, NULL, NULL) != GEMA_OK) die("fix failed", d->name);
    tally *t[2] = { &by_page[p][c], &by_set[d->set][c] };
    int exact = out.len == d->len && memcmp(out.data, d->s, d->len) == 0;
    int untouched = !exact && out.len == blen && memcmp(out.data, broken, blen) == 0;
    for (int k = 0; k < 2; k++) {
        t[k]->cases++;
        t[k]->exact += (uint64_t)exact;
        t[k]->untouched += (uint64_t)untouched;
        t[k]->wrong += (uint64_t)(!exact && !untouched);
    }
    if (!exact && failures)
        fprintf(failures, "== %s %s %s %s\n-- broken:\n%s\n-- output:\n%s\n", d->name,
                gema_mojibake_page_name(p), case_names[c], untouched ? "untouched" : "wrong",
                broken, out.data);
    gema_buf_free(&out);
}

typedef struct {
    uint64_t docs, changed, spans, bytes;
} fr_tally;

static fr_tally fr_set[MAX_SETS], fr_total;

static void false_repair(const doc *d)
{
    gema_buf out = { 0 };
    gema_repair *r = NULL;
    size_t n = 0;
    if (gema_mojibake_fix(M, d->s, d->len, &out, &r, &n) != GEMA_OK) die("fix failed", d->name);
    int changed = out.len != d->len || memcmp(out.data, d->s, d->len) != 0;
    fr_tally *t[2] = { &fr_set[d->set], &fr_total };
    for (int k = 0; k < 2; k++) {
        t[k]->docs++;
        t[k]->changed += (uint64_t)changed;
        t[k]->spans += n;
        t[k]->bytes += d->len;
    }
    if (changed && failures)
        fprintf(failures, "== %s correct text changed (%zu spans)\n-- output:\n%s\n", d->name, n,
                out.data);
    free(r);
    gema_buf_free(&out);
}

/* CPU time of this thread: MB per CPU second is the per-core speed, and
 * other jobs on the shared machine do not count against it. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile size_t sink;

/* MB/s of gema_mojibake_suspect (fix == 0) or gema_mojibake_fix over the
 * documents, repeated until mb MB went through; best of three. */
static double speed(const doc *v, size_t n, int fix, double mb, uint64_t *total_bytes)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) bytes += v[i].len;
    if (!bytes) return 0;
    size_t reps = (size_t)(mb * 1e6 / (double)bytes) + 1;
    double best = 0;
    gema_buf out = { 0 };
    for (int round = 0; round < 3; round++) {
        double t0 = now();
        for (size_t r = 0; r < reps; r++) {
            for (size_t i = 0; i < n; i++) {
                if (fix) {
                    out.len = 0;
                    if (gema_mojibake_fix(M, v[i].s, v[i].len, &out, NULL, NULL) != GEMA_OK)
                        die("fix failed", v[i].name);
                    sink += out.len;
                } else {
                    sink += (size_t)gema_mojibake_suspect(M, v[i].s, v[i].len);
                }
            }
        }
        double rate = (double)bytes * (double)reps / 1e6 / (now() - t0);
        if (rate > best) best = rate;
    }
    gema_buf_free(&out);
    *total_bytes = bytes;
    return best;
}

static void json_tally(FILE *f, const tally *t)
{
    fprintf(f, "{\"cases\": %llu, \"repaired\": %llu, \"untouched\": %llu, \"wrong\": %llu, \"rate\": %.4f}",
            (unsigned long long)t->cases, (unsigned long long)t->exact,
            (unsigned long long)t->untouched, (unsigned long long)t->wrong,
            t->cases ? (double)t->exact / (double)t->cases : 0.0);
}

static void json_fr(FILE *f, const fr_tally *t)
{
    fprintf(f, "{\"docs\": %llu, \"bytes\": %llu, \"changed\": %llu, \"spans\": %llu, \"rate\": %.4f}",
            (unsigned long long)t->docs, (unsigned long long)t->bytes,
            (unsigned long long)t->changed, (unsigned long long)t->spans,
            t->docs ? (double)t->changed / (double)t->docs : 0.0);
}

/* Each line of a JSONL file: fn(user, index, parsed object or NULL, raw line). */
typedef void (*line_fn)(void *user, size_t i, cJSON *obj, const char *raw, size_t len);

static void each_line(const char *path, line_fn fn, void *user)
{
    size_t len;
    char *s = slurp(path, &len);
    size_t i = 0;
    for (char *p = s; p < s + len; i++) {
        char *e = memchr(p, '\n', (size_t)(s + len - p));
        if (!e) e = s + len;
        cJSON *j = cJSON_ParseWithLength(p, (size_t)(e - p));
        fn(user, i, j, p, (size_t)(e - p));
        cJSON_Delete(j);
        p = e + 1;
    }
    free(s);
}

typedef struct {
    FILE *out;
    size_t every, broken;
} break_ctx;

static void break_line(void *user, size_t i, cJSON *obj, const char *raw, size_t len)
{
    break_ctx *c = user;
    cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "text");
    if (i % c->every || !cJSON_IsString(t)) {
        fwrite(raw, 1, len, c->out);
        fputc('\n', c->out);
        return;
    }
    sbuf b = { 0 };
    break_into(&b, t->valuestring, strlen(t->valuestring), (unsigned)(i / c->every % NPAGES));
    cJSON_ReplaceItemInObjectCaseSensitive(obj, "text", cJSON_CreateString(b.s));
    char *o = cJSON_PrintUnformatted(obj);
    if (!o) die("out of memory", NULL);
    fputs(o, c->out);
    fputc('\n', c->out);
    free(o);
    free(b.s);
    c->broken++;
}

typedef struct {
    size_t every, n;
    char **texts;
    size_t compared, equal;
} same_ctx;

static void same_collect(void *user, size_t i, cJSON *obj, const char *raw, size_t len)
{
    (void)raw;
    (void)len;
    same_ctx *c = user;
    if (i % c->every) return;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "text");
    size_t k = i / c->every;
    if (k >= c->n) {
        c->texts = realloc(c->texts, (k + 1) * sizeof *c->texts);
        while (c->n <= k) c->texts[c->n++] = NULL;
    }
    c->texts[k] = cJSON_IsString(t) ? strdup(t->valuestring) : NULL;
}

static void same_compare(void *user, size_t i, cJSON *obj, const char *raw, size_t len)
{
    (void)raw;
    (void)len;
    same_ctx *c = user;
    if (i % c->every || i / c->every >= c->n) return;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "text");
    const char *a = c->texts[i / c->every];
    c->compared++;
    c->equal += a && cJSON_IsString(t) && !strcmp(a, t->valuestring);
}

static int tool_main(int argc, char **argv)
{
    if (argc != 5 || atol(argv[2]) <= 0) die("usage: mojibake_eval break|same EVERY A.jsonl B.jsonl", NULL);
    build_tables();
    size_t every = (size_t)atol(argv[2]);
    if (!strcmp(argv[1], "break")) {
        break_ctx c = { fopen(argv[4], "w"), every, 0 };
        if (!c.out) die("cannot write", argv[4]);
        each_line(argv[3], break_line, &c);
        if (fclose(c.out) != 0) die("cannot write", argv[4]);
        fprintf(stderr, "mojibake_eval: broke %zu documents\n", c.broken);
        return 0;
    }
    same_ctx c = { every, 0, NULL, 0, 0 };
    each_line(argv[3], same_collect, &c);
    each_line(argv[4], same_compare, &c);
    printf("{\"compared\": %zu, \"equal\": %zu, \"rate\": %.4f}\n", c.compared, c.equal,
           c.compared ? (double)c.equal / (double)c.compared : 0.0);
    for (size_t i = 0; i < c.n; i++) free(c.texts[i]);
    free(c.texts);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "break") || !strcmp(argv[1], "same"))) return tool_main(argc, argv);
    const char *out_path = NULL, *fail_path = NULL;
    double speed_mb = 100;
    size_t limit = 300;
    docs orig = { 0 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out_path = argv[++i];
        else if (!strcmp(argv[i], "--failures") && i + 1 < argc) fail_path = argv[++i];
        else if (!strcmp(argv[i], "--speed-mb") && i + 1 < argc) speed_mb = atof(argv[++i]);
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc) limit = (size_t)atol(argv[++i]);
        else if (strchr(argv[i], '=') && nsets < MAX_SETS) {
            char *eq = strchr(argv[i], '=');
            *eq = 0;
            set_names[nsets] = argv[i];
            load_set(&orig, nsets, eq + 1, limit);
            nsets++;
        } else {
            die("usage: mojibake_eval [--out F] [--failures F] [--speed-mb N] [--limit N] NAME=PATH...", NULL);
        }
    }
    if (!orig.n) die("no documents", NULL);
    /* The seed articles carry real mojibake, "ยฉ" and "ยท" (cp874) for "©" and
     * "·": restored by hand here so that they can serve as correct text. */
    static const char *const seed_fix[][2] = { { "ยฉ", "©" }, { "ยท", "·" } };
    for (size_t i = 0; i < orig.n; i++) {
        doc *d = &orig.v[i];
        if (strcmp(set_names[d->set], "seeds")) continue;
        for (unsigned k = 0; k < 2; k++) {
            char *p;
            while ((p = strstr(d->s, seed_fix[k][0]))) {
                memcpy(p, seed_fix[k][1], 2);
                memmove(p + 2, p + 6, d->len - (size_t)(p + 6 - d->s) + 1);
                d->len -= 4;
            }
        }
    }
    build_tables();
    gema_mojibake *m;
    if (gema_mojibake_new(&m) != GEMA_OK) die("gema_mojibake_new failed", NULL);
    M = m;
    if (fail_path && !(failures = fopen(fail_path, "w"))) die("cannot write", fail_path);

    /* The test documents: each original with non-ASCII text, the
     * typographic form of the others. */
    docs test = { 0 };
    uint64_t typo_docs = 0;
    for (size_t i = 0; i < orig.n; i++) {
        const doc *d = &orig.v[i];
        false_repair(d);
        if (has_nonascii(d->s, d->len)) {
            push_doc(&test, d->s, d->len, d->set, d->name);
            continue;
        }
        size_t tl;
        char *t = typographic(d->s, d->len, &tl);
        if (has_nonascii(t, tl)) {
            char name[300];
            snprintf(name, sizeof name, "%s (typographic)", d->name);
            push_doc(&test, t, tl, d->set, name);
            false_repair(&test.v[test.n - 1]);
            typo_docs++;
        }
        free(t);
    }

    sbuf a = { 0 }, b = { 0 };
    for (size_t i = 0; i < test.n; i++) {
        const doc *d = &test.v[i];
        for (unsigned p = 0; p < NPAGES; p++) {
            a.len = 0;
            break_into(&a, d->s, d->len, p);
            judge(d, p, C_WHOLE, a.s, a.len);
            b.len = 0;
            break_into(&b, a.s, a.len, p);
            judge(d, p, C_DOUBLE, b.s, b.len);
            uint64_t seed = (uint64_t)i * 131 + p;
            if (break_partial(&a, d, p, 1, seed)) judge(d, p, C_PARTIAL, a.s, a.len);
            if (break_partial(&a, d, p, 2, seed)) judge(d, p, C_DOUBLE_PARTIAL, a.s, a.len);
        }
    }

    /* Speed sets. */
    docs news = { 0 }, multi = { 0 }, broken = { 0 }, news_partial = { 0 };
    for (size_t i = 0; i < orig.n; i++) {
        const doc *d = &orig.v[i];
        if (!strcmp(set_names[d->set], "multilingual")) push_doc(&multi, d->s, d->len, d->set, d->name);
        else push_doc(&news, d->s, d->len, d->set, d->name);
    }
    for (size_t i = 0; i < test.n; i++) {
        const doc *d = &test.v[i];
        a.len = 0;
        break_into(&a, d->s, d->len, 0);
        push_doc(&broken, a.s, a.len, d->set, d->name);
        if (strcmp(set_names[d->set], "multilingual") && break_partial(&a, d, 0, 1, i))
            push_doc(&news_partial, a.s, a.len, d->set, d->name);
    }
    struct { const char *name; const docs *d; } sp[] = {
        { "news_clean", &news }, { "multilingual_clean", &multi },
        { "broken_whole_1252", &broken }, { "news_partial_1252", &news_partial },
    };
    double sus_rate[4], fix_rate[4];
    uint64_t sp_bytes[4];
    for (unsigned k = 0; k < 4; k++) {
        sus_rate[k] = speed(sp[k].d->v, sp[k].d->n, 0, speed_mb, &sp_bytes[k]);
        fix_rate[k] = speed(sp[k].d->v, sp[k].d->n, 1, speed_mb, &sp_bytes[k]);
        fprintf(stderr, "speed %-20s suspect %8.1f MB/s  fix %8.1f MB/s\n", sp[k].name, sus_rate[k], fix_rate[k]);
    }

    FILE *f = out_path ? fopen(out_path, "w") : stdout;
    if (!f) die("cannot write", out_path);
    fprintf(f, "{\n  \"sets\": {");
    for (unsigned s = 0; s < nsets; s++) {
        uint64_t nd = 0, nt = 0;
        for (size_t i = 0; i < orig.n; i++) nd += orig.v[i].set == s;
        for (size_t i = 0; i < test.n; i++) nt += test.v[i].set == s;
        fprintf(f, "%s\"%s\": {\"docs\": %llu, \"test_docs\": %llu}", s ? ", " : "", set_names[s],
                (unsigned long long)nd, (unsigned long long)nt);
    }
    fprintf(f, "},\n  \"typographic_docs\": %llu,\n", (unsigned long long)typo_docs);
    fprintf(f, "  \"false_repair\": {\"total\": ");
    json_fr(f, &fr_total);
    for (unsigned s = 0; s < nsets; s++) {
        fprintf(f, ", \"%s\": ", set_names[s]);
        json_fr(f, &fr_set[s]);
    }
    fprintf(f, "},\n  \"repair\": {\n");
    tally all[NCASES] = { { 0 } };
    for (unsigned p = 0; p < NPAGES; p++) {
        fprintf(f, "    \"%s\": {", gema_mojibake_page_name(p));
        for (unsigned c = 0; c < NCASES; c++) {
            fprintf(f, "%s\"%s\": ", c ? ", " : "", case_names[c]);
            json_tally(f, &by_page[p][c]);
            all[c].cases += by_page[p][c].cases;
            all[c].exact += by_page[p][c].exact;
            all[c].untouched += by_page[p][c].untouched;
            all[c].wrong += by_page[p][c].wrong;
        }
        fprintf(f, "},\n");
    }
    fprintf(f, "    \"all\": {");
    for (unsigned c = 0; c < NCASES; c++) {
        fprintf(f, "%s\"%s\": ", c ? ", " : "", case_names[c]);
        json_tally(f, &all[c]);
    }
    fprintf(f, "}\n  },\n  \"repair_by_set\": {\n");
    for (unsigned s = 0; s < nsets; s++) {
        fprintf(f, "    \"%s\": {", set_names[s]);
        for (unsigned c = 0; c < NCASES; c++) {
            fprintf(f, "%s\"%s\": ", c ? ", " : "", case_names[c]);
            json_tally(f, &by_set[s][c]);
        }
        fprintf(f, "}%s\n", s + 1 < nsets ? "," : "");
    }
    fprintf(f, "  },\n  \"speed_mb_s\": {");
    for (unsigned k = 0; k < 4; k++)
        fprintf(f, "%s\"%s\": {\"bytes\": %llu, \"suspect\": %.1f, \"fix\": %.1f}", k ? ", " : "",
                sp[k].name, (unsigned long long)sp_bytes[k], sus_rate[k], fix_rate[k]);
    fprintf(f, "}\n}\n");
    if (f != stdout) fclose(f);
    if (failures) fclose(failures);
    gema_mojibake_free(m);
    return 0;
}
