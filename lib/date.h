/*
 * date.h - dates of documents as seconds since 1970 UTC.
 */
#ifndef GEMA_DATE_H
#define GEMA_DATE_H

#include "common.h"

/*
 * Parse the date forms crawls carry:
 *   ISO 8601 / RFC 3339   2021-12-16, 2021-12-16T01:02:03.5+07:00, "2021-12-16 01:02"
 *   slashes               2021/12/16 [01:02[:03]]
 *   RFC 2822              Thu, 16 Dec 2021 01:02:03 +0700
 *   day month year        16 Desember 2021 1:02 WIB, 16 December 2021 (Indonesian
 *                         and English month names; WIB, WITA, WIT, GMT, UTC zones)
 *   Unix time             1639591320 (seconds) or 1639591320000 (milliseconds)
 * Returns GEMA_TIME_NONE for anything else.  A date without a zone is read as UTC.
 */
GEMA_INTERNAL int64_t gema_parse_date(const char *s, size_t len);

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil algorithm). */
GEMA_INTERNAL int64_t gema_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
