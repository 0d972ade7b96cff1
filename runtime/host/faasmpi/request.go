package faasmpi

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
)

// reqEntry is one live MPI_Request handle.
type reqEntry struct {
	q *mpi.Request
	// finish runs when the request completes: unpacking into guest memory.
	finish func(m []byte, st mpi.Status) error
	// start runs at MPI_Start (persistent sends re-pack their data).
	start func(m []byte) error
	// pre marks a request completed when it was created (st holds how).
	pre bool
	st  mpi.Status
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
	hs, err := getInts(m, p, count, "requests")
	if err != nil {
		return nil, nil, nil, err
	}
	es := make([]*reqEntry, len(hs))
	qs := make([]*mpi.Request, len(hs))
	for i, hd := range hs {
		if hd == MPIRequestNull {
			continue
		}
		if es[i], err = h.req(int32(hd)); err != nil {
			return nil, nil, nil, err
		}
		if !es[i].pre {
			qs[i] = es[i].q
		}
	}
	return hs, es, qs, nil
}

// retire finishes a completed request: unpack, and free a non-persistent
// handle (its guest slot becomes MPI_REQUEST_NULL). It returns st with any
// unpacking error folded in.
func (h *Host) retire(m []byte, handle int32, e *reqEntry, st mpi.Status, reqp hostabi.GuestPtr) (mpi.Status, error) {
	if e.pre {
		st, e.pre = e.st, false
	}
	if e.finish != nil {
		if err := e.finish(m, st); err != nil && st.Err == nil {
			st.Err = err
		}
	}
	if e.q == nil || !e.q.Persistent() {
		h.dropReq(handle)
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
	st := e.st
	if !e.pre {
		st, err = h.rank.Wait(e.q)
		if err != nil && st.Err == nil {
			return h.ret(err) // the call failed, not the request
		}
	}
	m = mem(c)
	st, err = h.retire(m, handle, e, st, request)
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
	done, st := true, e.st
	if !e.pre {
		done, st, err = h.rank.Test(e.q)
		if err != nil && st.Err == nil {
			return h.ret(err)
		}
	}
	if !done {
		return h.out(c, flag, 0)
	}
	st, err = h.retire(m, handle, e, st, request)
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
	m := mem(c)
	failed := false
	for i, e := range es {
		st := emptyStatus
		if e != nil {
			var err error
			if st, err = h.retire(m, int32(hs[i]), e, sts[i], reqAt(requests, i)); err != nil {
				return h.ret(err)
			}
		}
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
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	sts := make([]mpi.Status, len(qs))
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
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	sts := make([]mpi.Status, len(qs))
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

// preDone finds a request that completed when it was created.
func preDone(es []*reqEntry) int {
	for i, e := range es {
		if e != nil && e.pre {
			return i
		}
	}
	return -1
}

func (h *Host) anyResult(c hostabi.Caller, hs []int, es []*reqEntry, i int, st mpi.Status, requests, index, status hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	if i == mpi.Undefined {
		if err := writeStatus(m, status, emptyStatus, false); err != nil {
			return h.ret(err)
		}
		return h.out(c, index, mpi.Undefined)
	}
	st, err := h.retire(m, int32(hs[i]), es[i], st, reqAt(requests, i))
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
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	if i := preDone(es); i >= 0 {
		return h.anyResult(c, hs, es, i, mpi.Status{}, requests, index, status)
	}
	i, st, err := h.rank.Waitany(qs)
	if err != nil && st.Err == nil {
		return h.ret(err)
	}
	return h.anyResult(c, hs, es, i, st, requests, index, status)
}

func (h *Host) MpiTestany(c hostabi.Caller, count int32, requests hostabi.GuestPtr, index hostabi.GuestPtr, flag hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	hs, es, qs, err := h.readReqs(mem(c), requests, count)
	if err != nil {
		return h.ret(err)
	}
	i, done, st := preDone(es), true, mpi.Status{}
	if i < 0 {
		i, done, st, err = h.rank.Testany(qs)
		if err != nil && st.Err == nil {
			return h.ret(err)
		}
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
	hs, es, qs, err := h.readReqs(mem(c), requests, incount)
	if err != nil {
		return h.ret(err)
	}
	var idx []int
	var sts []mpi.Status
	for i, e := range es {
		if e != nil && e.pre {
			idx = append(idx, i)
			sts = append(sts, mpi.Status{})
		}
	}
	if idx == nil {
		if wait {
			idx, sts, err = h.rank.Waitsome(qs)
		} else {
			idx, sts, err = h.rank.Testsome(qs)
		}
		if err != nil && !isInStatus(err) {
			return h.ret(err)
		}
	}
	m := mem(c)
	if idx == nil {
		return h.out(c, outcount, mpi.Undefined)
	}
	failed := false
	for k, i := range idx {
		st, err := h.retire(m, int32(hs[i]), es[i], sts[k], reqAt(requests, i))
		if err != nil {
			return h.ret(err)
		}
		failed = failed || st.Err != nil
		if err := writeStatus(m, statusAt(statuses, k), st, true); err != nil {
			return h.ret(err)
		}
	}
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
	done := e.pre || e.q.Done()
	if done && !e.pre {
		if err := writeStatus(m, status, e.q.Status(), false); err != nil {
			return h.ret(err)
		}
	}
	return h.out(c, flag, b2i(done))
}

func (h *Host) MpiRequestFree(c hostabi.Caller, request hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, request, "request")
	if err != nil {
		return h.ret(err)
	}
	e, err := h.req(handle)
	if err != nil {
		return h.ret(err)
	}
	if e.q != nil {
		if err := h.rank.RequestFree(e.q); err != nil {
			return h.ret(err)
		}
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
	if e.pre {
		return MPISuccess, nil
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
