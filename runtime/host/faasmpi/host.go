// Package faasmpi implements the "faasmpi" host module over the FaasMPI core
// (runtime/mpi) and its datatype and op engines. The marshalling is
// generated from the hostabi table (zz_generated.go); this package holds the
// semantics: per-rank handle tables, guest buffers resolved to bounds-checked
// views of linear memory, derived datatypes packed and unpacked, statuses
// written back, Go errors mapped to MPI error classes, user reductions called
// back in the guest, and the job-ending paths (Abort, fatal errors).
//
// # Buffers
//
// A buffer of a dense datatype (one block covering its extent, such as every
// predefined type) is passed to the core as a []byte view of the guest's
// linear memory: no copy at the boundary, and a large message moves with one
// copy from the sender's memory into the receiver's, the receiver pulling
// from the blocked (or Isend-pending) sender's view. Views stay valid across
// memory.grow: wasmtime reserves the full 4 GiB of a 32-bit memory up front
// (static memories), so linear memory never moves. Non-dense types are
// packed into a host buffer for sending and unpacked when a receive
// completes (at Wait/Test for non-blocking ones).
//
// Reductions work on the guest layout of the data (count*extent bytes from
// the buffer's lb), so predefined ops and user ops see exactly what the C
// code would. A type with gaps reduces into a host copy of that span and
// only its data bytes are copied back: the gaps of the receive buffer keep
// their contents, as MPI requires. A user op is a guest function, so it
// only ever runs on the rank's own thread: non-blocking reductions with one
// gather the contributions in the background and fold them at Wait/Test.
//
// # Errors
//
// Every call returns an MPI error class; the shim runs the communicator's
// error handler. The Go detail of the last failure is kept for the fatal
// handler's message. A job that has failed (Abort, a dead rank, a deadlock)
// ends the calling Faaslet with a *JobEnded error instead.
package faasmpi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// Job is one MPI job's shared state: its world and where host messages go.
type Job struct {
	World  *mpi.World
	Stderr io.Writer // host messages ("faasm: ..."); nil: os.Stderr

	mu sync.Mutex // serialises host messages
}

func (j *Job) printf(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	w := j.Stderr
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, format, args...)
}

// JobEnded ends a Faaslet whose MPI job failed under it (another rank
// aborted or died, or the job deadlocked). The runner reports the job's
// failure once, from World.Err, rather than once per rank.
type JobEnded struct{ Err error }

func (e *JobEnded) Error() string { return "mpi job ended: " + e.Err.Error() }
func (e *JobEnded) Unwrap() error { return e.Err }

// Host is one rank's faasmpi state: the Handler of one Faaslet.
type Host struct {
	job  *Job
	rank *mpi.Rank

	comms   []*commEntry // index = handle
	groups  []*mpi.Group // index = handle; 0 NULL, 1 EMPTY
	types   map[int32]*dt.Type
	nextTy  int32
	ops     map[int32]*userOp
	nextOp  int32
	reqs    []*reqEntry
	freeReq []int32
	// freeEntries are entries of retired requests, for reuse (newEntry).
	freeEntries []*reqEntry

	predOps [op.FirstUserID]*[dt.FirstDerivedID]mpi.Op // core Ops of predefined (op, type) pairs, by op
	red     red                                        // the blocking reduction in progress
	ar      arena                                      // the blocking collective's argument vectors

	lastErr  error // detail of the last failed call
	opErr    error // a user op's callback failure during a collective
	inited   bool
	detached bool       // not a rank (see Detached)
	fast     *fastTable // the C fast path's table (fast.go), between MPI_Init and MPI_Finalize
	bsendBuf int32
}

type commEntry struct {
	c    *mpi.Comm
	errh int32
}

type userOp struct {
	o  *op.Op
	fn int32 // table index of the guest's MPI_User_function
	// Table indices of the shim's trampoline (calls fn on two buffers) and
	// scratch allocator (memory for the operands).
	trampoline, scratch uint32
}

