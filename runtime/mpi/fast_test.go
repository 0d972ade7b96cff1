package mpi_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/faasm-go/faasm/runtime/mpi"
)

// The C fast path (fast.go) against the Go half: every message arrives once
// and in order whichever half sent and received it, and the C half leaves
// to Go every case it must not decide.

// TestFast_mixedWithGo streams messages of every path (C and Go pushes
// into the ring, payloads in the ring's data area, eager messages through
// the transport, rendezvous) from rank 0 to rank 1, which receives them
// alternately in C and in Go: the order and the contents must hold.
func TestFast_mixedWithGo(t *testing.T) {
	const n = 3000
	size := func(i int) int {
		switch i % 11 {
		case 3, 5:
			return 33 + i*131%4064 // in the data area, which wraps many times
		case 7:
			return 5000 // eager, through the transport
		case 9:
			if i%2 == 0 {
				return 70000 // rendezvous
			}
		}
		return 8 + i%25
	}
	var fastSends, fastRecvs int
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if r.ID() == 0 {
			for i := range n {
				msg := make([]byte, size(i))
				for j := range msg {
					msg[j] = byte(i * j)
				}
				binary.LittleEndian.PutUint32(msg, uint32(i))
				if i%5 != 0 && mpi.FastSend(c, msg, 1, i%4) {
					fastSends++
					continue
				}
				if err := c.Send(msg, 1, i%4); err != nil {
					return err
				}
			}
			return nil
		}
		for i := range n {
			buf := make([]byte, 70000)
			st, ok := mpi.FastRecv(c, buf, 0, i%4)
			if ok {
				fastRecvs++
			} else {
				var err error
				if st, err = c.Recv(buf, 0, i%4); err != nil {
					return err
				}
			}
			if got := int(binary.LittleEndian.Uint32(buf)); got != i || st.Count != size(i) || st.Tag != i%4 || st.Source != 0 {
				return fmt.Errorf("message %d: got number %d, %d bytes, tag %d, source %d (fast %v)", i, got, st.Count, st.Tag, st.Source, ok)
			}
			for j := 4; j < st.Count; j++ {
				if buf[j] != byte(i*j) {
					return fmt.Errorf("message %d: byte %d is %d (fast %v)", i, j, buf[j], ok)
				}
			}
		}
		return nil
	})
	// A receive completes in C only when its message is already in the
	// ring, which depends on timing; TestFast_takesWhatIsThere pins that.
	if fastSends == 0 {
		t.Errorf("the C half took no send of %d", n)
	}
	t.Logf("the C half took %d sends and %d receives of %d", fastSends, fastRecvs, n)
}

// TestFast_takesWhatIsThere: a C receive takes a message that is already
// in its ring, and a C send into a ring with room always goes through (the
// ranks meet through a channel, outside MPI, so no blocking call drains
// the ring meanwhile).
func TestFast_takesWhatIsThere(t *testing.T) {
	sent := make(chan struct{})
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if r.ID() == 0 {
			defer close(sent)
			if err := c.Send([]byte("ring"), 1, 0); err != nil { // makes the ring
				return err
			}
			for i := range 20 {
				msg := make([]byte, 3+i*50) // in the slot, then in the ring's data area
				for j := range msg {
					msg[j] = byte(i + j)
				}
				if !mpi.FastSend(c, msg, 1, 5) {
					return fmt.Errorf("C send %d into a ring with room refused", i)
				}
			}
			return nil
		}
		<-sent
		buf := make([]byte, 1024)
		if err := recv(c, buf, 0); err != nil {
			return err
		}
		for i := range 20 {
			st, ok := mpi.FastRecv(c, buf, 0, 5)
			if !ok {
				return fmt.Errorf("C receive %d of a message in the ring refused", i)
			}
			if st.Count != 3+i*50 || st.Tag != 5 {
				return fmt.Errorf("C receive %d: %d bytes, tag %d", i, st.Count, st.Tag)
			}
			for j := range st.Count {
				if buf[j] != byte(i+j) {
					return fmt.Errorf("C receive %d: byte %d is %d", i, j, buf[j])
				}
			}
		}
		return nil
	})
}

