/* parallel matrix multiply (collapse, static and dynamic) against a serial
 * result, with an exact integer-valued checksum. */
#include "omptest.h"

#define N 120

static double A[N][N], B[N][N], C[N][N], D[N][N], S[N][N];

int main(void) {
#pragma omp parallel for collapse(2)
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      A[i][j] = (i * 7 + j * 3) % 11 - 5;
      B[i][j] = (i * 5 + j * 13) % 17 - 8;
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++)
        s += A[i][k] * B[k][j];
      S[i][j] = s;
    }
#pragma omp parallel for collapse(2) schedule(static)
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++)
        s += A[i][k] * B[k][j];
      C[i][j] = s;
    }
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 3)
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++)
        D[i][j] = 0;
#pragma omp for schedule(guided)
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        double a = A[i][k];
        for (int j = 0; j < N; j++)
          D[i][j] += a * B[k][j];
      }
  }
  double check = 0;
#pragma omp parallel for reduction(+ : check)
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      check += C[i][j] * ((i + j) % 5);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      CHECK(C[i][j] == S[i][j]);
      CHECK(D[i][j] == S[i][j]);
    }
  printf("matmul %dx%d checksum %.1f\n", N, N, check);
  printf("ok\n");
  return 0;
}
