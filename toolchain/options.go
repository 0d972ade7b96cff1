// This file implements reading a gcc/clang-style command line, as make, CMake
// and autotools pass it, into Options: which phase runs (preprocess, compile,
// assemble, link), what the user already chose (-O, --target, -g), and the
// arguments clang should see. Flags that cannot mean anything for wasm32 are
// dropped here with one warning each; -shared is refused. Everything else
// passes through in order, so clang reports flags it does not know.
package toolchain

import (
	"fmt"
	"os"
	"strings"
)

// Phase is the last step a compiler invocation runs.
type Phase int

const (
	PhaseLink       Phase = iota // default: produce an executable module
	PhaseCompile                 // -c
	PhaseAssemble                // -S
	PhasePreprocess              // -E, -M, -MM
	PhaseSyntax                  // -fsyntax-only
	PhaseQuery                   // no inputs: -v, --version, -dumpmachine, -print-*, --help
)

func (p Phase) String() string {
	return [...]string{"link", "compile", "assemble", "preprocess", "syntax-only", "query"}[p]
}

// Options is the user's command line, read but not yet resolved against the
// installed tools (that is Config).
type Options struct {
	Mode  Mode
	Phase Phase
	// Args are the user's arguments to pass to clang, in order, after
	// response-file expansion and with dropped flags removed.
	Args []string
	// Inputs are the positional inputs (sources, objects, archives, "-").
	Inputs []string
	// Output is the -o value ("" when not given).
	Output string

	HasOpt     bool // an -O flag was given
	Debug      bool // -g (not -g0): keep debug info, no --strip-debug
	HasTarget  bool // --target/-target given: do not add ours
	HasSysroot bool // --sysroot given: do not add ours
	NoStdlib   bool // -nostdlib/-nodefaultlibs: add no libraries
	OpenMP     bool // -fopenmp: the OpenMP issue links libfaasmp here
	// NeedsSysroot is false for version probes (-v, --version,
	// -dumpversion, -dumpmachine), which must answer fast and never build.
	NeedsSysroot bool
	// PrintCommands prints every command line before it runs
	// (--faasm-print-commands or FAASM_CC_VERBOSE=1), like go build -x.
	PrintCommands bool
	// Warnings are printed once each, prefixed with the program name.
	Warnings []string
}

// argFlags take their value as the next argument when not joined
// (-I dir, -o file). Their value must never be read as an input file.
var argFlags = map[string]bool{
	"-o": true, "-I": true, "-D": true, "-U": true, "-L": true, "-l": true,
	"-include": true, "-imacros": true, "-isystem": true, "-iquote": true,
	"-idirafter": true, "-iprefix": true, "-iwithprefix": true, "-iwithprefixbefore": true,
	"-isysroot": true, "-MF": true, "-MT": true, "-MQ": true, "-x": true,
	"-Xlinker": true, "-Xclang": true, "-Xpreprocessor": true, "-Xassembler": true,
	"-target": true, "-u": true, "-z": true, "--param": true, "-arch": true,
	"-T": true, "-e": true, "-mllvm": true, "-aux-info": true, "--sysroot": true,
	"-resource-dir": true, "-ivfsoverlay": true, "-B": true,
}

// silentDrops are accepted for compatibility and mean nothing for a static
// wasm executable.
var silentDrops = map[string]bool{
	"-rdynamic": true, "-static": true, "-static-libgcc": true, "-static-libstdc++": true,
	"-m32": true, "-pie": true, "-no-pie": true,
}

// x86Flag reports flags that only make sense for x86 (or another native
// CPU): they are dropped with a warning so that Makefiles tuned for the
// build machine still build.
func x86Flag(a string) bool {
	switch {
	case a == "-m64", a == "-mfma", a == "-mno-fma", a == "-mfpmath=sse", a == "-mno-red-zone",
		a == "-mcx16", a == "-mmmx", a == "-m3dnow", a == "-mpopcnt", a == "-mlzcnt",
		a == "-maes", a == "-mpclmul", a == "-mf16c", a == "-mmovbe", a == "-mrdrnd":
		return true
	case strings.HasPrefix(a, "-march="), strings.HasPrefix(a, "-mtune="),
		strings.HasPrefix(a, "-mavx"), strings.HasPrefix(a, "-mno-avx"),
		strings.HasPrefix(a, "-msse"), strings.HasPrefix(a, "-mno-sse"),
		strings.HasPrefix(a, "-mssse"), strings.HasPrefix(a, "-mbmi"),
		strings.HasPrefix(a, "-mfpmath="), strings.HasPrefix(a, "-mprefer-vector-width="),
		strings.HasPrefix(a, "-mfma4"), strings.HasPrefix(a, "-mxop"):
		return true
	}
	return false
}

