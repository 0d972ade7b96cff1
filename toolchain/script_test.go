package toolchain_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/faasm-go/faasm/internal/testbin"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs toolchain/testdata/script/*.txtar: real builds with the
// faasm-cc binary and its links on PATH. Conditions:
//
//	[runtime]  `faasm run` works (the runtime is built): run the modules
//	[exec:X]   X is installed (cmake, make, autoreconf, cc)
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("clang-19"); err != nil {
		t.Skip("clang-19 not installed (install Debian packages: make deps)")
	}
	if testing.Short() {
		t.Skip("builds real programs; skipped with -short")
	}
	dir, runtime := toolDir(t)
	cache := t.TempDir() // one sysroot for all scripts
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("FAASM_CACHE", cache)
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "runtime" {
				return runtime, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
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

var (
	soloOnce sync.Once
	soloDir  string
	soloErr  error
	soloOut  []byte
)

// toolDir returns a directory with faasm-cc and its links, and whether the
// faasm runtime is in it too. It uses testbin.Dir (faasm and faasm-cc)
// when ./cmd/faasm builds; while the runtime is being written it builds
// faasm-cc alone, and scripts skip what needs [runtime].
func toolDir(t *testing.T) (string, bool) {
	root := testbin.Root()
	build := exec.Command("go", "build", "-o", os.DevNull, "./cmd/faasm")
	build.Dir = root
	if out, err := build.CombinedOutput(); err == nil {
		return testbin.Dir(t), true
	} else {
		t.Logf("./cmd/faasm does not build yet; testing faasm-cc alone:\n%s", firstLines(out, 5))
	}
	soloOnce.Do(func() {
		if soloDir, soloErr = os.MkdirTemp("", "faasm-cc-test-"); soloErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", soloDir, "./cmd/faasm-cc")
		cmd.Dir = root
		if soloOut, soloErr = cmd.CombinedOutput(); soloErr != nil {
			return
		}
		soloOut, soloErr = exec.Command(filepath.Join(soloDir, "faasm-cc"), "install-links", soloDir).CombinedOutput()
	})
	if soloErr != nil {
		t.Fatalf("building faasm-cc: %v\n%s", soloErr, soloOut)
	}
	return soloDir, false
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
