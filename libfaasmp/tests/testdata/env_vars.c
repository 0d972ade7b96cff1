/* Environment variables as libomp reads them: OMP_SCHEDULE, OMP_DYNAMIC,
 * OMP_MAX_ACTIVE_LEVELS, OMP_NESTED, OMP_THREAD_LIMIT, OMP_NUM_THREADS,
 * OMP_WAIT_POLICY and OMP_PROC_BIND (accepted). Prints the ICVs a program
 * can see and the team it gets. */
#include "omptest.h"

int main(void) {
  omp_sched_t k;
  int ch;
  omp_get_schedule(&k, &ch);
  printf("schedule kind %d%s chunk %d\n", (int)(k & ~omp_sched_monotonic),
         (k & omp_sched_monotonic) ? " monotonic" : "", ch);
  printf("dynamic %d\n", omp_get_dynamic());
  /* "no limit" is implementation-defined (libomp: INT_MAX): above 8
   * levels, or without OMP_THREAD_LIMIT, print only that it is large */
  int mal = omp_get_max_active_levels();
  if (mal <= 8)
    printf("max_active_levels %d nested %d\n", mal, omp_get_nested());
  else
    printf("max_active_levels unlimited (>8) nested %d\n", omp_get_nested());
  int lim = omp_get_thread_limit();
  if (getenv("OMP_THREAD_LIMIT"))
    printf("thread_limit %d\n", lim);
  else
    printf("thread_limit >= 64: %d\n", lim >= 64);
  printf("max_threads %d\n", omp_get_max_threads());
  int team = 0;
#pragma omp parallel
#pragma omp single
  team = omp_get_num_threads();
  if (omp_get_dynamic()) {
    CHECK(team >= 1 && team <= omp_get_max_threads());
    printf("team within max (dynamic)\n");
  } else {
    printf("team %d\n", team);
  }
  /* a runtime-scheduled loop covers everything under this schedule */
  static int hits[1000];
#pragma omp parallel for schedule(runtime)
  for (int i = 0; i < 1000; i++)
    hits[i]++;
  for (int i = 0; i < 1000; i++)
    CHECK(hits[i] == 1);
  /* two levels: the thread limit caps all threads together */
  int total = 0;
#pragma omp parallel num_threads(2)
#pragma omp parallel num_threads(2)
#pragma omp atomic
  total++;
  if (!omp_get_dynamic()) /* dynamic teams depend on the machine's load */
    printf("2x2 nested threads %d\n", total);
  else
    CHECK(total >= 1 && total <= 4);
  printf("ok\n");
  return 0;
}
