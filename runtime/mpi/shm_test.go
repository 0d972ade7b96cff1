package mpi_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/faasm-go/faasm/runtime/mpi"
)

// Values whose float64 sum depends on the grouping: 1e16 absorbs a 1 added
// to it alone, so only some trees keep the small terms.
func roundingIn(r int) float64 {
	return [...]float64{1e16, 1, -1e16, 1, 3, 1e16, -1e16}[r%7] * float64(1+r/7)
}

func f64Bytes(v float64, n int) []byte {
	b := make([]byte, 8*n)
	for i := range n {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

// threePaths runs a reduction three ways on n ranks, each rank reducing
// roundingIn(me): small (the slots of the shared-memory board), large (a
// Reduce's message tree, an Allreduce's direct path over the board) and
// non-blocking (messages at any size). It returns, per rank, the first
// element of each result.
func threePaths(t *testing.T, n int, blocking func(c *mpi.Comm, in, out []byte) error,
	nonblocking func(c *mpi.Comm, in, out []byte) (*mpi.Request, error),
) [][3][]byte {
	t.Helper()
	const large = 1024 // elements: well above the shared-memory limit
	results := make([][3][]byte, n)
	run(t, n, 0, func(r *mpi.Rank) error {
		c := r.CommWorld()
		me := c.Rank()
		small, big, nb := make([]byte, 8), make([]byte, 8*large), make([]byte, 8)
		if err := blocking(c, f64Bytes(roundingIn(me), 1), small); err != nil {
			return err
		}
		if err := blocking(c, f64Bytes(roundingIn(me), large), big); err != nil {
			return err
		}
		q, err := nonblocking(c, f64Bytes(roundingIn(me), 1), nb)
		if err != nil {
			return err
		}
		if _, err := r.Wait(q); err != nil {
			return err
		}
		results[me] = [3][]byte{small, big[:8], nb}
		return nil
	})
	return results
}

// sameBits reports any of got that differs from want bit for bit.
func sameBits(t *testing.T, who string, got [3][]byte, want []byte) {
	t.Helper()
	for i, g := range got {
		if !bytes.Equal(g, want) {
			t.Errorf("%s result %d: %v, want %v (message path)", who, i,
				math.Float64frombits(binary.LittleEndian.Uint64(g)), math.Float64frombits(binary.LittleEndian.Uint64(want)))
		}
	}
}

// TestAllreduce_shmSameAsMessages: the shared-memory paths (slots for small
// payloads, members' own buffers for large ones) must give bit for bit what
// the message-based recursive doubling gives (Iallreduce), on every rank,
// for floating-point sums whose result depends on the order.
func TestAllreduce_shmSameAsMessages(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			results := threePaths(t, n,
				func(c *mpi.Comm, in, out []byte) error { return c.Allreduce(in, out, sumF64, false) },
				func(c *mpi.Comm, in, out []byte) (*mpi.Request, error) { return c.Iallreduce(in, out, sumF64, false) })
			for me, rs := range results {
				sameBits(t, fmt.Sprint("rank ", me), rs, results[0][1])
			}
		})
	}
}

// TestReduce_shmSameAsMessages: a small Reduce (shared memory, binomial
// order over the slots) gives bit for bit what the message-based binomial
// tree gives (a large Reduce, and Ireduce), at every root.
func TestReduce_shmSameAsMessages(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			for root := range n {
				results := threePaths(t, n,
					func(c *mpi.Comm, in, out []byte) error { return c.Reduce(in, out, sumF64, root, false) },
					func(c *mpi.Comm, in, out []byte) (*mpi.Request, error) {
						return c.Ireduce(in, out, sumF64, root, false)
					})
				sameBits(t, fmt.Sprint("root ", root), results[root], results[root][1])
			}
		})
	}
}

