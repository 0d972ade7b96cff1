// C++ with OpenMP: loops over random-access iterators, lambdas and
// std::function called in regions, member functions with parallel loops,
// templates, declare reduction on a class (std::vector merge, std::complex)
// and reductions on references.
#include "omptest.h"
#include <algorithm>
#include <complex>
#include <functional>
#include <vector>

struct Vec3 {
  double x = 0, y = 0, z = 0;
  Vec3 &operator+=(const Vec3 &o) {
    x += o.x;
    y += o.y;
    z += o.z;
    return *this;
  }
};
#pragma omp declare reduction(vsum : Vec3 : omp_out += omp_in)
#pragma omp declare reduction(vcat : std::vector<int> : \
    omp_out.insert(omp_out.end(), omp_in.begin(), omp_in.end()))
#pragma omp declare reduction(csum : std::complex<double> : omp_out += omp_in) \
    initializer(omp_priv = std::complex<double>(0, 0))

template <typename T> T psum(const std::vector<T> &v) {
  T s = T();
#pragma omp parallel for reduction(+ : s)
  for (size_t i = 0; i < v.size(); i++)
    s += v[i];
  return s;
}

class Grid {
public:
  explicit Grid(int n) : cells(n) {}
  void fill(int base) {
#pragma omp parallel for schedule(dynamic, 8)
    for (int i = 0; i < (int)cells.size(); i++)
      cells[i] = base + i;
  }
  long total() const {
    long t = 0;
#pragma omp parallel for reduction(+ : t)
    for (auto it = cells.begin(); it < cells.end(); ++it)
      t += *it;
    return t;
  }

private:
  std::vector<int> cells;
};

static void add_ref(long &acc, int n) {
#pragma omp parallel for reduction(+ : acc)
  for (int i = 0; i < n; i++)
    acc += i;
}

int main() {
  std::vector<int> vi(1000);
  std::vector<double> vd(1000);
#pragma omp parallel for
  for (auto it = vi.begin(); it != vi.end(); ++it)
    *it = (int)(it - vi.begin());
  for (int i = 0; i < 1000; i++)
    vd[i] = vi[i] * 0.5;
  printf("template sums %d %.1f\n", psum(vi), psum(vd));
  CHECK(psum(vi) == 499500 && psum(vd) == 249750.0);

  Grid g(777);
  g.fill(3);
  printf("member loops %ld\n", g.total());
  CHECK(g.total() == 777L * 776 / 2 + 3 * 777);

  int captured = 5;
  std::vector<int> out(100);
  auto work = [&](int i) { out[i] = i * captured; };
  std::function<int(int)> sq = [](int v) { return v * v; };
  long sqs = 0;
#pragma omp parallel for reduction(+ : sqs)
  for (int i = 0; i < 100; i++) {
    work(i);
    sqs += sq(i);
  }
  CHECK(out[99] == 495 && sqs == 328350);

  Vec3 v;
  std::vector<int> cat;
  std::complex<double> cz(0, 0);
#pragma omp parallel for reduction(vsum : v) reduction(vcat : cat) \
    reduction(csum : cz)
  for (int i = 0; i < 600; i++) {
    v += Vec3{1.0, (double)i, -2.0};
    if (i % 10 == 0)
      cat.push_back(i);
    cz += std::complex<double>(i % 3, -(i % 2));
  }
  std::sort(cat.begin(), cat.end());
  printf("vec3 (%.1f %.1f %.1f) cat %zu complex (%.1f,%.1f)\n", v.x, v.y, v.z,
         cat.size(), cz.real(), cz.imag());
  CHECK(v.x == 600 && v.y == 179700 && v.z == -1200 && cat.size() == 60);
  for (int k = 0; k < 60; k++)
    CHECK(cat[k] == 10 * k);
  CHECK(cz.real() == 600 && cz.imag() == -300);

  long acc = 10;
  add_ref(acc, 100);
  CHECK(acc == 10 + 4950);

  // lambda containing its own parallel region
  auto region = [](int n) {
    int count = 0;
#pragma omp parallel num_threads(n) reduction(+ : count)
    count++;
    return count;
  };
  CHECK(region(3) == 3 && region(1) == 1);
  printf("ok\n");
  return 0;
}
