/*
 * testutil.h - what every unit test includes: cmocka and a few helpers.
 */
#ifndef GEMA_TESTUTIL_H
#define GEMA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gema.h"

/* A growing string for building test corpora; test_add appends printf-style. */
typedef struct {
    char *s;
    size_t len, cap;
} test_buf;

static inline void test_add(test_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[8192];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof tmp);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->len, tmp, (size_t)n + 1);
    b->len += (size_t)n;
}

/* Path of a file under tests/data, for tests run from the repository root. */
#define TEST_DATA(name) ("tests/data/" name)

#endif
