/*
 * corpus.c - the read stage: files, directories and standard input into
 * memory, split into records.
 *
 * Plain files are mmap()ed: the operating system pages them in as they are
 * read and the corpus costs no copy.  Compressed files and pipes are read
 * whole into one buffer.  The record index is 24 bytes per record, so a
 * corpus of a billion short documents would need a streaming design (noted
 * in doc/ARCHITECTURE.md); for the sizes a single machine deduplicates in
 * memory this keeps every later stage free to revisit any document.
 */
#include "corpus.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

static void set_err(gema_corpus *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
    va_end(ap);
}

void gema_corpus_options_default(gema_corpus_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->id_field = "id";
    opt->text_field = "text";
    opt->url_field = "url";
    opt->date_field = "date";
    opt->title_field = "title";
    opt->site_field = NULL;
    opt->site = NULL;
    opt->max_doc_bytes = (size_t)64 << 20;
    opt->format = GEMA_FORMAT_AUTO;
}

static char *dup_str(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int gema_corpus_new(const gema_corpus_options *opt, gema_corpus **out)
{
    gema_corpus_options def;
    if (!out) return GEMA_ERR_ARG;
    if (!opt) {
        gema_corpus_options_default(&def);
        opt = &def;
    }
    if (opt->format != GEMA_FORMAT_AUTO && opt->format != GEMA_FORMAT_JSONL &&
        opt->format != GEMA_FORMAT_TEXT)
        return GEMA_ERR_ARG;
    gema_corpus *c = calloc(1, sizeof *c);
    if (!c) return GEMA_ERR_NOMEM;
    c->opt = *opt;
    const char *src[7] = { opt->id_field, opt->text_field, opt->url_field, opt->date_field,
                           opt->title_field, opt->site_field, opt->site };
    const char **dst[7] = { &c->opt.id_field, &c->opt.text_field, &c->opt.url_field,
                            &c->opt.date_field, &c->opt.title_field, &c->opt.site_field,
                            &c->opt.site };
    for (int i = 0; i < 7; i++) {
        c->owned[i] = dup_str(src[i]);
        if (src[i] && !c->owned[i]) {
            gema_corpus_free(c);
            return GEMA_ERR_NOMEM;
        }
        *dst[i] = c->owned[i];
    }
    *out = c;
    return GEMA_OK;
}

static void file_release(gema_file *f)
{
    if (f->mapped) munmap(f->data, f->len);
    else free(f->data);
    free(f->name);
    free(f->rel);
    free(f->site);
}

void gema_corpus_free(gema_corpus *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nfiles; i++) file_release(&c->files[i]);
    free(c->files);
    free(c->recs);
    for (int i = 0; i < 7; i++) free(c->owned[i]);
    free(c);
}

const char *gema_corpus_errmsg(const gema_corpus *c) { return c ? c->errmsg : ""; }
size_t gema_corpus_count(const gema_corpus *c) { return c->nrecs; }
uint64_t gema_corpus_bytes(const gema_corpus *c) { return c->bytes; }
size_t gema_corpus_blank_lines(const gema_corpus *c) { return c->blank_lines; }
size_t gema_corpus_file_count(const gema_corpus *c) { return c->nfiles; }

const char *gema_corpus_file_name(const gema_corpus *c, size_t i)
{
    return i < c->nfiles ? c->files[i].name : NULL;
}

/* ---- decompression ------------------------------------------------------ */

static int is_gzip(const unsigned char *p, size_t n) { return n >= 2 && p[0] == 0x1F && p[1] == 0x8B; }
static int is_zstd(const unsigned char *p, size_t n)
{
    return n >= 4 && p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F && p[3] == 0xFD;
}

static int grow_out(char **out, size_t *cap, size_t need)
{
    if (need <= *cap) return GEMA_OK;
    size_t n = *cap ? *cap : 1 << 16;
    while (n < need) {
        if (n > SIZE_MAX / 2) return GEMA_ERR_NOMEM;
        n *= 2;
    }
    char *p = realloc(*out, n);
    if (!p) return GEMA_ERR_NOMEM;
    *out = p;
    *cap = n;
    return GEMA_OK;
}

/* gzip, including several members one after another (as `cat a.gz b.gz`
 * makes and as pigz writes). */
