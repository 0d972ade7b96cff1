package mpi_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
	"github.com/faasm-go/faasm/runtime/mpi/mpitest"
)

// run runs fn on size ranks with the given eager limit and requires success.
func run(t *testing.T, size, eager int, fn func(r *mpi.Rank) error) {
	t.Helper()
	runOn(t, size, eager, 0, fn)
}

// runOn is run with the ranks sharing cpus CPUs (0: all the machine's).
func runOn(t *testing.T, size, eager, cpus int, fn func(r *mpi.Rank) error) {
	t.Helper()
	cfg := mpi.Config{Size: size, Transport: inproc.New(size), EagerLimit: eager, CPUs: cpus}
	_, errs := mpitest.RunConfig(t, cfg, fn)
	mpitest.NoErrors(t, errs)
}

func expect(cond bool, format string, args ...any) error {
	if cond {
		return nil
	}
	return fmt.Errorf(format, args...)
}

func fill(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

// eagerModes runs each case with the default eager limit and with every
// message taking the rendezvous path.
var eagerModes = []struct {
	name  string
	limit int
}{{"eager", 0}, {"rendezvous", -1}}

func TestSend_matching(t *testing.T) {
	cases := []struct {
		name string
		size int
		fn   func(r *mpi.Rank) error
	}{
		{"wildcards", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 { // Isend: with rendezvous a blocking Send of "a" would deadlock
				return sendAll(r, c, 0, []byte("a"), 5, []byte("bb"), 6)
			}
			buf := make([]byte, 4)
			st, err := c.Recv(buf, mpi.AnySource, 6)
			if err != nil {
				return err
			}
			if err := expect(st.Source == 1 && st.Tag == 6 && st.Count == 2 && string(buf[:2]) == "bb", "tag 6: %+v %q", st, buf); err != nil {
				return err
			}
			st, err = c.Recv(buf, 1, mpi.AnyTag)
			if err != nil {
				return err
			}
			return expect(st.Tag == 5 && st.Count == 1 && buf[0] == 'a', "any tag: %+v", st)
		}},
		{"non-overtaking with wildcards", 3, func(r *mpi.Rank) error {
			c := r.CommWorld()
			const n = 200
			if c.Rank() != 0 {
				for i := range n {
					size := 8
					if i%3 == 0 {
						size = 100 << 10 // rendezvous in between eager messages
					}
					buf := make([]byte, size)
					binary.LittleEndian.PutUint32(buf, uint32(i))
					if err := c.Send(buf, 0, i%4); err != nil {
						return err
					}
				}
				return nil
			}
			next := []int{0, 0, 0}
			buf := make([]byte, 100<<10)
			for range 2 * n {
				st, err := c.Recv(buf, mpi.AnySource, mpi.AnyTag)
				if err != nil {
					return err
				}
				got := int(binary.LittleEndian.Uint32(buf))
				if got != next[st.Source] || st.Tag != got%4 {
					return fmt.Errorf("from %d: got message %d tag %d, want %d", st.Source, got, st.Tag, next[st.Source])
				}
				next[st.Source]++
			}
			return nil
		}},
		{"truncate", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			for _, n := range []int{16, 200 << 10} {
				if c.Rank() == 1 {
					if err := c.Send(fill(n, 7), 0, 3); err != nil {
						return err
					}
					continue
				}
				buf := make([]byte, 8)
				st, err := c.Recv(buf, mpi.AnySource, mpi.AnyTag)
				if !errors.Is(err, mpi.ErrTruncate) || !errors.Is(st.Err, mpi.ErrTruncate) {
					return fmt.Errorf("%d bytes into 8: err %v", n, err)
				}
				if err := expect(st.Source == 1 && st.Tag == 3 && st.Count == 8 && bytes.Equal(buf, fill(8, 7)), "status %+v", st); err != nil {
					return err
				}
			}
			return nil
		}},
		{"proc null", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if err := c.Send([]byte("x"), mpi.ProcNull, 1); err != nil {
				return err
			}
			st, err := c.Recv(make([]byte, 4), mpi.ProcNull, 1)
			if err != nil {
				return err
			}
			if err := expect(st.Source == mpi.ProcNull && st.Tag == mpi.AnyTag && st.Count == 0, "status %+v", st); err != nil {
				return err
			}
			st, err = c.Sendrecv(nil, mpi.ProcNull, 0, nil, mpi.ProcNull, 0)
			return errors.Join(err, expect(st.Source == mpi.ProcNull, "sendrecv status %+v", st))
		}},
		{"probe", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 {
				return sendAll(r, c, 0, fill(10, 1), 3, fill(20, 2), 4)
			}
			if ok, _, err := c.Iprobe(1, 99); err != nil || ok {
				return fmt.Errorf("iprobe tag 99: %v %v", ok, err)
			}
			st, err := c.Probe(mpi.AnySource, 4)
			if err != nil {
				return err
			}
			if err := expect(st.Source == 1 && st.Tag == 4 && st.Count == 20, "probe %+v", st); err != nil {
				return err
			}
			ok, st2, err := c.Iprobe(mpi.AnySource, mpi.AnyTag)
			if err != nil || !ok || st2.Tag != 3 {
				return fmt.Errorf("iprobe any: %v %+v %v", ok, st2, err)
			}
			buf := make([]byte, st.Count)
			st3, err := c.Recv(buf, st.Source, st.Tag)
			if err != nil {
				return err
			}
			if err := expect(st3.Count == 20 && bytes.Equal(buf, fill(20, 2)), "recv after probe %+v", st3); err != nil {
				return err
			}
			_, err = c.Recv(make([]byte, 10), 1, 3)
			return err
		}},
		{"cancel", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 {
				return c.Send([]byte("m"), 0, 1)
			}
			q, err := c.Irecv(make([]byte, 1), 1, 9) // never sent
			if err != nil {
				return err
			}
			if err := r.Cancel(q); err != nil {
				return err
			}
			st, err := r.Wait(q)
			if err != nil || !st.Cancelled {
				return fmt.Errorf("cancel pending: %+v %v", st, err)
			}
			if _, err := c.Probe(1, 1); err != nil {
				return err
			}
			buf := make([]byte, 1)
			q, _ = c.Irecv(buf, 1, 1) // matches at once
			if err := r.Cancel(q); err != nil {
				return err
			}
			st, err = r.Wait(q)
			return errors.Join(err, expect(!st.Cancelled && buf[0] == 'm', "cancel matched: %+v", st))
		}},
		{"persistent", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			buf := make([]byte, 4)
			var q *mpi.Request
			var err error
			if c.Rank() == 0 {
				q, err = c.SendInit(buf, 1, 2)
			} else {
				q, err = c.RecvInit(buf, 0, 2)
			}
			if err != nil {
				return err
			}
			for i := range 5 {
				if c.Rank() == 0 {
					binary.LittleEndian.PutUint32(buf, uint32(i))
				}
				if err := r.Start(q); err != nil {
					return err
				}
				if err := r.Start(q); !errors.Is(err, mpi.ErrRequest) {
					return fmt.Errorf("double start: %v", err)
				}
				if _, err := r.Wait(q); err != nil {
					return err
				}
				if c.Rank() == 1 && binary.LittleEndian.Uint32(buf) != uint32(i) {
					return fmt.Errorf("round %d: got %d", i, binary.LittleEndian.Uint32(buf))
				}
			}
			if st, err := r.Wait(q); err != nil || st.Source != mpi.AnySource { // inactive: empty status
				return fmt.Errorf("wait inactive: %+v %v", st, err)
			}
			return r.RequestFree(q)
		}},
		{"ssend completes only when matched", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 {
				if _, err := c.Recv(nil, 0, 2); err != nil { // "go"
					return err
				}
				_, err := c.Recv(make([]byte, 1), 0, 1)
				return err
			}
			q, err := c.Issend([]byte("s"), 1, 1)
			if err != nil {
				return err
			}
			if done, _, err := r.Test(q); err != nil || done {
				return fmt.Errorf("issend complete before matching: %v %v", done, err)
			}
			if err := c.Send(nil, 1, 2); err != nil {
				return err
			}
			_, err = r.Wait(q)
			return err
		}},
		{"bsend", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 {
				buf := make([]byte, 300)
				for range 2 {
					if _, err := c.Recv(buf, 0, 1); err != nil {
						return err
					}
				}
				return nil
			}
			if err := c.Bsend(fill(10, 1), 1, 1); !errors.Is(err, mpi.ErrBuffer) {
				return fmt.Errorf("bsend without buffer: %v", err)
			}
			if err := r.BufferAttach(2 * (300 + mpi.BsendOverhead)); err != nil {
				return err
			}
			if err := c.Bsend(fill(2*300+mpi.BsendOverhead+1, 1), 1, 1); !errors.Is(err, mpi.ErrBuffer) {
				return fmt.Errorf("oversized bsend: %v", err)
			}
			msg := fill(300, 9)
			if err := c.Bsend(msg, 1, 1); err != nil {
				return err
			}
			msg[0] = 0 // buffered: the copy is already taken
			q, err := c.Ibsend(fill(300, 9), 1, 1)
			if err != nil {
				return err
			}
			if _, err := r.Wait(q); err != nil {
				return err
			}
			size, err := r.BufferDetach()
			return errors.Join(err, expect(size == 2*(300+mpi.BsendOverhead), "detach size %d", size))
		}},
		{"contexts separate communicators", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			d, err := c.Dup()
			if err != nil {
				return err
			}
			if c.Rank() == 1 {
				return sendAll(r, d, 0, []byte("dup"), 0, c, []byte("wld"), 0)
			}
			buf := make([]byte, 3)
			if _, err := c.Recv(buf, mpi.AnySource, mpi.AnyTag); err != nil || string(buf) != "wld" {
				return fmt.Errorf("world recv got %q %v", buf, err)
			}
			if _, err := d.Recv(buf, mpi.AnySource, mpi.AnyTag); err != nil || string(buf) != "dup" {
				return fmt.Errorf("dup recv got %q %v", buf, err)
			}
			return nil
		}},
		{"self", 1, func(r *mpi.Rank) error {
			c := r.CommSelf()
			q, err := c.Isend([]byte("me"), 0, 0)
			if err != nil {
				return err
			}
			buf := make([]byte, 2)
			if _, err := c.Recv(buf, 0, 0); err != nil {
				return err
			}
			_, err = r.Wait(q)
			return errors.Join(err, expect(string(buf) == "me", "got %q", buf))
		}},
		{"waitany waitsome testall", 3, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() != 0 {
				_, err := c.Recv(nil, 0, 0) // wait for go
				if err != nil {
					return err
				}
				return c.Send([]byte{byte(c.Rank())}, 0, c.Rank())
			}
			bufs := [][]byte{make([]byte, 1), make([]byte, 1)}
			q1, _ := c.Irecv(bufs[0], 1, 1)
			q2, _ := c.Irecv(bufs[1], 2, 2)
			qs := []*mpi.Request{nil, q1, q2}
			if done, err := r.Testall(qs, nil); err != nil || done {
				return fmt.Errorf("testall early: %v %v", done, err)
			}
			if i, ok, _, err := r.Testany(qs); err != nil || ok || i != mpi.Undefined {
				return fmt.Errorf("testany early: %v %v %v", i, ok, err)
			}
			for dst := 1; dst <= 2; dst++ {
				if err := c.Send(nil, dst, 0); err != nil {
					return err
				}
			}
			i, st, err := r.Waitany(qs)
			if err != nil || (i != 1 && i != 2) || st.Source != i {
				return fmt.Errorf("waitany: %d %+v %v", i, st, err)
			}
			qs[i] = nil
			idx, sts, err := r.Waitsome(qs)
			if err != nil || len(idx) != 1 || sts[0].Source != idx[0] {
				return fmt.Errorf("waitsome: %v %+v %v", idx, sts, err)
			}
			qs[idx[0]] = nil
			if i, _, _ := r.Waitany(qs); i != mpi.Undefined {
				return fmt.Errorf("waitany on null requests: %d", i)
			}
			return expect(bufs[0][0] == 1 && bufs[1][0] == 2, "bufs %v", bufs)
		}},
		{"sendrecv replace", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			buf := fill(5, byte(c.Rank()))
			other := 1 - c.Rank()
			st, err := c.SendrecvReplace(buf, other, 0, other, 0)
			return errors.Join(err, expect(st.Count == 5 && bytes.Equal(buf, fill(5, byte(other))), "got %v", buf))
		}},
	}
	for _, mode := range eagerModes {
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) { run(t, tc.size, mode.limit, tc.fn) })
		}
	}
}

