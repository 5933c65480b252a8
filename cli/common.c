/*
 * common.c - option parsing, input loading, progress, rejects and output
 * helpers shared by every gema subcommand.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

const char cli_common_help[] =
    "Input and output (every subcommand):\n"
    "  INPUT...               JSONL files, plain-text files, directories of them, or -\n"
    "                         for standard input; .gz and .zst are read transparently\n"
    "  -o, --output FILE      write results to FILE (default: standard output); files\n"
    "                         appear under their name only once complete\n"
    "  -j, --threads N        worker threads (default 1); output is identical for any N\n"
    "      --stats FILE       write run statistics as JSON\n"
    "      --rejects FILE     write unusable records as JSONL with file, line and reason\n"
    "      --strict           stop at the first unusable record (exit status 3)\n"
    "      --format F         auto, jsonl or text (default auto: by name, then content)\n"
    "      --id-field NAME    JSON field holding the document id (default id)\n"
    "      --text-field NAME  JSON field holding the text (default text)\n"
    "      --url-field NAME   JSON field holding the URL (default url)\n"
    "      --date-field NAME  JSON field holding the date (default date)\n"
    "      --title-field NAME JSON field holding the title (default title)\n"
    "      --site-field NAME  JSON field naming the site (default: host of the URL)\n"
    "      --site NAME        treat every document as coming from site NAME\n"
    "      --max-doc-bytes N  reject records longer than N bytes (default 64M; 0 = no limit)\n"
    "  -q, --quiet            no summary on standard error\n"
    "      --progress, --no-progress\n"
    "                         progress line on standard error (default: when a terminal)\n"
    "  -h, --help             this help\n";

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    gema_corpus_options_default(&c->corpus);
    c->threads = 1;
    c->progress = -1;
}

int cli_parse_uint(const char *cmd, const char *name, const char *arg, unsigned min,
                   unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
        fprintf(stderr, "gema %s: --%s: expected a whole number from %u to %u, got '%s'\n",
                cmd, name, min, max, arg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int cli_parse_double(const char *cmd, const char *name, const char *arg, double min,
                     double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !isfinite(v) || v < min || v > max) {
        fprintf(stderr, "gema %s: --%s: expected a number from %g to %g, got '%s'\n", cmd,
                name, min, max, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_size(const char *cmd, const char *name, const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned long long mul = 1;
    if (*end == 'k' || *end == 'K') mul = 1ULL << 10, end++;
    else if (*end == 'm' || *end == 'M') mul = 1ULL << 20, end++;
    else if (*end == 'g' || *end == 'G') mul = 1ULL << 30, end++;
    if (errno || end == arg || *end || arg[0] == '-' || v > SIZE_MAX / mul) {
        fprintf(stderr, "gema %s: --%s: expected a size such as 1048576, 512K, 64M or 2G, got '%s'\n",
                cmd, name, arg);
        return -1;
    }
    *out = (size_t)(v * mul);
    return 0;
}

int cli_parse_choice(const char *cmd, const char *name, const char *arg,
                     const char *const *choices)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(arg, choices[i]) == 0) return i;
    fprintf(stderr, "gema %s: --%s: expected one of", cmd, name);
    for (int i = 0; choices[i]; i++) fprintf(stderr, "%s %s", i ? "," : "", choices[i]);
    fprintf(stderr, "; got '%s'\n", arg);
    return -1;
}

int cli_common_option(cli_common *c, const char *cmd, int opt, const char *arg)
{
    static const char *const formats[] = { "auto", "jsonl", "text", NULL };
    gema_corpus_options *o = &c->corpus;
    int k;
    switch (opt) {
    case 'o': c->output = arg; return 1;
    case 'j': return cli_parse_uint(cmd, "threads", arg, 1, 256, &c->threads) ? -1 : 1;
    case 'q': c->quiet = 1; return 1;
    case 1000: c->stats = arg; return 1;
    case 1001: c->rejects = arg; return 1;
    case 1002: c->strict = 1; return 1;
    case 1003: o->id_field = arg; return 1;
    case 1004: o->text_field = arg; return 1;
    case 1005: o->url_field = arg; return 1;
    case 1006: o->date_field = arg; return 1;
    case 1007: o->title_field = arg; return 1;
    case 1008: o->site_field = arg; return 1;
    case 1009: o->site = arg; return 1;
    case 1010:
        if ((k = cli_parse_choice(cmd, "format", arg, formats)) < 0) return -1;
        o->format = (gema_format)k;
        return 1;
    case 1011: return cli_parse_size(cmd, "max-doc-bytes", arg, &o->max_doc_bytes) ? -1 : 1;
    case 1012: c->progress = 1; return 1;
    case 1013: c->progress = 0; return 1;
    default: return 0;
    }
}

void cli_common_inputs(cli_common *c, int argc, char **argv)
{
    static char *stdin_only[] = { "-", NULL };
    if (optind < argc) {
        c->inputs = argv + optind;
        c->ninputs = argc - optind;
    } else {
        c->inputs = stdin_only;
        c->ninputs = 1;
    }
    if (c->progress < 0) c->progress = !c->quiet && isatty(STDERR_FILENO);
}

int cli_fail(const char *cmd, const char *what, int status)
{
    fprintf(stderr, "gema %s: %s: %s\n", cmd, what, gema_strerror(status));
    return 1;
}

gema_corpus *cli_load(const char *cmd, const cli_common *c)
{
    gema_corpus *corpus;
    int rc = gema_corpus_new(&c->corpus, &corpus);
    if (rc != GEMA_OK) {
        cli_fail(cmd, "cannot create corpus", rc);
        return NULL;
    }
    for (int i = 0; i < c->ninputs; i++) {
        rc = gema_corpus_add_path(corpus, c->inputs[i]);
        if (rc != GEMA_OK) {
            const char *msg = gema_corpus_errmsg(corpus);
            if (msg && *msg) fprintf(stderr, "gema %s: %s\n", cmd, msg);
            else fprintf(stderr, "gema %s: %s: %s\n", cmd, c->inputs[i], gema_strerror(rc));
            gema_corpus_free(corpus);
            return NULL;
        }
    }
    return corpus;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double progress_last, progress_start;
static int progress_shown;

void cli_progress(void *user, uint64_t done, uint64_t total)
{
    (void)user;
    double now = cli_now();
    if (progress_start == 0) progress_start = now;
    if (now - progress_last < 0.2 && done < total) return;
    progress_last = now;
    double el = now - progress_start;
    double mb = (double)done / 1e6;
    fprintf(stderr, "\r%5.1f%%  %.0f / %.0f MB  %.0f MB/s ", total ? 100.0 * (double)done / (double)total : 100.0,
            mb, (double)total / 1e6, el > 0 ? mb / el : 0.0);
    progress_shown = 1;
}

void cli_progress_end(void)
{
    if (progress_shown) fprintf(stderr, "\r%*s\r", 50, "");
    progress_shown = 0;
}

uint64_t cli_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (uint64_t)ru.ru_maxrss * 1024;
}

#define REJECTS_ON_STDERR 10

int cli_write_rejects(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                      cli_reject_fn fn, void *user)
{
    size_t n = gema_corpus_count(corpus), count = 0;
    gema_out *out = NULL;
    if (c->rejects && cli_open(cmd, c->rejects, &out)) return 1;
    for (size_t i = 0; i < n; i++) {
        gema_reject why;
        if (!fn(user, i, &why)) continue;
        count++;
        gema_doc doc;
        gema_corpus_record(corpus, i, &doc);
        if (out) {
            gema_out_puts(out, "{\"file\":");
            gema_out_json_string(out, doc.file, strlen(doc.file));
            gema_out_puts(out, ",\"line\":");
            gema_out_json_u64(out, doc.line);
            gema_out_puts(out, ",\"offset\":");
            gema_out_json_u64(out, doc.offset);
            gema_out_puts(out, ",\"reason\":");
            gema_out_json_string(out, gema_reject_name(why), strlen(gema_reject_name(why)));
            gema_out_puts(out, ",\"message\":");
            gema_out_json_string(out, gema_reject_message(why), strlen(gema_reject_message(why)));
            /* The raw record, made valid UTF-8 for JSON; file, offset and
             * length locate the exact bytes. */
            char *fixed = NULL;
            size_t flen = 0;
            gema_out_puts(out, ",\"bytes\":");
            gema_out_json_u64(out, doc.raw_len);
            gema_out_puts(out, ",\"raw\":");
            if (gema_utf8_fix(doc.raw, doc.raw_len, &fixed, &flen) == GEMA_OK) {
                gema_out_json_string(out, fixed, flen);
                gema_free(fixed);
            } else {
                gema_out_puts(out, "null");
            }
            gema_out_puts(out, "}\n");
        } else if (!c->quiet && count <= REJECTS_ON_STDERR) {
            fprintf(stderr, "%s:%llu: %s (%s)\n", doc.file, (unsigned long long)doc.line,
                    gema_reject_message(why), gema_reject_name(why));
        }
    }
    if (!out && !c->quiet && count > REJECTS_ON_STDERR)
        fprintf(stderr, "gema %s: %zu more unusable records not shown (see --rejects FILE)\n",
                cmd, count - REJECTS_ON_STDERR);
    return out ? cli_commit(cmd, c->rejects, out) : 0;
}

