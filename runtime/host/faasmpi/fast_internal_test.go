package faasmpi

import (
	"testing"

	"github.com/faasm-go/faasm/hostabi"
)

// TestFastABI: fast.c writes MPI_Status at the table's offsets, and every
// fast function names an import of the table.
func TestFastABI(t *testing.T) {
	if fastABIErr != nil {
		t.Fatal(fastABIErr)
	}
	funcs := WithFast(HostFuncs(func(c hostabi.Caller) Handler { return nil }))
	n := 0
	for _, f := range funcs {
		if f.Fast != nil {
			n++
		}
	}
	if n != len(fastFuncs) {
		t.Fatalf("%d imports got a fast path, want %d (a name in fastFuncs that the table lacks?)", n, len(fastFuncs))
	}
}
