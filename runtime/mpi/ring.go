package mpi

// This file implements the shared-memory path of point-to-point messages
// between two ranks of this process: a ring of message slots per ordered
// pair, written by the sender's own goroutine and drained by the receiver.
//
// Delivering through the transport makes the sender match: it takes the
// receiver's matcher lock, walks its posted queue, reads the receive
// request and writes its buffer and status, a chain of loads from lines the
// receiver wrote last, each a transfer between cores (100-200 ns here).
// With a ring the sender only stores into a slot and its sequence number,
// which do not stall it, and the receiver reads the slot back in one or two
// transfers and matches among its own lines (as shared-memory transports of
// MPI implementations do). An 8-byte MPI_Send took about 1 us against
// OpenMPI's 0.2 us while the receiver waited in MPI_Recv.
//
// Progress: a ring is drained by whoever holds the receiver's matcher lock
// (and the consumer word that the C fast path shares, fast.go): the
// receiver when it probes or posts a receive from any source, and Deliver
// from its sender. A receive from one source takes from that source's ring
// only, up to its message, and a wait or test (waiter.block, for a rank's
// own goroutine) takes only what its posted receives and probes may need
// (matcher.progress). The receiver's C fast path takes a message holding
// only the consumer word, when the matcher holds nothing that could come
// first: no waiting receive, nothing queued from the same sender. Deliver
// drains the sender's ring before it matches, so a sender's ring messages
// stay ahead of anything it later sends through the transport (a full
// ring, a large eager message, a buffered send): pairwise order holds
// whichever way each message went.
//
// Leaving the other senders' messages in their rings matters when a
// receiver falls behind senders that never wait for it (the members of a
// Gather): once Go had drained their rings into its unexpected queue, the
// C path declined every later call while anything was queued, and the
// root never caught up. 8-byte Gather at np 4 on 2 cores took 1.5-2.0 us,
// with 0.3-0.35 us against OpenMPI's 0.4 once the rings were left alone
// and full rings made senders wait (wait_for_room, fast.c).
//
// Only a rank's own thread pushes, in Go or in C (one producer per ring: MPI
// calls come from the rank's initial thread, MPI_THREAD_FUNNELED); helper
// goroutines of non-blocking collectives send through the transport.

import "unsafe"

// ringSlots is how many messages a ring holds before the sender falls back
// to the transport.
const ringSlots = 32

// ringData is the largest eager payload a ring carries (in its data area);
// larger eager messages go through the transport (which copies them once
// either way), rendezvous ones travel as a header. As messages through
// Go, 2 KiB took 0.94 us one way against OpenMPI's 0.39.
const ringData = 4 << 10

// ringArea is the size of a ring's data area, where payloads above
// ringSmall lie end to end, each on cache lines of its own: at least
// eight of the largest, or ringSlots of up to 1 KiB. With a part of
// ringData bytes per slot instead, 4 KiB payloads would have cost a ring
// 128 KiB.
const ringArea = 32 << 10

// A ring's head, tail, slots and data area live in C memory (ringShared,
// fast.go), so that the C fast path can push and take small messages too;
// what only Go reads stays here. A slot's first cache line holds what a
// small message needs (sequence number, header, up to ringSmall bytes of
// payload), so the receiver takes one transfer to see and read it.

// ringSmall is the largest payload carried in a slot's first line.
const ringSmall = 32

const (
	slotInline = iota // in small
	slotBuf           // in the ring's data area
	slotRemote        // a rendezvous header: ring.remote pulls from the sender
)

type ring struct {
	sh       *ringShared
	from, to int // world ranks
	// wake is the receiver's waiter, kept here so a push reads nothing of
	// the receiver's Rank, whose matcher lock shares a line with its waiter
	// pointer (a transfer per message when the receiver had just locked it).
	wake *waiter
	// The slots' rendezvous headers, by slot. (Eager payloads above
	// ringSmall lie in the shared data area, ringShared.place.)
	remote [ringSlots]Remote
}

func newRing(from int, to *Rank) *ring {
	rg := &ring{from: from, to: to.id, wake: to.wt}
	rg.sh = newRingShared(rg, to.sh)
	return rg
}

