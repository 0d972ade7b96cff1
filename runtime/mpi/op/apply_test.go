package op_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// ref computes one element of inout = in op inout the plain way, from the
// bytes, for the integer, float and complex types. ok is false for types it
// does not cover (long double and pairs have their own tests).
func ref(o *op.Op, typ *dt.Type, in, inout []byte) (out []byte, ok bool) {
	size := int(typ.Size())
	switch typ.Kind() {
	case dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindByte, dt.KindBool:
		a, b := loadInt(in, size, typ.Kind() != dt.KindUint && typ.Kind() != dt.KindByte && typ.Kind() != dt.KindBool)
		r := intOp(o, a, b, typ.Kind() == dt.KindUint)
		out = make([]byte, 8)
		binary.LittleEndian.PutUint64(out, uint64(r))
		return out[:size], true
	case dt.KindFloat:
		switch size {
		case 4:
			a, b := f32(in), f32(inout)
			r := float32(floatOp(o, float64(a), float64(b))) // exact, then one rounding: float32 arithmetic
			out = binary.LittleEndian.AppendUint32(nil, math.Float32bits(r))
		case 8:
			r := floatOp(o, f64(in), f64(inout))
			out = binary.LittleEndian.AppendUint64(nil, math.Float64bits(r))
		default:
			return nil, false
		}
		return out, true
	case dt.KindComplex:
		h := size / 2
		if h == 16 {
			return nil, false
		}
		get := func(b []byte) float64 {
			if h == 4 {
				return float64(f32(b))
			}
			return f64(b)
		}
		c, d, a, b := get(in), get(in[h:]), get(inout), get(inout[h:])
		var re, im float64
		if o == op.Sum {
			re, im = a+c, b+d
		} else if h == 4 {
			// float products are exact in double; round each like float arithmetic
			re = float64(float32(float32(a*c) - float32(b*d)))
			im = float64(float32(float32(a*d) + float32(b*c)))
		} else {
			re, im = real(complex(a, b)*complex(c, d)), imag(complex(a, b)*complex(c, d))
		}
		put := func(x float64) []byte {
			if h == 4 {
				return binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(x)))
			}
			return binary.LittleEndian.AppendUint64(nil, math.Float64bits(x))
		}
		return append(put(re), put(im)...), true
	}
	return nil, false
}

func f32(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }
func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

// loadInt widens an integer; in and inout come from one buffer of two elements.
func loadInt(b []byte, size int, signed bool) (int64, int64) {
	get := func(p []byte) int64 {
		var u uint64
		for i := size - 1; i >= 0; i-- {
			u = u<<8 | uint64(p[i])
		}
		if signed && size < 8 {
			shift := 64 - 8*size
			return int64(u<<shift) >> shift
		}
		return int64(u)
	}
	return get(b), get(b[size:])
}

func intOp(o *op.Op, a, b int64, unsigned bool) int64 {
	gt := b > a
	if unsigned {
		gt = uint64(b) > uint64(a)
	}
	bit := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	switch o {
	case op.Sum:
		return b + a
	case op.Prod:
		return b * a
	case op.Max:
		return map[bool]int64{true: b, false: a}[gt]
	case op.Min:
		return map[bool]int64{true: b, false: a}[!gt && a != b]
	case op.Land:
		return bit(a != 0 && b != 0)
	case op.Lor:
		return bit(a != 0 || b != 0)
	case op.Lxor:
		return bit((a != 0) != (b != 0))
	case op.Band:
		return a & b
	case op.Bor:
		return a | b
	case op.Bxor:
		return a ^ b
	}
	panic(o)
}

func floatOp(o *op.Op, a, b float64) float64 {
	switch o {
	case op.Sum:
		return b + a
	case op.Prod:
		return b * a
	case op.Max:
		if b > a {
			return b
		}
		return a
	case op.Min:
		if b < a {
			return b
		}
		return a
	}
	panic(o)
}

// randomElem draws a value that exercises the type: full-range integers
// (small ones for the logical ops), floats with specials and ties.
func randomElem(r *rand.Rand, typ *dt.Type, b []byte) {
	switch {
	case typ.Kind() == dt.KindFloat || typ.Kind() == dt.KindComplex:
		part := 4
		if typ.Size() == 16 && typ.Kind() == dt.KindComplex || typ.Size() == 8 && typ.Kind() == dt.KindFloat {
			part = 8
		}
		for p := 0; p < int(typ.Size()); p += part {
			specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1, -1, 1e-310}
			v := r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))
			if r.IntN(8) == 0 {
				v = specials[r.IntN(len(specials))]
				if typ.Kind() == dt.KindComplex && (math.IsInf(v, 0) || math.IsNaN(v)) {
					v = 0 // C99 Annex G products have their own test
				}
			}
			if part == 4 {
				binary.LittleEndian.PutUint32(b[p:], math.Float32bits(float32(v)))
			} else {
				binary.LittleEndian.PutUint64(b[p:], math.Float64bits(v))
			}
		}
	default:
		for i := range b[:typ.Size()] {
			b[i] = byte(r.Uint32())
		}
		if r.IntN(3) == 0 {
			clear(b[:typ.Size()])
			b[0] = byte(r.IntN(3))
		}
	}
}

