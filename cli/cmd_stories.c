/*
 * cmd_stories.c - gema stories: group articles about the same event.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: gema stories [OPTIONS] INPUT...\n"
    "\n"
    "Group articles about the same event into stories; write one JSON line per\n"
    "story: {\"story\",\"size\",\"members\":[ids],\"headline\",\"terms\",\"names\",\"first\",\n"
    "\"last\",\"sites\"}, as soon as the story closes (numbered in that order).\n"
    "Every usable article is in exactly one story (a story of one article\n"
    "included).  Articles are term vectors (stems, names weighted up,\n"
    "numbers and dates, title words; IDF from the input itself; stemmer and stop\n"
    "words by a per-article language guess) taken in date order, then input order.\n"
    "Similarities are scaled by the local density (an article's similarity to its\n"
    "k-th nearest article): many near-identical reports need more in common than\n"
    "a sparse story.  A window after it arrives, each article joins the story it\n"
    "is most similar to on average, after time decay, if that reaches the\n"
    "threshold, else it opens one; a window later it is revisited, and at the end\n"
    "stories as similar on average are merged.  Near-duplicates (as gema dedup\n"
    "finds them) share a story.\n"
    "\n"
    "Clustering:\n"
    "  -t, --threshold T      mean scaled similarity to a story's articles needed to\n"
    "                         join it (default 0.65; higher: more, tighter stories)\n"
    "      --neighbours K     density from the K-th nearest article (default 5);\n"
    "                         0: plain mean cosine similarity (use -t 0.2 or so)\n"
    "      --density-floor F  least density (default 0.25): where an article has no\n"
    "                         close neighbours it joins at plain mean cosine T x F\n"
    "      --name-weight W    weight of names against words (default 2)\n"
    "      --number-weight W  weight of numbers and dates (default 1)\n"
    "      --title-weight W   a title word counts W times (default 2)\n"
    "      --max-terms N      terms kept per article (default 100)\n"
    "      --language L       treat every article as language L (en, id, ms, fr, de,\n"
    "                         es, pt, it, nl, ru, ...; default: guess per article)\n"
    "      --idf-sample N     articles sampled for document frequencies (default\n"
    "                         20000; 0 = all)\n"
    "      --no-revisit       one decision per article, no revisit and no merging\n"
    "\n"
    "Time (for dated articles; without dates the input is one window):\n"
    "      --half-life DAYS   similarity halves every DAYS beyond the grace period\n"
    "                         (default 2; 0 = no decay)\n"
    "      --grace DAYS       no decay within DAYS of a story's article (default 1)\n"
    "      --window DAYS      decisions wait DAYS for later articles, revisits as\n"
    "                         long again; stories not updated for 3 windows close\n"
    "                         (default: grace + 3 half-lives = 7; with no decay,\n"
    "                         the whole input is one window)\n"
    "      --window-articles N  where dates give no window (undated input, or\n"
    "                         --half-life 0 without --window): a window is N\n"
    "                         articles of the stream, so memory follows the last\n"
    "                         3N articles, not the whole input (for big undated\n"
    "                         inputs stored in time order; default 0: one window)\n"
    "\n"
    "Duplicates:\n"
    "      --no-dedup         do not run near-duplicate detection first\n"
    "      --dedup-threshold T  similarity at which articles are duplicates (default 0.7)\n"
    "\n"
    "Page furniture (a site's footer and menus make its articles alike):\n"
    CLI_CLEAN_HELP("compare", "")
    "\n"
    "Output:\n"
    "      --assignments FILE one JSON line per input record, in input order:\n"
    "                         {\"id\",\"story\",\"decision\",\"score\",\"language\"}; decision is\n"
    "                         new, joined, moved, duplicate (with \"duplicate_of\") or\n"
    "                         rejected (with \"reason\", story null); score is what\n"
    "                         decided: the scaled similarity to the story joined or\n"
    "                         moved to, the best one found below the threshold for\n"
    "                         new, the dedup similarity for duplicate\n"
    "\n";

enum {
    OPT_NAME_WEIGHT = 2000, OPT_NUMBER_WEIGHT, OPT_TITLE_WEIGHT, OPT_MAX_TERMS, OPT_LANGUAGE,
    OPT_IDF_SAMPLE, OPT_NO_REVISIT, OPT_HALF_LIFE, OPT_GRACE, OPT_WINDOW, OPT_WINDOW_ARTICLES, OPT_NO_DEDUP,
    OPT_DEDUP_THRESHOLD, OPT_ASSIGNMENTS, OPT_NEIGHBOURS, OPT_DENSITY_FLOOR, OPT_CLEAN, OPT_NO_CLEAN
};

typedef struct {
    cli_common common;
    gema_stories_options opt;
    const char *assignments;
    cli_clean clean;
} stories_args;

static int parse_args(stories_args *a, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "threshold", required_argument, NULL, 't' },
        { "name-weight", required_argument, NULL, OPT_NAME_WEIGHT },
        { "number-weight", required_argument, NULL, OPT_NUMBER_WEIGHT },
        { "title-weight", required_argument, NULL, OPT_TITLE_WEIGHT },
        { "max-terms", required_argument, NULL, OPT_MAX_TERMS },
        { "language", required_argument, NULL, OPT_LANGUAGE },
        { "idf-sample", required_argument, NULL, OPT_IDF_SAMPLE },
        { "no-revisit", no_argument, NULL, OPT_NO_REVISIT },
        { "half-life", required_argument, NULL, OPT_HALF_LIFE },
        { "grace", required_argument, NULL, OPT_GRACE },
        { "window", required_argument, NULL, OPT_WINDOW },
        { "window-articles", required_argument, NULL, OPT_WINDOW_ARTICLES },
        { "no-dedup", no_argument, NULL, OPT_NO_DEDUP },
        { "dedup-threshold", required_argument, NULL, OPT_DEDUP_THRESHOLD },
        { "assignments", required_argument, NULL, OPT_ASSIGNMENTS },
        { "neighbours", required_argument, NULL, OPT_NEIGHBOURS },
        { "density-floor", required_argument, NULL, OPT_DENSITY_FLOOR },
        { "clean", no_argument, NULL, OPT_CLEAN },
        { "no-clean", no_argument, NULL, OPT_NO_CLEAN },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "stories";
    cli_common_init(&a->common);
    gema_stories_options_default(&a->opt);
    a->clean.clean = -1;
    int c;
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
            if (cli_parse_double(cmd, "threshold", optarg, 0.0, 10.0, &a->opt.threshold)) return EXIT_USAGE;
            break;
        case OPT_NAME_WEIGHT:
            if (cli_parse_double(cmd, "name-weight", optarg, 0, 100, &a->opt.name_weight)) return EXIT_USAGE;
            break;
        case OPT_NUMBER_WEIGHT:
            if (cli_parse_double(cmd, "number-weight", optarg, 0, 100, &a->opt.number_weight)) return EXIT_USAGE;
            break;
        case OPT_TITLE_WEIGHT:
            if (cli_parse_double(cmd, "title-weight", optarg, 0, 100, &a->opt.title_weight)) return EXIT_USAGE;
            break;
        case OPT_MAX_TERMS:
            if (cli_parse_uint(cmd, "max-terms", optarg, 1, 100000, &a->opt.max_terms)) return EXIT_USAGE;
            break;
        case OPT_LANGUAGE:
            a->opt.language = optarg;
            break;
        case OPT_IDF_SAMPLE:
            if (cli_parse_uint(cmd, "idf-sample", optarg, 0, 0xFFFFFFFFu, &a->opt.idf_sample)) return EXIT_USAGE;
            break;
        case OPT_NO_REVISIT: a->opt.revisit = 0; break;
        case OPT_HALF_LIFE:
            if (cli_parse_double(cmd, "half-life", optarg, 0, 36500, &a->opt.half_life_days)) return EXIT_USAGE;
            break;
        case OPT_GRACE:
            if (cli_parse_double(cmd, "grace", optarg, 0, 36500, &a->opt.grace_days)) return EXIT_USAGE;
            break;
        case OPT_WINDOW:
            if (cli_parse_double(cmd, "window", optarg, 0, 36500, &a->opt.window_days)) return EXIT_USAGE;
            break;
        case OPT_WINDOW_ARTICLES: {
            unsigned w;
            if (cli_parse_uint(cmd, "window-articles", optarg, 0, 0xFFFFFFFFu, &w)) return EXIT_USAGE;
            a->opt.window_articles = w;
            break;
        }
        case OPT_NO_DEDUP: a->opt.dedup = 0; break;
        case OPT_DEDUP_THRESHOLD:
            if (cli_parse_double(cmd, "dedup-threshold", optarg, 0.01, 1.0, &a->opt.dedup_options.threshold))
                return EXIT_USAGE;
            break;
        case OPT_ASSIGNMENTS: a->assignments = optarg; break;
        case OPT_CLEAN: a->clean.clean = 1; break;
        case OPT_NO_CLEAN: a->clean.clean = 0; break;
        case OPT_DENSITY_FLOOR:
            if (cli_parse_double(cmd, "density-floor", optarg, 0.001, 1.0, &a->opt.density_floor)) return EXIT_USAGE;
            break;
        case OPT_NEIGHBOURS:
            if (cli_parse_uint(cmd, "neighbours", optarg, 0, 64, &a->opt.neighbours)) return EXIT_USAGE;
            break;
        default:
            fprintf(stderr, "Try 'gema stories --help'.\n");
            return EXIT_USAGE;
        }
    }
    if (a->opt.language) {
        static const char *const codes[] = { "und", "en", "id", "ms", "fr", "de", "es", "pt",
                                             "it", "nl", "sv", "da", "no", "fi", "tr", "ro",
                                             "hu", "ca", "ru", "el", "ar", "hi", "ne", "hy",
                                             "ta", "he", "zh", "ja", "ko", "th", NULL };
        if (cli_parse_choice(cmd, "language", a->opt.language, codes) < 0) return EXIT_USAGE;
    }
    cli_common_inputs(&a->common, argc, argv);
    a->opt.threads = a->common.threads;
    return 0;
}

static int is_rejected(void *user, size_t i, gema_reject *why)
{
    gema_story_doc info;
    gema_stories_doc_info(user, i, &info);
    *why = info.reject;
    return info.decision == GEMA_STORY_REJECTED;
}

/* --strict must stop before any story is written (to stdout, in place), so
 * it looks at every record first, without decoding texts. */
