package toolchain_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/faasm-go/faasm/internal/testbin"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs toolchain/testdata/script/*.txtar: real builds with the
// faasm and faasm-cc binaries and faasm-cc's links on PATH (testbin.Dir),
// run with `faasm run` and compared with native builds where [exec:cc].
// $FAASM_BIN is that directory.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("clang-19"); err != nil {
		t.Skip("clang-19 not installed (install Debian packages: make deps)")
	}
	if testing.Short() {
		t.Skip("builds real programs; skipped with -short")
	}
	dir := testbin.Dir(t)
	cache := t.TempDir() // one sysroot for all scripts
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("FAASM_CACHE", cache)
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("FAASM_BIN", dir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"iswasm": cmdIsWasm,
		},
	})
}

// cmdIsWasm checks that each file is a WebAssembly module (magic and version 1).
func cmdIsWasm(ts *testscript.TestScript, neg bool, args []string) {
	for _, f := range args {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		ok := bytes.HasPrefix(data, []byte("\x00asm\x01\x00\x00\x00"))
		if ok == neg {
			ts.Fatalf("%s: wasm module = %v", f, ok)
		}
	}
}
