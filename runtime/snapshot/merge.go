package snapshot

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// Merger applies batches of diffs to a master memory (the MAP_SHARED view
// of the team's snapshot). Apply may be called from many goroutines at once,
// one per incoming batch:
//
//   - Overwrite, Patch and Xor diffs are plain stores. Patch and Xor write
//     only the bytes the thread changed (a whole word only when all 8 of
//     its bytes changed), so concurrent batches touching interleaved bytes
//     do not lose each other's writes. Two batches that store to one byte
//     race; for Patch that is harmless when they store the same value.
//   - Typed diffs read-modify-write each element under one of a fixed set of
//     striped locks keyed by the element's offset, so four threads' Sum
//     diffs for one variable add up to the sum of the four deltas whatever
//     the order.
//
// All merges of a team must go through one Merger (the locks are its own).
type Merger struct {
	mu      sync.RWMutex // guards mem against SetMemory
	mem     []byte
	stripes [64]sync.Mutex
}

// NewMerger returns a Merger that applies diffs to mem.
func NewMerger(mem []byte) *Merger { return &Merger{mem: mem} }

// SetMemory replaces the memory diffs apply to, e.g. after the master grew.
// It waits for running Applys.
func (m *Merger) SetMemory(mem []byte) {
	m.mu.Lock()
	m.mem = mem
	m.mu.Unlock()
}

// Apply merges a batch into the master. Every diff is checked (shape and
// bounds) before any is applied, so a bad batch changes nothing.
func (m *Merger) Apply(b Batch) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if err := checkBatch(m.mem, b); err != nil {
		return err
	}
	for i := range b {
		d := &b[i]
		if d.Type == Raw {
			applyRaw(m.mem, d)
			continue
		}
		size := uint64(d.Type.Size())
		for off := uint64(0); off < uint64(len(d.Data)); off += size {
			at := d.Offset + off
			mu := &m.stripes[(at/size)%uint64(len(m.stripes))]
			mu.Lock()
			applyElem(m.mem, d, at, off)
			mu.Unlock()
		}
	}
	return nil
}

// ApplyTo merges a batch into mem without locking, for memory only one
// goroutine touches (a replica receiving other threads' diffs). Like Apply,
// it checks everything first.
func ApplyTo(mem []byte, b Batch) error {
	if err := checkBatch(mem, b); err != nil {
		return err
	}
	for i := range b {
		d := &b[i]
		if d.Type == Raw {
			applyRaw(mem, d)
			continue
		}
		size := uint64(d.Type.Size())
		for off := uint64(0); off < uint64(len(d.Data)); off += size {
			applyElem(mem, d, d.Offset+off, off)
		}
	}
	return nil
}

func checkBatch(mem []byte, b Batch) error {
	for i := range b {
		d := &b[i]
		if err := d.Validate(); err != nil {
			return err
		}
		if d.End() > uint64(len(mem)) {
			return fmt.Errorf("snapshot: diff [%d,%d) outside the %d byte memory", d.Offset, d.End(), len(mem))
		}
	}
	return nil
}

func applyRaw(mem []byte, d *Diff) {
	dst := mem[d.Offset:d.End()]
	switch d.Op {
	case Overwrite:
		copy(dst, d.Data)
		return
	case Patch:
		applyPatch(dst, d.Data, d.Mask)
		return
	}
	// Xor: zero delta bytes are bytes the thread did not change and must not
	// be stored to (another thread may own them).
	src := d.Data
	i := 0
	for ; i+8 <= len(src); i += 8 {
		x := binary.LittleEndian.Uint64(src[i:])
		if x == 0 {
			continue
		}
		if hasZeroByte(x) {
			for j := i; j < i+8; j++ {
				if src[j] != 0 {
					dst[j] ^= src[j]
				}
			}
			continue
		}
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(dst[i:])^x)
	}
	for ; i < len(src); i++ {
		if src[i] != 0 {
			dst[i] ^= src[i]
		}
	}
}

// applyPatch stores the bytes of src whose mask bit is set into dst, a word
// (one mask byte) at a time where all eight are set.
func applyPatch(dst, src, mask []byte) {
	for k, m := range mask {
		i := 8 * k
		switch {
		case m == 0:
		case m == 0xff && i+8 <= len(src):
			copy(dst[i:i+8], src[i:i+8])
		default:
			for j := i; m != 0; j, m = j+1, m>>1 {
				if m&1 != 0 {
					dst[j] = src[j]
				}
			}
		}
	}
}

// hasZeroByte reports whether any byte of x is zero (the classic SWAR test).
func hasZeroByte(x uint64) bool {
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}

