/* for schedule(static) and static,chunk: exact iteration ownership, which
 * the spec fixes for static,chunk (round robin) and libomp's balanced split
 * fixes for plain static; same schedule twice gives the same mapping. */
#include "omptest.h"

#define N 103

static int owner[N], owner2[N];

static void print_map(const char *what, int *o, int n) {
  printf("%s:", what);
  for (int i = 0; i < n; i++)
    printf(" %d", o[i]);
  printf("\n");
}

int main(void) {
  int nt = 0;
#pragma omp parallel
  {
#pragma omp single
    nt = omp_get_num_threads();
#pragma omp for schedule(static)
    for (int i = 0; i < N; i++)
      owner[i] = omp_get_thread_num();
#pragma omp for schedule(static)
    for (int i = 0; i < N; i++)
      owner2[i] = omp_get_thread_num();
  }
  print_map("static", owner, N);
  for (int i = 0; i < N; i++)
    CHECK(owner[i] == owner2[i]);
  /* contiguous, non-decreasing thread numbers: at most one chunk/thread */
  for (int i = 1; i < N; i++)
    CHECK(owner[i] >= owner[i - 1]);

  int chunks[] = {1, 2, 5, 17, 200};
  for (int c = 0; c < 5; c++) {
    int ch = chunks[c];
#pragma omp parallel
#pragma omp for schedule(static, ch)
    for (int i = 0; i < N; i++)
      owner[i] = omp_get_thread_num();
    char label[32];
    snprintf(label, sizeof label, "static,%d", ch);
    print_map(label, owner, N);
    for (int i = 0; i < N; i++)
      CHECKF(owner[i] == (i / ch) % nt, "iter %d owner %d", i, owner[i]);
  }

  /* static with fewer iterations than threads, and empty loops */
  int small[3] = {-1, -1, -1};
#pragma omp parallel for schedule(static)
  for (int i = 0; i < 3; i++)
    small[i] = omp_get_thread_num();
  print_map("static n=3", small, 3);
  int count = 0;
#pragma omp parallel for schedule(static) reduction(+ : count)
  for (int i = 5; i < 5; i++)
    count++;
  CHECK(count == 0);

  /* nowait + static: same mapping lets a second loop consume results
   * of the first without a barrier (spec-guaranteed) */
  static int a[N], b[N];
#pragma omp parallel
  {
#pragma omp for schedule(static) nowait
    for (int i = 0; i < N; i++)
      a[i] = i * 3;
#pragma omp for schedule(static)
    for (int i = 0; i < N; i++)
      b[i] = a[i] + 1;
  }
  for (int i = 0; i < N; i++)
    CHECK(b[i] == 3 * i + 1);
  /* parallel for with large long long bounds, static */
  long long sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (long long i = 5000000000LL; i < 5000000000LL + 1000; i++)
    sum += i - 5000000000LL;
  printf("ll sum %lld\n", sum);
  CHECK(sum == 999 * 1000 / 2);
  printf("ok threads=%d\n", nt);
  return 0;
}