static int gunzip(gema_corpus *c, const char *name, const unsigned char *in, size_t inlen,
                  char **out, size_t *outlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 32) != Z_OK) return GEMA_ERR_NOMEM;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int rc = GEMA_OK, zr = Z_OK;
    size_t pos = 0;
    while (pos < inlen) {
        zs.next_in = (unsigned char *)(uintptr_t)(in + pos);
        size_t chunk = GEMA_MIN(inlen - pos, (size_t)1 << 30);
        zs.avail_in = (uInt)chunk;
        if (grow_out(&buf, &cap, len + (1 << 16)) != GEMA_OK) { rc = GEMA_ERR_NOMEM; break; }
        zs.next_out = (unsigned char *)buf + len;
        zs.avail_out = (uInt)GEMA_MIN(cap - len, (size_t)1 << 30);
        size_t before_out = zs.avail_out;
        zr = inflate(&zs, Z_NO_FLUSH);
        len += before_out - zs.avail_out;
        pos += chunk - zs.avail_in;
        if (zr == Z_STREAM_END) {
            /* Skip zero padding; another member may follow. */
            while (pos < inlen && in[pos] == 0) pos++;
            if (pos < inlen) {
                if (!is_gzip(in + pos, inlen - pos)) {
                    set_err(c, "%s: trailing garbage after gzip data", name);
                    rc = GEMA_ERR_DECOMPRESS;
                    break;
                }
                inflateReset(&zs);
            }
            continue;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            set_err(c, "%s: corrupt gzip data (%s)", name, zs.msg ? zs.msg : "inflate failed");
            rc = GEMA_ERR_DECOMPRESS;
            break;
        }
        if (zr == Z_BUF_ERROR && zs.avail_out != 0 && pos >= inlen) break;
    }
    if (rc == GEMA_OK && zr != Z_STREAM_END) {
        set_err(c, "%s: truncated gzip data", name);
        rc = GEMA_ERR_DECOMPRESS;
    }
    inflateEnd(&zs);
    if (rc != GEMA_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outlen = len;
    return GEMA_OK;
}

