package faasmpi

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
)

// reqEntry is one live MPI_Request handle.
type reqEntry struct {
	q *mpi.Request
	// guest runs first when the request completes, on the rank's own
	// thread: the guest callbacks of a non-blocking reduction with a user
	// op, which must not run while the guest runs elsewhere.
	guest func(c hostabi.Caller) error
	// finish runs when the request completes: unpacking into guest memory.
	// It touches memory only, so a freed receive may run it on the
	// goroutine that completes the request.
	finish func(m []byte, st mpi.Status) error
	// finished: MPI_Request_get_status already ran finish for the current
	// operation; the guest may have used the buffer since.
	finished bool
	// start runs at MPI_Start (persistent sends re-pack their data).
	start func(m []byte) error
}

// newEntry returns an entry for q, reusing one a retired request left.
func (h *Host) newEntry(q *mpi.Request) *reqEntry {
	if n := len(h.freeEntries); n > 0 {
		e := h.freeEntries[n-1]
		h.freeEntries = h.freeEntries[:n-1]
		e.q = q
		return e
	}
	return &reqEntry{q: q}
}

func (h *Host) newReq(e *reqEntry) int32 {
	if n := len(h.freeReq); n > 0 {
		id := h.freeReq[n-1]
		h.freeReq = h.freeReq[:n-1]
		h.reqs[id] = e
		return id
	}
	h.reqs = append(h.reqs, e)
	return int32(len(h.reqs) - 1)
}

func (h *Host) req(handle int32) (*reqEntry, error) {
	if handle <= 0 || int(handle) >= len(h.reqs) || h.reqs[handle] == nil {
		return nil, fmt.Errorf("request handle %d: %w", handle, mpi.ErrRequest)
	}
	return h.reqs[handle], nil
}

func (h *Host) dropReq(handle int32) {
	h.reqs[handle] = nil
	h.freeReq = append(h.freeReq, handle)
}

// readReqs reads count request handles and their entries (nil for
// MPI_REQUEST_NULL).
func (h *Host) readReqs(m []byte, p hostabi.GuestPtr, count int32) ([]int, []*reqEntry, []*mpi.Request, error) {
	hs, err := h.ar.getInts(m, p, count, "requests")
	if err != nil {
		return nil, nil, nil, err
	}
	es := grab(h.ar.on, &h.ar.entries, len(hs))
	qs := grab(h.ar.on, &h.ar.reqs, len(hs))
	for i, hd := range hs {
		if hd == MPIRequestNull {
			continue
		}
		if es[i], err = h.req(int32(hd)); err != nil {
			return nil, nil, nil, err
		}
		qs[i] = es[i].q
	}
	return hs, es, qs, nil
}

// retire finishes a completed request: run its guest callbacks, unpack,
// and free a non-persistent handle (its guest slot becomes
// MPI_REQUEST_NULL). It returns st with any unpacking error folded in; the
// error is a failed guest callback or an unwritable handle.
func (h *Host) retire(c hostabi.Caller, handle int32, e *reqEntry, st mpi.Status, reqp hostabi.GuestPtr) (mpi.Status, error) {
	if e.guest != nil && st.Err == nil {
		if err := e.guest(c); err != nil {
			h.dropReq(handle)
			return st, err
		}
	}
	m := mem(c)
	if e.finish != nil && !e.finished {
		if err := e.finish(m, st); err != nil && st.Err == nil {
			st.Err = err
		}
	}
	e.finished = false // a persistent request's next operation
	if e.q == nil || !e.q.Persistent() {
		h.dropReq(handle)
		// Nothing refers to the entry or the request any more: the
		// handle is gone and the caller only reads st from here on.
		h.rank.Recycle(e.q)
		*e = reqEntry{}
		h.freeEntries = append(h.freeEntries, e)
		if err := putI32(m, reqp, MPIRequestNull, "request"); err != nil {
			return st, err
		}
	}
	return st, nil
}

