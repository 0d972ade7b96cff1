package mpi

// This file implements the collective machinery and the synchronising and
// reducing collectives. Every collective runs over the point-to-point engine
// on the communicator's collective context (ctx|1) with one tag per call
// (the communicator's collective sequence number, which all members advance
// in the same order), so collective traffic never matches user messages and
// overlapping non-blocking collectives never match each other.
//
// Buffers are contiguous bytes; the glue packs derived datatypes with the
// datatype engine before calling and unpacks after.
//
// Algorithms are written over a list of participating ranks, so the same
// code runs flat (all ranks) or as one level of a two-level, locality-aware
// scheme: intra-host step, then one message per remote host per step between
// host leaders (the lowest rank on each host), then intra-host again.
// Reductions keep rank order (binomial trees over contiguous rank blocks,
// recursive doubling with lower-block-first combining), so non-commutative
// ops are correct and results do not depend on timing. The two-level
// schemes are used only for commutative ops, since they regroup ranks by
// host.

import (
	"fmt"
	"slices"
)

// ReduceFunc combines two vectors element-wise: inout[i] = in[i] op inout[i]
// (the MPI user-function convention; in holds the lower ranks' operand).
type ReduceFunc func(in, inout []byte)

// Op is a reduction operation on contiguous bytes. The op engine supplies
// Fn for predefined ops on predefined types; user ops call back into the
// guest.
type Op struct {
	Fn      ReduceFunc
	Commute bool // commutative (MPI_Op_create's commute flag)
	// ElemSize is the element size in bytes; algorithms that split vectors
	// between ranks split on multiples of it. 0 disables splitting.
	ElemSize int
}

// coll is one collective call in progress.
type coll struct {
	c    *Comm
	wt   *waiter
	ctx  ContextID
	tag  int
	call call
}

// begin starts collective fn on c, reserving its tag. It runs in the
// calling rank's goroutine, also for non-blocking collectives, so tags
// follow the program order of collective calls.
func (c *Comm) begin(fn string) (*coll, error) {
	if c == nil || c.freed || c.r.finalized.Load() {
		// The location is built only here: string building on every
		// collective showed up in profiles of small ones.
		return nil, c.check("mpi." + collLoc(fn))
	}
	cs := c.shared()
	if cs.pending == 0 { // else the C fast path began this call (coll.resumed)
		cs.seq++
	}
	// Blocking collectives never nest, so one coll per rank serves them
	// all; icoll copies it for its helper goroutine.
	x := &c.r.cx
	*x = coll{c: c, wt: c.r.wt, ctx: c.ctx | 1, tag: int(cs.seq & TagUB), call: call{fn: fn, comm: c}}
	return x, nil
}

