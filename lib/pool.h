/*
 * pool.h - run numbered tasks on a bounded set of threads.
 *
 * Tasks are claimed in order from an atomic counter; each writes its result
 * to its own slot, so the outcome never depends on which thread ran what.
 * The calling thread works too and alone calls `tick` between its tasks
 * (used for progress reports, which must come from the caller's thread).
 */
#ifndef GEMA_POOL_H
#define GEMA_POOL_H

#include "common.h"

typedef int (*gema_task_fn)(void *ctx, size_t task, unsigned thread);
typedef void (*gema_tick_fn)(void *ctx);

/* Run fn(ctx, t, thread) for t in [0, ntasks) on up to `threads` threads
 * (thread numbers 0..threads-1; 0 is the caller).  Stops handing out tasks
 * after the first non-zero return and returns that status. */
GEMA_INTERNAL int gema_parallel(unsigned threads, size_t ntasks, gema_task_fn fn,
                                gema_tick_fn tick, void *ctx);

#endif
