/* critical: unnamed and named, with hints. Distinct names must be distinct
 * locks: thread 0 holds critical(alpha) until thread 1 has entered and left
 * critical(beta) (a shared lock would deadlock; we time out and FAIL). Also
 * nested criticals with different names, and mutual exclusion counters. */
#include "omptest.h"

static int go, beta_done;
static long counter, ca, cb, cc;

int main(void) {
  int nt = omp_get_max_threads();
  /* mutual exclusion with a non-atomic read-modify-write */
#pragma omp parallel
  for (int i = 0; i < 2000; i++) {
#pragma omp critical
    {
      long v = counter;
      v = v + 1;
      counter = v;
    }
  }
  printf("unnamed critical counter %ld\n", counter);
  CHECK(counter == 2000L * nt);

  /* three named criticals, each guarding its own counter */
#pragma omp parallel
  for (int i = 0; i < 1000; i++) {
#pragma omp critical(alpha)
    ca += 1;
#pragma omp critical(beta)
    cb += 2;
#pragma omp critical(gamma) hint(omp_sync_hint_contended)
    cc += 3;
  }
  printf("named counters %ld %ld %ld\n", ca, cb, cc);
  CHECK(ca == 1000L * nt && cb == 2000L * nt && cc == 3000L * nt);

  /* distinct locks: one thread holds alpha while another takes beta */
  int distinct = -1;
  if (nt >= 2) {
#pragma omp parallel num_threads(2)
    {
      if (omp_get_thread_num() == 0) {
#pragma omp critical(alpha)
        {
          omptest_set_flag(&go, 1);
          int ok = omptest_wait_flag(&beta_done, 1, 20.0);
          CHECKF(ok, "critical(beta) blocked while critical(alpha) held: "
                     "named criticals share a lock");
          distinct = 1;
        }
      } else {
        CHECK(omptest_wait_flag(&go, 1, 20.0));
#pragma omp critical(beta)
        omptest_set_flag(&beta_done, 1);
      }
    }
    /* and the unnamed critical is distinct from named ones */
    go = 0;
    beta_done = 0;
#pragma omp parallel num_threads(2)
    {
      if (omp_get_thread_num() == 0) {
#pragma omp critical
        {
          omptest_set_flag(&go, 1);
          CHECKF(omptest_wait_flag(&beta_done, 1, 20.0),
                 "unnamed critical blocks critical(gamma)");
        }
      } else {
        CHECK(omptest_wait_flag(&go, 1, 20.0));
#pragma omp critical(gamma) hint(omp_sync_hint_contended)
        omptest_set_flag(&beta_done, 1);
      }
    }
  }
  printf("named criticals distinct: %d\n", distinct);

  /* nesting different names is legal (same name would deadlock) */
  long nest = 0;
#pragma omp parallel
  for (int i = 0; i < 300; i++) {
#pragma omp critical(outer_lock)
    {
#pragma omp critical(inner_lock)
      nest++;
    }
  }
  CHECK(nest == 300L * nt);

  /* critical in a function called from several regions (same lock) */
  long shared = 0;
#pragma omp parallel sections
  {
#pragma omp section
    for (int i = 0; i < 500; i++) {
#pragma omp critical(shared_lock)
      shared += 1;
    }
#pragma omp section
    for (int i = 0; i < 500; i++) {
#pragma omp critical(shared_lock)
      shared += 1000;
    }
  }
  CHECK(shared == 500 + 500000);
  printf("ok\n");
  return 0;
}
