package engine

// Private mode (--omp-memory=private): every member's linear memory is a
// MAP_PRIVATE copy-on-write replica of the memfd (snapshot.Replica), and
// changes move only as FDiffs. The protocol that keeps the replicas'
// baselines valid (the master changes only while the replicas are
// quiescent) is runtime/job's; this file gives it the operations.

import (
	"errors"
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/snapshot"
)

// PrivateHeadroom is how far a private-mode team's memory may grow past its
// size at the first fork. Every replica maps that much of the memfd at once:
// growth by one thread then needs no remapping (its new pages are already
// part of its replica, and ship with its next Collect), and other threads
// only grow their instance to the team's size. The price: mapped memory
// beyond an instance's size is accessible, so an out-of-bounds access there
// does not trap in private mode, and growth past the headroom is an error.
const PrivateHeadroom = 1 << 30

const maxWasmMemory = 4<<30 - wasmPage

// mapPrivate gives v a replica of the memfd over [0, end). Called with
// t.mu held, before the member runs.
func (t *TeamMemory) mapPrivate(v memView, end int64) error {
	if t.replicas[v.f] != nil {
		return nil
	}
	end = t.snap.Size()
	r, err := snapshot.NewReplica(t.snap, snapshot.ReplicaOptions{Target: v.bytes(0, end), Regions: &t.regions})
	if err != nil {
		return err
	}
	t.replicas[v.f] = r
	v.f.mapped = end
	return nil
}

// syncPrivate keeps every member's instance as large as the largest.
func (t *TeamMemory) syncPrivate(v memView) error {
	cur := v.size()
	if v.f.mapped != 0 && cur == t.size.Load() {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur > t.snap.Size() {
		return fmt.Errorf("--omp-memory=private: linear memory grew to %d MiB, past the %d MiB reserved for the team (run with --omp-memory=shared)",
			cur>>20, t.snap.Size()>>20)
	}
	if cur > t.size.Load() {
		t.size.Store(cur)
	}
	if err := v.grow(t.size.Load()); err != nil {
		return err
	}
	if v.f.mapped == 0 {
		return t.mapPrivate(v, t.snap.Size())
	}
	return nil
}

func (t *TeamMemory) replica(c hostabi.Caller) (*snapshot.Replica, error) {
	v, err := callerMem(c)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.replicas[v.f]
	if r == nil {
		return nil, errors.New("team memory: caller has no private replica")
	}
	// The caller cannot have written past its instance's size, which
	// Sync keeps at the team's.
	r.SetExtent(int(max(v.size(), t.size.Load())))
	return r, nil
}

// Collect returns the caller's changes since its last Collect, Apply or Refresh.
func (t *TeamMemory) Collect(c hostabi.Caller) (snapshot.Batch, error) {
	r, err := t.replica(c)
	if err != nil {
		return snapshot.Batch{}, err
	}
	return r.Collect()
}

// Apply gives the caller other members' changes (a lock hand-over).
func (t *TeamMemory) Apply(c hostabi.Caller, b snapshot.Batch) error {
	r, err := t.replica(c)
	if err != nil {
		return err
	}
	return r.Apply(b)
}

// ApplyFaaslet is Apply for a member that is not running (a thread being
// started, given what its starter has).
func (t *TeamMemory) ApplyFaaslet(f *Faaslet, b snapshot.Batch) error {
	t.mu.Lock()
	r := t.replicas[f]
	if r != nil {
		r.SetExtent(int(t.size.Load()))
	}
	t.mu.Unlock()
	if r == nil {
		return errors.New("team memory: thread has no private replica")
	}
	return r.Apply(b)
}

// Refresh makes the caller's replica equal to the master again. Collect
// first: its own unshipped changes (its stack included) are dropped.
func (t *TeamMemory) Refresh(c hostabi.Caller) error {
	r, err := t.replica(c)
	if err != nil {
		return err
	}
	return r.Refresh()
}

// TakePending returns and clears the batches parked by replicas that were
// re-created after growth.
func (t *TeamMemory) TakePending() []snapshot.Batch {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.pending
	t.pending = nil
	return p
}

// Merge applies batches to the master copy. Only call it while every
// replica with unshipped changes on the pages concerned is quiescent.
func (t *TeamMemory) Merge(batches ...snapshot.Batch) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	m, err := t.masterLocked()
	if err != nil {
		return err
	}
	for _, b := range batches {
		if err := m.Apply(b); err != nil {
			return fmt.Errorf("merging diffs: %w", err)
		}
	}
	return nil
}

// WriteMaster writes p into the master copy at off (atomic words flushed at
// a barrier). Same rule as Merge.
func (t *TeamMemory) WriteMaster(p []byte, off int64) error {
	return t.snap.WriteAt(p, off)
}

func (t *TeamMemory) masterLocked() (*snapshot.Merger, error) {
	size := t.snap.Size()
	if t.merger == nil || t.masterSize != size {
		// Old views stay mapped: a concurrent reader may still hold one.
		m, err := t.snap.Map(snapshot.Shared, 0, int(size))
		if err != nil {
			return nil, err
		}
		if t.merger == nil {
			t.merger = snapshot.NewMerger(m.Bytes())
		} else {
			t.merger.SetMemory(m.Bytes())
		}
		t.masterSize = size
	}
	return t.merger, nil
}

// ClearRegions drops every merge region (at the end of a parallel region).
func (t *TeamMemory) ClearRegions() { t.regions.Clear() }

// AddRegion registers a typed merge region (a reduction variable).
func (t *TeamMemory) AddRegion(r snapshot.Region) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.regions.Add(r)
}
