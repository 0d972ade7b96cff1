package datatype_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// must(t)(constructor(...)) requires success and commits the type.
func must(t *testing.T) func(*dt.Type, error) *dt.Type {
	return func(typ *dt.Type, err error) *dt.Type {
		t.Helper()
		require.NoError(t, err)
		require.NoError(t, typ.Commit())
		return typ
	}
}

type B = dt.Block

// The expected values were worked out by hand from MPI-3.1 §4.1 and, for the
// bounds, checked against OpenMPI 4.1 on this machine (types whose layout does
// not depend on sizeof(long)).
func TestConstructors(t *testing.T) {
	structDI := func(t *testing.T) *dt.Type {
		return must(t)(dt.Struct([]int{1, 1}, []int64{0, 8}, []*dt.Type{dt.Double, dt.Int}))
	}
	resizedInt := func(t *testing.T, lb, ext int64) *dt.Type {
		return must(t)(dt.Resized(dt.Int, lb, ext))
	}
	tests := []struct {
		name          string
		build         func(t *testing.T) (*dt.Type, error)
		size, lb, ext int64
		tlb, text     int64
		blocks        []B
		nbasic        int64
	}{
		{"contiguous", func(t *testing.T) (*dt.Type, error) { return dt.Contiguous(3, dt.Int) },
			12, 0, 12, 0, 12, []B{{0, 12}}, 3},
		{"contiguous/empty", func(t *testing.T) (*dt.Type, error) { return dt.Contiguous(0, dt.Int) },
			0, 0, 0, 0, 0, nil, 0},
		{"vector", func(t *testing.T) (*dt.Type, error) { return dt.Vector(3, 2, 4, dt.Double) },
			48, 0, 80, 0, 80, []B{{0, 16}, {32, 16}, {64, 16}}, 6},
		{"vector/dense", func(t *testing.T) (*dt.Type, error) { return dt.Vector(3, 2, 2, dt.Double) },
			48, 0, 48, 0, 48, []B{{0, 48}}, 6},
		{"vector/negative-stride", func(t *testing.T) (*dt.Type, error) { return dt.Vector(3, 1, -2, dt.Int) },
			12, -16, 20, -16, 20, []B{{0, 4}, {-8, 4}, {-16, 4}}, 3},
		{"vector/of-resized-negative", func(t *testing.T) (*dt.Type, error) {
			return dt.Vector(2, 1, -3, resizedInt(t, -4, 12))
		}, 8, -40, 48, -36, 40, []B{{0, 4}, {-36, 4}}, 2},
		{"vector/of-padded-struct", func(t *testing.T) (*dt.Type, error) { return dt.Vector(2, 1, 2, structDI(t)) },
			24, 0, 48, 0, 44, []B{{0, 12}, {32, 12}}, 4},
		{"hvector", func(t *testing.T) (*dt.Type, error) { return dt.Hvector(2, 3, 100, dt.Int) },
			24, 0, 112, 0, 112, []B{{0, 12}, {100, 12}}, 6},
		{"indexed", func(t *testing.T) (*dt.Type, error) {
			return dt.Indexed([]int{2, 1, 3}, []int{5, 0, 10}, dt.Int)
		}, 24, 0, 52, 0, 52, []B{{20, 8}, {0, 4}, {40, 12}}, 6},
		{"indexed/zero-block", func(t *testing.T) (*dt.Type, error) {
			return dt.Indexed([]int{1, 0, 1}, []int{2, 100, 4}, dt.Int)
		}, 8, 8, 12, 8, 12, []B{{8, 4}, {16, 4}}, 2},
		{"hindexed/negative", func(t *testing.T) (*dt.Type, error) {
			return dt.Hindexed([]int{1, 1}, []int64{-8, 16}, dt.Double)
		}, 16, -8, 32, -8, 32, []B{{-8, 8}, {16, 8}}, 2},
		{"indexed_block", func(t *testing.T) (*dt.Type, error) { return dt.IndexedBlock(2, []int{0, 3, 6}, dt.Int) },
			24, 0, 32, 0, 32, []B{{0, 8}, {12, 8}, {24, 8}}, 6},
		{"hindexed_block", func(t *testing.T) (*dt.Type, error) { return dt.HindexedBlock(1, []int64{4, 0}, dt.Int) },
			8, 0, 8, 0, 8, []B{{4, 4}, {0, 4}}, 2},
		{"struct/padding", func(t *testing.T) (*dt.Type, error) {
			return dt.Struct([]int{1, 1, 1}, []int64{0, 8, 16}, []*dt.Type{dt.Char, dt.Double, dt.Int})
		}, 13, 0, 24, 0, 20, []B{{0, 1}, {8, 12}}, 3},
		{"struct/char-tail", func(t *testing.T) (*dt.Type, error) {
			return dt.Struct([]int{1, 1}, []int64{0, 4}, []*dt.Type{dt.Int, dt.Char})
		}, 5, 0, 8, 0, 5, []B{{0, 5}}, 2},
		{"struct/sticky-bounds", func(t *testing.T) (*dt.Type, error) {
			return dt.Struct([]int{1, 1}, []int64{0, 100}, []*dt.Type{resizedInt(t, -4, 12), dt.Double})
		}, 12, -4, 12, 0, 108, []B{{0, 4}, {100, 8}}, 2},
		{"struct/empty", func(t *testing.T) (*dt.Type, error) {
			return dt.Struct([]int{0, 0}, []int64{0, 8}, []*dt.Type{dt.Double, dt.Int})
		}, 0, 0, 0, 0, 0, nil, 0},
		{"resized", func(t *testing.T) (*dt.Type, error) { return dt.Resized(dt.Int, 0, 8) },
			4, 0, 8, 0, 4, []B{{0, 4}}, 1},
		{"contiguous/of-resized", func(t *testing.T) (*dt.Type, error) { return dt.Contiguous(3, resizedInt(t, 0, 8)) },
			12, 0, 24, 0, 20, []B{{0, 4}, {8, 4}, {16, 4}}, 3},
		{"contiguous/of-resized-negative-lb", func(t *testing.T) (*dt.Type, error) {
			return dt.Contiguous(2, resizedInt(t, -4, 12))
		}, 8, -4, 24, 0, 16, []B{{0, 4}, {12, 4}}, 2},
		{"subarray/c", func(t *testing.T) (*dt.Type, error) {
			return dt.Subarray([]int{4, 5}, []int{2, 3}, []int{1, 2}, dt.OrderC, dt.Int)
		}, 24, 0, 80, 28, 32, []B{{28, 12}, {48, 12}}, 6},
		{"subarray/fortran", func(t *testing.T) (*dt.Type, error) {
			return dt.Subarray([]int{4, 5}, []int{2, 3}, []int{1, 2}, dt.OrderFortran, dt.Int)
		}, 24, 0, 80, 36, 40, []B{{36, 8}, {52, 8}, {68, 8}}, 6},
		{"subarray/3d", func(t *testing.T) (*dt.Type, error) {
			return dt.Subarray([]int{2, 3, 4}, []int{1, 2, 2}, []int{1, 1, 1}, dt.OrderC, dt.Double)
		}, 32, 0, 192, 136, 48, []B{{136, 16}, {168, 16}}, 4},
		{"subarray/whole", func(t *testing.T) (*dt.Type, error) {
			return dt.Subarray([]int{3, 4}, []int{3, 4}, []int{0, 0}, dt.OrderC, dt.Float)
		}, 48, 0, 48, 0, 48, []B{{0, 48}}, 12},
		{"dup", func(t *testing.T) (*dt.Type, error) { return dt.Dup(must(t)(dt.Vector(3, 2, 4, dt.Double))) },
			48, 0, 80, 0, 80, []B{{0, 16}, {32, 16}, {64, 16}}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ := must(t)(tc.build(t))
			require.Equal(t, tc.size, typ.Size(), "size")
			lb, ext := typ.Extent()
			require.Equal(t, [2]int64{tc.lb, tc.ext}, [2]int64{lb, ext}, "lb, extent")
			tlb, text := typ.TrueExtent()
			require.Equal(t, [2]int64{tc.tlb, tc.text}, [2]int64{tlb, text}, "true lb, true extent")
			bs, err := typ.Blocks()
			require.NoError(t, err)
			require.Equal(t, tc.blocks, bs, "blocks")
			require.Equal(t, tc.nbasic, typ.NumBasic(), "basic elements")
			require.True(t, typ.Committed())
		})
	}
}

