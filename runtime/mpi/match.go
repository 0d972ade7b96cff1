package mpi

// This file implements the per-rank matching engine: MPI's two queues.
//
// Posted receives wait in posting order, unexpected envelopes in arrival
// order; an arriving envelope takes the first posted receive it matches and a
// new receive takes the first unexpected envelope it matches. Because the
// transport delivers each sender's envelopes in send order, this gives the
// non-overtaking rule, also with MPI_ANY_SOURCE/MPI_ANY_TAG. Data is copied
// after the queue entry is removed, outside the lock, so large copies never
// hold up other senders.

import (
	"fmt"
	"sync"
	"sync/atomic"
)

type matcher struct {
	r          *Rank
	mu         sync.Mutex
	posted     queue[*Request]  // receives, in posting order
	unexpected unexpectedQueues // arrived, unmatched
	probes     queue[*Request]  // blocked Probe calls
	// spare holds envelopes (with their data buffers) of unexpected
	// messages already received, for the next ones: a copy per early
	// message otherwise allocates, and a sender that runs ahead of its
	// receiver (a stream of sends) made the garbage collector run dozens
	// of times a second. spareBytes is the capacity of their buffers.
	spare      []*Envelope
	spareBytes int
	// queued is len(unexpected), readable without the lock: a blocking
	// receive looks for an early message only when there may be one. It
	// lives in the rank's shared state, with queuedFrom, the same count
	// by sender, and waiting (len(posted) + len(probes)): the C fast path
	// takes nothing from a sender while anything from it is queued or
	// anything waits.
	queued     *atomic.Int32
	queuedFrom []atomic.Int32
	// in are the rings local senders push into (ring.go), drained under
	// mu; inView is the same list for lock-free polling, and byFrom the
	// rings by sender (world rank), nil where none is made.
	in     []*ring
	inView atomic.Pointer[[]*ring]
	byFrom []*ring
	// needFrom[w] counts the posted receives and blocked probes that name
	// world rank w, needAll those of any source: the rings that a wait
	// drains (progress), and how far.
	needFrom []atomic.Int32
	needAll  atomic.Int32
}

// maxSpare bounds the spare envelopes a rank keeps, spareData the buffer
// size one may keep and maxSpareBytes all of their buffers: a sender
// running up to a thousand small messages ahead reuses its receiver's
// envelopes, and the few large ones kept cost at most 1 MiB per rank.
const (
	maxSpare      = 1024
	spareData     = DefaultEagerLimit
	maxSpareBytes = 1 << 20
)

func (q *Request) matches(env *Envelope) bool {
	return matches(q.ctx, q.peer, q.tag, env)
}

func matches(ctx ContextID, src, tag int, env *Envelope) bool {
	return ctx == env.Context &&
		(src == AnySource || src == env.Source) &&
		(tag == AnyTag || tag == env.Tag)
}

// queue is a FIFO that can also remove from the middle, on one backing
// array that it reuses: taking the head, by far the common case (in-order
// matching), only advances start, so a receiver far behind an eager sender
// does not go quadratic; a push that finds the array full moves the live
// part back to the front once at least half of it is free, so a steady
// stream allocates nothing.
type queue[T any] struct {
	buf   []T // the live elements are buf[start:]
	start int
}

func (q *queue[T]) items() []T { return q.buf[q.start:] }

func (q *queue[T]) push(v T) {
	if len(q.buf) == cap(q.buf) && q.start > 0 && q.start >= len(q.buf)/2 {
		n := copy(q.buf, q.buf[q.start:])
		clear(q.buf[n:])
		q.buf, q.start = q.buf[:n], 0
	}
	q.buf = append(q.buf, v)
}

// remove takes out items()[i], keeping order.
func (q *queue[T]) remove(i int) {
	var zero T
	if i == 0 {
		q.buf[q.start] = zero
		q.start++
		if q.start == len(q.buf) {
			q.buf, q.start = q.buf[:0], 0
		}
		return
	}
	j := q.start + i
	copy(q.buf[j:], q.buf[j+1:])
	q.buf[len(q.buf)-1] = zero
	q.buf = q.buf[:len(q.buf)-1]
}

// unexpectedQueues holds the unexpected envelopes, a queue per source in
// arrival order, and stamps each with its arrival so that a wildcard
// receive still takes the earliest that matches. With one queue for all
// sources a receive scanned past every earlier envelope of the others: the
// root of a Gather whose members had run thousands of calls ahead (eager
// sends return at once) walked thousands of them per receive, and removed
// its match from the middle of the array. An 8-byte MPI_Gather at np 4
// took 46-68 us against OpenMPI's 1.4-2.2.
type unexpectedQueues struct {
	bySource []queue[*Envelope] // [sourceIndex(env.Source)]
	arrivals uint64
}

