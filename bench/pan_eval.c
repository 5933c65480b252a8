/*
 * pan_eval.c - score gema passages output on a PAN text-alignment corpus.
 *
 *   pan_eval DIR PASSAGES.jsonl [OUT.json]
 *
 * DIR holds suspicious-documents/NAME.xml (the gold: <feature
 * name="plagiarism" this_offset this_length source_reference source_offset
 * source_length [obfuscation]>, offsets in characters = Unicode code
 * points, checked on the id-reuse corpus) next to the .txt files.
 * PASSAGES is `gema passages` output over the whole collection; a passage
 * between a suspicious and a source document is a detection (matched by
 * file name: the part of "id" after the last '/'); passages between two
 * sources or two suspicious documents are not part of the task and are
 * ignored.
 *
 * Scores (bench/pan.h) are reported for all cases and per obfuscation type
 * (the feature's obfuscation attribute, else its type, e.g. "simulated").
 * A detection belongs to a type's score when it detects a case of that
 * type; detections that detect no case at all (false positives) cannot be
 * given a type, so they count only in "all", and their number is reported
 * as "unmatched_detections".  Writes one JSON object to OUT (default
 * stdout) and a table on stderr.
 *
 *   pan_eval --planted TRUTH.jsonl PASSAGES.jsonl [OUT.json]
 *
 * The same measures against the passages planted by gen_corpus --mode
 * passages (truth lines {"kind":"passage"}, spans in code points); every
 * passage gema reports is a detection, and "found" (detected_cases /
 * cases) is the planted-passage recall: the share of planted passages that
 * some reported passage overlaps in both documents.  --corpus and
 * --min-words N leave out planted passages of fewer than N words on either
 * side (shorter than gema passages reports), with the detections of only
 * those.  --pairs-only scores document pairs, not spans.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pan.h"

#define MAX_TYPES 16

typedef struct {
    char **name;
    size_t n, cap;
    uint32_t *slot;     /* open addressing: index + 1, 0 = empty */
    size_t mask;
} names;

static void oom(void)
{
    fprintf(stderr, "pan_eval: out of memory\n");
    exit(1);
}

static uint64_t str_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* Find s[0..len); when absent, add it if `add`, else return UINT32_MAX. */
static uint32_t name_find(names *v, const char *s, size_t len, int add)
{
    if (2 * (v->n + 1) > v->mask) {
        size_t m = v->mask ? 2 * (v->mask + 1) - 1 : 1023;
        uint32_t *t = calloc(m + 1, sizeof *t);
        if (!t) oom();
        for (size_t i = 0; i < v->n; i++) {
            size_t h = (size_t)str_hash(v->name[i], strlen(v->name[i])) & m;
            while (t[h]) h = (h + 1) & m;
            t[h] = (uint32_t)i + 1;
        }
        free(v->slot);
        v->slot = t;
        v->mask = m;
    }
    size_t h = (size_t)str_hash(s, len) & v->mask;
    for (; v->slot[h]; h = (h + 1) & v->mask) {
        const char *c = v->name[v->slot[h] - 1];
        if (strlen(c) == len && !memcmp(c, s, len)) return v->slot[h] - 1;
    }
    if (!add) return UINT32_MAX;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 64;
        char **p = realloc(v->name, v->cap * sizeof *p);
        if (!p) oom();
        v->name = p;
    }
    char *c = malloc(len + 1);
    if (!c) oom();
    memcpy(c, s, len);
    c[len] = '\0';
    v->name[v->n] = c;
    v->slot[h] = (uint32_t)v->n + 1;
    return (uint32_t)v->n++;
}

static uint32_t name_id(names *v, const char *s, size_t len)
{
    return name_find(v, s, len, 1);
}

