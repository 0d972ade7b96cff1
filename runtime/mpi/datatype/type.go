package datatype

import (
	"fmt"
	"math/bits"
	"sync"
)

// ID is a datatype handle value as the guest sees it. Predefined types have
// fixed ids (the table in predefined.go); derived types get theirs from the
// MPI adapter, which keeps the handle→*Type map per rank.
type ID int32

// Kind classifies a predefined type for the reduction rules of MPI-3.1 §5.9.2.
type Kind uint8

const (
	KindDerived Kind = iota // not predefined
	KindChar                // MPI_CHAR, MPI_WCHAR: characters, no arithmetic
	KindInt                 // signed C integers
	KindUint                // unsigned C integers
	KindFloat               // float, double, long double (binary128)
	KindComplex             // C complex types
	KindBool                // C _Bool / C++ bool
	KindByte                // MPI_BYTE
	KindPacked              // MPI_PACKED
	KindAddr                // MPI_AINT, MPI_OFFSET, MPI_COUNT ("multi-language" types)
	KindPair                // the MINLOC/MAXLOC pair structs
)

var kindNames = [...]string{"derived", "char", "int", "uint", "float", "complex", "bool", "byte", "packed", "addr", "pair"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Combiner says which constructor built a type (MPI_COMBINER_*), for
// debugging and for a future Type_get_envelope.
type Combiner uint8

const (
	CombinerNamed Combiner = iota
	CombinerDup
	CombinerContiguous
	CombinerVector
	CombinerHvector
	CombinerIndexed
	CombinerHindexed
	CombinerIndexedBlock
	CombinerHindexedBlock
	CombinerStruct
	CombinerSubarray
	CombinerResized
)

var combinerNames = [...]string{"named", "dup", "contiguous", "vector", "hvector", "indexed", "hindexed",
	"indexed_block", "hindexed_block", "struct", "subarray", "resized"}

func (c Combiner) String() string {
	if int(c) < len(combinerNames) {
		return combinerNames[c]
	}
	return fmt.Sprintf("Combiner(%d)", c)
}

// entry is the one shape every constructor reduces to: n blocks, the i-th
// starting at disp+i*stride bytes, each holding blocklen copies of child laid
// out at child's extent. A vector is one entry, an indexed type one entry per
// block, a struct one entry per member.
type entry struct {
	disp, stride int64
	n, blocklen  int64
	child        *Type
}

// Type is an MPI datatype. The zero value is not usable; get one from the
// predefined table or a constructor.
type Type struct {
	name     string
	ctype    string   // C spelling, predefined only
	aliases  []string // other MPI names of the same handle
	id       ID
	kind     Kind
	combiner Combiner
	entries  []entry // nil for predefined scalars

	size     int64 // bytes of data in one element
	lb, ub   int64 // bounds, with lb/ub markers (resized) taken into account
	tlb, tub int64 // true bounds: the hull of the data bytes
	align    int64 // strictest C alignment of the basic types inside
	nbasic   int64 // basic elements per element (pairs count 2)
	stickyLB bool  // lb set by a resized type somewhere inside
	stickyUB bool
	leaf     *Type // the single predefined type (pairs included) this type is made of, or nil

	committed bool

	flatOnce sync.Once
	flat     []seg
	flatErr  error
	isDense  bool // set with flat: every message of a dense type asks
}

// Name is the MPI name of a predefined type ("MPI_INT") and "" for a derived one.
func (t *Type) Name() string { return t.name }

// Aliases are the other MPI names for the same predefined handle
// (MPI_LONG_LONG for MPI_LONG_LONG_INT).
func (t *Type) Aliases() []string { return t.aliases }

// CType is the C type of a predefined type, for the header generator.
func (t *Type) CType() string { return t.ctype }

// ID is the handle of a predefined type, 0 for a derived one.
func (t *Type) ID() ID { return t.id }

// Kind is the reduction class of a predefined type, KindDerived otherwise.
func (t *Type) Kind() Kind { return t.kind }

// Predefined reports whether t is one of the named types.
func (t *Type) Predefined() bool { return t.kind != KindDerived }

// Combiner says which constructor built t.
func (t *Type) Combiner() Combiner { return t.combiner }

// Size is the number of data bytes in one element (MPI_Type_size).
func (t *Type) Size() int64 { return t.size }

// Extent returns lb and extent (MPI_Type_get_extent).
func (t *Type) Extent() (lb, extent int64) { return t.lb, t.ub - t.lb }

// TrueExtent returns the true lb and extent: the hull of the bytes that hold
// data, ignoring resizing and alignment padding (MPI_Type_get_true_extent).
func (t *Type) TrueExtent() (lb, extent int64) { return t.tlb, t.tub - t.tlb }

// Align is the strictest C alignment of the basic types inside t.
func (t *Type) Align() int64 { return t.align }

// NumBasic is the number of basic elements in one element of t (an element
// of a pair type counts as two).
func (t *Type) NumBasic() int64 { return t.nbasic }

// Leaf returns the predefined type (a pair type counts as one) that every
// basic element of t belongs to, or nil when t mixes several. Predefined
// reduction ops accept a derived type exactly when its Leaf is acceptable.
func (t *Type) Leaf() *Type { return t.leaf }

// Committed reports whether Commit was called (predefined types always are).
// The adapter rejects uncommitted types in communication with MPI_ERR_TYPE.
func (t *Type) Committed() bool { return t.committed }

func (t *Type) String() string {
	if t.name != "" {
		return t.name
	}
	return fmt.Sprintf("%s(size=%d,lb=%d,extent=%d)", t.combiner, t.size, t.lb, t.ub-t.lb)
}

// Commit builds the flattened form used by the copies (MPI_Type_commit) and
// marks t committed. It is idempotent. The copies flatten uncommitted types
// on first use too, so Commit mostly exists to report ErrTooLarge early.
func (t *Type) Commit() error {
	if _, err := t.segs(); err != nil {
		return err
	}
	t.committed = true
	return nil
}

// checked int64 arithmetic: every size, bound and address computed from guest
// input goes through these so that overflow becomes ErrTooLarge, not a wrap.

func mul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	hi, lo := bits.Mul64(uint64(abs(a)), uint64(abs(b)))
	if hi != 0 || lo >= limit || a == minInt64 || b == minInt64 {
		return 0, false
	}
	r := int64(lo)
	if (a < 0) != (b < 0) {
		r = -r
	}
	return r, true
}

const minInt64 = -1 << 63

// limit keeps every quantity well inside int64 so that sums of a few checked
// products cannot overflow either.
const limit = 1 << 60

func add(a, b int64) (int64, bool) {
	r := a + b
	return r, r > -limit && r < limit && a > -limit && a < limit && b > -limit && b < limit
}

func abs(a int64) int64 {
	if a < 0 {
		return -a
	}
	return a
}
