// Package wasmcode reads and re-encodes WebAssembly function bodies: the
// sections of a module, a decoder that steps over every instruction's
// immediates, and the re-encoding of the code section. It is what the
// module rewriters (wasmrw's atomics, FoldOffsets) share.
package wasmcode

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Section is one section of a module: its id, payload [Start, End) and the
// offset of its header.
type Section struct {
	ID         byte
	Start, End int
	Hdr        int
}

// Sections splits a module into its sections.
func Sections(wasm []byte) ([]Section, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("not a wasm module")
	}
	var secs []Section
	for p := 8; p < len(wasm); {
		hdr := p
		id := wasm[p]
		p++
		n, l, err := Uleb(wasm, p)
		if err != nil {
			return nil, err
		}
		p += l
		if p+int(n) > len(wasm) {
			return nil, errors.New("truncated section")
		}
		secs = append(secs, Section{id, p, p + int(n), hdr})
		p += int(n)
	}
	return secs, nil
}

// Find returns the first section with id, or nil.
func Find(secs []Section, id byte) *Section {
	for i := range secs {
		if secs[i].ID == id {
			return &secs[i]
		}
	}
	return nil
}

// RewriteCode re-encodes the code section, passing each function body (by
// its index among the module's defined functions) through fn, which returns
// the new body and how many changes it made. The module comes back
// unchanged when no body changed.
func RewriteCode(wasm []byte, code *Section, fn func(i int, body []byte) ([]byte, int, error)) ([]byte, int, error) {
	if code == nil {
		return wasm, 0, nil
	}
	p := code.Start
	count, l, err := Uleb(wasm, p)
	if err != nil {
		return nil, 0, err
	}
	p += l
	var out bytes.Buffer
	out.Write(LebU(count))
	total := 0
	for i := uint64(0); i < count; i++ {
		size, l, err := Uleb(wasm, p)
		if err != nil {
			return nil, 0, err
		}
		p += l
		if p+int(size) > code.End {
			return nil, 0, errors.New("truncated function body")
		}
		body := wasm[p : p+int(size)]
		p += int(size)
		nb, n, err := fn(int(i), body)
		if err != nil {
			return nil, 0, fmt.Errorf("function %d: %w", i, err)
		}
		total += n
		out.Write(LebU(uint64(len(nb))))
		out.Write(nb)
	}
	if total == 0 {
		return wasm, 0, nil
	}
	var res bytes.Buffer
	res.Write(wasm[:code.Hdr])
	res.WriteByte(10)
	res.Write(LebU(uint64(out.Len())))
	res.Write(out.Bytes())
	res.Write(wasm[code.End:])
	return res.Bytes(), total, nil
}

// ImportedFuncs counts the functions an import section s imports (s may
// be nil): they come first in the function index space.
func ImportedFuncs(w []byte, s *Section) (int, error) {
	funcs, _, err := imports(w, s)
	return funcs, err
}

