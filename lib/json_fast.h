/*
 * json_fast.h - read the few members the reader needs from one JSONL record
 * without building a tree.
 *
 * cJSON builds a node and a copy for every member of a record, then the
 * reader looks at two to six of them.  The scanner here walks the record
 * once, checks its grammar, and only notes where the wanted string members
 * lie; the reader decodes those alone.
 *
 * It answers only when it is sure.  A record is accepted only when cJSON, as
 * the reader calls it, would accept it too and give the same strings for the
 * members asked for.  Anything unusual is refused with GEMA_ERR_FORMAT and
 * the reader parses the record with cJSON as before, so rejects, their
 * reasons and every odd case behave exactly as they did: malformed JSON, a
 * record that is not an object, a wanted member that is not a string (or
 * absent, for the one the caller requires), NUL bytes and \u0000 (cJSON's
 * strings stop there), escapes cJSON reads differently from JSON (\u with
 * bad hex digits), escaped member names, numbers cJSON does not read whole,
 * nesting deeper than GEMA_JF_MAX_DEPTH.
 */
#ifndef GEMA_JSON_FAST_H
#define GEMA_JSON_FAST_H

#include "common.h"

#define GEMA_JF_MAX_DEPTH 64

typedef struct {
    const char *name;   /* in: the member's name; NULL asks for nothing */
    gema_buf *out;      /* in: when not NULL, receives the decoded string as it is scanned */
    size_t v0, v1;      /* out: the string value's bytes, quotes included; v1 == 0 when absent */
    int escaped;        /* out: the string holds a backslash escape */
    int ascii;          /* out: no byte of it is above 0x7F, so that (NULs and \u0000
                           being refused, and \u escapes decoding to valid UTF-8) the
                           decoded string is valid UTF-8 without a NUL; 0 says nothing */
} gema_jf_member;

/* Scan the object s[0..len) (a byte-order mark and white space around it
 * allowed, as the reader allows them) and fill m[0..nm) with the first
 * top-level member of each name, as cJSON_GetObjectItemCaseSensitive finds
 * it, decoding it into m[k].out when that is set (decoding while scanning
 * reads the text once instead of twice; an absent member leaves out empty).
 * GEMA_OK when the record is accepted (absent members have v1 == 0);
 * GEMA_ERR_FORMAT when the caller must use cJSON instead (the contents of
 * the out buffers are then meaningless); GEMA_ERR_NOMEM.  Never reads
 * outside s[0..len). */
GEMA_INTERNAL int gema_jf_scan(const char *s, size_t len, gema_jf_member *m, size_t nm);

/* Replace out's content with the decoded value of a string member found by
 * gema_jf_scan() in the same s.  out ends up NUL-terminated, also when the
 * string is empty. */
GEMA_INTERNAL int gema_jf_decode(const char *s, const gema_jf_member *m, gema_buf *out);

#endif
