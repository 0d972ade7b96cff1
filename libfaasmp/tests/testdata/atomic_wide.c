/* atomic on types without native wasm atomics: long double and _Complex
 * float/double/long double (clang lowers these to __kmpc_atomic_* or
 * generic __atomic_* library calls), plus __sync and __atomic builtins. */
#include "omptest.h"
#include <complex.h>

int main(void) {
  int nt = omp_get_max_threads();
  long double ld = 0, ldm = 1, lc = 0;
  _Complex float cf = 0;
  _Complex double cd = 0;
  _Complex long double cld = 0;
  long double ldcap[MAXT * 100];
  int n = 0;
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 100; k++) {
#pragma omp atomic
      ld += 1.5L;
#pragma omp atomic
      cf += 1.0f + 2.0f * I;
#pragma omp atomic
      cd += 3.0 - 1.0 * I;
#pragma omp atomic
      cld += 0.5L + 0.25L * I;
      long double old;
#pragma omp atomic capture
      { old = lc; lc -= 0.5L; }
      ldcap[me * 100 + k] = old;
#pragma omp atomic
      n++;
    }
    if (me < 3) {
#pragma omp atomic
      ldm *= 4.0L;
    }
  }
  long double r;
#pragma omp atomic read
  r = ld;
  /* printed as double: wasi-libc formats %Lf only with
   * -lc-printscan-long-double, which is not what this program tests */
  printf("long double %.3f mul %.1f\n", (double)r, (double)ldm);
  printf("complex float (%.1f,%.1f) double (%.1f,%.1f) long double (%.2f,%.2f)\n",
         crealf(cf), cimagf(cf), creal(cd), cimag(cd), (double)creall(cld),
         (double)cimagl(cld));
  CHECK(r == 150.0L * nt);
  CHECK(ldm == (nt >= 3 ? 64.0L : nt == 2 ? 16.0L : 4.0L));
  CHECK(crealf(cf) == 100.0f * nt && cimagf(cf) == 200.0f * nt);
  CHECK(creal(cd) == 300.0 * nt && cimag(cd) == -100.0 * nt);
  CHECK(creall(cld) == 50.0L * nt && cimagl(cld) == 25.0L * nt);
  CHECK(n == 100 * nt);
  /* lc only goes down by 0.5, so the captured values are exactly
   * 0, -0.5, ..., each seen by one capture */
  CHECK(lc == -0.5L * 100 * nt);
  static int seen[MAXT * 100];
  for (int a = 0; a < nt * 100; a++) {
    long double slot = -2 * ldcap[a];
    CHECK(slot >= 0 && slot < nt * 100 && slot == (int)slot);
    CHECK(seen[(int)slot]++ == 0);
  }

  long double w = 0;
#pragma omp parallel
  {
#pragma omp atomic write
    w = 2.25L;
  }
  CHECK(w == 2.25L);

  /* GCC builtins are real atomics too */
  int s = 0;
  long long s8 = 0;
  unsigned flags = 0;
#pragma omp parallel
  for (int k = 0; k < 1000; k++) {
    __sync_fetch_and_add(&s, 2);
    __atomic_fetch_add(&s8, 3, __ATOMIC_SEQ_CST);
    __sync_fetch_and_or(&flags, 1u << (omp_get_thread_num() % 32));
    int expected;
    do {
      expected = __atomic_load_n(&s, __ATOMIC_RELAXED);
    } while (!__atomic_compare_exchange_n(&s, &expected, expected + 1, 0,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
  }
  printf("sync %d atomic %lld flags %x\n", s, s8, flags);
  CHECK(s == 3000 * nt && s8 == 3000LL * nt);
  CHECK(flags == (nt >= 32 ? ~0u : (1u << nt) - 1));
  printf("ok\n");
  return 0;
}
