/*
 * cmd_clean.c - gema clean: repair mojibake, remove page furniture, write
 * every document with its text cleaned, and account for every record.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char usage[] =
    "Usage: gema clean [OPTIONS] INPUT...\n"
    "\n"
    "Repair mojibake (UTF-8 read through a legacy code page, e.g. \"\xe0\xb8\xa2\xe0\xb8\x89\" for\n"
    "\"\xc2\xa9\") and remove page furniture line by line; write every document in input\n"
    "order with only its text replaced: JSONL lines keep every other byte as it\n"
    "was (unchanged documents are copied byte for byte), plain-text files become\n"
    "{\"id\",\"text\"} lines with the path as id.\n"
    "\n"
    "Furniture is found two ways.  Over the corpus (learned first, in passes of\n"
    "its own): a line that recurs in many documents of one site (menus, footers,\n"
    "ad labels, bylines), unless another site carries it as a rare line\n"
    "(syndicated paragraphs, quotes); a line frequent in every site that has it\n"
    "(a network's footer) goes in small sites too.  The site is the URL's host,\n"
    "--site-field, --site, or the directory of a plain-text file.  Within each\n"
    "document: labels (ADVERTISEMENT, Bagikan:), \"Baca juga:\"/\"Read also:\" link\n"
    "lists, glued or |-separated menus, datelines, photo captions with a credit,\n"
    "copyright lines, short fragments before or after the article body, a line\n"
    "printed twice, and a trailing block that tells another story; a line two\n"
    "learned sites print with the same article is kept from these rules.  Lines\n"
    "are compared with case, digits and white space folded.\n"
    "\n"
    "Cleaning:\n"
    "      --report FILE      one JSON line per changed document: id, file, line, the\n"
    "                         removed lines {\"line\",\"start\",\"end\",\"reason\",\"count\",\n"
    "                         \"text\"} and repaired spans {\"start\",\"end\",\"codepage\",\n"
    "                         \"from\",\"to\"}; start and end count code points of the\n"
    "                         original text\n"
    "      --no-repair        leave encodings as they are\n"
    "      --no-furniture     remove nothing (encoding repair only)\n"
    "      --one-pass         no learning pass: in-document rules only\n"
    "      --min-site-docs N  learn only sites with at least N distinct documents\n"
    "                         (default 6); smaller sites get the in-document rules\n"
    "      --min-repeat N     a line is furniture when it occurs in at least N\n"
    "                         documents of its site (default 3) ...\n"
    "      --min-share F      ... and in at least this share of them (default 0.05)\n"
    "      --shared-sites N   a line found in N or more learned sites, rare in one\n"
    "                         of them, is content: never removed for repetition;\n"
    "                         one N learned sites print with the same article is\n"
    "                         kept from the in-document rules (default 2; 0 = off)\n"
    "      --sketch-mb N      memory for line counts while learning (default 64;\n"
    "                         a quarter of the input's size when that is less)\n"
    "\n"
    "Reasons in the report: repeated-in-site, label, link-list, menu, dateline,\n"
    "copyright, byline, caption, no-text, edge-fragment, appended-story,\n"
    "duplicate-line.\n"
    "\n";

enum {
    OPT_REPORT = 2000, OPT_NO_REPAIR, OPT_NO_FURNITURE, OPT_ONE_PASS, OPT_MIN_SITE_DOCS,
    OPT_MIN_REPEAT, OPT_MIN_SHARE, OPT_SHARED_SITES, OPT_SKETCH_MB
};

typedef struct {
    cli_common common;
    gema_clean_options opt;
    const char *report;
} clean_args;

static int parse_args(clean_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "report", required_argument, NULL, OPT_REPORT },
        { "no-repair", no_argument, NULL, OPT_NO_REPAIR },
        { "no-furniture", no_argument, NULL, OPT_NO_FURNITURE },
        { "one-pass", no_argument, NULL, OPT_ONE_PASS },
        { "min-site-docs", required_argument, NULL, OPT_MIN_SITE_DOCS },
        { "min-repeat", required_argument, NULL, OPT_MIN_REPEAT },
        { "min-share", required_argument, NULL, OPT_MIN_SHARE },
        { "shared-sites", required_argument, NULL, OPT_SHARED_SITES },
        { "sketch-mb", required_argument, NULL, OPT_SKETCH_MB },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "clean";
    cli_common_init(&a->common);
    gema_clean_options_default(&a->opt);
    int c;
    unsigned u;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        int h = cli_common_option(&a->common, cmd, c, optarg);
        if (h < 0) return EXIT_USAGE;
        if (h > 0) continue;
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            fputs(cli_common_help, stdout);
            exit(0);
        case OPT_REPORT: a->report = optarg; break;
        case OPT_NO_REPAIR: a->opt.repair = 0; break;
        case OPT_NO_FURNITURE: a->opt.furniture = 0; break;
        case OPT_ONE_PASS: a->opt.repetition = 0; break;
        case OPT_MIN_SITE_DOCS:
            if (cli_parse_uint(cmd, "min-site-docs", optarg, 2, 1000000000u, &a->opt.min_site_docs))
                return EXIT_USAGE;
            break;
        case OPT_MIN_REPEAT:
            if (cli_parse_uint(cmd, "min-repeat", optarg, 2, 1000000000u, &a->opt.min_repeat))
                return EXIT_USAGE;
            break;
        case OPT_MIN_SHARE:
            if (cli_parse_double(cmd, "min-share", optarg, 0, 1, &a->opt.min_share)) return EXIT_USAGE;
            break;
        case OPT_SHARED_SITES:
            if (cli_parse_uint(cmd, "shared-sites", optarg, 0, 1000000u, &a->opt.shared_sites))
                return EXIT_USAGE;
            break;
        case OPT_SKETCH_MB:
            if (cli_parse_uint(cmd, "sketch-mb", optarg, 1, 65536, &u)) return EXIT_USAGE;
            a->opt.sketch_bytes = (size_t)u << 20;
            break;
        default:
            fprintf(stderr, "Try 'gema clean --help'.\n");
            return EXIT_USAGE;
        }
    }
    cli_common_inputs(&a->common, argc, argv);
    a->opt.threads = a->common.threads;
    return 0;
}

typedef struct {
    const clean_args *a;
    const gema_corpus *corpus;
    gema_out *out, *report;
    unsigned char *rejected;   /* per record: gema_reject */
    uint64_t written;
    int stopped;               /* --strict met a rejected record */
} sink_ctx;

