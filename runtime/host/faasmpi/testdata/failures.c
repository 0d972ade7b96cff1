#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int r; MPI_Comm_rank(MPI_COMM_WORLD, &r);
  const char *mode = argc > 1 ? argv[1] : "abort";
  int x = 0;
  if (!strcmp(mode, "abort")) { if (r == 1) MPI_Abort(MPI_COMM_WORLD, 3); MPI_Recv(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); }
  if (!strcmp(mode, "deadlock")) { MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE); }
  if (!strcmp(mode, "trap")) { if (r == 1) abort(); MPI_Barrier(MPI_COMM_WORLD); }
  if (!strcmp(mode, "exit")) { if (r == 1) exit(5); MPI_Barrier(MPI_COMM_WORLD); }
  if (!strcmp(mode, "fatal")) { MPI_Send(&x, 1, MPI_INT, 99, 0, MPI_COMM_WORLD); }
  if (!strcmp(mode, "win")) { MPI_Win w; MPI_Win_create(&x, 4, 4, MPI_INFO_NULL, MPI_COMM_WORLD, &w); }
  MPI_Finalize();
  return 0;
}
