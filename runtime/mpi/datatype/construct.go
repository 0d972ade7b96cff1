package datatype

import "fmt"

// The constructors follow MPI-3.1 §4.1.2–4.1.7. Counts and block lengths are
// C ints in the guest; displacements in units of bytes (the h- variants and
// Struct) are MPI_Aint, carried as int64 here whatever their guest width.

// Contiguous is MPI_Type_contiguous: count copies of old at old's extent.
func Contiguous(count int, old *Type) (*Type, error) {
	if err := checkCountOld("contiguous", count, old); err != nil {
		return nil, err
	}
	return build(CombinerContiguous, []entry{{n: 1, blocklen: int64(count), child: old}}, false)
}

// Vector is MPI_Type_vector: count blocks of blocklen elements, the starts
// stride elements (of old's extent) apart.
func Vector(count, blocklen, stride int, old *Type) (*Type, error) {
	if err := checkCountOld("vector", count, old); err != nil {
		return nil, err
	}
	_, ext := old.Extent()
	s, ok := mul(int64(stride), ext)
	if !ok {
		return nil, fmt.Errorf("datatype.vector: stride %d: %w", stride, ErrTooLarge)
	}
	return hvector(CombinerVector, count, blocklen, s, old)
}

// Hvector is MPI_Type_create_hvector: like Vector with the stride in bytes.
func Hvector(count, blocklen int, stride int64, old *Type) (*Type, error) {
	if err := checkCountOld("hvector", count, old); err != nil {
		return nil, err
	}
	return hvector(CombinerHvector, count, blocklen, stride, old)
}

func hvector(c Combiner, count, blocklen int, stride int64, old *Type) (*Type, error) {
	if blocklen < 0 {
		return nil, fmt.Errorf("datatype.%s: blocklength %d: %w", c, blocklen, ErrCount)
	}
	return build(c, []entry{{stride: stride, n: int64(count), blocklen: int64(blocklen), child: old}}, false)
}

// Indexed is MPI_Type_indexed: block i holds blocklens[i] elements and starts
// displs[i] elements (of old's extent) from the origin.
func Indexed(blocklens, displs []int, old *Type) (*Type, error) {
	d, err := scaleDispls("indexed", displs, old)
	if err != nil {
		return nil, err
	}
	return hindexed(CombinerIndexed, blocklens, d, old)
}

// Hindexed is MPI_Type_create_hindexed: Indexed with displacements in bytes.
func Hindexed(blocklens []int, displs []int64, old *Type) (*Type, error) {
	return hindexed(CombinerHindexed, blocklens, displs, old)
}

// IndexedBlock is MPI_Type_create_indexed_block: Indexed with one block length.
func IndexedBlock(blocklen int, displs []int, old *Type) (*Type, error) {
	d, err := scaleDispls("indexed_block", displs, old)
	if err != nil {
		return nil, err
	}
	return hindexed(CombinerIndexedBlock, repeat(blocklen, len(displs)), d, old)
}

// HindexedBlock is MPI_Type_create_hindexed_block.
func HindexedBlock(blocklen int, displs []int64, old *Type) (*Type, error) {
	return hindexed(CombinerHindexedBlock, repeat(blocklen, len(displs)), displs, old)
}

func hindexed(c Combiner, blocklens []int, displs []int64, old *Type) (*Type, error) {
	if err := checkCountOld(c.String(), 0, old); err != nil {
		return nil, err
	}
	if len(blocklens) != len(displs) {
		return nil, fmt.Errorf("datatype.%s: %d block lengths, %d displacements: %w", c, len(blocklens), len(displs), ErrArg)
	}
	es := make([]entry, len(displs))
	for i := range displs {
		if blocklens[i] < 0 {
			return nil, fmt.Errorf("datatype.%s: blocklength[%d] = %d: %w", c, i, blocklens[i], ErrCount)
		}
		es[i] = entry{disp: displs[i], n: 1, blocklen: int64(blocklens[i]), child: old}
	}
	return build(c, es, false)
}

// Struct is MPI_Type_create_struct: member i is blocklens[i] copies of
// types[i] at byte displacement displs[i]. Unless a member carries an upper
// bound set by Resized, the extent is padded to the strictest member
// alignment, as C pads a struct (and as OpenMPI and MPICH do).
func Struct(blocklens []int, displs []int64, types []*Type) (*Type, error) {
	if len(blocklens) != len(displs) || len(blocklens) != len(types) {
		return nil, fmt.Errorf("datatype.struct: %d block lengths, %d displacements, %d types: %w",
			len(blocklens), len(displs), len(types), ErrArg)
	}
	es := make([]entry, len(types))
	for i := range types {
		if types[i] == nil {
			return nil, fmt.Errorf("datatype.struct: types[%d] is null: %w", i, ErrType)
		}
		if blocklens[i] < 0 {
			return nil, fmt.Errorf("datatype.struct: blocklength[%d] = %d: %w", i, blocklens[i], ErrCount)
		}
		es[i] = entry{disp: displs[i], n: 1, blocklen: int64(blocklens[i]), child: types[i]}
	}
	return build(CombinerStruct, es, true)
}

