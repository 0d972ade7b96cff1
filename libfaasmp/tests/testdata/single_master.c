/* single, master, masked (filter), single nowait, copyprivate of scalars,
 * a struct and an array. */
#include "omptest.h"

struct pt { int x; double y; char tag[8]; };

int main(void) {
  int nsingle = 0, nmaster = 0, master_tid = -1, nmasked = 0, masked_tid = -1;
  int nt = 1;
#pragma omp parallel
  {
#pragma omp single
    {
      nt = omp_get_num_threads();
      nsingle++;
    }
    for (int r = 0; r < 10; r++) {
#pragma omp single nowait
      {
#pragma omp atomic
        nsingle++;
      }
    }
#pragma omp master
    {
      nmaster++;
      master_tid = omp_get_thread_num();
    }
#pragma omp masked filter(1)
    {
      nmasked++;
      masked_tid = omp_get_thread_num();
    }
#pragma omp masked
    {
      CHECK(omp_get_thread_num() == 0);
    }
  }
  printf("single %d master %d (tid %d) masked(1) %d (tid %d)\n", nsingle,
         nmaster, master_tid, nmasked, masked_tid);
  CHECK(nsingle == 11 && nmaster == 1 && master_tid == 0);
  CHECK(nmasked == (nt > 1) && masked_tid == (nt > 1 ? 1 : -1));

  /* copyprivate: the single thread's private values reach all */
  int ok = 0;
#pragma omp parallel reduction(+ : ok)
  {
    int a;
    double d;
    struct pt p;
    int arr[5];
#pragma omp single copyprivate(a, d, p, arr)
    {
      a = 1234;
      d = 2.5;
      p.x = 9;
      p.y = -1.25;
      strcpy(p.tag, "abc");
      for (int i = 0; i < 5; i++)
        arr[i] = i * i;
    }
    int good = a == 1234 && d == 2.5 && p.x == 9 && p.y == -1.25 &&
               strcmp(p.tag, "abc") == 0 && arr[4] == 16 && arr[1] == 1;
    ok += good;
  }
  printf("copyprivate ok in %d threads\n", ok);
  CHECK(ok == nt);

  /* repeated copyprivate rounds: each round a fresh value */
  int bad = 0;
#pragma omp parallel reduction(+ : bad)
  {
    for (int r = 0; r < 50; r++) {
      int v;
#pragma omp single copyprivate(v)
      v = r * 7 + 1;
      bad += v != r * 7 + 1;
    }
  }
  CHECK(bad == 0);

  /* master has no barrier: explicit barrier makes its write visible */
  int m = 0, sawm = 0;
#pragma omp parallel reduction(+ : sawm)
  {
#pragma omp master
    m = 5;
#pragma omp barrier
    sawm += m == 5;
  }
  CHECK(sawm == nt);
  printf("ok\n");
  return 0;
}
