package snapshot

import "fmt"

// DataType is how the bytes of a merge region are read. Values travel in
// the batch format: do not renumber.
type DataType uint8

const (
	Raw DataType = iota // bytes; only Overwrite, Xor and Ignore apply
	I32                 // little-endian int32, wrapping arithmetic
	I64                 // little-endian int64, wrapping arithmetic
	F32                 // IEEE 754 binary32
	F64                 // IEEE 754 binary64
	numDataTypes
)

// Size is the element size in bytes (1 for Raw).
func (t DataType) Size() int {
	switch t {
	case I32, F32:
		return 4
	case I64, F64:
		return 8
	}
	return 1
}

func (t DataType) String() string {
	switch t {
	case Raw:
		return "raw"
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("datatype(%d)", uint8(t))
}

// MergeOp says how a diff combines with the master. With A0 the master's
// value now, B0 the value in the snapshot the thread started from and B1
// the thread's final value:
//
//	Overwrite A1 = B1
//	Sum       A1 = A0 + (B1 - B0)
//	Subtract  A1 = A0 - (B0 - B1)
//	Multiply  A1 = A0 * (B1 / B0)
//	Divide    A1 = A0 / (B0 / B1)
//	Max       A1 = max(A0, B1)
//	Min       A1 = min(A0, B1)
//	Xor       A1 = A0 ^ (B1 ^ B0), bytes whose delta is zero left alone
//
// Xor is what plain memory (outside merge regions) uses: the diff carries
// B1^B0, so bytes the thread did not change are zero in it and are never
// written, and diffs of nearby runs can be coalesced across unchanged gaps
// without clobbering bytes another thread wrote in the gap. For bytes the
// thread did change, the race-free contract (no other thread wrote them in
// the same interval) gives A0 == B0, so A1 = B1.
//
// Ignore marks regions that are never diffed (e.g. thread stacks). Values
// travel in the batch format: do not renumber.
type MergeOp uint8

const (
	Overwrite MergeOp = iota
	Sum
	Subtract
	Multiply
	Divide
	Max
	Min
	Xor
	Ignore
	numMergeOps
)

func (o MergeOp) String() string {
	switch o {
	case Overwrite:
		return "overwrite"
	case Sum:
		return "sum"
	case Subtract:
		return "subtract"
	case Multiply:
		return "multiply"
	case Divide:
		return "divide"
	case Max:
		return "max"
	case Min:
		return "min"
	case Xor:
		return "xor"
	case Ignore:
		return "ignore"
	}
	return fmt.Sprintf("mergeop(%d)", uint8(o))
}

// NeedsBase reports whether a diff with this op carries B0 (Diff.Base):
// the ops whose formula reads B0.
func (o MergeOp) NeedsBase() bool {
	return o == Sum || o == Subtract || o == Multiply || o == Divide
}

// validOp reports whether op applies to values of type t in a merge region.
func validOp(t DataType, op MergeOp) bool {
	if t >= numDataTypes || op >= numMergeOps {
		return false
	}
	if t == Raw {
		return op == Overwrite || op == Xor || op == Ignore
	}
	return op != Xor
}

// Diff is one FDiff: bytes of a thread's replica to merge into the master at
// Offset.
type Diff struct {
	Offset uint64
	// Data is B1 (the thread's values), or B1^B0 for Xor.
	Data []byte
	// Base is B0, the values the thread started from, for the ops that need
	// it (MergeOp.NeedsBase); len(Base) == len(Data). Nil otherwise.
	Base []byte
	Type DataType
	Op   MergeOp
}

// End is the offset one past the diff's last byte.
func (d *Diff) End() uint64 { return d.Offset + uint64(len(d.Data)) }

// Validate checks a diff's shape, not its bounds against a memory.
func (d *Diff) Validate() error {
	if !validOp(d.Type, d.Op) || d.Op == Ignore {
		return fmt.Errorf("snapshot: diff at %d: op %s on %s is not mergeable", d.Offset, d.Op, d.Type)
	}
	if len(d.Data) == 0 {
		return fmt.Errorf("snapshot: empty diff at %d", d.Offset)
	}
	if len(d.Data)%d.Type.Size() != 0 {
		return fmt.Errorf("snapshot: diff at %d: %d bytes is not a whole number of %s", d.Offset, len(d.Data), d.Type)
	}
	if d.Op.NeedsBase() {
		if len(d.Base) != len(d.Data) {
			return fmt.Errorf("snapshot: %s diff at %d: base has %d bytes, data %d", d.Op, d.Offset, len(d.Base), len(d.Data))
		}
	} else if len(d.Base) != 0 {
		return fmt.Errorf("snapshot: %s diff at %d carries a base", d.Op, d.Offset)
	}
	if d.Offset+uint64(len(d.Data)) < d.Offset {
		return fmt.Errorf("snapshot: diff at %d: end overflows", d.Offset)
	}
	return nil
}

// Batch is the diffs one replica ships at a synchronisation point.
type Batch []Diff

// Bytes is the total payload (Data plus Base) of the batch.
func (b Batch) Bytes() int {
	n := 0
	for i := range b {
		n += len(b[i].Data) + len(b[i].Base)
	}
	return n
}
