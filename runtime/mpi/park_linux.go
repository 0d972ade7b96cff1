package mpi

import (
	"sync/atomic"
	"syscall"
	"unsafe"
)

// park states of waiter.park.
const (
	parkIdle     = 0
	parkToken    = 1 // a wake-up is pending
	parkSleeping = 2 // the waiter sleeps in futex_wait
)

const (
	futexWaitPrivate = 128 | 0
	futexWakePrivate = 128 | 1
)

// futexPark sleeps the calling OS thread until futexUnpark gives a token,
// consuming it. A rank's goroutine is locked to its thread for the whole
// host call, so sleeping the thread directly skips the Go scheduler's
// hand-off of the P to a locked M on every wake-up.
func futexPark(w *atomic.Uint32) {
	for {
		if w.CompareAndSwap(parkToken, parkIdle) {
			return
		}
		if w.CompareAndSwap(parkIdle, parkSleeping) || w.Load() == parkSleeping {
			syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(w)), futexWaitPrivate, parkSleeping, 0, 0, 0)
		}
	}
}

// futexUnpark leaves a token and wakes the sleeper if there is one.
func futexUnpark(w *atomic.Uint32) {
	if w.Swap(parkToken) == parkSleeping {
		syscall.Syscall6(syscall.SYS_FUTEX, uintptr(unsafe.Pointer(w)), futexWakePrivate, 1, 0, 0, 0)
	}
}
