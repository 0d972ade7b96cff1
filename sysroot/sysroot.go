// Package sysroot holds the sources faasm adds to Debian's wasm32-wasi
// sysroot: our headers (include/, with include/faasm/host_*.h written by
// cmd/hostabigen) and the guest libraries that are always linked (libfaasm).
// The toolchain package assembles a private sysroot directory from these
// embedded files plus symlinks to Debian's packages; see toolchain/sysroot.go.
//
// Guest libraries are Go values (after tinygo's builder/library.go), so the
// flags that build them live in one Go place. Other shim libraries
// (libfaasmp, libfaasmpi) live in their own top-level packages and export a
// *Library of their own; toolchain/library.go lists them.
package sysroot

import (
	"embed"
	"io/fs"
)

// Library is a static guest library built into lib/wasm32-wasi/lib<Name>.a
// of the assembled sysroot.
type Library struct {
	// Name is the library's -l name: "faasm" gives libfaasm.a and -lfaasm.
	Name string
	// Files holds the library's sources and headers.
	Files fs.FS
	// Sources are paths in Files compiled into the archive (.c, .cc, .cpp).
	Sources []string
	// Include, when not empty, is a directory in Files whose tree is copied
	// into the sysroot's include/ (so users #include its headers).
	Include string
	// CFlags are added after the toolchain's default flags when compiling
	// Sources (the include/ of the assembled sysroot is already searched).
	CFlags []string
	// AlwaysLink makes the driver pass -l<Name> on every link.
	AlwaysLink bool
}

//go:embed include libfaasm
var files embed.FS

// Include is the tree copied into the sysroot's include/ directory.
var Include = mustSub("include")

// LibFaasm is the support library every module links: C++ exception
// support (a throw ends the program with a message naming the exception)
// and failing stubs for the POSIX calls include/faasm-compat declares.
var LibFaasm = &Library{
	Name:       "faasm",
	Files:      mustSub("libfaasm"),
	Sources:    []string{"exception.cc", "posix_stubs.c"},
	CFlags:     []string{"-fno-exceptions", "-Wall", "-Werror"},
	AlwaysLink: true,
}

func mustSub(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return sub
}
