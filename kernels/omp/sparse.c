/* sparse (OpenMP): sparse matrix-vector multiplication, result +=
 * M*vector, with the matrix of the 2-D star stencil of the given radius on
 * a periodic grid of 2^lsize x 2^lsize points (common/sparse.h): one row
 * per point, 4r+1 non-zeros per row, M(row, col) = 1/(col+1). The threads
 * share the rows.
 *
 * Usage: sparse <# threads> <# iterations> <2log grid size> <stencil radius>
 * Before multiplication k (k = 0..iterations, 0 being untimed warm-up)
 * vector(c) += c+1, so every row of M*vector is (k+1)*(4r+1): the sum of the
 * result must be 0.5 * nnz * (iterations+1) * (iterations+2) to a relative
 * 1e-8. Rate: 2*nnz flops per iteration. */
#include "prk.h"
#include "sparse.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <2log grid size> <stencil radius>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long lsize = prk_arg(argc, argv, a0 + 1, "2log grid size", 1, 0, 1, usage);
    long radius = prk_arg(argc, argv, a0 + 2, "stencil radius", 1, 0, 1, usage);
    if (lsize > 15 || 2 * radius + 1 > (1L << lsize)) {
        fprintf(stderr, "ERROR: need 2log grid size <= 15 and stencil diameter <= grid size\n");
        return 1;
    }
    long size2 = (1L << lsize) * (1L << lsize), stencil = 4 * radius + 1;
    double nent = (double)size2 * (double)stencil;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s sparse matrix-vector multiplication\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", prk_nthreads);
    printf("Matrix order         = %ld\n", size2);
    printf("Stencil diameter     = %ld\n", 2 * radius + 1);
    printf("Sparsity             = %.10lf\n", nent / ((double)size2 * (double)size2));
    printf("Number of iterations = %ld\n", iterations);

    long *cols = prk_malloc(sizeof(long) * size2 * stencil);
    double *vals = prk_malloc(sizeof(double) * size2 * stencil);
    double *vector = prk_malloc(sizeof(double) * size2), *result = prk_malloc(sizeof(double) * size2);
    sparse_build(lsize, radius, 0, size2, cols, vals);
    double t0 = 0, sum = 0.0;
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long c = 0; c < size2; c++) vector[c] = result[c] = 0.0;
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
#pragma omp for schedule(static)
            for (long c = 0; c < size2; c++) vector[c] += (double)(c + 1);
#pragma omp for schedule(static)
            for (long r = 0; r < size2; r++) {
                double t = 0.0;
                for (long e = r * stencil; e < (r + 1) * stencil; e++) t += vals[e] * vector[cols[e]];
                result[r] += t;
            }
        }
    }
    double elapsed = prk_wtime() - t0;

#pragma omp parallel for reduction(+ : sum)
    for (long r = 0; r < size2; r++) sum += result[r];
    double ref = 0.5 * nent * (double)(iterations + 1) * (double)(iterations + 2);
    free(cols); free(vals); free(vector); free(result);
    if (fabs(sum - ref) / ref > PRK_EPSILON) {
        printf("ERROR: vector sum = %lf, reference vector sum = %lf\n", sum, ref);
        return 1;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MFlops/s", 1.0e-6 * 2.0 * nent / avg, avg);
    return 0;
}
