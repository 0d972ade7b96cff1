package faasmpi_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
)

// TestRequestFreeThen_hammer frees receives while their messages race in
// (the glue unpacks a freed derived-type receive this way): the callback
// must run exactly once per receive, with the message's status, whether
// the free or the arrival comes first. Run it with -race.
func TestRequestFreeThen_hammer(t *testing.T) {
	const rounds = 300
	w, err := mpi.NewWorld(mpi.Config{Size: 2, Transport: inproc.New(2)})
	if err != nil {
		t.Fatal(err)
	}
	var calls [rounds]atomic.Int32
	var bad atomic.Value
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // receiver
		defer wg.Done()
		r := w.Rank(0)
		defer r.Exit(nil)
		c := r.CommWorld()
		for i := range rounds {
			buf := make([]byte, 8)
			q, err := c.Irecv(buf, 1, i)
			if err != nil {
				bad.Store(err)
				return
			}
			if err := r.RequestFreeThen(q, func(st mpi.Status) {
				calls[i].Add(1)
				if st.Source != 1 || st.Tag != i || st.Count != 8 || buf[0] != byte(i) {
					bad.Store(fmt.Errorf("round %d: status %+v data %d", i, st, buf[0]))
				}
			}); err != nil {
				bad.Store(err)
				return
			}
		}
		// the sender's last message is an ack after everything else
		ack := make([]byte, 1)
		if _, err := c.Recv(ack, 1, rounds); err != nil {
			bad.Store(err)
		}
		_ = r.Finalize()
	}()
	go func() { // sender
		defer wg.Done()
		r := w.Rank(1)
		defer r.Exit(nil)
		c := r.CommWorld()
		for i := range rounds {
			msg := []byte{byte(i), 1, 2, 3, 4, 5, 6, 7}
			if err := c.Send(msg, 0, i); err != nil {
				bad.Store(err)
				return
			}
		}
		if err := c.Send([]byte{1}, 0, rounds); err != nil {
			bad.Store(err)
		}
		_ = r.Finalize()
	}()
	wg.Wait()
	if e := bad.Load(); e != nil {
		t.Fatal(e)
	}
	for i := range calls {
		if n := calls[i].Load(); n != 1 {
			t.Fatalf("round %d: callback ran %d times", i, n)
		}
	}
	// A freed request is gone: freeing it again is an error.
	r := w.Rank(0)
	if err := r.RequestFreeThen(nil, func(mpi.Status) {}); err == nil {
		t.Errorf("RequestFreeThen(nil) succeeded")
	}
}