static int unzstd(gema_corpus *c, const char *name, const unsigned char *in, size_t inlen,
                  char **out, size_t *outlen)
{
    ZSTD_DStream *ds = ZSTD_createDStream();
    if (!ds) return GEMA_ERR_NOMEM;
    ZSTD_initDStream(ds);
    char *buf = NULL;
    size_t cap = 0, len = 0, last = 1;
    ZSTD_inBuffer ib = { in, inlen, 0 };
    int rc = GEMA_OK;
    while (ib.pos < ib.size || last != 0) {
        if (grow_out(&buf, &cap, len + ZSTD_DStreamOutSize()) != GEMA_OK) { rc = GEMA_ERR_NOMEM; break; }
        ZSTD_outBuffer ob = { buf + len, cap - len, 0 };
        size_t before = ib.pos;
        last = ZSTD_decompressStream(ds, &ob, &ib);
        if (ZSTD_isError(last)) {
            set_err(c, "%s: corrupt zstd data (%s)", name, ZSTD_getErrorName(last));
            rc = GEMA_ERR_DECOMPRESS;
            break;
        }
        len += ob.pos;
        if (ib.pos == ib.size && ob.pos < ob.size && ib.pos == before && last != 0) {
            set_err(c, "%s: truncated zstd data", name);
            rc = GEMA_ERR_DECOMPRESS;
            break;
        }
        if (ib.pos == ib.size && last == 0) break;
    }
    ZSTD_freeDStream(ds);
    if (rc != GEMA_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *outlen = len;
    return GEMA_OK;
}

/* ---- files -------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static gema_format guess_format(const gema_corpus *c, const char *name, const char *data, size_t len)
{
    if (c->opt.format != GEMA_FORMAT_AUTO) return c->opt.format;
    char base[4096];
    snprintf(base, sizeof base, "%s", name);
    if (ends_with(base, ".gz")) base[strlen(base) - 3] = '\0';
    else if (ends_with(base, ".zst")) base[strlen(base) - 4] = '\0';
    if (ends_with(base, ".jsonl") || ends_with(base, ".ndjson") || ends_with(base, ".json"))
        return GEMA_FORMAT_JSONL;
    if (ends_with(base, ".txt")) return GEMA_FORMAT_TEXT;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    return (i < len && data[i] == '{') ? GEMA_FORMAT_JSONL : GEMA_FORMAT_TEXT;
}

static int push_record(gema_corpus *c, uint64_t off, uint64_t len, uint32_t file, uint64_t line)
{
    if (c->nrecs == c->recs_cap) {
        size_t cap = c->recs_cap ? c->recs_cap * 2 : 1024;
        gema_record *r = gema_realloc_array(c->recs, cap, sizeof *r);
        if (!r) return GEMA_ERR_NOMEM;
        c->recs = r;
        c->recs_cap = cap;
    }
    gema_record *r = &c->recs[c->nrecs++];
    r->offset = off;
    r->len = len;
    r->file = file;
    r->line = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
    return GEMA_OK;
}

static int index_records(gema_corpus *c, uint32_t fi)
{
    gema_file *f = &c->files[fi];
    if (f->format == GEMA_FORMAT_TEXT) return push_record(c, 0, f->len, fi, 1);
    const char *p = f->data, *end = f->data + f->len;
    uint64_t line = 0;
    while (p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *s = p, *e = stop;
        if (e > s && e[-1] == '\r') e--;
        if (line == 1 && e - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3;
        const char *q = s;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
        if (q == e) c->blank_lines++;
        else if (push_record(c, (uint64_t)(s - f->data), (uint64_t)(e - s), fi, line) != GEMA_OK)
            return GEMA_ERR_NOMEM;
        p = nl ? nl + 1 : end;
    }
    return GEMA_OK;
}

/* Site of plain-text documents: the first directory of the path below the
 * root, or the root's own name for files directly in it. */
static char *site_of(const char *rel, const char *root)
{
    const char *slash = strchr(rel, '/');
    if (slash) {
        size_t n = (size_t)(slash - rel);
        char *s = malloc(n + 1);
        if (s) {
            memcpy(s, rel, n);
            s[n] = '\0';
        }
        return s;
    }
    /* A file directly under the root: the root's own name. */
    const char *b = root + strlen(root);
    while (b > root && b[-1] == '/') b--;
    const char *e = b;
    while (b > root && b[-1] != '/') b--;
    if (e == b) return dup_str(".");
    char *s = malloc((size_t)(e - b) + 1);
    if (s) {
        memcpy(s, b, (size_t)(e - b));
        s[e - b] = '\0';
    }
    return s;
}

/* Take ownership of data (mapped or malloc()ed) as a new file.  rel is the
 * id its plain-text document gets; below is its path under root, which
 * decides its site. */
static int add_file(gema_corpus *c, const char *name, const char *rel, const char *below,
                    const char *root, char *data, size_t len, int mapped)
{
    if (c->nfiles >= UINT32_MAX) return GEMA_ERR_TOO_BIG;
    if (c->nfiles == c->files_cap) {
        size_t cap = c->files_cap ? c->files_cap * 2 : 16;
        gema_file *f = gema_realloc_array(c->files, cap, sizeof *f);
        if (!f) goto nomem;
        c->files = f;
        c->files_cap = cap;
    }
    gema_file *f = &c->files[c->nfiles];
    memset(f, 0, sizeof *f);
    f->data = data;
    f->len = len;
    f->mapped = mapped;
    f->name = dup_str(name);
    f->rel = dup_str(rel);
    f->site = site_of(below, root);
    if (!f->name || !f->rel || !f->site) {
        file_release(f);
        set_err(c, "%s: out of memory", name);
        return GEMA_ERR_NOMEM;
    }
    f->format = guess_format(c, name, data, len);
    c->nfiles++;
    c->bytes += len;
    size_t before = c->nrecs;
    if (index_records(c, (uint32_t)(c->nfiles - 1)) != GEMA_OK) {
        c->nrecs = before;
        c->nfiles--;
        c->bytes -= len;
        file_release(f);
        set_err(c, "%s: out of memory", name);
        return GEMA_ERR_NOMEM;
    }
    return GEMA_OK;
nomem:
    if (mapped) munmap(data, len);
    else free(data);
    set_err(c, "%s: out of memory", name);
    return GEMA_ERR_NOMEM;
}

/* Decompress if the magic bytes say so; takes ownership of data. */
static int add_bytes(gema_corpus *c, const char *name, const char *rel, const char *below,
                     const char *root, char *data, size_t len, int mapped)
{
    const unsigned char *u = (const unsigned char *)data;
    if (is_gzip(u, len) || is_zstd(u, len)) {
        char *out = NULL;
        size_t outlen = 0;
        int rc = is_gzip(u, len) ? gunzip(c, name, u, len, &out, &outlen)
                                 : unzstd(c, name, u, len, &out, &outlen);
        if (mapped) munmap(data, len);
        else free(data);
        if (rc != GEMA_OK) {
            if (rc == GEMA_ERR_NOMEM) set_err(c, "%s: out of memory while decompressing", name);
            return rc;
        }
        return add_file(c, name, rel, below, root, out, outlen, 0);
    }
    return add_file(c, name, rel, below, root, data, len, mapped);
}

static int read_fd(int fd, char **out, size_t *outlen)
{
    char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (grow_out(&buf, &cap, len + (1 << 16)) != GEMA_OK) {
            free(buf);
            return GEMA_ERR_NOMEM;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return GEMA_ERR_IO;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    *out = buf;
    *outlen = len;
    return GEMA_OK;
}

static int add_regular(gema_corpus *c, const char *path, const char *rel, const char *below,
                       const char *root)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_err(c, "%s: %s", path, strerror(errno));
        return GEMA_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_err(c, "%s: %s", path, strerror(errno));
        close(fd);
        return GEMA_ERR_IO;
    }
    char *data = NULL;
    size_t len = 0;
    int mapped = 0;
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            data = p;
            len = (size_t)st.st_size;
            mapped = 1;
        }
    }
    if (!mapped) {
        int rc = read_fd(fd, &data, &len);
        if (rc != GEMA_OK) {
            set_err(c, "%s: %s", path, rc == GEMA_ERR_NOMEM ? "out of memory" : strerror(errno));
            close(fd);
            return rc;
        }
    }
    close(fd);
    return add_bytes(c, path, rel, below, root, data, len, mapped);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(gema_corpus *c, const char *dir, const char *root, size_t depth)
{
    if (depth > 64) {
        set_err(c, "%s: directories nested too deeply", dir);
        return GEMA_ERR_ARG;
    }
    DIR *d = opendir(dir);
    if (!d) {
        set_err(c, "%s: %s", dir, strerror(errno));
        return GEMA_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = GEMA_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = gema_realloc_array(names, cap, sizeof *p);
            if (!p) { rc = GEMA_ERR_NOMEM; break; }
            names = p;
        }
        if (!(names[n] = dup_str(e->d_name))) { rc = GEMA_ERR_NOMEM; break; }
        n++;
    }
    closedir(d);
    /* Byte order, not the locale's collation: the same tree gives the same
     * document order everywhere. */
    if (rc == GEMA_OK && n) qsort(names, n, sizeof *names, cmp_str);
    size_t rootlen = strlen(root);
    for (size_t i = 0; i < n && rc == GEMA_OK; i++) {
        size_t dl = strlen(dir), nl = strlen(names[i]);
        char *path = malloc(dl + nl + 2);
        if (!path) { rc = GEMA_ERR_NOMEM; break; }
        memcpy(path, dir, dl);
        size_t k = dl;
        if (k && path[k - 1] != '/') path[k++] = '/';
        memcpy(path + k, names[i], nl + 1);
        struct stat st;
        if (stat(path, &st) != 0) {
            set_err(c, "%s: %s", path, strerror(errno));
            rc = GEMA_ERR_IO;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_dir(c, path, root, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            const char *rel = path + rootlen;
            while (*rel == '/') rel++;
            rc = add_regular(c, path, rel, rel, root);
        }
        free(path);
    }
    if (rc == GEMA_ERR_NOMEM && !c->errmsg[0]) set_err(c, "%s: out of memory", dir);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int gema_corpus_add_path(gema_corpus *c, const char *path)
{
    if (!c || !path || !*path) return GEMA_ERR_ARG;
    c->errmsg[0] = '\0';
    if (strcmp(path, "-") == 0) {
        char *data = NULL;
        size_t len = 0;
        int rc = read_fd(STDIN_FILENO, &data, &len);
        if (rc != GEMA_OK) {
            set_err(c, "standard input: %s", rc == GEMA_ERR_NOMEM ? "out of memory" : strerror(errno));
            return rc;
        }
        return add_bytes(c, "-", "-", "-", ".", data, len, 0);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        set_err(c, "%s: %s", path, strerror(errno));
        return GEMA_ERR_IO;
    }
    if (S_ISDIR(st.st_mode)) return add_dir(c, path, path, 0);
    /* A file named directly: its id is the path as given, its site the
     * directory it sits in. */
    char *parent = dup_str(path);
    if (!parent) return GEMA_ERR_NOMEM;
    char *slash = strrchr(parent, '/');
    const char *base = slash ? path + (slash - parent) + 1 : path;
    if (slash) *slash = '\0';
    else strcpy(parent, ".");
    int rc = add_regular(c, path, path, base, parent);
    free(parent);
    return rc;
}

int gema_corpus_add_memory(gema_corpus *c, const char *name, const void *data, size_t len,
                           gema_format format)
{
    if (!c || !name || (!data && len)) return GEMA_ERR_ARG;
    c->errmsg[0] = '\0';
    char *copy = malloc(len ? len : 1);
    if (!copy) return GEMA_ERR_NOMEM;
    if (len) memcpy(copy, data, len);
    gema_format saved = c->opt.format;
    if (format != GEMA_FORMAT_AUTO) c->opt.format = format;
    int rc = add_bytes(c, name, name, name, ".", copy, len, 0);
    c->opt.format = saved;
    return rc;
}
