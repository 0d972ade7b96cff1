package engine_test

import (
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/wasmcode"
)

// Every module is compiled with its constant address additions folded into
// memarg offsets. Loads and stores through both forms must see the same
// bytes: the function writes through folded stores and reads back through
// folded and unfolded loads, and exits with what it read.
func TestCompile_foldedOffsetsSameMemory(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	src := `(module ` + prelude + `
  (func (export "_start") (local $p i32)
    (local.set $p (i32.const 1000))
    ;; stores: p+8 <- 7.0, p+16 <- 35 (as i32), (24+p) <- v128 of 4x i32 3
    (f64.store (i32.add (local.get $p) (i32.const 8)) (f64.const 7))
    (i32.store (i32.add (local.get $p) (i32.const 16)) (i32.const 35))
    (v128.store (i32.add (i32.const 24) (local.get $p)) (v128.const i32x4 3 3 3 3))
    (call $proc_exit
      (i32.add
        (i32.add
          (i32.trunc_f64_s (f64.load offset=8 (local.get $p)))
          (i32.load (i32.add (local.get $p) (i32.const 16))))
        (i32.add
          (i32x4.extract_lane 2 (v128.load (i32.add (local.get $p) (i32.const 24))))
          (i32.load offset=36 (local.get $p)))))))`
	wasm, err := wasmtime.Wat2Wasm(src)
	require.NoError(t, err)
	_, folds, err := wasmcode.FoldOffsets(wasm)
	require.NoError(t, err)
	require.Equal(t, 5, folds, "three stores and two loads have a foldable addition")

	m := compile(t, e, src)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(7+35+3+3), code)
}

// Where p+C passes 2^32, the unfolded addition wraps to a low address and
// the folded offset is out of bounds: FoldOffsets' documented difference.
// C code cannot compute such an address without undefined behaviour.
func TestCompile_foldedOffsetPastFourGiBTraps(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (func (export "_start")
    (call $proc_exit (i32.load (i32.add (i32.const -8) (i32.const 16))))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Run("_start")
	var trap *engine.TrapError
	require.ErrorAs(t, err, &trap)
	require.Equal(t, engine.TrapMemoryOutOfBounds, trap.Kind)
}

// A static address plus a negative index reaches its element through the
// wrapping addition; such a constant is never folded.
func TestCompile_staticAddressNegativeIndex(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (data (i32.const 1992) "\2a")
  (func (export "_start") (local $i i32)
    (local.set $i (i32.const -8))
    (call $proc_exit (i32.load8_u (i32.add (i32.const 2000) (local.get $i))))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(42), code)
}
