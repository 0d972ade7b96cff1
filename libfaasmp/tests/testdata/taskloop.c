/* taskloop: default, grainsize, num_tasks, nogroup + taskwait, collapse,
 * firstprivate/lastprivate, reduction and in a team loop. */
#include "omptest.h"

#define N 1000

static int hits[N];

static void check_hits(const char *what, int n) {
  for (int i = 0; i < n; i++)
    CHECKF(hits[i] == 1, "%s: iter %d ran %d times", what, i, hits[i]);
  memset(hits, 0, sizeof hits);
  printf("%s ok\n", what);
}

int main(void) {
#pragma omp parallel
#pragma omp single
  {
#pragma omp taskloop
    for (int i = 0; i < N; i++)
      hits[i]++;
  }
  check_hits("taskloop", N);

  int grains[] = {1, 7, 100, 5000};
  for (int g = 0; g < 4; g++) {
    int gs = grains[g];
#pragma omp parallel
#pragma omp single
#pragma omp taskloop grainsize(gs)
    for (int i = 0; i < N; i++)
#pragma omp atomic
      hits[i]++;
    check_hits("grainsize", N);
  }
  int ntasks[] = {1, 3, 64, 2000};
  for (int g = 0; g < 4; g++) {
    int nk = ntasks[g];
#pragma omp parallel
#pragma omp single
#pragma omp taskloop num_tasks(nk)
    for (int i = 0; i < N; i++)
#pragma omp atomic
      hits[i]++;
    check_hits("num_tasks", N);
  }

#pragma omp parallel
#pragma omp single
  {
#pragma omp taskloop nogroup grainsize(10)
    for (int i = 0; i < N; i++)
      hits[i]++;
#pragma omp taskwait
  }
  check_hits("nogroup+taskwait", N);

  static int h2[40][25];
#pragma omp parallel
#pragma omp master
#pragma omp taskloop collapse(2) grainsize(30)
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 25; j++)
      h2[i][j] += i * 25 + j;
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 25; j++)
      CHECK(h2[i][j] == i * 25 + j);

  int base = 10, last = -1;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop firstprivate(base) lastprivate(last) num_tasks(7)
  for (int i = 0; i < 100; i++) {
    hits[i] = base + i == 10 + i;
    last = i * 2;
  }
  printf("lastprivate %d\n", last);
  CHECK(last == 198);
  check_hits("firstprivate", 100);

  /* taskloop with long long and strides */
  long long s8 = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop grainsize(4)
  for (long long i = 3000000000LL; i > 2999999000LL; i -= 3)
#pragma omp atomic
    s8 += i - 2999999000LL;
  long long w8 = 0;
  for (long long i = 3000000000LL; i > 2999999000LL; i -= 3)
    w8 += i - 2999999000LL;
  CHECK(s8 == w8);

  /* taskloop encountered by every thread of the team */
  static int h3[MAXT][100];
#pragma omp parallel
  {
    int me = omp_get_thread_num();
#pragma omp taskloop grainsize(9)
    for (int i = 0; i < 100; i++)
      h3[me][i]++;
  }
  for (int t = 0; t < omp_get_max_threads(); t++)
    for (int i = 0; i < 100; i++)
      CHECK(h3[t][i] == 1);
  printf("ok\n");
  return 0;
}
