//go:build linux

package snapshot

import (
	"bytes"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func openFds(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

func TestSnapshotSharedAndPrivate(t *testing.T) {
	page := PageSize
	s, err := New("test", int64(4*page))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.WriteAt(bytes.Repeat([]byte{7}, page), int64(page)))

	master, err := s.Map(Shared, 0, 4*page)
	require.NoError(t, err)
	defer master.Unmap()
	other, err := s.Map(Shared, 0, 4*page)
	require.NoError(t, err)
	defer other.Unmap()
	replica, err := s.Map(Private, 0, 4*page)
	require.NoError(t, err)
	defer replica.Unmap()

	m, o, r := master.Bytes(), other.Bytes(), replica.Bytes()
	require.Equal(t, byte(7), m[page])
	require.Equal(t, byte(7), r[page])

	// Shared views see each other at once.
	m[0] = 1
	require.Equal(t, byte(1), o[0])
	// A replica's writes stay private.
	r[2*page] = 9
	require.Equal(t, byte(0), m[2*page])
	buf := make([]byte, 1)
	require.NoError(t, s.ReadAt(buf, int64(2*page)))
	require.Equal(t, byte(0), buf[0])
	// A page the replica has not written follows the memfd (Linux semantics
	// for MAP_PRIVATE file mappings); a written page no longer does.
	m[3*page] = 5
	require.Equal(t, byte(5), r[3*page])
	m[2*page+1] = 6
	require.Equal(t, byte(0), r[2*page+1])

	// Discard drops the private copy: the page reads the memfd again.
	require.NoError(t, replica.Discard(2*page, page))
	require.Equal(t, byte(0), r[2*page])
	require.Equal(t, byte(6), r[2*page+1])
}

func TestSnapshotGrowAndMapTail(t *testing.T) {
	page := PageSize
	s, err := FromBytes("grow", bytes.Repeat([]byte{1}, page))
	require.NoError(t, err)
	defer s.Close()
	require.EqualValues(t, page, s.Size())
	_, err = s.Map(Shared, 0, 2*page)
	require.Error(t, err, "mapping past the end must be refused, not SIGBUS later")
	require.NoError(t, s.Grow(3*int64(page)))
	require.Error(t, s.Grow(int64(page)))
	tail, err := s.Map(Shared, int64(page), 2*page)
	require.NoError(t, err)
	defer tail.Unmap()
	require.Equal(t, make([]byte, 2*page), tail.Bytes())
	require.NoError(t, s.WriteAt([]byte{3}, 5*int64(page))) // grows
	require.EqualValues(t, 5*page+1, s.Size())
}

// TestWriteResidentSkipsUntouchedPages publishes a freshly grown anonymous
// range: the memfd must read back exactly what the range holds, while
// pages never touched stay unallocated in it (a write of the whole range
// would allocate all 64).
func TestWriteResidentSkipsUntouchedPages(t *testing.T) {
	page, n := PageSize, 64
	mem, err := syscall.Mmap(-1, 0, n*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
	require.NoError(t, err)
	defer syscall.Munmap(mem)
	for _, p := range []int{0, 5, 6, 63} {
		mem[p*page+7] = byte(p + 1)
	}
	s, err := FromBytes("resident", bytes.Repeat([]byte{9}, page))
	require.NoError(t, err)
	defer s.Close()
	off := int64(page)
	require.NoError(t, s.Grow(off+int64(n*page)))
	require.NoError(t, s.WriteResident(mem, off))

	got := make([]byte, n*page)
	require.NoError(t, s.ReadAt(got, off))
	require.True(t, bytes.Equal(mem, got), "memfd differs from the published range")
	var st syscall.Stat_t
	require.NoError(t, syscall.Fstat(s.Fd(), &st))
	allocated := int(st.Blocks*512) / page
	require.LessOrEqual(t, allocated, 1+4, "pages allocated in the memfd: the first page and the 4 touched ones")
}

func TestMapOverReplacesAndRestores(t *testing.T) {
	page := PageSize
	// Stand-in for a wasmtime linear memory: anonymous memory we do not own.
	region, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	require.NoError(t, err)
	defer syscall.Munmap(region)
	region[0] = 42

	s, err := FromBytes("over", bytes.Repeat([]byte{8}, 4*page))
	require.NoError(t, err)
	defer s.Close()
	shared, err := s.MapOver(Shared, region[page:3*page], int64(page))
	require.NoError(t, err)
	require.Equal(t, &region[page], &shared.Bytes()[0])
	require.Equal(t, byte(8), region[page])
	region[page] = 9
	buf := make([]byte, 1)
	require.NoError(t, s.ReadAt(buf, int64(page)))
	require.Equal(t, byte(9), buf[0])
	require.Equal(t, byte(42), region[0], "bytes outside the range are untouched")

	require.NoError(t, shared.Unmap())
	require.NoError(t, shared.Unmap())
	// The range is still mapped (zeros), so the owner's reservation is intact.
	require.Equal(t, byte(0), region[page])
	region[page] = 1

	priv, err := s.MapOver(Private, region[:page], 0)
	require.NoError(t, err)
	region[0] = 3
	require.NoError(t, s.ReadAt(buf, 0))
	require.Equal(t, byte(8), buf[0])
	require.NoError(t, priv.Unmap())

	_, err = s.MapOver(Shared, region[1:page+1], 0)
	require.Error(t, err)
	_, err = s.Map(Shared, 1, page)
	require.Error(t, err)
	_, err = s.Map(Shared, 0, page+1)
	require.Error(t, err)
}

func TestNoFdLeak(t *testing.T) {
	before := openFds(t)
	for i := 0; i < 50; i++ {
		s, err := New("leak", int64(PageSize))
		require.NoError(t, err)
		m, err := s.Map(Private, 0, PageSize)
		require.NoError(t, err)
		m.Bytes()[0] = 1
		require.NoError(t, s.Close())
		require.NoError(t, s.Close())
		// The mapping outlives the fd.
		require.Equal(t, byte(1), m.Bytes()[0])
		require.NoError(t, m.Unmap())
		_, err = s.Map(Shared, 0, PageSize)
		require.ErrorIs(t, err, ErrClosed)
	}
	require.Equal(t, before, openFds(t))
}
