package mpi

import (
	"fmt"
	"sync/atomic"
)

// Status is what a completed receive (or probe) reports. Count is in bytes:
// the datatype engine converts it to elements for MPI_Get_count and
// MPI_Get_elements.
type Status struct {
	Source    int   // sender's rank in the communicator (ProcNull, or AnySource when empty)
	Tag       int   // message tag (AnyTag when empty)
	Count     int   // bytes stored in the receive buffer
	Cancelled bool  // MPI_Test_cancelled
	Err       error // per-request error (MPI_ERROR field)
}

// emptyStatus is MPI's "empty status" for null and inactive requests.
var emptyStatus = Status{Source: AnySource, Tag: AnyTag}

type reqKind uint8

const (
	reqSend reqKind = iota + 1
	reqRecv
	reqColl
	reqProbe
)

type sendMode uint8

const (
	modeStandard sendMode = iota
	modeSync
	modeBuffered
	modeReady
)

// Request is an MPI request. The wasm glue keeps a per-rank handle table of
// them; a nil *Request stands for MPI_REQUEST_NULL.
//
// Buffers passed to non-blocking calls must stay valid until the request
// completes (the glue resolves guest memory so that it does).
type Request struct {
	// What matching and completion touch, often from the sender's thread,
	// comes first and together (two cache lines: Request is 64-byte
	// aligned in its size class), so a message moves as few of the
	// receiver's lines between cores as it can.
	done    atomic.Bool
	settled atomic.Bool // pooled: complete's last access is over (Recycle)
	kind    reqKind
	temp    bool // recycled by its blocking call (Rank.tempRequest)
	posted  bool // receive sits in the posted queue (guarded by matcher.mu)
	mode    sendMode
	ctx     ContextID
	peer    int // dest or source, rank in comm
	tag     int
	buf     []byte
	owner   *waiter // notified on completion
	onDone  func()  // runs before completion is published
	status  Status  // written before done is set
	// after is the glue's work for a freed request (RequestFreeThen);
	// afterRan makes it run once whichever side sees completion first.
	after    atomic.Pointer[func(Status)]
	afterRan atomic.Bool

	r    *Rank
	comm *Comm
	call call

	persistent bool
	active     bool // persistent request between Start and completion
	freed      bool
	pooled     bool // from Rank.nbRequest: Recycle may take it back once settled

	env Envelope // a send's envelope, lent to the transport during Send

	_ [24]byte // to 384 bytes, a size class of 64-byte-aligned objects
}

func (q *Request) complete(st Status) {
	q.status = st
	if q.onDone != nil {
		q.onDone()
	}
	if q.temp {
		// The blocking call that owns q recycles it as soon as it sees
		// done, so q must not be read after publishing; nobody can have
		// attached after-work to a request the guest never saw.
		owner := q.owner
		q.done.Store(true)
		owner.notify()
		return
	}
	q.done.Store(true)
	q.runAfter()
	q.owner.notify()
	q.settled.Store(true)
}

func (q *Request) runAfter() {
	if f := q.after.Load(); f != nil && q.afterRan.CompareAndSwap(false, true) {
		(*f)(q.status)
	}
}

// Persistent reports whether q came from SendInit/RecvInit (Wait leaves it
// allocated and inactive).
func (q *Request) Persistent() bool { return q != nil && q.persistent }

// inactive reports whether waiting on q returns at once with an empty status.
func (q *Request) inactive() bool {
	return q == nil || q.freed || (q.persistent && !q.active)
}

// retire ends q's current operation after completion was observed.
func (q *Request) retire() Status {
	st := q.status
	if q.persistent {
		q.active = false
	} else {
		q.freed = true
	}
	return st
}

// Wait blocks until q completes (MPI_Wait). A non-persistent request is
// freed by it; the glue then sets the guest handle to MPI_REQUEST_NULL.
func (r *Rank) Wait(q *Request) (Status, error) {
	if q.inactive() {
		return emptyStatus, nil
	}
	if err := r.wt.block(call{fn: "MPI_Wait", req: q, nreq: 1}, q.done.Load); err != nil {
		return Status{}, fmt.Errorf("mpi.wait: rank %d: %w", r.id, err)
	}
	st := q.retire()
	return st, st.Err
}

