/* p2p (MPI+OpenMP, Synch_p2p): a wavefront pipeline over ranks and the
 * threads inside them. Every iteration sweeps an m x n grid with
 * A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1). The columns are distributed
 * in blocks over the ranks and each rank's block again in sub-blocks over
 * its threads; the rows are cut into chunks of <grain> rows. In pipeline
 * stage s thread t computes its sub-block of chunk s-t and a barrier ends
 * the stage, so a thread starts a chunk only once its left neighbour has
 * finished it. Between ranks the master thread (the only one calling MPI)
 * receives the left rank's last column of chunk s before the stage, and
 * sends its own rank's last column of a chunk to the right rank as soon as
 * the rank's last thread has finished that chunk. At the end of an
 * iteration the last rank sends the top-right corner to rank 0, which sets
 * A(0,0) = -corner, chaining the iterations.
 *
 * Usage: p2p <# threads> <# iterations> <first array dimension m>
 *            <second array dimension n> [grain]
 * (n must be at least twice the number of ranks)
 * The edges start at A(0,j) = j and A(i,0) = i, so after iterations+1
 * sweeps (sweep 0 is untimed warm-up) the corner is
 * (iterations+1)*(m+n-2); it must match to a relative 1e-8.
 * Rate: 2*(m-1)*(n-1) flops per iteration. */
#include <mpi.h>
#include "prk.h"
#include "p2p.h"

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage =
        PRK_THREADS_USAGE "<# iterations> <first array dimension> <second array dimension> [grain]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long m = prk_arg(argc, argv, a0 + 1, "first array dimension", 2, 0, 1, usage);
    long n = prk_arg(argc, argv, a0 + 2, "second array dimension", 2, 0, 1, usage);
    long grain = prk_arg(argc, argv, a0 + 3, "grain", 1, 8, 0, usage);
    prk_mpi_require(n >= 2L * prk_np, "second array dimension must be at least twice the number of ranks");
    int nt = prk_nthreads;
    if (grain > m - 1) grain = m - 1;

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s pipeline execution on 2D grid\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Threads per rank     = %d\n", nt);
    prk_printf("Grid sizes           = %ld, %ld\n", m, n);
    prk_printf("Grain (rows/stage)   = %ld\n", grain);
    prk_printf("Number of iterations = %ld\n", iterations);

    long nj = prk_block_len(n, prk_np, prk_me), j0 = prk_block_lo(n, prk_np, prk_me);
    long ld = nj + 1; /* local column 0 is the ghost column j0-1 */
#define A(i, jl) a[(i) * ld + (jl)]
    double *a = prk_malloc(sizeof(double) * m * ld);
    double *buf = prk_malloc(sizeof(double) * grain);
    int left = prk_me - 1, right = prk_me + 1 < prk_np ? prk_me + 1 : -1;
    long jstart = prk_me == 0 ? 2 : 1; /* global column 0 is fixed */
    long chunks = (m - 1 + grain - 1) / grain;
    double t0 = 0;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
        /* This thread's local columns: a block of jstart..nj. */
        long jlo = jstart + prk_block_lo(nj + 1 - jstart, nt, me);
        long jhi = jlo + prk_block_len(nj + 1 - jstart, nt, me);
#pragma omp for schedule(static)
        for (long i = 0; i < m; i++)
            for (long jl = 0; jl < ld; jl++) {
                long j = j0 + jl - 1;
                A(i, jl) = i == 0 ? (double)j : j == 0 ? (double)i : 0.0;
            }
        for (long iter = 0; iter <= iterations; iter++) {
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
#pragma omp barrier
            }
            for (long s = 0; s < chunks + nt - 1; s++) {
#pragma omp master
                if (left >= 0 && s < chunks) {
                    long lo = 1 + s * grain, rows = lo + grain <= m ? grain : m - lo;
                    MPI_Recv(buf, (int)rows, MPI_DOUBLE, left, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                    for (long r = 0; r < rows; r++) A(lo + r, 0) = buf[r];
                }
                long c = s - me;
                if (c >= 0 && c < chunks) {
                    long ihi = 1 + (c + 1) * grain < m ? 1 + (c + 1) * grain : m;
                    p2p_sweep(a, ld, 1 + c * grain, ihi, jlo, jhi);
                }
#pragma omp barrier
                /* The last thread finished chunk s-nt+1 in this stage. The
                 * threads go on with the next stage meanwhile: none of them
                 * writes these rows again in this iteration. */
#pragma omp master
                if (right >= 0 && s - nt + 1 >= 0 && s - nt + 1 < chunks) {
                    long lo = 1 + (s - nt + 1) * grain, rows = lo + grain <= m ? grain : m - lo;
                    for (long r = 0; r < rows; r++) buf[r] = A(lo + r, nj);
                    MPI_Send(buf, (int)rows, MPI_DOUBLE, right, 1, MPI_COMM_WORLD);
                }
            }
            /* Close the loop: A(0,0) = -A(m-1,n-1). Only the master thread
             * of rank 0 reads global column 0, so after the stages' last
             * barrier the master needs no other thread. */
#pragma omp master
            {
                if (prk_np == 1) {
                    A(0, 1) = -A(m - 1, nj);
                } else if (prk_me == prk_np - 1) {
                    double corner = -A(m - 1, nj);
                    MPI_Send(&corner, 1, MPI_DOUBLE, 0, 2, MPI_COMM_WORLD);
                } else if (prk_me == 0) {
                    MPI_Recv(&A(0, 1), 1, MPI_DOUBLE, prk_np - 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                }
            }
        }
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    int ok = 1;
    if (prk_me == 0) ok = p2p_verdict(-A(0, 1), iterations, m, n, elapsed);
    free(a); free(buf);
    return prk_mpi_finish(ok);
}
