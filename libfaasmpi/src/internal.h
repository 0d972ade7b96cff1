/* Shared by libfaasmpi's sources: the error-handler path every call takes.
 *
 * The profiling interface (MPI-3.1 §14.2): every call is defined as PMPI_X
 * and "#pragma weak MPI_X = PMPI_X" makes MPI_X a weak alias, so a tool that
 * defines its own MPI_X (and calls PMPI_X) replaces ours at link time. Calls
 * between the shim's own functions use the PMPI_ names, so a tool counts
 * only what the program called. */
#ifndef FAASMPI_INTERNAL_H
#define FAASMPI_INTERNAL_H

#include <mpi.h>
#include <stdint.h>
#include <string.h>

/* faasmpi_error runs comm's error handler for a failed call (rc != 0) and
 * returns rc when the handler returns (MPI_ERRORS_RETURN, user handlers). */
int faasmpi_error(MPI_Comm comm, int rc, const char *fname);
/* faasmpi_unsupported reports fname as unsupported and runs comm's handler. */
int faasmpi_unsupported(MPI_Comm comm, const char *fname);

/* faasmpi_delete_attrs runs the delete callbacks of comm's attributes and
 * drops them (MPI_Comm_free, and MPI_COMM_SELF at MPI_Finalize). */
int faasmpi_delete_attrs(MPI_Comm comm);

/* faasmpi_solo is set between MPI_Init and MPI_Finalize in a world of one
 * rank, where coll.c completes the common collectives without the host. */
extern int faasmpi_solo;

/* RET returns the host's result, through comm's error handler on failure. */
#define RET(comm, call)                                         \
	do {                                                        \
		int rc_ = (call);                                       \
		return rc_ == MPI_SUCCESS ? MPI_SUCCESS : faasmpi_error((comm), rc_, __func__); \
	} while (0)

#define P(x) ((void *)(x))
#define IP(x) ((int32_t *)(x))

#endif
