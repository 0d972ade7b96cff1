/* p2p (Synch_p2p): a wavefront pipeline. Every iteration sweeps an m x n
 * grid with A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1); the columns are
 * distributed in blocks over the ranks, and each rank receives its left
 * neighbour's last column, grain rows at a time, before computing those rows.
 * At the end of an iteration the last rank sends the top-right corner to
 * rank 0, which sets A(0,0) = -corner, chaining the iterations.
 *
 * Usage: p2p <# iterations> <first array dimension m> <second array
 * dimension n> [grain]     (n must be at least twice the number of ranks)
 * The edges start at A(0,j) = j and A(i,0) = i, so after iterations+1
 * sweeps (sweep 0 is untimed warm-up) the corner is
 * (iterations+1)*(m+n-2); it must match to a relative 1e-8.
 * Rate: 2*(m-1)*(n-1) flops per iteration. */
#include <mpi.h>
#include "prk.h"
#include "p2p.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = "<# iterations> <first array dimension> <second array dimension> [grain]";
    long iterations = prk_arg(argc, argv, 1, "# iterations", 1, 0, 1, usage);
    long m = prk_arg(argc, argv, 2, "first array dimension", 2, 0, 1, usage);
    long n = prk_arg(argc, argv, 3, "second array dimension", 2, 0, 1, usage);
    long grain = prk_arg(argc, argv, 4, "grain", 1, 1, 0, usage);
    prk_mpi_require(n >= 2L * prk_np, "second array dimension must be at least twice the number of ranks");
    if (grain > m - 1) grain = m - 1;

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s pipeline execution on 2D grid\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Grid sizes           = %ld, %ld\n", m, n);
    prk_printf("Grain (rows/message) = %ld\n", grain);
    prk_printf("Number of iterations = %ld\n", iterations);

    long nj = prk_block_len(n, prk_np, prk_me), j0 = prk_block_lo(n, prk_np, prk_me);
    long ld = nj + 1; /* local column 0 is the ghost column j0-1 */
#define A(i, jl) a[(i) * ld + (jl)]
    double *a = prk_malloc(sizeof(double) * m * ld);
    double *buf = prk_malloc(sizeof(double) * grain);
    for (long i = 0; i < m; i++)
        for (long jl = 0; jl < ld; jl++) A(i, jl) = 0.0;
    for (long jl = 0; jl < ld; jl++) A(0, jl) = (double)(j0 + jl - 1);
    if (prk_me == 0)
        for (long i = 0; i < m; i++) A(i, 1) = (double)i;
    int left = prk_me - 1, right = prk_me + 1 < prk_np ? prk_me + 1 : -1;
    long jstart = prk_me == 0 ? 2 : 1; /* global column 0 is fixed */

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        for (long i0 = 1; i0 < m; i0 += grain) {
            long rows = i0 + grain <= m ? grain : m - i0;
            if (left >= 0) {
                MPI_Recv(buf, (int)rows, MPI_DOUBLE, left, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                for (long r = 0; r < rows; r++) A(i0 + r, 0) = buf[r];
            }
            p2p_sweep(a, ld, i0, i0 + rows, jstart, nj + 1);
            if (right >= 0) {
                for (long r = 0; r < rows; r++) buf[r] = A(i0 + r, nj);
                MPI_Send(buf, (int)rows, MPI_DOUBLE, right, 1, MPI_COMM_WORLD);
            }
        }
        /* Close the loop: A(0,0) = -A(m-1,n-1). */
        if (prk_np == 1) {
            A(0, 1) = -A(m - 1, nj);
        } else if (prk_me == prk_np - 1) {
            double corner = -A(m - 1, nj);
            MPI_Send(&corner, 1, MPI_DOUBLE, 0, 2, MPI_COMM_WORLD);
        } else if (prk_me == 0) {
            MPI_Recv(&A(0, 1), 1, MPI_DOUBLE, prk_np - 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    int ok = 1;
    if (prk_me == 0) ok = p2p_verdict(-A(0, 1), iterations, m, n, elapsed);
    free(a); free(buf);
    return prk_mpi_finish(ok);
}
