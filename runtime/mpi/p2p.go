package mpi

// This file implements point-to-point calls on top of the matching engine.
// Buffers are contiguous bytes: the glue packs and unpacks derived datatypes
// with the datatype engine, and counts in Status are bytes.

import (
	"fmt"
	"sync/atomic"
)

// BsendOverhead is the bookkeeping space each buffered message takes in the
// attached buffer (MPI_BSEND_OVERHEAD).
const BsendOverhead = 64

func (c *Comm) check(loc string) error {
	if c == nil || c.freed {
		return fmt.Errorf("%s: %w", loc, ErrComm)
	}
	if c.r.finalized.Load() {
		return fmt.Errorf("%s: rank %d: %w", loc, c.r.id, ErrFinalized)
	}
	return nil
}

func (c *Comm) checkPeer(loc, key string, peer int, any bool) error {
	if peer == ProcNull || (any && peer == AnySource) {
		return nil
	}
	if peer < 0 || peer >= c.group.size() {
		return fmt.Errorf("%s: rank %d: %s %d not in %s of size %d: %w",
			loc, c.r.id, key, peer, c.Name(), c.group.size(), ErrRank)
	}
	return nil
}

func (c *Comm) checkTag(loc string, tag int, any bool) error {
	if (tag < 0 || tag > TagUB) && !(any && tag == AnyTag) {
		return fmt.Errorf("%s: rank %d: tag %d: %w", loc, c.r.id, tag, ErrTag)
	}
	return nil
}

var sendNames = [...]string{
	modeStandard: "MPI_Send", modeSync: "MPI_Ssend", modeBuffered: "MPI_Bsend", modeReady: "MPI_Rsend",
}

var isendNames = [...]string{
	modeStandard: "MPI_Isend", modeSync: "MPI_Issend", modeBuffered: "MPI_Ibsend", modeReady: "MPI_Irsend",
}

func (c *Comm) newSend(ctx ContextID, owner *waiter, buf []byte, dest, tag int, mode sendMode, fn string) *Request {
	return c.fillSend(new(Request), ctx, owner, buf, dest, tag, mode, fn)
}

func (c *Comm) fillSend(q *Request, ctx ContextID, owner *waiter, buf []byte, dest, tag int, mode sendMode, fn string) *Request {
	q.kind, q.r, q.owner, q.comm, q.ctx, q.buf, q.peer, q.tag, q.mode = reqSend, c.r, owner, c, ctx, buf, dest, tag, mode
	q.call = call{fn: fn, peerKey: "dest", peer: dest, tag: tag, hasTag: true, comm: c}
	return q
}

func (c *Comm) newRecv(ctx ContextID, owner *waiter, buf []byte, src, tag int, fn string) *Request {
	return c.fillRecv(new(Request), ctx, owner, buf, src, tag, fn)
}

func (c *Comm) fillRecv(q *Request, ctx ContextID, owner *waiter, buf []byte, src, tag int, fn string) *Request {
	q.kind, q.r, q.owner, q.comm, q.ctx, q.buf, q.peer, q.tag = reqRecv, c.r, owner, c, ctx, buf, src, tag
	q.call = call{fn: fn, peerKey: "source", peer: src, tag: tag, hasTag: true, comm: c}
	return q
}

// popRequest takes a zeroed request from a free list, or makes one.
func popRequest(free *[]*Request) *Request {
	if n := len(*free); n > 0 {
		q := (*free)[n-1]
		*free = (*free)[:n-1]
		return q
	}
	return new(Request)
}

// nbRequest returns a zeroed request for a non-blocking point-to-point
// call of the rank's own goroutine, recycled when one was given back
// (Recycle). A request is 384 bytes: allocating one per Isend and Irecv
// made the Go heap a point of contention between the ranks.
func (r *Rank) nbRequest() *Request {
	q := popRequest(&r.nbFree)
	q.pooled = true
	return q
}

// Recycle gives back a non-blocking point-to-point request that Wait or
// Test retired and whose handle the glue dropped: nothing refers to it any
// more once its completer has finished with it (settled). Any other
// request is left to the garbage collector.
func (r *Rank) Recycle(q *Request) {
	if q == nil || !q.pooled || !q.freed || q.persistent || q.mode == modeBuffered || !q.settled.Load() {
		return
	}
	*q = Request{}
	r.nbFree = append(r.nbFree, q)
}

// tempRequest returns a zeroed request for a blocking call of the rank's
// own goroutine, from the rank's free list; putRequest returns it once the
// call saw it complete. Nothing else keeps such a request: it never reaches
// the guest, and completion does not touch it after publishing done.
func (r *Rank) tempRequest() *Request {
	q := popRequest(&r.free)
	q.temp = true
	return q
}

