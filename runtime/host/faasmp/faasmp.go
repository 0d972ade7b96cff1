// Package faasmp implements the "faasmp" host module under libfaasmp, the
// guest's OpenMP runtime. The marshalling is generated from the hostabi
// table (zz_generated.go); the semantics are in runtime/omp, and the engine
// side (thread Faaslets, team memory) is behind the Team interface that
// runtime/job implements.
package faasmp

import (
	"errors"
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/omp"
)

// Team is what the host module needs from the engine.
type Team interface {
	// Spawn starts thread gtid: a Faaslet on the team's memory with its
	// stack pointer at stackTop, running the function at table index entry
	// with gtid.
	Spawn(c hostabi.Caller, gtid int32, stackTop, entry uint32) error
	// SyncMemory brings the caller's memory in line with the team's and
	// returns the team's size in bytes (0 before any thread exists).
	SyncMemory(c hostabi.Caller) (int64, error)
	// Private is the private-mode synchronisation (nil in shared mode).
	Private() Private
}

// Private is the --omp-memory=private synchronisation, which moves memory
// between threads' replicas as FDiffs.
type Private interface {
	Barrier(c hostabi.Caller, team uint32, n int) error
	Lock(c hostabi.Caller, lock uint32) error
	// TryLock is Lock when the lock is free; it reports whether it was.
	TryLock(c hostabi.Caller, lock uint32) (bool, error)
	Unlock(c hostabi.Caller, lock uint32) error
	Sync(c hostabi.Caller, kind int32) error
	ReduceRegion(c hostabi.Caller, addr, size uint32, typ, op int32) error
	Atomic(c hostabi.Caller, addr uint32, opcode int32, operand int64) (int64, error)
	Cmpxchg(c hostabi.Caller, addr uint32, opcode int32, expected, replacement int64) (int64, error)
	// Word is the authoritative value of an atomically accessed word, if
	// the host holds one (futex waits compare it).
	Word(addr uint32) (int32, bool)
}

// Host implements Handler for one thread of a job.
type Host struct {
	RT   *omp.Runtime
	Team Team
	// Initial is true for the job's initial thread (the one running _start).
	Initial bool
}

var _ Handler = (*Host)(nil)

// check ends the caller when another thread ended the job: the initial
// thread exits with a thread's exit code, or fails with its error.
func (h *Host) check() error {
	err := h.RT.Err()
	if err == nil {
		return nil
	}
	var ex *omp.ExitRequest
	if errors.As(err, &ex) {
		return &hostabi.ExitError{Code: ex.Code}
	}
	return err
}

func (h *Host) sync(c hostabi.Caller) error {
	if err := h.check(); err != nil {
		return err
	}
	_, err := h.Team.SyncMemory(c)
	return err
}

// Config fills the guest's configuration slots.
func (h *Host) Config(c hostabi.Caller, cfg hostabi.GuestPtr, n uint32) (int32, error) {
	rc := h.RT.Config()
	mode := int32(0)
	if rc.Private {
		mode = 1
	}
	vals := []int32{int32(rc.NumCPU), mode, int32(rc.MaxThreads)}
	k := min(int(n), len(vals))
	for i := 0; i < k; i++ {
		if !hostabi.WriteUint32(c.Memory(), cfg+hostabi.GuestPtr(4*i), uint32(vals[i])) {
			return 0, fmt.Errorf("config buffer %#x outside linear memory", cfg)
		}
	}
	return int32(k), nil
}

// Spawn starts a thread Faaslet.
func (h *Host) Spawn(c hostabi.Caller, gtid int32, stackTop hostabi.GuestPtr, entry uint32) (int32, error) {
	if err := h.check(); err != nil {
		return 0, err
	}
	if !h.RT.Reserve() {
		return -1, nil
	}
	if err := h.Team.Spawn(c, gtid, uint32(stackTop), entry); err != nil {
		return 0, fmt.Errorf("starting OpenMP thread %d: %w", gtid, err)
	}
	return 0, nil
}

// word returns the guest int32 at addr for atomic access.
func word(c hostabi.Caller, addr hostabi.GuestPtr) (*int32, error) {
	if addr%4 != 0 {
		return nil, fmt.Errorf("futex address %#x is not 4-byte aligned", addr)
	}
	b, ok := c.Memory().Read(addr, 4)
	if !ok {
		return nil, fmt.Errorf("futex address %#x outside linear memory", addr)
	}
	return (*int32)(unsafe.Pointer(&b[0])), nil
}

