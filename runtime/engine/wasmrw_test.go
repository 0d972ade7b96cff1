package engine_test

// wasmrw's tests live here because they run the rewritten modules under
// wasmtime, and runtime/engine is the one package that imports wasmtime-go.

import (
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/omp/wasmrw"
)

// The helpers record (addr+offset, op, value) at 0x100 and return 7 or 9:
// after the rewrite, the module's atomics must end up in them.
const mod = `(module
  (memory (export "memory") 1)
  (func $__faasmp_a32 (param $a i32) (param $v i32) (param $off i32) (param $op i32) (result i32)
    (i32.store (i32.const 0x100) (i32.add (local.get $a) (local.get $off)))
    (i32.store (i32.const 0x104) (local.get $op))
    (i32.store (i32.const 0x108) (local.get $v))
    (i32.const 7))
  (func $__faasmp_a64 (param i32 i64 i32 i32) (result i64) (i64.const 9))
  (func $__faasmp_cas32 (param $a i32) (param $e i32) (param $r i32) (param $off i32) (param $op i32) (result i32)
    (i32.store (i32.const 0x104) (local.get $op))
    (i32.store (i32.const 0x108) (local.get $r))
    (i32.const 7))
  (func $__faasmp_cas64 (param i32 i64 i64 i32 i32) (result i64) (i64.const 9))
  (func (export "rmw") (result i32) (local $r i32)
    (block $done
      (loop $again
        (local.set $r (i32.atomic.rmw.add offset=8 (i32.const 16) (i32.const 5)))
        (br_if $done (local.get $r))
        (br $again)))
    (local.get $r))
  (func (export "store") (i64.atomic.store offset=4 (i32.const 32) (i64.const 1)))
  (func (export "load") (result i64) (i64.atomic.load (i32.const 40)))
  (func (export "cas") (result i32) (i32.atomic.rmw8.cmpxchg_u (i32.const 48) (i32.const 1) (i32.const 3)))
  (func (export "simd") (result i32) (i32x4.extract_lane 1 (v128.const i32x4 1 2 3 4)))
  (func (export "fence") (atomic.fence)))`

func run(t *testing.T, wasm []byte, name string) []wasmtime.Val {
	t.Helper()
	cfg := wasmtime.NewConfig()
	cfg.SetWasmThreads(true)
	store := wasmtime.NewStore(wasmtime.NewEngineWithConfig(cfg))
	m, err := wasmtime.NewModule(store.Engine, wasm)
	require.NoError(t, err)
	inst, err := wasmtime.NewInstance(store, m, nil)
	require.NoError(t, err)
	res, err := inst.GetFunc(store, name).Call(store)
	require.NoError(t, err)
	mem := inst.GetExport(store, "memory").Memory().UnsafeData(store)
	out := []wasmtime.Val{}
	if res != nil {
		switch v := res.(type) {
		case int32:
			out = append(out, wasmtime.ValI32(v))
		case int64:
			out = append(out, wasmtime.ValI64(v))
		}
	}
	out = append(out, wasmtime.ValI32(int32(mem[0x100])|int32(mem[0x101])<<8), wasmtime.ValI32(int32(mem[0x104])), wasmtime.ValI32(int32(mem[0x108])))
	return out
}

func TestRewriteAtomics(t *testing.T) {
	wasm, err := wasmtime.Wat2Wasm(mod)
	require.NoError(t, err)
	out, n, err := wasmrw.Rewrite(wasm)
	require.NoError(t, err)
	require.Equal(t, 4, n, "rmw, store, load and cmpxchg; the fence stays")

	got := run(t, out, "rmw")
	require.Equal(t, int32(7), got[0].I32())
	require.Equal(t, int32(24), got[1].I32(), "address plus memarg offset")
	require.Equal(t, int32(0x1e), got[2].I32(), "i32.atomic.rmw.add")
	require.Equal(t, int32(5), got[3].I32())

	require.Equal(t, int64(9), run(t, out, "load")[0].I64())
	run(t, out, "store")
	got = run(t, out, "cas")
	require.Equal(t, int32(7), got[0].I32())
	require.Equal(t, int32(0x4a), got[2].I32(), "i32.atomic.rmw8.cmpxchg_u")
	require.Equal(t, int32(3), got[3].I32())
	require.Equal(t, int32(2), run(t, out, "simd")[0].I32())
	run(t, out, "fence")
}

func TestRewriteWithoutHelpers(t *testing.T) {
	wasm, err := wasmtime.Wat2Wasm(`(module (memory 1) (func (export "f") (drop (i32.atomic.load (i32.const 0)))))`)
	require.NoError(t, err)
	_, _, err = wasmrw.Rewrite(wasm)
	require.ErrorIs(t, err, wasmrw.ErrNoHelpers)

	plain, err := wasmtime.Wat2Wasm(`(module (func (export "f")))`)
	require.NoError(t, err)
	out, n, err := wasmrw.Rewrite(plain)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, plain, out)
}