func sameFloatBits(t *testing.T, typ *dt.Type, want, got []byte, msg ...any) {
	if bytes.Equal(want, got) {
		return
	}
	part := 8
	if typ == dt.Float || typ == dt.CFloatComplex || typ == dt.CXXFloatComplex {
		part = 4
	}
	for p := 0; p < len(want); p += part {
		var wn, gn bool
		if part == 4 {
			wn, gn = math.IsNaN(float64(f32(want[p:]))), math.IsNaN(float64(f32(got[p:])))
		} else {
			wn, gn = math.IsNaN(f64(want[p:])), math.IsNaN(f64(got[p:]))
		}
		// NaN payloads are not specified; NaN-ness is.
		if !(wn && gn) {
			require.Equal(t, want[p:p+part], got[p:p+part], msg...)
		}
	}
}

// TestApply_reference checks every allowed (op, predefined type) pair, over
// an odd count so the unrolled loops' tails run, aligned and unaligned.
func TestApply_reference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	std := standard()
	for _, o := range op.Predefined {
		for _, typ := range dt.Predefined {
			if !std[o][typ.Name()] {
				continue
			}
			for _, shift := range []int{0, 1} {
				const n = 37
				size := int(typ.Size())
				in := make([]byte, n*size+shift)[shift:]
				inout := make([]byte, n*size+shift)[shift:]
				for i := range n {
					randomElem(r, typ, in[i*size:])
					randomElem(r, typ, inout[i*size:])
				}
				want := make([]byte, 0, len(inout))
				covered := true
				for i := range n {
					// in and inout side by side for loadInt
					pair := append(append([]byte{}, in[i*size:(i+1)*size]...), inout[i*size:(i+1)*size]...)
					var e []byte
					var ok bool
					if typ.Kind() == dt.KindFloat || typ.Kind() == dt.KindComplex {
						e, ok = ref(o, typ, in[i*size:], inout[i*size:])
					} else {
						e, ok = ref(o, typ, pair, nil)
					}
					covered = covered && ok
					want = append(want, e...)
				}
				if !covered {
					continue
				}
				require.NoError(t, op.Apply(o, typ, in, inout, n))
				sameFloatBits(t, typ, want, inout, "%v on %v (shift %d)", o, typ, shift)
			}
		}
	}
}

// TestComplexProd_annexG: infinities survive a product whose plain formula
// gives NaN in both parts, as C's __muldc3 recovers them.
func TestComplexProd_annexG(t *testing.T) {
	c := func(re, im float64) []byte {
		return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, math.Float64bits(re)), math.Float64bits(im))
	}
	inout := c(math.Inf(1), math.NaN())
	require.NoError(t, op.Apply(op.Prod, dt.CDoubleComplex, c(1, 0), inout, 1))
	require.True(t, math.IsInf(f64(inout), 1), "real part %v", f64(inout))
	require.True(t, math.IsNaN(f64(inout[8:])))
	inout = c(2, 3)
	require.NoError(t, op.Apply(op.Prod, dt.CDoubleComplex, c(4, -5), inout, 1))
	require.Equal(t, c(23, 2), inout)
}

func pairBuf(typ *dt.Type, vals []float64, idx []int32) []byte {
	v, idxOff, _ := typ.PairLayout()
	_, ext := typ.Extent()
	b := make([]byte, int(ext)*len(vals))
	for i := range vals {
		p := b[int(ext)*i:]
		switch v {
		case dt.Float:
			binary.LittleEndian.PutUint32(p, math.Float32bits(float32(vals[i])))
		case dt.Double:
			binary.LittleEndian.PutUint64(p, math.Float64bits(vals[i]))
		case dt.Int, dt.Long:
			binary.LittleEndian.PutUint32(p, uint32(int32(vals[i])))
		case dt.Short:
			binary.LittleEndian.PutUint16(p, uint16(int16(vals[i])))
		case dt.LongDouble:
			copy(p, op.F128FromFloat64(vals[i]))
		}
		binary.LittleEndian.PutUint32(p[idxOff:], uint32(idx[i]))
	}
	return b
}

