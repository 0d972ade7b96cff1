/* stencil: a radius-2 star stencil applied to an n x n grid distributed over
 * a 2-D grid of ranks (hybrid build: OpenMP inside each rank).
 *
 * Usage: stencil [<# threads>] <# iterations> <array dimension>
 * in(i,j) starts at i+j (COEFX = COEFY = 1) and out at 0. Each iteration
 * exchanges halos of width 2, adds the stencil of in to out on the interior
 * points (those at least 2 from the edge), then adds 1 to every point of in.
 * The star weights are +-1/(2*k*R) at distance k, so each iteration adds
 * COEFX+COEFY to every interior point: validation requires the mean |out|
 * over the interior to equal (iterations+1)*(COEFX+COEFY) to a relative
 * 1e-8. Iteration 0 is untimed warm-up. Rate: (2*(4R+1)+1) flops per
 * interior point. */
#include <mpi.h>
#include "prk.h"
#include "stencil.h"

#define COEFX 1.0
#define COEFY 1.0

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<# iterations> <array dimension>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long iterations = prk_arg(argc, argv, a0, "# iterations", 1, 0, 1, usage);
    long n = prk_arg(argc, argv, a0 + 1, "array dimension", 2 * R + 1, 0, 1, usage);
    int npx, npy;
    prk_factor2(prk_np, &npx, &npy);
    int mex = prk_me % npx, mey = prk_me / npx;
    long nx = prk_block_len(n, npx, mex), ny = prk_block_len(n, npy, mey);
    long ix0 = prk_block_lo(n, npx, mex), iy0 = prk_block_lo(n, npy, mey);
    prk_mpi_require(nx >= R && ny >= R, "each rank's block must be at least the stencil radius wide");

    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s stencil execution on 2D grid\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
#ifdef _OPENMP
    prk_printf("Threads per rank     = %d\n", prk_nthreads);
#endif
    prk_printf("Grid size            = %ld\n", n);
    prk_printf("Radius of stencil    = %d\n", R);
    prk_printf("Type of stencil      = star\n");
    prk_printf("Rank grid            = %d x %d\n", npx, npy);
    prk_printf("Number of iterations = %ld\n", iterations);


    /* in has a halo of R on every side: IN(x,y) for x in [-R, nx+R). */
    long ldx = nx + 2 * R;
    double *in = prk_malloc(sizeof(double) * ldx * (ny + 2 * R));
    double *out = prk_malloc(sizeof(double) * nx * ny);
#define IN(x, y) in[((y) + R) * ldx + (x) + R]
#define OUT(x, y) out[(y) * nx + (x)]
    long hx = R * ny, hy = R * nx; /* halo buffer sizes */
    double *buf = prk_malloc(sizeof(double) * 4 * (hx + hy));
    double *sendw = buf, *sende = sendw + hx, *recvw = sende + hx, *recve = recvw + hx;
    double *sends = recve + hx, *sendn = sends + hy, *recvs = sendn + hy, *recvn = recvs + hy;
    int west = mex > 0 ? prk_me - 1 : -1, east = mex < npx - 1 ? prk_me + 1 : -1;
    int south = mey > 0 ? prk_me - npx : -1, north = mey < npy - 1 ? prk_me + npx : -1;

#pragma omp parallel for schedule(static)
    for (long y = -R; y < ny + R; y++)
        for (long x = -R; x < nx + R; x++) IN(x, y) = 0.0;
#pragma omp parallel for schedule(static)
    for (long y = 0; y < ny; y++)
        for (long x = 0; x < nx; x++) {
            IN(x, y) = COEFX * (double)(ix0 + x) + COEFY * (double)(iy0 + y);
            OUT(x, y) = 0.0;
        }
    /* Interior points in local coordinates. */
    long xlo = ix0 < R ? R - ix0 : 0, xhi = ix0 + nx > n - R ? n - R - ix0 : nx;
    long ylo = iy0 < R ? R - iy0 : 0, yhi = iy0 + ny > n - R ? n - R - iy0 : ny;

    double t0 = 0;
    for (long iter = 0; iter <= iterations; iter++) {
        if (iter == 1) { MPI_Barrier(MPI_COMM_WORLD); t0 = prk_wtime(); }
        MPI_Request req[8];
        int nreq = 0;
        if (north >= 0) {
            MPI_Irecv(recvn, (int)hy, MPI_DOUBLE, north, 101, MPI_COMM_WORLD, &req[nreq++]);
            halo_pack(sendn, &IN(0, ny - R), ldx, R, nx);
            MPI_Isend(sendn, (int)hy, MPI_DOUBLE, north, 99, MPI_COMM_WORLD, &req[nreq++]);
        }
        if (south >= 0) {
            MPI_Irecv(recvs, (int)hy, MPI_DOUBLE, south, 99, MPI_COMM_WORLD, &req[nreq++]);
            halo_pack(sends, &IN(0, 0), ldx, R, nx);
            MPI_Isend(sends, (int)hy, MPI_DOUBLE, south, 101, MPI_COMM_WORLD, &req[nreq++]);
        }
        if (east >= 0) {
            MPI_Irecv(recve, (int)hx, MPI_DOUBLE, east, 1010, MPI_COMM_WORLD, &req[nreq++]);
            halo_pack(sende, &IN(nx - R, 0), ldx, ny, R);
            MPI_Isend(sende, (int)hx, MPI_DOUBLE, east, 990, MPI_COMM_WORLD, &req[nreq++]);
        }
        if (west >= 0) {
            MPI_Irecv(recvw, (int)hx, MPI_DOUBLE, west, 990, MPI_COMM_WORLD, &req[nreq++]);
            halo_pack(sendw, &IN(0, 0), ldx, ny, R);
            MPI_Isend(sendw, (int)hx, MPI_DOUBLE, west, 1010, MPI_COMM_WORLD, &req[nreq++]);
        }
        MPI_Waitall(nreq, req, MPI_STATUSES_IGNORE);
        if (north >= 0) halo_unpack(&IN(0, ny), recvn, ldx, R, nx);
        if (south >= 0) halo_unpack(&IN(0, -R), recvs, ldx, R, nx);
        if (east >= 0) halo_unpack(&IN(nx, 0), recve, ldx, ny, R);
        if (west >= 0) halo_unpack(&IN(-R, 0), recvw, ldx, ny, R);

#pragma omp parallel for schedule(static)
        for (long y = ylo; y < yhi; y++) stencil_row(&OUT(0, y), &IN(0, y), ldx, xlo, xhi);
#pragma omp parallel for schedule(static)
        for (long y = 0; y < ny; y++)
            for (long x = 0; x < nx; x++) IN(x, y) += 1.0;
    }
    double elapsed = prk_max_time(prk_wtime() - t0);

    double norm = 0.0, gnorm = 0.0;
    for (long y = ylo; y < yhi; y++)
        for (long x = xlo; x < xhi; x++) norm += fabs(OUT(x, y));
    MPI_Reduce(&norm, &gnorm, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        double active = (double)(n - 2 * R) * (double)(n - 2 * R);
        gnorm /= active;
        double reference = (double)(iterations + 1) * (COEFX + COEFY);
        if (fabs(gnorm - reference) / reference > PRK_EPSILON) {
            printf("ERROR: L1 norm = %lf, reference L1 norm = %lf\n", gnorm, reference);
            ok = 0;
        } else {
            double avg = elapsed / iterations;
            double flops = (double)(2 * (4 * R + 1) + 1) * active;
            prk_report_rate("MFlops/s", 1.0e-6 * flops / avg, avg);
        }
    }
    free(in); free(out); free(buf);
    return prk_mpi_finish(ok);
}
