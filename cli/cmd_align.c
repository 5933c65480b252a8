/*
 * cmd_align.c - gema align: show a person the passages two documents share,
 * with the words that differ marked, inline or side by side.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: gema align [OPTIONS] A B\n"
    "\n"
    "Show the passages documents A and B share, found as gema passages finds them,\n"
    "with the words that differ marked.  A and B are plain-text files, or JSONL\n"
    "files (one document per line) from which the first record is taken unless\n"
    "--a-id or --b-id names another; A and B may be the same file.\n"
    "\n"
    "By default each passage is printed once, as text of A with B's changes marked\n"
    "like wdiff: [-words only in A-]{+words only in B+} (in colour on a terminal:\n"
    "red for A, green for B).\n"
    "\n"
    "Display:\n"
    "  -y, --side-by-side     two columns, A left and B right; the gutter shows |\n"
    "                         for changed words, < for words only in A, > for words\n"
    "                         only in B\n"
    "      --width N          line width (default: $COLUMNS, else 100)\n"
    "      --color WHEN       auto (default: when writing to a terminal), always, never\n"
    "      --json             one JSON line per passage instead: {\"a\":{\"start\",\"end\",\n"
    "                         \"words\",\"text\"},\"b\":{...},\"score\",\"matched\",\n"
    "                         \"edits\":[{\"op\",\"a\",\"b\"}]} (op: equal, replace,\n"
    "                         delete, insert; offsets in code points)\n"
    "      --a-id ID          the record of A to align (JSONL input)\n"
    "      --b-id ID          the record of B to align (JSONL input)\n"
    "\n"
    "Passages (as in gema passages):\n"
    "  -w, --min-words N      shortest passage, in words on each side (default 15)\n"
    "  -s, --min-similarity S least score, 2 x matched / (words a + words b) (default 0.3)\n"
    "      --max-gap N        merge fragments up to N words apart (default 30)\n"
    "      --xdrop N          an alignment stops N below its best score (default 16)\n"
    "      --seed-words N     words per exact seed (default 3)\n"
    "      --max-repeat N     ignore seeds repeated more than N times (default 10)\n"
    "\n"
    "Input and output:\n"
    "  -o, --output FILE      write to FILE (default: standard output)\n"
    "      --format F         auto, jsonl or text (default auto: by name, then content)\n"
    "      --id-field NAME    JSON field holding the document id (default id)\n"
    "      --text-field NAME  JSON field holding the text (default text)\n"
    "      --max-doc-bytes N  reject records longer than N bytes (default 64M; 0 = no limit)\n"
    "      --strict           exit with status 3 (not 1) when A or B is unusable\n"
    "  -q, --quiet            no summary on standard error\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 when the documents share at least one passage or not, 1 when\n"
    "a document cannot be read or used, 2 on a usage error.\n";

enum {
    OPT_MAX_GAP = 2000, OPT_XDROP, OPT_SEED_WORDS, OPT_MAX_REPEAT, OPT_WIDTH, OPT_COLOR,
    OPT_JSON, OPT_A_ID, OPT_B_ID
};

typedef struct {
    cli_common common;
    gema_passages_options opt;
    int side_by_side, json, color;
    unsigned width;
    const char *id[2];
} align_args;

static int parse_args(align_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "strict", no_argument, NULL, 1002 },
        { "id-field", required_argument, NULL, 1003 },
        { "text-field", required_argument, NULL, 1004 },
        { "format", required_argument, NULL, 1010 },
        { "max-doc-bytes", required_argument, NULL, 1011 },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "side-by-side", no_argument, NULL, 'y' },
        { "width", required_argument, NULL, OPT_WIDTH },
        { "color", required_argument, NULL, OPT_COLOR },
        { "colour", required_argument, NULL, OPT_COLOR },
        { "json", no_argument, NULL, OPT_JSON },
        { "a-id", required_argument, NULL, OPT_A_ID },
        { "b-id", required_argument, NULL, OPT_B_ID },
        { "min-words", required_argument, NULL, 'w' },
        { "min-similarity", required_argument, NULL, 's' },
        { "max-gap", required_argument, NULL, OPT_MAX_GAP },
        { "xdrop", required_argument, NULL, OPT_XDROP },
        { "seed-words", required_argument, NULL, OPT_SEED_WORDS },
        { "max-repeat", required_argument, NULL, OPT_MAX_REPEAT },
        { NULL, 0, NULL, 0 }
    };
    static const char *const whens[] = { "auto", "always", "never", NULL };
    const char *cmd = "align";
    cli_common_init(&a->common);
    gema_passages_options_default(&a->opt);
    a->color = -1;
    a->width = 0;
    int c, k;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qhyw:s:", longopts, NULL)) != -1) {
        if (c == 'o' || c == 'q' || c == 1002 || c == 1003 || c == 1004 || c == 1010 || c == 1011) {
            if (cli_common_option(&a->common, cmd, c, optarg) < 0) return EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            exit(0);
        case 'y': a->side_by_side = 1; break;
        case OPT_WIDTH:
            if (cli_parse_uint(cmd, "width", optarg, 20, 10000, &a->width)) return EXIT_USAGE;
            break;
        case OPT_COLOR:
            if ((k = cli_parse_choice(cmd, "color", optarg, whens)) < 0) return EXIT_USAGE;
            a->color = k == 0 ? -1 : k == 1;
            break;
        case OPT_JSON: a->json = 1; break;
        case OPT_A_ID: a->id[0] = optarg; break;
        case OPT_B_ID: a->id[1] = optarg; break;
        case 'w':
            if (cli_parse_uint(cmd, "min-words", optarg, 1, 1000000, &a->opt.min_words)) return EXIT_USAGE;
            break;
        case 's':
            if (cli_parse_double(cmd, "min-similarity", optarg, 0, 1, &a->opt.min_similarity)) return EXIT_USAGE;
            break;
        case OPT_MAX_GAP:
            if (cli_parse_uint(cmd, "max-gap", optarg, 0, 1000000, &a->opt.max_gap)) return EXIT_USAGE;
            break;
        case OPT_XDROP:
            if (cli_parse_uint(cmd, "xdrop", optarg, 1, 100000, &a->opt.xdrop)) return EXIT_USAGE;
            break;
        case OPT_SEED_WORDS:
            if (cli_parse_uint(cmd, "seed-words", optarg, 1, 64, &a->opt.seed_words)) return EXIT_USAGE;
            break;
        case OPT_MAX_REPEAT:
            if (cli_parse_uint(cmd, "max-repeat", optarg, 1, 1000000, &a->opt.max_repeat)) return EXIT_USAGE;
            break;
        default:
            fprintf(stderr, "Try 'gema align --help'.\n");
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "gema align: expected two inputs, A and B; got %d\nTry 'gema align --help'.\n",
                argc - optind);
        return EXIT_USAGE;
    }
    if (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0) {
        fprintf(stderr, "gema align: only one of A and B can be standard input\n");
        return EXIT_USAGE;
    }
    a->common.inputs = argv + optind;
    a->common.ninputs = 2;
    if (!a->width) {
        const char *cols = getenv("COLUMNS");
        long w = cols ? strtol(cols, NULL, 10) : 0;
        a->width = w >= 20 && w <= 10000 ? (unsigned)w : 100;
    }
    if (a->color < 0) a->color = !a->json && !a->common.output && isatty(STDOUT_FILENO);
    return 0;
}

/* ---- loading the two documents ------------------------------------------------- */

