/* schedule(guided[,chunk]) with modifiers: all iterations exactly once,
 * every chunk at least `chunk` long except the last, per-thread order. */
#include "omptest.h"

#define N 1237

static int owner[N], hits[N];
static int order[MAXT][N];
static int norder[MAXT];

static void reset(void) {
  memset(owner, -1, sizeof owner);
  memset(hits, 0, sizeof hits);
  memset(norder, 0, sizeof norder);
}

static void check(const char *what, int chunk, int monotonic) {
  for (int i = 0; i < N; i++)
    CHECKF(hits[i] == 1, "%s: iter %d ran %d times", what, i, hits[i]);
  /* maximal runs of one owner are unions of chunks; only the run holding
   * the final iteration may be shorter than the minimum chunk */
  int start = 0;
  for (int i = 1; i <= N; i++) {
    if (i == N || owner[i] != owner[start]) {
      if (i != N)
        CHECKF(i - start >= chunk, "%s: run [%d,%d) shorter than %d", what,
               start, i, chunk);
      start = i;
    }
  }
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
    order[me][norder[me]++] = i;                                               \
  }

int main(void) {
  reset();
#pragma omp parallel for schedule(guided)
  for (int i = 0; i < N; i++)
    BODY
  check("guided", 1, 0);

  int chunks[] = {1, 4, 13, 100, 5000};
  for (int c = 0; c < 5; c++) {
    int ch = chunks[c];
    char label[64];
    reset();
#pragma omp parallel for schedule(guided, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "guided,%d", ch);
    check(label, ch < N ? ch : N, 0);
    reset();
#pragma omp parallel for schedule(monotonic : guided, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "monotonic:guided,%d", ch);
    check(label, ch < N ? ch : N, 1);
    reset();
#pragma omp parallel for schedule(nonmonotonic : guided, ch)
    for (int i = 0; i < N; i++)
      BODY
    snprintf(label, sizeof label, "nonmonotonic:guided,%d", ch);
    check(label, ch < N ? ch : N, 0);
  }

  /* guided over a descending loop with a stride */
  long sum = 0;
#pragma omp parallel for schedule(guided, 3) reduction(+ : sum)
  for (int i = 10000; i > -5000; i -= 7)
    sum += i;
  long want = 0;
  for (int i = 10000; i > -5000; i -= 7)
    want += i;
  printf("descending sum %ld\n", sum);
  CHECK(sum == want);

  /* auto schedule: any valid distribution */
  reset();
#pragma omp parallel for schedule(auto)
  for (int i = 0; i < N; i++)
    BODY
  check("auto", 1, 0);
  printf("ok\n");
  return 0;
}