// TestAlltoall_shm checks the shared-memory Alltoall block placement and
// that consecutive small collectives on one communicator (which reuse the
// board's slots every other round) never see each other's data.
func TestAlltoall_shm(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				for round := range 50 {
					send := make([]byte, 2*n)
					for j := range n {
						send[2*j], send[2*j+1] = byte(me), byte(j+round)
					}
					recv := make([]byte, 2*n)
					if err := c.Alltoall(send, recv, false); err != nil {
						return err
					}
					for i := range n {
						if recv[2*i] != byte(i) || recv[2*i+1] != byte(me+round) {
							return fmt.Errorf("round %d: block %d = %v", round, i, recv[2*i:2*i+2])
						}
					}
					v := make([]byte, 8)
					if err := c.Allreduce(i64s(int64(me+round)), v, sum, false); err != nil {
						return err
					}
					if want := int64(n*(n-1)/2 + n*round); int64(binary.LittleEndian.Uint64(v)) != want {
						return fmt.Errorf("round %d: allreduce %d, want %d", round, int64(binary.LittleEndian.Uint64(v)), want)
					}
				}
				return nil
			})
		})
	}
}

// TestBcast_shmRing runs more broadcasts than the ring has slots (128),
// with slow members, so roots run ahead and must wait for slots; every
// member must see every broadcast's own data. The root changes every 3
// calls in the first part and every 200 in the second, where one root
// alone can fill the ring while a member sleeps. Every fourth broadcast is
// larger than 4 KiB (up to 64 KiB), so the ring of large buffers (32 of
// them) is reused while members still read older ones.
func TestBcast_shmRing(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				for round := range 200 + 200*n {
					root := (round / 3) % n
					if round >= 200 {
						root = (round - 200) / 200
					}
					size := 1 + round%9
					if round%4 == 1 {
						size = 4<<10 + 1 + round*977%(60<<10)
					}
					buf := make([]byte, size)
					if me == root {
						for i := range buf {
							buf[i] = byte(round + i)
						}
					}
					if round%50 == me {
						time.Sleep(time.Millisecond) // let the others run ahead
					}
					if err := c.Bcast(buf, root); err != nil {
						return err
					}
					for i := range buf {
						if buf[i] != byte(round+i) {
							return fmt.Errorf("round %d (root %d): byte %d = %d", round, root, i, buf[i])
						}
					}
				}
				return c.Barrier()
			})
		})
	}
}

// TestBcast_shmTruncate: a member that expects fewer bytes than the root
// sends gets a truncation error, and the root and other members do not
// hang, through the slots and through the root's buffer (bcastDirect).
func TestBcast_shmTruncate(t *testing.T) {
	for _, size := range []int{8, 100 << 10} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			_, errs := runWorld(t, 3, func(r *mpi.Rank) error {
				c := r.CommWorld()
				n := size
				if c.Rank() == 2 {
					n = size - 4
				}
				err := c.Bcast(make([]byte, n), 0)
				if berr := c.Barrier(); berr != nil {
					return berr
				}
				return err
			})
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("root and matching member: %v, %v", errs[0], errs[1])
			}
			if !errors.Is(errs[2], mpi.ErrTruncate) {
				t.Fatalf("short member: %v, want ErrTruncate", errs[2])
			}
		})
	}
}

// TestBcast_direct runs broadcasts above the slots' size, which members
// copy from the root's buffer, between Reduces, whose non-roots leave
// early too, and large Allreduces, which publish buffers in the same
// rounds; members sleep now and then so the others run ahead. Every
// member must see every broadcast's data, though the root clears its
// buffer as soon as its call returns.
func TestBcast_direct(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				for round := range 60 {
					root := round % n
					size := 64<<10 + 1 + round*7919%(200<<10)
					buf := make([]byte, size)
					if me == root {
						for i := range buf {
							buf[i] = byte(round + i)
						}
					}
					if round%7 == me {
						time.Sleep(time.Millisecond)
					}
					if err := c.Bcast(buf, root); err != nil {
						return err
					}
					for i := range buf {
						if buf[i] != byte(round+i) {
							return fmt.Errorf("round %d (root %d): byte %d = %d", round, root, i, buf[i])
						}
					}
					if me == root {
						clear(buf) // as a caller may, once Bcast returns
					}
					switch round % 3 {
					case 0:
						recv := make([]byte, 8)
						if err := c.Reduce(contrib(me, 1), recv, sum, root, false); err != nil {
							return err
						}
						if me == root {
							if err := check("reduce", recv, sumOf(0, n, 1)); err != nil {
								return err
							}
						}
					case 1:
						recv := make([]byte, 8*2000)
						if err := c.Allreduce(contrib(me, 2000), recv, sum, false); err != nil {
							return err
						}
						if err := check("allreduce", recv, sumOf(0, n, 2000)); err != nil {
							return err
						}
					}
				}
				return c.Barrier()
			})
		})
	}
}

