package op

import (
	"encoding/binary"
	"math/big"
)

// The guest's long double is IEEE binary128 and Go has no such type, so
// SUM/PROD/MIN/MAX on MPI_LONG_DOUBLE (and its complex and pair types) go
// through math/big: a big.Float at 113 bits rounding to nearest-even gives
// the correctly rounded IEEE result of one operation, and roundF128 adds the
// binary128 exponent range (overflow to infinity, gradual underflow). NaN
// and infinity cases follow compiler-rt's __addtf3/__multf3, which is what
// the guest itself would run. This is slow (~µs per element), but long double
// reductions are rare; correctness is what matters.

// f128 is a binary128 value as two little-endian 64-bit halves.
type f128 struct{ lo, hi uint64 }

const (
	f128ExpBits  = 15
	f128Bias     = 16383
	f128Mant     = 112 // stored fraction bits
	f128SignBit  = 1 << 63
	f128ExpMask  = (1<<f128ExpBits - 1) << 48
	f128QuietBit = 1 << 47
	f128Emin     = -16382 // exponent of the smallest normal (1.0 × 2^Emin)
	f128Emax     = 16383
)

// f128QNaN is compiler-rt's default NaN.
var f128QNaN = f128{0, 0x7fff800000000000}

func loadF128(b []byte) f128 {
	return f128{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])}
}

func (x f128) store(b []byte) {
	binary.LittleEndian.PutUint64(b, x.lo)
	binary.LittleEndian.PutUint64(b[8:], x.hi)
}

func (x f128) sign() bool { return x.hi&f128SignBit != 0 }
func (x f128) abs() f128  { return f128{x.lo, x.hi &^ f128SignBit} }
func (x f128) isNaN() bool {
	return x.hi&f128ExpMask == f128ExpMask && (x.lo != 0 || x.hi&(1<<48-1) != 0)
}
func (x f128) isInf() bool  { a := x.abs(); return a.hi == f128ExpMask && a.lo == 0 }
func (x f128) isZero() bool { a := x.abs(); return a.hi == 0 && a.lo == 0 }
func (x f128) quiet() f128  { return f128{x.lo, x.hi | f128QuietBit} }

func f128Inf(neg bool) f128 {
	x := f128{0, f128ExpMask}
	if neg {
		x.hi |= f128SignBit
	}
	return x
}

func f128Zero(neg bool) f128 {
	if neg {
		return f128{0, f128SignBit}
	}
	return f128{}
}

// big converts a finite x exactly.
func (x f128) big() *big.Float {
	e := int((x.hi & f128ExpMask) >> 48)
	m := new(big.Int).SetUint64(x.hi & (1<<48 - 1))
	m.Lsh(m, 64).Or(m, new(big.Int).SetUint64(x.lo))
	shift := f128Emin - f128Mant // subnormal: m × 2^(Emin-112)
	if e != 0 {
		m.SetBit(m, f128Mant, 1)
		shift = e - f128Bias - f128Mant
	}
	f := new(big.Float).SetPrec(f128Mant + 1).SetInt(m)
	f.SetMantExp(f, shift)
	if x.sign() {
		f.Neg(f)
	}
	return f
}

// roundF128 rounds a finite big.Float once, to nearest-even, to binary128.
func roundF128(f *big.Float) f128 {
	neg := f.Signbit()
	if f.Sign() == 0 {
		return f128Zero(neg)
	}
	r := new(big.Float).Copy(f).SetMode(big.ToNearestEven)
	exp := r.MantExp(nil) - 1 // f = 1.x × 2^exp
	if exp >= f128Emin {
		r.SetPrec(f128Mant + 1)
	} else {
		// Subnormal: the last representable bit is 2^(Emin-112); exp-(Emin-112)+1 bits remain.
		bits := exp - (f128Emin - f128Mant) + 1
		switch {
		case bits >= 1:
			r.SetPrec(uint(bits))
		case bits == 0:
			// In [2^-16495, 2^-16494): half the smallest subnormal or more.
			half := new(big.Float).SetMantExp(big.NewFloat(1), f128Emin-f128Mant-1)
			if new(big.Float).Abs(r).Cmp(half) > 0 {
				return f128{1, boolBit(neg)}
			}
			return f128Zero(neg)
		default:
			return f128Zero(neg)
		}
	}
	r.Abs(r) // big.Int's SetBit is two's complement: work on the magnitude
	exp = r.MantExp(nil) - 1
	if exp > f128Emax {
		return f128Inf(neg)
	}
	var m big.Int
	var biased int
	if exp >= f128Emin {
		biased = exp + f128Bias
		new(big.Float).SetMantExp(r, f128Mant-exp).Int(&m) // 113-bit integer significand
		m.SetBit(&m, f128Mant, 0)
	} else {
		new(big.Float).SetMantExp(r, -(f128Emin - f128Mant)).Int(&m)
	}
	lo := m.Uint64()
	hi := new(big.Int).Rsh(&m, 64).Uint64() | uint64(biased)<<48 | boolBit(neg)
	return f128{lo, hi}
}

func boolBit(neg bool) uint64 {
	if neg {
		return f128SignBit
	}
	return 0
}

func addF128(a, b f128) f128 {
	switch {
	case a.isNaN():
		return a.quiet()
	case b.isNaN():
		return b.quiet()
	case a.isInf():
		if b.isInf() && a.sign() != b.sign() {
			return f128QNaN
		}
		return a
	case b.isInf():
		return b
	case a.isZero() && b.isZero():
		return f128Zero(a.sign() && b.sign())
	case a.isZero():
		return b
	case b.isZero():
		return a
	}
	s := new(big.Float).SetPrec(f128Mant + 1).SetMode(big.ToNearestEven)
	s.Add(a.big(), b.big())
	if s.Sign() == 0 {
		return f128{} // x + (-x) is +0 when rounding to nearest
	}
	return roundF128(s)
}

func mulF128(a, b f128) f128 {
	neg := a.sign() != b.sign()
	switch {
	case a.isNaN():
		return a.quiet()
	case b.isNaN():
		return b.quiet()
	case a.isInf() || b.isInf():
		if a.isZero() || b.isZero() {
			return f128QNaN
		}
		return f128Inf(neg)
	case a.isZero() || b.isZero():
		return f128Zero(neg)
	}
	// 2×113 bits hold the exact product; roundF128 then rounds once.
	p := new(big.Float).SetPrec(2*(f128Mant+1)).Mul(a.big(), b.big())
	return roundF128(p)
}

// cmpF128 orders non-NaN values: -1, 0, +1. Both zeros are equal.
func cmpF128(a, b f128) int {
	if a.isZero() && b.isZero() {
		return 0
	}
	if a.sign() != b.sign() {
		if a.sign() {
			return -1
		}
		return 1
	}
	aa, bb := a.abs(), b.abs()
	c := 0
	switch {
	case aa.hi < bb.hi || aa.hi == bb.hi && aa.lo < bb.lo:
		c = -1
	case aa != bb:
		c = 1
	}
	if a.sign() {
		c = -c
	}
	return c
}

// ltF128 and gtF128 are C's < and >: false when either side is NaN.
func ltF128(a, b f128) bool { return !a.isNaN() && !b.isNaN() && cmpF128(a, b) < 0 }
func gtF128(a, b f128) bool { return !a.isNaN() && !b.isNaN() && cmpF128(a, b) > 0 }
func eqF128(a, b f128) bool { return !a.isNaN() && !b.isNaN() && cmpF128(a, b) == 0 }
