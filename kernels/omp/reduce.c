/* reduce (OpenMP): element-wise reduction of vectors. Every thread holds
 * two vectors of the given length; each iteration it adds its second into
 * its first (the local reduction), then, after a barrier, the threads
 * together add the first vectors of threads 1..T-1 into thread 0's, each
 * thread summing one block of the elements (the global reduction).
 *
 * Usage: reduce <# threads> <# iterations> <vector length>
 * The vectors start at 1 and 2. Thread t>0's first vector is 1+2k after
 * round k, and thread 0's grows by 2 + (T-1)(1+2k) per round, so after
 * K = iterations+1 rounds (round 0 is untimed warm-up) every element of the
 * result is 1 + 2K + (T-1)K(K+2); each must match to a relative 1e-8.
 * Rate: (2T-1)*length flops per iteration. */
#include "prk.h"

int main(int argc, char **argv) {
    const char *usage = PRK_THREADS_USAGE "<# iterations> <vector length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long length = prk_arg(argc, argv, a0 + 1, "vector length", 1, 0, 1, usage);
    int nt = prk_nthreads;

    printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    printf("%s vector reduction\n", PRK_FLAVOUR);
    printf("Number of threads    = %d\n", nt);
    printf("Vector length        = %ld\n", length);
    printf("Number of iterations = %ld\n", iterations);

    double **vec = prk_malloc(sizeof(double *) * nt);
    double t0 = 0;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
        double *v = vec[me] = prk_malloc(sizeof(double) * 2 * length), *v2 = v + length;
        for (long i = 0; i < length; i++) { v[i] = 1.0; v2[i] = 2.0; }
        long lo = prk_block_lo(length, nt, me), hi = lo + prk_block_len(length, nt, me);
#pragma omp barrier
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = prk_wtime();
            }
            for (long i = 0; i < length; i++) v[i] += v2[i];
#pragma omp barrier
            double *r = vec[0];
            for (int t = 1; t < nt; t++) {
                const double *s = vec[t];
                for (long i = lo; i < hi; i++) r[i] += s[i];
            }
#pragma omp barrier
        }
    }
    double elapsed = prk_wtime() - t0;

    double K = (double)(iterations + 1);
    double expected = 1.0 + 2.0 * K + (double)(nt - 1) * K * (K + 2.0);
    int ok = 1;
    for (long i = 0; i < length; i++)
        if (fabs(vec[0][i] - expected) / expected > PRK_EPSILON) {
            printf("ERROR: element %ld is %lf, expected %lf\n", i, vec[0][i], expected);
            ok = 0;
            break;
        }
    for (int t = 0; t < nt; t++) free(vec[t]);
    free(vec);
    if (!ok) return 1;
    double avg = elapsed / iterations;
    prk_report_rate("MFlops/s", 1.0e-6 * (2.0 * nt - 1.0) * (double)length / avg, avg);
    return 0;
}
