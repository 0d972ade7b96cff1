package datatype

// The predefined types of the wasm32 guest. The ids are the values of the
// MPI_Datatype constants in mpi.h (generated from this table), so they must
// never change; 0 is MPI_DATATYPE_NULL. Derived handles are allocated by the
// adapter from FirstDerivedID up.
//
// Sizes are those of clang's wasm32 C ABI: long is 4 bytes, long double is
// IEEE binary128 (16 bytes, 16-aligned), and MPI_Aint is intptr_t (4 bytes)
// while MPI_Offset and MPI_Count are long long. Go code carries all three as
// int64; the adapter converts at the guest boundary using AintSize etc.

// Guest widths of the address-sized integer types.
const (
	AintSize   = 4 // MPI_Aint is intptr_t (long) on wasm32
	OffsetSize = 8 // MPI_Offset is long long
	CountSize  = 8 // MPI_Count is long long
)

// NullID is MPI_DATATYPE_NULL.
const NullID ID = 0

// FirstDerivedID is the first handle the adapter may give a derived type;
// ids below it are reserved for predefined types.
const FirstDerivedID ID = 256

func scalar(name, ctype string, id ID, kind Kind, size int64, aliases ...string) *Type {
	t := &Type{name: name, ctype: ctype, aliases: aliases, id: id, kind: kind, combiner: CombinerNamed,
		size: size, ub: size, tub: size, align: size, nbasic: 1, committed: true}
	t.leaf = t
	return t
}

func init() {
	// A complex is aligned as its parts. (Pairs are built before init runs,
	// but none holds a complex.)
	for _, t := range []*Type{CFloatComplex, CDoubleComplex, CLongDoubleComplex,
		CXXFloatComplex, CXXDoubleComplex, CXXLongDoubleComplex} {
		t.align = t.size / 2
	}
}

// pair builds a MINLOC/MAXLOC pair type as the C struct {value; int}: the int
// follows the value at the int's alignment and the extent is padded to the
// struct's alignment, which is what Struct computes.
func pair(name, ctype string, id ID, value *Type) *Type {
	off := (value.size + Int.align - 1) / Int.align * Int.align
	t, err := Struct([]int{1, 1}, []int64{0, off}, []*Type{value, Int})
	if err != nil {
		panic(err)
	}
	t.name, t.ctype, t.id, t.kind, t.combiner, t.committed = name, ctype, id, KindPair, CombinerNamed, true
	t.leaf = t
	return t
}

