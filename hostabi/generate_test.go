package hostabi_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen"
)

// TestGeneratedFilesUpToDate re-runs the generator in memory and compares
// with the committed files, so a table change without `go generate` fails CI
// instead of shipping a header and bindings that disagree with the linker.
func TestGeneratedFilesUpToDate(t *testing.T) {
	files, err := gen.Files(hostabi.Modules)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range gen.Paths(files) {
		got, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: %v (run: go generate ./hostabi)", p, err)
			continue
		}
		if !bytes.Equal(got, files[p]) {
			t.Errorf("%s is stale: first difference at line %d (run: go generate ./hostabi)", p, firstDiffLine(got, files[p]))
		}
	}
}

func firstDiffLine(a, b []byte) int {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// TestGeneratedFilesHeader checks every generated file carries the marker
// linters and reviewers rely on.
func TestGeneratedFilesHeader(t *testing.T) {
	files, err := gen.Files(hostabi.Modules)
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range files {
		first := strings.SplitN(string(b), "\n", 2)[0]
		if !strings.Contains(first, gen.Header) {
			t.Errorf("%s: first line %q lacks %q", p, first, gen.Header)
		}
	}
}
