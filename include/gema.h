/*
 * gema.h - the public interface of libgema.
 *
 * gema finds where news text echoes across a crawled collection: exact and
 * near-duplicate articles, page furniture, reused passages and stories.
 * This header is the whole contract; the command-line tool uses nothing else.
 *
 * Conventions (they hold for every function below):
 *   - Functions that can fail return an int status: GEMA_OK (0) or a negative
 *     GEMA_ERR_* code.  Codes never change meaning; gema_strerror() names them.
 *     Results come back through out-parameters, which are left untouched on
 *     failure unless the function says otherwise.
 *   - Objects come in _new/_free pairs.  _free(NULL) is a no-op.
 *   - Inputs are borrowed for the duration of the call and copied if kept.
 *     Pointers handed out by the library are owned by the object they came
 *     from and live as long as the function documenting them says.
 *   - The library never prints, exits or aborts on bad input.  Malformed
 *     documents are reported through gema_reject codes, not by stopping.
 *   - Threads: an object may be used by one thread at a time unless its
 *     section says otherwise.  Objects documented as immutable may be read
 *     from many threads at once.  Work inside the library may use up to the
 *     number of threads asked for; results never depend on that number.
 *   - Text is UTF-8.  Offsets into documents are counted in Unicode code
 *     points of the original text unless a field says "bytes".
 */
#ifndef GEMA_H
#define GEMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GEMA_VERSION_MAJOR 0
#define GEMA_VERSION_MINOR 1
#define GEMA_VERSION_PATCH 0
#define GEMA_VERSION_STRING "0.1.0"

/* The library's version string, e.g. "0.1.0".  Static storage. */
const char *gema_version(void);

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

enum {
    GEMA_OK = 0,
    GEMA_ERR_NOMEM = -1,       /* an allocation failed */
    GEMA_ERR_ARG = -2,         /* an argument or option is out of range */
    GEMA_ERR_IO = -3,          /* a file could not be opened, read or written */
    GEMA_ERR_FORMAT = -4,      /* input is malformed and cannot be used */
    GEMA_ERR_DECOMPRESS = -5,  /* a .gz or .zst stream is corrupt or truncated */
    GEMA_ERR_TOO_BIG = -6,     /* input exceeds a size limit of the format */
    GEMA_ERR_THREAD = -7,      /* a worker thread could not be started */
    GEMA_ERR_STATE = -8,       /* call made in the wrong order */
    GEMA_ERR_RANGE = -9,       /* an index is past the end */
    GEMA_ERR_ENCODING = -10    /* a character set conversion is unavailable */
};

/* Generic English text for a status code.  Static storage; never NULL. */
const char *gema_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Reading: the corpus                                                      */
/* ------------------------------------------------------------------------ */
/*
 * A corpus holds the input bytes of every file added to it and an index of
 * its records (a JSONL line or a whole plain-text file).  Files are mapped
 * or decompressed into memory once; documents are parsed on demand by a
 * gema_reader, so a corpus costs its input size plus about 24 bytes per
 * record.
 *
 * Formats: JSONL (one JSON object per line; blank lines are skipped) and
 * plain text (one file is one document, its id the path relative to the
 * directory given, or the path as given for a file).  gzip and zstd input
 * is recognised by its magic bytes and decompressed transparently.
 * GEMA_FORMAT_AUTO picks JSONL for *.jsonl, *.ndjson and *.json (before any
 * .gz/.zst suffix), text for *.txt, and otherwise JSONL when the first
 * non-blank byte is '{'.  Directories are walked recursively in byte order
 * of names, skipping names that start with '.'.
 *
 * Thread safety: add paths from one thread; once every path is added the
 * corpus is immutable and may be shared by any number of readers.
 */

typedef struct gema_corpus gema_corpus;

typedef enum {
    GEMA_FORMAT_AUTO = 0,
    GEMA_FORMAT_JSONL = 1,
    GEMA_FORMAT_TEXT = 2
} gema_format;

typedef struct {
    const char *id_field;    /* default "id" */
    const char *text_field;  /* default "text" */
    const char *url_field;   /* default "url" */
    const char *date_field;  /* default "date" */
    const char *title_field; /* default "title" */
    const char *site_field;  /* field naming the site; default NULL = host of url */
    const char *site;        /* one site name for every document, or NULL */
    size_t max_doc_bytes;    /* records longer than this are rejected; 0 = no limit */
    gema_format format;      /* default GEMA_FORMAT_AUTO */
} gema_corpus_options;

/* Fill *opt with the defaults above (max_doc_bytes = 64 MiB). */
void gema_corpus_options_default(gema_corpus_options *opt);

/* Create an empty corpus.  The strings in *opt are copied.  opt may be NULL
 * for defaults. */
int gema_corpus_new(const gema_corpus_options *opt, gema_corpus **out);
void gema_corpus_free(gema_corpus *corpus);

/* Add a file, a directory (recursively) or "-" for standard input.
 * On failure the corpus keeps what was added before and
 * gema_corpus_errmsg() names the file and the reason. */
int gema_corpus_add_path(gema_corpus *corpus, const char *path);

/* Add a buffer as if it were a file called name.  The bytes are copied. */
int gema_corpus_add_memory(gema_corpus *corpus, const char *name,
                           const void *data, size_t len, gema_format format);

/* Detail of the last failure on this corpus ("path: reason"), or "" if none.
 * Valid until the next call on the corpus. */
const char *gema_corpus_errmsg(const gema_corpus *corpus);

size_t gema_corpus_count(const gema_corpus *corpus);     /* records */
uint64_t gema_corpus_bytes(const gema_corpus *corpus);   /* input bytes, decompressed */
size_t gema_corpus_blank_lines(const gema_corpus *corpus); /* JSONL lines skipped as blank */
size_t gema_corpus_file_count(const gema_corpus *corpus);
/* Name of file i as given (or as found under a directory given).  Owned by
 * the corpus. */
const char *gema_corpus_file_name(const gema_corpus *corpus, size_t i);

/* Why a record cannot be used as a document.  Values never change. */
typedef enum {
    GEMA_REJECT_NONE = 0,
    GEMA_REJECT_MALFORMED_JSON = 1, /* not valid JSON */
    GEMA_REJECT_NOT_OBJECT = 2,     /* valid JSON but not an object */
    GEMA_REJECT_MISSING_TEXT = 3,   /* no text field */
    GEMA_REJECT_TEXT_NOT_STRING = 4,/* text field is not a string */
    GEMA_REJECT_TOO_BIG = 5,        /* record longer than max_doc_bytes */
    GEMA_REJECT_BINARY = 6          /* plain-text file that is not text (NUL bytes,
                                       or mostly invalid UTF-8) */
} gema_reject;