// sendAll Isends (buf, tag) pairs to dest in order and waits for all. A
// *mpi.Comm argument switches the communicator for the following pairs; a
// tag of -1 skips its pair.
func sendAll(r *mpi.Rank, c *mpi.Comm, dest int, args ...any) error {
	var qs []*mpi.Request
	for i := 0; i < len(args); {
		if cc, ok := args[i].(*mpi.Comm); ok {
			c = cc
			i++
			continue
		}
		buf, _ := args[i].([]byte)
		tag := args[i+1].(int)
		i += 2
		if tag < 0 {
			continue
		}
		q, err := c.Isend(buf, dest, tag)
		if err != nil {
			return err
		}
		qs = append(qs, q)
	}
	return r.Waitall(qs, nil)
}

func TestSend_errors(t *testing.T) {
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		checks := []struct {
			err  error
			want error
		}{
			{c.Send(nil, 2, 0), mpi.ErrRank},
			{c.Send(nil, mpi.AnySource, 0), mpi.ErrRank},
			{c.Send(nil, 0, -1), mpi.ErrTag},
			{c.Send(nil, 0, mpi.TagUB+1), mpi.ErrTag},
			{func() error { _, err := c.Recv(nil, 5, 0); return err }(), mpi.ErrRank},
			{func() error { _, err := c.Irecv(nil, 0, -5); return err }(), mpi.ErrTag},
			{(*mpi.Comm)(nil).Send(nil, 0, 0), mpi.ErrComm},
			{r.Start(nil), mpi.ErrRequest},
		}
		for i, ch := range checks {
			if !errors.Is(ch.err, ch.want) {
				return fmt.Errorf("check %d: got %v, want %v", i, ch.err, ch.want)
			}
		}
		return nil
	})
}

