package faasmpi

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

func inPlace(p hostabi.GuestPtr) bool { return p == FaasmpiInPlace }

// span is the guest layout of count elements of t at p (count*extent bytes
// from p+lb): what reductions operate on.
func span(m []byte, p hostabi.GuestPtr, count int, t *dt.Type) ([]byte, error) {
	if count < 0 {
		return nil, fmt.Errorf("count %d: %w", count, mpi.ErrCount)
	}
	lb, ext := t.Extent()
	off, n := int64(p)+lb, int64(count)*ext
	if off < 0 || n < 0 || off+n > int64(len(m)) {
		return nil, badPtr("buffer", p, n)
	}
	return m[off : off+n : off+n], nil
}

// guestCaller is the engine's caller when it can call back into the guest.
type guestCaller interface {
	CallTable(index uint32, args ...uint64) ([]uint64, error)
}

// predefinedPair says whether an op and a datatype handle are both
// predefined: neither can change or be freed, so the core's Op for the
// pair is made once (a closure per call costs an allocation on every
// reduction) and kept in Host.predOps.
func predefinedPair(o, dtHandle int32) bool {
	return o >= 0 && o < int32(op.FirstUserID) && dtHandle >= 0 && dtHandle < int32(dt.FirstDerivedID)
}

// reduceOp builds the core's Op for op handle o on datatype t.
func (h *Host) reduceOp(c hostabi.Caller, o int32, t *dt.Type, dtHandle int32) (mpi.Op, *userOp, error) {
	if predefinedPair(o, dtHandle) && h.predOps[o] != nil {
		if cached := h.predOps[o][dtHandle]; cached.Fn != nil {
			return cached, nil, nil // validated when it was made
		}
	}
	po, u, err := h.reduction(o)
	if err != nil {
		return mpi.Op{}, nil, err
	}
	if err := op.Allowed(po, t); err != nil {
		return mpi.Op{}, nil, err
	}
	lb, ext := t.Extent()
	if ext <= 0 {
		return mpi.Op{}, nil, fmt.Errorf("reduction on %v with extent %d: %w", t, ext, dt.ErrType)
	}
	if u == nil {
		fn, ok := op.Bind(po, t)
		if !ok {
			fn = func(in, inout []byte) {
				_ = op.ApplyAt(po, t, len(in)/int(ext), in, -lb, inout, -lb)
			}
		}
		mop := mpi.Op{Commute: true, ElemSize: int(ext), Fn: fn}
		if predefinedPair(o, dtHandle) {
			if h.predOps[o] == nil {
				h.predOps[o] = new([dt.FirstDerivedID]mpi.Op)
			}
			h.predOps[o][dtHandle] = mop
		}
		return mop, nil, nil
	}
	h.opErr = nil
	return mpi.Op{Commute: po.Commutative(), ElemSize: int(ext), Fn: func(in, inout []byte) {
		if err := h.callUser(c, u, in, inout, len(in)/int(ext), dtHandle); err != nil && h.opErr == nil {
			h.opErr = err
		}
	}}, u, nil
}

// callUser runs the guest's MPI_User_function on copies of in and inout
// placed in guest scratch memory, and copies the result back into inout.
func (h *Host) callUser(c hostabi.Caller, u *userOp, in, inout []byte, count int, dtHandle int32) error {
	gc, ok := c.(guestCaller)
	if !ok {
		return fmt.Errorf("user-defined op: the engine cannot call the guest")
	}
	n := len(in)
	r, err := gc.CallTable(u.scratch, uint64(2*n))
	if err != nil {
		return fmt.Errorf("user-defined op: %w", err)
	}
	p := hostabi.GuestPtr(uint32(r[0]))
	m := mem(c)
	a, err := view(m, p, int64(2*n), "op scratch")
	if err != nil || (p == 0 && n > 0) {
		return fmt.Errorf("user-defined op: no scratch memory for %d bytes", 2*n)
	}
	copy(a[:n], in)
	copy(a[n:], inout)
	if _, err := gc.CallTable(u.trampoline, uint64(uint32(u.fn)), uint64(p), uint64(p)+uint64(n), uint64(count), uint64(uint32(dtHandle))); err != nil {
		return fmt.Errorf("user-defined op: %w", err)
	}
	m = mem(c)
	copy(inout, m[int(p)+n:int(p)+2*n])
	return nil
}

func (h *Host) MpiBarrier(c hostabi.Caller, comm int32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(e.c.Barrier())
}