// maxSourceIndex bounds the per-source queues: a source beyond it (none a
// communicator can have, but an envelope from the network is not trusted)
// shares the last queue, where matching still compares the whole source.
const maxSourceIndex = 1 << 16

func sourceIndex(src int) int {
	if src < 0 || src >= maxSourceIndex {
		return maxSourceIndex
	}
	return src
}

func (u *unexpectedQueues) push(env *Envelope) {
	i := sourceIndex(env.Source)
	if i >= len(u.bySource) {
		u.bySource = append(u.bySource, make([]queue[*Envelope], i+1-len(u.bySource))...)
	}
	u.arrivals++
	env.arrival = u.arrivals
	u.bySource[i].push(env)
}

// find returns the queue holding the earliest envelope that matches (ctx,
// src, tag) and its index there, or nil.
func (u *unexpectedQueues) find(ctx ContextID, src, tag int) (*queue[*Envelope], int) {
	if src != AnySource {
		i := sourceIndex(src)
		if i >= len(u.bySource) {
			return nil, -1
		}
		q := &u.bySource[i]
		for j, env := range q.items() {
			if matches(ctx, src, tag, env) {
				return q, j
			}
		}
		return nil, -1
	}
	var best *queue[*Envelope]
	bestAt := -1
	for k := range u.bySource {
		q := &u.bySource[k]
		for j, env := range q.items() {
			if matches(ctx, src, tag, env) {
				if best == nil || env.arrival < best.items()[bestAt].arrival {
					best, bestAt = q, j
				}
				break
			}
		}
	}
	return best, bestAt
}

// Deliver implements Deliverer: it is the transport's entry into the rank.
// Messages waiting in the sender's ring are taken first: it sent them
// before env (ring.go). The other rings are left alone: MPI orders only
// the messages of one sender, and a message left in its ring can still be
// received by the C fast path (the sender's messages queued here would
// stop it).
func (m *matcher) Deliver(env *Envelope) {
	m.mu.Lock()
	if rg := m.ringFrom(env.From); rg != nil {
		m.lockRings()
		m.drainRingLocked(rg, true)
		m.unlockRings()
	}
	q := m.acceptLocked(env)
	m.mu.Unlock()
	if q != nil {
		q.finishRecv(env)
	}
}

// acceptLocked takes env into the queues: it returns the posted receive env
// matched (removed from the queue; the caller finishes it), or nil after
// queuing a copy of env as unexpected and completing the probes it matches.
func (m *matcher) acceptLocked(env *Envelope) *Request {
	if i := m.postedIndexLocked(env); i >= 0 {
		q := m.posted.items()[i]
		m.posted.remove(i)
		m.wait(q, -1)
		q.posted = false
		return q
	}
	// The envelope is the sender's (often inside its Request) and valid
	// only during Deliver: keep a copy, and of eager data too.
	var kept *Envelope
	var buf []byte
	if n := len(m.spare); n > 0 {
		kept = m.spare[n-1]
		m.spare[n-1] = nil
		m.spare = m.spare[:n-1]
		buf = kept.Data[:0]
		m.spareBytes -= cap(buf)
	} else {
		kept = new(Envelope)
	}
	*kept = *env
	if env.Remote == nil && !env.Owned {
		kept.Data = append(buf, env.Data[:env.Size]...)
		kept.Owned = true
		kept.spare = true
	}
	// Only kept is stored: env may live on the caller's stack (ring.go).
	m.unexpected.push(kept)
	m.count(kept, 1)
	for i := 0; i < len(m.probes.items()); {
		if q := m.probes.items()[i]; q.matches(kept) {
			m.probes.remove(i)
			m.wait(q, -1)
			q.complete(Status{Source: kept.Source, Tag: kept.Tag, Count: kept.Size})
			continue
		}
		i++
	}
	return nil
}

// wait adds d to the counts of what waits in the matcher for q's source:
// q is a receive or probe entering (1) or leaving (-1) its queue.
func (m *matcher) wait(q *Request, d int32) {
	m.r.sh.waiting.Add(d)
	if from := sourceRank(q.comm, q.peer); from >= 0 && from < len(m.needFrom) {
		m.needFrom[from].Add(d)
	} else {
		m.needAll.Add(d)
	}
}

// count adds d to the unexpected messages counted, in all and from env's
// sender.
func (m *matcher) count(env *Envelope, d int32) {
	m.queued.Add(d)
	i := env.From
	if i < 0 || i >= len(m.queuedFrom)-1 {
		i = len(m.queuedFrom) - 1
	}
	m.queuedFrom[i].Add(d)
}

