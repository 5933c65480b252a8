/*
 * pool.c - a parallel for-loop over pthreads.
 *
 * Threads are started per call rather than kept in a pool object: gema calls
 * this a handful of times per run, each call lasting seconds, so thread start
 * (tens of microseconds) is noise and there is no idle state to manage.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct {
    gema_task_fn fn;
    void *ctx;
    size_t ntasks;
    atomic_size_t next;
    atomic_int status;
} shared;

typedef struct {
    shared *s;
    unsigned thread;
} worker_arg;

static void run(shared *s, unsigned thread, gema_tick_fn tick, void *ctx)
{
    for (;;) {
        if (atomic_load(&s->status) != GEMA_OK) return;
        size_t t = atomic_fetch_add(&s->next, 1);
        if (t >= s->ntasks) return;
        int rc = s->fn(s->ctx, t, thread);
        if (rc != GEMA_OK) {
            int expected = GEMA_OK;
            atomic_compare_exchange_strong(&s->status, &expected, rc);
        }
        if (tick) tick(ctx);
    }
}

static void *worker(void *p)
{
    worker_arg *a = p;
    run(a->s, a->thread, NULL, NULL);
    return NULL;
}

int gema_parallel(unsigned threads, size_t ntasks, gema_task_fn fn, gema_tick_fn tick, void *ctx)
{
    shared s;
    s.fn = fn;
    s.ctx = ctx;
    s.ntasks = ntasks;
    atomic_init(&s.next, 0);
    atomic_init(&s.status, GEMA_OK);
    if (threads < 1) threads = 1;
    if (threads > 256) threads = 256;
    if (threads > ntasks) threads = ntasks ? (unsigned)GEMA_MIN(ntasks, (size_t)threads) : 1;
    pthread_t tid[256];
    worker_arg args[256];
    unsigned started = 0;
    for (unsigned i = 1; i < threads; i++) {
        args[i].s = &s;
        args[i].thread = i;
        if (pthread_create(&tid[i], NULL, worker, &args[i]) != 0) {
            int expected = GEMA_OK;
            atomic_compare_exchange_strong(&s.status, &expected, GEMA_ERR_THREAD);
            break;
        }
        started = i;
    }
    run(&s, 0, tick, ctx);
    for (unsigned i = 1; i <= started; i++) pthread_join(tid[i], NULL);
    return atomic_load(&s.status);
}
