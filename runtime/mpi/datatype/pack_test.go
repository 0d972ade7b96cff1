package datatype_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// refPack is the obvious packing: every block of every element, in order.
func refPack(t *testing.T, mem []byte, off int64, count int, typ *dt.Type) []byte {
	t.Helper()
	bs, err := typ.Blocks()
	require.NoError(t, err)
	lb, ext := typ.Extent()
	_ = lb
	out := []byte{}
	for e := range int64(count) {
		for _, b := range bs {
			a := off + e*ext + b.Off
			out = append(out, mem[a:a+b.Len]...)
		}
	}
	return out
}

// sampleTypes are the shapes the copies must handle: dense, strided, 4- and
// 8-byte blocks, odd blocks, negative strides and displacements, padding,
// resized extents, nesting.
func sampleTypes(t *testing.T) map[string]*dt.Type {
	m := must(t)
	s := m(dt.Struct([]int{1, 2, 1}, []int64{0, 8, 24}, []*dt.Type{dt.Char, dt.Double, dt.Short}))
	return map[string]*dt.Type{
		"int":             dt.Int,
		"double_int":      dt.DoubleInt,
		"short_int":       dt.ShortInt,
		"contiguous":      m(dt.Contiguous(5, dt.Double)),
		"vector8":         m(dt.Vector(4, 1, 3, dt.Double)),
		"vector4":         m(dt.Vector(4, 1, 3, dt.Float)),
		"vector-odd":      m(dt.Hvector(3, 3, 7, dt.Char)),
		"vector-negative": m(dt.Vector(3, 2, -3, dt.Int)),
		"indexed":         m(dt.Indexed([]int{2, 1, 3}, []int{5, 0, 10}, dt.Int)),
		"hindexed-neg":    m(dt.Hindexed([]int{1, 2}, []int64{-24, 8}, dt.Double)),
		"struct":          s,
		"struct-vector":   m(dt.Vector(2, 2, 3, s)),
		"resized":         m(dt.Resized(m(dt.Contiguous(2, dt.Int)), -4, 20)),
		"subarray":        m(dt.Subarray([]int{4, 5, 3}, []int{2, 3, 2}, []int{1, 1, 1}, dt.OrderC, dt.Short)),
		"subarray-f":      m(dt.Subarray([]int{4, 5}, []int{2, 3}, []int{2, 1}, dt.OrderFortran, dt.Double)),
		"overlapping":     m(dt.Hindexed([]int{2, 2}, []int64{0, 4}, dt.Int)),
		"empty":           m(dt.Contiguous(0, dt.Int)),
	}
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestPack_roundTrip packs from one memory and unpacks into another: the
// packed bytes equal the reference, the selected bytes arrive and the gaps of
// the destination keep their old contents.
func TestPack_roundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, typ := range sampleTypes(t) {
		t.Run(name, func(t *testing.T) {
			for _, count := range []int{0, 1, 2, 5} {
				lo, hi, err := dt.Span(count, typ)
				require.NoError(t, err)
				off := 64 - lo
				mem := randomBytes(r, int(off+hi+64))

				n, err := dt.PackSize(count, typ)
				require.NoError(t, err)
				packed := make([]byte, n)
				w, err := dt.Pack(packed, mem, off, count, typ)
				require.NoError(t, err)
				require.Equal(t, int(n), w)
				require.Equal(t, refPack(t, mem, off, count, typ), packed)

				if name == "overlapping" {
					continue // unpacking into overlapping blocks is erroneous in MPI
				}
				dst := randomBytes(r, len(mem))
				before := bytes.Clone(dst)
				rd, err := dt.Unpack(dst, off, count, typ, packed)
				require.NoError(t, err)
				require.Equal(t, int(n), rd)
				require.Equal(t, packed, refPack(t, dst, off, count, typ))
				// Every byte outside the blocks is unchanged.
				mark := make([]byte, len(dst))
				_, err = dt.Unpack(mark, off, count, typ, bytes.Repeat([]byte{1}, int(n)))
				require.NoError(t, err)
				for i := range dst {
					if mark[i] == 0 {
						require.Equal(t, before[i], dst[i], "gap byte %d overwritten", i)
					}
				}
			}
		})
	}
}

