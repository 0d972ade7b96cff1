package toolchain

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Config is Options resolved against this machine: the tools found and the
// flags the driver adds.
type Config struct {
	*Options
	Clang   string // clang-19: compiles C, links C
	ClangXX string // clang++-19: compiles and links C++ (adds libc++)
	AR      string // llvm-ar-19: archives the sysroot's libraries
	Stderr  io.Writer
}

// NewConfig finds the tools an invocation needs.
func NewConfig(o *Options, stderr io.Writer) (*Config, error) {
	c := &Config{Options: o, Stderr: stderr}
	var err error
	if c.Clang, err = findTool("clang"); err != nil {
		return nil, err
	}
	if c.ClangXX, err = findTool("clang++"); err != nil {
		return nil, err
	}
	if c.AR, err = findTool("llvm-ar"); err != nil {
		return nil, err
	}
	return c, nil
}

// defaultCFlags are added before the user's flags on every compile, so the
// user's own flags (-O0, -mno-simd128, -U...) win.
//
//   - -msimd128: HPC loops vectorise; without it wasm runs ~1.6x slower (toolchain.md §5.4).
//   - -matomics -mbulk-memory: `omp atomic` and C11 atomics become real wasm
//     atomics, which the runtime's shared-memory threads rely on. Objects
//     with atomics link with Debian's libc as long as --shared-memory is
//     not requested (checked).
//   - the four wasi-libc emulation macros, so signal.h, sys/mman.h,
//     sys/times.h and getpid compile; the matching libraries are linked.
//   - -force-target-max-vector-interleave=4: LLVM's WebAssembly cost model
//     allows no interleaving, so a vectorised loop does one 2-lane step per
//     iteration and pays Cranelift's loop overhead (index extension,
//     pointer bumps) each time; x86 clang interleaves by 2. Letting the
//     cost model interleave cut dgemm's CPU time by a third (1.21 -> 0.71 s
//     against native 0.60) and took the OpenMP kernels' geometric mean from
//     1.19 to 1.06; no kernel got slower.
//   - -unswitch-threshold=400: at -O3 LLVM unswitches a loop on an
//     invariant condition only if the copy costs under 50, which leaves
//     LAMMPS's pair loop (it tests eflag and newton_pair on every pair)
//     whole. A native core hides such tests in branch prediction;
//     Cranelift pays for them in registers, because the rare branch's
//     values stay live around the hot path. With the budget LLVM makes
//     four copies of PairLJCut::compute's loops, one per case: the LJ
//     benchmark's Pair time at one rank went from 1.13-1.36x native to
//     1.02-1.07x, and lmp.wasm grew 10%. No kernel got slower. Only -O3
//     does non-trivial unswitching, as in LLVM.
func defaultCFlags() []string {
	return []string{
		"-O2",
		"-msimd128", "-matomics", "-mbulk-memory",
		"-mllvm", "-force-target-max-vector-interleave=4",
		"-mllvm", "-unswitch-threshold=400",
		"-D_WASI_EMULATED_SIGNAL", "-D_WASI_EMULATED_MMAN",
		"-D_WASI_EMULATED_PROCESS_CLOCKS", "-D_WASI_EMULATED_GETPID",
	}
}

// Link defaults. The stack comes first in memory so an overflow traps
// instead of overwriting globals; HPC codes keep big arrays on the stack,
// so it is 8 MiB instead of wasm-ld's 64 KiB. Memory may grow to 4 GiB.
const (
	defaultStackSize = "8388608"
	defaultMaxMemory = "4294967296"
)

// emulatedLibs back the emulation macros of defaultCFlags.
var emulatedLibs = []string{
	"-lwasi-emulated-signal", "-lwasi-emulated-mman",
	"-lwasi-emulated-process-clocks", "-lwasi-emulated-getpid",
}

// Hooks for the libraries later issues add (see library.go).
const (
	openMPLibrary = "faasmp" // linked on -fopenmp once registered
	mpiLibrary    = "mpi"    // linked by faasm-mpicc/faasm-mpicxx once registered
)

// compiler is the clang driver to run: clang++ for the C++ modes, so
// linking adds libc++ and libc++abi as g++ does.
func (c *Config) compiler() string {
	if c.Mode.cxx() {
		return c.ClangXX
	}
	return c.Clang
}

