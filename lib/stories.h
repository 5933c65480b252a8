/*
 * stories.h - one-pass clustering of a stream of article vectors into
 * stories: local density, an inverted index over live story vectors and one
 * over held articles, time decay, a lagged revisit and a batch merge.
 *
 * The clusterer sees articles in time order (push), each as a unit vector
 * from termvec.c.  It knows nothing of corpora or threads: stories_run.c
 * feeds it and turns its state into the public gema_stories result.
 *
 * Density.  An article's density sigma is its cosine similarity to its k-th
 * most similar held article (never below density_floor), and similarities
 * are divided by sqrt(sigma_a * sigma_b): the local scaling of Zelnik-Manor
 * & Perona (NIPS 2004).  Without it one threshold must serve both a topic of
 * many near-identical reports, where two different events (two Oscar-host
 * announcements, two title fights of one boxer) share most words, and a
 * loosely written story whose reports share little; on ECB+ every global
 * threshold of plain or average-link cosine stays near B-cubed F1 0.87
 * although an article's nearest neighbour is in its own story 98% of the
 * time.
 *
 * Decision rule.  A story's vector S is the sum of its articles' unit
 * vectors each divided by sqrt(its sigma), so d.S / (n sqrt(sigma_d)) is
 * exactly the mean scaled similarity of d to the story's n articles
 * (average link).  An article joins the story where that mean, times the
 * time decay, is largest, if it reaches the threshold; otherwise it opens a
 * story.  Measured against the story's centroid this is a threshold that
 * rises as the story grows, so a big story cannot swallow articles that
 * resemble only its average, and chains of pairwise-similar articles
 * drifting off topic do not form.
 *
 * Time.  Similarity is multiplied by 2^-(max(0, dt - grace) / half_life)
 * where dt is the time from the story's nearest article.  Held articles go
 * through a pipeline: decided a window after they arrive (their density then
 * sees articles on both sides), revisited a window later, let go a window
 * after that.  Stories not updated for three windows first try to merge
 * into a live story, else close: out of the index, their vectors freed,
 * their members and summary handed to the caller, nothing kept.  Memory
 * follows the articles of the last three windows and the live stories.  With no window (undated input) everything
 * waits for the end of the stream and each step runs over all articles.
 *
 * Revisit and merge.  Each article is looked at once more against the
 * stories as they have grown since: it moves to another story when its
 * mean similarity there reaches the threshold and beats its mean similarity
 * to the rest of its own story.  Then live stories whose articles are, on
 * average, as similar as an article must be to join are merged, best pairs
 * first (average-link agglomeration started from the stream's stories).
 * This repairs the typical stream mistakes: an early article that opened a
 * story before the story's vocabulary was clear, an article that joined the
 * first of two similar stories before the second existed, and a story split
 * because its first reports came in apart.
 */
#ifndef GEMA_STORIES_H
#define GEMA_STORIES_H

#include "common.h"
#include "termvec.h"

typedef struct {
    double threshold;        /* mean scaled similarity needed to join */
    unsigned neighbours;     /* k of the density (k-th nearest article); 0 = plain cosine */
    double density_floor;    /* least density an article is given */
    double half_life;        /* seconds; 0 = no decay */
    double grace;            /* seconds without decay */
    double window;           /* seconds: an article is decided this long after it
                                arrives, revisited as long again; a story closes
                                after three windows without news; 0 = the whole
                                stream is one window */
    int revisit;             /* lagged revisit of every article */
    int64_t close_every;     /* stream seconds between checks for stories to close
                                (also every 4096 articles) */
    unsigned query_terms;    /* article terms looked up in the index */
    unsigned index_terms;    /* heaviest terms of a story indexed */
    unsigned candidates;     /* stories scored exactly per article */
    unsigned story_terms;    /* a story vector is pruned to this many terms */
    unsigned max_postings;   /* a term indexed by more live stories is not looked up */
    unsigned summary_terms;  /* words and names kept in a closed story's summary */
} gema_cluster_params;

/* Defaults for everything but threshold and time (which the caller sets). */
GEMA_INTERNAL void gema_cluster_params_default(gema_cluster_params *p);

enum {
    GEMA_DECIDE_NONE = 0,   /* never pushed */
    GEMA_DECIDE_NEW = 1,
    GEMA_DECIDE_JOINED = 2,
    GEMA_DECIDE_MOVED = 3
};

typedef struct gema_clusterer gema_clusterer;

/* ndocs: size of the article number space (push's doc < ndocs). */
GEMA_INTERNAL int gema_clusterer_new(const gema_cluster_params *p, size_t ndocs,
                                     gema_clusterer **out);
GEMA_INTERNAL void gema_clusterer_free(gema_clusterer *c);

/* The next article of the stream: time t (never less than the previous
 * push's), unit vector v.  The clusterer takes v's storage and hands back an
 * empty vector (perhaps with storage to reuse).  Each doc is pushed at most
 * once.  The article is held and decided later, a window on (see above). */
GEMA_INTERNAL int gema_clusterer_push(gema_clusterer *c, uint32_t doc, int64_t t, gema_fvec *v);

/* End of the stream: decide and revisit what is held, merge, close every
 * story. */
GEMA_INTERNAL int gema_clusterer_finish(gema_clusterer *c);

/* A story as it closes, final: no article joins or leaves it afterwards. */
typedef struct {
    uint32_t size;             /* articles pushed into it */
    int64_t first, last;       /* times of its first and last article */
    const uint32_t *members;   /* its size articles (docs as pushed), in no order */
    uint32_t nterms, nnames;   /* summary: heaviest words/numbers, then names */
    const char *const *strings;/* nterms + nnames display strings */
} gema_cluster_summary;

/* Called once per story, as it closes (while the stream goes on, or at
 * finish), in an order that depends only on the stream.  Everything
 * summary points to lives until the call returns.  A story left empty by
 * the revisit or merged into another never closes.  A status other than
 * GEMA_OK stops the run with it. */
typedef int (*gema_cluster_close_fn)(void *user, uint32_t story, const gema_cluster_summary *sum);

GEMA_INTERNAL void gema_clusterer_on_close(gema_clusterer *c, gema_cluster_close_fn fn, void *user);

typedef struct {
    uint32_t story;            /* UINT32_MAX if never pushed */
    int decision;              /* GEMA_DECIDE_* */
    float score;               /* similarity that decided (see gema_story_doc) */
    float centrality;          /* mean similarity to the rest of its story at its
                                  last look (revisit or join); founders: +inf without
                                  revisit */
    float density;             /* its sigma (1 without neighbours) */
} gema_cluster_doc;

GEMA_INTERNAL void gema_clusterer_doc(const gema_clusterer *c, uint32_t doc, gema_cluster_doc *out);

typedef struct {
    uint64_t pushed, opened, joined, moved, revisited, closed, merged;
    uint64_t scored;           /* exact story scores computed */
    uint64_t skipped_postings; /* query terms skipped as too common */
    uint64_t story_postings, article_postings; /* index entries visited */
    uint64_t peak_live;        /* most stories open at once */
    uint64_t peak_pending;     /* most article vectors held at once */
    uint64_t peak_story_bytes; /* most bytes held in story vectors and index at once */
} gema_cluster_stats;

GEMA_INTERNAL void gema_clusterer_stats(const gema_clusterer *c, gema_cluster_stats *out);

#endif
