/* OMP_NUM_THREADS as a list ("2,3", "3,2,2") gives per-level team sizes
 * and raises max-active-levels; OMP_MAX_ACTIVE_LEVELS and OMP_NESTED
 * change nesting. Printed: what each level sees. */
#include "omptest.h"

int main(void) {
  /* unlimited nesting is implementation-defined (libomp: INT_MAX) */
  int mal = omp_get_max_active_levels();
  if (mal <= 8)
    printf("max_threads %d max_active_levels %d nested %d\n",
           omp_get_max_threads(), mal, omp_get_nested());
  else
    printf("max_threads %d max_active_levels unlimited (>8) nested %d\n",
           omp_get_max_threads(), omp_get_nested());
  int sizes[4][4];
  memset(sizes, 0, sizeof sizes);
  int l1 = 0, l2 = 0, l3 = 0, inner_max = 0;
#pragma omp parallel
  {
#pragma omp master
    {
      l1 = omp_get_num_threads();
      inner_max = omp_get_max_threads();
    }
#pragma omp parallel
    {
      if (omp_get_ancestor_thread_num(1) == 0 && omp_get_thread_num() == 0)
        l2 = omp_get_num_threads();
#pragma omp parallel
      {
        if (omp_get_ancestor_thread_num(1) == 0 &&
            omp_get_ancestor_thread_num(2) == 0 && omp_get_thread_num() == 0)
          l3 = omp_get_num_threads();
      }
    }
  }
  printf("team sizes: level1 %d level2 %d level3 %d; max_threads in level1 %d\n",
         l1, l2, l3, inner_max);
  CHECK(l1 >= 1 && l2 >= 1 && l3 >= 1);
  printf("ok\n");
  return 0;
}
