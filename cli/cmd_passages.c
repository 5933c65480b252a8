/*
 * cmd_passages.c - gema passages: find text reused between documents and
 * write one JSON line per aligned passage pair, plus groups on request.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: gema passages [OPTIONS] INPUT...\n"
    "\n"
    "Find passages of text that reappear, verbatim or with small edits, in other\n"
    "documents.  Documents sharing rare word n-grams are aligned word by word;\n"
    "writes one JSON line per aligned passage pair, in input order of the pair:\n"
    "  {\"a\":{\"id\",\"start\",\"end\",\"words\",\"text\"},\"b\":{...},\"score\",\"matched\",\n"
    "   \"class\",\"earlier\",\"group\"}\n"
    "start and end are offsets in Unicode code points of each document's text (end\n"
    "exclusive); score is 2 x matched words / (words of a + words of b); class is\n"
    "same-site (boilerplate or self-reuse), cross-site (reuse) or unknown (a\n"
    "document without URL, site field or --site); earlier names the side with the\n"
    "earlier date, the likely source (null when undated or equal).\n"
    "\n"
    "Crawled pages: menus and footers repeated on every page of a site would come\n"
    "out as same-site passages, so where a sample of the input shows them the\n"
    "text is cleaned first (offsets still refer to the text as read):\n"
    CLI_CLEAN_HELP("find passages in", "")
    "\n"
    "Passages:\n"
    "  -w, --min-words N      shortest passage, in words on each side (default 15)\n"
    "  -s, --min-similarity S least score of a passage, 0 to 1 (default 0.3)\n"
    "      --max-gap N        merge aligned fragments up to N words apart in both\n"
    "                         documents, so an edited or reordered paragraph is one\n"
    "                         passage (default 30)\n"
    "      --xdrop N          an alignment stops once its score falls N below its best\n"
    "                         (+2 a word kept, -1 a word changed, added or dropped;\n"
    "                         default 16)\n"
    "      --seed-words N     words per exact seed of an alignment (default 3)\n"
    "      --max-repeat N     ignore seeds repeated more than N times in a document\n"
    "                         (default 10)\n"
    "\n"
    "Candidates:\n"
    "      --ngram N          words per indexed n-gram (default 4); 5 misses more\n"
    "                         heavily reworded reuse\n"
    "      --window N         winnowing: of every N consecutive n-grams index only\n"
    "                         the one of least hash; reuse of N + ngram - 1 words\n"
    "                         always shares an indexed n-gram; 1 indexes all, at\n"
    "                         about twice the time (default 0: 4 when the index\n"
    "                         fits in one shard, else 1, since in many shards the\n"
    "                         few kept n-grams of a passage rarely meet)\n"
    "      --max-df N         ignore n-grams found in more than N documents (default 100)\n"
    "      --rare-df N        if N > 0, an n-gram found in more than N documents pairs\n"
    "                         each of them only with the next N holding it: faster\n"
    "                         (about 1/8 less time on 1 GB of news), but text held by\n"
    "                         many documents may come out in several groups instead\n"
    "                         of one (default 0: all pairs)\n"
    "      --min-shared N     align two documents that share N n-grams (default 2)\n"
    "      --cross-site       do not align documents of the same site\n"
    "      --memory SIZE      memory for the n-gram index, e.g. 512M or 8G (default 4G);\n"
    "                         a larger index is built in shards (from 4 shards on,\n"
    "                         the input's n-grams are kept between shards if they\n"
    "                         fit in half of SIZE; else the input is read once per\n"
    "                         shard)\n"
    "      --shards N         number of index shards (default: from --memory)\n"
    "      --seed N           seed of the n-gram hashes (default 1734700385)\n"
    "\n"
    "Output:\n"
    "      --groups FILE      one JSON line per group of occurrences of the same\n"
    "                         passage, ordered by first appearance (earliest date,\n"
    "                         undated last, then input order):\n"
    "                         {\"group\",\"size\",\"documents\",\"passages\",\"text\",\n"
    "                          \"occurrences\":[{\"id\",\"start\",\"end\",\"date\"}]}\n"
    "      --no-text          leave the \"text\" fields out\n"
    "\n";

enum {
    OPT_MAX_GAP = 2000, OPT_XDROP, OPT_SEED_WORDS, OPT_MAX_REPEAT, OPT_NGRAM, OPT_WINDOW, OPT_MAX_DF, OPT_RARE_DF,
    OPT_MIN_SHARED, OPT_CROSS_SITE, OPT_MEMORY, OPT_SHARDS, OPT_SEED, OPT_GROUPS, OPT_NO_TEXT,
    OPT_CLEAN, OPT_NO_CLEAN
};

typedef struct {
    cli_common common;
    gema_passages_options opt;
    const char *groups;
    int no_text;
    cli_clean clean;
} passages_args;

static int parse_args(passages_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "min-words", required_argument, NULL, 'w' },
        { "min-similarity", required_argument, NULL, 's' },
        { "max-gap", required_argument, NULL, OPT_MAX_GAP },
        { "xdrop", required_argument, NULL, OPT_XDROP },
        { "seed-words", required_argument, NULL, OPT_SEED_WORDS },
        { "max-repeat", required_argument, NULL, OPT_MAX_REPEAT },
        { "ngram", required_argument, NULL, OPT_NGRAM },
        { "window", required_argument, NULL, OPT_WINDOW },
        { "max-df", required_argument, NULL, OPT_MAX_DF },
        { "rare-df", required_argument, NULL, OPT_RARE_DF },
        { "min-shared", required_argument, NULL, OPT_MIN_SHARED },
        { "cross-site", no_argument, NULL, OPT_CROSS_SITE },
        { "memory", required_argument, NULL, OPT_MEMORY },
        { "shards", required_argument, NULL, OPT_SHARDS },
        { "seed", required_argument, NULL, OPT_SEED },
        { "groups", required_argument, NULL, OPT_GROUPS },
        { "no-text", no_argument, NULL, OPT_NO_TEXT },
        { "clean", no_argument, NULL, OPT_CLEAN },
        { "no-clean", no_argument, NULL, OPT_NO_CLEAN },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "passages";
    cli_common_init(&a->common);
    gema_passages_options_default(&a->opt);
    a->clean.clean = -1;
    int c;
    unsigned u;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "w:s:", longopts, NULL)) != -1) {
        int h = cli_common_option(&a->common, cmd, c, optarg);
        if (h < 0) return EXIT_USAGE;
        if (h > 0) continue;
        switch (c) {
        case 'h':
            fputs(usage, stdout);
            fputs(cli_common_help, stdout);
            exit(0);
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
        case OPT_NGRAM:
            if (cli_parse_uint(cmd, "ngram", optarg, 1, 64, &a->opt.ngram)) return EXIT_USAGE;
            break;
        case OPT_WINDOW:
            if (cli_parse_uint(cmd, "window", optarg, 0, 64, &a->opt.window)) return EXIT_USAGE;
            break;
        case OPT_RARE_DF:
            if (cli_parse_uint(cmd, "rare-df", optarg, 0, 100000000, &a->opt.rare_df)) return EXIT_USAGE;
            break;
        case OPT_MAX_DF:
            if (cli_parse_uint(cmd, "max-df", optarg, 2, 100000000, &a->opt.max_df)) return EXIT_USAGE;
            break;
        case OPT_MIN_SHARED:
            if (cli_parse_uint(cmd, "min-shared", optarg, 1, 1000000, &a->opt.min_shared)) return EXIT_USAGE;
            break;
        case OPT_CROSS_SITE: a->opt.cross_site_only = 1; break;
        case OPT_CLEAN: a->clean.clean = 1; break;
        case OPT_NO_CLEAN: a->clean.clean = 0; break;
        case OPT_MEMORY:
            if (cli_parse_size(cmd, "memory", optarg, &a->opt.index_memory)) return EXIT_USAGE;
            if (a->opt.index_memory < ((size_t)1 << 20)) {
                fprintf(stderr, "gema passages: --memory: at least 1M, got '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SHARDS:
            if (cli_parse_uint(cmd, "shards", optarg, 1, 256, &a->opt.shards)) return EXIT_USAGE;
            break;
        case OPT_SEED:
            if (cli_parse_uint(cmd, "seed", optarg, 0, 0xFFFFFFFFu, &u)) return EXIT_USAGE;
            a->opt.seed = u;
            break;
        case OPT_GROUPS: a->groups = optarg; break;
        case OPT_NO_TEXT: a->no_text = 1; break;
        default:
            fprintf(stderr, "Try 'gema passages --help'.\n");
            return EXIT_USAGE;
        }
    }
    cli_common_inputs(&a->common, argc, argv);
    a->opt.threads = a->common.threads;
    return 0;
}

static int is_rejected(void *user, size_t i, gema_reject *why)
{
    gema_passages_doc info;
    gema_passages_doc_info(user, i, &info);
    *why = info.reject;
    return info.reject != GEMA_REJECT_NONE;
}

/* A reader that parses a record only when it differs from the last one,
 * and decodes its text only when asked to (with_text). */
