// Package toolchain is faasm's drop-in compiler driver: faasm-cc and the
// tools it answers for (faasm-c++, faasm-mpicc, faasm-ar, faasm-cmake, ...).
// It reads a gcc-style command line, adds what a wasm32-wasi build for the
// faasm runtime needs (target, private sysroot, SIMD, link flags, libfaasm)
// and runs clang-19, which runs wasm-ld-19.
//
//	faasm-cc -O3 -o app.wasm app.c
//	make CC=faasm-cc
//	faasm-cmake cmake -B build && faasm-make -C build
//	faasm-configure ./configure && faasm-make
//
// Set FAASM_CC_VERBOSE=1 (or pass --faasm-print-commands) to see every
// command it runs.
package toolchain

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/internal/cachedir"
)

// Main runs the tool named by args[0] and returns the process exit code.
func Main(args []string) int {
	mode := ModeOf(args[0])
	err := run(mode, args[0], args[1:])
	if err != nil {
		var ee *exitError
		if !errors.As(err, &ee) {
			fmt.Fprintf(os.Stderr, "%s: %v\n", mode.progName(), err)
		}
	}
	return exitCode(err)
}

func run(mode Mode, argv0 string, args []string) error {
	switch mode {
	case ModeAR:
		return execTool("llvm-ar", args)
	case ModeRanlib:
		return execTool("llvm-ranlib", args)
	case ModeNM:
		return execTool("llvm-nm", args)
	case ModeCMake:
		return runCMake(argv0, args)
	case ModeConfigure:
		return runConfigure(argv0, args)
	case ModeMake:
		return runMake(argv0, args)
	}
	if mode == ModeCC && len(args) > 0 {
		switch args[0] {
		case "env":
			return printEnv(os.Stdout)
		case "install-links":
			if len(args) != 2 {
				return usagef("usage: faasm-cc install-links DIR")
			}
			return installLinks(argv0, args[1])
		}
	}
	if mode.mpi() && isShowQuery(args) {
		return showMPI(mode, os.Stdout, args[0])
	}
	return compile(mode, argv0, args)
}

// compile runs one compiler-driver invocation.
func compile(mode Mode, argv0 string, args []string) error {
	o, err := ParseArgs(mode, args)
	if err != nil {
		return err
	}
	for _, w := range o.Warnings {
		fmt.Fprintf(os.Stderr, "%s: %s\n", mode.progName(), w)
	}
	c, err := NewConfig(o, os.Stderr)
	if err != nil {
		return err
	}
	sr := ""
	if o.NeedsSysroot && !o.HasSysroot {
		if sr, err = c.ensureSysroot(); err != nil {
			return err
		}
	}
	if o.Phase == PhaseQuery && o.hasArg("--version") {
		// Identify ourselves first; clang's own lines follow, so tools that
		// look for "clang version" still find it.
		fmt.Printf("%s %s (faasm-go toolchain, target %s, host ABI %s)\n",
			mode.progName(), Version, Triple, hostabi.Version())
	}
	prog := c.compiler()
	cargs := c.ClangArgs(sr)
	runnable := o.Phase == PhaseLink && c.runnableOutput()
	c.printCommand(prog, cargs)
	if err := runTool(prog, cargs); err != nil {
		return err
	}
	if runnable {
		return c.makeRunnable(argv0)
	}
	return nil
}

func (o *Options) hasArg(a string) bool {
	for _, x := range o.Args {
		if x == a {
			return true
		}
	}
	return false
}

// runTool runs a tool with our stdio; a non-zero exit becomes exitError.
func runTool(prog string, args []string) error {
	cmd := exec.Command(prog, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &exitError{ee.ExitCode()}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(prog), err)
	}
	return nil
}

// execTool runs an LLVM binutils tool (llvm-ar-19 for faasm-ar, ...): they
// need no flags of ours, since wasm objects are self-describing.
func execTool(tool string, args []string) error {
	p, err := findTool(tool)
	if err != nil {
		return err
	}
	return runTool(p, args)
}

// printEnv implements `faasm-cc env`.
func printEnv(w io.Writer) error {
	o := &Options{Mode: ModeCC}
	c, err := NewConfig(o, nil)
	if err != nil {
		return err
	}
	sr, err := c.ensureSysroot()
	if err != nil {
		return err
	}
	ld, err := findTool("wasm-ld")
	if err != nil {
		return err
	}
	cache, err := cachedir.Dir()
	if err != nil {
		return err
	}
	for _, kv := range [][2]string{
		{"FAASM_TOOLCHAIN_VERSION", Version},
		{"FAASM_HOSTABI_VERSION", hostabi.Version()},
		{"FAASM_CLANG", c.Clang},
		{"FAASM_CLANGXX", c.ClangXX},
		{"FAASM_CLANG_VERSION", clangVersion(c.Clang)},
		{"FAASM_WASM_LD", ld},
		{"FAASM_TARGET", Triple},
		{"FAASM_SYSROOT", sr},
		{"FAASM_CMAKE_TOOLCHAIN", filepath.Join(sr, "share", "cmake", "faasm.cmake")},
		{"FAASM_CACHE", cache},
	} {
		fmt.Fprintf(w, "%s=%s\n", kv[0], shellQuote(kv[1]))
	}
	return nil
}

// installLinks implements `faasm-cc install-links DIR`: a symlink to this
// binary for every tool name.
func installLinks(argv0, dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	for name := range ToolNames {
		link := filepath.Join(absDir, name)
		if link == self {
			continue
		}
		target := self
		if filepath.Dir(self) == absDir {
			target = filepath.Base(self) // relative: the directory can move
		}
		os.Remove(link)
		if err := os.Symlink(target, link); err != nil {
			return fmt.Errorf("install-links: %w", err)
		}
	}
	return nil
}

// binDir is the directory holding the tool links we were started from (so
// wrappers and launchers name faasm-cc, faasm by absolute path), or "" when
// it cannot be found.
func binDir(argv0 string) string {
	p := argv0
	if !strings.Contains(p, "/") {
		lp, err := exec.LookPath(p)
		if err != nil {
			return ""
		}
		p = lp
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	return filepath.Dir(abs)
}
