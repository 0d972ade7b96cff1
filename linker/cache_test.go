package linker_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faasm-go/faasm/linker"
)

// fakeCompiler stands in for runtime/engine (which needs cgo): its artefact
// is derived from the module so a wrong entry would be noticed.
type fakeCompiler struct {
	fp    string
	calls atomic.Int32
	delay time.Duration
	fail  error
}

func (f *fakeCompiler) Fingerprint() string { return f.fp }

func (f *fakeCompiler) Precompile(wasm []byte) ([]byte, error) {
	f.calls.Add(1)
	time.Sleep(f.delay)
	if f.fail != nil {
		return nil, f.fail
	}
	return artefact(f.fp, wasm), nil
}

func artefact(fp string, wasm []byte) []byte {
	return append([]byte("AOT["+fp+"]"), bytes.Repeat(wasm, 100)...)
}

func TestCache_hitMiss(t *testing.T) {
	c, err := linker.OpenCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	comp := &fakeCompiler{fp: "wasmtime-39/x"}
	wasm := validMod().bytes()

	e, err := c.Get(wasm, comp)
	if err != nil {
		t.Fatal(err)
	}
	if e.Hit || comp.calls.Load() != 1 || !bytes.Equal(e.Artifact, artefact(comp.fp, wasm)) {
		t.Fatalf("first Get: hit=%v calls=%d", e.Hit, comp.calls.Load())
	}
	if e.Key != linker.Key(wasm, comp) || filepath.Base(e.Path) != e.Key+".aot" || filepath.Base(filepath.Dir(e.Path)) != e.Key[:2] {
		t.Errorf("entry key/path = %s %s", e.Key, e.Path)
	}
	e2, err := c.Get(wasm, comp)
	if err != nil {
		t.Fatal(err)
	}
	if !e2.Hit || comp.calls.Load() != 1 || e2.CompileTime != 0 || !bytes.Equal(e2.Artifact, e.Artifact) {
		t.Errorf("second Get: hit=%v calls=%d", e2.Hit, comp.calls.Load())
	}

	// Remove forces a rebuild; removing twice is fine; junk keys are refused.
	if err := c.Remove(e.Key); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove(e.Key); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove("../../etc/passwd"); err == nil {
		t.Error("Remove accepted a path as key")
	}
	if e3, _ := c.Get(wasm, comp); e3.Hit || comp.calls.Load() != 2 {
		t.Errorf("after Remove: hit=%v calls=%d", e3.Hit, comp.calls.Load())
	}

	// A failing compiler leaves nothing behind.
	bad := &fakeCompiler{fp: "other", fail: errors.New("boom")}
	if _, err := c.Get(wasm, bad); err == nil || err.Error() != "linker: compile: boom" {
		t.Errorf("failing compile: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), linker.Key(wasm, bad)[:2], linker.Key(wasm, bad)+".aot")); !os.IsNotExist(err) {
		t.Errorf("failed compile left an entry: %v", err)
	}
}

func TestKey(t *testing.T) {
	wasm := validMod().bytes()
	a := linker.Key(wasm, &fakeCompiler{fp: "a"})
	if len(a) != 64 || a != linker.Key(wasm, &fakeCompiler{fp: "a"}) {
		t.Fatalf("key not stable: %s", a)
	}
	if a == linker.Key(wasm, &fakeCompiler{fp: "b"}) {
		t.Error("key ignores the engine fingerprint")
	}
	other := validMod()
	other.nameSect = true
	if a == linker.Key(other.bytes(), &fakeCompiler{fp: "a"}) {
		t.Error("key ignores the module")
	}
	// hostabi.Version() is part of the key: in-package test checks it
	// (TestKey_hostabiVersion), since the table is a package variable.
}

func TestCache_corruptRebuilt(t *testing.T) {
	wasm := validMod().bytes()
	tests := []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"flip payload byte", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"flip checksum", func(b []byte) []byte { b[30] ^= 0x80; return b }},
		{"truncate payload", func(b []byte) []byte { return b[:len(b)-10] }},
		{"truncate header", func(b []byte) []byte { return b[:20] }},
		{"empty", func([]byte) []byte { return nil }},
		{"bad magic", func(b []byte) []byte { b[0] = 'X'; return b }},
		{"future format", func(b []byte) []byte { b[8] = 99; return b }},
		{"length lies", func(b []byte) []byte { b[16]++; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := linker.OpenCache(t.TempDir())
			comp := &fakeCompiler{fp: "x"}
			e, err := c.Get(wasm, comp)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(e.Path)
			if err := os.WriteFile(e.Path, tt.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			e2, err := c.Get(wasm, comp)
			if err != nil {
				t.Fatal(err)
			}
			if e2.Hit || comp.calls.Load() != 2 || !bytes.Equal(e2.Artifact, artefact("x", wasm)) {
				t.Errorf("damaged entry: hit=%v calls=%d", e2.Hit, comp.calls.Load())
			}
			if e3, _ := c.Get(wasm, comp); !e3.Hit {
				t.Error("rebuilt entry not a hit")
			}
		})
	}
}

