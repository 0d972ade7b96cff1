/* The RandomAccess kernel's pseudo-random stream: the HPC Challenge
 * generator x <- (x << 1) ^ (x < 0 ? POLY : 0) over GF(2), and its jump
 * function, which returns the n-th value of the stream so that independent
 * streams can start at disjoint places and be replayed for validation. */
#ifndef PRK_RANDOM_H
#define PRK_RANDOM_H
#include <stdint.h>
#include <stdio.h>

/* The specification tolerates this share of wrong table words (updates
 * applied without synchronisation may be lost). */
#define ERROR_PERCENT 1

/* ra_verdict prints how many table words were wrong and returns whether
 * that is within the specification's tolerance. */
static inline int ra_verdict(unsigned long long errors, uint64_t tsize) {
    if ((double)errors > (double)ERROR_PERCENT / 100.0 * (double)tsize) {
        printf("ERROR: number of incorrect table elements = %llu (more than %d%% of the table)\n", errors,
               ERROR_PERCENT);
        return 0;
    }
    printf("Number of incorrect table elements = %llu (tolerance %d%%)\n", errors, ERROR_PERCENT);
    return 1;
}

#define RA_POLY UINT64_C(0x0000000000000007)
#define RA_PERIOD INT64_C(1317624576693539401)

static inline uint64_t ra_next(uint64_t x) { return (x << 1) ^ ((int64_t)x < 0 ? RA_POLY : 0); }

/* ra_starts(n): the n-th value of the stream that starts at 1. */
static inline uint64_t ra_starts(int64_t n) {
    uint64_t m2[64], t = 1, ran;
    while (n < 0) n += RA_PERIOD;
    while (n > RA_PERIOD) n -= RA_PERIOD;
    if (n == 0) return 1;
    for (int i = 0; i < 64; i++) {
        m2[i] = t;
        t = ra_next(ra_next(t));
    }
    int i;
    for (i = 62; i >= 0; i--)
        if ((n >> i) & 1) break;
    ran = 2;
    while (i > 0) {
        t = 0;
        for (int j = 0; j < 64; j++)
            if ((ran >> j) & 1) t ^= m2[j];
        ran = t;
        i--;
        if ((n >> i) & 1) ran = ra_next(ran);
    }
    return ran;
}

#endif
