/*
 * test_write.c - gema_out's JSON formatting against the snprintf and
 * per-byte formatting it replaced: every byte value escaped, in strings
 * short enough to be escaped straight into the buffer and long enough not
 * to be, across buffer flushes; integers and times at their edges.
 */
#include "testutil.h"

#include <inttypes.h>
#include <unistd.h>

/* ---- the formatting before the table and the hand-written digits ---- */

static void ref_puts(test_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void ref_string(test_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    ref_puts(b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
                u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
                esc = u;
            }
        }
        if (esc) ref_puts(b, esc, strlen(esc));
        else ref_puts(b, (const char *)&c, 1);
    }
    ref_puts(b, "\"", 1);
}

static void ref_u64(test_buf *b, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    ref_puts(b, tmp, (size_t)n);
}

/* cli/cmd_stories.c's put_time as it was. */
static void ref_time(test_buf *b, int64_t t)
{
    if (t == GEMA_TIME_NONE) {
        ref_puts(b, "null", 4);
        return;
    }
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y++;
    char s[128];
    int n = snprintf(s, sizeof s, "\"%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ\"", (long long)y,
                     (long long)m, (long long)d, (long long)(secs / 3600),
                     (long long)(secs / 60 % 60), (long long)(secs % 60));
    ref_puts(b, s, (size_t)n);
}

/* ---- an output file and what ended up in it ---- */

typedef struct {
    char dir[64], path[96];
    gema_out *o;
} sink;

static void sink_open(sink *k)
{
    strcpy(k->dir, "/tmp/gema-test-write-XXXXXX");
    assert_non_null(mkdtemp(k->dir));
    snprintf(k->path, sizeof k->path, "%s/out", k->dir);
    assert_int_equal(gema_out_open(k->path, &k->o), GEMA_OK);
}

/* Commit, compare with want, remove. */
static void sink_check(sink *k, const test_buf *want)
{
    assert_int_equal(gema_out_commit(k->o), GEMA_OK);
    FILE *f = fopen(k->path, "rb");
    assert_non_null(f);
    char *got = malloc(want->len + 2);
    assert_non_null(got);
    size_t n = fread(got, 1, want->len + 1, f);
    fclose(f);
    assert_int_equal(n, want->len);
    if (n) assert_memory_equal(got, want->s, n);
    free(got);
    unlink(k->path);
    rmdir(k->dir);
}

static uint64_t rng(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Each byte value alone, between others, and every pair of byte values. */
static void test_every_byte(void **state)
{
    (void)state;
    sink k;
    sink_open(&k);
    test_buf want = { 0 };
    for (int c = 0; c < 256; c++) {
        char s[3] = { 'a', (char)c, 'z' };
        gema_out_json_string(k.o, s + 1, 1);
        ref_string(&want, s + 1, 1);
        gema_out_json_string(k.o, s, 3);
        ref_string(&want, s, 3);
    }
    for (int c = 0; c < 256; c++) {
        char s[512];
        for (int d = 0; d < 256; d++) {
            s[2 * d] = (char)c;
            s[2 * d + 1] = (char)d;
        }
        gema_out_json_string(k.o, s, sizeof s);
        ref_string(&want, s, sizeof s);
    }
    gema_out_json_string(k.o, "", 0);
    ref_string(&want, "", 0);
    sink_check(&k, &want);
    free(want.s);
}

/* Strings of every length around the limit of the in-buffer path, and far
 * past it, made of runs of plain bytes, escapes and UTF-8, written after
 * fill of every size so that flushes fall everywhere. */
static void test_lengths_and_flushes(void **state)
{
    (void)state;
    sink k;
    sink_open(&k);
    test_buf want = { 0 };
    uint64_t x = 0x9E3779B97F4A7C15u;
    size_t cap = 200000;
    char *s = malloc(cap);
    assert_non_null(s);
    static const char pool[] = "plain words \"quoted\" back\\slash \n\t\r\b\f \x01\x1f\x7f "
                               "caf\xC3\xA9 \xE2\x80\x9C\xF0\x9F\x98\x80";
    size_t lens[] = { 0, 1, 2, 15, 16, 17, 1000, 10921, 10922, 10923, 10924, 16384,
                      65533, 65534, 65535, 65536, 65537, 150000, 199999 };
    for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
        for (int variant = 0; variant < 6; variant++) {
            size_t len = lens[li];
            for (size_t i = 0; i < len; i++) {
                switch (variant) {
                case 0: s[i] = (char)('a' + i % 26); break;            /* nothing to escape */
                case 1: s[i] = '"'; break;                             /* all short escapes */
                case 2: s[i] = (char)(rng(&x) % 0x20); break;          /* all controls */
                default: s[i] = pool[rng(&x) % (sizeof pool - 1)]; break;
                }
            }
            /* Filler of a varying size first, so the string starts at
             * many offsets of the buffer. */
            size_t fill = (size_t)(rng(&x) % 70000);
            char *f = malloc(fill + 1);
            assert_non_null(f);
            memset(f, '.', fill);
            gema_out_write(k.o, f, fill);
            ref_puts(&want, f, fill);
            free(f);
            gema_out_json_string(k.o, s, len);
            ref_string(&want, s, len);
            gema_out_puts(k.o, "\n");
            ref_puts(&want, "\n", 1);
        }
    }
    /* Many short strings in a row: the buffer fills and flushes while
     * escaping straight into it. */
    for (int r = 0; r < 40000; r++) {
        size_t len = (size_t)(rng(&x) % 40);
        for (size_t i = 0; i < len; i++) s[i] = pool[rng(&x) % (sizeof pool - 1)];
        gema_out_json_string(k.o, s, len);
        ref_string(&want, s, len);
    }
    sink_check(&k, &want);
    free(s);
    free(want.s);
}