func (h *Host) MpiBcast(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, root int32, comm int32) (int32, error) {
	e, rb, err := h.recvArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	if rb.packed && e.c.Rank() == int(root) {
		if _, err := dt.Pack(rb.data, mem(c), int64(buf), int(count), rb.t); err != nil {
			return h.ret(err)
		}
	}
	if err := e.c.Bcast(rb.data, int(root)); err != nil {
		return h.ret(err)
	}
	if e.c.Rank() != int(root) {
		return h.ret(rb.finish(mem(c), len(rb.data)))
	}
	return MPISuccess, nil
}

// red is a resolved reduction: the communicator, the core's Op and the
// bytes it reduces. A receive type with gaps (a vector, a struct with
// padding) reduces into a host copy of the receive span; land copies only
// the type's data bytes back, so the gaps keep the guest's contents.
type red struct {
	e          *commEntry
	op         mpi.Op
	user       *userOp
	t          *dt.Type
	dtHandle   int32
	send, recv []byte
	inPlace    bool

	recvPtr hostabi.GuestPtr
	rcount  int
	copied  bool // recv is a host copy of the guest's span
}

// redArgs resolves a reduction on comm. The send buffer is nil with
// MPI_IN_PLACE; the receive buffer (rcount elements) is resolved only when
// wantRecv.
// A blocking call passes r = h.blockingRed() (nothing keeps it after the
// call); a non-blocking one passes a new red, which its request keeps.
func (h *Host) redArgs(r *red, c hostabi.Caller, comm, datatype, o int32, sendbuf, recvbuf hostabi.GuestPtr, scount, rcount int, wantRecv bool) (*red, error) {
	e, err := h.comm(comm)
	if err != nil {
		return nil, err
	}
	return h.redArgsE(r, c, e, datatype, o, sendbuf, recvbuf, scount, rcount, wantRecv)
}

// blockingRed is the reduction state of the blocking call in progress,
// reused from call to call.
func (h *Host) blockingRed() *red {
	h.red = red{}
	return &h.red
}

func (h *Host) redArgsE(r *red, c hostabi.Caller, e *commEntry, datatype, o int32, sendbuf, recvbuf hostabi.GuestPtr, scount, rcount int, wantRecv bool) (*red, error) {
	t, err := h.ctype(datatype)
	if err != nil {
		return nil, err
	}
	mop, u, err := h.reduceOp(c, o, t, datatype)
	if err != nil {
		return nil, err
	}
	*r = red{e: e, op: mop, user: u, t: t, dtHandle: datatype, inPlace: inPlace(sendbuf), recvPtr: recvbuf, rcount: rcount}
	m := mem(c)
	if !r.inPlace {
		if r.send, err = span(m, sendbuf, scount, t); err != nil {
			return nil, err
		}
	}
	if wantRecv {
		if r.recv, err = span(m, recvbuf, rcount, t); err != nil {
			return nil, err
		}
		if !t.Dense() {
			r.recv, r.copied = append([]byte(nil), r.recv...), true
		}
	}
	return r, nil
}

// land stores a host-copied result in the guest's receive buffer.
func (r *red) land(m []byte) error {
	if !r.copied {
		return nil
	}
	lb, _ := r.t.Extent()
	_, err := dt.Copy(m, int64(r.recvPtr), r.rcount, r.t, r.recv, -lb, r.rcount, r.t)
	return err
}

// done ends a blocking reduction: a failed user callback ends the guest,
// otherwise the result lands.
func (h *Host) done(c hostabi.Caller, r *red, err error) (int32, error) {
	if h.opErr != nil {
		e := h.opErr
		h.opErr = nil
		return 0, e
	}
	if err == nil {
		err = r.land(mem(c))
	}
	return h.ret(err)
}

func (h *Host) MpiReduce(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, root int32, comm int32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	isRoot := e.c.Rank() == int(root)
	r, err := h.redArgsE(h.blockingRed(), c, e, datatype, o, sendbuf, recvbuf, int(count), int(count), isRoot)
	if err != nil {
		return h.ret(err)
	}
	return h.done(c, r, e.c.Reduce(r.send, r.recv, r.op, int(root), r.inPlace && isRoot))
}

func (h *Host) MpiAllreduce(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, comm int32) (int32, error) {
	r, err := h.redArgs(h.blockingRed(), c, comm, datatype, o, sendbuf, recvbuf, int(count), int(count), true)
	if err != nil {
		return h.ret(err)
	}
	return h.done(c, r, r.e.c.Allreduce(r.send, r.recv, r.op, r.inPlace))
}

