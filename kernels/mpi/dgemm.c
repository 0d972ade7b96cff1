/* dgemm: C += A*B on order x order matrices, blocked (tiled) local
 * multiplies, distributed over the ranks in column blocks (a 1-D SUMMA:
 * each rank's block of A's columns is broadcast in turn and every rank
 * multiplies it by the matching rows of its own columns of B). Hybrid
 * build: OpenMP over the tiles of C inside each rank.
 *
 * Usage: dgemm [<# threads>] <# iterations> <matrix order> [tile size]
 * A(i,j) = B(i,j) = j and C = 0, so every multiplication adds
 * order^3 (order-1)^2 / 4 to the sum of C. Iteration 0 is untimed warm-up;
 * validation requires the checksum to equal (iterations+1) times that to a
 * relative 1e-8. Rate: 2*order^3 flops per iteration. */
#include <mpi.h>
#include "prk.h"
#include "dgemm.h"

/* C(:, 0:nc) += A(:, 0:nk) * B(k0:k0+nk, 0:nc); column-major, leading
 * dimension order for all three. */
static void block_mm(long order, long nc, long nk, long k0, long tile, const double *A, const double *B,
                     double *C) {
#pragma omp parallel for collapse(2) schedule(static)
    for (long jt = 0; jt < nc; jt += tile)
        for (long it = 0; it < order; it += tile)
            for (long kt = 0; kt < nk; kt += tile) {
                long je = jt + tile < nc ? jt + tile : nc;
                long ie = it + tile < order ? it + tile : order;
                long ke = kt + tile < nk ? kt + tile : nk;
                /* Column j of C gets B(k0+k, j) times column k of A. */
                dgemm_tile(je - jt, ie - it, ke - kt, B + jt * order + k0 + kt, order, A + kt * order + it, order,
                           C + jt * order + it, order);
            }
}

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <matrix order> [tile size]";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long order = prk_arg(argc, argv, a0 + 1, "matrix order", 1, 0, 1, usage);
    long tile = prk_arg(argc, argv, a0 + 2, "tile size", 0, 32, 0, usage);
    if (tile <= 0 || tile > order) tile = order;
    prk_mpi_require(order >= prk_np, "matrix order must be at least the number of ranks");

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s dense matrix-matrix multiplication: C += A x B\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
#ifdef _OPENMP
    prk_printf("Threads per rank     = %d\n", prk_nthreads);
#endif
    prk_printf("Matrix order         = %ld\n", order);
    prk_printf("Tile size            = %ld\n", tile);
    prk_printf("Number of iterations = %ld\n", iterations);

    long nc = prk_block_len(order, prk_np, prk_me), c0 = prk_block_lo(order, prk_np, prk_me);
    long maxc = prk_block_len(order, prk_np, 0);
    double *A = prk_malloc(sizeof(double) * order * nc);
    double *B = prk_malloc(sizeof(double) * order * nc);
    double *C = prk_malloc(sizeof(double) * order * nc);
    double *W = prk_np > 1 ? prk_malloc(sizeof(double) * order * maxc) : NULL;
#pragma omp parallel for schedule(static)
    for (long j = 0; j < nc; j++)
        for (long i = 0; i < order; i++) {
            A[j * order + i] = B[j * order + i] = (double)(c0 + j);
            C[j * order + i] = 0.0;
        }

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        for (int root = 0; root < prk_np; root++) {
            long nk = prk_block_len(order, prk_np, root), k0 = prk_block_lo(order, prk_np, root);
            const double *panel = A;
            if (prk_np > 1) {
                if (root == prk_me) memcpy(W, A, sizeof(double) * order * nc);
                MPI_Bcast(W, (int)(order * nk), MPI_DOUBLE, root, MPI_COMM_WORLD);
                panel = W;
            }
            block_mm(order, nc, nk, k0, tile, panel, B, C);
        }
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    double checksum = 0.0, gsum = 0.0;
    for (long k = 0; k < order * nc; k++) checksum += C[k];
    MPI_Reduce(&checksum, &gsum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        double o = (double)order;
        double ref = 0.25 * o * o * o * (o - 1.0) * (o - 1.0) * (double)(iterations + 1);
        if (fabs(gsum - ref) / ref > PRK_EPSILON) {
            printf("ERROR: checksum = %lf, reference checksum = %lf\n", gsum, ref);
            ok = 0;
        } else {
            double avg = elapsed / iterations;
            prk_report_rate("MFlops/s", 1.0e-6 * 2.0 * o * o * o / avg, avg);
        }
    }
    free(A); free(B); free(C); free(W);
    return prk_mpi_finish(ok);
}