int cli_strict_check(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                     cli_reject_fn fn, void *user)
{
    if (!c->strict) return 0;
    size_t n = gema_corpus_count(corpus);
    for (size_t i = 0; i < n; i++) {
        gema_reject why;
        if (!fn(user, i, &why)) continue;
        gema_doc doc;
        gema_corpus_record(corpus, i, &doc);
        fprintf(stderr, "%s:%llu: %s (%s)\ngema %s: stopped by --strict; no output written\n",
                doc.file, (unsigned long long)doc.line, gema_reject_message(why),
                gema_reject_name(why), cmd);
        return EXIT_STRICT;
    }
    return 0;
}

int cli_write_record(gema_out *out, const gema_doc *doc)
{
    if (doc->format == GEMA_FORMAT_JSONL) {
        gema_out_write(out, doc->raw, doc->raw_len);
        return gema_out_write(out, "\n", 1);
    }
    gema_out_puts(out, "{\"id\":");
    gema_out_json_string(out, doc->id, doc->id_len);
    gema_out_puts(out, ",\"text\":");
    gema_out_json_string(out, doc->text, doc->text_len);
    return gema_out_puts(out, "}\n");
}

int cli_clean_prepare(const char *cmd, cli_clean *c, const gema_corpus *corpus,
                      unsigned threads, gema_cleaner **out)
{
    double t0 = cli_now();
    *out = NULL;
    c->surveyed = c->clean < 0;
    if (c->surveyed) {
        int rc = gema_clean_survey_run(corpus, 0, 0, &c->survey);
        if (rc != GEMA_OK) return cli_fail(cmd, "surveying page furniture", rc);
        c->clean = c->survey.clean;
    }
    if (c->clean) {
        gema_clean_options co;
        gema_clean_options_default(&co);
        co.threads = threads;
        int rc = gema_cleaner_learn(corpus, &co, out);
        if (rc != GEMA_OK) return cli_fail(cmd, "learning page furniture", rc);
    }
    c->seconds = cli_now() - t0;
    return 0;
}

