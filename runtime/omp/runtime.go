package omp

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/faasm-go/faasm/runtime/procs"
)

// Config is the job's OpenMP configuration as the host decides it.
type Config struct {
	// NumCPU is the cores given to the job: OpenMP's default team size
	// and omp_get_num_procs. 0 means runtime.NumCPU().
	NumCPU int
	// MaxThreads caps the threads the host starts (0: 256).
	MaxThreads int
	// Private selects --omp-memory=private.
	Private bool
}

// Runtime is the OpenMP state of one job: its threads and their fate.
type Runtime struct {
	cfg   Config
	Futex *Futex

	mu      sync.Mutex
	threads int
	err     error
	done    chan struct{}
	closed  bool
	wg      sync.WaitGroup
}

// New returns the runtime of a job.
func New(cfg Config) *Runtime {
	if cfg.NumCPU <= 0 {
		cfg.NumCPU = runtime.NumCPU()
	}
	if cfg.MaxThreads <= 0 {
		cfg.MaxThreads = 256
	}
	r := &Runtime{cfg: cfg, done: make(chan struct{})}
	r.Futex = NewFutex(r.done, r.Err)
	return r
}

// Config is the runtime's configuration with defaults filled in.
func (r *Runtime) Config() Config { return r.cfg }

// ThreadError is how a thread other than the initial one ended the job.
type ThreadError struct {
	Thread int // the OpenMP global thread id (omp_get_thread_num at level 1)
	Err    error
}

func (e *ThreadError) Error() string { return fmt.Sprintf("OpenMP thread %d: %v", e.Thread, e.Err) }
func (e *ThreadError) Unwrap() error { return e.Err }

// ExitRequest is a thread's exit(code) while the job runs: the whole job
// ends with that code, as a process does.
type ExitRequest struct {
	Thread int
	Code   int32
}

func (e *ExitRequest) Error() string {
	return fmt.Sprintf("OpenMP thread %d called exit(%d)", e.Thread, e.Code)
}

// Err is the first failure of any thread, or nil.
func (r *Runtime) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Fail records the job's first failure and wakes every blocked thread with it.
func (r *Runtime) Fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
	if !r.closed {
		r.closed = true
		close(r.done)
		r.Futex.interrupt()
	}
}

// Reserve claims a thread slot; false when MaxThreads are running.
func (r *Runtime) Reserve() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.threads+1 >= r.cfg.MaxThreads {
		return false
	}
	r.threads++
	return true
}

// Go runs a thread's body on its own goroutine. run returns the thread's
// exit code and error the way engine.Faaslet.Call does: a thread's entry
// point never returns by itself, so any return while the job runs ends it.
func (r *Runtime) Go(gtid int, run func() (int32, error)) {
	r.wg.Add(1)
	procs.Add(1) // a guest thread: it sleeps in futex system calls
	// Its wake-ups lean on the Go scheduler's threads, which must then run
	// promptly (procs.KeepRuntimeNormal says why).
	procs.KeepRuntimeNormal()
	go func() {
		defer r.wg.Done()
		defer procs.Add(-1)
		defer procs.GuestThread()()
		code, err := run()
		if r.ending() {
			return
		}
		switch {
		case err != nil:
			r.Fail(&ThreadError{Thread: gtid, Err: err})
		default:
			r.Fail(&ExitRequest{Thread: gtid, Code: code})
		}
	}()
}

func (r *Runtime) ending() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// Shutdown ends the job's threads: blocked ones return ErrShutdown from
// their wait. It waits up to grace for them to leave the guest and reports
// whether they all did (a thread busy in guest code cannot be stopped).
func (r *Runtime) Shutdown(grace time.Duration) bool {
	r.Fail(ErrShutdown)
	ch := make(chan struct{})
	go func() { r.wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(grace):
		return false
	}
}

// IsShutdown reports whether err is the runtime's own shutdown signal.
func IsShutdown(err error) bool { return errors.Is(err, ErrShutdown) }

// Done is closed when the job ends (a failure, an exit or shutdown).
func (r *Runtime) Done() <-chan struct{} { return r.done }
