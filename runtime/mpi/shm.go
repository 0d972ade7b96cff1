package mpi

// This file implements the shared-memory path of small blocking
// collectives. When every member of a communicator runs in this process,
// a tiny Barrier, Allreduce or Alltoall need not be a tree of messages: each
// member copies its input into its own slot of a per-communicator board and
// publishes it by storing the round's number in the slot; then every member
// waits until it has seen every other slot at that round and reads what it
// needs from them. One wake-up per member per call replaces log2(n) rounds
// of matched messages, which matters most when ranks outnumber cores and
// every round is a reschedule.
//
// Each slot is one cache line holding its round number and a small input
// together, so a member learns that a peer arrived and reads its 8-byte
// operand in one line transfer, and no line is written by two members. (A
// shared arrival counter cost three transfers per round at np 2: both
// members' increments, then the release read back by the waiter.)
//
// Safety of the slots without a second (departure) phase: a member writes
// the slots of parity g&1 for round g. Round g+2 reuses them, and a member
// starts round g+2 only once every member has arrived at g+1 (coll.round),
// that is has finished reading round g. Members that wait for everyone in
// round g+1 have seen that already; a Reduce's non-roots do not wait in
// their round (the root alone reads the inputs), so they wait there
// instead, and can run one round ahead of the root, as OpenMPI's eager
// non-roots run ahead. 8-byte Reduce at np 2: 0.14-0.16 us when every
// member waited, 0.11-0.13 now (OpenMPI 0.14).
//
// Reductions combine in the order recursive doubling uses (allreduceOn),
// lower block first at every level, so results are bit-identical to the
// message-based algorithm and to each other, for any op.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// shmCollMax is the largest per-rank payload (bytes) that takes the
// shared-memory path. Above it the copies through the board cost more than
// the messages' one copy, and the tree algorithms overlap their transfers.
const shmCollMax = 4 << 10

// shmBcastSlots is how many broadcasts a root may run ahead of the slowest
// member before it waits for a slot. With more ranks than cores the
// members run in turns, and a deep ring lets each consume many broadcasts
// per turn: 8-byte Bcast at np 4 on 2 cores took 1.5-3.1 us with 16 slots
// and 0.9-1.3 us with 128 (512 gave no more). A slot's data grows to at
// most shmCollMax, so a board holds at most 512 KiB of it.
const shmBcastSlots = 128

// shmBcastMax is the largest broadcast that takes the board's slots. Unlike
// the other collectives a broadcast has one copy in and one copy out at
// any size, as a message has, but through the board the root's copy goes
// into a warm buffer and nobody parks and wakes per call. Per call at np 2,
// 8 KiB took 0.7 us through the board against 6.7 us as messages (OpenMPI
// 5.4), 64 KiB 3.1-3.5 us against 25.6 (10.8); at np 4, 8 KiB 1.8-1.9 us
// against 5.6 (12.5), 64 KiB 6.2-6.7 against 41 (30). Above it the
// members copy straight from the root's buffer (bcastDirect): the root's
// extra copy into a ring of 32 buffers that no cache holds cost 256 KiB at
// np 2 8-41 us against 7-8.
const shmBcastMax = 64 << 10

// shmBcastBig is how many broadcasts above shmCollMax a root may run ahead
// of the slowest member, each in a buffer of the board's bigBcast ring, so
// a board holds at most shmBcastBig*shmBcastMax (2 MiB) of them rather
// than a large buffer in every slot. At np 4, 8 KiB took 3.1 us with 8 and
// 1.8 with 32.
const shmBcastBig = 32

// bcastSlot carries one broadcast's data from its root to the members. It
// lives in C memory (the C fast path broadcasts through it too;
// faasm_mpi_bcast_slot mirrors it): data up to bcastSmall bytes sits in
// it, larger data in the board's Go buffers (bcastData).
type bcastSlot struct {
	seq      atomic.Uint64 // 1 + the number of the broadcast whose data it holds
	consumed atomic.Int64  // members other than the root that copied it out
	n        int           // the data's size
	small    [bcastSmall]byte
	// 320 bytes in all, five cache lines: the root fills the next slot
	// while members read this one
}

// bcastSmall is the largest broadcast whose data sits in its slot: 296
// bytes, so that the ring of slots is 40 KiB per board and a 256-byte
// broadcast (a common small one) needs no other buffer.
const bcastSmall = 320 - 24

