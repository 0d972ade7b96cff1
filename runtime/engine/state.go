package engine

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// State is a Faaslet's guest state at a point where no call is running: a
// copy of its linear memory and the values of its exported mutable globals.
// It is the lifecycle's snapshot step: a warm pool takes one after
// instantiating (and any initialisation call), runs a request, and restores
// it before the next, so every request starts from the same state without
// paying for a new instance.
//
// Globals the module does not export cannot be read through wasmtime's API
// and are not in the State. faasm-cc exports __stack_pointer for this: a
// run that ends in exit() or a trap leaves it wherever the guest was, and
// without the export every such run would lose that much stack for good.
// WASI state (open files, the environment) is the store's and stays as it
// is. A State restores into Faaslets of the module it came from.
//
// Restoring costs what the run changed, not the memory's size: pages that
// were zero at the snapshot are dropped (madvise), so they read as zero
// again, and only the pages that held data are copied back. A module's
// 8 MiB stack thus costs nothing when the run used a little of it.
type State struct {
	module  *wasmtime.Module
	size    int          // bytes of linear memory at the snapshot
	pages   []savedPages // runs of pages copied back on restore
	zero    []span       // runs of pages dropped on restore
	globals []savedGlobal
}

type span struct{ off, end int }

type savedPages struct {
	off  int
	data []byte
}

type savedGlobal struct {
	name string
	v    wasmtime.Val
}

// MemoryBytes is the size of the linear memory the State holds.
func (s *State) MemoryBytes() int { return s.size }

// CopiedBytes is how much of it Restore copies back.
func (s *State) CopiedBytes() int {
	n := 0
	for _, p := range s.pages {
		n += len(p.data)
	}
	return n
}

var errBusy = errors.New("engine: the Faaslet is running a call")

// Snapshot copies the Faaslet's state. It must not be called from a host
// function: the guest is mid-call there, with values in locals and on its
// shadow stack that a later Restore would not bring back.
func (f *Faaslet) Snapshot() (*State, error) {
	if f.sp != 0 {
		return nil, errBusy
	}
	if f.mapped > 0 {
		return nil, errors.New("engine: a team member's memory is shared with its team; snapshot the team memory instead")
	}
	if os.Getpagesize() != hostPage {
		return nil, fmt.Errorf("engine: snapshot: host pages of %d bytes (want %d)", os.Getpagesize(), hostPage)
	}
	s := &State{module: f.module}
	if f.memory != nil {
		v := memView{f: f, st: f.store}
		if err := s.saveMemory(v.bytes(0, v.size())); err != nil {
			return nil, err
		}
	}
	for _, ex := range f.module.Exports() {
		g := f.mutableGlobal(ex.Name())
		if g == nil {
			continue
		}
		s.globals = append(s.globals, savedGlobal{name: ex.Name(), v: g.Get(f.store)})
	}
	return s, nil
}

// Restore puts back a State taken from this Faaslet. Memory cannot shrink,
// so bytes a run grew the memory by are zeroed (what a fresh instance
// would read there) and stay allocated.
func (f *Faaslet) Restore(s *State) error {
	if f.sp != 0 {
		return errBusy
	}
	if f.mapped > 0 {
		return errors.New("engine: a team member's memory is shared with its team; it cannot be restored alone")
	}
	// Which zero pages may be dropped was checked against the module's
	// copy-on-write data image, which other modules do not share.
	if s.module != f.module {
		return errors.New("engine: restore: the State was taken from another module")
	}
	for _, sg := range s.globals {
		g := f.mutableGlobal(sg.name)
		if g == nil {
			return fmt.Errorf("engine: restore: no mutable global %q", sg.name)
		}
		if err := g.Set(f.store, sg.v); err != nil {
			return fmt.Errorf("engine: restore global %s: %w", sg.name, err)
		}
	}
	if f.memory == nil {
		return nil
	}
	// Another instance's State can be larger than this memory.
	v := memView{f: f, st: f.store}
	if err := v.grow(int64(s.size)); err != nil {
		return fmt.Errorf("engine: restore: %w", err)
	}
	mem := v.bytes(0, v.size())
	for _, p := range s.pages {
		copy(mem[p.off:], p.data)
	}
	for _, z := range s.zero {
		if err := dropPages(mem[z.off:z.end]); err != nil {
			return err
		}
	}
	// What the run grew the memory by lies beyond any data image.
	return dropPages(mem[s.size:])
}

// saveMemory splits mem into pages to copy and pages to drop. A dropped
// page reads as zero afterwards only where the mapping is anonymous: where
// wasmtime maps the module's data image copy-on-write, it reads as the
// image. So each zero page is dropped now, and any that then reads nonzero
// is zeroed and copied on restore instead.
func (s *State) saveMemory(mem []byte) error {
	s.size = len(mem)
	var zero []span
	for off := 0; off < len(mem); off += hostPage {
		if allZero(mem[off : off+hostPage]) {
			zero = appendSpan(zero, off, off+hostPage)
			continue
		}
		s.addPages(mem, off)
	}
	for _, z := range zero {
		if err := dropPages(mem[z.off:z.end]); err != nil {
			return err
		}
		for off := z.off; off < z.end; off += hostPage {
			if page := mem[off : off+hostPage]; !allZero(page) {
				clear(page)
				s.addPages(mem, off)
				continue
			}
			s.zero = appendSpan(s.zero, off, off+hostPage)
		}
	}
	return nil
}

// addPages saves the page at off, extending the last run when adjacent.
func (s *State) addPages(mem []byte, off int) {
	if n := len(s.pages); n > 0 && s.pages[n-1].off+len(s.pages[n-1].data) == off {
		s.pages[n-1].data = append(s.pages[n-1].data, mem[off:off+hostPage]...)
		return
	}
	s.pages = append(s.pages, savedPages{off: off, data: append([]byte(nil), mem[off:off+hostPage]...)})
}

func appendSpan(spans []span, off, end int) []span {
	if n := len(spans); n > 0 && spans[n-1].end == off {
		spans[n-1].end = end
		return spans
	}
	return append(spans, span{off, end})
}

// zeroPage is what a page that reads as zero compares equal to.
var zeroPage [hostPage]byte

func allZero(page []byte) bool { return bytes.Equal(page, zeroPage[:len(page)]) }

// dropPages gives b's pages back to the kernel; an anonymous private
// mapping reads as zero afterwards.
func dropPages(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if err := syscall.Madvise(b, syscall.MADV_DONTNEED); err != nil {
		return fmt.Errorf("engine: restore: madvise: %w", err)
	}
	return nil
}

// hostPage is the granularity of copying and dropping: wasm pages (64 KiB)
// are whole multiples of it, and linear memory starts page-aligned.
const hostPage = 4096

func (f *Faaslet) mutableGlobal(name string) *wasmtime.Global {
	ext := f.instance.GetExport(f.store, name)
	if ext == nil || ext.Global() == nil || !ext.Global().Type(f.store).Mutable() {
		return nil
	}
	return ext.Global()
}
