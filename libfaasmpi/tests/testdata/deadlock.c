/* faasm only: every rank receives from its right neighbour and nobody
 * sends. faasm run must report each rank's pending call, e.g.
 * "rank 2 blocked in MPI_Recv(source=3, tag=7, comm=MPI_COMM_WORLD)",
 * and exit non-zero instead of hanging. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int x;
    say("entering deadlock\n");
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Recv(&x, 1, MPI_INT, (rank + 1) % size, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    printf("FAIL: receive completed\n");
    MPI_Finalize();
    return 0;
}
