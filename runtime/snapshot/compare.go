package snapshot

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// CompareTracker finds dirty pages by comparing every page of the replica
// against the snapshot. It needs no kernel help and works on any memory
// (private mapping or plain copy), at the cost of reading all of both.
type CompareTracker struct{}

// Name implements DirtyTracker.
func (CompareTracker) Name() string { return "compare" }

// Dirty implements DirtyTracker.
func (CompareTracker) Dirty(mem, base []byte, dirty *PageSet) error {
	page := PageSize
	for p, off := 0, 0; off < len(mem); p, off = p+1, off+page {
		end := min(off+page, len(mem))
		if !pageEqual(mem[off:end], base, off) {
			dirty.Add(p)
		}
	}
	return nil
}

// pageEqual compares mem (a window at offset off) with base[off:], treating
// base as zero-extended.
func pageEqual(mem, base []byte, off int) bool {
	if off+len(mem) <= len(base) {
		// bytes.Equal is the runtime's SIMD memequal.
		return bytes.Equal(mem, base[off:off+len(mem)])
	}
	n := 0
	if off < len(base) {
		n = len(base) - off
		if !bytes.Equal(mem[:n], base[off:]) {
			return false
		}
	}
	return isZero(mem[n:])
}

func isZero(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b) != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// changedRanges appends to out the byte ranges [start,end) (offsets
// relative to a, shifted by at) where a and b differ, merging ranges that
// are at most gap equal bytes apart (gap 0: exact maximal runs). len(a) ==
// len(b). Equal 64-byte blocks are skipped with memequal; elsewhere the
// XOR of 8-byte words gives the first and last differing byte of a word
// directly, and bytes are only looked at one by one inside a word that has
// both changed and unchanged bytes when gap is too small to bridge them.
func changedRanges(a, b []byte, at, gap int, out []span) []span {
	n := len(a)
	b = b[:n]
	open, last := -1, 0 // current range [open, last), open < 0: none
	i := 0
	for i+8 <= n {
		if i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]) {
			i += 64
			continue
		}
		end := min(n&^7, i+64)
		for ; i < end; i += 8 {
			x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:])
			if x == 0 {
				continue
			}
			if gap < 6 && hasZeroByte(x) {
				// Changed and unchanged bytes in one word, and a gap too small
				// to bridge them: byte by byte.
				for j := i; j < i+8; j++ {
					if a[j] == b[j] {
						continue
					}
					if open >= 0 && j-last <= gap {
						last = j + 1
						continue
					}
					if open >= 0 {
						out = append(out, span{at + open, at + last})
					}
					open, last = j, j+1
				}
				continue
			}
			s, e := i+bits.TrailingZeros64(x)/8, i+8-bits.LeadingZeros64(x)/8
			if open >= 0 && s-last <= gap {
				last = e
				continue
			}
			if open >= 0 {
				out = append(out, span{at + open, at + last})
			}
			open, last = s, e
		}
	}
	for ; i < n; i++ {
		if a[i] == b[i] {
			continue
		}
		if open >= 0 && i-last <= gap {
			last = i + 1
			continue
		}
		if open >= 0 {
			out = append(out, span{at + open, at + last})
		}
		open, last = i, i+1
	}
	if open >= 0 {
		out = append(out, span{at + open, at + last})
	}
	return out
}

// span is a half-open byte range [start, end).
type span struct{ start, end int }
