/*
 * write.c - the write stage: buffered output renamed into place when done.
 *
 * The temporary file lives next to the target so rename() is atomic on the
 * same file system.  Data is fsync()ed before the rename: otherwise a power
 * cut shortly after could leave a complete-looking name over empty blocks.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

struct gema_out {
    int fd;
    int is_stdout;     /* written in place: stdout, a device or a pipe */
    int err;           /* first error, sticky */
    char *path, *tmp;
    char buf[1 << 16];
    size_t len;
};

/* The descriptor a path names when it names one: /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N; -1 otherwise.  These are written through a
 * duplicate of the descriptor, sharing its offset: reopening them would
 * start a redirected file over from its beginning, and renaming over them
 * would replace the file the shell's later writes go to (or, when that file
 * is gone, the /dev/stdout link itself). */
static int descriptor_of(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0) return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0) return STDERR_FILENO;
    const char *n = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0) n = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0) n = path + 14;
    if (!n || *n < '0' || *n > '9') return -1;
    long fd = 0;
    for (; *n >= '0' && *n <= '9' && fd < 1 << 20; n++) fd = fd * 10 + (*n - '0');
    return *n ? -1 : (int)fd;
}

int gema_out_open(const char *path, gema_out **out)
{
    if (!out) return GEMA_ERR_ARG;
    gema_out *o = calloc(1, sizeof *o);
    if (!o) return GEMA_ERR_NOMEM;
    if (!path || strcmp(path, "-") == 0) {
        o->fd = STDOUT_FILENO;
        o->is_stdout = 1;
        *out = o;
        return GEMA_OK;
    }
    int fd = descriptor_of(path);
    if (fd >= 0) {
        o->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (o->fd < 0) {
            free(o);
            return GEMA_ERR_IO;
        }
        o->is_stdout = 1;
        *out = o;
        return GEMA_OK;
    }
    /* Devices and pipes (/dev/null, a named pipe), and anything under /dev
     * or /proc, are written in place: renaming a file over them would
     * replace the device node. */
    struct stat st;
    int exists = stat(path, &st) == 0;
    if ((exists && !S_ISREG(st.st_mode)) || strncmp(path, "/dev/", 5) == 0 ||
        strncmp(path, "/proc/", 6) == 0) {
        o->fd = open(path, O_WRONLY | O_CLOEXEC);
        if (o->fd < 0) {
            free(o);
            return GEMA_ERR_IO;
        }
        o->is_stdout = 1;
        *out = o;
        return GEMA_OK;
    }
    /* Through a symbolic link, replace the file it points to, not the link. */
    char real[PATH_MAX];
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && realpath(path, real)) path = real;
    size_t n = strlen(path);
    o->path = malloc(n + 1);
    o->tmp = malloc(n + 32);
    if (!o->path || !o->tmp) {
        free(o->path);
        free(o->tmp);
        free(o);
        return GEMA_ERR_NOMEM;
    }
    memcpy(o->path, path, n + 1);
    snprintf(o->tmp, n + 32, "%s.tmp-%ld", path, (long)getpid());
    o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o->fd < 0) {
        free(o->path);
        free(o->tmp);
        free(o);
        return GEMA_ERR_IO;
    }
    *out = o;
    return GEMA_OK;
}

static void flush(gema_out *o)
{
    size_t off = 0;
    while (off < o->len && !o->err) {
        ssize_t w = write(o->fd, o->buf + off, o->len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            o->err = GEMA_ERR_IO;
            break;
        }
        off += (size_t)w;
    }
    o->len = 0;
}

int gema_out_write(gema_out *o, const void *data, size_t len)
{
    if (o->err) return o->err;
    if (len > sizeof o->buf - o->len) {
        flush(o);
        if (len >= sizeof o->buf) {
            const char *p = data;
            while (len && !o->err) {
                ssize_t w = write(o->fd, p, len);
                if (w < 0) {
                    if (errno == EINTR) continue;
                    o->err = GEMA_ERR_IO;
                    break;
                }
                p += w;
                len -= (size_t)w;
            }
            return o->err;
        }
    }
    memcpy(o->buf + o->len, data, len);
    o->len += len;
    return GEMA_OK;
}

int gema_out_puts(gema_out *o, const char *s)
{
    return gema_out_write(o, s, strlen(s));
}

/*
 * JSON string escaping.  What each byte becomes: 0 for itself, else the
 * letter after the backslash ('u' for \u00XX).  The control characters
 * with a short escape get it, the others and DEL get \u00XX; bytes above
 * 0x7F are copied (the strings are valid UTF-8 already).
 */
#define U_ 'u'
static const unsigned char escape_of[256] = {
    U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  'b', 't', 'n', U_,  'f', 'r', U_,  U_,
    U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,  U_,
    0,   0,   '"', 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    ['\\'] = '\\', [0x7F] = U_,
};
#undef U_

