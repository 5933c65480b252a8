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

/* Path of a file under tests/data, for tests run from the repository root. */
#define TEST_DATA(name) ("tests/data/" name)

#endif
