/* Collectives and reduction operations. */
#include "internal.h"

#include <stdlib.h>

/* ---- worlds of one rank ----
 * With one rank (faasm run -np 1: an MPI code run serially) a collective on
 * MPI_COMM_WORLD moves data only within the caller, so the common ones with
 * basic datatypes finish here: a host call costs about 0.2 us, more than
 * the copy (synch_global at np 1 took 0.5-0.8 us per 1000-byte
 * MPI_Allgatherv against 0.08 us natively). Only a call that cannot fail
 * takes this path -- from the initial thread, between MPI_Init and
 * MPI_Finalize, with a basic datatype, counts the host accepts and buffers
 * inside memory; any other goes to the host, which reports the error. */

static int solo(MPI_Comm comm) {
	return faasmpi_world_size == 1 && comm == MPI_COMM_WORLD && faasmpi_initial_thread();
}

/* basic_size is the size of a predefined type that is one number, 0 for
 * any other type; arithmetic says whether MPI_SUM and the like apply. */
static uint64_t basic_size(MPI_Datatype t, int *arithmetic) {
	*arithmetic = 1;
	switch (t) {
	case MPI_CHAR: case MPI_BYTE: *arithmetic = 0; return 1;
	case MPI_SIGNED_CHAR: case MPI_UNSIGNED_CHAR: case MPI_INT8_T: case MPI_UINT8_T: return 1;
	case MPI_SHORT: case MPI_UNSIGNED_SHORT: case MPI_INT16_T: case MPI_UINT16_T: return 2;
	case MPI_INT: case MPI_UNSIGNED: case MPI_FLOAT: case MPI_INT32_T: case MPI_UINT32_T: return 4;
	case MPI_LONG: case MPI_UNSIGNED_LONG: return sizeof(long);
	case MPI_LONG_LONG: case MPI_UNSIGNED_LONG_LONG: case MPI_DOUBLE: case MPI_INT64_T: case MPI_UINT64_T: return 8;
	}
	*arithmetic = 0;
	return 0;
}

/* solo_copy moves count elements of t from sbuf (MPI_IN_PLACE: nothing to
 * move) to rbuf + displ elements, for a one-rank collective; it returns 0
 * when the host must handle the call. */
static inline __attribute__((always_inline)) int solo_copy(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, int displ,
                     MPI_Datatype rtype) {
	int arith;
	uint64_t size = basic_size(rtype, &arith);
	if (size == 0 || rcount < 0 || displ < 0) return 0;
	char *dst = (char *)rbuf + (uint64_t)displ * size;
	if (!faasmpi_in_memory(rbuf, ((uint64_t)displ + (uint64_t)rcount) * size)) return 0;
	if (sbuf == MPI_IN_PLACE) return 1;
	if (stype != rtype || scount != rcount || !faasmpi_in_memory(sbuf, (uint64_t)scount * size)) return 0;
	memmove(dst, sbuf, (uint64_t)scount * size);
	return 1;
}

/* solo_reduce is solo_copy for a reduction with a predefined op that is
 * the identity on one operand. */
static int solo_reduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op) {
	int arith;
	if (basic_size(dt, &arith) == 0 || !arith) return 0;
	if (op != MPI_SUM && op != MPI_PROD && op != MPI_MIN && op != MPI_MAX) return 0;
	return solo_copy(sbuf, count, dt, rbuf, count, 0, dt);
}

