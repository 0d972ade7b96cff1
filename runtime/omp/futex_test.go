package omp

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestFutexNoLostWakeups(t *testing.T) {
	done := make(chan struct{})
	f := NewFutex(done, nil)
	var word atomic.Int32
	const rounds = 2000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int32(0); i < rounds; i++ {
			for word.Load() == i {
				if _, err := f.Wait(4, func() bool { return word.Load() == i }, -1); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for i := int32(1); i <= rounds; i++ {
		word.Store(i)
		f.Notify(4, -1)
	}
	wg.Wait()
}

func TestFutexTimeoutAndShutdown(t *testing.T) {
	r := New(Config{})
	got, err := r.Futex.Wait(8, func() bool { return true }, time.Millisecond)
	if got != TimedOut || err != nil {
		t.Fatalf("wait = %d, %v; want timed out", got, err)
	}
	if got, _ := r.Futex.Wait(8, func() bool { return false }, -1); got != NotEqual {
		t.Fatalf("wait on a changed word = %d", got)
	}
	go func() { time.Sleep(5 * time.Millisecond); r.Shutdown(time.Second) }()
	if _, err := r.Futex.Wait(8, func() bool { return true }, -1); !IsShutdown(err) {
		t.Fatalf("wait after shutdown: %v", err)
	}
}

func TestThreadFailureEndsJob(t *testing.T) {
	r := New(Config{NumCPU: 2})
	r.Go(3, func() (int32, error) { return 1, errTest })
	_, err := r.Futex.Wait(0, func() bool { return true }, -1)
	var te *ThreadError
	if err == nil || !asThreadError(err, &te) || te.Thread != 3 {
		t.Fatalf("wait = %v, want thread 3's error", err)
	}
}
