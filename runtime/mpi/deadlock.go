package mpi

// This file implements blocking and the deadlock detector.
//
// Every goroutine that takes part in a job (one per rank, plus one per
// in-flight non-blocking collective) owns a waiter. A blocking call records a
// description of itself in its waiter and parks on the waiter's wake channel.
// The detector counts active waiters and blocked ones; when a waiter blocks
// and the two counts become equal, no goroutine is left that could send a
// message or complete a request, so the job is deadlocked. The check runs at
// that moment (event-driven), never from a polling loop.
//
// The count cannot report a false deadlock: a completion is always performed
// by an active (unblocked) goroutine, and it clears its target's blocked flag
// (under det.mu) before it can block itself. In-process transports deliver
// synchronously, so nothing is ever in flight; a cross-host transport needs a
// distributed snapshot before it may call a deadlock (not implemented).

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type detector struct {
	mu       sync.Mutex
	waiters  map[*waiter]struct{} // active waiters
	nblocked int                  // active waiters with blocked set
}

func (d *detector) init() { d.waiters = make(map[*waiter]struct{}) }

// waiter is one goroutine's parking spot.
type waiter struct {
	w     *World
	rank  int    // world rank it acts for
	label string // "" for the rank's own goroutine, else what the helper runs

	// A wake token means "re-check", given only with blocked cleared. A
	// rank's own waiter parks its OS thread on a futex (park, see
	// park_linux.go); helper goroutines of non-blocking collectives are
	// plain goroutines and park on the wake channel (buffered(1)).
	wake     chan struct{}
	park     atomic.Uint32
	sleeping *atomic.Bool // set while in block; lets notify skip det.mu (a rank's own: in C memory, fast.go)
	m        *matcher     // the rank's, for its own goroutine: block drains its rings

	// guarded by w.det.mu
	blocked bool
	call    call
}

func newWaiter(w *World, rank int, label string) *waiter {
	return &waiter{w: w, rank: rank, label: label, wake: make(chan struct{}, 1), sleeping: new(atomic.Bool)}
}

// activate counts wt as a participant. It must happen before the goroutine
// it stands for could be needed by anyone (i.e. before it starts).
func (wt *waiter) activate() {
	d := &wt.w.det
	d.mu.Lock()
	d.waiters[wt] = struct{}{}
	d.mu.Unlock()
}

// deactivate removes wt from the participants (rank finalized or exited,
// helper goroutine finished) and re-checks for a deadlock: the remaining
// ranks may all be waiting for the one that left.
func (wt *waiter) deactivate() {
	d := &wt.w.det
	d.mu.Lock()
	if _, ok := d.waiters[wt]; ok {
		if wt.blocked {
			wt.blocked = false
			d.nblocked--
		}
		delete(d.waiters, wt)
		wt.w.checkDeadlockLocked()
	}
	d.mu.Unlock()
}

func (wt *waiter) signal() {
	if wt.label == "" {
		futexUnpark(&wt.park)
		return
	}
	select {
	case wt.wake <- struct{}{}:
	default:
	}
}

// notify is called after something wt may be waiting for became ready (the
// ready state must be published before the call).
//
// A wake token is sent only together with clearing blocked, under det.mu, so
// a goroutine that runs is never counted as blocked. When wt is not
// sleeping no token is needed: its next block re-checks ready() after
// setting sleeping, and the two sequentially consistent atomics guarantee
// one side sees the other.
func (wt *waiter) notify() {
	if wt == nil || !wt.sleeping.Load() {
		return
	}
	d := &wt.w.det
	d.mu.Lock()
	wt.unblockLocked()
	d.mu.Unlock()
}

func (wt *waiter) unblockLocked() {
	if wt.blocked {
		wt.blocked = false
		wt.w.det.nblocked--
		wt.signal()
	}
}

