package snapshot

import (
	"encoding/binary"
	"sort"
)

// DefaultGap is the default for DiffOptions.Gap; see BenchmarkGap for the
// measurement behind it.
const DefaultGap = 64

// DiffOptions tune ComputeDiffs.
type DiffOptions struct {
	// Gap coalesces changed runs of plain memory that are at most Gap
	// unchanged bytes apart into one Patch diff. The unchanged bytes travel
	// as zeros with their mask bits clear (and are never written on merge),
	// so this only trades payload for fewer diffs; it never changes the
	// merge result. 0 means DefaultGap; a negative value disables
	// coalescing (every diff of plain memory is then an Overwrite of bytes
	// that all changed).
	Gap int
	// Xor ships plain memory as Xor diffs (B1^B0) instead of Patch ones.
	// Xor diffs commute, so they suit a caller that applies a thread's
	// incoming batches out of release order, but two threads' stores of
	// one value to one byte cancel out (the byte keeps its old value).
	Xor bool
}

func (o DiffOptions) gap() int {
	switch {
	case o.Gap == 0:
		return DefaultGap
	case o.Gap < 0:
		return 0
	}
	return o.Gap
}

// ComputeDiffs returns the diffs that take base to mem, looking only at the
// pages in dirty (from a DirtyTracker: a superset of the changed pages).
// base is the snapshot the replica started from (B0); mem may be longer than
// base (grown memory, compared against zeros). regions must be sorted and
// disjoint (Regions.List): bytes inside them produce typed diffs, one per run
// of changed elements, carrying B0 when the op needs it; Ignore regions
// produce nothing. All other changed bytes produce Patch diffs, or Overwrite
// diffs for runs in which every byte changed (Xor diffs with opt.Xor).
//
// The diffs are sorted by offset and do not overlap. Their Data and Base are
// fresh copies: mem and base may change afterwards.
func ComputeDiffs(mem, base []byte, dirty *PageSet, regions []Region, opt DiffOptions) Batch {
	var scratch []byte
	pageBase := func(p int) []byte {
		off := p * PageSize
		end := min(off+PageSize, len(mem))
		if end <= len(base) {
			return base[off:end]
		}
		// Straddles the end of the snapshot: zero-extend.
		if scratch == nil {
			scratch = make([]byte, PageSize)
		}
		b := scratch[:end-off]
		clear(b)
		if off < len(base) {
			copy(b, base[off:])
		}
		return b
	}
	return computeDiffs(mem, pageBase, dirty, regions, opt)
}

// computeDiffs is ComputeDiffs with the baseline given page by page:
// pageBase(p) returns B0 for page p of mem, as long as the page's part of
// mem. A Replica's baseline is the snapshot except for pages it already
// shipped or received diffs for.
func computeDiffs(mem []byte, pageBase func(p int) []byte, dirty *PageSet, regions []Region, opt DiffOptions) Batch {
	d := differ{mem: mem, pageBase: pageBase, regions: regions, gap: opt.gap(), xor: opt.Xor, rawStart: -1, typStart: -1, doneRegion: -1, basePage: -1}
	page := PageSize
	for p := dirty.Next(0); p >= 0; p = dirty.Next(p + 1) {
		off := p * page
		if off >= len(mem) {
			break
		}
		end := min(off+page, len(mem))
		d.spans = changedRanges(mem[off:end], d.base(p), off, d.gap, d.spans[:0])
		for _, s := range d.spans {
			d.addSpan(s)
		}
	}
	d.flushRaw()
	d.flushTyped()
	return d.out
}

type differ struct {
	mem      []byte
	pageBase func(p int) []byte
	regions  []Region
	gap      int
	xor      bool
	spans    []span
	out      Batch

	// Pending plain run [rawStart, rawEnd), or rawStart < 0.
	rawStart, rawEnd int
	// Pending typed run of elements [typStart, typEnd) in region typRegion.
	typRegion        int
	typStart, typEnd int
	// Elements of region doneRegion below doneEnd were already looked at (an
	// element can straddle two dirty pages and be reached twice).
	doneRegion int
	doneEnd    int
	// The last page pageBase returned (it may reuse a scratch buffer).
	basePage  int
	baseBytes []byte
}

func (d *differ) base(p int) []byte {
	if p != d.basePage {
		d.basePage, d.baseBytes = p, d.pageBase(p)
	}
	return d.baseBytes
}

func (d *differ) baseAt(i int) byte { return d.base(i / PageSize)[i%PageSize] }

// addSpan routes a changed span (spans arrive in increasing order) to the
// raw or typed path, splitting it at region boundaries.
func (d *differ) addSpan(s span) {
	for s.start < s.end {
		ri := d.regionAt(uint64(s.start))
		if ri < 0 {
			// Plain memory up to the next region.
			end := s.end
			if nr := d.nextRegion(uint64(s.start)); nr >= 0 && d.regions[nr].Offset < uint64(end) {
				end = int(d.regions[nr].Offset)
			}
			d.addRaw(s.start, end)
			s.start = end
			continue
		}
		r := d.regions[ri]
		end := min(uint64(s.end), r.End())
		// A region between coalesced raw runs would make the Patch diff cover
		// typed bytes; close the raw run first.
		d.flushRaw()
		if r.Op != Ignore {
			d.addTyped(ri, uint64(s.start), end)
		}
		s.start = int(end)
	}
}

// regionAt returns the index of the region containing off, or -1.
func (d *differ) regionAt(off uint64) int {
	i := sort.Search(len(d.regions), func(i int) bool { return d.regions[i].End() > off })
	if i < len(d.regions) && d.regions[i].Offset <= off {
		return i
	}
	return -1
}