// ringFrom is the ring from world rank from into m, or nil (none made, or
// from is no local rank). Under mu.
func (m *matcher) ringFrom(from int) *ring {
	if from < 0 || from >= len(m.byFrom) {
		return nil
	}
	return m.byFrom[from]
}

// sourceRank is the world rank of member source of c: the one sender whose
// messages a receive from source can match. -1 for MPI_ANY_SOURCE (and
// for a source c does not have).
func sourceRank(c *Comm, source int) int {
	if c == nil || source < 0 || source >= len(c.group.ranks) {
		return -1
	}
	return c.group.ranks[source]
}

// post starts receive q: it takes a matching unexpected envelope or queues.
// A receive from one source looks only at that source's ring, and takes
// from it only up to its message: messages of the other senders stay in
// their rings, where the C fast path can still receive them.
func (m *matcher) post(q *Request) {
	from := sourceRank(q.comm, q.peer)
	m.mu.Lock()
	if from < 0 {
		m.drainLocked()
	}
	if env := m.takeLocked(q.ctx, q.peer, q.tag); env != nil {
		m.mu.Unlock()
		q.finishRecv(env)
		m.giveBack(env)
		return
	}
	if rg := m.ringFrom(from); rg != nil {
		m.lockRings()
		env, h, ok := m.scanRingLocked(rg, q.ctx, q.peer, q.tag)
		if ok {
			q.finishRecv(&env)
			rg.release(h)
		}
		m.unlockRings()
		if ok {
			m.mu.Unlock()
			return
		}
	}
	q.posted = true
	m.posted.push(q)
	m.wait(q, 1)
	m.mu.Unlock()
}

// takeLocked removes and returns the first unexpected envelope matching
// (ctx, src, tag), or nil.
func (m *matcher) takeLocked(ctx ContextID, src, tag int) *Envelope {
	q, i := m.unexpected.find(ctx, src, tag)
	if q == nil {
		return nil
	}
	env := q.items()[i]
	q.remove(i)
	m.count(env, -1)
	return env
}

// postedIndexLocked is the index in posted of the first receive env
// matches, or -1.
func (m *matcher) postedIndexLocked(env *Envelope) int {
	for i, q := range m.posted.items() {
		if q.matches(env) {
			return i
		}
	}
	return -1
}

// giveBack keeps a received unexpected envelope for the next early message.
func (m *matcher) giveBack(env *Envelope) {
	if !env.spare || cap(env.Data) > spareData {
		return
	}
	m.mu.Lock()
	if len(m.spare) < maxSpare && m.spareBytes+cap(env.Data) <= maxSpareBytes {
		*env = Envelope{Data: env.Data[:0]}
		m.spare = append(m.spare, env)
		m.spareBytes += cap(env.Data)
	}
	m.mu.Unlock()
}

// takePolls bounds awaitTake: about as long as a partner on another core
// takes to answer a message (a few microseconds), after which the receive
// is posted and waits as any other.
const takePolls = 2048

// awaitTake polls for a message that take can complete, when the rank has a
// CPU of its own (spin): a ping-pong's reply then goes from the ring slot
// straight into the buffer, without posting a request, completing it and
// recycling it, and the rings are looked at on every poll, not every
// eighth. Nothing is posted meanwhile, which no one can tell apart from a
// receive posted a little later. false when nothing matched in time. from
// is src's world rank (-1 for MPI_ANY_SOURCE), whose ring alone can hold
// the message.
func (m *matcher) awaitTake(ctx ContextID, from, src, tag int, buf []byte, spin bool) (Status, bool) {
	if !spin {
		return Status{}, false
	}
	seen := m.queued.Load()
	for range takePolls {
		// A new unexpected message (through the transport) or one in a
		// ring may match; one already queued and looked at does not.
		if n := m.queued.Load(); n != seen || m.pendingFrom(from) {
			if st, ok := m.take(ctx, from, src, tag, buf); ok {
				return st, true
			}
			seen = m.queued.Load()
		}
	}
	return Status{}, false
}

// pendingFrom reports whether the ring from world rank from (every ring
// for -1) holds a message (lock-free).
func (m *matcher) pendingFrom(from int) bool {
	if from < 0 {
		return m.anyReady()
	}
	sh := m.r.sh.ins()[from].Load()
	return sh != nil && sh.ready()
}