// bcastData is a slot's data when larger than bcastSmall: written by the
// root before the slot's seq is published.
type bcastData struct {
	data []byte // own or a bigBcast buffer
	own  []byte // the slot's buffer for broadcasts up to shmCollMax
}

// shmSlot is one member's input for the rounds of one parity, alone on
// its cache line: seq says which round the input belongs to, and a small
// input (8-byte reductions, barriers' nothing) sits beside it.
//
// The slots live in C memory (fast.go), where the C fast path's Barrier and
// Allreduce arrive and read too (faasm_mpi_barrier_slot mirrors it).
type shmSlot struct {
	seq   atomic.Uint64 // g+1 once the member's input of round g is in place
	n     int
	small [shmSmall]byte
}

// shmSmall is the largest input kept inline in its slot.
const shmSmall = 64 - 16

// shmBoard is one communicator's shared state, common to its members.
// Fields written in every round (the slots) live on cache lines of their
// own, apart from the ones only read after the board is made: with members
// on different cores, each shared line a round touches costs a transfer of
// 100-200 ns here.
type shmBoard struct {
	n int
	// slots[p][r] is rank r's slot in rounds of parity p and bigs[p][r] its
	// input when larger than shmSmall (shmCollMax bytes each); only rank r
	// writes them, before it publishes the round in the slot. Both are in
	// C memory.
	slots [2][]shmSlot
	// members[r] is member r's shared state (C memory), for the C half.
	members []*rankShared
	bigs    [2][][]byte
	bigMem  [2][]byte // the bigs of each parity, end to end
	// refs[p][r] is rank r's own buffer in a direct round of parity p
	// (allreduceDirect, and bcastDirect's root), published the same way
	// as a slot's input.
	refs [2][][]byte
	// dsts[p] is the root's receive buffer in a direct Reduce or Gather
	// of parity p (reduceDirect, gatherDirect). The root of each such
	// round writes it before arriving, and it is not cleared after: the
	// next round of that parity may already have another root.
	dsts [2][]byte
	// waiters[r] is member r's waiter, filled in when the board is made
	// (every member is a local rank), never written after.
	waiters []*waiter
	key     shmKey
	_       [64]byte

	// released counts the members that freed the communicator (Free).
	// Every shared-memory collective needs every member, so all n of them
	// have the board by the time any frees it; at n nobody uses it again.
	released atomic.Int64
	_        [64 - 8]byte

	// bcast is a ring of broadcast slots: unlike the other collectives a
	// broadcast does not synchronise, so its root must not wait for the
	// members (they consume in order, slot s%len for broadcast s).
	bcast     []bcastSlot // [shmBcastSlots], in C memory
	bcastData [shmBcastSlots]bcastData
	// bigBcast[s%shmBcastBig] holds broadcast s's data when it is larger
	// than shmCollMax; its root waits until broadcast s-shmBcastBig, the
	// buffer's previous user at the latest, is consumed.
	bigBcast [shmBcastBig][]byte
}

type shmKey struct {
	ctx   ContextID
	first int // world rank of comm rank 0: the colors of one Split share ctx
	size  int
}

// shmBoards holds the boards of a World's communicators.
type shmBoards struct {
	mu sync.Mutex
	m  map[shmKey]*shmBoard
}

