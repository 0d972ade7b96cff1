// Package wasmrw rewrites a module's atomic memory instructions into calls
// for faasm run --omp-memory=private.
//
// In private mode every OpenMP thread works on a copy-on-write replica of
// memory and changes move as FDiffs at synchronisation points. An inline
// wasm atomic (`omp atomic`, C11/C++ atomics, __sync_*, and libfaasmp's own
// counters) would then update only the thread's copy, and the byte diffs of
// concurrent updates would be merged wrongly. So before compiling in private
// mode, every atomic load, store, read-modify-write and compare-exchange in
// the code section becomes a call to one of libfaasmp's helper functions
// (found by name in the name section), which perform it in the host on one
// authoritative copy per address. The stack effect is kept by pushing the
// instruction's memarg offset and an operation code as extra i32 arguments.
//
// Function indices, types and everything outside the code section are
// unchanged; only function bodies are re-encoded.
package wasmrw

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Helper names libfaasmp defines (runtime.c). Signatures:
//
//	__faasmp_a32(addr i32, val i32, offset i32, op i32) -> i32
//	__faasmp_a64(addr i32, val i64, offset i32, op i32) -> i64
//	__faasmp_cas32(addr i32, expected i32, replacement i32, offset i32, op i32) -> i32
//	__faasmp_cas64(addr i32, expected i64, replacement i64, offset i32, op i32) -> i64
//
// Loads pass val 0 and stores drop the result, so one helper per width
// serves them all. op is the atomic opcode (after the 0xFE prefix): it says
// the operation and the access size.
var Helpers = [4]string{"__faasmp_a32", "__faasmp_a64", "__faasmp_cas32", "__faasmp_cas64"}

// ErrNoHelpers means the module has atomics but not the helpers (not linked
// with faasm-cc -fopenmp, or its name section was stripped).
var ErrNoHelpers = errors.New("module has atomic instructions but no libfaasmp atomic helpers (link with faasm-cc -fopenmp and keep the name section)")

// Rewrite returns wasm with its atomic instructions replaced, and how many
// it replaced. A module without atomics comes back unchanged.
func Rewrite(wasm []byte) ([]byte, int, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, 0, errors.New("not a wasm module")
	}
	var secs []section
	for p := 8; p < len(wasm); {
		hdr := p
		id := wasm[p]
		p++
		n, l, err := uleb(wasm, p)
		if err != nil {
			return nil, 0, err
		}
		p += l
		if p+int(n) > len(wasm) {
			return nil, 0, errors.New("truncated section")
		}
		secs = append(secs, section{id, p, p + int(n), hdr})
		p += int(n)
	}
	var imports, code, names *section
	for i := range secs {
		s := &secs[i]
		switch s.id {
		case 2:
			imports = s
		case 10:
			code = s
		case 0:
			if nm, _, err := name(wasm, s.start); err == nil && nm == "name" {
				names = s
			}
		}
	}
	if code == nil {
		return wasm, 0, nil
	}
	nimported, err := importedFuncs(wasm, imports)
	if err != nil {
		return nil, 0, err
	}
	helpers := [4]int64{-1, -1, -1, -1}
	if names != nil {
		if err := findHelpers(wasm[names.start:names.end], &helpers); err != nil {
			return nil, 0, err
		}
	}

	// Re-encode the code section.
	p := code.start
	count, l, err := uleb(wasm, p)
	if err != nil {
		return nil, 0, err
	}
	p += l
	var out bytes.Buffer
	out.Write(lebU(count))
	total := 0
	for i := uint64(0); i < count; i++ {
		size, l, err := uleb(wasm, p)
		if err != nil {
			return nil, 0, err
		}
		p += l
		body := wasm[p : p+int(size)]
		p += int(size)
		fidx := int64(nimported) + int64(i)
		isHelper := false
		for _, h := range helpers {
			if h == fidx {
				isHelper = true
			}
		}
		nb, n, err := rewriteBody(body, helpers, isHelper)
		if err != nil {
			return nil, 0, fmt.Errorf("function %d: %w", fidx, err)
		}
		total += n
		out.Write(lebU(uint64(len(nb))))
		out.Write(nb)
	}
	if total == 0 {
		return wasm, 0, nil
	}
	var res bytes.Buffer
	res.Write(wasm[:code.hdr])
	res.WriteByte(10)
	res.Write(lebU(uint64(out.Len())))
	res.Write(out.Bytes())
	res.Write(wasm[code.end:])
	return res.Bytes(), total, nil
}

type section struct {
	id         byte
	start, end int // payload
	hdr        int // start of the section header
}