// push appends env (borrowed, as by Transport.Send) to the ring. It reports
// false when the ring is full, or when env does not fit a slot (a tag or
// rank beyond int32, which a communicator never has).
func (rg *ring) push(env *Envelope) bool {
	if int(int32(env.Tag)) != env.Tag || int(int32(env.Source)) != env.Source || int(int32(env.Size)) != env.Size {
		return false
	}
	sh := rg.sh
	t := sh.tail
	if t-sh.headSeen >= ringSlots {
		sh.headSeen = sh.head.Load()
		if t-sh.headSeen >= ringSlots {
			return false
		}
	}
	var area []byte
	var pos uint64
	if env.Remote == nil && env.Size > ringSmall {
		var ok bool
		if area, pos, ok = sh.place(env.Size); !ok {
			return false
		}
	}
	i := t % ringSlots
	raceAcquire(unsafe.Pointer(&rg.remote[i])) // the consumer is done with the slot
	s := &sh.slots[i]
	s.ctx, s.src, s.tag, s.size = env.Context, int32(env.Source), int32(env.Tag), int32(env.Size)
	switch {
	case env.Remote != nil:
		s.kind, rg.remote[i] = slotRemote, env.Remote
	case area == nil:
		s.kind = slotInline
		copy(s.small[:], env.Data[:env.Size])
	default:
		s.kind = slotBuf
		copy(area, env.Data[:env.Size])
		*(*uint64)(unsafe.Pointer(&s.small[0])) = pos
		sh.dataTail = pos + uint64(env.Size)
	}
	sh.tail = t + 1
	raceRelease(unsafe.Pointer(&rg.remote[i]))
	s.seq.Store(t + 1)
	return true
}

// release gives slot h, and its payload's part of the data area, back to
// the producer once the h-th message is consumed (its envelope no longer
// used).
func (rg *ring) release(h uint64) {
	raceRelease(unsafe.Pointer(&rg.remote[h%ringSlots]))
	if s := &rg.sh.slots[h%ringSlots]; s.kind == slotBuf {
		rg.sh.dataHead.Store(s.dataPos() + uint64(s.size))
	}
	rg.sh.head.Store(h + 1)
}

// envelope is the message in slot i, borrowed until the slot is released.
func (rg *ring) envelope(i uint64) Envelope {
	raceAcquire(unsafe.Pointer(&rg.remote[i]))
	s := &rg.sh.slots[i]
	env := Envelope{Context: s.ctx, Source: int(s.src), Tag: int(s.tag), From: rg.from, To: rg.to, Size: int(s.size)}
	switch s.kind {
	case slotInline:
		env.Data = s.small[:env.Size]
	case slotBuf:
		env.Data = at(rg.sh.area, s.dataPos(), env.Size)
	default:
		env.Remote = rg.remote[i]
		rg.remote[i] = nil
	}
	return env
}

// ready reports whether the ring holds a message not yet drained.
func (rg *ring) ready() bool { return rg.sh.ready() }

func (sh *ringShared) ready() bool {
	h := sh.head.Load()
	return sh.slots[h%ringSlots].seq.Load() == h+1
}

// sendLocal pushes q's message (its envelope already built) onto the ring
// to a rank of this process, when the sender is the rank's own goroutine
// and the message fits. It reports false when the transport must carry it.
func (r *Rank) sendLocal(q *Request, env *Envelope) bool {
	if q.owner != r.wt || env.To == r.id || (env.Remote == nil && env.Size > ringData) {
		return false
	}
	return r.pushLocal(env)
}

// sendEager sends a blocking standard-mode message small enough to be
// eager straight into the ring to a local peer, without a Request: such a
// send is complete once its slot is written, and filling, completing and
// recycling a request was about half of what a small MPI_Send cost. It
// reports false when the request path must take the message (MPI_PROC_NULL,
// the rank itself, another host, a large message, a full ring).
func (c *Comm) sendEager(buf []byte, dest, tag int) bool {
	r := c.r
	if dest == ProcNull || len(buf) > ringData || len(buf) > r.w.eager {
		return false
	}
	to := c.group.ranks[dest]
	if to == r.id {
		return false
	}
	env := Envelope{Context: c.ctx, Source: c.rank, Tag: tag, From: r.id, To: to, Size: len(buf), Data: buf}
	return r.pushLocal(&env)
}

