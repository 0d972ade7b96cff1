package procs

import (
	"runtime"
	"syscall"
	"testing"
	"time"
)

// lockedThread runs setup on a goroutine locked to a thread of its own,
// which it holds until release closes, and returns the thread's id.
func lockedThread(setup func(), release <-chan struct{}) int {
	tid := make(chan int)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		setup()
		tid <- syscall.Gettid()
		<-release
	}()
	return <-tid
}

func waitPolicy(t *testing.T, tid, want int, what string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got, err := policy(tid)
		if err != nil {
			t.Fatalf("%s: sched_getscheduler(%d): %v", what, tid, err)
		}
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: thread %d has policy %d, want %d", what, tid, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A thread running a guest stays at SCHED_OTHER while the demoter moves
// every other thread to SCHED_IDLE, a guest that starts on a demoted
// thread takes it back to SCHED_OTHER, and KeepRuntimeNormal undoes it all.
// One test: the state is the process's, and it only goes one way.
func TestEnableIdleRuntime(t *testing.T) {
	if !EnableIdleRuntime() {
		t.Skip("this process may not leave SCHED_IDLE (no CAP_SYS_NICE, RLIMIT_NICE < 20): the feature stays off")
	}
	type report struct{ tid, policy int }
	guest, other := make(chan report), make(chan report)
	startGuest, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		defer GuestThread()()
		p, _ := policy(0)
		guest <- report{syscall.Gettid(), p}
		<-release
	}()
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		other <- report{tid: syscall.Gettid()}
		<-startGuest
		defer GuestThread()()
		p, _ := policy(0)
		other <- report{syscall.Gettid(), p}
		<-release
	}()
	g, o := <-guest, <-other

	waitPolicy(t, o.tid, schedIdle, "a thread without a guest")
	time.Sleep(2 * demoteEvery)
	waitPolicy(t, g.tid, schedOther, "a guest thread")

	close(startGuest)
	if o = <-other; o.policy != schedOther {
		t.Fatalf("a guest started on demoted thread %d runs with policy %d, want SCHED_OTHER", o.tid, o.policy)
	}
	time.Sleep(2 * demoteEvery)
	waitPolicy(t, o.tid, schedOther, "a guest thread that was demoted before")

	// OpenMP's first thread ends the demotion: demoted threads come back,
	// and new threads stay normal.
	idle1 := lockedThread(func() {}, release)
	waitPolicy(t, idle1, schedIdle, "a second thread without a guest")
	// A thread born idle (here: made idle behind the demoter's back) is
	// not one the demoter knows, and must come back too.
	born := lockedThread(func() { setPolicy(0, schedIdle) }, release)
	KeepRuntimeNormal()
	waitPolicy(t, idle1, schedOther, "a demoted thread after KeepRuntimeNormal")
	waitPolicy(t, born, schedOther, "a thread born idle after KeepRuntimeNormal")
	idle2 := lockedThread(func() {}, release)
	time.Sleep(3 * demoteEvery)
	waitPolicy(t, idle2, schedOther, "a thread after KeepRuntimeNormal")
}