#define STOP_STRICT 1000

static void report_doc(gema_out *o, const gema_corpus *corpus, const gema_cleaned *r)
{
    size_t idlen;
    const char *id = gema_cleaned_id(r, &idlen);
    gema_doc rec;
    gema_corpus_record(corpus, gema_cleaned_index(r), &rec);
    gema_out_puts(o, "{\"id\":");
    gema_out_json_string(o, id, idlen);
    gema_out_puts(o, ",\"file\":");
    gema_out_json_string(o, rec.file, strlen(rec.file));
    gema_out_puts(o, ",\"line\":");
    gema_out_json_u64(o, rec.line);
    gema_out_puts(o, ",\"removed\":[");
    size_t n = gema_cleaned_removal_count(r);
    for (size_t k = 0; k < n; k++) {
        gema_clean_removal m;
        gema_cleaned_removal(r, k, &m);
        gema_out_puts(o, k ? ",{\"line\":" : "{\"line\":");
        gema_out_json_u64(o, m.line);
        gema_out_puts(o, ",\"start\":");
        gema_out_json_u64(o, m.start);
        gema_out_puts(o, ",\"end\":");
        gema_out_json_u64(o, m.end);
        gema_out_puts(o, ",\"reason\":");
        const char *why = gema_clean_reason_name(m.reason);
        gema_out_json_string(o, why, strlen(why));
        if (m.reason == GEMA_CLEAN_REPEATED) {
            gema_out_puts(o, ",\"count\":");
            gema_out_json_u64(o, m.count);
        }
        gema_out_puts(o, ",\"text\":");
        gema_out_json_string(o, m.text, m.text_len);
        gema_out_puts(o, "}");
    }
    gema_out_puts(o, "],\"repaired\":[");
    n = gema_cleaned_repair_count(r);
    for (size_t k = 0; k < n; k++) {
        gema_clean_repair p;
        gema_cleaned_repair(r, k, &p);
        gema_out_puts(o, k ? ",{\"start\":" : "{\"start\":");
        gema_out_json_u64(o, p.start);
        gema_out_puts(o, ",\"end\":");
        gema_out_json_u64(o, p.end);
        gema_out_puts(o, ",\"codepage\":");
        gema_out_json_string(o, p.codepage, strlen(p.codepage));
        gema_out_puts(o, ",\"from\":");
        gema_out_json_string(o, p.from, p.from_len);
        gema_out_puts(o, ",\"to\":");
        gema_out_json_string(o, p.to, p.to_len);
        gema_out_puts(o, "}");
    }
    gema_out_puts(o, "]}\n");
}

static int sink(void *user, const gema_cleaned *r)
{
    sink_ctx *x = user;
    gema_reject why = gema_cleaned_reject(r);
    if (why != GEMA_REJECT_NONE) {
        x->rejected[gema_cleaned_index(r)] = (unsigned char)why;
        if (x->a->common.strict) {
            x->stopped = 1;
            return STOP_STRICT;
        }
        return 0;
    }
    size_t len;
    const char *rec = gema_cleaned_record(r, &len);
    gema_out_write(x->out, rec, len);
    int rc = gema_out_write(x->out, "\n", 1);
    x->written++;
    if (x->report && gema_cleaned_changed(r)) report_doc(x->report, x->corpus, r);
    return rc;
}

