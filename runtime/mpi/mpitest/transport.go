package mpitest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/faasm-go/faasm/runtime/mpi"
)

// NewTransport creates a transport for a job of size ranks whose ranks all
// live in this process (a multi-host transport runs its hosts in-process,
// e.g. against an embedded NATS server).
type NewTransport func(t *testing.T, size int) mpi.Transport

// TestTransport is the conformance suite for mpi.Transport implementations:
// the contract in the Transport doc comment, then whole jobs running the
// matching engine and collectives on top.
func TestTransport(t *testing.T, newTransport NewTransport) {
	t.Run("order", func(t *testing.T) { testOrder(t, newTransport) })
	t.Run("borrowed", func(t *testing.T) { testBorrowed(t, newTransport) })
	t.Run("rendezvous", func(t *testing.T) { testRendezvous(t, newTransport) })
	t.Run("errors", func(t *testing.T) { testErrors(t, newTransport) })
	t.Run("job", func(t *testing.T) { testJob(t, newTransport) })
}

type recorder struct {
	mu   sync.Mutex
	envs []mpi.Envelope
	ch   chan struct{}
	pull func(env *mpi.Envelope)
}

func newRecorder() *recorder { return &recorder{ch: make(chan struct{}, 1<<16)} }

func (r *recorder) Deliver(env *mpi.Envelope) {
	e := *env
	e.Data = bytes.Clone(env.Data)
	if r.pull != nil {
		r.pull(env)
	}
	r.mu.Lock()
	r.envs = append(r.envs, e)
	r.mu.Unlock()
	r.ch <- struct{}{}
}

func (r *recorder) wait(t *testing.T, n int) []mpi.Envelope {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for range n {
		select {
		case <-r.ch:
		case <-deadline:
			t.Fatalf("transport delivered fewer than %d envelopes", n)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mpi.Envelope(nil), r.envs...)
}

func setup(t *testing.T, newTransport NewTransport, size int) (mpi.Transport, []*recorder) {
	tr := newTransport(t, size)
	t.Cleanup(func() { _ = tr.Close() })
	recs := make([]*recorder, size)
	for i := range recs {
		recs[i] = newRecorder()
		if err := tr.Register(i, recs[i]); err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
	}
	return tr, recs
}

// testOrder: concurrent senders, one receiver; each sender's envelopes
// arrive in send order with header and payload intact.
func testOrder(t *testing.T, newTransport NewTransport) {
	const size, per = 4, 500
	tr, recs := setup(t, newTransport, size)
	var wg sync.WaitGroup
	errs := make(chan error, size)
	for from := 1; from < size; from++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				payload := []byte(fmt.Sprintf("%d:%d", from, i))
				env := &mpi.Envelope{Context: 6, Source: from, Tag: i % 7, From: from, To: 0, Size: len(payload), Data: payload}
				if err := tr.Send(env); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	envs := recs[0].wait(t, (size-1)*per)
	next := make([]int, size)
	for _, e := range envs {
		i := next[e.From]
		next[e.From]++
		want := fmt.Sprintf("%d:%d", e.From, i)
		if string(e.Data) != want || e.Tag != i%7 || e.Source != e.From || e.Context != 6 || e.Size != len(want) || e.To != 0 {
			t.Fatalf("from %d message %d: got %+v data %q, want data %q", e.From, i, e, e.Data, want)
		}
	}
	for from := 1; from < size; from++ {
		if next[from] != per {
			t.Errorf("from %d: %d envelopes, want %d", from, next[from], per)
		}
	}
}

// testBorrowed: eager data is borrowed only for the duration of Send.
func testBorrowed(t *testing.T, newTransport NewTransport) {
	tr, recs := setup(t, newTransport, 2)
	for _, n := range []int{0, 1, 1000, 1 << 20} {
		buf := bytes.Repeat([]byte{0xA5}, n)
		if err := tr.Send(&mpi.Envelope{Context: 2, Source: 0, Tag: n, From: 0, To: 1, Size: n, Data: buf}); err != nil {
			t.Fatal(err)
		}
		for i := range buf {
			buf[i] = 0
		}
	}
	envs := recs[1].wait(t, 4)
	for _, e := range envs {
		if len(e.Data) != e.Tag || !bytes.Equal(e.Data, bytes.Repeat([]byte{0xA5}, e.Tag)) {
			t.Fatalf("eager payload of %d bytes changed after Send returned", e.Tag)
		}
	}
}

type fakeRemote struct {
	data []byte
	done chan struct{}
}

func (f *fakeRemote) Pull(dst []byte) error {
	copy(dst, f.data)
	return nil
}

func (f *fakeRemote) Done() { close(f.done) }

// testRendezvous: Pull reaches the sender's data and Done its request.
func testRendezvous(t *testing.T, newTransport NewTransport) {
	tr, recs := setup(t, newTransport, 2)
	pulled := make(chan []byte, 1)
	recs[1].pull = func(env *mpi.Envelope) {
		if env.Remote == nil {
			pulled <- nil
			return
		}
		go func() { // the receiver may pull later, from another goroutine
			dst := make([]byte, env.Size)
			if err := env.Remote.Pull(dst); err != nil {
				t.Error(err)
			}
			env.Remote.Done()
			pulled <- dst
		}()
	}
	for _, n := range []int{1, 3 << 20} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i * 7)
		}
		f := &fakeRemote{data: data, done: make(chan struct{})}
		if err := tr.Send(&mpi.Envelope{Context: 2, From: 0, To: 1, Size: n, Remote: f}); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-pulled:
			if !bytes.Equal(got, data) {
				t.Fatalf("rendezvous of %d bytes: pulled data differs", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("rendezvous of %d bytes: never pulled", n)
		}
		select {
		case <-f.done:
		case <-time.After(10 * time.Second):
			t.Fatalf("rendezvous of %d bytes: Done never reached the sender", n)
		}
	}
}