/* Short stable name of a reject reason ("malformed-json", ...).  Static. */
const char *gema_reject_name(gema_reject reason);
/* A sentence for people ("line is not valid JSON", ...).  Static. */
const char *gema_reject_message(gema_reject reason);

#define GEMA_TIME_NONE INT64_MIN

/*
 * One document as parsed by a reader.  Every pointer is owned by the reader
 * (or the corpus, for raw and file) and stays valid until the next
 * gema_reader_get() or gema_reader_get_meta() on the same reader.  Strings
 * are NUL-terminated and are valid UTF-8: invalid sequences in the input
 * were replaced by U+FFFD and counted in invalid_bytes, and NUL characters
 * likewise.  Fields that are absent are NULL with length 0.
 */
typedef struct {
    size_t index;                      /* record number in the corpus */
    const char *id; size_t id_len;     /* given id, or "FILE:LINE" if none */
    const char *text; size_t text_len; /* length in bytes */
    const char *url; size_t url_len;
    const char *date; size_t date_len;
    const char *title; size_t title_len;
    const char *site; size_t site_len; /* see gema_corpus_options */
    int64_t time;            /* date as seconds since 1970 UTC, or GEMA_TIME_NONE */
    size_t invalid_bytes;    /* input bytes replaced by U+FFFD in text */
    const char *raw; size_t raw_len;   /* the record as read, without newline */
    const char *file;        /* file it came from */
    uint64_t line;           /* 1-based line for JSONL; 1 for text files */
    uint64_t offset;         /* byte offset of the record in its (decompressed) file */
    gema_format format;      /* GEMA_FORMAT_JSONL or GEMA_FORMAT_TEXT */
    gema_reject reject;      /* GEMA_REJECT_NONE for a usable document */
} gema_doc;

/* Fill only the location fields of *doc (index, raw, file, line, offset,
 * format) for record `index`, without parsing it: the cheap way to copy
 * records through to an output.  Thread-safe on a complete corpus. */
int gema_corpus_record(const gema_corpus *corpus, size_t index, gema_doc *doc);

/* A reader parses records of one corpus.  Create one per thread. */
typedef struct gema_reader gema_reader;
int gema_reader_new(const gema_corpus *corpus, gema_reader **out);
void gema_reader_free(gema_reader *reader);

/* Parse record `index`.  Returns GEMA_OK and fills *doc; a record that is
 * not a usable document still returns GEMA_OK, with doc->reject set and
 * only index, raw, file, line, offset and format filled in.  Other codes
 * mean the reader could not work at all (GEMA_ERR_NOMEM, GEMA_ERR_RANGE). */
int gema_reader_get(gema_reader *reader, size_t index, gema_doc *doc);
/* As gema_reader_get(), without the text: every field is filled as
 * gema_reader_get() fills it (the same reject, the same id, url, date,
 * title, site and time), except text (NULL), text_len and invalid_bytes
 * (0).  The text is still located and checked, so a record is rejected
 * exactly when gema_reader_get() rejects it, but it is not decoded: the
 * cheap way to list ids or dates of documents.  Pointers live until the
 * next call of either function on the same reader. */
int gema_reader_get_meta(gema_reader *reader, size_t index, gema_doc *doc);

/* ------------------------------------------------------------------------ */
/* Writing: outputs that never look complete when they are not              */
/* ------------------------------------------------------------------------ */
/*
 * A gema_out writes to PATH.tmp-PID next to PATH and renames it to PATH on
 * gema_out_commit(), so a crash leaves either the old file or a temporary
 * one, never a half-written PATH.  path NULL or "-" writes to standard output
 * (no rename).  Writes are buffered; errors are sticky and reported by
 * gema_out_commit().
 */
typedef struct gema_out gema_out;
int gema_out_open(const char *path, gema_out **out);
int gema_out_write(gema_out *out, const void *data, size_t len);
int gema_out_puts(gema_out *out, const char *s);
/* Write s (len bytes of UTF-8) as a JSON string literal, quotes included. */
int gema_out_json_string(gema_out *out, const char *s, size_t len);
int gema_out_json_u64(gema_out *out, uint64_t v);
/* A time in seconds since 1970 as a JSON string in ISO 8601 UTC,
 * "2021-12-15T06:02:00Z" (the year zero-padded to four characters, a sign
 * included, and longer when it needs more), or null for GEMA_TIME_NONE. */
int gema_out_json_time(gema_out *out, int64_t t);
/* A finite number with up to `digits` decimals, trailing zeros trimmed. */
int gema_out_json_double(gema_out *out, double v, int digits);
/* Flush, sync and rename into place; frees out.  On failure the temporary
 * file is removed and PATH is left as it was. */
int gema_out_commit(gema_out *out);
/* Discard everything written; frees out.  NULL is a no-op. */
void gema_out_abort(gema_out *out);

/* ------------------------------------------------------------------------ */
/* Text: normalisation, tokens and shingles                                 */
/* ------------------------------------------------------------------------ */
/*
 * Matching works on normalised text: Unicode NFKC with case folding, every
 * run of punctuation, symbols and white space folded to one space,
 * apostrophes inside words dropped ("don't" -> "dont").  Letters of scripts
 * written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) are one token
 * each, so that shingles over them are character n-grams.
 */

/* Normalise len bytes of text into a new NUL-terminated string (*out, freed
 * with gema_free()) of *out_len bytes.  Invalid UTF-8 becomes U+FFFD. */
int gema_normalize(const char *text, size_t len, char **out, size_t *out_len);

/* Copy len bytes into a new NUL-terminated string (*out, freed with
 * gema_free()) with invalid UTF-8 and NUL bytes replaced by U+FFFD. */
int gema_utf8_fix(const char *s, size_t len, char **out, size_t *out_len);

/* Release memory the library allocated for the caller. */
void gema_free(void *p);

/* ------------------------------------------------------------------------ */
/* Dedup: exact and near-duplicate documents                                */
/* ------------------------------------------------------------------------ */
/*
 * gema_dedup_run() reads every record of a corpus, fingerprints it and
 * groups duplicates:
 *   1. exact duplicates share a 128-bit XXH3 hash of their normalised text;
 *   2. near duplicates are found by MinHash signatures over word shingles and
 *      LSH banding, and every candidate pair is verified on the real shingle
 *      sets before it counts;
 *   3. verified pairs are joined by union-find, and every member of a group
 *      is then checked against the group's representative; members that do
 *      not reach the threshold against it are split off and grouped again,
 *      so a chain A~B~...~Z of dissimilar ends never becomes one cluster.
 * Every record ends in exactly one state: kept, duplicate of a kept
 * representative, or rejected with a gema_reject reason.
 */

