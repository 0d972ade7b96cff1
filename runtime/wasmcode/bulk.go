package wasmcode

import (
	"bytes"
)

// InlineBulkMemory turns every memory.copy and memory.fill into a call to
// a function appended to the module, whose body the caller supplies
// (copyBody and fillBody, each with its locals, of type (i32 i32 i32) -> ()
// like the instructions' operands). It returns how many it turned.
//
// Why: with bulk memory enabled, clang lowers every memcpy, memmove and
// memset of unknown size to these instructions. Cranelift compiles each one
// to a call into the wasmtime runtime, which costs about 15 ns whatever the
// size (8 bytes: 16-19 ns, against 4 ns natively). The appended functions
// handle the sizes that C code copies most, inline in wasm, and fall back
// to the instruction for the rest.
//
// Appending keeps every existing index: the new type and functions come
// after the module's own.
func InlineBulkMemory(wasm, copyBody, fillBody []byte) ([]byte, int, error) {
	secs, err := Sections(wasm)
	if err != nil {
		return nil, 0, err
	}
	types, funcs, code := Find(secs, 1), Find(secs, 3), Find(secs, 10)
	if types == nil || funcs == nil || code == nil || !singleMemory(wasm, secs) {
		return wasm, 0, nil
	}
	imported, err := ImportedFuncs(wasm, Find(secs, 2))
	if err != nil {
		return nil, 0, err
	}
	ntypes, tl, err := Uleb(wasm, types.Start)
	if err != nil {
		return nil, 0, err
	}
	nfuncs, fl, err := Uleb(wasm, funcs.Start)
	if err != nil {
		return nil, 0, err
	}
	copyCall := append([]byte{0x10}, LebU(uint64(imported)+nfuncs)...)
	fillCall := append([]byte{0x10}, LebU(uint64(imported)+nfuncs+1)...)
	rewritten, n, err := RewriteCode(wasm, code, func(_ int, body []byte) ([]byte, int, error) {
		return replaceBulk(body, copyCall, fillCall)
	})
	if err != nil || n == 0 {
		return rewritten, 0, err
	}
	// RewriteCode rebuilt the code section in place; find it again.
	secs, err = Sections(rewritten)
	if err != nil {
		return nil, 0, err
	}
	code = Find(secs, 10)
	ncode, cl, err := Uleb(rewritten, code.Start)
	if err != nil {
		return nil, 0, err
	}

	var out bytes.Buffer
	out.Write(rewritten[:8])
	for _, s := range secs {
		var payload []byte
		switch s.ID {
		case 1:
			payload = bytes.Join([][]byte{LebU(ntypes + 1), rewritten[s.Start+tl : s.End],
				{0x60, 3, 0x7f, 0x7f, 0x7f, 0}}, nil)
		case 3:
			t := LebU(ntypes)
			payload = bytes.Join([][]byte{LebU(nfuncs + 2), rewritten[s.Start+fl : s.End], t, t}, nil)
		case 10:
			payload = bytes.Join([][]byte{LebU(ncode + 2), rewritten[s.Start+cl : s.End],
				LebU(uint64(len(copyBody))), copyBody, LebU(uint64(len(fillBody))), fillBody}, nil)
		default:
			out.Write(rewritten[s.Hdr:s.End])
			continue
		}
		out.WriteByte(s.ID)
		out.Write(LebU(uint64(len(payload))))
		out.Write(payload)
	}
	return out.Bytes(), n, nil
}

// singleMemory reports whether the module defines one 32-bit memory, the
// case whose memarg and bulk-memory encodings the rewriters know.
func singleMemory(wasm []byte, secs []Section) bool {
	mem := Find(secs, 5)
	if mem == nil {
		return false
	}
	if _, imported, err := imports(wasm, Find(secs, 2)); err != nil || imported != 0 {
		return false
	}
	n, _, err := Uleb(wasm, mem.Start)
	return err == nil && n == 1 && wasm[mem.Start+1]&0x04 == 0
}

// replaceBulk replaces memory.copy 0 0 and memory.fill 0 in one body.
func replaceBulk(b, copyCall, fillCall []byte) ([]byte, int, error) {
	return ReplaceInstrs(b, func(d *Decoder, op byte) ([]byte, bool, error) {
		if op != 0xFC {
			return nil, false, nil
		}
		sub, err := d.U()
		if err != nil {
			return nil, false, err
		}
		switch {
		case sub == 10 && d.P+2 <= len(d.B) && d.B[d.P] == 0 && d.B[d.P+1] == 0:
			d.P += 2
			return copyCall, true, nil
		case sub == 11 && d.P+1 <= len(d.B) && d.B[d.P] == 0:
			d.P++
			return fillCall, true, nil
		}
		return nil, false, nil
	})
}