typedef struct {
    gema_corpus *corpus;
    gema_reader *reader;
    gema_doc doc;
    const char *path;
} input;

static void input_free(input *in)
{
    gema_reader_free(in->reader);
    gema_corpus_free(in->corpus);
}

/* Load path and pick the record with id `id`, or the first record. */
static int load_input(const align_args *a, const char *path, const char *id, input *in)
{
    memset(in, 0, sizeof *in);
    in->path = path;
    int rc = gema_corpus_new(&a->common.corpus, &in->corpus);
    if (rc != GEMA_OK) return cli_fail("align", "cannot create corpus", rc);
    rc = gema_corpus_add_path(in->corpus, path);
    if (rc != GEMA_OK) {
        const char *msg = gema_corpus_errmsg(in->corpus);
        fprintf(stderr, "gema align: %s\n", msg && *msg ? msg : gema_strerror(rc));
        return 1;
    }
    rc = gema_reader_new(in->corpus, &in->reader);
    if (rc != GEMA_OK) return cli_fail("align", "reader", rc);
    size_t n = gema_corpus_count(in->corpus);
    if (n == 0) {
        fprintf(stderr, "gema align: %s: no documents\n", path);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        rc = gema_reader_get(in->reader, i, &in->doc);
        if (rc != GEMA_OK) return cli_fail("align", path, rc);
        if (!id) break;
        if (in->doc.reject == GEMA_REJECT_NONE && in->doc.id_len == strlen(id) &&
            memcmp(in->doc.id, id, in->doc.id_len) == 0)
            break;
        if (i + 1 == n) {
            fprintf(stderr, "gema align: %s: no document with id '%s'\n", path, id);
            return 1;
        }
    }
    if (in->doc.reject != GEMA_REJECT_NONE) {
        fprintf(stderr, "gema align: %s:%llu: %s (%s)\n", in->doc.file,
                (unsigned long long)in->doc.line, gema_reject_message(in->doc.reject),
                gema_reject_name(in->doc.reject));
        return a->common.strict ? EXIT_STRICT : 1;
    }
    return 0;
}

