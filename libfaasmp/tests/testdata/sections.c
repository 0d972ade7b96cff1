/* sections / parallel sections: each section exactly once, lastprivate,
 * reduction, nowait, more sections than threads and fewer. */
#include "omptest.h"

int main(void) {
  int ran[8] = {0};
  int who[8];
#pragma omp parallel
  {
#pragma omp sections
    {
#pragma omp section
      { ran[0]++; who[0] = omp_get_thread_num(); }
#pragma omp section
      { ran[1]++; who[1] = omp_get_thread_num(); }
#pragma omp section
      { ran[2]++; who[2] = omp_get_thread_num(); }
#pragma omp section
      { ran[3]++; who[3] = omp_get_thread_num(); }
#pragma omp section
      { ran[4]++; who[4] = omp_get_thread_num(); }
    }
    /* implicit barrier: all sections done */
    CHECK(ran[0] + ran[1] + ran[2] + ran[3] + ran[4] == 5);
  }
  for (int i = 0; i < 5; i++) {
    CHECK(ran[i] == 1);
    CHECK(who[i] >= 0 && who[i] < omp_get_max_threads());
  }
  printf("5 sections each once\n");

  /* lastprivate gets the value of the lexically last section */
  int lp = -1;
  int sum = 0;
#pragma omp parallel sections lastprivate(lp) reduction(+ : sum)
  {
#pragma omp section
    { lp = 1; sum += 10; }
#pragma omp section
    { lp = 2; sum += 20; }
#pragma omp section
    { lp = 3; sum += 30; }
  }
  printf("lastprivate %d sum %d\n", lp, sum);
  CHECK(lp == 3 && sum == 60);

  /* firstprivate into sections (one private copy per thread, not per section) */
  int fp = 5, out[2] = {0, 0};
#pragma omp parallel sections firstprivate(fp)
  {
#pragma omp section
    { out[0] = fp + 1; }
#pragma omp section
    { out[1] = fp + 2; }
  }
  CHECK(out[0] == 6 && out[1] == 7 && fp == 5);

  /* nowait sections followed by an explicit barrier */
  int a = 0, b = 0, c = 0;
#pragma omp parallel
  {
#pragma omp sections nowait
    {
#pragma omp section
      a = 1;
#pragma omp section
      b = 2;
    }
#pragma omp barrier
#pragma omp single
    c = a + b;
  }
  CHECK(c == 3);

  /* many sections, repeated */
  int total = 0;
  for (int r = 0; r < 20; r++) {
#pragma omp parallel sections reduction(+ : total)
    {
#pragma omp section
      total += 1;
#pragma omp section
      total += 2;
#pragma omp section
      total += 3;
#pragma omp section
      total += 4;
#pragma omp section
      total += 5;
#pragma omp section
      total += 6;
#pragma omp section
      total += 7;
#pragma omp section
      total += 8;
#pragma omp section
      total += 9;
#pragma omp section
      total += 10;
    }
  }
  printf("total %d\n", total);
  CHECK(total == 20 * 55);
  printf("ok\n");
  return 0;
}
