/*
 * dedup.h - internal entry to the dedup run for other stages.
 *
 * The fingerprint pass parses every record; a stage that runs dedup first
 * and needs something of every record too (stories: dates, usability, its
 * IDF sample) takes it from that pass instead of parsing the corpus again.
 */
#ifndef GEMA_DEDUP_H
#define GEMA_DEDUP_H

#include "common.h"

/* Called once per record (rejected ones too) as the fingerprint pass reads
 * it, on pass thread `thread` (below opt->threads), in no particular order
 * across threads.  doc, uncleaned, is valid only during the call.  A
 * non-zero return stops the run with that status. */
typedef int (*gema_dedup_each_fn)(void *user, size_t index, const gema_doc *doc, unsigned thread);

/* gema_dedup_run, calling each (may be NULL) for every record; the result is
 * the same either way. */
GEMA_INTERNAL int gema_dedup_run_each(const gema_corpus *corpus, const gema_dedup_options *opt,
                                      gema_dedup_each_fn each, void *user, gema_dedup **out);

#endif
