package op

import (
	"encoding/binary"
	"math"
	"unsafe"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// kernel computes inout = in op inout for n elements of one predefined type.
// Scalar kernels take the elements packed (stride = size); pair kernels take
// the stride and index offset from l, because a predefined pair array has
// padding and a packed one does not.
type kernel func(in, inout []byte, n int, l layout)

type layout struct{ stride, idxOff int }

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

type float interface{ ~float32 | ~float64 }

type number interface{ integer | float }

// typed adapts a kernel over []T. Guest buffers are normally aligned, and
// then the bytes are used in place; an unaligned buffer (legal in MPI, and
// checkptr rejects unaligned *T) goes through aligned copies.
func typed[T any](f func(in, inout []T)) kernel {
	var z T
	size, align := int(unsafe.Sizeof(z)), uintptr(unsafe.Alignof(z))
	return func(in, inout []byte, n int, _ layout) {
		if n == 0 {
			return
		}
		in, inout = in[:n*size], inout[:n*size]
		pi, po := unsafe.Pointer(&in[0]), unsafe.Pointer(&inout[0])
		if uintptr(pi)%align == 0 && uintptr(po)%align == 0 {
			f(unsafe.Slice((*T)(pi), n), unsafe.Slice((*T)(po), n))
			return
		}
		a, b := make([]T, n), make([]T, n)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), n*size), in)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), n*size), inout)
		f(a, b)
		copy(inout, unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), n*size))
	}
}

// The element loops are unrolled by four: Go does not vectorise, and the
// unrolled form halves the loop overhead of SUM on doubles.

func sum[T number | ~complex64 | ~complex128](a, b []T) {
	a = a[:len(b)]
	i := 0
	for ; i+4 <= len(b); i += 4 {
		b[i] += a[i]
		b[i+1] += a[i+1]
		b[i+2] += a[i+2]
		b[i+3] += a[i+3]
	}
	for ; i < len(b); i++ {
		b[i] += a[i]
	}
}

func prod[T number](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] *= a[i]
	}
}

// maxOp and minOp are OpenMPI's `b = b > a ? b : a`: with a NaN either way the
// incoming value wins, and equal values (±0) keep in's.
func maxOp[T number](a, b []T) {
	a = a[:len(b)]
	i := 0
	for ; i+4 <= len(b); i += 4 {
		if !(b[i] > a[i]) {
			b[i] = a[i]
		}
		if !(b[i+1] > a[i+1]) {
			b[i+1] = a[i+1]
		}
		if !(b[i+2] > a[i+2]) {
			b[i+2] = a[i+2]
		}
		if !(b[i+3] > a[i+3]) {
			b[i+3] = a[i+3]
		}
	}
	for ; i < len(b); i++ {
		if !(b[i] > a[i]) {
			b[i] = a[i]
		}
	}
}

func minOp[T number](a, b []T) {
	a = a[:len(b)]
	i := 0
	for ; i+4 <= len(b); i += 4 {
		if !(b[i] < a[i]) {
			b[i] = a[i]
		}
		if !(b[i+1] < a[i+1]) {
			b[i+1] = a[i+1]
		}
		if !(b[i+2] < a[i+2]) {
			b[i+2] = a[i+2]
		}
		if !(b[i+3] < a[i+3]) {
			b[i+3] = a[i+3]
		}
	}
	for ; i < len(b); i++ {
		if !(b[i] < a[i]) {
			b[i] = a[i]
		}
	}
}

func land[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] = bit[T](b[i] != 0 && a[i] != 0)
	}
}

func lor[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] = bit[T](b[i] != 0 || a[i] != 0)
	}
}

func lxor[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] = bit[T]((b[i] != 0) != (a[i] != 0))
	}
}

func bit[T integer](v bool) T {
	if v {
		return 1
	}
	return 0
}

func band[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] &= a[i]
	}
}

func bor[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] |= a[i]
	}
}

func bxor[T integer](a, b []T) {
	a = a[:len(b)]
	for i := range b {
		b[i] ^= a[i]
	}
}

// cprod is C's complex b *= a: compiler-rt's __mulsc3/__muldc3, including
// its recovery of infinities from NaN results (C99 Annex G). The explicit
// conversions stop Go from fusing a multiply-add, which C does not do here.
func cprod[F float](x, y [][2]F) {
	x = x[:len(y)]
	for i := range y {
		y[i] = cmul(y[i][0], y[i][1], x[i][0], x[i][1])
	}
}

