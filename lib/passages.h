/*
 * passages.h - the result of a passages run, shared by passages.c (finding
 * passages) and passage_groups.c (joining them into groups).
 */
#ifndef GEMA_PASSAGES_H
#define GEMA_PASSAGES_H

#include "common.h"

struct gema_passages {
    size_t n;                    /* records */
    unsigned char *reject;       /* gema_reject per record */
    int64_t *time;               /* per record */
    uint32_t *count;             /* passages per record */
    gema_passage *pass;          /* sorted by (a.doc, b.doc, a.start, b.start) */
    size_t npass;
    gema_passage_occurrence *occ;/* groups' occurrences, group after group */
    size_t *group_start;         /* ngroups + 1 offsets into occ */
    size_t *group_docs;          /* distinct documents per group */
    size_t *group_pass;          /* passages per group */
    size_t ngroups;
    gema_passages_stats stats;
};

/* Join the passages of p into groups: two spans of one document are one
 * occurrence when they overlap by at least half the shorter; a passage
 * joins the occurrences of its two sides.  Fills occ, group_start,
 * group_docs, group_pass, ngroups and every passage's group. */
GEMA_INTERNAL int gema_passage_groups(gema_passages *p);

#endif