// pushLocal pushes env onto the ring to env.To and wakes its receiver,
// making the ring at first use; false when env.To is on another host or
// the ring is full.
func (r *Rank) pushLocal(env *Envelope) bool {
	rg := r.out[env.To]
	if rg == nil {
		dst := r.w.ranks[env.To]
		if dst == nil {
			return false // on another host
		}
		rg = newRing(r.id, dst)
		dst.m.addRing(rg)
		r.out[env.To] = rg
		r.sh.outs()[env.To].Store(rg.sh)
	}
	if !rg.push(env) {
		return false
	}
	rg.wake.notify()
	return true
}

// addRing makes m drain rg.
func (m *matcher) addRing(rg *ring) {
	m.mu.Lock()
	in := append(append([]*ring(nil), m.in...), rg)
	m.in = in
	m.inView.Store(&in)
	m.byFrom[rg.from] = rg
	m.r.sh.ins()[rg.from].Store(rg.sh)
	m.mu.Unlock()
}

// anyReady reports whether a ring into m holds a message (lock-free).
func (m *matcher) anyReady() bool {
	in := m.inView.Load()
	if in == nil {
		return false
	}
	for _, rg := range *in {
		if rg.ready() {
			return true
		}
	}
	return false
}

// needs reports whether a posted receive or blocked probe may match a
// message in rg.
func (m *matcher) needs(rg *ring) bool {
	return m.needAll.Load() > 0 || m.needFrom[rg.from].Load() > 0
}

// pending reports whether a ring into m holds a message that a posted
// receive or blocked probe may match (lock-free): what a wait must drain.
func (m *matcher) pending() bool {
	in := m.inView.Load()
	if in == nil {
		return false
	}
	for _, rg := range *in {
		if m.needs(rg) && rg.ready() {
			return true
		}
	}
	return false
}

// progress delivers what a posted receive or blocked probe may need from
// m's rings: each ring up to the message that satisfies the last receive
// from its sender (every ring, wholly, while one of any source waits). A
// wait that drained every ring queued the messages its senders had sent
// ahead as unexpected, and then the C path declined them one by one: a
// Reduce's root that had once waited in Go stayed there (8 bytes at np 4
// on 2 cores: 0.8-3.8 us in one run in four, against 0.3-0.6).
func (m *matcher) progress() {
	if m.pending() {
		m.mu.Lock()
		m.drainRingsLocked(false)
		m.mu.Unlock()
	}
}

// drainLocked delivers every message waiting in m's rings, in each ring's
// order.
func (m *matcher) drainLocked() { m.drainRingsLocked(true) }

// drainRingsLocked delivers the messages waiting in each of m's rings, in
// the ring's order: all of them, or (all false) as far as progress says.
func (m *matcher) drainRingsLocked(all bool) {
	m.lockRings()
	for _, rg := range m.in {
		m.drainRingLocked(rg, all)
	}
	m.unlockRings()
}

// drainRingLocked delivers the messages waiting in rg, in order: all of
// them, or (all false) while a posted receive or blocked probe may need
// one. Under mu and the consumer word.
func (m *matcher) drainRingLocked(rg *ring, all bool) {
	for h := rg.sh.head.Load(); (all || m.needs(rg)) && rg.sh.slots[h%ringSlots].seq.Load() == h+1; h++ {
		env := rg.envelope(h % ringSlots)
		m.acceptRingLocked(rg, h, &env)
	}
}

// acceptRingLocked delivers env, the message at rg's head h, and releases
// its slot. Matched receives finish under the lock, as the slot must
// outlive the copy; a long rendezvous copy holds up only Deliver to this
// rank.
func (m *matcher) acceptRingLocked(rg *ring, h uint64, env *Envelope) {
	if q := m.acceptLocked(env); q != nil {
		q.finishRecv(env)
	}
	rg.release(h)
}
