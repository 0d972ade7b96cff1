package toolchain

import (
	"path/filepath"
	"strings"
)

// Mode is what the faasm-cc binary does, chosen from the name it was run
// under (one binary, many names, like emcc/em++).
type Mode int

const (
	ModeCC        Mode = iota + 1 // faasm-cc: C compiler driver
	ModeCXX                       // faasm-c++: C++ compiler driver
	ModeMPICC                     // faasm-mpicc: C with MPI
	ModeMPICXX                    // faasm-mpicxx: C++ with MPI
	ModeAR                        // faasm-ar: llvm-ar
	ModeRanlib                    // faasm-ranlib: llvm-ranlib
	ModeNM                        // faasm-nm: llvm-nm
	ModeCMake                     // faasm-cmake cmake ...: adds our toolchain file
	ModeConfigure                 // faasm-configure ./configure ...: sets CC, CXX, ...
	ModeMake                      // faasm-make [make] ...: sets CC, CXX, ...
)

// ToolNames maps every name the binary answers to onto its mode. It is the
// one list `faasm-cc install-links` creates links for.
var ToolNames = map[string]Mode{
	"faasm-cc":        ModeCC,
	"faasm-c++":       ModeCXX,
	"faasm-mpicc":     ModeMPICC,
	"faasm-mpicxx":    ModeMPICXX,
	"faasm-ar":        ModeAR,
	"faasm-ranlib":    ModeRanlib,
	"faasm-nm":        ModeNM,
	"faasm-cmake":     ModeCMake,
	"faasm-configure": ModeConfigure,
	"faasm-make":      ModeMake,
}

// ModeOf returns the mode for the program name argv0. Unknown names (a
// renamed or test binary) act as faasm-cc.
func ModeOf(argv0 string) Mode {
	base := strings.TrimSuffix(filepath.Base(argv0), ".exe")
	if m, ok := ToolNames[base]; ok {
		return m
	}
	return ModeCC
}

// progName is the name used as the prefix of diagnostics.
func (m Mode) progName() string {
	for name, mode := range ToolNames {
		if mode == m {
			return name
		}
	}
	return "faasm-cc"
}

// cxx reports whether the mode drives clang++ (links libc++).
func (m Mode) cxx() bool { return m == ModeCXX || m == ModeMPICXX }

// mpi reports whether the mode is an MPI compiler wrapper.
func (m Mode) mpi() bool { return m == ModeMPICC || m == ModeMPICXX }

// compiler reports whether the mode is one of the compiler drivers.
func (m Mode) compiler() bool {
	return m == ModeCC || m == ModeCXX || m == ModeMPICC || m == ModeMPICXX
}