var emptyStatus = mpi.Status{Source: mpi.AnySource, Tag: mpi.AnyTag}

func (h *Host) MpiWait(c hostabi.Caller, request hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, request, "request")
	if err != nil {
		return h.ret(err)
	}
	if handle == MPIRequestNull {
		return h.ret(writeStatus(m, status, emptyStatus, false))
	}
	e, err := h.req(handle)
	if err != nil {
		return h.ret(err)
	}
	st, err := h.rank.Wait(e.q)
	if err != nil && st.Err == nil {
		return h.ret(err) // the call failed, not the request
	}
	st, err = h.retire(c, handle, e, st, request)
	m = mem(c)
	if err == nil {
		err = st.Err
	}
	if serr := writeStatus(m, status, st, false); serr != nil && err == nil {
		err = serr
	}
	return h.ret(err)
}

func (h *Host) MpiTest(c hostabi.Caller, request hostabi.GuestPtr, flag hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, request, "request")
	if err != nil {
		return h.ret(err)
	}
	if handle == MPIRequestNull {
		if err := writeStatus(m, status, emptyStatus, false); err != nil {
			return h.ret(err)
		}
		return h.out(c, flag, 1)
	}
	e, err := h.req(handle)
	if err != nil {
		return h.ret(err)
	}
	done, st, err := h.rank.Test(e.q)
	if err != nil && st.Err == nil {
		return h.ret(err)
	}
	if !done {
		return h.out(c, flag, 0)
	}
	st, err = h.retire(c, handle, e, st, request)
	m = mem(c)
	if err == nil {
		err = st.Err
	}
	if serr := writeStatus(m, status, st, false); serr != nil && err == nil {
		err = serr
	}
	if ferr := putI32(m, flag, 1, "flag"); ferr != nil && err == nil {
		err = ferr
	}
	return h.ret(err)
}

// statusAt is the guest address of statuses[i], or the ignore sentinel.
func statusAt(statuses hostabi.GuestPtr, i int) hostabi.GuestPtr {
	if special(statuses) {
		return statuses
	}
	return statuses + hostabi.GuestPtr(i*FaasmpiStatusSize)
}

func reqAt(requests hostabi.GuestPtr, i int) hostabi.GuestPtr {
	return requests + hostabi.GuestPtr(4*i)
}

// completeAll retires every non-null request (all known complete) and
// writes the statuses; it returns MPI_ERR_IN_STATUS when one failed.
func (h *Host) completeAll(c hostabi.Caller, hs []int, es []*reqEntry, sts []mpi.Status, requests, statuses hostabi.GuestPtr) (int32, error) {
	failed := false
	for i, e := range es {
		st := emptyStatus
		if e != nil {
			var err error
			if st, err = h.retire(c, int32(hs[i]), e, sts[i], reqAt(requests, i)); err != nil {
				return h.ret(err)
			}
		}
		m := mem(c)
		if st.Err != nil {
			failed = true
		}
		if err := writeStatus(m, statusAt(statuses, i), st, true); err != nil {
			return h.ret(err)
		}
	}
	if failed {
		if special(statuses) {
			for _, st := range sts {
				if st.Err != nil {
					return h.ret(st.Err)
				}
			}
		}
		return h.ret(fmt.Errorf("a request failed: %w", mpi.ErrInStatus))
	}
	return MPISuccess, nil
}

func (h *Host) MpiWaitall(c hostabi.Caller, count int32, requests hostabi.GuestPtr, statuses hostabi.GuestPtr) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	sts := grab(h.ar.on, &h.ar.statuses, len(qs))
	if err := h.rank.Waitall(qs, sts); err != nil && !isInStatus(err) {
		return h.ret(err)
	}
	return h.completeAll(c, hs, es, sts, requests, statuses)
}

func isInStatus(err error) bool {
	c := ErrorClass(err)
	return c == MPIErrInStatus || c == MPIErrPending
}

