// This file implements the build-system wrappers, after Emscripten's
// emcmake/emconfigure/emmake:
//
//	faasm-cmake cmake -B build ...   adds -DCMAKE_TOOLCHAIN_FILE=<sysroot>/share/cmake/faasm.cmake
//	faasm-configure ./configure ...  sets CC, CXX, AR, ... and adds --host=wasm32-unknown-wasi
//	faasm-make [make] ...            sets CC, CXX, AR, ... and runs make
//
// and the runnable outputs that let configure run its test programs.
//
// How configure is handled: faasm-configure passes --host=wasm32-unknown-wasi
// to a configure script (unless the user gave --host; bookworm's config.sub
// accepts it), so
// configure knows the host is wasm32 (host_cpu, libtool) and never errors
// with "cannot run C compiled programs". It also sets FAASM_CONFIGURE=1:
// while that is set, and when a `faasm` binary is found, every link writes
// the module to <out>.wasm and a launcher script `exec faasm run <out>.wasm`
// at <out> (Emscripten does the same with node). Configure's "are we cross
// compiling" probe runs ./conftest: when `faasm run` works, configure finds
// it is not cross compiling and AC_RUN_IFELSE tests run under faasm; when it
// does not, configure falls back to cross-compiling defaults. Either way
// configure passes.
package toolchain

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

//go:embed cmake
var cmakeEmbed embed.FS

// cmakeFiles is written to <sysroot>/share/cmake: faasm.cmake (the
// toolchain file) and Modules/Platform/WASI.cmake.
var cmakeFiles = func() fs.FS {
	sub, err := fs.Sub(cmakeEmbed, "cmake")
	if err != nil {
		panic(err)
	}
	return sub
}()

// ConfigureEnv marks links made under faasm-configure.
const ConfigureEnv = "FAASM_CONFIGURE"

// runnableOutput reports whether this link should produce a launcher script
// plus module instead of a bare module.
func (c *Config) runnableOutput() bool {
	if !envTrue(ConfigureEnv) {
		return false
	}
	return !strings.HasSuffix(c.outputPath(), ".wasm")
}

func (c *Config) outputPath() string {
	if c.Output != "" {
		return c.Output
	}
	return "a.out"
}