/* ---- text layout ----------------------------------------------------------------- */

/* Display width of a code point: 2 for East Asian wide and full-width
 * forms, 0 for combining marks, else 1.  Ranges after Unicode's
 * EastAsianWidth.txt (W and F), coarsely. */
static unsigned cp_width(unsigned long cp)
{
    if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFE0F) return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* Decode one code point of valid UTF-8; returns its length. */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > len) n = len;
    unsigned long v = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < n; i++) v = v << 6 | (s[i] & 0x3Fu);
    *cp = v;
    return n;
}

static size_t text_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        i += utf8_next((const unsigned char *)s + i, len - i, &cp);
        w += cp_width(cp);
    }
    return w;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Words of s[0..len): maximal runs of non-space bytes.  Returns the next
 * word at or after *pos, or 0 when there is none. */
static int next_word(const char *s, size_t len, size_t *pos, size_t *ws, size_t *we)
{
    size_t i = *pos;
    while (i < len && is_space((unsigned char)s[i])) i++;
    if (i >= len) return 0;
    *ws = i;
    while (i < len && !is_space((unsigned char)s[i])) i++;
    *we = i;
    *pos = i;
    return 1;
}

#define RED "\033[31m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* A word-wrapping writer for the inline view. */
typedef struct {
    gema_out *o;
    size_t width, col, indent;
} wrapper;

static void wrap_word(wrapper *w, const char *open, const char *word, size_t len,
                      const char *close, const char *color)
{
    size_t need = strlen(open) + text_width(word, len) + strlen(close);
    if (w->col > w->indent && w->col + 1 + need > w->width) {
        gema_out_puts(w->o, "\n");
        w->col = 0;
    }
    if (w->col == 0) {
        for (size_t i = 0; i < w->indent; i++) gema_out_puts(w->o, " ");
        w->col = w->indent;
    } else {
        gema_out_puts(w->o, " ");
        w->col++;
    }
    if (color) gema_out_puts(w->o, color);
    gema_out_puts(w->o, open);
    gema_out_write(w->o, word, len);
    gema_out_puts(w->o, close);
    if (color) gema_out_puts(w->o, RESET);
    w->col += need;
}

/* The words of s[0..len) with the first word opened by `open` and the last
 * closed by `close` (wdiff style), all in `color` if given. */
static void wrap_run(wrapper *w, const char *s, size_t len, const char *open, const char *close,
                     const char *color)
{
    size_t pos = 0, ws, we, count = 0;
    size_t nwords = 0, p2 = 0, a, b;
    while (next_word(s, len, &p2, &a, &b)) nwords++;
    while (next_word(s, len, &pos, &ws, &we)) {
        count++;
        wrap_word(w, count == 1 ? open : "", s + ws, we - ws, count == nwords ? close : "", color);
    }
}

static void put_inline(gema_out *o, const align_args *a, const char *ta, const char *tb,
                       const gema_edit *e, size_t n)
{
    wrapper w = { o, a->width, 0, 2 };
    int col = a->color;
    for (size_t i = 0; i < n; i++) {
        const char *sa = ta + e[i].a_start, *sb = tb + e[i].b_start;
        size_t la = e[i].a_end - e[i].a_start, lb = e[i].b_end - e[i].b_start;
        if (e[i].kind == GEMA_EDIT_EQUAL) {
            wrap_run(&w, sa, la, "", "", NULL);
            continue;
        }
        if (la) wrap_run(&w, sa, la, col ? "" : "[-", col ? "" : "-]", col ? RED : NULL);
        if (lb) wrap_run(&w, sb, lb, col ? "" : "{+", col ? "" : "+}", col ? GREEN : NULL);
    }
    if (w.col) gema_out_puts(o, "\n");
}

/* Lines of a column: s[0..len) wrapped at width, as byte ranges. */
typedef struct {
    size_t *start, *end;
    size_t n, cap;
} lines;

static int lines_push(lines *l, size_t s, size_t e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        size_t *ns = realloc(l->start, cap * sizeof *ns);
        if (!ns) return -1;
        l->start = ns;
        size_t *ne = realloc(l->end, cap * sizeof *ne);
        if (!ne) return -1;
        l->end = ne;
        l->cap = cap;
    }
    l->start[l->n] = s;
    l->end[l->n++] = e;
    return 0;
}

