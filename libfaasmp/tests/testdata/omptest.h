/* Shared helpers for the libfaasmp OpenMP conformance programs.
 *
 * Every program prints deterministic results for a given OMP_NUM_THREADS
 * (computed per thread into arrays, printed from one thread) and exits
 * non-zero on the first failed CHECK. The Go driver compares the output of
 * the native libomp build with the faasm build. */
#ifndef OMPTEST_H
#define OMPTEST_H

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
#define OMPTEST_EXTERN_C extern "C"
#else
#define OMPTEST_EXTERN_C
#endif

static inline const char *omptest_base(const char *f) {
  const char *s = strrchr(f, '/');
  return s ? s + 1 : f;
}

/* CHECK(expr): on failure print "FAIL file:line: expr" and exit(1). Safe to
 * use inside parallel regions (exit ends the whole program). */
#define CHECK(expr)                                                          \
  do {                                                                       \
    if (!(expr)) {                                                           \
      fprintf(stdout, "FAIL %s:%d: %s\n", omptest_base(__FILE__), __LINE__, \
              #expr);                                                        \
      fflush(stdout);                                                        \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

/* CHECKF: CHECK with a printf-style explanation of the values involved. */
#define CHECKF(expr, ...)                                                    \
  do {                                                                       \
    if (!(expr)) {                                                           \
      fprintf(stdout, "FAIL %s:%d: %s: ", omptest_base(__FILE__), __LINE__,  \
              #expr);                                                        \
      fprintf(stdout, __VA_ARGS__);                                          \
      fprintf(stdout, "\n");                                                 \
      fflush(stdout);                                                        \
      exit(1);                                                               \
    }                                                                        \
  } while (0)

/* PRAGMA(omp ... CLAUSES): a pragma whose clauses come from macro arguments. */
#define PRAGMA(x) _Pragma(#x)

#define MAXT 64 /* more than any thread count the suite uses */

/* Spin until *flag (read atomically, with a flush each round) equals want,
 * or give up after `secs` seconds; returns 1 when seen. Used by the
 * lock/critical distinctness tests, which must fail rather than hang. */
static inline int omptest_wait_flag(int *flag, int want, double secs) {
  double t0 = omp_get_wtime();
  for (;;) {
    int v;
#pragma omp atomic read seq_cst
    v = *flag;
    if (v == want)
      return 1;
    if (omp_get_wtime() - t0 > secs)
      return 0;
#pragma omp flush
  }
}

static inline void omptest_set_flag(int *flag, int v) {
#pragma omp atomic write seq_cst
  *flag = v;
#pragma omp flush
}

#endif
