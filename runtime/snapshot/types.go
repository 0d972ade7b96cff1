package snapshot

import "fmt"

// DataType is how the bytes of a merge region are read. Values travel in
// the batch format: do not renumber.
type DataType uint8

const (
	Raw DataType = iota // bytes; only Overwrite, Xor, Patch and Ignore apply
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
//	Patch     A1 = B1 for the bytes in Diff.Mask, A0 elsewhere
//
// Patch is what plain memory (outside merge regions) uses unless
// DiffOptions.Xor asks for Xor: the diff carries the thread's new bytes and
// a mask of the bytes it changed, so a run coalesced across unchanged gaps
// never stores to a gap byte (another thread may own it: adjacent chars
// written by different threads are not a race in C11). Two threads that store the same value to one byte in the
// same interval (a benign race such as `found = 1`) both merge to that
// value, as on shared memory. Xor, which carried B1^B0, could not: the
// two deltas cancelled and the master kept the old value. Patch diffs do
// not commute as Xor diffs did, though: a byte written by a chain of
// threads handing a lock over must receive their diffs in release order.
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
	Patch
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
	case Patch:
		return "patch"
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
		return op == Overwrite || op == Xor || op == Patch || op == Ignore
	}
	return op != Xor && op != Patch
}

// Diff is one FDiff: bytes of a thread's replica to merge into the master at
// Offset.
type Diff struct {
	Offset uint64
	// Data is B1 (the thread's values), or B1^B0 for Xor.
	Data []byte
	// Mask says which bytes of Data a Patch diff writes: bit i%8 of
	// Mask[i/8] for Data[i]; len(Mask) == (len(Data)+7)/8 and the bits past
	// len(Data) are zero. Nil for every other op. ComputeDiffs leaves the
	// unmasked bytes of Data zero, which the batch encoding compresses.
	Mask []byte
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
	if d.Op == Patch {
		if err := checkMask(d.Mask, len(d.Data)); err != nil {
			return fmt.Errorf("snapshot: patch diff at %d: %w", d.Offset, err)
		}
	} else if d.Mask != nil {
		return fmt.Errorf("snapshot: %s diff at %d carries a mask", d.Op, d.Offset)
	}
	if d.Offset+uint64(len(d.Data)) < d.Offset {
		return fmt.Errorf("snapshot: diff at %d: end overflows", d.Offset)
	}
	return nil
}

// Batch is the diffs one replica ships at a synchronisation point.
type Batch []Diff

// Bytes is the total payload (Data, Base and Mask) of the batch.
func (b Batch) Bytes() int {
	n := 0
	for i := range b {
		n += len(b[i].Data) + len(b[i].Base) + len(b[i].Mask)
	}
	return n
}

// maskLen is the length of a Patch mask for n bytes of data.
func maskLen(n int) int { return (n + 7) / 8 }

// checkMask checks a Patch mask's length and that no bit is set past n
// (so that a batch has one encoding and decodes to what was encoded).
func checkMask(mask []byte, n int) error {
	if len(mask) != maskLen(n) {
		return fmt.Errorf("mask has %d bytes for %d bytes of data", len(mask), n)
	}
	if r := n % 8; r != 0 && mask[len(mask)-1]>>r != 0 {
		return fmt.Errorf("mask has bits set past its %d bytes of data", n)
	}
	return nil
}
