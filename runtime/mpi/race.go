//go:build race

package mpi

import (
	"runtime"
	"unsafe"
)

// The race detector does not see atomics on C memory, where the rings'
// sequence numbers and heads live (fast.go): these tell it about the
// ordering they give to the Go fields of a slot (ring.go).
func raceRelease(p unsafe.Pointer) { runtime.RaceReleaseMerge(p) }
func raceAcquire(p unsafe.Pointer) { runtime.RaceAcquire(p) }