// TestFast_dataAreaFull: payloads above a slot's own bytes share the
// ring's data area, which holds eight of the largest: a ninth C send finds
// no room while nobody receives. Once the receiver has drained the ring,
// in C and then in Go, the area has room again. Contents and order hold.
func TestFast_dataAreaFull(t *testing.T) {
	const full, size = 8, 4096
	var phases [3]chan struct{} // the sender's: it is done with phase p
	var drained [2]chan struct{}
	made := make(chan struct{}) // the receiver took the first message
	for p := range phases {
		phases[p] = make(chan struct{})
	}
	for p := range drained {
		drained[p] = make(chan struct{})
	}
	msg := func(i int) []byte {
		b := make([]byte, size)
		for j := range b {
			b[j] = byte(i + j*7)
		}
		return b
	}
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if r.ID() == 0 {
			// Every channel is closed on the way out, so that the receiver
			// never waits for a sender that failed.
			defer closeOpen(phases[:]...)
			if err := c.Send(make([]byte, 8), 1, 0); err != nil { // makes the ring
				return err
			}
			<-made // its blocking receive no longer drains the ring
			for p := range 2 {
				for i := range full + 1 {
					if ok := mpi.FastSend(c, msg(p*full+i), 1, 1); ok != (i < full) {
						return fmt.Errorf("phase %d: C send with %d of %d bytes in the ring: went through %v", p, i, size, ok)
					}
				}
				close(phases[p])
				<-drained[p]
			}
			if !mpi.FastSend(c, msg(2*full), 1, 1) {
				return errors.New("C send refused after the receiver drained the ring in Go")
			}
			close(phases[2])
			return nil
		}
		defer closeOpen(append([]chan struct{}{made}, drained[:]...)...)
		buf := make([]byte, size)
		if err := recv(c, buf, 0); err != nil {
			return err
		}
		close(made)
		for p := range 3 {
			<-phases[p] // out of MPI until then: a blocking call would drain the ring
			for i := range full {
				k := p*full + i
				if p == 2 && i > 0 {
					break
				}
				if p == 0 {
					if _, ok := mpi.FastRecv(c, buf, 0, 1); !ok {
						return fmt.Errorf("C receive of message %d in the ring refused", k)
					}
				} else if err := recv(c, buf, 1); err != nil {
					return err
				}
				if !bytes.Equal(buf, msg(k)) {
					return fmt.Errorf("message %d arrived corrupt or out of order", k)
				}
			}
			if p < 2 {
				close(drained[p])
			}
		}
		return nil
	})
}

// closeOpen closes those of chs that are still open (only their one
// closer calls it, so no other close can come between).
func closeOpen(chs ...chan struct{}) {
	for _, ch := range chs {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
}

// TestFast_declines: the C receive takes nothing that Go must decide, and
// the C send refuses what it cannot check.
func TestFast_declines(t *testing.T) {
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		small := make([]byte, 8)
		if r.ID() == 0 {
			if mpi.FastSend(c, small, 1, 0) {
				return errors.New("C send before the ring exists")
			}
			refusals := func() error {
				for _, tc := range []struct {
					name      string
					size      int
					dest, tag int
				}{{"to itself", 8, 0, 0}, {"past the communicator", 8, 2, 0}, {"negative tag", 8, 1, -1},
					{"tag above MPI_TAG_UB", 8, 1, mpi.TagUB + 1}, {"of 4097 bytes", 4097, 1, 0}} {
					if mpi.FastSend(c, make([]byte, tc.size), tc.dest, tc.tag) {
						return fmt.Errorf("C send %s", tc.name)
					}
				}
				return nil
			}
			steps := []func() error{
				func() error { return errors.Join(c.Send(small, 1, 1), refusals()) },                     // makes the ring
				func() error { return send(c, make([]byte, 16), 3) },                                     // truncated at the receiver
				func() error { return send(c, small, 4) },                                                // while an Irecv waits
				func() error { return errors.Join(c.Send(make([]byte, 5000), 1, 5), send(c, small, 6)) }, // one queued unexpected
				func() error { return send(c, small, 7) },                                                // for MPI_ANY_SOURCE
			}
			for _, step := range steps {
				if err := errors.Join(step(), c.Barrier(), c.Barrier()); err != nil {
					return err
				}
			}
			return c.Send(small, 1, 9)
		}
		buf := make([]byte, 8)
		expectGo := func(what string, source, tag int) error {
			if _, ok := mpi.FastRecv(c, buf, source, tag); ok {
				return fmt.Errorf("C receive took the message %s", what)
			}
			return nil
		}
		var irecv *mpi.Request
		checks := []func() error{
			func() error { return expectGo("at the head with another tag", 0, 2) },
			func() error { return expectGo("too long for the buffer", 0, 3) },
			func() error { return expectGo("while an Irecv waits", 0, 4) },
			func() error { return expectGo("after an unexpected one", 0, 6) },
			func() error { return expectGo("for MPI_ANY_SOURCE", mpi.AnySource, 7) },
		}
		receives := []func() error{
			func() error { return recv(c, buf, 1) },
			func() error {
				if _, err := c.Recv(buf, 0, 3); !errors.Is(err, mpi.ErrTruncate) {
					return fmt.Errorf("16 bytes into 8: %v, want a truncation", err)
				}
				var err error
				irecv, err = c.Irecv(make([]byte, 8), 0, 9) // until the end
				return err
			},
			func() error { return recv(c, buf, 4) },
			func() error { return errors.Join(recv(c, buf, 6), recv(c, make([]byte, 5000), 5)) },
			func() error { return recv(c, buf, 7) },
		}
		for i := range checks {
			if err := errors.Join(c.Barrier(), checks[i](), receives[i](), c.Barrier()); err != nil {
				return err
			}
		}
		_, err := r.Wait(irecv)
		return err
	})
}

