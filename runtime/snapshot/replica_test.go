//go:build linux

package snapshot

import (
	"encoding/binary"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// trackers are the ways a replica can find its changes: nil is the
// default, userfaultfd write tracking where the kernel has it.
func trackers(t *testing.T) []DirtyTracker {
	pm, err := NewPagemapTracker()
	require.NoError(t, err)
	t.Cleanup(func() { pm.Close() })
	return []DirtyTracker{pm, CompareTracker{}, nil}
}

func trackerName(tr DirtyTracker) string {
	if tr == nil {
		return "writes"
	}
	return tr.Name()
}

// privateTrackers are the trackers that see a page stored to with its own
// bytes (the compare tracker cannot).
func privateTrackers(t *testing.T) []DirtyTracker {
	pm, err := NewPagemapTracker()
	require.NoError(t, err)
	t.Cleanup(func() { pm.Close() })
	return []DirtyTracker{pm, nil}
}

// TestWriteTrackerAvailable says whether the default replica tracks writes
// with userfaultfd here (Linux 6.7+), so the "writes" subtests are not
// silently the pagemap ones.
func TestWriteTrackerAvailable(t *testing.T) {
	s, err := New("replica", int64(4*PageSize))
	require.NoError(t, err)
	defer s.Close()
	r, err := NewReplica(s, ReplicaOptions{})
	require.NoError(t, err)
	defer r.Close()
	if r.writes == nil {
		_, err := newWriteTracker(r.Bytes())
		t.Skipf("userfaultfd write tracking unavailable, replicas use pagemap: %v", err)
	}
	r.Bytes()[2*PageSize] = 1
	set := NewPageSet(4)
	require.NoError(t, r.writes.written(4*PageSize, set))
	require.Equal(t, []int{2}, set.Pages())
	set = NewPageSet(4)
	require.NoError(t, r.writes.written(4*PageSize, set))
	require.Empty(t, set.Pages(), "a scan protects the written pages again")
}

// Two threads on replicas, a barrier, then a second interval.
func TestReplicaBarrierIntervals(t *testing.T) {
	for _, tr := range trackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			s, err := New("replica", int64(16*page))
			require.NoError(t, err)
			defer s.Close()
			var regions Regions
			sumOff := 10*page + 8
			require.NoError(t, regions.Add(Region{Offset: uint64(sumOff), Length: 8, Type: I64, Op: Sum}))
			master, err := s.Map(Shared, 0, 16*page)
			require.NoError(t, err)
			defer master.Unmap()
			merger := NewMerger(master.Bytes())

			opt := ReplicaOptions{Tracker: tr, Regions: &regions}
			a, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer a.Close()
			b, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer b.Close()

			for interval := 1; interval <= 3; interval++ {
				// Interleaved bytes on one page, whole pages, and the sum.
				am, bm := a.Bytes(), b.Bytes()
				for i := 0; i < page; i += 2 {
					am[i] = byte(interval)
					bm[i+1] = byte(interval + 100)
				}
				am[3*page+interval] = 1
				bm[5*page+interval] = 2
				addI64(am, sumOff, 10)
				addI64(bm, sumOff, 1)

				ba, err := a.Collect()
				require.NoError(t, err)
				bb, err := b.Collect()
				require.NoError(t, err)
				require.NoError(t, merger.Apply(ba))
				require.NoError(t, merger.Apply(bb))
				require.NoError(t, a.Refresh())
				require.NoError(t, b.Refresh())

				mm := master.Bytes()
				for _, mem := range [][]byte{mm, a.Bytes(), b.Bytes()} {
					require.Equal(t, byte(interval), mem[0])
					require.Equal(t, byte(interval+100), mem[1])
					require.Equal(t, byte(1), mem[3*page+interval])
					require.Equal(t, byte(2), mem[5*page+interval])
					require.EqualValues(t, 11*interval, binary.LittleEndian.Uint64(mem[sumOff:]))
				}
				// Nothing left to ship after a refresh.
				empty, err := a.Collect()
				require.NoError(t, err)
				require.Empty(t, empty)
				require.Empty(t, a.ShadowPages())
			}
		})
	}
}

func addI64(mem []byte, off int, v int64) {
	binary.LittleEndian.PutUint64(mem[off:], binary.LittleEndian.Uint64(mem[off:])+uint64(v))
}

// A critical section handed from A to B within one interval: B sees A's
// writes, nothing is shipped twice, and the master ends up right whatever
// order the batches merge in.
func TestReplicaLockHandover(t *testing.T) {
	for _, tr := range trackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			s, err := New("handover", int64(4*page))
			require.NoError(t, err)
			defer s.Close()
			var regions Regions
			sumOff := 2 * page
			require.NoError(t, regions.Add(Region{Offset: uint64(sumOff), Length: 8, Type: I64, Op: Sum}))
			opt := ReplicaOptions{Tracker: tr, Regions: &regions}
			a, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer a.Close()
			b, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer b.Close()

			// A holds the lock: x = 1, sum += 5; releases.
			a.Bytes()[100] = 1
			addI64(a.Bytes(), sumOff, 5)
			a.Bytes()[page+7] = 9 // outside the critical section
			rel1, err := a.Collect()
			require.NoError(t, err)
			// B acquires: receives A's diffs, sees x == 1, sets x = 2, sum += 7.
			require.NoError(t, b.Apply(rel1))
			require.Equal(t, byte(1), b.Bytes()[100])
			require.EqualValues(t, 5, binary.LittleEndian.Uint64(b.Bytes()[sumOff:]))
			b.Bytes()[100] = 2
			addI64(b.Bytes(), sumOff, 7)
			rel2, err := b.Collect()
			require.NoError(t, err)
			// Barrier: each thread ships what is left.
			bar1, err := a.Collect()
			require.NoError(t, err)
			bar2, err := b.Collect()
			require.NoError(t, err)
			require.Empty(t, bar1, "A's critical writes were shipped at release")
			require.Empty(t, bar2)

			master, err := s.Map(Shared, 0, 4*page)
			require.NoError(t, err)
			defer master.Unmap()
			m := NewMerger(master.Bytes())
			for _, batch := range []Batch{rel1, rel2, bar1, bar2} {
				require.NoError(t, m.Apply(batch))
			}
			mm := master.Bytes()
			require.Equal(t, byte(2), mm[100])
			require.Equal(t, byte(9), mm[page+7])
			require.EqualValues(t, 12, binary.LittleEndian.Uint64(mm[sumOff:]))
		})
	}
}

