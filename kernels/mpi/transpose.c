/* transpose: B += A^T, then A += 1, on order x order matrices distributed
 * in column blocks over the ranks (hybrid build: OpenMP inside each rank).
 *
 * Usage: transpose [<# threads>] <# iterations> <matrix order> [tile size]
 * The order must be divisible by the number of ranks. In phase p each rank
 * transposes, tile by tile, the block that rank (me+p) needs into a buffer
 * and sends it; the block from rank (me-p) is added into B.
 * A(i,j) starts at order*j+i and B at 0. Iteration 0 is untimed warm-up, so
 * after iterations+1 rounds B(i,j) = (iterations+1)*(order*i+j) +
 * iterations*(iterations+1)/2 exactly; validation sums |B - expected| over
 * the matrix and requires it below 1e-8. */
#include <mpi.h>
#include "prk.h"

/* Column-major local blocks: X(i, jl) = X[jl*order + i]. */
int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <matrix order> [tile size]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long order = prk_arg(argc, argv, a0 + 1, "matrix order", 1, 0, 1, usage);
    long tile = prk_arg(argc, argv, a0 + 2, "tile size", 0, 32, 0, usage);
    prk_mpi_require(order % prk_np == 0, "matrix order must be divisible by the number of ranks");
    long cb = order / prk_np; /* columns per rank */
    if (tile <= 0 || tile > cb) tile = cb;

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s matrix transpose: B = A^T\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
#ifdef _OPENMP
    prk_printf("Threads per rank     = %d\n", prk_nthreads);
#endif
    prk_printf("Matrix order         = %ld\n", order);
    prk_printf("Tile size            = %ld\n", tile);
    prk_printf("Number of iterations = %ld\n", iterations);

    long c0 = cb * prk_me;
    double *A = prk_malloc(sizeof(double) * order * cb);
    double *B = prk_malloc(sizeof(double) * order * cb);
    double *out = prk_malloc(sizeof(double) * cb * cb);
    double *in = prk_malloc(sizeof(double) * cb * cb);

#pragma omp parallel for schedule(static)
    for (long jl = 0; jl < cb; jl++)
        for (long i = 0; i < order; i++) {
            A[jl * order + i] = (double)(order * (c0 + jl) + i);
            B[jl * order + i] = 0.0;
        }

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        for (int phase = 0; phase < prk_np; phase++) {
            int to = (prk_me + phase) % prk_np, from = (prk_me - phase + prk_np) % prk_np;
            long r0 = cb * to; /* rows of A that rank 'to' needs */
            MPI_Request req[2];
            if (phase > 0) MPI_Irecv(in, (int)(cb * cb), MPI_DOUBLE, from, phase, MPI_COMM_WORLD, &req[0]);
            double *dst = phase == 0 ? in : out;
            /* dst(il, jl) = A(r0+jl, c0+il), stored dst[jl*cb + il]. */
#pragma omp parallel for schedule(static)
            for (long jt = 0; jt < cb; jt += tile)
                for (long it = 0; it < cb; it += tile)
                    for (long jl = jt; jl < jt + tile && jl < cb; jl++)
                        for (long il = it; il < it + tile && il < cb; il++)
                            dst[jl * cb + il] = A[il * order + r0 + jl];
            if (phase > 0) {
                MPI_Isend(out, (int)(cb * cb), MPI_DOUBLE, to, phase, MPI_COMM_WORLD, &req[1]);
                MPI_Waitall(2, req, MPI_STATUSES_IGNORE);
            }
            long f0 = cb * from;
#pragma omp parallel for schedule(static)
            for (long jl = 0; jl < cb; jl++)
                for (long il = 0; il < cb; il++) B[jl * order + f0 + il] += in[jl * cb + il];
        }
#pragma omp parallel for schedule(static)
        for (long k = 0; k < order * cb; k++) A[k] += 1.0;
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    double addit = ((double)iterations * (double)(iterations + 1)) / 2.0, abserr = 0.0, gerr = 0.0;
    for (long jl = 0; jl < cb; jl++)
        for (long i = 0; i < order; i++) {
            double expected = (double)(order * i + c0 + jl) * (double)(iterations + 1) + addit;
            abserr += fabs(B[jl * order + i] - expected);
        }
    MPI_Reduce(&abserr, &gerr, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        if (gerr >= PRK_EPSILON) {
            printf("ERROR: aggregate absolute error %e exceeds threshold %e\n", gerr, PRK_EPSILON);
            ok = 0;
        } else {
            double avg = elapsed / iterations;
            prk_report_rate("MB/s", 1.0e-6 * 2.0 * sizeof(double) * (double)order * (double)order / avg, avg);
        }
    }
    free(A); free(B); free(out); free(in);
    return prk_mpi_finish(ok);
}
