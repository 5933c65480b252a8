/*
 * clean.h - the clean stage's objects, shared by clean.c (learning and
 * applying) and clean_run.c (a whole corpus in input order).
 */
#ifndef GEMA_CLEAN_H
#define GEMA_CLEAN_H

#include "common.h"
#include "furniture.h"

/* Encoding repair lives in mojibake.c; until it is part of the build the
 * cleaner passes text through unrepaired. */
#if defined(__has_include)
#if __has_include("mojibake.h")
#include "mojibake.h"
#define GEMA_HAVE_MOJIBAKE 1
#endif
#endif
#ifndef GEMA_HAVE_MOJIBAKE
typedef struct {
    size_t start, end;
    size_t out_start, out_end;
    const char *codepage;
} gema_repair;
#endif

struct gema_cleaner {
    gema_clean_options opt;
    gema_furniture_model model;
    void *mojibake;            /* gema_mojibake *, or NULL when repair is off */
    gema_cleaner_info info;
};

typedef struct {
    size_t line;               /* index in gema_lines */
    size_t start, end;         /* code points in the original */
} gema_removal_pos;

typedef struct {
    size_t out, work, len;     /* a kept run: bytes of the cleaned text and of the work text */
} gema_kept_run;

struct gema_cleaned {
    size_t index;
    gema_reject reject;
    int changed;
    int rewrite_failed;        /* clean_run could not find the text member to replace */
    gema_buf id;
    gema_lines ls;
    gema_buf work;             /* the text after repair: what the rules saw */
    gema_buf out;              /* the cleaned text, when lines were removed */
    const char *text;          /* work.data or out.data */
    size_t text_len;
    size_t nonblank;           /* non-blank lines */
    gema_repair *repairs;
    size_t nrepairs;
    size_t *repair_cp;         /* 2 per repair: code point span in the original */
    gema_buf repair_text;      /* broken and repaired text of each repair, back to back */
    size_t *repair_from;       /* 2 per repair: offsets of its broken and repaired text */
    gema_removal_pos *removed;
    size_t nremoved, removed_cap;
    gema_kept_run *runs;
    size_t nruns, runs_cap;
    const char *record;        /* output record (clean_run) */
    size_t record_len;
    gema_buf record_buf;
};

/* Clean text[0..len) of a document of `site` (site_hash 0 = no site) into r;
 * the part of gema_cleaner_apply after the id and reject are set. */
GEMA_INTERNAL int gema_clean_text(const gema_cleaner *c, uint64_t site_hash, const char *text,
                                  size_t len, gema_cleaned *r);

/* The text a later stage (dedup, passages, stories) reads of doc: its own
 * when c is NULL or doc is rejected, else its cleaned form, held in r until
 * r is used again. */
GEMA_INTERNAL int gema_clean_view(const gema_cleaner *c, const gema_doc *doc, gema_cleaned *r,
                                  const char **text, size_t *len);

/* The hash a site name is learned under; 0 for no site. */
GEMA_INTERNAL uint64_t gema_site_hash(const char *site, size_t len);

/* Repair text (when c repairs) into buf; the spans go to repairs and n.
 * Returns GEMA_OK with buf holding the text either way. */
GEMA_INTERNAL int gema_clean_fix_encoding(const gema_cleaner *c, const char *text, size_t len,
                                    gema_buf *buf, gema_repair **repairs, size_t *n);

#endif
