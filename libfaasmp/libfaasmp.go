// Package libfaasmp is faasm's OpenMP runtime for the guest: the LLVM
// OpenMP ABI (__kmpc_*) and the omp_* API in C, over wasm atomics on the
// team's shared memory and the narrow "faasmp" host module (hostabi/faasmp.go).
// faasm-cc links it for -fopenmp, -lomp and -lgomp, and puts its omp.h ahead
// of clang's.
package libfaasmp

import (
	"embed"
	"io/fs"

	"github.com/faasm-go/faasm/sysroot"
)

//go:embed include src
var files embed.FS

// Library is libfaasmp.a in the assembled sysroot. include/faasmp/omp.h
// goes to the sysroot's include/faasmp/, which faasm-cc -fopenmp searches
// (-isystem) before clang's resource directory.
var Library = &sysroot.Library{
	Name:    "faasmp",
	Files:   files,
	Sources: []string{"src/runtime.c", "src/loops.c", "src/sync.c", "src/tasks.c", "src/api.c", "src/wrap.c"},
	Include: "include",
	CFlags:  []string{"-Wall", "-Werror", "-Wno-unused-function"},
}

var _ fs.FS = files
