/*
 * mojibake.h - repair of UTF-8 text that was read through a single-byte code
 * page and saved again as UTF-8 ("Â©" or "ยฉ" for "©", "â€œ" for "“").
 *
 * The code pages tried are windows-1252, ISO-8859-1, cp874 (a superset of
 * TIS-620), windows-1251, windows-1250 and windows-1257, each "sloppy": a
 * byte the page leaves undefined is taken to have been read as the code point
 * of the same value (U+0081 for 0x81), as browsers and Python's latin-1 do.
 * A span is repaired only when the repaired text is less odd than the broken
 * one in its context (see mojibake.c); correct text in any script passes
 * through unchanged.
 */
#ifndef GEMA_MOJIBAKE_H
#define GEMA_MOJIBAKE_H

#include "common.h"

/* One repaired span.  Byte offsets: start/end into the input text, out_start/
 * out_end into the bytes the same gema_mojibake_fix() call appended.  Spans
 * come in increasing order and do not overlap; text outside them is copied
 * unchanged, so an offset between spans maps by a constant shift. */
typedef struct {
    size_t start, end;           /* byte span in the input text */
    size_t out_start, out_end;   /* byte span of the replacement in the output */
    const char *codepage;        /* static name: "cp874", "windows-1252", "latin-1", ... */
    unsigned layers;             /* times the text had been through a code page (1, or
                                    2-3 for double encoding; codepage names the last) */
} gema_repair;

/* The byte <-> code point tables of every page, built with iconv.  Immutable
 * after gema_mojibake_new(): any number of threads may share one. */
typedef struct gema_mojibake gema_mojibake;

/* GEMA_ERR_ENCODING if iconv lacks one of the code pages. */
GEMA_INTERNAL int gema_mojibake_new(gema_mojibake **out);
GEMA_INTERNAL void gema_mojibake_free(gema_mojibake *m);

/*
 * Repair UTF-8 s[0..len) and append the result to out.  If repairs is not
 * NULL, each repaired span is appended to *repairs / *nrepairs (an array
 * grown with realloc, owned by the caller, who frees it; *nrepairs is the
 * number of entries in use on entry).  Text without mojibake is copied
 * unchanged.  Bytes that are not valid UTF-8 are copied unchanged and are
 * never part of a repair.  Linear time and memory in len.
 */
GEMA_INTERNAL int gema_mojibake_fix(const gema_mojibake *m, const char *s, size_t len,
                                    gema_buf *out, gema_repair **repairs, size_t *nrepairs);

/* Fast check: 0 when s certainly contains no mojibake candidate (two
 * neighbouring characters that would form a UTF-8 sequence through one of
 * the code pages), so callers may skip the copy.  Pure ASCII costs about a
 * memchr. */
GEMA_INTERNAL int gema_mojibake_suspect(const gema_mojibake *m, const char *s, size_t len);

/* Code pages, for tests and benchmarks: the number, their static names, and
 * the bytes <-> code point map of page p (code point of byte b, 0 for a byte
 * the page leaves undefined). */
#define GEMA_MOJIBAKE_PAGES 6
GEMA_INTERNAL const char *gema_mojibake_page_name(unsigned p);
GEMA_INTERNAL uint32_t gema_mojibake_page_char(const gema_mojibake *m, unsigned p, unsigned char b);

#endif
