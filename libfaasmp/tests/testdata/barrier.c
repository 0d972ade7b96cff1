/* barrier: phased exchange through shared arrays over many rounds, the
 * implicit barriers of for/single, and nowait + explicit barrier. */
#include "omptest.h"

#define ROUNDS 300

static int cell[MAXT];
static long acc[MAXT];

int main(void) {
  int nt = 1;
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    int n = omp_get_num_threads();
#pragma omp single
    nt = n;
    for (int r = 0; r < ROUNDS; r++) {
      cell[me] = r * 1000 + me;
#pragma omp barrier
      /* everyone sees everyone's write of this round */
      long s = 0;
      for (int t = 0; t < n; t++) {
        CHECKF(cell[t] == r * 1000 + t, "round %d cell[%d]=%d", r, t, cell[t]);
        s += cell[t];
      }
      acc[me] += s;
#pragma omp barrier
    }
  }
  long want = 0;
  for (int r = 0; r < ROUNDS; r++)
    want += (long)nt * r * 1000 + nt * (nt - 1) / 2;
  for (int t = 0; t < nt; t++)
    CHECK(acc[t] == want);
  printf("barrier rounds ok, threads %d, acc %ld\n", nt, acc[0]);

  /* implicit barrier after for */
  static int a[1000], b[1000];
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 7)
    for (int i = 0; i < 1000; i++)
      a[i] = i;
#pragma omp for schedule(static)
    for (int i = 0; i < 1000; i++)
      b[i] = a[999 - i];
  }
  for (int i = 0; i < 1000; i++)
    CHECK(b[i] == 999 - i);

  /* implicit barrier after single: all see the value */
  int v = 0, seen = 0;
#pragma omp parallel reduction(+ : seen)
  {
#pragma omp single
    v = 77;
    seen += (v == 77);
  }
  CHECK(seen == nt);

  /* nowait loop, explicit barrier, then read others' results */
  static int c[1000];
#pragma omp parallel
  {
#pragma omp for nowait schedule(dynamic, 3)
    for (int i = 0; i < 1000; i++)
      c[i] = 2 * i;
#pragma omp barrier
    long s = 0;
    for (int i = 0; i < 1000; i++)
      s += c[i];
    CHECK(s == 999 * 1000);
  }
  printf("ok\n");
  return 0;
}
