/* MPI_Abort on a derived communicator (a Comm_split half) with code 7 still
 * ends the whole job with exit code 7. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_Comm half;
    MPI_OK(MPI_Comm_split(MPI_COMM_WORLD, rank % 2, rank, &half));
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        printf("aborting on sub-communicator with 7\n");
        fflush(stdout);
        MPI_Abort(half, 7);
    }
    int x;
    MPI_Recv(&x, 1, MPI_INT, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    printf("FAIL: rank %d passed the abort\n", rank);
    return 1;
}