// TestUnpack_short receives a message that ends inside an element: only the
// bytes that arrived are written, and GetElements counts the basic elements
// they hold.
func TestUnpack_short(t *testing.T) {
	m := must(t)
	s := m(dt.Struct([]int{1, 2, 1}, []int64{0, 8, 24}, []*dt.Type{dt.Char, dt.Double, dt.Short})) // 1+16+2 = 19 bytes
	typ := m(dt.Vector(3, 1, 2, s))
	mem := make([]byte, 1024)
	src := bytes.Repeat([]byte{7}, 19+1+8) // one struct, then char + one double
	n, err := dt.Unpack(mem, 0, 3, typ, src)
	require.NoError(t, err)
	require.Equal(t, len(src), n)
	_, ext := s.Extent()
	second := 2 * ext
	require.Equal(t, byte(7), mem[second]) // the char
	require.Equal(t, bytes.Repeat([]byte{7}, 8), mem[second+8:second+16])
	require.Equal(t, make([]byte, 8), mem[second+16:second+24]) // the double that did not arrive
	require.Equal(t, int64(4+2), dt.GetElements(typ, int64(len(src))))
	require.Equal(t, int64(dt.Undefined), dt.GetCount(typ, int64(len(src))))
	require.Equal(t, int64(dt.Undefined), dt.GetElements(typ, int64(len(src)+3)), "ends inside a double")
	require.Equal(t, int64(1), dt.GetCount(typ, 3*19))
	require.Equal(t, int64(24), dt.GetElements(typ, 3*19*2))
	require.Equal(t, int64(0), dt.GetCount(m(dt.Contiguous(0, dt.Int)), 0))
}

func TestUnpack_truncated(t *testing.T) {
	mem := make([]byte, 16)
	n, err := dt.Unpack(mem, 0, 2, dt.Int, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	require.ErrorIs(t, err, dt.ErrTruncate)
	require.Equal(t, 8, n)
	require.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8, 0, 0}, mem[:10])
}

func TestPack_errors(t *testing.T) {
	vec := must(t)(dt.Vector(2, 1, 4, dt.Int)) // touches [0,4) and [16,20)
	mem := make([]byte, 20)
	_, err := dt.Pack(make([]byte, 8), mem, 0, 1, vec)
	require.NoError(t, err)
	_, err = dt.Pack(make([]byte, 8), mem, 1, 1, vec)
	require.ErrorIs(t, err, dt.ErrBuffer)
	_, err = dt.Pack(make([]byte, 8), mem, -1, 1, vec)
	require.ErrorIs(t, err, dt.ErrBuffer)
	_, err = dt.Pack(make([]byte, 7), mem, 0, 1, vec)
	require.ErrorIs(t, err, dt.ErrTruncate)
	_, err = dt.Pack(make([]byte, 8), mem, 0, -1, vec)
	require.ErrorIs(t, err, dt.ErrCount)
	_, err = dt.Pack(make([]byte, 8), mem, 1<<62, 1, vec)
	require.ErrorIs(t, err, dt.ErrBuffer)
	_, err = dt.Unpack(mem, 4, 1, vec, make([]byte, 8))
	require.ErrorIs(t, err, dt.ErrBuffer)
	// A short message only needs the elements it reaches to be in bounds.
	_, err = dt.Unpack(mem, 0, 10, vec, make([]byte, 8))
	require.NoError(t, err)
	// Zero elements touch nothing, wherever they are.
	_, err = dt.Pack(nil, nil, 1<<40, 0, vec)
	require.NoError(t, err)
}

