package mpi

// The C fast path as the faasmpi import calls it (fast_hooks.go).
var (
	FastSend = fastSend
	FastRecv = fastRecv
)