func (h *Host) MpiReduceLocal(c hostabi.Caller, inbuf hostabi.GuestPtr, inoutbuf hostabi.GuestPtr, count int32, datatype int32, o int32) (int32, error) {
	t, err := h.ctype(datatype)
	if err != nil {
		return h.ret(err)
	}
	po, u, err := h.reduction(o)
	if err != nil {
		return h.ret(err)
	}
	if u != nil {
		gc, ok := c.(guestCaller)
		if !ok {
			return 0, fmt.Errorf("user-defined op: the engine cannot call the guest")
		}
		_, err := gc.CallTable(u.trampoline, uint64(uint32(u.fn)), uint64(inbuf), uint64(inoutbuf), uint64(uint32(count)), uint64(uint32(datatype)))
		return 0, err
	}
	m := mem(c)
	return h.ret(op.ApplyAt(po, t, int(count), m, int64(inbuf), m, int64(inoutbuf)))
}

func (h *Host) MpiReduceScatter(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, recvcounts hostabi.GuestPtr, datatype int32, o int32, comm int32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	counts, err := getInts(mem(c), recvcounts, int32(e.c.Size()), "recvcounts")
	if err != nil {
		return h.ret(err)
	}
	return h.reduceScatter(c, e, sendbuf, recvbuf, counts, datatype, o)
}

func (h *Host) reduceScatter(c hostabi.Caller, e *commEntry, sendbuf, recvbuf hostabi.GuestPtr, counts []int, datatype, o int32) (int32, error) {
	total := 0
	for _, k := range counts {
		total += k
	}
	rcount := counts[e.c.Rank()]
	if inPlace(sendbuf) {
		rcount = total
	}
	r, err := h.redArgsE(h.blockingRed(), c, e, datatype, o, sendbuf, recvbuf, total, rcount, true)
	if err != nil {
		return h.ret(err)
	}
	bytes := make([]int, len(counts))
	for i, k := range counts {
		bytes[i] = k * r.op.ElemSize
	}
	return h.done(c, r, e.c.ReduceScatter(r.send, r.recv, bytes, r.op, r.inPlace))
}

func (h *Host) MpiReduceScatterBlock(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, recvcount int32, datatype int32, o int32, comm int32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	counts := make([]int, e.c.Size())
	for i := range counts {
		counts[i] = int(recvcount)
	}
	return h.reduceScatter(c, e, sendbuf, recvbuf, counts, datatype, o)
}

func (h *Host) MpiScan(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, comm int32) (int32, error) {
	r, err := h.redArgs(h.blockingRed(), c, comm, datatype, o, sendbuf, recvbuf, int(count), int(count), true)
	if err != nil {
		return h.ret(err)
	}
	return h.done(c, r, r.e.c.Scan(r.send, r.recv, r.op, r.inPlace))
}

func (h *Host) MpiExscan(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, comm int32) (int32, error) {
	r, err := h.redArgs(h.blockingRed(), c, comm, datatype, o, sendbuf, recvbuf, int(count), int(count), true)
	if err != nil {
		return h.ret(err)
	}
	return h.done(c, r, r.e.c.Exscan(r.send, r.recv, r.op, r.inPlace))
}

// ---- data movement ----

// blocks is a guest buffer of per-rank blocks (counts and displacements in
// elements of t) as the core sees it: bytes plus byte counts and
// displacements. Dense types with non-negative displacements are a view;
// anything else is packed into a host buffer.
type blocks struct {
	data           []byte
	counts, displs []int // bytes
	packed         bool
	ptr            hostabi.GuestPtr
	tys            []*dt.Type
	ecounts        []int
	edispls        []int64 // bytes from ptr
}

// countsArg says where a collective's per-rank counts and displacements
// (in elements) come from: count elements per rank packed in rank order
// (Gather, Scatter, Allgather), or the guest's arrays (the v variants).
type countsArg struct {
	vector         bool
	count          int32
	counts, displs hostabi.GuestPtr
}

func uniformCounts(count int32) countsArg { return countsArg{count: count} }

func vectorCounts(counts, displs hostabi.GuestPtr) countsArg {
	return countsArg{vector: true, counts: counts, displs: displs}
}

// countsOf resolves a for a communicator of n ranks.
func (h *Host) countsOf(c hostabi.Caller, a countsArg, n int) (counts, displs []int, err error) {
	if !a.vector {
		counts, displs = h.ar.uniformElems(n, int(a.count))
		return counts, displs, nil
	}
	m := mem(c)
	if counts, err = h.ar.getInts(m, a.counts, int32(n), "counts"); err != nil {
		return nil, nil, err
	}
	displs, err = h.ar.getInts(m, a.displs, int32(n), "displs")
	return counts, displs, err
}

