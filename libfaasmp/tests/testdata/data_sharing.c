/* data-sharing clauses: private, firstprivate (arrays, structs),
 * lastprivate on for (static and dynamic), linear, default(none),
 * parallel for simd with reduction, and variables declared in regions. */
#include "omptest.h"

struct S { int a[4]; double d; };

int main(void) {
  int nt = omp_get_max_threads();
  int lp = -1;
  /* monotonic: libomp 19's nonmonotonic dynamic (its default) sometimes
   * leaves a lastprivate unassigned when the last chunk is stolen */
#pragma omp parallel for lastprivate(lp) schedule(monotonic : dynamic, 3)
  for (int i = 0; i < 100; i++)
    lp = i * 3;
  int lp2 = -1, lpi = -1;
#pragma omp parallel for lastprivate(lp2, lpi) schedule(static, 7)
  for (lpi = 0; lpi < 50; lpi++)
    lp2 = lpi;
  printf("lastprivate %d %d, loop var after %d\n", lp, lp2, lpi);
  CHECK(lp == 297 && lp2 == 49 && lpi == 50);

  int both = 7;
#pragma omp parallel for firstprivate(both) lastprivate(both)
  for (int i = 0; i < 10; i++)
    both = both + 0 * i + (i == 9 ? 100 : 0);
  printf("first+lastprivate %d\n", both);

  struct S st = {{1, 2, 3, 4}, 2.5};
  int arr[16];
  for (int i = 0; i < 16; i++)
    arr[i] = i;
  int bad = 0;
#pragma omp parallel firstprivate(st, arr) reduction(+ : bad)
  {
    bad += st.a[3] != 4 || st.d != 2.5 || arr[15] != 15;
    st.a[3] = omp_get_thread_num();
    arr[15] = -1;
  }
  CHECK(bad == 0 && st.a[3] == 4 && arr[15] == 15);

  /* linear: j advances by 2 per iteration */
  int j = 10;
  static int lin[200];
#pragma omp parallel for linear(j : 2)
  for (int i = 0; i < 100; i++) {
    lin[i] = j;
    j += 2;
  }
  for (int i = 0; i < 100; i++)
    CHECK(lin[i] == 10 + 2 * i);
  printf("linear final %d\n", j);
  CHECK(j == 210);

  /* default(none) with explicit sharing */
  int n = 1000;
  long total = 0;
#pragma omp parallel for default(none) shared(n) reduction(+ : total)
  for (int i = 0; i < n; i++)
    total += i;
  CHECK(total == 499500);

  /* simd combined */
  static float xs[1024], ys[1024];
  for (int i = 0; i < 1024; i++) {
    xs[i] = (float)(i % 8);
    ys[i] = 1.0f;
  }
  float dot = 0;
#pragma omp parallel for simd reduction(+ : dot)
  for (int i = 0; i < 1024; i++)
    dot += xs[i] * ys[i];
  printf("simd dot %.1f\n", dot);
  CHECK(dot == 128 * 28);

  /* private is uninitialised per thread, does not leak out */
  int pv = 123;
#pragma omp parallel private(pv)
  {
    pv = omp_get_thread_num();
    CHECK(pv == omp_get_thread_num());
  }
  CHECK(pv == 123);

  /* shared by default, variables declared inside are private */
  int shared_counter = 0;
#pragma omp parallel
  {
    int local = omp_get_thread_num();
    local++;
#pragma omp atomic
    shared_counter += local;
  }
  CHECK(shared_counter == nt * (nt + 1) / 2);
  printf("ok\n");
  return 0;
}
