package linker

// This file implements a bounded structural pre-pass over the module
// binary. wabin trusts the counts and sizes it reads and allocates for them
// before reading the data (make([]*Global, count), a 4 GiB custom section
// buffer, one byte per declared local), so a 20-byte file can make it try to
// allocate gigabytes, which is a fatal error in Go, not a recoverable panic.
// The pre-pass checks every count and size against the bytes that remain
// before wabin sees the module. It does not decode instructions: wabin does
// not either (function bodies stay opaque), and wasmtime validates them when
// it compiles.

import (
	"errors"
	"fmt"
)

// maxLocals is wasmtime's limit on locals per function; a body declaring
// more would be rejected at compile time anyway.
const maxLocals = 50000

var errTruncated = errors.New("unexpected end of section")

// reader is a cursor over one region of the binary.
type reader struct {
	b   []byte
	off int
}

func (r *reader) left() int { return len(r.b) - r.off }

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errTruncated
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *reader) skip(n uint64) error {
	if n > uint64(r.left()) {
		return fmt.Errorf("%d bytes declared, %d remain", n, r.left())
	}
	r.off += int(n)
	return nil
}

// leb reads an unsigned or signed LEB128 of at most maxBytes bytes; the
// value is returned only for unsigned reads up to 32 bits.
func (r *reader) leb(maxBytes int) (uint64, error) {
	var v uint64
	for i := 0; i < maxBytes; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i < 9 {
			v |= uint64(c&0x7f) << (7 * i)
		}
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("integer representation too long")
}

func (r *reader) u32() (uint32, error) {
	v, err := r.leb(5)
	if err != nil {
		return 0, err
	}
	if v > 0xffffffff {
		return 0, errors.New("integer too large")
	}
	return uint32(v), nil
}

// count reads a vector length and checks each element can still take at
// least minSize bytes.
func (r *reader) count(minSize int) (uint32, error) {
	n, err := r.u32()
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(r.left()) {
		return 0, fmt.Errorf("vector of %d elements in %d bytes", n, r.left())
	}
	return n, nil
}

func (r *reader) name() error {
	n, err := r.u32()
	if err != nil {
		return err
	}
	return r.skip(uint64(n))
}

// scanFacts are what the pre-pass learns that wabin would only report as a
// bare decoding error.
type scanFacts struct {
	sharedMemory bool
}

// scan walks the section structure. It returns an error naming the section
// for anything wabin could not decode safely.
func scan(bin []byte) (scanFacts, error) {
	var facts scanFacts
	r := &reader{b: bin, off: 8}
	for r.left() > 0 {
		id, _ := r.byte()
		size, err := r.u32()
		if err != nil {
			return facts, fmt.Errorf("section %s: size: %w", sectionName(id), err)
		}
		if uint64(size) > uint64(r.left()) {
			return facts, fmt.Errorf("section %s: truncated: %d bytes declared, %d remain", sectionName(id), size, r.left())
		}
		body := &reader{b: r.b[r.off : r.off+int(size)]}
		r.off += int(size)
		if err := scanSection(id, body, &facts); err != nil {
			return facts, fmt.Errorf("section %s: %w", sectionName(id), err)
		}
	}
	return facts, nil
}

func scanSection(id byte, r *reader, facts *scanFacts) error {
	switch id {
	case 0: // custom
		n, err := r.u32()
		if err != nil {
			return err
		}
		start := r.off
		if err := r.skip(uint64(n)); err != nil {
			return err
		}
		if string(r.b[start:r.off]) == "name" {
			// wabin decodes only this custom section; bound its maps too.
			return scanNameSection(r)
		}
		return nil
	case 1: // type
		return vec(r, 3, func() error {
			if form, err := r.byte(); err != nil {
				return err
			} else if form != 0x60 {
				return fmt.Errorf("function type form %#x, want 0x60", form)
			}
			for range 2 { // params, results
				n, err := r.count(1)
				if err != nil {
					return err
				}
				if err := r.skip(uint64(n)); err != nil {
					return err
				}
			}
			return nil
		})
	case 2: // import
		return vec(r, 4, func() error {
			if err := r.name(); err != nil {
				return err
			}
			if err := r.name(); err != nil {
				return err
			}
			kind, err := r.byte()
			if err != nil {
				return err
			}
			switch kind {
			case 0:
				_, err = r.u32()
			case 1:
				if _, err = r.byte(); err == nil {
					err = limits(r, nil)
				}
			case 2:
				err = limits(r, facts)
			case 3:
				err = r.skip(2)
			}
			return err
		})
	case 3: // function
		return vec(r, 1, func() error { _, err := r.u32(); return err })
	case 4: // table
		return vec(r, 3, func() error {
			if _, err := r.byte(); err != nil {
				return err
			}
			return limits(r, nil)
		})
	case 5: // memory
		return vec(r, 2, func() error { return limits(r, facts) })
	case 6: // global
		return vec(r, 3, func() error {
			if err := r.skip(2); err != nil {
				return err
			}
			return constExpr(r)
		})
	case 7: // export
		return vec(r, 3, func() error {
			if err := r.name(); err != nil {
				return err
			}
			if _, err := r.byte(); err != nil {
				return err
			}
			_, err := r.u32()
			return err
		})
	case 9: // element
		return vec(r, 1, func() error { return elementSegment(r) })
	case 10: // code
		i := 0
		return vec(r, 2, func() error {
			defer func() { i++ }()
			size, err := r.u32()
			if err != nil {
				return err
			}
			if uint64(size) > uint64(r.left()) {
				return fmt.Errorf("code[%d]: %d bytes declared, %d remain", i, size, r.left())
			}
			body := &reader{b: r.b[r.off : r.off+int(size)]}
			r.off += int(size)
			groups, err := body.count(2)
			if err != nil {
				return fmt.Errorf("code[%d]: locals: %w", i, err)
			}
			var total uint64
			for range groups {
				n, err := body.u32()
				if err != nil {
					return fmt.Errorf("code[%d]: locals: %w", i, err)
				}
				if total += uint64(n); total > maxLocals {
					return fmt.Errorf("code[%d]: more than %d locals", i, maxLocals)
				}
				if _, err := body.byte(); err != nil {
					return fmt.Errorf("code[%d]: locals: %w", i, err)
				}
			}
			return nil
		})
	case 11: // data
		return vec(r, 1, func() error {
			flag, err := r.u32()
			if err != nil {
				return err
			}
			switch flag {
			case 0:
				err = constExpr(r)
			case 1:
			case 2:
				if _, err = r.u32(); err == nil {
					err = constExpr(r)
				}
			default:
				return fmt.Errorf("data segment flag %d", flag)
			}
			if err != nil {
				return err
			}
			return r.name() // vec(byte) has the same shape as a name
		})
	}
	// start (8), data count (12) and unknown ids: fixed-size or rejected by wabin.
	return nil
}

