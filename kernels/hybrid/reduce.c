/* reduce (MPI+OpenMP): element-wise reduction of vectors over ranks x
 * threads. Every thread of every rank holds two vectors of the given
 * length. Each iteration every thread adds its second vector into its
 * first (the local reduction); after a barrier the threads of a rank
 * together add the first vectors of threads 1..T-1 into thread 0's, each
 * thread summing one block of the elements; then the master thread sums
 * thread 0's vectors of all ranks into rank 0 (MPI_Reduce, the global
 * reduction; MPI is called by the master thread only).
 *
 * Usage: reduce <# threads> <# iterations> <vector length>
 * The vectors start at 1 and 2. A thread t>0's first vector is 1+2k after
 * round k, and thread 0's grows by 2 + (T-1)(1+2k) per round, so after
 * K = iterations+1 rounds (round 0 is untimed warm-up) thread 0's vector is
 * 1 + 2K + (T-1)K(K+2) on every rank and every element of the result is np
 * times that; each must match to a relative 1e-8.
 * Rate: (2*np*T-1)*length flops per iteration. */
#include <mpi.h>
#include "prk.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <vector length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long length = prk_arg(argc, argv, a0 + 1, "vector length", 1, 0, 1, usage);
    prk_mpi_require(length <= 0x7fffffffL, "vector length must fit an MPI count");
    int nt = prk_nthreads;

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s vector reduction\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Threads per rank     = %d\n", nt);
    prk_printf("Vector length        = %ld\n", length);
    prk_printf("Number of iterations = %ld\n", iterations);

    double **vec = prk_malloc(sizeof(double *) * nt);
    double *result = prk_malloc(sizeof(double) * length);
    double t0 = 0;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
        /* Each thread allocates and first touches its own vectors. */
        double *v = vec[me] = prk_malloc(sizeof(double) * 2 * length), *v2 = v + length;
        for (long i = 0; i < length; i++) { v[i] = 1.0; v2[i] = 2.0; }
        long lo = prk_block_lo(length, nt, me), hi = lo + prk_block_len(length, nt, me);
        for (long i = lo; i < hi; i++) result[i] = 0.0;
#pragma omp barrier
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
#pragma omp barrier
            }
            for (long i = 0; i < length; i++) v[i] += v2[i];
#pragma omp barrier
            double *r = vec[0];
            for (int t = 1; t < nt; t++) {
                const double *s = vec[t];
                for (long i = lo; i < hi; i++) r[i] += s[i];
            }
#pragma omp barrier
#pragma omp master
            MPI_Reduce(vec[0], result, (int)length, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
            /* Thread 0's vector is the send buffer: nobody may add to it
             * again before the reduction has read it. */
#pragma omp barrier
        }
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    int ok = 1;
    if (prk_me == 0) {
        double K = (double)(iterations + 1);
        double expected = (double)prk_np * (1.0 + 2.0 * K + (double)(nt - 1) * K * (K + 2.0));
        for (long i = 0; i < length; i++)
            if (fabs(result[i] - expected) / expected > PRK_EPSILON) {
                printf("ERROR: element %ld is %lf, expected %lf\n", i, result[i], expected);
                ok = 0;
                break;
            }
        if (ok) {
            double avg = elapsed / iterations;
            prk_report_rate("MFlops/s", 1.0e-6 * (2.0 * prk_np * nt - 1.0) * (double)length / avg, avg);
        }
    }
    for (int t = 0; t < nt; t++) free(vec[t]);
    free(vec); free(result);
    return prk_mpi_finish(ok);
}