func (a *arena) uniformElems(n, count int) (counts, displs []int) {
	counts, displs = a.intSlice(n), a.intSlice(n)
	for i := range counts {
		counts[i], displs[i] = count, i*count
	}
	return counts, displs
}

// layout resolves blocks whose displacements are in elements of t.
func (a *arena) layout(m []byte, p hostabi.GuestPtr, t *dt.Type, counts, displs []int) (*blocks, error) {
	_, ext := t.Extent()
	bd := a.int64Slice(len(displs))
	for i, d := range displs {
		bd[i] = int64(d) * ext
	}
	return a.layoutBytes(m, p, a.oneType(t), counts, bd)
}

// layoutBytes resolves blocks with byte displacements and per-block types
// (one type for all when len(ts) == 1).
func (a *arena) layoutBytes(m []byte, p hostabi.GuestPtr, ts []*dt.Type, counts []int, bdispls []int64) (*blocks, error) {
	b := a.newBlocks()
	*b = blocks{ptr: p, ecounts: counts, edispls: bdispls, counts: a.intSlice(len(counts)), displs: a.intSlice(len(counts))}
	tOf := func(i int) *dt.Type {
		if len(ts) == 1 {
			return ts[0]
		}
		return ts[i]
	}
	dense := len(ts) == 1 && ts[0].Dense()
	var end int64
	for i, k := range counts {
		if k < 0 {
			return nil, fmt.Errorf("count %d: %w", k, mpi.ErrCount)
		}
		if bdispls[i] < 0 {
			dense = false
		}
		end = max(end, bdispls[i]+int64(k)*tOf(i).Size())
	}
	if dense {
		t := ts[0]
		lb, _ := t.Extent()
		off := int64(p) + lb
		if off < 0 || off+end > int64(len(m)) {
			return nil, badPtr("buffer", p, end)
		}
		b.data = m[off : off+end : off+end]
		for i, k := range counts {
			b.counts[i], b.displs[i] = k*int(t.Size()), int(bdispls[i])
		}
		return b, nil
	}
	b.packed = true
	total := 0
	for i, k := range counts {
		if err := dt.CheckBounds(m, int64(p)+bdispls[i], k, tOf(i)); err != nil {
			return nil, err
		}
		b.displs[i], b.counts[i] = total, k*int(tOf(i).Size())
		total += b.counts[i]
	}
	b.data = make([]byte, total) // the core may keep it (a non-blocking call)
	b.tys = ts
	return b, nil
}

func (b *blocks) typeOf(i int) *dt.Type {
	if len(b.tys) == 1 {
		return b.tys[0]
	}
	return b.tys[i]
}

// pack copies the guest's blocks into the host buffer (send side).
func (b *blocks) pack(m []byte) error {
	if !b.packed {
		return nil
	}
	for i, k := range b.ecounts {
		if _, err := dt.Pack(b.data[b.displs[i]:], m, int64(b.ptr)+b.edispls[i], k, b.typeOf(i)); err != nil {
			return err
		}
	}
	return nil
}

// unpack copies received blocks into guest memory (receive side); only
// blocks i with want(i) are touched.
func (b *blocks) unpack(m []byte, want func(i int) bool) error {
	if !b.packed {
		return nil
	}
	for i, k := range b.ecounts {
		if want != nil && !want(i) {
			continue
		}
		if _, err := dt.Unpack(m, int64(b.ptr)+b.edispls[i], k, b.typeOf(i), b.data[b.displs[i]:b.displs[i]+b.counts[i]]); err != nil {
			return err
		}
	}
	return nil
}

func all(int) bool { return true }

// single resolves one block (the non-root side of rooted collectives).
func (a *arena) single(m []byte, p hostabi.GuestPtr, count int32, t *dt.Type) (*blocks, error) {
	counts, displs := a.intSlice(1), a.intSlice(1)
	counts[0] = int(count)
	return a.layout(m, p, t, counts, displs)
}

func (h *Host) collTypes(c hostabi.Caller, comm int32, types ...int32) (*commEntry, []*dt.Type, []byte, error) {
	e, err := h.comm(comm)
	if err != nil {
		return nil, nil, nil, err
	}
	ts := h.ar.typeSlice(len(types))
	for i, ty := range types {
		if ts[i], err = h.ctype(ty); err != nil {
			return nil, nil, nil, err
		}
	}
	return e, ts, mem(c), nil
}