// TestFast_otherSendersStayInRings: a message delivered through the
// transport, an Irecv and a Recv from one source leave the other senders'
// messages in their rings, and a message queued from one sender does not
// stop the C path from receiving another's: otherwise a receiver behind
// its senders stays on Go's path for good (ring.go). Rank 2 makes its ring
// first, so that a receiver draining every ring in order meets its
// messages first.
func TestFast_otherSendersStayInRings(t *testing.T) {
	start := []chan struct{}{nil, make(chan struct{}), make(chan struct{})}
	done := make(chan struct{})
	made := make(chan struct{})
	run(t, 3, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		small := make([]byte, 8)
		if me := r.ID(); me != 0 {
			if me == 1 {
				<-made
			}
			if err := c.Send(small, 0, 0); err != nil {
				return err
			}
			if me == 2 {
				close(made)
			}
			for tag := 1; tag <= 3; tag++ {
				<-start[me]
				if !mpi.FastSend(c, small, 0, tag) {
					return fmt.Errorf("rank %d: C send of tag %d refused", me, tag)
				}
				if me == 1 && tag == 1 {
					if err := c.Send(make([]byte, 5000), 0, 9); err != nil { // through the transport
						return err
					}
				}
				done <- struct{}{}
			}
			return c.Barrier()
		}
		// Out of MPI between the phases: a blocking call drains every ring.
		phase := func() {
			start[1] <- struct{}{}
			start[2] <- struct{}{}
			<-done
			<-done
		}
		// A refusal is reported at the end, after every phase ran: the
		// senders wait for the phases outside MPI, where nothing would
		// stop them.
		var refusals []error
		fromTwo := func(tag int, after string) error {
			if _, ok := mpi.FastRecv(c, small, 2, tag); !ok {
				refusals = append(refusals, fmt.Errorf("C receive from rank 2 refused after %s", after))
				return recvFrom(c, small, 2, tag)
			}
			return nil
		}
		if err := errors.Join(recvFrom(c, small, 2, 0), recvFrom(c, small, 1, 0)); err != nil {
			return err
		}
		phase() // tag 1
		err := errors.Join(fromTwo(1, "a delivery from rank 1"), recvFrom(c, small, 1, 1),
			recvFrom(c, make([]byte, 5000), 1, 9))
		phase() // tag 2
		q, qerr := c.Irecv(small, 1, 2)
		if qerr == nil && !q.Done() {
			refusals = append(refusals, errors.New("an Irecv of a message in the ring did not complete at once"))
		}
		err = errors.Join(err, qerr, fromTwo(2, "an Irecv from rank 1"))
		if qerr == nil {
			_, werr := r.Wait(q)
			err = errors.Join(err, werr)
		}
		phase() // tag 3
		err = errors.Join(err, recvFrom(c, small, 1, 3), fromTwo(3, "a Recv from rank 1"))
		return errors.Join(err, errors.Join(refusals...), c.Barrier())
	})
}

