/* nstream: the STREAM triad A += B + scalar*C on vectors distributed in
 * blocks over the ranks (hybrid build: OpenMP loops inside each rank).
 *
 * Usage: nstream [<# threads>] <# iterations> <vector length> [offset]
 * The vector length is the total over all ranks; offset pads between the
 * three arrays. Iteration 0 is untimed warm-up; iterations 1..n are timed.
 * Validation: every element follows a_j <- a_j + b + scalar*c from a=0,
 * b=c=2, so sum |a| must equal length*a_final to a relative 1e-8. */
#include <mpi.h>
#include "prk.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <vector length> [offset]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long total = prk_arg(argc, argv, a0 + 1, "vector length", 1, 0, 1, usage);
    long offset = prk_arg(argc, argv, a0 + 2, "offset", 0, 0, 0, usage);
    prk_mpi_require(total >= prk_np, "vector length must be at least the number of ranks");
    long n = prk_block_len(total, prk_np, prk_me);

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s STREAM triad: A = B + scalar*C\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
#ifdef _OPENMP
    prk_printf("Threads per rank     = %d\n", prk_nthreads);
#endif
    prk_printf("Vector length        = %ld\n", total);
    prk_printf("Offset               = %ld\n", offset);
    prk_printf("Number of iterations = %ld\n", iterations);

    double *space = prk_malloc((3 * n + 2 * offset) * sizeof(double));
    double *a = space, *b = a + n + offset, *c = b + n + offset;
    const double scalar = 3.0;
    double t0 = 0;

#ifdef _OPENMP
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long j = 0; j < n; j++) { a[j] = 0.0; b[j] = 2.0; c[j] = 2.0; }
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
#pragma omp barrier
            }
#pragma omp for schedule(static)
            for (long j = 0; j < n; j++) a[j] += b[j] + scalar * c[j];
        }
    }
#else
    for (long j = 0; j < n; j++) { a[j] = 0.0; b[j] = 2.0; c[j] = 2.0; }
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        for (long j = 0; j < n; j++) a[j] += b[j] + scalar * c[j];
    }
#endif
    double elapsed = prk_max_time(prk_wtime() - t0);

    double aj = 0.0, bj = 2.0, cj = 2.0;
    for (long iter = 0; iter <= iterations; iter++) aj += bj + scalar * cj;
    double expected = aj * (double)total, asum = 0.0, gsum = 0.0;
    for (long j = 0; j < n; j++) asum += fabs(a[j]);
    MPI_Reduce(&asum, &gsum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        double err = fabs(gsum - expected) / expected;
        if (err > PRK_EPSILON) {
            printf("ERROR: checksum %lf differs from the expected %lf (relative error %e)\n", gsum, expected, err);
            ok = 0;
        } else {
            double avg = elapsed / iterations;
            prk_report_rate("MB/s", 1.0e-6 * 4.0 * sizeof(double) * (double)total / avg, avg);
        }
    }
    free(space);
    return prk_mpi_finish(ok);
}