// TestWorld_hammer_p2p: many ranks, random destinations, tags and sizes
// (eager and rendezvous), receives with wildcards and specific sources;
// every message arrives once, intact, in per-pair order.
func TestWorld_hammer_p2p(t *testing.T) {
	const size = 6
	per := 1500
	if testing.Short() {
		per = 300
	}
	type msg struct{ dst, tag, n int }
	plan := make([][]msg, size)
	expected := make([][]int, size) // expected[dst][src] = count
	rng := rand.New(rand.NewPCG(1, 2))
	for s := range size {
		expected[s] = make([]int, size)
	}
	for s := range size {
		for range per {
			m := msg{dst: rng.IntN(size), tag: rng.IntN(4), n: 8 + rng.IntN(300)}
			plan[s] = append(plan[s], m)
			expected[m.dst][s]++
		}
	}
	run(t, size, 128, func(r *mpi.Rank) error {
		c := r.CommWorld()
		me := c.Rank()
		seq := make([]uint32, size)
		var qs []*mpi.Request
		for _, m := range plan[me] {
			buf := make([]byte, m.n)
			binary.LittleEndian.PutUint32(buf, uint32(me))
			binary.LittleEndian.PutUint32(buf[4:], seq[m.dst])
			for i := 8; i < m.n; i++ {
				buf[i] = byte(int(seq[m.dst]) + i)
			}
			seq[m.dst]++
			q, err := c.Isend(buf, m.dst, m.tag)
			if err != nil {
				return err
			}
			qs = append(qs, q)
		}
		left := append([]int(nil), expected[me]...)
		next := make([]uint32, size)
		total := 0
		for _, k := range left {
			total += k
		}
		lrng := rand.New(rand.NewPCG(uint64(me), 9))
		buf := make([]byte, 400)
		for i := range total {
			src := mpi.AnySource
			if i%2 == 1 {
				for s := lrng.IntN(size); ; s = (s + 1) % size {
					if left[s] > 0 {
						src = s
						break
					}
				}
			}
			st, err := c.Recv(buf, src, mpi.AnyTag)
			if err != nil {
				return err
			}
			from, k := int(binary.LittleEndian.Uint32(buf)), binary.LittleEndian.Uint32(buf[4:])
			if from != st.Source || k != next[from] {
				return fmt.Errorf("rank %d: from %d got seq %d, want %d", me, st.Source, k, next[from])
			}
			for j := 8; j < st.Count; j++ {
				if buf[j] != byte(int(k)+j) {
					return fmt.Errorf("rank %d: from %d seq %d: payload corrupt at %d", me, from, k, j)
				}
			}
			next[from]++
			left[from]--
		}
		return r.Waitall(qs, nil)
	})
}

