/* MPI_REPLACE is defined for MPI_Accumulate only (MPI-3.1 §11.3.4); used
 * in a reduction it is an invalid op: Reduce_local returns MPI_ERR_OP
 * under MPI_ERRORS_RETURN, as OpenMPI does. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    int a[3] = {1, 2, 3}, b[3] = {7, 8, 9};
    int rc = MPI_Reduce_local(a, b, 3, MPI_INT, MPI_REPLACE);
    CHECK_CLASS(rc, MPI_ERR_OP);
    rc = MPI_Allreduce(a, b, 3, MPI_INT, MPI_REPLACE, MPI_COMM_WORLD);
    CHECK_CLASS(rc, MPI_ERR_OP);
    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL));
    say("REPLACE rejected in reductions with MPI_ERR_OP\n");
    finish();
    return 0;
}
