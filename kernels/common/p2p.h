/* Synch_p2p's verdict, shared by the MPI, OpenMP and hybrid versions. */
#ifndef PRK_P2P_H
#define PRK_P2P_H
#include <math.h>
#include <stdio.h>
#include "prk.h"

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
