// MPI_Send, MPI_Recv and the commonest collectives (Barrier, Bcast, Reduce,
// Allreduce, Gather, Scatter, Allgather(v), Alltoall) of up to a few KiB
// without entering Go: the fast functions (hostabi.HostFunc.Fast) of their
// imports. They decode the import's arguments, check what the Go handler
// would check, and leave anything they cannot do alone to it (-1).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fast.h"

// The i32 arguments of mpi_send: buf, count, datatype, dest, tag, comm, mode.
int32_t faasmpi_send_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t buf = a[0], type = a[2], comm = a[5];
	int32_t count = (int32_t)a[1], dest = (int32_t)a[3], tag = (int32_t)a[4], mode = (int32_t)a[6];
	if (mode != f->mode_standard || comm >= FAASMPI_FAST_COMMS || type >= FAASMPI_FAST_TYPES || count < 0)
		return -1;
	faasm_mpi_comm *c = f->comms[comm];
	uint64_t n = (uint64_t)count * f->type_size[type];
	if (c == NULL || f->type_size[type] == 0 || n > FAASM_MPI_RING_DATA || buf + n > size) return -1;
	return faasm_mpi_send_fast(c, mem + buf, (int32_t)n, dest, tag) ? 0 : -1;
}

// The i32 arguments of mpi_recv: buf, count, datatype, source, tag, comm,
// status.
int32_t faasmpi_recv_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t buf = a[0], type = a[2], comm = a[5], status = a[6];
	int32_t count = (int32_t)a[1], source = (int32_t)a[3], tag = (int32_t)a[4];
	if (comm >= FAASMPI_FAST_COMMS || type >= FAASMPI_FAST_TYPES || count < 0) return -1;
	faasm_mpi_comm *c = f->comms[comm];
	uint64_t n = (uint64_t)count * f->type_size[type];
	if (c == NULL || f->type_size[type] == 0 || buf + n > size) return -1;
	int with_status = status >= f->special_ptr_limit;
	if (with_status && (uint64_t)status + sizeof(int32_t) * 6 > size) return -1;
	int32_t got_tag, got;
	if (!faasm_mpi_recv_fast(c, mem + buf, n > INT32_MAX ? INT32_MAX : (int32_t)n, source, tag, &got_tag, &got))
		return -1;
	if (with_status) {
		// MPI_SOURCE, MPI_TAG, MPI_ERROR (left alone, as by MPI_Recv), the
		// count in bytes (low, high) and cancelled: checkFastABI checks
		// the offsets.
		int32_t st[6];
		memcpy(st, mem + status, sizeof st);
		st[0] = source;
		st[1] = got_tag;
		st[3] = got;
		st[4] = 0;
		st[5] = 0;
		memcpy(mem + status, st, sizeof st);
	}
	return 0;
}

// The i32 argument of mpi_barrier: comm.
int32_t faasmpi_barrier_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	(void)mem, (void)size;
	const faasmpi_fast *f = state;
	uint32_t comm = a[0];
	if (comm >= FAASMPI_FAST_COMMS || f->comms[comm] == NULL) return -1;
	return faasm_mpi_barrier_fast(f->comms[comm]) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

static const int elem_size[] = {[FAASM_MPI_I32] = 4, [FAASM_MPI_I64] = 8, [FAASM_MPI_U32] = 4,
                                [FAASM_MPI_U64] = 8, [FAASM_MPI_F32] = 4, [FAASM_MPI_F64] = 8};

// The i32 arguments of mpi_allreduce: sendbuf, recvbuf, count, datatype,
// op, comm.
int32_t faasmpi_allreduce_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t send = a[0], recv = a[1], type = a[3], op = a[4], comm = a[5];
	int32_t count = (int32_t)a[2];
	if (comm >= FAASMPI_FAST_COMMS || type >= FAASMPI_FAST_TYPES || op >= FAASMPI_FAST_OPS || count <= 0 ||
	    count > FAASM_MPI_BOARD_BIG)
		return -1;
	faasm_mpi_comm *c = f->comms[comm];
	int kind = f->red_kind[op][type];
	if (c == NULL || kind == 0) return -1;
	uint64_t n = (uint64_t)count * (uint64_t)elem_size[kind];
	if (n > FAASM_MPI_BOARD_BIG || recv < f->special_ptr_limit || recv + n > size) return -1;
	const uint8_t *in = mem + recv;
	if (send != f->in_place) {
		if (send < f->special_ptr_limit || send + n > size) return -1;
		in = mem + send;
	}
	// A call the fast path arrived for but could not finish goes on in Go
	// (coll.resumed), with the same arguments.
	return faasm_mpi_allreduce_fast(c, in, mem + recv, (int32_t)n, kind, f->op_kind[op]) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// The i32 arguments of mpi_bcast: buf, count, datatype, root, comm.
