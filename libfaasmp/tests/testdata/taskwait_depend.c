/* taskwait depend(...) (OpenMP 5.0, __kmpc_omp_taskwait_deps_51): waits
 * only for the predecessor tasks named, and nowait-free chains after it. */
#include "omptest.h"

int main(void) {
  int y = 0, z = 0;
#pragma omp parallel
#pragma omp single
  {
#pragma omp task depend(out : y) shared(y)
    y = 5;
#pragma omp taskwait depend(in : y)
    CHECK(y == 5);
    for (int k = 0; k < 20; k++) {
#pragma omp task depend(inout : z) shared(z)
      z = z * 2 + 1;
    }
#pragma omp taskwait depend(inout : z)
    CHECK(z == (1 << 20) - 1);
#pragma omp task depend(inout : y) shared(y)
    y += 1;
#pragma omp taskwait depend(in : y)
    CHECK(y == 6);
  }
  printf("taskwait depend y %d z %d\n", y, z);
  printf("ok\n");
  return 0;
}