static const char *base_name(const char *s)
{
    const char *b = strrchr(s, '/');
    return b ? b + 1 : s;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (n < cap - 1) break;
        cap *= 2;
        char *b = realloc(buf, cap);
        if (!b) free(buf);
        buf = b;
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Value of attribute `key` inside the tag text [p, end), or NULL. */
static const char *attr(const char *p, const char *end, const char *key, size_t *len)
{
    size_t k = strlen(key);
    for (const char *q = p; q + k + 2 < end; q++) {
        if ((q == p || q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\n') && !memcmp(q, key, k) &&
            q[k] == '=' && q[k + 1] == '"') {
            const char *v = q + k + 2;
            const char *e = memchr(v, '"', (size_t)(end - v));
            if (!e) return NULL;
            *len = (size_t)(e - v);
            return v;
        }
    }
    return NULL;
}

static int attr_size(const char *p, const char *end, const char *key, size_t *out)
{
    size_t len;
    const char *v = attr(p, end, key, &len);
    if (!v || !len) return -1;
    size_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9') return -1;
        x = x * 10 + (size_t)(v[i] - '0');
    }
    *out = x;
    return 0;
}

typedef struct {
    pan_span *v;
    unsigned char *type;
    size_t n, cap;
} spans;

/* --pairs-only: every span becomes [0, 1) so that only the document pair
 * counts (for outputs whose offsets refer to another text, e.g. after gema
 * clean): recall is then the share of planted pairs with a passage. */
static int pairs_only;

static void push(spans *s, const pan_span *x, unsigned type)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        s->type = realloc(s->type, s->cap);
        if (!s->v || !s->type) {
            fprintf(stderr, "pan_eval: out of memory\n");
            exit(1);
        }
    }
    s->v[s->n] = *x;
    if (pairs_only) {
        s->v[s->n].t0 = s->v[s->n].s0 = 0;
        s->v[s->n].t1 = s->v[s->n].s1 = 1;
    }
    s->type[s->n++] = (unsigned char)type;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Read every .xml file of DIR/suspicious-documents into cases. */
static int read_gold(const char *dir, names *docs, names *types, spans *cases)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/suspicious-documents", dir);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "pan_eval: %s: cannot open directory\n", path);
        return -1;
    }
    char **files = NULL;
    size_t nf = 0, cf = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".xml")) continue;
        if (nf == cf) {
            cf = cf ? 2 * cf : 64;
            files = realloc(files, cf * sizeof *files);
            if (!files) return -1;
        }
        files[nf++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(files, nf, sizeof *files, cmp_str);
    for (size_t i = 0; i < nf; i++) {
        snprintf(path, sizeof path, "%s/suspicious-documents/%s", dir, files[i]);
        char *x = slurp(path, NULL);
        if (!x) {
            fprintf(stderr, "pan_eval: %s: cannot read\n", path);
            return -1;
        }
        size_t rl;
        const char *root = strstr(x, "<document");
        const char *rend = root ? strchr(root, '>') : NULL;
        const char *ref = rend ? attr(root, rend, "reference", &rl) : NULL;
        if (!ref) {
            fprintf(stderr, "pan_eval: %s: no <document reference=...>\n", path);
            return -1;
        }
        uint32_t susp = name_id(docs, ref, rl);
        for (const char *p = rend; (p = strstr(p, "<feature")); p++) {
            const char *end = strchr(p, '>');
            if (!end) break;
            size_t nl, sl, tl, ol;
            const char *nm = attr(p, end, "name", &nl);
            if (!nm || nl != 10 || memcmp(nm, "plagiarism", 10)) continue;
            const char *src = attr(p, end, "source_reference", &sl);
            const char *ty = attr(p, end, "obfuscation", &ol);
            if (!ty) ty = attr(p, end, "type", &ol);
            if (!ty) {
                ty = "unknown";
                ol = 7;
            }
            (void)tl;
            size_t to, tn, so, sn;
            if (!src || attr_size(p, end, "this_offset", &to) ||
                attr_size(p, end, "this_length", &tn) ||
                attr_size(p, end, "source_offset", &so) ||
                attr_size(p, end, "source_length", &sn)) {
                fprintf(stderr, "pan_eval: %s: incomplete plagiarism feature\n", path);
                return -1;
            }
            pan_span c = {susp, name_id(docs, src, sl), to, to + tn, so, so + sn};
            uint32_t t = name_id(types, ty, ol);
            if (t >= MAX_TYPES) {
                fprintf(stderr, "pan_eval: too many obfuscation types\n");
                return -1;
            }
            push(cases, &c, t);
        }
        free(x);
        free(files[i]);
    }
    free(files);
    return 0;
}