func TestConstructors_errors(t *testing.T) {
	tests := []struct {
		name  string
		build func() (*dt.Type, error)
		want  error
	}{
		{"contiguous/negative", func() (*dt.Type, error) { return dt.Contiguous(-1, dt.Int) }, dt.ErrCount},
		{"contiguous/null", func() (*dt.Type, error) { return dt.Contiguous(1, nil) }, dt.ErrType},
		{"vector/negative-blocklen", func() (*dt.Type, error) { return dt.Vector(1, -1, 1, dt.Int) }, dt.ErrCount},
		{"vector/overflow", func() (*dt.Type, error) { return dt.Hvector(1<<30, 1<<30, 1<<40, dt.Int) }, dt.ErrTooLarge},
		{"indexed/lengths", func() (*dt.Type, error) { return dt.Indexed([]int{1}, []int{1, 2}, dt.Int) }, dt.ErrArg},
		{"indexed/negative", func() (*dt.Type, error) { return dt.Indexed([]int{-1}, []int{0}, dt.Int) }, dt.ErrCount},
		{"struct/null-member", func() (*dt.Type, error) {
			return dt.Struct([]int{1}, []int64{0}, []*dt.Type{nil})
		}, dt.ErrType},
		{"subarray/out-of-array", func() (*dt.Type, error) {
			return dt.Subarray([]int{4}, []int{3}, []int{2}, dt.OrderC, dt.Int)
		}, dt.ErrArg},
		{"subarray/order", func() (*dt.Type, error) {
			return dt.Subarray([]int{4}, []int{3}, []int{0}, dt.Order(7), dt.Int)
		}, dt.ErrArg},
		{"resized/null", func() (*dt.Type, error) { return dt.Resized(nil, 0, 4) }, dt.ErrType},
		{"resized/overflow", func() (*dt.Type, error) { return dt.Resized(dt.Int, 1<<62, 1<<62) }, dt.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.build()
			require.ErrorIs(t, err, tc.want)
		})
	}
}

func TestCommit_tooLarge(t *testing.T) {
	// 2^21 irregular blocks: more than the flattened form allows.
	inner, err := dt.Indexed([]int{1, 2}, []int{0, 3}, dt.Int)
	require.NoError(t, err)
	big, err := dt.Contiguous(1<<20, inner)
	require.NoError(t, err)
	require.ErrorIs(t, big.Commit(), dt.ErrTooLarge)
	require.False(t, big.Committed())
}

func TestCommit_largeRegularIsCompact(t *testing.T) {
	// A huge vector stays one strided run, and a huge contiguous one block.
	v := must(t)(dt.Vector(1<<28, 1, 2, dt.Double))
	_, ext := v.Extent()
	require.Equal(t, int64((1<<28-1)*16+8), ext)
	c := must(t)(dt.Contiguous(1<<30, must(t)(dt.Contiguous(4, dt.Byte))))
	bs, err := c.Blocks()
	require.NoError(t, err)
	require.Equal(t, []B{{0, 1 << 32}}, bs)
}
