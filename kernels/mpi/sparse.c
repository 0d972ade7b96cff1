/* sparse: sparse matrix-vector multiplication, result += M*vector, with
 * the matrix of the 2-D star stencil of the given radius on a periodic
 * grid of 2^lsize x 2^lsize points (common/sparse.h): one row per point,
 * 4r+1 non-zeros per row, M(row, col) = 1/(col+1). Rows are distributed in
 * blocks over the ranks; the vector is replicated. Hybrid build: OpenMP
 * over each rank's rows.
 *
 * Usage: sparse [<# threads>] <# iterations> <2log grid size> <stencil radius>
 * Before multiplication k (k = 0..iterations, 0 being untimed warm-up)
 * vector(c) += c+1, so vector(c) = (k+1)(c+1) and every row of M*vector is
 * (k+1)*(4r+1): the sum of the result must be
 * 0.5 * nnz * (iterations+1) * (iterations+2) to a relative 1e-8.
 * Rate: 2*nnz flops per iteration. */
#include <mpi.h>
#include "prk.h"
#include "sparse.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <2log grid size> <stencil radius>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long lsize = prk_arg(argc, argv, a0 + 1, "2log grid size", 1, 0, 1, usage);
    long radius = prk_arg(argc, argv, a0 + 2, "stencil radius", 1, 0, 1, usage);
    long size = 1L << lsize, size2 = size * size;
    prk_mpi_require(lsize <= 15, "2log grid size must be at most 15");
    prk_mpi_require(2 * radius + 1 <= size, "stencil diameter must not exceed the grid size");
    prk_mpi_require(size2 >= prk_np, "need at least one matrix row per rank");

    long nr = prk_block_len(size2, prk_np, prk_me), r0 = prk_block_lo(size2, prk_np, prk_me);
    long stencil = 4 * radius + 1;
    double nent = (double)size2 * (double)stencil;
    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s sparse matrix-vector multiplication\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
#ifdef _OPENMP
    prk_printf("Threads per rank     = %d\n", prk_nthreads);
#endif
    prk_printf("Matrix order         = %ld\n", size2);
    prk_printf("Stencil diameter     = %ld\n", 2 * radius + 1);
    prk_printf("Sparsity             = %.10lf\n", nent / ((double)size2 * (double)size2));
    prk_printf("Number of iterations = %ld\n", iterations);

    long *cols = prk_malloc(sizeof(long) * nr * stencil);
    double *vals = prk_malloc(sizeof(double) * nr * stencil);
    double *vector = prk_malloc(sizeof(double) * size2);
    double *result = prk_malloc(sizeof(double) * nr);
    sparse_build(lsize, radius, r0, nr, cols, vals);
#pragma omp parallel for schedule(static)
    for (long c = 0; c < size2; c++) vector[c] = 0.0;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < nr; r++) result[r] = 0.0;

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
#pragma omp parallel
        {
#pragma omp for schedule(static)
            for (long c = 0; c < size2; c++) vector[c] += (double)(c + 1);
#pragma omp for schedule(static)
            for (long r = 0; r < nr; r++) {
                double t = 0.0;
                for (long e = r * stencil; e < (r + 1) * stencil; e++) t += vals[e] * vector[cols[e]];
                result[r] += t;
            }
        }
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    double sum = 0.0, gsum = 0.0;
    for (long r = 0; r < nr; r++) sum += result[r];
    MPI_Reduce(&sum, &gsum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        double ref = 0.5 * nent * (double)(iterations + 1) * (double)(iterations + 2);
        if (fabs(gsum - ref) / ref > PRK_EPSILON) {
            printf("ERROR: vector sum = %lf, reference vector sum = %lf\n", gsum, ref);
            ok = 0;
        } else {
            double avg = elapsed / iterations;
            prk_report_rate("MFlops/s", 1.0e-6 * 2.0 * nent / avg, avg);
        }
    }
    free(cols); free(vals); free(vector); free(result);
    return prk_mpi_finish(ok);
}
