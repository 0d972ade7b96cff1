//go:build linux

package snapshot

import (
	"fmt"
	"syscall"
	"unsafe"
)

// writeTracker finds the pages of one mapping that were written since it
// last looked, with no signal handler: the range is registered with a
// userfaultfd in asynchronous write-protect mode (the kernel lifts the
// protection of a page on its first write and notes it, Linux 6.7+), and
// the PAGEMAP_SCAN ioctl returns the written pages and protects them again
// in one step. A Replica uses it so that a Collect costs in proportion to
// the pages written since the previous one; the pagemap tracker can only
// tell which pages are private, and every private page must then be
// compared with its baseline at every Collect, which made a thread that
// had touched a few hundred pages pay for all of them at each lock release.
type writeTracker struct {
	uffd int
	pm   int // /proc/self/pagemap
	base uintptr
	size int
	regs [256]pageRegion
}

// Kernel ABI (include/uapi/linux/userfaultfd.h and fs.h).
const (
	uffdAPI                  = 0xAA
	uffdFeatureWPUnpopulated = 1 << 13
	uffdFeatureWPAsync       = 1 << 15
	uffdioAPI                = 0xc018aa3f
	uffdioRegister           = 0xc020aa00
	uffdioWriteprotect       = 0xc018aa06
	uffdRegisterModeWP       = 1 << 1
	uffdWriteprotectModeWP   = 1 << 0
	pagemapScan              = 0xc0606610
	pmScanWPMatching         = 1 << 0
	pmScanCheckWPAsync       = 1 << 1
	pageIsWritten            = 1 << 1
)

type pmScanArg struct {
	size, flags, start, end, walkEnd, vec, vecLen, maxPages       uint64
	categoryInverted, categoryMask, categoryAnyofMask, returnMask uint64
}

type pageRegion struct{ start, end, categories uint64 }

func ioctlPtr(fd int, req uintptr, arg unsafe.Pointer) (uintptr, error) {
	r, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
	if e != 0 {
		return r, e
	}
	return r, nil
}

// newWriteTracker write-protects mem, which must be page aligned. It fails
// where userfaultfd or PAGEMAP_SCAN is missing or not allowed; callers fall
// back to the pagemap tracker.
func newWriteTracker(mem []byte) (*writeTracker, error) {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	if len(mem) == 0 || base%uintptr(PageSize) != 0 || len(mem)%PageSize != 0 {
		return nil, fmt.Errorf("snapshot: write tracking needs whole pages")
	}
	fd, _, e := syscall.Syscall(sysUserfaultfd, syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0, 0)
	if e != 0 {
		return nil, fmt.Errorf("snapshot: userfaultfd: %w", e)
	}
	w := &writeTracker{uffd: int(fd), pm: -1, base: base, size: len(mem)}
	api := [3]uint64{uffdAPI, uffdFeatureWPUnpopulated | uffdFeatureWPAsync, 0}
	if _, err := ioctlPtr(w.uffd, uffdioAPI, unsafe.Pointer(&api)); err != nil {
		w.Close()
		return nil, fmt.Errorf("snapshot: userfaultfd asynchronous write protection: %w", err)
	}
	reg := [4]uint64{uint64(base), uint64(len(mem)), uffdRegisterModeWP, 0}
	if _, err := ioctlPtr(w.uffd, uffdioRegister, unsafe.Pointer(&reg)); err != nil {
		w.Close()
		return nil, fmt.Errorf("snapshot: userfaultfd register: %w", err)
	}
	pm, err := syscall.Open("/proc/self/pagemap", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("snapshot: open pagemap: %w", err)
	}
	w.pm = pm
	wp := [3]uint64{uint64(base), uint64(len(mem)), uffdWriteprotectModeWP}
	if _, err := ioctlPtr(w.uffd, uffdioWriteprotect, unsafe.Pointer(&wp)); err != nil {
		w.Close()
		return nil, fmt.Errorf("snapshot: userfaultfd write-protect: %w", err)
	}
	// Probe PAGEMAP_SCAN once so that an old kernel fails here, not at the
	// first Collect.
	if err := w.written(PageSize, NewPageSet(1)); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// written adds the pages of [0, end) written since the last call to into,
// and write-protects them again.
func (w *writeTracker) written(end int, into *PageSet) error {
	end = min(end, w.size)
	start := uint64(w.base)
	stop := uint64(w.base) + uint64(end)
	for start < stop {
		a := pmScanArg{
			size: uint64(unsafe.Sizeof(pmScanArg{})), flags: pmScanWPMatching | pmScanCheckWPAsync,
			start: start, end: stop, vec: uint64(uintptr(unsafe.Pointer(&w.regs[0]))), vecLen: uint64(len(w.regs)),
			categoryMask: pageIsWritten, returnMask: pageIsWritten,
		}
		n, err := ioctlPtr(w.pm, pagemapScan, unsafe.Pointer(&a))
		if err != nil {
			return fmt.Errorf("snapshot: PAGEMAP_SCAN: %w", err)
		}
		for _, r := range w.regs[:n] {
			into.AddRange(int(r.start-uint64(w.base))/PageSize, int(r.end-uint64(w.base))/PageSize)
		}
		if a.walkEnd <= start {
			return fmt.Errorf("snapshot: PAGEMAP_SCAN made no progress at %#x", start)
		}
		start = a.walkEnd
	}
	return nil
}

// Close releases the userfaultfd (which unregisters the range).
func (w *writeTracker) Close() error {
	if w.pm >= 0 {
		syscall.Close(w.pm)
		w.pm = -1
	}
	if w.uffd >= 0 {
		err := syscall.Close(w.uffd)
		w.uffd = -1
		return err
	}
	return nil
}