func collLoc(fn string) string {
	b := []byte(fn)
	if len(b) > 4 && string(b[:4]) == "MPI_" {
		b = b[4:]
	}
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

func (x *coll) errorf(format string, args ...any) error {
	prefix := fmt.Sprintf("mpi.%s: rank %d: ", collLoc(x.call.fn), x.c.r.id)
	return fmt.Errorf(prefix+format, args...)
}

// isend and irecv start the collective's messages. On the rank's own
// goroutine (blocking collectives) the requests are recycled by wait.
func (x *coll) isend(buf []byte, dst int) *Request {
	var q *Request
	if x.wt == x.c.r.wt {
		q = x.c.tempSend(x.ctx, buf, dst, x.tag, modeStandard, x.call.fn)
	} else {
		q = x.c.newSend(x.ctx, x.wt, buf, dst, x.tag, modeStandard, x.call.fn)
	}
	q.call = x.call
	x.c.r.startSend(q)
	return q
}

func (x *coll) irecv(buf []byte, src int) *Request {
	var q *Request
	if x.wt == x.c.r.wt {
		q = x.c.tempRecv(x.ctx, buf, src, x.tag, x.call.fn)
	} else {
		q = x.c.newRecv(x.ctx, x.wt, buf, src, x.tag, x.call.fn)
	}
	q.call = x.call
	x.c.r.startRecv(q)
	return q
}

func (x *coll) wait(qs ...*Request) error { return x.waitCounts(qs, nil) }

// waitCounts is wait that also stores each request's count in counts
// (nil: not wanted).
func (x *coll) waitCounts(qs []*Request, counts []int) error {
	var first error
	for i, q := range qs {
		if q == nil {
			continue
		}
		if !q.done.Load() {
			if err := x.wt.block(x.call, q.done.Load); err != nil {
				return fmt.Errorf("mpi.%s: rank %d: %w", collLoc(x.call.fn), x.c.r.id, err)
			}
		}
		if q.status.Err != nil && first == nil {
			first = fmt.Errorf("mpi.%s: %w", collLoc(x.call.fn), q.status.Err)
		}
		if counts != nil {
			counts[i] = q.status.Count
		}
		if q.temp {
			x.c.r.putRequest(q)
		}
	}
	return first
}

// scratch returns an n-byte temporary. Blocking collectives reuse one
// buffer per rank (they never nest), which saves a large allocation and
// its zeroing per call; non-blocking ones allocate.
func (x *coll) scratch(n int) []byte {
	r := x.c.r
	if x.wt != r.wt {
		return make([]byte, n)
	}
	if cap(r.scratch) < n {
		r.scratch = make([]byte, n)
	}
	return r.scratch[:n]
}

func (x *coll) send(buf []byte, dst int) error { return x.wait(x.isend(buf, dst)) }
func (x *coll) recv(buf []byte, src int) error { return x.wait(x.irecv(buf, src)) }
func (x *coll) sendrecv(sbuf []byte, dst int, rbuf []byte, src int) error {
	rq := x.irecv(rbuf, src)
	return x.wait(x.isend(sbuf, dst), rq)
}

// layout groups a communicator's ranks by host.
type layout struct {
	hosts   [][]int // comm ranks per host, hosts ordered by their lowest rank
	leaders []int   // hosts[i][0]
	myHost  int     // index into hosts
	myIdx   int     // index into hosts[myHost]
}

func (c *Comm) layout() layout {
	var l layout
	idx := map[int]int{}
	for r, w := range c.group.ranks {
		h := c.r.w.hosts[w]
		i, ok := idx[h]
		if !ok {
			i = len(l.hosts)
			idx[h] = i
			l.hosts = append(l.hosts, nil)
			l.leaders = append(l.leaders, r)
		}
		if r == c.rank {
			l.myHost, l.myIdx = i, len(l.hosts[i])
		}
		l.hosts[i] = append(l.hosts[i], r)
	}
	return l
}

func (c *Comm) singleHost() bool {
	if !c.r.w.multiHost {
		return true
	}
	return len(c.layout().hosts) == 1
}

func seqRanks(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Barrier is MPI_Barrier.
func (c *Comm) Barrier() error {
	x, err := c.begin("MPI_Barrier")
	if err != nil {
		return err
	}
	return x.barrier()
}

func (x *coll) barrier() error {
	c := x.c
	if b := x.shmFor(0); b != nil {
		return x.barrierShm(b)
	}
	if c.singleHost() {
		return x.barrierOn(seqRanks(c.Size()), c.rank)
	}
	l := c.layout()
	local := l.hosts[l.myHost]
	if err := x.reduceOn(local, l.myIdx, nil, Op{}); err != nil {
		return err
	}
	if l.myIdx == 0 {
		if err := x.barrierOn(l.leaders, l.myHost); err != nil {
			return err
		}
	}
	return x.bcastOn(local, l.myIdx, 0, nil)
}

// barrierOn is the dissemination barrier: ceil(log2 n) rounds of zero-byte
// messages, no root.
func (x *coll) barrierOn(ranks []int, me int) error {
	n := len(ranks)
	for k := 1; k < n; k <<= 1 {
		if err := x.sendrecv(nil, ranks[(me+k)%n], nil, ranks[(me-k+n)%n]); err != nil {
			return err
		}
	}
	return nil
}

// Bcast is MPI_Bcast.
func (c *Comm) Bcast(buf []byte, root int) error {
	x, err := c.begin("MPI_Bcast")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	return x.bcast(buf, root)
}

func (x *coll) checkRoot(root int) error {
	x.call.peerKey, x.call.peer = "root", root
	if root < 0 || root >= x.c.Size() {
		return fmt.Errorf("mpi.%s: rank %d: root %d of %d: %w", collLoc(x.call.fn), x.c.r.id, root, x.c.Size(), ErrRoot)
	}
	return nil
}

func (x *coll) bcast(buf []byte, root int) error {
	c := x.c
	if b := x.localBoard(); b != nil {
		if len(buf) <= shmBcastMax {
			return x.bcastShm(b, buf, root)
		}
		return x.bcastDirect(b, buf, root)
	}
	if c.singleHost() {
		return x.bcastOn(seqRanks(c.Size()), c.rank, root, buf)
	}
	l := c.layout()
	local := l.hosts[l.myHost]
	// root -> its host leader, leaders among themselves, leaders -> hosts.
	rootHost, rootIdx := 0, 0
	for h, rs := range l.hosts {
		if i := slices.Index(rs, root); i >= 0 {
			rootHost, rootIdx = h, i
		}
	}
	if rootIdx != 0 {
		if c.rank == root {
			if err := x.send(buf, l.leaders[rootHost]); err != nil {
				return err
			}
		} else if c.rank == l.leaders[rootHost] {
			if err := x.recv(buf, root); err != nil {
				return err
			}
		}
	}
	if l.myIdx == 0 {
		if err := x.bcastOn(l.leaders, l.myHost, rootHost, buf); err != nil {
			return err
		}
	}
	return x.bcastOn(local, l.myIdx, 0, buf)
}

// bcastOn is a binomial-tree broadcast from ranks[root]; a node sends to
// all its children at once so large rendezvous copies overlap.
func (x *coll) bcastOn(ranks []int, me, root int, buf []byte) error {
	n := len(ranks)
	rel := (me - root + n) % n
	mask := 1
	for mask < n {
		if rel&mask != 0 {
			if err := x.recv(buf, ranks[(rel-mask+root)%n]); err != nil {
				return err
			}
			break
		}
		mask <<= 1
	}
	var qbuf [8]*Request
	qs := qbuf[:0]
	for mask >>= 1; mask > 0; mask >>= 1 {
		if rel+mask < n {
			qs = append(qs, x.isend(buf, ranks[(rel+mask+root)%n]))
		}
	}
	return x.wait(qs...)
}

// reduceOn reduces acc over ranks in rank order with a binomial tree; the
// result ends in ranks[0]'s acc. With op.Fn nil it only synchronises
// (everyone has arrived once ranks[0] returns).
func (x *coll) reduceOn(ranks []int, me int, acc []byte, op Op) error {
	_, err := x.reduceInto(ranks, me, acc, acc, op)
	return err
}

// reduceInto is reduceOn for an input it must not write unless it is also
// dst: a guest's send buffer, whose clone cost a large reduction an
// allocation and a copy per call. ranks[0] gets the result in dst (with
// dst nil, in the returned slice); every rank receives each child's block
// into a buffer that no longer holds an operand (dst first, then two
// scratch halves), so at the root the first child's block lands in dst and
// is combined there in place.
func (x *coll) reduceInto(ranks []int, me int, in, dst []byte, op Op) ([]byte, error) {
	n, size := len(ranks), len(in)
	acc := in
	bufs := make([][]byte, 0, 3)
	if dst != nil {
		bufs = append(bufs, dst[:size:size])
	}
	free := func() []byte {
		for _, b := range bufs {
			if !sameStart(b, acc) {
				return b
			}
		}
		// dst (if any) holds the operand: take two scratch halves, one of
		// which is free now and stays so once the other holds acc.
		s := x.scratch(2 * size)
		bufs = append(bufs, s[:size:size], s[size:])
		return bufs[len(bufs)-2]
	}
	for mask := 1; mask < n; mask <<= 1 {
		if me&mask != 0 {
			return acc, x.send(acc, ranks[me-mask])
		}
		if me+mask < n {
			b := free()
			if err := x.recv(b, ranks[me+mask]); err != nil {
				return nil, err
			}
			if op.Fn != nil {
				op.Fn(acc, b) // b = acc(lower block) op b(upper block)
				acc = b
			}
		}
	}
	if dst != nil && !sameStart(acc, dst) {
		copy(dst, acc)
		acc = dst[:size]
	}
	return acc, nil
}

// sameStart reports whether a and b start at the same byte (two empty
// slices never do, so an empty buffer is always free to receive into).
func sameStart(a, b []byte) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

func (x *coll) checkOp(op Op) error {
	if op.Fn == nil {
		return fmt.Errorf("mpi.%s: rank %d: nil reduction: %w", collLoc(x.call.fn), x.c.r.id, ErrOp)
	}
	return nil
}

// Reduce is MPI_Reduce: recv (significant at root only) gets the reduction
// of every rank's send. With inPlace the root's input is recv itself and its
// send is ignored. len(recv) at root must equal len(send) elsewhere.
func (c *Comm) Reduce(send, recv []byte, op Op, root int, inPlace bool) error {
	x, err := c.begin("MPI_Reduce")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	if err := x.checkOp(op); err != nil {
		return err
	}
	return x.reduce(send, recv, op, root, inPlace)
}

func (x *coll) reduce(send, recv []byte, op Op, root int, inPlace bool) error {
	c := x.c
	in := send
	if inPlace && c.rank == root {
		in = recv
	}
	if c.rank == root && len(recv) < len(in) {
		return x.errorf("%d-byte receive buffer for %d bytes: %w", len(recv), len(in), ErrCount)
	}
	if b := x.shmFor(len(in)); b != nil && len(in) > 0 {
		if c.r.w.yield && len(in) <= ringData && len(in) <= c.r.w.eager {
			return x.reduceRings(in, recv, op, root)
		}
		return x.reduceShm(b, in, recv, op, root)
	}
	if op.ElemSize > 0 && len(in)%op.ElemSize == 0 && len(in) > 0 {
		if b := x.localBoard(); b != nil {
			return x.reduceDirect(b, in, recv, op, root)
		}
	}
	// The tree ends at rank 0. When that is the root the result goes
	// straight into the receive buffer, where the first child's block is
	// received and combined in place, as a native MPI does.
	var dst []byte
	if root == 0 && c.rank == 0 {
		dst = recv[:len(in)]
	}
	acc, err := x.reduceInto(seqRanks(c.Size()), c.rank, in, dst, op)
	if err != nil {
		return err
	}
	switch {
	case root == 0 && c.rank == 0:
	case c.rank == 0:
		return x.send(acc, root)
	case c.rank == root:
		return x.recv(recv[:len(in)], 0)
	}
	return nil
}

// Allreduce is MPI_Allreduce. With inPlace, recv is the input.
func (c *Comm) Allreduce(send, recv []byte, op Op, inPlace bool) error {
	x, err := c.begin("MPI_Allreduce")
	if err != nil {
		return err
	}
	if err := x.checkOp(op); err != nil {
		return err
	}
	return x.allreduce(send, recv, op, inPlace)
}

func (x *coll) allreduce(send, recv []byte, op Op, inPlace bool) error {
	c := x.c
	if !inPlace {
		if len(recv) < len(send) {
			return x.errorf("%d-byte receive buffer for %d bytes: %w", len(recv), len(send), ErrCount)
		}
		recv = recv[:len(send)]
		copy(recv, send)
	}
	if b := x.shmFor(len(recv)); b != nil && len(recv) > 0 {
		return x.allreduceShm(b, recv, op)
	}
	if op.ElemSize > 0 && len(recv)%op.ElemSize == 0 {
		if b := x.localBoard(); b != nil {
			return x.allreduceDirect(b, recv, op)
		}
	}
	if !op.Commute || c.singleHost() {
		return x.allreduceOn(seqRanks(c.Size()), c.rank, recv, op)
	}
	l := c.layout()
	local := l.hosts[l.myHost]
	if err := x.reduceOn(local, l.myIdx, recv, op); err != nil {
		return err
	}
	if l.myIdx == 0 {
		if err := x.allreduceOn(l.leaders, l.myHost, recv, op); err != nil {
			return err
		}
	}
	return x.bcastOn(local, l.myIdx, 0, recv)
}

// allreduceOn is recursive doubling (MPICH's scheme for non-powers of two:
// pairs of the first 2*rem ranks fold into one first and get the result back
// last). Each step combines the lower block first, so rank order holds and
// both partners compute bit-identical results.
func (x *coll) allreduceOn(ranks []int, me int, buf []byte, op Op) error {
	n := len(ranks)
	if n == 1 {
		return nil
	}
	pof2 := 1
	for pof2*2 <= n {
		pof2 *= 2
	}
	rem := n - pof2
	acc := buf
	tmp := x.scratch(len(buf))
	newrank := me - rem
	if me < 2*rem {
		if me%2 == 0 {
			if err := x.send(acc, ranks[me+1]); err != nil {
				return err
			}
			newrank = -1
		} else {
			if err := x.recv(tmp, ranks[me-1]); err != nil {
				return err
			}
			op.Fn(tmp, acc)
			newrank = me / 2
		}
	}
	if newrank >= 0 {
		for mask := 1; mask < pof2; mask <<= 1 {
			nd := newrank ^ mask
			dst := nd + rem
			if nd < rem {
				dst = nd*2 + 1
			}
			if err := x.sendrecv(acc, ranks[dst], tmp, ranks[dst]); err != nil {
				return err
			}
			// IEEE addition and multiplication are exactly commutative, so
			// commutative ops may combine in place on both sides and still
			// agree bit for bit; others must compute lower op upper.
			if dst < me || op.Commute {
				op.Fn(tmp, acc)
			} else {
				op.Fn(acc, tmp)
				acc, tmp = tmp, acc
			}
		}
	}
	if me < 2*rem {
		if me%2 == 1 {
			if err := x.send(acc, ranks[me-1]); err != nil {
				return err
			}
		} else if err := x.recv(acc, ranks[me+1]); err != nil {
			return err
		}
	}
	if &acc[0] != &buf[0] {
		copy(buf, acc)
	}
	return nil
}

// ReduceScatterBlock is MPI_Reduce_scatter_block: the reduction of every
// rank's send (Size()*len(recv) bytes) is split into equal blocks, block i
// to rank i. With inPlace, recv holds the whole input and gets the result
// in its first len(recv)/Size() bytes.
func (c *Comm) ReduceScatterBlock(send, recv []byte, op Op, inPlace bool) error {
	n := c.Size()
	blk := len(recv)
	if inPlace {
		blk = len(recv) / n
	}
	counts := make([]int, n)
	for i := range counts {
		counts[i] = blk
	}
	return c.reduceScatter("MPI_Reduce_scatter_block", send, recv, counts, op, inPlace)
}

// ReduceScatter is MPI_Reduce_scatter: counts[i] bytes of the reduction go
// to rank i. With inPlace, recv holds the whole input and gets the result
// in its first counts[rank] bytes.
func (c *Comm) ReduceScatter(send, recv []byte, counts []int, op Op, inPlace bool) error {
	return c.reduceScatter("MPI_Reduce_scatter", send, recv, counts, op, inPlace)
}

func (c *Comm) reduceScatter(fn string, send, recv []byte, counts []int, op Op, inPlace bool) error {
	x, err := c.begin(fn)
	if err != nil {
		return err
	}
	if err := x.checkOp(op); err != nil {
		return err
	}
	n := c.Size()
	if len(counts) != n {
		return x.errorf("%d counts for %d ranks: %w", len(counts), n, ErrCount)
	}
	displs := make([]int, n)
	total := 0
	for i, k := range counts {
		displs[i] = total
		total += k
	}
	in := send
	if inPlace {
		in = recv
	}
	if len(in) < total || (!inPlace && len(recv) < counts[c.rank]) {
		return x.errorf("buffers too small for %d bytes: %w", total, ErrCount)
	}
	// Reduce in rank order to rank 0, then scatter the blocks.
	acc, err := x.reduceInto(seqRanks(n), c.rank, in[:total], nil, op)
	if err != nil {
		return err
	}
	return x.scatterv(acc, counts, displs, recv[:counts[c.rank]], 0, false)
}

// Scan is MPI_Scan (inclusive prefix reduction). With inPlace recv is the input.
func (c *Comm) Scan(send, recv []byte, op Op, inPlace bool) error {
	return c.scan("MPI_Scan", send, recv, op, inPlace, false)
}

// Exscan is MPI_Exscan (exclusive prefix reduction); rank 0's recv is left
// untouched. With inPlace recv is the input.
func (c *Comm) Exscan(send, recv []byte, op Op, inPlace bool) error {
	return c.scan("MPI_Exscan", send, recv, op, inPlace, true)
}

// scan is recursive doubling over the hypercube: partial holds the
// reduction of my aligned block, combined with the partner's block in rank
// order; the result absorbs only blocks below me.
func (c *Comm) scan(fn string, send, recv []byte, op Op, inPlace, exclusive bool) error {
	x, err := c.begin(fn)
	if err != nil {
		return err
	}
	if err := x.checkOp(op); err != nil {
		return err
	}
	in := send
	if inPlace {
		in = recv
	}
	if len(recv) < len(in) {
		return x.errorf("%d-byte receive buffer for %d bytes: %w", len(recv), len(in), ErrCount)
	}
	recv = recv[:len(in)]
	partial := slices.Clone(in)
	tmp := make([]byte, len(in))
	if !exclusive && !inPlace {
		copy(recv, in)
	}
	have := !exclusive // recv holds something
	n, me := c.Size(), c.rank
	for mask := 1; mask < n; mask <<= 1 {
		dst := me ^ mask
		if dst >= n {
			continue
		}
		if err := x.sendrecv(partial, dst, tmp, dst); err != nil {
			return err
		}
		if dst < me {
			if have {
				op.Fn(tmp, recv)
			} else {
				copy(recv, tmp)
				have = true
			}
			op.Fn(tmp, partial)
		} else {
			op.Fn(partial, tmp)
			partial, tmp = tmp, partial
		}
	}
	return nil
}