int32_t faasmpi_bcast_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t buf = a[0], type = a[2], comm = a[4];
	int32_t count = (int32_t)a[1], root = (int32_t)a[3];
	if (comm >= FAASMPI_FAST_COMMS || type >= FAASMPI_FAST_TYPES || count < 0 || count > FAASM_MPI_BCAST_SMALL)
		return -1;
	faasm_mpi_comm *c = f->comms[comm];
	uint64_t n = (uint64_t)count * f->type_size[type];
	if (c == NULL || f->type_size[type] == 0 || n > FAASM_MPI_BCAST_SMALL || buf + n > size) return -1;
	return faasm_mpi_bcast_fast(c, mem + buf, (int32_t)n, root) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// MAX_MEMBERS bounds the communicators whose Allgather(v) the fast path
// serves (its counts live on the stack).
#define MAX_MEMBERS 64

// allgather checks an Allgather(v) as the Go handler would and runs it:
// rcounts and displs are the guest's arrays (0: uniform blocks of rcount
// elements, back to back).
static int32_t allgather(const faasmpi_fast *f, uint8_t *mem, size_t size, uint32_t send, int32_t scount,
                         uint32_t stype, uint32_t recv, uint32_t rcounts, uint32_t rdispls, int32_t rcount,
                         uint32_t rtype, uint32_t comm) {
	if (comm >= FAASMPI_FAST_COMMS || rtype >= FAASMPI_FAST_TYPES || stype >= FAASMPI_FAST_TYPES) return -1;
	faasm_mpi_comm *c = f->comms[comm];
	int64_t es = f->type_size[rtype];
	if (c == NULL || c->size > MAX_MEMBERS || es == 0 || recv < f->special_ptr_limit) return -1;
	int64_t counts[MAX_MEMBERS], displs[MAX_MEMBERS];
	if (rcounts != 0 && (rcounts < f->special_ptr_limit || rdispls < f->special_ptr_limit ||
	                     (uint64_t)rcounts + 4u * (uint64_t)c->size > size ||
	                     (uint64_t)rdispls + 4u * (uint64_t)c->size > size))
		return -1;
	for (int32_t m = 0; m < c->size; m++) {
		int32_t k = rcount, d = m * rcount;
		if (rcounts != 0) {
			memcpy(&k, mem + rcounts + 4 * (size_t)m, 4);
			memcpy(&d, mem + rdispls + 4 * (size_t)m, 4);
		}
		if (k < 0 || d < 0 || recv + ((uint64_t)d + (uint64_t)k) * (uint64_t)es > size) return -1;
		counts[m] = k * es;
		displs[m] = d * es;
	}
	const uint8_t *in = NULL;
	if (send != f->in_place) {
		if (stype != rtype || send < f->special_ptr_limit || (int64_t)scount * es != counts[c->rank] ||
		    send + (uint64_t)counts[c->rank] > size)
			return -1;
		in = mem + send;
	}
	return faasm_mpi_allgatherv_fast(c, in, mem + recv, counts, displs) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// The i32 arguments of mpi_allgather: sendbuf, sendcount, sendtype,
// recvbuf, recvcount, recvtype, comm.
int32_t faasmpi_allgather_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	if ((int32_t)a[4] < 0 || (int32_t)a[1] < 0) return -1;
	return allgather(state, mem, size, a[0], (int32_t)a[1], a[2], a[3], 0, 0, (int32_t)a[4], a[5], a[6]);
}

// The i32 arguments of mpi_allgatherv: sendbuf, sendcount, sendtype,
// recvbuf, recvcounts, displs, recvtype, comm.
int32_t faasmpi_allgatherv_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	if ((int32_t)a[1] < 0 || a[4] == 0) return -1;
	return allgather(state, mem, size, a[0], (int32_t)a[1], a[2], a[3], a[4], a[5], 0, a[6], a[7]);
}

// The i32 arguments of mpi_alltoall: sendbuf, sendcount, sendtype,
// recvbuf, recvcount, recvtype, comm.
int32_t faasmpi_alltoall_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t send = a[0], stype = a[2], recv = a[3], rtype = a[5], comm = a[6];
	int32_t scount = (int32_t)a[1], rcount = (int32_t)a[4];
	if (comm >= FAASMPI_FAST_COMMS || rtype >= FAASMPI_FAST_TYPES || stype != rtype || scount != rcount ||
	    rcount < 0 || rcount > FAASM_MPI_BOARD_BIG || send < f->special_ptr_limit || recv < f->special_ptr_limit)
		return -1;
	faasm_mpi_comm *c = f->comms[comm];
	uint64_t blk = (uint64_t)rcount * f->type_size[rtype];
	if (c == NULL || f->type_size[rtype] == 0) return -1;
	uint64_t total = blk * (uint64_t)c->size;
	if (send + total > size || recv + total > size || (send < recv + total && recv < send + total)) return -1;
	return faasm_mpi_alltoall_fast(c, mem + send, mem + recv, (int64_t)blk) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// The i32 arguments of mpi_reduce: sendbuf, recvbuf, count, datatype, op,
