// Package engine is the only package that imports wasmtime-go. It turns
// validated modules into Faaslets: one wasmtime instance in its own Store,
// with WASI and the faasm host modules linked in.
//
// An Engine is shared by every Faaslet of a process (wasmtime engines and
// modules are thread-safe); a Faaslet belongs to one goroutine at a time.
package engine

import (
	"crypto/sha256"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/wasmcode"
)

const wasmtimeModule = "github.com/bytecodealliance/wasmtime-go/v39"

// Options configure code generation. They are part of the AOT cache key:
// two engines with different Options never share compiled code.
type Options struct {
	// Interruptible compiles epoch checks into loops so a Faaslet can be
	// stopped (--timeout). It costs a load and compare per loop back-edge,
	// so it is off unless asked for.
	Interruptible bool
}

// Engine compiles modules and creates Faaslets.
type Engine struct {
	opts        Options
	engine      *wasmtime.Engine
	linker      *wasmtime.Linker
	fingerprint string

	epochOnce sync.Once
}

// New creates an engine with the given host functions linked into every
// Faaslet it creates. WASI comes from wasmtime.
func New(opts Options, funcs []hostabi.HostFunc) (*Engine, error) {
	cfg := wasmtime.NewConfig()
	// Guests are built with -matomics: atomic instructions on a non-shared
	// memory need the threads proposal enabled to validate.
	cfg.SetWasmThreads(true)
	cfg.SetWasmSIMD(true)
	cfg.SetWasmRelaxedSIMD(true)
	cfg.SetWasmBulkMemory(true)
	cfg.SetWasmMultiValue(true)
	cfg.SetWasmReferenceTypes(true)
	// A 64-bit memory's base moves when it grows past its reservation; the
	// host-call path and team memory rely on a base that never moves, which
	// holds for 32-bit memories (4 GiB reserved up front). wasm-ld never
	// emits memory64 for wasm32, so refuse it at compile time.
	cfg.SetWasmMemory64(false)
	cfg.SetCraneliftOptLevel(wasmtime.OptLevelSpeed)
	cfg.SetEpochInterruption(opts.Interruptible)
	// FAASM_PERFMAP=1 makes wasmtime write /tmp/perf-<pid>.map, so `perf
	// report` names JIT-compiled guest functions. It changes no generated
	// code, so cached artefacts stay valid and it is not in the fingerprint.
	// wasmtime-go names only None and Jitdump; 3 is the C API's PERFMAP.
	if os.Getenv("FAASM_PERFMAP") != "" {
		cfg.SetProfiler(wasmtime.ProfilingStrategy(3))
	}

	e := &Engine{opts: opts, engine: wasmtime.NewEngineWithConfig(cfg)}
	// The rewrites prepare applies are part of the generated code: their
	// version (and bulk.wat's text) go into the fingerprint.
	e.fingerprint = fmt.Sprintf("wasmtime-go=%s;threads,simd,relaxed-simd,bulk-memory,multi-value,reftypes,no-memory64;opt=speed;fold-offsets=2;inline-bulk=%x;epoch=%t",
		wasmtimeVersion(), bulkVersion(), opts.Interruptible)

	e.linker = wasmtime.NewLinker(e.engine)
	if err := e.linker.DefineWasi(); err != nil {
		return nil, fmt.Errorf("engine: define wasi: %w", err)
	}
	// wasmtime's proc_exit refuses statuses of 126 and up (an error instead
	// of an exit), but exit(200) must end the process with 200 as it does
	// natively, so ours replaces it.
	e.linker.AllowShadowing(true)
	err := e.define(hostabi.HostFunc{
		Module: hostabi.WASI.Name,
		Func:   hostabi.MustFunc(hostabi.WASI.Name, "proc_exit"),
		Call:   func(_ hostabi.Caller, stack []uint64) error { return procExit(uint32(stack[0])) },
	})
	e.linker.AllowShadowing(false)
	if err != nil {
		return nil, err
	}
	for i := range funcs {
		if err := e.define(funcs[i]); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Fingerprint identifies the engine's version and code-generation settings
// for the AOT cache (linker.Compiler).
func (e *Engine) Fingerprint() string { return e.fingerprint }

// Precompile compiles wasm to native code for this engine (linker.Compiler).
func (e *Engine) Precompile(wasm []byte) ([]byte, error) {
	m, err := wasmtime.NewModule(e.engine, prepare(wasm))
	if err != nil {
		return nil, wasmtimeError(err)
	}
	defer m.Close()
	return m.Serialize()
}

// prepare rewrites a module before Cranelift sees it: constant address
// additions become memarg offsets (wasmcode.FoldOffsets says why), and
// memory.copy and memory.fill become calls to bulk.wat's functions, which
// do small sizes without a call into the runtime (wasmcode.InlineBulkMemory).
// A body the rewriters cannot decode is left to wasmtime, which reports
// what is wrong with it.
func prepare(wasm []byte) []byte {
	out, _, err := wasmcode.FoldOffsets(wasm)
	if err != nil {
		return wasm
	}
	bodies, err := bulkBodies()
	if err != nil {
		return out
	}
	if inlined, _, err := wasmcode.InlineBulkMemory(out, bodies[0], bodies[1]); err == nil {
		out = inlined
	}
	return out
}

//go:embed bulk.wat
var bulkWat string

func bulkVersion() string {
	sum := sha256.Sum256([]byte(bulkWat))
	return fmt.Sprintf("%x", sum[:8])
}

// bulkBodies are the function bodies (locals and code) of bulk.wat's copy
// and fill, assembled once.
var bulkBodies = sync.OnceValues(func() ([2][]byte, error) {
	var bodies [2][]byte
	wasm, err := wasmtime.Wat2Wasm(bulkWat)
	if err != nil {
		return bodies, fmt.Errorf("engine: bulk.wat: %w", err)
	}
	secs, err := wasmcode.Sections(wasm)
	if err != nil {
		return bodies, err
	}
	_, _, err = wasmcode.RewriteCode(wasm, wasmcode.Find(secs, 10), func(i int, body []byte) ([]byte, int, error) {
		if i < len(bodies) {
			bodies[i] = body
		}
		return body, 0, nil
	})
	if err == nil && (bodies[0] == nil || bodies[1] == nil) {
		err = errors.New("engine: bulk.wat: want two functions")
	}
	return bodies, err
})

// Module is a compiled module, ready to instantiate many times.
type Module struct {
	m *wasmtime.Module
}

// LoadPrecompiled loads an artefact made by Precompile with the same
// Fingerprint. Only pass artefacts from a trusted, checksummed cache:
// wasmtime trusts their machine code.
func (e *Engine) LoadPrecompiled(artifact []byte) (*Module, error) {
	m, err := wasmtime.NewModuleDeserialize(e.engine, artifact)
	if err != nil {
		return nil, fmt.Errorf("load compiled module: %w", wasmtimeError(err))
	}
	return &Module{m: m}, nil
}

// Compile compiles wasm without a cache (tests, one-off runs).
func (e *Engine) Compile(wasm []byte) (*Module, error) {
	m, err := wasmtime.NewModule(e.engine, prepare(wasm))
	if err != nil {
		return nil, fmt.Errorf("compile: %w", wasmtimeError(err))
	}
	return &Module{m: m}, nil
}

// Validate checks what the linker's decoder leaves to the engine: every
// function body's instructions and types, with the features this engine
// compiles for. It is what compiling would reject, found without compiling.
func (e *Engine) Validate(wasm []byte) error {
	return wasmtimeError(wasmtime.ModuleValidate(e.engine, wasm))
}

// Close releases the module's compiled code once no Faaslet uses it.
func (m *Module) Close() { m.m.Close() }

// Interrupt makes every running Faaslet of an Interruptible engine trap with
// an interrupt at its next loop back-edge or function entry.
func (e *Engine) Interrupt() {
	e.engine.IncrementEpoch()
}

// wasmtimeVersion reads the wasmtime-go module version the binary was built
// with, so a dependency bump changes the cache key without anyone
// remembering to edit a constant.
func wasmtimeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == wasmtimeModule {
				if d.Replace != nil {
					return d.Replace.Path + "@" + d.Replace.Version
				}
				return d.Version
			}
		}
	}
	// Test binaries of this package report no deps; fall back to the
	// module path's major version, which still separates incompatible ABIs.
	return strings.TrimPrefix(wasmtimeModule[strings.LastIndex(wasmtimeModule, "/")+1:], "v") + ".x"
}