func TestRecv_statusRequireStyle(t *testing.T) {
	// A plain require-based check of Get_count semantics: Count is bytes.
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if c.Rank() == 0 {
			return c.Send(make([]byte, 24), 1, 0)
		}
		st, err := c.Recv(make([]byte, 64), 0, 0)
		require.NoError(t, err)
		require.Equal(t, 24, st.Count)
		return nil
	})
}

// runHosts runs a job whose ranks are placed on the given hosts but all
// served by this process (one inproc transport).
func runHosts(t *testing.T, hosts []int, fn func(r *mpi.Rank) error) []error {
	t.Helper()
	return mpitest.RunHosts(t, hosts, inproc.New(len(hosts)), fn)
}

// TestWorld_recycleRequests: Isend/Irecv requests given back with Recycle
// after Wait are reused by later calls while other ranks complete theirs;
// every payload still arrives intact, eager and rendezvous, and under
// -race a completer touching a request after it was recycled is a report.
func TestWorld_recycleRequests(t *testing.T) {
	const size = 3
	rounds := 400
	if testing.Short() {
		rounds = 100
	}
	for _, mode := range eagerModes {
		t.Run(mode.name, func(t *testing.T) {
			run(t, size, mode.limit, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				recv := make([][]byte, size)
				send := make([][]byte, size)
				for p := range size {
					recv[p], send[p] = make([]byte, 64), make([]byte, 64)
				}
				for round := range rounds {
					var qs []*mpi.Request
					for p := range size {
						if p == me {
							continue
						}
						src := p
						if round%3 == 0 {
							src = mpi.AnySource
						}
						q, err := c.Irecv(recv[p], src, round)
						if err != nil {
							return err
						}
						qs = append(qs, q)
					}
					for p := range size {
						if p == me {
							continue
						}
						binary.LittleEndian.PutUint32(send[p], uint32(me))
						binary.LittleEndian.PutUint32(send[p][4:], uint32(round))
						q, err := c.Isend(send[p], p, round)
						if err != nil {
							return err
						}
						qs = append(qs, q)
					}
					seen := 0
					for _, q := range qs {
						if _, err := r.Wait(q); err != nil {
							return err
						}
					}
					for p := range size {
						if p == me {
							continue
						}
						from := int(binary.LittleEndian.Uint32(recv[p]))
						got := int(binary.LittleEndian.Uint32(recv[p][4:]))
						if got != round || from == me {
							return fmt.Errorf("round %d: buffer %d holds round %d from rank %d", round, p, got, from)
						}
						seen |= 1 << from
					}
					if want := (1<<size - 1) &^ (1 << me); seen != want {
						return fmt.Errorf("round %d: senders %b, want %b", round, seen, want)
					}
					for _, q := range qs {
						r.Recycle(q)
					}
				}
				return nil
			})
		})
	}
}