// board returns c's board, or nil when the shared-memory path does not
// apply: some member lives on another host.
func (c *Comm) board() *shmBoard {
	if c.shm != nil {
		return c.shm
	}
	if !c.singleHost() {
		return nil
	}
	w := c.r.w
	key := shmKey{ctx: c.ctx, first: c.group.ranks[0], size: c.Size()}
	w.boards.mu.Lock()
	b := w.boards.m[key]
	if b == nil {
		n := c.Size()
		b = &shmBoard{n: n, key: key, waiters: make([]*waiter, n),
			slots:   [2][]shmSlot{cAlloc[shmSlot](n), cAlloc[shmSlot](n)},
			members: cAlloc[*rankShared](n),
			bcast:   cAlloc[bcastSlot](shmBcastSlots),
			bigs:    [2][][]byte{make([][]byte, n), make([][]byte, n)},
			bigMem:  [2][]byte{cAlloc[byte](n * shmCollMax), cAlloc[byte](n * shmCollMax)},
			refs:    [2][][]byte{make([][]byte, n), make([][]byte, n)}}
		for p := range b.bigs {
			for r := range b.bigs[p] {
				b.bigs[p][r] = b.bigMem[p][r*shmCollMax : (r+1)*shmCollMax : (r+1)*shmCollMax]
			}
		}
		runtime.AddCleanup(b, freeBoard, [6]unsafe.Pointer{unsafe.Pointer(&b.slots[0][0]),
			unsafe.Pointer(&b.slots[1][0]), unsafe.Pointer(&b.members[0]), unsafe.Pointer(&b.bcast[0]),
			unsafe.Pointer(&b.bigMem[0][0]), unsafe.Pointer(&b.bigMem[1][0])})
		for i := range b.bcast {
			b.bcast[i].consumed.Store(int64(n - 1)) // free
		}
		for r, wr := range c.group.ranks {
			b.waiters[r] = w.ranks[wr].wt
			b.members[r] = w.ranks[wr].sh
		}
		if w.boards.m == nil {
			w.boards.m = map[shmKey]*shmBoard{}
		}
		w.boards.m[key] = b
	}
	w.boards.mu.Unlock()
	c.shm = b
	cs := c.shared()
	cs.slots = [2]*shmSlot{&b.slots[0][0], &b.slots[1][0]}
	cs.members = &b.members[0]
	cs.bcast = &b.bcast[0]
	cs.bigs = [2]*byte{&b.bigMem[0][0], &b.bigMem[1][0]}
	return b
}

// releaseBoard drops c's use of its board; the last member to free the
// communicator removes the board from the World.
func (c *Comm) releaseBoard() {
	b := c.shm
	if b == nil {
		return
	}
	c.shm = nil
	cs := c.shared()
	cs.slots, cs.members, cs.bcast, cs.bigs = [2]*shmSlot{}, nil, nil, [2]*byte{}
	if b.released.Add(1) != int64(b.n) {
		return
	}
	w := c.r.w
	w.boards.mu.Lock()
	if w.boards.m[b.key] == b {
		delete(w.boards.m, b.key)
	}
	w.boards.mu.Unlock()
}

// shmFor returns the board to use for a blocking collective moving n bytes
// per rank, or nil for the message-based path. Non-blocking collectives run
// on helper goroutines in any interleaving with blocking ones, so they keep
// to messages.
func (x *coll) shmFor(n int) *shmBoard {
	if n > shmCollMax {
		return nil
	}
	return x.localBoard()
}

// localBoard returns the board for a blocking collective of any size, or
// nil when the members are not all in this process (or it is just one).
func (x *coll) localBoard() *shmBoard {
	if x.wt != x.c.r.wt || x.c.Size() == 1 {
		return nil
	}
	return x.c.board()
}

// slot returns rank me's slot of round g, set to hold n bytes.
func (b *shmBoard) slot(g uint64, me, n int) []byte {
	s := &b.slots[g&1][me]
	s.n = n
	if n <= shmSmall {
		return s.small[:n]
	}
	return b.bigs[g&1][me][:n] // n <= shmCollMax (shmFor)
}

// input returns rank r's input in round g (after every member arrived),
// or nil when r published a size its slot cannot hold (it took the direct
// path: the sizes differ, which the caller reports).
func (b *shmBoard) input(g uint64, r int) []byte {
	s := &b.slots[g&1][r]
	if s.n <= shmSmall {
		return s.small[:s.n]
	}
	if big := b.bigs[g&1][r]; s.n <= cap(big) {
		return big[:s.n]
	}
	return nil
}

// inputs appends every member's input of round g to into (a reduction's
// operands, which must all be size bytes) and returns it.
func (x *coll) inputs(b *shmBoard, g uint64, size int, into [][]byte) ([][]byte, error) {
	for r := range b.n {
		in := b.input(g, r)
		if len(in) != size {
			return nil, x.errorf("rank %d contributes %d bytes, this rank %d: %w", r, len(in), size, ErrCount)
		}
		into = append(into, in)
	}
	return into, nil
}

// round numbers this member's next board collective on the communicator,
// once every member has arrived at the round before. Every member runs the
// communicator's blocking collectives in the same order, so the members'
// counts agree. A Reduce's non-roots leave their round as soon as their
// input is in place (reduceShm), so a member may still read the slots of
// two rounds back, which this round reuses, until it has arrived at the
// next: after any other collective the wait is already over.
func (x *coll) round(b *shmBoard) (uint64, error) {
	cs := x.c.shared()
	g := cs.rounds
	if g > 0 {
		if err := b.await(x, g-1); err != nil {
			return 0, err
		}
	}
	cs.rounds++
	return g, nil
}

