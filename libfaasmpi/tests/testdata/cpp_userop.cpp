// C++ user op: a captureless lambda passed to MPI_Op_create, called back
// inside a C++ module (static constructors/destructors, iostream).
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
    // a lambda as a (commutative) user op: elementwise max
    MPI_Op op;
    MPI_Op_create(
        [](void *in, void *io, int *len, MPI_Datatype *) {
            auto a = static_cast<int *>(in), b = static_cast<int *>(io);
            for (int i = 0; i < *len; i++) b[i] = std::max(a[i], b[i]);
        },
        1, &op);
    std::vector<int> v(8), r(8);
    for (int i = 0; i < 8; i++) v[i] = (rank * 5 + i * 3) % 11;
    MPI_Allreduce(v.data(), r.data(), 8, MPI_INT, op, MPI_COMM_WORLD);
    for (int i = 0; i < 8; i++) {
        int m = 0;
        for (int q = 0; q < size; q++) m = std::max(m, (q * 5 + i * 3) % 11);
        CHECK(r[i] == m);
    }
    MPI_Op_free(&op);
    if (rank == 0) std::cout << "lambda user op ok" << std::endl;

    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) std::cout << "done" << std::endl;
    MPI_Finalize();
    return 0;
}
