// Package cachedir locates faasm's on-disk cache, shared by the compiler
// driver (assembled sysroots) and the runtime (AOT-compiled modules).
package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env names the variable that overrides the cache location.
const Env = "FAASM_CACHE"

// Dir returns the cache root: $FAASM_CACHE, else $XDG_CACHE_HOME/faasm, else
// ~/.cache/faasm. It does not create it.
func Dir() (string, error) {
	if d := os.Getenv(Env); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache directory: %w (set %s)", err, Env)
	}
	return filepath.Join(base, "faasm"), nil
}

// Sub returns (and creates) a named directory inside the cache root.
func Sub(name string) (string, error) {
	root, err := Dir()
	if err != nil {
		return "", err
	}
	d := filepath.Join(root, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	return d, nil
}