// resumed reports the round at which the C fast path arrived for this call
// and left the wait to Go (fast.c), if it did.
func (x *coll) resumed() (uint64, bool) {
	cs := x.c.shared()
	if cs.pending == 0 {
		return 0, false
	}
	g := cs.pending - 1
	cs.pending = 0
	return g, true
}

// contribute puts in on the board as this member's input of a new round
// and returns without waiting for the others: a Reduce's non-root, whose
// call is over once the root can read its input. OpenMPI's non-roots run
// ahead in the same way, their eager sends queued at the root.
func (x *coll) contribute(b *shmBoard, in []byte) error {
	if _, ok := x.resumed(); ok { // the C fast path already published it
		return nil
	}
	g, err := x.put(b, in)
	if err == nil {
		b.publish(x.c.rank, g)
	}
	return err
}

// put starts a new round with in as this member's input, not yet
// published.
func (x *coll) put(b *shmBoard, in []byte) (uint64, error) {
	g, err := x.round(b)
	if err == nil {
		copy(b.slot(g, x.c.rank, len(in)), in)
	}
	return g, err
}

// enter starts this member's part of a board round for the call in
// progress, with in as its input, and returns the round once every member
// has arrived. When the C fast path already arrived for this call
// (resumed), the input is in place and only the wait is left.
func (x *coll) enter(b *shmBoard, in []byte) (uint64, error) {
	if g, ok := x.resumed(); ok {
		return g, b.await(x, g)
	}
	g, err := x.put(b, in)
	if err != nil {
		return 0, err
	}
	return g, b.arrive(x, g)
}

// arrive publishes me's slot of round g (its input already in place) and
// waits until every member has published theirs.
func (b *shmBoard) arrive(x *coll, g uint64) error {
	b.publish(x.c.rank, g)
	return b.await(x, g)
}

// publish makes me's slot of round g (its input already in place) visible
// and wakes the members waiting on the board.
func (b *shmBoard) publish(me int, g uint64) {
	// The race detector does not see the slots' atomics (C memory): the
	// board stands for them (the Go fields beside them, bigs and refs).
	raceRelease(unsafe.Pointer(b))
	b.slots[g&1][me].seq.Store(g + 1)
	b.notifyAll(me)
}

// await waits until every member has published its slot of round g.
func (b *shmBoard) await(x *coll, g uint64) error {
	me := x.c.rank
	slots := b.slots[g&1]
	defer raceAcquire(unsafe.Pointer(b))
	// A peer's slot holds round g-1's number until it arrives (it cannot
	// be at g+1 yet: that needs this member's arrival), so equality is the
	// test. next skips the peers already seen on later polls.
	next := 0
	ready := func() bool {
		for ; next < len(slots); next++ {
			if next != me && slots[next].seq.Load() != g+1 {
				return false
			}
		}
		return true
	}
	if ready() {
		return nil
	}
	if err := x.wt.block(x.call, ready); err != nil {
		return x.errorf("%w", err)
	}
	return nil
}

// notifyAll wakes every member but me that may be waiting on the board.
func (b *shmBoard) notifyAll(me int) {
	for r, wt := range b.waiters {
		if r != me {
			wt.notify()
		}
	}
}

// awaitConsumed waits until every member but its root has copied slot
// sl's broadcast out.
func (x *coll) awaitConsumed(b *shmBoard, i uint64) error {
	sl := &b.bcast[i]
	free := int64(b.n - 1)
	// The race detector does not see the slot's atomics (C memory): its
	// Go half stands for them.
	defer raceAcquire(unsafe.Pointer(&b.bcastData[i]))
	if sl.consumed.Load() == free {
		return nil
	}
	if err := x.wt.block(x.call, func() bool { return sl.consumed.Load() == free }); err != nil {
		return x.errorf("%w", err)
	}
	return nil
}