var _ Handler = (*Host)(nil)

// NewHost returns the faasmpi state of world rank r of job.
func NewHost(job *Job, r *mpi.Rank) *Host {
	h := &Host{
		job:    job,
		rank:   r,
		types:  map[int32]*dt.Type{},
		nextTy: int32(dt.FirstDerivedID),
		ops:    map[int32]*userOp{},
		nextOp: int32(op.FirstUserID),
		reqs:   []*reqEntry{nil},
	}
	h.comms = []*commEntry{nil, {c: r.CommWorld(), errh: MPIErrorsAreFatal}, {c: r.CommSelf(), errh: MPIErrorsAreFatal}}
	h.groups = []*mpi.Group{nil, mpi.GroupEmpty}
	return h
}

// Rank is the core rank this host serves.
func (h *Host) Rank() *mpi.Rank { return h.rank }

// errClasses maps the core's sentinel errors to MPI error classes. The
// first match wins; anything else is MPI_ERR_OTHER.
var errClasses = []struct {
	err   error
	class int32
}{
	{mpi.ErrTruncate, MPIErrTruncate},
	{dt.ErrTruncate, MPIErrTruncate},
	{mpi.ErrRank, MPIErrRank},
	{mpi.ErrTag, MPIErrTag},
	{mpi.ErrComm, MPIErrComm},
	{mpi.ErrGroup, MPIErrGroup},
	{mpi.ErrTopology, MPIErrTopology},
	{mpi.ErrDims, MPIErrDims},
	{mpi.ErrRoot, MPIErrRoot},
	{mpi.ErrOp, MPIErrOp},
	{op.ErrOp, MPIErrOp},
	{mpi.ErrRequest, MPIErrRequest},
	{mpi.ErrInStatus, MPIErrInStatus},
	{mpi.ErrPending, MPIErrPending},
	{mpi.ErrBuffer, MPIErrBuffer},
	{dt.ErrBuffer, MPIErrBuffer},
	{mpi.ErrCount, MPIErrCount},
	{dt.ErrCount, MPIErrCount},
	{op.ErrCount, MPIErrCount},
	{dt.ErrType, MPIErrType},
	{dt.ErrTooLarge, MPIErrType},
	{mpi.ErrArg, MPIErrArg},
	{dt.ErrArg, MPIErrArg},
	{errUnsupported, MPIErrUnsupportedOperation},
	{mpi.ErrFinalized, MPIErrOther},
}

// callbackError is a guest callback (a user op) that failed: the guest
// trapped or could not be called, so the Faaslet ends with the error rather
// than seeing an MPI error class.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }
func (e *callbackError) Unwrap() error { return e.err }

// Errors of this package, mapped like the core's.
var (
	errUnsupported = errors.New("not supported")
	errNotInit     = fmt.Errorf("MPI_Init has not been called: %w", mpi.ErrArg)
)

// ErrorClass is the MPI error class for err (MPI_SUCCESS for nil).
func ErrorClass(err error) int32 {
	if err == nil {
		return MPISuccess
	}
	for _, e := range errClasses {
		if errors.Is(err, e.err) {
			return e.class
		}
	}
	return MPIErrOther
}

// ret turns a call's outcome into its result: the error class for the
// guest, or a Go error that ends the Faaslet when the job itself failed.
func (h *Host) ret(err error) (int32, error) {
	if err == nil {
		return MPISuccess, nil
	}
	var cb *callbackError
	if errors.As(err, &cb) {
		return 0, cb.err
	}
	if errors.Is(err, mpi.ErrAborted) || errors.Is(err, mpi.ErrPeerDied) || errors.Is(err, mpi.ErrDeadlock) {
		return 0, &JobEnded{Err: err}
	}
	if errors.Is(err, mpi.ErrTransport) {
		return 0, err
	}
	h.lastErr = err
	return ErrorClass(err), nil
}

// errorf records a failure of this package (not of the core).
func (h *Host) errorf(sentinel error, format string, args ...any) (int32, error) {
	return h.ret(fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), sentinel))
}

