package procs

import (
	"runtime"
	"testing"
)

func TestAdd_raisesGOMAXPROCS(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(before)
	n := before + 3
	Add(n)
	defer Add(-n)
	if got, want := runtime.GOMAXPROCS(0), int(threads.Load())+spare; got < want {
		t.Fatalf("GOMAXPROCS %d with %d guest threads, want at least %d", got, threads.Load(), want)
	}
	Add(-n)
	Add(n) // back to the same count: no change needed
	if got := runtime.GOMAXPROCS(0); got < n+spare {
		t.Fatalf("GOMAXPROCS %d, want at least %d", got, n+spare)
	}
}

func TestEnsure_raisesWithoutCounting(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(before)
	count := threads.Load()
	Ensure(before + 5)
	if got := runtime.GOMAXPROCS(0); got < before+5+spare {
		t.Fatalf("GOMAXPROCS %d, want at least %d", got, before+5+spare)
	}
	if threads.Load() != count {
		t.Fatalf("Ensure counted threads: %d, was %d", threads.Load(), count)
	}
}
