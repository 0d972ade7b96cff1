/* schedule(runtime) driven by omp_set_schedule (every kind, with chunk and
 * the monotonic modifier), and omp_get_schedule round trips. */
#include "omptest.h"

#define N 517

static int hits[N];

static const char *kname(omp_sched_t k) {
  switch ((int)k & ~(int)omp_sched_monotonic) {
  case omp_sched_static: return "static";
  case omp_sched_dynamic: return "dynamic";
  case omp_sched_guided: return "guided";
  case omp_sched_auto: return "auto";
  }
  return "other";
}

int main(void) {
  omp_sched_t k;
  int ch;
  omp_get_schedule(&k, &ch);
  printf("initial schedule kind %s chunk %d\n", kname(k), ch);

  struct { omp_sched_t k; int ch; } cases[] = {
      {omp_sched_static, 0},  {omp_sched_static, 7},
      {omp_sched_dynamic, 1}, {omp_sched_dynamic, 9},
      {omp_sched_guided, 2},  {omp_sched_guided, 20},
      {omp_sched_auto, 0},
      {(omp_sched_t)(omp_sched_dynamic | omp_sched_monotonic), 4},
  };
  int nc = sizeof cases / sizeof cases[0];
  for (int c = 0; c < nc; c++) {
    omp_set_schedule(cases[c].k, cases[c].ch);
    omp_get_schedule(&k, &ch);
    printf("set %s%s,%d -> get %s%s chunk %d\n",
           (cases[c].k & omp_sched_monotonic) ? "monotonic:" : "",
           kname(cases[c].k), cases[c].ch,
           (k & omp_sched_monotonic) ? "monotonic:" : "", kname(k), ch);
    memset(hits, 0, sizeof hits);
    int static_owner_ok = 1;
    int nt = 1;
#pragma omp parallel
    {
#pragma omp single
      nt = omp_get_num_threads();
#pragma omp for schedule(runtime)
      for (int i = 0; i < N; i++) {
#pragma omp atomic
        hits[i]++;
        if ((cases[c].k == omp_sched_static) && cases[c].ch > 0 &&
            omp_get_thread_num() != (i / cases[c].ch) % omp_get_num_threads())
          static_owner_ok = 0;
      }
    }
    for (int i = 0; i < N; i++)
      CHECKF(hits[i] == 1, "case %d iter %d hits %d", c, i, hits[i]);
    CHECK(static_owner_ok);
    /* the schedule is inherited by a team: query inside a region */
    omp_sched_t kin = 0;
    int chin = -1;
#pragma omp parallel num_threads(2)
#pragma omp master
    omp_get_schedule(&kin, &chin);
    CHECK(kin == k && chin == ch);
    (void)nt;
  }
  /* runtime loop with long long and a reduction */
  omp_set_schedule(omp_sched_guided, 3);
  long long s = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : s)
  for (long long i = -300; i < 3000; i += 3)
    s += i;
  long long want = 0;
  for (long long i = -300; i < 3000; i += 3)
    want += i;
  printf("runtime ll sum %lld\n", s);
  CHECK(s == want);
  printf("ok\n");
  return 0;
}