func (r *Rank) putRequest(q *Request) {
	if q.mode == modeBuffered {
		return // the buffered copy is sent by an inner request; keep it simple
	}
	*q = Request{}
	r.free = append(r.free, q)
}

func (c *Comm) tempSend(ctx ContextID, buf []byte, dest, tag int, mode sendMode, fn string) *Request {
	return c.fillSend(c.r.tempRequest(), ctx, c.r.wt, buf, dest, tag, mode, fn)
}

func (c *Comm) tempRecv(ctx ContextID, buf []byte, src, tag int, fn string) *Request {
	return c.fillRecv(c.r.tempRequest(), ctx, c.r.wt, buf, src, tag, fn)
}

// startSend hands q's message to the transport: eager messages complete at
// once, rendezvous/synchronous ones when the receiver calls Remote.Done.
func (r *Rank) startSend(q *Request) {
	if q.peer == ProcNull {
		q.complete(Status{Source: ProcNull, Tag: AnyTag})
		return
	}
	if q.mode == modeBuffered {
		r.startBsend(q)
		return
	}
	c := q.comm
	env := &q.env
	*env = Envelope{Context: q.ctx, Source: c.rank, Tag: q.tag, From: r.id, To: c.group.ranks[q.peer], Size: len(q.buf)}
	if q.mode != modeSync && len(q.buf) <= r.w.eager {
		env.Data = q.buf
		if r.sendLocal(q, env) {
			q.complete(Status{})
			return
		}
		err := r.w.tr.Send(env)
		q.complete(Status{Err: wrapSendErr(r, err)})
		return
	}
	env.Remote = (*origin)(q)
	if r.sendLocal(q, env) {
		return
	}
	if err := r.w.tr.Send(env); err != nil {
		q.complete(Status{Err: wrapSendErr(r, err)})
	}
}

func wrapSendErr(r *Rank, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("mpi.send: rank %d: %w", r.id, err)
}

func (r *Rank) startRecv(q *Request) {
	if q.peer == ProcNull {
		q.complete(Status{Source: ProcNull, Tag: AnyTag})
		return
	}
	r.m.post(q)
}

// block waits for q on behalf of the blocking call described by q.call.
func (r *Rank) blockOn(wt *waiter, q *Request, loc string) error {
	if err := wt.block(q.call, q.done.Load); err != nil {
		return fmt.Errorf("%s: rank %d: %w", loc, r.id, err)
	}
	return nil
}

func (c *Comm) send(loc string, buf []byte, dest, tag int, mode sendMode) error {
	if err := c.checkSendArgs(loc, dest, tag); err != nil {
		return err
	}
	if mode == modeStandard && c.sendEager(buf, dest, tag) {
		return nil
	}
	q := c.tempSend(c.ctx, buf, dest, tag, mode, sendNames[mode])
	c.r.startSend(q)
	if !q.done.Load() {
		if err := c.r.blockOn(c.r.wt, q, loc); err != nil {
			return err // q may still be matched later: not recycled
		}
	}
	err := q.status.Err
	c.r.putRequest(q)
	return err
}

func (c *Comm) checkSendArgs(loc string, dest, tag int) error {
	if err := c.check(loc); err != nil {
		return err
	}
	if err := c.checkPeer(loc, "dest", dest, false); err != nil {
		return err
	}
	return c.checkTag(loc, tag, false)
}

func (c *Comm) isend(loc string, buf []byte, dest, tag int, mode sendMode, persistent bool) (*Request, error) {
	if err := c.checkSendArgs(loc, dest, tag); err != nil {
		return nil, err
	}
	if persistent {
		q := c.newSend(c.ctx, c.r.wt, buf, dest, tag, mode, isendNames[mode])
		q.persistent = true
		return q, nil
	}
	q := c.fillSend(c.r.nbRequest(), c.ctx, c.r.wt, buf, dest, tag, mode, isendNames[mode])
	c.r.startSend(q)
	return q, nil
}

// Send is MPI_Send: eager below the world's eager limit (returns at once),
// otherwise it returns when the receiver has copied the data.
func (c *Comm) Send(buf []byte, dest, tag int) error {
	return c.send("mpi.send", buf, dest, tag, modeStandard)
}

// Ssend is MPI_Ssend: returns only once a matching receive took the message.
func (c *Comm) Ssend(buf []byte, dest, tag int) error {
	return c.send("mpi.ssend", buf, dest, tag, modeSync)
}

// Bsend is MPI_Bsend: copies into attached buffer space and returns.
func (c *Comm) Bsend(buf []byte, dest, tag int) error {
	return c.send("mpi.bsend", buf, dest, tag, modeBuffered)
}

