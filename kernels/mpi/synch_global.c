/* synch_global (Synch_global): repeated global synchronisation. A string of
 * the given length is split into blocks over the ranks; in each iteration
 * every rank writes its block of the string rotated left by one character
 * (taken from its own copy of the whole string) and all ranks then
 * exchange blocks (MPI_Allgatherv), the global synchronisation point,
 * so every copy is the rotated string.
 *
 * Usage: synch_global <# iterations> <scramble string length>
 * After K = iterations+1 rounds (round 0 is untimed warm-up) every copy
 * must be the original rotated by K: each rank compares every character,
 * and rank 0 also compares the checksums. Rate: synchronisations/s. */
#include <mpi.h>
#include "prk.h"
#include "synch_global.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = "<# iterations> <scramble string length>";
    long iterations = prk_arg(argc, argv, 1, "# iterations", 1, 0, 1, usage);
    long len = prk_arg(argc, argv, 2, "scramble string length", 1, 0, 1, usage);
    prk_mpi_require(len < (1L << 30), "string too long");

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s global synchronization\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
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

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        sg_rotate(seg, str, lo, n, len);
        MPI_Allgatherv(seg, (int)n, MPI_CHAR, str, counts, displs, MPI_CHAR, MPI_COMM_WORLD);
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    long errors = 0, gerrors = 0, k = (iterations + 1) % len;
    for (long i = 0; i < len; i++)
        if (str[i] != orig_char((i + k) % len)) errors++;
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
