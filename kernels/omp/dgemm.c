/* dgemm (OpenMP): C += A*B on order x order matrices, blocked: the threads
 * share the tiles of C, and each tile accumulates over the tiles of k.
 *
 * Usage: dgemm <# threads> <# iterations> <matrix order> [tile size]
 * A(i,j) = B(i,j) = j and C = 0, so every multiplication adds
 * order^3 (order-1)^2 / 4 to the sum of C. Iteration 0 is untimed warm-up;
 * validation requires the checksum to equal (iterations+1) times that to a
 * relative 1e-8. Rate: 2*order^3 flops per iteration, MFlops/s. */
#include "prk.h"
#include "dgemm.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <matrix order> [tile size]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long order = prk_arg(argc, argv, a0 + 1, "matrix order", 1, 0, 1, usage);
    long tile = prk_arg(argc, argv, a0 + 2, "tile size", 0, 32, 0, usage);
    if (tile <= 0 || tile > order) tile = order;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s dense matrix-matrix multiplication: C += A x B\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", prk_nthreads);
    printf("Matrix order         = %ld\n", order);
    printf("Tile size            = %ld\n", tile);
    printf("Number of iterations = %ld\n", iterations);

    /* Row-major: X(i,j) = X[i*order + j]. */
    double *A = prk_malloc(sizeof(double) * order * order);
    double *B = prk_malloc(sizeof(double) * order * order);
    double *C = prk_malloc(sizeof(double) * order * order);
    double t0 = 0, checksum = 0.0;
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long i = 0; i < order; i++)
            for (long j = 0; j < order; j++) {
                A[i * order + j] = B[i * order + j] = (double)j;
                C[i * order + j] = 0.0;
            }
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
#pragma omp for collapse(2) schedule(static)
            for (long it = 0; it < order; it += tile)
                for (long jt = 0; jt < order; jt += tile)
                    for (long kt = 0; kt < order; kt += tile) {
                        long ie = it + tile < order ? it + tile : order;
                        long je = jt + tile < order ? jt + tile : order;
                        long ke = kt + tile < order ? kt + tile : order;
                        dgemm_tile(ie - it, je - jt, ke - kt, A + it * order + kt, order, B + kt * order + jt, order,
                                   C + it * order + jt, order);
                    }
        }
    }
    double elapsed = prk_wtime() - t0;

#pragma omp parallel for reduction(+ : checksum)
    for (long k = 0; k < order * order; k++) checksum += C[k];
    double o = (double)order;
    double ref = 0.25 * o * o * o * (o - 1.0) * (o - 1.0) * (double)(iterations + 1);
    free(A); free(B); free(C);
    if (fabs(checksum - ref) / ref > PRK_EPSILON) {
        printf("ERROR: checksum = %lf, reference checksum = %lf\n", checksum, ref);
        return 1;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MFlops/s", 1.0e-6 * 2.0 * o * o * o / avg, avg);
    return 0;
}
