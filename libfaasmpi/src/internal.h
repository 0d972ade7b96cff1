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

/* faasmpi_world_size and faasmpi_world_rank are MPI_COMM_WORLD's, set
 * between MPI_Init and MPI_Finalize (size 0 outside), so that calls that
 * cannot fail are answered without a host call (about 0.2 us each):
 * Comm_size/Comm_rank of the world, and at size 1 the common collectives
 * (coll.c). */
extern int faasmpi_world_size, faasmpi_world_rank;

/* faasmpi_initial_thread: the caller runs on the initial thread's stack
 * (bounds from wasm-ld). OpenMP workers run on stacks of their own, and
 * their MPI calls must reach the host for its MPI_THREAD_FUNNELED error. */
static inline int faasmpi_initial_thread(void) {
	extern char __stack_low, __stack_high;
	/* The frame's address, not a local's: taking a local's address gave
	 * every caller a shadow-stack frame of its own to set up and undo. */
	char *here = __builtin_frame_address(0);
	return here >= &__stack_low && here < &__stack_high;
}

/* faasmpi_in_memory: n bytes at p lie inside linear memory, above the
 * special addresses MPI_BOTTOM and MPI_IN_PLACE. */
static inline int faasmpi_in_memory(const void *p, uint64_t n) {
	uint64_t a = (uintptr_t)p;
	return n == 0 || (a > (uintptr_t)MPI_IN_PLACE && a + n <= (uint64_t)__builtin_wasm_memory_size(0) * 65536);
}

/* RET returns the host's result, through comm's error handler on failure. */
#define RET(comm, call)                                         \
	do {                                                        \
		int rc_ = (call);                                       \
		return rc_ == MPI_SUCCESS ? MPI_SUCCESS : faasmpi_error((comm), rc_, __func__); \
	} while (0)

#define P(x) ((void *)(x))
#define IP(x) ((int32_t *)(x))

#endif
