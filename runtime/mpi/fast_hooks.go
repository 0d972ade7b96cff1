package mpi

// Calls into the C fast path as the faasmpi import makes them, so that the
// tests (export_test.go) drive it against the Go half.

// #include "fast.h"
import "C"

import "unsafe"

func fastSend(c *Comm, data []byte, dest, tag int) bool {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil {
		return false
	}
	var d *C.uint8_t
	if len(data) > 0 {
		d = (*C.uint8_t)(unsafe.Pointer(&data[0]))
	}
	return C.faasm_mpi_send_fast(p, d, C.int32_t(len(data)), C.int32_t(dest), C.int32_t(tag)) == 1
}

func fastRecv(c *Comm, buf []byte, source, tag int) (Status, bool) {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil {
		return Status{}, false
	}
	var b *C.uint8_t
	if len(buf) > 0 {
		b = (*C.uint8_t)(unsafe.Pointer(&buf[0]))
	}
	var gotTag, count C.int32_t
	if C.faasm_mpi_recv_fast(p, b, C.int32_t(len(buf)), C.int32_t(source), C.int32_t(tag), &gotTag, &count) != 1 {
		return Status{}, false
	}
	return Status{Source: source, Tag: int(gotTag), Count: int(count)}, true
}

func fastBarrier(c *Comm) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil {
		return 0
	}
	return int(C.faasm_mpi_barrier_fast(p))
}

// fastAllreduceF64 is the fast Allreduce of float64s with op (fast.h's
// FAASM_MPI_SUM...), in place in buf.
func fastAllreduceF64(c *Comm, buf []byte, op int) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil || len(buf) == 0 {
		return 0
	}
	b := (*C.uint8_t)(unsafe.Pointer(&buf[0]))
	return int(C.faasm_mpi_allreduce_fast(p, b, b, C.int32_t(len(buf)), C.FAASM_MPI_F64, C.int(op)))
}

// The fast collectives' results and operations, for the tests.
const (
	fastCollDone = C.FAASM_MPI_COLL_DONE
	fastCollGoOn = C.FAASM_MPI_COLL_GO_ON
	fastSum      = C.FAASM_MPI_SUM
	fastMax      = C.FAASM_MPI_MAX
)

func fastBcast(c *Comm, buf []byte, root int) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil {
		return 0
	}
	var b *C.uint8_t
	if len(buf) > 0 {
		b = (*C.uint8_t)(unsafe.Pointer(&buf[0]))
	}
	return int(C.faasm_mpi_bcast_fast(p, b, C.int32_t(len(buf)), C.int32_t(root)))
}

// fastAllgatherv is the fast Allgatherv with counts and displs in bytes;
// send nil is in place.
func fastAllgatherv(c *Comm, send, recv []byte, counts, displs []int64) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil || len(recv) == 0 {
		return 0
	}
	var s *C.uint8_t // nil: in place
	if send != nil {
		s = (*C.uint8_t)(unsafe.Pointer(&recv[0])) // an empty block needs an address, not its data
		if len(send) > 0 {
			s = (*C.uint8_t)(unsafe.Pointer(&send[0]))
		}
	}
	return int(C.faasm_mpi_allgatherv_fast(p, s, (*C.uint8_t)(unsafe.Pointer(&recv[0])),
		(*C.int64_t)(unsafe.Pointer(&counts[0])), (*C.int64_t)(unsafe.Pointer(&displs[0]))))
}

func fastAlltoall(c *Comm, send, recv []byte) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil || len(send) == 0 || len(recv) == 0 {
		return 0
	}
	return int(C.faasm_mpi_alltoall_fast(p, (*C.uint8_t)(unsafe.Pointer(&send[0])),
		(*C.uint8_t)(unsafe.Pointer(&recv[0])), C.int64_t(len(send)/c.Size())))
}

// fastReduceF64 is the fast Reduce of the float64s in in with op into
// recv at the root (nil elsewhere).
func fastReduceF64(c *Comm, in, recv []byte, op, root int) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil || len(in) == 0 {
		return 0
	}
	var out *C.uint8_t
	if recv != nil {
		out = (*C.uint8_t)(unsafe.Pointer(&recv[0]))
	}
	return int(C.faasm_mpi_reduce_fast(p, (*C.uint8_t)(unsafe.Pointer(&in[0])), out, C.int32_t(len(in)),
		C.FAASM_MPI_F64, C.int(op), C.int32_t(root)))
}

// fastRooted calls the fast Gather (gather set) or Scatter with blocks of
// blk bytes: one is this member's block (nil at a root in place), many the
// root's size blocks (nil elsewhere).
func fastRooted(c *Comm, gather bool, one, many []byte, blk, root int) int {
	p := (*C.faasm_mpi_comm)(c.FastComm())
	if p == nil {
		return 0
	}
	ptr := func(b []byte) *C.uint8_t {
		if b == nil {
			return nil
		}
		if len(b) == 0 {
			b = make([]byte, 1) // an empty block needs an address
		}
		return (*C.uint8_t)(unsafe.Pointer(&b[0]))
	}
	if gather {
		return int(C.faasm_mpi_gather_fast(p, ptr(one), ptr(many), C.int32_t(blk), C.int32_t(root)))
	}
	return int(C.faasm_mpi_scatter_fast(p, ptr(many), ptr(one), C.int32_t(blk), C.int32_t(root)))
}
