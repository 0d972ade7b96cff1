package engine_test

import (
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
)

// TestHostCall_types passes every value type through the unchecked
// convention both ways: i32 slots must not leak sign bits into the upper
// half, f32 must keep its bit pattern, and two results come back in order.
func TestHostCall_types(t *testing.T) {
	mix := &hostabi.Func{Name: "mix",
		Params:  []hostabi.Param{hostabi.Int32("a"), hostabi.Int64("b"), hostabi.Float32("c"), hostabi.Float64("d")},
		Results: []hostabi.Param{hostabi.Int64("x"), hostabi.Float64("y")}}
	var got []uint64
	funcs := []hostabi.HostFunc{{Module: "test", Func: mix, Call: func(c hostabi.Caller, stack []uint64) error {
		got = append([]uint64(nil), stack...)
		a, b := int64(int32(stack[0])), int64(stack[1])
		c32, d := math.Float32frombits(uint32(stack[2])), math.Float64frombits(stack[3])
		stack[0] = uint64(a + b)
		stack[1] = math.Float64bits(float64(c32) * d)
		return nil
	}}}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(t, err)
	m := compile(t, e, `(module
  (import "test" "mix" (func $mix (param i32 i64 f32 f64) (result i64 f64)))
  (func (export "_start") (local $y f64)
    (call $mix (i32.const -1) (i64.const 0x100000000) (f32.const 1.5) (f64.const -2.25))
    (local.set $y)
    (if (i64.ne (i64.const 0xffffffff)) (then unreachable))
    (if (f64.ne (local.get $y) (f64.const -3.375)) (then unreachable))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Zero(t, code)
	require.Equal(t, []uint64{0xffffffff, 1 << 32, uint64(math.Float32bits(1.5)), math.Float64bits(-2.25)}, got)
}

// TestHostCall_panic: a Go panic in a host function must end that guest
// with a trap naming the function, not crash the process through C frames.
func TestHostCall_panic(t *testing.T) {
	funcs := []hostabi.HostFunc{{Module: "test", Func: &hostabi.Func{Name: "boom"}, Call: func(c hostabi.Caller, stack []uint64) error {
		var m map[string]int
		m["x"] = 1
		return nil
	}}}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(t, err)
	m := compile(t, e, `(module (import "test" "boom" (func $boom)) (func (export "_start") (call $boom)))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	code, err := f.Run("_start")
	require.Equal(t, int32(1), code)
	require.ErrorContains(t, err, "test.boom: host function panicked: assignment to entry in nil map")
}

// TestHostCall_manyFaaslets runs Faaslets on several goroutines while others
// are created and closed, so stores reuse wasmtime-go's data indices: every
// host call must still see its own Faaslet's Data and memory.
func TestHostCall_manyFaaslets(t *testing.T) {
	who := &hostabi.Func{Name: "who", Params: []hostabi.Param{hostabi.Int32("n")}}
	funcs := []hostabi.HostFunc{{Module: "test", Func: who, Call: func(c hostabi.Caller, stack []uint64) error {
		id := c.Data().(int)
		v, ok := hostabi.ReadUint32(c.Memory(), 0)
		if !ok || int(v) != id || int(stack[0]) != id {
			return &hostabi.ExitError{Code: 99, Message: "wrong faaslet"}
		}
		return nil
	}}}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(t, err)
	m := compile(t, e, `(module (import "test" "who" (func $who (param i32))) (memory (export "memory") 1)
  (func (export "run") (param $id i32) (local $i i32)
    (i32.store (i32.const 0) (local.get $id))
    (loop $l (call $who (local.get $id))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 2000))))))`)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 20 {
				id := g*100 + round
				f, err := e.NewFaaslet(m, engine.Config{Data: id})
				if !assertNoErr(t, err) {
					return
				}
				_, err = f.Call("run", int32(id))
				f.Close()
				if !assertNoErr(t, err) {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func assertNoErr(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}

// TestHostCall_memoryGrows: the host caches the memory's size between
// calls; after the guest grows its memory, an access to the new pages must
// see them, and one past the end must still fail.
func TestHostCall_memoryGrows(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (func (export "_start")
    (if (i32.ne (call $peek (i32.const 0)) (i32.const 0)) (then unreachable))
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 1234))
    (if (i32.ne (call $peek (i32.const 70000)) (i32.const 1234)) (then unreachable))
    (drop (call $peek (i32.const 131070)))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Run("_start")
	require.ErrorContains(t, err, "test.peek: out of bounds")
	require.NotContains(t, err.Error(), "unreachable")
}

// TestHostCall_sizeAfterGrow: Size, which the MPI glue bounds-checks every
// pointer against, must report growth that happened in guest code between
// two host calls.
func TestHostCall_sizeAfterGrow(t *testing.T) {
	var sizes []uint32
	funcs := []hostabi.HostFunc{{Module: "test", Func: &hostabi.Func{Name: "size"}, Call: func(c hostabi.Caller, stack []uint64) error {
		sizes = append(sizes, c.Memory().Size(), c.Memory().Size())
		return nil
	}}}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(t, err)
	m := compile(t, e, `(module (import "test" "size" (func $size)) (memory (export "memory") 1)
  (func (export "_start") (call $size) (drop (memory.grow (i32.const 2))) (call $size)))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, []uint32{1 << 16, 1 << 16, 3 << 16, 3 << 16}, sizes)
}
