//go:build linux

package snapshot

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Replica is one thread's copy-on-write view of a snapshot (a thread on
// another host, or any thread under --omp-memory=private), with what it
// takes to ship its changes as diffs at every synchronisation point of an
// interval, not just once.
//
// Protocol (lazy release consistency), which the Replica relies on: the
// master (the memfd) only changes while its replicas are quiescent, i.e.
// between a barrier's or join's last Collect and the replicas' Refresh.
// A replica's unwritten pages follow the memfd, so a master write in the
// middle of an interval would leak into them and become this replica's
// "change" at its next Collect. Diffs that must reach a thread earlier
// (a lock or critical handed over) go to it with Apply, not via the master.
//
//	sync point                 replica call
//	release (unlock, end critical)   Collect -> ship to the next holder and queue for the master
//	acquire (lock, critical)         Apply(diffs of earlier holders)
//	barrier / join                   Collect -> Merger.Apply on the master -> all Refresh
//
// After Collect, the shipped bytes become the replica's new baseline (kept
// in private shadow copies of the pages concerned), so the next Collect
// sends only what changed since: a Sum region is not counted twice and a
// byte another holder overwrote later is not sent back stale.
//
// A Replica is used by one goroutine at a time.
type Replica struct {
	snap    *Snapshot
	master  *Mapping // MAP_SHARED view: B0 for pages without a shadow
	private *Mapping // MAP_PRIVATE: the thread's memory
	tracker DirtyTracker
	writes  *writeTracker // nil: find changes with tracker (see Collect)
	regions *Regions
	opts    DiffOptions

	shadow  map[int][]byte // page -> baseline since the last Collect/Apply
	touched *PageSet       // pages that may hold private copies
	dirty   *PageSet       // scratch
	extent  int            // bytes that may have been written (SetExtent)
}

// ReplicaOptions configure NewReplica.
type ReplicaOptions struct {
	// Target, if set, is memory to map the replica over (MAP_FIXED): the
	// thread's wasmtime linear memory. Nil maps it anywhere.
	Target []byte
	// Tracker finds dirty pages; nil means DefaultTracker.
	Tracker DirtyTracker
	// Regions are the team's merge regions; nil means none.
	Regions *Regions
	Diff    DiffOptions
}

// DefaultTracker returns the tracker that measured fastest (BenchmarkTracker,
// 256 MiB: 4-8x faster than comparing at 1-10% of pages dirty, the same at
// 100% where computing the diffs dominates): the pagemap tracker, shared by
// the process, or the page compare where /proc/self/pagemap cannot be read.
func DefaultTracker() DirtyTracker {
	defaultTrackerOnce.Do(func() {
		if pm, err := NewPagemapTracker(); err == nil {
			defaultTracker = pm
		} else {
			defaultTracker = CompareTracker{}
		}
	})
	return defaultTracker
}

var (
	defaultTrackerOnce sync.Once
	defaultTracker     DirtyTracker
)

// NewReplica maps a replica of the whole snapshot.
func NewReplica(s *Snapshot, opt ReplicaOptions) (*Replica, error) {
	size := int(s.Size())
	master, err := s.Map(Shared, 0, size)
	if err != nil {
		return nil, err
	}
	var private *Mapping
	if opt.Target != nil {
		if len(opt.Target) != size {
			master.Unmap()
			return nil, fmt.Errorf("snapshot: replica target has %d bytes, snapshot %d", len(opt.Target), size)
		}
		private, err = s.MapOver(Private, opt.Target, 0)
	} else {
		private, err = s.Map(Private, 0, size)
	}
	if err != nil {
		master.Unmap()
		return nil, err
	}
	r := &Replica{
		snap: s, master: master, private: private,
		tracker: opt.Tracker, regions: opt.Regions, opts: opt.Diff,
		shadow: map[int][]byte{},
	}
	if r.tracker == nil {
		r.tracker = DefaultTracker()
		if w, err := newWriteTracker(private.Bytes()); err == nil {
			r.writes = w
		}
	}
	npages := size / PageSize
	r.touched = NewPageSet(npages)
	r.dirty = NewPageSet(npages)
	r.extent = size
	return r, nil
}

// SetExtent says that the thread can only have written the first n bytes
// of the replica (its wasm memory's size; the mapping reaches further so
// that growth needs no remapping). Collect and Refresh then look for dirty
// pages there only, which makes them cost in proportion to the memory in
// use rather than to the reservation. A page written past the extent may
// go unnoticed.
func (r *Replica) SetExtent(n int) {
	n = (n + PageSize - 1) / PageSize * PageSize
	r.extent = min(max(n, 0), len(r.Bytes()))
}

// scanned is the part of the replica a dirty-page scan covers.
func (r *Replica) scanned() []byte { return r.Bytes()[:r.extent] }

// Bytes is the replica's memory.
func (r *Replica) Bytes() []byte { return r.private.Bytes() }

func (r *Replica) regionList() []Region {
	if r.regions == nil {
		return nil
	}
	return r.regions.List()
}

// baseline returns B0 for page p.
func (r *Replica) baseline(p int) []byte {
	if s, ok := r.shadow[p]; ok {
		return s
	}
	return r.master.Bytes()[p*PageSize : (p+1)*PageSize]
}

