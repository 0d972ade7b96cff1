/* lock API: simple and nestable locks, with hints; test_lock fails while
 * another thread holds the lock (deterministic hand-off through flags),
 * nest counts, many locks, lock-protected shared structures. */
#include "omptest.h"

#define NB 16

static omp_lock_t lk, bucket[NB];
static omp_nest_lock_t nlk;
static int f_held, f_tested, f_released;

static int nested_add(int depth, long *x) {
  omp_set_nest_lock(&nlk);
  (*x)++;
  int c = depth > 0 ? nested_add(depth - 1, x) : 0;
  omp_unset_nest_lock(&nlk);
  return c + 1;
}

int main(void) {
  int nt = omp_get_max_threads();
  omp_init_lock(&lk);
  long counter = 0;
#pragma omp parallel
  for (int i = 0; i < 2000; i++) {
    omp_set_lock(&lk);
    long v = counter;
    counter = v + 1;
    omp_unset_lock(&lk);
  }
  printf("lock counter %ld\n", counter);
  CHECK(counter == 2000L * nt);

  /* test_lock: uncontended succeeds */
  CHECK(omp_test_lock(&lk) == 1);
  omp_unset_lock(&lk);

  /* test_lock fails while another thread holds it */
  if (nt >= 2) {
    int r_held = -1, r_free = -1;
#pragma omp parallel num_threads(2)
    {
      if (omp_get_thread_num() == 0) {
        omp_set_lock(&lk);
        omptest_set_flag(&f_held, 1);
        CHECK(omptest_wait_flag(&f_tested, 1, 30.0));
        omp_unset_lock(&lk);
        omptest_set_flag(&f_released, 1);
      } else {
        CHECK(omptest_wait_flag(&f_held, 1, 30.0));
        r_held = omp_test_lock(&lk);
        omptest_set_flag(&f_tested, 1);
        CHECK(omptest_wait_flag(&f_released, 1, 30.0));
        r_free = omp_test_lock(&lk);
        if (r_free)
          omp_unset_lock(&lk);
      }
    }
    printf("test_lock while held %d, after release %d\n", r_held, r_free);
    CHECK(r_held == 0 && r_free == 1);
  }
  omp_destroy_lock(&lk);

  /* hinted locks behave the same */
  omp_lock_t hl;
  omp_init_lock_with_hint(&hl, omp_sync_hint_speculative);
  long hc = 0;
#pragma omp parallel
  for (int i = 0; i < 500; i++) {
    omp_set_lock(&hl);
    hc++;
    omp_unset_lock(&hl);
  }
  CHECK(hc == 500L * nt);
  omp_destroy_lock(&hl);

  /* nestable locks: recursion and nest counts */
  omp_init_nest_lock(&nlk);
  CHECK(omp_test_nest_lock(&nlk) == 1);
  CHECK(omp_test_nest_lock(&nlk) == 2);
  CHECK(omp_test_nest_lock(&nlk) == 3);
  omp_unset_nest_lock(&nlk);
  omp_unset_nest_lock(&nlk);
  omp_unset_nest_lock(&nlk);
  long nx = 0;
  int depth_sum = 0;
#pragma omp parallel reduction(+ : depth_sum)
  for (int i = 0; i < 100; i++)
    depth_sum += nested_add(3, &nx);
  printf("nest lock count %ld depth %d\n", nx, depth_sum);
  CHECK(nx == 400L * nt && depth_sum == 400 * nt);

  if (nt >= 2) {
    f_held = f_tested = f_released = 0;
    int other = -1;
#pragma omp parallel num_threads(2)
    {
      if (omp_get_thread_num() == 0) {
        omp_set_nest_lock(&nlk);
        omp_set_nest_lock(&nlk);
        omptest_set_flag(&f_held, 1);
        CHECK(omptest_wait_flag(&f_tested, 1, 30.0));
        omp_unset_nest_lock(&nlk);
        omp_unset_nest_lock(&nlk);
      } else {
        CHECK(omptest_wait_flag(&f_held, 1, 30.0));
        other = omp_test_nest_lock(&nlk);
        omptest_set_flag(&f_tested, 1);
      }
    }
    printf("test_nest_lock by another thread %d\n", other);
    CHECK(other == 0);
  }
  omp_destroy_nest_lock(&nlk);
  omp_nest_lock_t hn;
  omp_init_nest_lock_with_hint(&hn, omp_sync_hint_uncontended);
  CHECK(omp_test_nest_lock(&hn) == 1);
  omp_unset_nest_lock(&hn);
  omp_destroy_nest_lock(&hn);

  /* many locks: a lock per histogram bucket */
  int hist[NB] = {0};
  for (int b = 0; b < NB; b++)
    omp_init_lock(&bucket[b]);
#pragma omp parallel for schedule(dynamic, 16)
  for (int i = 0; i < 16000; i++) {
    int b = (i * 13) % NB;
    omp_set_lock(&bucket[b]);
    hist[b]++;
    omp_unset_lock(&bucket[b]);
  }
  for (int b = 0; b < NB; b++) {
    CHECK(hist[b] == 1000);
    omp_destroy_lock(&bucket[b]);
  }
  /* init/destroy churn */
  for (int k = 0; k < 1000; k++) {
    omp_lock_t t;
    omp_init_lock(&t);
    omp_set_lock(&t);
    omp_unset_lock(&t);
    omp_destroy_lock(&t);
  }
  printf("ok\n");
  return 0;
}