// root, comm.
int32_t faasmpi_reduce_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	const faasmpi_fast *f = state;
	uint32_t send = a[0], recv = a[1], type = a[3], op = a[4], comm = a[6];
	int32_t count = (int32_t)a[2], root = (int32_t)a[5];
	if (comm >= FAASMPI_FAST_COMMS || type >= FAASMPI_FAST_TYPES || op >= FAASMPI_FAST_OPS || count <= 0 ||
	    count > FAASM_MPI_BOARD_BIG)
		return -1;
	faasm_mpi_comm *c = f->comms[comm];
	int kind = f->red_kind[op][type];
	if (c == NULL || kind == 0 || root < 0 || root >= c->size) return -1;
	uint64_t n = (uint64_t)count * (uint64_t)elem_size[kind];
	if (n > FAASM_MPI_BOARD_BIG) return -1;
	int is_root = c->rank == root;
	uint8_t *out = NULL;
	if (is_root) {
		if (recv < f->special_ptr_limit || recv + n > size) return -1;
		out = mem + recv;
	}
	const uint8_t *in;
	if (send == f->in_place) {
		if (!is_root) return -1;
		in = out;
	} else {
		if (send < f->special_ptr_limit || send + n > size) return -1;
		in = mem + send;
	}
	return faasm_mpi_reduce_fast(c, in, out, (int32_t)n, kind, f->op_kind[op], root) == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// rooted checks a Gather (gather set) or Scatter as the Go handler would
// and runs it. Both take (sendbuf, sendcount, sendtype, recvbuf,
// recvcount, recvtype, root, comm); one is every member's own block
// (sendbuf of a Gather, recvbuf of a Scatter; the root may give it as
// MPI_IN_PLACE) and many the root's size blocks (the other triple).
static int32_t rooted(const faasmpi_fast *f, uint8_t *mem, size_t size, const uint32_t *a, int gather) {
	uint32_t comm = a[7];
	int32_t root = (int32_t)a[6];
	if (comm >= FAASMPI_FAST_COMMS || f->comms[comm] == NULL) return -1;
	faasm_mpi_comm *c = f->comms[comm];
	const uint32_t *one = gather ? a : a + 3, *many = gather ? a + 3 : a; // buffer, count, type
	uint32_t one_type = one[2], many_type = many[2];
	int32_t one_count = (int32_t)one[1], many_count = (int32_t)many[1];
	if (root < 0 || root >= c->size || one_type >= FAASMPI_FAST_TYPES || many_type >= FAASMPI_FAST_TYPES ||
	    one_count < 0 || many_count < 0 || one_count > FAASM_MPI_RING_DATA || many_count > FAASM_MPI_RING_DATA)
		return -1;
	int64_t one_n = (int64_t)one_count * f->type_size[one_type], blk = one_n;
	uint8_t *one_p = NULL, *many_p = NULL;
	if (c->rank != root) {
		if (f->type_size[one_type] == 0 || one[0] < f->special_ptr_limit || one[0] + (uint64_t)one_n > size)
			return -1;
		one_p = mem + one[0];
	} else {
		blk = (int64_t)many_count * f->type_size[many_type];
		if (f->type_size[many_type] == 0 || many[0] < f->special_ptr_limit ||
		    many[0] + (uint64_t)blk * (uint64_t)c->size > size)
			return -1;
		many_p = mem + many[0];
		if (one[0] != f->in_place) {
			if (f->type_size[one_type] == 0 || one_n != blk || one[0] < f->special_ptr_limit ||
			    one[0] + (uint64_t)blk > size)
				return -1;
			one_p = mem + one[0];
		}
	}
	int rc = gather ? faasm_mpi_gather_fast(c, one_p, many_p, (int32_t)blk, root)
	                : faasm_mpi_scatter_fast(c, many_p, one_p, (int32_t)blk, root);
	return rc == FAASM_MPI_COLL_DONE ? 0 : -1;
}

// The i32 arguments of mpi_gather and mpi_scatter: see rooted.
int32_t faasmpi_gather_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	return rooted(state, mem, size, a, 1);
}

int32_t faasmpi_scatter_fast(void *state, uint8_t *mem, size_t size, const uint32_t *a) {
	return rooted(state, mem, size, a, 0);
}
