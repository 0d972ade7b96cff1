package wasmcode_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/wasmcode"
)

// module wraps one function body (no locals declared beyond two i32s) in a
// module with one memory.
func module(code ...[]byte) []byte {
	body := append([]byte{0x01, 0x02, 0x7f}, bytes.Join(code, nil)...) // two i32 locals
	body = append(body, 0x0b)
	sec := func(id byte, payload []byte) []byte {
		return append(append([]byte{id}, wasmcode.LebU(uint64(len(payload)))...), payload...)
	}
	var w []byte
	w = append(w, 0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00)
	w = append(w, sec(1, []byte{0x01, 0x60, 0x00, 0x00})...) // type () -> ()
	w = append(w, sec(3, []byte{0x01, 0x00})...)             // one function
	w = append(w, sec(5, []byte{0x01, 0x00, 0x01})...)       // memory 1
	fn := append(wasmcode.LebU(uint64(len(body))), body...)
	w = append(w, sec(10, append([]byte{0x01}, fn...))...)
	return w
}

func i32c(v int64) []byte { return append([]byte{0x41}, wasmcode.LebS(v)...) }
func get(l byte) []byte   { return []byte{0x20, l} }

var (
	add     = []byte{0x6a}
	drop    = []byte{0x1a}
	tee1    = []byte{0x22, 0x01}
	f64c    = []byte{0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}
	fence   = []byte{0xfe, 0x03, 0x00}
	atomicL = []byte{0xfe, 0x10, 0x02, 0x00} // i32.atomic.load offset=0
)

func load(off uint64) []byte     { return append([]byte{0x28, 0x02}, wasmcode.LebU(off)...) }       // i32.load
func store64(off uint64) []byte  { return append([]byte{0x39, 0x03}, wasmcode.LebU(off)...) }       // f64.store
func v128load(off uint64) []byte { return append([]byte{0xfd, 0x00, 0x04}, wasmcode.LebU(off)...) } // v128.load
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestFoldOffsets(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in, want  []byte
		wantFolds int
	}{
		{"load: p + C", cat(get(0), i32c(16), add, load(4), drop), cat(get(0), load(20), drop), 1},
		{"load: C + p", cat(i32c(24), get(0), add, load(0), drop), cat(get(0), load(24), drop), 1},
		{"v128 load", cat(get(0), i32c(48), add, v128load(0), drop), cat(get(0), v128load(48), drop), 1},
		{"store with a constant value", cat(get(0), i32c(8), add, f64c, store64(0)), cat(get(0), f64c, store64(8)), 1},
		{"store with a local value", cat(i32c(8), get(0), add, get(1), store64(0)), cat(get(0), get(1), store64(8)), 1},
		{"two in a row", cat(get(0), i32c(8), add, load(0), get(0), i32c(16), add, load(0), add, drop),
			cat(get(0), load(8), get(0), load(16), add, drop), 2},
		{"negative constant stays", cat(get(0), i32c(-8), add, load(0), drop), nil, 0},
		{"largest constant that moves", cat(get(0), i32c(1023), add, load(0), drop), cat(get(0), load(1023), drop), 1},
		// A static array's address plus an index that may be negative: the
		// wrapping addition is what reaches the element.
		{"static address stays", cat(i32c(8493136), get(0), add, load(0), drop), nil, 0},
		{"1024 stays", cat(get(0), i32c(1024), add, load(0), drop), nil, 0},
		{"constant and offset summing to 1024 stay", cat(get(0), i32c(8), add, load(1016), drop), nil, 0},
		{"constant and offset summing below 1024 move", cat(get(0), i32c(8), add, load(1015), drop), cat(get(0), load(1023), drop), 1},
		{"address kept in a local stays", cat(get(0), i32c(16), add, tee1, load(0), drop), nil, 0},
		{"store value computed by an add stays", cat(get(0), i32c(8), add, get(1), get(1), add, []byte{0x36, 0x02, 0x00}), nil, 0},
		{"atomics stay", cat(get(0), i32c(16), add, atomicL, drop, fence), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := module(tc.in)
			out, n, err := wasmcode.FoldOffsets(in)
			require.NoError(t, err)
			require.Equal(t, tc.wantFolds, n)
			want := in
			if tc.want != nil {
				want = module(tc.want)
			}
			require.Equal(t, want, out)
		})
	}
}

func TestFoldOffsets_badInput(t *testing.T) {
	_, _, err := wasmcode.FoldOffsets([]byte("not wasm"))
	require.Error(t, err)
	m := module(cat(get(0), i32c(16), add, load(0), drop))
	_, _, err = wasmcode.FoldOffsets(m[:len(m)-3])
	require.Error(t, err, "a truncated module")
}