typedef enum {
    GEMA_KEEP_FIRST = 0,    /* earliest in input order */
    GEMA_KEEP_LONGEST = 1,  /* most text (code points); ties by input order */
    GEMA_KEEP_EARLIEST = 2  /* earliest date; undated last; ties by input order */
} gema_keep;

typedef enum {
    GEMA_SIM_JACCARD = 0,     /* |A n B| / |A u B| */
    GEMA_SIM_CONTAINMENT = 1  /* |A n B| / min(|A|, |B|) */
} gema_similarity;

typedef enum {
    GEMA_MINHASH_OPH = 0,   /* one-permutation hashing, optimal densification */
    GEMA_MINHASH_PERM = 1   /* k multiply-shift permutations */
} gema_minhash_scheme;

typedef void (*gema_progress_fn)(void *user, uint64_t done_bytes, uint64_t total_bytes);

typedef struct {
    unsigned shingle;        /* words per shingle (default 5) */
    double threshold;        /* similarity to count as duplicate (default 0.7) */
    unsigned num_hashes;     /* MinHash signature length (default 128) */
    unsigned bands, rows;    /* LSH banding; 0 and 0 = from threshold */
    double fp_weight, fn_weight; /* weights for choosing bands/rows */
    gema_minhash_scheme scheme;
    gema_similarity similarity;
    gema_keep keep;
    unsigned threads;        /* worker threads; 0 = 1 */
    uint64_t seed;           /* seeds every hash function */
    gema_progress_fn progress; /* called from the calling thread; may be NULL */
    void *progress_user;
    /* Fingerprint cleaned text instead of the raw text (furniture removed,
     * mojibake repaired; see gema_cleaner_learn).  Borrowed for the run;
     * NULL (default) for none.  Outputs still refer to the original records. */
    const struct gema_cleaner *cleaner;
} gema_dedup_options;

void gema_dedup_options_default(gema_dedup_options *opt);

/* Choose LSH bands and rows for a threshold and signature length by
 * minimising fp_weight * (false-positive area) + fn_weight * (false-negative
 * area) of the banding S-curve, as datasketch does (bands * rows <= num_hashes). */
int gema_lsh_params(double threshold, unsigned num_hashes, double fp_weight,
                    double fn_weight, unsigned *bands, unsigned *rows);

/* Probability that two documents of similarity s share at least one band. */
double gema_lsh_probability(double s, unsigned bands, unsigned rows);

typedef struct gema_dedup gema_dedup;

/* Run dedup over every record of corpus.  The corpus must not change while
 * this runs; it is read by opt->threads threads.  On success *out holds the
 * result; free it with gema_dedup_free(). */
int gema_dedup_run(const gema_corpus *corpus, const gema_dedup_options *opt,
                   gema_dedup **out);
void gema_dedup_free(gema_dedup *d);

typedef enum {
    GEMA_DOC_KEPT = 0,       /* unique, or the representative of a cluster */
    GEMA_DOC_DUPLICATE = 1,  /* member of a cluster, not its representative */
    GEMA_DOC_REJECTED = 2
} gema_doc_state;

typedef struct {
    gema_doc_state state;
    gema_reject reject;       /* for GEMA_DOC_REJECTED */
    size_t cluster;           /* cluster number, or SIZE_MAX if in none */
    size_t representative;    /* record index of the cluster representative */
    double similarity;        /* to the representative (1 for itself) */
    int exact;                /* 1 if its normalised text equals the representative's */
} gema_dedup_doc;

/* The fate of record `index`.  The result is immutable: any thread may read. */
int gema_dedup_doc_info(const gema_dedup *d, size_t index, gema_dedup_doc *out);

typedef struct {
    size_t representative;   /* record index */
    size_t size;             /* members including the representative */
    const size_t *members;   /* record indices in input order, representative included */
} gema_dedup_cluster;

/* Clusters are numbered 0.. in input order of their first member.
 * members points into d and lives as long as d. */
size_t gema_dedup_cluster_count(const gema_dedup *d);
int gema_dedup_cluster_get(const gema_dedup *d, size_t k, gema_dedup_cluster *out);

/* Verified candidate pairs (similarity >= threshold), in ascending (a, b)
 * order with a < b.  Only pairs that LSH proposed and verification accepted
 * are listed; exact duplicates are not, and neither are candidate pairs that
 * were never compared because verified pairs had already joined their two
 * documents (a group of g copies is joined with about g comparisons). */
size_t gema_dedup_pair_count(const gema_dedup *d);
int gema_dedup_pair_get(const gema_dedup *d, size_t k, size_t *a, size_t *b,
                        double *similarity);

typedef struct {
    uint64_t records;          /* records in the corpus */
    uint64_t kept;             /* kept documents, representatives included */
    uint64_t exact_duplicates; /* duplicates whose text equals the representative's */
    uint64_t near_duplicates;  /* other duplicates */
    uint64_t rejected;
    uint64_t rejected_by[8];   /* indexed by gema_reject */
    uint64_t clusters;
    uint64_t candidate_pairs;  /* pairs proposed by LSH */
    uint64_t compared_pairs;   /* candidates whose similarity was computed */
    uint64_t verified_pairs;   /* compared candidates at or above the threshold */
    uint64_t chain_splits;     /* members split off a cluster by the representative check */
    uint64_t invalid_utf8_docs;/* documents with bytes replaced by U+FFFD */
    uint64_t bytes;            /* input bytes */
    unsigned bands, rows;      /* banding used */
    double seconds_fingerprint;/* parse, tokenise, hash, MinHash, band keys */
    double seconds_match;      /* exact groups and LSH candidate pairs */
    double seconds_group;      /* verification, union-find, representative checks */
} gema_dedup_stats;

void gema_dedup_stats_get(const gema_dedup *d, gema_dedup_stats *out);

/* GEMA-SECTION mojibake: encoding repair */
/*
 * Mojibake is UTF-8 that was decoded through a single-byte code page and
 * encoded again: "Â©" or "ยฉ" for "©", "â€œ" for "“", "Ð¿Ñ€Ð¸" for "при".
 * gema_fix_encoding() undoes it for text read through windows-1252,
 * ISO-8859-1, cp874/TIS-620, windows-1251, windows-1250 and windows-1257,
 * including bytes those pages leave undefined (taken as U+0080..U+00FF),
 * text broken twice, and documents where only some spans are broken.  A span
 * is repaired only when the result reads more naturally in its context;
 * correct text in any script is returned unchanged.  gema_cleaner_apply()
 * applies the same repair and reports every span (gema_cleaned_repair()).
 */

