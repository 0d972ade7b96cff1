/* hybrid transpose: the MPI kernel with OpenMP loops inside each rank. */
#include "../mpi/transpose.c"