func (h *Host) MpiTestall(c hostabi.Caller, count int32, requests hostabi.GuestPtr, flag hostabi.GuestPtr, statuses hostabi.GuestPtr) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	sts := grab(h.ar.on, &h.ar.statuses, len(qs))
	done, err := h.rank.Testall(qs, sts)
	if err != nil && !isInStatus(err) {
		return h.ret(err)
	}
	if !done {
		return h.out(c, flag, 0)
	}
	if rc, err := h.out(c, flag, 1); rc != MPISuccess || err != nil {
		return rc, err
	}
	return h.completeAll(c, hs, es, sts, requests, statuses)
}

func (h *Host) anyResult(c hostabi.Caller, hs []int, es []*reqEntry, i int, st mpi.Status, requests, index, status hostabi.GuestPtr) (int32, error) {
	if i == mpi.Undefined {
		if err := writeStatus(mem(c), status, emptyStatus, false); err != nil {
			return h.ret(err)
		}
		return h.out(c, index, mpi.Undefined)
	}
	st, err := h.retire(c, int32(hs[i]), es[i], st, reqAt(requests, i))
	m := mem(c)
	if err == nil {
		err = st.Err
	}
	if serr := writeStatus(m, status, st, false); serr != nil && err == nil {
		err = serr
	}
	if ierr := putI32(m, index, int32(i), "index"); ierr != nil && err == nil {
		err = ierr
	}
	return h.ret(err)
}

func (h *Host) MpiWaitany(c hostabi.Caller, count int32, requests hostabi.GuestPtr, index hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	i, st, err := h.rank.Waitany(qs)
	if err != nil && st.Err == nil {
		return h.ret(err)
	}
	return h.anyResult(c, hs, es, i, st, requests, index, status)
}

func (h *Host) MpiTestany(c hostabi.Caller, count int32, requests hostabi.GuestPtr, index hostabi.GuestPtr, flag hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	i, done, st, err := h.rank.Testany(qs)
	if err != nil && st.Err == nil {
		return h.ret(err)
	}
	if !done {
		if err := putI32(mem(c), flag, 0, "flag"); err != nil {
			return h.ret(err)
		}
		return h.out(c, index, mpi.Undefined)
	}
	if err := putI32(mem(c), flag, 1, "flag"); err != nil {
		return h.ret(err)
	}
	return h.anyResult(c, hs, es, i, st, requests, index, status)
}

func (h *Host) some(c hostabi.Caller, incount int32, requests, outcount, indices, statuses hostabi.GuestPtr, wait bool) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	hs, es, qs, err := h.readReqs(mem(c), requests, incount)
	if err != nil {
		return h.ret(err)
	}
	var idx []int
	var sts []mpi.Status
	if wait {
		idx, sts, err = h.rank.Waitsome(qs)
	} else {
		idx, sts, err = h.rank.Testsome(qs)
	}
	if err != nil && !isInStatus(err) {
		return h.ret(err)
	}
	if idx == nil {
		return h.out(c, outcount, mpi.Undefined)
	}
	failed := false
	for k, i := range idx {
		st, err := h.retire(c, int32(hs[i]), es[i], sts[k], reqAt(requests, i))
		if err != nil {
			return h.ret(err)
		}
		failed = failed || st.Err != nil
		if err := writeStatus(mem(c), statusAt(statuses, k), st, true); err != nil {
			return h.ret(err)
		}
	}
	m := mem(c)
	if err := putInts(m, indices, idx, "indices"); err != nil {
		return h.ret(err)
	}
	if err := putI32(m, outcount, int32(len(idx)), "outcount"); err != nil {
		return h.ret(err)
	}
	if failed {
		return h.ret(fmt.Errorf("a request failed: %w", mpi.ErrInStatus))
	}
	return MPISuccess, nil
}