// The predefined types, exported for the adapter and the op package.
var (
	Char                 = scalar("MPI_CHAR", "char", 1, KindChar, 1)
	SignedChar           = scalar("MPI_SIGNED_CHAR", "signed char", 2, KindInt, 1)
	UnsignedChar         = scalar("MPI_UNSIGNED_CHAR", "unsigned char", 3, KindUint, 1)
	Byte                 = scalar("MPI_BYTE", "unsigned char", 4, KindByte, 1)
	WChar                = scalar("MPI_WCHAR", "wchar_t", 5, KindChar, 4)
	Short                = scalar("MPI_SHORT", "short", 6, KindInt, 2)
	UnsignedShort        = scalar("MPI_UNSIGNED_SHORT", "unsigned short", 7, KindUint, 2)
	Int                  = scalar("MPI_INT", "int", 8, KindInt, 4)
	Unsigned             = scalar("MPI_UNSIGNED", "unsigned", 9, KindUint, 4)
	Long                 = scalar("MPI_LONG", "long", 10, KindInt, 4)
	UnsignedLong         = scalar("MPI_UNSIGNED_LONG", "unsigned long", 11, KindUint, 4)
	LongLong             = scalar("MPI_LONG_LONG_INT", "long long", 12, KindInt, 8, "MPI_LONG_LONG")
	UnsignedLongLong     = scalar("MPI_UNSIGNED_LONG_LONG", "unsigned long long", 13, KindUint, 8)
	Float                = scalar("MPI_FLOAT", "float", 14, KindFloat, 4)
	Double               = scalar("MPI_DOUBLE", "double", 15, KindFloat, 8)
	LongDouble           = scalar("MPI_LONG_DOUBLE", "long double", 16, KindFloat, 16)
	CBool                = scalar("MPI_C_BOOL", "_Bool", 17, KindBool, 1)
	Int8                 = scalar("MPI_INT8_T", "int8_t", 18, KindInt, 1)
	Int16                = scalar("MPI_INT16_T", "int16_t", 19, KindInt, 2)
	Int32                = scalar("MPI_INT32_T", "int32_t", 20, KindInt, 4)
	Int64                = scalar("MPI_INT64_T", "int64_t", 21, KindInt, 8)
	Uint8                = scalar("MPI_UINT8_T", "uint8_t", 22, KindUint, 1)
	Uint16               = scalar("MPI_UINT16_T", "uint16_t", 23, KindUint, 2)
	Uint32               = scalar("MPI_UINT32_T", "uint32_t", 24, KindUint, 4)
	Uint64               = scalar("MPI_UINT64_T", "uint64_t", 25, KindUint, 8)
	CFloatComplex        = scalar("MPI_C_FLOAT_COMPLEX", "float _Complex", 26, KindComplex, 8, "MPI_C_COMPLEX")
	CDoubleComplex       = scalar("MPI_C_DOUBLE_COMPLEX", "double _Complex", 27, KindComplex, 16)
	CLongDoubleComplex   = scalar("MPI_C_LONG_DOUBLE_COMPLEX", "long double _Complex", 28, KindComplex, 32)
	Aint                 = scalar("MPI_AINT", "MPI_Aint", 29, KindAddr, AintSize)
	Offset               = scalar("MPI_OFFSET", "MPI_Offset", 30, KindAddr, OffsetSize)
	Count                = scalar("MPI_COUNT", "MPI_Count", 31, KindAddr, CountSize)
	Packed               = scalar("MPI_PACKED", "", 32, KindPacked, 1)
	CXXBool              = scalar("MPI_CXX_BOOL", "bool", 33, KindBool, 1)
	CXXFloatComplex      = scalar("MPI_CXX_FLOAT_COMPLEX", "std::complex<float>", 34, KindComplex, 8)
	CXXDoubleComplex     = scalar("MPI_CXX_DOUBLE_COMPLEX", "std::complex<double>", 35, KindComplex, 16)
	CXXLongDoubleComplex = scalar("MPI_CXX_LONG_DOUBLE_COMPLEX", "std::complex<long double>", 36, KindComplex, 32)

	FloatInt      = pair("MPI_FLOAT_INT", "struct { float v; int i; }", 40, Float)
	DoubleInt     = pair("MPI_DOUBLE_INT", "struct { double v; int i; }", 41, Double)
	LongInt       = pair("MPI_LONG_INT", "struct { long v; int i; }", 42, Long)
	TwoInt        = pair("MPI_2INT", "struct { int v; int i; }", 43, Int)
	ShortInt      = pair("MPI_SHORT_INT", "struct { short v; int i; }", 44, Short)
	LongDoubleInt = pair("MPI_LONG_DOUBLE_INT", "struct { long double v; int i; }", 45, LongDouble)
)

// Predefined lists every predefined type in id order. The header generator
// emits `#define <Name> ((MPI_Datatype)<ID>)` for each name and alias.
var Predefined = []*Type{
	Char, SignedChar, UnsignedChar, Byte, WChar, Short, UnsignedShort, Int, Unsigned, Long, UnsignedLong,
	LongLong, UnsignedLongLong, Float, Double, LongDouble, CBool,
	Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64,
	CFloatComplex, CDoubleComplex, CLongDoubleComplex, Aint, Offset, Count, Packed,
	CXXBool, CXXFloatComplex, CXXDoubleComplex, CXXLongDoubleComplex,
	FloatInt, DoubleInt, LongInt, TwoInt, ShortInt, LongDoubleInt,
}

// byID is indexed by handle: every MPI call with a buffer looks its type
// up, so this is an array, not a map.
var byID = func() (a [FirstDerivedID]*Type) {
	for _, t := range Predefined {
		a[t.id] = t
	}
	return a
}()

// ByID returns the predefined type with handle id, or nil.
func ByID(id ID) *Type {
	if id < 0 || id >= FirstDerivedID {
		return nil
	}
	return byID[id]
}

// PairLayout returns the value type of a MINLOC/MAXLOC pair type and the
// offset of its int index (the value is at offset 0); ok is false for any
// other type.
func (t *Type) PairLayout() (value *Type, indexOff int64, ok bool) {
	if t.kind != KindPair {
		return nil, 0, false
	}
	return t.entries[0].child, t.entries[1].disp, true
}
