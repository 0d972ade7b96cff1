/* nstream (OpenMP): the STREAM triad A += B + scalar*C.
 *
 * Usage: nstream <# threads> <# iterations> <vector length> [offset]
 * Iteration 0 is untimed warm-up. Validation: from a=0, b=c=2 every element
 * follows a <- a + b + scalar*c, so sum |a| must equal length*a_final to a
 * relative 1e-8. Rate: 4*8 bytes per element per iteration, MB/s. */
#include "prk.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <vector length> [offset]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long n = prk_arg(argc, argv, a0 + 1, "vector length", 1, 0, 1, usage);
    long offset = prk_arg(argc, argv, a0 + 2, "offset", 0, 0, 0, usage);

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s STREAM triad: A = B + scalar*C\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", prk_nthreads);
    printf("Vector length        = %ld\n", n);
    printf("Offset               = %ld\n", offset);
    printf("Number of iterations = %ld\n", iterations);

    double *space = prk_malloc((3 * n + 2 * offset) * sizeof(double));
    double *a = space, *b = a + n + offset, *c = b + n + offset;
    const double scalar = 3.0;
    double t0 = 0, asum = 0.0;
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long j = 0; j < n; j++) { a[j] = 0.0; b[j] = 2.0; c[j] = 2.0; }
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
#pragma omp for schedule(static)
            for (long j = 0; j < n; j++) a[j] += b[j] + scalar * c[j];
        }
    }
    double elapsed = prk_wtime() - t0;

    double aj = 0.0, bj = 2.0, cj = 2.0;
    for (long iter = 0; iter <= iterations; iter++) aj += bj + scalar * cj;
    double expected = aj * (double)n;
#pragma omp parallel for reduction(+ : asum)
    for (long j = 0; j < n; j++) asum += fabs(a[j]);
    double err = fabs(asum - expected) / expected;
    free(space);
    if (err > PRK_EPSILON) {
        printf("ERROR: checksum %lf differs from the expected %lf (relative error %e)\n", asum, expected, err);
        return 1;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MB/s", 1.0e-6 * 4.0 * sizeof(double) * (double)n / avg, avg);
    return 0;
}
