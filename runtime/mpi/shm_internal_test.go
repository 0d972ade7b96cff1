package mpi

import (
	"sync"
	"testing"
)

// TestBoards_freed: boards of freed communicators must not accumulate in
// the World (a program that splits and frees in a loop would grow without
// bound), and the world communicator's board stays usable meanwhile.
func TestBoards_freed(t *testing.T) {
	const n = 3
	tr := &directTransport{ranks: make([]*matcher, n)}
	w, err := NewWorld(Config{Size: n, Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
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
