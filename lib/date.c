/*
 * date.c - a small, strict date parser.
 *
 * Strict on purpose: a date that parses wrongly would silently reorder
 * "earliest" keep decisions and story timelines, while an unparsed date only
 * sorts the document last.
 */
#include "date.h"

#include <ctype.h>

int64_t gema_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3u : 9u)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

typedef struct {
    const char *s;
    size_t i, n;
} cursor;

static int peek(const cursor *c) { return c->i < c->n ? (unsigned char)c->s[c->i] : -1; }

static int digits(cursor *c, int min, int max, int64_t *out)
{
    int64_t v = 0;
    int k = 0;
    while (k < max && c->i < c->n && isdigit((unsigned char)c->s[c->i])) {
        v = v * 10 + (c->s[c->i] - '0');
        c->i++;
        k++;
    }
    if (k < min) return 0;
    *out = v;
    return 1;
}

static void spaces(cursor *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == ','))
        c->i++;
}

static const char *const months[][12] = {
    { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" },
    { "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
      "oktober", "november", "desember" },
    { "january", "february", "march", "april", "may", "june", "july", "august", "september",
      "october", "november", "december" },
    { "jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des" },
};

static int month_name(cursor *c, unsigned *m)
{
    char w[16];
    size_t k = 0;
    while (c->i < c->n && isalpha((unsigned char)c->s[c->i])) {
        if (k + 1 < sizeof w) w[k++] = (char)tolower((unsigned char)c->s[c->i]);
        c->i++;
    }
    w[k] = '\0';
    if (k > 0 && w[k - 1] == '.') w[--k] = '\0';
    for (size_t t = 0; t < sizeof months / sizeof months[0]; t++)
        for (unsigned j = 0; j < 12; j++)
            if (strcmp(w, months[t][j]) == 0) {
                *m = j + 1;
                return 1;
            }
    return 0;
}

/* [T or space] HH:MM[:SS[.frac]] */
static int clock_time(cursor *c, int64_t *secs)
{
    int64_t hh, mm, ss = 0;
    if (!digits(c, 1, 2, &hh) || peek(c) != ':') return 0;
    c->i++;
    if (!digits(c, 2, 2, &mm)) return 0;
    if (peek(c) == ':') {
        c->i++;
        if (!digits(c, 2, 2, &ss)) return 0;
        if (peek(c) == '.' || peek(c) == ',') {
            c->i++;
            int64_t frac;
            if (!digits(c, 1, 9, &frac)) return 0;
        }
    }
    if (hh > 24 || mm > 59 || ss > 60) return 0;
    *secs = hh * 3600 + mm * 60 + ss;
    return 1;
}

/* Z, +HH:MM, +HHMM, +HH, or a zone name; returns the offset east of UTC. */
static int zone(cursor *c, int64_t *off)
{
    *off = 0;
    spaces(c);
    int ch = peek(c);
    if (ch == -1) return 1;
    if (ch == 'Z' || ch == 'z') {
        c->i++;
        return 1;
    }
    if (ch == '+' || ch == '-') {
        c->i++;
        int64_t hh, mm = 0;
        if (!digits(c, 2, 2, &hh)) return 0;
        if (peek(c) == ':') c->i++;
        if (peek(c) != -1 && isdigit(peek(c)) && !digits(c, 2, 2, &mm)) return 0;
        if (hh > 14 || mm > 59) return 0;
        *off = (ch == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        return 1;
    }
    static const struct { const char *name; int hours; } names[] = {
        { "UTC", 0 }, { "GMT", 0 }, { "UT", 0 }, { "WIB", 7 }, { "WITA", 8 }, { "WIT", 9 },
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t l = strlen(names[k].name);
        if (c->n - c->i >= l && strncmp(c->s + c->i, names[k].name, l) == 0 &&
            (c->i + l == c->n || !isalpha((unsigned char)c->s[c->i + l]))) {
            c->i += l;
            *off = names[k].hours * 3600;
            return 1;
        }
    }
    return 0;
}

static int valid_date(int64_t y, int64_t m, int64_t d)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return 1;
}

static int64_t finish(cursor *c, int64_t y, int64_t m, int64_t d)
{
    if (!valid_date(y, m, d)) return GEMA_TIME_NONE;
    int64_t secs = 0, off = 0;
    spaces(c);
    if (peek(c) == 'T' || peek(c) == 't') c->i++;
    spaces(c);
    if (c->i < c->n) {
        if (!clock_time(c, &secs)) return GEMA_TIME_NONE;
        if (!zone(c, &off)) return GEMA_TIME_NONE;
    }
    spaces(c);
    if (c->i != c->n) return GEMA_TIME_NONE;
    return gema_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + secs - off;
}

int64_t gema_parse_date(const char *s, size_t len)
{
    cursor c = { s, 0, len };
    while (c.n > 0 && isspace((unsigned char)s[c.n - 1])) c.n--;
    while (c.i < c.n && isspace((unsigned char)s[c.i])) c.i++;
    if (c.i == c.n) return GEMA_TIME_NONE;

    /* Unix time: all digits, 9 to 13 of them. */
    size_t k = c.i;
    while (k < c.n && isdigit((unsigned char)s[k])) k++;
    if (k == c.n && k - c.i >= 9 && k - c.i <= 13) {
        size_t ndig = k - c.i;
        int64_t v = 0;
        digits(&c, 9, 13, &v);
        return ndig >= 12 ? v / 1000 : v;
    }

    /* Optional weekday name ("Thu,"). */
    if (isalpha(peek(&c))) {
        while (c.i < c.n && isalpha((unsigned char)s[c.i])) c.i++;
        spaces(&c);
    }
    cursor save = c;
    int64_t a, m, d;
    if (digits(&c, 4, 4, &a) && (peek(&c) == '-' || peek(&c) == '/')) {
        int sep = peek(&c);
        c.i++;
        if (!digits(&c, 1, 2, &m) || peek(&c) != sep) return GEMA_TIME_NONE;
        c.i++;
        if (!digits(&c, 1, 2, &d)) return GEMA_TIME_NONE;
        return finish(&c, a, m, d);
    }
    c = save;
    /* day month-name year */
    unsigned mon;
    if (digits(&c, 1, 2, &d)) {
        spaces(&c);
        if (!month_name(&c, &mon)) return GEMA_TIME_NONE;
        spaces(&c);
        if (!digits(&c, 4, 4, &a)) return GEMA_TIME_NONE;
        return finish(&c, a, mon, d);
    }
    return GEMA_TIME_NONE;
}
