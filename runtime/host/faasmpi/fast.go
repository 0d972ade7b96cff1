package faasmpi

// The Go side of the fast MPI_Send/MPI_Recv (fast.c): the per-rank table of
// communicator handles and datatype sizes the C functions read, kept in C
// memory and in step with the handles the guest holds.

/*
#include <stdlib.h>
#include "fast.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"github.com/faasm-go/faasm/hostabi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// fastTable is fast.h's faasmpi_fast.
type fastTable = C.faasmpi_fast

// fastFuncs are the C fast paths of this module's imports, by name.
var fastFuncs = map[string]unsafe.Pointer{
	FuncMpiSend:       C.faasmpi_send_fast,
	FuncMpiRecv:       C.faasmpi_recv_fast,
	FuncMpiBarrier:    C.faasmpi_barrier_fast,
	FuncMpiBcast:      C.faasmpi_bcast_fast,
	FuncMpiReduce:     C.faasmpi_reduce_fast,
	FuncMpiAllreduce:  C.faasmpi_allreduce_fast,
	FuncMpiAllgather:  C.faasmpi_allgather_fast,
	FuncMpiAllgatherv: C.faasmpi_allgatherv_fast,
	FuncMpiAlltoall:   C.faasmpi_alltoall_fast,
	FuncMpiGather:     C.faasmpi_gather_fast,
	FuncMpiScatter:    C.faasmpi_scatter_fast,
}

// WithFast gives this module's functions in funcs their C fast paths
// (hostabi.HostFunc.Fast).
func WithFast(funcs []hostabi.HostFunc) []hostabi.HostFunc {
	for i := range funcs {
		if funcs[i].Module == ModuleName {
			funcs[i].Fast = fastFuncs[funcs[i].Func.Name]
		}
	}
	return funcs
}

// fastABIErr says why fast.c's view of the ABI (the status layout) is not
// the table's; the fast path is then off. TestFastABI fails on it.
var fastABIErr = checkFastABI()

func checkFastABI() error {
	got := [...]int{FaasmpiStatusSource, FaasmpiStatusTag, FaasmpiStatusError, FaasmpiStatusCountLo,
		FaasmpiStatusCountHi, FaasmpiStatusCancelled, FaasmpiStatusSize}
	want := [...]int{0, 4, 8, 12, 16, 20, 24}
	if got != want {
		return fmt.Errorf("faasmpi: fast path off: MPI_Status offsets %v, fast.c writes %v", got, want)
	}
	return nil
}

// fastOff is FAASM_MPI_FAST=0: every call goes through Go (to compare, or
// to rule the fast path out when something looks wrong).
var fastOff = os.Getenv("FAASM_MPI_FAST") == "0"

// startFast gives the rank's Faaslet its fast path (at MPI_Init), when the
// runtime supports it.
func (h *Host) startFast(c hostabi.Caller) {
	fs, ok := c.(hostabi.FastStater)
	if !ok || fastOff || fastABIErr != nil || h.detached {
		return
	}
	f := (*fastTable)(C.calloc(1, C.sizeof_faasmpi_fast))
	if f == nil {
		return
	}
	f.mode_standard = FaasmpiModeStandard
	f.special_ptr_limit = FaasmpiSpecialPtrLimit
	for id := range dt.ID(C.FAASMPI_FAST_TYPES) {
		t := dt.ByID(id)
		if t == nil || !t.Dense() || t.Size() > 255 {
			continue
		}
		if lb, _ := t.Extent(); lb == 0 {
			f.type_size[id] = C.uint8_t(t.Size())
		}
	}
	f.in_place = FaasmpiInPlace
	fillReductions(f)
	runtime.AddCleanup(h, func(f *fastTable) { C.free(unsafe.Pointer(f)) }, f)
	h.fast = f
	for handle, e := range h.comms {
		h.setFastComm(handle, e)
	}
	fs.SetFastState(unsafe.Pointer(f))
}

// stopFast takes the fast path away (at MPI_Finalize): every call is Go's
// again, which reports calls after MPI_Finalize.
func (h *Host) stopFast(c hostabi.Caller) {
	if fs, ok := c.(hostabi.FastStater); ok && h.fast != nil {
		fs.SetFastState(nil)
	}
	h.fast = nil
}

// setFastComm makes the fast path serve handle as e (nil: not at all).
func (h *Host) setFastComm(handle int, e *commEntry) {
	if h.fast == nil || handle < 0 || handle >= C.FAASMPI_FAST_COMMS {
		return
	}
	var p *C.faasm_mpi_comm
	if e != nil {
		p = (*C.faasm_mpi_comm)(e.c.FastComm())
	}
	h.fast.comms[handle] = p
}

// fastOps are the operations the fast Allreduce combines itself.
var fastOps = map[*op.Op]C.uint8_t{op.Sum: C.FAASM_MPI_SUM, op.Prod: C.FAASM_MPI_PROD, op.Min: C.FAASM_MPI_MIN, op.Max: C.FAASM_MPI_MAX}

// fillReductions fills f's tables of the (op, type) pairs the fast
// Allreduce combines: 4- and 8-byte integers and floats, where Go's own
// reduction (op.Apply) accepts the pair.
func fillReductions(f *fastTable) {
	for id := range op.ID(C.FAASMPI_FAST_OPS) {
		o := op.ByID(id)
		k, ok := fastOps[o]
		if !ok {
			continue
		}
		f.op_kind[id] = k
		for tid := range dt.ID(C.FAASMPI_FAST_TYPES) {
			t := dt.ByID(tid)
			if t == nil || op.Apply(o, t, make([]byte, 8), make([]byte, 8), 1) != nil {
				continue
			}
			f.red_kind[id][tid] = elemKind(t)
		}
	}
}

// elemKind is fast.h's element kind of t (0: none).
func elemKind(t *dt.Type) C.uint8_t {
	switch {
	case t.Kind() == dt.KindInt && t.Size() == 4:
		return C.FAASM_MPI_I32
	case t.Kind() == dt.KindInt && t.Size() == 8:
		return C.FAASM_MPI_I64
	case t.Kind() == dt.KindUint && t.Size() == 4:
		return C.FAASM_MPI_U32
	case t.Kind() == dt.KindUint && t.Size() == 8:
		return C.FAASM_MPI_U64
	case t.Kind() == dt.KindFloat && t.Size() == 4:
		return C.FAASM_MPI_F32
	case t.Kind() == dt.KindFloat && t.Size() == 8:
		return C.FAASM_MPI_F64
	}
	return 0
}
