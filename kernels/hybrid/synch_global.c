/* synch_global (MPI+OpenMP, Synch_global): repeated global synchronisation
 * of every thread of every rank. A string of the given length is split into
 * blocks over the ranks and each rank's block again over its threads, and
 * every rank keeps a copy of the whole string shared by its threads. In
 * each iteration every thread writes its part of its rank's block of the
 * string rotated left by one character (taken from its rank's copy); a
 * thread barrier; the master thread exchanges the blocks of all ranks
 * (MPI_Allgatherv into the rank's copy; MPI is called by the master thread
 * only); a thread barrier. The two barriers and the exchange together are
 * the global synchronisation point: no thread anywhere starts iteration
 * k+1 before every thread everywhere has written its part of iteration k.
 *
 * Usage: synch_global <# threads> <# iterations> <scramble string length>
 * After K = iterations+1 rounds (round 0 is untimed warm-up) every copy
 * must be the original rotated by K: the threads of each rank compare
 * every character of the rank's copy, and rank 0 also compares the
 * checksums. Rate: global synchronisations/s. */
#include <mpi.h>
#include "prk.h"
#include "synch_global.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <scramble string length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long len = prk_arg(argc, argv, a0 + 1, "scramble string length", 1, 0, 1, usage);
    prk_mpi_require(len < (1L << 30), "string too long");
    int nt = prk_nthreads;

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s global synchronization\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Threads per rank     = %d\n", nt);
    prk_printf("Scramble string length = %ld\n", len);
    prk_printf("Number of iterations = %ld\n", iterations);

    char *str = prk_malloc(len), *seg = prk_malloc(len);
    int *counts = prk_malloc(sizeof(int) * prk_np), *displs = prk_malloc(sizeof(int) * prk_np);
    for (int p = 0; p < prk_np; p++) {
        counts[p] = (int)prk_block_len(len, prk_np, p);
        displs[p] = (int)prk_block_lo(len, prk_np, p);
    }
    long lo = displs[prk_me], n = counts[prk_me];
    for (long i = 0; i < len; i++) str[i] = orig_char(i);

    long errors = 0, k = (iterations + 1) % len;
    double t0 = 0;
#pragma omp parallel reduction(+ : errors)
    {
        prk_check_team();
        int me = omp_get_thread_num();
        /* This thread's part of the rank's block, as offsets into seg. */
        long ilo = prk_block_lo(n, nt, me), ihi = ilo + prk_block_len(n, nt, me);
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
#pragma omp barrier
            }
            sg_rotate(seg + ilo, str, lo + ilo, ihi - ilo, len);
#pragma omp barrier
#pragma omp master
            MPI_Allgatherv(seg, (int)n, MPI_CHAR, str, counts, displs, MPI_CHAR, MPI_COMM_WORLD);
#pragma omp barrier
        }
        long clo = prk_block_lo(len, nt, me), chi = clo + prk_block_len(len, nt, me);
        for (long i = clo; i < chi; i++)
            if (str[i] != orig_char((i + k) % len)) errors++;
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    long gerrors = 0;
    MPI_Reduce(&errors, &gerrors, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        ok = sg_verdict(str, len, gerrors, "ranks");
        if (ok) {
            double avg = elapsed / iterations;
            prk_report_rate("synch/s", 1.0 / avg, avg);
        }
    }
    free(str); free(seg); free(counts); free(displs);
    return prk_mpi_finish(ok);
}
