/* 2-D Jacobi stencil with parallel for and double buffering over many
 * sweeps; every point is computed the same way whatever the thread count,
 * so the checksum is bitwise reproducible and must equal the serial one. */
#include "omptest.h"

#define NX 130
#define NY 97
#define STEPS 60

static double u[2][NX][NY], s[2][NX][NY];

static void init(double g[2][NX][NY]) {
  for (int i = 0; i < NX; i++)
    for (int j = 0; j < NY; j++)
      g[0][i][j] = g[1][i][j] =
          (i == 0 || j == 0 || i == NX - 1 || j == NY - 1) ? (i + 2 * j) % 9 : 0;
}

int main(void) {
  init(u);
  init(s);
  for (int t = 0; t < STEPS; t++) {
    int a = t % 2, b = 1 - a;
    for (int i = 1; i < NX - 1; i++)
      for (int j = 1; j < NY - 1; j++)
        s[b][i][j] = 0.25 * (s[a][i - 1][j] + s[a][i + 1][j] + s[a][i][j - 1] +
                             s[a][i][j + 1]);
  }
#pragma omp parallel
  for (int t = 0; t < STEPS; t++) {
    int a = t % 2, b = 1 - a;
#pragma omp for schedule(static) collapse(2)
    for (int i = 1; i < NX - 1; i++)
      for (int j = 1; j < NY - 1; j++)
        u[b][i][j] = 0.25 * (u[a][i - 1][j] + u[a][i + 1][j] + u[a][i][j - 1] +
                             u[a][i][j + 1]);
  }
  double cs = 0;
  long diff = 0;
  for (int i = 0; i < NX; i++)
    for (int j = 0; j < NY; j++) {
      cs += u[STEPS % 2][i][j] * (1 + (i * j) % 3);
      diff += u[STEPS % 2][i][j] != s[STEPS % 2][i][j];
    }
  printf("stencil %dx%d steps %d checksum %.12e\n", NX, NY, STEPS, cs);
  CHECK(diff == 0);
  /* the same with a dynamic schedule and a max-norm reduction (exact) */
  init(u);
  double mx = 0;
  for (int t = 0; t < STEPS; t++) {
    int a = t % 2, b = 1 - a;
    mx = 0;
#pragma omp parallel for schedule(dynamic, 5) reduction(max : mx)
    for (int i = 1; i < NX - 1; i++)
      for (int j = 1; j < NY - 1; j++) {
        u[b][i][j] = 0.25 * (u[a][i - 1][j] + u[a][i + 1][j] + u[a][i][j - 1] +
                             u[a][i][j + 1]);
        double d = u[b][i][j] - u[a][i][j];
        d = d < 0 ? -d : d;
        mx = d > mx ? d : mx;
      }
  }
  for (int i = 0; i < NX; i++)
    for (int j = 0; j < NY; j++)
      CHECK(u[STEPS % 2][i][j] == s[STEPS % 2][i][j]);
  printf("last sweep max change %.12e\n", mx);
  printf("ok\n");
  return 0;
}
