/* explicit tasks: many tasks from single, taskwait, recursive fib, default
 * firstprivate capture of loop variables, shared captures, if(0) tasks
 * (undeferred), final/mergeable/untied, taskyield, tasks from all threads. */
#include "omptest.h"

#define NT 500

static long fib(int n) {
  if (n < 2)
    return n;
  long a, b;
#pragma omp task shared(a) if (n > 12)
  a = fib(n - 1);
#pragma omp task shared(b) if (n > 12)
  b = fib(n - 2);
#pragma omp taskwait
  return a + b;
}

static long fib_final(int n) {
  if (n < 2)
    return n;
  long a, b;
#pragma omp task shared(a) final(n < 15) mergeable
  a = fib_final(n - 1);
#pragma omp task shared(b) final(n < 15) mergeable
  b = fib_final(n - 2);
#pragma omp taskwait
  return a + b;
}

int main(void) {
  int nt = omp_get_max_threads();
  static int out[NT];
  static int ran_by[NT];
  memset(out, 0, sizeof out);
#pragma omp parallel
#pragma omp single
  {
    for (int i = 0; i < NT; i++) {
#pragma omp task /* i is firstprivate by default */
      {
        out[i] = i * i;
        ran_by[i] = omp_get_thread_num();
      }
    }
#pragma omp taskwait
    for (int i = 0; i < NT; i++)
      CHECK(out[i] == i * i);
  }
  for (int i = 0; i < NT; i++)
    CHECK(ran_by[i] >= 0 && ran_by[i] < nt);
  printf("%d tasks done\n", NT);

  long f = -1, ff = -1;
#pragma omp parallel
#pragma omp single
  f = fib(22);
#pragma omp parallel
#pragma omp master
  ff = fib_final(20);
  printf("fib(22) %ld fib_final(20) %ld\n", f, ff);
  CHECK(f == 17711 && ff == 6765);

  /* explicit firstprivate snapshot vs shared */
  int x = 1, sx = 0, snap = -1;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task firstprivate(x) shared(snap)
    snap = x;
    x = 2;
#pragma omp task shared(sx, x)
    sx = x;
#pragma omp taskwait
  }
  printf("firstprivate snapshot %d shared %d\n", snap, sx);
  CHECK(snap == 1 && sx == 2);

  /* if(0): undeferred, completes before the encountering task continues */
  int order_ok = 1;
#pragma omp parallel reduction(&& : order_ok)
  {
    int v = 0;
#pragma omp task if (0) shared(v)
    v = omp_get_thread_num() + 1;
    order_ok = v == omp_get_thread_num() + 1;
  }
  CHECK(order_ok);

  /* every thread creates tasks; the region end waits for all */
  static int cnt[MAXT * 50];
  memset(cnt, 0, sizeof cnt);
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 50; k++) {
#pragma omp task untied
      {
        cnt[me * 50 + k]++;
#pragma omp taskyield
      }
    }
  }
  for (int k = 0; k < nt * 50; k++)
    CHECK(cnt[k] == 1);

  /* untied tasks that yield hand their own descriptor back to the runtime
   * to schedule the rest of their body: the rest must run exactly once and
   * the descriptor be released once (a double release hands one block to
   * two later allocations, which the pattern check catches). */
  static int resumed[MAXT * 300];
  memset(resumed, 0, sizeof resumed);
  int pattern_ok = 1;
#pragma omp parallel reduction(&& : pattern_ok)
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 300; k++) {
#pragma omp task untied shared(pattern_ok)
      {
        unsigned char *buf = malloc(40);
        memset(buf, (me * 300 + k) & 0xff, 40);
#pragma omp taskyield
        for (int j = 0; j < 40; j++)
          if (buf[j] != ((me * 300 + k) & 0xff))
            pattern_ok = 0;
        free(buf);
        resumed[me * 300 + k]++;
      }
    }
#pragma omp taskwait
  }
  CHECK(pattern_ok);
  for (int k = 0; k < nt * 300; k++)
    CHECK(resumed[k] == 1);

  /* nested tasks with taskwait only waiting for children */
  long total = 0;
#pragma omp parallel
#pragma omp single
  {
    for (int i = 0; i < 20; i++) {
#pragma omp task shared(total)
      {
        long part[5];
        for (int j = 0; j < 5; j++) {
#pragma omp task shared(part)
          part[j] = i * 10 + j;
        }
#pragma omp taskwait
        long s = 0;
        for (int j = 0; j < 5; j++)
          s += part[j];
#pragma omp atomic
        total += s;
      }
    }
  }
  printf("nested tasks total %ld\n", total);
  CHECK(total == 50 * 190 + 20 * 10);

  /* taskyield in a loop waiting on a task-set flag */
  int flag = 0;
#pragma omp parallel num_threads(2)
#pragma omp single
  {
#pragma omp task shared(flag)
    omptest_set_flag(&flag, 1);
    while (1) {
      int v;
#pragma omp atomic read
      v = flag;
      if (v)
        break;
#pragma omp taskyield
    }
  }
  CHECK(flag == 1);
  printf("ok\n");
  return 0;
}
