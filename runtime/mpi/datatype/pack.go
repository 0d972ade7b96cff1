package datatype

import (
	"encoding/binary"
	"fmt"
)

// Span returns the byte range [lo, hi) relative to the buffer pointer that
// count elements of t touch. It is empty (lo == hi == 0) when no data is
// touched.
func Span(count int, t *Type) (lo, hi int64, err error) {
	if t == nil {
		return 0, 0, ErrType
	}
	if count < 0 {
		return 0, 0, ErrCount
	}
	if count == 0 || t.size == 0 {
		return 0, 0, nil
	}
	last, ok := mul(int64(count-1), t.ub-t.lb)
	if !ok {
		return 0, 0, ErrTooLarge
	}
	return t.tlb + min(0, last), t.tub + max(0, last), nil
}

// CheckBounds returns ErrBuffer unless every data byte of count elements of
// t at off lies inside mem.
func CheckBounds(mem []byte, off int64, count int, t *Type) error {
	lo, hi, err := Span(count, t)
	if err != nil {
		return err
	}
	if lo == hi {
		return nil
	}
	a, ok1 := add(off, lo)
	b, ok2 := add(off, hi)
	if !ok1 || !ok2 || a < 0 || b > int64(len(mem)) {
		return fmt.Errorf("datatype: %d x %v at %d reaches [%d,%d) outside memory of %d bytes: %w",
			count, t, off, a, b, len(mem), ErrBuffer)
	}
	return nil
}

// PackSize is the number of bytes Pack writes for count elements of t
// (MPI_Pack_size; our packed format has no header).
func PackSize(count int, t *Type) (int64, error) {
	if t == nil {
		return 0, ErrType
	}
	if count < 0 {
		return 0, ErrCount
	}
	n, ok := mul(int64(count), t.size)
	if !ok {
		return 0, ErrTooLarge
	}
	return n, nil
}

// Pack copies the data of count elements of t at mem[off:] into dst, in
// typemap order, and returns the number of bytes written. It returns
// ErrTruncate if dst is too short and ErrBuffer if an element reaches outside
// mem; nothing is written then.
func Pack(dst []byte, mem []byte, off int64, count int, t *Type) (int, error) {
	n, err := prepare(mem, off, count, t)
	if err != nil {
		return 0, fmt.Errorf("datatype.pack: %w", err)
	}
	if int64(len(dst)) < n {
		return 0, fmt.Errorf("datatype.pack: %d bytes into %d: %w", n, len(dst), ErrTruncate)
	}
	walk(mem, off, count, t, dst[:n], false)
	return int(n), nil
}

// Unpack copies packed bytes from src into count elements of t at mem[off:]
// and returns the number of bytes consumed. A short src fills only the leading
// bytes (a short message: see GetElements for what arrived); a src longer than
// count elements fills them all and returns ErrTruncate with the count of
// bytes written, as a receive does. Bytes of mem outside the type's blocks
// are never written. ErrBuffer (nothing written) if the elements that src
// reaches do not lie inside mem.
func Unpack(mem []byte, off int64, count int, t *Type, src []byte) (int, error) {
	n, err := PackSize(count, t)
	if err != nil {
		return 0, fmt.Errorf("datatype.unpack: %w", err)
	}
	var trunc error
	if int64(len(src)) > n {
		trunc = fmt.Errorf("datatype.unpack: %d bytes into %d: %w", len(src), n, ErrTruncate)
	} else {
		n = int64(len(src))
	}
	touched := count
	if t.size > 0 {
		touched = int((n + t.size - 1) / t.size)
	}
	if _, err := prepare(mem, off, touched, t); err != nil {
		return 0, fmt.Errorf("datatype.unpack: %w", err)
	}
	if n == 0 {
		return 0, trunc
	}
	walkPartial(mem, off, t, src[:n], true)
	return int(n), trunc
}

// Copy moves data from count elements of src type at srcMem[srcOff:] to
// dstCount elements of dst type at dstMem[dstOff:] without an intermediate
// buffer, the way a receive is matched against a send: the typemaps are
// walked in step and min of the two sizes is copied. It returns the bytes
// copied, and ErrTruncate when the source holds more than the destination.
// Type signatures are not checked (see Compatible).
func Copy(dstMem []byte, dstOff int64, dstCount int, dst *Type, srcMem []byte, srcOff int64, srcCount int, src *Type) (int64, error) {
	sn, err := prepare(srcMem, srcOff, srcCount, src)
	if err != nil {
		return 0, fmt.Errorf("datatype.copy: source: %w", err)
	}
	dn, err := PackSize(dstCount, dst)
	if err != nil {
		return 0, fmt.Errorf("datatype.copy: destination: %w", err)
	}
	var trunc error
	n := sn
	if sn > dn {
		trunc = fmt.Errorf("datatype.copy: %d bytes into %d: %w", sn, dn, ErrTruncate)
		n = dn
	}
	touched := dstCount
	if dst.size > 0 {
		touched = int((n + dst.size - 1) / dst.size)
	}
	if _, err := prepare(dstMem, dstOff, touched, dst); err != nil {
		return 0, fmt.Errorf("datatype.copy: destination: %w", err)
	}
	if n == 0 {
		return 0, trunc
	}
	if src.dense() && dst.dense() {
		a, b := srcOff+src.lb, dstOff+dst.lb
		copy(dstMem[b:b+n], srcMem[a:a+n])
		return n, trunc
	}
	if src.dense() {
		a := srcOff + src.lb
		walkPartial(dstMem, dstOff, dst, srcMem[a:a+n], true)
		return n, trunc
	}
	if dst.dense() {
		b := dstOff + dst.lb
		walkPartial(srcMem, srcOff, src, dstMem[b:b+n], false)
		return n, trunc
	}
	sc, dc := newCursor(srcOff, srcCount, src), newCursor(dstOff, touched, dst)
	var sa, sl, da, dl int64
	for left := n; left > 0; {
		if sl == 0 {
			sa, sl = sc.next(left)
		}
		if dl == 0 {
			da, dl = dc.next(left)
		}
		k := min(sl, dl)
		copy(dstMem[da:da+k], srcMem[sa:sa+k])
		sa, sl, da, dl, left = sa+k, sl-k, da+k, dl-k, left-k
	}
	return n, trunc
}