typedef struct {
    gema_reader *r;
    size_t index;
    gema_doc doc;
    int with_text;
} doc_cache;

static int cache_get(doc_cache *c, size_t index, const gema_doc **out)
{
    if (c->index != index) {
        int rc = c->with_text ? gema_reader_get(c->r, index, &c->doc)
                              : gema_reader_get_meta(c->r, index, &c->doc);
        if (rc != GEMA_OK) return rc;
        c->index = index;
    }
    *out = &c->doc;
    return GEMA_OK;
}

static void put_side(gema_out *o, const gema_doc *d, const gema_passage_side *s, int text)
{
    gema_out_puts(o, "{\"id\":");
    gema_out_json_string(o, d->id, d->id_len);
    gema_out_puts(o, ",\"start\":");
    gema_out_json_u64(o, s->start);
    gema_out_puts(o, ",\"end\":");
    gema_out_json_u64(o, s->end);
    gema_out_puts(o, ",\"words\":");
    gema_out_json_u64(o, s->words);
    if (text) {
        gema_out_puts(o, ",\"text\":");
        gema_out_json_string(o, d->text + s->byte_start, s->byte_end - s->byte_start);
    }
    gema_out_puts(o, "}");
}

static int write_passages(const passages_args *a, const gema_corpus *corpus,
                          const gema_passages *p)
{
    gema_out *o;
    if (cli_open("passages", a->common.output, &o)) return 1;
    doc_cache ca = { NULL, SIZE_MAX, { 0 }, !a->no_text }, cb = { NULL, SIZE_MAX, { 0 }, !a->no_text };
    int rc = gema_reader_new(corpus, &ca.r);
    if (rc == GEMA_OK) rc = gema_reader_new(corpus, &cb.r);
    size_t n = gema_passages_count(p);
    for (size_t k = 0; rc == GEMA_OK && k < n; k++) {
        gema_passage ps;
        const gema_doc *da, *db;
        gema_passages_get(p, k, &ps);
        rc = cache_get(&ca, ps.a.doc, &da);
        if (rc == GEMA_OK) rc = cache_get(&cb, ps.b.doc, &db);
        if (rc != GEMA_OK) break;
        gema_out_puts(o, "{\"a\":");
        put_side(o, da, &ps.a, !a->no_text);
        gema_out_puts(o, ",\"b\":");
        put_side(o, db, &ps.b, !a->no_text);
        gema_out_puts(o, ",\"score\":");
        gema_out_json_double(o, ps.score, 4);
        gema_out_puts(o, ",\"matched\":");
        gema_out_json_u64(o, ps.matched);
        gema_out_puts(o, ",\"class\":\"");
        gema_out_puts(o, gema_passage_class_name(ps.cls));
        gema_out_puts(o, ps.earlier == GEMA_EARLIER_A ? "\",\"earlier\":\"a\""
                         : ps.earlier == GEMA_EARLIER_B ? "\",\"earlier\":\"b\""
                                                        : "\",\"earlier\":null");
        gema_out_puts(o, ",\"group\":");
        gema_out_json_u64(o, ps.group);
        gema_out_puts(o, "}\n");
    }
    gema_reader_free(ca.r);
    gema_reader_free(cb.r);
    if (rc != GEMA_OK) {
        gema_out_abort(o);
        return cli_fail("passages", "reading documents", rc);
    }
    return cli_commit("passages", a->common.output, o);
}

