// C++ allocation inside parallel loops: std::vector push_back and resize,
// new/delete and new[]/delete[], std::string, std::map and shared_ptr in
// every thread, objects allocated in one thread and freed in another, and
// per-thread results merged in thread order.
#include "omptest.h"
#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

struct Node {
  int v;
  Node *next;
  explicit Node(int x, Node *n) : v(x), next(n) {}
};

int main() {
  int nt = omp_get_max_threads();
  std::vector<std::vector<int>> per(nt);
#pragma omp parallel
  {
    std::vector<int> &mine = per[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 16)
    for (int i = 0; i < 20000; i++)
      mine.push_back(i);
  }
  std::vector<int> all;
  for (auto &v : per)
    all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  CHECK(all.size() == 20000);
  for (int i = 0; i < 20000; i++)
    CHECK(all[i] == i);
  printf("vectors merged: %zu\n", all.size());

  // new/delete churn: linked lists built and torn down per iteration
  long total = 0;
#pragma omp parallel for reduction(+ : total) schedule(dynamic, 4)
  for (int i = 0; i < 400; i++) {
    Node *head = nullptr;
    for (int k = 0; k < 100 + i % 50; k++)
      head = new Node(k, head);
    int *arr = new int[1000 + i];
    std::fill(arr, arr + 1000 + i, i);
    long s = 0;
    for (Node *n = head; n;) {
      s += n->v;
      Node *d = n;
      n = n->next;
      delete d;
    }
    s += arr[999 + i];
    delete[] arr;
    total += s;
  }
  long want = 0;
  for (int i = 0; i < 400; i++) {
    int n = 100 + i % 50;
    want += (long)n * (n - 1) / 2 + i;
  }
  printf("new/delete total %ld\n", total);
  CHECK(total == want);

  // strings and maps
  std::vector<std::string> words(1000);
#pragma omp parallel for
  for (int i = 0; i < 1000; i++) {
    std::string s = "w" + std::to_string(i);
    for (int k = 0; k < i % 7; k++)
      s += "-x";
    words[i] = s;
  }
  size_t chars = 0;
  for (auto &w : words)
    chars += w.size();
  printf("strings chars %zu\n", chars);
  std::map<int, int> merged;
#pragma omp parallel
  {
    std::map<int, int> local;
#pragma omp for
    for (int i = 0; i < 5000; i++)
      local[i % 97] += 1;
#pragma omp critical
    for (auto &kv : local)
      merged[kv.first] += kv.second;
  }
  int msum = 0;
  for (auto &kv : merged)
    msum += kv.second;
  CHECK(merged.size() == 97 && msum == 5000);

  // allocate in one thread, free in another
  std::vector<std::shared_ptr<std::vector<double>>> slots(nt * 8);
#pragma omp parallel
  {
    int me = omp_get_thread_num();
    for (int k = 0; k < 8; k++)
      slots[me * 8 + k] = std::make_shared<std::vector<double>>(1000 + k, me);
#pragma omp barrier
    int victim = (me + 1) % omp_get_num_threads();
    double s = 0;
    for (int k = 0; k < 8; k++) {
      s += std::accumulate(slots[victim * 8 + k]->begin(),
                           slots[victim * 8 + k]->end(), 0.0);
    }
    CHECK(s == victim * (8 * 1000 + 28));
#pragma omp barrier
    for (int k = 0; k < 8; k++)
      slots[victim * 8 + k].reset();
  }
  for (auto &p : slots)
    CHECK(!p);
  // big vectors that grow memory inside the region
  std::vector<size_t> sizes(nt);
#pragma omp parallel
  {
    std::vector<char> big(8 << 20, 1);
    sizes[omp_get_thread_num()] =
        std::count(big.begin(), big.end(), 1);
  }
  for (int t = 0; t < nt; t++)
    CHECK(sizes[t] == (size_t)(8 << 20));
  printf("ok\n");
  return 0;
}
