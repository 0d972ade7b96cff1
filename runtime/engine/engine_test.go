package engine_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
)

// echoFunc is a host function over the hostabi calling convention: it adds
// its two i32 arguments and records the caller's Data.
var echoDef = hostabi.Func{Name: "add", Params: []hostabi.Param{hostabi.Int32("a"), hostabi.Int32("b")}, Results: []hostabi.Param{hostabi.Int32("r")}}

func testFuncs(seen *[]any) []hostabi.HostFunc {
	return []hostabi.HostFunc{
		{Module: "test", Func: &echoDef, Call: func(c hostabi.Caller, stack []uint64) error {
			*seen = append(*seen, c.Data())
			stack[0] = uint64(uint32(int32(stack[0]) + int32(stack[1])))
			return nil
		}},
		{Module: "test", Func: &hostabi.Func{Name: "quit", Params: []hostabi.Param{hostabi.Int32("code")}},
			Call: func(c hostabi.Caller, stack []uint64) error {
				return &hostabi.ExitError{Code: int32(stack[0]), Message: "quit called"}
			}},
		{Module: "test", Func: &hostabi.Func{Name: "fail"},
			Call: func(c hostabi.Caller, stack []uint64) error {
				return errors.New("backend unavailable")
			}},
		{Module: "test", Func: &hostabi.Func{Name: "peek", Params: []hostabi.Param{hostabi.Ptr("p", "void *")}, Results: []hostabi.Param{hostabi.Int32("v")}},
			Call: func(c hostabi.Caller, stack []uint64) error {
				v, ok := hostabi.ReadUint32(c.Memory(), hostabi.GuestPtr(stack[0]))
				if !ok {
					return errors.New("out of bounds")
				}
				stack[0] = uint64(v)
				return nil
			}},
	}
}

func compile(t testing.TB, e *engine.Engine, wat string) *engine.Module {
	t.Helper()
	wasm, err := wasmtime.Wat2Wasm(wat)
	require.NoError(t, err)
	m, err := e.Compile(wasm)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return m
}

const prelude = `
  (import "test" "add" (func $add (param i32 i32) (result i32)))
  (import "test" "quit" (func $quit (param i32)))
  (import "test" "fail" (func $fail))
  (import "test" "peek" (func $peek (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 10)
`

func TestFaaslet_run(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)

	tests := []struct {
		name     string
		body     string
		wantCode int32
		wantErr  string // substring of the error; empty: no error
	}{
		{name: "returns", body: `(func (export "_start"))`},
		{name: "proc_exit", body: `(func (export "_start") (call $proc_exit (i32.const 7)))`, wantCode: 7},
		{name: "host add", body: `(func (export "_start") (if (i32.ne (call $add (i32.const 2) (i32.const 40)) (i32.const 42)) (then unreachable)))`},
		{name: "host exit", body: `(func (export "_start") (call $quit (i32.const 3)))`, wantCode: 3, wantErr: "quit called"},
		{name: "host error", body: `(func (export "_start") (call $fail))`, wantCode: 1, wantErr: "trap: host error: test.fail: backend unavailable"},
		{name: "host bounds", body: `(func (export "_start") (drop (call $peek (i32.const 65534))))`, wantCode: 1, wantErr: "test.peek: out of bounds"},
		{name: "host reads memory", body: `(data (i32.const 16) "\2a\00\00\00") (func (export "_start") (if (i32.ne (call $peek (i32.const 16)) (i32.const 42)) (then unreachable)))`},
		{name: "unreachable", body: `(func $inner unreachable) (func $outer (call $inner)) (func (export "_start") (call $outer))`,
			wantCode: 1, wantErr: "trap: unreachable code reached (abort) in inner <- outer"},
		{name: "divide by zero", body: `(func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))) (func (export "_start") (drop (call $div (i32.const 0))))`,
			wantCode: 1, wantErr: "trap: integer divide by zero in div"},
		{name: "out of bounds", body: `(func (export "_start") (drop (i32.load (i32.const 0x7fffffff))))`,
			wantCode: 1, wantErr: "trap: out-of-bounds memory access"},
		{name: "stack overflow", body: `(func $r (call $r)) (func (export "_start") (call $r))`,
			wantCode: 1, wantErr: "trap: stack overflow in r <- r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := compile(t, e, "(module "+prelude+tc.body+")")
			data := &struct{ name string }{tc.name}
			f, err := e.NewFaaslet(m, engine.Config{Args: []string{"t"}, Data: data})
			require.NoError(t, err)
			defer f.Close()
			code, err := f.Run("_start")
			require.Equal(t, tc.wantCode, code)
			if tc.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				require.Contains(t, err.Error(), tc.wantErr)
				require.NotContains(t, err.Error(), "\n", "errors are one line")
			}
		})
	}
	require.NotEmpty(t, seen)
	for _, d := range seen {
		require.NotNil(t, d, "host functions see the Faaslet's Data")
	}
}

func TestFaaslet_timeout(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{Interruptible: true}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`(func (export "_start") (loop $l (br $l))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	time.AfterFunc(50*time.Millisecond, e.Interrupt)
	_, err = f.Run("_start")
	var te *engine.TrapError
	require.ErrorAs(t, err, &te)
	require.Equal(t, engine.TrapInterrupt, te.Kind)
}

func TestFaaslet_maxMemory(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	// Grows by 4 pages: allowed under a 10-page module maximum, refused under
	// a 2-page host cap, where memory.grow must return -1 (not trap).
	m := compile(t, e, `(module `+prelude+`(func (export "_start") (call $proc_exit (i32.add (i32.const 1) (memory.grow (i32.const 4))))))`)
	for _, tc := range []struct {
		max  int64
		want int32
	}{{0, 2}, {2 << 16, 0}} {
		f, err := e.NewFaaslet(m, engine.Config{MaxMemoryBytes: tc.max})
		require.NoError(t, err)
		code, err := f.Run("_start")
		f.Close()
		require.NoError(t, err)
		require.Equal(t, tc.want, code, "max %d", tc.max)
	}
}

func TestFaaslet_runTwice(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`(global $n (mut i32) (i32.const 0)) (func (export "_start") (global.set $n (i32.add (global.get $n) (i32.const 1))) (call $proc_exit (global.get $n))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	for want := int32(1); want <= 3; want++ {
		code, err := f.Run("_start")
		require.NoError(t, err)
		require.Equal(t, want, code, "a warm Faaslet keeps its state between runs")
	}
}

func TestEngine_precompile(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	wasm, err := wasmtime.Wat2Wasm(`(module ` + prelude + `(func (export "_start") (call $proc_exit (i32.const 5))))`)
	require.NoError(t, err)
	art, err := e.Precompile(wasm)
	require.NoError(t, err)
	m, err := e.LoadPrecompiled(art)
	require.NoError(t, err)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(5), code)

	other, err := engine.New(engine.Options{Interruptible: true}, nil)
	require.NoError(t, err)
	require.NotEqual(t, e.Fingerprint(), other.Fingerprint(), "code-generation options are part of the fingerprint")
	require.True(t, strings.Contains(e.Fingerprint(), "wasmtime"))
}