// TestAllreduce_directSizeMismatch: ranks that contribute vectors of
// different sizes to a large Allreduce (the direct path) all get a count
// error, none writes into another's buffer, and none hangs: the ranks that
// agree must still return, and a later Allreduce must work. The odd rank
// out takes the direct path too (600 doubles) or the slots' (300), after
// an earlier direct round left its buffer on the board.
func TestAllreduce_directSizeMismatch(t *testing.T) {
	const agreed = 1024 // doubles: above the slots' 4 KiB
	for _, other := range []int{600, 300} {
		t.Run(fmt.Sprint(other), func(t *testing.T) { directSizeMismatch(t, agreed, other) })
	}
}

func directSizeMismatch(t *testing.T, agreed, other int) {
	_, errs := runWorld(t, 3, func(r *mpi.Rank) error {
		c := r.CommWorld()
		for range 2 { // both parities hold a finished direct round
			if err := c.Allreduce(nil, f64Bytes(1, agreed), sumF64, true); err != nil {
				return err
			}
		}
		n := agreed
		if c.Rank() == 2 {
			n = other
		}
		buf := f64Bytes(1, n)
		err := c.Allreduce(nil, buf, sumF64, true)
		if !bytes.Equal(buf, f64Bytes(1, n)) {
			return fmt.Errorf("buffer changed by a failed Allreduce")
		}
		after := f64Bytes(1, agreed)
		if aerr := c.Allreduce(nil, after, sumF64, true); aerr != nil {
			return aerr
		}
		if !bytes.Equal(after, f64Bytes(3, agreed)) {
			return fmt.Errorf("the next Allreduce gave a wrong sum")
		}
		return err
	})
	for r, err := range errs {
		if !errors.Is(err, mpi.ErrCount) {
			t.Errorf("rank %d: %v, want ErrCount", r, err)
		}
	}
}

// TestReduce_directSizeMismatch: as for Allreduce, ranks that contribute
// vectors of different sizes to a large Reduce get a count error and do
// not hang, the root's buffer is left alone, and the next Reduce works. A
// non-root whose smaller vector took the slots' path only contributes
// there, as a send would, and sees no error. A CPU per rank keeps small
// Reduces on the board (not reduceRings, whose messages the board's
// rounds do not see).
func TestReduce_directSizeMismatch(t *testing.T) {
	const agreed = 1024 // doubles: above the slots' 4 KiB
	for _, other := range []int{600, 300} {
		t.Run(fmt.Sprint(other), func(t *testing.T) {
			_, errs := runWorldOn(t, 3, 3, func(r *mpi.Rank) error {
				c := r.CommWorld()
				recv := f64Bytes(7, agreed)
				for range 2 { // both parities hold a finished direct round
					if err := c.Reduce(f64Bytes(1, agreed), recv, sumF64, 0, false); err != nil {
						return err
					}
				}
				if c.Rank() == 0 && !bytes.Equal(recv, f64Bytes(3, agreed)) {
					return fmt.Errorf("wrong sum before the mismatch")
				}
				return reduceAfterMismatch(c, agreed, other)
			})
			for r, err := range errs {
				if r == 2 && other == 300 {
					if err != nil {
						t.Errorf("rank 2 (slots' path): %v, want nil", err)
					}
					continue
				}
				if !errors.Is(err, mpi.ErrCount) {
					t.Errorf("rank %d: %v, want ErrCount", r, err)
				}
			}
		})
	}
}

// reduceAfterMismatch runs a Reduce of doubles to rank 0 where rank 2
// contributes other of them and the rest agreed, then one where all agree:
// the first must leave the root's buffer alone and the second must sum
// right. It returns the first Reduce's error.
func reduceAfterMismatch(c *mpi.Comm, agreed, other int) error {
	n := agreed
	if c.Rank() == 2 {
		n = other
	}
	recv := f64Bytes(7, agreed)
	err := c.Reduce(f64Bytes(1, n), recv, sumF64, 0, false)
	if !bytes.Equal(recv, f64Bytes(7, agreed)) {
		return fmt.Errorf("receive buffer changed by a failed Reduce")
	}
	if rerr := c.Reduce(f64Bytes(2, agreed), recv, sumF64, 0, false); rerr != nil {
		return rerr
	}
	if c.Rank() == 0 && !bytes.Equal(recv, f64Bytes(6, agreed)) {
		return fmt.Errorf("the next Reduce gave a wrong sum")
	}
	return err
}