// TestFast_waitDrainsWhatItNeeds: a wait for a posted receive delivers
// from the rings only what it needs: its sender's ring up to its message,
// and no other sender's. The messages behind stay in their rings, where the
// C path receives them; a wait that drained every ring queued them, and
// the C path then declined them.
func TestFast_waitDrainsWhatItNeeds(t *testing.T) {
	posted, pushed := make(chan struct{}), make(chan struct{}, 2)
	run(t, 3, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		small := make([]byte, 8)
		if me := r.ID(); me != 0 {
			if me == 1 {
				<-posted // rank 0's receive from it waits
			}
			if err := c.Send(small, 0, 0); err != nil { // makes the ring
				return err
			}
			for tag := 1; tag <= 3; tag++ {
				if !mpi.FastSend(c, small, 0, tag) {
					return fmt.Errorf("rank %d: C send of tag %d refused", me, tag)
				}
			}
			pushed <- struct{}{}
			return c.Barrier()
		}
		q, err := c.Irecv(small, 1, 1) // before rank 1 sends anything
		if err != nil {
			return err
		}
		done := q.Done()
		close(posted)
		if done {
			return errors.New("a receive completed before its message was sent")
		}
		if err := errors.Join(recvFrom(c, small, 2, 0), recvFrom(c, small, 1, 0)); err != nil {
			return err
		}
		<-pushed
		<-pushed
		if _, err := r.Wait(q); err != nil {
			return err
		}
		for _, m := range []struct{ source, tag int }{{1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3}} {
			if _, ok := mpi.FastRecv(c, small, m.source, m.tag); !ok {
				return fmt.Errorf("C receive of tag %d from rank %d refused after the wait", m.tag, m.source)
			}
		}
		return c.Barrier()
	})
}

func recvFrom(c *mpi.Comm, buf []byte, source, tag int) error {
	st, err := c.Recv(buf, source, tag)
	if err == nil && (st.Tag != tag || st.Source != source) {
		err = fmt.Errorf("received tag %d from %d, want tag %d from %d", st.Tag, st.Source, tag, source)
	}
	return err
}

// send sends through C when it can, else through Go.
func send(c *mpi.Comm, msg []byte, tag int) error {
	if mpi.FastSend(c, msg, 1, tag) {
		return nil
	}
	return c.Send(msg, 1, tag)
}

func recv(c *mpi.Comm, buf []byte, tag int) error {
	st, err := c.Recv(buf, 0, tag)
	if err == nil && st.Tag != tag {
		err = fmt.Errorf("received tag %d, want %d", st.Tag, tag)
	}
	return err
}

// TestFast_wakesSleepingReceiver: a C send wakes a receiver that parked in
// Go; without the wake-up the job deadlocks (and the detector says so).
func TestFast_wakesSleepingReceiver(t *testing.T) {
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if r.ID() == 1 {
			buf := make([]byte, 8)
			return errors.Join(recv(c, buf, 0), recv(c, buf, 1))
		}
		if err := c.Send(make([]byte, 8), 1, 0); err != nil { // makes the ring
			return err
		}
		time.Sleep(50 * time.Millisecond) // past the receiver's polling: it sleeps
		if !mpi.FastSend(c, make([]byte, 8), 1, 1) {
			return errors.New("C send into an empty ring refused")
		}
		return nil
	})
}

// TestFast_fullRing: a C send into a full ring that nobody drains gives up
// (the message then goes through Go, which moves the ring's messages to the
// receiver's queue first), and the order holds.
func TestFast_fullRing(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("the C send waits for a slot only when ranks have a CPU each")
	}
	sent := make(chan struct{})
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		const n = 40
		if r.ID() == 1 {
			buf := make([]byte, 8)
			if err := errors.Join(recv(c, buf, 0), c.Barrier()); err != nil {
				return err
			}
			// Out of MPI (a blocking call would drain the ring) until the
			// sender is done: it finds the ring full.
			<-sent
			for i := range n {
				if _, err := c.Recv(buf, 0, 1); err != nil {
					return err
				}
				if got := int(binary.LittleEndian.Uint32(buf)); got != i {
					return fmt.Errorf("message %d arrived as number %d", i, got)
				}
			}
			return errors.Join(c.Barrier(), recv(c, buf, 2))
		}
		if err := errors.Join(c.Send(make([]byte, 8), 1, 0), c.Barrier()); err != nil {
			return err
		}
		fast := 0
		for i := range n {
			msg := make([]byte, 8)
			binary.LittleEndian.PutUint32(msg, uint32(i))
			if mpi.FastSend(c, msg, 1, 1) {
				fast++
			} else if err := c.Send(msg, 1, 1); err != nil {
				return err
			}
		}
		close(sent)
		if fast == 0 || fast == n {
			return fmt.Errorf("%d of %d C sends went through with nobody receiving, want some but not all", fast, n)
		}
		if err := c.Barrier(); err != nil {
			return err
		}
		if !mpi.FastSend(c, make([]byte, 8), 1, 2) {
			return errors.New("C send refused after the receiver emptied the ring")
		}
		return nil
	})
}

