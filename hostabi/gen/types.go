package gen

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
)

// CType is the C spelling of p as the header declares it.
func CType(p hostabi.Param) string {
	if p.Kind == hostabi.KindPtr {
		if p.CType != "" {
			return p.CType
		}
		return "void *"
	}
	if p.CType != "" {
		return p.CType
	}
	switch p.Kind {
	case hostabi.KindUint:
		switch p.Type {
		case hostabi.I32:
			return "uint32_t"
		case hostabi.I64:
			return "uint64_t"
		}
	case hostabi.KindFloat:
		switch p.Type {
		case hostabi.F32:
			return "float"
		case hostabi.F64:
			return "double"
		}
	}
	// KindInt, KindHandle and anything unusual: the signed integer of the
	// wasm width, which is what clang lowers to that wasm type anyway.
	switch p.Type {
	case hostabi.I64:
		return "int64_t"
	case hostabi.F32:
		return "float"
	case hostabi.F64:
		return "double"
	}
	return "int32_t"
}

// GoType is the Go type a Handler method sees for p.
func GoType(p hostabi.Param) string {
	switch p.Kind {
	case hostabi.KindPtr:
		return "hostabi.GuestPtr"
	case hostabi.KindUint:
		if p.Type == hostabi.I64 {
			return "uint64"
		}
		return "uint32"
	case hostabi.KindFloat:
		if p.Type == hostabi.F32 {
			return "float32"
		}
		return "float64"
	}
	switch p.Type {
	case hostabi.I64:
		return "int64"
	case hostabi.F32:
		return "float32"
	case hostabi.F64:
		return "float64"
	}
	return "int32"
}

// decodeSlot is the Go expression that reads stack slot i as p's Go type.
// Slots are uint64; an i32 occupies the low 32 bits.
func decodeSlot(p hostabi.Param, i int) string {
	slot := fmt.Sprintf("stack[%d]", i)
	switch GoType(p) {
	case "hostabi.GuestPtr":
		return "hostabi.GuestPtr(uint32(" + slot + "))"
	case "uint32":
		return "uint32(" + slot + ")"
	case "int32":
		return "int32(uint32(" + slot + "))"
	case "uint64":
		return slot
	case "int64":
		return "int64(" + slot + ")"
	case "float32":
		return "math.Float32frombits(uint32(" + slot + "))"
	case "float64":
		return "math.Float64frombits(" + slot + ")"
	}
	panic("gen: no decoding for " + GoType(p))
}

// encodeSlot is the Go expression that turns result value v of p's Go type
// into a stack slot.
func encodeSlot(p hostabi.Param, v string) string {
	switch GoType(p) {
	case "hostabi.GuestPtr", "uint32":
		return "uint64(" + v + ")"
	case "int32":
		return "uint64(uint32(" + v + "))"
	case "uint64":
		return v
	case "int64":
		return "uint64(" + v + ")"
	case "float32":
		return "uint64(math.Float32bits(" + v + "))"
	case "float64":
		return "math.Float64bits(" + v + ")"
	}
	panic("gen: no encoding for " + GoType(p))
}

func usesMath(m *hostabi.Module) bool {
	for _, f := range m.Funcs {
		for _, p := range append(append([]hostabi.Param{}, f.Params...), f.Results...) {
			if p.Kind == hostabi.KindFloat || p.Type == hostabi.F32 || p.Type == hostabi.F64 {
				return true
			}
		}
	}
	return false
}
