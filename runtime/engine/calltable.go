package engine

import (
	"fmt"
	"math"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// CallTable calls the function at index idx of the calling guest's exported
// function table (a C function pointer) from inside a host function,
// re-entrantly on the same store. Arguments and results use the hostabi
// stack convention: one uint64 slot per value, i32 in the low 32 bits.
//
// Host callbacks go through function pointers rather than exports because
// wasm-ld wraps every export of a command module so that each call re-runs
// static constructors and destructors.
func (c *callerView) CallTable(idx uint32, args ...uint64) ([]uint64, error) {
	if c.f.instance == nil {
		return nil, fmt.Errorf("function table[%d]: called while the module is being instantiated", idx)
	}
	fn, err := tableFunc(c.c, c.f.instance.GetExport(c.c, TableExport), idx)
	if err != nil {
		return nil, err
	}
	// A host function inside this call may record the error it ended the
	// guest with; that error now belongs to our caller, who either returns
	// it (and it is recorded again) or handles it, so it must not outlive
	// this call and be blamed for a later trap.
	prev := c.f.hostErr
	res, err := callGuest(c.c, fn, fmt.Sprintf("function table[%d]", idx), args)
	c.f.hostErr = prev
	c.fresh = false // the guest code may have grown the memory
	return res, err
}

// callGuest calls fn with hostabi stack-slot arguments and returns its
// results the same way.
func callGuest(st wasmtime.Storelike, fn *wasmtime.Func, name string, args []uint64) ([]uint64, error) {
	params := fn.Type(st).Params()
	if len(params) != len(args) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", name, len(params), len(args))
	}
	vals := make([]any, len(args))
	for i, p := range params {
		switch p.Kind() {
		case wasmtime.KindI32:
			vals[i] = int32(uint32(args[i]))
		case wasmtime.KindI64:
			vals[i] = int64(args[i])
		case wasmtime.KindF32:
			vals[i] = math.Float32frombits(uint32(args[i]))
		case wasmtime.KindF64:
			vals[i] = math.Float64frombits(args[i])
		default:
			return nil, fmt.Errorf("%s: unsupported parameter type %v", name, p.Kind())
		}
	}
	res, err := fn.Call(st, vals...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var rs []any
	switch r := res.(type) {
	case nil:
	case []wasmtime.Val:
		for _, v := range r {
			rs = append(rs, v.Get())
		}
	default:
		rs = []any{r}
	}
	out := make([]uint64, len(rs))
	for i, r := range rs {
		switch v := r.(type) {
		case int32:
			out[i] = uint64(uint32(v))
		case int64:
			out[i] = uint64(v)
		case float32:
			out[i] = uint64(math.Float32bits(v))
		case float64:
			out[i] = math.Float64bits(v)
		default:
			return nil, fmt.Errorf("%s: unsupported result %T", name, r)
		}
	}
	return out, nil
}