// vec runs elem once per element of a vector whose elements take at least
// minSize bytes each.
func vec(r *reader, minSize int, elem func() error) error {
	n, err := r.count(minSize)
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		if err := elem(); err != nil {
			return err
		}
	}
	return nil
}

func limits(r *reader, facts *scanFacts) error {
	flag, err := r.byte()
	if err != nil {
		return err
	}
	if flag&0x02 != 0 && facts != nil {
		facts.sharedMemory = true
	}
	if _, err := r.u32(); err != nil {
		return err
	}
	if flag&0x01 != 0 {
		_, err = r.u32()
	}
	return err
}

// constExpr skips a constant expression: the MVP constants, extended-const
// arithmetic, global.get, ref.null, ref.func and v128.const.
func constExpr(r *reader) error {
	for {
		op, err := r.byte()
		if err != nil {
			return err
		}
		switch op {
		case 0x0b: // end
			return nil
		case 0x41, 0x23, 0xd2: // i32.const, global.get, ref.func
			_, err = r.leb(5)
		case 0x42: // i64.const
			_, err = r.leb(10)
		case 0x43:
			err = r.skip(4)
		case 0x44:
			err = r.skip(8)
		case 0xd0: // ref.null t
			_, err = r.byte()
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended-const add/sub/mul
		case 0xfd: // v128.const
			var sub uint64
			if sub, err = r.leb(5); err == nil {
				if sub != 12 {
					return fmt.Errorf("unsupported constant instruction 0xfd %d", sub)
				}
				err = r.skip(16)
			}
		default:
			return fmt.Errorf("unsupported constant instruction %#x", op)
		}
		if err != nil {
			return err
		}
	}
}

func elementSegment(r *reader) error {
	flag, err := r.u32()
	if err != nil {
		return err
	}
	if flag > 7 {
		return fmt.Errorf("element segment flag %d", flag)
	}
	if flag&0x02 != 0 && flag&0x01 == 0 { // explicit table index
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	if flag&0x01 == 0 { // active: offset expression
		if err := constExpr(r); err != nil {
			return err
		}
	}
	if flag&0x03 != 0 { // elemkind or reftype
		if _, err := r.byte(); err != nil {
			return err
		}
	}
	if flag&0x04 == 0 {
		return vec(r, 1, func() error { _, err := r.u32(); return err })
	}
	return vec(r, 1, func() error { return constExpr(r) })
}

// scanNameSection bounds the maps of the "name" custom section; r is past
// the section's own name. Subsections other than module, function and local
// names (LLVM also writes global and data segment names) are skipped by size.
func scanNameSection(r *reader) error {
	for r.left() > 0 {
		id, err := r.byte()
		if err != nil {
			return err
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if uint64(size) > uint64(r.left()) {
			return fmt.Errorf("name subsection %d: %d bytes declared, %d remain", id, size, r.left())
		}
		sub := &reader{b: r.b[r.off : r.off+int(size)]}
		r.off += int(size)
		var err2 error
		switch id {
		case 0: // module name
			err2 = sub.name()
		case 1: // function names
			err2 = nameMap(sub)
		case 2: // local names
			err2 = vec(sub, 2, func() error {
				if _, err := sub.u32(); err != nil {
					return err
				}
				return nameMap(sub)
			})
		}
		if err2 != nil {
			return fmt.Errorf("name subsection %d: %w", id, err2)
		}
	}
	return nil
}

func nameMap(r *reader) error {
	return vec(r, 2, func() error {
		if _, err := r.u32(); err != nil {
			return err
		}
		return r.name()
	})
}
