/*
 * rewrite.h - replace one field of a JSON object line, keeping every other
 * byte of the line as it was.
 *
 * Re-printing a record with cJSON would reformat numbers (1.0 -> 1), spacing
 * and escapes of fields gema never looked at.  Instead a small scanner finds
 * the byte span of one top-level key's value and only that span is replaced.
 */
#ifndef GEMA_REWRITE_H
#define GEMA_REWRITE_H

#include "common.h"

/* Find the value of the first top-level member named key (compared after
 * decoding escapes in member names, as cJSON does) in the JSON object
 * s[0..len).  On success *vstart and *vend delimit the value's bytes (quotes
 * included for a string).  GEMA_ERR_RANGE if the object has no such member,
 * GEMA_ERR_FORMAT if s is not a well-formed object as far as the scan went. */
GEMA_INTERNAL int gema_json_find_member(const char *s, size_t len, const char *key,
                                        size_t *vstart, size_t *vend);

/* Append s[0..len) to out as a JSON string literal, quotes included, escaped
 * exactly as gema_out_json_string() does. */
GEMA_INTERNAL int gema_json_escape(gema_buf *out, const char *s, size_t len);

/* Append to out the object line with the value of member key replaced by the
 * JSON string text[0..tlen).  Errors as gema_json_find_member(). */
GEMA_INTERNAL int gema_json_replace_string(const char *line, size_t len, const char *key,
                                           const char *text, size_t tlen, gema_buf *out);

/* Append to out the line with its bytes [v0, v1) replaced by the JSON string
 * text[0..tlen): gema_json_replace_string() for a caller that knows the span. */
GEMA_INTERNAL int gema_json_replace_span(const char *line, size_t len, size_t v0, size_t v1,
                                         const char *text, size_t tlen, gema_buf *out);

#endif
