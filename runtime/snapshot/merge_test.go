package snapshot

import (
	"encoding/binary"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

func i64(v int64) []byte { return binary.LittleEndian.AppendUint64(nil, uint64(v)) }
func i32(v int32) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
func f64(v float64) []byte {
	return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))
}

func mergeOne(t *testing.T, typ DataType, op MergeOp, a, b0, b1 []byte) []byte {
	t.Helper()
	mem := append([]byte(nil), a...)
	d := Diff{Offset: 0, Data: b1, Type: typ, Op: op}
	if op.NeedsBase() {
		d.Base = b0
	}
	require.NoError(t, ApplyTo(mem, Batch{d}))
	return mem
}

func TestMergeFormulas(t *testing.T) {
	cases := []struct {
		name      string
		typ       DataType
		op        MergeOp
		a, b0, b1 []byte
		want      []byte
	}{
		{"sum i64", I64, Sum, i64(100), i64(10), i64(15), i64(105)},
		{"sum i32 wraps", I32, Sum, i32(math.MaxInt32), i32(0), i32(1), i32(math.MinInt32)},
		{"subtract", I64, Subtract, i64(100), i64(10), i64(4), i64(94)},
		{"multiply", I64, Multiply, i64(6), i64(3), i64(12), i64(24)},
		{"multiply negative", I32, Multiply, i32(5), i32(-3), i32(6), i32(-10)},
		{"multiply b0=0 unchanged", I64, Multiply, i64(7), i64(0), i64(0), i64(7)},
		{"multiply b0=0 assigned: overwrite", I64, Multiply, i64(7), i64(0), i64(9), i64(9)},
		{"multiply by zero", I64, Multiply, i64(7), i64(3), i64(0), i64(0)},
		{"multiply not a multiple: overwrite", I64, Multiply, i64(8), i64(4), i64(6), i64(6)},
		{"divide", I64, Divide, i64(120), i64(60), i64(20), i64(40)},
		{"divide b1=0: overwrite", I64, Divide, i64(120), i64(3), i64(0), i64(0)},
		{"divide ratio 0: overwrite", I64, Divide, i64(120), i64(3), i64(7), i64(7)},
		{"divide minint by -1 wraps", I64, Divide, i64(math.MinInt64), i64(-5), i64(5), i64(math.MinInt64)},
		{"divide i32 minint by -1 wraps", I32, Divide, i32(math.MinInt32), i32(5), i32(-5), i32(math.MinInt32)},
		{"max", I32, Max, i32(5), i32(0), i32(9), i32(9)},
		{"max keeps", I32, Max, i32(50), i32(0), i32(9), i32(50)},
		{"min", I64, Min, i64(-5), i64(0), i64(-9), i64(-9)},
		{"overwrite", I64, Overwrite, i64(1), nil, i64(2), i64(2)},
		{"sum f64", F64, Sum, f64(1.5), f64(1), f64(3.25), f64(3.75)},
		{"multiply f64 b0=0 unchanged", F64, Multiply, f64(2), f64(0), f64(0), f64(2)},
		{"multiply f64 0 to -0 flips sign", F64, Multiply, f64(2), f64(0), f64(math.Copysign(0, -1)), f64(-2)},
		{"multiply f64 b0=0 assigned", F64, Multiply, f64(2), f64(0), f64(5), f64(5)},
		{"divide f64 b1=0", F64, Divide, f64(2), f64(1), f64(0), f64(0)},
		{"max f64 NaN ignored", F64, Max, f64(2), f64(0), f64(math.NaN()), f64(2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, mergeOne(t, c.typ, c.op, c.a, c.b0, c.b1))
		})
	}
}

func TestIntRatioExactUnderWrapping(t *testing.T) {
	// A product reduction that overflows: native code computes b0*p1*p2
	// mod 2^64; merging the two threads' diffs must give the same.
	for _, b0 := range []int64{3, 12, -40, 1 << 20, 7 << 40} {
		for _, p := range []int64{5, 1 << 30, -(1 << 33) + 1, 6, 1 << 62} {
			master := i64(b0)
			require.NoError(t, ApplyTo(master, Batch{{Data: i64(b0 * p), Base: i64(b0), Type: I64, Op: Multiply}}))
			require.NoError(t, ApplyTo(master, Batch{{Data: i64(b0 * 3), Base: i64(b0), Type: I64, Op: Multiply}}))
			require.Equal(t, i64(b0*p*3), master, "b0=%d p=%d", b0, p)
		}
	}
}

