/* hybrid dgemm: the MPI kernel with OpenMP over the tiles of C inside each rank. */
#include "../mpi/dgemm.c"
