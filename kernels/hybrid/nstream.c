/* hybrid nstream: the MPI kernel with OpenMP loops inside each rank. */
#include "../mpi/nstream.c"
