package mpi

// This file is the Go half of the small-message fast path: the state that
// the rings (ring.go) and the collective boards (shm.go) share with C, and
// the C functions a Faaslet's host imports call to send, receive or take
// part in a small collective without entering Go.
//
// Why C: every MPI call from a Faaslet is a host call, and one that enters
// Go pays for cgo's callback (about 150 ns here: the runtime's entry and
// exit, thread locking) before any MPI work, where OpenMPI's whole send
// costs about as much. A blocking send or receive of a few bytes to or from
// a rank of this process is a ring push or pop; faasm_mpi_send_fast and
// faasm_mpi_recv_fast (fast.c) do just that from the import's C trampoline,
// and hand every other case (a wildcard, a full ring, a message waiting in
// the matcher, a receive that must block, any argument error) back to Go,
// which does what it always did. The two halves agree through state in C
// memory:
//
//   - A ring's head, tail, and slots (ringShared): the producer is always the
//     sender's own thread, in C or in Go, never both at once.
//   - The receiving rank's consumer word: Go drains rings holding it (and the
//     matcher's lock), C takes a message holding it; C only tries it and
//     gives up when Go holds it.
//   - The matcher's counts of unexpected messages, by sender, and of
//     waiting receives and probes: C takes a message from a sender only
//     when nothing is queued from that sender and nothing waits, so nothing
//     queued or posted could have come first.
//   - The rank's sleeping flag (waiter.sleeping): a C push that finds its
//     receiver asleep wakes it through Go (faasmMpiWake), as Go's push does.
//   - A board's slots, broadcast slots and large inputs, and each member's
//     counts of collective calls, board rounds and broadcasts
//     (commShared): the C collectives follow shm.go's rounds exactly, and
//     a round C has arrived at but cannot finish is finished by the Go
//     handler of the same call (coll.resumed).

/*
#cgo CFLAGS: -O2 -Wall
#include <stdlib.h>
#include <string.h>
#include "fast.h"

// In fast.c.
size_t faasm_mpi_layout(int i);
*/
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"
)

// slotShared mirrors faasm_mpi_slot.
type slotShared struct {
	seq                  atomic.Uint64
	ctx                  ContextID
	src, tag, size, kind int32
	small                [ringSmall]byte
}

// ringShared mirrors faasm_mpi_ring.
type ringShared struct {
	head                   atomic.Uint64
	dataHead               atomic.Uint64 // the end of the last payload drained from the data area
	area                   *byte         // data, for the consumer (faasm_mpi_ring.area says why)
	_                      [40]byte
	tail, headSeen         uint64
	to                     *rankShared
	gaveUpAt               uint64
	data                   *byte  // [ringArea], made at the first payload above ringSmall
	dataTail, dataHeadSeen uint64 // the end of the last payload placed; dataHead as last read
	_                      [8]byte
	slots                  [ringSlots]slotShared
}

// rankShared mirrors faasm_mpi_rank.
type rankShared struct {
	sleeping atomic.Bool
	_        [60]byte
	consumer atomic.Int32
	queued   atomic.Int32
	waiting  atomic.Int32
	_        [52]byte
	id, size int32
	eager    int32
	spin     int32
	in, out  *atomic.Pointer[ringShared]
	// queuedFrom[w] counts the unexpected messages from world rank w that
	// the matcher holds ([size], then one count for senders out of range),
	// so that a receive from one source waits for nothing queued from the
	// others.
	queuedFrom *atomic.Int32
	// Messages the fast path sent and received, and collectives it
	// completed: written by the rank's own thread, read by FastCounts once
	// it has ended.
	fastSends, fastRecvs, fastColls uint64
}

// commShared mirrors faasm_mpi_comm. Only the member's own thread reads
// and writes it (in Go or in C).
type commShared struct {
	ctx        ContextID
	rank, size int32
	ranks      *int32
	r          *rankShared
	// seq counts the collective calls made on the communicator (their
	// tags), rounds the board rounds among them (shmBoard.arrive) and
	// bcasts the broadcasts through the board (bcastShm); the C fast path
	// makes all three kinds too.
	seq, rounds, bcasts uint64
	// pending is 1 + the board round at which the C fast path arrived for
	// the call in progress and left the wait to Go (coll.resumed); 0 none.
	pending uint64
	// The board's slots by parity and its members' shared state, nil
	// until the board is made (Comm.board) and after it is released.
	slots   [2]*shmSlot
	members **rankShared
	bcast   *bcastSlot // [shmBcastSlots]
	bigs    [2]*byte   // [size][shmCollMax] by parity
}

