/* ordered loops under every schedule: the ordered blocks run in iteration
 * order while the rest of the body runs in parallel. */
#include "omptest.h"

#define N 300

static int seq[N];
static int pos;

static void check_seq(const char *what, int start, int step, int n) {
  CHECKF(pos == n, "%s: %d ordered blocks, want %d", what, pos, n);
  for (int i = 0; i < n; i++)
    CHECKF(seq[i] == start + i * step, "%s: position %d got %d", what, i,
           seq[i]);
  printf("%s: ordered ok (%d)\n", what, n);
}

#define ORDERED_LOOP(SCHED, NAME)                                              \
  do {                                                                         \
    pos = 0;                                                                   \
    long work = 0;                                                             \
    PRAGMA(omp parallel for ordered reduction(+ : work) SCHED)             \
    for (int i = 0; i < N; i++) {                                              \
      work += i * 2;                                                           \
      _Pragma("omp ordered")                                                   \
      { seq[pos++] = i; }                                                      \
    }                                                                          \
    CHECK(work == (long)N * (N - 1));                                          \
    check_seq(NAME, 0, 1, N);                                                  \
  } while (0)

int main(void) {
  ORDERED_LOOP(schedule(static), "static");
  ORDERED_LOOP(schedule(static,1), "static,1");
  ORDERED_LOOP(schedule(static,7), "static,7");
  ORDERED_LOOP(schedule(dynamic), "dynamic");
  ORDERED_LOOP(schedule(dynamic,4), "dynamic,4");
  ORDERED_LOOP(schedule(guided), "guided");
  ORDERED_LOOP(schedule(runtime), "runtime");

  /* descending with stride, long long */
  pos = 0;
#pragma omp parallel for ordered schedule(dynamic, 3)
  for (long long i = 1000; i > 100; i -= 9) {
#pragma omp ordered
    seq[pos++] = (int)i;
  }
  check_seq("descending ll", 1000, -9, 100);

  /* ordered inside a team loop, two loops back to back */
  pos = 0;
#pragma omp parallel
  {
#pragma omp for ordered schedule(static, 2)
    for (int i = 0; i < 50; i++) {
#pragma omp ordered
      seq[pos++] = i;
    }
#pragma omp for ordered schedule(dynamic, 1)
    for (int i = 50; i < 120; i++) {
#pragma omp ordered
      seq[pos++] = i;
    }
  }
  check_seq("two loops", 0, 1, 120);

  /* only some iterations execute the ordered block */
  pos = 0;
#pragma omp parallel for ordered schedule(dynamic, 2)
  for (int i = 0; i < 100; i++) {
    if (i % 3 == 0) {
#pragma omp ordered
      seq[pos++] = i;
    }
  }
  check_seq("sparse", 0, 3, 34);
  printf("ok\n");
  return 0;
}
