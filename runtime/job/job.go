// Package job runs a user's module the way `faasm run` does: validate it,
// load it through the AOT cache, start a Faaslet with the job's WASI
// environment and turn how it ended into an exit code and one line of
// explanation.
package job

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/internal/cachedir"
	"github.com/faasm-go/faasm/linker"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/host/faasm"
	"github.com/faasm-go/faasm/runtime/host/faasmp"
	"github.com/faasm-go/faasm/runtime/host/faasmpi"
	"github.com/faasm-go/faasm/runtime/omp"
	"github.com/faasm-go/faasm/runtime/procs"
)

// Spec is what the user asked to run.
type Spec struct {
	Path      string   // the .wasm file
	Args      []string // guest arguments after argv[0]
	Env       []string // KEY=VALUE
	Dirs      []engine.Preopen
	MaxMemory int64 // bytes; 0: the module's own maximum
	// NoHugePages keeps the guest's memory on 4 KiB pages; by default the
	// memory it grows into may get transparent huge pages
	// (engine.Config.HugePages).
	NoHugePages bool
	Timeout     time.Duration // 0: none
	// EagerLimit is the largest MPI message sent eagerly, in bytes (the
	// sender returns at once); larger ones wait for the receiver, which
	// copies them from the sender. 0: mpi.DefaultEagerLimit.
	EagerLimit int
	Input      []byte // call input (faasm.read_call_input)
	CacheDir   string // AOT cache; empty: the default under cachedir
	NoCache    bool   // compile in memory every time
	Stdin      string // host file for stdin; empty inherits
	Stdout     string
	Stderr     string
	// OpenMP: OMPPrivate runs threads on private copies of memory that
	// share through FDiffs (--omp-memory=private); OMPCores is the number of
	// cores given to the job (default team size; 0: runtime.NumCPU()).
	OMPPrivate bool
	OMPCores   int
	// NP is the number of MPI ranks (faasm run -np); 0 means 1. Each rank
	// is a Faaslet on its own goroutine; see runRanks.
	NP int
}

// Result is how a job ended.
type Result struct {
	ExitCode int
	// Err explains an abnormal end (trap, timeout, fatal message) in one
	// line; nil when the guest exited by itself, whatever its code.
	Err error
	// Output is what the guest wrote with faasm.write_call_output.
	Output   []byte
	CacheHit bool
	Compile  time.Duration
}

// Shell exit codes for abnormal ends, chosen to match what the same program
// built natively would give (128+signal), so scripts comparing native and
// faasm runs see the same status.
const (
	ExitAbort   = 134 // SIGABRT: abort(), uncaught C++ exception
	ExitSegv    = 139 // SIGSEGV: out-of-bounds access, stack overflow
	ExitFPE     = 136 // SIGFPE: integer divide by zero / overflow
	ExitTimeout = 124 // like timeout(1)
	ExitFailure = 1
)

// Load validates the module at path and returns it compiled for e, through
// the cache unless noCache.
func Load(e *engine.Engine, path, cacheDir string, noCache bool) (*engine.Module, *linker.Entry, error) {
	return loadWith(e, path, cacheDir, noCache, nil)
}

// loadSpec loads the module a job runs, the same way for one rank or many:
// in private OpenMP memory mode its atomics are rewritten into host calls,
// or the teams' synchronisation never reaches the host.
func loadSpec(e *engine.Engine, spec Spec) (*engine.Module, *linker.Entry, error) {
	var transform func([]byte) ([]byte, error)
	if spec.OMPPrivate {
		transform = privateModule
	}
	return loadWith(e, spec.Path, spec.CacheDir, spec.NoCache, transform)
}

// loadWith is Load with a transformation of the validated module before it
// is compiled (--omp-memory=private rewrites atomics); the cache keys the
// transformed bytes.
func loadWith(e *engine.Engine, path, cacheDir string, noCache bool, transform func([]byte) ([]byte, error)) (*engine.Module, *linker.Entry, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if _, err := linker.Validate(wasm, linker.Limits{}); err != nil {
		return nil, nil, err
	}
	if transform != nil {
		if wasm, err = transform(wasm); err != nil {
			return nil, nil, err
		}
	}
	if noCache {
		m, err := e.Compile(wasm)
		return m, &linker.Entry{}, err
	}
	if cacheDir == "" {
		if cacheDir, err = cachedir.Sub("aot"); err != nil {
			return nil, nil, err
		}
	}
	cache, err := linker.OpenCache(cacheDir)
	if err != nil {
		return nil, nil, err
	}
	entry, err := cache.Get(wasm, e)
	if err != nil {
		return nil, nil, err
	}
	m, err := e.LoadPrecompiled(entry.Artifact)
	if err != nil {
		// A checksummed entry the engine still rejects (e.g. written by a
		// different wasmtime build with the same version string): drop it
		// and compile afresh rather than fail the user's run.
		_ = cache.Remove(entry.Key)
		if entry, err = cache.Get(wasm, e); err != nil {
			return nil, nil, err
		}
		if m, err = e.LoadPrecompiled(entry.Artifact); err != nil {
			return nil, nil, err
		}
	}
	return m, entry, nil
}

