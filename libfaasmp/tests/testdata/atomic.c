/* atomic update/read/write/capture/compare on int, unsigned, long long,
 * float and double, with every update operator. Floating values stay
 * integral so sums are exact in any order. */
#include "omptest.h"

#define ITERS 1000

int main(void) {
  int nt = omp_get_max_threads();
  int i_add = 0, i_sub = 0, i_mul = 1, i_and = ~0, i_or = 0, i_xor = 0;
  unsigned u_add = 0, u_shl = 1, u_shr = 1u << 31;
  long long ll_add = 0, ll_sub = 0, ll_max = -1, ll_min = 1LL << 60;
  float f_add = 0, f_mul = 1;
  double d_add = 0, d_sub = 0, d_div = 1 << 20;
  int caps[MAXT * ITERS];
  long long llcaps[MAXT * 10];
  int ncap = 0;

#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < ITERS; k++) {
#pragma omp atomic
      i_add += 3;
#pragma omp atomic update
      i_sub -= 2;
#pragma omp atomic
      i_and &= ~(1 << (me % 31));
#pragma omp atomic
      i_or |= 1 << (me % 31);
#pragma omp atomic
      i_xor ^= (k & 1) ? me + 1 : 0;
#pragma omp atomic
      u_add += 5u;
#pragma omp atomic
      ll_add += 10000000000LL;
#pragma omp atomic
      ll_sub = ll_sub - 7;
#pragma omp atomic
      f_add += 1.0f;
#pragma omp atomic
      d_add += 2.0;
#pragma omp atomic
      d_sub -= 0.5;
      int v;
#pragma omp atomic capture
      v = ncap++;
      caps[v] = 1;
#pragma omp atomic compare
      if (ll_max < k * 10 + me) { ll_max = k * 10 + me; }
#pragma omp atomic compare
      ll_min = ll_min > k + me ? k + me : ll_min;
    }
    if (me < 4) {
#pragma omp atomic
      i_mul *= 2;
#pragma omp atomic
      f_mul *= 3.0f;
#pragma omp atomic
      d_div /= 2.0;
#pragma omp atomic
      u_shl <<= 1;
#pragma omp atomic
      u_shr >>= 1;
    }
    for (int k = 0; k < 10; k++) {
      long long old;
#pragma omp atomic capture
      { old = ll_add; ll_add += 1; }
      llcaps[me * 10 + k] = old;
    }
  }
  int m = nt < 4 ? nt : 4;
  printf("int add %d sub %d mul %d and %x or %x xor %d\n", i_add, i_sub,
         i_mul, i_and, i_or, i_xor);
  printf("unsigned add %u shl %u shr %u\n", u_add, u_shl, u_shr);
  printf("ll add %lld sub %lld max %lld min %lld\n", ll_add, ll_sub, ll_max,
         ll_min);
  printf("float add %.1f mul %.1f double add %.1f sub %.1f div %.1f\n",
         f_add, f_mul, d_add, d_sub, d_div);
  CHECK(i_add == 3 * ITERS * nt && i_sub == -2 * ITERS * nt);
  CHECK(i_mul == 1 << m);
  CHECK(u_add == 5u * ITERS * nt && u_shl == 1u << m && u_shr == (1u << 31) >> m);
  CHECK(ll_add == 10000000000LL * ITERS * nt + 10 * nt);
  CHECK(ll_sub == -7LL * ITERS * nt);
  CHECK(ll_max == (ITERS - 1) * 10 + nt - 1 && ll_min == 0);
  CHECK(f_add == (float)(ITERS * nt) && d_add == 2.0 * ITERS * nt);
  CHECK(d_sub == -0.5 * ITERS * nt && d_div == (double)(1 << 20) / (1 << m));
  CHECK(ncap == ITERS * nt);
  for (int k = 0; k < ITERS * nt; k++)
    CHECK(caps[k] == 1);
  /* captured old values of ll_add are distinct */
  for (int a = 0; a < nt * 10; a++)
    for (int b = a + 1; b < nt * 10; b++)
      CHECK(llcaps[a] != llcaps[b]);

  /* atomic read / write pairs: readers never see a torn long long */
  long long shared = 0;
  int torn = 0;
#pragma omp parallel reduction(+ : torn)
  {
    for (int k = 0; k < 2000; k++) {
      if (omp_get_thread_num() % 2 == 0) {
        long long val = (k % 2) ? -1LL : 0x0000000100000001LL;
#pragma omp atomic write
        shared = val;
      } else {
        long long r;
#pragma omp atomic read
        r = shared;
        torn += !(r == 0 || r == -1LL || r == 0x0000000100000001LL);
      }
    }
  }
  CHECK(torn == 0);

  /* capture with the new value: {x++; v = x;} and v = ++x */
  int x = 0, newcaps[MAXT] = {0};
#pragma omp parallel
  {
    int v;
#pragma omp atomic capture
    { x++; v = x; }
    newcaps[v - 1] = 1;
    int w;
#pragma omp atomic capture
    w = ++x;
    CHECK(w >= 1 && w <= 2 * nt);
  }
  for (int k = 0; k < nt; k++)
    CHECK(newcaps[k] == 1 || x == 2 * nt);
  CHECK(x == 2 * nt);
  printf("ok\n");
  return 0;
}
