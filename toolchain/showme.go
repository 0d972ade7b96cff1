package toolchain

// This file answers the queries build systems put to MPI compiler wrappers.
// CMake's FindMPI asks the wrapper it was given (faasm-mpicc) for its flags
// with OpenMPI's -showme:compile / -showme:link (or MPICH's -show,
// -compile-info, -link-info) instead of searching for MPI itself; passing
// those to clang would fail every find_package(MPI).

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// isShowQuery reports whether args is an MPI wrapper query.
func isShowQuery(args []string) bool {
	if len(args) != 1 {
		return false
	}
	a := args[0]
	return a == "-show" || a == "-compile-info" || a == "-link-info" ||
		a == "-compile_info" || a == "-link_info" || a == "-showme" || strings.HasPrefix(a, "-showme:")
}

// showMPI prints the answer to an MPI wrapper query.
func showMPI(mode Mode, w io.Writer, query string) error {
	c, err := NewConfig(&Options{Mode: mode}, nil)
	if err != nil {
		return err
	}
	sr, err := c.ensureSysroot()
	if err != nil {
		return err
	}
	inc := filepath.Join(sr, "include")
	lib := filepath.Join(sr, "lib", "wasm32-wasi")
	compile := "-I" + inc
	link := "-L" + lib + " -lmpi"
	self, _ := os.Executable()
	switch query {
	case "-showme:compile":
		fmt.Fprintln(w, compile)
	case "-showme:link":
		fmt.Fprintln(w, link)
	case "-showme:command":
		fmt.Fprintln(w, self)
	case "-showme:incdirs":
		fmt.Fprintln(w, inc)
	case "-showme:libdirs":
		fmt.Fprintln(w, lib)
	case "-showme:libs":
		fmt.Fprintln(w, "mpi")
	case "-showme:version":
		fmt.Fprintf(w, "%s: faasm-go MPI (MPI 3.1) %s\n", mode.progName(), Version)
	case "-showme", "-show":
		fmt.Fprintf(w, "%s %s %s\n", self, compile, link)
	case "-compile-info", "-compile_info":
		fmt.Fprintf(w, "%s %s\n", self, compile)
	case "-link-info", "-link_info":
		fmt.Fprintf(w, "%s %s\n", self, link)
	default:
		return usagef("%s: unknown query (want -showme:compile, -showme:link, -showme:incdirs, -showme:libdirs, -showme:libs, -showme:version)", query)
	}
	return nil
}