/* Repair len bytes of UTF-8 s into a new NUL-terminated string (*out, freed
 * with gema_free()) of *out_len bytes (out_len may be NULL).  *repairs (may be
 * NULL) receives the number of spans repaired; 0 means *out equals s.  Bytes
 * that are not valid UTF-8 are copied unchanged (gema_utf8_fix replaces
 * them).  Thread-safe; the first call builds the code page tables with iconv
 * and returns GEMA_ERR_ENCODING if the C library lacks one of the pages. */
int gema_fix_encoding(const char *s, size_t len, char **out, size_t *out_len,
                      size_t *repairs);
/* GEMA-SECTION-END mojibake */

/* GEMA-SECTION clean: gema clean (page furniture, and encoding repair through it) */
/*
 * Cleaning turns a crawled page's text into the article: it repairs mojibake
 * (UTF-8 that was read through a legacy code page and saved again), then
 * removes page furniture line by line:
 *   - lines repeated across many documents of one site (menus, footers, ad
 *     labels, bylines) and found in no other site: learned from a corpus by
 *     gema_cleaner_learn() in bounded memory (count-min sketches, then exact
 *     counts of the lines they flag);
 *   - what one document shows by itself: labels ("ADVERTISEMENT", "Bagikan:"),
 *     "Baca juga:"/"Read also:" link lists, glued menus, datelines, photo
 *     captions, copyright lines, short fragments before the first or after the
 *     last body paragraph, a line printed twice, and a trailing block that
 *     tells another story.
 * What travels between sites is content: a line found in several learned
 * sites, rare in one of them, is never removed for repetition (a syndicated
 * paragraph, a quote), and a line two learned sites print with the same
 * article is kept from the in-document rules (a syndicated story's own
 * dateline).  A line frequent in every site that has it (a publishing
 * network's footer) is furniture, also in sites too small to learn.  Every
 * removed line and repaired span is reported with its place in the original
 * text.
 *
 * Usage: learn once (or gema_cleaner_new() for the in-document rules only),
 * then apply to documents from any number of threads, each with its own
 * gema_cleaned; or let gema_clean_run() do the whole corpus in input order.
 */

/* Why a line was removed.  Values never change. */
typedef enum {
    GEMA_CLEAN_KEPT = 0,
    GEMA_CLEAN_REPEATED = 1,   /* "repeated-in-site": in many documents of its site only */
    GEMA_CLEAN_LABEL = 2,      /* "label": ad, share, category or reading-time label */
    GEMA_CLEAN_LINK_LIST = 3,  /* "link-list": "Baca juga:"-style lead and its links */
    GEMA_CLEAN_MENU = 4,       /* "menu": navigation, link texts glued or separated by | */
    GEMA_CLEAN_DATELINE = 5,   /* "dateline": a line that is only a date */
    GEMA_CLEAN_COPYRIGHT = 6,  /* "copyright" */
    GEMA_CLEAN_BYLINE = 7,     /* "byline": "Posted by", "Editor:", "By ..." */
    GEMA_CLEAN_CAPTION = 8,    /* "caption": photo caption with a credit */
    GEMA_CLEAN_NO_TEXT = 9,    /* "no-text": symbols or a lone number */
    GEMA_CLEAN_EDGE = 10,      /* "edge-fragment": short line outside the body */
    GEMA_CLEAN_APPENDED = 11,  /* "appended-story": trailing block about something else */
    GEMA_CLEAN_DUPLICATE = 12  /* "duplicate-line": a line printed earlier in the document */
} gema_clean_reason;

#define GEMA_CLEAN_REASONS 13

/* Stable name of a reason ("repeated-in-site", ...).  Static storage. */
const char *gema_clean_reason_name(gema_clean_reason reason);

typedef struct {
    int repair;              /* 1 (default): repair mojibake first */
    int furniture;           /* 1 (default): remove furniture lines */
    int repetition;          /* 1 (default): learn repeated lines per site */
    unsigned min_site_docs;  /* sites with fewer distinct documents are not learned
                                (default 6); their documents get the in-document
                                rules only */
    unsigned min_repeat;     /* a line is repeated furniture when it occurs in at least
                                this many distinct documents of its site (default 3) */
    double min_share;        /* ... and in at least this share of them (default 0.05) */
    unsigned shared_sites;   /* a line occurring in at least this many learned sites,
                                rare in one of them (under the threshold and under
                                min_share of its documents), is content: never removed
                                for repetition; a line this many learned sites print
                                with the same article is kept from the in-document
                                rules (default 2; 0 = off) */
    size_t sketch_bytes;     /* memory of the count-min sketches (default 64 MiB; a
                                quarter of the input's size when that is less) */
    unsigned threads;        /* worker threads; 0 = 1 */
    gema_progress_fn progress; /* called from the calling thread; may be NULL */
    void *progress_user;
} gema_clean_options;

void gema_clean_options_default(gema_clean_options *opt);

/* Immutable once made: any number of threads may apply it at once. */
typedef struct gema_cleaner gema_cleaner;

/* Learn furniture from every record of corpus (five passes over it, the
 * last two over the documents of learned sites and of syndicated articles;
 * on opt->threads threads), and keep opt for applying.  The result does not
 * depend on the thread count.  Documents that are exact copies of an earlier
 * document of the same site are counted once, and versions of one article
 * (the same longest line) once for lines in few documents.  Memory: the
 * sketches, 17 bytes per record, about 40 bytes per line the sketches flag
 * and per line syndicated articles share. */
int gema_cleaner_learn(const gema_corpus *corpus, const gema_clean_options *opt,
                       gema_cleaner **out);
/* A cleaner without a corpus: encoding repair and the in-document rules. */
int gema_cleaner_new(const gema_clean_options *opt, gema_cleaner **out);
void gema_cleaner_free(gema_cleaner *c);

typedef struct {
    uint64_t documents;        /* usable documents seen while learning */
    uint64_t duplicates;       /* exact copies of an earlier document of the same site */
    uint64_t sites;            /* distinct sites */
    uint64_t sites_learned;    /* sites with at least min_site_docs distinct documents */
    uint64_t candidates;       /* (line, site) pairs flagged by the sketch and counted exactly */
    uint64_t furniture_lines;  /* (line, site) pairs learned as furniture */
    uint64_t shared_lines;     /* pairs frequent enough but kept: found in other sites */
    uint64_t network_lines;    /* (line, small site) pairs removed as a network's furniture:
                                  the line is frequent in every learned site that has it,
                                  two at least */
    uint64_t protected_lines;  /* lines the in-document rules would remove, kept: found as
                                  ordinary lines in shared_sites sites or more */
    uint64_t sketch_bytes;
    double seconds;
} gema_cleaner_info;

