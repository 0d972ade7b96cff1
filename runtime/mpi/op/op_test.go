package op_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// The pinned handle values: mpi.h is generated from them.
func TestPredefined_pinnedIDs(t *testing.T) {
	want := []string{"MPI_MAX", "MPI_MIN", "MPI_SUM", "MPI_PROD", "MPI_LAND", "MPI_BAND", "MPI_LOR", "MPI_BOR",
		"MPI_LXOR", "MPI_BXOR", "MPI_MINLOC", "MPI_MAXLOC", "MPI_REPLACE", "MPI_NO_OP"}
	require.Len(t, op.Predefined, len(want))
	for i, o := range op.Predefined {
		require.Equal(t, want[i], o.Name())
		require.Equal(t, op.ID(i+1), o.ID())
		require.Same(t, o, op.ByID(o.ID()))
		require.True(t, o.Predefined())
		require.Less(t, o.ID(), op.FirstUserID)
	}
	require.Nil(t, op.ByID(op.NullID))
	require.Nil(t, op.ByID(15))
	require.True(t, op.Sum.Commutative())
	require.False(t, op.Replace.Commutative())
}

// standard is MPI-3.1 §5.9.2's table, spelled by type name, independent of
// the Kind classification the package uses.
func standard() map[*op.Op]map[string]bool {
	cInt := []string{"MPI_INT", "MPI_LONG", "MPI_SHORT", "MPI_UNSIGNED_SHORT", "MPI_UNSIGNED", "MPI_UNSIGNED_LONG",
		"MPI_LONG_LONG_INT", "MPI_UNSIGNED_LONG_LONG", "MPI_SIGNED_CHAR", "MPI_UNSIGNED_CHAR", "MPI_INT8_T",
		"MPI_INT16_T", "MPI_INT32_T", "MPI_INT64_T", "MPI_UINT8_T", "MPI_UINT16_T", "MPI_UINT32_T", "MPI_UINT64_T"}
	multi := []string{"MPI_AINT", "MPI_OFFSET", "MPI_COUNT"}
	fp := []string{"MPI_FLOAT", "MPI_DOUBLE", "MPI_LONG_DOUBLE"}
	logical := []string{"MPI_C_BOOL", "MPI_CXX_BOOL"}
	cplx := []string{"MPI_C_FLOAT_COMPLEX", "MPI_C_DOUBLE_COMPLEX", "MPI_C_LONG_DOUBLE_COMPLEX",
		"MPI_CXX_FLOAT_COMPLEX", "MPI_CXX_DOUBLE_COMPLEX", "MPI_CXX_LONG_DOUBLE_COMPLEX"}
	pairs := []string{"MPI_FLOAT_INT", "MPI_DOUBLE_INT", "MPI_LONG_INT", "MPI_2INT", "MPI_SHORT_INT", "MPI_LONG_DOUBLE_INT"}
	set := func(groups ...[]string) map[string]bool {
		m := map[string]bool{}
		for _, g := range groups {
			for _, n := range g {
				m[n] = true
			}
		}
		return m
	}
	return map[*op.Op]map[string]bool{
		op.Max: set(cInt, multi, fp), op.Min: set(cInt, multi, fp),
		op.Sum: set(cInt, multi, fp, cplx), op.Prod: set(cInt, multi, fp, cplx),
		op.Land: set(cInt, logical), op.Lor: set(cInt, logical), op.Lxor: set(cInt, logical),
		op.Band: set(cInt, multi, []string{"MPI_BYTE"}), op.Bor: set(cInt, multi, []string{"MPI_BYTE"}),
		op.Bxor:   set(cInt, multi, []string{"MPI_BYTE"}),
		op.Minloc: set(pairs), op.Maxloc: set(pairs),
	}
}

func TestAllowed(t *testing.T) {
	std := standard()
	for _, o := range op.Predefined {
		for _, typ := range dt.Predefined {
			err := op.Allowed(o, typ)
			buf := make([]byte, 64)
			aerr := op.Apply(o, typ, buf, make([]byte, 64), 1)
			if o == op.Replace || o == op.NoOp || std[o][typ.Name()] {
				require.NoError(t, err, "%v on %v", o, typ)
				require.NoError(t, aerr, "%v on %v", o, typ)
			} else {
				require.ErrorIs(t, err, op.ErrOp, "%v on %v", o, typ)
				require.ErrorIs(t, aerr, op.ErrOp, "%v on %v", o, typ)
			}
		}
	}
	require.ErrorIs(t, op.Allowed(nil, dt.Int), op.ErrOp)
	require.ErrorIs(t, op.Allowed(op.Sum, nil), op.ErrOp)
	mixed, err := dt.Struct([]int{1, 1}, []int64{0, 8}, []*dt.Type{dt.Double, dt.Int})
	require.NoError(t, err)
	require.ErrorIs(t, op.Allowed(op.Sum, mixed), op.ErrOp)
	require.NoError(t, op.Allowed(op.Replace, mixed))
	vec, err := dt.Vector(2, 1, 2, dt.Double)
	require.NoError(t, err)
	require.NoError(t, op.Allowed(op.Sum, vec))
	require.ErrorIs(t, op.Allowed(op.Band, vec), op.ErrOp)
}

func TestUser(t *testing.T) {
	var got []int
	o := op.New(func(in []byte, inOff int64, inout []byte, inoutOff int64, count int, typ *dt.Type) error {
		got = append(got, int(inOff), int(inoutOff), count)
		require.Same(t, dt.Int, typ)
		return nil
	}, false)
	require.False(t, o.Commutative())
	require.False(t, o.Predefined())
	require.Equal(t, op.NullID, o.ID())
	require.NoError(t, op.ApplyAt(o, dt.Int, 2, make([]byte, 16), 4, make([]byte, 16), 8))
	require.Equal(t, []int{4, 8, 2}, got)
	require.ErrorIs(t, op.ApplyAt(o, dt.Int, 3, make([]byte, 16), 8, make([]byte, 16), 0), dt.ErrBuffer)
	require.ErrorIs(t, op.Apply(op.Sum, dt.Int, nil, nil, -1), op.ErrCount)
}

// TestBind: for every predefined op on every predefined type it takes, the
// bound function computes what ApplyAt computes, pair types and padding
// included; where ApplyAt is the only way, Bind says no.
func TestBind(t *testing.T) {
	const count = 5
	for _, o := range op.Predefined {
		for _, ty := range dt.Predefined {
			fn, ok := op.Bind(o, ty)
			if op.Allowed(o, ty) != nil || o == op.Replace || o == op.NoOp {
				require.False(t, ok, "%v on %v", o, ty)
				continue
			}
			require.True(t, ok, "%v on %v", o, ty)
			_, ext := ty.Extent()
			n := int(ext) * count
			in, inout := make([]byte, n), make([]byte, n)
			for i := range in {
				// Small values keep floats, pairs and booleans meaningful.
				in[i], inout[i] = byte(i*7%5), byte(i*3%4)
			}
			want := append([]byte(nil), inout...)
			require.NoError(t, op.ApplyAt(o, ty, count, in, 0, want, 0))
			fn(in, inout)
			require.Equal(t, want, inout, "%v on %v", o, ty)
		}
	}
	two, err := dt.Contiguous(2, dt.Double)
	require.NoError(t, err)
	_, ok := op.Bind(op.Sum, two)
	require.False(t, ok, "a derived type")
}