func testErrors(t *testing.T, newTransport NewTransport) {
	tr, _ := setup(t, newTransport, 2)
	if err := tr.Register(0, newRecorder()); err == nil {
		t.Error("registering rank 0 twice succeeded")
	}
	if err := tr.Send(&mpi.Envelope{From: 0, To: 5}); err == nil {
		t.Error("send to rank 5 of 2 succeeded")
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	err := tr.Send(&mpi.Envelope{From: 0, To: 1})
	if !errors.Is(err, mpi.ErrTransport) {
		t.Errorf("send after close: got %v, want ErrTransport", err)
	}
}

// testJob runs the matching engine and collectives over the transport.
func testJob(t *testing.T, newTransport NewTransport) {
	for _, eager := range []int{0, -1} { // default eager limit, and all-rendezvous
		const size = 4
		cfg := mpi.Config{Size: size, Transport: newTransport(t, size), EagerLimit: eager}
		_, errs := RunConfig(t, cfg, func(r *mpi.Rank) error {
			c := r.CommWorld()
			me := c.Rank()
			right, left := (me+1)%size, (me+size-1)%size
			for _, n := range []int{0, 8, 100 << 10} {
				out := bytes.Repeat([]byte{byte(me)}, n)
				in := make([]byte, n)
				st, err := c.Sendrecv(out, right, n%100, in, mpi.AnySource, mpi.AnyTag)
				if err != nil {
					return err
				}
				if st.Source != left || st.Count != n || !bytes.Equal(in, bytes.Repeat([]byte{byte(left)}, n)) {
					return fmt.Errorf("ring of %d bytes: status %+v", n, st)
				}
			}
			sum := mpi.Op{Commute: true, ElemSize: 1, Fn: func(in, inout []byte) {
				for i := range inout {
					inout[i] += in[i]
				}
			}}
			out, in := []byte{byte(me)}, []byte{0}
			if err := c.Allreduce(out, in, sum, false); err != nil {
				return err
			}
			if in[0] != 0+1+2+3 {
				return fmt.Errorf("allreduce: got %d", in[0])
			}
			return c.Barrier()
		})
		NoErrors(t, errs)
	}
}