func (h *Host) gatherv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount, sendtype int32, recvbuf hostabi.GuestPtr,
	rcounts countsArg, recvtype, root, comm int32,
) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	e, ts, m, err := h.collTypes(c, comm, recvtype)
	if err != nil {
		return h.ret(err)
	}
	isRoot := e.c.Rank() == int(root)
	ip := inPlace(sendbuf) && isRoot
	var send []byte
	if !ip {
		st, err := h.ctype(sendtype)
		if err != nil {
			return h.ret(err)
		}
		if send, err = sendData(m, sendbuf, sendcount, st); err != nil {
			return h.ret(err)
		}
	}
	// MPI_Gather's blocks are all one size, which every member knows, so
	// all of them can take mpi.Comm.Gather's paths for large blocks.
	uniform := !rcounts.vector
	if !isRoot {
		if uniform {
			return h.ret(e.c.Gather(send, nil, int(root), false))
		}
		return h.ret(e.c.Gatherv(send, nil, nil, nil, int(root), false))
	}
	counts, displs, err := h.countsOf(c, rcounts, e.c.Size())
	if err != nil {
		return h.ret(err)
	}
	rb, err := h.ar.layout(m, recvbuf, ts[0], counts, displs)
	if err != nil {
		return h.ret(err)
	}
	if ip {
		if err := rb.pack(m); err != nil {
			return h.ret(err)
		}
	}
	if uniform {
		// The blocks lie back to back, dense or packed; the root's own
		// goes in first, so the call places the others by the receive
		// block size, as MPI does, whatever the root sends.
		if !ip {
			blk := len(rb.data) / e.c.Size()
			copy(rb.data[int(root)*blk:(int(root)+1)*blk], send)
		}
		err = e.c.Gather(nil, rb.data, int(root), true)
	} else {
		err = e.c.Gatherv(send, rb.data, rb.counts, rb.displs, int(root), ip)
	}
	if err != nil {
		return h.ret(err)
	}
	return h.ret(rb.unpack(mem(c), all))
}

func (h *Host) MpiGather(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, root int32, comm int32) (int32, error) {
	return h.gatherv(c, sendbuf, sendcount, sendtype, recvbuf, uniformCounts(recvcount), recvtype, root, comm)
}

func (h *Host) MpiGatherv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcounts hostabi.GuestPtr, displs hostabi.GuestPtr, recvtype int32, root int32, comm int32) (int32, error) {
	return h.gatherv(c, sendbuf, sendcount, sendtype, recvbuf, vectorCounts(recvcounts, displs), recvtype, root, comm)
}

func (h *Host) scatterv(c hostabi.Caller, sendbuf hostabi.GuestPtr, scounts countsArg, sendtype int32,
	recvbuf hostabi.GuestPtr, recvcount, recvtype, root, comm int32,
) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	isRoot := e.c.Rank() == int(root)
	ip := inPlace(recvbuf) && isRoot
	var rb rbuf
	if !ip {
		rt, err := h.ctype(recvtype)
		if err != nil {
			return h.ret(err)
		}
		if rb, err = recvData(m, recvbuf, recvcount, rt); err != nil {
			return h.ret(err)
		}
	}
	if !isRoot {
		if err := e.c.Scatterv(nil, nil, nil, rb.data, int(root), false); err != nil {
			return h.ret(err)
		}
		return h.ret(rb.finish(mem(c), len(rb.data)))
	}
	st, err := h.ctype(sendtype)
	if err != nil {
		return h.ret(err)
	}
	counts, displs, err := h.countsOf(c, scounts, e.c.Size())
	if err != nil {
		return h.ret(err)
	}
	sb, err := h.ar.layout(m, sendbuf, st, counts, displs)
	if err != nil {
		return h.ret(err)
	}
	if err := sb.pack(m); err != nil {
		return h.ret(err)
	}
	if err := e.c.Scatterv(sb.data, sb.counts, sb.displs, rb.data, int(root), ip); err != nil {
		return h.ret(err)
	}
	return h.ret(rb.finish(mem(c), len(rb.data)))
}

func (h *Host) MpiScatter(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, root int32, comm int32) (int32, error) {
	return h.scatterv(c, sendbuf, uniformCounts(sendcount), sendtype, recvbuf, recvcount, recvtype, root, comm)
}

func (h *Host) MpiScatterv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcounts hostabi.GuestPtr, displs hostabi.GuestPtr, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, root int32, comm int32) (int32, error) {
	return h.scatterv(c, sendbuf, vectorCounts(sendcounts, displs), sendtype, recvbuf, recvcount, recvtype, root, comm)
}