static int is_susp(const char *name)
{
    return strstr(name, "suspicious") != NULL;
}

static int is_src(const char *name)
{
    return strstr(name, "source") != NULL;
}

static size_t num(const cJSON *o, const char *k, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0) {
        *bad = 1;
        return 0;
    }
    return (size_t)v->valuedouble;
}

/* In planted mode documents have no roles: a span pair is stored with the
 * smaller id (strcmp) as "susp", for cases and detections alike. */
static int canonical;

static void orient(names *docs, const char *an, size_t al, const char *bn, size_t bl,
                   size_t a0, size_t a1, size_t b0, size_t b1, pan_span *out)
{
    int swap = canonical && strcmp(an, bn) > 0;
    if (swap) {
        pan_span x = {name_id(docs, bn, bl), name_id(docs, an, al), b0, b1, a0, a1};
        *out = x;
    } else {
        pan_span x = {name_id(docs, an, al), name_id(docs, bn, bl), a0, a1, b0, b1};
        *out = x;
    }
}

static int read_detections(const char *path, names *docs, spans *dets, size_t *other)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf) {
        fprintf(stderr, "pan_eval: %s: cannot read\n", path);
        return -1;
    }
    size_t lineno = 0;
    for (char *line = buf, *nl; line < buf + len; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) nl = buf + len;
        *nl = '\0';
        lineno++;
        if (!*line) continue;
        cJSON *j = cJSON_Parse(line);
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "a");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "b");
        const cJSON *ai = cJSON_GetObjectItemCaseSensitive(a, "id");
        const cJSON *bi = cJSON_GetObjectItemCaseSensitive(b, "id");
        if (!cJSON_IsString(ai) || !cJSON_IsString(bi)) {
            fprintf(stderr, "pan_eval: %s:%zu: not a gema passages line\n", path, lineno);
            cJSON_Delete(j);
            free(buf);
            return -1;
        }
        const char *an = base_name(ai->valuestring), *bn = base_name(bi->valuestring);
        const cJSON *s = NULL, *r = NULL;
        if (canonical) {
            s = a;
            r = b;
        } else if (is_susp(an) && is_src(bn)) {
            s = a;
            r = b;
        } else if (is_src(an) && is_susp(bn)) {
            s = b;
            r = a;
        }
        if (!s) {
            (*other)++;
            cJSON_Delete(j);
            continue;
        }
        int bad = 0;
        const char *sn = base_name(cJSON_GetObjectItemCaseSensitive(s, "id")->valuestring);
        const char *rn = base_name(cJSON_GetObjectItemCaseSensitive(r, "id")->valuestring);
        pan_span d;
        size_t t0 = num(s, "start", &bad), t1 = num(s, "end", &bad);
        size_t s0 = num(r, "start", &bad), s1 = num(r, "end", &bad);
        orient(docs, sn, strlen(sn), rn, strlen(rn), t0, t1, s0, s1, &d);
        cJSON_Delete(j);
        if (bad || d.t1 < d.t0 || d.s1 < d.s0) {
            fprintf(stderr, "pan_eval: %s:%zu: bad start/end\n", path, lineno);
            free(buf);
            return -1;
        }
        push(dets, &d, 0);
    }
    free(buf);
    return 0;
}

/* gen_corpus truth: every {"kind":"passage"} line is a case, typed by
 * its edits ("verbatim" when none, else "edited"). */
