// Package testbin builds the project's binaries once per test process so
// end-to-end tests run exactly what a user runs.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	once   sync.Once
	dir    string
	buildE error
	output []byte
)

// Dir returns a directory holding `faasm`, `faasm-cc` and the faasm-cc tool
// links (faasm-c++, faasm-mpicc, ...), building them on first use. Put it
// first on PATH for script tests.
func Dir(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		dir, buildE = os.MkdirTemp("", "faasm-testbin-")
		if buildE != nil {
			return
		}
		root := moduleRoot()
		cmd := exec.Command("go", "build", "-o", dir, "./cmd/faasm", "./cmd/faasm-cc")
		cmd.Dir = root
		if output, buildE = cmd.CombinedOutput(); buildE != nil {
			return
		}
		output, buildE = exec.Command(filepath.Join(dir, "faasm-cc"), "install-links", dir).CombinedOutput()
	})
	if buildE != nil {
		t.Fatalf("building binaries: %v\n%s", buildE, output)
	}
	return dir
}

// Root is the repository root.
func Root() string { return moduleRoot() }

func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}
