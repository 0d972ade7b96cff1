package linker_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/linker"
)

var writeSeeds = flag.Bool("writeseeds", false, "rewrite testdata/fuzz/FuzzValidate seeds")

// TestValidate_clangModule checks a real wasi-libc + faasm guest passes:
// its WASI imports are the table's signatures as wasi-libc lowers them.
func TestValidate_clangModule(t *testing.T) {
	bin, err := os.ReadFile(filepath.Join("testdata", "hello.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := linker.Validate(bin, linker.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, im := range rep.Imports {
		names = append(names, im.Module+"."+im.Name)
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"faasm.read_call_input", "faasm.fatal", "wasi_snapshot_preview1.fd_write", "wasi_snapshot_preview1.proc_exit"} {
		if !strings.Contains(got, want) {
			t.Errorf("imports %s lack %s", got, want)
		}
	}
}

// seeds are the starting corpus: valid modules, and each kind of damage.
func seeds(t testing.TB) map[string][]byte {
	hello, err := os.ReadFile(filepath.Join("testdata", "hello.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	valid := validMod().bytes()
	typo := validMod()
	typo.imports[0].name = "read_call_inptu"
	return map[string][]byte{
		"valid_tiny":      valid,
		"valid_clang":     hello,
		"truncated_tiny":  valid[:len(valid)-3],
		"truncated_clang": hello[:len(hello)/2],
		"bad_magic":       []byte("\x7fELF\x02\x01\x01\x00\x00\x00"),
		"bad_import":      typo.bytes(),
		"huge_count":      []byte("\x00asm\x01\x00\x00\x00\x06\x05\xff\xff\xff\xff\x0f"),
		"shared_memory":   []byte("\x00asm\x01\x00\x00\x00\x05\x04\x01\x03\x01\x01"),
	}
}

// TestWriteFuzzSeeds keeps the committed corpus in step with seeds().
func TestWriteFuzzSeeds(t *testing.T) {
	if !*writeSeeds {
		t.Skip("run with -writeseeds to rewrite the corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzValidate")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range seeds(t) {
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzValidate: Validate must never panic or hang, and must either accept
// with a consistent report or reject with a *ValidationError.
func FuzzValidate(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := linker.Validate(b, linker.Limits{})
		if err != nil {
			ve, ok := err.(*linker.ValidationError)
			if !ok || len(ve.Problems) == 0 {
				t.Fatalf("error %T %v is not a ValidationError with problems", err, err)
			}
			return
		}
		if rep.Size != len(b) || rep.MemoryMinPages > rep.MemoryMaxPages {
			t.Fatalf("inconsistent report %+v", rep)
		}
	})
}
