/* The radius-2 star stencil's weights, shared by the MPI (and hybrid) and
 * OpenMP versions: w[R+dy][R+dx] is +-1/(2*k*R) at distance k along each
 * axis (positive towards higher indices) and 0 elsewhere.
 *
 * They are compile-time constants in read-only memory. Computed into a
 * local array at run time, the weights were reloaded (and re-splatted) in
 * every iteration of the vectorised loop, since the compiler cannot prove
 * that the stores to OUT leave them alone; with constants it folds them
 * into the loop, natively and in wasm alike. */
#ifndef PRK_STENCIL_H
#define PRK_STENCIL_H

#define R 2
_Static_assert(R == 2, "the weight table below is written out for radius 2");

#define STENCIL_WK(k) (1.0 / (2.0 * (k) * R))
static const double w[2 * R + 1][2 * R + 1] = {
    [R - 2][R] = -STENCIL_WK(2), [R - 1][R] = -STENCIL_WK(1),
    [R + 1][R] = STENCIL_WK(1),  [R + 2][R] = STENCIL_WK(2),
    [R][R - 2] = -STENCIL_WK(2), [R][R - 1] = -STENCIL_WK(1),
    [R][R + 1] = STENCIL_WK(1),  [R][R + 2] = STENCIL_WK(2),
};

/* stencil_row adds the stencil of in's rows to out[x] for x in [lo, hi):
 * in points at the centre row (x = 0), whose neighbours lie ld elements
 * apart, and out at the output row. Every row has its own pointer, so an
 * access is a row pointer plus x: wasm32 has no scaled-index addressing,
 * and with one base and index per access the compiled loop spent more
 * instructions computing addresses than loading and multiplying. It is not
 * inlined: inside a large main, wasmtime's register allocator kept the
 * loop's bases on the stack and reloaded them every iteration. */
__attribute__((noinline)) static void stencil_row(double *restrict out, const double *in, long ld, long lo, long hi) {
    const double *row[2 * R + 1];
    for (int k = -R; k <= R; k++) row[R + k] = in + k * ld;
    for (long x = lo; x < hi; x++) {
        double s = out[x];
        for (int k = -R; k <= R; k++) s += w[R][R + k] * in[x + k];
        for (int k = -R; k < 0; k++) s += w[R + k][R] * row[R + k][x];
        for (int k = 1; k <= R; k++) s += w[R + k][R] * row[R + k][x];
        out[x] = s;
    }
}

/* halo_pack copies a rows x cols block of a grid (rows ld elements apart,
 * starting at src) into contiguous dst; halo_unpack copies it back. Kept
 * out of line for the same reason as stencil_row. */
__attribute__((noinline)) static void halo_pack(double *restrict dst, const double *src, long ld, long rows, long cols) {
    for (long y = 0; y < rows; y++)
        for (long x = 0; x < cols; x++) *dst++ = src[y * ld + x];
}

__attribute__((noinline)) static void halo_unpack(double *dst, const double *restrict src, long ld, long rows, long cols) {
    for (long y = 0; y < rows; y++)
        for (long x = 0; x < cols; x++) dst[y * ld + x] = *src++;
}
#endif