static int read_planted(const char *path, names *docs, names *types, spans *cases)
{
    size_t len;
    char *buf = slurp(path, &len);
    if (!buf) {
        fprintf(stderr, "pan_eval: %s: cannot read\n", path);
        return -1;
    }
    size_t lineno = 0;
    for (char *line = buf, *nl; line < buf + len; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) nl = buf + len;
        *nl = '\0';
        lineno++;
        if (!strstr(line, "\"kind\":\"passage\"")) continue;
        cJSON *j = cJSON_Parse(line);
        const cJSON *so = cJSON_GetObjectItemCaseSensitive(j, "source");
        const cJSON *ta = cJSON_GetObjectItemCaseSensitive(j, "target");
        const cJSON *ed = cJSON_GetObjectItemCaseSensitive(j, "edits");
        int bad = !cJSON_IsString(so) || !cJSON_IsString(ta);
        size_t s0 = num(j, "source_start", &bad), s1 = num(j, "source_end", &bad);
        size_t t0 = num(j, "target_start", &bad), t1 = num(j, "target_end", &bad);
        if (bad) {
            fprintf(stderr, "pan_eval: %s:%zu: not a passage truth line\n", path, lineno);
            cJSON_Delete(j);
            free(buf);
            return -1;
        }
        const char *ty = cJSON_GetArraySize(ed) > 0 ? "edited" : "verbatim";
        pan_span c;
        orient(docs, ta->valuestring, strlen(ta->valuestring), so->valuestring,
               strlen(so->valuestring), t0, t1, s0, s1, &c);
        push(cases, &c, name_id(types, ty, strlen(ty)));
        cJSON_Delete(j);
    }
    free(buf);
    return 0;
}

/* Words (runs of letters and digits; any non-ASCII character counts as a
 * letter) in code points [a, b) of the UTF-8 text t. */
static size_t count_words(const char *t, size_t a, size_t b)
{
    size_t cp = 0, words = 0;
    int in = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p && cp < b; p++) {
        if ((*p & 0xC0) == 0x80) continue; /* continuation byte */
        int w = *p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
        if (cp >= a) {
            if (w && !in) words++;
            in = w;
        }
        cp++;
    }
    return words;
}

/* Fewest words on either side of each case, from the corpus texts. */
static int case_words(const char *path, names *docs, const spans *cases, size_t *words)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "pan_eval: %s: cannot open\n", path);
        return -1;
    }
    /* Cases of each document, side by side: entry k * 2 + side. */
    size_t nd = docs->n, *start = calloc(nd + 1, sizeof *start);
    size_t *list = malloc((2 * cases->n + 1) * sizeof *list);
    if (!start || !list) oom();
    for (size_t k = 0; k < cases->n; k++) {
        start[cases->v[k].susp + 1]++;
        start[cases->v[k].src + 1]++;
        words[k] = SIZE_MAX;
    }
    for (size_t d = 0; d < nd; d++) start[d + 1] += start[d];
    size_t *fill = malloc((nd + 1) * sizeof *fill);
    if (!fill) oom();
    memcpy(fill, start, (nd + 1) * sizeof *fill);
    for (size_t k = 0; k < cases->n; k++) {
        list[fill[cases->v[k].susp]++] = 2 * k;
        list[fill[cases->v[k].src]++] = 2 * k + 1;
    }
    free(fill);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        cJSON *j = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
        const cJSON *tx = cJSON_GetObjectItemCaseSensitive(j, "text");
        if (cJSON_IsString(id) && cJSON_IsString(tx)) {
            uint32_t d = name_find(docs, id->valuestring, strlen(id->valuestring), 0);
            if (d != UINT32_MAX && d < nd)
                for (size_t e = start[d]; e < start[d + 1]; e++) {
                    const pan_span *c = &cases->v[list[e] / 2];
                    size_t w = (list[e] & 1) ? count_words(tx->valuestring, c->s0, c->s1)
                                             : count_words(tx->valuestring, c->t0, c->t1);
                    if (w < words[list[e] / 2]) words[list[e] / 2] = w;
                }
        }
        cJSON_Delete(j);
    }
    free(line);
    fclose(f);
    free(start);
    free(list);
    return 0;
}