static int is_rejected(void *user, size_t i, gema_reject *why)
{
    const unsigned char *rej = user;
    *why = (gema_reject)rej[i];
    return rej[i] != GEMA_REJECT_NONE;
}

/* CPU seconds (user + system, all threads) used so far: throughput per
 * core is bytes over CPU time, whatever else runs on the machine. */
static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

typedef struct {
    double load, learn, clean;   /* CPU seconds of each phase */
} cpu_times;

static int write_stats(const clean_args *a, const gema_corpus *corpus, const gema_clean_stats *s,
                       const gema_cleaner_info *li, uint64_t written, double seconds,
                       double load_s, const cpu_times *cpu)
{
    gema_out *o;
    int first;
    if (cli_stats_begin("clean", &a->common, corpus, gema_corpus_bytes(corpus), s->records, &o, &first)) return 1;
    cli_json_u64(o, "documents", s->documents, &first);
    cli_json_u64(o, "written", written, &first);
    cli_json_u64(o, "rejected", s->rejected, &first);
    cli_json_u64(o, "changed", s->changed, &first);
    cli_json_u64(o, "lines", s->lines, &first);
    cli_json_u64(o, "lines_removed", s->lines_removed, &first);
    cli_json_key(o, "removed_by", &first);
    gema_out_puts(o, "{");
    for (int k = 1; k < GEMA_CLEAN_REASONS; k++) {
        const char *name = gema_clean_reason_name((gema_clean_reason)k);
        gema_out_puts(o, k > 1 ? ", \"" : "\"");
        gema_out_puts(o, name);
        gema_out_puts(o, "\": ");
        gema_out_json_u64(o, s->removed_by[k]);
    }
    gema_out_puts(o, "}");
    cli_json_u64(o, "repairs", s->repairs, &first);
    cli_json_u64(o, "repaired_docs", s->repaired_docs, &first);
    cli_json_u64(o, "unrewritten", s->unrewritten, &first);
    cli_json_u64(o, "text_bytes_in", s->text_bytes_in, &first);
    cli_json_u64(o, "text_bytes_out", s->text_bytes_out, &first);
    cli_json_u64(o, "repair", (uint64_t)a->opt.repair, &first);
    cli_json_u64(o, "furniture", (uint64_t)a->opt.furniture, &first);
    cli_json_u64(o, "repetition", (uint64_t)a->opt.repetition, &first);
    cli_json_u64(o, "min_site_docs", a->opt.min_site_docs, &first);
    cli_json_u64(o, "min_repeat", a->opt.min_repeat, &first);
    cli_json_num(o, "min_share", a->opt.min_share, &first);
    cli_json_u64(o, "shared_sites", a->opt.shared_sites, &first);
    cli_json_u64(o, "sites", li->sites, &first);
    cli_json_u64(o, "sites_learned", li->sites_learned, &first);
    cli_json_u64(o, "duplicates_set_aside", li->duplicates, &first);
    cli_json_u64(o, "candidate_lines", li->candidates, &first);
    cli_json_u64(o, "furniture_lines", li->furniture_lines, &first);
    cli_json_u64(o, "shared_lines_kept", li->shared_lines, &first);
    cli_json_u64(o, "network_lines", li->network_lines, &first);
    cli_json_u64(o, "protected_lines", li->protected_lines, &first);
    cli_json_u64(o, "sketch_bytes", li->sketch_bytes, &first);
    cli_json_num(o, "seconds", seconds, &first);
    cli_json_num(o, "seconds_load", load_s, &first);
    cli_json_num(o, "seconds_learn", li->seconds, &first);
    cli_json_num(o, "seconds_clean", s->seconds, &first);
    double mb = (double)gema_corpus_bytes(corpus) / 1e6;
    cli_json_num(o, "mb_per_s", seconds > 0 ? mb / seconds : 0, &first);
    cli_json_num(o, "mb_per_s_learn", li->seconds > 0 ? mb / li->seconds : 0, &first);
    cli_json_num(o, "mb_per_s_clean", s->seconds > 0 ? mb / s->seconds : 0, &first);
    cli_json_num(o, "cpu_seconds_load", cpu->load, &first);
    cli_json_num(o, "cpu_seconds_learn", cpu->learn, &first);
    cli_json_num(o, "cpu_seconds_clean", cpu->clean, &first);
    cli_json_num(o, "mb_per_cpu_s_learn", cpu->learn > 0 ? mb / cpu->learn : 0, &first);
    cli_json_num(o, "mb_per_cpu_s_clean", cpu->clean > 0 ? mb / cpu->clean : 0, &first);
    return cli_stats_end("clean", &a->common, o, &first);
}