static void test_integers(void **state)
{
    (void)state;
    sink k;
    sink_open(&k);
    test_buf want = { 0 };
    uint64_t edge[] = { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 65536, 4294967295u,
                        4294967296u, 9999999999999999999u, 10000000000000000000u,
                        (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1, UINT64_MAX - 1, UINT64_MAX };
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        gema_out_json_u64(k.o, edge[i]);
        ref_u64(&want, edge[i]);
        gema_out_puts(k.o, ",");
        ref_puts(&want, ",", 1);
    }
    uint64_t p = 1;
    for (int e = 0; e < 20; e++, p *= 10) {
        uint64_t v[] = { p - 1, p, p + 1 };
        for (int j = 0; j < 3; j++) {
            gema_out_json_u64(k.o, v[j]);
            ref_u64(&want, v[j]);
            gema_out_puts(k.o, " ");
            ref_puts(&want, " ", 1);
        }
    }
    uint64_t x = 12345;
    for (int r = 0; r < 100000; r++) {
        uint64_t v = rng(&x) >> (rng(&x) % 64);
        gema_out_json_u64(k.o, v);
        ref_u64(&want, v);
        gema_out_puts(k.o, " ");
        ref_puts(&want, " ", 1);
    }
    sink_check(&k, &want);
    free(want.s);
}

/* Times around 1970, leap days, centuries, years before 1000 and after
 * 9999 and below zero, and the ends of int64 (the calendar arithmetic
 * overflows within a day of INT64_MIN, before as now; GEMA_TIME_NONE is
 * INT64_MIN itself). */
static void test_times(void **state)
{
    (void)state;
    sink k;
    sink_open(&k);
    test_buf want = { 0 };
    int64_t edge[] = { GEMA_TIME_NONE, 0, 1, -1, 59, 60, 3599, 3600, 86399, 86400, 86401,
                       -86399, -86400, -86401, 951782400, 951868800, 1639526400, 1639548120,
                       4102444800, 253402300799, 253402300800, -62135596800, -62135596801,
                       -62167219200, -62167219201, -62198755200, -65000000000, -1000000000000,
                       1000000000000, INT64_MAX, INT64_MAX - 1, INT64_MIN + 86400,
                       INT64_MIN + 86401, INT64_MIN / 2, INT64_MAX / 2 };
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        gema_out_json_time(k.o, edge[i]);
        ref_time(&want, edge[i]);
        gema_out_puts(k.o, "\n");
        ref_puts(&want, "\n", 1);
    }
    uint64_t x = 777;
    for (int r = 0; r < 200000; r++) {
        /* Mostly dates a crawl holds, then any int64 a day clear of INT64_MIN. */
        int64_t t = r < 100000 ? (int64_t)(rng(&x) % 8000000000u) - 4000000000
                               : (int64_t)(rng(&x) >> (rng(&x) % 64));
        if (t < INT64_MIN + 86400) t = INT64_MIN + 86400;
        if (r >= 150000) t = -t;
        gema_out_json_time(k.o, t);
        ref_time(&want, t);
    }
    sink_check(&k, &want);
    free(want.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_lengths_and_flushes),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
