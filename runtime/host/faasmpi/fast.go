package faasmpi

// The Go side of the fast MPI calls (fast.c): the per-rank table of
// communicator handles, datatype sizes and reductions the C functions
// read, kept in C memory and in step with the handles the guest holds.

/*
#include <stdlib.h>
#include "fast.h"
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"sync"
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
	*f = *fastTemplate()
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

// fastTemplate is a rank's table before its communicators are in it: the
// same for every rank, so it is built once rather than at every MPI_Init.
var fastTemplate = sync.OnceValue(func() *fastTable {
	f := new(fastTable)
	f.mode_standard = FaasmpiModeStandard
	f.special_ptr_limit = FaasmpiSpecialPtrLimit
	f.in_place = FaasmpiInPlace
	for id := range dt.ID(C.FAASMPI_FAST_TYPES) {
		t := dt.ByID(id)
		if t == nil || !t.Dense() || t.Size() > 255 {
			continue
		}
		if lb, _ := t.Extent(); lb == 0 {
			f.type_size[id] = C.uint8_t(t.Size())
		}
	}
	fillReductions(f)
	return f
})

// fastOps are the operations the fast reductions combine themselves.
var fastOps = map[*op.Op]C.uint8_t{op.Sum: C.FAASM_MPI_SUM, op.Prod: C.FAASM_MPI_PROD, op.Min: C.FAASM_MPI_MIN, op.Max: C.FAASM_MPI_MAX}

// elemKey is a predefined type's kind and size.
type elemKey struct {
	kind dt.Kind
	size int64
}

// elemKinds are fast.h's element kinds by Go kind and size.
var elemKinds = map[elemKey]C.uint8_t{
	{dt.KindInt, 4}: C.FAASM_MPI_I32, {dt.KindInt, 8}: C.FAASM_MPI_I64,
	{dt.KindUint, 4}: C.FAASM_MPI_U32, {dt.KindUint, 8}: C.FAASM_MPI_U64,
	{dt.KindFloat, 4}: C.FAASM_MPI_F32, {dt.KindFloat, 8}: C.FAASM_MPI_F64,
}

// fillReductions fills f's tables of the (op, type) pairs the fast
// reductions combine: 4- and 8-byte integers and floats, where Go's own
// reduction (op.Apply) accepts the pair.
func fillReductions(f *fastTable) {
	a, b := make([]byte, 8), make([]byte, 8)
	for id := range op.ID(C.FAASMPI_FAST_OPS) {
		o := op.ByID(id)
		k, ok := fastOps[o]
		if !ok {
			continue
		}
		f.op_kind[id] = k
		for tid := range dt.ID(C.FAASMPI_FAST_TYPES) {
			t := dt.ByID(tid)
			if t == nil || op.Apply(o, t, a, b, 1) != nil {
				continue
			}
			f.red_kind[id][tid] = elemKinds[elemKey{t.Kind(), t.Size()}]
		}
	}
}
