/* hybrid MPI+OpenMP: every rank runs its own OpenMP team; per-rank
 * reductions are combined with MPI_Allreduce, ranks exchange a value
 * computed by a parallel loop, and MPI is called from the master thread
 * inside a parallel region (MPI_THREAD_FUNNELED). */
#include "omptest.h"
#include <mpi.h>

int main(int argc, char **argv) {
  int provided = -1;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  CHECK(provided >= MPI_THREAD_FUNNELED);
  int rank, size;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  long local = 0;
  int team = 0;
#pragma omp parallel reduction(+ : local)
  {
#pragma omp single
    team = omp_get_num_threads();
#pragma omp for
    for (int i = 0; i < 10000; i++)
      local += i + rank;
  }
  long global = 0;
  MPI_Allreduce(&local, &global, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  long want = (long)size * 49995000 + 10000L * size * (size - 1) / 2;
  CHECK(global == want);
  int teams = 0;
  MPI_Reduce(&team, &teams, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  long ring = -1;
#pragma omp parallel
  {
#pragma omp master
    {
      long send = local, recv = 0;
      MPI_Sendrecv(&send, 1, MPI_LONG, (rank + 1) % size, 0, &recv, 1,
                   MPI_LONG, (rank + size - 1) % size, 0, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE);
      ring = recv;
    }
#pragma omp barrier
  }
  int prev = (rank + size - 1) % size;
  CHECK(ring == 49995000L + 10000L * prev);
  if (rank == 0)
    printf("ranks %d threads total %d global %ld\nok\n", size, teams, global);
  MPI_Finalize();
  return 0;
}