// nextRegion returns the index of the first region starting after off, or -1.
func (d *differ) nextRegion(off uint64) int {
	i := sort.Search(len(d.regions), func(i int) bool { return d.regions[i].Offset > off })
	if i < len(d.regions) {
		return i
	}
	return -1
}

func (d *differ) addRaw(start, end int) {
	// Raw bytes after a region end its typed run; flushing it first keeps
	// the output sorted.
	d.flushTyped()
	if d.rawStart >= 0 && start-d.rawEnd <= d.gap {
		d.rawEnd = end
		return
	}
	d.flushRaw()
	d.rawStart, d.rawEnd = start, end
}

func (d *differ) flushRaw() {
	if d.rawStart < 0 {
		return
	}
	s, e := d.rawStart, d.rawEnd
	d.rawStart = -1
	// One buffer for the data and its mask; the mask is dropped (and the
	// diff is an Overwrite) when every byte of the run changed.
	n := e - s
	ml := maskLen(n)
	if d.xor {
		ml = 0
	}
	buf := make([]byte, n+ml)
	data, mask := buf[:n:n], buf[n:]
	for i := s; i < e; {
		p := i / PageSize
		pe := min(e, (p+1)*PageSize)
		xorTo(data[i-s:pe-s], d.mem[i:pe], d.base(p)[i-p*PageSize:])
		i = pe
	}
	if d.xor {
		d.out = append(d.out, Diff{Offset: uint64(s), Data: data, Type: Raw, Op: Xor})
		return
	}
	if patchFromXor(data, d.mem[s:e], mask) {
		d.out = append(d.out, Diff{Offset: uint64(s), Data: data, Type: Raw, Op: Overwrite})
		return
	}
	d.out = append(d.out, Diff{Offset: uint64(s), Data: data, Mask: mask, Type: Raw, Op: Patch})
}

// patchFromXor turns data, which holds B1^B0 for the bytes of mem (B1),
// into a Patch payload: each changed byte (non-zero delta) becomes its new
// value and gets its bit in mask; unchanged bytes become zero. It reports
// whether every byte changed. It works a word (and a mask byte) at a time:
// data and mask are indexed from the run's start, so word k of data is
// exactly mask byte k.
func patchFromXor(data, mem, mask []byte) (all bool) {
	const lo7, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	le := binary.LittleEndian
	all = true
	n := len(data)
	i := 0
	for ; i+8 <= n; i += 8 {
		x := le.Uint64(data[i:])
		if x == 0 {
			all = false
			continue
		}
		// The top bit of each byte of nz is set iff that byte of x is
		// non-zero (no carry crosses bytes: each is at most 0x7f+0x7f).
		nz := ((x & lo7) + lo7 | x) & hi
		if nz == hi {
			mask[i/8] = 0xff
			copy(data[i:i+8], mem[i:i+8])
			continue
		}
		all = false
		ones := nz >> 7 // 0x01 in each changed byte
		// Gathers the eight flags into the top byte, byte j into bit j.
		mask[i/8] = byte(ones * 0x0102040810204080 >> 56)
		le.PutUint64(data[i:], le.Uint64(mem[i:])&(ones*0xff))
	}
	for ; i < n; i++ {
		if data[i] != 0 {
			mask[i/8] |= 1 << (i % 8)
			data[i] = mem[i]
		} else {
			all = false
		}
	}
	return all
}

// addTyped records the changed elements of region ri that overlap the
// changed bytes [start, end).
func (d *differ) addTyped(ri int, start, end uint64) {
	r := d.regions[ri]
	size := uint64(r.Type.Size())
	first := (start - r.Offset) / size
	last := (end - 1 - r.Offset) / size
	for e := first; e <= last; e++ {
		lo := int(r.Offset + e*size)
		hi := lo + int(size)
		if hi > len(d.mem) {
			break // element straddles the end of memory: nothing to merge
		}
		if d.doneRegion == ri && lo < d.doneEnd {
			continue
		}
		d.doneRegion, d.doneEnd = ri, hi
		if d.elemEqual(lo, hi) {
			continue // e.g. a float written with its old bits
		}
		if d.typStart >= 0 && d.typRegion == ri && d.typEnd == lo {
			d.typEnd = hi
			continue
		}
		d.flushTyped()
		d.typRegion, d.typStart, d.typEnd = ri, lo, hi
	}
}

func (d *differ) elemEqual(lo, hi int) bool {
	for i := lo; i < hi; i++ {
		if d.mem[i] != d.baseAt(i) {
			return false
		}
	}
	return true
}

func (d *differ) flushTyped() {
	if d.typStart < 0 {
		return
	}
	r := d.regions[d.typRegion]
	s, e := d.typStart, d.typEnd
	d.typStart = -1
	diff := Diff{Offset: uint64(s), Data: append([]byte(nil), d.mem[s:e]...), Type: r.Type, Op: r.Op}
	if r.Op.NeedsBase() {
		diff.Base = make([]byte, e-s)
		for i := s; i < e; i++ {
			diff.Base[i-s] = d.baseAt(i)
		}
	}
	d.out = append(d.out, diff)
}

// xorTo sets dst[i] = a[i] ^ b[i] for i < len(dst), a word at a time.
func xorTo(dst, a, b []byte) {
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(a[i:])^binary.LittleEndian.Uint64(b[i:]))
	}
	for ; i < n; i++ {
		dst[i] = a[i] ^ b[i]
	}
}
