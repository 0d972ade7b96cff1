package procs

// Guest threads first: the Go runtime's own threads at SCHED_IDLE.
//
// On a machine whose cores are all busy with guest threads (an MPI job with
// a rank per core), every wake-up of a Go runtime thread preempts a guest.
// They wake often: sysmon takes back the P of a rank that has been in
// guest code for 10 ms, which resets sysmon to polling every 20 us for the
// next millisecond, and a host call wakes it from its deep sleep the same
// way; a P handed back starts an M. In LAMMPS's LJ benchmark at np 2 these
// threads ran about 200 ms in a 1.5 s run, and each rank waited 470-490 ms
// on the run queue (2,300 involuntary switches), against 140-170 ms for
// native OpenMPI's ranks. With the runtime's threads at SCHED_IDLE, which
// never preempts a normal thread and gets a core when one is free (or a
// sliver of a busy one), the ranks waited 220-300 ms, the LJ loop went
// from 1.70-1.78 s to 1.46-1.59 s and MPI dgemm at np 2 from 0.064 to
// 0.043 s per iteration (native 0.042-0.044).
//
// Threads that run a guest (an MPI rank, a job's main thread) call
// GuestThread: it locks the goroutine to its thread and keeps the thread
// at SCHED_OTHER. A background goroutine demotes every other thread of the
// process, new ones included (a thread inherits its creator's policy, so
// an M created by sysmon is born idle and a guest thread on it must climb
// back). An OpenMP job turns all of it off (KeepRuntimeNormal).
//
// Climbing back from SCHED_IDLE needs CAP_SYS_NICE or an RLIMIT_NICE of at
// least 20 (ulimit -e 20). EnableIdleRuntime checks that once, on a
// thread it throws away, and leaves every policy alone where it fails.

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

const (
	schedOther = 0
	schedIdle  = 5
)

// demoteEvery is how often the process's thread list is scanned for new
// runtime threads: about 100-200 us of work each time.
const demoteEvery = 100 * time.Millisecond

var idle = struct {
	once    sync.Once
	mu      sync.Mutex
	enabled bool
	stopped bool
	guests  map[int]int // thread id -> GuestThread calls holding it
}{guests: map[int]int{}}

// EnableIdleRuntime starts demoting the process's non-guest threads to
// SCHED_IDLE, if the process may later move a demoted thread back (a guest
// thread can start on any thread). It reports whether it is on. Only a
// process that exists to run guests should call it (faasm run -np N does);
// tests of the job package do not.
func EnableIdleRuntime() bool {
	idle.once.Do(func() {
		if !canLeaveIdle() {
			return
		}
		idle.mu.Lock()
		idle.enabled = true
		idle.mu.Unlock()
		go func() {
			for demoteRuntimeThreads() {
				time.Sleep(demoteEvery)
			}
		}()
	})
	return idle.enabled
}

// canLeaveIdle tries the round trip on a thread of its own, which it then
// lets Go destroy (a goroutine that ends locked takes its thread along), so
// a thread stuck at SCHED_IDLE by a refusal never runs anything else.
func canLeaveIdle() bool {
	ok := make(chan bool)
	go func() {
		runtime.LockOSThread()
		ok <- setPolicy(0, schedIdle) == nil && setPolicy(0, schedOther) == nil
	}()
	return <-ok
}

// GuestThread is called by a goroutine about to run guest code until done:
// it locks the goroutine to its thread and keeps that thread at SCHED_OTHER
// (once EnableIdleRuntime is on). Counting the thread is Add's job.
func GuestThread() (done func()) {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	idle.mu.Lock()
	idle.guests[tid]++
	if idle.enabled {
		// Under the lock, so the demoter cannot demote it in between. A
		// thread born idle needs this, even after KeepRuntimeNormal (it may
		// have been born of a demoted thread while that scanned);
		// EnableIdleRuntime checked that it may.
		setPolicy(0, schedOther)
	}
	idle.mu.Unlock()
	return func() {
		idle.mu.Lock()
		if idle.guests[tid]--; idle.guests[tid] == 0 {
			delete(idle.guests, tid)
		}
		idle.mu.Unlock()
		runtime.UnlockOSThread()
	}
}

// KeepRuntimeNormal ends the demotion for good and puts every idle thread
// back to SCHED_OTHER. OpenMP calls it when a job starts its first thread:
// its threads wait often (a futex system call in shared memory mode, a
// parked goroutine in private mode), and each wake-up leans on the Go
// scheduler's threads, through the P a sleeper gives up and must take back
// or the goroutine it must hand its thread (OpenMP random at 2 threads ran
// 20% slower with them idle). OpenMP threads still call GuestThread, in
// case one starts on a thread born idle meanwhile.
func KeepRuntimeNormal() {
	idle.mu.Lock()
	defer idle.mu.Unlock()
	if !idle.enabled || idle.stopped {
		return
	}
	idle.stopped = true
	// Every idle thread, not only the ones the demoter saw: a thread
	// inherits its creator's policy, so a demoted thread's new Ms were born
	// idle. One may be born while a pass runs (from a creator the pass has
	// not reached yet), so passes repeat until one finds no idle thread:
	// then none is left to give birth to another.
	for range 100 {
		tids, err := taskIDs()
		if err != nil {
			return
		}
		found := false
		for _, tid := range tids {
			if p, err := policy(tid); err == nil && p == schedIdle {
				setPolicy(tid, schedOther)
				found = true
			}
		}
		if !found {
			return
		}
	}
}

// policy returns thread tid's scheduling policy (0: the caller's).
func policy(tid int) (int, error) {
	p, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, uintptr(tid), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(p), nil
}

// demoteRuntimeThreads sets SCHED_IDLE on every thread of the process that
// is not running a guest (again on those it demoted before: one cheap
// system call each, and no record to keep of threads that come and go).
// It reports false once KeepRuntimeNormal stopped the demotion.
func demoteRuntimeThreads() bool {
	tids, err := taskIDs()
	if err != nil {
		return false
	}
	idle.mu.Lock()
	defer idle.mu.Unlock()
	if idle.stopped {
		return false
	}
	for _, tid := range tids {
		if idle.guests[tid] == 0 {
			setPolicy(tid, schedIdle)
		}
	}
	return true
}

// taskIDs lists the ids of the process's threads.
func taskIDs() ([]int, error) {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

func setPolicy(tid, pol int) error {
	var param struct{ priority int32 }
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETSCHEDULER, uintptr(tid), uintptr(pol), uintptr(unsafe.Pointer(&param)))
	if errno != 0 {
		return errno
	}
	return nil
}