// ---- guest memory ----

// mem is the caller's whole linear memory as a slice. Views into it stay
// valid across memory.grow (see the package doc).
func mem(c hostabi.Caller) []byte {
	m := c.Memory()
	b, _ := m.Read(0, m.Size())
	return b
}

func badPtr(what string, p hostabi.GuestPtr, n int64) error {
	return fmt.Errorf("%s: [%#x,+%d) outside linear memory: %w", what, uint32(p), n, mpi.ErrBuffer)
}

func view(m []byte, p hostabi.GuestPtr, n int64, what string) ([]byte, error) {
	if n < 0 || int64(p)+n > int64(len(m)) {
		return nil, badPtr(what, p, n)
	}
	return m[int64(p) : int64(p)+n : int64(p)+n], nil
}

func getI32(m []byte, p hostabi.GuestPtr, what string) (int32, error) {
	b, err := view(m, p, 4, what)
	if err != nil {
		return 0, err
	}
	return int32(binary.LittleEndian.Uint32(b)), nil
}

func putI32(m []byte, p hostabi.GuestPtr, v int32, what string) error {
	b, err := view(m, p, 4, what)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b, uint32(v))
	return nil
}

// getInts reads n int32 values.
func getInts(m []byte, p hostabi.GuestPtr, n int32, what string) ([]int, error) {
	var heap arena // off: allocates
	return heap.getInts(m, p, n, what)
}

func putInts(m []byte, p hostabi.GuestPtr, vs []int, what string) error {
	b, err := view(m, p, 4*int64(len(vs)), what)
	if err != nil {
		return err
	}
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(int32(v)))
	}
	return nil
}

// out writes an int32 result the guest asked for.
func (h *Host) out(c hostabi.Caller, p hostabi.GuestPtr, v int32) (int32, error) {
	return h.ret(putI32(mem(c), p, v, "result"))
}

func special(p hostabi.GuestPtr) bool { return p < FaasmpiSpecialPtrLimit }

// writeStatus stores st at p unless p is MPI_STATUS_IGNORE (or another
// special value). withErr also sets MPI_ERROR (multi-request calls).
func writeStatus(m []byte, p hostabi.GuestPtr, st mpi.Status, withErr bool) error {
	if special(p) {
		return nil
	}
	b, err := view(m, p, FaasmpiStatusSize, "status")
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	le.PutUint32(b[FaasmpiStatusSource:], uint32(int32(st.Source)))
	le.PutUint32(b[FaasmpiStatusTag:], uint32(int32(st.Tag)))
	if withErr {
		le.PutUint32(b[FaasmpiStatusError:], uint32(ErrorClass(st.Err)))
	}
	le.PutUint32(b[FaasmpiStatusCountLo:], uint32(uint64(st.Count)))
	le.PutUint32(b[FaasmpiStatusCountHi:], uint32(uint64(st.Count)>>32))
	cancelled := uint32(0)
	if st.Cancelled {
		cancelled = 1
	}
	le.PutUint32(b[FaasmpiStatusCancelled:], cancelled)
	return nil
}

func readStatusCount(m []byte, p hostabi.GuestPtr) (int64, error) {
	b, err := view(m, p, FaasmpiStatusSize, "status")
	if err != nil {
		return 0, err
	}
	le := binary.LittleEndian
	return int64(uint64(le.Uint32(b[FaasmpiStatusCountLo:])) | uint64(le.Uint32(b[FaasmpiStatusCountHi:]))<<32), nil
}

// ---- handles ----

func (h *Host) comm(handle int32) (*commEntry, error) {
	if !h.inited && !h.rank.Finalized() {
		return nil, errNotInit
	}
	if handle <= 0 || int(handle) >= len(h.comms) || h.comms[handle] == nil {
		return nil, fmt.Errorf("communicator handle %d: %w", handle, mpi.ErrComm)
	}
	return h.comms[handle], nil
}

