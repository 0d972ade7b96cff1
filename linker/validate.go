// Package linker checks WebAssembly modules against faasm's host ABI and
// turns them into cached, engine-specific artefacts.
//
// Validate runs on every module before the engine sees it, so a guest built
// against a stale header fails with the import and the signature it should
// have, not with a link error deep in wasmtime:
//
//	rep, err := linker.Validate(wasm, linker.Limits{})
//	entry, err := cache.Get(wasm, engine) // engine implements Compiler
//
// The package is pure Go (no cgo): the engine-specific compiler is behind
// the Compiler interface, implemented by runtime/engine.
package linker

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/wasm"

	"github.com/faasm-go/faasm/hostabi"
)

// DefaultMaxMemoryBytes is the wasm32 ceiling: 65536 pages of 64 KiB.
const DefaultMaxMemoryBytes = 4 << 30

const pageSize = 65536

// Limits bound what a module may ask for. The zero value uses the defaults.
type Limits struct {
	// MaxMemoryBytes caps the module's declared memory maximum (and its
	// minimum). 0 means DefaultMaxMemoryBytes.
	MaxMemoryBytes uint64
}

// Features is what the decoder accepts: WebAssembly 2.0 (bulk memory,
// multi-value, non-trapping float-to-int, reference types, sign extension,
// SIMD) plus mutable globals. wabin does not decode function bodies, so
// threads/atomics and tail calls in code pass through to wasmtime, which
// validates instructions when it compiles.
const Features = wasm.CoreFeaturesV2

var (
	wasmMagic   = []byte{0x00, 'a', 's', 'm'}
	wasmVersion = []byte{0x01, 0x00, 0x00, 0x00}
)

// Validate decodes wasm and checks it can run as a Faaslet: every import is
// in the hostabi table with the table's signature, the module defines and
// exports its memory as "memory" within lim, and exports _start as ()->().
// It returns every problem at once in a *ValidationError. It never panics.
func Validate(wasmBin []byte, lim Limits) (rep *Report, err error) {
	if lim.MaxMemoryBytes == 0 {
		lim.MaxMemoryBytes = DefaultMaxMemoryBytes
	}
	if len(wasmBin) < 4 || !bytes.Equal(wasmBin[:4], wasmMagic) {
		return nil, &ValidationError{Problems: []string{"not a WebAssembly module (bad magic)"}, kind: ErrNotWasm}
	}
	if len(wasmBin) < 8 {
		return nil, corrupt("truncated header")
	}
	if v := wasmBin[4:8]; !bytes.Equal(v, wasmVersion) {
		if v[2] != 0 || v[3] != 0 {
			return nil, &ValidationError{Problems: []string{"not a WebAssembly core module (a component? layer " +
				fmt.Sprint(int(v[2])|int(v[3])<<8) + "): faasm runs core modules"}, kind: ErrNotWasm}
		}
		return nil, &ValidationError{Problems: []string{fmt.Sprintf("not a WebAssembly module (version %d, want 1)",
			uint32(v[0])|uint32(v[1])<<8)}, kind: ErrNotWasm}
	}

	facts, err := scan(wasmBin)
	if err != nil {
		return nil, corrupt(err.Error())
	}
	if facts.sharedMemory {
		return nil, invalid("memory is shared (linked with --shared-memory): faasm shares a private memory " +
			"between threads itself; link without --shared-memory")
	}
	mod, err := decode(wasmBin)
	if err != nil {
		return nil, err
	}

	sum := sha256.Sum256(wasmBin)
	rep = &Report{Size: len(wasmBin), SHA256: hex.EncodeToString(sum[:]), HasNameSection: mod.NameSection != nil}
	v := &validator{mod: mod, rep: rep, lim: lim}
	v.imports()
	v.memory()
	v.exports()
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems, kind: ErrInvalid}
	}
	return rep, nil
}

// decode runs wabin, turning a panic on hostile input into an error: the
// runtime validates uploads and must not crash on them.
func decode(bin []byte) (mod *wasm.Module, err error) {
	defer func() {
		if p := recover(); p != nil {
			mod, err = nil, corrupt(fmt.Sprint("decoder panic: ", p))
		}
	}()
	mod, err = binary.DecodeModule(bin, Features)
	if err != nil {
		return nil, corrupt(err.Error())
	}
	return mod, nil
}

func corrupt(msg string) error {
	return &ValidationError{Problems: []string{"corrupt module: " + msg}, kind: ErrCorrupt}
}

func invalid(msg string) error {
	return &ValidationError{Problems: []string{msg}, kind: ErrInvalid}
}

type validator struct {
	mod      *wasm.Module
	rep      *Report
	lim      Limits
	problems []string
}

func (v *validator) addf(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validator) funcType(typeIdx uint32) (*wasm.FunctionType, bool) {
	if int64(typeIdx) >= int64(len(v.mod.TypeSection)) {
		return nil, false
	}
	return v.mod.TypeSection[typeIdx], true
}

