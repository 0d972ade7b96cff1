/* collapse(2) and collapse(3), rectangular and triangular (OpenMP 5
 * non-rectangular), with static, dynamic and guided schedules. */
#include "omptest.h"

#define NI 13
#define NJ 11
#define NK 7

static int hits[NI][NJ][NK];
static int owner2[NI][NJ];

int main(void) {
  memset(hits, 0, sizeof hits);
  int nt = 1;
#pragma omp parallel
  {
#pragma omp single
    nt = omp_get_num_threads();
#pragma omp for collapse(2) schedule(static)
    for (int i = 0; i < NI; i++)
      for (int j = 0; j < NJ; j++)
        owner2[i][j] = omp_get_thread_num();
  }
  /* collapsed static: contiguous in the linearised space */
  int prev = 0;
  printf("collapse(2) static owners:");
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++) {
      CHECK(owner2[i][j] >= prev);
      prev = owner2[i][j];
      printf(" %d", owner2[i][j]);
    }
  printf("\n");

#pragma omp parallel for collapse(3) schedule(dynamic, 5)
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++)
      for (int k = 0; k < NK; k++)
#pragma omp atomic
        hits[i][j][k]++;
#pragma omp parallel for collapse(3) schedule(guided)
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++)
      for (int k = 0; k < NK; k++)
#pragma omp atomic
        hits[i][j][k]++;
#pragma omp parallel for collapse(2) schedule(static, 3)
  for (int i = NI - 1; i >= 0; i--)
    for (int j = 0; j < NJ; j += 2)
      for (int k = 0; k < NK; k++)
#pragma omp atomic
        hits[i][j][k]++;
  for (int i = 0; i < NI; i++)
    for (int j = 0; j < NJ; j++)
      for (int k = 0; k < NK; k++)
        CHECK(hits[i][j][k] == 2 + (j % 2 == 0));

  /* triangular: j from i */
  long long s = 0;
  int cnt = 0;
#pragma omp parallel for collapse(2) reduction(+ : s, cnt) schedule(dynamic)
  for (int i = 0; i < 40; i++)
    for (int j = i; j < 40; j++) {
      s += i * 100 + j;
      cnt++;
    }
  long long w = 0;
  int wc = 0;
  for (int i = 0; i < 40; i++)
    for (int j = i; j < 40; j++) {
      w += i * 100 + j;
      wc++;
    }
  printf("triangular count %d sum %lld\n", cnt, s);
  CHECK(s == w && cnt == wc);

  /* collapse with long long bounds */
  long long s8 = 0;
#pragma omp parallel for collapse(2) reduction(+ : s8)
  for (long long i = 0; i < 3000000000LL; i += 1000000000LL)
    for (long long j = 0; j < 50; j++)
      s8 += i / 1000000000LL + j;
  printf("ll collapse %lld\n", s8);
  CHECK(s8 == 3 * 1225 + 50 * 3);
  printf("ok threads=%d\n", nt);
  return 0;
}