static int meta_rejected(void *user, size_t i, gema_reject *why)
{
    gema_doc doc;
    gema_reader_get_meta(user, i, &doc);
    *why = doc.reject;
    return doc.reject != GEMA_REJECT_NONE;
}

static void put_strings(gema_out *out, const char *const *v, size_t n)
{
    gema_out_puts(out, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) gema_out_puts(out, ",");
        gema_out_json_string(out, v[i], strlen(v[i]));
    }
    gema_out_puts(out, "]");
}

/* Distinct sites of a story in order of first appearance. */
typedef struct {
    char **v;
    size_t n, cap;
} site_list;

static int site_add(site_list *l, const char *s, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == len && memcmp(l->v[i], s, len) == 0) return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c) return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    l->v[l->n++] = c;
    return 0;
}

static void site_clear(site_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    l->n = 0;
}

/* Stories are written as the library finishes them (on_story), so the run
 * holds only live stories, not every story of the input, until the end. */
typedef struct {
    gema_out *out;
    gema_reader *reader;
    site_list sites;
} story_writer;

static int put_story(void *user, size_t k, const gema_story *st)
{
    story_writer *w = user;
    gema_out *out = w->out;
    gema_out_puts(out, "{\"story\":");
    gema_out_json_u64(out, k);
    gema_out_puts(out, ",\"size\":");
    gema_out_json_u64(out, st->size);
    gema_out_puts(out, ",\"members\":[");
    site_clear(&w->sites);
    for (size_t m = 0; m < st->size; m++) {
        gema_doc doc;
        gema_reader_get_meta(w->reader, st->members[m], &doc);
        if (m) gema_out_puts(out, ",");
        gema_out_json_string(out, doc.id, doc.id_len);
        if (doc.site_len && site_add(&w->sites, doc.site, doc.site_len) < 0) return GEMA_ERR_NOMEM;
    }
    gema_out_puts(out, "],\"headline\":");
    gema_out_json_string(out, st->headline, strlen(st->headline));
    gema_out_puts(out, ",\"terms\":");
    put_strings(out, st->terms, st->nterms);
    gema_out_puts(out, ",\"names\":");
    put_strings(out, st->names, st->nnames);
    gema_out_puts(out, ",\"first\":");
    gema_out_json_time(out, st->first);
    gema_out_puts(out, ",\"last\":");
    gema_out_json_time(out, st->last);
    gema_out_puts(out, ",\"sites\":");
    put_strings(out, (const char *const *)w->sites.v, w->sites.n);
    gema_out_puts(out, "}\n");
    return GEMA_OK;
}

