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

// changedRanges appends to out the maximal byte ranges [start,end) (offsets
// relative to a, shifted by at) where a and b differ. len(a) == len(b).
// It skips equal 64-byte blocks with memequal, then finds the exact first and
// last differing byte of each run from the XOR of 8-byte words.
func changedRanges(a, b []byte, at int, out []span) []span {
	n := len(a)
	i := 0
	open := -1 // start of the current run, or -1
	for i < n {
		if open < 0 && i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]) {
			i += 64
			continue
		}
		if i+8 <= n {
			x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:])
			if x == 0 {
				if open >= 0 {
					out = append(out, span{at + open, at + i})
					open = -1
				}
				i += 8
				continue
			}
			first := i + bits.TrailingZeros64(x)/8
			last := i + 7 - bits.LeadingZeros64(x)/8 // inclusive
			if open >= 0 && first != i {
				// A run ended inside this word and another may start.
				out = append(out, span{at + open, at + i})
				open = -1
			}
			if open < 0 {
				open = first
			}
			// Bytes strictly between first and last may be equal; split the
			// run there so exact ranges stay exact.
			for j := first + 1; j < last; j++ {
				if a[j] == b[j] {
					out = append(out, span{at + open, at + j})
					open = -1
					for j+1 < last && a[j+1] == b[j+1] {
						j++
					}
					open = j + 1
				}
			}
			if last != i+7 {
				out = append(out, span{at + open, at + last + 1})
				open = -1
			}
			i += 8
			continue
		}
		if a[i] != b[i] {
			if open < 0 {
				open = i
			}
		} else if open >= 0 {
			out = append(out, span{at + open, at + i})
			open = -1
		}
		i++
	}
	if open >= 0 {
		out = append(out, span{at + open, at + n})
	}
	return out
}

// span is a half-open byte range [start, end).
type span struct{ start, end int }