func (h *Host) allgatherv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount, sendtype int32, recvbuf hostabi.GuestPtr,
	rcounts countsArg, recvtype, comm int32, nb hostabi.GuestPtr,
) (int32, error) {
	if nb == 0 {
		h.ar.begin()
		defer h.ar.end()
	}
	e, ts, m, err := h.collTypes(c, comm, recvtype)
	if err != nil {
		return h.ret(err)
	}
	ip := inPlace(sendbuf)
	var send []byte
	if !ip {
		st, err := h.ctype(sendtype)
		if err != nil {
			return h.ret(err)
		}
		if send, err = sendData(m, sendbuf, sendcount, st); err != nil {
			return h.ret(err)
		}
	}
	counts, displs, err := h.countsOf(c, rcounts, e.c.Size())
	if err != nil {
		return h.ret(err)
	}
	rb, err := h.ar.layout(m, recvbuf, ts[0], counts, displs)
	if err != nil {
		return h.ret(err)
	}
	if ip {
		if err := rb.pack(m); err != nil {
			return h.ret(err)
		}
	}
	if nb != 0 {
		q, err := e.c.Iallgather(send, rb.data, ip)
		if err != nil {
			return h.ret(err)
		}
		return h.nbReq(c, q, rb, nb)
	}
	if err := e.c.Allgatherv(send, rb.data, rb.counts, rb.displs, ip); err != nil {
		return h.ret(err)
	}
	return h.ret(rb.unpack(mem(c), all))
}

// nbReq registers a non-blocking collective's request; rb (if any) is
// unpacked when it completes.
func (h *Host) nbReq(c hostabi.Caller, q *mpi.Request, rb *blocks, request hostabi.GuestPtr) (int32, error) {
	re := &reqEntry{q: q}
	if rb != nil && rb.packed {
		re.finish = func(m []byte, st mpi.Status) error { return rb.unpack(m, all) }
	}
	return h.out(c, request, h.newReq(re))
}

func (h *Host) MpiAllgather(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, comm int32) (int32, error) {
	return h.allgatherv(c, sendbuf, sendcount, sendtype, recvbuf, uniformCounts(recvcount), recvtype, comm, 0)
}

func (h *Host) MpiAllgatherv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcounts hostabi.GuestPtr, displs hostabi.GuestPtr, recvtype int32, comm int32) (int32, error) {
	return h.allgatherv(c, sendbuf, sendcount, sendtype, recvbuf, vectorCounts(recvcounts, displs), recvtype, comm, 0)
}

// alltoall moves the blocks of Alltoall, Alltoallv and Alltoallw. uniform
// says the call is MPI_Alltoall: every rank moves equal, back-to-back
// blocks, which the core can exchange through its shared-memory board. The
// v and w variants cannot take that path even when this rank's blocks look
// uniform, since another rank's may not, and all must take the same one.
func (h *Host) alltoall(c hostabi.Caller, e *commEntry, sendbuf hostabi.GuestPtr, st []*dt.Type, scounts []int, sdispls []int64,
	recvbuf hostabi.GuestPtr, rt []*dt.Type, rcounts []int, rdispls []int64, nb hostabi.GuestPtr, uniform bool,
) (int32, error) {
	m := mem(c)
	ip := inPlace(sendbuf)
	rb, err := h.ar.layoutBytes(m, recvbuf, rt, rcounts, rdispls)
	if err != nil {
		return h.ret(err)
	}
	var sb *blocks
	if ip {
		if err := rb.pack(m); err != nil {
			return h.ret(err)
		}
		sb = &blocks{}
	} else {
		if sb, err = h.ar.layoutBytes(m, sendbuf, st, scounts, sdispls); err != nil {
			return h.ret(err)
		}
		if err := sb.pack(m); err != nil {
			return h.ret(err)
		}
	}
	if nb != 0 {
		q, err := e.c.Ialltoall(sb.data, rb.data, ip)
		if err != nil {
			return h.ret(err)
		}
		return h.nbReq(c, q, rb, nb)
	}
	if uniform && (ip || len(sb.data) == len(rb.data)) {
		err = e.c.Alltoall(sb.data, rb.data, ip)
	} else {
		err = e.c.Alltoallv(sb.data, sb.counts, sb.displs, rb.data, rb.counts, rb.displs, ip)
	}
	if err != nil {
		return h.ret(err)
	}
	return h.ret(rb.unpack(mem(c), all))
}

func (a *arena) elemDispls(ds []int, t *dt.Type) []int64 {
	_, ext := t.Extent()
	out := a.int64Slice(len(ds))
	for i, d := range ds {
		out[i] = int64(d) * ext
	}
	return out
}

func (h *Host) MpiAlltoall(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, comm int32) (int32, error) {
	return h.alltoallUniform(c, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, 0)
}

