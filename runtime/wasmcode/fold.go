package wasmcode

import (
	"bytes"
	"errors"
)

// FoldOffsets moves constant address additions into the offset immediate
// of the load or store that uses them, and returns how many it moved:
//
//	local.get $p; i32.const 16; i32.add; v128.load offset=0
//	=> local.get $p; v128.load offset=16
//
// LLVM's WebAssembly backend folds a constant into a memarg only when it
// can prove the 32-bit addition does not wrap, which it rarely can for
// array indexing. So a vectorised loop computes every address with its own
// i32.add, and Cranelift emits a 32-bit lea for each one before the load.
// An offset immediate instead becomes a displacement in the x86 addressing
// mode, at no cost. In dgemm's inner loop this removed three of eight leas
// and made the kernel 10% faster.
//
// The two forms differ only when p+C passes 2^32, where the addition wraps
// and the offset form traps as out of bounds. Which operand is the pointer
// is unknown: the constant can be a static array's address and p a
// negative index, and then the wrap is what reaches the element. So a
// constant moves only when it and the offset already there sum below 1024
// (offsets are unsigned, so only non-negative constants). Then the forms
// differ only if the byte accessed lies below address C+offset < 1024,
// since p = address - C - offset must not be negative. Nothing lives
// there: wasm-ld puts static data at 1024 or above. With faasm-cc's
// --stack-first, addresses below 1024 are the last KiB of the 8 MiB stack.
// They are reached only just before a stack overflow, and even then only
// through an address computed below zero and brought back by the constant.
//
// The patterns are local, so no stack analysis is needed. For a load
// (whose one operand is the address), the add comes right before it. For a
// store, the add comes right before a value pushed by one instruction with
// no operands. The constant is pushed right before the add, or before a
// local.get that is added to it.
func FoldOffsets(wasm []byte) ([]byte, int, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, 0, err
	}
	if !singleMemory(wasm, secs) {
		// memory64 and multi-memory change the memarg encoding.
		return wasm, 0, nil
	}
	out, n, err := RewriteCode(wasm, Find(secs, 10), foldBody)
	if errors.Is(err, errMultiMemory) {
		return wasm, 0, nil
	}
	return out, n, err
}

var errMultiMemory = errors.New("memarg names a memory")

// maxFolded bounds a folded offset (see FoldOffsets): wasm-ld's lowest
// address for static data.
const maxFolded = 1024

// instr is one decoded instruction of a body.
type instr struct {
	start, end int
	op         byte
	imm        int64 // i32.const's value
	mem        byte  // memLoad or memStore
	offAt      int   // where a memory op's offset immediate starts
	off        uint64
	drop       bool
	newOff     int64 // the folded offset, or -1
}

const (
	memLoad  = 1
	memStore = 2
)

// memOp classifies opcode op (sub after the 0xFD prefix). Loads here take
// only an address; lane loads and stores, which also take a vector, and
// atomics are left alone.
func memOp(op byte, sub uint64) byte {
	switch {
	case op >= 0x28 && op <= 0x35:
		return memLoad
	case op >= 0x36 && op <= 0x3e:
		return memStore
	case op == 0xFD && (sub <= 0x0a || sub == 0x5c || sub == 0x5d):
		return memLoad
	case op == 0xFD && sub == 0x0b:
		return memStore
	}
	return 0
}

func foldBody(_ int, b []byte) ([]byte, int, error) {
	d := &Decoder{B: b}
	head, err := d.Locals()
	if err != nil {
		return nil, 0, err
	}
	var is []instr
	folds := 0
	for d.P < len(b) {
		in := instr{start: d.P, op: b[d.P], newOff: -1}
		d.P++
		var sub uint64
		if in.op == 0xFD {
			if sub, err = d.U(); err != nil {
				return nil, 0, err
			}
		}
		switch {
		case in.op == 0x41:
			if in.imm, err = d.s32(); err != nil {
				return nil, 0, err
			}
		case memOp(in.op, sub) != 0:
			in.mem = memOp(in.op, sub)
			align, err := d.U()
			if err != nil {
				return nil, 0, err
			}
			if align&0x40 != 0 {
				return nil, 0, errMultiMemory
			}
			in.offAt = d.P
			if in.off, err = d.U(); err != nil {
				return nil, 0, err
			}
		case in.op == 0xFD:
			// Skip expects the sub-opcode unread.
			d.P = in.start + 1
			if err := d.Skip(in.op); err != nil {
				return nil, 0, err
			}
		default:
			if err := d.Skip(in.op); err != nil {
				return nil, 0, err
			}
		}
		in.end = d.P
		is = append(is, in)
		if in.mem != 0 && foldInto(b, is) {
			folds++
		}
	}
	if d.P != len(b) {
		return nil, 0, errors.New("truncated body")
	}
	if folds == 0 {
		return b, 0, nil
	}
	var out bytes.Buffer
	out.Write(b[:head])
	for _, in := range is {
		switch {
		case in.drop:
		case in.newOff < 0:
			out.Write(b[in.start:in.end])
		default:
			out.Write(b[in.start:in.offAt])
			out.Write(LebU(uint64(in.newOff)))
		}
	}
	return out.Bytes(), folds, nil
}

// foldInto folds the address addition of the memory op at the end of is,
// when it has one of the patterns FoldOffsets describes.
func foldInto(b []byte, is []instr) bool {
	k := len(is) - 1
	at := func(j int) *instr {
		if j < 0 || is[j].drop {
			return nil
		}
		return &is[j]
	}
	isOp := func(j int, op byte) bool { in := at(j); return in != nil && in.op == op }
	addAt := k - 1
	if is[k].mem == memStore {
		if !pushesAlone(b, at(k-1)) {
			return false
		}
		addAt = k - 2
	}
	if !isOp(addAt, 0x6a) { // i32.add
		return false
	}
	constAt := addAt - 1
	if isOp(constAt, 0x20) { // local.get between the constant and the add
		constAt--
	}
	c := at(constAt)
	if c == nil || c.op != 0x41 || c.imm < 0 || is[k].off+uint64(c.imm) >= maxFolded {
		return false
	}
	c.drop, is[addAt].drop = true, true
	is[k].newOff = int64(is[k].off + uint64(c.imm))
	return true
}

// pushesAlone reports whether in pushes one value and pops none.
func pushesAlone(b []byte, in *instr) bool {
	if in == nil {
		return false
	}
	switch in.op {
	case 0x20, 0x23, 0x41, 0x42, 0x43, 0x44: // local.get global.get *.const
		return true
	case 0xFD: // v128.const
		return in.end-in.start == 18 && b[in.start+1] == 0x0c
	}
	return false
}

// s32 reads a signed LEB128 i32.
func (d *Decoder) s32() (int64, error) {
	var v int64
	var shift uint
	for {
		if d.P >= len(d.B) || shift > 35 {
			return 0, errors.New("bad leb128")
		}
		c := d.B[d.P]
		d.P++
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return int64(int32(v)), nil
		}
	}
}