// TestCopy matches sends against receives of other types, the one-copy path.
func TestCopy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	types := sampleTypes(t)
	delete(types, "overlapping")
	for sn, st := range types {
		for dn, dtyp := range types {
			if st.Size() == 0 || dtyp.Size() == 0 {
				continue
			}
			for _, scount := range []int{1, 3} {
				srcLo, srcHi, _ := dt.Span(scount, st)
				src := randomBytes(r, int(srcHi-srcLo+32))
				soff := 16 - srcLo
				want := refPack(t, src, soff, scount, st)
				// enough destination elements for all of it, and one element fewer
				dcount := int((int64(len(want)) + dtyp.Size() - 1) / dtyp.Size())
				for _, dc := range []int{dcount, dcount - 1} {
					dLo, dHi, _ := dt.Span(dc, dtyp)
					dst := make([]byte, dHi-dLo+32)
					doff := 16 - dLo
					n, err := dt.Copy(dst, doff, dc, dtyp, src, soff, scount, st)
					fits := int64(dc) * dtyp.Size()
					if int64(len(want)) > fits {
						require.ErrorIs(t, err, dt.ErrTruncate, "%s -> %s", sn, dn)
						require.Equal(t, fits, n)
					} else {
						require.NoError(t, err, "%s -> %s", sn, dn)
						require.Equal(t, int64(len(want)), n)
					}
					got := refPack(t, dst, doff, dc, dtyp)[:n]
					require.Equal(t, want[:n], got, "%s x%d -> %s x%d", sn, scount, dn, dc)
				}
			}
		}
	}
}

func TestCopy_errors(t *testing.T) {
	mem := make([]byte, 16)
	_, err := dt.Copy(mem, 12, 2, dt.Int, mem, 0, 2, dt.Int)
	require.ErrorIs(t, err, dt.ErrBuffer)
	_, err = dt.Copy(mem, 0, 2, dt.Int, mem, 12, 2, dt.Int)
	require.ErrorIs(t, err, dt.ErrBuffer)
	n, err := dt.Copy(mem, 0, 1, dt.Int, mem, 8, 2, dt.Int)
	require.ErrorIs(t, err, dt.ErrTruncate)
	require.Equal(t, int64(4), n)
}

func TestCompatible(t *testing.T) {
	m := must(t)
	pairs := m(dt.Struct([]int{1, 1}, []int64{0, 8}, []*dt.Type{dt.Double, dt.Int}))
	tests := []struct {
		name string
		send *dt.Type
		sc   int
		recv *dt.Type
		rc   int
		want bool
	}{
		{"same", dt.Int, 4, dt.Int, 4, true},
		{"prefix", dt.Int, 3, dt.Int, 4, true},
		{"longer", dt.Int, 5, dt.Int, 4, false},
		{"vector-vs-contiguous", m(dt.Vector(2, 2, 5, dt.Int)), 1, m(dt.Contiguous(4, dt.Int)), 1, true},
		{"int-vs-long", dt.Int, 1, dt.Long, 1, false},
		{"alias", dt.LongLong, 1, dt.ByID(dt.LongLong.ID()), 1, true},
		{"pair-vs-struct", dt.DoubleInt, 2, pairs, 2, true},
		{"pair-vs-doubles", dt.DoubleInt, 1, dt.Double, 2, false},
		{"bytes", dt.Double, 2, dt.Byte, 16, true},
		{"packed", dt.Packed, 3, dt.Int, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := dt.Compatible(tc.send, tc.sc, tc.recv, tc.rc)
			require.NoError(t, err)
			require.Equal(t, tc.want, ok)
		})
	}
	sig, err := pairs.Signature()
	require.NoError(t, err)
	require.Equal(t, []dt.Run{{dt.Double, 1}, {dt.Int, 1}}, sig)
	sig, err = m(dt.Vector(3, 2, 5, dt.Int)).Signature()
	require.NoError(t, err)
	require.Equal(t, []dt.Run{{dt.Int, 6}}, sig)
}

