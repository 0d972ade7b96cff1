package omp

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
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

func TestWaitWordNoLostWakeups(t *testing.T) {
	f := NewFutex(make(chan struct{}), nil)
	var word atomic.Int32
	p := (*int32)(unsafe.Pointer(&word))
	const rounds = 2000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := int32(0); i < rounds; i++ {
			for word.Load() == i {
				if _, err := f.WaitWord(p, i, -1); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for i := int32(1); i <= rounds; i++ {
		word.Store(i)
		f.NotifyWord(p, -1)
	}
	wg.Wait()
}

func TestWaitWordTimeoutAndShutdown(t *testing.T) {
	r := New(Config{})
	var word int32 = 7
	if got, err := r.Futex.WaitWord(&word, 7, time.Millisecond); got != TimedOut || err != nil {
		t.Fatalf("wait = %d, %v; want timed out", got, err)
	}
	if got, _ := r.Futex.WaitWord(&word, 8, -1); got != NotEqual {
		t.Fatalf("wait on a changed word = %d", got)
	}
	// The end of the job must wake a sleeper well before the kernel sleep's
	// own backstop would.
	var ended atomic.Int64
	go func() {
		time.Sleep(5 * time.Millisecond)
		ended.Store(time.Now().UnixNano())
		r.Shutdown(time.Second)
	}()
	if _, err := r.Futex.WaitWord(&word, 7, -1); !IsShutdown(err) {
		t.Fatalf("wait after shutdown: %v", err)
	}
	if d := time.Duration(time.Now().UnixNano() - ended.Load()); d >= kernelSlice {
		t.Fatalf("shutdown took %v to reach a sleeper", d)
	}
}
