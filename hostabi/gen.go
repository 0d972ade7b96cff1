package hostabi

// The C headers, Go bindings and docs derived from this table are committed;
// TestGeneratedFilesUpToDate fails when they are stale.
//go:generate go run ../cmd/hostabigen -root ..
