/* flush and atomic flags: the OpenMP memory-model producer/consumer
 * pattern (write data, flush, set flag; poll flag, flush, read data), in a
 * pipeline through all threads. */
#include "omptest.h"

#define ROUNDS 20
#define LEN 256

static int data[MAXT][LEN];
static int flag[MAXT];

int main(void) {
  int nt = omp_get_max_threads();
  long final_sum = -1;
  if (nt > 1) {
#pragma omp parallel
    {
      int me = omp_get_thread_num();
      int n = omp_get_num_threads();
      for (int r = 1; r <= ROUNDS; r++) {
        if (me > 0) {
          CHECKF(omptest_wait_flag(&flag[me - 1], r, 30.0),
                 "thread %d never saw round %d from %d", me, r, me - 1);
#pragma omp flush
        }
        for (int i = 0; i < LEN; i++)
          data[me][i] = (me > 0 ? data[me - 1][i] : r * 1000 + i) + 1;
#pragma omp flush
        omptest_set_flag(&flag[me], r);
        if (me == n - 1) {
          long s = 0;
          for (int i = 0; i < LEN; i++)
            s += data[me][i];
          CHECK(s == (long)LEN * (r * 1000 + n) + LEN * (LEN - 1) / 2);
          if (r == ROUNDS)
            final_sum = s;
        }
        /* producer waits until its consumer has copied this round */
        if (me < n - 1)
          CHECK(omptest_wait_flag(&flag[me + 1], r, 30.0));
      }
    }
  } else {
    final_sum = (long)LEN * (ROUNDS * 1000 + 1) + LEN * (LEN - 1) / 2;
  }
  printf("pipeline final sum %ld\n", final_sum);
  CHECK(final_sum == (long)LEN * (ROUNDS * 1000 + nt) + LEN * (LEN - 1) / 2);

  /* flush with a list */
  int x = 0, ready = 0;
  if (nt > 1) {
#pragma omp parallel num_threads(2)
    {
      if (omp_get_thread_num() == 0) {
        x = 99;
#pragma omp flush(x, ready)
        omptest_set_flag(&ready, 1);
      } else {
        CHECK(omptest_wait_flag(&ready, 1, 30.0));
#pragma omp flush(x, ready)
        CHECK(x == 99);
      }
    }
  }
  printf("ok\n");
  return 0;
}