#pragma weak MPI_Barrier = PMPI_Barrier
int PMPI_Barrier(MPI_Comm comm) {
	if (solo(comm)) return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_barrier(comm));
}
#pragma weak MPI_Bcast = PMPI_Bcast
int PMPI_Bcast(void *buf, int count, MPI_Datatype dt, int root, MPI_Comm comm) {
	if (solo(comm) && root == 0 && solo_copy(MPI_IN_PLACE, count, dt, buf, count, 0, dt)) return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_bcast(buf, count, dt, root, comm));
}
#pragma weak MPI_Reduce = PMPI_Reduce
int PMPI_Reduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, int root, MPI_Comm comm) {
	if (solo(comm) && root == 0 && solo_reduce(sbuf, rbuf, count, dt, op)) return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_reduce(sbuf, rbuf, count, dt, op, root, comm));
}
#pragma weak MPI_Allreduce = PMPI_Allreduce
int PMPI_Allreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
	if (solo(comm) && solo_reduce(sbuf, rbuf, count, dt, op)) return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_allreduce(sbuf, rbuf, count, dt, op, comm));
}
#pragma weak MPI_Reduce_local = PMPI_Reduce_local
int PMPI_Reduce_local(const void *in, void *inout, int count, MPI_Datatype dt, MPI_Op op) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_reduce_local(in, inout, count, dt, op));
}
#pragma weak MPI_Reduce_scatter = PMPI_Reduce_scatter
int PMPI_Reduce_scatter(const void *sbuf, void *rbuf, const int counts[], MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_reduce_scatter(sbuf, rbuf, IP(counts), dt, op, comm));
}
#pragma weak MPI_Reduce_scatter_block = PMPI_Reduce_scatter_block
int PMPI_Reduce_scatter_block(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_reduce_scatter_block(sbuf, rbuf, count, dt, op, comm));
}
#pragma weak MPI_Scan = PMPI_Scan
int PMPI_Scan(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_scan(sbuf, rbuf, count, dt, op, comm));
}
#pragma weak MPI_Exscan = PMPI_Exscan
int PMPI_Exscan(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_exscan(sbuf, rbuf, count, dt, op, comm));
}
#pragma weak MPI_Gather = PMPI_Gather
int PMPI_Gather(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype, int root,
               MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_gather(sbuf, scount, stype, rbuf, rcount, rtype, root, comm));
}
#pragma weak MPI_Gatherv = PMPI_Gatherv
int PMPI_Gatherv(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, const int rcounts[], const int displs[],
                MPI_Datatype rtype, int root, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_gatherv(sbuf, scount, stype, rbuf, IP(rcounts), IP(displs), rtype, root, comm));
}
#pragma weak MPI_Scatter = PMPI_Scatter
int PMPI_Scatter(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype, int root,
                MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_scatter(sbuf, scount, stype, rbuf, rcount, rtype, root, comm));
}
#pragma weak MPI_Scatterv = PMPI_Scatterv
int PMPI_Scatterv(const void *sbuf, const int scounts[], const int displs[], MPI_Datatype stype, void *rbuf, int rcount,
                 MPI_Datatype rtype, int root, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_scatterv(sbuf, IP(scounts), IP(displs), stype, rbuf, rcount, rtype, root, comm));
}
#pragma weak MPI_Allgather = PMPI_Allgather
int PMPI_Allgather(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                  MPI_Comm comm) {
	if (solo(comm) && solo_copy(sbuf, scount, stype, rbuf, rcount, 0, rtype)) return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_allgather(sbuf, scount, stype, rbuf, rcount, rtype, comm));
}
#pragma weak MPI_Allgatherv = PMPI_Allgatherv
int PMPI_Allgatherv(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, const int rcounts[], const int displs[],
                   MPI_Datatype rtype, MPI_Comm comm) {
	if (solo(comm) && faasmpi_in_memory(rcounts, sizeof(int)) && faasmpi_in_memory(displs, sizeof(int)) &&
	    solo_copy(sbuf, scount, stype, rbuf, rcounts[0], displs[0], rtype))
		return MPI_SUCCESS;
	RET(comm, __faasmpi_mpi_allgatherv(sbuf, scount, stype, rbuf, IP(rcounts), IP(displs), rtype, comm));
}
#pragma weak MPI_Alltoall = PMPI_Alltoall
int PMPI_Alltoall(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                 MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_alltoall(sbuf, scount, stype, rbuf, rcount, rtype, comm));
}
#pragma weak MPI_Alltoallv = PMPI_Alltoallv
int PMPI_Alltoallv(const void *sbuf, const int scounts[], const int sdispls[], MPI_Datatype stype, void *rbuf,
                  const int rcounts[], const int rdispls[], MPI_Datatype rtype, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_alltoallv(sbuf, IP(scounts), IP(sdispls), stype, rbuf, IP(rcounts), IP(rdispls), rtype, comm));
}
#pragma weak MPI_Alltoallw = PMPI_Alltoallw
int PMPI_Alltoallw(const void *sbuf, const int scounts[], const int sdispls[], const MPI_Datatype stypes[], void *rbuf,
                  const int rcounts[], const int rdispls[], const MPI_Datatype rtypes[], MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_alltoallw(sbuf, IP(scounts), IP(sdispls), IP(stypes), rbuf, IP(rcounts), IP(rdispls),
	                                  IP(rtypes), comm));
}
#pragma weak MPI_Ibarrier = PMPI_Ibarrier
int PMPI_Ibarrier(MPI_Comm comm, MPI_Request *req) { RET(comm, __faasmpi_mpi_ibarrier(comm, IP(req))); }
#pragma weak MPI_Ibcast = PMPI_Ibcast
int PMPI_Ibcast(void *buf, int count, MPI_Datatype dt, int root, MPI_Comm comm, MPI_Request *req) {
	RET(comm, __faasmpi_mpi_ibcast(buf, count, dt, root, comm, IP(req)));
}
#pragma weak MPI_Ireduce = PMPI_Ireduce
int PMPI_Ireduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, int root, MPI_Comm comm,
                MPI_Request *req) {
	RET(comm, __faasmpi_mpi_ireduce(sbuf, rbuf, count, dt, op, root, comm, IP(req)));
}
#pragma weak MPI_Iallreduce = PMPI_Iallreduce
int PMPI_Iallreduce(const void *sbuf, void *rbuf, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm,
                   MPI_Request *req) {
	RET(comm, __faasmpi_mpi_iallreduce(sbuf, rbuf, count, dt, op, comm, IP(req)));
}
#pragma weak MPI_Iallgather = PMPI_Iallgather
int PMPI_Iallgather(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                   MPI_Comm comm, MPI_Request *req) {
	RET(comm, __faasmpi_mpi_iallgather(sbuf, scount, stype, rbuf, rcount, rtype, comm, IP(req)));
}
#pragma weak MPI_Ialltoall = PMPI_Ialltoall
int PMPI_Ialltoall(const void *sbuf, int scount, MPI_Datatype stype, void *rbuf, int rcount, MPI_Datatype rtype,
                  MPI_Comm comm, MPI_Request *req) {
	RET(comm, __faasmpi_mpi_ialltoall(sbuf, scount, stype, rbuf, rcount, rtype, comm, IP(req)));
}

