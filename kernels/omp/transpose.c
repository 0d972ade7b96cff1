/* transpose (OpenMP): B += A^T, then A += 1, tile by tile; the threads
 * share the tiles of B.
 *
 * Usage: transpose <# threads> <# iterations> <matrix order> [tile size]
 * A(i,j) starts at order*j+i and B at 0; iteration 0 is untimed warm-up, so
 * after iterations+1 rounds B(i,j) = (iterations+1)*(order*i+j) +
 * iterations*(iterations+1)/2 exactly. Validation sums |B - expected| and
 * requires it below 1e-8. Rate: 2*8*order^2 bytes per iteration, MB/s. */
#include "prk.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <matrix order> [tile size]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long order = prk_arg(argc, argv, a0 + 1, "matrix order", 1, 0, 1, usage);
    long tile = prk_arg(argc, argv, a0 + 2, "tile size", 0, 32, 0, usage);
    if (tile <= 0 || tile > order) tile = order;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s matrix transpose: B = A^T\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", prk_nthreads);
    printf("Matrix order         = %ld\n", order);
    printf("Tile size            = %ld\n", tile);
    printf("Number of iterations = %ld\n", iterations);

    /* Row-major: X(i,j) = X[i*order + j]. */
    double *A = prk_malloc(sizeof(double) * order * order);
    double *B = prk_malloc(sizeof(double) * order * order);
    double t0 = 0, abserr = 0.0;
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long i = 0; i < order; i++)
            for (long j = 0; j < order; j++) {
                A[i * order + j] = (double)(order * j + i);
                B[i * order + j] = 0.0;
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
                    for (long i = it; i < it + tile && i < order; i++)
                        for (long j = jt; j < jt + tile && j < order; j++) {
                            B[i * order + j] += A[j * order + i];
                            A[j * order + i] += 1.0;
                        }
        }
    }
    double elapsed = prk_wtime() - t0;

    double addit = ((double)iterations * (double)(iterations + 1)) / 2.0;
#pragma omp parallel for reduction(+ : abserr)
    for (long i = 0; i < order; i++)
        for (long j = 0; j < order; j++)
            abserr += fabs(B[i * order + j] - ((double)(order * i + j) * (double)(iterations + 1) + addit));
    free(A); free(B);
    if (abserr >= PRK_EPSILON) {
        printf("ERROR: aggregate absolute error %e exceeds threshold %e\n", abserr, PRK_EPSILON);
        return 1;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MB/s", 1.0e-6 * 2.0 * sizeof(double) * (double)order * (double)order / avg, avg);
    return 0;
}