// bcastShm broadcasts buf from root through the next slot of the ring.
// The root returns once its data is in the slot; a member once it copied
// the data out.
func (x *coll) bcastShm(b *shmBoard, buf []byte, root int) error {
	c := x.c
	cs := c.shared()
	seq := cs.bcasts
	cs.bcasts++
	i := seq % shmBcastSlots
	sl, bd := &b.bcast[i], &b.bcastData[i]
	if c.rank == root {
		if err := x.awaitConsumed(b, i); err != nil {
			return err
		}
		data := &bd.own
		if len(buf) > shmCollMax {
			if seq >= shmBcastBig {
				if err := x.awaitConsumed(b, (seq-shmBcastBig)%shmBcastSlots); err != nil {
					return err
				}
			}
			data = &b.bigBcast[seq%shmBcastBig]
		}
		sl.consumed.Store(0)
		sl.n = len(buf)
		if len(buf) <= bcastSmall {
			copy(sl.small[:], buf)
		} else {
			if cap(*data) < len(buf) {
				*data = make([]byte, len(buf))
			}
			bd.data = (*data)[:len(buf)]
			copy(bd.data, buf)
		}
		raceRelease(unsafe.Pointer(bd))
		sl.seq.Store(seq + 1)
		b.notifyAll(c.rank)
		return nil
	}
	if sl.seq.Load() != seq+1 {
		if err := x.wt.block(x.call, func() bool { return sl.seq.Load() == seq+1 }); err != nil {
			return x.errorf("%w", err)
		}
	}
	raceAcquire(unsafe.Pointer(bd))
	var err error
	switch {
	case sl.n != len(buf):
		err = x.errorf("root %d broadcasts %d bytes, this rank receives %d: %w", root, sl.n, len(buf), ErrTruncate)
	case sl.n <= bcastSmall:
		copy(buf, sl.small[:sl.n])
	default:
		copy(buf, bd.data)
	}
	// Counted also after an error: the root must get its slot back.
	raceRelease(unsafe.Pointer(bd))
	if sl.consumed.Add(1) == int64(b.n-1) {
		b.notifyAll(c.rank) // the slot's next root may be waiting for it
	}
	return err
}

// bcastDirect broadcasts buf, larger than the slots' data, with one copy
// per member straight from the root's buffer: the root publishes buf in a
// direct round, every member copies it out, and a second round holds the
// root until all have. The members leave once they have published that
// round (as a Reduce's non-roots do): the next round waits for it. As a
// binomial tree of rendezvous messages, a member of a subtree waited for
// its parent's copy to end before its own began, and every copy completed
// a request that woke its sender: 256 KiB at np 4 on 2 cores took 31-170
// us, against 23-64 this way (OpenMPI 31-126).
func (x *coll) bcastDirect(b *shmBoard, buf []byte, root int) error {
	g, err := x.round(b)
	if err != nil {
		return err
	}
	me := x.c.rank
	refs := b.refs[g&1]
	if me == root {
		refs[me] = buf
	}
	b.slots[g&1][me].n = len(buf)
	if err := b.arrive(x, g); err != nil {
		return err
	}
	if me != root {
		if src := refs[root]; len(src) != len(buf) {
			err = x.errorf("root %d broadcasts %d bytes, this rank receives %d: %w", root, len(src), len(buf), ErrTruncate)
		} else {
			copy(buf, src)
		}
	}
	done, rerr := x.round(b)
	switch {
	case rerr != nil:
		return rerr
	case me == root:
		rerr = b.arrive(x, done)
		refs[me] = nil
		if rerr != nil {
			return rerr
		}
	default:
		b.publish(me, done)
	}
	return err
}

func (x *coll) barrierShm(b *shmBoard) error {
	if g, ok := x.resumed(); ok {
		return b.await(x, g)
	}
	g, err := x.round(b)
	if err != nil {
		return err
	}
	return b.arrive(x, g)
}

// allreduceShm reduces buf (the member's input, overwritten with the
// result) over every member through the board.
func (x *coll) allreduceShm(b *shmBoard, buf []byte, op Op) error {
	g, err := x.enter(b, buf)
	if err != nil {
		return err
	}
	size := len(buf)
	var inBuf [8][]byte
	in, err := x.inputs(b, g, size, inBuf[:0])
	if err != nil {
		return err
	}
	copy(buf, combineTree(in, size, op, x.scratch(treeScratch(b.n, size))))
	return nil
}

// treeScratch is the scratch combineTree needs for n inputs of size bytes:
// rem + pof2 - 1 results, rounded up to n.
func treeScratch(n, size int) int { return n * size }

