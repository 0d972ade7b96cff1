/* stencil (OpenMP): a radius-2 star stencil applied to an n x n grid; the
 * threads share the rows.
 *
 * Usage: stencil <# threads> <# iterations> <array dimension>
 * in(i,j) starts at i+j (COEFX = COEFY = 1) and out at 0. Each iteration
 * adds the stencil of in to out on the interior points (at least 2 from the
 * edge), then adds 1 to every point of in. The weights are +-1/(2*k*R) at
 * distance k, so each iteration adds COEFX+COEFY to every interior point:
 * validation requires the mean |out| over the interior to equal
 * (iterations+1)*(COEFX+COEFY) to a relative 1e-8. Iteration 0 is untimed
 * warm-up. Rate: (2*(4R+1)+1) flops per interior point. */
#include "prk.h"
#include "stencil.h"

#define COEFX 1.0
#define COEFY 1.0

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <array dimension>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long n = prk_arg(argc, argv, a0 + 1, "array dimension", 2 * R + 1, 0, 1, usage);

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s stencil execution on 2D grid\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", prk_nthreads);
    printf("Grid size            = %ld\n", n);
    printf("Radius of stencil    = %d\n", R);
    printf("Type of stencil      = star\n");
    printf("Number of iterations = %ld\n", iterations);

    double *in = prk_malloc(sizeof(double) * n * n), *out = prk_malloc(sizeof(double) * n * n);
#define IN(x, y) in[(y) * n + (x)]
#define OUT(x, y) out[(y) * n + (x)]
    double t0 = 0, norm = 0.0;
#pragma omp parallel
    {
        prk_check_team();
#pragma omp for schedule(static)
        for (long y = 0; y < n; y++)
            for (long x = 0; x < n; x++) {
                IN(x, y) = COEFX * (double)x + COEFY * (double)y;
                OUT(x, y) = 0.0;
            }
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
#pragma omp for schedule(static)
            for (long y = R; y < n - R; y++) stencil_row(&OUT(0, y), &IN(0, y), n, R, n - R);
#pragma omp for schedule(static)
            for (long y = 0; y < n; y++)
                for (long x = 0; x < n; x++) IN(x, y) += 1.0;
        }
    }
    double elapsed = prk_wtime() - t0;

#pragma omp parallel for reduction(+ : norm)
    for (long y = R; y < n - R; y++)
        for (long x = R; x < n - R; x++) norm += fabs(OUT(x, y));
    double active = (double)(n - 2 * R) * (double)(n - 2 * R);
    norm /= active;
    double reference = (double)(iterations + 1) * (COEFX + COEFY);
    free(in); free(out);
    if (fabs(norm - reference) / reference > PRK_EPSILON) {
        printf("ERROR: L1 norm = %lf, reference L1 norm = %lf\n", norm, reference);
        return 1;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MFlops/s", 1.0e-6 * (double)(2 * (4 * R + 1) + 1) * active / avg, avg);
    return 0;
}