var maxF64 = mpi.Op{Commute: true, ElemSize: 8, Fn: func(in, inout []byte) {
	for i := 0; i+8 <= len(inout); i += 8 {
		a := math.Float64frombits(binary.LittleEndian.Uint64(in[i:]))
		x := math.Float64frombits(binary.LittleEndian.Uint64(inout[i:]))
		if !(x > a) {
			binary.LittleEndian.PutUint64(inout[i:], math.Float64bits(a))
		}
	}
}}

// TestFast_collectives runs Barriers, Bcasts, Gathers, Scatters,
// Allgathervs, Alltoalls, Reduces and Allreduces (up to 4 KiB) where each
// member picks the C fast path or Go's at random in every call, the C path
// leaving some of its calls to Go to finish, between non-blocking
// collectives that match by tag: every member must get the same bits (the
// C half combines in Go's order; the sums depend on it), and the tags must
// stay in step. It runs with a CPU per rank and with one CPU for all,
// where small Reduces go through the rings instead of the board.
func TestFast_collectives(t *testing.T) {
	for _, np := range []int{1, 2, 3, 5} {
		for _, cpus := range []int{0, 1} {
			t.Run(fmt.Sprintf("np%d/cpus%d", np, cpus), func(t *testing.T) { fastCollectives(t, np, cpus) })
		}
	}
}

