/* OMP_STACKSIZE: worker threads get stacks big enough for large locals
 * (3 MiB of automatic array per thread under OMP_STACKSIZE=16M), and deep
 * recursion in every thread. */
#include "omptest.h"

#define BIG (3 * 1024 * 1024 / 8)

static long deep(int n, volatile long *sink) {
  volatile char pad[512];
  pad[n % 512] = (char)n;
  if (n == 0)
    return pad[0];
  return deep(n - 1, sink) + pad[n % 512];
}

int main(void) {
  int nt = omp_get_max_threads();
  long sums[MAXT];
#pragma omp parallel
  {
    volatile long big[BIG];
    int me = omp_get_thread_num();
    for (long i = 0; i < BIG; i += 512)
      big[i] = i + me;
    long s = 0;
    for (long i = 0; i < BIG; i += 512)
      s += big[i];
    sums[me] = s;
  }
  for (int t = 1; t < nt; t++)
    CHECK(sums[t] == sums[0] + (long)t * ((BIG + 511) / 512));
  printf("big stack arrays ok: %ld\n", sums[0]);
  long d[MAXT];
  volatile long sink = 0;
#pragma omp parallel
  d[omp_get_thread_num()] = deep(4000, &sink);
  for (int t = 0; t < nt; t++)
    CHECK(d[t] == d[0]);
  printf("deep recursion ok: %ld\n", d[0]);
  printf("ok\n");
  return 0;
}
