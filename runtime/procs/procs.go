// Package procs keeps enough Go Ps for the guest threads of this process.
//
// A guest thread (an MPI rank or an OpenMP thread) that blocks sleeps on a
// futex inside a host call: in a system call, still holding its P until
// sysmon retakes it, which it does lazily (not at all while idle Ps
// remain, otherwise after 20 us to 10 ms). A thread that wants to enter a
// host call meanwhile needs a P, so with fewer Ps than sleeping threads it
// waits for that retake. OpenMP barriers at 4 threads on 2 cores took
// 22 us with GOMAXPROCS at its default and 12 us with 8 (libomp: 15 us).
// Spare Ps cost nothing while idle, so the count only grows.
package procs

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// spare is how many Ps are kept beyond the guest threads: the Go side's
// own goroutines (output copying, helpers of non-blocking collectives).
const spare = 2

var (
	threads atomic.Int64
	mu      sync.Mutex
)

// Add counts n more guest threads (n < 0: that many ended) and raises
// GOMAXPROCS to the count plus spare when it is below.
func Add(n int) {
	c := threads.Add(int64(n))
	if n > 0 {
		Ensure(int(c))
	}
}

// Ensure raises GOMAXPROCS to n guest threads plus spare when it is below,
// without counting them: for code that knows how many threads it is about
// to run but not when they end (an mpi.World's local ranks).
func Ensure(n int) {
	mu.Lock()
	defer mu.Unlock()
	if want := n + spare; runtime.GOMAXPROCS(0) < want {
		runtime.GOMAXPROCS(want)
	}
}
