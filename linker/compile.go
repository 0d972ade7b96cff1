package linker

import (
	"fmt"
	"os"
	"path/filepath"
)

// CompileFile reads the module at path, validates it within lim and returns
// its artefact from cache (compiling with comp on a miss). It is what
// `faasm compile` and `faasm run` do before instantiating. Errors are
// prefixed with the file's base name.
func CompileFile(path string, lim Limits, comp Compiler, cache *Cache) (*Entry, *Report, error) {
	name := filepath.Base(path)
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err // *PathError already names the file
	}
	rep, err := Validate(wasm, lim)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	entry, err := cache.Get(wasm, comp)
	if err != nil {
		return nil, rep, fmt.Errorf("%s: %w", name, err)
	}
	return entry, rep, nil
}