func cmul[F float](a, b, c, d F) [2]F {
	ac, bd, ad, bc := F(a*c), F(b*d), F(a*d), F(b*c)
	re, im := F(ac-bd), F(ad+bc)
	if !isNaN(re) || !isNaN(im) {
		return [2]F{re, im}
	}
	recalc := false
	if isInf(a) || isInf(b) {
		a, b = boxInf(a), boxInf(b)
		c, d = nanToZero(c), nanToZero(d)
		recalc = true
	}
	if isInf(c) || isInf(d) {
		c, d = boxInf(c), boxInf(d)
		a, b = nanToZero(a), nanToZero(b)
		recalc = true
	}
	if !recalc && (isInf(ac) || isInf(bd) || isInf(ad) || isInf(bc)) {
		a, b, c, d = nanToZero(a), nanToZero(b), nanToZero(c), nanToZero(d)
		recalc = true
	}
	if recalc {
		inf := F(math.Inf(1))
		re = inf * F(F(a*c)-F(b*d))
		im = inf * F(F(a*d)+F(b*c))
	}
	return [2]F{re, im}
}

func isNaN[F float](x F) bool { return x != x }
func isInf[F float](x F) bool { return math.IsInf(float64(x), 0) }

// boxInf is copysign(isinf(x) ? 1 : 0, x).
func boxInf[F float](x F) F {
	v := 0.0
	if isInf(x) {
		v = 1
	}
	return F(math.Copysign(v, float64(x)))
}

func nanToZero[F float](x F) F {
	if isNaN(x) {
		return F(math.Copysign(0, float64(x)))
	}
	return x
}

// long double (binary128) kernels: one element at a time through f128.

func f128Kernel(f func(a, b f128) f128) kernel {
	return func(in, inout []byte, n int, _ layout) {
		for i := 0; i < n*16; i += 16 {
			f(loadF128(in[i:]), loadF128(inout[i:])).store(inout[i:])
		}
	}
}

func f128Complex(f func(ar, ai, br, bi f128) (f128, f128)) kernel {
	return func(in, inout []byte, n int, _ layout) {
		for i := 0; i < n*32; i += 32 {
			re, im := f(loadF128(in[i:]), loadF128(in[i+16:]), loadF128(inout[i:]), loadF128(inout[i+16:]))
			re.store(inout[i:])
			im.store(inout[i+16:])
		}
	}
}

func neg128(x f128) f128 { return f128{x.lo, x.hi ^ f128SignBit} }

// pairs: MINLOC and MAXLOC as OpenMPI computes them: a strictly better value
// wins with its index; equal values keep the smaller index.

type valueCmp struct {
	less, equal func(a, b []byte) bool
}

func numCmp[T number](load func([]byte) T) valueCmp {
	return valueCmp{
		less:  func(a, b []byte) bool { return load(a) < load(b) },
		equal: func(a, b []byte) bool { return load(a) == load(b) },
	}
}

var pairCmps = map[*dt.Type]valueCmp{
	dt.Float: numCmp(func(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }),
	dt.Double: numCmp(func(b []byte) float64 {
		return math.Float64frombits(binary.LittleEndian.Uint64(b))
	}),
	dt.Int:   numCmp(func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) }),
	dt.Long:  numCmp(func(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) }),
	dt.Short: numCmp(func(b []byte) int16 { return int16(binary.LittleEndian.Uint16(b)) }),
	dt.LongDouble: {
		less:  func(a, b []byte) bool { return ltF128(loadF128(a), loadF128(b)) },
		equal: func(a, b []byte) bool { return eqF128(loadF128(a), loadF128(b)) },
	},
}

func pairKernel(valSize int, c valueCmp, maxloc bool) kernel {
	return func(in, inout []byte, n int, l layout) {
		for i, p := 0, 0; i < n; i, p = i+1, p+l.stride {
			a, b := in[p:p+valSize], inout[p:p+valSize]
			better := c.less(a, b)
			if maxloc {
				better = c.less(b, a)
			}
			ai, bi := in[p+l.idxOff:p+l.idxOff+4], inout[p+l.idxOff:p+l.idxOff+4]
			switch {
			case better:
				copy(b, a)
				copy(bi, ai)
			case c.equal(a, b) && int32(binary.LittleEndian.Uint32(ai)) < int32(binary.LittleEndian.Uint32(bi)):
				copy(bi, ai)
			}
		}
	}
}

