/* schedule(dynamic[,chunk]) with monotonic/nonmonotonic modifiers: every
 * iteration exactly once, chunks owned whole, monotonic order per thread,
 * chunk boundaries at multiples of the chunk size. */
#include "omptest.h"

#define N 1000

static int owner[N], hits[N], seq[N];
static int order[MAXT][N];
static int norder[MAXT];

static void reset(void) {
  memset(owner, -1, sizeof owner);
  memset(hits, 0, sizeof hits);
  memset(norder, 0, sizeof norder);
}

static void check_common(const char *what, int chunk, int monotonic) {
  long sum = 0;
  for (int i = 0; i < N; i++) {
    CHECKF(hits[i] == 1, "%s: iter %d ran %d times", what, i, hits[i]);
    sum += seq[i];
  }
  CHECK(sum == (long)N * (N - 1) / 2 * 2);
  /* each chunk [k*c, (k+1)*c) runs on one thread */
  for (int i = 0; i < N; i++)
    CHECKF(owner[i] == owner[(i / chunk) * chunk], "%s: chunk split at %d",
           what, i);
  if (monotonic)
    for (int t = 0; t < MAXT; t++)
      for (int k = 1; k < norder[t]; k++)
        CHECKF(order[t][k] > order[t][k - 1], "%s: thread %d not monotonic",
               what, t);
  int total = 0;
  for (int t = 0; t < MAXT; t++)
    total += norder[t];
  CHECK(total == N);
  printf("%s: ok\n", what);
}

#define BODY                                                                   \
  {                                                                            \
    int me = omp_get_thread_num();                                             \
    owner[i] = me;                                                             \
    hits[i]++;                                                                 \
    seq[i] = 2 * i;                                                            \
    order[me][norder[me]++] = i;                                               \
  }

int main(void) {
  reset();
#pragma omp parallel for schedule(dynamic)
  for (int i = 0; i < N; i++)
    BODY
  check_common("dynamic", 1, 0); /* OpenMP 5: nonmonotonic by default */

  int chunks[] = {1, 3, 7, 64, 2000};
  for (int c = 0; c < 5; c++) {
    int ch = chunks[c];
    char label[64];
    reset();
#pragma omp parallel for schedule(dynamic, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "dynamic,%d", ch);
    check_common(label, ch, 0);

    reset();
#pragma omp parallel for schedule(monotonic : dynamic, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "monotonic:dynamic,%d", ch);
    check_common(label, ch, 1);

    reset();
#pragma omp parallel for schedule(nonmonotonic : dynamic, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "nonmonotonic:dynamic,%d", ch);
    check_common(label, ch, 0);
  }

  /* dynamic loop inside an existing team, several loops with nowait */
  reset();
  int done = 0;
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 5) nowait
    for (int i = 0; i < N / 2; i++)
      BODY
#pragma omp for schedule(dynamic, 5)
    for (int i = N / 2; i < N; i++)
      BODY
#pragma omp single
    done = 1;
  }
  CHECK(done);
  check_common("two nowait loops", 5, 0);

  /* uneven work per iteration still covers all */
  long acc = 0;
#pragma omp parallel for schedule(dynamic, 2) reduction(+ : acc)
  for (int i = 0; i < 200; i++) {
    volatile long x = 0;
    for (int k = 0; k < (i % 17) * 100; k++)
      x += k;
    acc += x + i;
  }
  long want = 0;
  for (int i = 0; i < 200; i++) {
    long x = 0;
    for (int k = 0; k < (i % 17) * 100; k++)
      x += k;
    want += x + i;
  }
  printf("uneven acc %ld\n", acc);
  CHECK(acc == want);
  printf("ok\n");
  return 0;
}