// combineTree reduces the n inputs (size bytes each, in rank order) in the
// order recursive doubling combines them (allreduceOn) and returns the
// result, which lies in scratch (treeScratch bytes) or, for one input, is
// that input. No input is written.
func combineTree(in [][]byte, size int, op Op, scratch []byte) []byte {
	n := len(in)
	pof2 := 1
	for pof2*2 <= n {
		pof2 *= 2
	}
	rem := n - pof2
	// Blocks are bump-allocated from the scratch area so no combine writes
	// a buffer it still reads: at most rem + pof2 - 1 results.
	next := func() []byte {
		s := scratch[:size:size]
		scratch = scratch[size:]
		return s
	}
	combine := func(lower, upper []byte) []byte {
		d := next()
		copy(d, upper)
		op.Fn(lower, d)
		return d
	}
	var levelBuf [8][]byte
	level := levelBuf[:0]
	if pof2 > len(levelBuf) {
		level = make([][]byte, 0, pof2)
	}
	level = level[:pof2]
	for j := range pof2 {
		if j < rem {
			level[j] = combine(in[2*j][:size], in[2*j+1][:size])
		} else {
			level[j] = in[j+rem][:size]
		}
	}
	for len(level) > 1 {
		for k := range len(level) / 2 {
			level[k] = combine(level[2*k], level[2*k+1])
		}
		level = level[:len(level)/2]
	}
	return level[0]
}

// directBlock is how many bytes allreduceDirect combines at a time: the n
// inputs and the tree's scratch for one block stay in the core's caches.
const directBlock = 32 << 10

// publishRef starts direct round g: it publishes buf, this member's
// vector, where the others read it, waits for every member and checks
// that all vectors have buf's size. A member that took the slots' path by
// mistake (its vector is smaller: an erroneous program) must see a size
// that differs from its own. Every member that took the direct path sees
// the same sizes, so all fail here alike, before anyone writes, and skip
// the second round together; one that took the slots' path failed after
// one round too.
func (x *coll) publishRef(b *shmBoard, g uint64, buf []byte) error {
	me, size := x.c.rank, len(buf)
	refs := b.refs[g&1]
	refs[me] = buf
	b.slots[g&1][me].n = size
	if err := b.arrive(x, g); err != nil {
		return err
	}
	// The sizes come from the slots, which every path writes (the C fast
	// path too, which cannot clear a ref); a ref is cleared at the end of
	// each direct round, so one left from an earlier round is nil.
	for r, ref := range refs {
		if n := b.slots[g&1][r].n; n != size || len(ref) != size {
			return x.errorf("rank %d contributes %d bytes, this rank %d: %w", r, n, size, ErrCount)
		}
	}
	return nil
}

// allreduceDirect is Allreduce for vectors too large for the slots: every
// member publishes its own buffer (holding its input) instead of a copy,
// then reduces one 1/n share of the elements, reading that share of every
// member's buffer and writing the result into every member's buffer, and
// waits at a second round until all shares are written. Each byte of input
// is read once and each byte of output written once, by n members at
// once; recursive doubling copied and combined the whole vector log2(n)
// times on every member. Shares are disjoint, so no member writes what
// another still reads, and each share is combined in combineTree's order,
// so the result is bit-identical to the other paths.
func (x *coll) allreduceDirect(b *shmBoard, buf []byte, op Op) error {
	g, err := x.round(b)
	if err != nil {
		return err
	}
	if err := x.publishRef(b, g, buf); err != nil {
		return err
	}
	refs := b.refs[g&1]
	return x.combineShare(b, g, len(buf), op, combineTree, refs)
}

// combineShare ends direct round g (every member's vector published in
// refs, size bytes each): this member combines its 1/n share of the
// elements, block by block, with combine, copies each result into every
// buffer of into, and waits at a second round until every share is done,
// so no vector is left or reused while another member reads it.
func (x *coll) combineShare(b *shmBoard, g uint64, size int, op Op,
	combine func(vals [][]byte, size int, op Op, scratch []byte) []byte, into [][]byte,
) error {
	refs := b.refs[g&1]
	es := op.ElemSize
	lo, hi := blockRange(size/es, b.n, x.c.rank)
	block := max(directBlock/es, 1) * es
	scratch := x.scratch(treeScratch(b.n, block))
	var valBuf [8][]byte
	for a := lo * es; a < hi*es; a += block {
		c := min(a+block, hi*es)
		vals := valBuf[:0]
		for _, ref := range refs {
			vals = append(vals, ref[a:c])
		}
		res := combine(vals, c-a, op, scratch)
		for _, dst := range into {
			copy(dst[a:c], res)
		}
	}
	g, err := x.round(b)
	if err == nil {
		err = b.arrive(x, g)
	}
	refs[x.c.rank] = nil
	return err
}

