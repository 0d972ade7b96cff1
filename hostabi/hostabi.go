// Package hostabi is the single table of every host import a faasm guest may
// use: module, name, parameter and result types, documentation and support
// level. It is pure data. The C headers in the sysroot, the Go bindings in
// runtime/host/<module> and docs/hostabi.md are generated from it by
// cmd/hostabigen (run `go generate ./hostabi`), and the linker validates every
// module's imports against it.
//
// Adding a host import means adding one Func to a Module here, regenerating,
// and implementing the generated Handler method in the runtime.
package hostabi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// ValType is a WebAssembly value type as it appears in a function signature.
type ValType uint8

const (
	I32 ValType = iota + 1
	I64
	F32
	F64
)

func (v ValType) String() string {
	switch v {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	}
	return fmt.Sprintf("valtype(%d)", uint8(v))
}

// Kind says how the guest and host interpret a value beyond its wasm type.
// It decides the C and Go types the generator writes.
type Kind uint8

const (
	KindInt    Kind = iota + 1 // signed integer of the ValType's width
	KindUint                   // unsigned integer (sizes, counts)
	KindPtr                    // guest address (i32): GuestPtr in Go, a C pointer type
	KindFloat                  // f32 / f64
	KindHandle                 // small integer naming a host object (communicator, lock, ...)
)

// Param is one parameter or result.
type Param struct {
	Name  string
	Type  ValType
	Kind  Kind
	CType string // the C spelling; derived from Type/Kind when empty
}

// Support says how completely the runtime implements a Func (after gVisor's
// syscall tables): the generated docs show it so users see what works.
type Support uint8

const (
	Full    Support = iota + 1 // implemented with the documented semantics
	Partial                    // implemented; Note says what is missing
	Stub                       // present so modules link; calling it fails with a clear error
)

func (s Support) String() string {
	switch s {
	case Full:
		return "full"
	case Partial:
		return "partial"
	case Stub:
		return "stub"
	}
	return fmt.Sprintf("support(%d)", uint8(s))
}

// Func is one host import.
type Func struct {
	Name     string
	Params   []Param
	Results  []Param // at most one today: C has a single return value
	Doc      string
	Support  Support
	Note     string // for Partial and Stub: what is missing
	NoReturn bool   // the host never returns to the guest (exit, abort)
}

// Module is one import module (the first string of a wasm import).
type Module struct {
	Name string
	Doc  string
	// Provided means the runtime gets the implementation from elsewhere
	// (wasmtime's WASI): the table only lists signatures for validation and
	// docs; no C header or Go bindings are generated.
	Provided bool
	Funcs    []Func
	// Consts are values C and Go must agree on (e.g. mpi.h handles and error
	// codes). The generator writes them as #defines in the module's header and
	// as Go constants beside its bindings.
	Consts []Const
}

// Const is one named integer both sides of the ABI use.
type Const struct {
	Name   string // the C spelling, e.g. MPI_COMM_WORLD
	GoName string // the Go spelling; derived from Name when empty
	Value  int64
	Doc    string
}

// Modules lists every import module a guest may use, in documentation order.
var Modules = []*Module{&Faasm, &Faasmp, &FaasMPI, &WASI}

// Lookup finds a host import by module and name.
func Lookup(module, name string) (*Module, *Func, bool) {
	for _, m := range Modules {
		if m.Name != module {
			continue
		}
		for i := range m.Funcs {
			if m.Funcs[i].Name == name {
				return m, &m.Funcs[i], true
			}
		}
		return m, nil, false
	}
	return nil, nil, false
}

// MustFunc is Lookup for generated code: the table and the bindings are
// generated together, so a miss is a stale checkout, not a user error.
func MustFunc(module, name string) *Func {
	_, f, ok := Lookup(module, name)
	if !ok {
		panic(fmt.Sprintf("hostabi: no import %s.%s in the table (run: go generate ./hostabi)", module, name))
	}
	return f
}

// Signature renders a Func's wasm type, e.g. "(i32,i32)->i32".
func (f *Func) Signature() string {
	return FormatSignature(f.ParamTypes(), f.ResultTypes())
}

// ParamTypes returns the wasm types of the parameters.
func (f *Func) ParamTypes() []ValType { return valTypes(f.Params) }

// ResultTypes returns the wasm types of the results.
func (f *Func) ResultTypes() []ValType { return valTypes(f.Results) }

func valTypes(ps []Param) []ValType {
	out := make([]ValType, len(ps))
	for i, p := range ps {
		out[i] = p.Type
	}
	return out
}

// FormatSignature renders a wasm function type the way error messages show it.
func FormatSignature(params, results []ValType) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.String())
	}
	b.WriteString(")->")
	switch len(results) {
	case 0:
		b.WriteString("()")
	case 1:
		b.WriteString(results[0].String())
	default:
		b.WriteByte('(')
		for i, r := range results {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(r.String())
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Version is a digest of every signature in the table. It keys AOT caches
// and is printed by `faasm-cc env`, so a table change invalidates compiled
// artefacts that were checked against the old one.
func Version() string {
	h := sha256.New()
	for _, m := range Modules {
		for i := range m.Funcs {
			f := &m.Funcs[i]
			fmt.Fprintf(h, "%s.%s%s;", m.Name, f.Name, f.Signature())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Parameter constructors keep the tables short.

// Int32 is a signed 32-bit integer parameter.
func Int32(name string) Param { return Param{Name: name, Type: I32, Kind: KindInt} }

// Uint32 is an unsigned 32-bit parameter (sizes, counts).
func Uint32(name string) Param { return Param{Name: name, Type: I32, Kind: KindUint} }

// Int64 is a signed 64-bit integer parameter.
func Int64(name string) Param { return Param{Name: name, Type: I64, Kind: KindInt} }

// Uint64 is an unsigned 64-bit parameter.
func Uint64(name string) Param { return Param{Name: name, Type: I64, Kind: KindUint} }

// Float32 is a float parameter.
func Float32(name string) Param { return Param{Name: name, Type: F32, Kind: KindFloat} }

// Float64 is a double parameter.
func Float64(name string) Param { return Param{Name: name, Type: F64, Kind: KindFloat} }

// Ptr is a guest pointer; ctype is its C spelling (e.g. "const char *").
func Ptr(name, ctype string) Param { return Param{Name: name, Type: I32, Kind: KindPtr, CType: ctype} }

// Handle is an integer naming a host-side object.
func Handle(name string) Param { return Param{Name: name, Type: I32, Kind: KindHandle} }
