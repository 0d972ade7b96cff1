package omp

import (
	"errors"
	"sync"
	"time"
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
}

type waiter struct {
	ch chan struct{}
}

// NewFutex returns a futex whose waits end with cause() (or ErrShutdown)
// once done is closed.
func NewFutex(done <-chan struct{}, cause func() error) *Futex {
	return &Futex{q: map[uint32][]*waiter{}, done: done, cause: cause}
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
		if f.cause != nil {
			if err := f.cause(); err != nil {
				return 0, err
			}
		}
		return 0, ErrShutdown
	}
}

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
