/* Synch_global's scrambled string and its verdict, shared by the MPI,
 * OpenMP and hybrid versions. */
#ifndef PRK_SYNCH_GLOBAL_H
#define PRK_SYNCH_GLOBAL_H
#include <stdio.h>
#include <string.h>

/* orig_char is character i of the original string: a fixed, irregular
 * walk over 62 letters and digits, so a misplaced segment shows. */
static char orig_char(long i) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return alphabet[(unsigned long)(i * 7 + i / 62 + (i * i) % 13) % 62];
}

/* sg_rotate sets dst[i] = src[(from + 1 + i) % len] for i in [0, n): a
 * block of the string rotated left by one. It copies the (at most two)
 * contiguous runs rather than taking a remainder per character, so an
 * iteration's time is the synchronisation the kernel is about, not integer
 * division. */
static void sg_rotate(char *dst, const char *src, long from, long n, long len) {
    long s = (from + 1) % len;
    while (n > 0) {
        long run = n < len - s ? n : len - s;
        memcpy(dst, src + s, (size_t)run);
        dst += run;
        n -= run;
        s = 0;
    }
}

/* sg_verdict checks the final string s (len characters) against the
 * original: errors characters were found out of place (over all the
 * `over`: ranks or threads), and the character sum must be unchanged. It
 * prints what went wrong and returns whether the solution validates. */
static int sg_verdict(const char *s, long len, long errors, const char *over) {
    long long sum = 0, ref = 0;
    for (long i = 0; i < len; i++) {
        sum += s[i];
        ref += orig_char(i);
    }
    if (errors != 0 || sum != ref) {
        printf("ERROR: %ld characters out of place over all %s; checksum %lld, expected %lld\n", errors, over, sum,
               ref);
        return 0;
    }
    return 1;
}
#endif