func (h *Host) MpiWaitsome(c hostabi.Caller, incount int32, requests hostabi.GuestPtr, outcount hostabi.GuestPtr, indices hostabi.GuestPtr, statuses hostabi.GuestPtr) (int32, error) {
	return h.some(c, incount, requests, outcount, indices, statuses, true)
}

func (h *Host) MpiTestsome(c hostabi.Caller, incount int32, requests hostabi.GuestPtr, outcount hostabi.GuestPtr, indices hostabi.GuestPtr, statuses hostabi.GuestPtr) (int32, error) {
	return h.some(c, incount, requests, outcount, indices, statuses, false)
}

// MpiRequestGetStatus reports completion without retiring the request.
func (h *Host) MpiRequestGetStatus(c hostabi.Caller, request int32, flag hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	if request == MPIRequestNull {
		if err := writeStatus(m, status, emptyStatus, false); err != nil {
			return h.ret(err)
		}
		return h.out(c, flag, 1)
	}
	e, err := h.req(request)
	if err != nil {
		return h.ret(err)
	}
	done := e.q.Done()
	if done {
		// Complete means the receive buffer holds the result (MPI-3.1
		// §3.7.3), so the guest work of completion happens now, once.
		st := e.q.Status()
		if g := e.guest; g != nil && st.Err == nil {
			e.guest = nil
			if err := g(c); err != nil {
				return h.ret(err)
			}
		}
		m = mem(c)
		if e.finish != nil && !e.finished {
			e.finished = true
			if err := e.finish(m, st); err != nil {
				return h.ret(err)
			}
		}
		if err := writeStatus(m, status, st, false); err != nil {
			return h.ret(err)
		}
	}
	return h.out(c, flag, b2i(done))
}

func (h *Host) MpiRequestFree(c hostabi.Caller, request hostabi.GuestPtr) (int32, error) {
	m, handle, err := handleAt(c, request, "request")
	if err != nil {
		return h.ret(err)
	}
	e, err := h.req(handle)
	if err != nil {
		return h.ret(err)
	}
	switch {
	case e.guest != nil:
		// MPI-3.1 §5.12: freeing a non-blocking collective's request is
		// erroneous, and this one still has guest work to do at Wait.
		return h.errorf(mpi.ErrRequest, "MPI_Request_free of a non-blocking reduction with a user-defined op")
	case e.q != nil && e.finish != nil:
		// A freed receive of a derived type must still land in the guest's
		// buffer: unpack when the message arrives, as a view-backed receive
		// would (linear memory never moves; see the package doc).
		finish := e.finish
		err = h.rank.RequestFreeThen(e.q, func(st mpi.Status) { _ = finish(m, st) })
	case e.q != nil:
		err = h.rank.RequestFree(e.q)
	}
	if err != nil {
		return h.ret(err)
	}
	h.dropReq(handle)
	return h.ret(putI32(m, request, MPIRequestNull, "request"))
}

func (h *Host) MpiCancel(c hostabi.Caller, request hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, request, "request")
	if err != nil {
		return h.ret(err)
	}
	e, err := h.req(handle)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(h.rank.Cancel(e.q))
}

func (h *Host) MpiStart(c hostabi.Caller, request hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, request, "request")
	if err != nil {
		return h.ret(err)
	}
	return h.ret(h.start(m, handle))
}

func (h *Host) start(m []byte, handle int32) error {
	e, err := h.req(handle)
	if err != nil {
		return err
	}
	if e.start != nil {
		if err := e.start(m); err != nil {
			return err
		}
	}
	e.finished = false
	return h.rank.Start(e.q)
}

func (h *Host) MpiStartall(c hostabi.Caller, count int32, requests hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	hs, err := getInts(m, requests, count, "requests")
	if err != nil {
		return h.ret(err)
	}
	for _, hd := range hs {
		if err := h.start(m, int32(hd)); err != nil {
			return h.ret(err)
		}
	}
	return MPISuccess, nil
}
