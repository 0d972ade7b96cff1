/* synch_global (OpenMP, Synch_global): repeated global synchronisation. A
 * shared string of the given length is split into blocks over the threads,
 * and every thread keeps its own copy of the whole string. In each
 * iteration every thread writes its block of the shared string from its
 * copy rotated left by one character; barrier; every thread copies the
 * whole shared string into its own copy; barrier.
 *
 * Usage: synch_global <# threads> <# iterations> <scramble string length>
 * After K = iterations+1 rounds (round 0 is untimed warm-up) every copy must
 * be the original rotated by K: every thread compares every character of
 * its copy, and the checksum of the shared string must be unchanged.
 * Rate: barriers (two per iteration) per second. */
#include "prk.h"
#include "synch_global.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <scramble string length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long len = prk_arg(argc, argv, a0 + 1, "scramble string length", 1, 0, 1, usage);
    int nt = prk_nthreads;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s global synchronization\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", nt);
    printf("Scramble string length = %ld\n", len);
    printf("Number of iterations = %ld\n", iterations);

    char *shared = prk_malloc(len);
    for (long i = 0; i < len; i++) shared[i] = orig_char(i);
    long errors = 0, k = (iterations + 1) % len;
    double t0 = 0;
#pragma omp parallel reduction(+ : errors)
    {
        prk_check_team();
        int me = omp_get_thread_num();
        long lo = prk_block_lo(len, nt, me), hi = lo + prk_block_len(len, nt, me);
        char *mine = prk_malloc(len);
        memcpy(mine, shared, len);
#pragma omp barrier
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
            sg_rotate(shared + lo, mine, lo, hi - lo, len);
#pragma omp barrier
            memcpy(mine, shared, len);
#pragma omp barrier
        }
        for (long i = 0; i < len; i++)
            if (mine[i] != orig_char((i + k) % len)) errors++;
        free(mine);
    }
    double elapsed = prk_wtime() - t0;

    int ok = sg_verdict(shared, len, errors, "threads");
    free(shared);
    if (!ok) return 1;
    double avg = elapsed / iterations;
    prk_report_rate("synch/s", 2.0 / avg, avg);
    return 0;
}
