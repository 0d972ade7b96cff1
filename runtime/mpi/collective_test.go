package mpi_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/faasm-go/faasm/runtime/mpi"
)

var sizes = []int{1, 2, 3, 4, 7}

// sum adds little-endian int64s.
var sum = mpi.Op{Commute: true, ElemSize: 8, Fn: func(in, inout []byte) {
	for i := 0; i+8 <= len(inout); i += 8 {
		v := int64(binary.LittleEndian.Uint64(in[i:])) + int64(binary.LittleEndian.Uint64(inout[i:]))
		binary.LittleEndian.PutUint64(inout[i:], uint64(v))
	}
}}

// affine composes maps x -> a*x+b (uint32 pairs): in op inout = "apply in,
// then inout". Associative, not commutative, so any reordering shows.
var affine = mpi.Op{ElemSize: 8, Fn: func(in, inout []byte) {
	for i := 0; i+8 <= len(inout); i += 8 {
		xa, xb := binary.LittleEndian.Uint32(in[i:]), binary.LittleEndian.Uint32(in[i+4:])
		ya, yb := binary.LittleEndian.Uint32(inout[i:]), binary.LittleEndian.Uint32(inout[i+4:])
		binary.LittleEndian.PutUint32(inout[i:], ya*xa)
		binary.LittleEndian.PutUint32(inout[i+4:], ya*xb+yb)
	}
}}

func i64s(vs ...int64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return b
}

// contrib is rank r's input vector of n int64s.
func contrib(r, n int) []byte {
	vs := make([]int64, n)
	for i := range vs {
		vs[i] = int64(r*1000 + i)
	}
	return i64s(vs...)
}

// sumOf is the reference reduction of ranks [lo, hi).
func sumOf(lo, hi, n int) []byte {
	vs := make([]int64, n)
	for r := lo; r < hi; r++ {
		for i := range vs {
			vs[i] += int64(r*1000 + i)
		}
	}
	return i64s(vs...)
}

func affineIn(r, n int) []byte {
	b := make([]byte, 8*n)
	for i := range n {
		binary.LittleEndian.PutUint32(b[8*i:], uint32(3+2*r+i))
		binary.LittleEndian.PutUint32(b[8*i+4:], uint32(7*r+i+1))
	}
	return b
}

func affineOf(lo, hi, n int) []byte {
	acc := affineIn(lo, n)
	for r := lo + 1; r < hi; r++ {
		x := affineIn(r, n)
		affine.Fn(acc, x) // acc op x
		acc = x
	}
	return acc
}

func check(what string, got, want []byte) error {
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: got %x, want %x", what, got, want)
	}
	return nil
}

// TestCollectives runs every collective at each size, with eager and with
// rendezvous messages, and with the ranks sharing one CPU, where some take
// other paths (reduceRings).
func TestCollectives(t *testing.T) {
	modes := []struct {
		name        string
		limit, cpus int
	}{{"eager", 0, 0}, {"rendezvous", -1, 0}, {"one-cpu", 0, 1}}
	for _, mode := range modes {
		for _, n := range sizes {
			t.Run(fmt.Sprintf("%s/np%d", mode.name, n), func(t *testing.T) {
				var arrived atomic.Int64
				runOn(t, n, mode.limit, mode.cpus, func(r *mpi.Rank) error {
					c := r.CommWorld()
					me := c.Rank()
					for _, step := range collectiveSteps {
						if err := step.fn(c, me, n, &arrived); err != nil {
							return fmt.Errorf("%s: %w", step.name, err)
						}
					}
					return nil
				})
			})
		}
	}
}

