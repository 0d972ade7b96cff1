package gen_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen"
	"github.com/faasm-go/faasm/hostabi/gen/internal/synth"
)

var update = flag.Bool("update", false, "rewrite internal/synth/zz_generated.go")

// TestSynthUpToDate keeps the committed bindings of the synthetic module in
// step with the generator, so synth's own tests run what gen writes today.
func TestSynthUpToDate(t *testing.T) {
	got, err := gen.GoBindings(&synth.Module)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("internal", "synth", "zz_generated.go")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale (run: go test ./hostabi/gen -update)", path)
	}
}

func TestCHeader_synth(t *testing.T) {
	h := string(gen.CHeader(&synth.Module))
	for _, want := range []string{
		"#ifndef FAASM_HOST_SYNTH_H",
		"#include <stdint.h>",
		"int64_t __synth_mix(int32_t a, uint32_t b, int64_t c, uint64_t d, const void *p, int32_t type)\n" +
			`    __attribute__((__import_module__("synth"), __import_name__("mix")));`,
		"double __synth_scale(float x, double y)",
		"void __synth_halt(void)\n" + `    __attribute__((__noreturn__, __import_module__("synth"), __import_name__("halt")));`,
		"#define SYN_ANSWER (42)",
		"#define SYN_MIN ((-0x7fffffff - 1))",
		"#define SYN_BIG (1099511627776LL)",
		" * Support: partial. only finite values",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q\n%s", want, h)
		}
	}
}

func TestDocs(t *testing.T) {
	d := string(gen.Docs([]*hostabi.Module{&hostabi.Faasm, &hostabi.WASI}))
	for _, want := range []string{
		"## `faasm`",
		"| `fatal` | `(i32,i32,i32)->()` (noreturn) | `void __faasm_fatal(const char *msg, uint32_t msg_len, int32_t exit_code)",
		"## `wasi_snapshot_preview1`",
		"Provided by wasmtime",
		"| `fd_seek` | `(i32,i64,i32,i32)->i32` | full |",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("docs lack %q", want)
		}
	}
}