type key struct {
	op *Op
	id dt.ID
}

// kernels is filled by init; kernelTab holds the same by op and type id,
// for a lookup without hashing on every reduction.
var (
	kernels   = map[key]kernel{}
	kernelTab [maxPredefinedID + 1][dt.FirstDerivedID]kernel
)

func addInt[T integer](ts ...*dt.Type) {
	for _, t := range ts {
		for o, k := range map[*Op]kernel{
			Max: typed(maxOp[T]), Min: typed(minOp[T]), Sum: typed(sum[T]), Prod: typed(prod[T]),
			Land: typed(land[T]), Lor: typed(lor[T]), Lxor: typed(lxor[T]),
			Band: typed(band[T]), Bor: typed(bor[T]), Bxor: typed(bxor[T]),
		} {
			if Allowed(o, t) == nil {
				kernels[key{o, t.ID()}] = k
			}
		}
	}
}

func addFloat[T float](ts ...*dt.Type) {
	for _, t := range ts {
		for o, k := range map[*Op]kernel{Max: typed(maxOp[T]), Min: typed(minOp[T]), Sum: typed(sum[T]), Prod: typed(prod[T])} {
			kernels[key{o, t.ID()}] = k
		}
	}
}

func addComplex[F float, C complex64 | complex128](ts ...*dt.Type) {
	for _, t := range ts {
		kernels[key{Sum, t.ID()}] = typed(sum[C])
		kernels[key{Prod, t.ID()}] = typed(cprod[F])
	}
}

func init() {
	addInt[int8](dt.SignedChar, dt.Int8)
	addInt[uint8](dt.UnsignedChar, dt.Uint8, dt.Byte, dt.CBool, dt.CXXBool)
	addInt[int16](dt.Short, dt.Int16)
	addInt[uint16](dt.UnsignedShort, dt.Uint16)
	addInt[int32](dt.Int, dt.Long, dt.Int32)
	addInt[uint32](dt.Unsigned, dt.UnsignedLong, dt.Uint32)
	addInt[int64](dt.LongLong, dt.Int64, dt.Offset, dt.Count)
	addInt[uint64](dt.UnsignedLongLong, dt.Uint64)
	switch dt.AintSize {
	case 4:
		addInt[int32](dt.Aint)
	case 8:
		addInt[int64](dt.Aint)
	}
	addFloat[float32](dt.Float)
	addFloat[float64](dt.Double)
	addComplex[float32, complex64](dt.CFloatComplex, dt.CXXFloatComplex)
	addComplex[float64, complex128](dt.CDoubleComplex, dt.CXXDoubleComplex)

	ld := dt.LongDouble.ID()
	kernels[key{Sum, ld}] = f128Kernel(func(a, b f128) f128 { return addF128(b, a) })
	kernels[key{Prod, ld}] = f128Kernel(func(a, b f128) f128 { return mulF128(b, a) })
	kernels[key{Max, ld}] = f128Kernel(func(a, b f128) f128 {
		if gtF128(b, a) {
			return b
		}
		return a
	})
	kernels[key{Min, ld}] = f128Kernel(func(a, b f128) f128 {
		if ltF128(b, a) {
			return b
		}
		return a
	})
	for _, t := range []*dt.Type{dt.CLongDoubleComplex, dt.CXXLongDoubleComplex} {
		kernels[key{Sum, t.ID()}] = f128Complex(func(ar, ai, br, bi f128) (f128, f128) {
			return addF128(br, ar), addF128(bi, ai)
		})
		// (br + bi i)(ar + ai i), each product rounded, as C computes it (no Annex G recovery).
		kernels[key{Prod, t.ID()}] = f128Complex(func(ar, ai, br, bi f128) (f128, f128) {
			return addF128(mulF128(br, ar), neg128(mulF128(bi, ai))), addF128(mulF128(br, ai), mulF128(bi, ar))
		})
	}

	for _, p := range []*dt.Type{dt.FloatInt, dt.DoubleInt, dt.LongInt, dt.TwoInt, dt.ShortInt, dt.LongDoubleInt} {
		v, _, _ := p.PairLayout()
		kernels[key{Minloc, p.ID()}] = pairKernel(int(v.Size()), pairCmps[v], false)
		kernels[key{Maxloc, p.ID()}] = pairKernel(int(v.Size()), pairCmps[v], true)
	}
	for k, fn := range kernels {
		kernelTab[k.op.id][k.id] = fn
	}
}