// prepare validates count elements of t at off in mem, flattening t if
// needed, and returns their packed size.
func prepare(mem []byte, off int64, count int, t *Type) (int64, error) {
	n, err := PackSize(count, t)
	if err != nil {
		return 0, err
	}
	if _, err := t.segs(); err != nil {
		return 0, err
	}
	return n, CheckBounds(mem, off, count, t)
}

// walkPartial copies len(buf) bytes between buf and the leading elements of t
// at off: whole elements with walk, then the start of one more.
func walkPartial(mem []byte, off int64, t *Type, buf []byte, unpack bool) {
	full := int(int64(len(buf)) / t.size)
	walk(mem, off, full, t, buf[:int64(full)*t.size], unpack)
	rest := buf[int64(full)*t.size:]
	c := newCursor(off+int64(full)*(t.ub-t.lb), 1, t)
	for len(rest) > 0 {
		a, l := c.next(int64(len(rest)))
		if unpack {
			copy(mem[a:a+l], rest[:l])
		} else {
			copy(rest[:l], mem[a:a+l])
		}
		rest = rest[l:]
	}
}

// walk copies between buf (packed, exactly count*size bytes) and count
// elements of t at off in mem, whose bounds the caller has checked. The
// 8- and 4-byte block cases avoid copy's call overhead: a column of doubles is
// the common strided type.
func walk(mem []byte, off int64, count int, t *Type, buf []byte, unpack bool) {
	if count == 0 || t.size == 0 {
		return
	}
	if t.dense() {
		a := off + t.lb
		if unpack {
			copy(mem[a:a+int64(len(buf))], buf)
		} else {
			copy(buf, mem[a:a+int64(len(buf))])
		}
		return
	}
	ss := t.flat
	ext := t.ub - t.lb
	p := 0
	for e := range int64(count) {
		base := off + e*ext
		for _, s := range ss {
			a := base + s.off
			switch {
			case s.len == 8 && !unpack:
				for range s.n {
					binary.LittleEndian.PutUint64(buf[p:p+8], binary.LittleEndian.Uint64(mem[a:a+8]))
					p, a = p+8, a+s.stride
				}
			case s.len == 8:
				for range s.n {
					binary.LittleEndian.PutUint64(mem[a:a+8], binary.LittleEndian.Uint64(buf[p:p+8]))
					p, a = p+8, a+s.stride
				}
			case s.len == 4 && !unpack:
				for range s.n {
					binary.LittleEndian.PutUint32(buf[p:p+4], binary.LittleEndian.Uint32(mem[a:a+4]))
					p, a = p+4, a+s.stride
				}
			case s.len == 4:
				for range s.n {
					binary.LittleEndian.PutUint32(mem[a:a+4], binary.LittleEndian.Uint32(buf[p:p+4]))
					p, a = p+4, a+s.stride
				}
			case !unpack:
				for range s.n {
					p += copy(buf[p:], mem[a:a+s.len])
					a += s.stride
				}
			default:
				for range s.n {
					p += copy(mem[a:a+s.len], buf[p:int64(p)+s.len])
					a += s.stride
				}
			}
		}
	}
}

// cursor yields the data blocks of count elements of t at base, in order,
// splitting them to a requested maximum.
type cursor struct {
	t         *Type
	base      int64
	count, e  int64
	si        int
	i, within int64
}

func newCursor(base int64, count int, t *Type) *cursor {
	return &cursor{t: t, base: base, count: int64(count)}
}

// next returns the address and length (at most max, > 0) of the next piece.
// The caller must not ask for more than the elements hold.
func (c *cursor) next(max int64) (int64, int64) {
	for {
		ss := c.t.flat
		s := ss[c.si]
		if c.within < s.len {
			a := c.base + c.e*(c.t.ub-c.t.lb) + s.off + c.i*s.stride + c.within
			l := min(s.len-c.within, max)
			c.within += l
			return a, l
		}
		c.within = 0
		if c.i++; c.i < s.n {
			continue
		}
		c.i = 0
		if c.si++; c.si < len(ss) {
			continue
		}
		c.si = 0
		c.e++
	}
}
