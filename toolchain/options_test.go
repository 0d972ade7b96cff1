package toolchain

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The clang command line for each user command line. $SR stands for the
// sysroot directory; CFLAGS and LDFLAGS for the default flags, written out
// once here so each case shows only what differs.
const (
	// goldenBaseCFlags are the defaults; goldenCFlags adds what comes with
	// our own sysroot (a user --sysroot gets only the base).
	goldenBaseCFlags = "-msimd128 -matomics -mbulk-memory -mllvm -force-target-max-vector-interleave=4 -mllvm -unswitch-threshold=400 " + goldenEmulated
	goldenCFlags     = goldenBaseCFlags + " -isystem $SR/include/faasm-compat"
	// goldenLinkCFlags: a link of objects alone gets no -mllvm options
	// (clang would warn they went unused).
	goldenLinkCFlags = "-msimd128 -matomics -mbulk-memory " + goldenEmulated + " -isystem $SR/include/faasm-compat"
	goldenEmulated   = "-D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID"
	goldenLDFlags    = "-Wl,--stack-first -Wl,-z,stack-size=8388608 -Wl,--max-memory=4294967296 -Wl,--export-table -Wl,--export=__stack_pointer"
	goldenLibs       = "-lfaasm -lwasi-emulated-signal -lwasi-emulated-mman -lwasi-emulated-process-clocks -lwasi-emulated-getpid"
)

func TestClangArgs(t *testing.T) {
	tests := []struct {
		name     string
		mode     Mode
		args     string
		phase    Phase
		want     string
		warnings []string
	}{
		{
			name:  "compile",
			args:  "-c -o a.o a.c",
			phase: PhaseCompile,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -c -o a.o a.c",
		},
		{
			name:  "link with defaults",
			args:  "-o app a.o -lm",
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS LDFLAGS -Wl,--strip-debug -o app a.o -lm LIBS",
			phase: PhaseLink,
		},
		{
			name:  "user -O and -g win; no strip",
			args:  "-O3 -g a.c",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR CFLAGS LDFLAGS -O3 -g a.c LIBS",
		},
		{
			name:  "-g0 strips",
			args:  "-g -g0 a.c",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS LDFLAGS -Wl,--strip-debug -g -g0 a.c LIBS",
		},
		{
			name:  "user stack size comes after ours",
			args:  "-Wl,-z,stack-size=1048576 a.c",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS LDFLAGS -Wl,--strip-debug -Wl,-z,stack-size=1048576 a.c LIBS",
		},
		{
			name:     "x86 and thread flags dropped with warnings",
			args:     "-c -march=native -mtune=native -mavx2 -msse4.2 -mfma -m64 -pthread -mavx2 a.c",
			phase:    PhaseCompile,
			want:     "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -c a.c",
			warnings: []string{"-march=native", "-mtune=native", "-mavx2", "-msse4.2", "-mfma", "-m64", "-pthread"},
		},
		{
			name:  "silent drops",
			args:  "-rdynamic -static -static-libgcc -o a a.o",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS LDFLAGS -Wl,--strip-debug -o a a.o LIBS",
		},
		{
			name:  "ELF linker options removed",
			args:  "-Wl,-rpath,/x,--as-needed,-z,relro,-z,now,-soname,libx.so.1,--gc-sections -Xlinker -rpath -Xlinker /y -Wl,-O1 a.o",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS LDFLAGS -Wl,--strip-debug -Wl,--gc-sections -Wl,-O1 a.o LIBS",
		},
		{
			name:  "preprocess with deps",
			args:  "-E -MD -MF a.d -MT a.o -I inc -D X=1 -include cfg.h a.c",
			phase: PhasePreprocess,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -E -MD -MF a.d -MT a.o -I inc -D X=1 -include cfg.h a.c",
		},
		{
			name:  "-MM is preprocess only",
			args:  "-MM a.c",
			phase: PhasePreprocess,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -MM a.c",
		},
		{
			name:  "-S",
			args:  "-S -o a.s a.c",
			phase: PhaseAssemble,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -S -o a.s a.c",
		},
		{
			name:  "stdin",
			args:  "-x c -c - -o s.o",
			phase: PhaseCompile,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -x c -c - -o s.o",
		},
		{
			name:  "query",
			args:  "-dumpmachine",
			phase: PhaseQuery,
			want:  "--target=wasm32-wasi -dumpmachine",
		},
		{
			name:  "print query uses the sysroot",
			args:  "-print-file-name=libc.a",
			phase: PhaseQuery,
			want:  "--target=wasm32-wasi --sysroot=$SR -print-file-name=libc.a",
		},
		{
			name:  "user target and sysroot",
			args:  "--target=wasm32-wasip1 --sysroot=/sr -c a.c",
			phase: PhaseCompile,
			want:  "-O2 BASEFLAGS --target=wasm32-wasip1 --sysroot=/sr -c a.c",
		},
		{
			name:  "-lstdc++ and -lgcc mapped",
			args:  "a.o -lstdc++ -lgcc -l pthread",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS LDFLAGS -Wl,--strip-debug a.o -lc++ -lc++abi -lpthread LIBS",
		},
		{
			name:  "-nostdlib adds no libraries",
			args:  "-nostdlib a.o",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS LDFLAGS -Wl,--strip-debug -nostdlib a.o",
		},
		{
			name:  "-fopenmp uses our omp.h and no TLS for threadprivate",
			args:  "-fopenmp -c a.c",
			phase: PhaseCompile,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -isystem $SR/include/faasmp -fnoopenmp-use-tls -fopenmp -c a.c",
		},
		{
			name:  "-lgomp links libfaasmp with thread-safe malloc and stdio",
			args:  "a.o -lgomp",
			phase: PhaseLink,
			want: "--target=wasm32-wasi --sysroot=$SR -O2 LINKCFLAGS -isystem $SR/include/faasmp -fnoopenmp-use-tls " +
				"-Wl,--wrap=malloc -Wl,--wrap=free -Wl,--wrap=calloc -Wl,--wrap=realloc " +
				"-Wl,--wrap=posix_memalign -Wl,--wrap=aligned_alloc -Wl,--wrap=malloc_usable_size -Wl,--wrap=vfprintf " +
				"-Wl,--wrap=fputs -Wl,--wrap=puts -Wl,--wrap=fputc -Wl,--wrap=putc -Wl,--wrap=putchar -Wl,--wrap=fwrite " +
				"-Wl,--wrap=fflush LDFLAGS -Wl,--strip-debug a.o -lfaasmp LIBS",
		},
		{
			name:  "mpicc links libfaasmpi",
			mode:  ModeMPICC,
			args:  "a.c",
			phase: PhaseLink,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS LDFLAGS -Wl,--strip-debug a.c -lmpi LIBS",
		},
		{
			name:  "unknown flags pass to clang",
			args:  "-fno-common -fPIC -Wall -Wextra -std=c99 -Wa,--noexecstack -frobnicate -c a.c",
			phase: PhaseCompile,
			want:  "--target=wasm32-wasi --sysroot=$SR -O2 CFLAGS -fno-common -fPIC -Wall -Wextra -std=c99 -frobnicate -c a.c",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode := tt.mode
			if mode == 0 {
				mode = ModeCC
			}
			o, err := ParseArgs(mode, strings.Fields(tt.args))
			if err != nil {
				t.Fatal(err)
			}
			if o.Phase != tt.phase {
				t.Errorf("phase = %v, want %v", o.Phase, tt.phase)
			}
			sr := ""
			if o.NeedsSysroot {
				sr = "$SR"
			}
			c := &Config{Options: o}
			got := strings.Join(c.ClangArgs(sr), " ")
			want := strings.NewReplacer("BASEFLAGS", goldenBaseCFlags, "LINKCFLAGS", goldenLinkCFlags, "CFLAGS", goldenCFlags, "LDFLAGS", goldenLDFlags, "LIBS", goldenLibs).Replace(tt.want)
			if got != want {
				t.Errorf("clang args:\n got %s\nwant %s", got, want)
			}
			var warned []string
			for _, w := range o.Warnings {
				f := strings.Fields(w)
				warned = append(warned, f[2])
			}
			if !reflect.DeepEqual(warned, tt.warnings) {
				t.Errorf("warnings = %q, want flags %q", o.Warnings, tt.warnings)
			}
		})
	}
}