// blockRange is the share [lo, hi) of n items that member me of m gets:
// the first n%m members one item more.
func blockRange(n, m, me int) (lo, hi int) {
	q, r := n/m, n%m
	lo = me*q + min(me, r)
	hi = lo + q
	if me < r {
		hi++
	}
	return lo, hi
}

// alltoallShm exchanges blk-byte blocks: block j of member i's send lands
// in block i of member j's recv.
func (x *coll) alltoallShm(b *shmBoard, send, recv []byte, blk int) error {
	n, me := x.c.Size(), x.c.rank
	g, err := x.enter(b, send[:n*blk])
	if err != nil {
		return err
	}
	for src := range n {
		if in := b.input(g, src); len(in) != n*blk {
			return x.errorf("rank %d sends %d-byte blocks, this rank receives %d: %w", src, len(in)/n, blk, ErrTruncate)
		}
	}
	for src := range n {
		copy(recv[src*blk:(src+1)*blk], b.input(g, src)[me*blk:(me+1)*blk])
	}
	return nil
}

// allgathervShm gathers every member's block (already at its place in
// recv) into every member's recv through the board.
func (x *coll) allgathervShm(b *shmBoard, recv []byte, counts, displs []int) error {
	me := x.c.rank
	g, err := x.enter(b, recv[displs[me]:displs[me]+counts[me]])
	if err != nil {
		return err
	}
	for src := range b.n {
		if src == me {
			continue
		}
		blk := b.input(g, src)
		if len(blk) > counts[src] {
			err = x.errorf("rank %d sends %d bytes, this rank receives %d from it: %w", src, len(blk), counts[src], ErrTruncate)
			continue
		}
		copy(recv[displs[src]:], blk)
	}
	return err
}

// reduceShm reduces every member's in into root's recv through the board,
// combining in reduceOn's binomial-tree order (lower block first at every
// level), so the result is bit-identical to the message path's. Only the
// root waits for the others' inputs; they leave once theirs is in place.
func (x *coll) reduceShm(b *shmBoard, in, recv []byte, op Op, root int) error {
	if x.c.rank != root {
		return x.contribute(b, in)
	}
	g, err := x.enter(b, in)
	if err != nil {
		return err
	}
	size := len(in)
	var valBuf [8][]byte
	vals, err := x.inputs(b, g, size, valBuf[:0])
	if err != nil {
		return err
	}
	copy(recv[:size], combineBinomial(vals, size, op, x.scratch(b.n*size)))
	return nil
}

// reduceRings is MPI_Reduce for inputs that fit a ring slot (eager
// messages) when ranks outnumber CPUs: every member but the root sends its
// input to the root and leaves, and the root combines them in reduceShm's
// binomial order. The members run ahead of the root by as many calls as
// the rings hold, as OpenMPI's do with eager sends: through the board a
// member runs one round ahead at most, and every round waited until each
// rank had had a CPU (8-byte Reduce at np 4 on 2 cores took 3-4.4 us, now
// 0.3-0.8, against OpenMPI's 0.4-0.6; 1 KiB 3.2 us, now 0.6, against 4.9).
// With a CPU per rank the board is faster: a stream of ring messages
// costs a slot's hand-over between cores per call (8 bytes at np 2,
// 0.16 us against 0.11). The C fast path does the same (reduce_rings,
// fast.c), and either half takes the other's messages.
func (x *coll) reduceRings(in, recv []byte, op Op, root int) error {
	c := x.c
	if c.rank != root {
		return x.send(in, root)
	}
	n, size := len(in), c.Size()
	buf := x.scratch(2 * n * size) // the inputs, then combineBinomial's results
	// By member: the root's own input needs no receive (wait skips nil).
	var qbuf [8]*Request
	var countBuf [8]int
	qs, counts := qbuf[:0], countBuf[:0]
	for m := range size {
		var q *Request
		if m == root {
			copy(buf[m*n:], in)
		} else {
			q = x.irecv(buf[m*n:(m+1)*n], m)
		}
		qs, counts = append(qs, q), append(counts, n)
	}
	if err := x.waitCounts(qs, counts); err != nil {
		return err
	}
	for m, got := range counts {
		if got != n {
			return x.errorf("rank %d contributes %d bytes, this rank %d: %w", m, got, n, ErrCount)
		}
	}
	var inBuf [8][]byte
	vals := inBuf[:0]
	for m := range size {
		vals = append(vals, buf[m*n:(m+1)*n])
	}
	copy(recv[:n], combineBinomial(vals, n, op, buf[n*size:]))
	return nil
}