func (v *validator) imports() {
	for i, imp := range v.mod.ImportSection {
		where := fmt.Sprintf("import[%d] %s.%s", i, imp.Module, imp.Name)
		switch imp.Type {
		case wasm.ExternTypeFunc:
		case wasm.ExternTypeMemory:
			v.addf("%s: imported memory not supported: the module must define and export its memory "+
				"(link without --import-memory)", where)
			continue
		case wasm.ExternTypeTable:
			v.addf("%s: imported table not supported: the module must define its own table "+
				"(link without --import-table)", where)
			continue
		case wasm.ExternTypeGlobal:
			v.addf("%s: imported global not supported: faasm provides no globals", where)
			continue
		default:
			v.addf("%s: unknown import kind %#x", where, imp.Type)
			continue
		}
		ft, ok := v.funcType(imp.DescFunc)
		if !ok {
			v.addf("%s: type index %d out of range (%d types)", where, imp.DescFunc, len(v.mod.TypeSection))
			continue
		}
		sig := signature(ft)
		m, f, found := hostabi.Lookup(imp.Module, imp.Name)
		switch {
		case m == nil:
			v.addf("%s: unknown import module %q (faasm provides: %s)", where, imp.Module, moduleNames())
		case !found:
			v.addf("%s: unknown import (module %s has: %s)", where, m.Name, funcNames(m))
		case sig != f.Signature():
			v.addf("%s: signature %s, want %s", where, sig, f.Signature())
		default:
			v.rep.Imports = append(v.rep.Imports, Import{Module: imp.Module, Name: imp.Name, Signature: sig})
		}
	}
}

func (v *validator) memory() {
	mem := v.mod.MemorySection
	if mem == nil {
		if v.mod.ImportMemoryCount() == 0 {
			v.addf("no memory: the module must define and export its memory as \"memory\"")
		}
		return
	}
	v.rep.MemoryMinPages = mem.Min
	v.rep.MemoryMaxPages = 65536
	if mem.IsMaxEncoded {
		v.rep.MemoryMaxPages = mem.Max
		v.rep.MemoryMaxDeclared = true
	} else {
		v.rep.Notes = append(v.rep.Notes, "memory declares no maximum: it may grow to the runtime's limit")
	}
	limit := v.lim.MaxMemoryBytes
	if uint64(mem.Min)*pageSize > limit {
		v.addf("memory minimum %d pages (%s) exceeds the limit %s", mem.Min, bytesString(uint64(mem.Min)*pageSize), bytesString(limit))
	}
	if mem.IsMaxEncoded && uint64(mem.Max)*pageSize > limit {
		v.addf("memory maximum %d pages (%s) exceeds the limit %s (link with --max-memory=%d or less)",
			mem.Max, bytesString(uint64(mem.Max)*pageSize), bytesString(limit), limit/pageSize*pageSize)
	}
}

func (v *validator) exports() {
	var start, memory bool
	nImported := v.mod.ImportFuncCount()
	for _, e := range v.mod.ExportSection {
		v.rep.Exports = append(v.rep.Exports, Export{Name: e.Name, Kind: wasm.ExternTypeName(e.Type)})
		switch e.Name {
		case "_start":
			start = true
			if e.Type != wasm.ExternTypeFunc {
				v.addf("export _start: is a %s, want a function ()->()", wasm.ExternTypeName(e.Type))
				continue
			}
			var ft *wasm.FunctionType
			ok := false
			if e.Index < nImported {
				v.addf("export _start: re-exports an import; the module must define _start")
				continue
			}
			if local := uint64(e.Index) - uint64(nImported); local < uint64(len(v.mod.FunctionSection)) {
				ft, ok = v.funcType(v.mod.FunctionSection[local])
			}
			if !ok {
				v.addf("export _start: function index %d out of range", e.Index)
				continue
			}
			if sig := signature(ft); sig != "()->()" {
				v.addf("export _start: signature %s, want ()->()", sig)
			}
		case "memory":
			memory = true
			if e.Type != wasm.ExternTypeMemory {
				v.addf("export memory: is a %s, want the module's memory", wasm.ExternTypeName(e.Type))
			}
		}
	}
	if !start {
		v.addf("missing export _start: faasm runs WASI commands (link a main function, not a reactor or --no-entry)")
	}
	if !memory && v.mod.MemorySection != nil {
		v.addf("missing export memory: the module must export its memory as \"memory\"")
	}
}

// signature renders a wabin function type like hostabi.FormatSignature, so
// a mismatch message compares like with like.
func signature(ft *wasm.FunctionType) string {
	ps, ok1 := valTypes(ft.Params)
	rs, ok2 := valTypes(ft.Results)
	if ok1 && ok2 {
		return hostabi.FormatSignature(ps, rs)
	}
	// v128 or reference types: no hostabi import uses them, but say what they are.
	names := func(ts []wasm.ValueType) []string {
		out := make([]string, len(ts))
		for i, t := range ts {
			out[i] = wasm.ValueTypeName(t)
		}
		return out
	}
	res := "(" + strings.Join(names(ft.Results), ",") + ")"
	if len(ft.Results) == 1 {
		res = wasm.ValueTypeName(ft.Results[0])
	}
	return "(" + strings.Join(names(ft.Params), ",") + ")->" + res
}

func valTypes(ts []wasm.ValueType) ([]hostabi.ValType, bool) {
	out := make([]hostabi.ValType, len(ts))
	for i, t := range ts {
		switch t {
		case wasm.ValueTypeI32:
			out[i] = hostabi.I32
		case wasm.ValueTypeI64:
			out[i] = hostabi.I64
		case wasm.ValueTypeF32:
			out[i] = hostabi.F32
		case wasm.ValueTypeF64:
			out[i] = hostabi.F64
		default:
			return nil, false
		}
	}
	return out, true
}

func moduleNames() string {
	names := make([]string, len(hostabi.Modules))
	for i, m := range hostabi.Modules {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

func funcNames(m *hostabi.Module) string {
	names := make([]string, len(m.Funcs))
	for i := range m.Funcs {
		names[i] = m.Funcs[i].Name
	}
	return strings.Join(names, ", ")
}

func bytesString(n uint64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// sectionName names a section id for messages.
func sectionName(id byte) string {
	if id > 12 {
		return fmt.Sprintf("id %d", id)
	}
	return wasm.SectionIDName(id)
}
