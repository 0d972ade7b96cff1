package mpi_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
	"github.com/faasm-go/faasm/runtime/mpi/mpitest"
)

func runWorld(t testing.TB, size int, fn func(r *mpi.Rank) error) (*mpi.World, []error) {
	t.Helper()
	return runWorldOn(t, size, 0, fn)
}

// runWorldOn is runWorld with the ranks sharing cpus CPUs (0: all).
func runWorldOn(t testing.TB, size, cpus int, fn func(r *mpi.Rank) error) (*mpi.World, []error) {
	t.Helper()
	return mpitest.RunConfig(t, mpi.Config{Size: size, Transport: inproc.New(size), CPUs: cpus}, fn)
}

func TestDeadlock(t *testing.T) {
	cases := []struct {
		name  string
		size  int
		fn    func(r *mpi.Rank) error
		lines []string
	}{
		{"recv cycle", 3, func(r *mpi.Rank) error {
			c := r.CommWorld()
			_, err := c.Recv(nil, (c.Rank()+1)%3, 7)
			return err
		}, []string{
			"rank 0 blocked in MPI_Recv(source=1, tag=7, comm=MPI_COMM_WORLD)",
			"rank 1 blocked in MPI_Recv(source=2, tag=7, comm=MPI_COMM_WORLD)",
			"rank 2 blocked in MPI_Recv(source=0, tag=7, comm=MPI_COMM_WORLD)",
		}},
		{"wrong tag and finalized peer", 3, func(r *mpi.Rank) error {
			c := r.CommWorld()
			switch c.Rank() {
			case 0:
				return c.Send([]byte("x"), 1, 1)
			case 1:
				_, err := c.Recv(make([]byte, 1), 0, 2)
				return err
			}
			return c.Barrier()
		}, []string{
			"rank 1 blocked in MPI_Recv(source=0, tag=2, comm=MPI_COMM_WORLD)",
			"rank 2 blocked in MPI_Barrier(comm=MPI_COMM_WORLD)",
			"rank 0 finalized",
		}},
		// The message waits in its ring, which nothing drains: a receiver
		// that spun on it instead of sleeping would hide the deadlock.
		{"a message nobody receives", 3, func(r *mpi.Rank) error {
			c := r.CommWorld()
			switch c.Rank() {
			case 0:
				_, err := c.Recv(make([]byte, 8), 2, 1)
				return err
			case 1:
				if err := c.Send(make([]byte, 8), 0, 5); err != nil {
					return err
				}
				_, err := c.Recv(make([]byte, 8), 0, 9)
				return err
			}
			_, err := c.Recv(make([]byte, 8), 1, 1)
			return err
		}, []string{
			"rank 0 blocked in MPI_Recv(source=2, tag=1, comm=MPI_COMM_WORLD)",
			"rank 1 blocked in MPI_Recv(source=0, tag=9, comm=MPI_COMM_WORLD)",
			"rank 2 blocked in MPI_Recv(source=1, tag=1, comm=MPI_COMM_WORLD)",
		}},
		{"ssend both ways and a wait", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 0 {
				return c.Ssend(nil, 1, 3)
			}
			q, err := c.Irecv(nil, 0, 4)
			if err != nil {
				return err
			}
			_, err = r.Wait(q)
			return err
		}, []string{
			"rank 0 blocked in MPI_Ssend(dest=1, tag=3, comm=MPI_COMM_WORLD)",
			"rank 1 blocked in MPI_Wait(MPI_Irecv(source=0, tag=4, comm=MPI_COMM_WORLD))",
		}},
		{"nonblocking collective missing a rank", 2, func(r *mpi.Rank) error {
			c := r.CommWorld()
			if c.Rank() == 1 {
				_, err := c.Recv(nil, 0, 0)
				return err
			}
			q, err := c.Ibarrier()
			if err != nil {
				return err
			}
			_, err = r.Wait(q)
			return err
		}, []string{
			"rank 0 blocked in MPI_Wait(MPI_Ibarrier(comm=MPI_COMM_WORLD))",
			"rank 0 (MPI_Ibarrier progress) blocked in MPI_Ibarrier(comm=MPI_COMM_WORLD)",
			"rank 1 blocked in MPI_Recv(source=0, tag=0, comm=MPI_COMM_WORLD)",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, errs := runWorld(t, tc.size, tc.fn)
			require.ErrorIs(t, w.Err(), mpi.ErrDeadlock)
			msg := w.Err().Error()
			for _, line := range tc.lines {
				require.Contains(t, msg, line)
			}
			blocked := 0
			for _, err := range errs {
				if err != nil {
					require.ErrorIs(t, err, mpi.ErrDeadlock)
					blocked++
				}
			}
			require.Positive(t, blocked)
		})
	}
}

