/* reduction clauses: + * - & | ^ && || min max on char, short, int,
 * unsigned, long long, float and double; several variables per clause;
 * on parallel, for, sections, with nowait; initial values kept. Float
 * values stay integral so every combination order gives the same sum. */
#include "omptest.h"
#include <float.h>
#include <limits.h>

#define N 1000

#define SUITE(T, FMT, NAME)                                                    \
  do {                                                                         \
    T sum = 5, prod = 1, diff = 0, mn = (T)1e6, mx = (T)0;                     \
    _Pragma("omp parallel for reduction(+ : sum) reduction(* : prod) reduction(- : diff) reduction(min : mn) reduction(max : mx)") \
    for (int i = 0; i < N; i++) {                                              \
      sum += (T)(i % 50);                                                      \
      if (i % 97 == 0)                                                         \
        prod *= (T)2;                                                          \
      diff -= (T)(i % 3);                                                      \
      mn = (T)((i * 37) % 1001) < mn ? (T)((i * 37) % 1001) : mn;              \
      mx = (T)((i * 37) % 1001) > mx ? (T)((i * 37) % 1001) : mx;              \
    }                                                                          \
    printf("%-10s sum " FMT " prod " FMT " diff " FMT " min " FMT " max " FMT \
           "\n",                                                               \
           NAME, sum, prod, diff, mn, mx);                                     \
    CHECK(sum == (T)(5 + 20 * 1225) && prod == (T)2048 && diff == (T)-999);   \
    CHECK(mn == (T)0 && mx == (T)1000);                                        \
  } while (0)

int main(void) {
  int nt = omp_get_max_threads();
  SUITE(int, "%d", "int");
  SUITE(long long, "%lld", "long long");
  SUITE(float, "%.1f", "float");
  SUITE(double, "%.1f", "double");
  SUITE(unsigned, "%u", "unsigned");

  /* bitwise and logical */
  int band = ~0, bor = 0, bxor = 0, land = 1, lor = 0;
  long long lband = -1, lbor = 0, lbxor = 0;
#pragma omp parallel for reduction(& : band, lband) reduction(| : bor, lbor) \
    reduction(^ : bxor, lbxor) reduction(&& : land) reduction(|| : lor)
  for (int i = 0; i < 64; i++) {
    if (i < 31)
      band &= ~(1 << i) | (i % 2);
    bor |= 1 << (i % 31);
    bxor ^= i;
    lband &= ~(1LL << i) | (long long)(i % 3 != 0);
    lbor |= 1LL << i;
    lbxor ^= (long long)i << 20;
    land = land && (i < 100);
    lor = lor || (i == 63);
  }
  printf("band %x bor %x bxor %d lband %llx lbor %llx lbxor %llx land %d lor %d\n",
         band, bor, bxor, (unsigned long long)lband, (unsigned long long)lbor,
         (unsigned long long)lbxor, land, lor);
  int wband = ~0, wxor = 0;
  long long wlband = -1;
  for (int i = 0; i < 64; i++) {
    if (i < 31)
      wband &= ~(1 << i) | (i % 2);
    wxor ^= i;
    wlband &= ~(1LL << i) | (long long)(i % 3 != 0);
  }
  CHECK(band == wband && bor == 0x7fffffff && bxor == wxor && lband == wlband);
  CHECK(lbor == -1 && land == 1 && lor == 1);
  int land2 = 1, lor2 = 0;
#pragma omp parallel for reduction(&& : land2) reduction(|| : lor2)
  for (int i = 0; i < 64; i++) {
    land2 = land2 && (i != 40);
    lor2 = lor2 || 0;
  }
  CHECK(land2 == 0 && lor2 == 0);

  /* small types */
  char csum = 0;
  short ssum = 0;
  unsigned char umax = 0;
#pragma omp parallel for reduction(+ : csum, ssum) reduction(max : umax)
  for (int i = 0; i < 100; i++) {
    csum += (char)(i % 2);
    ssum += (short)i;
    umax = (unsigned char)(i * 2) > umax ? (unsigned char)(i * 2) : umax;
  }
  printf("char %d short %d uchar max %d\n", csum, ssum, umax);
  CHECK(csum == 50 && ssum == 4950 && umax == 198);

  /* reduction on a parallel region (one contribution per thread) */
  int tsum = 0;
  double dmin = DBL_MAX;
#pragma omp parallel reduction(+ : tsum) reduction(min : dmin)
  {
    tsum += omp_get_thread_num();
    dmin = 10.0 + omp_get_thread_num();
  }
  CHECK(tsum == nt * (nt - 1) / 2 && dmin == 10.0);

  /* reduction on sections, and for nowait inside a region */
  int ssec = 0;
#pragma omp parallel sections reduction(+ : ssec)
  {
#pragma omp section
    ssec += 1;
#pragma omp section
    ssec += 10;
#pragma omp section
    ssec += 100;
  }
  CHECK(ssec == 111);
  long long nw = 0, nw2 = 0;
#pragma omp parallel
  {
#pragma omp for reduction(+ : nw) nowait
    for (int i = 0; i < 1000; i++)
      nw += i;
#pragma omp for reduction(+ : nw2) schedule(dynamic, 10)
    for (int i = 0; i < 1000; i++)
      nw2 += 2 * i;
  }
  printf("nowait reduction %lld, dynamic %lld\n", nw, nw2);
  CHECK(nw == 499500 && nw2 == 999000);

  /* limits: min/max with extreme values */
  int imin = INT_MAX, imax = INT_MIN;
  long long lmin = LLONG_MAX;
#pragma omp parallel for reduction(min : imin, lmin) reduction(max : imax)
  for (int i = -500; i < 500; i++) {
    imin = i < imin ? i : imin;
    imax = i > imax ? i : imax;
    lmin = (long long)i * 10000000000LL < lmin ? (long long)i * 10000000000LL : lmin;
  }
  CHECK(imin == -500 && imax == 499 && lmin == -5000000000000LL);

  /* repeated reductions back to back */
  long long acc = 0;
  for (int r = 0; r < 100; r++) {
#pragma omp parallel for reduction(+ : acc)
    for (int i = 0; i < 100; i++)
      acc += i;
  }
  CHECK(acc == 100 * 4950);
  printf("ok\n");
  return 0;
}
