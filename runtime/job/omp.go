package job

// OpenMP team setup: the job's threads beyond the initial one are Faaslets
// of the same module, started by libfaasmp through faasmp.spawn the first
// time a team needs them and parked by the guest between parallel regions
// (the warm pool). They share the initial Faaslet's memory through an
// engine.TeamMemory created at the first spawn.

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/host/faasm"
	"github.com/faasm-go/faasm/runtime/host/faasmp"
	"github.com/faasm-go/faasm/runtime/omp"
)

// ompTeam implements faasmp.Team for one job.
type ompTeam struct {
	e    *engine.Engine
	m    *engine.Module
	cfg  engine.Config // the initial Faaslet's, Data excluded
	host *faasm.Host
	rt   *omp.Runtime
	mode engine.MemoryMode

	mem     atomic.Pointer[engine.TeamMemory]
	mu      sync.Mutex
	threads []*engine.Faaslet
	private *privateSync
}

func newOMPTeam(e *engine.Engine, m *engine.Module, cfg engine.Config, host *faasm.Host, rt *omp.Runtime) *ompTeam {
	mode := engine.SharedMemory
	if rt.Config().Private {
		mode = engine.PrivateMemory
	}
	t := &ompTeam{e: e, m: m, cfg: cfg, host: host, rt: rt, mode: mode}
	if mode == engine.PrivateMemory {
		t.private = newPrivateSync(t)
	}
	return t
}

func (t *ompTeam) hostFor(initial bool) *faasmp.Host {
	return &faasmp.Host{RT: t.rt, Team: t, Initial: initial}
}

// Spawn starts thread gtid on the team's memory.
func (t *ompTeam) Spawn(c hostabi.Caller, gtid int32, stackTop, entry uint32) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	mem := t.mem.Load()
	fresh := mem == nil
	if fresh {
		var err error
		if mem, err = engine.ShareMemory(c, "faasmp-team", t.mode); err != nil {
			return err
		}
		t.mem.Store(mem)
	} else if err := mem.Sync(c); err != nil {
		return err
	}
	// Private mode: the new thread's replica starts from the master copy
	// and must also get what the spawner wrote since the last merge (the
	// thread's descriptor, its stack block).
	handOver := t.private != nil && !fresh
	if handOver {
		if err := t.private.beforeSpawn(c); err != nil {
			return err
		}
	}
	cfg := t.cfg
	ctx := &Context{Faasm: t.host, Faasmp: t.hostFor(false)}
	cfg.Data = ctx
	f, err := t.e.NewFaaslet(t.m, cfg)
	if err != nil {
		return err
	}
	if !f.HasExport(engine.TableExport) || !f.HasExport("__stack_pointer") {
		f.Close()
		return errors.New("module does not export " + engine.TableExport + " and __stack_pointer (link it with faasm-cc -fopenmp)")
	}
	if err := mem.Attach(f); err != nil {
		f.Close()
		return err
	}
	if handOver {
		if err := t.private.afterSpawn(c, f, callerKey{ctx}); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.SetGlobalI32("__stack_pointer", int32(stackTop)); err != nil {
		f.Close()
		return err
	}
	t.threads = append(t.threads, f)
	t.rt.Go(int(gtid), func() (int32, error) { return f.CallTable(entry, gtid) })
	return nil
}

// SyncMemory keeps the caller's memory in line with the team's.
func (t *ompTeam) SyncMemory(c hostabi.Caller) (int64, error) {
	mem := t.mem.Load()
	if mem == nil {
		return 0, nil
	}
	if err := mem.Sync(c); err != nil {
		return 0, err
	}
	return mem.Size(), nil
}

// Private is the private-mode synchronisation, nil in shared mode.
func (t *ompTeam) Private() faasmp.Private {
	if t.private == nil {
		return nil
	}
	return t.private
}

// close stops the threads once the initial thread has finished. Threads
// still running guest code after the grace period are left to the process
// exit (a store cannot be closed under a running guest).
func (t *ompTeam) close() {
	if t.rt.Shutdown(2 * time.Second) {
		t.mu.Lock()
		for _, f := range t.threads {
			f.Close()
		}
		t.threads = nil
		t.mu.Unlock()
	}
	if mem := t.mem.Load(); mem != nil {
		mem.Close()
	}
}

// threadFailure turns what another thread did into the job's end: its
// exit code, or its trap with the thread number in the message.
func threadFailure(rt *omp.Runtime, timeout time.Duration) (code int, err error, ok bool) {
	var ex *omp.ExitRequest
	var te *omp.ThreadError
	e := rt.Err()
	switch {
	case e == nil || omp.IsShutdown(e):
		return 0, nil, false
	case errors.As(e, &ex):
		return int(ex.Code), nil, true
	case errors.As(e, &te):
		code, _ := explain(1, te.Err, timeout)
		return code, fmt.Errorf("OpenMP thread %d: %w", te.Thread, te.Err), true
	}
	return ExitFailure, e, true
}

// traceOMP makes every faasmp host call print itself on stderr when
// FAASMP_TRACE is set in faasm's environment: which thread (by its
// Context), the call and its raw arguments, then how it returned. It is the
// quickest way to see where an OpenMP program hangs.
func traceOMP(funcs []hostabi.HostFunc) []hostabi.HostFunc {
	if os.Getenv("FAASMP_TRACE") == "" {
		return funcs
	}
	for i := range funcs {
		hf := funcs[i]
		call := hf.Call
		n := len(hf.Func.Params)
		funcs[i].Call = func(c hostabi.Caller, stack []uint64) error {
			fmt.Fprintf(os.Stderr, "faasmp %p: %s%x\n", c.Data(), hf.Func.Name, stack[:n])
			err := call(c, stack)
			fmt.Fprintf(os.Stderr, "faasmp %p: %s -> %x %v\n", c.Data(), hf.Func.Name, stack[:len(hf.Func.Results)], err)
			return err
		}
	}
	return funcs
}
