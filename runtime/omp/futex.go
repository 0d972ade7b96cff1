package omp

import (
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// ErrShutdown is what a blocked thread gets when its job ends.
var ErrShutdown = errors.New("omp: job is ending")

// Futex parks threads on guest addresses (Linux futex semantics): Wait
// blocks only while the word still holds the expected value, checked under
// the same lock Notify takes, so a wake-up between the guest's check and the
// host call is never lost.
type Futex struct {
	mu    sync.Mutex
	q     map[uint32][]*waiter
	done  <-chan struct{}
	cause func() error

	// Words threads sleep on in the kernel (WaitWord), so that the end of
	// the job can wake them.
	kmu    sync.Mutex
	ksleep map[*int32]int
}

type waiter struct {
	ch chan struct{}
}

// NewFutex returns a futex whose waits end with cause() (or ErrShutdown)
// once done is closed.
func NewFutex(done <-chan struct{}, cause func() error) *Futex {
	return &Futex{q: map[uint32][]*waiter{}, done: done, cause: cause, ksleep: map[*int32]int{}}
}

// Wait results.
const (
	Woken    = 0
	NotEqual = 1
	TimedOut = 2
)

// Wait blocks the caller on addr while blocked() (the guest word still
// equals the expected value) until Notify, timeout (<0: none) or the end of
// the job.
func (f *Futex) Wait(addr uint32, blocked func() bool, timeout time.Duration) (int, error) {
	f.mu.Lock()
	if !blocked() {
		f.mu.Unlock()
		return NotEqual, nil
	}
	w := &waiter{ch: make(chan struct{})}
	f.q[addr] = append(f.q[addr], w)
	f.mu.Unlock()

	var tc <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		tc = t.C
	}
	select {
	case <-w.ch:
		return Woken, nil
	case <-tc:
		if f.remove(addr, w) {
			return TimedOut, nil
		}
		return Woken, nil // notified while timing out
	case <-f.done:
		f.remove(addr, w)
		return 0, f.endErr()
	}
}

func (f *Futex) endErr() error {
	if f.cause != nil {
		if err := f.cause(); err != nil {
			return err
		}
	}
	return ErrShutdown
}

func (f *Futex) ended() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// kernelSlice bounds one kernel sleep, so that a sleeper the job's end
// missed (it registered, the end woke the word, then it went to sleep)
// still notices within this time.
const kernelSlice = 50 * time.Millisecond

// WaitWord is Wait on a word of memory every thread of the job maps
// MAP_SHARED from one file (shared-mode guest memory, a memfd each Faaslet
// maps at its own address). The caller sleeps in the kernel's futex on the
// word, which a shared (not process-private) futex keys by file and offset,
// so NotifyWord from any thread's mapping wakes it with one syscall. A Wait/Notify pair instead wakes a goroutine locked to its OS
// thread through the Go scheduler: a hop through a second OS thread, tens
// of microseconds on a loaded machine, paid by every OpenMP thread woken
// from a barrier or from the warm pool.
func (f *Futex) WaitWord(p *int32, expected int32, timeout time.Duration) (int, error) {
	if atomic.LoadInt32(p) != expected {
		return NotEqual, nil
	}
	f.kmu.Lock()
	f.ksleep[p]++
	f.kmu.Unlock()
	defer func() {
		f.kmu.Lock()
		if f.ksleep[p]--; f.ksleep[p] == 0 {
			delete(f.ksleep, p)
		}
		f.kmu.Unlock()
	}()
	var deadline time.Time
	if timeout >= 0 {
		deadline = time.Now().Add(timeout)
	}
	for {
		if f.ended() {
			return 0, f.endErr()
		}
		slice := kernelSlice
		if timeout >= 0 {
			left := time.Until(deadline)
			if left <= 0 {
				return TimedOut, nil
			}
			slice = min(slice, left)
		}
		ts := syscall.NsecToTimespec(int64(slice))
		_, _, errno := syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(p)), futexWait,
			uintptr(uint32(expected)), uintptr(unsafe.Pointer(&ts)), 0, 0)
		switch errno {
		case 0:
			if f.ended() {
				return 0, f.endErr()
			}
			return Woken, nil
		case syscall.EAGAIN:
			return NotEqual, nil
		case syscall.ETIMEDOUT, syscall.EINTR:
			// another slice; the loop re-checks the job and the deadline
		default:
			return 0, errno
		}
	}
}

// NotifyWord wakes up to n threads (n < 0: all) sleeping in WaitWord on p
// and returns how many it woke.
func (f *Futex) NotifyWord(p *int32, n int) int {
	if n < 0 || n > math.MaxInt32 {
		n = math.MaxInt32
	}
	r, _, errno := syscall.Syscall(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(p)), futexWake, uintptr(n))
	if errno != 0 {
		return 0
	}
	return int(r)
}

// interrupt wakes every WaitWord sleeper once the job has ended.
func (f *Futex) interrupt() {
	f.kmu.Lock()
	defer f.kmu.Unlock()
	for p := range f.ksleep {
		syscall.Syscall(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(p)), futexWake, math.MaxInt32)
	}
}

// Linux futex operations, shared: the key is the mapped file's page, not
// the address, which differs between threads.
const (
	futexWait = 0
	futexWake = 1
)

func (f *Futex) remove(addr uint32, w *waiter) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	ws := f.q[addr]
	for i, x := range ws {
		if x == w {
			f.q[addr] = append(ws[:i:i], ws[i+1:]...)
			if len(f.q[addr]) == 0 {
				delete(f.q, addr)
			}
			return true
		}
	}
	return false
}

// Notify wakes up to n waiters on addr (n < 0: all) in arrival order and
// returns how many it woke.
func (f *Futex) Notify(addr uint32, n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	ws := f.q[addr]
	if n < 0 || n > len(ws) {
		n = len(ws)
	}
	for _, w := range ws[:n] {
		close(w.ch)
	}
	if n == len(ws) {
		delete(f.q, addr)
	} else {
		f.q[addr] = ws[n:]
	}
	return n
}
