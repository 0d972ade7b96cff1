package mpi

import (
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
	r := &Rank{id: 0}
	r.m.r = r
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
