package toolchain

import (
	"errors"
	"fmt"
)

// exitError carries the exit status of a tool we ran (clang, make, ...):
// the tool has already printed its own diagnostics, so the driver exits with
// the same code and prints nothing more.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError is a mistake in the command line (an unsupported flag); it is
// printed as one line prefixed with the program name.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// ExitCode maps an error returned by Main's helpers to a process exit code.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return 1
	}
	return 0
}
