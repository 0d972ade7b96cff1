/* One tile of dgemm, shared by the MPI (and hybrid) and OpenMP versions. */
#ifndef PRK_DGEMM_H
#define PRK_DGEMM_H

/* dgemm_tile: c[i*ldc + j] += a[i*lda + k] * b[k*ldb + j] for i < m, k < nk,
 * j < n, accumulating over k in order. Out of line and with restrict: the
 * three matrices never overlap, so the compiler needs no overlap check per
 * row, and as a small function of its own the loop keeps its pointers in
 * registers under wasmtime too (inlined into main they were reloaded from
 * the stack around every 32-element inner loop). */
__attribute__((noinline)) static void dgemm_tile(long m, long n, long nk, const double *restrict a, long lda,
                                                 const double *restrict b, long ldb, double *restrict c, long ldc) {
    for (long i = 0; i < m; i++)
        for (long k = 0; k < nk; k++) {
            double aik = a[i * lda + k];
            const double *restrict brow = b + k * ldb;
            double *restrict crow = c + i * ldc;
            for (long j = 0; j < n; j++) crow[j] += aik * brow[j];
        }
}
#endif
