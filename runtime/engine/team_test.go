package engine_test

import (
	"encoding/binary"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/snapshot"
)

// teamWat has an exported memory and functions that touch it: atomic adds
// (like `omp atomic`), stores, and memory.grow (like malloc's sbrk).
const teamWat = `(module
  (memory (export "memory") 2 100)
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 1024))
  (func (export "store") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v)))
  (func (export "add") (param $a i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (local.get $a) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func (export "grow") (param $pages i32) (drop (memory.grow (local.get $pages))))
  (func (export "sp") (param $a i32) (i32.store (local.get $a) (global.get $sp)))
  (table (export "__indirect_function_table") 2 funcref)
  (elem (i32.const 1) $entry)
  (func $entry (param $id i32) (i32.store (i32.const 256) (local.get $id))))`

func newTeam(t *testing.T, n int) (*engine.TeamMemory, []*engine.Faaslet) {
	t.Helper()
	e, err := engine.New(engine.Options{}, nil)
	require.NoError(t, err)
	m := compile(t, e, teamWat)
	var fs []*engine.Faaslet
	for i := 0; i < n; i++ {
		f, err := e.NewFaaslet(m, engine.Config{Args: []string{"t"}})
		require.NoError(t, err)
		t.Cleanup(f.Close)
		fs = append(fs, f)
	}
	tm, err := fs[0].ShareMemory("team-test", engine.SharedMemory)
	require.NoError(t, err)
	t.Cleanup(func() { tm.Close() })
	for _, f := range fs[1:] {
		require.NoError(t, tm.Attach(f))
	}
	return tm, fs
}

func read32(t *testing.T, f *engine.Faaslet, addr uint32) uint32 {
	t.Helper()
	v, ok := hostabi.ReadUint32(f.Memory(), hostabi.GuestPtr(addr))
	require.True(t, ok, "read %#x", addr)
	return v
}

func call(t *testing.T, f *engine.Faaslet, name string, args ...int32) {
	t.Helper()
	_, err := f.Call(name, args...)
	require.NoError(t, err)
}

func TestTeamMembersSeeEachOthersWrites(t *testing.T) {
	_, fs := newTeam(t, 2)
	call(t, fs[0], "store", 4096, 42)
	require.Equal(t, uint32(42), read32(t, fs[1], 4096))
	call(t, fs[1], "store", 8192, 7)
	require.Equal(t, uint32(7), read32(t, fs[0], 8192))
}

func TestTeamAtomicsStayAtomic(t *testing.T) {
	_, fs := newTeam(t, 4)
	const n = 200000
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.Call("add", 64, n)
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Equal(t, uint32(4*n), read32(t, fs[0], 64))
}

func TestTeamGrowthPropagates(t *testing.T) {
	tm, fs := newTeam(t, 3)
	require.Equal(t, int64(2*65536), tm.Size())

	// A thread grows and writes into the new page before any sync: its
	// bytes must survive publication.
	call(t, fs[1], "grow", 1)
	call(t, fs[1], "store", 2*65536+16, 99)
	require.NoError(t, tm.SyncFaaslet(fs[1]))
	require.Equal(t, int64(3*65536), tm.Size())
	require.NoError(t, tm.SyncFaaslet(fs[0]))
	require.NoError(t, tm.SyncFaaslet(fs[2]))
	require.Equal(t, uint32(99), read32(t, fs[0], 2*65536+16))
	require.Equal(t, uint32(99), read32(t, fs[2], 2*65536+16))

	// After the sync every member shares the new page.
	call(t, fs[2], "store", 2*65536+32, 5)
	require.Equal(t, uint32(5), read32(t, fs[1], 2*65536+32))

	// The main instance grows too.
	call(t, fs[0], "grow", 2)
	call(t, fs[0], "store", 4*65536, 1234)
	require.NoError(t, tm.SyncFaaslet(fs[0]))
	for _, f := range fs[1:] {
		require.NoError(t, tm.SyncFaaslet(f))
		require.Equal(t, uint32(1234), read32(t, f, 4*65536))
	}
	call(t, fs[1], "add", 4*65536, 1)
	require.Equal(t, uint32(1235), read32(t, fs[0], 4*65536))
}