// TestSend_ringAndTransportOrder: messages from one sender to a rank of the
// same process travel by the ring (inline, in the slot's buffer, rendezvous
// headers) or through the transport (larger eager payloads, a full ring);
// the receiver must still see them in send order, whichever way it makes
// progress: a blocking receive, Iprobe polling or Test polling.
func TestSend_ringAndTransportOrder(t *testing.T) {
	sizes := []int{0, 8, 32, 33, 500, 1024, 1025, 2000, 4096, 4097, 70000}
	const count = 300 // well past a ring's capacity while nobody receives
	run(t, 2, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if c.Rank() == 1 {
			var qs []*mpi.Request
			for k := range count {
				buf := make([]byte, max(sizes[k%len(sizes)], 4))[:sizes[k%len(sizes)]]
				if len(buf) >= 4 {
					binary.LittleEndian.PutUint32(buf, uint32(k))
				}
				for i := 4; i < len(buf); i++ {
					buf[i] = byte(k + i)
				}
				q, err := c.Isend(buf, 0, k%3)
				if err != nil {
					return err
				}
				qs = append(qs, q)
			}
			return r.Waitall(qs, nil)
		}
		buf := make([]byte, 70000)
		for k := range count {
			var st mpi.Status
			switch k % 3 {
			case 0:
				var err error
				if st, err = c.Recv(buf, 1, mpi.AnyTag); err != nil {
					return err
				}
			case 1:
				for {
					ok, _, err := c.Iprobe(mpi.AnySource, k%3)
					if err != nil {
						return err
					}
					if ok {
						break
					}
				}
				var err error
				if st, err = c.Recv(buf, mpi.AnySource, k%3); err != nil {
					return err
				}
			default:
				q, err := c.Irecv(buf, 1, k%3)
				if err != nil {
					return err
				}
				for {
					done, s, err := r.Test(q)
					if err != nil {
						return err
					}
					if done {
						st = s
						break
					}
				}
			}
			want := sizes[k%len(sizes)]
			if st.Count != want || st.Tag != k%3 {
				return fmt.Errorf("message %d: %d bytes tag %d, want %d bytes tag %d", k, st.Count, st.Tag, want, k%3)
			}
			if want >= 4 && binary.LittleEndian.Uint32(buf) != uint32(k) {
				return fmt.Errorf("message %d: got message %d", k, binary.LittleEndian.Uint32(buf))
			}
			for i := 4; i < want; i++ {
				if buf[i] != byte(k+i) {
					return fmt.Errorf("message %d: payload corrupt at %d", k, i)
				}
			}
		}
		return nil
	})
}