// TestMinlocMaxloc covers all pair types: strict wins take the index, ties
// keep the smaller index, negative values and indices.
func TestMinlocMaxloc(t *testing.T) {
	in := []float64{1, 5, 3, -2, 7, 7}
	inIdx := []int32{10, 11, 12, 13, 4, 20}
	io := []float64{2, 5, 3, -2, 6, 7}
	ioIdx := []int32{0, 1, 15, -3, 9, 2}
	for _, typ := range []*dt.Type{dt.FloatInt, dt.DoubleInt, dt.LongInt, dt.TwoInt, dt.ShortInt, dt.LongDoubleInt} {
		t.Run(typ.Name(), func(t *testing.T) {
			b := pairBuf(typ, io, ioIdx)
			require.NoError(t, op.Apply(op.Minloc, typ, pairBuf(typ, in, inIdx), b, len(in)))
			require.Equal(t, pairBuf(typ, []float64{1, 5, 3, -2, 6, 7}, []int32{10, 1, 12, -3, 9, 2}), b)
			b = pairBuf(typ, io, ioIdx)
			require.NoError(t, op.Apply(op.Maxloc, typ, pairBuf(typ, in, inIdx), b, len(in)))
			require.Equal(t, pairBuf(typ, []float64{2, 5, 3, -2, 7, 7}, []int32{0, 1, 12, -3, 4, 2}), b)
		})
	}
}

// TestApply_derived reduces through derived types: a strided vector (gaps
// keep their bytes), a dense contiguous type, pairs inside a vector, and a
// negative displacement via ApplyAt.
func TestApply_derived(t *testing.T) {
	vec, err := dt.Vector(3, 1, 2, dt.Int)
	require.NoError(t, err)
	ints := func(v ...int32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, uint32(x))
		}
		return b
	}
	inout := ints(1, 100, 2, 100, 3)
	require.NoError(t, op.Apply(op.Sum, vec, ints(10, -1, 20, -1, 30), inout, 1))
	require.Equal(t, ints(11, 100, 22, 100, 33), inout)

	con, err := dt.Contiguous(2, dt.Int)
	require.NoError(t, err)
	inout = ints(1, 2, 3, 4)
	require.NoError(t, op.Apply(op.Max, con, ints(0, 5, 6, 0), inout, 2))
	require.Equal(t, ints(1, 5, 6, 4), inout)

	pv, err := dt.Vector(2, 1, 2, dt.ShortInt)
	require.NoError(t, err)
	a := append(pairBuf(dt.ShortInt, []float64{1, 0, 9}, []int32{1, 0, 1}), 0xAA)
	b := append(pairBuf(dt.ShortInt, []float64{2, 0, 9}, []int32{2, 7, 0}), 0xAA)
	require.NoError(t, op.Apply(op.Minloc, pv, a, b, 1))
	require.Equal(t, append(pairBuf(dt.ShortInt, []float64{1, 0, 9}, []int32{1, 7, 0}), 0xAA), b)

	neg, err := dt.Hindexed([]int{1}, []int64{-4}, dt.Int)
	require.NoError(t, err)
	inout = ints(5, 0)
	require.NoError(t, op.ApplyAt(op.Prod, neg, 1, ints(3, 0), 4, inout, 4))
	require.Equal(t, ints(15, 0), inout)
	require.ErrorIs(t, op.Apply(op.Prod, neg, ints(3), ints(3), 1), dt.ErrBuffer)

	inout = ints(1, 100, 2, 100, 3)
	require.NoError(t, op.Apply(op.Replace, vec, ints(7, 8, 9, 10, 11), inout, 1))
	require.Equal(t, ints(7, 100, 9, 100, 11), inout)
	require.NoError(t, op.Apply(op.NoOp, vec, ints(0, 0, 0, 0, 0), inout, 1))
	require.Equal(t, ints(7, 100, 9, 100, 11), inout)
}

// BenchmarkSum_double is MPI_SUM over 8 MiB of doubles, the Allreduce case.
func BenchmarkSum_double(b *testing.B) {
	benchOp(b, op.Sum, dt.Double)
}

func BenchmarkMax_double(b *testing.B) { benchOp(b, op.Max, dt.Double) }
func BenchmarkSum_int(b *testing.B)    { benchOp(b, op.Sum, dt.Int) }
func BenchmarkSum_float(b *testing.B)  { benchOp(b, op.Sum, dt.Float) }

func benchOp(b *testing.B, o *op.Op, typ *dt.Type) {
	const bytes = 8 << 20
	in, inout := make([]byte, bytes), make([]byte, bytes)
	n := bytes / int(typ.Size())
	b.SetBytes(bytes)
	for b.Loop() {
		if err := op.Apply(o, typ, in, inout, n); err != nil {
			b.Fatal(err)
		}
	}
}
