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

#endif