// block parks the goroutine until ready() is true or the job fails. ready
// must be cheap and lock-free (atomic loads): it runs under det.mu.
func (wt *waiter) block(c call, ready func() bool) error {
	w := wt.w
	d := &w.det
	if w.spin > 0 && spinUntil(wt, ready, w.spin, w.yield) {
		return nil
	}
	for {
		if wt.poll(ready) {
			return nil
		}
		if err := w.Err(); err != nil {
			return err
		}
		d.mu.Lock()
		wt.sleeping.Store(true)
		// A message pushed into a ring after the poll above wakes this
		// waiter (sendLocal notifies after publishing it), or is seen here.
		if ready() || w.Err() != nil || (wt.m != nil && wt.m.pending()) {
			wt.sleeping.Store(false)
			d.mu.Unlock()
			continue
		}
		wt.blocked = true
		wt.call = c
		d.nblocked++
		w.checkDeadlockLocked()
		d.mu.Unlock()

		if wt.label == "" {
			futexPark(&wt.park)
		} else {
			<-wt.wake // whoever sent the token cleared blocked
		}
		wt.sleeping.Store(false)
	}
}

// progress drains the rank's rings (for its own goroutine). Not under
// det.mu: draining takes the matcher's lock, which is taken before det.mu
// (completing a request notifies).
func (wt *waiter) progress() {
	if wt.m != nil {
		wt.m.progress()
	}
}

// poll makes progress and reports ready().
func (wt *waiter) poll(ready func() bool) bool {
	wt.progress()
	return ready()
}

// ringPolls+1 is how many polls of a spinning wait share one look at the
// rings: with a ring per peer that look costs more than the poll, and
// 256 of them before the first yield kept oversubscribed ranks off the CPU
// their peers needed (an 8-byte Barrier at np 4 on 2 cores went from 7-8 to
// 11-12 us when every poll looked).
const ringPolls = 7

func (w *World) checkDeadlockLocked() {
	d := &w.det
	// Ranks on other hosts are invisible here; without a distributed
	// snapshot a local count would report false deadlocks.
	if w.multiHost || d.nblocked == 0 || d.nblocked != len(d.waiters) || w.Err() != nil {
		return
	}
	w.failLocked(fmt.Errorf("mpi: %w: every live rank is blocked and no message is in flight\n%s",
		ErrDeadlock, w.reportLocked()))
}

// reportLocked describes every blocked goroutine, one line each, ordered by
// rank (the rank's own call first).
func (w *World) reportLocked() string {
	ws := make([]*waiter, 0, len(w.det.waiters))
	for wt := range w.det.waiters {
		if wt.blocked {
			ws = append(ws, wt)
		}
	}
	sort.Slice(ws, func(i, j int) bool {
		if ws[i].rank != ws[j].rank {
			return ws[i].rank < ws[j].rank
		}
		return ws[i].label < ws[j].label
	})
	var b strings.Builder
	for i, wt := range ws {
		if i > 0 {
			b.WriteByte('\n')
		}
		if wt.label == "" {
			fmt.Fprintf(&b, "rank %d blocked in %s", wt.rank, wt.call)
		} else {
			fmt.Fprintf(&b, "rank %d (%s) blocked in %s", wt.rank, wt.label, wt.call)
		}
	}
	for r, rk := range w.ranks {
		if rk != nil && rk.finalized.Load() {
			fmt.Fprintf(&b, "\nrank %d finalized", r)
		}
	}
	return b.String()
}

// call describes a blocking MPI call for the deadlock report. It is a value
// (no allocation per call); String runs only when a report is made.
type call struct {
	fn      string
	peerKey string // "source", "dest", "root" or ""
	peer    int
	tag     int
	hasTag  bool
	comm    *Comm
	req     *Request // for Wait-like calls: what is waited for
	nreq    int      // number of requests waited for
}

