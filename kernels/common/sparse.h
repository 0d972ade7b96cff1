/* The sparse kernel's matrix: the 2-D star stencil of radius r on a
 * periodic 2^lsize x 2^lsize grid, one row per grid point, 4r+1 non-zeros
 * per row, element (row, col) = 1/(col+1). Shared by the MPI, OpenMP and
 * hybrid sparse kernels. */
#ifndef PRK_SPARSE_H
#define PRK_SPARSE_H

/* Fills the column indices and values of rows [r0, r0+nr); returns the
 * number of non-zeros per row. */
static inline int sparse_build(long lsize, long radius, long r0, long nr, long *cols, double *vals) {
    long size = 1L << lsize, mask = size - 1;
    int stencil = (int)(4 * radius + 1);
#pragma omp parallel for schedule(static)
    for (long row = r0; row < r0 + nr; row++) {
        long i = row & mask, j = row >> lsize;
        long *c = cols + (row - r0) * stencil;
        int e = 0;
        c[e++] = row;
        for (long k = 1; k <= radius; k++) {
            c[e++] = ((i + k) & mask) + (j << lsize);
            c[e++] = ((i - k + size) & mask) + (j << lsize);
            c[e++] = i + (((j + k) & mask) << lsize);
            c[e++] = i + (((j - k + size) & mask) << lsize);
        }
        for (e = 0; e < stencil; e++) vals[(row - r0) * stencil + e] = 1.0 / (double)(c[e] + 1);
    }
    return stencil;
}

#endif