// TestDeadlock_none: heavy legitimate blocking (late senders, chains of
// waits) never trips the detector.
func TestDeadlock_none(t *testing.T) {
	run(t, 5, 64, func(r *mpi.Rank) error {
		c := r.CommWorld()
		me, n := c.Rank(), c.Size()
		for i := range 300 {
			if me == 0 {
				time.Sleep(time.Microsecond * time.Duration(i%3))
			}
			buf := make([]byte, 100)
			if _, err := c.Sendrecv(buf, (me+1)%n, i, make([]byte, 100), (me+n-1)%n, i); err != nil {
				return err
			}
			if i%50 == 0 {
				if err := c.Barrier(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func TestAbort(t *testing.T) {
	start := time.Now()
	w, errs := runWorld(t, 4, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if c.Rank() == 2 {
			time.Sleep(10 * time.Millisecond)
			r.Abort(42)
			return nil
		}
		if c.Rank() == 3 {
			return c.Barrier()
		}
		_, err := c.Recv(nil, 2, 0)
		return err
	})
	require.Less(t, time.Since(start), 5*time.Second)
	code, aborted := w.AbortCode()
	require.True(t, aborted)
	require.Equal(t, 42, code)
	for i, err := range errs {
		if i == 2 {
			continue
		}
		require.ErrorIs(t, err, mpi.ErrAborted, "rank %d", i)
		require.Contains(t, err.Error(), "rank 2 called MPI_Abort(code=42)")
	}
	select {
	case <-w.Done():
	default:
		t.Fatal("Done not closed after Abort")
	}
}

func TestPeerDied(t *testing.T) {
	w, errs := runWorld(t, 3, func(r *mpi.Rank) error {
		c := r.CommWorld()
		if c.Rank() == 1 {
			return errors.New("wasm trap: out of bounds memory access")
		}
		_, err := c.Recv(nil, 1, 0)
		return err
	})
	require.ErrorIs(t, w.Err(), mpi.ErrPeerDied)
	for _, i := range []int{0, 2} {
		require.ErrorIs(t, errs[i], mpi.ErrPeerDied)
		require.Contains(t, errs[i].Error(), "rank 1 died (wasm trap: out of bounds memory access)")
	}
}

func TestDeadlock_reportFormat(t *testing.T) {
	w, _ := runWorld(t, 2, func(r *mpi.Rank) error {
		c := r.CommWorld()
		_, err := c.Probe(mpi.AnySource, mpi.AnyTag)
		return err
	})
	lines := strings.Split(w.Err().Error(), "\n")
	require.Equal(t, []string{
		"mpi: deadlock: every live rank is blocked and no message is in flight",
		"rank 0 blocked in MPI_Probe(source=MPI_ANY_SOURCE, tag=MPI_ANY_TAG, comm=MPI_COMM_WORLD)",
		"rank 1 blocked in MPI_Probe(source=MPI_ANY_SOURCE, tag=MPI_ANY_TAG, comm=MPI_COMM_WORLD)",
	}, lines, fmt.Sprint(lines))
}
