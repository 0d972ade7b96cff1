package gen_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/wasm"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen"
	"github.com/faasm-go/faasm/hostabi/gen/internal/synth"
)

// TestHeadersCompileToTableImports is the cross-boundary check: it builds a
// guest that calls every prototype of every generated header (the committed
// ones, plus synth's for the types no real module uses yet) with clang-19 and
// wasm-ld-19, without --allow-undefined, and requires the module's imports
// to be exactly the table's (module, name, signature).
func TestHeadersCompileToTableImports(t *testing.T) {
	clang, err := exec.LookPath("clang-19")
	if err != nil {
		t.Skip("clang-19 not installed")
	}
	if _, err := exec.LookPath("wasm-ld-19"); err != nil {
		t.Skip("wasm-ld-19 not installed")
	}
	dir := t.TempDir()
	inc := filepath.Join(dir, "include")
	if err := os.MkdirAll(filepath.Join(inc, "faasm"), 0o755); err != nil {
		t.Fatal(err)
	}

	var mods []*hostabi.Module
	for _, m := range hostabi.Modules {
		if m.Provided || m == &synth.Module {
			continue
		}
		// The committed header, not a fresh rendering: that is what guests use.
		h, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(gen.HeaderPath(m))))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(inc, "faasm", "host_"+m.Name+".h"), h)
		mods = append(mods, m)
	}
	writeFile(t, filepath.Join(inc, "faasm", "host_synth.h"), gen.CHeader(&synth.Module))
	mods = append(mods, &synth.Module)

	var src strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&src, "#include <faasm/host_%s.h>\n", m.Name)
	}
	for _, m := range mods {
		for _, f := range m.Funcs {
			args := make([]string, len(f.Params))
			for i := range args {
				args[i] = "0"
			}
			fmt.Fprintf(&src, "__attribute__((export_name(\"use_%s_%s\"))) void use_%s_%s(void) { %s(%s); }\n",
				m.Name, f.Name, m.Name, f.Name, gen.CSymbol(m.Name, f.Name), strings.Join(args, ", "))
		}
	}
	for _, lang := range []string{"c", "c++"} {
		t.Run(lang, func(t *testing.T) {
			cfile := filepath.Join(dir, "uses."+map[string]string{"c": "c", "c++": "cc"}[lang])
			writeFile(t, cfile, []byte(src.String()))
			obj := filepath.Join(dir, "uses-"+lang+".o")
			out := filepath.Join(dir, "uses-"+lang+".wasm")
			run(t, clang, "--target=wasm32-wasi", "--sysroot=/usr", "-I", inc, "-x", lang,
				"-O1", "-Wall", "-Wextra", "-Werror", "-c", "-o", obj, cfile)
			run(t, "wasm-ld-19", "--no-entry", "-o", out, obj)
			bin, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			mod, err := binary.DecodeModule(bin, wasm.CoreFeaturesV2)
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, imp := range mod.ImportSection {
				if imp.Type != wasm.ExternTypeFunc {
					t.Errorf("unexpected %s import %s.%s", wasm.ExternTypeName(imp.Type), imp.Module, imp.Name)
					continue
				}
				ft := mod.TypeSection[imp.DescFunc]
				got = append(got, imp.Module+"."+imp.Name+hostabi.FormatSignature(vals(ft.Params), vals(ft.Results)))
			}
			for _, m := range mods {
				for i := range m.Funcs {
					want = append(want, m.Name+"."+m.Funcs[i].Name+m.Funcs[i].Signature())
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("imports differ from the table\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func vals(ts []wasm.ValueType) []hostabi.ValType {
	out := make([]hostabi.ValType, len(ts))
	for i, v := range ts {
		switch v {
		case wasm.ValueTypeI32:
			out[i] = hostabi.I32
		case wasm.ValueTypeI64:
			out[i] = hostabi.I64
		case wasm.ValueTypeF32:
			out[i] = hostabi.F32
		case wasm.ValueTypeF64:
			out[i] = hostabi.F64
		}
	}
	return out
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if b, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