// FuzzPackUnpack builds a type from the input and packs and unpacks it at an
// arbitrary offset of a small memory: it must never panic, and it must fail
// exactly when some block of some element lies outside the memory.
func FuzzPackUnpack(f *testing.F) {
	f.Add(uint8(0), int16(3), int16(2), int16(-5), int16(1), int64(40), uint16(128))
	f.Add(uint8(3), int16(2), int16(1), int16(7), int16(3), int64(-8), uint16(64))
	f.Add(uint8(5), int16(1), int16(1), int16(0), int16(2), int64(1<<40), uint16(0))
	f.Fuzz(func(t *testing.T, shape uint8, a, b, c int16, count int16, off int64, memLen uint16) {
		if count < 0 || count > 64 || a < 0 || a > 64 || b < 0 || b > 64 {
			return
		}
		typ, err := fuzzType(shape, int(a), int(b), int(c))
		if err != nil || typ.Commit() != nil {
			return
		}
		mem := make([]byte, memLen)
		inBounds := true
		bs, _ := typ.Blocks()
		_, ext := typ.Extent()
		for e := range int64(count) {
			for _, blk := range bs {
				s := off + e*ext + blk.Off
				if s < 0 || s+blk.Len > int64(len(mem)) || off > 1<<50 || off < -1<<50 {
					inBounds = false
				}
			}
		}
		n, _ := dt.PackSize(int(count), typ)
		buf := make([]byte, n)
		_, perr := dt.Pack(buf, mem, off, int(count), typ)
		_, uerr := dt.Unpack(mem, off, int(count), typ, buf)
		if inBounds {
			require.NoError(t, perr)
			require.NoError(t, uerr)
		} else {
			require.ErrorIs(t, perr, dt.ErrBuffer)
			require.ErrorIs(t, uerr, dt.ErrBuffer)
		}
	})
}

func fuzzType(shape uint8, a, b, c int) (*dt.Type, error) {
	base := []*dt.Type{dt.Char, dt.Short, dt.Double, dt.DoubleInt, dt.ShortInt}[int(shape>>4)%5]
	switch shape % 8 {
	case 0:
		return dt.Vector(a, b, c, base)
	case 1:
		return dt.Hvector(a, b, int64(c), base)
	case 2:
		return dt.Indexed([]int{a, b}, []int{c, -c}, base)
	case 3:
		return dt.Hindexed([]int{a, b}, []int64{int64(c), int64(c) * 3}, base)
	case 4:
		inner, err := dt.Resized(base, int64(c), int64(a))
		if err != nil {
			return nil, err
		}
		return dt.Contiguous(b, inner)
	case 5:
		return dt.Struct([]int{a, b}, []int64{int64(c), 0}, []*dt.Type{base, dt.Int})
	case 6:
		return dt.Subarray([]int{a + 1, b + 1}, []int{a / 2, b / 2}, []int{a / 3, b / 3}, dt.Order(c&1), base)
	default:
		return dt.Contiguous(a, base)
	}
}

// BenchmarkPack_column packs one column of a 1024x1024 matrix of doubles.
func BenchmarkPack_column(b *testing.B) {
	col, _ := dt.Vector(1024, 1, 1024, dt.Double)
	_ = col.Commit()
	mem := make([]byte, 1024*1024*8)
	buf := make([]byte, 1024*8)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := dt.Pack(buf, mem, 0, 1, col); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnpack_column is the receive side of BenchmarkPack_column.
func BenchmarkUnpack_column(b *testing.B) {
	col, _ := dt.Vector(1024, 1, 1024, dt.Double)
	_ = col.Commit()
	mem := make([]byte, 1024*1024*8)
	buf := make([]byte, 1024*8)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := dt.Unpack(mem, 0, 1, col, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPack_rows packs a 512x512 block of a 1024x1024 double matrix
// (4 KiB blocks): the copy-bound case.
func BenchmarkPack_rows(b *testing.B) {
	sub, _ := dt.Subarray([]int{1024, 1024}, []int{512, 512}, []int{256, 256}, dt.OrderC, dt.Double)
	_ = sub.Commit()
	mem := make([]byte, 1024*1024*8)
	buf := make([]byte, 512*512*8)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		if _, err := dt.Pack(buf, mem, 0, 1, sub); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDense(t *testing.T) {
	m := must(t)
	require.True(t, dt.Double.Dense())
	require.True(t, m(dt.Contiguous(4, dt.Int)).Dense())
	require.True(t, m(dt.Vector(3, 2, 2, dt.Int)).Dense())
	require.False(t, dt.DoubleInt.Dense(), "padding")
	require.False(t, m(dt.Vector(3, 1, 2, dt.Int)).Dense())
	require.False(t, m(dt.Resized(dt.Int, 0, 8)).Dense())
}