func fastCollectives(t *testing.T, np, cpus int) {
	const rounds = 400
	results := make([][]byte, np)
	var fastDone, goOn [8]int
	runOn(t, np, 0, cpus, func(r *mpi.Rank) error {
		c := r.CommWorld()
		me := r.ID()
		rng := rand.New(rand.NewPCG(uint64(me), 7))
		var all []byte
		if err := c.Barrier(); err != nil { // makes the board
			return err
		}
		for i := range rounds {
			// Values of many magnitudes: their sum depends on the order.
			buf := make([]byte, 8*(1+i%6)) // in a slot
			if i%5 == 4 {
				buf = make([]byte, 8*(7+i%500)) // in a large buffer, up to 4 KiB
			}
			for k := 0; k < len(buf); k += 8 {
				v := math.Sin(float64(me*1000+i*10+k)) * math.Pow(10, float64((me*7+i+k)%9-4))
				binary.LittleEndian.PutUint64(buf[k:], math.Float64bits(v))
			}
			op, fop := sumF64, mpi.FastSum
			if i%4 == 3 {
				op, fop = maxF64, mpi.FastMax
			}
			var rc int
			if rng.IntN(2) == 0 {
				rc = mpi.FastAllreduceF64(c, buf, fop)
			}
			switch rc {
			case mpi.FastCollDone:
				fastDone[me]++
			case mpi.FastCollGoOn:
				goOn[me]++
				fallthrough
			default:
				if err := c.Allreduce(nil, buf, op, true); err != nil {
					return err
				}
			}
			all = append(all, buf...)
			// Reduce to a rotating root, in reduceOn's order.
			if err := reduceMixed(c, rng, i, buf, op, fop, &fastDone[me], &goOn[me], &all); err != nil {
				return err
			}
			if err := alltoallMixed(c, rng, i, &fastDone[me], &goOn[me]); err != nil {
				return err
			}
			if err := rootedMixed(c, rng, i, &fastDone[me]); err != nil {
				return err
			}
			if rng.IntN(2) == 0 && mpi.FastBarrier(c) == mpi.FastCollDone {
				fastDone[me]++
			} else if err := c.Barrier(); err != nil {
				return err
			}
			// Broadcasts from a rotating root, of sizes in and out
			// of a slot, some in a row (the root runs ahead).
			for k := range 1 + i%3 {
				root := (i + k) % np
				data := make([]byte, 1+(i*37+k)%400)
				if me == root {
					for j := range data {
						data[j] = byte(i + j + k)
					}
				}
				if rng.IntN(2) == 0 && mpi.FastBcast(c, data, root) == mpi.FastCollDone {
					fastDone[me]++
				} else if err := c.Bcast(data, root); err != nil {
					return err
				}
				for j := range data {
					if data[j] != byte(i+j+k) {
						return fmt.Errorf("broadcast %d.%d from %d: byte %d is %d", i, k, root, j, data[j])
					}
				}
			}
			// Allgatherv of blocks of varied sizes (some empty, some
			// in large buffers), in place or not.
			counts, displs := make([]int64, np), make([]int64, np)
			total := int64(0)
			for m := range np {
				counts[m] = int64((i*13 + m*101) % 700)
				displs[m] = total + 3
				total += counts[m] + 3
			}
			recv := make([]byte, total)
			send := make([]byte, counts[me])
			for j := range send {
				send[j] = byte(i + me + j)
			}
			inPlace := i%3 == 0
			if inPlace {
				copy(recv[displs[me]:], send)
			}
			rc = 0
			if rng.IntN(2) == 0 {
				if inPlace {
					rc = mpi.FastAllgatherv(c, nil, recv, counts, displs)
				} else {
					rc = mpi.FastAllgatherv(c, send, recv, counts, displs)
				}
			}
			if rc == mpi.FastCollDone {
				fastDone[me]++
			} else {
				if rc == mpi.FastCollGoOn {
					goOn[me]++
				}
				ic, id := make([]int, np), make([]int, np)
				for m := range np {
					ic[m], id[m] = int(counts[m]), int(displs[m])
				}
				s := send
				if inPlace {
					s = nil
				}
				if err := c.Allgatherv(s, recv, ic, id, inPlace); err != nil {
					return err
				}
			}
			for m := range np {
				for j := range counts[m] {
					if got := recv[displs[m]+j]; got != byte(i+m+int(j)) {
						return fmt.Errorf("allgatherv %d: block %d byte %d is %d", i, m, j, got)
					}
				}
			}
			if i%50 == 0 {
				q, err := c.Ibarrier()
				if err == nil {
					_, err = r.Wait(q)
				}
				if err != nil {
					return err
				}
			}
		}
		results[me] = all
		return nil
	})
	for me := 1; me < np; me++ {
		if !bytes.Equal(results[me], results[0]) {
			t.Fatalf("rank %d's results differ from rank 0's", me)
		}
	}
	for me := range np {
		if fastDone[me] == 0 {
			t.Errorf("rank %d: no call finished in C", me)
		}
	}
	t.Logf("calls finished in C %v, left to Go after arriving %v", fastDone[:np], goOn[:np])
}

// reduceMixed reduces round i's buf (the Allreduce's result, so equal on
// every member) scaled by the member's rank, 1 to 3 times in a row to
// roots i%n, i%n+1, ..., in C or in Go: the non-roots leave each Reduce
// before the root has read their input and run into the next, and every
// root's result must still be the binomial tree's, bit for bit.
func reduceMixed(c *mpi.Comm, rng *rand.Rand, i int, buf []byte, op mpi.Op, fop int, fast, goOn *int, all *[]byte) error {
	n, me := c.Size(), c.Rank()
	reps := 1 + i%3
	inputs := make([][][]byte, reps) // [k][member]: every member's, known to all
	recvs := make([][]byte, reps)
	for k := range reps {
		root := (i + k) % n
		inputs[k] = make([][]byte, n)
		for m := range n {
			inputs[k][m] = make([]byte, len(buf))
			for j := 0; j < len(buf); j += 8 {
				v := math.Float64frombits(binary.LittleEndian.Uint64(buf[j:])) * float64(m+1+k) / 3
				binary.LittleEndian.PutUint64(inputs[k][m][j:], math.Float64bits(v))
			}
		}
		in := inputs[k][me]
		if me == root {
			recvs[k] = make([]byte, len(in))
		}
		rc := 0
		if rng.IntN(2) == 0 {
			rc = mpi.FastReduceF64(c, in, recvs[k], fop, root)
		}
		switch rc {
		case mpi.FastCollDone:
			*fast++
		case mpi.FastCollGoOn:
			*goOn++
			fallthrough
		default:
			if err := c.Reduce(in, recvs[k], op, root, false); err != nil {
				return err
			}
		}
	}
	for k := range reps {
		root := (i + k) % n
		// Every member learns the root's result through a Go broadcast.
		res := make([]byte, len(buf))
		copy(res, recvs[k])
		if err := c.Bcast(res, root); err != nil {
			return err
		}
		// MPI_Reduce's order here is reduceOn's binomial tree.
		vals := inputs[k]
		for mask := 1; mask < n; mask <<= 1 {
			for r := 0; r+mask < n; r += 2 * mask {
				d := bytes.Clone(vals[r+mask])
				op.Fn(vals[r], d)
				vals[r] = d
			}
		}
		if !bytes.Equal(res, vals[0]) {
			return fmt.Errorf("reduce %d.%d to %d: the result is not the binomial tree's", i, k, root)
		}
		*all = append(*all, res...)
	}
	return nil
}