/* Break s into lines of at most width columns at spaces (a word wider than
 * the column is cut). */
static int wrap_lines(const char *s, size_t len, size_t width, lines *l)
{
    l->n = 0;
    size_t pos = 0, ws, we, ls = SIZE_MAX, le = 0, lw = 0;
    while (next_word(s, len, &pos, &ws, &we)) {
        size_t ww = text_width(s + ws, we - ws);
        while (ww > width) { /* cut an over-long word */
            if (ls != SIZE_MAX && lines_push(l, ls, le)) return -1;
            ls = SIZE_MAX;
            size_t cut = ws, cw = 0;
            while (cut < we) {
                unsigned long cp;
                size_t k = utf8_next((const unsigned char *)s + cut, we - cut, &cp);
                if (cw + cp_width(cp) > width) break;
                cw += cp_width(cp);
                cut += k;
            }
            if (cut == ws) cut += utf8_next((const unsigned char *)s + ws, we - ws, &(unsigned long){ 0 });
            if (lines_push(l, ws, cut)) return -1;
            ws = cut;
            ww = text_width(s + ws, we - ws);
        }
        if (ws == we) continue;
        if (ls != SIZE_MAX && lw + 1 + ww <= width) {
            le = we;
            lw += 1 + ww;
            continue;
        }
        if (ls != SIZE_MAX && lines_push(l, ls, le)) return -1;
        ls = ws;
        le = we;
        lw = ww;
    }
    if (ls != SIZE_MAX && lines_push(l, ls, le)) return -1;
    return 0;
}

/* One cell of the side-by-side view: text padded to width. */
static void put_cell(gema_out *o, const char *s, size_t from, size_t to, size_t width,
                     const char *color)
{
    size_t w = 0;
    if (from < to) {
        if (color) gema_out_puts(o, color);
        /* Keep single spaces between words, whatever the text had. */
        size_t pos = from, ws, we;
        int first = 1;
        while (next_word(s, to, &pos, &ws, &we)) {
            if (!first) gema_out_puts(o, " "), w++;
            first = 0;
            gema_out_write(o, s + ws, we - ws);
            w += text_width(s + ws, we - ws);
        }
        if (color) gema_out_puts(o, RESET);
    }
    for (; w < width; w++) gema_out_puts(o, " ");
}

static int put_side_by_side(gema_out *o, const align_args *a, const char *ta, const char *tb,
                            const gema_edit *e, size_t n)
{
    size_t colw = (a->width - 3) / 2;
    lines la = { 0 }, lb = { 0 };
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = wrap_lines(ta + e[i].a_start, e[i].a_end - e[i].a_start, colw, &la);
        if (rc == 0) rc = wrap_lines(tb + e[i].b_start, e[i].b_end - e[i].b_start, colw, &lb);
        if (rc) break;
        const char *gutter = e[i].kind == GEMA_EDIT_EQUAL   ? "   "
                             : e[i].kind == GEMA_EDIT_DELETE ? " < "
                             : e[i].kind == GEMA_EDIT_INSERT ? " > "
                                                            : " | ";
        int eq = e[i].kind == GEMA_EDIT_EQUAL;
        size_t rows = la.n > lb.n ? la.n : lb.n;
        for (size_t r = 0; r < rows; r++) {
            const char *sa = ta + e[i].a_start, *sb = tb + e[i].b_start;
            if (r < la.n) put_cell(o, sa, la.start[r], la.end[r], colw, eq || !a->color ? NULL : RED);
            else put_cell(o, sa, 0, 0, colw, NULL);
            gema_out_puts(o, gutter);
            if (r < lb.n) put_cell(o, sb, lb.start[r], lb.end[r], 0, eq || !a->color ? NULL : GREEN);
            gema_out_puts(o, "\n");
        }
    }
    free(la.start);
    free(la.end);
    free(lb.start);
    free(lb.end);
    return rc;
}

static const char *edit_name(gema_edit_kind k)
{
    switch (k) {
    case GEMA_EDIT_EQUAL: return "equal";
    case GEMA_EDIT_REPLACE: return "replace";
    case GEMA_EDIT_DELETE: return "delete";
    case GEMA_EDIT_INSERT: return "insert";
    }
    return "unknown";
}

static void put_json_side(gema_out *o, const gema_passage_side *s, const char *text)
{
    gema_out_puts(o, "{\"start\":");
    gema_out_json_u64(o, s->start);
    gema_out_puts(o, ",\"end\":");
    gema_out_json_u64(o, s->end);
    gema_out_puts(o, ",\"words\":");
    gema_out_json_u64(o, s->words);
    gema_out_puts(o, ",\"text\":");
    gema_out_json_string(o, text + s->byte_start, s->byte_end - s->byte_start);
    gema_out_puts(o, "}");
}