static void writer_close(story_writer *w)
{
    site_clear(&w->sites);
    free(w->sites.v);
    gema_reader_free(w->reader);
}

static int write_assignments(const stories_args *a, const gema_corpus *corpus,
                             const gema_stories *s)
{
    gema_out *out;
    if (cli_open("stories", a->assignments, &out)) return 1;
    gema_reader *reader = NULL;
    if (gema_reader_new(corpus, &reader) != GEMA_OK) {
        gema_out_abort(out);
        return cli_fail("stories", "reader", GEMA_ERR_NOMEM);
    }
    size_t n = gema_corpus_count(corpus);
    for (size_t i = 0; i < n; i++) {
        gema_story_doc info;
        gema_stories_doc_info(s, i, &info);
        gema_doc doc;
        gema_reader_get_meta(reader, i, &doc);
        gema_out_puts(out, "{\"id\":");
        gema_out_json_string(out, doc.id, doc.id_len);
        gema_out_puts(out, ",\"story\":");
        if (info.story == SIZE_MAX) gema_out_puts(out, "null");
        else gema_out_json_u64(out, info.story);
        const char *dn = gema_story_decision_name(info.decision);
        gema_out_puts(out, ",\"decision\":");
        gema_out_json_string(out, dn, strlen(dn));
        if (info.decision == GEMA_STORY_REJECTED) {
            const char *r = gema_reject_name(info.reject);
            gema_out_puts(out, ",\"reason\":");
            gema_out_json_string(out, r, strlen(r));
            gema_out_puts(out, "}\n");
            continue;
        }
        gema_out_puts(out, ",\"score\":");
        gema_out_json_double(out, info.score, 4);
        if (info.duplicate_of != SIZE_MAX) {
            gema_doc dup;
            gema_out_puts(out, ",\"duplicate_of\":");
            gema_reader_get_meta(reader, info.duplicate_of, &dup);
            gema_out_json_string(out, dup.id, dup.id_len);
        }
        gema_out_puts(out, ",\"language\":");
        gema_out_json_string(out, info.language, strlen(info.language));
        gema_out_puts(out, "}\n");
    }
    gema_reader_free(reader);
    return cli_commit("stories", a->assignments, out);
}

