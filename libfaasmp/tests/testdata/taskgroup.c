/* taskgroup waits for all descendant tasks (taskwait only for children),
 * nested taskgroups, and task reductions (taskgroup task_reduction with
 * task in_reduction). */
#include "omptest.h"

static int done_count;

static void spawn(int depth) {
  if (depth == 0) {
#pragma omp atomic
    done_count++;
    return;
  }
  for (int k = 0; k < 3; k++) {
#pragma omp task
    spawn(depth - 1);
  }
}

int main(void) {
  int seen = -1;
#pragma omp parallel
#pragma omp single
  {
#pragma omp taskgroup
    {
      spawn(5); /* 3^5 leaf tasks, grandchildren included */
    }
#pragma omp atomic read
    seen = done_count;
  }
  printf("taskgroup waited for %d leaves\n", seen);
  CHECK(seen == 243);

  /* nested taskgroups */
  int inner = 0, outer = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp taskgroup
    {
      for (int i = 0; i < 10; i++) {
#pragma omp task
        {
#pragma omp taskgroup
          {
            for (int j = 0; j < 10; j++) {
#pragma omp task
              {
#pragma omp atomic
                inner++;
              }
            }
          }
#pragma omp atomic
          outer++;
        }
      }
    }
    CHECK(inner == 100 && outer == 10);
  }

  /* task reductions */
  long sum = 0;
  double prod = 1;
  int mx = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp taskgroup task_reduction(+ : sum) task_reduction(* : prod) \
    task_reduction(max : mx)
    {
      for (int i = 1; i <= 100; i++) {
#pragma omp task in_reduction(+ : sum) in_reduction(* : prod) \
    in_reduction(max : mx)
        {
          sum += i;
          if (i % 10 == 0)
            prod *= 2;
          mx = (i * 37) % 101 > mx ? (i * 37) % 101 : mx;
        }
      }
    }
  }
  printf("task_reduction sum %ld prod %.1f max %d\n", sum, prod, mx);
  CHECK(sum == 5050 && prod == 1024.0 && mx == 100);

  /* a reduction across a parallel region with task modifier */
  long s2 = 0;
#pragma omp parallel reduction(task, + : s2)
  {
#pragma omp single
    for (int i = 0; i < 100; i++) {
#pragma omp task in_reduction(+ : s2)
      s2 += i;
    }
  }
  printf("reduction(task) %ld\n", s2);
  CHECK(s2 == 4950);
  printf("ok\n");
  return 0;
}
