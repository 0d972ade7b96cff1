package hostabi_test

import (
	"regexp"
	"testing"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen"
)

var cIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// TestPinnedValues checks the invariants the generator, the C headers and
// the linker rely on: a bad table entry would otherwise surface as a C
// compile error or a confusing link failure in a user's build.
func TestPinnedValues(t *testing.T) {
	modNames := map[string]bool{}
	owner := map[string]string{} // import name -> module, across generated modules
	for _, m := range hostabi.Modules {
		if !cIdent.MatchString(m.Name) {
			t.Errorf("module %q: not a C identifier", m.Name)
		}
		if modNames[m.Name] {
			t.Errorf("module %q listed twice", m.Name)
		}
		modNames[m.Name] = true
		if m.Doc == "" {
			t.Errorf("module %s: no Doc", m.Name)
		}
		if len(m.Funcs) == 0 {
			t.Errorf("module %s: no funcs", m.Name)
		}
		seen := map[string]bool{}
		for i := range m.Funcs {
			f := &m.Funcs[i]
			where := m.Name + "." + f.Name
			if !cIdent.MatchString(f.Name) {
				t.Errorf("%s: name is not a C identifier", where)
			}
			if seen[f.Name] {
				t.Errorf("%s: listed twice", where)
			}
			seen[f.Name] = true
			if !m.Provided {
				if prev, ok := owner[f.Name]; ok {
					t.Errorf("%s: name also used by module %s", where, prev)
				}
				owner[f.Name] = m.Name
			}
			if len(f.Results) > 1 {
				t.Errorf("%s: %d results; C returns at most one", where, len(f.Results))
			}
			if f.NoReturn && len(f.Results) > 0 {
				t.Errorf("%s: noreturn but has results", where)
			}
			if f.Doc == "" {
				t.Errorf("%s: no Doc", where)
			}
			switch f.Support {
			case hostabi.Full:
				if f.Note != "" {
					t.Errorf("%s: full support with a Note; use Partial", where)
				}
			case hostabi.Partial, hostabi.Stub:
				if f.Note == "" {
					t.Errorf("%s: %s support needs a Note saying what is missing", where, f.Support)
				}
			default:
				t.Errorf("%s: no Support level", where)
			}
			params := map[string]bool{}
			for _, p := range append(append([]hostabi.Param{}, f.Params...), f.Results...) {
				checkParam(t, where, p)
			}
			for _, p := range f.Params {
				if params[p.Name] {
					t.Errorf("%s: parameter %s twice", where, p.Name)
				}
				params[p.Name] = true
				if gen.CKeywords[p.Name] {
					t.Errorf("%s: parameter %s is a C/C++ keyword", where, p.Name)
				}
			}
		}
		consts := map[string]bool{}
		for _, c := range m.Consts {
			if !cIdent.MatchString(c.Name) || consts[c.Name] {
				t.Errorf("module %s: constant %q invalid or repeated", m.Name, c.Name)
			}
			consts[c.Name] = true
		}
	}
	if len(hostabi.Version()) != 16 {
		t.Errorf("Version() = %q, want 16 hex digits", hostabi.Version())
	}
}

func checkParam(t *testing.T, where string, p hostabi.Param) {
	t.Helper()
	if !cIdent.MatchString(p.Name) {
		t.Errorf("%s: parameter %q is not a C identifier", where, p.Name)
	}
	switch p.Type {
	case hostabi.I32, hostabi.I64, hostabi.F32, hostabi.F64:
	default:
		t.Errorf("%s: parameter %s has no wasm type", where, p.Name)
	}
	switch p.Kind {
	case hostabi.KindPtr, hostabi.KindHandle:
		if p.Type != hostabi.I32 {
			t.Errorf("%s: %s is a pointer or handle, so must be i32 (wasm32)", where, p.Name)
		}
	case hostabi.KindFloat:
		if p.Type != hostabi.F32 && p.Type != hostabi.F64 {
			t.Errorf("%s: %s is a float of integer type %s", where, p.Name, p.Type)
		}
	case hostabi.KindInt, hostabi.KindUint:
		if p.Type != hostabi.I32 && p.Type != hostabi.I64 {
			t.Errorf("%s: %s is an integer of float type %s", where, p.Name, p.Type)
		}
	default:
		t.Errorf("%s: parameter %s has no Kind", where, p.Name)
	}
}

// TestFaasmSignatures pins the faasm module: guests built against an older
// header keep linking only as long as these stay put.
func TestFaasmSignatures(t *testing.T) {
	want := map[string]string{
		"read_call_input":   "(i32,i32)->i32",
		"write_call_output": "(i32,i32)->()",
		"fatal":             "(i32,i32,i32)->()",
	}
	for name, sig := range want {
		_, f, ok := hostabi.Lookup("faasm", name)
		if !ok {
			t.Errorf("faasm.%s missing", name)
			continue
		}
		if got := f.Signature(); got != sig {
			t.Errorf("faasm.%s: signature %s, want %s", name, got, sig)
		}
	}
}

// TestWASISignatures spot-checks the WASI table against the preview1 witx
// lowering (wasi-libc api.h), in particular the i64 positions that a
// hand-typed table gets wrong most easily.
func TestWASISignatures(t *testing.T) {
	want := map[string]string{
		"args_get":                "(i32,i32)->i32",
		"clock_time_get":          "(i32,i64,i32)->i32",
		"fd_seek":                 "(i32,i64,i32,i32)->i32",
		"fd_pread":                "(i32,i32,i32,i64,i32)->i32",
		"fd_readdir":              "(i32,i32,i32,i64,i32)->i32",
		"fd_advise":               "(i32,i64,i64,i32)->i32",
		"fd_filestat_set_times":   "(i32,i64,i64,i32)->i32",
		"path_open":               "(i32,i32,i32,i32,i32,i64,i64,i32,i32)->i32",
		"path_filestat_set_times": "(i32,i32,i32,i32,i64,i64,i32)->i32",
		"poll_oneoff":             "(i32,i32,i32,i32)->i32",
		"proc_exit":               "(i32)->()",
		"sched_yield":             "()->i32",
		"sock_recv":               "(i32,i32,i32,i32,i32,i32)->i32",
	}
	for name, sig := range want {
		_, f, ok := hostabi.Lookup("wasi_snapshot_preview1", name)
		if !ok {
			t.Errorf("wasi_snapshot_preview1.%s missing", name)
			continue
		}
		if got := f.Signature(); got != sig {
			t.Errorf("wasi_snapshot_preview1.%s: signature %s, want %s", name, got, sig)
		}
	}
}

func TestGoNames(t *testing.T) {
	tests := []struct{ in, fn, param string }{
		{"read_call_input", "ReadCallInput", "readCallInput"},
		{"buf_len", "BufLen", "bufLen"},
		{"type", "Type", "typeArg"},
		{"c", "C", "cArg"},
		{"stack", "Stack", "stackArg"},
	}
	for _, tt := range tests {
		if got := gen.GoName(tt.in); got != tt.fn {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.fn)
		}
		if got := gen.GoParamName(tt.in); got != tt.param {
			t.Errorf("GoParamName(%q) = %q, want %q", tt.in, got, tt.param)
		}
	}
	if got := gen.ConstGoName("MPI_COMM_WORLD"); got != "MPICommWorld" {
		t.Errorf("ConstGoName(MPI_COMM_WORLD) = %q", got)
	}
}