static int write_stats(const stories_args *a, const gema_corpus *corpus,
                       const gema_stories_stats *s, double seconds, double load_s,
                       double write_s)
{
    gema_out *o;
    int first;
    if (cli_stats_begin("stories", &a->common, corpus, s->bytes, s->records, &o, &first)) return 1;
    cli_json_u64(o, "articles", s->articles, &first);
    cli_json_u64(o, "dated", s->dated, &first);
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
    cli_json_key(o, "languages", &first);
    gema_out_puts(o, "{");
    f2 = 1;
    for (size_t i = 0; gema_stories_language(i); i++) {
        if (!s->languages[i]) continue;
        gema_out_puts(o, f2 ? "\"" : ", \"");
        f2 = 0;
        gema_out_puts(o, gema_stories_language(i));
        gema_out_puts(o, "\": ");
        gema_out_json_u64(o, s->languages[i]);
    }
    gema_out_puts(o, "}");
    cli_json_u64(o, "duplicates", s->duplicates, &first);
    cli_json_u64(o, "stories", s->stories, &first);
    cli_json_u64(o, "singletons", s->singletons, &first);
    cli_json_u64(o, "opened", s->opened, &first);
    cli_json_u64(o, "joined", s->joined, &first);
    cli_json_u64(o, "moved", s->moved, &first);
    cli_json_u64(o, "revisited", s->revisited, &first);
    cli_json_u64(o, "idf_docs", s->idf_docs, &first);
    cli_json_u64(o, "vocabulary", s->vocabulary, &first);
    cli_json_u64(o, "merged", s->merged, &first);
    cli_json_u64(o, "scored", s->scored, &first);
    cli_json_u64(o, "story_postings", s->story_postings, &first);
    cli_json_u64(o, "article_postings", s->article_postings, &first);
    cli_json_u64(o, "skipped_postings", s->skipped_postings, &first);
    cli_json_u64(o, "peak_live_stories", s->peak_live_stories, &first);
    cli_json_u64(o, "peak_pending", s->peak_pending, &first);
    cli_json_u64(o, "peak_story_bytes", s->peak_story_bytes, &first);
    cli_json_u64(o, "stem_lookups", s->stem_lookups, &first);
    cli_json_u64(o, "stem_misses", s->stem_misses, &first);
    cli_json_num(o, "threshold", a->opt.threshold, &first);
    cli_json_u64(o, "neighbours", a->opt.neighbours, &first);
    cli_json_num(o, "density_floor", a->opt.density_floor, &first);
    cli_json_num(o, "name_weight", a->opt.name_weight, &first);
    cli_json_num(o, "number_weight", a->opt.number_weight, &first);
    cli_json_num(o, "title_weight", a->opt.title_weight, &first);
    cli_json_u64(o, "max_terms", a->opt.max_terms, &first);
    cli_json_num(o, "half_life_days", a->opt.half_life_days, &first);
    cli_json_num(o, "grace_days", a->opt.grace_days, &first);
    cli_json_num(o, "window_days", a->opt.window_days, &first);
    cli_json_u64(o, "window_articles", s->window_articles, &first);
    cli_json_u64(o, "revisit", (uint64_t)a->opt.revisit, &first);
    cli_json_u64(o, "dedup", (uint64_t)a->opt.dedup, &first);
    cli_clean_stats(o, &a->clean, &first);
    cli_json_num(o, "seconds", seconds, &first);
    cli_json_num(o, "seconds_load", load_s, &first);
    cli_json_num(o, "seconds_dedup", s->seconds_dedup, &first);
    cli_json_num(o, "seconds_scan", s->seconds_scan, &first);
    cli_json_num(o, "seconds_cluster", s->seconds_cluster, &first);
    cli_json_num(o, "seconds_finish", s->seconds_finish, &first);
    cli_json_num(o, "seconds_write", write_s, &first);
    cli_json_num(o, "articles_per_s", seconds > 0 ? (double)s->articles / seconds : 0, &first);
    cli_json_num(o, "mb_per_s", seconds > 0 ? (double)s->bytes / 1e6 / seconds : 0, &first);
    return cli_stats_end("stories", &a->common, o, &first);
}