// take completes a blocking receive into buf from a message that is
// already here, without a Request (whose filling, completion and
// recycling cost as much as the rest of the receive); false when none is,
// and the caller posts a receive. from is as for awaitTake.
func (m *matcher) take(ctx ContextID, from, src, tag int, buf []byte) (Status, bool) {
	if m.queued.Load() == 0 && !m.pendingFrom(from) {
		return Status{}, false
	}
	m.mu.Lock()
	if env := m.takeLocked(ctx, src, tag); env != nil {
		m.mu.Unlock()
		st := receive(m.r, buf, env)
		m.giveBack(env)
		return st, true
	}
	// Nothing queued matches, and the rings hold only newer messages
	// (Deliver drains a sender's ring before it queues): the first
	// matching one is received straight from its slot, the ones before it
	// in its ring are queued.
	rings := m.in
	if from >= 0 {
		rings = m.byFrom[from : from+1]
	}
	m.lockRings()
	for _, rg := range rings {
		if rg == nil {
			continue
		}
		if env, h, ok := m.scanRingLocked(rg, ctx, src, tag); ok {
			st := receive(m.r, buf, &env)
			rg.release(h)
			m.unlockRings()
			m.mu.Unlock()
			return st, true
		}
	}
	m.unlockRings()
	m.mu.Unlock()
	return Status{}, false
}

// scanRingLocked takes messages from rg's head up to the first that
// matches (ctx, src, tag) and that no receive posted earlier (an Irecv)
// matches: it returns that one, its slot h not yet released, for the
// caller to receive and release. The messages before it are accepted
// (matched to posted receives or queued). false when rg holds no such
// message: then all of them were accepted. This is drainRingLocked's loop
// with an exit of its own: handing the envelope to a callback instead
// moves it to the heap, an allocation per message. Under mu and the
// consumer word.
func (m *matcher) scanRingLocked(rg *ring, ctx ContextID, src, tag int) (Envelope, uint64, bool) {
	for h := rg.sh.head.Load(); ; h++ {
		if rg.sh.slots[h%ringSlots].seq.Load() != h+1 {
			return Envelope{}, 0, false
		}
		env := rg.envelope(h % ringSlots)
		if matches(ctx, src, tag, &env) && m.postedIndexLocked(&env) < 0 {
			return env, h, true
		}
		m.acceptRingLocked(rg, h, &env)
	}
}

// cancel removes a posted, unmatched receive. It reports false when the
// receive already matched (MPI: the cancel fails, the receive completes).
func (m *matcher) cancel(q *Request) bool {
	m.mu.Lock()
	for i, p := range m.posted.items() {
		if p == q {
			m.posted.remove(i)
			m.wait(q, -1)
			q.posted = false
			m.mu.Unlock()
			return true
		}
	}
	m.mu.Unlock()
	return false
}

// probe looks for a matching unexpected envelope without consuming it. With
// wait set and nothing found, q is queued and completed by the next matching
// arrival.
func (m *matcher) probe(q *Request, wait bool) (Status, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drainLocked()
	if uq, i := m.unexpected.find(q.ctx, q.peer, q.tag); uq != nil {
		env := uq.items()[i]
		return Status{Source: env.Source, Tag: env.Tag, Count: env.Size}, true
	}
	if wait {
		m.probes.push(q)
		m.wait(q, 1)
	}
	return Status{}, false
}

// finishRecv moves env's payload into q's buffer and completes q.
func (q *Request) finishRecv(env *Envelope) {
	q.complete(receive(q.r, q.buf, env))
}

// receive moves env's payload into buf (one copy, from sender memory for
// rendezvous messages, whose sender it completes) and returns the status.
func receive(r *Rank, buf []byte, env *Envelope) Status {
	n := env.Size
	st := Status{Source: env.Source, Tag: env.Tag}
	if n > len(buf) {
		n = len(buf)
		st.Err = fmt.Errorf("mpi.recv: rank %d: %d-byte message from source %d tag %d into %d-byte buffer: %w",
			r.id, env.Size, env.Source, env.Tag, len(buf), ErrTruncate)
	}
	if env.Remote != nil {
		if n > 0 {
			if err := env.Remote.Pull(buf[:n]); err != nil && st.Err == nil {
				st.Err = fmt.Errorf("mpi.recv: rank %d: pull from source %d: %w", r.id, env.Source, err)
			}
		}
		env.Remote.Done()
	} else {
		copy(buf, env.Data[:n])
	}
	st.Count = n
	return st
}

// origin is the in-process sender side of a rendezvous/synchronous send: the
// receiver copies straight out of the sender's buffer.
type origin Request

func (o *origin) Pull(dst []byte) error {
	copy(dst, o.buf)
	return nil
}

func (o *origin) Done() { (*Request)(o).complete(Status{}) }
