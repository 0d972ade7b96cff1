/* hybrid stencil: the MPI kernel with OpenMP loops inside each rank. */
#include "../mpi/stencil.c"
