// Command faasm runs WebAssembly modules built with faasm-cc as Faaslets.
//
//	faasm run [flags] app.wasm [--] [args...]
//	faasm validate app.wasm...
//	faasm compile app.wasm...
//	faasm bench [flags]
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

const usage = `usage: faasm <command> [arguments]

commands:
  run       run a module:            faasm run [flags] app.wasm [--] [args...]
  validate  check a module's imports, exports and memory against the host ABI
  compile   validate and AOT-compile modules into the cache
  bench     measure Faaslet start-up and other micro-benchmarks
  version   print version information

Run 'faasm <command> -h' for a command's flags.
`

func main() {
	stop := startProfile()
	code := mainExit(os.Args[1:])
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile of the whole command to the file named
// by FAASM_CPUPROFILE, and the allocations it made to FAASM_MEMPROFILE, for
// `go tool pprof`: how the benchmarks' numbers were explained (an MPI call
// that allocates slows every rank of the job, see faasmpi's arena).
func startProfile() func() {
	stopCPU := func() {}
	if path := os.Getenv("FAASM_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "faasm: FAASM_CPUPROFILE: %v\n", err)
		case pprof.StartCPUProfile(f) != nil:
			fmt.Fprintf(os.Stderr, "faasm: FAASM_CPUPROFILE: a profile is already running\n")
			f.Close()
		default:
			stopCPU = func() {
				pprof.StopCPUProfile()
				f.Close()
			}
		}
	}
	memPath := os.Getenv("FAASM_MEMPROFILE")
	if memPath != "" {
		runtime.MemProfileRate = 4096
	}
	return func() {
		stopCPU()
		if memPath == "" {
			return
		}
		f, err := os.Create(memPath)
		if err != nil {
			fmt.Fprintf(os.Stderr, "faasm: FAASM_MEMPROFILE: %v\n", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(os.Stderr, "faasm: FAASM_MEMPROFILE: %v\n", err)
		}
	}
}

// mainExit runs a command and returns the process exit code. Panics become
// one line, never a Go trace: a user sees what failed, not our stack.
func mainExit(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "faasm: internal error: %v\n", r)
			code = 70
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:])
	case "validate":
		return cmdValidate(args[1:])
	case "compile":
		return cmdCompile(args[1:])
	case "bench":
		return cmdBench(args[1:])
	case "version", "--version", "-version":
		return cmdVersion()
	case "help", "-h", "--help":
		fmt.Print(usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "faasm: unknown command %q\n%s", args[0], usage)
	return 2
}

// fail prints one error line prefixed the way every faasm message is.
func fail(code int, format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "faasm: "+format+"\n", a...)
	return code
}