var collectiveSteps = []struct {
	name string
	fn   func(c *mpi.Comm, me, n int, arrived *atomic.Int64) error
}{
	{"barrier", func(c *mpi.Comm, me, n int, arrived *atomic.Int64) error {
		arrived.Add(1)
		if err := c.Barrier(); err != nil {
			return err
		}
		if got := arrived.Load(); got < int64(n) {
			return fmt.Errorf("left the barrier with %d of %d arrived", got, n)
		}
		return c.Barrier()
	}},
	{"bcast", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for root := range n {
			for _, size := range []int{0, 8, 100 << 10} {
				buf := make([]byte, size)
				if me == root {
					copy(buf, fill(size, byte(root+1)))
				}
				if err := c.Bcast(buf, root); err != nil {
					return err
				}
				if err := check(fmt.Sprintf("root %d size %d", root, size), buf, fill(size, byte(root+1))); err != nil {
					return err
				}
			}
		}
		return nil
	}},
	{"reduce", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for root := range n {
			for _, k := range []int{1, 5, 20000} {
				recv := make([]byte, 8*k)
				if err := c.Reduce(contrib(me, k), recv, sum, root, false); err != nil {
					return err
				}
				if me == root {
					if err := check("sum", recv, sumOf(0, n, k)); err != nil {
						return err
					}
				}
				if me == root {
					copy(recv, affineIn(me, k))
				}
				if err := c.Reduce(affineIn(me, k), recv, affine, root, me == root); err != nil {
					return err
				}
				if me == root {
					if err := check("affine in place", recv, affineOf(0, n, k)); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}},
	{"allreduce", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for _, k := range []int{1, 3, 20000} {
			recv := make([]byte, 8*k)
			if err := c.Allreduce(contrib(me, k), recv, sum, false); err != nil {
				return err
			}
			if err := check("sum", recv, sumOf(0, n, k)); err != nil {
				return err
			}
			copy(recv, affineIn(me, k))
			if err := c.Allreduce(nil, recv, affine, true); err != nil {
				return err
			}
			if err := check("affine", recv, affineOf(0, n, k)); err != nil {
				return err
			}
		}
		return nil
	}},
	{"reduce_scatter", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		const k = 3
		recv := make([]byte, 8*k)
		if err := c.ReduceScatterBlock(contrib(me, k*n), recv, affine, false); err != nil {
			return err
		}
		_ = recv
		recv = make([]byte, 8*k)
		if err := c.ReduceScatterBlock(contrib(me, k*n), recv, sum, false); err != nil {
			return err
		}
		if err := check("block", recv, sumOf(0, n, k*n)[8*k*me:8*k*(me+1)]); err != nil {
			return err
		}
		counts := make([]int, n)
		total := 0
		for i := range counts {
			counts[i] = 8 * (i + 1)
			total += counts[i]
		}
		in := contrib(me, total/8)
		if err := c.ReduceScatter(nil, in, counts, sum, true); err != nil {
			return err
		}
		off := 0
		for i := range me {
			off += counts[i]
		}
		return check("v in place", in[:counts[me]], sumOf(0, n, total/8)[off:off+counts[me]])
	}},
	{"scan", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		const k = 4
		recv := make([]byte, 8*k)
		if err := c.Scan(affineIn(me, k), recv, affine, false); err != nil {
			return err
		}
		if err := check("scan affine", recv, affineOf(0, me+1, k)); err != nil {
			return err
		}
		if err := c.Exscan(affineIn(me, k), recv, affine, false); err != nil {
			return err
		}
		if me > 0 {
			if err := check("exscan affine", recv, affineOf(0, me, k)); err != nil {
				return err
			}
		}
		recv = contrib(me, k)
		if err := c.Scan(nil, recv, sum, true); err != nil {
			return err
		}
		return check("scan sum in place", recv, sumOf(0, me+1, k))
	}},
	{"gather scatter", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for root := range n {
			for _, blk := range []int{8, 70 << 10} {
				all := make([]byte, n*blk)
				want := make([]byte, n*blk)
				for i := range n {
					copy(want[i*blk:], fill(blk, byte(i+1)))
				}
				if err := c.Gather(fill(blk, byte(me+1)), all, root, false); err != nil {
					return err
				}
				if me == root {
					if err := check("gather", all, want); err != nil {
						return err
					}
				}
				mine := make([]byte, blk)
				if err := c.Scatter(want, mine, root, false); err != nil {
					return err
				}
				if err := check("scatter", mine, fill(blk, byte(me+1))); err != nil {
					return err
				}
				// in place at root
				all = make([]byte, n*blk)
				if me == root {
					copy(all[me*blk:], fill(blk, byte(me+1)))
				}
				if err := c.Gather(fill(blk, byte(me+1)), all, root, me == root); err != nil {
					return err
				}
				if me == root {
					if err := check("gather in place", all, want); err != nil {
						return err
					}
				}
			}
			// v variants: rank i contributes i+1 bytes, root stores them reversed.
			counts, displs := make([]int, n), make([]int, n)
			total := 0
			for i := n - 1; i >= 0; i-- {
				counts[i], displs[i] = i+1, total
				total += i + 1
			}
			all := make([]byte, total)
			if err := c.Gatherv(fill(me+1, byte(me)), all, counts, displs, root, false); err != nil {
				return err
			}
			want := make([]byte, total)
			for i := range n {
				copy(want[displs[i]:], fill(i+1, byte(i)))
			}
			if me == root {
				if err := check("gatherv", all, want); err != nil {
					return err
				}
			}
			mine := make([]byte, me+1)
			if err := c.Scatterv(want, counts, displs, mine, root, false); err != nil {
				return err
			}
			if err := check("scatterv", mine, fill(me+1, byte(me))); err != nil {
				return err
			}
		}
		return nil
	}},
	{"allgather", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for _, blk := range []int{1, 70 << 10} {
			all := make([]byte, n*blk)
			if err := c.Allgather(fill(blk, byte(me)), all, false); err != nil {
				return err
			}
			want := make([]byte, n*blk)
			for i := range n {
				copy(want[i*blk:], fill(blk, byte(i)))
			}
			if err := check("allgather", all, want); err != nil {
				return err
			}
			all = make([]byte, n*blk)
			copy(all[me*blk:], fill(blk, byte(me)))
			if err := c.Allgather(nil, all, true); err != nil {
				return err
			}
			if err := check("allgather in place", all, want); err != nil {
				return err
			}
		}
		counts, displs := make([]int, n), make([]int, n)
		total := 0
		for i := range n {
			counts[i], displs[i] = 2*i, total+1 // gaps of one byte stay zero
			total += 2*i + 1
		}
		all := make([]byte, total)
		if err := c.Allgatherv(fill(2*me, byte(me+1)), all, counts, displs, false); err != nil {
			return err
		}
		want := make([]byte, total)
		for i := range n {
			copy(want[displs[i]:], fill(2*i, byte(i+1)))
		}
		return check("allgatherv", all, want)
	}},
	{"alltoall", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		for _, blk := range []int{4, 70 << 10} {
			send := make([]byte, n*blk)
			want := make([]byte, n*blk)
			for j := range n {
				copy(send[j*blk:], fill(blk, byte(10*me+j)))
				copy(want[j*blk:], fill(blk, byte(10*j+me)))
			}
			recv := make([]byte, n*blk)
			if err := c.Alltoall(send, recv, false); err != nil {
				return err
			}
			if err := check("alltoall", recv, want); err != nil {
				return err
			}
			if err := c.Alltoall(nil, send, true); err != nil {
				return err
			}
			if err := check("alltoall in place", send, want); err != nil {
				return err
			}
		}
		// v: rank i sends j+1 bytes of value 10*i+j to rank j.
		sc, sd, rc, rd := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
		st, rt := 0, 0
		for j := range n {
			sc[j], sd[j] = j+1, st
			st += j + 1
			rc[j], rd[j] = me+1, rt
			rt += me + 1
		}
		send, recv, want := make([]byte, st), make([]byte, rt), make([]byte, rt)
		for j := range n {
			copy(send[sd[j]:], fill(j+1, byte(10*me+j)))
			copy(want[rd[j]:], fill(me+1, byte(10*j+me)))
		}
		if err := c.Alltoallv(send, sc, sd, recv, rc, rd, false); err != nil {
			return err
		}
		if err := check("alltoallv", recv, want); err != nil {
			return err
		}
		recv = make([]byte, rt)
		if err := c.Alltoallw(send, sc, sd, recv, rc, rd, false); err != nil {
			return err
		}
		return check("alltoallw", recv, want)
	}},
	{"nonblocking", func(c *mpi.Comm, me, n int, _ *atomic.Int64) error {
		r := c.Owner()
		bc := make([]byte, 64)
		if me == n-1 {
			copy(bc, fill(64, 0xBC))
		}
		red := make([]byte, 8*3)
		ar := make([]byte, 8*3)
		ag := make([]byte, n)
		a2a := make([]byte, n)
		send := make([]byte, n)
		for j := range n {
			send[j] = byte(10*me + j)
		}
		var qs []*mpi.Request
		add := func(q *mpi.Request, err error) error {
			qs = append(qs, q)
			return err
		}
		if err := add(c.Ibarrier()); err != nil {
			return err
		}
		if err := add(c.Ibcast(bc, n-1)); err != nil {
			return err
		}
		if err := add(c.Ireduce(contrib(me, 3), red, sum, 0, false)); err != nil {
			return err
		}
		if err := add(c.Iallreduce(affineIn(me, 3), ar, affine, false)); err != nil {
			return err
		}
		if err := add(c.Iallgather([]byte{byte(me)}, ag, false)); err != nil {
			return err
		}
		if err := add(c.Ialltoall(send, a2a, false)); err != nil {
			return err
		}
		// A blocking collective in between must not mix with the pending ones.
		x := contrib(me, 1)
		if err := c.Allreduce(nil, x, sum, true); err != nil {
			return err
		}
		if err := r.Waitall(qs, nil); err != nil {
			return err
		}
		if err := check("ibcast", bc, fill(64, 0xBC)); err != nil {
			return err
		}
		if me == 0 {
			if err := check("ireduce", red, sumOf(0, n, 3)); err != nil {
				return err
			}
		}
		for j := range n {
			if ag[j] != byte(j) || a2a[j] != byte(10*j+me) {
				return fmt.Errorf("iallgather %v ialltoall %v", ag, a2a)
			}
		}
		return check("iallreduce", ar, affineOf(0, n, 3))
	}},
}

