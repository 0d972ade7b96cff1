package toolchain

import (
	"github.com/faasm-go/faasm/libfaasmp"
	"github.com/faasm-go/faasm/libfaasmpi"
	"github.com/faasm-go/faasm/sysroot"
)

// Libraries are the guest libraries built into every assembled sysroot, in
// build order. The OpenMP and MPI issues add theirs here:
//
//	libfaasmp.Library  (package github.com/faasm-go/faasm/libfaasmp, -fopenmp)
//	libfaasmpi.Library (package github.com/faasm-go/faasm/libfaasmpi, faasm-mpicc)
//
// A library's sources and flags are part of the sysroot cache key, so
// editing them rebuilds the sysroot on the next compile.
var Libraries = []*sysroot.Library{
	sysroot.LibFaasm,
	libfaasmp.Library,
	libfaasmpi.Library,
}

// libraryNamed returns the registered library with the given -l name.
func libraryNamed(name string) *sysroot.Library {
	for _, l := range Libraries {
		if l.Name == name {
			return l
		}
	}
	return nil
}
