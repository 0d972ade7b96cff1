package datatype_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

func TestPredefined(t *testing.T) {
	ids := map[dt.ID]bool{}
	names := map[string]bool{}
	for _, typ := range dt.Predefined {
		require.NotEqual(t, dt.NullID, typ.ID(), typ.Name())
		require.Less(t, typ.ID(), dt.FirstDerivedID, typ.Name())
		require.False(t, ids[typ.ID()], "duplicate id %d", typ.ID())
		ids[typ.ID()] = true
		for _, n := range append([]string{typ.Name()}, typ.Aliases()...) {
			require.True(t, strings.HasPrefix(n, "MPI_"), n)
			require.False(t, names[n], "duplicate name %s", n)
			names[n] = true
		}
		require.Same(t, typ, dt.ByID(typ.ID()))
		require.True(t, typ.Predefined())
		require.True(t, typ.Committed())
		require.Same(t, typ, typ.Leaf())
		lb, ext := typ.Extent()
		require.Zero(t, lb, typ.Name())
		require.Equal(t, int64(0), ext%typ.Align(), "%s: extent %d not a multiple of alignment %d", typ.Name(), ext, typ.Align())
	}
	require.Nil(t, dt.ByID(dt.NullID))
	require.Nil(t, dt.ByID(1000))
}

// The pinned handle values: mpi.h is generated from them and compiled into
// guests, so changing one is an ABI break.
func TestPredefined_pinnedIDs(t *testing.T) {
	got := map[string]dt.ID{}
	for _, typ := range dt.Predefined {
		got[typ.Name()] = typ.ID()
	}
	want := map[string]dt.ID{
		"MPI_CHAR": 1, "MPI_SIGNED_CHAR": 2, "MPI_UNSIGNED_CHAR": 3, "MPI_BYTE": 4, "MPI_WCHAR": 5,
		"MPI_SHORT": 6, "MPI_UNSIGNED_SHORT": 7, "MPI_INT": 8, "MPI_UNSIGNED": 9, "MPI_LONG": 10,
		"MPI_UNSIGNED_LONG": 11, "MPI_LONG_LONG_INT": 12, "MPI_UNSIGNED_LONG_LONG": 13, "MPI_FLOAT": 14,
		"MPI_DOUBLE": 15, "MPI_LONG_DOUBLE": 16, "MPI_C_BOOL": 17, "MPI_INT8_T": 18, "MPI_INT16_T": 19,
		"MPI_INT32_T": 20, "MPI_INT64_T": 21, "MPI_UINT8_T": 22, "MPI_UINT16_T": 23, "MPI_UINT32_T": 24,
		"MPI_UINT64_T": 25, "MPI_C_FLOAT_COMPLEX": 26, "MPI_C_DOUBLE_COMPLEX": 27,
		"MPI_C_LONG_DOUBLE_COMPLEX": 28, "MPI_AINT": 29, "MPI_OFFSET": 30, "MPI_COUNT": 31, "MPI_PACKED": 32,
		"MPI_CXX_BOOL": 33, "MPI_CXX_FLOAT_COMPLEX": 34, "MPI_CXX_DOUBLE_COMPLEX": 35,
		"MPI_CXX_LONG_DOUBLE_COMPLEX": 36, "MPI_FLOAT_INT": 40, "MPI_DOUBLE_INT": 41, "MPI_LONG_INT": 42,
		"MPI_2INT": 43, "MPI_SHORT_INT": 44, "MPI_LONG_DOUBLE_INT": 45,
	}
	require.Equal(t, want, got)
}