// Wait parks the caller while *addr == expected.
func (h *Host) Wait(c hostabi.Caller, addr hostabi.GuestPtr, expected int32, timeoutNs int64) (int32, error) {
	if err := h.sync(c); err != nil {
		return 0, err
	}
	p, err := word(c, addr)
	if err != nil {
		return 0, err
	}
	timeout := time.Duration(-1)
	if timeoutNs >= 0 {
		timeout = time.Duration(timeoutNs)
	}
	var r int
	if priv := h.Team.Private(); priv != nil {
		// The host may hold the word's value, so the wait cannot be the
		// kernel's comparison of the guest's copy.
		blocked := func() bool {
			if v, ok := priv.Word(uint32(addr)); ok {
				return v == expected
			}
			return atomic.LoadInt32(p) == expected
		}
		r, err = h.RT.Futex.Wait(uint32(addr), blocked, timeout)
	} else {
		r, err = h.RT.Futex.WaitWord(p, expected, timeout)
	}
	if err != nil {
		if omp.IsShutdown(err) && !h.Initial {
			return 0, err
		}
		if cerr := h.check(); cerr != nil {
			return 0, cerr
		}
		return 0, err
	}
	// Memory may have grown while we slept.
	if err := h.sync(c); err != nil {
		return 0, err
	}
	return int32(r), nil
}

// Notify wakes waiters on addr.
func (h *Host) Notify(c hostabi.Caller, addr hostabi.GuestPtr, count int32) (int32, error) {
	if err := h.sync(c); err != nil {
		return 0, err
	}
	if h.Team.Private() != nil {
		return int32(h.RT.Futex.Notify(uint32(addr), int(count))), nil
	}
	p, err := word(c, addr)
	if err != nil {
		return 0, err
	}
	return int32(h.RT.Futex.NotifyWord(p, int(count))), nil
}

// Yield gives up the core (sched_yield on the thread running the guest).
func (h *Host) Yield(c hostabi.Caller) error {
	if err := h.check(); err != nil {
		return err
	}
	syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
	return nil
}

// SyncMemory maps the team's memory growth and returns its size in pages.
func (h *Host) SyncMemory(c hostabi.Caller) (int32, error) {
	if err := h.check(); err != nil {
		return 0, err
	}
	n, err := h.Team.SyncMemory(c)
	if err != nil {
		return 0, err
	}
	return int32(n >> 16), nil
}

var errNotPrivate = errors.New("private-mode call in a job that runs with shared OpenMP memory")

func (h *Host) private(c hostabi.Caller) (Private, error) {
	if err := h.sync(c); err != nil {
		return nil, err
	}
	p := h.Team.Private()
	if p == nil {
		return nil, errNotPrivate
	}
	return p, nil
}

// BarrierPrivate is a barrier that exchanges diffs.
func (h *Host) BarrierPrivate(c hostabi.Caller, team hostabi.GuestPtr, nthreads int32) error {
	p, err := h.private(c)
	if err != nil {
		return err
	}
	return p.Barrier(c, uint32(team), int(nthreads))
}

// LockPrivate acquires a lock, receiving earlier holders' diffs.
func (h *Host) LockPrivate(c hostabi.Caller, lock hostabi.GuestPtr) error {
	p, err := h.private(c)
	if err != nil {
		return err
	}
	return p.Lock(c, uint32(lock))
}

// TrylockPrivate acquires a lock only if it is free.
func (h *Host) TrylockPrivate(c hostabi.Caller, lock hostabi.GuestPtr) (int32, error) {
	p, err := h.private(c)
	if err != nil {
		return 0, err
	}
	ok, err := p.TryLock(c, uint32(lock))
	if !ok || err != nil {
		return 0, err
	}
	return 1, nil
}

// UnlockPrivate releases a lock, handing on the caller's diffs.
func (h *Host) UnlockPrivate(c hostabi.Caller, lock hostabi.GuestPtr) error {
	p, err := h.private(c)
	if err != nil {
		return err
	}
	return p.Unlock(c, uint32(lock))
}

// SyncPrivate moves memory at a fork or join.
func (h *Host) SyncPrivate(c hostabi.Caller, kind int32) error {
	p, err := h.private(c)
	if err != nil {
		return err
	}
	return p.Sync(c, kind)
}

// ReduceRegion registers a reduction variable as a merge region.
func (h *Host) ReduceRegion(c hostabi.Caller, addr hostabi.GuestPtr, size uint32, typeArg int32, op int32) error {
	p, err := h.private(c)
	if err != nil {
		return err
	}
	return p.ReduceRegion(c, uint32(addr), size, typeArg, op)
}

// AtomicPrivate is an atomic read-modify-write in private mode.
func (h *Host) AtomicPrivate(c hostabi.Caller, addr hostabi.GuestPtr, opcode int32, operand int64) (int64, error) {
	p, err := h.private(c)
	if err != nil {
		return 0, err
	}
	return p.Atomic(c, uint32(addr), opcode, operand)
}

// CmpxchgPrivate is an atomic compare-and-exchange in private mode.
func (h *Host) CmpxchgPrivate(c hostabi.Caller, addr hostabi.GuestPtr, opcode int32, expected int64, replacement int64) (int64, error) {
	p, err := h.private(c)
	if err != nil {
		return 0, err
	}
	return p.Cmpxchg(c, uint32(addr), opcode, expected, replacement)
}
