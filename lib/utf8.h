/*
 * utf8.h - UTF-8 validation, repair, decoding and code point counting.
 *
 * Every text that enters the pipeline passes through gema_utf8_repair()
 * once, so later stages may assume valid UTF-8 without a NUL inside.
 */
#ifndef GEMA_UTF8_H
#define GEMA_UTF8_H

#include "common.h"

/* 1 if s[0..len) is valid UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF) containing no NUL byte; 0 otherwise. */
GEMA_INTERNAL int gema_utf8_valid(const char *s, size_t len);

/* Append s to out with every invalid sequence (its maximal subpart, as the
 * Unicode standard recommends) and every NUL replaced by U+FFFD.  *replaced
 * receives the number of input bytes replaced. */
GEMA_INTERNAL int gema_utf8_repair(const char *s, size_t len, gema_buf *out,
                                   size_t *replaced);

/* Decode one code point from valid UTF-8 at s (len > 0).  Returns the bytes
 * used.  On invalid input returns 1 and sets *cp to U+FFFD. */
GEMA_INTERNAL size_t gema_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);

/* Encode cp (a valid scalar value) into out; returns the bytes written (1-4). */
GEMA_INTERNAL size_t gema_utf8_encode(int32_t cp, char out[4]);

/* Code points in valid UTF-8 s[0..len). */
GEMA_INTERNAL size_t gema_utf8_count(const char *s, size_t len);

#endif
