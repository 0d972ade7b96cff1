// The state of a rank's fast MPI calls (fast.c, fast.go).
#ifndef FAASMPI_FAST_H
#define FAASMPI_FAST_H

#include <stdint.h>

#include "../../mpi/fast.h"

#define FAASMPI_FAST_COMMS 64  // communicator handles the fast path serves
#define FAASMPI_FAST_TYPES 256 // predefined datatype handles
#define FAASMPI_FAST_OPS 64    // predefined op handles

typedef struct {
	faasm_mpi_comm *comms[FAASMPI_FAST_COMMS]; // by handle; NULL: Go only
	uint8_t type_size[FAASMPI_FAST_TYPES];     // element size of dense predefined types; 0: Go only
	// The fast reductions' operation (FAASM_MPI_SUM...) by op handle, and
	// element kind (FAASM_MPI_I32...) by op and type handle: 0 where the
	// pair is Go's alone.
	uint8_t op_kind[FAASMPI_FAST_OPS];
	uint8_t red_kind[FAASMPI_FAST_OPS][FAASMPI_FAST_TYPES];
	int32_t mode_standard;      // FAASMPI_MODE_STANDARD
	uint32_t special_ptr_limit; // pointers below it are MPI_STATUS_IGNORE and kin
	uint32_t in_place;          // MPI_IN_PLACE
} faasmpi_fast;

int32_t faasmpi_send_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_recv_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_barrier_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_bcast_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_allreduce_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_allgather_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_allgatherv_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_alltoall_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_reduce_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_gather_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_scatter_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);

#endif
