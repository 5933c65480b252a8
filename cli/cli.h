/*
 * cli.h - what the subcommands of the gema tool share.
 *
 * The tool uses only the public header gema.h.  Every subcommand follows
 * the same conventions: inputs as positional arguments (files, directories,
 * "-" for standard input), --output FILE (default standard output), -j N,
 * --stats FILE, --rejects FILE, --strict, JSONL out.
 *
 * Exit codes: 0 success, 1 failure (I/O, memory), 2 usage error,
 * 3 malformed input under --strict.
 */
#ifndef GEMA_CLI_H
#define GEMA_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "gema.h"

enum { EXIT_USAGE = 2, EXIT_STRICT = 3 };

/* Options every subcommand takes. */
typedef struct {
    gema_corpus_options corpus;
    const char *output;     /* NULL = standard output */
    const char *stats;
    const char *rejects;
    unsigned threads;
    int strict;
    int quiet;
    int progress;           /* -1 = when stderr is a terminal */
    char **inputs;
    int ninputs;
} cli_common;

/* Long options shared by every subcommand; their codes start at 1000. */
#define CLI_COMMON_LONGOPTS                                        \
    { "output", required_argument, NULL, 'o' },                    \
    { "threads", required_argument, NULL, 'j' },                   \
    { "jobs", required_argument, NULL, 'j' },                      \
    { "stats", required_argument, NULL, 1000 },                    \
    { "rejects", required_argument, NULL, 1001 },                  \
    { "strict", no_argument, NULL, 1002 },                         \
    { "id-field", required_argument, NULL, 1003 },                 \
    { "text-field", required_argument, NULL, 1004 },               \
    { "url-field", required_argument, NULL, 1005 },                \
    { "date-field", required_argument, NULL, 1006 },               \
    { "title-field", required_argument, NULL, 1007 },              \
    { "site-field", required_argument, NULL, 1008 },               \
    { "site", required_argument, NULL, 1009 },                     \
    { "format", required_argument, NULL, 1010 },                   \
    { "max-doc-bytes", required_argument, NULL, 1011 },            \
    { "quiet", no_argument, NULL, 'q' },                           \
    { "progress", no_argument, NULL, 1012 },                       \
    { "no-progress", no_argument, NULL, 1013 },                    \
    { "help", no_argument, NULL, 'h' }

#define CLI_COMMON_SHORTOPTS "o:j:qh"

/* Help text for the shared options. */
extern const char cli_common_help[];

void cli_common_init(cli_common *c);
/* Handle a shared option; returns 1 if handled, 0 if not ours, -1 on a bad
 * value (message printed). */
int cli_common_option(cli_common *c, const char *cmd, int opt, const char *arg);
/* Take the positional arguments; "-" if none. */
void cli_common_inputs(cli_common *c, int argc, char **argv);

/* Parsers that print "gema CMD: --NAME: ..." and return -1 on bad input. */
int cli_parse_uint(const char *cmd, const char *name, const char *arg, unsigned min,
                   unsigned max, unsigned *out);
int cli_parse_double(const char *cmd, const char *name, const char *arg, double min,
                     double max, double *out);
int cli_parse_size(const char *cmd, const char *name, const char *arg, size_t *out);
/* Match arg against a NULL-terminated list of names; index or -1. */
int cli_parse_choice(const char *cmd, const char *name, const char *arg,
                     const char *const *choices);

/* Build the corpus from the inputs; prints the error and returns NULL on failure. */
gema_corpus *cli_load(const char *cmd, const cli_common *c);

/* Progress callback for the library: prints to stderr at most 5 times a second. */
void cli_progress(void *user, uint64_t done, uint64_t total);
void cli_progress_end(void);

/* Report a failed library call: "gema CMD: WHAT: reason". Returns 1. */
int cli_fail(const char *cmd, const char *what, int status);

/*
 * Account for rejected records: write them to --rejects (JSONL with file,
 * line, offset, reason, message and the raw record), or without --rejects
 * print the first few to stderr as FILE:LINE: message.  is_rejected(i)
 * says which records to report.  Returns 0 or an exit code.
 */
typedef int (*cli_reject_fn)(void *user, size_t index, gema_reject *why);
int cli_write_rejects(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                      cli_reject_fn fn, void *user);

/* Under --strict, print the first rejected record and return EXIT_STRICT;
 * otherwise 0. */
int cli_strict_check(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                     cli_reject_fn fn, void *user);

/* Peak resident set size of this process in bytes. */
uint64_t cli_peak_rss(void);
double cli_now(void);

/* Write a record to out as JSONL: the raw line for JSONL input, or
 * {"id":..,"text":..} for plain-text input (text replaced by `text` if given). */
int cli_write_record(gema_out *out, const gema_doc *doc);

/*
 * --clean / --no-clean for the subcommands that can clean their input first
 * (page furniture makes a site's articles alike).  clean is -1 until an
 * option sets it: then a survey of a sample decides, since learning reads
 * the input five times and is all cost when there is no furniture.
 * CLI_CLEAN_HELP(verb, note) is their --help entry; note follows "as gema
 * clean does".
 */
#define CLI_CLEAN_HELP(what, note)                                                          \
    "      --clean            " what " cleaned text: learn each site's furniture\n"      \
    "                         from the inputs first and repair mojibake, as gema clean\n" \
    "                         does" note "\n"                                             \
    "      --no-clean         " what " the text as read\n"                                \
    "                         Without either, a sample of 4,096 records decides: clean\n" \
    "                         when in a fifth of the sampled pages of sites (a URL,\n"    \
    "                         --site-field, --site, directories) a line recurs in half\n" \
    "                         of their site's pages (furniture); --stats says why\n"

typedef struct {
    int clean;                 /* -1: the survey decides; 0, 1: an option did */
    int surveyed;
    gema_clean_survey survey;  /* when surveyed */
    double seconds;            /* survey and learning */
} cli_clean;

/* Decide whether to clean and learn the cleaner if so (*out stays NULL if
 * not; free it with gema_cleaner_free after the run).  Prints the error and
 * returns 1 on failure. */
int cli_clean_prepare(const char *cmd, cli_clean *c, const gema_corpus *corpus,
                      unsigned threads, gema_cleaner **out);

/* Open an output (NULL: standard output) or commit it; on failure print
 * "gema CMD: PATH: ..." and return 1. */
int cli_open(const char *cmd, const char *path, gema_out **out);
int cli_commit(const char *cmd, const char *path, gema_out *out);

/* --stats files: one JSON object, a key per line.  *first starts at 1; the
 * caller writes the closing "\n}\n". */
void cli_json_key(gema_out *o, const char *k, int *first);
void cli_json_u64(gema_out *o, const char *k, uint64_t v, int *first);
void cli_json_num(gema_out *o, const char *k, double v, int *first);
void cli_json_str(gema_out *o, const char *k, const char *v, int *first);
/* Open --stats and write the keys every subcommand's statistics start
 * with: command, version, threads, files, bytes, records, blank_lines. */
int cli_stats_begin(const char *cmd, const cli_common *c, const gema_corpus *corpus,
                    uint64_t bytes, uint64_t records, gema_out **o, int *first);
/* Write peak_rss_bytes, close the object and commit the file. */
int cli_stats_end(const char *cmd, const cli_common *c, gema_out *o, int *first);
/* The keys saying whether the text was cleaned and why: clean,
 * clean_decided_by, survey_* and seconds_clean_learn. */
void cli_clean_stats(gema_out *o, const cli_clean *c, int *first);

/* Subcommands. */
int cmd_dedup(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_passages(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_stories(int argc, char **argv);

#endif