static void summary(const clean_args *a, const gema_corpus *corpus, const gema_clean_stats *s,
                    const gema_cleaner_info *li, double seconds)
{
    double mb = (double)gema_corpus_bytes(corpus) / 1e6;
    fprintf(stderr, "gema clean: %llu documents, %.1f MB in %.2f s (learn %.2f s, clean %.2f s, %u thread%s)\n",
            (unsigned long long)s->records, mb, seconds, li->seconds, s->seconds,
            a->common.threads, a->common.threads == 1 ? "" : "s");
    fprintf(stderr, "  changed %llu; removed %llu of %llu lines; repaired %llu spans in %llu documents; rejected %llu\n",
            (unsigned long long)s->changed, (unsigned long long)s->lines_removed,
            (unsigned long long)s->lines, (unsigned long long)s->repairs,
            (unsigned long long)s->repaired_docs, (unsigned long long)s->rejected);
    if (a->opt.furniture && a->opt.repetition)
        fprintf(stderr, "  learned %llu furniture lines in %llu of %llu sites (%llu kept as shared across "
                        "sites, %llu a network's in small sites); %llu syndicated lines kept from the rules\n",
                (unsigned long long)li->furniture_lines, (unsigned long long)li->sites_learned,
                (unsigned long long)li->sites, (unsigned long long)li->shared_lines,
                (unsigned long long)li->network_lines, (unsigned long long)li->protected_lines);
}

int cmd_clean(int argc, char **argv)
{
    clean_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc;
    double t0 = cli_now();
    cpu_times cpu;
    double c0 = cpu_seconds();
    gema_corpus *corpus = cli_load("clean", &a.common);
    if (!corpus) return 1;
    double t1 = cli_now(), c1 = cpu_seconds();
    cpu.load = c1 - c0;
    if (a.common.progress) a.opt.progress = cli_progress;
    gema_cleaner *cleaner = NULL;
    if (a.opt.furniture && a.opt.repetition) rc = gema_cleaner_learn(corpus, &a.opt, &cleaner);
    else rc = gema_cleaner_new(&a.opt, &cleaner);
    cli_progress_end();
    double c2 = cpu_seconds();
    cpu.learn = c2 - c1;
    if (rc != GEMA_OK) {
        gema_corpus_free(corpus);
        return cli_fail("clean", "learn", rc);
    }
    sink_ctx x;
    memset(&x, 0, sizeof x);
    x.a = &a;
    x.corpus = corpus;
    size_t n = gema_corpus_count(corpus);
    x.rejected = calloc(n ? n : 1, 1);
    int status = 0;
    if (!x.rejected) status = cli_fail("clean", "run", GEMA_ERR_NOMEM);
    if (!status) status = cli_open("clean", a.common.output, &x.out);
    if (!status && a.report) status = cli_open("clean", a.report, &x.report);
    gema_clean_stats s;
    memset(&s, 0, sizeof s);
    cpu.clean = 0;
    if (!status) {
        rc = gema_clean_run(corpus, cleaner, &a.opt, sink, &x, &s);
        cli_progress_end();
        cpu.clean = cpu_seconds() - c2;
        if (x.stopped) {
            status = cli_strict_check("clean", &a.common, corpus, is_rejected, x.rejected);
        } else if (rc != GEMA_OK) {
            status = cli_fail("clean", rc == GEMA_ERR_IO ? "write" : "run", rc);
        }
    }
    if (status) {
        gema_out_abort(x.out);
        gema_out_abort(x.report);
    } else {
        status = cli_commit("clean", a.common.output, x.out);
        if (status) gema_out_abort(x.report);
        else if (x.report) status = cli_commit("clean", a.report, x.report);
    }
    if (!status) status = cli_write_rejects("clean", &a.common, corpus, is_rejected, x.rejected);
    gema_cleaner_info li;
    gema_cleaner_info_get(cleaner, &li);
    double t2 = cli_now();
    if (!status && s.unrewritten && !a.common.quiet)
        fprintf(stderr, "gema clean: warning: %llu JSONL records written uncleaned: their text member could not be located\n",
                (unsigned long long)s.unrewritten);
    if (!status && a.common.stats) status = write_stats(&a, corpus, &s, &li, x.written, t2 - t0, t1 - t0, &cpu);
    if (!status && !a.common.quiet) summary(&a, corpus, &s, &li, t2 - t0);
    free(x.rejected);
    gema_cleaner_free(cleaner);
    gema_corpus_free(corpus);
    return status;
}