// NewEngine creates an engine with every host module the runtime provides.
// The faasm module's state is per call and reaches the handler through the
// Faaslet's Data.
func NewEngine(opts engine.Options) (*engine.Engine, error) {
	return engine.New(opts, HostFuncs())
}

// HostFuncs lists every host function the runtime implements.
func HostFuncs() []hostabi.HostFunc {
	funcs := faasm.HostFuncs(func(c hostabi.Caller) faasm.Handler {
		return c.Data().(*Context).Faasm
	})
	funcs = append(funcs, traceOMP(faasmp.HostFuncs(func(c hostabi.Caller) faasmp.Handler {
		return c.Data().(*Context).Faasmp
	}))...)
	funcs = append(funcs, faasmpi.WithFast(faasmpi.HostFuncs(func(c hostabi.Caller) faasmpi.Handler {
		if h := c.Data().(*Context).MPI; h != nil {
			return h
		}
		return faasmpi.Detached() // an OpenMP thread: MPI calls fail cleanly
	}))...)
	return funcs
}

// Context is what every Faaslet of a job carries for its host functions.
type Context struct {
	Faasm  *faasm.Host
	Faasmp *faasmp.Host  // this Faaslet's OpenMP thread
	MPI    *faasmpi.Host // this Faaslet's MPI rank (nil on OpenMP threads)
}

// NewFaasmHost returns the faasm module's state for a call with this input.
func NewFaasmHost(input []byte) *faasm.Host {
	return &faasm.Host{Call: &faasm.Call{Input: input}}
}

// Run runs spec to completion. The returned error is for failures before the
// guest started (unreadable file, invalid module); how the guest ended is in
// Result.
func Run(spec Spec) (*Result, error) {
	if spec.NP > 1 {
		return runRanks(spec)
	}
	e, err := NewEngine(engine.Options{Interruptible: spec.Timeout > 0})
	if err != nil {
		return nil, err
	}
	m, entry, err := loadSpec(e, spec)
	if err != nil {
		return nil, err
	}
	defer m.Close()

	host := NewFaasmHost(spec.Input)
	rt := omp.New(omp.Config{NumCPU: spec.OMPCores, Private: spec.OMPPrivate})
	cfg := engine.Config{
		Args:           append([]string{filepath.Base(spec.Path)}, spec.Args...),
		Env:            spec.Env,
		Stdin:          spec.Stdin,
		Stdout:         spec.Stdout,
		Stderr:         spec.Stderr,
		Preopens:       spec.Dirs,
		MaxMemoryBytes: spec.MaxMemory,
		HugePages:      !spec.NoHugePages,
	}
	team := newOMPTeam(e, m, cfg, host, rt)
	mpiJob, rank := singleRank(spec)
	cfg.Data = &Context{Faasm: host, Faasmp: team.hostFor(true), MPI: faasmpi.NewHost(mpiJob, rank)}
	f, err := e.NewFaaslet(m, cfg)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer team.close()

	var timer *time.Timer
	if spec.Timeout > 0 {
		timer = time.AfterFunc(spec.Timeout, e.Interrupt)
	}
	procs.Add(1)
	done := procs.GuestThread()
	code, runErr := f.Run("_start")
	done()
	procs.Add(-1)
	if timer != nil {
		timer.Stop()
	}
	res := &Result{ExitCode: int(code), Output: host.Call.Output(), CacheHit: entry.Hit, Compile: entry.CompileTime}
	res.ExitCode, res.Err = explain(code, runErr, spec.Timeout)
	if ended := (*faasmpi.JobEnded)(nil); errors.As(runErr, &ended) {
		res.ExitCode, res.Err = ExitFailure, ended.Err // a deadlock of the single rank
	}
	if tc, terr, ok := threadFailure(rt, spec.Timeout); ok {
		// Another OpenMP thread ended the job (a trap, or exit()); the
		// initial thread only noticed.
		res.ExitCode, res.Err = tc, terr
	}
	return res, nil
}

// explain maps how a Faaslet ended to a shell exit code and a message.
func explain(code int32, err error, timeout time.Duration) (int, error) {
	if err == nil {
		return int(code), nil
	}
	var exit *hostabi.ExitError
	if errors.As(err, &exit) {
		return int(exit.Code), err
	}
	var trap *engine.TrapError
	if errors.As(err, &trap) {
		switch trap.Kind {
		case engine.TrapInterrupt:
			return ExitTimeout, fmt.Errorf("timed out after %s", timeout)
		case engine.TrapUnreachable:
			return ExitAbort, err
		case engine.TrapMemoryOutOfBounds, engine.TrapStackOverflow:
			return ExitSegv, err
		case engine.TrapDivideByZero, engine.TrapIntegerOverflow:
			return ExitFPE, err
		}
	}
	return ExitFailure, err
}