// Order is the array storage order of Subarray.
type Order int

const (
	OrderC       Order = iota // row-major, MPI_ORDER_C
	OrderFortran              // column-major, MPI_ORDER_FORTRAN
)

// Subarray is MPI_Type_create_subarray: the subsizes block at starts of an
// array of sizes elements of old. Its lb is 0 and its extent the whole
// array's, so consecutive elements are consecutive arrays.
func Subarray(sizes, subsizes, starts []int, order Order, old *Type) (*Type, error) {
	n := len(sizes)
	if n == 0 || len(subsizes) != n || len(starts) != n {
		return nil, fmt.Errorf("datatype.subarray: %d sizes, %d subsizes, %d starts: %w", n, len(subsizes), len(starts), ErrArg)
	}
	if order != OrderC && order != OrderFortran {
		return nil, fmt.Errorf("datatype.subarray: order %d: %w", order, ErrArg)
	}
	if err := checkCountOld("subarray", 0, old); err != nil {
		return nil, err
	}
	for i := range n {
		if sizes[i] < 1 || subsizes[i] < 0 || subsizes[i] > sizes[i] || starts[i] < 0 || starts[i] > sizes[i]-subsizes[i] {
			return nil, fmt.Errorf("datatype.subarray: dimension %d: size %d, subsize %d, start %d: %w",
				i, sizes[i], subsizes[i], starts[i], ErrArg)
		}
	}
	// dims[0] is the fastest-varying dimension.
	dim := func(i int) int {
		if order == OrderC {
			return n - 1 - i
		}
		return i
	}
	_, ext := old.Extent()
	t, err := Contiguous(subsizes[dim(0)], old)
	if err != nil {
		return nil, err
	}
	stride := ext // bytes between consecutive indices of dimension dim(i)
	var disp int64
	ok := true
	for i := range n {
		d := dim(i)
		var off int64
		if off, ok = mul(int64(starts[d]), stride); ok {
			disp, ok = add(disp, off)
		}
		if !ok {
			break
		}
		if i > 0 {
			if t, err = hvector(CombinerHvector, subsizes[d], 1, stride, t); err != nil {
				return nil, err
			}
		}
		if stride, ok = mul(stride, int64(sizes[d])); !ok {
			break
		}
	}
	if !ok {
		return nil, fmt.Errorf("datatype.subarray: array size: %w", ErrTooLarge)
	}
	if t, err = build(CombinerHindexed, []entry{{disp: disp, n: 1, blocklen: 1, child: t}}, false); err != nil {
		return nil, err
	}
	// stride is now the whole array's extent.
	if t, err = Resized(t, 0, stride); err != nil {
		return nil, err
	}
	t.combiner = CombinerSubarray
	return t, nil
}

// Resized is MPI_Type_create_resized: old with its lb and extent replaced.
// The new bounds are "sticky": types built from it keep them rather than the
// data's bounds (MPI-3.1 §4.1.7).
func Resized(old *Type, lb, extent int64) (*Type, error) {
	if old == nil {
		return nil, fmt.Errorf("datatype.resized: null type: %w", ErrType)
	}
	ub, ok := add(lb, extent)
	if !ok {
		return nil, fmt.Errorf("datatype.resized: lb %d extent %d: %w", lb, extent, ErrTooLarge)
	}
	t, err := build(CombinerResized, []entry{{n: 1, blocklen: 1, child: old}}, false)
	if err != nil {
		return nil, err
	}
	t.lb, t.ub = lb, ub
	t.stickyLB, t.stickyUB = true, true
	return t, nil
}

// Dup is MPI_Type_dup: a new derived type equal to old, committed if old is.
func Dup(old *Type) (*Type, error) {
	if old == nil {
		return nil, fmt.Errorf("datatype.dup: null type: %w", ErrType)
	}
	t, err := build(CombinerDup, []entry{{n: 1, blocklen: 1, child: old}}, false)
	if err != nil {
		return nil, err
	}
	t.lb, t.ub, t.stickyLB, t.stickyUB = old.lb, old.ub, old.stickyLB, old.stickyUB
	t.committed = old.committed
	return t, nil
}

