/* task dependences: inout chains execute in creation order, in/out
 * fan-out/fan-in, iterator and multi-item depend lists, mutexinoutset,
 * and a blocked wavefront (dependences on a 2-D grid). */
#include "omptest.h"

#define CH 200
#define G 12

static int seq[CH];
static int pos;

int main(void) {
  /* a chain through one variable: strictly sequential */
  int x = 0;
  pos = 0;
#pragma omp parallel
#pragma omp single
  {
    for (int i = 0; i < CH; i++) {
#pragma omp task depend(inout : x) shared(x)
      {
        CHECKF(x == i, "chain step %d saw x=%d", i, x);
        x++;
        seq[pos++] = i;
      }
    }
  }
  for (int i = 0; i < CH; i++)
    CHECK(seq[i] == i);
  printf("inout chain %d ok\n", x);

  /* out then many ins then out: readers see the writer, writer after all */
  int a = 0, reads[64], final = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task depend(out : a) shared(a)
    a = 42;
    for (int r = 0; r < 64; r++) {
#pragma omp task depend(in : a) shared(a, reads)
      reads[r] = a;
    }
#pragma omp task depend(inout : a) shared(a, reads, final)
    {
      int s = 0;
      for (int r = 0; r < 64; r++)
        s += reads[r];
      final = s;
      a = -1;
    }
#pragma omp taskwait
  }
  printf("fan-out/in %d\n", final);
  CHECK(final == 42 * 64 && a == -1);

  /* pipeline over an array: per-element dependences, several per task
   * through depend(iterator(...)) (overlapping non-identical sections
   * would be non-conforming) */
  int buf[16] = {0};
  int sum = -1;
#pragma omp parallel
#pragma omp single
  {
    for (int i = 0; i < 16; i++) {
#pragma omp task depend(out : buf[i]) shared(buf)
      buf[i] = i + 1;
    }
    for (int i = 0; i < 16; i += 4) {
#pragma omp task depend(iterator(k = i : i + 4), inout : buf[k]) shared(buf)
      for (int k = i; k < i + 4; k++)
        buf[k] *= 2;
    }
#pragma omp task depend(iterator(k = 0 : 16), in : buf[k]) shared(buf, sum)
    {
      int s = 0;
      for (int k = 0; k < 16; k++)
        s += buf[k];
      sum = s;
    }
#pragma omp taskwait
  }
  printf("section pipeline %d\n", sum);
  CHECK(sum == 2 * 136);

  /* multiple dependences per task: c = a + b */
  int p = 0, q = 0, r = 0;
#pragma omp parallel
#pragma omp single
  {
    for (int k = 0; k < 50; k++) {
#pragma omp task depend(out : p) shared(p)
      p = k;
#pragma omp task depend(out : q) shared(q)
      q = 2 * k;
#pragma omp task depend(in : p, q) depend(inout : r) shared(p, q, r)
      r += p + q;
    }
  }
  printf("multi-dep r %d\n", r);
  CHECK(r == 3 * 49 * 50 / 2);

  /* mutexinoutset: mutually exclusive but unordered, then a reader */
  long m = 0;
  long mres = 0;
#pragma omp parallel
#pragma omp single
  {
    for (int k = 1; k <= 40; k++) {
#pragma omp task depend(mutexinoutset : m) shared(m)
      {
        long v = m;
        v += k;
        m = v;
      }
    }
#pragma omp task depend(in : m) shared(m, mres)
    mres = m;
#pragma omp taskwait
  }
  CHECK(mres == 820);

  /* wavefront: cell (i,j) needs (i-1,j) and (i,j-1) */
  static long grid[G][G];
#pragma omp parallel
#pragma omp single
  {
    for (int i = 0; i < G; i++)
      for (int j = 0; j < G; j++) {
        if (i == 0 || j == 0) {
#pragma omp task depend(out : grid[i][j]) shared(grid)
          grid[i][j] = 1;
        } else {
#pragma omp task depend(in : grid[i - 1][j], grid[i][j - 1]) \
    depend(out : grid[i][j]) shared(grid)
          grid[i][j] = grid[i - 1][j] + grid[i][j - 1];
        }
      }
  }
  printf("wavefront corner %ld\n", grid[G - 1][G - 1]);
  CHECK(grid[G - 1][G - 1] == 705432); /* C(22,11) */

  printf("ok\n");
  return 0;
}