static int write_groups(const passages_args *a, const gema_corpus *corpus,
                        const gema_passages *p)
{
    gema_out *o;
    if (cli_open("passages", a->groups, &o)) return 1;
    gema_reader *r = NULL;
    int rc = gema_reader_new(corpus, &r);
    size_t n = gema_passages_group_count(p);
    for (size_t k = 0; rc == GEMA_OK && k < n; k++) {
        gema_passage_group g;
        gema_passages_group_get(p, k, &g);
        gema_out_puts(o, "{\"group\":");
        gema_out_json_u64(o, k);
        gema_out_puts(o, ",\"size\":");
        gema_out_json_u64(o, g.size);
        gema_out_puts(o, ",\"documents\":");
        gema_out_json_u64(o, g.documents);
        gema_out_puts(o, ",\"passages\":");
        gema_out_json_u64(o, g.passages);
        if (!a->no_text) {
            /* The text of the first appearance stands for the group. */
            gema_doc d;
            rc = gema_reader_get(r, g.occ[0].doc, &d);
            if (rc != GEMA_OK) break;
            gema_out_puts(o, ",\"text\":");
            gema_out_json_string(o, d.text + g.occ[0].byte_start,
                                 g.occ[0].byte_end - g.occ[0].byte_start);
        }
        gema_out_puts(o, ",\"occurrences\":[");
        for (size_t m = 0; rc == GEMA_OK && m < g.size; m++) {
            gema_doc d;
            rc = gema_reader_get_meta(r, g.occ[m].doc, &d);
            if (rc != GEMA_OK) break;
            gema_out_puts(o, m ? ",{\"id\":" : "{\"id\":");
            gema_out_json_string(o, d.id, d.id_len);
            gema_out_puts(o, ",\"start\":");
            gema_out_json_u64(o, g.occ[m].start);
            gema_out_puts(o, ",\"end\":");
            gema_out_json_u64(o, g.occ[m].end);
            gema_out_puts(o, ",\"date\":");
            if (d.date) gema_out_json_string(o, d.date, d.date_len);
            else gema_out_puts(o, "null");
            gema_out_puts(o, "}");
        }
        gema_out_puts(o, "]}\n");
    }
    gema_reader_free(r);
    if (rc != GEMA_OK) {
        gema_out_abort(o);
        return cli_fail("passages", "reading documents", rc);
    }
    return cli_commit("passages", a->groups, o);
}

