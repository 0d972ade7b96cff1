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
	s, _, _ = strings.Cut(s, "Stack backtrace:")
	head, causes, _ := strings.Cut(s, "Caused by:")
	head, _, _ = strings.Cut(head, "\n")
	cause := ""
	for _, l := range strings.Split(causes, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			cause = dropIndex(t)
		}
	}
	return joinCause(strings.TrimSpace(head), cause)
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
