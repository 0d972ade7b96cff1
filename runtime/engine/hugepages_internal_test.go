package engine

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v39"
	"github.com/stretchr/testify/require"
)

// vma is one line of /proc/self/smaps: an address range and its flags.
type vma struct {
	start, end uintptr
	flags      []string
}

func (v vma) has(flag string) bool {
	for _, f := range v.flags {
		if f == flag {
			return true
		}
	}
	return false
}

func readSmaps(t *testing.T) []vma {
	t.Helper()
	fd, err := os.Open("/proc/self/smaps")
	require.NoError(t, err)
	defer fd.Close()
	var out []vma
	sc := bufio.NewScanner(fd)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok {
			out[len(out)-1].flags = strings.Fields(rest)
			continue
		}
		rng, _, _ := strings.Cut(line, " ")
		lo, hi, ok := strings.Cut(rng, "-")
		if !ok || strings.HasSuffix(rng, ":") {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, vma{start: uintptr(a), end: uintptr(b)})
	}
	require.NoError(t, sc.Err())
	return out
}

// thpModule skips without transparent huge pages (the advice is refused)
// and compiles wat on a fresh engine.
func thpModule(t *testing.T, wat string) (*Engine, *Module) {
	t.Helper()
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages: the advice is refused")
	}
	wasm, err := wasmtime.Wat2Wasm(wat)
	require.NoError(t, err)
	e, err := New(Options{}, nil)
	require.NoError(t, err)
	m, err := e.Compile(wasm)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return e, m
}

// grownFaaslet instantiates m and calls its "grow" export; it returns the
// Faaslet, its memory's base and its size before growing.
func grownFaaslet(t *testing.T, e *Engine, m *Module, advise bool) (*Faaslet, uintptr, uintptr) {
	t.Helper()
	f, err := e.NewFaaslet(m, Config{HugePages: advise})
	require.NoError(t, err)
	base := uintptr(f.memory.Data(f.store))
	initial := f.memory.DataSize(f.store)
	_, err = f.Call("grow")
	require.NoError(t, err)
	return f, base, initial
}

// The advice covers only the memory's own reservation above its initial
// size: a guest that grows by 64 MiB gets "hg" (MADV_HUGEPAGE) on the grown
// part and nowhere below it or past 4 GiB, and the advised range lies in
// mappings that tile [base, base+4GiB) without a gap, that is in wasmtime's
// reservation for this memory, not in whatever is mapped next to it.
func TestFaaslet_hugePages(t *testing.T) {
	e, m := thpModule(t, `(module
  (memory (export "memory") 2)
  (func (export "grow")
    (local $p i32)
    (drop (memory.grow (i32.const 1024)))
    (local.set $p (i32.const 131072))
    (loop $touch
      (i32.store (local.get $p) (i32.const 1))
      (local.set $p (i32.add (local.get $p) (i32.const 4096)))
      (br_if $touch (i32.lt_u (local.get $p) (i32.mul (memory.size) (i32.const 65536)))))))`)

	for _, advise := range []bool{true, false} {
		f, base, initial := grownFaaslet(t, e, m, advise)
		require.Equal(t, initial+64<<20, f.memory.DataSize(f.store))
		start, end := base+initial, base+wasm32Reservation

		var covered uintptr = base
		for _, v := range readSmaps(t) {
			if v.start <= base+wasm32Reservation && v.end > base+wasm32Reservation {
				require.False(t, v.has("hg"), "past the reservation: [%#x, %#x) is advised", v.start, v.end)
			}
			if v.end <= base || v.start >= base+wasm32Reservation {
				continue
			}
			require.LessOrEqual(t, v.start, covered, "a gap in the reservation at %#x", covered)
			covered = max(covered, v.end)
			inAdvised := v.start < end && v.end > start
			if v.start < base+initial {
				require.False(t, v.has("hg"), "the initial memory [%#x, %#x) is advised", v.start, v.end)
			} else if inAdvised {
				require.Equal(t, advise, v.has("hg"), "[%#x, %#x) flags %v", v.start, v.end, v.flags)
			}
		}
		require.GreaterOrEqual(t, covered, base+wasm32Reservation, "the reservation ends before 4 GiB")
		f.Close()
	}
}

// Team memory (a memfd mapped over each member, OpenMP's shared mode) is
// advised again where it replaces the grown part: once when the memory is
// shared and again when a member grows it and syncs, never over the
// initial memory, and not at all without Config.HugePages.
func TestTeamMemory_hugePages(t *testing.T) {
	e, m := thpModule(t, `(module
  (memory (export "memory") 2)
  (func (export "grow") (drop (memory.grow (i32.const 64)))))`)

	for _, advise := range []bool{true, false} {
		f, base, initial := grownFaaslet(t, e, m, advise)
		team, err := f.ShareMemory("hp", SharedMemory)
		require.NoError(t, err)
		shared := f.memory.DataSize(f.store)
		_, err = f.Call("grow")
		require.NoError(t, err)
		require.NoError(t, team.SyncFaaslet(f))
		size := f.memory.DataSize(f.store)
		require.Equal(t, initial+2*64*65536, size)

		var advised uintptr
		for _, v := range readSmaps(t) {
			if v.end <= base || v.start >= base+size {
				continue
			}
			if v.start < base+initial {
				require.False(t, v.has("hg"), "the initial memory [%#x, %#x) is advised", v.start, v.end)
				continue
			}
			require.Equal(t, advise, v.has("hg"), "[%#x, %#x) flags %v", v.start, v.end, v.flags)
			if v.has("hg") {
				advised += min(v.end, base+size) - v.start
			}
		}
		if advise {
			require.Equal(t, size-initial, advised, "grown before sharing (%d) and after (%d)", shared-initial, size-shared)
		}
		team.Close()
		f.Close()
	}
}