// elfLinkerOption reports GNU ld options that wasm-ld does not have and that
// mean nothing for a static wasm module; takesArg says the next linker
// argument is the option's value.
func elfLinkerOption(a string) (drop, takesArg bool) {
	switch a {
	case "-rpath", "-rpath-link", "-soname", "-h", "--version-script", "-R", "--dynamic-linker":
		return true, true
	case "--as-needed", "--no-as-needed", "--enable-new-dtags", "--disable-new-dtags",
		"-Bsymbolic", "-Bsymbolic-functions", "--eh-frame-hdr", "-E", "--export-dynamic",
		"--no-undefined", "-export-dynamic", "--no-copy-dt-needed-entries", "--fatal-warnings=no":
		return true, false
	}
	for _, p := range []string{"-rpath=", "-rpath-link=", "-soname=", "--version-script=", "--hash-style=",
		"--dynamic-linker=", "--build-id="} {
		if strings.HasPrefix(a, p) {
			return true, false
		}
	}
	return false, false
}

// elfZKeyword reports -z keywords that only exist for ELF (relro, now, ...);
// -z stack-size=N is wasm-ld's and is kept.
func elfZKeyword(k string) bool {
	return !strings.HasPrefix(k, "stack-size=")
}

// filterLinkerArgs removes ELF-only options from a list of linker
// arguments (the items of -Wl,a,b or successive -Xlinker values).
func filterLinkerArgs(items []string) []string {
	var out []string
	for i := 0; i < len(items); i++ {
		it := items[i]
		if it == "-z" && i+1 < len(items) {
			if elfZKeyword(items[i+1]) {
				i++
				continue
			}
			out = append(out, it, items[i+1])
			i++
			continue
		}
		if drop, takesArg := elfLinkerOption(it); drop {
			if takesArg {
				i++
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

// ParseArgs reads a compiler command line (without argv[0]). Response files
// (@file) are expanded first.
func ParseArgs(mode Mode, args []string) (*Options, error) {
	args, err := expandResponseFiles(args, 0)
	if err != nil {
		return nil, err
	}
	o := &Options{Mode: mode, Phase: PhaseLink, NeedsSysroot: true}
	if v := os.Getenv("FAASM_CC_VERBOSE"); v != "" && v != "0" {
		o.PrintCommands = true
	}
	var preprocess, compile, assemble, syntax, depOnly bool
	var versionProbe, otherQuery bool
	warned := map[string]bool{}
	warn := func(format string, a ...any) {
		msg := fmt.Sprintf(format, a...)
		if !warned[msg] {
			warned[msg] = true
			o.Warnings = append(o.Warnings, msg)
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		// Flags whose value is the next argument.
		if argFlags[a] {
			if i+1 >= len(args) {
				// Let clang report the missing value.
				o.Args = append(o.Args, a)
				continue
			}
			v := args[i+1]
			i++
			switch a {
			case "-o":
				o.Output = v
			case "-target", "--sysroot":
				if a == "-target" {
					o.HasTarget = true
				} else {
					o.HasSysroot = true
				}
			case "-Xlinker":
				// Collect this and directly following -Xlinker values.
				items := []string{v}
				for i+2 < len(args) && args[i+1] == "-Xlinker" {
					items = append(items, args[i+2])
					i += 2
				}
				for _, it := range filterLinkerArgs(items) {
					o.Args = append(o.Args, "-Xlinker", it)
				}
				continue
			case "-z":
				if elfZKeyword(v) {
					continue
				}
			case "-l":
				o.Args = append(o.Args, mapLib("-l"+v)...)
				continue
			}
			o.Args = append(o.Args, a, v)
			continue
		}
		switch {
		case a == "--faasm-print-commands":
			o.PrintCommands = true
			continue
		case a == "-" || !strings.HasPrefix(a, "-"):
			o.Inputs = append(o.Inputs, a)
		case a == "-c":
			compile = true
		case a == "-S":
			assemble = true
		case a == "-E":
			preprocess = true
		case a == "-M" || a == "-MM":
			depOnly = true
		case a == "-fsyntax-only":
			syntax = true
		case a == "-shared":
			return nil, usagef("-shared: shared libraries are not supported for wasm32; build a static library (ar) instead")
		case a == "-pthread" || a == "-pthreads":
			warn("warning: ignoring %s (no threads in wasm32-wasi)", a)
			continue
		case silentDrops[a]:
			continue
		case x86Flag(a):
			warn("warning: ignoring %s (x86-only)", a)
			continue
		case strings.HasPrefix(a, "-o"):
			o.Output = a[2:]
		case a == "-lomp" || a == "-lgomp" || a == "-liomp5":
			// Native OpenMP runtimes: libfaasmp stands in for all of them.
			o.OpenMP = true
			continue
		case strings.HasPrefix(a, "-l"):
			o.Args = append(o.Args, mapLib(a)...)
			continue
		case strings.HasPrefix(a, "-O"):
			o.HasOpt = true
		case a == "-g0":
			o.Debug = false
		case strings.HasPrefix(a, "-g") && !strings.HasPrefix(a, "-gsplit"):
			o.Debug = true
		case strings.HasPrefix(a, "--target="):
			o.HasTarget = true
		case strings.HasPrefix(a, "--sysroot="):
			o.HasSysroot = true
		case a == "-nostdlib" || a == "-nodefaultlibs":
			o.NoStdlib = true
		case a == "-fopenmp" || strings.HasPrefix(a, "-fopenmp="):
			o.OpenMP = true
		case strings.HasPrefix(a, "-Wl,"):
			items := filterLinkerArgs(strings.Split(a[len("-Wl,"):], ","))
			if len(items) > 0 {
				o.Args = append(o.Args, "-Wl,"+strings.Join(items, ","))
			}
			continue
		case a == "-Wa,--noexecstack":
			// GNU as only; clang's integrated wasm assembler refuses it.
			continue
		case a == "-v" || a == "--version" || a == "-dumpversion" || a == "-dumpfullversion" ||
			a == "-dumpmachine" || a == "--help" || a == "-###":
			versionProbe = true
		case strings.HasPrefix(a, "-print-") || strings.HasPrefix(a, "--print-"):
			otherQuery = true
		}
		o.Args = append(o.Args, a)
	}
	switch {
	case len(o.Inputs) == 0 && (versionProbe || otherQuery):
		o.Phase = PhaseQuery
		o.NeedsSysroot = otherQuery
	case preprocess || depOnly:
		o.Phase = PhasePreprocess
	case syntax:
		o.Phase = PhaseSyntax
	case assemble:
		o.Phase = PhaseAssemble
	case compile:
		o.Phase = PhaseCompile
	}
	return o, nil
}

// mapLib translates a -l flag for libraries that have another name or no
// counterpart in the wasm sysroot. libm, libpthread, librt, libdl, libutil
// and libcrypt exist there (empty archives: their functions are in libc), so
// they pass unchanged.
func mapLib(l string) []string {
	switch l {
	case "-lstdc++":
		// C programs linked with "cc ... -lstdc++" get LLVM's C++ library.
		return []string{"-lc++", "-lc++abi"}
	case "-lgcc", "-lgcc_s", "-lgcc_eh", "-latomic", "-lssp", "-lssp_nonshared":
		// Their contents come from compiler-rt, which clang always links.
		return nil
	}
	return []string{l}
}

// expandResponseFiles replaces each @file argument by the arguments the file
// holds (whitespace-separated, with ' " and \ quoting as gcc reads them).
// An @file that does not exist stays as it is, as gcc does.
func expandResponseFiles(args []string, depth int) ([]string, error) {
	if depth > 16 {
		return nil, usagef("response files nested too deeply")
	}
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "@") || len(a) == 1 {
			out = append(out, a)
			continue
		}
		data, err := os.ReadFile(a[1:])
		if err != nil {
			out = append(out, a)
			continue
		}
		inner, err := expandResponseFiles(splitResponseFile(string(data)), depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, inner...)
	}
	return out, nil
}

// splitResponseFile splits a response file's text into arguments.
func splitResponseFile(s string) []string {
	var args []string
	var cur strings.Builder
	inArg := false
	var quote rune
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(rs) {
				i++
				cur.WriteRune(rs[i])
			} else {
				cur.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote = c
			inArg = true
		case c == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			inArg = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(c)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}
