// threadprivate C++ objects with constructors and destructors
// (__kmpc_threadprivate_register), static class members, std::vector
// members, and copyin of a class with a copy assignment.
#include "omptest.h"
#include <string>
#include <vector>

static int ctor_calls = 0;

struct Counter {
  int id;
  std::vector<int> log;
  std::string name;
  Counter() : id(-1), name("fresh") {
#pragma omp atomic
    ctor_calls++;
  }
  Counter &operator=(const Counter &o) {
    id = o.id;
    log = o.log;
    name = o.name;
    return *this;
  }
};

static Counter tc;
#pragma omp threadprivate(tc)

struct Holder {
  static int value;
#pragma omp threadprivate(value)
};
int Holder::value = 11;

int main() {
  omp_set_dynamic(0);
  int nt = omp_get_max_threads();
  int bad = 0;
#pragma omp parallel reduction(+ : bad)
  {
    bad += tc.name != "fresh" || tc.id != -1;
    tc.id = omp_get_thread_num();
    for (int k = 0; k <= omp_get_thread_num(); k++)
      tc.log.push_back(k);
    Holder::value = 100 + omp_get_thread_num();
  }
  CHECK(bad == 0);
  int bad2 = 0;
#pragma omp parallel reduction(+ : bad2)
  {
    int me = omp_get_thread_num();
    bad2 += tc.id != me || (int)tc.log.size() != me + 1;
    bad2 += Holder::value != 100 + me;
  }
  printf("threadprivate objects persist: bad=%d\n", bad2);
  CHECK(bad2 == 0);
  CHECK(ctor_calls >= 1);

  tc.id = 77;
  tc.name = "master";
  tc.log.assign(5, 3);
  int seen = 0;
#pragma omp parallel copyin(tc) reduction(+ : seen)
  seen += tc.id == 77 && tc.name == "master" && tc.log.size() == 5;
  printf("copyin class seen %d/%d\n", seen, nt);
  CHECK(seen == nt);
  printf("ok\n");
  return 0;
}