// applyElem merges the element at master offset at (diff offset off).
func applyElem(mem []byte, d *Diff, at, off uint64) {
	a := mem[at:]
	b1 := d.Data[off:]
	var b0 []byte
	if d.Base != nil {
		b0 = d.Base[off:]
	}
	le := binary.LittleEndian
	switch d.Type {
	case I32:
		var base uint32
		if b0 != nil {
			base = le.Uint32(b0)
		}
		le.PutUint32(a, uint32(mergeInt(d.Op, int64(int32(le.Uint32(a))), int64(int32(base)), int64(int32(le.Uint32(b1))), 32)))
	case I64:
		var base uint64
		if b0 != nil {
			base = le.Uint64(b0)
		}
		le.PutUint64(a, uint64(mergeInt(d.Op, int64(le.Uint64(a)), int64(base), int64(le.Uint64(b1)), 64)))
	case F32:
		var base float32
		if b0 != nil {
			base = math.Float32frombits(le.Uint32(b0))
		}
		r := mergeFloat(d.Op, float64(math.Float32frombits(le.Uint32(a))), float64(base), float64(math.Float32frombits(le.Uint32(b1))), true)
		le.PutUint32(a, math.Float32bits(float32(r)))
	case F64:
		var base float64
		if b0 != nil {
			base = math.Float64frombits(le.Uint64(b0))
		}
		le.PutUint64(a, math.Float64bits(mergeFloat(d.Op, math.Float64frombits(le.Uint64(a)), base, math.Float64frombits(le.Uint64(b1)), false)))
	}
}

// mergeInt applies op to n-bit two's complement integers (n = 32 or 64)
// with wrapping arithmetic, as C does for the unsigned and as every real
// machine does for the signed; the result is truncated to n bits by the
// caller.
func mergeInt(op MergeOp, a, b0, b1 int64, n uint) int64 {
	switch op {
	case Overwrite:
		return b1
	case Sum:
		return a + (b1 - b0)
	case Subtract:
		return a - (b0 - b1)
	case Max:
		return max(a, b1)
	case Min:
		return min(a, b1)
	case Multiply:
		if p, ok := intRatio(uint64(b0), uint64(b1), n); ok {
			return int64(uint64(a) * p)
		}
		return b1
	case Divide:
		if b0 == b1 {
			return a
		}
		if b1 == 0 {
			return b1
		}
		r := b0 / b1 // Go defines MinInt64 / -1 (it wraps); no panic
		if n == 32 {
			r = int64(int32(b0) / int32(b1))
		}
		if r == 0 {
			return b1
		}
		if n == 32 {
			return int64(int32(a) / int32(r))
		}
		return a / r
	}
	return a
}

// intRatio finds the factor p with b1 == b0*p (mod 2^n), which is what the
// thread multiplied by: A1 = A0 * (B1 / B0) with the division done exactly
// in modular arithmetic, so a product reduction that wrapped still merges to
// the value native wrapping code computes. With b0 = 2^k * m (m odd), p is
// (b1 >> k) * m^-1, exact modulo 2^(n-k); that is enough because the master
// value it multiplies is itself a multiple of b0 in a product reduction.
// ok is false when no such p exists (b0 == 0 with b1 != 0, or b1 is not a
// multiple of 2^k): the merge then falls back to overwrite (A1 = B1).
// b0 == b1 (unchanged, including 0 == 0) gives p = 1.
func intRatio(b0, b1 uint64, n uint) (p uint64, ok bool) {
	mask := ^uint64(0)
	if n < 64 {
		mask = 1<<n - 1
	}
	b0, b1 = b0&mask, b1&mask
	if b0 == b1 {
		return 1, true
	}
	if b0 == 0 {
		return 0, false
	}
	k := uint(bits.TrailingZeros64(b0))
	if b1 != 0 && uint(bits.TrailingZeros64(b1)) < k {
		return 0, false
	}
	m := b0 >> k
	// Newton's iteration for the inverse of odd m modulo 2^64: each step
	// doubles the number of correct low bits (m*m == 1 mod 8 to start).
	inv := m
	for i := 0; i < 5; i++ {
		inv *= 2 - m*inv
	}
	return (b1 >> k) * inv, true
}

// zeroRatio handles a zero that stayed zero: the factor is unknown but its
// sign is not (0 * -2 is -0), and IEEE code would have flipped the sign of
// the master value too.
func zeroRatio(a, b0, b1 float64) float64 {
	if math.Signbit(b0) != math.Signbit(b1) {
		return -a
	}
	return a
}

// mergeFloat applies op in float64 (f32 values widen exactly; the result is
// rounded once, by the caller, for f32 except that the intermediate ratio
// and delta are rounded to f32 first so the result matches doing the
// formula in float32). Multiply and Divide with an undefined ratio (a zero
// denominator) fall back to overwrite; an unchanged value (b0 == b1) is a
// no-op for them. Max and Min keep A0 when B1 is NaN.
func mergeFloat(op MergeOp, a, b0, b1 float64, f32 bool) float64 {
	round := func(x float64) float64 {
		if f32 {
			return float64(float32(x))
		}
		return x
	}
	switch op {
	case Overwrite:
		return b1
	case Sum:
		return a + round(b1-b0)
	case Subtract:
		return a - round(b0-b1)
	case Max:
		if b1 > a {
			return b1
		}
		return a
	case Min:
		if b1 < a {
			return b1
		}
		return a
	case Multiply:
		if b0 == 0 && b1 == 0 {
			return zeroRatio(a, b0, b1)
		}
		if b0 == b1 {
			return a
		}
		if b0 == 0 {
			return b1
		}
		return a * round(b1/b0)
	case Divide:
		if b0 == 0 && b1 == 0 {
			return zeroRatio(a, b0, b1)
		}
		if b0 == b1 {
			return a
		}
		if b1 == 0 {
			return b1
		}
		return a / round(b0/b1)
	}
	return a
}