// shared returns c's shared state, made at first use.
func (c *Comm) shared() *commShared {
	if c.sh != nil {
		return c.sh
	}
	n := c.group.size()
	cs := &cAlloc[commShared](1)[0]
	ranks := cAlloc[int32](n)
	for i, wr := range c.group.ranks {
		ranks[i] = int32(wr)
	}
	cs.ctx, cs.rank, cs.size, cs.ranks, cs.r = c.ctx, int32(c.rank), int32(n), &ranks[0], c.r.sh
	c.sh = cs
	runtime.AddCleanup(c, func(ptrs [2]unsafe.Pointer) {
		C.free(ptrs[0])
		C.free(ptrs[1])
	}, [2]unsafe.Pointer{unsafe.Pointer(cs), unsafe.Pointer(&ranks[0])})
	return cs
}

// FastComm is a communicator's state for the C fast path (a faasm_mpi_comm
// pointer), valid while c is reachable; nil when the fast path is off.
func (c *Comm) FastComm() unsafe.Pointer {
	if layoutErr != nil || c.rank < 0 {
		return nil
	}
	return unsafe.Pointer(c.shared())
}

// freeBoard frees a board's C memory (its slots, members, broadcast slots
// and large inputs).
func freeBoard(ptrs [6]unsafe.Pointer) {
	for _, p := range ptrs {
		C.free(p)
	}
}

// cAlloc returns n zeroed, cache-line aligned values of T in C memory. T
// holds no Go pointers (only C ones), so the garbage collector has nothing
// to see there.
func cAlloc[T any](n int) []T {
	var zero T
	size := max(n, 1) * int(unsafe.Sizeof(zero))
	p := C.faasm_mpi_alloc(C.size_t(size))
	if p == nil {
		panic(fmt.Sprintf("mpi: out of memory for %d bytes of C memory", size))
	}
	return unsafe.Slice((*T)(p), max(n, 1))[:n]
}

// newRankShared allocates rank id's shared state; it is freed when owner
// (the Rank) is collected.
func newRankShared(owner *Rank, w *World, id int) *rankShared {
	sh := &cAlloc[rankShared](1)[0]
	in := cAlloc[atomic.Pointer[ringShared]](w.size)
	out := cAlloc[atomic.Pointer[ringShared]](w.size)
	queuedFrom := cAlloc[atomic.Int32](w.size + 1)
	sh.id, sh.size, sh.eager = int32(id), int32(w.size), int32(min(w.eager, 1<<30))
	if !w.yield {
		sh.spin = 1
	}
	sh.in, sh.out, sh.queuedFrom = &in[0], &out[0], &queuedFrom[0]
	wakers.Store(sh, weak.Make(owner.wt))
	runtime.AddCleanup(owner, func(sh *rankShared) {
		wakers.Delete(sh)
		C.free(unsafe.Pointer(sh.in))
		C.free(unsafe.Pointer(sh.out))
		C.free(unsafe.Pointer(sh.queuedFrom))
		C.free(unsafe.Pointer(sh))
	}, sh)
	return sh
}

// FastCounts reports how many messages the rank sent and received through
// the C fast path, and how many collectives it completed there. Call it
// once the rank's thread is done with MPI.
func (r *Rank) FastCounts() (sends, recvs, colls uint64) {
	return r.sh.fastSends, r.sh.fastRecvs, r.sh.fastColls
}

// ins and outs are sh's ring tables as slices.
func (sh *rankShared) ins() []atomic.Pointer[ringShared] {
	return unsafe.Slice(sh.in, int(sh.size))
}

func (sh *rankShared) outs() []atomic.Pointer[ringShared] {
	return unsafe.Slice(sh.out, int(sh.size))
}

// queuedFroms is sh's counts of unexpected messages by sender.
func (sh *rankShared) queuedFroms() []atomic.Int32 {
	return unsafe.Slice(sh.queuedFrom, int(sh.size)+1)
}

// newRingShared allocates a ring's shared part; owner (the Go ring) frees it
// when collected.
func newRingShared(owner *ring, to *rankShared) *ringShared {
	sh := &cAlloc[ringShared](1)[0]
	sh.to = to
	runtime.AddCleanup(owner, func(sh *ringShared) {
		C.free(unsafe.Pointer(sh.data))
		C.free(unsafe.Pointer(sh))
	}, sh)
	return sh
}