// TestReduce_ringsSizeMismatch: with ranks sharing a CPU a small Reduce
// goes through the rings; a member that contributes fewer bytes than the
// root gets nothing wrong, the root a count error, and one that
// contributes more makes the root's receive truncate. The root's buffer is
// left alone, nobody hangs, and the next Reduce works.
func TestReduce_ringsSizeMismatch(t *testing.T) {
	const agreed = 8 // doubles
	for _, tc := range []struct {
		other int
		want  error
	}{{4, mpi.ErrCount}, {16, mpi.ErrTruncate}} {
		t.Run(fmt.Sprint(tc.other), func(t *testing.T) {
			_, errs := runWorldOn(t, 3, 1, func(r *mpi.Rank) error {
				c := r.CommWorld()
				return reduceAfterMismatch(c, agreed, tc.other)
			})
			if errs[1] != nil || errs[2] != nil {
				t.Errorf("non-roots: %v, %v", errs[1], errs[2])
			}
			if !errors.Is(errs[0], tc.want) {
				t.Errorf("root: %v, want %v", errs[0], tc.want)
			}
		})
	}
}

// TestGather_directErrors: in a large Gather, a member that sends more
// than the root's block, or a root whose buffer cannot hold every block,
// is an error at the root only, as with messages; nobody hangs and a later
// Gather works.
func TestGather_directErrors(t *testing.T) {
	const blk = 8 << 10
	for _, tc := range []struct {
		name            string
		sent, rootSpace int // rank 2's send size, root's receive size
		want            error
	}{
		{"member sends more", blk + 100, 3 * blk, mpi.ErrTruncate},
		{"root buffer short", blk, 3*blk - 1, mpi.ErrCount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := runWorld(t, 3, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				send := fill(blk, byte(me+1))
				if me == 2 {
					send = fill(tc.sent, byte(me+1))
				}
				err := c.Gather(send, make([]byte, tc.rootSpace), 0, false)
				all := make([]byte, 3*blk)
				if gerr := c.Gather(fill(blk, byte(me+1)), all, 0, false); gerr != nil {
					return gerr
				}
				if me == 0 {
					for i := range 3 {
						if !bytes.Equal(all[i*blk:(i+1)*blk], fill(blk, byte(i+1))) {
							return fmt.Errorf("the next Gather: block %d wrong", i)
						}
					}
				}
				return err
			})
			if !errors.Is(errs[0], tc.want) {
				t.Errorf("root: %v, want %v", errs[0], tc.want)
			}
			if errs[1] != nil || errs[2] != nil {
				t.Errorf("members: %v, %v, want nil", errs[1], errs[2])
			}
		})
	}
}

// TestReduceGather_directRotatingRoots: large Reduces and Gathers in a row
// with the root moving every call, every result checked at its root. (A
// root that cleared its published buffer after the call could wipe the
// next root's; goroutines here rarely hit that window, ranks under faasm
// run did: libfaasmpi's coll_reduce test caught it.)
func TestReduceGather_directRotatingRoots(t *testing.T) {
	const k, blk = 1024, 5 << 10
	for _, n := range []int{2, 3, 5} {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				c := r.CommWorld()
				me := c.Rank()
				for i := range 300 {
					root := i % n
					recv := f64Bytes(-1, k)
					if err := c.Reduce(f64Bytes(float64(i), k), recv, sumF64, root, false); err != nil {
						return err
					}
					if me == root && !bytes.Equal(recv, f64Bytes(float64(i*n), k)) {
						return fmt.Errorf("reduce %d: wrong sum at root %d", i, root)
					}
					all := make([]byte, n*blk)
					if err := c.Gather(fill(blk, byte(i+me)), all, root, false); err != nil {
						return err
					}
					for j := range n {
						if me == root && !bytes.Equal(all[j*blk:(j+1)*blk], fill(blk, byte(i+j))) {
							return fmt.Errorf("gather %d: block %d wrong at root %d", i, j, root)
						}
					}
				}
				return nil
			})
		})
	}
}