// A replica mapped over memory it does not own (a wasmtime memory
// stand-in) and released back to anonymous memory; no fds leak.
func TestReplicaOverTargetNoLeak(t *testing.T) {
	page := PageSize
	DefaultTracker() // opens the process-wide pagemap fd once
	before := openFds(t)
	region, err := syscall.Mmap(-1, 0, 8*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	require.NoError(t, err)
	defer syscall.Munmap(region)
	for i := 0; i < 20; i++ {
		s, err := FromBytes("target", make([]byte, 8*page))
		require.NoError(t, err)
		r, err := NewReplica(s, ReplicaOptions{Target: region})
		require.NoError(t, err)
		require.Equal(t, &region[0], &r.Bytes()[0])
		region[page] = 1
		b, err := r.Collect()
		require.NoError(t, err)
		require.Len(t, b, 1)
		require.NoError(t, r.Close())
		require.NoError(t, s.Close())
		require.Equal(t, byte(0), region[page])
	}
	_, err = NewReplica(&Snapshot{fd: -1}, ReplicaOptions{})
	require.Error(t, err)
	require.Equal(t, before, openFds(t))
}

// A thread that stores the values a page already holds (a reduction
// combining 0 into 0) gets a private copy of it with nothing to ship. When a
// merge of another thread's diffs later changes that page in the master,
// the stale private copy must not ship as this thread's change: seen as
// OpenMP workers undoing the initial thread's stores to its own stack.
func TestReplicaUnchangedStoreThenMerge(t *testing.T) {
	for _, tr := range privateTrackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			s, master := newMaster(t, "replica", 4*page)
			merger := NewMerger(master)
			opt := ReplicaOptions{Tracker: tr}
			w, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer w.Close()
			m, err := NewReplica(s, opt)
			require.NoError(t, err)
			defer m.Close()

			w.Bytes()[page+8] = 0 // the page becomes private, unchanged
			b, err := w.Collect()
			require.NoError(t, err)
			require.Empty(t, b)

			m.Bytes()[page+100] = 42
			bm, err := m.Collect()
			require.NoError(t, err)
			require.NoError(t, merger.Apply(bm))
			require.NoError(t, m.Refresh())

			// w was parked over the merge; its next interval starts now.
			b, err = w.Collect()
			require.NoError(t, err)
			require.Empty(t, b, "w shipped bytes it never wrote")
			require.NoError(t, merger.Apply(b))
			require.Equal(t, byte(42), master[page+100])
			require.NoError(t, w.Refresh())
			require.Equal(t, byte(42), w.Bytes()[page+100])
		})
	}
}

// A received diff must leave the page private on the receiver even where
// its Xor bytes are all zero, or the page's shadow stops matching it at
// the next merge.
func TestReplicaApplyZeroPageThenMerge(t *testing.T) {
	for _, tr := range privateTrackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			s, master := newMaster(t, "replica", 4*page)
			merger := NewMerger(master)
			w, err := NewReplica(s, ReplicaOptions{Tracker: tr})
			require.NoError(t, err)
			defer w.Close()

			// A diff over pages 1 and 2 that changes bytes on page 1 only.
			d := Diff{Offset: uint64(page), Data: make([]byte, 2*page), Type: Raw, Op: Xor}
			d.Data[5] = 7
			require.NoError(t, w.Apply(Batch{d}))
			master[2*page+9] = 3 // a merge while w holds the shadow
			b, err := w.Collect()
			require.NoError(t, err)
			require.Empty(t, b, "w shipped the master's bytes back")
			require.NoError(t, merger.Apply(b))
			require.Equal(t, byte(3), master[2*page+9])
		})
	}
}

// SetExtent bounds the dirty-page scan.
func TestReplicaExtent(t *testing.T) {
	for _, tr := range privateTrackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			s, err := New("replica", int64(8*page))
			require.NoError(t, err)
			defer s.Close()
			r, err := NewReplica(s, ReplicaOptions{Tracker: tr})
			require.NoError(t, err)
			defer r.Close()
			r.SetExtent(2*page + 1) // rounds up to 3 pages
			r.Bytes()[2*page+5] = 1
			b, err := r.Collect()
			require.NoError(t, err)
			require.Len(t, b, 1)
			require.EqualValues(t, 2*page+5, b[0].Offset)
			r.Bytes()[2*page+6] = 2 // a page with a shadow, written again
			b, err = r.Collect()
			require.NoError(t, err)
			require.Len(t, b, 1)
			require.EqualValues(t, 2*page+6, b[0].Offset)
			require.NoError(t, r.Refresh())
			require.Equal(t, byte(0), r.Bytes()[2*page+6])
		})
	}
}
