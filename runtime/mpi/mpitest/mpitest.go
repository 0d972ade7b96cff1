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

// RunHosts runs a job whose ranks are placed on hosts[i], with one World
// per host (as separate host processes would have) all connected by tr.
// Each World's failure state is local to it: cross-host failure propagation
// is the transport's business.
func RunHosts(tb testing.TB, hosts []int, tr mpi.Transport, fn func(r *mpi.Rank) error) []error {
	tb.Helper()
	errs := make([]error, len(hosts))
	seen := map[int]bool{}
	var worlds []*mpi.World
	for _, h := range hosts {
		if seen[h] {
			continue
		}
		seen[h] = true
		w, err := mpi.NewWorld(mpi.Config{Size: len(hosts), Hosts: hosts, LocalHost: h, Transport: tr})
		if err != nil {
			tb.Fatalf("mpitest: host %d: %v", h, err)
		}
		worlds = append(worlds, w)
	}
	runRanks(tb, worlds, errs, fn)
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
	runRanks(tb, []*mpi.World{w}, errs, fn)
	return w, errs
}

func runRanks(tb testing.TB, worlds []*mpi.World, errs []error, fn func(r *mpi.Rank) error) {
	tb.Helper()
	var wg sync.WaitGroup
	for i := range errs {
		var r *mpi.Rank
		for _, w := range worlds {
			if r = w.Rank(i); r != nil {
				break
			}
		}
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
		tb.Fatalf("mpitest: job of %d ranks still running after %v", len(errs), Timeout)
	}
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