// newComm stores c (nil gives MPI_COMM_NULL) inheriting parent's handler.
func (h *Host) newComm(c *mpi.Comm, parent *commEntry) int32 {
	if c == nil {
		return MPICommNull
	}
	for i := FaasmpiFirstUserComm; i < len(h.comms); i++ {
		if h.comms[i] == nil {
			h.comms[i] = &commEntry{c: c, errh: parent.errh}
			h.setFastComm(i, h.comms[i])
			return int32(i)
		}
	}
	h.comms = append(h.comms, &commEntry{c: c, errh: parent.errh})
	h.setFastComm(len(h.comms)-1, h.comms[len(h.comms)-1])
	return int32(len(h.comms) - 1)
}

func (h *Host) group(handle int32) (*mpi.Group, error) {
	if handle <= 0 || int(handle) >= len(h.groups) || h.groups[handle] == nil {
		return nil, fmt.Errorf("group handle %d: %w", handle, mpi.ErrGroup)
	}
	return h.groups[handle], nil
}

func (h *Host) newGroup(g *mpi.Group) int32 {
	if g.Size() == 0 {
		return MPIGroupEmpty
	}
	for i := 2; i < len(h.groups); i++ {
		if h.groups[i] == nil {
			h.groups[i] = g
			return int32(i)
		}
	}
	h.groups = append(h.groups, g)
	return int32(len(h.groups) - 1)
}

func (h *Host) dtype(handle int32) (*dt.Type, error) {
	if handle < int32(dt.FirstDerivedID) {
		if t := dt.ByID(dt.ID(handle)); t != nil {
			return t, nil
		}
	} else if t := h.types[handle]; t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("datatype handle %d: %w", handle, dt.ErrType)
}

// ctype is dtype for communication: the type must be committed.
func (h *Host) ctype(handle int32) (*dt.Type, error) {
	t, err := h.dtype(handle)
	if err == nil && !t.Committed() {
		err = fmt.Errorf("datatype %d is not committed: %w", handle, dt.ErrType)
	}
	return t, err
}

func (h *Host) newType(t *dt.Type) int32 {
	id := h.nextTy
	h.nextTy++
	h.types[id] = t
	return id
}

func (h *Host) op(handle int32) (*op.Op, *userOp, error) {
	if o := op.ByID(op.ID(handle)); o != nil {
		return o, nil, nil
	}
	if u := h.ops[handle]; u != nil {
		return u.o, u, nil
	}
	return nil, nil, fmt.Errorf("op handle %d: %w", handle, mpi.ErrOp)
}

// reduction resolves an op handle for a reduction (Reduce, Allreduce, Scan,
// Reduce_local, ...). MPI_REPLACE and MPI_NO_OP exist only for one-sided
// accumulates (MPI-3.1 §11.3.4): a reduction with them is MPI_ERR_OP.
func (h *Host) reduction(handle int32) (*op.Op, *userOp, error) {
	o, u, err := h.op(handle)
	if err == nil && (o == op.Replace || o == op.NoOp) {
		return nil, nil, fmt.Errorf("%s is not a reduction operation: %w", o.Name(), mpi.ErrOp)
	}
	return o, u, err
}

// Detached returns a Host for a Faaslet that is not an MPI rank (an OpenMP
// worker thread): MPI_Init fails, and every call on a communicator fails
// with an MPI error instead of reaching the job (MPI_THREAD_FUNNELED).
func Detached() *Host {
	w, err := mpi.NewWorld(mpi.Config{Size: 1, Transport: detachedTransport{}})
	if err != nil {
		panic(err) // size 1 with a transport cannot fail
	}
	h := NewHost(&Job{World: w}, w.Rank(0))
	h.detached = true
	return h
}

type detachedTransport struct{}

func (detachedTransport) Register(int, mpi.Deliverer) error { return nil }
func (detachedTransport) Send(*mpi.Envelope) error          { return mpi.ErrTransport }
func (detachedTransport) Close() error                      { return nil }