// findRunner returns the faasm binary: beside our links first, then PATH.
func findRunner(argv0 string) string {
	if d := binDir(argv0); d != "" {
		p := filepath.Join(d, "faasm")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath("faasm"); err == nil {
		return p
	}
	return ""
}

// makeRunnable moves the linked module to <out>.wasm and writes a launcher
// at <out>. Without a faasm binary the module stays where it is.
func (c *Config) makeRunnable(argv0 string) error {
	runner := findRunner(argv0)
	if runner == "" {
		return nil
	}
	out := c.outputPath()
	if err := os.Rename(out, out+".wasm"); err != nil {
		return err
	}
	// $0.wasm: the module is found beside the script from any directory.
	// --dir .: configure's run tests write their answers to files
	// (AC_CHECK_SIZEOF writes conftest.val).
	script := fmt.Sprintf("#!/bin/sh\nexec %s run --dir . \"$0.wasm\" \"$@\"\n", shellQuote(runner))
	return os.WriteFile(out, []byte(script), 0o755)
}

// tool returns how build systems should name one of our tools: by absolute
// path when it sits beside the binary we were started as, else by name.
func tool(dir, name string) string {
	if dir != "" {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return name
}

// buildEnv is the environment for configure and make: our tools as the
// target compilers, the native compiler for build-machine helpers.
func buildEnv(argv0 string, sysrootDir string) []string {
	d := binDir(argv0)
	env := []string{
		"CC=" + tool(d, "faasm-cc"),
		"CXX=" + tool(d, "faasm-c++"),
		"AR=" + tool(d, "faasm-ar"),
		"RANLIB=" + tool(d, "faasm-ranlib"),
		"NM=" + tool(d, "faasm-nm"),
		"LD=" + tool(d, "faasm-cc"),
		"MPICC=" + tool(d, "faasm-mpicc"),
		"MPICXX=" + tool(d, "faasm-mpicxx"),
		// Programs run during the build (generators) stay native.
		"CC_FOR_BUILD=cc", "CXX_FOR_BUILD=c++", "BUILD_CC=cc", "HOST_CC=cc", "HOST_CXX=c++",
	}
	if strip, err := findTool("llvm-strip"); err == nil {
		// The build machine's strip cannot read wasm (make install-strip).
		env = append(env, "STRIP="+strip)
	}
	if sysrootDir != "" {
		// Keep pkg-config from finding the build machine's libraries.
		env = append(env,
			"PKG_CONFIG_LIBDIR="+filepath.Join(sysrootDir, "lib", Triple, "pkgconfig"),
			"PKG_CONFIG_PATH=")
	}
	if d != "" {
		// So faasm-cc can find the faasm runner, and scripts our tools.
		env = append(env, "PATH="+d+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	return env
}

// wrapperSysroot assembles the sysroot for a wrapper (it names files in it).
func wrapperSysroot() (string, error) {
	c, err := NewConfig(&Options{Mode: ModeCC}, os.Stderr)
	if err != nil {
		return "", err
	}
	return c.ensureSysroot()
}

// runWith runs a command with extra environment variables and our stdio.
func runWith(env []string, args []string) error {
	if envTrue("FAASM_CC_VERBOSE") {
		fmt.Fprintln(os.Stderr, shellJoin(append(append([]string{"env"}, env...), args...)))
	}
	prog, err := exec.LookPath(args[0])
	if err != nil {
		return err
	}
	cmd := exec.Command(prog, args[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return &exitError{ee.ExitCode()}
		}
		return err
	}
	return nil
}

// runCMake implements faasm-cmake.
func runCMake(argv0 string, args []string) error {
	if len(args) == 0 {
		return usagef("usage: faasm-cmake cmake [args...]")
	}
	sr, err := wrapperSysroot()
	if err != nil {
		return err
	}
	configuring := true
	hasToolchain := false
	for _, a := range args[1:] {
		switch {
		case a == "--build" || a == "--install" || a == "-E" || a == "-P" || a == "--help" || a == "--version":
			configuring = false
		case strings.HasPrefix(a, "-DCMAKE_TOOLCHAIN_FILE") || strings.HasPrefix(a, "--toolchain"):
			hasToolchain = true
		}
	}
	cmd := append([]string{}, args...)
	if configuring {
		if !hasToolchain {
			cmd = append(cmd, "-DCMAKE_TOOLCHAIN_FILE="+filepath.Join(sr, "share", "cmake", "faasm.cmake"))
		}
		if d := binDir(argv0); d != "" {
			cmd = append(cmd, "-DFAASM_BIN_DIR="+d)
		}
	}
	return runWith(buildEnv(argv0, sr), cmd)
}

// runConfigure implements faasm-configure.
func runConfigure(argv0 string, args []string) error {
	if len(args) == 0 {
		return usagef("usage: faasm-configure ./configure [args...]")
	}
	sr, err := wrapperSysroot()
	if err != nil {
		return err
	}
	cmd := append([]string{}, args...)
	hasHost := false
	for _, a := range args[1:] {
		if a == "--host" || strings.HasPrefix(a, "--host=") {
			hasHost = true
		}
	}
	if !hasHost && strings.Contains(filepath.Base(args[0]), "configure") {
		cmd = append(cmd, "--host=wasm32-unknown-wasi")
	}
	env := append(buildEnv(argv0, sr), ConfigureEnv+"=1")
	return runWith(env, cmd)
}

// makeCommands are the first arguments faasm-make treats as the command to
// run (emmake style); anything else is an argument to make.
var makeCommands = map[string]bool{"make": true, "gmake": true, "ninja": true, "cmake": true}

// runMake implements faasm-make.
func runMake(argv0 string, args []string) error {
	sr, err := wrapperSysroot()
	if err != nil {
		return err
	}
	cmd := args
	if len(args) == 0 || !(makeCommands[filepath.Base(args[0])] || strings.Contains(args[0], "/")) {
		cmd = append([]string{"make"}, args...)
	}
	return runWith(buildEnv(argv0, sr), cmd)
}