func importedFuncs(w []byte, s *section) (int, error) {
	if s == nil {
		return 0, nil
	}
	p := s.start
	n, l, err := uleb(w, p)
	if err != nil {
		return 0, err
	}
	p += l
	funcs := 0
	for i := uint64(0); i < n; i++ {
		for k := 0; k < 2; k++ { // module, name
			_, l, err := name(w, p)
			if err != nil {
				return 0, err
			}
			p += l
		}
		kind := w[p]
		p++
		switch kind {
		case 0: // func
			_, l, err := uleb(w, p)
			if err != nil {
				return 0, err
			}
			p += l
			funcs++
		case 1: // table: reftype, limits
			p++
			p, err = skipLimits(w, p)
		case 2: // memory
			p, err = skipLimits(w, p)
		case 3: // global: valtype, mut
			p += 2
		case 4: // tag
			p++
			_, l, err := uleb(w, p)
			if err != nil {
				return 0, err
			}
			p += l
		default:
			return 0, fmt.Errorf("unknown import kind %d", kind)
		}
		if err != nil {
			return 0, err
		}
	}
	return funcs, nil
}

func skipLimits(w []byte, p int) (int, error) {
	flags := w[p]
	p++
	_, l, err := uleb(w, p)
	if err != nil {
		return 0, err
	}
	p += l
	if flags&1 != 0 {
		_, l, err = uleb(w, p)
		if err != nil {
			return 0, err
		}
		p += l
	}
	return p, nil
}

// findHelpers reads the function-names subsection.
func findHelpers(s []byte, out *[4]int64) error {
	_, l, err := name(s, 0)
	if err != nil {
		return err
	}
	p := l
	for p < len(s) {
		id := s[p]
		p++
		n, l, err := uleb(s, p)
		if err != nil {
			return err
		}
		p += l
		end := p + int(n)
		if id == 1 {
			cnt, l, err := uleb(s, p)
			if err != nil {
				return err
			}
			q := p + l
			for i := uint64(0); i < cnt; i++ {
				idx, l, err := uleb(s, q)
				if err != nil {
					return err
				}
				q += l
				nm, l, err := name(s, q)
				if err != nil {
					return err
				}
				q += l
				for k, h := range Helpers {
					if nm == h {
						out[k] = int64(idx)
					}
				}
			}
		}
		p = end
	}
	return nil
}

// rewriteBody decodes one function body and replaces atomic instructions.
func rewriteBody(b []byte, helpers [4]int64, isHelper bool) ([]byte, int, error) {
	d := &dec{b: b}
	// locals
	n, err := d.u()
	if err != nil {
		return nil, 0, err
	}
	for i := uint64(0); i < n; i++ {
		if _, err := d.u(); err != nil {
			return nil, 0, err
		}
		d.p++ // valtype
	}
	var out bytes.Buffer
	out.Write(b[:d.p])
	last := d.p
	count := 0
	for d.p < len(b) {
		start := d.p
		op := b[d.p]
		d.p++
		if op == 0xFE {
			sub, err := d.u()
			if err != nil {
				return nil, 0, err
			}
			if sub == 0x03 { // atomic.fence
				d.p++
				continue
			}
			if _, err := d.u(); err != nil { // align
				return nil, 0, err
			}
			off, err := d.u()
			if err != nil {
				return nil, 0, err
			}
			if sub <= 0x02 || isHelper { // notify / wait: left alone
				continue
			}
			call, ok := atomicCall(sub, off, helpers)
			if !ok {
				return nil, 0, ErrNoHelpers
			}
			out.Write(b[last:start])
			out.Write(call)
			last = d.p
			count++
			continue
		}
		if err := d.skip(op); err != nil {
			return nil, 0, fmt.Errorf("opcode %#x at %d: %w", op, start, err)
		}
	}
	if count == 0 {
		return b, 0, nil
	}
	out.Write(b[last:])
	return out.Bytes(), count, nil
}

// atomicCall returns the replacement for atomic opcode sub (0x10..0x4e).
func atomicCall(sub, off uint64, helpers [4]int64) ([]byte, bool) {
	var buf bytes.Buffer
	is64 := false
	switch {
	case sub == 0x11 || (sub >= 0x14 && sub <= 0x16) || sub == 0x18 || (sub >= 0x1b && sub <= 0x1d):
		is64 = true
	case sub >= 0x1e && sub <= 0x4e:
		// rmw groups of 7: i32, i64, i32_8u, i32_16u, i64_8u, i64_16u, i64_32u
		k := (sub - 0x1e) % 7
		is64 = k == 1 || k >= 4
	}
	kind := 0 // 0: load (push val 0), 1: store (drop result), 2: rmw, 3: cmpxchg
	switch {
	case sub >= 0x10 && sub <= 0x16:
		kind = 0
	case sub >= 0x17 && sub <= 0x1d:
		kind = 1
	case sub >= 0x48 && sub <= 0x4e:
		kind = 3
	default:
		kind = 2
	}
	h := 0
	if is64 {
		h = 1
	}
	if kind == 3 {
		h += 2
	}
	if helpers[h] < 0 {
		return nil, false
	}
	if kind == 0 {
		if is64 {
			buf.WriteByte(0x42) // i64.const 0
		} else {
			buf.WriteByte(0x41) // i32.const 0
		}
		buf.WriteByte(0)
	}
	buf.WriteByte(0x41)
	buf.Write(lebS(int64(int32(uint32(off)))))
	buf.WriteByte(0x41)
	buf.Write(lebS(int64(sub)))
	buf.WriteByte(0x10) // call
	buf.Write(lebU(uint64(helpers[h])))
	if kind == 1 {
		buf.WriteByte(0x1a) // drop
	}
	return buf.Bytes(), true
}

