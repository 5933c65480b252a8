/*
 * cmd_dedup.c - gema dedup: find exact and near-duplicate documents, write
 * one of each, and account for every input record.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: gema dedup [OPTIONS] INPUT...\n"
    "\n"
    "Find exact and near-duplicate documents; write each kept document once, in\n"
    "input order and input format (JSONL lines byte for byte; plain-text files\n"
    "as {\"id\",\"text\"} lines).  Exact duplicates share their normalised text\n"
    "(NFKC, case folded, punctuation folded); near duplicates are found with\n"
    "MinHash and LSH and verified on their real shingle sets.\n"
    "\n"
    "Matching:\n"
    "  -t, --threshold T      similarity at which documents are duplicates (default 0.7)\n"
    "      --similarity S     jaccard (default) or containment, |A and B| / min(|A|,|B|),\n"
    "                         which also counts a truncated copy as a duplicate\n"
    "      --shingle N        words per shingle (default 5)\n"
    "      --num-hashes K     MinHash signature length (default 128)\n"
    "      --bands B          LSH bands and rows per band; both or neither\n"
    "      --rows R           (default: chosen from the threshold)\n"
    "      --fp-weight W      weights of false positives and false negatives when\n"
    "      --fn-weight W      choosing bands and rows (default 0.02 and 0.98:\n"
    "                         candidates are verified, so misses cost more;\n"
    "                         23 bands of 5 rows at threshold 0.7)\n"
    "      --scheme S         oph (one permutation, default) or perm (K permutations)\n"
    "      --seed N           seed of every hash function (default 1734700385)\n"
    CLI_CLEAN_HELP("fingerprint", " (the records written stay as they were read)")
    "\n"
    "Output:\n"
    "      --keep P           which copy represents a cluster: first (default), longest,\n"
    "                         or earliest (by the date field; undated documents last)\n"
    "      --drop-all         drop every member of a duplicate cluster, representative too\n"
    "      --clusters FILE    one JSON line per cluster: {\"cluster\",\"size\",\n"
    "                         \"representative\",\"members\":[{\"id\",\"similarity\",\"match\"}]}\n"
    "      --pairs FILE       one JSON line per verified candidate pair\n"
    "\n";

enum {
    OPT_SIMILARITY = 2000, OPT_SHINGLE, OPT_NUM_HASHES, OPT_BANDS, OPT_ROWS, OPT_FP, OPT_FN,
    OPT_SCHEME, OPT_SEED, OPT_KEEP, OPT_DROP_ALL, OPT_CLUSTERS, OPT_PAIRS, OPT_CLEAN, OPT_NO_CLEAN
};

typedef struct {
    cli_common common;
    gema_dedup_options opt;
    int drop_all;
    cli_clean clean;
    const char *clusters;
    const char *pairs;
} dedup_args;

static int parse_args(dedup_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "threshold", required_argument, NULL, 't' },
        { "similarity", required_argument, NULL, OPT_SIMILARITY },
        { "shingle", required_argument, NULL, OPT_SHINGLE },
        { "num-hashes", required_argument, NULL, OPT_NUM_HASHES },
        { "num-perm", required_argument, NULL, OPT_NUM_HASHES },
        { "bands", required_argument, NULL, OPT_BANDS },
        { "rows", required_argument, NULL, OPT_ROWS },
        { "fp-weight", required_argument, NULL, OPT_FP },
        { "fn-weight", required_argument, NULL, OPT_FN },
        { "scheme", required_argument, NULL, OPT_SCHEME },
        { "seed", required_argument, NULL, OPT_SEED },
        { "keep", required_argument, NULL, OPT_KEEP },
        { "drop-all", no_argument, NULL, OPT_DROP_ALL },
        { "clusters", required_argument, NULL, OPT_CLUSTERS },
        { "pairs", required_argument, NULL, OPT_PAIRS },
        { "clean", no_argument, NULL, OPT_CLEAN },
        { "no-clean", no_argument, NULL, OPT_NO_CLEAN },
        { NULL, 0, NULL, 0 }
    };
    static const char *const sims[] = { "jaccard", "containment", NULL };
    static const char *const schemes[] = { "oph", "perm", NULL };
    static const char *const keeps[] = { "first", "longest", "earliest", NULL };
    const char *cmd = "dedup";
    cli_common_init(&a->common);
    a->clean.clean = -1;
    gema_dedup_options_default(&a->opt);
    int c, k;
    unsigned u;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "t:", longopts, NULL)) != -1) {
        int h = cli_common_option(&a->common, cmd, c, optarg);
        if (h < 0) return EXIT_USAGE;
        if (h > 0) continue;
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            fputs(cli_common_help, stdout);
            exit(0);
        case 't':
            if (cli_parse_double(cmd, "threshold", optarg, 0.01, 1.0, &a->opt.threshold)) return EXIT_USAGE;
            break;
        case OPT_SIMILARITY:
            if ((k = cli_parse_choice(cmd, "similarity", optarg, sims)) < 0) return EXIT_USAGE;
            a->opt.similarity = (gema_similarity)k;
            break;
        case OPT_SHINGLE:
            if (cli_parse_uint(cmd, "shingle", optarg, 1, 64, &a->opt.shingle)) return EXIT_USAGE;
            break;
        case OPT_NUM_HASHES:
            if (cli_parse_uint(cmd, "num-hashes", optarg, 1, 4096, &a->opt.num_hashes)) return EXIT_USAGE;
            break;
        case OPT_BANDS:
            if (cli_parse_uint(cmd, "bands", optarg, 1, 4096, &a->opt.bands)) return EXIT_USAGE;
            break;
        case OPT_ROWS:
            if (cli_parse_uint(cmd, "rows", optarg, 1, 4096, &a->opt.rows)) return EXIT_USAGE;
            break;
        case OPT_FP:
            if (cli_parse_double(cmd, "fp-weight", optarg, 0, 1000, &a->opt.fp_weight)) return EXIT_USAGE;
            break;
        case OPT_FN:
            if (cli_parse_double(cmd, "fn-weight", optarg, 0, 1000, &a->opt.fn_weight)) return EXIT_USAGE;
            break;
        case OPT_SCHEME:
            if ((k = cli_parse_choice(cmd, "scheme", optarg, schemes)) < 0) return EXIT_USAGE;
            a->opt.scheme = (gema_minhash_scheme)k;
            break;
        case OPT_SEED:
            if (cli_parse_uint(cmd, "seed", optarg, 0, 0xFFFFFFFFu, &u)) return EXIT_USAGE;
            a->opt.seed = u;
            break;
        case OPT_KEEP:
            if ((k = cli_parse_choice(cmd, "keep", optarg, keeps)) < 0) return EXIT_USAGE;
            a->opt.keep = (gema_keep)k;
            break;
        case OPT_DROP_ALL: a->drop_all = 1; break;
        case OPT_CLUSTERS: a->clusters = optarg; break;
        case OPT_PAIRS: a->pairs = optarg; break;
        case OPT_CLEAN: a->clean.clean = 1; break;
        case OPT_NO_CLEAN: a->clean.clean = 0; break;
        default:
            fprintf(stderr, "Try 'gema dedup --help'.\n");
            return EXIT_USAGE;
        }
    }
    if ((a->opt.bands == 0) != (a->opt.rows == 0)) {
        fprintf(stderr, "gema dedup: --bands and --rows go together\n");
        return EXIT_USAGE;
    }
    if (a->opt.bands && (unsigned long)a->opt.bands * a->opt.rows > a->opt.num_hashes) {
        fprintf(stderr, "gema dedup: --bands x --rows (%u x %u) exceeds --num-hashes %u\n",
                a->opt.bands, a->opt.rows, a->opt.num_hashes);
        return EXIT_USAGE;
    }
    if (a->opt.fp_weight + a->opt.fn_weight <= 0) {
        fprintf(stderr, "gema dedup: --fp-weight and --fn-weight cannot both be 0\n");
        return EXIT_USAGE;
    }
    cli_common_inputs(&a->common, argc, argv);
    a->opt.threads = a->common.threads;
    return 0;
}

static int is_rejected(void *user, size_t i, gema_reject *why)
{
    gema_dedup_doc info;
    gema_dedup_doc_info(user, i, &info);
    *why = info.reject;
    return info.state == GEMA_DOC_REJECTED;
}

static int write_kept(const dedup_args *a, const gema_corpus *corpus, const gema_dedup *d,
                      uint64_t *written)
{
    gema_out *out;
    if (cli_open("dedup", a->common.output, &out)) return 1;
    gema_reader *reader = NULL;
    if (gema_reader_new(corpus, &reader) != GEMA_OK) {
        gema_out_abort(out);
        return cli_fail("dedup", "reader", GEMA_ERR_NOMEM);
    }
    size_t n = gema_corpus_count(corpus);
    for (size_t i = 0; i < n; i++) {
        gema_dedup_doc info;
        gema_dedup_doc_info(d, i, &info);
        if (info.state != GEMA_DOC_KEPT) continue;
        if (a->drop_all && info.cluster != SIZE_MAX) continue;
        gema_doc doc;
        gema_corpus_record(corpus, i, &doc);
        if (doc.format != GEMA_FORMAT_JSONL) gema_reader_get(reader, i, &doc);
        cli_write_record(out, &doc);
        (*written)++;
    }
    gema_reader_free(reader);
    return cli_commit("dedup", a->common.output, out);
}

static void put_id(gema_out *out, gema_reader *reader, size_t i)
{
    gema_doc doc;
    gema_reader_get_meta(reader, i, &doc);
    gema_out_json_string(out, doc.id, doc.id_len);
}

static int write_clusters(const dedup_args *a, const gema_corpus *corpus, const gema_dedup *d)
{
    gema_out *out;
    if (cli_open("dedup", a->clusters, &out)) return 1;
    gema_reader *reader = NULL;
    if (gema_reader_new(corpus, &reader) != GEMA_OK) {
        gema_out_abort(out);
        return cli_fail("dedup", "reader", GEMA_ERR_NOMEM);
    }
    size_t nc = gema_dedup_cluster_count(d);
    for (size_t k = 0; k < nc; k++) {
        gema_dedup_cluster cl;
        gema_dedup_cluster_get(d, k, &cl);
        gema_out_puts(out, "{\"cluster\":");
        gema_out_json_u64(out, k);
        gema_out_puts(out, ",\"size\":");
        gema_out_json_u64(out, cl.size);
        gema_out_puts(out, ",\"representative\":");
        put_id(out, reader, cl.representative);
        gema_out_puts(out, ",\"members\":[");
        int first = 1;
        for (size_t m = 0; m < cl.size; m++) {
            size_t i = cl.members[m];
            if (i == cl.representative) continue;
            gema_dedup_doc info;
            gema_dedup_doc_info(d, i, &info);
            gema_out_puts(out, first ? "{\"id\":" : ",{\"id\":");
            first = 0;
            put_id(out, reader, i);
            gema_out_puts(out, ",\"similarity\":");
            gema_out_json_double(out, info.similarity, 4);
            gema_out_puts(out, info.exact ? ",\"match\":\"exact\"}" : ",\"match\":\"near\"}");
        }
        gema_out_puts(out, "]}\n");
    }
    gema_reader_free(reader);
    return cli_commit("dedup", a->clusters, out);
}

static int write_pairs(const dedup_args *a, const gema_corpus *corpus, const gema_dedup *d)
{
    gema_out *out;
    if (cli_open("dedup", a->pairs, &out)) return 1;
    gema_reader *reader = NULL;
    if (gema_reader_new(corpus, &reader) != GEMA_OK) {
        gema_out_abort(out);
        return cli_fail("dedup", "reader", GEMA_ERR_NOMEM);
    }
    size_t np = gema_dedup_pair_count(d);
    for (size_t k = 0; k < np; k++) {
        size_t x, y;
        double s;
        gema_dedup_pair_get(d, k, &x, &y, &s);
        gema_out_puts(out, "{\"a\":");
        put_id(out, reader, x);
        gema_out_puts(out, ",\"b\":");
        put_id(out, reader, y);
        gema_out_puts(out, ",\"similarity\":");
        gema_out_json_double(out, s, 4);
        gema_out_puts(out, "}\n");
    }
    gema_reader_free(reader);
    return cli_commit("dedup", a->pairs, out);
}

static int write_stats(const dedup_args *a, const gema_corpus *corpus, const gema_dedup_stats *s,
                       uint64_t written, double seconds, double load_s,
                       double write_s)
{
    static const char *const schemes[] = { "oph", "perm" };
    static const char *const sims[] = { "jaccard", "containment" };
    static const char *const keeps[] = { "first", "longest", "earliest" };
    gema_out *o;
    int first;
    if (cli_stats_begin("dedup", &a->common, corpus, s->bytes, s->records, &o, &first)) return 1;
    cli_json_u64(o, "kept", s->kept, &first);
    cli_json_u64(o, "written", written, &first);
    cli_json_u64(o, "exact_duplicates", s->exact_duplicates, &first);
    cli_json_u64(o, "near_duplicates", s->near_duplicates, &first);
    cli_json_u64(o, "rejected", s->rejected, &first);
    cli_json_key(o, "rejected_by", &first);
    gema_out_puts(o, "{");
    int f2 = 1;
    for (int r = 1; r < 8; r++) {
        const char *name = gema_reject_name((gema_reject)r);
        if (strcmp(name, "unknown") == 0) continue;
        gema_out_puts(o, f2 ? "\"" : ", \"");
        f2 = 0;
        gema_out_puts(o, name);
        gema_out_puts(o, "\": ");
        gema_out_json_u64(o, s->rejected_by[r]);
    }
    gema_out_puts(o, "}");
    cli_json_u64(o, "invalid_utf8_docs", s->invalid_utf8_docs, &first);
    cli_json_u64(o, "clusters", s->clusters, &first);
    cli_json_u64(o, "candidate_pairs", s->candidate_pairs, &first);
    cli_json_u64(o, "compared_pairs", s->compared_pairs, &first);
    cli_json_u64(o, "verified_pairs", s->verified_pairs, &first);
    cli_json_u64(o, "chain_splits", s->chain_splits, &first);
    cli_json_num(o, "threshold", a->opt.threshold, &first);
    cli_json_str(o, "similarity", sims[a->opt.similarity], &first);
    cli_json_u64(o, "shingle", a->opt.shingle, &first);
    cli_json_u64(o, "num_hashes", a->opt.num_hashes, &first);
    cli_json_u64(o, "bands", s->bands, &first);
    cli_json_u64(o, "rows", s->rows, &first);
    cli_json_str(o, "scheme", schemes[a->opt.scheme], &first);
    cli_json_str(o, "keep", keeps[a->opt.keep], &first);
    cli_json_u64(o, "drop_all", (uint64_t)a->drop_all, &first);
    cli_clean_stats(o, &a->clean, &first);
    cli_json_num(o, "seconds", seconds, &first);
    cli_json_num(o, "seconds_load", load_s, &first);
    cli_json_num(o, "seconds_fingerprint", s->seconds_fingerprint, &first);
    cli_json_num(o, "seconds_match", s->seconds_match, &first);
    cli_json_num(o, "seconds_group", s->seconds_group, &first);
    cli_json_num(o, "seconds_write", write_s, &first);
    cli_json_num(o, "mb_per_s", seconds > 0 ? (double)s->bytes / 1e6 / seconds : 0, &first);
    return cli_stats_end("dedup", &a->common, o, &first);
}

static void summary(const dedup_args *a, const gema_dedup_stats *s, double seconds)
{
    double mb = (double)s->bytes / 1e6;
    fprintf(stderr, "gema dedup: %llu documents, %.1f MB in %.2f s (%.1f MB/s, %u thread%s)\n",
            (unsigned long long)s->records, mb, seconds, seconds > 0 ? mb / seconds : 0.0,
            a->common.threads, a->common.threads == 1 ? "" : "s");
    fprintf(stderr, "  kept %llu, exact duplicates %llu, near duplicates %llu, rejected %llu\n",
            (unsigned long long)s->kept, (unsigned long long)s->exact_duplicates,
            (unsigned long long)s->near_duplicates, (unsigned long long)s->rejected);
    fprintf(stderr, "  %llu clusters; LSH %u bands x %u rows: %llu candidate pairs, %llu compared, %llu verified\n",
            (unsigned long long)s->clusters, s->bands, s->rows,
            (unsigned long long)s->candidate_pairs, (unsigned long long)s->compared_pairs,
            (unsigned long long)s->verified_pairs);
}

int cmd_dedup(int argc, char **argv)
{
    dedup_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc;
    double t0 = cli_now();
    gema_corpus *corpus = cli_load("dedup", &a.common);
    if (!corpus) return 1;
    double t1 = cli_now();
    if (a.common.progress) a.opt.progress = cli_progress;
    /* Copies of one article on two sites differ by their furniture: on the
     * furniture benchmark cleaning first finds 99% of such copies instead of
     * 30% (doc/BENCHMARKS.md, clean). */
    gema_cleaner *cleaner;
    if (cli_clean_prepare("dedup", &a.clean, corpus, a.common.threads, &cleaner)) {
        gema_corpus_free(corpus);
        return 1;
    }
    a.opt.cleaner = cleaner;
    gema_dedup *d = NULL;
    rc = gema_dedup_run(corpus, &a.opt, &d);
    cli_progress_end();
    gema_cleaner_free(cleaner);
    if (rc != GEMA_OK) {
        gema_corpus_free(corpus);
        return cli_fail("dedup", "run", rc);
    }
    int status = cli_strict_check("dedup", &a.common, corpus, is_rejected, d);
    uint64_t written = 0;
    double t2 = cli_now();
    if (!status) status = write_kept(&a, corpus, d, &written);
    if (!status && a.clusters) status = write_clusters(&a, corpus, d);
    if (!status && a.pairs) status = write_pairs(&a, corpus, d);
    if (!status) status = cli_write_rejects("dedup", &a.common, corpus, is_rejected, d);
    double t3 = cli_now();
    gema_dedup_stats s;
    gema_dedup_stats_get(d, &s);
    if (!status && a.common.stats)
        status = write_stats(&a, corpus, &s, written, t3 - t0, t1 - t0, t3 - t2);
    if (!status && !a.common.quiet) summary(&a, &s, t3 - t0);
    gema_dedup_free(d);
    gema_corpus_free(corpus);
    return status;
}
