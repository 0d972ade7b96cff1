/* Synch_p2p's verdict, shared by the MPI, OpenMP and hybrid versions. */
#ifndef PRK_P2P_H
#define PRK_P2P_H
#include <math.h>
#include <stdio.h>
#include "prk.h"

/* p2p_sweep applies A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1) to rows
 * [ilo, ihi) and columns [jlo, jhi) of a grid whose rows lie ld elements
 * apart, in the specification's order. It is not inlined, for the reason
 * stencil_row is not (stencil.h): inside the large outlined parallel
 * region, wasmtime's register allocator kept the loop bound on the stack
 * and stored and reloaded it on every element. */
__attribute__((noinline)) static void p2p_sweep(double *a, long ld, long ilo, long ihi, long jlo, long jhi) {
    for (long i = ilo; i < ihi; i++) {
        double *row = a + i * ld;
        const double *up = row - ld;
        for (long j = jlo; j < jhi; j++) row[j] = up[j] + row[j - 1] - up[j - 1];
    }
}

/* p2p_verdict checks the grid's corner after iterations+1 sweeps of an
 * m x n grid (the specification's closed form: (iterations+1)(m+n-2)) and
 * reports the rate when it validates; it returns whether it did. */
static int p2p_verdict(double corner, long iterations, long m, long n, double elapsed) {
    double expected = (double)(iterations + 1) * (double)(m + n - 2);
    if (fabs(corner - expected) / expected > PRK_EPSILON) {
        printf("ERROR: checksum %lf does not match verification value %lf\n", corner, expected);
        return 0;
    }
    double avg = elapsed / iterations;
    prk_report_rate("MFlops/s", 1.0e-6 * 2.0 * (double)(m - 1) * (double)(n - 1) / avg, avg);
    return 1;
}
#endif
