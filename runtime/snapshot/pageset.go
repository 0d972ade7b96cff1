package snapshot

import "math/bits"

// PageSet is a set of page indexes, one bit per page. Iterating it with
// Next skips 64 clean pages per word, which matters when 1% of a large
// memory is dirty (faabric used one byte per page because vector<bool>
// was slow; a bitmap with TrailingZeros is both smaller and faster).
type PageSet struct {
	words []uint64
	n     int
}

// NewPageSet returns an empty set for pages [0, n).
func NewPageSet(n int) *PageSet {
	s := &PageSet{}
	s.Reset(n)
	return s
}

// Reset empties the set and resizes it to n pages, reusing its storage.
func (s *PageSet) Reset(n int) {
	w := (n + 63) / 64
	if cap(s.words) >= w {
		s.words = s.words[:w]
		clear(s.words)
	} else {
		s.words = make([]uint64, w)
	}
	s.n = n
}

// Len is the number of pages the set covers (not the number in it).
func (s *PageSet) Len() int { return s.n }

// Add puts page i in the set.
func (s *PageSet) Add(i int) { s.words[i>>6] |= 1 << (uint(i) & 63) }

// Has reports whether page i is in the set.
func (s *PageSet) Has(i int) bool { return s.words[i>>6]&(1<<(uint(i)&63)) != 0 }

// AddRange adds pages [from, to).
func (s *PageSet) AddRange(from, to int) {
	for i := from; i < to; i++ {
		s.Add(i)
	}
}

// Count is the number of pages in the set.
func (s *PageSet) Count() int {
	c := 0
	for _, w := range s.words {
		c += bits.OnesCount64(w)
	}
	return c
}

// Next returns the first page >= i in the set, or -1.
func (s *PageSet) Next(i int) int {
	if i < 0 {
		i = 0
	}
	if i >= s.n {
		return -1
	}
	wi := i >> 6
	w := s.words[wi] >> (uint(i) & 63)
	if w != 0 {
		return i + bits.TrailingZeros64(w)
	}
	for wi++; wi < len(s.words); wi++ {
		if w := s.words[wi]; w != 0 {
			return wi<<6 + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// Pages lists the pages in the set in increasing order.
func (s *PageSet) Pages() []int {
	var out []int
	for i := s.Next(0); i >= 0; i = s.Next(i + 1) {
		out = append(out, i)
	}
	return out
}

// DirtyTracker finds the pages of a replica that may differ from the
// snapshot it was mapped from. A tracker may over-report (the diff step
// compares bytes anyway) but must never miss a changed page.
type DirtyTracker interface {
	// Dirty adds to dirty (sized to cover mem) every page of mem that may
	// differ from base. Pages of mem past len(base) are compared against
	// zeros, as memory grown after the snapshot was taken.
	Dirty(mem, base []byte, dirty *PageSet) error
	// Name is a short name for logs and benchmarks.
	Name() string
}
