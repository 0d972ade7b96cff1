// Command shimgen regenerates libfaasmpi's src/unsupported.c and the
// profiling block of include/mpi.h from mpi.h's prototypes (see package
// shim). Run by `go generate ./libfaasmpi` in the libfaasmpi directory.
package main

import (
	"fmt"
	"os"

	"github.com/faasm-go/faasm/libfaasmpi/internal/shim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "shimgen:", err)
		os.Exit(1)
	}
}

func run() error {
	const header, stubs = "include/mpi.h", "src/unsupported.c"
	h, err := os.ReadFile(header)
	if err != nil {
		return err
	}
	protos, err := shim.Parse(h)
	if err != nil {
		return err
	}
	nh, err := shim.WithProfiling(h, protos)
	if err != nil {
		return err
	}
	if err := os.WriteFile(header, nh, 0o644); err != nil {
		return err
	}
	return os.WriteFile(stubs, shim.Unsupported(protos), 0o644)
}
