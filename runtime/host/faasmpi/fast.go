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
)

// fastTable is fast.h's faasmpi_fast.
type fastTable = C.faasmpi_fast

// WithFast gives this module's functions in funcs their C fast paths
// (hostabi.HostFunc.Fast): MPI_Send and MPI_Recv.
func WithFast(funcs []hostabi.HostFunc) []hostabi.HostFunc {
	for i := range funcs {
		if funcs[i].Module != ModuleName {
			continue
		}
		switch funcs[i].Func.Name {
		case FuncMpiSend:
			funcs[i].Fast = C.faasmpi_send_fast
		case FuncMpiRecv:
			funcs[i].Fast = C.faasmpi_recv_fast
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