// place returns where in the data area the next payload of n bytes goes
// and its position (data_pos, fast.c), making the area at first use, or
// false when the area has no room for it now. Only the producer calls it.
func (sh *ringShared) place(n int) ([]byte, uint64, bool) {
	if sh.data == nil {
		sh.data = &cAlloc[byte](ringArea)[0]
		sh.area = sh.data
	}
	pos := (sh.dataTail + 63) &^ 63
	if pos%ringArea+uint64(n) > ringArea {
		pos += ringArea - pos%ringArea
	}
	if pos+uint64(n)-sh.dataHeadSeen > ringArea {
		sh.dataHeadSeen = sh.dataHead.Load()
		if pos+uint64(n)-sh.dataHeadSeen > ringArea {
			return nil, 0, false
		}
	}
	return at(sh.data, pos, n), pos, true
}

// at is the n bytes of the data area at position pos, through base (data
// for the producer, area for the consumer).
func at(base *byte, pos uint64, n int) []byte {
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(base), pos%ringArea)), n)
}

// dataPos is the position of slot s's payload in the data area.
func (s *slotShared) dataPos() uint64 { return *(*uint64)(unsafe.Pointer(&s.small[0])) }

// wakers finds the waiter of a rank from its shared state, for a C push
// that found it asleep. Weak, so that it does not keep a finished job alive.
var wakers sync.Map // *rankShared -> weak.Pointer[waiter]

//export faasmMpiWake
func faasmMpiWake(p *C.faasm_mpi_rank) {
	if v, ok := wakers.Load((*rankShared)(unsafe.Pointer(p))); ok {
		v.(weak.Pointer[waiter]).Value().notify()
	}
}

// lockRings takes the consumer word of m's rank: C's fast receive holds it
// for copies of a few KiB at most, so a short spin is enough.
func (m *matcher) lockRings() {
	c := &m.r.sh.consumer
	for i := 0; !c.CompareAndSwap(0, 1); i++ {
		if i&63 == 63 {
			runtime.Gosched() // the holder may have lost its CPU
		}
	}
}

func (m *matcher) unlockRings() { m.r.sh.consumer.Store(0) }

// layoutErr says why the C and Go views of the shared state differ, which
// disables the fast path (FastComm returns nil); TestFastLayout fails on it.
var layoutErr = checkFastLayout()

func checkFastLayout() error {
	var s slotShared
	var rg ringShared
	var r rankShared
	var c commShared
	want := []uintptr{
		unsafe.Sizeof(s), unsafe.Offsetof(s.small),
		unsafe.Sizeof(rg), unsafe.Offsetof(rg.tail), unsafe.Offsetof(rg.to), unsafe.Offsetof(rg.slots),
		unsafe.Sizeof(r), unsafe.Offsetof(r.consumer), unsafe.Offsetof(r.waiting), unsafe.Offsetof(r.id),
		unsafe.Offsetof(r.in), unsafe.Offsetof(r.out), unsafe.Offsetof(r.fastColls),
		unsafe.Sizeof(c), unsafe.Offsetof(c.ranks), unsafe.Offsetof(c.r),
		unsafe.Offsetof(c.seq), unsafe.Offsetof(c.pending), unsafe.Offsetof(c.slots), unsafe.Offsetof(c.members),
		unsafe.Sizeof(shmSlot{}), unsafe.Offsetof(shmSlot{}.small),
		unsafe.Offsetof(c.bcasts), unsafe.Offsetof(c.bcast), unsafe.Sizeof(bcastSlot{}), unsafe.Offsetof(bcastSlot{}.small),
		unsafe.Offsetof(c.bigs), shmCollMax, unsafe.Offsetof(rg.data), slotBuf, ringData, unsafe.Offsetof(r.queuedFrom),
		ringArea, unsafe.Offsetof(rg.dataHead), unsafe.Offsetof(rg.dataTail), unsafe.Offsetof(rg.area),
	}
	for i, w := range want {
		if got := uintptr(C.faasm_mpi_layout(C.int(i))); got != w {
			return fmt.Errorf("mpi: fast path disabled: C layout item %d is %d, Go's %d", i, got, w)
		}
	}
	return nil
}
