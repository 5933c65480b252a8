/*
 * furniture.h - page furniture: lines of a document, their normalised
 * hashes and shape, and the rules that mark lines as furniture.
 *
 * Two kinds of evidence decide that a line is furniture:
 *   - repetition within a site, learned over a corpus by clean.c: the line's
 *     normalised form (case, digits and white space folded) occurs in many
 *     documents of the same site and in no other site (gema_furniture_repeated);
 *   - the document itself (gema_furniture_rules): labels, link lists, menus,
 *     datelines, captions, copyright lines, short fragments before the first
 *     or after the last body paragraph, and a trailing block that tells a
 *     different story than the rest.
 * Both mark lines of a gema_lines with a reason; clean.c assembles the text.
 */
#ifndef GEMA_FURNITURE_H
#define GEMA_FURNITURE_H

#include "common.h"
#include "sketch.h"

/* Line flags. */
enum {
    GEMA_LINE_BLANK = 1,     /* only white space */
    GEMA_LINE_END = 2,       /* ends a sentence: . ! ? or an ellipsis, maybe before quotes */
    GEMA_LINE_SENT = 4,      /* a sentence ends inside or at the end of the line */
    GEMA_LINE_COLON = 8,     /* last visible character is ':' */
    GEMA_LINE_BULLET = 16,   /* starts with a list bullet ("- ", "* ", "•", "»", ...) */
    GEMA_LINE_SHARED = 32,   /* other sites carry it with its article: content, kept */
    GEMA_LINE_MEASURED = 64  /* alpha_words, cap_words, letters, camel are counted */
};

typedef struct {
    size_t start, end;       /* bytes of the line in the text, terminator excluded */
    size_t next;             /* where the next line starts */
    size_t cp_start, cp_end; /* start and end in code points */
    size_t nstart, nlen;     /* the normalised line in gema_lines.norm */
    uint64_t hash;           /* XXH3 of the normalised line; 0 for a blank line */
    uint64_t exact;          /* the same with the line's digits mixed back in: the
                                line as written, for telling syndicated copies */
    uint64_t wire;           /* exact without a trailing wire credit (" (ANTARA)"),
                                which outlets add to lines of their copy: the key
                                lines shared with an article are matched by */
    uint32_t words;          /* runs of non-space characters */
    uint32_t digits;         /* runs of digits */
    /* Counted when a rule first asks (furniture.c, shaped()): most lines are
     * prose the rules never look at this closely. */
    uint32_t alpha_words;    /* words starting with a letter */
    uint32_t cap_words;      /* ... of which with an upper-case first letter */
    uint32_t letters;
    uint32_t camel;          /* a lower-case letter directly followed by an upper-case one */
    uint32_t count;          /* GEMA_CLEAN_REPEATED: documents of the site with this line */
    uint8_t flags;
    uint8_t reason;          /* a gema_clean_reason; 0 = kept */
} gema_line;

/* A content word of the cohesion measure (furniture.c, appended). */
typedef struct {
    uint64_t key;            /* its first bytes */
    uint32_t all, head;      /* lines with it: in all, above the candidate */
    uint32_t last_all, last_head;  /* last line counted, + 1 */
    uint32_t gen;            /* the document it belongs to; another = empty slot */
} gema_word;

/* An open-addressing table of content words, reused from document to
 * document: slots of an earlier document are told apart by generation, so
 * nothing is cleared. */
typedef struct {
    gema_word *slot;
    size_t cap, mask;        /* allocated; this document's part - 1 */
    uint32_t gen;
} gema_words;

GEMA_INTERNAL void gema_words_free(gema_words *t);

typedef struct {
    gema_line *line;
    size_t n, cap;
    const char *text;        /* the text split (borrowed until the next split) */
    gema_buf norm;           /* normalised lines, each followed by '\n' */
    gema_u64vec scratch;     /* distinct hashes; word occurrences */
    gema_u64vec scratch2;
    gema_words own_words;
    gema_words *words;       /* the table in use: a thread's, lent by the caller
                                (clean_run: many results share it, so it stays
                                in cache), or own_words when NULL */
} gema_lines;

GEMA_INTERNAL void gema_lines_free(gema_lines *ls);

/* Split valid UTF-8 text into lines ('\n' ends a line; a '\r' before it is
 * not part of the line), hash each normalised line and measure its shape.
 * Normalisation: ASCII letters lower-cased, every run of digits becomes "0",
 * runs of white space (NBSP included) one space, ends trimmed. */
GEMA_INTERNAL int gema_lines_split(gema_lines *ls, const char *text, size_t len);

/* Line L of ls with alpha_words, cap_words, letters and camel counted (at
 * the first call; the rules ask only for the lines they look at closely). */
GEMA_INTERNAL const gema_line *gema_line_shape(const gema_lines *ls, const gema_line *L);

/* The distinct non-blank line hashes of the last split, sorted, in
 * ls->scratch.v[0..*n). */
GEMA_INTERNAL int gema_lines_distinct(gema_lines *ls, size_t *n);

/* The document's article, for telling syndicated copies: the exact keys of
 * the GEMA_ARTICLE_KEYS longest lines among lines [0, end) not marked yet
 * (longest first, earlier first among equals, 0 past the last line; call it
 * once the lines the site repeats are marked).  Copies of one article on
 * several sites share at least one of them whatever template wraps them,
 * unless the page adds three lines longer than any of the article's (an
 * appended story may add two). */
#define GEMA_ARTICLE_KEYS 3
GEMA_INTERNAL void gema_lines_articles(const gema_lines *ls, size_t end,
                                       uint64_t article[GEMA_ARTICLE_KEYS]);

/* The key of a line within an article. */
static inline uint64_t gema_shared_key(uint64_t article, uint64_t exact)
{
    return gema_site_line_key(article, exact);
}

/* What was learned about a corpus: for each (line, site) that is furniture,
 * the number of documents of the site it occurs in. */
typedef struct {
    gema_pairtab furniture;  /* (line, site) -> documents of the site with it */
    gema_pairtab shared;     /* (gema_shared_key, 0) -> learned sites that carry the
                                line with the same article */
} gema_furniture_model;

/* Mark lines whose (line, site) pair the model lists as repeated furniture. */
GEMA_INTERNAL void gema_furniture_repeated(const gema_furniture_model *m, uint64_t site,
                                           gema_lines *ls);

/* Apply the in-document rules to lines not marked yet.  text is the text
 * that was split.  A line a rule would remove whose exact key is in shared
 * (lines found in several sites as ordinary lines; may be NULL) is kept and
 * flagged GEMA_LINE_SHARED.  Trailing blocks (GEMA_CLEAN_APPENDED) are judged
 * only when `appended` is set. */
GEMA_INTERNAL int gema_furniture_rules(gema_lines *ls, const char *text,
                                       const gema_pairtab *shared, int appended);

/* Word lists (clean_words.c).  Words are lower-case ASCII. */
GEMA_INTERNAL int gema_stopword_lang(const char *w, size_t len); /* 0 none, 1 Indonesian, 2 English, 3 both */
GEMA_INTERNAL int gema_stopword_check(void);   /* 0 when the list is well formed */
/* Kind of a whole normalised line that is a known label (see clean_words.c):
 * 0 none, else a gema_clean_reason. */
GEMA_INTERNAL int gema_label_kind(const char *s, size_t len);
GEMA_INTERNAL int gema_label_check(void);      /* 0 when the label table is well formed */
/* Kind of a label that starts a line and is followed by ':' ("Editor:",
 * "Baca juga:"), same codes. */
GEMA_INTERNAL int gema_label_prefix_kind(const char *s, size_t len);

#endif
