/* user-defined reductions (declare reduction) in C: a struct argmin with
 * an initializer, a complex-like pair sum, and a bounding box. */
#include "omptest.h"
#include <limits.h>

typedef struct { int val, idx; } argmin_t;
typedef struct { long long re, im; } pair_t;
typedef struct { int xmin, xmax, ymin, ymax; } box_t;

static argmin_t argmin_combine(argmin_t a, argmin_t b) {
  if (b.val < a.val || (b.val == a.val && b.idx < a.idx))
    return b;
  return a;
}

#pragma omp declare reduction(amin : argmin_t : omp_out = argmin_combine(omp_out, omp_in)) \
    initializer(omp_priv = (argmin_t){INT_MAX, INT_MAX})
#pragma omp declare reduction(psum : pair_t : omp_out.re += omp_in.re, omp_out.im += omp_in.im) \
    initializer(omp_priv = (pair_t){0, 0})

static void box_merge(box_t *out, const box_t *in) {
  if (in->xmin < out->xmin) out->xmin = in->xmin;
  if (in->xmax > out->xmax) out->xmax = in->xmax;
  if (in->ymin < out->ymin) out->ymin = in->ymin;
  if (in->ymax > out->ymax) out->ymax = in->ymax;
}
static void box_init(box_t *b) {
  b->xmin = b->ymin = INT_MAX;
  b->xmax = b->ymax = INT_MIN;
}
#pragma omp declare reduction(bbox : box_t : box_merge(&omp_out, &omp_in)) \
    initializer(box_init(&omp_priv))

/* an operator on plain int with a non-zero identity */
#pragma omp declare reduction(mul3 : int : omp_out = (int)(((long long)omp_out * omp_in) % 1000003)) \
    initializer(omp_priv = 1)

int main(void) {
  argmin_t best = {INT_MAX, INT_MAX};
  pair_t ps = {0, 0};
  box_t bb;
  box_init(&bb);
  int prod = 1;
#pragma omp parallel for reduction(amin : best) reduction(psum : ps) \
    reduction(bbox : bb) reduction(mul3 : prod)
  for (int i = 0; i < 5000; i++) {
    int v = (i * 7919) % 5003 - 2500;
    argmin_t c = {v, i};
    best = argmin_combine(best, c);
    ps.re += i;
    ps.im -= 2 * i;
    box_t pt = {(i * 31) % 1000, (i * 31) % 1000, (i * 17) % 777 - 300,
                (i * 17) % 777 - 300};
    box_merge(&bb, &pt);
    prod = (int)(((long long)prod * ((i % 5) + 1)) % 1000003);
  }
  int wprod = 1;
  argmin_t wbest = {INT_MAX, INT_MAX};
  for (int i = 0; i < 5000; i++) {
    wprod = (int)(((long long)wprod * ((i % 5) + 1)) % 1000003);
    argmin_t c = {(i * 7919) % 5003 - 2500, i};
    wbest = argmin_combine(wbest, c);
  }
  printf("argmin %d at %d, pair (%lld,%lld), box [%d,%d]x[%d,%d]\n", best.val,
         best.idx, ps.re, ps.im, bb.xmin, bb.xmax, bb.ymin, bb.ymax);
  /* mul3 is commutative and associative modulo p: order independent */
  printf("mul3 %d\n", prod);
  CHECK(best.val == wbest.val && best.idx == wbest.idx);
  CHECK(ps.re == 4999LL * 5000 / 2 && ps.im == -4999LL * 5000);
  CHECK(bb.xmin == 0 && bb.xmax == 999 && bb.ymin == -300 && bb.ymax == 476);
  CHECK(prod == wprod);

  /* user-defined reduction on a parallel region and on an array */
  argmin_t arr[3] = {{INT_MAX, INT_MAX}, {INT_MAX, INT_MAX}, {INT_MAX, INT_MAX}};
#pragma omp parallel reduction(amin : arr[0 : 3])
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 3; k++) {
      argmin_t c = {100 - me * (k + 1), me};
      arr[k] = argmin_combine(arr[k], c);
    }
  }
  int nt = omp_get_max_threads();
  for (int k = 0; k < 3; k++)
    CHECK(arr[k].val == 100 - (nt - 1) * (k + 1) && arr[k].idx == nt - 1);
  printf("ok\n");
  return 0;
}
