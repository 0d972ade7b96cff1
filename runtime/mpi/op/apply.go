package op

import (
	"fmt"

	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// Apply computes inout = in op inout for count elements of t, where in and
// inout hold the elements in t's memory layout from offset 0 (a predefined
// type, or a derived one whose true lb is not negative). It is
// MPI_Reduce_local. See ApplyAt for the general form.
func Apply(o *Op, t *dt.Type, in, inout []byte, count int) error {
	return ApplyAt(o, t, count, in, 0, inout, 0)
}

// ApplyAt is Apply with each buffer given as a memory and the offset of its
// first element, the way the datatype package addresses guest memory, so
// types with negative displacements work and both buffers may be guest
// memory. Every touched byte is bounds-checked (datatype.ErrBuffer); an op
// the standard does not define on t is ErrOp. Only the data bytes of inout
// are written: the gaps of a derived type keep their contents.
func ApplyAt(o *Op, t *dt.Type, count int, in []byte, inOff int64, inout []byte, inoutOff int64) error {
	if err := Allowed(o, t); err != nil {
		return err
	}
	if count < 0 {
		return fmt.Errorf("op: %v: count %d: %w", o, count, ErrCount)
	}
	if err := dt.CheckBounds(in, inOff, count, t); err != nil {
		return fmt.Errorf("op: %v: in: %w", o, err)
	}
	if err := dt.CheckBounds(inout, inoutOff, count, t); err != nil {
		return fmt.Errorf("op: %v: inout: %w", o, err)
	}
	switch {
	case o.user != nil:
		return o.user(in, inOff, inout, inoutOff, count, t)
	case o == NoOp:
		return nil
	case o == Replace:
		_, err := dt.Copy(inout, inoutOff, count, t, in, inOff, count, t)
		return err
	}
	if count == 0 || t.Size() == 0 {
		return nil
	}
	leaf := t.Leaf()
	var k kernel
	if id := leaf.ID(); o.id > 0 && int(o.id) < len(kernelTab) && id >= 0 && id < dt.FirstDerivedID {
		k = kernelTab[o.id][id]
	}
	if k == nil {
		return fmt.Errorf("op: %v on %v: no kernel: %w", o, leaf, ErrOp) // a table bug, not a guest error
	}
	lb, ext := t.Extent()
	switch {
	case t.Predefined():
		// In place, in the type's own layout (a pair array has padding).
		var l layout
		if _, idx, ok := t.PairLayout(); ok {
			l = layout{stride: int(ext), idxOff: int(idx)}
		}
		end := int64(count-1)*ext + t.Size()
		k(in[inOff:inOff+end], inout[inoutOff:inoutOff+end], count, l)
	case t.Dense():
		// Data is a run of packed leaves.
		n := int64(count) * t.Size()
		k(in[inOff+lb:inOff+lb+n], inout[inoutOff+lb:inoutOff+lb+n], int(n/leaf.Size()), packedLayout(leaf))
	default:
		// Gather both operands, reduce packed, scatter the result.
		n, err := dt.PackSize(count, t)
		if err != nil {
			return err
		}
		a, b := make([]byte, n), make([]byte, n)
		if _, err := dt.Pack(a, in, inOff, count, t); err != nil {
			return err
		}
		if _, err := dt.Pack(b, inout, inoutOff, count, t); err != nil {
			return err
		}
		k(a, b, int(n/leaf.Size()), packedLayout(leaf))
		if _, err := dt.Unpack(inout, inoutOff, count, t, b); err != nil {
			return err
		}
	}
	return nil
}

// packedLayout is the layout of packed leaves: pairs without padding.
func packedLayout(leaf *dt.Type) layout {
	if v, _, ok := leaf.PairLayout(); ok {
		return layout{stride: int(leaf.Size()), idxOff: int(v.Size())}
	}
	return layout{}
}

// Bind resolves predefined op o on predefined type t once and returns a
// function that reduces the whole elements of t laid out from the start
// of in (inout = in op inout), as ApplyAt(o, t, len(in)/extent, in, 0,
// inout, 0) does. The collectives combine block after block, and ApplyAt's
// checks and lookups on every block were a visible part of a small
// reduction. ok is false where only ApplyAt applies (user, REPLACE and
// NO_OP ops, derived types, or an op the type does not take).
func Bind(o *Op, t *dt.Type) (fn func(in, inout []byte), ok bool) {
	if o == nil || t == nil || o.user != nil || o == Replace || o == NoOp || !t.Predefined() || Allowed(o, t) != nil {
		return nil, false
	}
	id := t.ID()
	if o.id <= 0 || int(o.id) >= len(kernelTab) || id < 0 || id >= dt.FirstDerivedID {
		return nil, false
	}
	k := kernelTab[o.id][id]
	_, ext := t.Extent()
	size := t.Size()
	if k == nil || ext <= 0 || size <= 0 {
		return nil, false
	}
	var l layout
	if _, idx, isPair := t.PairLayout(); isPair {
		l = layout{stride: int(ext), idxOff: int(idx)}
	}
	return func(in, inout []byte) {
		count := int64(len(in)) / ext
		if count == 0 {
			return
		}
		end := (count-1)*ext + size
		if int64(len(inout)) < end {
			return // as ApplyAt: a short buffer reduces nothing
		}
		k(in[:end], inout[:end], int(count), l)
	}, true
}
