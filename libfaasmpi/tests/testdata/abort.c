/* MPI_Abort from the last rank while the others wait in MPI: the job's
 * exit code is the abort code (42) and every rank ends. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int x = 0;
    MPI_Bcast(&x, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank == size - 1) {
        printf("rank last aborting with 42\n");
        fflush(stdout);
        MPI_Abort(MPI_COMM_WORLD, 42);
        printf("FAIL: MPI_Abort returned\n");
        return 1;
    }
    /* the others block: in a receive nobody answers, or a barrier */
    if (rank % 2 == 0) {
        MPI_Recv(&x, 1, MPI_INT, size - 1, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
        MPI_Barrier(MPI_COMM_WORLD);
    }
    printf("FAIL: rank %d passed the abort\n", rank);
    return 1;
}