void gema_cleaner_info_get(const gema_cleaner *c, gema_cleaner_info *out);

/* The result of cleaning one document.  Reuse one per thread. */
typedef struct gema_cleaned gema_cleaned;
int gema_cleaned_new(gema_cleaned **out);
void gema_cleaned_free(gema_cleaned *r);

/* Clean doc into r (replacing what r held).  A rejected doc (doc->reject set)
 * gives an empty result with gema_cleaned_reject() set.  doc is only read
 * during the call: r keeps copies of what it hands out. */
int gema_cleaner_apply(const gema_cleaner *c, const gema_doc *doc, gema_cleaned *r);

/* The cleaned text (valid UTF-8, NUL-terminated) and its length in bytes.
 * Owned by r; valid until the next apply or free. */
const char *gema_cleaned_text(const gema_cleaned *r, size_t *len);
/* 1 if the cleaned text differs from the document's text. */
int gema_cleaned_changed(const gema_cleaned *r);
gema_reject gema_cleaned_reject(const gema_cleaned *r);
/* The document's id and record index (copied at apply). */
const char *gema_cleaned_id(const gema_cleaned *r, size_t *len);
size_t gema_cleaned_index(const gema_cleaned *r);
/* Lines of the original text, removed lines. */
size_t gema_cleaned_lines(const gema_cleaned *r);

typedef struct {
    size_t line;               /* 1-based line number in the original text */
    size_t start, end;         /* code points of the original text, terminator excluded */
    gema_clean_reason reason;
    uint32_t count;            /* GEMA_CLEAN_REPEATED: documents of the site with the line */
    const char *text;          /* the line as removed (after repair); owned by r */
    size_t text_len;           /* bytes */
} gema_clean_removal;

size_t gema_cleaned_removal_count(const gema_cleaned *r);
int gema_cleaned_removal(const gema_cleaned *r, size_t k, gema_clean_removal *out);

typedef struct {
    size_t start, end;         /* code points of the original text */
    const char *codepage;      /* the code page the UTF-8 had been read through; static */
    const char *from, *to;     /* the broken and the repaired text; owned by r */
    size_t from_len, to_len;   /* bytes */
} gema_clean_repair;

size_t gema_cleaned_repair_count(const gema_cleaned *r);
int gema_cleaned_repair(const gema_cleaned *r, size_t k, gema_clean_repair *out);

/* Byte offset in the original text of byte `offset` of the cleaned text (an
 * offset inside a repaired span maps to the start of the span).  For stages
 * that work on the cleaned text but report positions in the original. */
size_t gema_cleaned_source_offset(const gema_cleaned *r, size_t offset);
/* The same for the end of a span ending at byte `offset` of the cleaned text:
 * the original end of the byte before it, so that lines removed between
 * that byte and the next kept one are not taken into the span. */
size_t gema_cleaned_source_end(const gema_cleaned *r, size_t offset);

/*
 * Clean every record of corpus on opt->threads threads and hand each result
 * to sink in input order, from the calling thread.  r also holds the record
 * to write (gema_cleaned_record): for JSONL input the record's line with
 * only the text value replaced (the line unchanged, byte for byte, when the
 * text did not change); for plain-text input {"id":...,"text":...}.  A sink
 * returning non-zero stops the run, which then returns that value.
 */
typedef int (*gema_clean_sink)(void *user, const gema_cleaned *r);

typedef struct {
    uint64_t records;
    uint64_t documents;
    uint64_t rejected;
    uint64_t changed;          /* documents whose text changed */
    uint64_t lines;            /* non-blank lines of usable documents */
    uint64_t lines_removed;
    uint64_t removed_by[GEMA_CLEAN_REASONS]; /* indexed by gema_clean_reason */
    uint64_t repairs;          /* repaired spans */
    uint64_t repaired_docs;
    uint64_t bytes_in;         /* record bytes read */
    uint64_t text_bytes_in, text_bytes_out;
    uint64_t unrewritten;      /* changed JSONL records whose text member the rewriter
                                  could not locate: written unchanged (never expected) */
    double seconds;            /* the cleaning pass */
} gema_clean_stats;

int gema_clean_run(const gema_corpus *corpus, const gema_cleaner *c,
                   const gema_clean_options *opt, gema_clean_sink sink, void *user,
                   gema_clean_stats *stats);

/* The output record built by gema_clean_run (no newline), or NULL with *len 0
 * for results of gema_cleaner_apply. */
const char *gema_cleaned_record(const gema_cleaned *r, size_t *len);
/* GEMA-SECTION-END clean */

/* GEMA-SECTION survey: whether a corpus needs cleaning */
/*
 * Learning furniture reads the whole corpus five times; a corpus without
 * furniture pays for nothing.  The survey reads a sample (half single records
 * at an even stride, half runs of 64 consecutive records, so that a crawl
 * stored site by site shows its sites several pages each) and counts, per
 * site, in how many sampled documents each line occurs (ASCII case, digits
 * and white space folded).  A document is furnished when one of its lines
 * occurs in at least half of its site's sampled documents, three at least.
 * Only sites with three sampled documents or more testify.  Subcommands use
 * it to decide whether to clean when the user did not say.
 */
#define GEMA_CLEAN_SURVEY_SAMPLE 4096  /* records read by default */
#define GEMA_CLEAN_SURVEY_SHARE 0.2    /* furnished share that advises cleaning */

typedef struct {
    uint64_t sampled;    /* usable documents read */
    uint64_t with_site;  /* ... that name a site */
    uint64_t sites;      /* sites with three sampled documents or more */
    uint64_t site_docs;  /* sampled documents of those sites */
    uint64_t furnished;  /* ... with a line in half of their site's sampled documents */
    double share;        /* furnished / site_docs; 0 when no site testifies */
    int clean;           /* 1 when share >= the min_share asked for */
    double seconds;
} gema_clean_survey;

/* Survey up to `sample` records of corpus (0: GEMA_CLEAN_SURVEY_SAMPLE);
 * min_share <= 0 means GEMA_CLEAN_SURVEY_SHARE.  Deterministic; one thread;
 * memory about 24 bytes per distinct line of the sample. */
int gema_clean_survey_run(const gema_corpus *corpus, size_t sample, double min_share,
                          gema_clean_survey *out);
/* GEMA-SECTION-END survey */