static void put_json(gema_out *o, const gema_passage *p, const char *ta, const char *tb,
                     const gema_edit *e, size_t n)
{
    gema_out_puts(o, "{\"a\":");
    put_json_side(o, &p->a, ta);
    gema_out_puts(o, ",\"b\":");
    put_json_side(o, &p->b, tb);
    gema_out_puts(o, ",\"score\":");
    gema_out_json_double(o, p->score, 4);
    gema_out_puts(o, ",\"matched\":");
    gema_out_json_u64(o, p->matched);
    gema_out_puts(o, ",\"edits\":[");
    for (size_t i = 0; i < n; i++) {
        gema_out_puts(o, i ? ",{\"op\":\"" : "{\"op\":\"");
        gema_out_puts(o, edit_name(e[i].kind));
        gema_out_puts(o, "\",\"a\":");
        gema_out_json_string(o, ta + e[i].a_start, e[i].a_end - e[i].a_start);
        gema_out_puts(o, ",\"b\":");
        gema_out_json_string(o, tb + e[i].b_start, e[i].b_end - e[i].b_start);
        gema_out_puts(o, "}");
    }
    gema_out_puts(o, "]}\n");
}

static void put_name(gema_out *o, const input *in)
{
    gema_out_puts(o, in->path);
    if (in->doc.format == GEMA_FORMAT_JSONL) {
        gema_out_puts(o, " (id ");
        gema_out_write(o, in->doc.id, in->doc.id_len);
        gema_out_puts(o, ")");
    }
}

int cmd_align(int argc, char **argv)
{
    align_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc;
    input in[2];
    memset(in, 0, sizeof in);
    int status = 0;
    for (int s = 0; s < 2 && !status; s++)
        status = load_input(&a, a.common.inputs[s], a.id[s], &in[s]);
    gema_alignment *al = NULL;
    if (!status) {
        rc = gema_align_texts(in[0].doc.text, in[0].doc.text_len, in[1].doc.text,
                              in[1].doc.text_len, &a.opt, &al);
        if (rc != GEMA_OK) status = cli_fail("align", "alignment", rc);
    }
    gema_out *o = NULL;
    if (!status) status = cli_open("align", a.common.output, &o);
    size_t n = al ? gema_alignment_count(al) : 0;
    if (!status && !a.json) {
        gema_out_puts(o, a.color ? BOLD "A: " RESET : "A: ");
        put_name(o, &in[0]);
        gema_out_puts(o, a.color ? "\n" BOLD "B: " RESET : "\nB: ");
        put_name(o, &in[1]);
        char line[128];
        snprintf(line, sizeof line, "\n%zu shared passage%s\n", n, n == 1 ? "" : "s");
        gema_out_puts(o, line);
    }
    for (size_t k = 0; !status && k < n; k++) {
        gema_passage p;
        const gema_edit *e;
        size_t ne;
        gema_alignment_get(al, k, &p);
        rc = gema_alignment_edits(al, k, &e, &ne);
        if (rc != GEMA_OK) {
            status = cli_fail("align", "edits", rc);
            break;
        }
        if (a.json) {
            put_json(o, &p, in[0].doc.text, in[1].doc.text, e, ne);
            continue;
        }
        char head[256];
        snprintf(head, sizeof head,
                 "\n%s%zu. A %zu-%zu (%zu words)  B %zu-%zu (%zu words)  score %.2f%s\n",
                 a.color ? BOLD : "", k + 1, p.a.start, p.a.end, p.a.words, p.b.start, p.b.end,
                 p.b.words, p.score, a.color ? RESET : "");
        gema_out_puts(o, head);
        if (a.side_by_side) {
            if (put_side_by_side(o, &a, in[0].doc.text, in[1].doc.text, e, ne)) {
                status = cli_fail("align", "layout", GEMA_ERR_NOMEM);
                break;
            }
        } else {
            put_inline(o, &a, in[0].doc.text, in[1].doc.text, e, ne);
        }
    }
    if (o) {
        if (status) {
            gema_out_abort(o);
        } else {
            status = cli_commit("align", a.common.output, o);
        }
    }
    if (!status && !a.common.quiet && a.common.output)
        fprintf(stderr, "gema align: %zu shared passage%s\n", n, n == 1 ? "" : "s");
    gema_alignment_free(al);
    input_free(&in[0]);
    input_free(&in[1]);
    return status;
}