func TestApplyRejectsBadBatches(t *testing.T) {
	mem := make([]byte, 16)
	bad := []Batch{
		{{Offset: 12, Data: make([]byte, 8), Type: Raw, Op: Xor}},
		{{Offset: math.MaxUint64 - 2, Data: make([]byte, 8), Type: Raw, Op: Xor}},
		{{Offset: 0, Data: make([]byte, 3), Type: I32, Op: Sum, Base: make([]byte, 3)}},
		{{Offset: 0, Data: make([]byte, 4), Type: I32, Op: Sum}},
		{{Offset: 0, Data: make([]byte, 4), Type: I32, Op: Max, Base: make([]byte, 4)}},
		{{Offset: 0, Data: make([]byte, 4), Type: Raw, Op: Sum, Base: make([]byte, 4)}},
		{{Offset: 0, Data: make([]byte, 4), Type: I32, Op: Xor}},
		{{Offset: 0, Data: make([]byte, 4), Type: I32, Op: Ignore}},
		{{Offset: 0, Data: make([]byte, 4), Type: 9, Op: Overwrite}},
		{{Offset: 0, Data: []byte{1}, Type: Raw, Op: Xor}, {Offset: 20, Data: []byte{1}, Type: Raw, Op: Xor}},
	}
	for i, b := range bad {
		require.Error(t, ApplyTo(mem, b), "batch %d", i)
		require.Error(t, NewMerger(mem).Apply(b), "batch %d", i)
		require.Equal(t, make([]byte, 16), mem, "a rejected batch changes nothing (batch %d)", i)
	}
}

func TestRegionsRegistry(t *testing.T) {
	var rs Regions
	r := Region{Offset: 8, Length: 16, Type: I64, Op: Sum}
	require.NoError(t, rs.Add(r))
	require.NoError(t, rs.Add(r), "identical registration is a no-op")
	require.Error(t, rs.Add(Region{Offset: 16, Length: 8, Type: I64, Op: Max}))
	require.Error(t, rs.Add(Region{Offset: 0, Length: 12, Type: I32, Op: Sum}))
	require.Error(t, rs.Add(Region{Offset: 0, Length: 6, Type: I32, Op: Sum}), "not a whole number of elements")
	require.Error(t, rs.Add(Region{Offset: 0, Length: 4, Type: Raw, Op: Sum}))
	require.Error(t, rs.Add(Region{Offset: 0, Length: 0, Type: Raw, Op: Overwrite}))
	require.NoError(t, rs.Add(Region{Offset: 0, Length: 8, Type: F64, Op: Min}))
	require.NoError(t, rs.Add(Region{Offset: 24, Length: 4, Type: Raw, Op: Ignore}))
	require.Equal(t, []uint64{0, 8, 24}, offsets(rs.List()))
	rs.Remove(8)
	require.Equal(t, []uint64{0, 24}, offsets(rs.List()))
	rs.Clear()
	require.Empty(t, rs.List())
}

func offsets(rs []Region) []uint64 {
	var out []uint64
	for _, r := range rs {
		out = append(out, r.Offset)
	}
	return out
}

// Hammer: every OpenMP thread registers the same reduction variables while
// others diff against the list.
func TestRegionsConcurrentRegistration(t *testing.T) {
	var rs Regions
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				require.NoError(t, rs.Add(Region{Offset: uint64(i * 16), Length: 8, Type: I64, Op: Sum}))
				l := rs.List()
				for j := 1; j < len(l); j++ {
					require.Less(t, l[j-1].Offset, l[j].Offset)
				}
			}
		}()
	}
	wg.Wait()
	require.Len(t, rs.List(), 200)
}

// Hammer: many goroutines merge into one master at once: disjoint plain
// bytes (interleaved at byte granularity, so Xor must not store whole
// words it does not own) and the same reduction elements.
func TestMergerConcurrentHammer(t *testing.T) {
	const workers = 8
	const rounds = 300
	mem := make([]byte, 4096)
	sumOff, f64Off, maxOff := 2048, 2056, 2064
	m := NewMerger(mem)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				var b Batch
				// This worker owns bytes w, w+8, w+16, ... of [0, 2048):
				// one Xor diff covering its bytes with zeros in between.
				data := make([]byte, 2048-w)
				for i := 0; i < len(data); i += workers {
					data[i] = byte(r) ^ byte(r+1) // old value r, new r+1
				}
				b = append(b, Diff{Offset: uint64(w), Data: data, Type: Raw, Op: Xor})
				b = append(b, Diff{Offset: uint64(sumOff), Data: i64(int64(w + 1)), Base: i64(0), Type: I64, Op: Sum})
				b = append(b, Diff{Offset: uint64(f64Off), Data: f64(1), Base: f64(0), Type: F64, Op: Sum})
				b = append(b, Diff{Offset: uint64(maxOff), Data: i64(int64(w*rounds + r)), Type: I64, Op: Max})
				require.NoError(t, m.Apply(b))
			}
		}()
	}
	wg.Wait()
	for i := 0; i < 2048; i++ {
		require.Equal(t, byte(rounds%256), mem[i], "byte %d", i)
	}
	require.Equal(t, i64(rounds*workers*(workers+1)/2), mem[sumOff:sumOff+8])
	require.Equal(t, f64(rounds*workers), mem[f64Off:f64Off+8])
	require.Equal(t, i64((workers-1)*rounds+rounds-1), mem[maxOff:maxOff+8])
}
