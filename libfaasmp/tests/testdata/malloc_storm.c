/* malloc/calloc/realloc/free/posix_memalign/aligned_alloc storms in every
 * thread, cross-thread frees, and allocations large enough to grow linear
 * memory while other threads keep using theirs. */
#include "omptest.h"
#include <stdint.h>

#define SLOTS 64

int main(void) {
  int nt = omp_get_max_threads();
  long bad = 0;
#pragma omp parallel reduction(+ : bad)
  {
    int me = omp_get_thread_num();
    unsigned seed = 12345u + me;
    unsigned char *slot[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    for (int it = 0; it < 20000; it++) {
      seed = seed * 1103515245u + 12345u;
      int s = (seed >> 8) % SLOTS;
      if (slot[s]) {
        for (size_t k = 0; k < len[s]; k += 61)
          bad += slot[s][k] != (unsigned char)(me + s);
        if ((seed >> 20) % 3 == 0) {
          size_t nl = len[s] * 2 + 1;
          unsigned char *p = realloc(slot[s], nl);
          bad += p == NULL;
          for (size_t k = 0; k < len[s]; k += 61)
            bad += p[k] != (unsigned char)(me + s);
          memset(p, (unsigned char)(me + s), nl);
          slot[s] = p;
          len[s] = nl;
          if (len[s] > 100000) {
            free(slot[s]);
            slot[s] = NULL;
          }
        } else {
          free(slot[s]);
          slot[s] = NULL;
        }
      } else {
        len[s] = 1 + (seed >> 12) % 3000;
        switch ((seed >> 4) % 4) {
        case 0:
          slot[s] = malloc(len[s]);
          break;
        case 1:
          slot[s] = calloc(len[s], 1);
          for (size_t k = 0; k < len[s]; k++)
            bad += slot[s][k] != 0;
          break;
        case 2: {
          void *p = NULL;
          bad += posix_memalign(&p, 64, len[s]) != 0;
          bad += ((uintptr_t)p & 63) != 0;
          slot[s] = p;
          break;
        }
        default:
          slot[s] = aligned_alloc(256, (len[s] + 255) & ~(size_t)255);
          bad += ((uintptr_t)slot[s] & 255) != 0;
        }
        memset(slot[s], (unsigned char)(me + s), len[s]);
      }
    }
    for (int s = 0; s < SLOTS; s++)
      free(slot[s]);
  }
  printf("storm bad %ld\n", bad);
  CHECK(bad == 0);

  /* cross-thread free */
  char **ptrs = calloc(nt * 100, sizeof *ptrs);
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 100; k++) {
      ptrs[me * 100 + k] = malloc(100 + k);
      memset(ptrs[me * 100 + k], me, 100 + k);
    }
#pragma omp barrier
    int other = (me + 1) % omp_get_num_threads();
    for (int k = 0; k < 100; k++) {
      CHECK(ptrs[other * 100 + k][99 + k] == other);
      free(ptrs[other * 100 + k]);
    }
  }
  free(ptrs);

  /* large blocks: grow memory in all threads at once, keep using it */
  long sums[MAXT];
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    size_t n = (size_t)(4 + me % 3) << 20;
    unsigned char *big = malloc(n);
    CHECK(big != NULL);
    memset(big, 1, n);
#pragma omp barrier
    long s = 0;
    for (size_t k = 0; k < n; k += 4096)
      s += big[k];
    sums[me] = s - (long)(n / 4096);
    free(big);
  }
  for (int t = 0; t < nt; t++)
    CHECK(sums[t] == 0);
  printf("ok\n");
  return 0;
}
