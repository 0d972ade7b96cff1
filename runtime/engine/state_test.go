package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/engine"
)

// A run changes memory (a counter at address 16), an exported global and the
// memory's size; Restore brings back the state the Snapshot saw, so the next
// run behaves as the first did, on the same instance.
func TestFaaslet_snapshotRestore(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (global $g (export "calls") (mut i32) (i32.const 100))
  (data (i32.const 16) "\05")
  (func (export "_start")
    (i32.store8 (i32.const 16) (i32.add (i32.load8_u (i32.const 16)) (i32.const 1)))
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    ;; the first run grows memory and leaves a byte in the new page
    (if (i32.eq (memory.size) (i32.const 1))
      (then (drop (memory.grow (i32.const 1))) (i32.store8 (i32.const 70000) (i32.const 9))))
    (call $proc_exit (i32.add (i32.mul (global.get $g) (i32.const 100))
      (i32.add (i32.load8_u (i32.const 16)) (i32.load8_u (i32.const 70000)))))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()

	fresh, err := f.Snapshot()
	require.NoError(t, err)
	require.Equal(t, 64<<10, fresh.MemoryBytes())

	code, err := f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(101*100+6+9), code)
	code, err = f.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(102*100+7+9), code, "without a restore the second run sees the first's state")

	require.NoError(t, f.Restore(fresh))
	require.Equal(t, uint32(128<<10), f.Memory().Size(), "memory cannot shrink")
	b, ok := f.Memory().Read(70000, 1)
	require.True(t, ok)
	require.Equal(t, byte(0), b[0], "bytes beyond the snapshot read as in a fresh instance")
	code, err = f.Run("_start")
	require.NoError(t, err)
	// Memory is already 2 pages, so this run does not write 9 at 70000.
	require.Equal(t, int32(101*100+6), code, "a restored Faaslet starts from the snapshot")

	// A State restores into another instance of the same module too.
	g, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer g.Close()
	later, err := f.Snapshot()
	require.NoError(t, err)
	require.NoError(t, g.Restore(later))
	code, err = g.Run("_start")
	require.NoError(t, err)
	require.Equal(t, int32(102*100+7), code)
}

// A data-segment page that was zeroed before the snapshot must restore to
// zero, not to the module's data image, which wasmtime maps copy-on-write
// under linear memory (dropping such a page brings the image back).
func TestFaaslet_restoreZeroedImagePage(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (data (i32.const 8192) "\07\07\07\07")
  (func (export "init") (memory.fill (i32.const 8192) (i32.const 0) (i32.const 4)))
  (func (export "_start")
    (call $proc_exit (i32.add (i32.load8_u (i32.const 8192)) (i32.const 10)))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Call("init")
	require.NoError(t, err)
	s, err := f.Snapshot()
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		code, err := f.Run("_start")
		require.NoError(t, err)
		require.Equal(t, int32(10), code, "run %d reads the zeroed byte", i)
		require.NoError(t, f.Restore(s))
	}
	require.Less(t, s.CopiedBytes(), 16<<10, "zero pages are dropped, not copied")
}

// A State restores only into a Faaslet of the module it was taken from.
func TestFaaslet_restoreOtherModule(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	a := compile(t, e, `(module `+prelude+`(func (export "_start")))`)
	b := compile(t, e, `(module `+prelude+`(func (export "_start") (nop)))`)
	fa, err := e.NewFaaslet(a, engine.Config{})
	require.NoError(t, err)
	defer fa.Close()
	fb, err := e.NewFaaslet(b, engine.Config{})
	require.NoError(t, err)
	defer fb.Close()
	s, err := fa.Snapshot()
	require.NoError(t, err)
	require.ErrorContains(t, fb.Restore(s), "another module")
}

// A run that ends in proc_exit below its frames leaves the stack pointer
// lowered; faasm-cc exports it, so the State brings it back.
func TestFaaslet_restoreStackPointerAfterExit(t *testing.T) {
	var seen []any
	e, err := engine.New(engine.Options{}, testFuncs(&seen))
	require.NoError(t, err)
	m := compile(t, e, `(module `+prelude+`
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 65536))
  (func (export "_start")
    (global.set $sp (i32.sub (global.get $sp) (i32.const 4096)))
    (call $proc_exit (i32.shr_u (global.get $sp) (i32.const 12)))))`)
	f, err := e.NewFaaslet(m, engine.Config{})
	require.NoError(t, err)
	defer f.Close()
	s, err := f.Snapshot()
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		code, err := f.Run("_start")
		require.NoError(t, err)
		require.Equal(t, int32(15), code, "run %d starts from the saved stack pointer", i)
		require.NoError(t, f.Restore(s))
	}
}
