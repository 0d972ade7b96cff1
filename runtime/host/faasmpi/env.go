package faasmpi

import (
	"fmt"
	"os"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
)

// MpiInit joins the job's world. A rank uses MPI from one thread, so the
// highest level provided is MPI_THREAD_FUNNELED.
func (h *Host) MpiInit(c hostabi.Caller, required int32, provided hostabi.GuestPtr) (int32, error) {
	if h.detached {
		return h.errorf(mpi.ErrArg, "MPI_Init from an OpenMP thread: only a rank's initial thread may call MPI (MPI_THREAD_FUNNELED)")
	}
	if h.inited || h.rank.Finalized() {
		return h.errorf(mpi.ErrArg, "MPI_Init called twice")
	}
	h.inited = true
	h.startFast(c)
	return h.out(c, provided, min(required, MPIThreadFunneled))
}

// MpiFinalize leaves the world.
func (h *Host) MpiFinalize(c hostabi.Caller) (int32, error) {
	if !h.inited {
		return h.ret(errNotInit)
	}
	// Buffered sends must reach their destination before the rank leaves.
	if h.bsendBuf > 0 {
		if _, err := h.rank.BufferDetach(); err != nil {
			return h.ret(err)
		}
		h.bsendBuf = 0
	}
	h.inited = false
	h.stopFast(c)
	return h.ret(h.rank.Finalize())
}

// MpiAbort ends every rank of the job with code.
func (h *Host) MpiAbort(c hostabi.Caller, comm int32, code int32) error {
	h.job.printf("faasm: rank %d called MPI_Abort with code %d; stopping every rank\n", h.rank.ID(), code)
	h.rank.Abort(int(code))
	return &hostabi.ExitError{Code: code}
}

// MpiErrorFatal is MPI_ERRORS_ARE_FATAL: one line naming the rank, the
// call and the error, then the whole job aborts (exit code 1, like
// OpenMPI's MPI_ERRORS_ARE_FATAL).
func (h *Host) MpiErrorFatal(c hostabi.Caller, comm int32, code int32, fname hostabi.GuestPtr, fnameLen uint32) error {
	name := "MPI call"
	if b, ok := c.Memory().Read(fname, min(fnameLen, 128)); ok {
		name = string(b)
	}
	detail := errorString(code)
	if h.lastErr != nil && ErrorClass(h.lastErr) == code {
		detail += ": " + h.lastErr.Error()
	}
	h.job.printf("faasm: rank %d: MPI error in %s: %s\n", h.rank.ID(), name, detail)
	h.rank.Abort(1)
	return &hostabi.ExitError{Code: 1}
}

// MpiUnsupported reports a call faasm does not implement.
func (h *Host) MpiUnsupported(c hostabi.Caller, fname hostabi.GuestPtr, fnameLen uint32) (int32, error) {
	name := "MPI call"
	if b, ok := c.Memory().Read(fname, min(fnameLen, 128)); ok {
		name = string(b)
	}
	h.job.printf("faasm: %s is not supported\n", name)
	return h.errorf(errUnsupported, "%s is not supported", name)
}

// MpiGetProcessorName writes the host's name.
func (h *Host) MpiGetProcessorName(c hostabi.Caller, name hostabi.GuestPtr, resultlen hostabi.GuestPtr) (int32, error) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	if len(host) >= MPIMaxProcessorName {
		host = host[:MPIMaxProcessorName-1]
	}
	m := mem(c)
	b, err := view(m, name, int64(len(host))+1, "name")
	if err != nil {
		return h.ret(err)
	}
	copy(b, host)
	b[len(host)] = 0
	return h.ret(putI32(m, resultlen, int32(len(host)), "resultlen"))
}

// MpiCommSetErrhandler stores the shim's handler number on comm.
func (h *Host) MpiCommSetErrhandler(c hostabi.Caller, comm int32, errhandler int32) (int32, error) {
	e, err := h.commAny(comm)
	if err != nil {
		return h.ret(err)
	}
	e.errh = errhandler
	return MPISuccess, nil
}

// MpiCommGetErrhandler returns comm's handler number.
func (h *Host) MpiCommGetErrhandler(c hostabi.Caller, comm int32, errhandler hostabi.GuestPtr) (int32, error) {
	e, err := h.commAny(comm)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, errhandler, e.errh)
}

// commAny looks up a communicator also before MPI_Init and after
// MPI_Finalize (error handlers may be queried then).
func (h *Host) commAny(handle int32) (*commEntry, error) {
	if handle <= 0 || int(handle) >= len(h.comms) || h.comms[handle] == nil {
		return nil, fmt.Errorf("communicator handle %d: %w", handle, mpi.ErrComm)
	}
	return h.comms[handle], nil
}

var classNames = map[int32]string{
	MPIErrBuffer: "MPI_ERR_BUFFER: invalid buffer pointer", MPIErrCount: "MPI_ERR_COUNT: invalid count argument",
	MPIErrType: "MPI_ERR_TYPE: invalid datatype", MPIErrTag: "MPI_ERR_TAG: invalid tag",
	MPIErrComm: "MPI_ERR_COMM: invalid communicator", MPIErrRank: "MPI_ERR_RANK: invalid rank",
	MPIErrRequest: "MPI_ERR_REQUEST: invalid request", MPIErrRoot: "MPI_ERR_ROOT: invalid root",
	MPIErrGroup: "MPI_ERR_GROUP: invalid group", MPIErrOp: "MPI_ERR_OP: invalid reduce operation",
	MPIErrTopology: "MPI_ERR_TOPOLOGY: invalid communicator topology", MPIErrDims: "MPI_ERR_DIMS: invalid topology dimension",
	MPIErrArg: "MPI_ERR_ARG: invalid argument of some other kind", MPIErrTruncate: "MPI_ERR_TRUNCATE: message truncated",
	MPIErrOther: "MPI_ERR_OTHER: known error not in list", MPIErrInStatus: "MPI_ERR_IN_STATUS: error code is in status",
	MPIErrPending: "MPI_ERR_PENDING: pending request", MPIErrKeyval: "MPI_ERR_KEYVAL: invalid key value",
	MPIErrNoMem: "MPI_ERR_NO_MEM: out of memory", MPIErrInfo: "MPI_ERR_INFO: invalid info object",
	MPIErrUnsupportedOperation: "MPI_ERR_UNSUPPORTED_OPERATION: operation not supported",
}

func errorString(code int32) string {
	if s, ok := classNames[code]; ok {
		return s
	}
	return fmt.Sprintf("MPI error %d", code)
}
