/* hybrid sparse: the MPI kernel with OpenMP over each rank's rows. */
#include "../mpi/sparse.c"