static cJSON *scores_json(const pan_scores *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "cases", (double)s->cases);
    cJSON_AddNumberToObject(o, "detections", (double)s->detections);
    cJSON_AddNumberToObject(o, "detected_cases", (double)s->detected_cases);
    cJSON_AddNumberToObject(o, "precision", round(s->precision * 1e4) / 1e4);
    cJSON_AddNumberToObject(o, "recall", round(s->recall * 1e4) / 1e4);
    cJSON_AddNumberToObject(o, "granularity", round(s->granularity * 1e4) / 1e4);
    cJSON_AddNumberToObject(o, "plagdet", round(s->plagdet * 1e4) / 1e4);
    return o;
}

static void row(const char *name, const pan_scores *s)
{
    fprintf(stderr, "%-20s %5zu %5zu %5zu  %6.3f %6.3f %6.3f %7.3f\n", name, s->cases,
            s->detections, s->detected_cases, s->precision, s->recall, s->granularity,
            s->plagdet);
}

static const spans *sort_cases;

static int cmp_case_index(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = pan_cmp_pair(&sort_cases->v[i], &sort_cases->v[j]);
    return c ? c : (i > j) - (i < j);
}

int main(int argc, char **argv)
{
    const char *corpus = NULL;
    size_t min_words = 0;
    int np = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--planted")) canonical = 1;
        else if (!strcmp(argv[i], "--pairs-only")) pairs_only = 1;
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc) corpus = argv[++i];
        else if (!strcmp(argv[i], "--min-words") && i + 1 < argc)
            min_words = (size_t)strtoul(argv[++i], NULL, 10);
        else argv[np++] = argv[i];
    }
    argc = np;
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "Usage: pan_eval DIR PASSAGES.jsonl [OUT.json]\n"
                        "       pan_eval --planted TRUTH.jsonl [--corpus CORPUS.jsonl --min-words N]\n"
                        "                [--pairs-only]\n"
                        "                PASSAGES.jsonl [OUT.json]\n");
        return 2;
    }
    names docs = {0}, types = {0};
    spans cases = {0}, dets = {0};
    size_t other = 0;
    if ((canonical ? read_planted(argv[1], &docs, &types, &cases)
                   : read_gold(argv[1], &docs, &types, &cases)) ||
        read_detections(argv[2], &docs, &dets, &other))
        return 1;

    /* Planted passages shorter than the shortest passage gema reports are
     * out of scope: drop them, and the detections that detect only them. */
    size_t short_cases = 0, short_dets = 0;
    if (corpus && min_words) {
        size_t *words = malloc((cases.n ? cases.n : 1) * sizeof *words);
        if (!words || case_words(corpus, &docs, &cases, words)) return 1;
        spans kept = {0}, dropped = {0};
        for (size_t k = 0; k < cases.n; k++) {
            if (words[k] >= min_words) push(&kept, &cases.v[k], cases.type[k]);
            else push(&dropped, &cases.v[k], 0);
        }
        short_cases = dropped.n;
        size_t nd = 0;
        if (dropped.n) {
            qsort(dropped.v, dropped.n, sizeof *dropped.v, pan_cmp_pair);
            for (size_t i = 0; i < dets.n; i++) {
                int hit_short = 0, hit_kept = 0;
                for (size_t k = 0; k < dropped.n && !hit_short; k++)
                    hit_short = pan_detects(&dets.v[i], &dropped.v[k]);
                if (hit_short) {
                    for (size_t k = 0; k < kept.n && !hit_kept; k++)
                        hit_kept = pan_detects(&dets.v[i], &kept.v[k]);
                }
                if (hit_short && !hit_kept) short_dets++;
                else dets.v[nd++] = dets.v[i];
            }
            dets.n = nd;
        }
        free(words);
        free(cases.v);
        free(cases.type);
        cases = kept;
        free(dropped.v);
        free(dropped.type);
    }

    /* Detections that detect some case of type t. */
    unsigned char *has = calloc(dets.n ? dets.n : 1, MAX_TYPES);
    pan_span *S = malloc((cases.n ? cases.n : 1) * sizeof *S);
    pan_span *R = malloc((dets.n ? dets.n : 1) * sizeof *R);
    if (!has || !S || !R) return 1;
    size_t unmatched = 0;
    size_t *order = malloc((cases.n ? cases.n : 1) * sizeof *order);
    if (!order) return 1;
    for (size_t k = 0; k < cases.n; k++) order[k] = k;
    sort_cases = &cases;
    qsort(order, cases.n, sizeof *order, cmp_case_index);
    for (size_t i = 0; i < dets.n; i++) {
        int any = 0;
        /* First case of the detection's pair, by binary search. */
        size_t lo = 0, hi = cases.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (pan_cmp_pair(&cases.v[order[mid]], &dets.v[i]) < 0) lo = mid + 1;
            else hi = mid;
        }
        for (size_t m = lo; m < cases.n && !pan_cmp_pair(&cases.v[order[m]], &dets.v[i]); m++) {
            size_t k = order[m];
            if (pan_detects(&dets.v[i], &cases.v[k])) {
                has[i * MAX_TYPES + cases.type[k]] = 1;
                any = 1;
            }
        }
        if (!any) unmatched++;
    }
    free(order);

    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "measures", "PAN text alignment, Potthast et al. COLING 2010");
    cJSON_AddNumberToObject(out, "detections_total", (double)dets.n);
    cJSON_AddNumberToObject(out, "unmatched_detections", (double)unmatched);
    cJSON_AddNumberToObject(out, "other_pairs_ignored", (double)other);
    if (corpus && min_words) {
        cJSON_AddNumberToObject(out, "min_words", (double)min_words);
        cJSON_AddNumberToObject(out, "short_cases_excluded", (double)short_cases);
        cJSON_AddNumberToObject(out, "short_case_detections_excluded", (double)short_dets);
    }
    pan_scores all;
    if (pan_score(cases.v, cases.n, dets.v, dets.n, &all)) return 1;
    cJSON_AddItemToObject(out, "all", scores_json(&all));
    cJSON *per = cJSON_AddObjectToObject(out, "by_obfuscation");
    fprintf(stderr, "%-20s %5s %5s %5s  %6s %6s %6s %7s\n", "obfuscation", "cases", "dets",
            "found", "prec", "rec", "gran", "plagdet");
    row("all", &all);
    for (uint32_t t = 0; t < types.n; t++) {
        size_t ns = 0, nr = 0;
        for (size_t k = 0; k < cases.n; k++)
            if (cases.type[k] == t) S[ns++] = cases.v[k];
        for (size_t i = 0; i < dets.n; i++)
            if (has[i * MAX_TYPES + t]) R[nr++] = dets.v[i];
        pan_scores s;
        if (pan_score(S, ns, R, nr, &s)) return 1;
        cJSON_AddItemToObject(per, types.name[t], scores_json(&s));
        row(types.name[t], &s);
    }
    fprintf(stderr, "%zu detections, %zu detect no case; %zu passages between other pairs ignored\n",
            dets.n, unmatched, other);

    char *text = cJSON_Print(out);
    FILE *f = argc == 4 ? fopen(argv[3], "w") : stdout;
    if (!f || !text) {
        fprintf(stderr, "pan_eval: cannot write %s\n", argc == 4 ? argv[3] : "output");
        return 1;
    }
    fprintf(f, "%s\n", text);
    if (f != stdout && fclose(f)) return 1;
    free(text);
    cJSON_Delete(out);
    free(has);
    free(S);
    free(R);
    for (size_t i = 0; i < docs.n; i++) free(docs.name[i]);
    for (size_t i = 0; i < types.n; i++) free(types.name[i]);
    free(docs.name);
    free(types.name);
    free(cases.v);
    free(cases.type);
    free(dets.v);
    free(dets.type);
    return 0;
}