func TestParseArgs_shared(t *testing.T) {
	_, err := ParseArgs(ModeCC, []string{"-shared", "-o", "libx.so", "x.o"})
	want := "-shared: shared libraries are not supported for wasm32; build a static library (ar) instead"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestParseArgs_responseFile(t *testing.T) {
	dir := t.TempDir()
	rsp := filepath.Join(dir, "args.rsp")
	inner := filepath.Join(dir, "inner.rsp")
	if err := os.WriteFile(inner, []byte("-DINNER\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := "-c 'a b.c' \"-DMSG=\\\"hi there\\\"\" -I\\ dir\n@" + inner + "\n"
	if err := os.WriteFile(rsp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := ParseArgs(ModeCC, []string{"@" + rsp, "@missing.rsp"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-c", "a b.c", `-DMSG="hi there"`, "-I dir", "-DINNER", "@missing.rsp"}
	if !reflect.DeepEqual(o.Args, want) {
		t.Errorf("args = %q, want %q", o.Args, want)
	}
	if !reflect.DeepEqual(o.Inputs, []string{"a b.c", "@missing.rsp"}) {
		t.Errorf("inputs = %q", o.Inputs)
	}
}

func TestModeOf(t *testing.T) {
	for name, mode := range ToolNames {
		if got := ModeOf("/some/dir/" + name); got != mode {
			t.Errorf("ModeOf(%s) = %v, want %v", name, got, mode)
		}
	}
	if ModeOf("toolchain.test") != ModeCC {
		t.Error("unknown names should act as faasm-cc")
	}
	if !ModeOf("faasm-mpicxx").cxx() || !ModeOf("faasm-mpicxx").mpi() {
		t.Error("faasm-mpicxx is C++ and MPI")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"-O2": "-O2", "a b": "'a b'", "it's": `'it'\''s'`, "": "''", "-DX=\"y\"": `'-DX="y"'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
