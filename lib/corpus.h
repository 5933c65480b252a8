/*
 * corpus.h - the corpus layout shared by corpus.c (loading) and reader.c
 * (parsing records).  Nothing outside the read stage looks inside.
 */
#ifndef GEMA_CORPUS_H
#define GEMA_CORPUS_H

#include "common.h"

typedef struct {
    char *name;        /* path as given, or as found under a directory */
    char *rel;         /* id of a plain-text document: path relative to the root given */
    char *site;        /* site of plain-text documents: first directory under the root */
    char *data;        /* whole (decompressed) content */
    size_t len;
    int mapped;        /* data is an mmap() of the file, else malloc()ed */
    gema_format format;
} gema_file;

typedef struct {
    uint64_t offset;   /* byte offset of the record in its file */
    uint64_t len;      /* bytes, without line terminator */
    uint32_t file;
    uint32_t line;
} gema_record;

struct gema_corpus {
    gema_corpus_options opt;   /* strings point into owned copies below */
    char *owned[7];
    gema_file *files;
    size_t nfiles, files_cap;
    gema_record *recs;
    size_t nrecs, recs_cap;
    uint64_t bytes;
    size_t blank_lines;
    char errmsg[512];
};

/* The byte span, quotes included, of the text member's value in the JSONL
 * record r read last, when json_fast.c's scanner read it (the span is then
 * that of the first member of the name, the one the text came from), so
 * that a writer can replace the value without scanning the record again.
 * GEMA_ERR_RANGE when there is none. */
GEMA_INTERNAL int gema_reader_text_span(const gema_reader *r, size_t *v0, size_t *v1);

/* Tests: on = 0 reads every record with cJSON, as before the scanner. */
GEMA_INTERNAL void gema_reader_use_fast(gema_reader *r, int on);

#endif
