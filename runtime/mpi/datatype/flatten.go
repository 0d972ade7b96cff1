package datatype

import "fmt"

// seg is n byte blocks of length len, the i-th at off+i*stride from the start
// of an element. A committed type is a short list of segs: a vector is one,
// a contiguous run of anything dense is one block, so the copy loops run over
// blocks, never over the constructor tree.
type seg struct {
	off, len, stride, n int64
}

// Block is one run of data bytes of an element, in typemap order.
type Block struct {
	Off, Len int64
}

// maxSegs bounds the flattened form; a type that needs more (say, an indexed
// type with tens of millions of irregular blocks) fails to commit.
const maxSegs = 1 << 20

// maxWork bounds the flattening loop itself.
const maxWork = 1 << 24

func (t *Type) segs() ([]seg, error) {
	t.flatOnce.Do(func() {
		if t.entries == nil {
			t.flat = []seg{{off: 0, len: t.size, n: 1}}
		} else {
			var b segBuilder
			t.flatErr = b.addType(t, 0)
			if t.flatErr != nil {
				t.flatErr = fmt.Errorf("datatype.commit: %w", t.flatErr)
			}
			t.flat = b.segs
		}
		ss := t.flat
		t.isDense = t.flatErr == nil && len(ss) == 1 && ss[0].n == 1 && ss[0].len == t.size &&
			ss[0].off == t.lb && t.ub-t.lb == t.size
	})
	return t.flat, t.flatErr
}

// Blocks returns the data blocks of one element of t, in typemap order, with
// adjacent blocks merged. It is for tests and debugging: the copies use the
// compact form.
func (t *Type) Blocks() ([]Block, error) {
	ss, err := t.segs()
	if err != nil {
		return nil, err
	}
	var bs []Block
	for _, s := range ss {
		for i := range s.n {
			bs = append(bs, Block{s.off + i*s.stride, s.len})
		}
	}
	return bs, nil
}

// Dense reports whether one element of t is a single block of data covering
// exactly its extent, so that count elements at off are the count*size bytes
// from off+lb: the case where no packing is needed.
func (t *Type) Dense() bool { return t.dense() }

func (t *Type) dense() bool {
	t.segs()
	return t.isDense
}

type segBuilder struct {
	segs []seg
	work int64
}

func (b *segBuilder) addType(t *Type, base int64) error {
	for _, e := range t.entries {
		if e.n == 0 || e.blocklen == 0 || e.child.size == 0 {
			continue
		}
		ch := e.child
		cs, err := ch.segs()
		if err != nil {
			return err
		}
		cext := ch.ub - ch.lb
		if ch.dense() {
			// A block of blocklen dense children is one block.
			if err := b.add(seg{off: base + e.disp + ch.lb, len: e.blocklen * ch.size, stride: e.stride, n: e.n}); err != nil {
				return err
			}
			continue
		}
		if len(cs) == 1 && cs[0].n == 1 && e.blocklen == 1 {
			// One block per block: the entry is one seg.
			if err := b.add(seg{off: base + e.disp + cs[0].off, len: cs[0].len, stride: e.stride, n: e.n}); err != nil {
				return err
			}
			continue
		}
		if b.work += e.n * e.blocklen * int64(len(cs)); b.work > maxWork {
			return ErrTooLarge
		}
		for i := range e.n {
			for k := range e.blocklen {
				at := base + e.disp + i*e.stride + k*cext
				for _, s := range cs {
					if err := b.add(seg{off: at + s.off, len: s.len, stride: s.stride, n: s.n}); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// add appends s, merging it into the last seg when the blocks continue it:
// a block right after a single block lengthens it, and a block of the same
// length one stride on extends a strided seg.
func (b *segBuilder) add(s seg) error {
	if s.n == 1 {
		s.stride = 0
	}
	if n := len(b.segs); n > 0 {
		l := &b.segs[n-1]
		if s.n == 1 {
			switch {
			case l.n == 1 && l.off+l.len == s.off:
				l.len += s.len
				return nil
			case l.n == 1 && l.len == s.len:
				l.stride, l.n = s.off-l.off, 2
				return nil
			case l.n > 1 && l.len == s.len && s.off == l.off+l.n*l.stride:
				l.n++
				return nil
			}
		} else if l.n == 1 && s.stride == s.len && l.off+l.len == s.off {
			// a dense run of blocks after a block
			l.len += s.len * s.n
			return nil
		}
	}
	if s.n > 1 && s.stride == s.len {
		s.len, s.stride, s.n = s.len*s.n, 0, 1
		return b.add(s)
	}
	if len(b.segs) >= maxSegs {
		return ErrTooLarge
	}
	b.segs = append(b.segs, s)
	return nil
}
