/* After MPI_Finalize the last rank returns 5 from main, the others 0: the
 * job's exit code is 5. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    say("finalizing\n");
    MPI_Finalize();
    return rank == size - 1 ? 5 : 0;
}