/* GEMA-SECTION passages: gema passages and gema align */
/* ------------------------------------------------------------------------ */
/* Passages: text reused between documents                                  */
/* ------------------------------------------------------------------------ */
/*
 * gema_passages_run() finds passages of one document that reappear, whole
 * or with small edits, in another:
 *   1. candidates: every document's word n-grams (ngram words, hashed)
 *      are winnowed (of every `window` consecutive ones, the one of least
 *      hash is kept) and go into an inverted index; n-grams found in more
 *      than max_df documents are dropped (boilerplate, set phrases), and
 *      two documents sharing at least min_shared of the rest, close
 *      together, are a candidate pair.  The index is
 *      built in shards of hash values when it would not fit in
 *      index_memory, so memory stays bounded; from 4 shards on, later
 *      shards reuse the n-gram hashes of the first pass when they fit in
 *      half of index_memory, else read the input again.  Shared n-grams must
 *      cluster within one shard, so many shards can miss a few of the
 *      shortest passages; threads never change the result;
 *   2. alignment: in each candidate pair, runs of seed_words identical
 *      words are seeds; each is extended both ways by an X-drop alignment
 *      over words that tolerates substitutions, insertions and deletions,
 *      and fragments within max_gap words of each other in both documents
 *      are merged, so one reused paragraph is one passage even when edited
 *      or reordered;
 *   3. groups: occurrences of the same passage in several documents are
 *      joined into one group, ordered by first appearance.
 * Words are the tokens of the normaliser (letters of unspaced scripts are
 * one token each).  Every record ends as a document (with or without
 * passages) or as rejected with a gema_reject reason.
 */

typedef struct {
    unsigned ngram;          /* words per indexed n-gram (default 4) */
    unsigned window;         /* winnowing window: index the least-hash n-gram of every
                                window consecutive ones; 1 = all; 0 (default) = 4 when
                                the index fits in one shard, else 1 (see stats.window) */
    unsigned max_df;         /* n-grams in more documents are not indexed (default 100) */
    unsigned rare_df;        /* if > 0, an n-gram in more documents pairs each of them
                                only with the next rare_df (in input order) holding it:
                                fewer candidate pairs, but a passage whose words also
                                occur apart in other documents may be split into
                                several groups (default 0: all pairs) */
    unsigned min_shared;     /* shared n-grams that make a candidate pair (default 2) */
    unsigned seed_words;     /* words per alignment seed (default 3) */
    unsigned max_repeat;     /* seeds repeated more often in one document are ignored (default 10) */
    unsigned min_words;      /* shortest passage, in words on each side (default 15) */
    double min_similarity;   /* least 2 * matched / (words a + words b) (default 0.3) */
    unsigned max_gap;        /* fragments this many words apart are merged (default 30) */
    unsigned xdrop;          /* extension stops this far below its best score (default 16) */
    int cross_site_only;     /* skip pairs of documents from the same site (default 0) */
    const gema_cleaner *cleaner; /* NULL (default): text as read; else passages are
                                found in the cleaned text and reported at their
                                offsets in the original.  Not owned */
    size_t index_memory;     /* bytes the n-gram index may use (default 4 GiB; about
                                4.5 bytes per input byte fit in one shard) */
    unsigned shards;         /* index shards; 0 = as few as index_memory allows */
    unsigned threads;        /* worker threads; 0 = 1 */
    uint64_t seed;           /* seeds the n-gram hashes */
    gema_progress_fn progress; /* called from the calling thread; may be NULL */
    void *progress_user;
} gema_passages_options;

void gema_passages_options_default(gema_passages_options *opt);

typedef enum {
    GEMA_CLASS_UNKNOWN = 0,    /* a document has no site (no URL, site field or --site) */
    GEMA_CLASS_SAME_SITE = 1,  /* both documents come from one site: boilerplate or self-reuse */
    GEMA_CLASS_CROSS_SITE = 2  /* different sites: reuse */
} gema_passage_class;

/* Short stable name of a class ("unknown", "same-site", "cross-site").  Static. */
const char *gema_passage_class_name(gema_passage_class cls);

typedef enum {
    GEMA_EARLIER_NONE = 0,     /* undated, or dated alike */
    GEMA_EARLIER_A = 1,
    GEMA_EARLIER_B = 2
} gema_earlier;

typedef struct {
    size_t doc;                /* record index (0 or 1 for gema_align_texts) */
    size_t start, end;         /* span of the text in code points, end exclusive */
    size_t byte_start, byte_end; /* the same span in bytes */
    size_t words;              /* words in the span */
} gema_passage_side;

/*
 * One passage of document a aligned with one of document b.  Spans start at
 * a word and end after a word, taking in punctuation attached to it (an
 * opening quote before, a comma or closing quote after).
 */
typedef struct {
    gema_passage_side a, b;    /* a.doc < b.doc */
    double score;              /* 2 * matched / (a.words + b.words), in [0, 1] */
    size_t matched;            /* words aligned with an identical word */
    gema_passage_class cls;
    gema_earlier earlier;      /* side with the earlier date: the likely source */
    size_t group;              /* its group (gema_passages_group_get); SIZE_MAX from gema_align_texts */
} gema_passage;

typedef struct gema_passages gema_passages;

/* Find reused passages in every record of corpus.  The corpus must not
 * change while this runs.  On success *out holds the result (immutable; any
 * thread may read it); free it with gema_passages_free(). */
int gema_passages_run(const gema_corpus *corpus, const gema_passages_options *opt,
                      gema_passages **out);
void gema_passages_free(gema_passages *p);

/* Passages in ascending (a.doc, b.doc, a.start, b.start) order. */
size_t gema_passages_count(const gema_passages *p);
int gema_passages_get(const gema_passages *p, size_t k, gema_passage *out);

typedef struct {
    size_t doc;                /* record index */
    size_t start, end;         /* code points; the union of overlapping passage spans */
    size_t byte_start, byte_end;
    int64_t time;              /* the document's date, or GEMA_TIME_NONE */
} gema_passage_occurrence;

typedef struct {
    size_t size;               /* occurrences */
    size_t documents;          /* distinct documents among them */
    size_t passages;           /* passage pairs that joined them */
    const gema_passage_occurrence *occ; /* by date (undated last), then record index */
} gema_passage_group;

/* Groups are numbered by first appearance: the earliest date among their
 * occurrences (undated after dated), then the lowest record index.  occ
 * points into p and lives as long as p. */
size_t gema_passages_group_count(const gema_passages *p);
int gema_passages_group_get(const gema_passages *p, size_t k, gema_passage_group *out);

typedef struct {
    gema_reject reject;        /* GEMA_REJECT_NONE for a document */
    size_t passages;           /* passages it takes part in */
} gema_passages_doc;

int gema_passages_doc_info(const gema_passages *p, size_t index, gema_passages_doc *out);

