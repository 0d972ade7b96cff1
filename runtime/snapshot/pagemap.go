//go:build linux

package snapshot

import (
	"encoding/binary"
	"fmt"
	"sync"
	"syscall"
	"unsafe"
)

// Bits of a /proc/self/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
const (
	pmPresent   = 1 << 63 // page present in RAM
	pmSwapped   = 1 << 62 // page in swap (or a migration entry)
	pmFile      = 1 << 61 // file page or shared anonymous page
	pmExclusive = 1 << 56 // page mapped by exactly one process
)

// PagemapTracker finds the pages a MAP_PRIVATE file replica has written by
// reading /proc/self/pagemap, without mprotect or signals (wasmtime and the
// Go runtime own SIGSEGV).
//
// It relies on bit 61 ("file-page or shared-anon") alone: a replica page
// that was only read maps the memfd's page-cache page and has bit 61 set;
// the first write copies it into a private anonymous page and bit 61 clears.
// A page is dirty when it is present or swapped (bit 63 or 62) and bit 61 is
// clear; a page never touched has neither and is clean. Bit 56 (exclusively
// mapped) is no use: a page-cache page mapped by one process has it too.
// The flag bits are readable without CAP_SYS_ADMIN (only the PFN is zeroed).
// TestPagemapBits checks all of this on the running kernel.
//
// It over-reports in two ways, which the diff step's byte compare absorbs:
// a page written back with its original bytes stays anonymous, and on
// anonymous memory (not a file mapping, e.g. grown wasm memory) a page that
// was only read maps the shared zero page, which has no file bit either.
// It must only be used on mem that is a private file mapping or anonymous.
type PagemapTracker struct {
	fd   int
	bufs sync.Pool
}

// pagemapChunk is how many entries one pread fetches: 512 KiB of entries
// for 256 MiB of memory would be a large transient buffer for no speed gain.
const pagemapChunk = 8192

// NewPagemapTracker opens /proc/self/pagemap. Close it when done.
func NewPagemapTracker() (*PagemapTracker, error) {
	fd, err := syscall.Open("/proc/self/pagemap", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("snapshot: open pagemap: %w", err)
	}
	t := &PagemapTracker{fd: fd}
	t.bufs.New = func() any { b := make([]byte, pagemapChunk*8); return &b }
	return t, nil
}

// Name implements DirtyTracker.
func (t *PagemapTracker) Name() string { return "pagemap" }

// Close releases the pagemap file.
func (t *PagemapTracker) Close() error {
	if t.fd < 0 {
		return nil
	}
	err := syscall.Close(t.fd)
	t.fd = -1
	if err != nil {
		return fmt.Errorf("snapshot: close pagemap: %w", err)
	}
	return nil
}

// Dirty implements DirtyTracker; base is not read. mem must start on a page
// boundary.
func (t *PagemapTracker) Dirty(mem, base []byte, dirty *PageSet) error {
	if len(mem) == 0 {
		return nil
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	if addr%uintptr(PageSize) != 0 {
		return fmt.Errorf("snapshot: pagemap on %#x: not page aligned", addr)
	}
	npages := (len(mem) + PageSize - 1) / PageSize
	bp := t.bufs.Get().(*[]byte)
	defer t.bufs.Put(bp)
	buf := *bp
	first := addr / uintptr(PageSize)
	for p := 0; p < npages; {
		n := min(npages-p, pagemapChunk)
		if err := t.read(buf[:n*8], int64(first+uintptr(p))*8); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			e := binary.LittleEndian.Uint64(buf[i*8:])
			if e&(pmPresent|pmSwapped) != 0 && e&pmFile == 0 {
				dirty.Add(p + i)
			}
		}
		p += n
	}
	return nil
}

func (t *PagemapTracker) read(b []byte, off int64) error {
	for len(b) > 0 {
		n, err := syscall.Pread(t.fd, b, off)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("snapshot: read pagemap at %d: %w", off, err)
		}
		if n == 0 || n%8 != 0 {
			return fmt.Errorf("snapshot: short pagemap read (%d bytes) at %d", n, off)
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

// pagemapEntry returns the raw entry for the page holding addr (for tests).
func (t *PagemapTracker) pagemapEntry(p *byte) (uint64, error) {
	var b [8]byte
	addr := uintptr(unsafe.Pointer(p))
	if err := t.read(b[:], int64(addr/uintptr(PageSize))*8); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}
