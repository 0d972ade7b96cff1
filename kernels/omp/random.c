/* random (OpenMP, RandomAccess): XOR updates at pseudo-random places of a
 * shared table of 2^logsize 64-bit words. Each thread runs <vector length>
 * independent streams (common/random.h) and applies
 * Table[v & (size-1)] ^= v without synchronisation: concurrent updates of
 * one word may be lost, which the specification allows.
 *
 * Usage: random <# threads> <log2 table size> <update ratio> <vector length>
 * update ratio * table size updates are made in all. Validation replays all
 * streams serially, which undoes every update that was not lost (XOR is its
 * own inverse), and counts the words with Table[w] != w: at most 1% of the
 * table may be wrong. Timed once; the reported "Avg time" is that of the one
 * timed pass. Rate: GUPs/s. */
#include "prk.h"
#include "random.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<log2 table size> <update ratio> <vector length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long logsize = prk_arg(argc, argv, a0, "log2 table size", 1, 0, 1, usage);
    long ratio = prk_arg(argc, argv, a0 + 1, "update ratio", 1, 0, 1, usage);
    long vlen = prk_arg(argc, argv, a0 + 2, "vector length", 1, 0, 1, usage);
    int nt = prk_nthreads;
    if (logsize > 40) {
        fprintf(stderr, "ERROR: log2 table size must be at most 40\n");
        return 1;
    }
    uint64_t tsize = UINT64_C(1) << logsize, tmask = tsize - 1;
    long nstreams = (long)nt * vlen;
    long rounds = (long)((uint64_t)ratio * tsize / (uint64_t)nstreams);
    if (rounds < 1) {
        fprintf(stderr, "ERROR: vector length times threads exceeds the number of updates\n");
        return 1;
    }
    uint64_t nupdate = (uint64_t)rounds * (uint64_t)nstreams;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s Random Access test\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", nt);
    printf("Table size (words)   = %llu\n", (unsigned long long)tsize);
    printf("Update ratio         = %ld\n", ratio);
    printf("Vector length        = %ld\n", vlen);
    printf("Number of updates    = %llu\n", (unsigned long long)nupdate);

    uint64_t *table = prk_malloc(sizeof(uint64_t) * tsize);
    uint64_t *ran = prk_malloc(sizeof(uint64_t) * nstreams);
    double t0 = 0, elapsed = 0;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
#pragma omp for schedule(static)
        for (uint64_t w = 0; w < tsize; w++) table[w] = w;
        uint64_t *r = ran + (long)me * vlen;
        for (long v = 0; v < vlen; v++) r[v] = ra_starts(((long)me * vlen + v) * rounds);
#pragma omp barrier
#pragma omp master
        t0 = prk_wtime();
        for (long k = 0; k < rounds; k++)
            for (long v = 0; v < vlen; v++) {
                r[v] = ra_next(r[v]);
                table[r[v] & tmask] ^= r[v];
            }
#pragma omp barrier
#pragma omp master
        elapsed = prk_wtime() - t0;
    }

    /* Serial replay of every stream. */
    for (long s = 0; s < nstreams; s++) {
        uint64_t x = ra_starts(s * rounds);
        for (long k = 0; k < rounds; k++) {
            x = ra_next(x);
            table[x & tmask] ^= x;
        }
    }
    uint64_t errors = 0;
    for (uint64_t w = 0; w < tsize; w++)
        if (table[w] != w) errors++;
    free(table); free(ran);
    if (!ra_verdict((unsigned long long)errors, tsize)) return 1;
    prk_report_rate("GUPs/s", 1.0e-9 * (double)nupdate / elapsed, elapsed);
    return 0;
}