// Collect returns the diffs since the replica was mapped or last
// refreshed, collected, or given diffs, and makes them the new baseline.
func (r *Replica) Collect() (Batch, error) {
	mem := r.Bytes()
	r.dirty.Reset(r.dirty.Len())
	if r.writes != nil {
		// Only pages written since the last Collect or Refresh can differ
		// from their baseline: every other private page got a shadow equal
		// to its contents then (or from Apply, which updates both).
		if err := r.writes.written(r.extent, r.dirty); err != nil {
			return nil, err
		}
	} else {
		if err := r.tracker.Dirty(r.scanned(), r.master.Bytes(), r.dirty); err != nil {
			return nil, err
		}
		// Pages with a shadow can differ from it without differing from
		// the master (a compare tracker would miss them).
		for p := range r.shadow {
			r.dirty.Add(p)
		}
	}
	b := computeDiffs(mem, r.baseline, r.dirty, r.regionList(), r.opts)
	// Rebaseline every page a diff touched.
	for i := range b {
		first := int(b[i].Offset) / PageSize
		last := int(b[i].End()-1) / PageSize
		for p := first; p <= last; p++ {
			r.rebase(p, mem)
		}
	}
	// A dirty page without a diff (the thread stored the values it already
	// had, e.g. a reduction combining 0 into 0) still holds a private copy.
	// Without a shadow its baseline would be the master, and once a merge
	// changes the master that stale copy would ship as this thread's
	// change, undoing the merge. Its baseline is what it holds now.
	for p := r.dirty.Next(0); p >= 0; p = r.dirty.Next(p + 1) {
		r.touched.Add(p)
		if _, ok := r.shadow[p]; !ok {
			r.rebase(p, mem)
		}
	}
	return b, nil
}

// rebase makes page p's current contents its baseline.
func (r *Replica) rebase(p int, mem []byte) {
	s, ok := r.shadow[p]
	if !ok {
		s = make([]byte, PageSize)
		r.shadow[p] = s
	}
	copy(s, mem[p*PageSize:(p+1)*PageSize])
}

// Apply merges other threads' diffs (e.g. of earlier holders of a lock
// this thread acquires) into the replica and into its baseline, so they
// are not shipped back as this thread's changes.
func (r *Replica) Apply(b Batch) error {
	mem := r.Bytes()
	if err := checkBatch(mem, b); err != nil {
		return err
	}
	// Baseline first: pages without a shadow get one from the master
	// before the replica page changes.
	for i := range b {
		d := b[i]
		first := int(d.Offset) / PageSize
		last := int(d.End()-1) / PageSize
		tmp := make([]byte, (last-first+1)*PageSize)
		for p := first; p <= last; p++ {
			copy(tmp[(p-first)*PageSize:], r.baseline(p))
		}
		d.Offset -= uint64(first * PageSize)
		if err := ApplyTo(tmp, Batch{d}); err != nil {
			return err
		}
		for p := first; p <= last; p++ {
			s, ok := r.shadow[p]
			if !ok {
				s = make([]byte, PageSize)
				r.shadow[p] = s
			}
			copy(s, tmp[(p-first)*PageSize:])
			r.touched.Add(p)
		}
	}
	if err := ApplyTo(mem, b); err != nil {
		return err
	}
	// Patch and Xor skip unchanged bytes, so a page of a diff may not have been stored
	// to and still follow the master. Its shadow would then stop matching
	// it as soon as a merge changes the master, and the next Collect would
	// ship the merged bytes back as this thread's change. A store of nothing
	// gives it its private copy.
	for i := range b {
		first := int(b[i].Offset) / PageSize
		last := int(b[i].End()-1) / PageSize
		for p := first; p <= last; p++ {
			atomic.AddUint32((*uint32)(unsafe.Pointer(&mem[p*PageSize])), 0)
		}
	}
	return nil
}

// Refresh makes the replica equal to the master again, once the master has
// every thread's diffs (after a barrier or join): it drops the private
// copies of the pages this replica wrote or received (madvise, cost
// proportional to those pages) and forgets the shadows.
func (r *Replica) Refresh() error {
	// Pages written since the last Collect are private too.
	if r.writes != nil {
		if err := r.writes.written(r.extent, r.touched); err != nil {
			return err
		}
	} else if err := r.tracker.Dirty(r.scanned(), r.master.Bytes(), r.touched); err != nil {
		return err
	}
	for p := r.touched.Next(0); p >= 0; {
		q := p
		for q+1 < r.touched.Len() && r.touched.Has(q+1) {
			q++
		}
		if err := r.private.Discard(p*PageSize, (q-p+1)*PageSize); err != nil {
			return err
		}
		p = r.touched.Next(q + 1)
	}
	r.touched.Reset(r.touched.Len())
	clear(r.shadow)
	return nil
}

// ShadowPages lists the pages holding a private baseline (for tests and
// diagnostics).
func (r *Replica) ShadowPages() []int {
	out := make([]int, 0, len(r.shadow))
	for p := range r.shadow {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

// Close unmaps the replica (a Target range goes back to anonymous zero
// memory) and its master view. The Snapshot stays open.
func (r *Replica) Close() error {
	if r.writes != nil {
		r.writes.Close()
		r.writes = nil
	}
	err1 := r.private.Unmap()
	err2 := r.master.Unmap()
	if err1 != nil {
		return err1
	}
	return err2
}
