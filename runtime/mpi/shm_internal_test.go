package mpi

import (
	"sync"
	"testing"
	"unsafe"
)

// TestBoards_freed: boards of freed communicators must not accumulate in
// the World (a program that splits and frees in a loop would grow without
// bound), and the world communicator's board stays usable meanwhile.
func TestBoards_freed(t *testing.T) {
	const n = 3
	w := directWorld(t, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := w.Rank(i).CommWorld()
			for round := range 100 {
				sub, err := c.Split(round%2, i)
				if err == nil {
					err = sub.Barrier()
				}
				if err == nil {
					err = sub.Free()
				}
				if err == nil {
					err = c.Barrier()
				}
				if err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("rank %d: %v", i, err)
		}
	}
	w.boards.mu.Lock()
	defer w.boards.mu.Unlock()
	if len(w.boards.m) != 1 {
		t.Fatalf("%d boards left, want only MPI_COMM_WORLD's", len(w.boards.m))
	}
}

// directTransport delivers in process; the inproc package cannot be
// imported from an internal test (it imports mpi).
type directTransport struct{ ranks []*matcher }

func (d *directTransport) Register(rank int, dl Deliverer) error {
	d.ranks[rank] = dl.(*matcher)
	return nil
}
func (d *directTransport) Send(env *Envelope) error { d.ranks[env.To].Deliver(env); return nil }
func (d *directTransport) Close() error             { return nil }

// directWorld is a world of n ranks over a directTransport.
func directWorld(t *testing.T, n int) *World {
	t.Helper()
	w, err := NewWorld(Config{Size: n, Transport: &directTransport{ranks: make([]*matcher, n)}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestRequestLayout: the fields a sender touches when it matches and
// completes a receive stay within a request's first two cache lines, and
// a request's size keeps it 64-byte aligned in its size class (see
// Request). A field added in the wrong place fails here, not in a
// benchmark.
func TestRequestLayout(t *testing.T) {
	var q Request
	if size := unsafe.Sizeof(q); size%64 != 0 {
		t.Errorf("Request is %d bytes, not a multiple of 64: adjust its padding", size)
	}
	hot := map[string]uintptr{
		"done": unsafe.Offsetof(q.done), "settled": unsafe.Offsetof(q.settled), "kind": unsafe.Offsetof(q.kind),
		"temp": unsafe.Offsetof(q.temp), "posted": unsafe.Offsetof(q.posted), "ctx": unsafe.Offsetof(q.ctx),
		"peer": unsafe.Offsetof(q.peer), "tag": unsafe.Offsetof(q.tag), "buf": unsafe.Offsetof(q.buf) + unsafe.Sizeof(q.buf) - 1,
		"owner": unsafe.Offsetof(q.owner), "onDone": unsafe.Offsetof(q.onDone),
		"status": unsafe.Offsetof(q.status) + unsafe.Sizeof(q.status) - 1,
	}
	for name, end := range hot {
		if end >= 128 {
			t.Errorf("Request.%s ends at byte %d, past the first two cache lines", name, end)
		}
	}
}

// TestRingLayout: a small message's slot is one cache line, and the
// receiver's and the sender's counters sit on lines of their own (ring.go);
// the C fast path sees the same layout (fast.go).
func TestRingLayout(t *testing.T) {
	if layoutErr != nil {
		t.Fatal(layoutErr)
	}
	var rg ringShared
	if s := unsafe.Sizeof(slotShared{}); s != 64 {
		t.Errorf("slotShared is %d bytes, want 64", s)
	}
	if o := unsafe.Offsetof(rg.tail); o != 64 {
		t.Errorf("ringShared.tail at %d, want 64", o)
	}
	if o := unsafe.Offsetof(rg.slots); o != 128 {
		t.Errorf("ringShared.slots at %d, want 128", o)
	}
	var r rankShared
	if o := unsafe.Offsetof(r.consumer); o != 64 {
		t.Errorf("rankShared.consumer at %d, want 64", o)
	}
	if o := unsafe.Offsetof(r.id); o != 128 {
		t.Errorf("rankShared.id at %d, want 128", o)
	}
}
