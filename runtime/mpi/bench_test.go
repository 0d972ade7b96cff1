package mpi_test

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
)

func bench(b *testing.B, size int, fn func(r *mpi.Rank) error) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	_, errs := runWorld(b, size, fn)
	b.StopTimer()
	for i, err := range errs {
		if err != nil {
			b.Fatalf("rank %d: %v", i, err)
		}
	}
}

// BenchmarkPingPong: one op is a round trip; oneway-ns is the latency.
func BenchmarkPingPong(b *testing.B) {
	for _, size := range []int{8, 1 << 10, 64 << 10, 1 << 20, 16 << 20} {
		b.Run(byteSize(size), func(b *testing.B) {
			b.SetBytes(int64(2 * size))
			bench(b, 2, func(r *mpi.Rank) error {
				c := r.CommWorld()
				buf := make([]byte, size)
				peer := 1 - c.Rank()
				for range b.N {
					if c.Rank() == 0 {
						if err := c.Send(buf, peer, 0); err != nil {
							return err
						}
						if _, err := c.Recv(buf, peer, 0); err != nil {
							return err
						}
					} else {
						if _, err := c.Recv(buf, peer, 0); err != nil {
							return err
						}
						if err := c.Send(buf, peer, 0); err != nil {
							return err
						}
					}
				}
				return nil
			})
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "oneway-ns")
		})
	}
}

// BenchmarkStream: rank 0 sends b.N 8-byte messages to rank 1, which
// receives them; the sender runs ahead, so messages wait as unexpected.
func BenchmarkStream(b *testing.B) {
	bench(b, 2, func(r *mpi.Rank) error {
		c := r.CommWorld()
		buf := make([]byte, 8)
		for range b.N {
			var err error
			if c.Rank() == 0 {
				err = c.Send(buf, 1, 0)
			} else {
				_, err = c.Recv(buf, 0, 0)
			}
			if err != nil {
				return err
			}
		}
		return c.Barrier()
	})
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

var sumF64 = mpi.Op{Commute: true, ElemSize: 8, Fn: func(in, inout []byte) {
	n := len(inout) / 8
	if n == 0 {
		return
	}
	a := unsafe.Slice((*float64)(unsafe.Pointer(&in[0])), n)
	x := unsafe.Slice((*float64)(unsafe.Pointer(&inout[0])), n)
	for i := range x {
		x[i] += a[i]
	}
}}

func BenchmarkAllreduce(b *testing.B) {
	for _, np := range []int{2, 4} {
		for _, size := range []int{8, 1 << 10, 64 << 10, 1 << 20, 8 << 20} {
			b.Run(fmt.Sprintf("np%d/%s", np, byteSize(size)), func(b *testing.B) {
				b.SetBytes(int64(size))
				bench(b, np, func(r *mpi.Rank) error {
					c := r.CommWorld()
					send, recv := make([]byte, size), make([]byte, size)
					for range b.N {
						if err := c.Allreduce(send, recv, sumF64, false); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}

func BenchmarkBarrier(b *testing.B) {
	for _, np := range []int{2, 4} {
		b.Run(fmt.Sprint("np", np), func(b *testing.B) {
			bench(b, np, func(r *mpi.Rank) error {
				c := r.CommWorld()
				for range b.N {
					if err := c.Barrier(); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
}

func BenchmarkBcast(b *testing.B) {
	for _, np := range []int{2, 4} {
		for _, size := range []int{8, 1 << 20} {
			b.Run(fmt.Sprintf("np%d/%s", np, byteSize(size)), func(b *testing.B) {
				b.SetBytes(int64(size))
				bench(b, np, func(r *mpi.Rank) error {
					c := r.CommWorld()
					buf := make([]byte, size)
					for range b.N {
						if err := c.Bcast(buf, 0); err != nil {
							return err
						}
					}
					return nil
				})
			})
		}
	}
}

func BenchmarkAlltoall(b *testing.B) {
	for _, size := range []int{8, 64 << 10} {
		b.Run(fmt.Sprintf("np4/%s", byteSize(size)), func(b *testing.B) {
			bench(b, 4, func(r *mpi.Rank) error {
				c := r.CommWorld()
				send, recv := make([]byte, 4*size), make([]byte, 4*size)
				for range b.N {
					if err := c.Alltoall(send, recv, false); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
}

// BenchmarkSendRecvCPU: the CPU path of an 8-byte message through the
// local ring, without the transfer between cores: one goroutine sends 16
// messages as rank 0 and receives them as rank 1, so the figure is steady
// where the two-rank benchmarks move with the machine's load.
func BenchmarkSendRecvCPU(b *testing.B) {
	w, err := mpi.NewWorld(mpi.Config{Size: 2, Transport: inproc.New(2)})
	if err != nil {
		b.Fatal(err)
	}
	c0, c1 := w.Rank(0).CommWorld(), w.Rank(1).CommWorld()
	buf := make([]byte, 8)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N / 16 {
		for range 16 {
			if err := c0.Send(buf, 1, 0); err != nil {
				b.Fatal(err)
			}
		}
		for range 16 {
			if _, err := c1.Recv(buf, 0, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkIsendIrecvCPU: BenchmarkSendRecvCPU's pattern with non-blocking
// calls, as halo exchanges make them: rank 1 posts 16 receives, rank 0
// sends 16 messages, both wait for all of theirs.
func BenchmarkIsendIrecvCPU(b *testing.B) {
	w, err := mpi.NewWorld(mpi.Config{Size: 2, Transport: inproc.New(2)})
	if err != nil {
		b.Fatal(err)
	}
	r0, r1 := w.Rank(0), w.Rank(1)
	c0, c1 := r0.CommWorld(), r1.CommWorld()
	bufs := make([][]byte, 16)
	for i := range bufs {
		bufs[i] = make([]byte, 8)
	}
	sends, recvs := make([]*mpi.Request, 16), make([]*mpi.Request, 16)
	sts := make([]mpi.Status, 16)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N / 16 {
		for i := range recvs {
			if recvs[i], err = c1.Irecv(bufs[i], 0, i); err != nil {
				b.Fatal(err)
			}
		}
		for i := range sends {
			if sends[i], err = c0.Isend(bufs[i], 1, i); err != nil {
				b.Fatal(err)
			}
		}
		if err := r0.Waitall(sends, sts); err != nil {
			b.Fatal(err)
		}
		if err := r1.Waitall(recvs, sts); err != nil {
			b.Fatal(err)
		}
		for i := range sends {
			r0.Recycle(sends[i])
			r1.Recycle(recvs[i])
		}
	}
}