/* Write the escape of byte c (escape_of[c] != 0) at p; returns its end. */
static char *put_escape(char *p, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char e = escape_of[c];
    p[0] = '\\';
    p[1] = (char)e;
    if (e != 'u') return p + 2;
    p[2] = '0';
    p[3] = '0';
    p[4] = hex[c >> 4];
    p[5] = hex[c & 15];
    return p + 6;
}

int gema_out_json_string(gema_out *o, const char *s, size_t len)
{
    if (o->err) return o->err;
    const unsigned char *u = (const unsigned char *)s;
    /* A string whose every byte could take six fits the buffer (after a
     * flush if need be): escape it straight into the buffer.  Ids, names
     * and dates, most of what is written, go this way. */
    if (len <= (sizeof o->buf - 2) / 6) {
        if (6 * len + 2 > sizeof o->buf - o->len) {
            flush(o);
            if (o->err) return o->err;
        }
        char *p = o->buf + o->len;
        *p++ = '"';
        for (size_t i = 0; i < len; i++) {
            unsigned char c = u[i];
            if (escape_of[c]) p = put_escape(p, c);
            else *p++ = (char)c;
        }
        *p++ = '"';
        o->len = (size_t)(p - o->buf);
        return GEMA_OK;
    }
    /* Longer: unescaped runs are copied whole. */
    gema_out_write(o, "\"", 1);
    size_t i = 0;
    while (i < len) {
        size_t from = i;
        while (i < len && !escape_of[u[i]]) i++;
        if (i > from) gema_out_write(o, s + from, i - from);
        if (i == len) break;
        char e[6];
        gema_out_write(o, e, (size_t)(put_escape(e, u[i]) - e));
        i++;
    }
    return gema_out_write(o, "\"", 1);
}

/* The decimal digits of v, ending at end; returns where they begin. */
static char *u64_digits(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

int gema_out_json_u64(gema_out *o, uint64_t v)
{
    char tmp[20];
    char *b = u64_digits(tmp + sizeof tmp, v);
    return gema_out_write(o, b, (size_t)(tmp + sizeof tmp - b));
}

/* v as printf's "%0*lld" with width w writes it (the sign counts toward the
 * width, zeros fill the rest) at p; returns the end.  p needs 20 bytes or w. */
static char *put_int(char *p, int64_t v, int w)
{
    char tmp[20];
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *b = u64_digits(tmp + sizeof tmp, mag);
    int n = (int)(tmp + sizeof tmp - b) + (v < 0);
    if (v < 0) *p++ = '-';
    for (; n < w; n++) *p++ = '0';
    size_t k = (size_t)(tmp + sizeof tmp - b);
    memcpy(p, b, k);
    return p + k;
}

int gema_out_json_time(gema_out *o, int64_t t)
{
    if (t == GEMA_TIME_NONE) return gema_out_write(o, "null", 4);
    /* H. Hinnant's civil_from_days. */
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
    char b[6 * 21 + 8], *p = b; /* room for six int64 fields */
    *p++ = '"';
    p = put_int(p, y, 4);
    *p++ = '-';
    p = put_int(p, m, 2);
    *p++ = '-';
    p = put_int(p, d, 2);
    *p++ = 'T';
    p = put_int(p, secs / 3600, 2);
    *p++ = ':';
    p = put_int(p, secs / 60 % 60, 2);
    *p++ = ':';
    p = put_int(p, secs % 60, 2);
    *p++ = 'Z';
    *p++ = '"';
    return gema_out_write(o, b, (size_t)(p - b));
}

int gema_out_json_double(gema_out *o, double v, int digits)
{
    char tmp[64];
    if (!isfinite(v)) v = 0.0;
    if (digits < 0) digits = 0;
    if (digits > 17) digits = 17;
    int n = snprintf(tmp, sizeof tmp, "%.*f", digits, v);
    if (memchr(tmp, '.', (size_t)n)) {
        while (n > 1 && tmp[n - 1] == '0') n--;
        if (tmp[n - 1] == '.') n--;
    }
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0') { tmp[0] = '0'; n = 1; }
    return gema_out_write(o, tmp, (size_t)n);
}

int gema_out_commit(gema_out *o)
{
    if (!o) return GEMA_ERR_ARG;
    flush(o);
    int rc = o->err;
    if (o->is_stdout) {
        if (o->fd != STDOUT_FILENO && close(o->fd) != 0 && rc == GEMA_OK) rc = GEMA_ERR_IO;
        free(o);
        return rc;
    }
    if (rc == GEMA_OK && fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS) rc = GEMA_ERR_IO;
    if (close(o->fd) != 0 && rc == GEMA_OK) rc = GEMA_ERR_IO;
    if (rc == GEMA_OK && rename(o->tmp, o->path) != 0) rc = GEMA_ERR_IO;
    if (rc != GEMA_OK) unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    free(o);
    return rc;
}

void gema_out_abort(gema_out *o)
{
    if (!o) return;
    if (!o->is_stdout) {
        close(o->fd);
        unlink(o->tmp);
    } else {
        flush(o);
        if (o->fd != STDOUT_FILENO) close(o->fd);
    }
    free(o->path);
    free(o->tmp);
    free(o);
}