// Rsend is MPI_Rsend; it behaves as Send (a ready send without a posted
// receive is erroneous, so Send's behaviour is allowed).
func (c *Comm) Rsend(buf []byte, dest, tag int) error {
	return c.send("mpi.rsend", buf, dest, tag, modeReady)
}

// Isend is MPI_Isend. buf must stay valid until the request completes.
func (c *Comm) Isend(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.isend", buf, dest, tag, modeStandard, false)
}

// Issend is MPI_Issend: completes when matched.
func (c *Comm) Issend(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.issend", buf, dest, tag, modeSync, false)
}

// Ibsend is MPI_Ibsend: copies into attached buffer space; completes at once.
func (c *Comm) Ibsend(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.ibsend", buf, dest, tag, modeBuffered, false)
}

// Irsend is MPI_Irsend (as Isend).
func (c *Comm) Irsend(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.irsend", buf, dest, tag, modeReady, false)
}

// SendInit is MPI_Send_init: an inactive persistent send; Rank.Start runs it.
func (c *Comm) SendInit(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.send_init", buf, dest, tag, modeStandard, true)
}

// SsendInit is MPI_Ssend_init.
func (c *Comm) SsendInit(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.ssend_init", buf, dest, tag, modeSync, true)
}

// BsendInit is MPI_Bsend_init.
func (c *Comm) BsendInit(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.bsend_init", buf, dest, tag, modeBuffered, true)
}

// RsendInit is MPI_Rsend_init.
func (c *Comm) RsendInit(buf []byte, dest, tag int) (*Request, error) {
	return c.isend("mpi.rsend_init", buf, dest, tag, modeReady, true)
}

func (c *Comm) checkRecvArgs(loc string, src, tag int) error {
	if err := c.check(loc); err != nil {
		return err
	}
	if err := c.checkPeer(loc, "source", src, true); err != nil {
		return err
	}
	return c.checkTag(loc, tag, true)
}

// Recv is MPI_Recv: source may be AnySource or ProcNull, tag may be AnyTag.
// A message longer than buf fills buf and fails with ErrTruncate; the
// status is filled either way.
func (c *Comm) Recv(buf []byte, source, tag int) (Status, error) {
	const loc = "mpi.recv"
	if err := c.checkRecvArgs(loc, source, tag); err != nil {
		return Status{}, err
	}
	if source != ProcNull {
		from := sourceRank(c, source)
		if st, ok := c.r.m.take(c.ctx, from, source, tag, buf); ok {
			return st, st.Err
		}
		if st, ok := c.r.m.awaitTake(c.ctx, from, source, tag, buf, !c.r.w.yield); ok {
			return st, st.Err
		}
	}
	q := c.tempRecv(c.ctx, buf, source, tag, "MPI_Recv")
	c.r.startRecv(q)
	if !q.done.Load() {
		if err := c.r.blockOn(c.r.wt, q, loc); err != nil {
			return Status{}, err // q may still be matched later: not recycled
		}
	}
	st := q.status
	c.r.putRequest(q)
	return st, st.Err
}

// Irecv is MPI_Irecv. buf must stay valid until the request completes.
func (c *Comm) Irecv(buf []byte, source, tag int) (*Request, error) {
	if err := c.checkRecvArgs("mpi.irecv", source, tag); err != nil {
		return nil, err
	}
	q := c.fillRecv(c.r.nbRequest(), c.ctx, c.r.wt, buf, source, tag, "MPI_Irecv")
	c.r.startRecv(q)
	return q, nil
}

// RecvInit is MPI_Recv_init: an inactive persistent receive.
func (c *Comm) RecvInit(buf []byte, source, tag int) (*Request, error) {
	if err := c.checkRecvArgs("mpi.recv_init", source, tag); err != nil {
		return nil, err
	}
	q := c.newRecv(c.ctx, c.r.wt, buf, source, tag, "MPI_Recv_init")
	q.persistent = true
	return q, nil
}

// Sendrecv is MPI_Sendrecv: the receive is posted before the send, so two
// ranks exchanging with each other never deadlock.
func (c *Comm) Sendrecv(sbuf []byte, dest, stag int, rbuf []byte, source, rtag int) (Status, error) {
	const loc = "mpi.sendrecv"
	if err := c.checkSendArgs(loc, dest, stag); err != nil {
		return Status{}, err
	}
	if err := c.checkRecvArgs(loc, source, rtag); err != nil {
		return Status{}, err
	}
	rq := c.tempRecv(c.ctx, rbuf, source, rtag, "MPI_Sendrecv")
	c.r.startRecv(rq)
	sq := c.tempSend(c.ctx, sbuf, dest, stag, modeStandard, "MPI_Sendrecv")
	c.r.startSend(sq)
	for _, q := range [2]*Request{sq, rq} {
		if !q.done.Load() {
			if err := c.r.blockOn(c.r.wt, q, loc); err != nil {
				return Status{}, err
			}
		}
	}
	st, err := rq.status, rq.status.Err
	if sq.status.Err != nil {
		err = sq.status.Err
	}
	c.r.putRequest(sq)
	c.r.putRequest(rq)
	return st, err
}

