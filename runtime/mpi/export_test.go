package mpi

// The C fast path as the faasmpi import calls it (fast_hooks.go).
var (
	FastSend         = fastSend
	FastRecv         = fastRecv
	FastBarrier      = fastBarrier
	FastBcast        = fastBcast
	FastAllgatherv   = fastAllgatherv
	FastAlltoall     = fastAlltoall
	FastReduceF64    = fastReduceF64
	FastRooted       = fastRooted
	FastAllreduceF64 = fastAllreduceF64
)

const (
	FastCollDone = fastCollDone
	FastCollGoOn = fastCollGoOn
	FastSum      = fastSum
	FastMax      = fastMax
)
