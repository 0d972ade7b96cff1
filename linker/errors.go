package linker

import (
	"errors"
	"strings"
)

// Sentinels a ValidationError wraps, for callers that branch on the kind of
// failure (errors.Is).
var (
	// ErrNotWasm: the bytes are not a WebAssembly binary at all.
	ErrNotWasm = errors.New("not a WebAssembly module")
	// ErrCorrupt: a WebAssembly binary that cannot be decoded.
	ErrCorrupt = errors.New("corrupt module")
	// ErrInvalid: a well-formed module faasm cannot run (imports, exports, memory).
	ErrInvalid = errors.New("invalid module")
)

// ValidationError lists every problem Validate found, so a user fixes them
// in one round rather than one per run.
type ValidationError struct {
	Problems []string
	kind     error
}

// Error lists the problems one per line.
func (e *ValidationError) Error() string { return strings.Join(e.Problems, "\n") }

// Unwrap returns ErrNotWasm, ErrCorrupt or ErrInvalid.
func (e *ValidationError) Unwrap() error { return e.kind }
