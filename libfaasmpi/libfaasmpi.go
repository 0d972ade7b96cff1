// Package libfaasmpi is the guest's MPI library: mpi.h and the C shim that
// turns each MPI call into a "faasmpi" host import (hostabi/faasmpi.go),
// runs the communicator's error handler on failure, and keeps the few
// things that need no host (info objects, attributes, error strings,
// MPI_Wtime, the common collectives of a one-rank world). The toolchain builds it into the sysroot as libmpi.a:
// faasm-mpicc links it, and so does -lmpi.
//
// Every call is defined as PMPI_X with MPI_X a weak alias (the profiling
// interface). src/unsupported.c and the PMPI_ prototypes at the end of
// mpi.h are generated from mpi.h's prototypes (internal/shim).
package libfaasmpi

//go:generate go run ./internal/shimgen

import (
	"embed"
	"io/fs"

	"github.com/faasm-go/faasm/sysroot"
)

//go:embed include src
var files embed.FS

// Library is libmpi.a (and mpi.h) for the assembled sysroot.
var Library = &sysroot.Library{
	Name:    "mpi",
	Files:   files,
	Sources: []string{"src/env.c", "src/info.c", "src/comm.c", "src/p2p.c", "src/coll.c", "src/type.c", "src/unsupported.c"},
	Include: "include",
	CFlags:  []string{"-Wall", "-Werror", "-Wno-unused-parameter"},
}

var _ fs.FS = files
