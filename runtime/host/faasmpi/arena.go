package faasmpi

import (
	"encoding/binary"
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// arena hands out the argument vectors (counts, displacements, types,
// block layouts) of the blocking collective in progress from memory the
// Host keeps from call to call. Allocating them on every call made the Go
// heap's shared structures a point where the ranks of a job, all in one
// process, contended: an 8-byte Allreduce at np 2 took 2.2 us with a few
// allocations per call and 1.0 us without.
//
// Only a blocking call may use it (begin ... end): what a non-blocking call
// resolves lives on in its request, so outside begin/end every method
// allocates.
type arena struct {
	on   bool
	ints []int
	i64  []int64
	tys  []*dt.Type
	blks []blocks

	entries  []*reqEntry
	reqs     []*mpi.Request
	statuses []mpi.Status
}

// begin starts a blocking call's use: everything handed out before is free.
func (a *arena) begin() {
	a.on = true
	a.ints, a.i64, a.tys, a.blks = a.ints[:0], a.i64[:0], a.tys[:0], a.blks[:0]
	a.entries, a.reqs, a.statuses = a.entries[:0], a.reqs[:0], a.statuses[:0]
}

// end stops handing out reused memory.
func (a *arena) end() { a.on = false }

// grab returns n zeroed elements at the end of *pool, growing it into a
// new backing array when full (slices handed out earlier keep the old one).
func grab[T any](on bool, pool *[]T, n int) []T {
	if !on {
		return make([]T, n)
	}
	p := *pool
	if len(p)+n > cap(p) {
		p = make([]T, 0, max(2*cap(p), n, 64))
	}
	s := p[len(p) : len(p)+n : len(p)+n]
	clear(s)
	*pool = p[:len(p)+n]
	return s
}

func (a *arena) intSlice(n int) []int       { return grab(a.on, &a.ints, n) }
func (a *arena) int64Slice(n int) []int64   { return grab(a.on, &a.i64, n) }
func (a *arena) typeSlice(n int) []*dt.Type { return grab(a.on, &a.tys, n) }
func (a *arena) newBlocks() *blocks         { return &grab(a.on, &a.blks, 1)[0] }

// oneType is the per-block type list of blocks that all have type t.
func (a *arena) oneType(t *dt.Type) []*dt.Type {
	ts := a.typeSlice(1)
	ts[0] = t
	return ts
}

// getInts is getInts into the arena.
func (a *arena) getInts(m []byte, p hostabi.GuestPtr, n int32, what string) ([]int, error) {
	if n < 0 {
		return nil, fmt.Errorf("%s: %d entries: %w", what, n, mpi.ErrCount)
	}
	b, err := view(m, p, 4*int64(n), what)
	if err != nil {
		return nil, err
	}
	out := a.intSlice(int(n))
	for i := range out {
		out[i] = int(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return out, nil
}