static int write_stats(const passages_args *a, const gema_corpus *corpus,
                       const gema_passages_stats *s, double seconds, double load_s,
                       double write_s)
{
    gema_out *o;
    int first;
    if (cli_stats_begin("passages", &a->common, corpus, s->bytes, s->records, &o, &first)) return 1;
    const gema_passages_options *p = &a->opt;
    cli_json_u64(o, "documents", s->documents, &first);
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
    cli_json_u64(o, "words", s->words, &first);
    cli_json_u64(o, "shards", s->shards, &first);
    cli_json_u64(o, "window", s->window, &first);
    cli_json_u64(o, "index_entries", s->index_entries, &first);
    cli_json_u64(o, "index_peak_bytes", s->index_peak_bytes, &first);
    cli_json_u64(o, "ngrams_shared", s->ngrams_shared, &first);
    cli_json_u64(o, "ngrams_over_df", s->ngrams_over_df, &first);
    cli_json_u64(o, "pair_hits", s->pair_hits, &first);
    cli_json_u64(o, "candidate_pairs", s->candidate_pairs, &first);
    cli_json_u64(o, "skipped_same_site", s->skipped_same_site, &first);
    cli_json_u64(o, "aligned_pairs", s->aligned_pairs, &first);
    cli_json_u64(o, "passages", s->passages, &first);
    cli_json_u64(o, "groups", s->groups, &first);
    cli_json_u64(o, "docs_with_passages", s->docs_with_passages, &first);
    cli_json_u64(o, "dp_cells", s->dp_cells, &first);
    cli_json_u64(o, "ngram", p->ngram, &first);
    cli_json_u64(o, "max_df", p->max_df, &first);
    cli_json_u64(o, "rare_df", p->rare_df, &first);
    cli_json_u64(o, "min_shared", p->min_shared, &first);
    cli_json_u64(o, "seed_words", p->seed_words, &first);
    cli_json_u64(o, "max_repeat", p->max_repeat, &first);
    cli_json_u64(o, "min_words", p->min_words, &first);
    cli_json_num(o, "min_similarity", p->min_similarity, &first);
    cli_json_u64(o, "max_gap", p->max_gap, &first);
    cli_json_u64(o, "xdrop", p->xdrop, &first);
    cli_json_u64(o, "cross_site_only", (uint64_t)p->cross_site_only, &first);
    cli_clean_stats(o, &a->clean, &first);
    cli_json_num(o, "seconds", seconds, &first);
    cli_json_num(o, "seconds_load", load_s, &first);
    cli_json_num(o, "seconds_index", s->seconds_index, &first);
    cli_json_num(o, "seconds_candidates", s->seconds_candidates, &first);
    cli_json_num(o, "seconds_align", s->seconds_align, &first);
    cli_json_num(o, "seconds_group", s->seconds_group, &first);
    cli_json_num(o, "seconds_write", write_s, &first);
    cli_json_num(o, "mb_per_s", seconds > 0 ? (double)s->bytes / 1e6 / seconds : 0, &first);
    return cli_stats_end("passages", &a->common, o, &first);
}

