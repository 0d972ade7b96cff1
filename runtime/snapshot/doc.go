// Package snapshot holds a team's memory in a memfd and moves changes
// between copy-on-write replicas and the master as FDiffs.
package snapshot