// SendrecvReplace is MPI_Sendrecv_replace: buf is sent, then overwritten
// with the received message.
func (c *Comm) SendrecvReplace(buf []byte, dest, stag, source, rtag int) (Status, error) {
	tmp := make([]byte, len(buf))
	st, err := c.Sendrecv(buf, dest, stag, tmp, source, rtag)
	copy(buf, tmp[:st.Count])
	return st, err
}

// Probe blocks until a message matching (source, tag) can be received and
// returns its status without receiving it (MPI_Probe). The next matching
// Recv on this communicator gets that message.
func (c *Comm) Probe(source, tag int) (Status, error) {
	const loc = "mpi.probe"
	if err := c.checkRecvArgs(loc, source, tag); err != nil {
		return Status{}, err
	}
	if source == ProcNull {
		return Status{Source: ProcNull, Tag: AnyTag}, nil
	}
	q := c.newRecv(c.ctx, c.r.wt, nil, source, tag, "MPI_Probe")
	q.kind = reqProbe
	if st, ok := c.r.m.probe(q, true); ok {
		return st, nil
	}
	if err := c.r.blockOn(c.r.wt, q, loc); err != nil {
		return Status{}, err
	}
	return q.status, nil
}

// Iprobe is MPI_Iprobe.
func (c *Comm) Iprobe(source, tag int) (bool, Status, error) {
	if err := c.checkRecvArgs("mpi.iprobe", source, tag); err != nil {
		return false, Status{}, err
	}
	if source == ProcNull {
		return true, Status{Source: ProcNull, Tag: AnyTag}, nil
	}
	q := c.newRecv(c.ctx, c.r.wt, nil, source, tag, "MPI_Iprobe")
	st, ok := c.r.m.probe(q, false)
	return ok, st, nil
}

// bsendState accounts for the attached buffer (MPI_Buffer_attach). The data
// itself is copied to Go memory: guest views do not outlive a call.
type bsendState struct {
	size     int
	attached bool
	used     atomic.Int64
	pending  atomic.Int64
}

// BufferAttach attaches size bytes of buffer space for buffered sends.
func (r *Rank) BufferAttach(size int) error {
	if r.bsend.attached {
		return fmt.Errorf("mpi.buffer_attach: rank %d: buffer already attached: %w", r.id, ErrBuffer)
	}
	if size < 0 {
		return fmt.Errorf("mpi.buffer_attach: rank %d: size %d: %w", r.id, size, ErrBuffer)
	}
	r.bsend.size, r.bsend.attached = size, true
	return nil
}

// BufferDetach waits until every buffered message has been delivered and
// returns the attached size (MPI_Buffer_detach).
func (r *Rank) BufferDetach() (int, error) {
	if !r.bsend.attached {
		return 0, fmt.Errorf("mpi.buffer_detach: rank %d: no buffer attached: %w", r.id, ErrBuffer)
	}
	err := r.wt.block(call{fn: "MPI_Buffer_detach"}, func() bool { return r.bsend.pending.Load() == 0 })
	if err != nil {
		return 0, fmt.Errorf("mpi.buffer_detach: rank %d: %w", r.id, err)
	}
	r.bsend.attached = false
	return r.bsend.size, nil
}

// startBsend copies q's message into buffer space and sends the copy as an
// internal standard send; q itself completes at once.
func (r *Rank) startBsend(q *Request) {
	need := int64(len(q.buf) + BsendOverhead)
	if !r.bsend.attached || r.bsend.used.Load()+need > int64(r.bsend.size) {
		q.complete(Status{Err: fmt.Errorf("mpi.bsend: rank %d: %d-byte message does not fit the %d-byte attached buffer (%d used): %w",
			r.id, len(q.buf), r.bsend.size, r.bsend.used.Load(), ErrBuffer)})
		return
	}
	r.bsend.used.Add(need)
	r.bsend.pending.Add(1)
	inner := q.comm.newSend(q.ctx, r.wt, append([]byte(nil), q.buf...), q.peer, q.tag, modeStandard, "MPI_Bsend")
	inner.onDone = func() {
		r.bsend.used.Add(-need)
		r.bsend.pending.Add(-1)
	}
	r.startSend(inner)
	q.complete(Status{})
}