// ClangArgs returns the arguments (without the program) for clang, given
// the sysroot directory ("" when the invocation does not need one).
func (c *Config) ClangArgs(sysrootDir string) []string {
	var args []string
	if !c.HasTarget {
		args = append(args, "--target="+Triple)
	}
	if !c.HasSysroot && sysrootDir != "" {
		args = append(args, "--sysroot="+sysrootDir)
	}
	if c.Phase == PhaseQuery {
		return append(args, c.Args...)
	}
	codegen := c.Phase != PhaseLink || c.compilesSources()
	flags := defaultCFlags()
	for i, f := range flags {
		if f == "-O2" && c.HasOpt {
			continue
		}
		// -mllvm options go to LLVM's code generator; a link of objects
		// alone has none, and clang warns that they went unused, which
		// -Werror in a Makefile's CFLAGS (passed at link too) makes fatal.
		if !codegen && (f == "-mllvm" || i > 0 && flags[i-1] == "-mllvm") {
			continue
		}
		args = append(args, f)
	}
	if !c.HasSysroot && sysrootDir != "" {
		// Ahead of the sysroot's own headers: wrappers that #include_next
		// wasi-libc's and add what WASI leaves out (popen, dup, pipe).
		args = append(args, "-isystem", sysrootDir+"/include/faasm-compat")
	}
	if c.OpenMP && libraryNamed(openMPLibrary) != nil {
		args = append(args, c.openMPFlags(sysrootDir)...)
	}
	if c.Phase == PhaseLink {
		// Before the user's flags: wasm-ld takes the last -z stack-size
		// and --max-memory, so user -Wl flags override these.
		// The function table is exported so the runtime can call guest
		// function pointers (OpenMP microtasks, MPI user ops): exports of a
		// command module are wrapped to re-run static constructors. The
		// stack pointer is exported so that a Faaslet's snapshot holds it:
		// a run that ends in exit() or a trap leaves it mid-stack.
		args = append(args,
			"-Wl,--stack-first",
			"-Wl,-z,stack-size="+defaultStackSize,
			"-Wl,--max-memory="+defaultMaxMemory,
			"-Wl,--export-table",
			"-Wl,--export=__stack_pointer")
		if !c.Debug {
			// Debian's libraries carry DWARF (1.2 MB for hello world). The
			// name section stays: trap backtraces show function names.
			args = append(args, "-Wl,--strip-debug")
		}
	}
	args = append(args, c.Args...)
	if c.Phase == PhaseLink && !c.NoStdlib {
		args = append(args, c.linkLibraries()...)
	}
	return args
}

// compilesSources reports whether any input is compiled (not an object or
// archive that is only linked). "-x" makes clang compile whatever follows.
func (c *Config) compilesSources() bool {
	for _, a := range c.Args {
		if strings.HasPrefix(a, "-x") { // -x c, -xc++
			return true
		}
	}
	for _, in := range c.Inputs {
		switch filepath.Ext(in) {
		case ".o", ".obj", ".a", ".lo", ".so", ".wasm":
		default:
			return true
		}
	}
	return false
}

// openMPFlags are what -fopenmp (or -lomp/-lgomp) adds for libfaasmp:
//
//   - -isystem <sysroot>/include/faasmp: our omp.h, ahead of clang's resource
//     directory (which would otherwise win and give libomp's lock layout);
//   - -fnoopenmp-use-tls: threadprivate through __kmpc_threadprivate_cached.
//     With TLS, clang emits thread_local globals, which wasm-ld lowers to
//     plain globals without shared memory: every thread would share them;
//   - at link: wrap malloc & co. and stdio with libfaasmp's locks, since
//     Debian's wasi-libc is built without them. (Thread Faaslets start
//     through the function table with their own __stack_pointer; both are
//     exported on every link.)
func (c *Config) openMPFlags(sysrootDir string) []string {
	var args []string
	if sysrootDir != "" {
		args = append(args, "-isystem", sysrootDir+"/include/faasmp")
	}
	args = append(args, "-fnoopenmp-use-tls")
	if c.Phase == PhaseLink {
		for _, f := range openMPWrapped {
			args = append(args, "-Wl,--wrap="+f)
		}
	}
	return args
}

// openMPWrapped are the libc functions libfaasmp makes thread-safe.
var openMPWrapped = []string{
	"malloc", "free", "calloc", "realloc", "posix_memalign", "aligned_alloc", "malloc_usable_size",
	"vfprintf", "fputs", "puts", "fputc", "putc", "putchar", "fwrite", "fflush",
}

// linkLibraries are appended after the user's inputs (wasm-ld resolves
// archives lazily, in any order, but keep the conventional order anyway).
func (c *Config) linkLibraries() []string {
	var libs []string
	if c.OpenMP && libraryNamed(openMPLibrary) != nil {
		libs = append(libs, "-l"+openMPLibrary)
	}
	// faasm-mpicc: -lmpi once libfaasmpi registers a Library named "mpi";
	// until then MPI modes compile exactly like faasm-cc.
	if c.Mode.mpi() && libraryNamed(mpiLibrary) != nil {
		libs = append(libs, "-l"+mpiLibrary)
	}
	for _, l := range Libraries {
		if l.AlwaysLink {
			libs = append(libs, "-l"+l.Name)
		}
	}
	return append(libs, emulatedLibs...)
}

// printCommand shows a command line on stderr when asked to, quoted so it
// can be pasted into a shell.
func (c *Config) printCommand(prog string, args []string) {
	if c.PrintCommands && c.Stderr != nil {
		fmt.Fprintln(c.Stderr, shellJoin(append([]string{prog}, args...)))
	}
}

func shellJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shellQuote(w)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("-_./=,:+@%^", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// envTrue reports an environment switch set to something other than 0.
func envTrue(name string) bool {
	v := os.Getenv(name)
	return v != "" && v != "0"
}
