package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
)

// TestCallerView_CallTable calls a guest function through the function table
// from inside a host function (how faasmpi runs MPI_Op_create functions) and
// checks the guest's memory write is visible to the host afterwards.
func TestCallerView_CallTable(t *testing.T) {
	type tableCaller interface {
		CallTable(idx uint32, args ...uint64) ([]uint64, error)
	}
	var got []uint64
	var callErr error
	funcs := []hostabi.HostFunc{{
		Module: "test",
		Func:   &hostabi.Func{Name: "reenter", Params: []hostabi.Param{hostabi.Int32("fn"), hostabi.Int32("x")}, Results: []hostabi.Param{hostabi.Int32("r")}},
		Call: func(c hostabi.Caller, stack []uint64) error {
			tc, ok := c.(tableCaller)
			require.True(t, ok, "engine's caller must offer CallTable")
			got, callErr = tc.CallTable(uint32(stack[0]), stack[1])
			v, _ := hostabi.ReadUint32(c.Memory(), 64)
			stack[0] = uint64(v)
			_, null := tc.CallTable(0)
			require.ErrorContains(t, null, "function table[0] is null")
			_, wrongArity := tc.CallTable(uint32(stack[0]))
			require.Error(t, wrongArity)
			return nil
		},
	}}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(t, err)
	m := compile(t, e, `(module
	  (import "test" "reenter" (func $reenter (param i32 i32) (result i32)))
	  (memory (export "memory") 1)
	  (table (export "__indirect_function_table") 2 funcref)
	  (elem (i32.const 1) $triple_store)
	  (func $triple_store (param i32) (result i32)
	    (i32.store (i32.const 64) (i32.mul (local.get 0) (i32.const 3)))
	    (i32.add (local.get 0) (i32.const 1)))
	  (func (export "_start")
	    (if (i32.ne (call $reenter (i32.const 1) (i32.const 14)) (i32.const 42)) (then unreachable))))`)
	f, err := e.NewFaaslet(m, engine.Config{Args: []string{"t"}})
	require.NoError(t, err)
	defer f.Close()
	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Zero(t, code)
	require.NoError(t, callErr)
	require.Equal(t, []uint64{15}, got)
}
