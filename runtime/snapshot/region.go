package snapshot

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// Region is a merge region: bytes [Offset, Offset+Length) hold Length/size
// values of Type that merge with Op instead of the default Xor. Reduction
// variables are regions (registered from what __kmpc_reduce receives: one
// per reduction list entry, with its size), so is any array section.
type Region struct {
	Offset uint64
	Length uint64
	Type   DataType
	Op     MergeOp
}

// End is one past the region's last byte.
func (r Region) End() uint64 { return r.Offset + r.Length }

func (r Region) String() string {
	return fmt.Sprintf("[%d,%d) %s %s", r.Offset, r.End(), r.Type, r.Op)
}

func (r Region) validate() error {
	if !validOp(r.Type, r.Op) || r.Op == Patch {
		return fmt.Errorf("snapshot: region %s: op not valid for the type", r)
	}
	if r.Length == 0 || r.Length%uint64(r.Type.Size()) != 0 {
		return fmt.Errorf("snapshot: region %s: length is not a positive multiple of %d", r, r.Type.Size())
	}
	if r.Offset+r.Length < r.Offset {
		return fmt.Errorf("snapshot: region %s: end overflows", r)
	}
	return nil
}

// Regions is the registry of a team's merge regions. Every thread of a team
// registers the same reduction variables, so adding an identical region is
// a no-op; a region that overlaps a different one is an error (the bytes
// could not have one meaning). Readers (diffing) never block: List returns
// an immutable sorted slice that writers replace copy-on-write.
type Regions struct {
	mu  sync.Mutex
	cur atomic.Pointer[[]Region]
}

// Add registers r.
func (rs *Regions) Add(r Region) error {
	if err := r.validate(); err != nil {
		return err
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	old := rs.List()
	i, _ := slices.BinarySearchFunc(old, r.Offset, func(x Region, off uint64) int {
		switch {
		case x.Offset < off:
			return -1
		case x.Offset > off:
			return 1
		}
		return 0
	})
	if i < len(old) && old[i] == r {
		return nil
	}
	if i > 0 && old[i-1].End() > r.Offset {
		return fmt.Errorf("snapshot: region %s overlaps %s", r, old[i-1])
	}
	if i < len(old) && old[i].Offset < r.End() {
		return fmt.Errorf("snapshot: region %s overlaps %s", r, old[i])
	}
	next := make([]Region, 0, len(old)+1)
	next = append(append(append(next, old[:i]...), r), old[i:]...)
	rs.cur.Store(&next)
	return nil
}

// Remove drops the region that starts at offset, if any.
func (rs *Regions) Remove(offset uint64) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	old := rs.List()
	i := slices.IndexFunc(old, func(x Region) bool { return x.Offset == offset })
	if i < 0 {
		return
	}
	next := slices.Delete(slices.Clone(old), i, i+1)
	rs.cur.Store(&next)
}

// Clear drops every region (e.g. at the end of a parallel region).
func (rs *Regions) Clear() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.cur.Store(nil)
}

// List is the registered regions sorted by offset. It must not be modified.
func (rs *Regions) List() []Region {
	if p := rs.cur.Load(); p != nil {
		return *p
	}
	return nil
}
