// C++ through the C API: std::vector buffers, a templated type map,
// std::string messages of varying length
// with Probe, std::map aggregation, RAII communicator wrapper, iostream.
#include <mpi.h>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#define CHECK(e)                                                            \
    do {                                                                    \
        if (!(e)) {                                                         \
            std::cout << "FAIL " << __FILE__ << ":" << __LINE__ << ": " #e  \
                      << std::endl;                                         \
            MPI_Abort(MPI_COMM_WORLD, 99);                                  \
        }                                                                   \
    } while (0)

template <typename T> MPI_Datatype mpi_type();
template <> MPI_Datatype mpi_type<int>() { return MPI_INT; }
template <> MPI_Datatype mpi_type<double>() { return MPI_DOUBLE; }
template <> MPI_Datatype mpi_type<long long>() { return MPI_LONG_LONG; }

template <typename T> std::vector<T> allgather(const T &v, MPI_Comm c) {
    int n;
    MPI_Comm_size(c, &n);
    std::vector<T> out(n);
    MPI_Allgather(&v, 1, mpi_type<T>(), out.data(), 1, mpi_type<T>(), c);
    return out;
}

class Comm {
  public:
    explicit Comm(MPI_Comm parent, int color, int key) { MPI_Comm_split(parent, color, key, &c_); }
    ~Comm() {
        if (c_ != MPI_COMM_NULL) MPI_Comm_free(&c_);
    }
    Comm(const Comm &) = delete;
    Comm &operator=(const Comm &) = delete;
    int rank() const {
        int r;
        MPI_Comm_rank(c_, &r);
        return r;
    }
    int size() const {
        int n;
        MPI_Comm_size(c_, &n);
        return n;
    }
    MPI_Comm get() const { return c_; }

  private:
    MPI_Comm c_ = MPI_COMM_NULL;
};

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    auto ranks = allgather(rank, MPI_COMM_WORLD);
    std::vector<int> want(size);
    std::iota(want.begin(), want.end(), 0);
    CHECK(ranks == want);
    auto halves = allgather(rank * 0.5, MPI_COMM_WORLD);
    CHECK(halves.back() == (size - 1) * 0.5);
    auto big = allgather(static_cast<long long>(rank) << 33, MPI_COMM_WORLD);
    CHECK(big[size - 1] == static_cast<long long>(size - 1) << 33);
    if (rank == 0) std::cout << "templated allgather ok" << std::endl;

    // strings of varying length to rank 0, sized with Probe
    std::string msg = "rank " + std::to_string(rank) + std::string(rank, '*');
    MPI_Request req;
    MPI_Isend(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, 7, MPI_COMM_WORLD, &req);
    if (rank == 0) {
        std::map<int, std::string> got;
        for (int i = 0; i < size; i++) {
            MPI_Status st;
            MPI_Probe(MPI_ANY_SOURCE, 7, MPI_COMM_WORLD, &st);
            int n;
            MPI_Get_count(&st, MPI_CHAR, &n);
            std::string s(n, '\0');
            MPI_Recv(&s[0], n, MPI_CHAR, st.MPI_SOURCE, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            got[st.MPI_SOURCE] = s;
        }
        for (auto &kv : got) std::cout << kv.first << ": " << kv.second << std::endl;
    }
    MPI_Wait(&req, MPI_STATUS_IGNORE);

    {
        Comm thirds(MPI_COMM_WORLD, rank % 3, -rank);
        auto members = allgather(rank, thirds.get());
        CHECK(static_cast<int>(members.size()) == thirds.size());
        CHECK(std::is_sorted(members.rbegin(), members.rend()));
        CHECK(members[thirds.rank()] == rank);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) std::cout << "raii communicator ok" << std::endl << "done" << std::endl;
    MPI_Finalize();
    return 0;
}
