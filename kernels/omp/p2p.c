/* p2p (OpenMP, Synch_p2p): a wavefront pipeline. Every iteration sweeps an
 * m x n grid with A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1). The columns are
 * split into one block per thread and the rows into chunks of <grain> rows;
 * in pipeline stage s thread t computes its block of row chunk s-t, and a
 * barrier separates the stages, so each thread starts a chunk only once its
 * left neighbour has finished it. At the end of an iteration
 * A(0,0) = -A(m-1,n-1), chaining the iterations.
 *
 * Usage: p2p <# threads> <# iterations> <first array dimension m>
 *            <second array dimension n> [grain]
 * The edges start at A(0,j) = j and A(i,0) = i, so after iterations+1
 * sweeps (sweep 0 is untimed warm-up) the corner is
 * (iterations+1)*(m+n-2); it must match to a relative 1e-8.
 * Rate: 2*(m-1)*(n-1) flops per iteration. */
#include "prk.h"
#include "p2p.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <first array dimension> <second array dimension> [grain]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long m = prk_arg(argc, argv, a0 + 1, "first array dimension", 2, 0, 1, usage);
    long n = prk_arg(argc, argv, a0 + 2, "second array dimension", 2, 0, 1, usage);
    long grain = prk_arg(argc, argv, a0 + 3, "grain", 1, 8, 0, usage);
    int nt = prk_nthreads;
    if (n - 1 < nt) {
        fprintf(stderr, "ERROR: second array dimension must exceed the number of threads\n");
        return 1;
    }
    if (grain > m - 1) grain = m - 1;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s pipeline execution on 2D grid\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", nt);
    printf("Grid sizes           = %ld, %ld\n", m, n);
    printf("Grain (rows/stage)   = %ld\n", grain);
    printf("Number of iterations = %ld\n", iterations);

    double *a = prk_malloc(sizeof(double) * m * n);
#define A(i, j) a[(i) * n + (j)]
    long chunks = (m - 1 + grain - 1) / grain;
    double t0 = 0;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
        /* Columns 1..n-1 in blocks; column 0 is fixed. */
        long jlo = 1 + prk_block_lo(n - 1, nt, me), jhi = jlo + prk_block_len(n - 1, nt, me);
#pragma omp for schedule(static)
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) A(i, j) = i == 0 ? (double)j : j == 0 ? (double)i : 0.0;
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
            for (long s = 0; s < chunks + nt - 1; s++) {
                long c = s - me;
                if (c >= 0 && c < chunks) {
                    long ihi = 1 + (c + 1) * grain < m ? 1 + (c + 1) * grain : m;
                    p2p_sweep(a, n, 1 + c * grain, ihi, jlo, jhi);
                }
#pragma omp barrier
            }
#pragma omp master
            A(0, 0) = -A(m - 1, n - 1);
#pragma omp barrier
        }
    }
    double elapsed = prk_wtime() - t0;

    double corner = A(m - 1, n - 1);
    free(a);
    return p2p_verdict(corner, iterations, m, n, elapsed) ? 0 : 1;
}