// combineBinomial reduces vals (size bytes each, in rank order) in
// reduceOn's binomial-tree order and returns the result, which lies in
// scratch (len(vals)*size bytes) or, for one input, is that input. Each
// combine writes a fresh block of scratch, so no input is written; vals'
// elements are replaced.
func combineBinomial(vals [][]byte, size int, op Op, scratch []byte) []byte {
	n := len(vals)
	for mask := 1; mask < n; mask <<= 1 {
		for r := 0; r+mask < n; r += 2 * mask {
			d := scratch[:size:size]
			scratch = scratch[size:]
			copy(d, vals[r+mask])
			op.Fn(vals[r], d) // d = vals[r] op vals[r+mask]
			vals[r] = d
		}
	}
	return vals[0]
}

// reduceDirect is MPI_Reduce for vectors above the slots' size, with every
// member's input read where it lies (as in allreduceDirect): each member
// combines its share of the elements from all inputs, in the binomial
// order of reduceShm and the message tree, and writes it into the root's
// receive buffer; a second round keeps every buffer in place until all
// are done. As messages, each non-root's vector was copied into an
// unexpected envelope (eager senders run ahead) and out again, and the
// root combined alone: 8-32 KiB at np 2 took 7-25 us against OpenMPI's
// 3.5-9.
func (x *coll) reduceDirect(b *shmBoard, in, recv []byte, op Op, root int) error {
	g, err := x.round(b)
	if err != nil {
		return err
	}
	if x.c.rank == root {
		b.dsts[g&1] = recv[:len(in)]
	}
	if err := x.publishRef(b, g, in); err != nil {
		return err
	}
	return x.combineShare(b, g, len(in), op, combineBinomial, [][]byte{b.dsts[g&1]})
}

// gatherDirect is MPI_Gather for blocks above the slots' size: the root
// publishes its receive buffer, every other member copies its block
// straight into it, and a second round holds the root until all have. As
// messages the members ran ahead and each block was copied into an
// unexpected envelope and out again: 8-32 KiB at np 2 took 6-23 us against
// OpenMPI's 4.6-7.4.
func (x *coll) gatherDirect(b *shmBoard, send, recv []byte, blk, root int, inPlace bool) error {
	g, err := x.round(b)
	if err != nil {
		return err
	}
	me, n := x.c.rank, b.n
	if me == root {
		// A receive buffer too small is the root's error; the others
		// still take part in both rounds, and copy nothing.
		b.dsts[g&1] = nil
		if len(recv) < n*blk {
			err = x.errorf("receive: %d blocks of %d bytes in a %d-byte buffer: %w", n, blk, len(recv), ErrCount)
		} else {
			b.dsts[g&1] = recv
			if !inPlace {
				copy(recv[root*blk:(root+1)*blk], send)
			}
		}
	}
	// A member publishes how much it sends, the root its block size,
	// which places the blocks (an erroneous member may send more).
	b.slots[g&1][me].n = len(send)
	if me == root {
		b.slots[g&1][me].n = blk
	}
	if err := b.arrive(x, g); err != nil {
		return err
	}
	if dst := b.dsts[g&1]; me != root && dst != nil {
		at := me * b.slots[g&1][root].n
		copy(dst[at:at+b.slots[g&1][root].n], send)
	}
	if me == root && err == nil {
		for r := range n {
			if sent := b.slots[g&1][r].n; r != root && sent > blk {
				err = x.errorf("rank %d sends %d bytes, this rank receives %d from it: %w", r, sent, blk, ErrTruncate)
				break
			}
		}
	}
	g, aerr := x.round(b)
	if aerr == nil {
		aerr = b.arrive(x, g)
	}
	if aerr != nil {
		return aerr
	}
	return err
}
