/* threadprivate: scalars, arrays and structs, values persisting across
 * regions of the same team size, copyin, and copyprivate of one. */
#include "omptest.h"

static int tp_counter;
static double tp_arr[8];
static struct { int id; long hits; } tp_rec;
#pragma omp threadprivate(tp_counter, tp_arr, tp_rec)

int global_tp = 100;
#pragma omp threadprivate(global_tp)

int main(void) {
  omp_set_dynamic(0);
  int nt = omp_get_max_threads();
  tp_counter = -5; /* master's copy */
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    tp_counter = me * 10;
    tp_rec.id = me;
    tp_rec.hits = 0;
    for (int k = 0; k < 8; k++)
      tp_arr[k] = me + k * 0.5;
  }
  /* master's copy is the thread-0 copy */
  CHECK(tp_counter == 0 && tp_rec.id == 0);
  int bad = 0;
  for (int r = 0; r < 5; r++) {
#pragma omp parallel reduction(+ : bad)
    {
      int me = omp_get_thread_num();
      bad += tp_counter != me * 10 + r;
      bad += tp_rec.id != me;
      bad += tp_arr[7] != me + 3.5;
      tp_counter++;
      tp_rec.hits++;
#pragma omp for schedule(dynamic)
      for (int i = 0; i < 100; i++)
        tp_rec.hits += 0; /* address of a threadprivate inside a loop */
    }
  }
  printf("persisting threadprivate bad=%d\n", bad);
  CHECK(bad == 0);

  /* copyin broadcasts the master's values */
  tp_counter = 4242;
  tp_arr[3] = -1.5;
  global_tp = 7;
  int seen = 0;
#pragma omp parallel copyin(tp_counter, tp_arr, global_tp) reduction(+ : seen)
  {
    seen += tp_counter == 4242 && tp_arr[3] == -1.5 && global_tp == 7;
    tp_counter += omp_get_thread_num();
    global_tp = omp_get_thread_num();
  }
  printf("copyin seen by %d of %d\n", seen, nt);
  CHECK(seen == nt);
  /* the per-thread values survive into the next region */
  int bad2 = 0;
#pragma omp parallel reduction(+ : bad2)
  {
    bad2 += tp_counter != 4242 + omp_get_thread_num();
    bad2 += global_tp != omp_get_thread_num();
  }
  CHECK(bad2 == 0);

  /* copyprivate of a threadprivate */
  int ok = 0;
#pragma omp parallel reduction(+ : ok)
  {
#pragma omp single copyprivate(tp_counter)
    tp_counter = 999;
    ok += tp_counter == 999;
  }
  CHECK(ok == nt);

  /* threadprivate addresses differ between threads */
  void *addr[MAXT];
#pragma omp parallel
  addr[omp_get_thread_num()] = &tp_counter;
  for (int a = 0; a < nt; a++)
    for (int b = a + 1; b < nt; b++)
      CHECK(addr[a] != addr[b]);
  printf("ok\n");
  return 0;
}
