/* Loop shapes and index types: int/unsigned/long long/unsigned long long,
 * negative and non-unit strides, empty and one-trip loops, under static,
 * static chunk, dynamic and guided (the _4/_4u/_8/_8u runtime entries). */
#include "omptest.h"

static int hits[4000];

#define RUN(TYPE, LB, UB, CMP, STEP, SCHED, NAME)                              \
  do {                                                                         \
    long long sum = 0, want = 0, cnt = 0, wcnt = 0;                           \
    memset(hits, 0, sizeof hits);                                              \
    PRAGMA(omp parallel for reduction(+ : sum, cnt) SCHED)                 \
    for (TYPE i = LB; i CMP UB; i += STEP) {                                   \
      sum += (long long)i;                                                     \
      cnt++;                                                                   \
    }                                                                          \
    for (TYPE i = LB; i CMP UB; i += STEP) {                                   \
      want += (long long)i;                                                    \
      wcnt++;                                                                  \
    }                                                                          \
    printf("%-34s %-20s count %lld sum %lld\n", NAME, #SCHED, cnt, sum);        \
    CHECKF(sum == want && cnt == wcnt, "%s %s", NAME, #SCHED);                  \
  } while (0)

#define ALL(TYPE, LB, UB, CMP, STEP, NAME)                                     \
  RUN(TYPE, LB, UB, CMP, STEP, schedule(static), NAME);                      \
  RUN(TYPE, LB, UB, CMP, STEP, schedule(static,3), NAME);                    \
  RUN(TYPE, LB, UB, CMP, STEP, schedule(dynamic,2), NAME);                   \
  RUN(TYPE, LB, UB, CMP, STEP, schedule(guided,2), NAME)

int main(void) {
  ALL(int, 0, 1000, <, 1, "int 0..1000");
  ALL(int, -500, 500, <=, 3, "int -500..500 step 3");
  ALL(int, 1000, 0, >, -7, "int 1000 down to 0 step -7");
  ALL(int, 10, 10, <, 1, "int empty");
  ALL(int, 10, 0, <, 1, "int lb>ub");
  ALL(int, 5, 6, <, 1, "int one trip");
  ALL(unsigned, 0u, 1000u, <, 1u, "unsigned 0..1000");
  ALL(unsigned, 4000000000u, 4000001000u, <, 11u, "unsigned high");
  ALL(unsigned, 4000001000u, 4000000000u, >, -13, "unsigned high down");
  ALL(long long, -3000000000LL, 3000000000LL, <, 1000003LL, "ll wide");
  ALL(long long, 9000000000LL, 8999990000LL, >=, -9LL, "ll down");
  ALL(unsigned long long, 18000000000000000000ULL,
      18000000000000005000ULL, <, 17ULL, "ull high");
  ALL(short, -100, 100, <, 1, "short");
  ALL(char, 'a', 'z', <=, 1, "char");

  /* pointer-style loop over an array */
  int arr[300];
  for (int i = 0; i < 300; i++)
    arr[i] = i;
  long long ps = 0;
#pragma omp parallel for reduction(+ : ps) schedule(dynamic, 4)
  for (int *p = arr; p < arr + 300; p++)
    ps += *p;
  printf("pointer loop %lld\n", ps);
  CHECK(ps == 299 * 300 / 2);
  printf("ok\n");
  return 0;
}