type dec struct {
	b []byte
	p int
}

func (d *dec) u() (uint64, error) {
	v, l, err := uleb(d.b, d.p)
	d.p += l
	return v, err
}

func (d *dec) s() error {
	for {
		if d.p >= len(d.b) {
			return errors.New("truncated leb")
		}
		c := d.b[d.p]
		d.p++
		if c&0x80 == 0 {
			return nil
		}
	}
}

func (d *dec) memarg() error {
	if _, err := d.u(); err != nil {
		return err
	}
	_, err := d.u()
	return err
}

// skip steps over the immediates of opcode op.
func (d *dec) skip(op byte) error {
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04 || op == 0x06: // block loop if try: blocktype
		if d.p >= len(d.b) {
			return errors.New("truncated")
		}
		c := d.b[d.p]
		if c == 0x40 || c == 0x7f || c == 0x7e || c == 0x7d || c == 0x7c || c == 0x7b || c == 0x70 || c == 0x6f {
			d.p++
			return nil
		}
		return d.s()
	case op == 0x0c || op == 0x0d || op == 0x10 || op == 0x12 || op == 0x07 || op == 0x08 || op == 0x09 ||
		op == 0x18 || op == 0xd2 || (op >= 0x20 && op <= 0x26) || op == 0xd4 || op == 0xd5 || op == 0xd6:
		_, err := d.u()
		return err
	case op == 0x0e: // br_table
		n, err := d.u()
		if err != nil {
			return err
		}
		for i := uint64(0); i <= n; i++ {
			if _, err := d.u(); err != nil {
				return err
			}
		}
		return nil
	case op == 0x11 || op == 0x13: // call_indirect, return_call_indirect
		if _, err := d.u(); err != nil {
			return err
		}
		_, err := d.u()
		return err
	case op == 0x1c: // select t*
		n, err := d.u()
		if err != nil {
			return err
		}
		d.p += int(n)
		return nil
	case op >= 0x28 && op <= 0x3e:
		return d.memarg()
	case op == 0x3f || op == 0x40:
		d.p++
		return nil
	case op == 0x41 || op == 0x42:
		return d.s()
	case op == 0x43:
		d.p += 4
		return nil
	case op == 0x44:
		d.p += 8
		return nil
	case op == 0xd0:
		d.p++
		return nil
	case op == 0x1f: // try_table
		if err := d.skip(0x02); err != nil {
			return err
		}
		n, err := d.u()
		if err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			kind := d.b[d.p]
			d.p++
			if kind == 0 || kind == 1 {
				if _, err := d.u(); err != nil {
					return err
				}
			}
			if _, err := d.u(); err != nil {
				return err
			}
		}
		return nil
	case op == 0xFC:
		sub, err := d.u()
		if err != nil {
			return err
		}
		switch sub {
		case 8: // memory.init
			if _, err := d.u(); err != nil {
				return err
			}
			d.p++
		case 9, 13, 15, 16, 17: // data.drop elem.drop table.grow/size/fill
			_, err = d.u()
		case 10: // memory.copy
			d.p += 2
		case 11: // memory.fill
			d.p++
		case 12, 14: // table.init table.copy
			if _, err := d.u(); err != nil {
				return err
			}
			_, err = d.u()
		}
		return err
	case op == 0xFD:
		sub, err := d.u()
		if err != nil {
			return err
		}
		switch {
		case sub <= 0x0b || sub == 0x5c || sub == 0x5d:
			return d.memarg()
		case sub == 0x0c || sub == 0x0d:
			d.p += 16
		case sub >= 0x15 && sub <= 0x22:
			d.p++
		case sub >= 0x54 && sub <= 0x5b:
			if err := d.memarg(); err != nil {
				return err
			}
			d.p++
		}
		return nil
	}
	if d.p > len(d.b) {
		return errors.New("truncated")
	}
	return nil
}

func uleb(b []byte, p int) (uint64, int, error) {
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

func name(b []byte, p int) (string, int, error) {
	n, l, err := uleb(b, p)
	if err != nil || p+l+int(n) > len(b) {
		return "", 0, errors.New("bad name")
	}
	return string(b[p+l : p+l+int(n)]), l + int(n), nil
}

func lebU(v uint64) []byte { return binary.AppendUvarint(nil, v) }

func lebS(v int64) []byte {
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