func (c call) String() string {
	var args []string
	if c.req != nil {
		s := c.req.call.String()
		if c.nreq > 1 {
			s += fmt.Sprintf(" and %d more", c.nreq-1)
		}
		args = append(args, s)
	}
	if c.peerKey != "" {
		args = append(args, c.peerKey+"="+rankString(c.peer))
	}
	if c.hasTag {
		t := fmt.Sprint(c.tag)
		if c.tag == AnyTag {
			t = "MPI_ANY_TAG"
		}
		args = append(args, "tag="+t)
	}
	if c.comm != nil {
		args = append(args, "comm="+c.comm.Name())
	}
	return c.fn + "(" + strings.Join(args, ", ") + ")"
}

func rankString(r int) string {
	switch r {
	case AnySource:
		return "MPI_ANY_SOURCE"
	case ProcNull:
		return "MPI_PROC_NULL"
	}
	return fmt.Sprint(r)
}

// spinBeforePark is how long a blocking call polls for completion before it
// parks when every local rank has a CPU of its own (World.spin). A parked
// rank costs a futex wake and a reschedule of its thread to wake (63 µs
// ping-pong latency measured here without polling), and a job whose ranks
// park and wake thousands of times a second also computes slower between
// its MPI calls: LAMMPS's LJ benchmark at np 2 (waits of 0.1-2 ms for the
// slower rank) ran its loop in 1.60 s polling 200 µs, 1.21-1.35 s polling
// 2 ms and 1.40 s never parking. MPI implementations poll shared memory
// for the same reason (OpenMPI never parks).
const spinBeforePark = 2 * time.Millisecond

// spinOversubscribed is World.spin when local ranks outnumber CPUs. Measured
// at np 4 on 2 busy cores, medians of 4 interleaved runs (8-byte Barrier,
// Allreduce, Alltoall): parking at once 67, 84, 101 µs; after 5 µs 13,
// 16, 39; after 20 µs 10, 37, 25; after 100 µs 16, 30, 65.
const spinOversubscribed = 20 * time.Microsecond

// pureSpins is how many times a blocking call polls before it starts to
// yield: about a microsecond, the time a partner on another CPU needs to
// answer, without a system call on that path.
const pureSpins = 256

// yieldSpins replaces pureSpins when local ranks outnumber the CPUs: the
// partner is then probably waiting for this CPU, so the first yield comes
// sooner.
const yieldSpins = 32

// politeAfter is how long a rank that has a CPU of its own polls without
// yielding. Messages and collective partners on another core answer well
// within it, without a system call on that path (a sched_yield costs about
// a microsecond here, as much as the hand-over waited for). Past it the
// partner is probably not running: the machine is busier than the job's
// own ranks (other processes, a loaded CI host), and a rank that kept
// polling without yielding held its core until the scheduler preempted it
// (a 1-double Sendrecv took 230 us under load against 30 us for OpenMPI).
const politeAfter = 50 * time.Microsecond

// spinUntil polls ready for up to d and reports whether it became true.
// With yield set (more local ranks than CPUs) it gives the CPU away
// (sched_yield) between polls after the first yieldSpins, as OpenMPI's
// yield_when_idle does: a rank that burns its time slice polling keeps the
// peer it waits for off the CPU. Without yield it polls without system
// calls for politeAfter first.
func spinUntil(wt *waiter, ready func() bool, d time.Duration, yield bool) bool {
	spins := pureSpins
	if yield {
		spins = yieldSpins
	}
	for i := range spins {
		if i&ringPolls == 0 {
			wt.progress()
		}
		if ready() {
			return true
		}
	}
	now := time.Now()
	deadline := now.Add(d)
	politeAt := now.Add(politeAfter)
	for i := 0; ; i++ {
		if i&ringPolls == 0 {
			wt.progress()
		}
		if ready() {
			return true
		}
		if i&7 != 7 {
			continue
		}
		if yield {
			syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
		} else if i&1023 != 1023 {
			continue // a clock read costs as much as a hundred polls
		}
		now := time.Now()
		if now.After(deadline) {
			return wt.poll(ready)
		}
		if !yield && now.After(politeAt) {
			yield = true
		}
	}
}
