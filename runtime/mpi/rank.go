package mpi

import (
	"fmt"
	"sync/atomic"
)

// Rank is one MPI process of a World, used from that rank's goroutine only
// (MPI_THREAD_FUNNELED). Its matching engine receives envelopes from the
// transport on other goroutines.
type Rank struct {
	w         *World
	id        int
	wt        *waiter
	sh        *rankShared // what the C fast path shares (fast.go)
	m         matcher
	out       []*ring // rings to local ranks, by world rank, made at first send (ring.go)
	world     *Comm
	self      *Comm
	finalized atomic.Bool
	exited    atomic.Bool
	bsend     bsendState
	scratch   []byte     // temporary for blocking collectives
	free      []*Request // recycled requests of blocking calls (p2p.go)
	nbFree    []*Request // recycled requests of Isend/Irecv (Rank.Recycle)
	cx        coll       // the blocking collective in progress (Comm.begin)
}

func newRank(w *World, id int) *Rank {
	r := &Rank{w: w, id: id}
	r.wt = newWaiter(w, id, "")
	r.sh = newRankShared(r, w, id)
	r.wt.sleeping = &r.sh.sleeping
	r.wt.activate()
	r.m.r = r
	r.m.queued = &r.sh.queued
	r.m.queuedFrom = r.sh.queuedFroms()
	r.m.byFrom = make([]*ring, w.size)
	r.m.needFrom = make([]atomic.Int32, w.size)
	r.wt.m = &r.m
	r.out = make([]*ring, w.size)
	r.world = &Comm{r: r, ctx: ctxWorld, group: worldGroup(w.size), rank: id, name: "MPI_COMM_WORLD"}
	r.self = &Comm{r: r, ctx: ctxSelf, group: &Group{ranks: []int{id}}, rank: 0, name: "MPI_COMM_SELF"}
	return r
}

// ID is the rank's number in MPI_COMM_WORLD.
func (r *Rank) ID() int { return r.id }

// World is the job the rank belongs to.
func (r *Rank) World() *World { return r.w }

// CommWorld is this rank's MPI_COMM_WORLD.
func (r *Rank) CommWorld() *Comm { return r.world }

// CommSelf is this rank's MPI_COMM_SELF.
func (r *Rank) CommSelf() *Comm { return r.self }

// Finalize ends the rank's participation (MPI_Finalize). Messages it still
// has to receive are dropped; ranks that later wait for it are reported as
// deadlocked rather than hanging.
func (r *Rank) Finalize() error {
	if r.finalized.Swap(true) {
		return fmt.Errorf("mpi.finalize: rank %d: %w", r.id, ErrFinalized)
	}
	r.wt.deactivate()
	return nil
}

// Finalized reports whether Finalize was called.
func (r *Rank) Finalized() bool { return r.finalized.Load() }

// Exit tells the world that the rank's Faaslet ended (returned, exited or
// trapped; why says how). Exiting without Finalize kills the job: every
// blocked or later blocking call of other ranks fails with ErrPeerDied naming
// this rank.
func (r *Rank) Exit(why error) {
	if r.exited.Swap(true) {
		return
	}
	if !r.finalized.Load() {
		if why == nil {
			why = fmt.Errorf("exited without MPI_Finalize")
		}
		r.w.fail(fmt.Errorf("mpi: rank %d died (%v): %w", r.id, why, ErrPeerDied))
	}
	r.wt.deactivate()
}

// Abort ends the whole job (MPI_Abort): every rank's blocked or next
// blocking call returns an error wrapping ErrAborted, and World.Done closes.
func (r *Rank) Abort(code int) {
	r.w.abortCode.Store(int64(code))
	r.w.aborted.Store(true)
	r.w.fail(fmt.Errorf("mpi: rank %d called MPI_Abort(code=%d): %w", r.id, code, ErrAborted))
}
