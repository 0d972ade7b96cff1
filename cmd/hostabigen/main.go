// Command hostabigen writes the files derived from the hostabi table: C
// headers in sysroot/include/faasm, Go bindings in runtime/host/<module> and
// docs/hostabi.md. Run it with `go generate ./hostabi` (hostabi/gen.go), or
// `go run ./cmd/hostabigen -root .` from the repository root.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen"
)

func main() {
	// go generate runs in hostabi/, so the default root is its parent.
	root := flag.String("root", "..", "repository root to write into")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "hostabigen:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return fmt.Errorf("root %s: not the repository root (no go.mod): %w", root, err)
	}
	files, err := gen.Files(hostabi.Modules)
	if err != nil {
		return err
	}
	for _, p := range gen.Paths(files) {
		dst := filepath.Join(root, filepath.FromSlash(p))
		if old, err := os.ReadFile(dst); err == nil && string(old) == string(files[p]) {
			continue // leave mtimes alone so make and editors see no change
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, files[p], 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", p)
	}
	return nil
}