typedef struct {
    uint64_t records;          /* records in the corpus */
    uint64_t documents;        /* usable documents */
    uint64_t rejected;
    uint64_t rejected_by[8];   /* indexed by gema_reject */
    uint64_t invalid_utf8_docs;
    uint64_t bytes;            /* input bytes */
    uint64_t words;            /* tokens in all documents (first shard pass) */
    unsigned shards;
    unsigned window;           /* winnowing window used (options.window, or chosen) */
    uint64_t index_entries;    /* (n-gram, document) entries, over all shards */
    uint64_t index_peak_bytes; /* memory of the largest shard while it was sorted */
    uint64_t ngrams_shared;    /* distinct n-grams in 2..max_df documents */
    uint64_t ngrams_over_df;   /* distinct n-grams in more than max_df documents */
    uint64_t pair_hits;        /* (pair, shared n-gram) hits examined */
    uint64_t candidate_pairs;  /* pairs whose shared n-grams cluster (see gema_passages_run) */
    uint64_t skipped_same_site;/* candidates not aligned because of cross_site_only */
    uint64_t aligned_pairs;    /* candidate pairs with at least one passage */
    uint64_t passages;
    uint64_t groups;
    uint64_t docs_with_passages;
    uint64_t dp_cells;         /* alignment cells computed */
    double seconds_index;      /* read, tokenise, n-grams (all shard passes) */
    double seconds_candidates; /* sort and pair counting */
    double seconds_align;      /* alignment of candidate pairs */
    double seconds_group;      /* groups */
} gema_passages_stats;

void gema_passages_stats_get(const gema_passages *p, gema_passages_stats *out);

/*
 * Aligning two texts directly, for showing reuse to a person.  Passages are
 * found exactly as in a run (the candidate stage aside: the two texts are
 * always aligned).  a and b are valid UTF-8 (GEMA_ERR_FORMAT otherwise);
 * they are copied.  The result is immutable.
 */
typedef struct gema_alignment gema_alignment;

int gema_align_texts(const char *a, size_t alen, const char *b, size_t blen,
                     const gema_passages_options *opt, gema_alignment **out);
void gema_alignment_free(gema_alignment *al);

/* Passages in ascending (a.start, b.start) order; side doc is 0 for a, 1 for b. */
size_t gema_alignment_count(const gema_alignment *al);
int gema_alignment_get(const gema_alignment *al, size_t k, gema_passage *out);

typedef enum {
    GEMA_EDIT_EQUAL = 0,       /* the same words in both */
    GEMA_EDIT_REPLACE = 1,     /* words of a replaced by words of b */
    GEMA_EDIT_DELETE = 2,      /* words only in a */
    GEMA_EDIT_INSERT = 3       /* words only in b */
} gema_edit_kind;

/* One step of a word-level edit script.  Byte ranges are contiguous: the
 * a ranges of a passage's edits, in order, cover its a span exactly (the
 * text between words belongs to the edit before it), and likewise for b.
 * An empty range (start == end) marks where the other side's words go. */
typedef struct {
    gema_edit_kind kind;
    size_t a_start, a_end;     /* bytes of text a */
    size_t b_start, b_end;     /* bytes of text b */
} gema_edit;

/* The edit script of passage k, computed on first request (so this call is
 * not thread-safe) and owned by al. */
int gema_alignment_edits(gema_alignment *al, size_t k, const gema_edit **edits, size_t *n);
/* GEMA-SECTION-END passages */

/* GEMA-SECTION stories: gema stories */
/*
 * Stories group articles about the same event: the four reports of one
 * video call apart from a meeting of the same two leaders a year later,
 * though both share most of their vocabulary.  Independent rewrites of one
 * event share few shingles, so this is not near-duplicate detection.
 *
 * Each article becomes a unit term vector: Snowball stems of its words
 * (stemmer and stop words picked by a per-article language guess), names
 * (capitalised word sequences the article shows to be names) weighted up,
 * numbers and dates, title words counted title_weight times, all weighted
 * by IDF learned from (a sample of) the corpus itself.  Similarities are
 * scaled by local density: an article's density is its cosine similarity to
 * its k-th most similar article (neighbours; at least density_floor), and
 * cos(a, b) is divided by
 * sqrt(density a * density b) (Zelnik-Manor & Perona, NIPS 2004), so a
 * region of many near-identical reports needs more in common than a sparse
 * one.  Articles stream in date order (input order when undated): a window
 * after it arrives (so its density sees both sides), each article joins the
 * live story whose articles it is most similar to on average, after decay
 * by the time since the story's nearest article, if that reaches the
 * threshold; otherwise it opens a story.  A mean over the story's articles
 * is a centroid similarity whose bar rises as the story grows, which keeps
 * big stories from absorbing everything.  With revisit on, every article is
 * looked at once more a window later and moves where it now fits better,
 * and stories whose articles are as similar on average as an article must
 * be to join are merged (when one is about to close, and at the end).
 * Near-duplicate clusters (gema_dedup_run) always end in one story: only
 * their first article is clustered; the others follow it.
 *
 * Memory: per record about 240 bytes (measured on a million articles, where
 * four in five open a story); vectors of the articles of the last three
 * windows, and the live stories' vectors, members and index.  Without
 * dates (or with no decay and window_days 0) the whole corpus is one
 * window, unless window_articles sets one by position in the stream.
 * Stories are kept until gema_stories_free() unless on_story takes each
 * as it closes: a caller that writes them out holds only the live ones.
 */

typedef enum {
    GEMA_STORY_NEW = 0,       /* "new": opened a story */
    GEMA_STORY_JOINED = 1,    /* "joined": joined the most similar live story */
    GEMA_STORY_DUPLICATE = 2, /* "duplicate": near or exact duplicate; follows that article */
    GEMA_STORY_MOVED = 3,     /* "moved": moved to another story by the revisit */
    GEMA_STORY_REJECTED = 4   /* "rejected": not a usable document */
} gema_story_decision;

/* Stable name of a decision ("new", "joined", ...).  Static storage. */
const char *gema_story_decision_name(gema_story_decision d);

typedef struct {
    size_t size;              /* articles, duplicates included */
    const size_t *members;    /* record indices in stream order */
    size_t headline_record;   /* the member the headline comes from */
    const char *headline;     /* its title, else its first line (at most 200 bytes);
                                 NUL-terminated, may be "" */
    int64_t first, last;      /* earliest and latest dated member, or GEMA_TIME_NONE */
    size_t nterms;            /* heaviest words and numbers of the story vector */
    const char *const *terms; /* as written in an article ("president", "6.1") */
    size_t nnames;
    const char *const *names; /* heaviest names ("Xi Jinping", "Kremlin") */
} gema_story;