// alltoallMixed exchanges blocks of round i's size in C or in Go and checks
// every byte.
func alltoallMixed(c *mpi.Comm, rng *rand.Rand, i int, fast, goOn *int) error {
	n, me := c.Size(), c.Rank()
	blk := 1 + (i*37)%(4096/n)
	send, recv := make([]byte, n*blk), make([]byte, n*blk)
	for m := range n {
		for j := range blk {
			send[m*blk+j] = byte(me*7 + m*3 + j + i)
		}
	}
	rc := 0
	if rng.IntN(2) == 0 {
		rc = mpi.FastAlltoall(c, send, recv)
	}
	switch rc {
	case mpi.FastCollDone:
		*fast++
	case mpi.FastCollGoOn:
		*goOn++
		fallthrough
	default:
		if err := c.Alltoall(send, recv, false); err != nil {
			return err
		}
	}
	for m := range n {
		for j := range blk {
			if want := byte(m*7 + me*3 + j + i); recv[m*blk+j] != want {
				return fmt.Errorf("alltoall %d: block %d byte %d is %d, want %d", i, m, j, recv[m*blk+j], want)
			}
		}
	}
	return nil
}

// rootedMixed runs a Gather and then a Scatter of round i's block size (up
// to a ring slot's 32 bytes, and past it) to and from root i%n, in C or in
// Go, some members sending several calls ahead, and checks every byte.
func rootedMixed(c *mpi.Comm, rng *rand.Rand, i int, fast *int) error {
	n, me := c.Size(), c.Rank()
	root := i % n
	blk := (i * 5) % 40
	for _, gather := range []bool{true, false} {
		one, many := make([]byte, blk), []byte(nil)
		if me == root {
			many = make([]byte, n*blk)
		}
		for j := range blk {
			if gather {
				one[j] = byte(me + j + i)
			} else if me == root {
				for m := range n {
					many[m*blk+j] = byte(m*3 + j + i)
				}
			}
		}
		inPlace := me == root && i%4 == 1
		own := one
		if inPlace {
			if gather {
				copy(many[root*blk:], one)
			}
			own = nil
		}
		if rng.IntN(2) == 0 && mpi.FastRooted(c, gather, own, many, blk, root) == mpi.FastCollDone {
			*fast++
		} else {
			var err error
			switch {
			case gather:
				err = c.Gather(own, many, root, inPlace)
			case me == root && inPlace:
				err = c.Scatter(many, nil, root, true)
			default:
				err = c.Scatter(many, one, root, false)
			}
			if err != nil {
				return err
			}
		}
		if inPlace && !gather {
			copy(one, many[root*blk:])
		}
		for j := range blk {
			switch {
			case gather && me == root:
				for m := range n {
					if got := many[m*blk+j]; got != byte(m+j+i) {
						return fmt.Errorf("gather %d: block %d byte %d is %d", i, m, j, got)
					}
				}
			case !gather:
				if got := one[j]; got != byte(me*3+j+i) {
					return fmt.Errorf("scatter %d: byte %d is %d", i, j, got)
				}
			}
		}
	}
	return nil
}