// TestCollectives_twoLevel places ranks on several (fake) hosts so the
// locality-aware paths run; the in-process transport does not care where
// a rank "lives".
func TestCollectives_twoLevel(t *testing.T) {
	hosts := []int{0, 1, 0, 2, 1, 1, 0}
	n := len(hosts)
	errs := runHosts(t, hosts, func(r *mpi.Rank) error {
		c := r.CommWorld()
		me := c.Rank()
		for root := range n {
			buf := make([]byte, 16)
			if me == root {
				copy(buf, fill(16, byte(root)))
			}
			if err := c.Bcast(buf, root); err != nil {
				return err
			}
			if err := check("bcast", buf, fill(16, byte(root))); err != nil {
				return err
			}
		}
		if err := c.Barrier(); err != nil {
			return err
		}
		recv := make([]byte, 16)
		if err := c.Allreduce(contrib(me, 2), recv, sum, false); err != nil {
			return err
		}
		if err := check("allreduce", recv, sumOf(0, n, 2)); err != nil {
			return err
		}
		if err := c.Allreduce(affineIn(me, 2), recv, affine, false); err != nil {
			return err
		}
		if err := check("allreduce affine", recv, affineOf(0, n, 2)); err != nil {
			return err
		}
		sh, err := c.SplitType(mpi.SplitTypeShared, 0)
		if err != nil {
			return err
		}
		want := 0
		for _, h := range hosts {
			if h == hosts[me] {
				want++
			}
		}
		return expect(sh.Size() == want, "shared comm of rank %d has %d ranks, want %d", me, sh.Size(), want)
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("rank %d: %v", i, err)
		}
	}
}

// TestWorld_hammer_barrier: thousands of back-to-back barriers and small
// allreduces. Ranks wake and re-block constantly, which is where a detector
// that counts a just-woken rank as blocked reports a false deadlock.
func TestWorld_hammer_barrier(t *testing.T) {
	iters := 3000
	if testing.Short() {
		iters = 500
	}
	for _, n := range []int{4, 7} {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				c := r.CommWorld()
				x := make([]byte, 8)
				for i := range iters {
					if err := c.Barrier(); err != nil {
						return err
					}
					copy(x, i64s(1))
					if err := c.Allreduce(nil, x, sum, true); err != nil {
						return err
					}
					if err := check("count", x, i64s(int64(n))); err != nil {
						return fmt.Errorf("iteration %d: %w", i, err)
					}
				}
				return nil
			})
		})
	}
}
