package engine_test

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
)

// BenchmarkHostCall measures one guest-to-host call and back, the cost every
// MPI and OpenMP host import pays. The guest loops over the import in wasm,
// so the number is the crossing alone, not Go's Func.Call.
func BenchmarkHostCall(b *testing.B) {
	var sink uint64
	six := &hostabi.Func{Name: "six", Params: []hostabi.Param{
		hostabi.Int32("a"), hostabi.Int32("b"), hostabi.Int32("c"),
		hostabi.Int32("d"), hostabi.Int32("e"), hostabi.Int32("f")}, Results: []hostabi.Param{hostabi.Int32("r")}}
	funcs := []hostabi.HostFunc{
		{Module: "test", Func: six, Call: func(c hostabi.Caller, stack []uint64) error {
			sink += stack[0] + stack[5]
			stack[0] = 0
			return nil
		}},
		{Module: "test", Func: &hostabi.Func{Name: "peek", Params: []hostabi.Param{hostabi.Ptr("p", "void *")}, Results: []hostabi.Param{hostabi.Int32("v")}},
			Call: func(c hostabi.Caller, stack []uint64) error {
				v, _ := hostabi.ReadUint32(c.Memory(), hostabi.GuestPtr(stack[0]))
				stack[0] = uint64(v)
				return nil
			}},
	}
	e, err := engine.New(engine.Options{}, funcs)
	require.NoError(b, err)
	m := compile(b, e, `(module
  (import "test" "six" (func $six (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "test" "peek" (func $peek (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "six") (param $n i32)
    (loop $l
      (drop (call $six (local.get $n) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5) (i32.const 6)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func (export "peek") (param $n i32)
    (loop $l
      (drop (call $peek (i32.const 64)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))))`)
	f, err := e.NewFaaslet(m, engine.Config{Args: []string{"bench"}})
	require.NoError(b, err)
	defer f.Close()
	for _, name := range []string{"six", "peek"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			t0 := threadCPU()
			_, err := f.Call(name, int32(b.N))
			require.NoError(b, err)
			// Others share this machine: CPU time of this thread is the
			// steadier figure.
			b.ReportMetric(float64(threadCPU()-t0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// threadCPU is the calling thread's CPU time in nanoseconds. The benchmark
// goroutine stays on its thread for the whole guest call (wasm runs inside
// one cgo call and calls back on the same thread).
func threadCPU() int64 {
	var ru syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