static void summary(const stories_args *a, const gema_stories_stats *s, double seconds)
{
    double mb = (double)s->bytes / 1e6;
    fprintf(stderr, "gema stories: %llu articles, %.1f MB in %.2f s (%.0f articles/s, %u thread%s)\n",
            (unsigned long long)s->articles, mb, seconds,
            seconds > 0 ? (double)s->articles / seconds : 0.0, a->common.threads,
            a->common.threads == 1 ? "" : "s");
    fprintf(stderr, "  %llu stories (%llu of one article); %llu duplicates followed, %llu moved by the revisit, %llu rejected\n",
            (unsigned long long)s->stories, (unsigned long long)s->singletons,
            (unsigned long long)s->duplicates, (unsigned long long)s->moved,
            (unsigned long long)s->rejected);
}

int cmd_stories(int argc, char **argv)
{
    stories_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc) return rc;
    double t0 = cli_now();
    gema_corpus *corpus = cli_load("stories", &a.common);
    if (!corpus) return 1;
    double t1 = cli_now();
    if (a.common.progress) a.opt.progress = cli_progress;
    /* On articles of the furniture benchmark's sites, cleaning first lifts
     * B-cubed F1 from 0.883 to 0.922 (doc/BENCHMARKS.md, stories). */
    gema_cleaner *cleaner;
    if (cli_clean_prepare("stories", &a.clean, corpus, a.common.threads, &cleaner)) {
        gema_corpus_free(corpus);
        return 1;
    }
    a.opt.cleaner = cleaner;
    story_writer w = { 0 };
    int status = 0;
    if (gema_reader_new(corpus, &w.reader) != GEMA_OK)
        status = cli_fail("stories", "reader", GEMA_ERR_NOMEM);
    if (!status) status = cli_strict_check("stories", &a.common, corpus, meta_rejected, w.reader);
    if (!status && cli_open("stories", a.common.output, &w.out)) status = 1;
    if (status) {
        writer_close(&w);
        gema_cleaner_free(cleaner);
        gema_corpus_free(corpus);
        return status;
    }
    a.opt.on_story = put_story;
    a.opt.on_story_user = &w;
    gema_stories *s = NULL;
    rc = gema_stories_run(corpus, &a.opt, &s);
    cli_progress_end();
    gema_cleaner_free(cleaner);
    writer_close(&w);
    if (rc != GEMA_OK) {
        gema_out_abort(w.out);
        gema_corpus_free(corpus);
        return cli_fail("stories", "run", rc);
    }
    status = cli_commit("stories", a.common.output, w.out);
    /* Story lines were written during the run; seconds_write is what follows. */
    double t2 = cli_now();
    if (!status && a.assignments) status = write_assignments(&a, corpus, s);
    if (!status) status = cli_write_rejects("stories", &a.common, corpus, is_rejected, s);
    double t3 = cli_now();
    gema_stories_stats st;
    gema_stories_stats_get(s, &st);
    if (!status && a.common.stats) status = write_stats(&a, corpus, &st, t3 - t0, t1 - t0, t3 - t2);
    if (!status && !a.common.quiet) summary(&a, &st, t3 - t0);
    gema_stories_free(s);
    gema_corpus_free(corpus);
    return status;
}
