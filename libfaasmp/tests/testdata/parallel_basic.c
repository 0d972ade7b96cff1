/* parallel: team size, distinct thread ids, num_threads and if clauses,
 * omp_in_parallel, private/firstprivate/shared data, serialized regions. */
#include "omptest.h"

int main(void) {
  int nmax = omp_get_max_threads();
  int seen[MAXT] = {0};
  int team = -1;
  CHECK(!omp_in_parallel());
  CHECK(omp_get_thread_num() == 0 && omp_get_num_threads() == 1);
#pragma omp parallel shared(seen, team)
  {
    int me = omp_get_thread_num();
    CHECK(me >= 0 && me < omp_get_num_threads());
#pragma omp atomic
    seen[me]++;
#pragma omp single
    team = omp_get_num_threads();
    CHECK(omp_in_parallel() == (omp_get_num_threads() > 1));
  }
  printf("default team %d (max %d)\n", team, nmax);
  CHECK(team == nmax);
  for (int i = 0; i < team; i++)
    CHECKF(seen[i] == 1, "thread %d ran %d times", i, seen[i]);

  /* num_threads clause, including more threads than max and than cores */
  int sizes[] = {1, 2, 3, 5, 7};
  for (int k = 0; k < 5; k++) {
    int got = 0, ids = 0;
#pragma omp parallel num_threads(sizes[k])
    {
#pragma omp master
      got = omp_get_num_threads();
#pragma omp atomic
      ids += omp_get_thread_num() + 1;
    }
    printf("num_threads(%d): team %d idsum %d\n", sizes[k], got, ids);
    CHECK(got == sizes[k] && ids == got * (got + 1) / 2);
  }

  /* if clause: false serializes the region */
  for (int c = 0; c < 2; c++) {
    int got = 0, inpar = -1, lvl = -1, alvl = -1;
#pragma omp parallel if (c) num_threads(3)
    {
#pragma omp master
      {
        got = omp_get_num_threads();
        inpar = omp_in_parallel();
        lvl = omp_get_level();
        alvl = omp_get_active_level();
      }
    }
    printf("if(%d): team %d in_parallel %d level %d active %d\n", c, got,
           inpar, lvl, alvl);
  }

  /* data sharing */
  int fp = 42, sh = 0, pr = 7;
  int arr[4] = {1, 2, 3, 4};
#pragma omp parallel firstprivate(fp, arr) private(pr) shared(sh) num_threads(4)
  {
    CHECK(fp == 42);
    CHECK(arr[0] == 1 && arr[3] == 4);
    fp += omp_get_thread_num();
    arr[0] = -1;
    pr = omp_get_thread_num();
    CHECK(pr == omp_get_thread_num());
#pragma omp atomic
    sh += fp;
  }
  printf("firstprivate sum %d, fp after %d arr0 %d\n", sh, fp, arr[0]);
  CHECK(fp == 42 && arr[0] == 1 && sh == 4 * 42 + 6);

  /* many short regions in a row: fork/join reuse */
  long total = 0;
  for (int r = 0; r < 200; r++) {
#pragma omp parallel reduction(+ : total)
    total += omp_get_thread_num() + r;
  }
  printf("200 regions total %ld\n", total);
  CHECK(total == 200L * team * (team - 1) / 2 + (long)team * 199 * 200 / 2);

  /* omp_set_num_threads affects subsequent regions */
  omp_set_num_threads(3);
  int got3 = 0;
#pragma omp parallel
#pragma omp single
  got3 = omp_get_num_threads();
  printf("after omp_set_num_threads(3): %d, max %d\n", got3,
         omp_get_max_threads());
  CHECK(got3 == 3);
  printf("ok\n");
  return 0;
}