/* A story passed to gema_stories_options.on_story: numbered 0.. in the
 * order stories become final (close: three windows without a new article,
 * or the end of the input), which depends only on the input and options.
 * Everything st points to lives until the call returns.  Calls come one at
 * a time, in that order, from the calling thread or one of the run's
 * workers.  Return GEMA_OK to go on; any other status stops the run, and
 * gema_stories_run returns it. */
typedef int (*gema_story_fn)(void *user, size_t story, const gema_story *st);

typedef struct {
    double threshold;        /* mean scaled similarity to a story's articles needed to
                                join it (default 0.65; 0..10) */
    unsigned neighbours;     /* k: an article's density is its cosine similarity to its
                                k-th most similar article, and similarities are scaled
                                by 1/sqrt(density of both) (default 5; 0 = plain cosine,
                                where a threshold near 0.2 fits; at most 64) */
    double density_floor;    /* least density an article is given (default 0.25): in a
                                sparse region the rule becomes plain mean cosine >=
                                threshold x floor; lower joins more there */
    double name_weight;      /* weight of the names channel; words are 1 (default 2) */
    double number_weight;    /* numbers and dates (default 1) */
    double title_weight;     /* a title word counts this many times (default 2) */
    unsigned max_terms;      /* terms kept per article vector (default 100) */
    double half_life_days;   /* similarity halves every half_life_days beyond the grace
                                period (default 2; 0 = no decay) */
    double grace_days;       /* no decay within this time of a story's article (default 1) */
    double window_days;      /* decisions wait this long for later articles, revisits as
                                long again; a story not updated for 3 windows closes
                                (default 0 = grace + 3 half-lives; with no decay: the
                                whole input is one window) */
    size_t window_articles;  /* where the dates give no window (no article dated, or
                                no decay and window_days 0): 0 (default) = the whole
                                input is one window; N = the stream's order stands
                                for time, a window is N articles, and memory follows
                                the last 3N articles instead of all of them (for big
                                undated inputs stored in time order) */
    int revisit;             /* 1 (default): revisit every article once and merge
                                stories; 0: one decision per article */
    int dedup;               /* 1 (default): run dedup and keep its clusters together */
    gema_dedup_options dedup_options; /* for dedup; its threads, progress are replaced */
    unsigned idf_sample;     /* articles sampled (evenly) for document frequencies
                                (default 20000; 0 = all) */
    const char *language;    /* NULL: guess per article; or force "en", "id", ... */
    const gema_cleaner *cleaner; /* NULL (default): articles as read; else features,
                                headlines and dedup see the cleaned text (a site's
                                footer otherwise makes its articles alike).  Not
                                owned; must outlive the run */
    unsigned threads;        /* worker threads; 0 = 1 */
    gema_progress_fn progress; /* called from the calling thread; may be NULL */
    void *progress_user;
    gema_story_fn on_story;  /* NULL (default): the result keeps every story, numbered
                                by first article; else each story is passed here
                                as soon as it is final, and none is kept (below) */
    void *on_story_user;
} gema_stories_options;

void gema_stories_options_default(gema_stories_options *opt);

/* Immutable once made: any thread may read it. */
typedef struct gema_stories gema_stories;

/* Group every record of corpus into stories.  The corpus must not change
 * while this runs.  The result does not depend on opt->threads.
 * GEMA_ERR_ARG for an unknown language code or out-of-range option. */
int gema_stories_run(const gema_corpus *corpus, const gema_stories_options *opt,
                     gema_stories **out);
void gema_stories_free(gema_stories *s);

/* Stories are numbered 0.. in stream order of their first article (date,
 * then input order).  Every usable record is in exactly one story.  With
 * on_story set, the result keeps none: the count is 0 (the stats count
 * them), and a record's story (gema_stories_doc_info) is the number it
 * was passed with. */
size_t gema_stories_count(const gema_stories *s);

/* Story k.  Every pointer is owned by s and lives as long as s. */
int gema_stories_get(const gema_stories *s, size_t k, gema_story *out);

typedef struct {
    gema_story_decision decision;
    gema_reject reject;       /* for GEMA_STORY_REJECTED */
    size_t story;             /* SIZE_MAX when rejected */
    double score;             /* what decided: for joined and moved, the (decayed) mean
                                 scaled similarity to the story; for new, the best found, below
                                 the threshold (0 if no candidate); for duplicate, the
                                 dedup similarity to its representative */
    size_t duplicate_of;      /* record a duplicate follows; SIZE_MAX otherwise */
    const char *language;     /* ISO 639-1 code of the guess, "und" if none; static */
} gema_story_doc;

int gema_stories_doc_info(const gema_stories *s, size_t index, gema_story_doc *out);

typedef struct {
    uint64_t records;
    uint64_t articles;        /* usable records */
    uint64_t rejected;
    uint64_t rejected_by[8];  /* indexed by gema_reject */
    uint64_t dated;           /* articles with a parsed date */
    uint64_t window_articles; /* articles per window where the stream was cut by
                                 position (the option window_articles), else 0 */
    uint64_t duplicates;      /* articles that followed a near duplicate */
    uint64_t stories;
    uint64_t singletons;      /* stories of one article */
    uint64_t opened, joined, moved;
    uint64_t revisited;
    uint64_t idf_docs;        /* articles the document frequencies come from */
    uint64_t vocabulary;      /* distinct terms among them */
    uint64_t scored;          /* article-story and story-story similarities computed */
    uint64_t story_postings;  /* story index entries visited */
    uint64_t article_postings;/* article index entries visited (for densities) */
    uint64_t skipped_postings;/* query terms not looked up: in too many live entries */
    uint64_t merged;          /* stories merged into another by the batch step */
    uint64_t peak_live_stories;
    uint64_t peak_pending;    /* most article vectors held at once (decision, revisit,
                                 densities) */
    uint64_t peak_story_bytes;/* most bytes in live story vectors, index and pending vectors */
    uint64_t stem_lookups, stem_misses;
    uint64_t languages[32];   /* articles per language, indexed as gema_stories_language() */
    uint64_t bytes;
    double seconds_dedup, seconds_scan, seconds_cluster, seconds_finish;
} gema_stories_stats;

void gema_stories_stats_get(const gema_stories *s, gema_stories_stats *out);

/* Code of language i of the stats' languages[] ("und", "en", "id", ...), or
 * NULL past the last.  Static storage. */
const char *gema_stories_language(size_t i);

/* Guess the language of a text: an ISO 639-1 code ("en", "id", "ms", "fr",
 * "ru", "zh", ...) or "und".  Static storage; thread-safe. */
const char *gema_language_guess(const char *text, size_t len);
/* GEMA-SECTION-END stories */

#ifdef __cplusplus
}
#endif

#endif /* GEMA_H */