static void summary(const passages_args *a, const gema_passages_stats *s, double seconds)
{
    double mb = (double)s->bytes / 1e6;
    fprintf(stderr, "gema passages: %llu documents, %.1f MB in %.2f s (%.1f MB/s, %u thread%s)\n",
            (unsigned long long)s->records, mb, seconds, seconds > 0 ? mb / seconds : 0.0,
            a->common.threads, a->common.threads == 1 ? "" : "s");
    fprintf(stderr, "  %llu candidate pairs, %llu with passages; %llu passages in %llu groups;"
                    " %llu documents carry reused text; rejected %llu\n",
            (unsigned long long)s->candidate_pairs, (unsigned long long)s->aligned_pairs,
            (unsigned long long)s->passages, (unsigned long long)s->groups,
            (unsigned long long)s->docs_with_passages, (unsigned long long)s->rejected);
}

int cmd_passages(int argc, char **argv)
{
    passages_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc;
    double t0 = cli_now();
    gema_corpus *corpus = cli_load("passages", &a.common);
    if (!corpus) return 1;
    double t1 = cli_now();
    if (a.common.progress) a.opt.progress = cli_progress;
    /* On the furniture benchmark's sites, raw text gives 47,856 passages,
     * 43,089 of them same-site furniture; cleaned, 3,263 (doc/BENCHMARKS.md). */
    gema_cleaner *cleaner;
    if (cli_clean_prepare("passages", &a.clean, corpus, a.common.threads, &cleaner)) {
        gema_corpus_free(corpus);
        return 1;
    }
    a.opt.cleaner = cleaner;
    gema_passages *p = NULL;
    rc = gema_passages_run(corpus, &a.opt, &p);
    cli_progress_end();
    gema_cleaner_free(cleaner);
    if (rc != GEMA_OK) {
        gema_corpus_free(corpus);
        return cli_fail("passages", "run", rc);
    }
    int status = cli_strict_check("passages", &a.common, corpus, is_rejected, p);
    double t2 = cli_now();
    if (!status) status = write_passages(&a, corpus, p);
    if (!status && a.groups) status = write_groups(&a, corpus, p);
    if (!status) status = cli_write_rejects("passages", &a.common, corpus, is_rejected, p);
    double t3 = cli_now();
    gema_passages_stats s;
    gema_passages_stats_get(p, &s);
    if (!status && a.common.stats) status = write_stats(&a, corpus, &s, t3 - t0, t1 - t0, t3 - t2);
    if (!status && !a.common.quiet) summary(&a, &s, t3 - t0);
    gema_passages_free(p);
    gema_corpus_free(corpus);
    return status;
}