func TestThreadStackPointer(t *testing.T) {
	_, fs := newTeam(t, 2)
	require.NoError(t, fs[1].SetGlobalI32("__stack_pointer", 50000))
	call(t, fs[1], "sp", 128)
	call(t, fs[0], "sp", 132)
	require.Equal(t, uint32(50000), read32(t, fs[0], 128))
	require.Equal(t, uint32(1024), read32(t, fs[0], 132), "each instance has its own stack pointer")
}

func TestCallTable(t *testing.T) {
	_, fs := newTeam(t, 2)
	_, err := fs[1].CallTable(1, 7)
	require.NoError(t, err)
	require.Equal(t, uint32(7), read32(t, fs[0], 256), "a thread starts at a function pointer")
	_, err = fs[1].CallTable(0, 1)
	require.Error(t, err)
}

// In private mode members see only what is handed to them: a store stays in
// its member's replica, and ApplyFaaslet (a thread being started, given what
// its starter released) reaches a member that is not running.
func TestTeamPrivateReplicasAndHandOver(t *testing.T) {
	e, err := engine.New(engine.Options{}, nil)
	require.NoError(t, err)
	m := compile(t, e, teamWat)
	var fs []*engine.Faaslet
	for i := 0; i < 2; i++ {
		f, err := e.NewFaaslet(m, engine.Config{Args: []string{"t"}})
		require.NoError(t, err)
		t.Cleanup(f.Close)
		fs = append(fs, f)
	}
	tm, err := fs[0].ShareMemory("team-private", engine.PrivateMemory)
	require.NoError(t, err)
	t.Cleanup(func() { tm.Close() })
	require.NoError(t, tm.Attach(fs[1]))

	call(t, fs[0], "store", 4096, 42)
	require.Equal(t, uint32(0), read32(t, fs[1], 4096), "a private store leaked to another member")

	d := snapshot.Diff{Offset: 8192, Data: []byte{7, 0, 0, 0}, Type: snapshot.Raw, Op: snapshot.Xor}
	require.NoError(t, tm.ApplyFaaslet(fs[1], snapshot.Batch{d}))
	require.Equal(t, uint32(7), read32(t, fs[1], 8192))
	require.Equal(t, uint32(0), read32(t, fs[0], 8192))
}

// Sharing a memory moves all of it into the team's memfd: the data
// segments (wasmtime's copy-on-write image, never written), the grown
// pages the guest wrote, and zeros for those it never touched, which the
// memfd is not made to hold.
func TestShareMemoryKeepsEveryByte(t *testing.T) {
	e, err := engine.New(engine.Options{}, nil)
	require.NoError(t, err)
	m := compile(t, e, `(module
  (memory (export "memory") 2 200)
  (data (i32.const 100) "from the image")
  (data (i32.const 70000) "second page")
  (func (export "grow") (param $pages i32) (drop (memory.grow (local.get $pages))))
  (func (export "store") (param $a i32) (param $v i32) (i32.store (local.get $a) (local.get $v))))`)
	f, err := e.NewFaaslet(m, engine.Config{Args: []string{"t"}})
	require.NoError(t, err)
	defer f.Close()
	call(t, f, "grow", 64)
	for _, a := range []int32{2*65536 + 8, 40*65536 + 4000, 66*65536 - 4} {
		call(t, f, "store", a, a)
	}
	mem := func() []byte {
		b, ok := f.Memory().Read(0, f.Memory().Size())
		require.True(t, ok)
		return append([]byte(nil), b...)
	}
	// Built, not read: reading the memory would touch every page.
	want := make([]byte, 66*65536)
	copy(want[100:], "from the image")
	copy(want[70000:], "second page")
	for _, a := range []int32{2*65536 + 8, 40*65536 + 4000, 66*65536 - 4} {
		binary.LittleEndian.PutUint32(want[a:], uint32(a))
	}

	tm, err := f.ShareMemory("share-test", engine.SharedMemory)
	require.NoError(t, err)
	defer tm.Close()
	got := make([]byte, len(want))
	require.NoError(t, tm.Snapshot().ReadAt(got, 0))
	require.Equal(t, want, got)
	// Before anything reads the memory through the team's mapping, which
	// fills the memfd's holes.
	var st syscall.Stat_t
	require.NoError(t, syscall.Fstat(tm.Snapshot().Fd(), &st))
	grown := int64(len(want)) - 2*65536
	require.Less(t, st.Blocks*512, int64(2*65536)+grown/4, "untouched grown pages are not written into the memfd")
	require.Equal(t, want, mem(), "the Faaslet sees the same bytes through the memfd")
}
