package mpi

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasm-go/faasm/runtime/procs"
)

// Special rank, tag and result values. They are Go-side values; the faasmpi
// adapter maps the ABI constants of mpi.h onto them.
const (
	AnySource = -1     // MPI_ANY_SOURCE
	AnyTag    = -1     // MPI_ANY_TAG
	ProcNull  = -2     // MPI_PROC_NULL
	Undefined = -32766 // MPI_UNDEFINED
	// TagUB is the largest valid user tag (MPI_TAG_UB attribute).
	TagUB = 1<<30 - 1
	// DefaultEagerLimit is the message size (bytes) up to which sends are
	// eager; larger messages use the one-copy rendezvous path.
	DefaultEagerLimit = 64 << 10
)

// Config describes one MPI job.
type Config struct {
	// Size is the number of ranks (MPI_COMM_WORLD's size).
	Size int
	// Hosts[r] is the host that runs world rank r. Nil puts every rank on
	// host 0. Collectives and Comm_split_type consult it.
	Hosts []int
	// LocalHost is the host this process serves: World creates Rank
	// objects (and registers them with the transport) only for ranks on it.
	LocalHost int
	// Transport moves envelopes between ranks (e.g. inproc.New()). Required.
	Transport Transport
	// EagerLimit is the largest eager message in bytes; 0 means
	// DefaultEagerLimit, a negative value makes every message rendezvous.
	EagerLimit int
	// Name identifies the job in error messages.
	Name string
	// CPUs is how many CPUs the local ranks share; 0 means all of this
	// machine's. With more local ranks than CPUs a waiting rank yields its
	// CPU, and collectives favour algorithms that let ranks run ahead.
	CPUs int
}

// World is one running MPI job: its ranks, their placement, the transport and
// the job-wide failure state (abort, dead rank, deadlock).
type World struct {
	size      int
	hosts     []int
	localHost int
	tr        Transport
	eager     int
	name      string
	ranks     []*Rank // nil for ranks on other hosts
	multiHost bool    // some rank lives on another host
	// spin is how long a blocking call polls before parking: long when
	// every local rank has a CPU, short when ranks outnumber CPUs (then a
	// poller keeps a rank with work off the CPU, but a short one still
	// catches a collective's partners arriving within a time slice).
	spin  time.Duration
	yield bool // spinning gives the CPU away: local ranks outnumber CPUs

	det    detector
	boards shmBoards // shared-memory collective state per communicator

	failOnce  sync.Once
	failErr   atomic.Pointer[error]
	failed    chan struct{}
	abortCode atomic.Int64
	aborted   atomic.Bool
}

// NewWorld creates the job's world and its local ranks, and registers them
// with the transport. The ranks' goroutines are the caller's: each one calls
// MPI through its *Rank.
func NewWorld(cfg Config) (*World, error) {
	if cfg.Size <= 0 {
		return nil, fmt.Errorf("mpi.newworld: size %d: %w", cfg.Size, ErrArg)
	}
	if cfg.Transport == nil {
		return nil, fmt.Errorf("mpi.newworld: no transport: %w", ErrArg)
	}
	hosts := cfg.Hosts
	if hosts == nil {
		hosts = make([]int, cfg.Size)
	}
	if len(hosts) != cfg.Size {
		return nil, fmt.Errorf("mpi.newworld: %d hosts for %d ranks: %w", len(hosts), cfg.Size, ErrArg)
	}
	w := &World{
		size:      cfg.Size,
		hosts:     append([]int(nil), hosts...),
		localHost: cfg.LocalHost,
		tr:        cfg.Transport,
		eager:     cfg.EagerLimit,
		name:      cfg.Name,
		ranks:     make([]*Rank, cfg.Size),
		failed:    make(chan struct{}),
	}
	if w.eager == 0 {
		w.eager = DefaultEagerLimit
	}
	w.det.init()
	local := 0
	for _, h := range hosts {
		if h == cfg.LocalHost {
			local++
		}
	}
	cpus := cfg.CPUs
	if cpus <= 0 {
		cpus = runtime.NumCPU()
	}
	w.spin, w.yield = spinOversubscribed, true
	if local <= cpus {
		w.spin, w.yield = spinBeforePark, false
	}
	// A blocked rank sleeps its thread on a futex inside a host call,
	// holding its P (package procs).
	procs.Ensure(local)
	for i := range w.ranks {
		if hosts[i] != cfg.LocalHost {
			w.multiHost = true
			continue
		}
		r := newRank(w, i)
		w.ranks[i] = r
		if err := w.tr.Register(i, &r.m); err != nil {
			return nil, fmt.Errorf("mpi.newworld: register rank %d: %w", i, err)
		}
	}
	return w, nil
}

// Size is the number of ranks in the job.
func (w *World) Size() int { return w.size }

// Host returns the host that runs world rank r.
func (w *World) Host(r int) int { return w.hosts[r] }

// Rank returns world rank i's handle, or nil if it lives on another host.
func (w *World) Rank(i int) *Rank {
	if i < 0 || i >= w.size {
		return nil
	}
	return w.ranks[i]
}

// Done is closed when the job fails (Abort, a dead rank, a deadlock). A job
// runner selects on it to stop ranks that are computing outside MPI.
func (w *World) Done() <-chan struct{} { return w.failed }

// Err is the job's failure, or nil. It wraps ErrAborted, ErrPeerDied or
// ErrDeadlock.
func (w *World) Err() error {
	if p := w.failErr.Load(); p != nil {
		return *p
	}
	return nil
}

// AbortCode returns the code passed to Abort and whether Abort was called.
func (w *World) AbortCode() (int, bool) {
	return int(w.abortCode.Load()), w.aborted.Load()
}

// fail records the job's first failure and wakes every blocked call.
func (w *World) fail(err error) {
	w.det.mu.Lock()
	w.failLocked(err)
	w.det.mu.Unlock()
}

func (w *World) failLocked(err error) {
	w.failOnce.Do(func() {
		w.failErr.Store(&err)
		close(w.failed)
		for wt := range w.det.waiters {
			wt.unblockLocked()
		}
	})
}