func (h *Host) alltoallUniform(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount, sendtype int32, recvbuf hostabi.GuestPtr, recvcount, recvtype, comm int32, nb hostabi.GuestPtr) (int32, error) {
	if nb == 0 {
		h.ar.begin()
		defer h.ar.end()
	}
	e, ts, _, err := h.collTypes(c, comm, recvtype)
	if err != nil {
		return h.ret(err)
	}
	n := e.c.Size()
	rc, rd := h.ar.uniformElems(n, int(recvcount))
	var st *dt.Type
	var sc, sd []int
	if !inPlace(sendbuf) {
		if st, err = h.ctype(sendtype); err != nil {
			return h.ret(err)
		}
		sc, sd = h.ar.uniformElems(n, int(sendcount))
	} else {
		st, sc, sd = ts[0], rc, rd
	}
	return h.alltoall(c, e, sendbuf, h.ar.oneType(st), sc, h.ar.elemDispls(sd, st), recvbuf, ts, rc, h.ar.elemDispls(rd, ts[0]), nb, true)
}

func (h *Host) MpiAlltoallv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcounts hostabi.GuestPtr, sdispls hostabi.GuestPtr, sendtype int32, recvbuf hostabi.GuestPtr, recvcounts hostabi.GuestPtr, rdispls hostabi.GuestPtr, recvtype int32, comm int32) (int32, error) {
	h.ar.begin()
	defer h.ar.end()
	e, ts, _, err := h.collTypes(c, comm, recvtype)
	if err != nil {
		return h.ret(err)
	}
	n := e.c.Size()
	rc, rd, err := h.countsOf(c, vectorCounts(recvcounts, rdispls), n)
	if err != nil {
		return h.ret(err)
	}
	st, sc, sd := ts[0], rc, rd
	if !inPlace(sendbuf) {
		if st, err = h.ctype(sendtype); err != nil {
			return h.ret(err)
		}
		if sc, sd, err = h.countsOf(c, vectorCounts(sendcounts, sdispls), n); err != nil {
			return h.ret(err)
		}
	}
	return h.alltoall(c, e, sendbuf, h.ar.oneType(st), sc, h.ar.elemDispls(sd, st), recvbuf, ts, rc, h.ar.elemDispls(rd, ts[0]), 0, false)
}

func (h *Host) MpiAlltoallw(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcounts hostabi.GuestPtr, sdispls hostabi.GuestPtr, sendtypes hostabi.GuestPtr, recvbuf hostabi.GuestPtr, recvcounts hostabi.GuestPtr, rdispls hostabi.GuestPtr, recvtypes hostabi.GuestPtr, comm int32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	n := int32(e.c.Size())
	side := func(counts, displs, types hostabi.GuestPtr) ([]*dt.Type, []int, []int64, error) {
		cs, ds, err := h.countsOf(c, vectorCounts(counts, displs), int(n))
		if err != nil {
			return nil, nil, nil, err
		}
		hs, err := getInts(mem(c), types, n, "types")
		if err != nil {
			return nil, nil, nil, err
		}
		ts := make([]*dt.Type, n)
		bd := make([]int64, n)
		for i, hd := range hs {
			if ts[i], err = h.ctype(int32(hd)); err != nil {
				return nil, nil, nil, err
			}
			bd[i] = int64(ds[i])
		}
		return ts, cs, bd, nil
	}
	rt, rc, rd, err := side(recvcounts, rdispls, recvtypes)
	if err != nil {
		return h.ret(err)
	}
	st, sc, sd := rt, rc, rd
	if !inPlace(sendbuf) {
		if st, sc, sd, err = side(sendcounts, sdispls, sendtypes); err != nil {
			return h.ret(err)
		}
	}
	return h.alltoall(c, e, sendbuf, st, sc, sd, recvbuf, rt, rc, rd, 0, false)
}

// ---- non-blocking collectives ----

func (h *Host) MpiIbarrier(c hostabi.Caller, comm int32, request hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	q, err := e.c.Ibarrier()
	if err != nil {
		return h.ret(err)
	}
	return h.nbReq(c, q, nil, request)
}

func (h *Host) MpiIbcast(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, root int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	e, t, m, err := h.p2pArgs(c, comm, datatype)
	if err != nil {
		return h.ret(err)
	}
	b, err := h.ar.single(m, buf, count, t)
	if err != nil {
		return h.ret(err)
	}
	if e.c.Rank() == int(root) {
		if err := b.pack(m); err != nil {
			return h.ret(err)
		}
	}
	q, err := e.c.Ibcast(b.data, int(root))
	if err != nil {
		return h.ret(err)
	}
	if e.c.Rank() == int(root) {
		b = nil
	}
	return h.nbReq(c, q, b, request)
}

