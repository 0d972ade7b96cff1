/* reduce: element-wise reduction of vectors. Every rank holds two vectors
 * of the given length; each iteration it adds the second into the first
 * (the local reduction) and the first vectors of all ranks are summed
 * into rank 0 (the global reduction, MPI_Reduce).
 *
 * Usage: reduce <# iterations> <vector length>
 * The vectors start at 1 and 2, so after K = iterations+1 rounds (round 0
 * is untimed warm-up) every element of the result is np*(1+2K); each
 * element must match to a relative 1e-8. Rate: (2*np-1)*length flops per
 * iteration. */
#include <mpi.h>
#include "prk.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = "<# iterations> <vector length>";
    long iterations = prk_arg(argc, argv, 1, "# iterations", 1, 0, 1, usage);
    long length = prk_arg(argc, argv, 2, "vector length", 1, 0, 1, usage);

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s vector reduction\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Vector length        = %ld\n", length);
    prk_printf("Number of iterations = %ld\n", iterations);

    double *v = prk_malloc(sizeof(double) * 2 * length), *v2 = v + length;
    double *result = prk_malloc(sizeof(double) * length);
    for (long i = 0; i < length; i++) { v[i] = 1.0; v2[i] = 2.0; result[i] = 0.0; }

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        for (long i = 0; i < length; i++) v[i] += v2[i];
        MPI_Reduce(v, result, (int)length, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    int ok = 1;
    if (prk_me == 0) {
        double expected = (double)prk_np * (1.0 + 2.0 * (double)(iterations + 1));
        for (long i = 0; i < length; i++)
            if (fabs(result[i] - expected) / expected > PRK_EPSILON) {
                printf("ERROR: element %ld is %lf, expected %lf\n", i, result[i], expected);
                ok = 0;
                break;
            }
        if (ok) {
            double avg = elapsed / iterations;
            prk_report_rate("MFlops/s", 1.0e-6 * (2.0 * prk_np - 1.0) * (double)length / avg, avg);
        }
    }
    free(v); free(result);
    return prk_mpi_finish(ok);
}
