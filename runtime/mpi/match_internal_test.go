package mpi

import (
	"errors"
	"slices"
	"testing"
)

// TestQueue drives the matching queues' FIFO against a plain slice: pushes,
// head removals and removals from the middle in a pattern that wraps the
// backing array many times.
func TestQueue(t *testing.T) {
	var q queue[int]
	var want []int
	next := 0
	for step := range 5000 {
		switch {
		case step%7 == 3 && len(want) > 2:
			i := len(want) / 2
			q.remove(i)
			want = slices.Delete(want, i, i+1)
		case step%3 == 0 && len(want) > 0:
			q.remove(0)
			want = want[1:]
		default:
			q.push(next)
			want = append(want, next)
			next++
		}
		if !slices.Equal(q.items(), want) {
			t.Fatalf("step %d: queue %v, want %v", step, q.items(), want)
		}
	}
}

// TestQueue_steadyStreamReusesArray: a receiver a few messages behind its
// sender pushes and takes the head forever; after warming up, that must not
// allocate (every reallocation was garbage for the collector).
func TestQueue_steadyStreamReusesArray(t *testing.T) {
	var q queue[*Envelope]
	env := new(Envelope)
	for range 8 {
		q.push(env)
	}
	step := func() {
		q.push(env)
		q.remove(0)
	}
	for range 1000 {
		step()
	}
	if n := testing.AllocsPerRun(10000, step); n != 0 {
		t.Fatalf("%.2f allocations per message in a steady stream, want 0", n)
	}
	if len(q.items()) != 8 || cap(q.buf) > 32 {
		t.Fatalf("%d queued on an array of %d, want 8 on at most 32", len(q.items()), cap(q.buf))
	}
}

// TestMatcher_streamReusesEnvelopes: unexpected messages taken by receives
// give their envelopes back, so a stream of early messages stops allocating
// once the spares cover the backlog.
func TestMatcher_streamReusesEnvelopes(t *testing.T) {
	w := &World{size: 2, eager: DefaultEagerLimit}
	w.det.init()
	r := newRank(w, 0)
	data := []byte("8 bytes!")
	buf := make([]byte, 8)
	var q Request
	step := func() {
		for range 64 {
			env := Envelope{Context: ctxWorld, Source: 1, Tag: 5, From: 1, To: 0, Size: len(data), Data: data}
			r.m.Deliver(&env)
		}
		for range 64 {
			q = Request{kind: reqRecv, r: r, ctx: ctxWorld, peer: 1, tag: 5, buf: buf}
			r.m.post(&q)
			if !q.done.Load() || q.status.Count != 8 {
				t.Fatalf("receive did not take the early message: done %v, count %d", q.done.Load(), q.status.Count)
			}
		}
	}
	step()
	if n := testing.AllocsPerRun(1000, step); n != 0 {
		t.Fatalf("%.2f allocations per 64 early messages, want 0", n)
	}
}

// TestRecv_takesFromRingInOrder: a blocking receive that finds its
// message in a ring, behind others it does not match, takes it straight
// from the slot and queues the ones before it, which later receives
// (wildcards included) get in send order; a message through the transport
// (the ring was full) stays behind the ring's. The receiver never runs
// concurrently here, so each path is taken for certain.
func TestRecv_takesFromRingInOrder(t *testing.T) {
	w := directWorld(t, 2)
	c0, c1 := w.Rank(0).CommWorld(), w.Rank(1).CommWorld()
	m1 := &w.Rank(1).m
	buf := make([]byte, 1)
	send := func(msg, tag int) {
		t.Helper()
		if err := c0.Send([]byte{byte(msg)}, 1, tag); err != nil {
			t.Fatal(err)
		}
	}
	recv := func(tag, want, wantTag int) {
		t.Helper()
		st, err := c1.Recv(buf, 0, tag)
		if err != nil || int(buf[0]) != want || st.Tag != wantTag {
			t.Fatalf("Recv(tag %d): message %d tag %d (%v), want message %d tag %d", tag, buf[0], st.Tag, err, want, wantTag)
		}
	}

	send(0, 1)
	send(1, 2)
	send(2, 3)
	if n := m1.queued.Load(); n != 0 {
		t.Fatalf("%d queued after three sends, want 0 (all in the ring)", n)
	}
	recv(3, 2, 3)
	if n := m1.queued.Load(); n != 2 {
		t.Fatalf("%d queued after taking the third, want the 2 before it", n)
	}
	recv(AnyTag, 0, 1)
	recv(AnyTag, 1, 2)

	for i := range ringSlots + 2 { // the ring fills: one goes through the transport
		send(i, 5)
	}
	for i := range ringSlots + 2 {
		recv(AnyTag, i, 5)
	}

	// Straight from a slot, truncation is reported with the status filled.
	if err := c0.Send([]byte("four"), 1, 9); err != nil {
		t.Fatal(err)
	}
	st, err := c1.Recv(buf, AnySource, 9)
	if !errors.Is(err, ErrTruncate) || st.Source != 0 || st.Count != 1 {
		t.Fatalf("Recv into 1 byte: %+v, %v; want ErrTruncate from 0 with 1 byte", st, err)
	}
}

// TestRecv_postedReceiveFirst: a message waiting in a ring goes to a
// receive posted before the blocking one that finds it (MPI's order among
// posted receives), not to the blocking receive.
func TestRecv_postedReceiveFirst(t *testing.T) {
	w := directWorld(t, 2)
	c0, c1 := w.Rank(0).CommWorld(), w.Rank(1).CommWorld()
	early := make([]byte, 1)
	q, err := c1.Irecv(early, 0, AnyTag)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []byte{'A', 'B'} {
		if err := c0.Send([]byte{b}, 1, 5); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 1)
	if _, err := c1.Recv(buf, 0, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Rank(1).Wait(q); err != nil {
		t.Fatal(err)
	}
	if early[0] != 'A' || buf[0] != 'B' {
		t.Fatalf("Irecv got %q and the later Recv %q; want A and B", early, buf)
	}
}

// TestUnexpectedQueues drives the per-source unexpected queues against one
// list in arrival order, where a receive takes the first envelope it
// matches: per source or with wildcards, they must pick the same envelope.
// Sources include ones no communicator has (negative, huge), which share
// the overflow queue and must still match only themselves.
func TestUnexpectedQueues(t *testing.T) {
	var u unexpectedQueues
	var model []*Envelope
	sources := []int{0, 1, 2, 3, 7, -5, 1 << 20, 1<<20 + 1}
	rng := uint64(1)
	next := func(n int) int {
		rng = rng*6364136223846793005 + 1442695040888963407
		return int(rng>>33) % n
	}
	for step := range 20000 {
		ctx := ContextID(next(2))
		if next(5) < 3 {
			env := &Envelope{Context: ctx, Source: sources[next(len(sources))], Tag: next(4), Size: step}
			u.push(env)
			model = append(model, env)
			continue
		}
		src, tag := AnySource, AnyTag
		if next(3) > 0 {
			src = sources[next(len(sources))]
		}
		if next(2) > 0 {
			tag = next(4)
		}
		var want *Envelope
		at := slices.IndexFunc(model, func(e *Envelope) bool { return matches(ctx, src, tag, e) })
		if at >= 0 {
			want = model[at]
			model = slices.Delete(model, at, at+1)
		}
		var got *Envelope
		if q, i := u.find(ctx, src, tag); q != nil {
			got = q.items()[i]
			q.remove(i)
		}
		if got != want {
			t.Fatalf("step %d: receive (ctx %d, src %d, tag %d) took %+v, want %+v", step, ctx, src, tag, got, want)
		}
	}
}