// Test reports whether q completed, retiring it if so (MPI_Test).
func (r *Rank) Test(q *Request) (bool, Status, error) {
	if q.inactive() {
		return true, emptyStatus, nil
	}
	r.m.progress()
	if !q.done.Load() {
		if err := r.w.Err(); err != nil {
			return false, Status{}, fmt.Errorf("mpi.test: rank %d: %w", r.id, err)
		}
		return false, Status{}, nil
	}
	st := q.retire()
	return true, st, st.Err
}

func firstPending(qs []*Request) (*Request, int) {
	var first *Request
	n := 0
	for _, q := range qs {
		if !q.inactive() && !q.done.Load() {
			if first == nil {
				first = q
			}
			n++
		}
	}
	return first, n
}

// Waitall waits for every request (MPI_Waitall). statuses, if not nil, has
// len(qs) entries. When some request failed the error wraps ErrInStatus and
// each status carries its own Err.
func (r *Rank) Waitall(qs []*Request, statuses []Status) error {
	for {
		first, n := firstPending(qs)
		if first == nil {
			break
		}
		err := r.wt.block(call{fn: "MPI_Waitall", req: first, nreq: n}, first.done.Load)
		if err != nil {
			return fmt.Errorf("mpi.waitall: rank %d: %w", r.id, err)
		}
	}
	return r.collect("mpi.waitall", qs, statuses)
}

