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
	"errors"

	"github.com/faasm-go/faasm/runtime/wasmcode"
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
	secs, err := wasmcode.Sections(wasm)
	if err != nil {
		return nil, 0, err
	}
	var names *wasmcode.Section
	for i := range secs {
		if s := &secs[i]; s.ID == 0 {
			if nm, _, err := wasmcode.Name(wasm, s.Start); err == nil && nm == "name" {
				names = s
			}
		}
	}
	code := wasmcode.Find(secs, 10)
	if code == nil {
		return wasm, 0, nil
	}
	nimported, err := wasmcode.ImportedFuncs(wasm, wasmcode.Find(secs, 2))
	if err != nil {
		return nil, 0, err
	}
	helpers := [4]int64{-1, -1, -1, -1}
	if names != nil {
		if err := findHelpers(wasm[names.Start:names.End], &helpers); err != nil {
			return nil, 0, err
		}
	}
	return wasmcode.RewriteCode(wasm, code, func(i int, body []byte) ([]byte, int, error) {
		fidx := int64(nimported) + int64(i)
		isHelper := false
		for _, h := range helpers {
			if h == fidx {
				isHelper = true
			}
		}
		return rewriteBody(body, helpers, isHelper)
	})
}

// findHelpers reads the function-names subsection.
func findHelpers(s []byte, out *[4]int64) error {
	_, l, err := wasmcode.Name(s, 0)
	if err != nil {
		return err
	}
	p := l
	for p < len(s) {
		id := s[p]
		p++
		n, l, err := wasmcode.Uleb(s, p)
		if err != nil {
			return err
		}
		p += l
		end := p + int(n)
		if id == 1 {
			cnt, l, err := wasmcode.Uleb(s, p)
			if err != nil {
				return err
			}
			q := p + l
			for i := uint64(0); i < cnt; i++ {
				idx, l, err := wasmcode.Uleb(s, q)
				if err != nil {
					return err
				}
				q += l
				nm, l, err := wasmcode.Name(s, q)
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

// rewriteBody replaces one function body's atomic instructions.
func rewriteBody(b []byte, helpers [4]int64, isHelper bool) ([]byte, int, error) {
	return wasmcode.ReplaceInstrs(b, func(d *wasmcode.Decoder, op byte) ([]byte, bool, error) {
		if op != 0xFE || isHelper {
			return nil, false, nil
		}
		sub, err := d.U()
		if err != nil {
			return nil, false, err
		}
		if sub <= 0x03 { // notify, wait32/64 and fence: left alone
			return nil, false, nil
		}
		if _, err := d.U(); err != nil { // align
			return nil, false, err
		}
		off, err := d.U()
		if err != nil {
			return nil, false, err
		}
		call, ok := atomicCall(sub, off, helpers)
		if !ok {
			return nil, false, ErrNoHelpers
		}
		return call, true, nil
	})
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
	buf.Write(wasmcode.LebS(int64(int32(uint32(off)))))
	buf.WriteByte(0x41)
	buf.Write(wasmcode.LebS(int64(sub)))
	buf.WriteByte(0x10) // call
	buf.Write(wasmcode.LebU(uint64(helpers[h])))
	if kind == 1 {
		buf.WriteByte(0x1a) // drop
	}
	return buf.Bytes(), true
}
