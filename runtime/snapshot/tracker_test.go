//go:build linux

package snapshot

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

var sink byte

// storeByte is a store the compiler cannot drop as a self-assignment.
//
//go:noinline
func storeByte(p *byte, v byte) { *p = v }

func describeEntry(e uint64) string {
	return fmt.Sprintf("present=%d swapped=%d file=%d exclusive=%d", e>>63&1, e>>62&1, e>>61&1, e>>56&1)
}

// TestPagemapBits is the empirical basis for PagemapTracker: it logs the
// flag bits of replica pages in each state and checks the ones relied on.
func TestPagemapBits(t *testing.T) {
	pm, err := NewPagemapTracker()
	require.NoError(t, err)
	defer pm.Close()
	page := PageSize
	s, err := New("bits", int64(8*page))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.WriteAt([]byte{1, 2, 3}, 0))
	master, err := s.Map(Shared, 0, 8*page)
	require.NoError(t, err)
	defer master.Unmap()
	replica, err := s.Map(Private, 0, 8*page)
	require.NoError(t, err)
	defer replica.Unmap()
	r := replica.Bytes()

	sink += r[1*page]                // read only
	r[2*page] = 9                    // written
	storeByte(&r[3*page], r[3*page]) // written back with the same byte
	r[4*page] = 1                    // written, then discarded
	master.Bytes()[5*page] = 4       // touched through the master only
	require.NoError(t, replica.Discard(4*page, page))
	sink += r[4*page]

	states := []struct {
		page        int
		name        string
		present     bool
		file, dirty bool
	}{
		{0, "untouched", false, false, false}, // presence depends on fault-around
		{1, "read", true, true, false},
		{2, "written", true, false, true},
		{3, "rewritten same", true, false, true},
		{4, "discarded+read", true, true, false},
		{5, "master-only", false, false, false},
	}
	for _, st := range states {
		e, err := pm.pagemapEntry(&r[st.page*page])
		require.NoError(t, err)
		t.Logf("replica page %-15s %s", st.name, describeEntry(e))
		if st.page == 0 || st.page == 5 {
			// Never touched through the replica: either not present, or
			// mapped read-only by fault-around as a file page. Never dirty.
			require.True(t, e&pmPresent == 0 || e&pmFile != 0, st.name)
			continue
		}
		require.Equal(t, st.present, e&pmPresent != 0, st.name)
		require.Equal(t, st.file, e&pmFile != 0, st.name)
	}
	// Bit 56 is set for a page-cache page mapped only here, so it cannot
	// tell written from read pages.
	e, err := pm.pagemapEntry(&r[page])
	require.NoError(t, err)
	t.Logf("read page exclusive bit = %d (why bit 56 is not used)", e>>56&1)

	set := NewPageSet(8)
	require.NoError(t, pm.Dirty(r, nil, set))
	require.Equal(t, []int{2, 3}, set.Pages())
	set.Reset(8)
	require.NoError(t, CompareTracker{}.Dirty(r, master.Bytes(), set))
	require.Equal(t, []int{2}, set.Pages(), "compare drops the page written with identical bytes")
}

// Both trackers against real MAP_PRIVATE replicas of a memfd: the pages
// written (with a changed byte) are exactly the pages reported.
func TestTrackersReportWrittenPages(t *testing.T) {
	pm, err := NewPagemapTracker()
	require.NoError(t, err)
	defer pm.Close()
	const npages = 300
	page := PageSize
	init := make([]byte, npages*page)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range init {
		init[i] = byte(rng.Uint32())
	}
	s, err := FromBytes("trackers", init)
	require.NoError(t, err)
	defer s.Close()
	master, err := s.Map(Shared, 0, npages*page)
	require.NoError(t, err)
	defer master.Unmap()

	for round := 0; round < 20; round++ {
		replica, err := s.Map(Private, 0, npages*page)
		require.NoError(t, err)
		r := replica.Bytes()
		want := map[int]bool{}
		// Read everything first: reads must not count.
		sum := 0
		for i := 0; i < len(r); i += page {
			sum += int(r[i])
		}
		_ = sum
		for k := rng.IntN(npages); k > 0; k-- {
			p := rng.IntN(npages)
			off := p*page + rng.IntN(page)
			r[off] ^= byte(1 + rng.IntN(255))
			want[p] = true
		}
		for _, tr := range []DirtyTracker{pm, CompareTracker{}} {
			set := NewPageSet(npages)
			require.NoError(t, tr.Dirty(r, master.Bytes(), set))
			got := map[int]bool{}
			for _, p := range set.Pages() {
				got[p] = true
			}
			require.Equal(t, want, got, "%s round %d", tr.Name(), round)
		}
		require.NoError(t, replica.Unmap())
	}
}

// Grown memory: pages past the snapshot are anonymous; both trackers report
// the written ones (compare against zeros), pagemap may add read ones.
func TestTrackersOnGrownAnonymousMemory(t *testing.T) {
	pm, err := NewPagemapTracker()
	require.NoError(t, err)
	defer pm.Close()
	page := PageSize
	mem, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	require.NoError(t, err)
	defer syscall.Munmap(mem)
	mem[2*page+5] = 1
	base := make([]byte, page) // the snapshot covered only page 0
	set := NewPageSet(4)
	require.NoError(t, pm.Dirty(mem, base, set))
	require.Equal(t, []int{2}, set.Pages())
	set.Reset(4)
	require.NoError(t, CompareTracker{}.Dirty(mem, base, set))
	require.Equal(t, []int{2}, set.Pages())
	// Comparing read the other pages, which mapped the shared zero page:
	// anonymous and present, so pagemap now over-reports them.
	set.Reset(4)
	require.NoError(t, pm.Dirty(mem, base, set))
	require.Contains(t, set.Pages(), 2)
}

func TestPageSet(t *testing.T) {
	s := NewPageSet(200)
	for _, p := range []int{0, 63, 64, 130, 199} {
		s.Add(p)
	}
	require.Equal(t, []int{0, 63, 64, 130, 199}, s.Pages())
	require.Equal(t, 5, s.Count())
	require.Equal(t, 130, s.Next(65))
	require.Equal(t, -1, s.Next(200))
	s.Reset(10)
	require.Equal(t, 0, s.Count())
	require.Equal(t, 10, s.Len())
}
