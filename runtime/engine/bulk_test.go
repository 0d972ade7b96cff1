package engine_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/wasmcode"
)

// memory.copy and memory.fill run as bulk.wat's functions after the
// engine's rewrite; they must do exactly what the instructions do, for
// every size class and for overlapping copies in both directions.
func TestCompile_inlinedBulkMemory(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	src := `(module ` + prelude + `
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "_start")))`
	wasm, err := wasmtime.Wat2Wasm(src)
	require.NoError(t, err)
	_, n, err := wasmcode.InlineBulkMemory(wasm, []byte{0, 0x0b}, []byte{0, 0x0b})
	require.NoError(t, err)
	require.Equal(t, 2, n)

	m := compile(t, e, src)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	mem := f.Memory()

	const base, span = 4096, 8192
	pattern := make([]byte, span)
	for i := range pattern {
		pattern[i] = byte(i*7 + i>>8)
	}
	reset := func() {
		require.True(t, mem.Write(base, pattern))
	}
	check := func(what string, want []byte) {
		got, ok := mem.Read(base, span)
		require.True(t, ok)
		if !bytes.Equal(got, want) {
			i := 0
			for got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: first difference at byte %d: got %d, want %d", what, i, got[i], want[i])
		}
	}
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 255, 256, 500, 1000, 1023, 1024, 1025, 2000}
	for _, n := range sizes {
		for _, shift := range []int{-40, -17, -16, -1, 1, 3, 16, 33, 1500} { // d - s: overlap both ways, and apart
			s := 3000
			d := s + shift
			want := bytes.Clone(pattern)
			copy(want[d:d+n], pattern[s:s+n]) // Go's copy is memmove
			reset()
			_, err := f.Call("copy", int32(base+d), int32(base+s), int32(n))
			require.NoError(t, err)
			check(fmt.Sprintf("copy n=%d d-s=%d", n, shift), want)
		}
		want := bytes.Clone(pattern)
		for i := 0; i < n; i++ {
			want[700+i] = 0xa5
		}
		reset()
		_, err := f.Call("fill", int32(base+700), 0x1a5, int32(n)) // only the low byte counts
		require.NoError(t, err)
		check(fmt.Sprintf("fill n=%d", n), want)
	}

	// Out of bounds still traps.
	_, err = f.Call("copy", int32(mem.Size()-8), 0, 64)
	var trap *engine.TrapError
	require.ErrorAs(t, err, &trap)
	require.Equal(t, engine.TrapMemoryOutOfBounds, trap.Kind)
}

// Where memory.copy and memory.fill must trap without any single access
// doing so, the inlined functions must trap too: an address past the end
// with n = 0, and a range that wraps past 4 GiB in a 4 GiB memory.
func TestCompile_inlinedBulkMemoryTraps(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	for _, tc := range []struct {
		name, mem string
		fn        string
		d, s, n   int64
	}{
		{"copy n=0, destination past the end", "1", "copy", 0x20000, 0, 0},
		{"copy n=0, source past the end", "1", "copy", 0, 0x20000, 0},
		{"fill n=0 past the end", "1", "fill", 0x20000, 0, 0},
		{"fill wrapping past 4 GiB", "65536", "fill", 1<<32 - 16, 7, 32},
		{"copy from a source wrapping past 4 GiB", "65536", "copy", 0, 1<<32 - 16, 32},
		{"copy of 2 bytes from the last byte", "65536", "copy", 0, 1<<32 - 1, 2},
		{"copy to a destination wrapping past 4 GiB", "65536", "copy", 1<<32 - 8, 0, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := compile(t, e, `(module
  (memory `+tc.mem+`)
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "_start")))`)
			f, err := e.NewFaaslet(m, engine.Config{})
			require.NoError(t, err)
			defer f.Close()
			_, err = f.Call(tc.fn, int32(tc.d), int32(tc.s), int32(tc.n))
			var trap *engine.TrapError
			require.ErrorAs(t, err, &trap)
			require.Equal(t, engine.TrapMemoryOutOfBounds, trap.Kind)
		})
	}
}