int cli_open(const char *cmd, const char *path, gema_out **out)
{
    if (gema_out_open(path, out) != GEMA_OK) {
        fprintf(stderr, "gema %s: %s: cannot open for writing: %s\n", cmd, path ? path : "stdout",
                strerror(errno));
        return 1;
    }
    return 0;
}

int cli_commit(const char *cmd, const char *path, gema_out *out)
{
    int rc = gema_out_commit(out);
    if (rc != GEMA_OK) {
        fprintf(stderr, "gema %s: %s: write failed: %s\n", cmd, path ? path : "stdout",
                gema_strerror(rc));
        return 1;
    }
    return 0;
}

void cli_json_key(gema_out *o, const char *k, int *first)
{
    gema_out_puts(o, *first ? "{\n  \"" : ",\n  \"");
    *first = 0;
    gema_out_puts(o, k);
    gema_out_puts(o, "\": ");
}

void cli_json_u64(gema_out *o, const char *k, uint64_t v, int *first)
{
    cli_json_key(o, k, first);
    gema_out_json_u64(o, v);
}

void cli_json_num(gema_out *o, const char *k, double v, int *first)
{
    cli_json_key(o, k, first);
    gema_out_json_double(o, v, 4);
}

void cli_json_str(gema_out *o, const char *k, const char *v, int *first)
{
    cli_json_key(o, k, first);
    gema_out_json_string(o, v, strlen(v));
}

void cli_clean_stats(gema_out *o, const cli_clean *c, int *first)
{
    cli_json_u64(o, "clean", (uint64_t)c->clean, first);
    cli_json_str(o, "clean_decided_by", c->surveyed ? "survey" : "option", first);
    if (c->surveyed) {
        cli_json_u64(o, "survey_sampled", c->survey.sampled, first);
        cli_json_u64(o, "survey_sites", c->survey.sites, first);
        cli_json_u64(o, "survey_site_docs", c->survey.site_docs, first);
        cli_json_u64(o, "survey_furnished", c->survey.furnished, first);
        cli_json_num(o, "survey_share", c->survey.share, first);
        cli_json_num(o, "seconds_survey", c->survey.seconds, first);
    }
    cli_json_num(o, "seconds_clean_learn", c->seconds, first);
}

int cli_stats_begin(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                    uint64_t bytes, uint64_t records, gema_out **o, int *first)
{
    if (cli_open(cmd, c->stats, o)) return 1;
    *first = 1;
    cli_json_str(*o, "command", cmd, first);
    cli_json_str(*o, "version", gema_version(), first);
    cli_json_u64(*o, "threads", c->threads, first);
    cli_json_u64(*o, "files", gema_corpus_file_count(corpus), first);
    cli_json_u64(*o, "bytes", bytes, first);
    cli_json_u64(*o, "records", records, first);
    cli_json_u64(*o, "blank_lines", gema_corpus_blank_lines(corpus), first);
    return 0;
}

int cli_stats_end(const char *cmd, const cli_common *c, gema_out *o, int *first)
{
    cli_json_u64(o, "peak_rss_bytes", cli_peak_rss(), first);
    gema_out_puts(o, "\n}\n");
    return cli_commit(cmd, c->stats, o);
}
