/* faasm only: --omp-memory=private merge regions. Each thread adds to the
 * registered variables without a lock or atomics; the typed diffs (sum,
 * product, max, min) combine them at the join as a reduction would. */
#include <omp.h>
#include <stdio.h>
#include <faasm/host_faasmp.h>

int main(void) {
  double sum = 0;
  long long count = 0;
  int best = -1, least = 1 << 30;
  int nt = omp_get_max_threads();
#pragma omp parallel
  {
    __faasmp_reduce_region(&sum, sizeof sum, 4, 1);
    __faasmp_reduce_region(&count, sizeof count, 2, 1);
    __faasmp_reduce_region(&best, sizeof best, 1, 3);
    __faasmp_reduce_region(&least, sizeof least, 1, 4);
    int me = omp_get_thread_num();
    for (int i = 0; i < 1000; i++) {
      sum += 0.5;
      count += 1;
    }
    if (me * 10 > best) best = me * 10;
    if (me + 5 < least) least = me + 5;
  }
  printf("sum %.1f count %lld best %d least %d\n", sum, count, best, least);
  int ok = sum == 500.0 * nt && count == 1000LL * nt && best == (nt - 1) * 10 && least == 5;
  printf(ok ? "ok\n" : "FAIL\n");
  return !ok;
}