func (r *Rank) collect(loc string, qs []*Request, statuses []Status) error {
	failed := 0
	for i, q := range qs {
		st := emptyStatus
		if !q.inactive() {
			st = q.retire()
		}
		if st.Err != nil {
			failed++
		}
		if statuses != nil {
			statuses[i] = st
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s: rank %d: %d requests failed: %w", loc, r.id, failed, ErrInStatus)
	}
	return nil
}

// Testall reports whether every request completed; only then are they
// retired and statuses filled (MPI_Testall).
func (r *Rank) Testall(qs []*Request, statuses []Status) (bool, error) {
	r.m.progress()
	if first, _ := firstPending(qs); first != nil {
		if err := r.w.Err(); err != nil {
			return false, fmt.Errorf("mpi.testall: rank %d: %w", r.id, err)
		}
		return false, nil
	}
	return true, r.collect("mpi.testall", qs, statuses)
}

// anyDone returns the index of the first completed active request, -1 if
// none, and whether any request is active at all.
func anyDone(qs []*Request) (int, bool) {
	active := false
	for i, q := range qs {
		if q.inactive() {
			continue
		}
		active = true
		if q.done.Load() {
			return i, true
		}
	}
	return -1, active
}

// Waitany waits for one request and returns its index, or Undefined when no
// request is active (MPI_Waitany).
func (r *Rank) Waitany(qs []*Request) (int, Status, error) {
	i, active := anyDone(qs)
	if !active {
		return Undefined, emptyStatus, nil
	}
	if i < 0 {
		first, n := firstPending(qs)
		err := r.wt.block(call{fn: "MPI_Waitany", req: first, nreq: n}, func() bool {
			j, _ := anyDone(qs)
			return j >= 0
		})
		if err != nil {
			return Undefined, Status{}, fmt.Errorf("mpi.waitany: rank %d: %w", r.id, err)
		}
		i, _ = anyDone(qs)
	}
	st := qs[i].retire()
	return i, st, st.Err
}

// Testany is the non-blocking Waitany: flag is false when an active request
// exists but none completed (MPI_Testany).
func (r *Rank) Testany(qs []*Request) (int, bool, Status, error) {
	r.m.progress()
	i, active := anyDone(qs)
	if !active {
		return Undefined, true, emptyStatus, nil
	}
	if i < 0 {
		if err := r.w.Err(); err != nil {
			return Undefined, false, Status{}, fmt.Errorf("mpi.testany: rank %d: %w", r.id, err)
		}
		return Undefined, false, Status{}, nil
	}
	st := qs[i].retire()
	return i, true, st, st.Err
}

// Waitsome waits until at least one request completes and returns all that
// have; indices is nil (MPI_UNDEFINED outcount) when none is active.
func (r *Rank) Waitsome(qs []*Request) ([]int, []Status, error) {
	if _, active := anyDone(qs); !active {
		return nil, nil, nil
	}
	first, n := firstPending(qs)
	err := r.wt.block(call{fn: "MPI_Waitsome", req: first, nreq: n}, func() bool {
		j, _ := anyDone(qs)
		return j >= 0
	})
	if err != nil {
		return nil, nil, fmt.Errorf("mpi.waitsome: rank %d: %w", r.id, err)
	}
	return r.some("mpi.waitsome", qs)
}

// Testsome returns the requests that completed, possibly none (MPI_Testsome).
// indices is nil when no request is active.
func (r *Rank) Testsome(qs []*Request) ([]int, []Status, error) {
	r.m.progress()
	if _, active := anyDone(qs); !active {
		return nil, nil, nil
	}
	if err := r.w.Err(); err != nil {
		return nil, nil, fmt.Errorf("mpi.testsome: rank %d: %w", r.id, err)
	}
	return r.some("mpi.testsome", qs)
}

func (r *Rank) some(loc string, qs []*Request) ([]int, []Status, error) {
	idx := []int{}
	var sts []Status
	failed := 0
	for i, q := range qs {
		if !q.inactive() && q.done.Load() {
			st := q.retire()
			if st.Err != nil {
				failed++
			}
			idx = append(idx, i)
			sts = append(sts, st)
		}
	}
	if failed > 0 {
		return idx, sts, fmt.Errorf("%s: rank %d: %d requests failed: %w", loc, r.id, failed, ErrInStatus)
	}
	return idx, sts, nil
}

// Start activates a persistent request (MPI_Start).
func (r *Rank) Start(q *Request) error {
	if q == nil || !q.persistent || q.freed {
		return fmt.Errorf("mpi.start: rank %d: not a persistent request: %w", r.id, ErrRequest)
	}
	if q.active {
		return fmt.Errorf("mpi.start: rank %d: request already active: %w", r.id, ErrRequest)
	}
	q.active = true
	q.status = Status{}
	q.done.Store(false)
	if q.kind == reqRecv {
		r.startRecv(q)
	} else {
		r.startSend(q)
	}
	return nil
}

// Startall starts every request (MPI_Startall).
func (r *Rank) Startall(qs []*Request) error {
	for _, q := range qs {
		if err := r.Start(q); err != nil {
			return err
		}
	}
	return nil
}

// RequestFree releases q (MPI_Request_free). An active operation still
// completes in the background.
func (r *Rank) RequestFree(q *Request) error {
	if q == nil || q.freed {
		return fmt.Errorf("mpi.request_free: rank %d: %w", r.id, ErrRequest)
	}
	q.freed = true
	return nil
}

// RequestFreeThen is RequestFree for an operation whose completion still
// has work to do in the glue (unpacking a derived-type receive into guest
// memory, which MPI requires even after the handle is gone): fn gets the
// final status once, at once if q has completed, otherwise on the
// goroutine that completes it. fn does not run for an inactive request.
func (r *Rank) RequestFreeThen(q *Request, fn func(Status)) error {
	pending := !q.inactive()
	if err := r.RequestFree(q); err != nil {
		return err
	}
	if pending {
		q.after.Store(&fn)
		if q.done.Load() {
			q.runAfter()
		}
	}
	return nil
}

// Cancel cancels a pending receive (MPI_Cancel). A receive that already
// matched, and any send, completes normally; Status.Cancelled tells which.
// The request must still be completed with Wait/Test.
func (r *Rank) Cancel(q *Request) error {
	if q.inactive() {
		return fmt.Errorf("mpi.cancel: rank %d: %w", r.id, ErrRequest)
	}
	if q.kind == reqRecv && r.m.cancel(q) {
		q.complete(Status{Source: AnySource, Tag: AnyTag, Cancelled: true})
	}
	return nil
}

// Done reports whether q has completed (or is null or inactive) without
// retiring it (MPI_Request_get_status).
func (q *Request) Done() bool {
	if q.inactive() {
		return true
	}
	if !q.done.Load() && q.r != nil {
		q.r.m.progress()
	}
	return q.done.Load()
}

// Status is q's status once Done reports true, without retiring q.
func (q *Request) Status() Status {
	if q.inactive() {
		return emptyStatus
	}
	return q.status
}
