/* array-section reductions: whole arrays, partial sections, pointer-based
 * sections, 2-D arrays and min/max over sections. */
#include "omptest.h"

#define B 16

int main(void) {
  int hist[B] = {0};
#pragma omp parallel for reduction(+ : hist)
  for (int i = 0; i < 10000; i++)
    hist[(i * 7) % B]++;
  printf("hist:");
  for (int b = 0; b < B; b++) {
    printf(" %d", hist[b]);
    CHECK(hist[b] == 625);
  }
  printf("\n");

  /* partial section: only a[2..6] is reduced, the rest untouched */
  long long a[10];
  for (int i = 0; i < 10; i++)
    a[i] = 100 + i;
#pragma omp parallel for reduction(+ : a[2 : 5])
  for (int i = 0; i < 1000; i++)
    a[2 + i % 5] += 1;
  for (int i = 0; i < 10; i++)
    CHECK(a[i] == 100 + i + ((i >= 2 && i < 7) ? 200 : 0));

  /* pointer-based section of heap memory */
  int n = 37;
  double *p = calloc(n, sizeof *p);
#pragma omp parallel for reduction(+ : p[0 : n]) schedule(dynamic, 3)
  for (int i = 0; i < 3700; i++)
    p[i % n] += 0.5;
  for (int i = 0; i < n; i++)
    CHECK(p[i] == 50.0);
  free(p);

  /* 2-D array, max and min sections */
  int m2[4][5];
  int mx[5], mn[5];
  for (int j = 0; j < 5; j++) {
    mx[j] = -1;
    mn[j] = 1 << 30;
  }
  memset(m2, 0, sizeof m2);
#pragma omp parallel for reduction(+ : m2) reduction(max : mx[0 : 5]) \
    reduction(min : mn[:5])
  for (int i = 0; i < 400; i++) {
    m2[i % 4][i % 5] += i;
    int j = i % 5;
    mx[j] = i > mx[j] ? i : mx[j];
    mn[j] = i < mn[j] ? i : mn[j];
  }
  long tot = 0;
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 5; j++)
      tot += m2[i][j] * (i + 1) * (j + 1);
  printf("2d weighted %ld max %d %d min %d %d\n", tot, mx[0], mx[4], mn[0],
         mn[4]);
  for (int j = 0; j < 5; j++)
    CHECK(mx[j] == 395 + j && mn[j] == j);

  /* section of an array inside a struct-like buffer, plus a scalar */
  float fs[8] = {0};
  int cnt = 0;
#pragma omp parallel reduction(+ : fs[1 : 6], cnt)
  {
    for (int k = 1; k < 7; k++)
      fs[k] += (float)k;
    cnt++;
  }
  int nt = omp_get_max_threads();
  for (int k = 1; k < 7; k++)
    CHECK(fs[k] == (float)(k * nt));
  CHECK(fs[0] == 0 && fs[7] == 0 && cnt == nt);
  printf("ok\n");
  return 0;
}
