package wasmcode_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/wasmcode"
)

func TestInlineBulkMemory(t *testing.T) {
	memCopy := []byte{0xfc, 0x0a, 0x00, 0x00}
	memFill := []byte{0xfc, 0x0b, 0x00}
	in := module(cat(get(0), get(1), get(0), memCopy, get(0), i32c(0), get(1), memFill))
	copyBody, fillBody := []byte{0x00, 0x0b}, []byte{0x01, 0x01, 0x7f, 0x0b}
	out, n, err := wasmcode.InlineBulkMemory(in, copyBody, fillBody)
	require.NoError(t, err)
	require.Equal(t, 2, n)

	secs, err := wasmcode.Sections(out)
	require.NoError(t, err)
	types := wasmcode.Find(secs, 1)
	require.Equal(t, []byte{0x02, 0x60, 0x00, 0x00, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00}, out[types.Start:types.End],
		"one (i32 i32 i32) -> () type appended")
	funcs := wasmcode.Find(secs, 3)
	require.Equal(t, []byte{0x03, 0x00, 0x01, 0x01}, out[funcs.Start:funcs.End], "two functions of that type appended")
	var bodies [][]byte
	_, _, err = wasmcode.RewriteCode(out, wasmcode.Find(secs, 10), func(_ int, b []byte) ([]byte, int, error) {
		bodies = append(bodies, b)
		return b, 0, nil
	})
	require.NoError(t, err)
	require.Len(t, bodies, 3)
	require.Equal(t, cat([]byte{0x01, 0x02, 0x7f}, get(0), get(1), get(0), []byte{0x10, 0x01}, get(0), i32c(0), get(1), []byte{0x10, 0x02}, []byte{0x0b}),
		bodies[0], "the instructions became calls to functions 1 and 2")
	require.Equal(t, copyBody, bodies[1])
	require.Equal(t, fillBody, bodies[2])

	plain := module(cat(get(0), load(0), drop))
	out, n, err = wasmcode.InlineBulkMemory(plain, copyBody, fillBody)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, plain, out, "a module without bulk-memory instructions is left alone")
}
