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
	// lives in the rank's shared state, with waiting (len(posted) +
	// len(probes)): the C fast path takes nothing while either is non-zero.
	queued *atomic.Int32
	// in are the rings local senders push into (ring.go), drained under
	// mu; inView is the same list for lock-free polling.
	in     []*ring
	inView atomic.Pointer[[]*ring]
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
// Messages waiting in the rank's rings are taken first: they were sent
// before env by their senders (ring.go).
func (m *matcher) Deliver(env *Envelope) {
	m.mu.Lock()
	m.drainLocked()
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
		m.r.sh.waiting.Add(-1)
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
	m.queued.Add(1)
	for i := 0; i < len(m.probes.items()); {
		if q := m.probes.items()[i]; q.matches(kept) {
			m.probes.remove(i)
			m.r.sh.waiting.Add(-1)
			q.complete(Status{Source: kept.Source, Tag: kept.Tag, Count: kept.Size})
			continue
		}
		i++
	}
	return nil
}

// post starts receive q: it takes a matching unexpected envelope or queues.
func (m *matcher) post(q *Request) {
	m.mu.Lock()
	m.drainLocked()
	if env := m.takeLocked(q.ctx, q.peer, q.tag); env != nil {
		m.mu.Unlock()
		q.finishRecv(env)
		m.giveBack(env)
		return
	}
	q.posted = true
	m.posted.push(q)
	m.r.sh.waiting.Add(1)
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
	m.queued.Add(-1)
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
// receive posted a little later. false when nothing matched in time.
func (m *matcher) awaitTake(ctx ContextID, src, tag int, buf []byte, spin bool) (Status, bool) {
	if !spin {
		return Status{}, false
	}
	seen := m.queued.Load()
	for range takePolls {
		// A new unexpected message (through the transport) or one in a
		// ring may match; one already queued and looked at does not.
		if n := m.queued.Load(); n != seen || m.pending() {
			if st, ok := m.take(ctx, src, tag, buf); ok {
				return st, true
			}
			seen = m.queued.Load()
		}
	}
	return Status{}, false
}

// take completes a blocking receive into buf from a message that is
// already here, without a Request (whose filling, completion and
// recycling cost as much as the rest of the receive); false when none is,
// and the caller posts a receive.
func (m *matcher) take(ctx ContextID, src, tag int, buf []byte) (Status, bool) {
	if m.queued.Load() == 0 && !m.pending() {
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
	// (Deliver drains them before it queues): the first matching one is
	// received straight from its slot, the ones before it are queued. A
	// receive posted earlier (an Irecv) that matches it comes first. This
	// is drainLocked's loop with an exit of its own: handing the envelope
	// to a callback instead moves it to the heap, an allocation per
	// message on every drain.
	m.lockRings()
	for _, rg := range m.in {
		for h := rg.sh.head.Load(); ; h++ {
			if rg.sh.slots[h%ringSlots].seq.Load() != h+1 {
				break
			}
			env := rg.envelope(h % ringSlots)
			if matches(ctx, src, tag, &env) && m.postedIndexLocked(&env) < 0 {
				st := receive(m.r, buf, &env)
				rg.release(h)
				m.unlockRings()
				m.mu.Unlock()
				return st, true
			}
			if q := m.acceptLocked(&env); q != nil {
				q.finishRecv(&env)
			}
			rg.release(h)
		}
	}
	m.unlockRings()
	m.mu.Unlock()
	return Status{}, false
}

// cancel removes a posted, unmatched receive. It reports false when the
// receive already matched (MPI: the cancel fails, the receive completes).
func (m *matcher) cancel(q *Request) bool {
	m.mu.Lock()
	for i, p := range m.posted.items() {
		if p == q {
			m.posted.remove(i)
			m.r.sh.waiting.Add(-1)
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
		m.r.sh.waiting.Add(1)
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
