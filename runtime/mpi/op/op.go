package op

import (
	"fmt"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// ID is an MPI_Op handle value as the guest sees it. Predefined ops have the
// fixed ids below (the values of the MPI_Op constants in mpi.h); 0 is
// MPI_OP_NULL; the adapter numbers user ops from FirstUserID.
type ID int32

// NullID is MPI_OP_NULL.
const NullID ID = 0

// FirstUserID is the first handle the adapter may give a user-defined op.
const FirstUserID ID = 64

// UserFunc is the body of a user-defined op: it must compute inout = in op
// inout for count elements of t, the buffers given as memory plus offset the
// way Apply gets them. The adapter's UserFunc calls the guest's
// MPI_User_function with guest pointers (copying into guest memory first when
// the buffers are host-side).
type UserFunc func(in []byte, inOff int64, inout []byte, inoutOff int64, count int, t *dt.Type) error

// Op is a reduction operation: predefined, or user-defined via New.
type Op struct {
	name        string
	id          ID
	commutative bool
	user        UserFunc
}

// Name is the MPI name of a predefined op ("MPI_SUM"), "" for a user op.
func (o *Op) Name() string { return o.name }

// ID is the handle of a predefined op, 0 for a user op.
func (o *Op) ID() ID { return o.id }

// Commutative reports whether the op commutes (MPI_Op_commutative). All
// predefined ops do; user ops say so when created. Collectives may reorder
// operands only for commutative ops.
func (o *Op) Commutative() bool { return o.commutative }

// Predefined reports whether o is one of the named ops.
func (o *Op) Predefined() bool { return o.user == nil }

func (o *Op) String() string {
	if o.name != "" {
		return o.name
	}
	return "user-op"
}

// New is MPI_Op_create: a user-defined op calling fn.
func New(fn UserFunc, commutative bool) *Op {
	return &Op{user: fn, commutative: commutative}
}

// The predefined ops.
var (
	Max     = &Op{name: "MPI_MAX", id: 1, commutative: true}
	Min     = &Op{name: "MPI_MIN", id: 2, commutative: true}
	Sum     = &Op{name: "MPI_SUM", id: 3, commutative: true}
	Prod    = &Op{name: "MPI_PROD", id: 4, commutative: true}
	Land    = &Op{name: "MPI_LAND", id: 5, commutative: true}
	Band    = &Op{name: "MPI_BAND", id: 6, commutative: true}
	Lor     = &Op{name: "MPI_LOR", id: 7, commutative: true}
	Bor     = &Op{name: "MPI_BOR", id: 8, commutative: true}
	Lxor    = &Op{name: "MPI_LXOR", id: 9, commutative: true}
	Bxor    = &Op{name: "MPI_BXOR", id: 10, commutative: true}
	Minloc  = &Op{name: "MPI_MINLOC", id: 11, commutative: true}
	Maxloc  = &Op{name: "MPI_MAXLOC", id: 12, commutative: true}
	Replace = &Op{name: "MPI_REPLACE", id: 13, commutative: false}
	NoOp    = &Op{name: "MPI_NO_OP", id: 14, commutative: false}
)

// maxPredefinedID is the largest predefined op id (MPI_NO_OP's): tables
// indexed by op id have this many entries plus one.
const maxPredefinedID = 14

// Predefined lists the predefined ops in id order, for the header generator
// (`#define <Name> ((MPI_Op)<ID>)`).
var Predefined = []*Op{Max, Min, Sum, Prod, Land, Band, Lor, Bor, Lxor, Bxor, Minloc, Maxloc, Replace, NoOp}

// ByID returns the predefined op with handle id, or nil.
func ByID(id ID) *Op {
	if id < 1 || int(id) > len(Predefined) {
		return nil
	}
	return Predefined[id-1]
}

// allowed lists, per predefined op, the type kinds MPI-3.1 §5.9.2 defines it
// on. MPI_CHAR, MPI_WCHAR and MPI_PACKED take no arithmetic; REPLACE and
// NO_OP take anything.
var allowed = map[*Op][]dt.Kind{
	Max:    {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindFloat},
	Min:    {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindFloat},
	Sum:    {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindFloat, dt.KindComplex},
	Prod:   {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindFloat, dt.KindComplex},
	Land:   {dt.KindInt, dt.KindUint, dt.KindBool},
	Lor:    {dt.KindInt, dt.KindUint, dt.KindBool},
	Lxor:   {dt.KindInt, dt.KindUint, dt.KindBool},
	Band:   {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindByte},
	Bor:    {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindByte},
	Bxor:   {dt.KindInt, dt.KindUint, dt.KindAddr, dt.KindByte},
	Minloc: {dt.KindPair},
	Maxloc: {dt.KindPair},
}

// Allowed returns nil when o may reduce t, else an error wrapping ErrOp. A
// predefined op takes a derived type whose basic elements are all of one
// predefined type it takes (a pair type counts as one), like a contiguous
// run of doubles; user ops take anything.
func Allowed(o *Op, t *dt.Type) error {
	if o == nil {
		return fmt.Errorf("op: null op: %w", ErrOp)
	}
	if t == nil {
		return fmt.Errorf("op: %v: null datatype: %w", o, ErrOp)
	}
	if o.user != nil || o == Replace || o == NoOp {
		return nil
	}
	leaf := t.Leaf()
	if leaf == nil {
		if t.Size() == 0 {
			return nil // nothing to reduce
		}
		return fmt.Errorf("op: %v on %v: mixed basic types: %w", o, t, ErrOp)
	}
	if allowedKinds[o.id]&(1<<leaf.Kind()) != 0 {
		return nil
	}
	return fmt.Errorf("op: %v on %v: %w", o, leaf, ErrOp)
}

// allowedKinds is allowed as a bit set of kinds per op id: every reduction
// asks, and a map lookup per call was a visible part of an 8-byte
// MPI_Allreduce.
var allowedKinds = func() (a [maxPredefinedID + 1]uint64) {
	for o, kinds := range allowed {
		for _, k := range kinds {
			a[o.id] |= 1 << k
		}
	}
	return a
}()
