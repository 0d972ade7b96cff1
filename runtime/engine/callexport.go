package engine

import (
	"fmt"
	"math"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

// CallExport calls the calling guest's exported function name from inside a
// host function, re-entrantly on the same store (libfaasmpi's user-defined
// reductions: MPI_Op_create functions are called back through the shim's
// exported trampoline). Arguments and results use the hostabi stack
// convention: one uint64 slot per value, i32 in the low 32 bits.
func (c *callerView) CallExport(name string, args ...uint64) ([]uint64, error) {
	ext := c.c.GetExport(name)
	if ext == nil || ext.Func() == nil {
		return nil, fmt.Errorf("guest exports no function %q", name)
	}
	fn := ext.Func()
	ty := fn.Type(c.c)
	params := ty.Params()
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
	res, err := fn.Call(c.c, vals...)
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
