/*
 * minhash.c - signatures by k permutations or by one permutation.
 */
#include "minhash.h"

int gema_minhasher_init(gema_minhasher *m, unsigned k, gema_minhash_scheme scheme,
                        uint64_t seed)
{
    memset(m, 0, sizeof *m);
    if (k == 0 || k > 4096) return GEMA_ERR_ARG;
    m->k = k;
    m->scheme = scheme;
    m->seed = seed;
    if (scheme == GEMA_MINHASH_PERM) {
        m->a = gema_alloc_array(k, sizeof *m->a);
        m->b = gema_alloc_array(k, sizeof *m->b);
        if (!m->a || !m->b) {
            gema_minhasher_free(m);
            return GEMA_ERR_NOMEM;
        }
        uint64_t s = seed;
        for (unsigned i = 0; i < k; i++) {
            s = gema_splitmix64(s);
            m->a[i] = s | 1; /* odd multipliers keep the map a permutation */
            s = gema_splitmix64(s);
            m->b[i] = s;
        }
    }
    return GEMA_OK;
}

void gema_minhasher_free(gema_minhasher *m)
{
    free(m->a);
    free(m->b);
    m->a = m->b = NULL;
}

static void minhash_perm(const gema_minhasher *m, const uint64_t *x, size_t n, uint32_t *sig)
{
    const unsigned k = m->k;
    for (unsigned i = 0; i < k; i++) sig[i] = UINT32_MAX;
    for (size_t j = 0; j < n; j++) {
        const uint64_t v = x[j];
        for (unsigned i = 0; i < k; i++) {
            uint32_t h = (uint32_t)((m->a[i] * v + m->b[i]) >> 32);
            sig[i] = h < sig[i] ? h : sig[i];
        }
    }
}

/* Bin of a shingle hash: the high 32 bits scaled to k (no modulo bias
 * worth speaking of, and k need not be a power of two). */
static inline unsigned oph_bin(uint64_t h, unsigned k)
{
    return (unsigned)(((h >> 32) * (uint64_t)k) >> 32);
}

static void minhash_oph(const gema_minhasher *m, const uint64_t *x, size_t n, uint32_t *sig)
{
    const unsigned k = m->k;
    /* 0xFFFFFFFF marks an empty bin; a real value of all-ones is folded onto
     * its neighbour so "empty" stays unambiguous. */
    for (unsigned i = 0; i < k; i++) sig[i] = UINT32_MAX;
    /* Shingle hashes are seeded XXH3 output already: uniform enough to be
     * the one permutation without another mixing step. */
    for (size_t j = 0; j < n; j++) {
        uint64_t h = x[j];
        unsigned bin = oph_bin(h, k);
        uint32_t v = (uint32_t)h;
        if (v == UINT32_MAX) v--;
        sig[bin] = v < sig[bin] ? v : sig[bin]; /* branch-free: the compare is unpredictable */
    }
    /* Optimal densification: empty bin i takes the value of the first
     * non-empty bin on its own probe sequence.  Borrowed values are read
     * from the filled bins only: all are found before any is written.
     * With k = 128 and a few hundred shingles a document has no empty bin
     * or a handful, so the bins are scanned once, up to the first empty one
     * and on from there collecting the rest. */
    if (n == 0) return; /* every bin empty: the signature stays all-ones */
    unsigned first = 0;
    while (first < k && sig[first] != UINT32_MAX) first++;
    if (first == k) return;
    uint16_t empty[4096]; /* k <= 4096 */
    uint32_t borrowed[4096];
    unsigned ne = 0;
    for (unsigned i = first; i < k; i++)
        if (sig[i] == UINT32_MAX) empty[ne++] = (uint16_t)i;
    for (unsigned e = 0; e < ne; e++) {
        const unsigned i = empty[e];
        uint64_t probe = m->seed ^ ((uint64_t)i << 32);
        for (unsigned attempt = 0;; attempt++) {
            probe = gema_splitmix64(probe);
            unsigned j = oph_bin(probe, k);
            if (sig[j] != UINT32_MAX) {
                borrowed[e] = sig[j];
                break;
            }
            if (attempt > 64 * k) { /* astronomically unlikely: fall back to a scan */
                for (unsigned t = 1; t <= k; t++)
                    if (sig[(i + t) % k] != UINT32_MAX) { borrowed[e] = sig[(i + t) % k]; break; }
                break;
            }
        }
    }
    for (unsigned e = 0; e < ne; e++) sig[empty[e]] = borrowed[e];
}

int gema_minhash(const gema_minhasher *m, const uint64_t *shingles, size_t n, uint32_t *sig)
{
    if (m->scheme == GEMA_MINHASH_PERM) minhash_perm(m, shingles, n, sig);
    else minhash_oph(m, shingles, n, sig);
    return n > 0;
}

double gema_minhash_estimate(const uint32_t *a, const uint32_t *b, unsigned k)
{
    unsigned eq = 0;
    for (unsigned i = 0; i < k; i++) eq += a[i] == b[i];
    return k ? (double)eq / k : 0.0;
}