func checkCountOld(what string, count int, old *Type) error {
	if old == nil {
		return fmt.Errorf("datatype.%s: null type: %w", what, ErrType)
	}
	if count < 0 {
		return fmt.Errorf("datatype.%s: count %d: %w", what, count, ErrCount)
	}
	return nil
}

func scaleDispls(what string, displs []int, old *Type) ([]int64, error) {
	if old == nil {
		return nil, fmt.Errorf("datatype.%s: null type: %w", what, ErrType)
	}
	_, ext := old.Extent()
	d := make([]int64, len(displs))
	for i, x := range displs {
		var ok bool
		if d[i], ok = mul(int64(x), ext); !ok {
			return nil, fmt.Errorf("datatype.%s: displacement[%d] = %d: %w", what, i, x, ErrTooLarge)
		}
	}
	return d, nil
}

func repeat(v, n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = v
	}
	return r
}

// build computes size, bounds and the rest for a type made of entries. The
// bound of each entry is the hull of its blocks, taken over the children's
// lb/ub; children with an lb (ub) marker decide the lb (ub) alone when present.
func build(c Combiner, es []entry, padStruct bool) (*Type, error) {
	t := &Type{combiner: c, entries: es, align: 1}
	tooLarge := fmt.Errorf("datatype.%s: %w", c, ErrTooLarge)
	var (
		haveLB, haveUB, haveMLB, haveMUB, haveData bool
		lb, ub, mlb, mub, tlb, tub                 int64
		leafSet, mixed                             bool
	)
	for _, e := range es {
		ch := e.child
		if e.n == 0 || e.blocklen == 0 {
			continue
		}
		if ch.size == 0 && !ch.stickyLB && !ch.stickyUB && ch.nbasic == 0 {
			continue // an empty type has an empty typemap: no bounds
		}
		copies, ok := mul(e.n, e.blocklen)
		if !ok {
			return nil, tooLarge
		}
		sz, ok1 := mul(copies, ch.size)
		nb, ok2 := mul(copies, ch.nbasic)
		t.size, ok1 = add(t.size, sz)
		t.nbasic, ok2 = add(t.nbasic, nb)
		if !ok1 || !ok2 {
			return nil, tooLarge
		}
		// Offsets of the first and last block and of the first and last copy within a block.
		span, ok3 := mul(e.n-1, e.stride)
		cext := ch.ub - ch.lb
		inner, ok4 := mul(e.blocklen-1, cext)
		if !ok3 || !ok4 {
			return nil, tooLarge
		}
		lo := e.disp + min(0, span) + min(0, inner)
		hi := e.disp + max(0, span) + max(0, inner)
		if _, ok := add(lo, 0); !ok {
			return nil, tooLarge
		}
		if _, ok := add(hi, 0); !ok {
			return nil, tooLarge
		}
		if ch.stickyLB {
			mlb, haveMLB = minFirst(mlb, lo+ch.lb, haveMLB), true
		} else {
			lb, haveLB = minFirst(lb, lo+ch.lb, haveLB), true
		}
		if ch.stickyUB {
			mub, haveMUB = maxFirst(mub, hi+ch.ub, haveMUB), true
		} else {
			ub, haveUB = maxFirst(ub, hi+ch.ub, haveUB), true
		}
		if ch.size > 0 {
			tlb, tub = minFirst(tlb, lo+ch.tlb, haveData), maxFirst(tub, hi+ch.tub, haveData)
			haveData = true
		}
		t.align = max(t.align, ch.align)
		switch {
		case ch.leaf == nil:
			mixed = true
		case !leafSet:
			t.leaf, leafSet = ch.leaf, true
		case t.leaf != ch.leaf:
			mixed = true
		}
	}
	if mixed {
		t.leaf = nil
	}
	if haveMLB {
		lb, t.stickyLB = mlb, true
	} else if !haveLB {
		lb = 0
	}
	if haveMUB {
		ub, t.stickyUB = mub, true
	} else if !haveUB {
		ub = lb
	}
	if !haveData {
		tlb, tub = 0, 0
	}
	if padStruct && !t.stickyUB && t.align > 1 {
		if r := (ub - lb) % t.align; r != 0 {
			ub += t.align - r
		}
	}
	if _, ok := add(ub-lb, 0); !ok {
		return nil, tooLarge
	}
	t.lb, t.ub, t.tlb, t.tub = lb, ub, tlb, tub
	return t, nil
}

func minFirst(cur, v int64, have bool) int64 {
	if !have || v < cur {
		return v
	}
	return cur
}

func maxFirst(cur, v int64, have bool) int64 {
	if !have || v > cur {
		return v
	}
	return cur
}
