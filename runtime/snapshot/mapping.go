//go:build linux

package snapshot

import (
	"fmt"
	"sync"
	"syscall"
	"unsafe"
)

// Mode says how a Mapping relates to its Snapshot.
type Mode int

const (
	// Shared maps MAP_SHARED: the master view. Writes go to the memfd and are
	// seen by every other shared view at once.
	Shared Mode = iota
	// Private maps MAP_PRIVATE: a copy-on-write replica. Reads see the
	// memfd; the first write to a page gives the replica its own anonymous
	// copy of that page, which the memfd never sees. Pages not yet written
	// keep following the memfd (Linux semantics), which is why the master
	// must only change while its replicas are quiescent (see Replica).
	Private
)

func (m Mode) String() string {
	if m == Private {
		return "private"
	}
	return "shared"
}

// Mapping is one mmap of (a range of) a Snapshot.
type Mapping struct {
	mu    sync.Mutex
	data  []byte
	mode  Mode
	off   int64
	fixed bool
}

// Map maps length bytes of the snapshot starting at off anywhere in the
// address space. off must be page aligned and the range inside the
// snapshot: touching a mapping past the end of a memfd is SIGBUS.
func (s *Snapshot) Map(mode Mode, off int64, length int) (*Mapping, error) {
	return s.mapAt(mode, 0, off, length)
}

// MapOver maps the snapshot from off over the memory of target with
// MAP_FIXED, replacing whatever was mapped there. This is how the runtime
// puts team memory under a wasmtime linear memory: target is the instance's
// memory (its base does not move, wasmtime reserves 4 GiB). target must start
// on a page boundary and be a whole number of pages long.
//
// Unmap on such a mapping does not munmap (that would punch a hole in the
// owner's reservation that any later mmap could land in): it maps fresh
// anonymous zero pages over the range instead.
func (s *Snapshot) MapOver(mode Mode, target []byte, off int64) (*Mapping, error) {
	if len(target) == 0 {
		return nil, fmt.Errorf("snapshot: map over an empty range")
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(target)))
	if addr%uintptr(PageSize) != 0 {
		return nil, fmt.Errorf("snapshot: map over %#x: not page aligned", addr)
	}
	return s.mapAt(mode, addr, off, len(target))
}

func (s *Snapshot) mapAt(mode Mode, addr uintptr, off int64, length int) (*Mapping, error) {
	if length <= 0 || length%PageSize != 0 {
		return nil, fmt.Errorf("snapshot: map length %d is not a positive multiple of the page size %d", length, PageSize)
	}
	if off < 0 || off%int64(PageSize) != 0 {
		return nil, fmt.Errorf("snapshot: map offset %d is not page aligned", off)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return nil, ErrClosed
	}
	if off+int64(length) > s.size {
		return nil, fmt.Errorf("snapshot: map [%d,%d) past the snapshot size %d", off, off+int64(length), s.size)
	}
	flags := syscall.MAP_SHARED
	if mode == Private {
		flags = syscall.MAP_PRIVATE
	}
	if addr != 0 {
		flags |= syscall.MAP_FIXED
	}
	p, err := mmap(addr, length, syscall.PROT_READ|syscall.PROT_WRITE, flags, s.fd, off)
	if err != nil {
		return nil, fmt.Errorf("snapshot: mmap %s [%d,%d): %w", mode, off, off+int64(length), err)
	}
	return &Mapping{data: unsafe.Slice((*byte)(p), length), mode: mode, off: off, fixed: addr != 0}, nil
}

func mmap(addr uintptr, length, prot, flags, fd int, off int64) (unsafe.Pointer, error) {
	r, _, errno := syscall.Syscall6(syscall.SYS_MMAP, addr, uintptr(length), uintptr(prot),
		uintptr(flags), uintptr(fd), uintptr(off))
	if errno != 0 {
		return nil, errno
	}
	// The kernel hands back an address outside the Go heap; unsafe.Add from
	// nil turns it into a pointer without a uintptr->Pointer conversion.
	return unsafe.Add(unsafe.Pointer(nil), r), nil
}

// Bytes is the mapped memory. It is invalid after Unmap.
func (m *Mapping) Bytes() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.data
}

// Mode is Shared or Private.
func (m *Mapping) Mode() Mode { return m.mode }

// Offset is the snapshot offset of the first mapped byte.
func (m *Mapping) Offset() int64 { return m.off }

// Discard drops the replica's private copies of the pages in
// [off, off+length) (madvise MADV_DONTNEED), so they read the snapshot's
// current contents again. It costs work proportional to the pages that were
// copied, unlike a remap of the whole range. On a Shared mapping it only
// drops page-table entries; the contents do not change.
func (m *Mapping) Discard(off, length int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return fmt.Errorf("snapshot: discard on an unmapped mapping")
	}
	if off < 0 || length < 0 || off%PageSize != 0 || off+length > len(m.data) {
		return fmt.Errorf("snapshot: discard [%d,%d) invalid for a %d byte mapping", off, off+length, len(m.data))
	}
	if length == 0 {
		return nil
	}
	if err := syscall.Madvise(m.data[off:off+length], syscall.MADV_DONTNEED); err != nil {
		return fmt.Errorf("snapshot: madvise dontneed: %w", err)
	}
	return nil
}

// Unmap releases the mapping. For a MapOver mapping the range is replaced
// by anonymous zero memory instead, leaving the owner's reservation intact.
// Unmap is idempotent.
func (m *Mapping) Unmap() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(m.data)))
	length := len(m.data)
	if m.fixed {
		_, err := mmap(addr, length, syscall.PROT_READ|syscall.PROT_WRITE,
			syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_FIXED, -1, 0)
		if err != nil {
			return fmt.Errorf("snapshot: replace mapping at %#x with anonymous memory: %w", addr, err)
		}
	} else {
		if _, _, errno := syscall.Syscall(syscall.SYS_MUNMAP, addr, uintptr(length), 0); errno != 0 {
			return fmt.Errorf("snapshot: munmap %#x: %w", addr, errno)
		}
	}
	m.data = nil
	return nil
}
