//go:build linux

package snapshot

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// PageSize is the host page size: the granularity of dirty tracking,
// copy-on-write and mapping offsets (4 KiB on amd64, not the 64 KiB wasm page).
var PageSize = os.Getpagesize()

const mfdCloexec = 0x1

// Snapshot is a team's memory held in a memfd. The memfd is the master copy:
// every MAP_SHARED view sees every write at once, and every MAP_PRIVATE view
// is a copy-on-write replica of it.
//
// A Snapshot is safe for concurrent use; Grow and Close serialise with the
// other methods.
type Snapshot struct {
	mu   sync.RWMutex
	fd   int
	size int64
}

// New creates an anonymous memfd-backed snapshot of size bytes (zero
// filled). name only shows in /proc/self/fd and /proc/self/maps.
func New(name string, size int64) (*Snapshot, error) {
	if size < 0 {
		return nil, fmt.Errorf("snapshot: negative size %d", size)
	}
	fd, err := memfdCreate(name)
	if err != nil {
		return nil, err
	}
	if err := ftruncate(fd, size); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return &Snapshot{fd: fd, size: size}, nil
}

// FromBytes creates a snapshot whose contents are a copy of data.
func FromBytes(name string, data []byte) (*Snapshot, error) {
	s, err := New(name, int64(len(data)))
	if err != nil {
		return nil, err
	}
	if err := s.WriteAt(data, 0); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func memfdCreate(name string) (int, error) {
	p, err := syscall.BytePtrFromString(name)
	if err != nil {
		return -1, fmt.Errorf("snapshot: memfd name: %w", err)
	}
	fd, _, errno := syscall.Syscall(sysMemfdCreate, uintptr(unsafe.Pointer(p)), mfdCloexec, 0)
	if errno != 0 {
		return -1, fmt.Errorf("snapshot: memfd_create: %w", errno)
	}
	return int(fd), nil
}

func ftruncate(fd int, size int64) error {
	for {
		err := syscall.Ftruncate(fd, size)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("snapshot: ftruncate to %d: %w", size, err)
		}
		return nil
	}
}

// ErrClosed is returned by operations on a closed Snapshot.
var ErrClosed = errors.New("snapshot: closed")

// Fd is the memfd, for callers that pass it on (e.g. to another process).
// It stays owned by the Snapshot.
func (s *Snapshot) Fd() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.fd
}

// Size is the current size in bytes.
func (s *Snapshot) Size() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.size
}

// Grow extends the snapshot to size bytes; the new bytes read as zero, like
// memory added by memory.grow. Existing mappings keep their length: map the
// new range separately (Map/MapOver with the old size as offset). Shrinking
// is refused because touching a mapping past the end of a memfd is SIGBUS.
func (s *Snapshot) Grow(size int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fd < 0 {
		return ErrClosed
	}
	if size < s.size {
		return fmt.Errorf("snapshot: cannot shrink from %d to %d bytes", s.size, size)
	}
	if size == s.size {
		return nil
	}
	if err := ftruncate(s.fd, size); err != nil {
		return err
	}
	s.size = size
	return nil
}

// WriteResident is WriteAt for p, a page-aligned range of anonymous
// memory, over a range of the snapshot that is still all zero (grown and
// never written): it writes only p's pages that were ever touched, present
// or swapped out (PagemapTracker), since the others read as zero and so
// already match.
//
// A guest that mallocs 64 MiB touches the block's header and little else
// before the team maps the memfd over it. Writing the whole range cost a
// copy of 64 MiB of zeros, filled the memfd with 4 KiB pages that a later
// huge-page fault then could not use, and held that memory even when the
// guest never touched it.
func (s *Snapshot) WriteResident(p []byte, off int64) error {
	n := (len(p) + PageSize - 1) / PageSize
	if n == 0 {
		return nil
	}
	touched := NewPageSet(n)
	pm, err := NewPagemapTracker()
	if err == nil {
		err = pm.Dirty(p, nil, touched)
		pm.Close()
	}
	if err != nil {
		return s.WriteAt(p, off)
	}
	for i := touched.Next(0); i >= 0; {
		j := i + 1
		for j < n && touched.Has(j) {
			j++
		}
		lo, hi := i*PageSize, min(j*PageSize, len(p))
		if err := s.WriteAt(p[lo:hi], off+int64(lo)); err != nil {
			return err
		}
		i = touched.Next(j)
	}
	return nil
}

// WriteAt copies p into the snapshot at off, growing it if p ends past the
// current size.
func (s *Snapshot) WriteAt(p []byte, off int64) error {
	if off < 0 {
		return fmt.Errorf("snapshot: negative offset %d", off)
	}
	if end := off + int64(len(p)); end > s.Size() {
		if err := s.Grow(end); err != nil {
			return err
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return ErrClosed
	}
	for len(p) > 0 {
		n, err := syscall.Pwrite(s.fd, p, off)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("snapshot: pwrite at %d: %w", off, err)
		}
		p, off = p[n:], off+int64(n)
	}
	return nil
}

// ReadAt fills p from the snapshot at off; bytes past the end read as an
// error, not as zeros.
func (s *Snapshot) ReadAt(p []byte, off int64) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.fd < 0 {
		return ErrClosed
	}
	if off < 0 || off+int64(len(p)) > s.size {
		return fmt.Errorf("snapshot: read [%d,%d) outside [0,%d)", off, off+int64(len(p)), s.size)
	}
	for len(p) > 0 {
		n, err := syscall.Pread(s.fd, p, off)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("snapshot: pread at %d: %w", off, err)
		}
		if n == 0 {
			return fmt.Errorf("snapshot: short read at %d", off)
		}
		p, off = p[n:], off+int64(n)
	}
	return nil
}

// Close releases the memfd. Mappings made from it stay valid (the kernel
// keeps the file alive while it is mapped) and must be unmapped separately.
func (s *Snapshot) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fd < 0 {
		return nil
	}
	err := syscall.Close(s.fd)
	s.fd = -1
	if err != nil {
		return fmt.Errorf("snapshot: close memfd: %w", err)
	}
	return nil
}
