package engine

import (
	"errors"
	"strings"
)

// wasmtimeError reduces a wasmtime error to one line. Its text is a headline,
// then a "Caused by:" list from general to specific, then (with
// RUST_BACKTRACE set, as it is on many machines) a Rust stack backtrace of
// dozens of lines that tells a user nothing about their module. The
// headline says where (which function) and the last cause says what, so the
// line is the two joined.
func wasmtimeError(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(summarize(err.Error()))
}

func summarize(s string) string {
	lines := strings.Split(s, "\n")
	head := strings.TrimSpace(lines[0])
	cause := ""
	inCauses := false
	for _, l := range lines[1:] {
		t := strings.TrimSpace(l)
		switch {
		case t == "Caused by:":
			inCauses = true
		case t == "" || strings.HasPrefix(t, "Stack backtrace:"):
			if cause != "" {
				return joinCause(head, cause)
			}
			inCauses = inCauses && t == ""
		case inCauses:
			cause = dropIndex(t)
		}
	}
	return joinCause(head, cause)
}

// dropIndex strips the "N: " wasmtime puts before each cause when there are
// several.
func dropIndex(t string) string {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && strings.HasPrefix(t[i:], ": ") {
		return t[i+2:]
	}
	return t
}

func joinCause(head, cause string) string {
	head = strings.TrimSuffix(head, ":")
	switch {
	case cause == "":
		return head
	case head == "":
		return cause
	}
	return head + ": " + cause
}
