package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRun writes the generated tree into an empty root and refuses a
// directory that is not a repository root.
func TestRun(t *testing.T) {
	root := t.TempDir()
	if err := run(root); err == nil {
		t.Fatal("run accepted a root without go.mod")
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(root); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"docs/hostabi.md", "runtime/host/faasm/zz_generated.go", "sysroot/include/faasm/host_faasm.h"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Error(err)
		}
	}
}
