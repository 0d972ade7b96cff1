// The state of a rank's fast MPI_Send/MPI_Recv (fast.c, fast.go).
#ifndef FAASMPI_FAST_H
#define FAASMPI_FAST_H

#include <stdint.h>

#include "../../mpi/fast.h"

#define FAASMPI_FAST_COMMS 64  // communicator handles the fast path serves
#define FAASMPI_FAST_TYPES 256 // predefined datatype handles

typedef struct {
	const faasm_mpi_comm *comms[FAASMPI_FAST_COMMS]; // by handle; NULL: Go only
	uint8_t type_size[FAASMPI_FAST_TYPES];           // element size of dense predefined types; 0: Go only
	int32_t mode_standard;                           // FAASMPI_MODE_STANDARD
	uint32_t special_ptr_limit;                      // pointers below it are MPI_STATUS_IGNORE and kin
} faasmpi_fast;

int32_t faasmpi_send_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);
int32_t faasmpi_recv_fast(void *state, uint8_t *mem, size_t size, const uint32_t *args);

#endif
