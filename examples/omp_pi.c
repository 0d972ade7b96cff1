/* OpenMP demo: pi by numerical integration with a parallel reduction, a
 * dynamic schedule and a named critical section. Built with
 * `faasm-cc -fopenmp` it runs unmodified as one Faaslet per thread. */
#include <omp.h>
#include <stdio.h>

int main(void) {
    const long n = 20000000;
    const double h = 1.0 / n;
    double sum = 0;
    int threads = 0;
    double t0 = omp_get_wtime();
#pragma omp parallel
    {
#pragma omp for reduction(+ : sum) schedule(dynamic, 100000)
        for (long i = 0; i < n; i++) {
            double x = (i + 0.5) * h;
            sum += 4.0 / (1.0 + x * x);
        }
#pragma omp critical(count)
        threads++;
    }
    printf("pi = %.12f with %d threads (%.3f s)\n", sum * h, threads, omp_get_wtime() - t0);
    return 0;
}
