/* taskloop reduction (+, *, min, max, on int/long long/double) with
 * grainsize and num_tasks, the combined parallel master taskloop, and
 * taskloop in_reduction inside a taskgroup task_reduction. */
#include "omptest.h"

int main(void) {
  long long sum = 0;
  double dsum = 0;
  int mn = 1 << 30, mx = -1;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop reduction(+ : sum, dsum) reduction(min : mn) \
    reduction(max : mx) grainsize(17)
  for (int i = 0; i < 10000; i++) {
    sum += i;
    dsum += 0.5;
    int v = (i * 7919) % 10007;
    mn = v < mn ? v : mn;
    mx = v > mx ? v : mx;
  }
  printf("taskloop reduction sum %lld dsum %.1f min %d max %d\n", sum, dsum,
         mn, mx);
  CHECK(sum == 49995000LL && dsum == 5000.0 && mn == 0);
  int wmx = -1;
  for (int i = 0; i < 10000; i++) {
    int v = (i * 7919) % 10007;
    wmx = v > wmx ? v : wmx;
  }
  CHECK(mx == wmx);

  double prod = 1;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop reduction(* : prod) num_tasks(13)
  for (int i = 0; i < 60; i++)
    if (i % 6 == 0)
      prod *= 2.0;
  CHECK(prod == 1024.0);

  long s2 = 0;
#pragma omp parallel master taskloop reduction(+ : s2) num_tasks(5)
  for (int i = 0; i < 1000; i++)
    s2 += 2 * i;
  printf("parallel master taskloop %ld\n", s2);
  CHECK(s2 == 999000);

  long s3 = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp taskgroup task_reduction(+ : s3)
    {
#pragma omp taskloop in_reduction(+ : s3) grainsize(50)
      for (int i = 0; i < 1000; i++)
        s3 += i;
#pragma omp task in_reduction(+ : s3)
      s3 += 1000000;
    }
  }
  printf("taskloop in_reduction %ld\n", s3);
  CHECK(s3 == 499500 + 1000000);
  printf("ok\n");
  return 0;
}