// imports counts the functions and memories import section s imports.
func imports(w []byte, s *Section) (funcs, mems int, err error) {
	if s == nil {
		return 0, 0, nil
	}
	p := s.Start
	n, l, err := Uleb(w, p)
	if err != nil {
		return 0, 0, err
	}
	p += l
	for i := uint64(0); i < n; i++ {
		for k := 0; k < 2; k++ { // module, name
			_, l, err := Name(w, p)
			if err != nil {
				return 0, 0, err
			}
			p += l
		}
		kind := w[p]
		p++
		switch kind {
		case 0: // func
			_, l, err := Uleb(w, p)
			if err != nil {
				return 0, 0, err
			}
			p += l
			funcs++
		case 1: // table: reftype, limits
			p++
			p, err = skipLimits(w, p)
		case 2: // memory
			p, err = skipLimits(w, p)
			mems++
		case 3: // global: valtype, mut
			p += 2
		case 4: // tag
			p++
			_, l, err := Uleb(w, p)
			if err != nil {
				return 0, 0, err
			}
			p += l
		default:
			return 0, 0, fmt.Errorf("unknown import kind %d", kind)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return funcs, mems, nil
}

func skipLimits(w []byte, p int) (int, error) {
	flags := w[p]
	p++
	_, l, err := Uleb(w, p)
	if err != nil {
		return 0, err
	}
	p += l
	if flags&1 != 0 {
		_, l, err = Uleb(w, p)
		if err != nil {
			return 0, err
		}
		p += l
	}
	return p, nil
}

// ReplaceInstrs walks function body b and splices in replacements: for
// each instruction, replace is called with d just past the opcode byte op.
// To replace the instruction it reads the immediates (leaving d.P at the
// end of the instruction) and returns the new bytes and true; otherwise it
// returns false, and the walk steps over the instruction itself, wherever
// replace left d. It returns b itself when nothing was replaced.
func ReplaceInstrs(b []byte, replace func(d *Decoder, op byte) ([]byte, bool, error)) ([]byte, int, error) {
	d := &Decoder{B: b}
	if _, err := d.Locals(); err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	last, n := 0, 0
	for d.P < len(b) {
		start := d.P
		op := b[d.P]
		d.P++
		repl, ok, err := replace(d, op)
		if err != nil {
			return nil, 0, err
		}
		if ok {
			out.Write(b[last:start])
			out.Write(repl)
			last = d.P
			n++
			continue
		}
		d.P = start + 1
		if err := d.Skip(op); err != nil {
			return nil, 0, fmt.Errorf("opcode %#x at %d: %w", op, start, err)
		}
	}
	if d.P != len(b) {
		return nil, 0, errors.New("truncated body")
	}
	if n == 0 {
		return b, 0, nil
	}
	out.Write(b[last:])
	return out.Bytes(), n, nil
}

// Locals steps over a body's local declarations and returns where its
// instructions start.
func (d *Decoder) Locals() (int, error) {
	n, err := d.U()
	if err != nil {
		return 0, err
	}
	for i := uint64(0); i < n; i++ {
		if _, err := d.U(); err != nil {
			return 0, err
		}
		d.P++ // valtype
	}
	return d.P, nil
}

// Decoder walks a function body: B is the body, P the position of the
// next byte.
type Decoder struct {
	B []byte
	P int
}

// U reads an unsigned LEB128.
func (d *Decoder) U() (uint64, error) {
	v, l, err := Uleb(d.B, d.P)
	d.P += l
	return v, err
}

// S steps over a signed LEB128.
func (d *Decoder) S() error {
	for {
		if d.P >= len(d.B) {
			return errors.New("truncated leb")
		}
		c := d.B[d.P]
		d.P++
		if c&0x80 == 0 {
			return nil
		}
	}
}

// Memarg steps over a memory instruction's alignment, memory index (when
// bit 6 of the alignment says one follows: multi-memory) and offset.
func (d *Decoder) Memarg() error {
	align, err := d.U()
	if err != nil {
		return err
	}
	if align&0x40 != 0 {
		if _, err := d.U(); err != nil {
			return err
		}
	}
	_, err = d.U()
	return err
}

// Skip steps over the immediates of opcode op, whose byte is already read.
func (d *Decoder) Skip(op byte) error {
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04 || op == 0x06: // block loop if try: blocktype
		if d.P >= len(d.B) {
			return errors.New("truncated")
		}
		c := d.B[d.P]
		if c == 0x40 || c == 0x7f || c == 0x7e || c == 0x7d || c == 0x7c || c == 0x7b || c == 0x70 || c == 0x6f {
			d.P++
			return nil
		}
		return d.S()
	case op == 0x0c || op == 0x0d || op == 0x10 || op == 0x12 || op == 0x07 || op == 0x08 || op == 0x09 ||
		op == 0x18 || op == 0xd2 || (op >= 0x20 && op <= 0x26) || op == 0xd5 || op == 0xd6 ||
		op == 0x14 || op == 0x15: // call_ref, return_call_ref: a type index
		_, err := d.U()
		return err
	case op == 0x0e: // br_table
		n, err := d.U()
		if err != nil {
			return err
		}
		for i := uint64(0); i <= n; i++ {
			if _, err := d.U(); err != nil {
				return err
			}
		}
		return nil
	case op == 0x11 || op == 0x13: // call_indirect, return_call_indirect
		if _, err := d.U(); err != nil {
			return err
		}
		_, err := d.U()
		return err
	case op == 0x1c: // select t*
		n, err := d.U()
		if err != nil {
			return err
		}
		d.P += int(n)
		return nil
	case op >= 0x28 && op <= 0x3e:
		return d.Memarg()
	case op == 0x3f || op == 0x40:
		d.P++
		return nil
	case op == 0x41 || op == 0x42:
		return d.S()
	case op == 0x43:
		d.P += 4
		return nil
	case op == 0x44:
		d.P += 8
		return nil
	case op == 0xd0:
		d.P++
		return nil
	case op == 0x1f: // try_table
		if err := d.Skip(0x02); err != nil {
			return err
		}
		n, err := d.U()
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			kind := d.B[d.P]
			d.P++
			if kind == 0 || kind == 1 {
				if _, err := d.U(); err != nil {
					return err
				}
			}
			if _, err := d.U(); err != nil {
				return err
			}
		}
		return nil
	case op == 0xFC:
		sub, err := d.U()
		if err != nil {
			return err
		}
		switch sub {
		case 8: // memory.init
			if _, err := d.U(); err != nil {
				return err
			}
			d.P++
		case 9, 13, 15, 16, 17: // data.drop elem.drop table.grow/size/fill
			_, err = d.U()
		case 10: // memory.copy
			d.P += 2
		case 11: // memory.fill
			d.P++
		case 12, 14: // table.init table.copy
			if _, err := d.U(); err != nil {
				return err
			}
			_, err = d.U()
		}
		return err
	case op == 0xFB: // GC: not enabled in the engine, and not decoded here
		return errors.New("GC instructions (0xFB) are not supported")
	case op == 0xFE: // threads: atomic.fence has one zero byte, the rest a memarg
		sub, err := d.U()
		if err != nil {
			return err
		}
		if sub == 0x03 {
			d.P++
			return nil
		}
		return d.Memarg()
	case op == 0xFD:
		sub, err := d.U()
		if err != nil {
			return err
		}
		switch {
		case sub <= 0x0b || sub == 0x5c || sub == 0x5d:
			return d.Memarg()
		case sub == 0x0c || sub == 0x0d:
			d.P += 16
		case sub >= 0x15 && sub <= 0x22:
			d.P++
		case sub >= 0x54 && sub <= 0x5b:
			if err := d.Memarg(); err != nil {
				return err
			}
			d.P++
		}
		return nil
	}
	if d.P > len(d.B) {
		return errors.New("truncated")
	}
	return nil
}

// Uleb reads an unsigned LEB128 at b[p:] and returns it and its length.
func Uleb(b []byte, p int) (uint64, int, error) {
	var v uint64
	var shift uint
	for i := 0; ; i++ {
		if p+i >= len(b) || i > 9 {
			return 0, 0, errors.New("bad leb128")
		}
		c := b[p+i]
		v |= uint64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
}

// Name reads a length-prefixed name at b[p:] and returns it and its length.
func Name(b []byte, p int) (string, int, error) {
	n, l, err := Uleb(b, p)
	if err != nil || p+l+int(n) > len(b) {
		return "", 0, errors.New("bad name")
	}
	return string(b[p+l : p+l+int(n)]), l + int(n), nil
}

// LebU encodes v as unsigned LEB128.
func LebU(v uint64) []byte { return binary.AppendUvarint(nil, v) }

// LebS encodes v as signed LEB128.
func LebS(v int64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(out, c)
		}
		out = append(out, c|0x80)
	}
}
