// Package mpitest holds helpers for testing code built on runtime/mpi and
// the conformance suite every mpi.Transport must pass.
//
//	func TestMyTransport(t *testing.T) {
//		mpitest.TestTransport(t, func(t *testing.T, size int) mpi.Transport { return mine.New(size) })
//	}
//
//	errs := mpitest.Run(t, 4, func(r *mpi.Rank) error {
//		return r.CommWorld().Barrier()
//	})
package mpitest

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
)

// Timeout bounds a Run; a job still running then dumps every goroutine and
// fails the test (a hang is a bug the deadlock detector should have caught).
var Timeout = 60 * time.Second

// Run runs fn as every rank of a size-rank in-process job and returns each
// rank's error. A rank whose fn returns nil is finalized; one that returns
// an error exits without Finalize, as a trapping Faaslet would.
func Run(tb testing.TB, size int, fn func(r *mpi.Rank) error) []error {
	tb.Helper()
	_, errs := RunConfig(tb, mpi.Config{Size: size, Transport: inproc.New(size)}, fn)
	return errs
}

// RunConfig is Run with an explicit configuration. It returns the world so
// that tests can look at its failure state.
func RunConfig(tb testing.TB, cfg mpi.Config, fn func(r *mpi.Rank) error) (*mpi.World, []error) {
	tb.Helper()
	w, err := mpi.NewWorld(cfg)
	if err != nil {
		tb.Fatalf("mpitest: %v", err)
	}
	errs := make([]error, cfg.Size)
	var wg sync.WaitGroup
	for i := range cfg.Size {
		r := w.Rank(i)
		if r == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("rank %d panicked: %v", i, p)
					r.Exit(errs[i])
				}
			}()
			errs[i] = fn(r)
			if errs[i] == nil && !r.Finalized() {
				errs[i] = r.Finalize()
			}
			r.Exit(errs[i])
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(Timeout):
		_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
		tb.Fatalf("mpitest: job of %d ranks still running after %v", cfg.Size, Timeout)
	}
	return w, errs
}

// NoErrors fails the test for every rank that returned an error.
func NoErrors(tb testing.TB, errs []error) {
	tb.Helper()
	for i, err := range errs {
		if err != nil {
			tb.Errorf("rank %d: %v", i, err)
		}
	}
}
