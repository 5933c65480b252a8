/*
 * test_date.c - dates in the forms crawls carry, to seconds since 1970 UTC.
 * Expected values computed by hand from the calendar (and Python's
 * datetime for the day numbers), zones applied as offsets from UTC
 * (WIB +7, WITA +8, WIT +9).
 */
#include "testutil.h"

#include "date.h"

static void parses(const char *s, int64_t want)
{
    int64_t got = gema_parse_date(s, strlen(s));
    if (got != want) fprintf(stderr, "[%s] -> %lld, want %lld\n", s, (long long)got, (long long)want);
    assert_true(got == want);
}

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_true(gema_days_from_civil(1970, 1, 1) == 0);
    assert_true(gema_days_from_civil(1969, 12, 31) == -1);
    assert_true(gema_days_from_civil(2000, 3, 1) == 11017);
    assert_true(gema_days_from_civil(2024, 2, 29) == 19782);
    assert_true(gema_days_from_civil(1600, 1, 1) == -135140);
    assert_true(gema_days_from_civil(2400, 12, 31) == 157419);
    /* Consecutive days across month, leap and century ends. */
    int64_t prev = gema_days_from_civil(1899, 12, 31);
    static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    for (int64_t y = 1900; y <= 2100; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (unsigned m = 1; m <= 12; m++) {
            unsigned n = mdays[m - 1] + (m == 2 && leap);
            for (unsigned d = 1; d <= n; d++) {
                int64_t v = gema_days_from_civil(y, m, d);
                assert_true(v == prev + 1);
                prev = v;
            }
        }
    }
}

static void test_forms(void **state)
{
    (void)state;
    const int64_t day = 1639612800; /* 2021-12-16 00:00 UTC */
    parses("2021-12-16", day);
    parses("  2021-12-16  ", day);
    parses("2021-12-16 01:02", day + 3720);
    parses("2021-12-16T01:02:03Z", day + 3723);
    parses("2021-12-16T01:02:03.5+07:00", day + 3723 - 7 * 3600);
    parses("2021-12-16T01:02:03-05:30", day + 3723 + 5 * 3600 + 1800);
    parses("2021/12/16 01:02:03", day + 3723);
    parses("Thu, 16 Dec 2021 01:02:03 +0700", day + 3723 - 7 * 3600);
    parses("16 Desember 2021 1:02 WIB", day + 3720 - 7 * 3600);
    parses("16 Des 2021 10:00 WITA", day + 36000 - 8 * 3600);
    parses("16 Mei 2021 10:00 WIT", 1621123200 + 36000 - 9 * 3600);
    parses("16 December 2021", day);
    parses("Senin, 16 Agustus 2021 10:00 GMT", 1629072000 + 36000);
    parses("1 januari 2021", 1609459200);
    parses("2024-02-29", 1709164800);
    parses("1639591320", 1639591320);
    parses("1639591320000", 1639591320);
}

static void test_rejects(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "yesterday", "2021-13-01", "2021-02-30", "2023-02-29", "2021-12-16T25:00",
        "2021-12-16garbage", "16 Foo 2021", "12345", "2021-00-10", "2021-12-32", "--",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) parses(bad[i], GEMA_TIME_NONE);
    /* Length is respected: no reading past it. */
    assert_true(gema_parse_date("2021-12-16", 7) == GEMA_TIME_NONE);
    assert_true(gema_parse_date("2021-12-16XYZ", 10) == 1639612800);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
