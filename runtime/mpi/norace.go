//go:build !race

package mpi

import "unsafe"

// See race.go.
func raceRelease(unsafe.Pointer) {}
func raceAcquire(unsafe.Pointer) {}