/*
 * User-defined reductions. The host calls faasmpi_user_op through the
 * function table with the MPI_User_function's table index and two operand
 * buffers it placed in faasmpi_op_scratch memory. MPI_Op_create hands over
 * both as function pointers: exports of a command module are wrapped by
 * wasm-ld to re-run static constructors and destructors on every call.
 */
static void faasmpi_user_op(MPI_User_function *fn, void *in, void *inout, int len, MPI_Datatype dt) {
	fn(in, inout, &len, &dt);
}

static void *faasmpi_op_scratch(size_t n) {
	static void *buf;
	static size_t cap;
	if (n > cap) {
		free(buf);
		buf = malloc(n);
		cap = buf ? n : 0;
	}
	return buf;
}

#pragma weak MPI_Op_create = PMPI_Op_create
int PMPI_Op_create(MPI_User_function *fn, int commute, MPI_Op *op) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_op_create((int32_t)(uintptr_t)fn, (int32_t)(uintptr_t)&faasmpi_user_op,
	                                            (int32_t)(uintptr_t)&faasmpi_op_scratch, commute, IP(op)));
}
#pragma weak MPI_Op_free = PMPI_Op_free
int PMPI_Op_free(MPI_Op *op) { RET(MPI_COMM_WORLD, __faasmpi_mpi_op_free(IP(op))); }
#pragma weak MPI_Op_commutative = PMPI_Op_commutative
int PMPI_Op_commutative(MPI_Op op, int *commute) { RET(MPI_COMM_WORLD, __faasmpi_mpi_op_commutative(op, IP(commute))); }