func (h *Host) MpiIreduce(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, root int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	isRoot := e.c.Rank() == int(root)
	r, err := h.redArgsE(new(red), c, e, datatype, o, sendbuf, recvbuf, int(count), int(count), isRoot)
	if err != nil {
		return h.ret(err)
	}
	if r.user != nil {
		return h.ireduceUser(c, r, int(root), request)
	}
	q, err := e.c.Ireduce(r.send, r.recv, r.op, int(root), r.inPlace && isRoot)
	if err != nil {
		return h.ret(err)
	}
	return h.nbRed(c, q, r, request)
}

func (h *Host) MpiIallreduce(c hostabi.Caller, sendbuf hostabi.GuestPtr, recvbuf hostabi.GuestPtr, count int32, datatype int32, o int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	r, err := h.redArgs(new(red), c, comm, datatype, o, sendbuf, recvbuf, int(count), int(count), true)
	if err != nil {
		return h.ret(err)
	}
	if r.user != nil {
		return h.ireduceUser(c, r, -1, request)
	}
	q, err := r.e.c.Iallreduce(r.send, r.recv, r.op, r.inPlace)
	if err != nil {
		return h.ret(err)
	}
	return h.nbRed(c, q, r, request)
}

// nbRed registers a non-blocking reduction whose result lands at Wait/Test.
func (h *Host) nbRed(c hostabi.Caller, q *mpi.Request, r *red, request hostabi.GuestPtr) (int32, error) {
	re := &reqEntry{q: q}
	if r.copied {
		re.finish = func(m []byte, st mpi.Status) error { return r.land(m) }
	}
	return h.out(c, request, h.newReq(re))
}

// ireduceUser starts a non-blocking reduction with a user-defined op (root
// -1: to every rank). The op is a guest function, which may run only on the
// rank's own thread and never while the guest runs elsewhere, so the core
// merely gathers every rank's contribution in the background (Iallgather:
// no callback), and Wait/Test folds them in rank order with the guest
// function once the gather completes. The call itself never blocks, so
// traffic the other ranks send before joining cannot deadlock it.
func (h *Host) ireduceUser(c hostabi.Caller, r *red, root int, request hostabi.GuestPtr) (int32, error) {
	n := r.e.c.Size()
	here := root < 0 || r.e.c.Rank() == root
	mine := r.send
	if r.inPlace {
		if r.recv == nil {
			return h.errorf(mpi.ErrBuffer, "MPI_IN_PLACE is only valid at the root")
		}
		mine = r.recv
	}
	// A copy: the gather reads it after this call returns, and in place the
	// receive buffer is where the result goes.
	mine = append([]byte(nil), mine...)
	all := make([]byte, n*len(mine))
	q, err := r.e.c.Iallgather(mine, all, false)
	if err != nil {
		return h.ret(err)
	}
	re := &reqEntry{q: q}
	if here {
		re.guest = func(c hostabi.Caller) error {
			if err := h.fold(c, r, all, len(mine)); err != nil {
				return &callbackError{err}
			}
			return nil
		}
		re.finish = func(m []byte, st mpi.Status) error {
			if r.copied {
				return r.land(m)
			}
			return nil
		}
	}
	return h.out(c, request, h.newReq(re))
}

// fold reduces the n blocks of all (one per rank, in rank order) into r's
// receive buffer: v0 op v1 op ... op v(n-1), the order MPI defines for
// non-commutative ops. The guest function computes inout = in op inout, so
// the fold runs from the last rank down.
func (h *Host) fold(c hostabi.Caller, r *red, all []byte, blk int) error {
	n := len(all) / max(blk, 1)
	if blk == 0 || n == 0 {
		return nil
	}
	acc := all[(n-1)*blk:]
	count := blk / r.op.ElemSize
	for i := n - 2; i >= 0; i-- {
		if err := h.callUser(c, r.user, all[i*blk:(i+1)*blk], acc, count, r.dtHandle); err != nil {
			return err
		}
	}
	if r.copied {
		copy(r.recv, acc)
		return nil
	}
	lb, _ := r.t.Extent()
	_, err := dt.Copy(mem(c), int64(r.recvPtr), r.rcount, r.t, acc, -lb, r.rcount, r.t)
	return err
}

func (h *Host) MpiIallgather(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	return h.allgatherv(c, sendbuf, sendcount, sendtype, recvbuf, uniformCounts(recvcount), recvtype, comm, request)
}

func (h *Host) MpiIalltoall(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	if request < FaasmpiSpecialPtrLimit {
		return h.errorf(mpi.ErrArg, "request pointer %#x", uint32(request))
	}
	return h.alltoallUniform(c, sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, comm, request)
}