// TestCache_hammer: many goroutines, each with its own Cache on one
// directory (as separate processes would be), ask for the same few keys.
// Every caller must get the right artefact, and each key is compiled once
// thanks to the per-key lock.
func TestCache_hammer(t *testing.T) {
	dir := t.TempDir()
	comp := &fakeCompiler{fp: "h", delay: 5 * time.Millisecond}
	mods := [][]byte{validMod().bytes(), func() []byte { m := validMod(); m.nameSect = true; return m.bytes() }()}
	const P = 16
	var wg sync.WaitGroup
	errs := make(chan error, P*len(mods))
	for p := 0; p < P; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			c, err := linker.OpenCache(dir)
			if err != nil {
				errs <- err
				return
			}
			for i := range mods {
				wasm := mods[(i+p)%len(mods)]
				e, err := c.Get(wasm, comp)
				if err != nil {
					errs <- err
					continue
				}
				if !bytes.Equal(e.Artifact, artefact("h", wasm)) {
					errs <- fmt.Errorf("goroutine %d: wrong artefact", p)
				}
			}
		}(p)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := comp.calls.Load(); n != int32(len(mods)) {
		t.Errorf("compiled %d times, want %d (once per key)", n, len(mods))
	}
}

// TestCache_processes re-executes the test binary as several processes that
// Get the same key from one directory at once.
func TestCache_processes(t *testing.T) {
	if dir := os.Getenv("LINKER_CACHE_CHILD_DIR"); dir != "" {
		cacheChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	const N = 4
	cmds := make([]*exec.Cmd, N)
	outs := make([]bytes.Buffer, N)
	for i := range cmds {
		cmds[i] = exec.Command(os.Args[0], "-test.run=^TestCache_processes$", "-test.v")
		cmds[i].Env = append(os.Environ(), "LINKER_CACHE_CHILD_DIR="+dir, "LINKER_CACHE_CHILD_ID="+strconv.Itoa(i))
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	compiled := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v\n%s", i, err, outs[i].String())
		}
		if bytes.Contains(outs[i].Bytes(), []byte("CHILD compiled")) {
			compiled++
		}
	}
	if compiled != 1 {
		t.Errorf("%d processes compiled, want 1", compiled)
	}
}

func cacheChild(t *testing.T, dir string) {
	c, err := linker.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	wasm := validMod().bytes()
	comp := &fakeCompiler{fp: "proc", delay: 50 * time.Millisecond}
	e, err := c.Get(wasm, comp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.Artifact, artefact("proc", wasm)) {
		t.Fatal("wrong artefact")
	}
	if !e.Hit {
		fmt.Println("CHILD compiled")
	}
}