func TestPairLayouts(t *testing.T) {
	tests := []struct {
		typ                   *dt.Type
		value                 *dt.Type
		idx, size, ext, align int64
		blocks                []B
	}{
		{dt.FloatInt, dt.Float, 4, 8, 8, 4, []B{{0, 8}}},
		{dt.DoubleInt, dt.Double, 8, 12, 16, 8, []B{{0, 12}}},
		{dt.LongInt, dt.Long, 4, 8, 8, 4, []B{{0, 8}}},
		{dt.TwoInt, dt.Int, 4, 8, 8, 4, []B{{0, 8}}},
		{dt.ShortInt, dt.Short, 4, 6, 8, 4, []B{{0, 2}, {4, 4}}},
		{dt.LongDoubleInt, dt.LongDouble, 16, 20, 32, 16, []B{{0, 20}}},
	}
	for _, tc := range tests {
		t.Run(tc.typ.Name(), func(t *testing.T) {
			v, idx, ok := tc.typ.PairLayout()
			require.True(t, ok)
			require.Same(t, tc.value, v)
			require.Equal(t, tc.idx, idx)
			require.Equal(t, tc.size, tc.typ.Size())
			_, ext := tc.typ.Extent()
			require.Equal(t, tc.ext, ext)
			require.Equal(t, tc.align, tc.typ.Align())
			bs, err := tc.typ.Blocks()
			require.NoError(t, err)
			require.Equal(t, tc.blocks, bs)
			require.Equal(t, int64(2), tc.typ.NumBasic())
		})
	}
	_, _, ok := dt.Int.PairLayout()
	require.False(t, ok)
}

// cSpelling is how the clang check spells each predefined type in C, with
// the C++ types given by their C layout twins.
func cSpelling(typ *dt.Type) string {
	switch typ {
	case dt.Packed:
		return ""
	case dt.WChar:
		return "__WCHAR_TYPE__"
	case dt.Aint:
		return "__INTPTR_TYPE__"
	case dt.Offset, dt.Count:
		return "long long"
	case dt.CXXBool:
		return "_Bool"
	case dt.CXXFloatComplex:
		return "float _Complex"
	case dt.CXXDoubleComplex:
		return "double _Complex"
	case dt.CXXLongDoubleComplex:
		return "long double _Complex"
	}
	c := typ.CType()
	if strings.HasSuffix(c, "_t") && strings.Contains(c, "int") {
		// freestanding: no <stdint.h>
		c = "__" + strings.ToUpper(strings.TrimSuffix(c, "_t")) + "_TYPE__"
	}
	return c
}

// TestLayoutsMatchClang compiles static assertions of every size, alignment
// and pair offset in the table with clang-19 for wasm32-wasi: the table is
// right exactly when the object file builds.
func TestLayoutsMatchClang(t *testing.T) {
	clang, err := exec.LookPath("clang-19")
	if err != nil {
		t.Skip("clang-19 not installed")
	}
	var src strings.Builder
	src.WriteString("#include <stddef.h>\n")
	for _, typ := range dt.Predefined {
		c := cSpelling(typ)
		if c == "" {
			continue
		}
		if v, idx, ok := typ.PairLayout(); ok {
			c = fmt.Sprintf("struct { %s v; int i; }", cSpelling(v))
			fmt.Fprintf(&src, "_Static_assert(offsetof(%s, i) == %d, \"%s index offset\");\n", c, idx, typ.Name())
		}
		_, ext := typ.Extent()
		fmt.Fprintf(&src, "_Static_assert(sizeof(%s) == %d, \"%s size\");\n", c, ext, typ.Name())
		fmt.Fprintf(&src, "_Static_assert(_Alignof(%s) == %d, \"%s alignment\");\n", c, typ.Align(), typ.Name())
		if typ.Kind() != dt.KindPair {
			require.Equal(t, ext, typ.Size(), typ.Name())
		}
	}
	// long double is IEEE binary128 on wasm32, which the op package relies on.
	src.WriteString("_Static_assert(__LDBL_MANT_DIG__ == 113, \"long double is binary128\");\n")
	dir := t.TempDir()
	cfile := filepath.Join(dir, "layout.c")
	require.NoError(t, os.WriteFile(cfile, []byte(src.String()), 0o644))
	out, err := exec.Command(clang, "--target=wasm32-wasi", "-ffreestanding", "-std=c11",
		"-c", "-o", filepath.Join(dir, "layout.o"), cfile).CombinedOutput()
	require.NoError(t, err, "clang:\n%s\nsource:\n%s", out, src.String())
}
