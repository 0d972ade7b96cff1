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
	unexpected queue[*Envelope] // arrived, unmatched, in arrival order
	probes     queue[*Request]  // blocked Probe calls
	// spare holds envelopes (with their data buffers) of unexpected
	// messages already received, for the next ones: a copy per early
	// message otherwise allocates, and a sender that runs ahead of its
	// receiver (a stream of sends) made the garbage collector run dozens
	// of times a second. spareBytes is the capacity of their buffers.
	spare      []*Envelope
	spareBytes int
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
	return q.ctx == env.Context &&
		(q.peer == AnySource || q.peer == env.Source) &&
		(q.tag == AnyTag || q.tag == env.Tag)
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
	for i, q := range m.posted.items() {
		if q.matches(env) {
			m.posted.remove(i)
			q.posted = false
			return q
		}
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
	for i := 0; i < len(m.probes.items()); {
		if q := m.probes.items()[i]; q.matches(kept) {
			m.probes.remove(i)
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
	for i, env := range m.unexpected.items() {
		if q.matches(env) {
			m.unexpected.remove(i)
			m.mu.Unlock()
			q.finishRecv(env)
			if env.spare && cap(env.Data) <= spareData {
				m.mu.Lock()
				if len(m.spare) < maxSpare && m.spareBytes+cap(env.Data) <= maxSpareBytes {
					*env = Envelope{Data: env.Data[:0]}
					m.spare = append(m.spare, env)
					m.spareBytes += cap(env.Data)
				}
				m.mu.Unlock()
			}
			return
		}
	}
	q.posted = true
	m.posted.push(q)
	m.mu.Unlock()
}

// cancel removes a posted, unmatched receive. It reports false when the
// receive already matched (MPI: the cancel fails, the receive completes).
func (m *matcher) cancel(q *Request) bool {
	m.mu.Lock()
	for i, p := range m.posted.items() {
		if p == q {
			m.posted.remove(i)
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
	for _, env := range m.unexpected.items() {
		if q.matches(env) {
			return Status{Source: env.Source, Tag: env.Tag, Count: env.Size}, true
		}
	}
	if wait {
		m.probes.push(q)
	}
	return Status{}, false
}

// finishRecv moves env's payload into q's buffer (one copy, from sender memory
// for rendezvous messages) and completes q, and the sender for rendezvous.
func (q *Request) finishRecv(env *Envelope) {
	n := env.Size
	st := Status{Source: env.Source, Tag: env.Tag}
	if n > len(q.buf) {
		n = len(q.buf)
		st.Err = fmt.Errorf("mpi.recv: rank %d: %d-byte message from source %d tag %d into %d-byte buffer: %w",
			q.r.id, env.Size, env.Source, env.Tag, len(q.buf), ErrTruncate)
	}
	if env.Remote != nil {
		if n > 0 {
			if err := env.Remote.Pull(q.buf[:n]); err != nil && st.Err == nil {
				st.Err = fmt.Errorf("mpi.recv: rank %d: pull from source %d: %w", q.r.id, env.Source, err)
			}
		}
		env.Remote.Done()
	} else {
		copy(q.buf, env.Data[:n])
	}
	st.Count = n
	q.complete(st)
}

// origin is the in-process sender side of a rendezvous/synchronous send: the
// receiver copies straight out of the sender's buffer.
type origin Request

func (o *origin) Pull(dst []byte) error {
	copy(dst, o.buf)
	return nil
}

func (o *origin) Done() { (*Request)(o).complete(Status{}) }
