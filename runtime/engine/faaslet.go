package engine

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/faasm-go/faasm/hostabi"
)

// Preopen maps a host directory into the guest's WASI filesystem.
type Preopen struct {
	Host  string
	Guest string
}

// Config describes one Faaslet's environment.
type Config struct {
	Args []string // argv, including argv[0]
	Env  []string // KEY=VALUE
	// Stdin, Stdout and Stderr name host files; empty inherits the host
	// process's stream.
	Stdin, Stdout, Stderr string
	Preopens              []Preopen
	// MaxMemoryBytes caps linear memory growth; 0 keeps the module's own maximum.
	MaxMemoryBytes int64
	// HugePages asks for transparent huge pages over the memory the guest
	// grows into (hugepages.go).
	HugePages bool
	// Data is handed to host functions as hostabi.Caller.Data().
	Data any
}

// Faaslet is one instance of a module in its own Store: private linear
// memory, WASI context and host-module state.
//
// Lifecycle: New (instantiate, cheap: the module is already compiled) →
// Run (call an export) → Close. Run may be called again on the same
// Faaslet (a warm pool reuses instances for OpenMP threads and MPI ranks);
// Snapshot and Restore (state.go) reset it between runs to a state saved
// after instantiation or initialisation.
type Faaslet struct {
	store    *wasmtime.Store
	module   *wasmtime.Module
	instance *wasmtime.Instance
	memory   *wasmtime.Memory
	data     any

	// hostErr is the Go error a host function ended the guest with; the
	// trap wasmtime reports only carries its text.
	hostErr error

	// mapped is how many bytes of a TeamMemory's memfd are mapped over
	// this Faaslet's memory (0 when it is not a team member).
	mapped int64
	// initial is the memory's size at instantiation. Above it the memory
	// is anonymous, grown by the guest; below it lies wasmtime's
	// copy-on-write image of the data segments.
	initial int64
	// hugePages is Config.HugePages, which team memory mapped over this
	// Faaslet's memory later follows too.
	hugePages bool

	// view is what host functions get as their hostabi.Caller, and slots[:sp]
	// the stacks of the host calls in progress (hostcall.go).
	view  callerView
	slots []uint64
	sp    int
	// dataIdx is wasmtime-go's data word for the store: this Faaslet's key
	// in the registry host calls look it up in.
	dataIdx uintptr
}

// NewFaaslet instantiates m with cfg.
func (e *Engine) NewFaaslet(m *Module, cfg Config) (*Faaslet, error) {
	f := &Faaslet{data: cfg.Data, module: m.m}
	f.store = wasmtime.NewStoreWithData(e.engine, f)
	// Registered before instantiation: a start function may call the host.
	f.view = callerView{c: f.store, f: f}
	f.dataIdx = contextData(f.store)
	if f.dataIdx >= maxFaasletIndex {
		// wasmtime-go's data word is a slab index reused as stores close; a
		// huge value means its representation changed under us.
		f.store.Close()
		return nil, fmt.Errorf("engine: store data word %#x is not a small slab index: this wasmtime-go is not the version the engine was written for (%s)", f.dataIdx, wasmtimeVersion())
	}
	registerFaaslet(f.dataIdx, f)
	if e.opts.Interruptible {
		f.store.SetEpochDeadline(1)
	}
	if cfg.MaxMemoryBytes > 0 {
		f.store.Limiter(cfg.MaxMemoryBytes, -1, -1, -1, -1)
	}
	wasi, err := wasiConfig(cfg)
	if err != nil {
		f.Close()
		return nil, err
	}
	f.store.SetWasi(wasi)

	inst, err := e.linker.Instantiate(f.store, m.m)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("instantiate: %w", wasmtimeError(err))
	}
	f.instance = inst
	if ext := inst.GetExport(f.store, "memory"); ext != nil {
		f.memory = ext.Memory()
		f.view.mem = rawMemory(f.memory)
		setMemory(f)
		f.initial = int64(f.memory.DataSize(f.store))
		f.hugePages = cfg.HugePages
		if cfg.HugePages {
			f.adviseHugePages()
		}
	}
	return f, nil
}

func wasiConfig(cfg Config) (*wasmtime.WasiConfig, error) {
	w := wasmtime.NewWasiConfig()
	w.SetArgv(cfg.Args)
	keys := make([]string, 0, len(cfg.Env))
	vals := make([]string, 0, len(cfg.Env))
	for _, kv := range cfg.Env {
		k, v, _ := strings.Cut(kv, "=")
		keys = append(keys, k)
		vals = append(vals, v)
	}
	w.SetEnv(keys, vals)
	if cfg.Stdin == "" {
		w.InheritStdin()
	} else if err := w.SetStdinFile(cfg.Stdin); err != nil {
		return nil, fmt.Errorf("stdin %s: %w", cfg.Stdin, err)
	}
	if cfg.Stdout == "" {
		w.InheritStdout()
	} else if err := w.SetStdoutFile(cfg.Stdout); err != nil {
		return nil, fmt.Errorf("stdout %s: %w", cfg.Stdout, err)
	}
	if cfg.Stderr == "" {
		w.InheritStderr()
	} else if err := w.SetStderrFile(cfg.Stderr); err != nil {
		return nil, fmt.Errorf("stderr %s: %w", cfg.Stderr, err)
	}
	for _, p := range cfg.Preopens {
		if err := w.PreopenDir(p.Host, p.Guest,
			wasmtime.DIR_READ|wasmtime.DIR_WRITE, wasmtime.FILE_READ|wasmtime.FILE_WRITE); err != nil {
			return nil, fmt.Errorf("--dir %s:%s: %w", p.Host, p.Guest, err)
		}
	}
	return w, nil
}

// Data is what the Faaslet was configured with.
func (f *Faaslet) Data() any { return f.data }

// Run calls the exported function entry (usually "_start") and returns the
// guest's exit code. A guest that returns normally exits 0. Traps come back
// as *TrapError, host-initiated exits as *hostabi.ExitError (with the code
// also returned).
func (f *Faaslet) Run(entry string) (int32, error) {
	return f.Call(entry)
}

// Call calls the exported function entry with i32 arguments (an OpenMP
// thread's entry point takes its thread id) and returns like Run; the
// function's own result, if any, is dropped.
func (f *Faaslet) Call(entry string, args ...int32) (int32, error) {
	fn := f.instance.GetFunc(f.store, entry)
	if fn == nil {
		return 1, fmt.Errorf("module has no exported function %q", entry)
	}
	f.hostErr = nil
	_, err := fn.Call(f.store, i32Args(args)...)
	if err == nil {
		return 0, nil
	}
	return f.classify(err)
}

// TableExport is the function table wasm-ld exports with --export-table.
const TableExport = "__indirect_function_table"

// CallTable calls the function at index idx of the exported function table
// (a C function pointer) with i32 arguments, and returns like Run. An OpenMP
// thread starts this way: wasm-ld wraps a command module's exports so that
// each call re-runs the static constructors, which a thread must not do.
func (f *Faaslet) CallTable(idx uint32, args ...int32) (int32, error) {
	fn, err := tableFunc(f.store, f.instance.GetExport(f.store, TableExport), idx)
	if err != nil {
		return 1, err
	}
	f.hostErr = nil
	if _, err := fn.Call(f.store, i32Args(args)...); err != nil {
		return f.classify(err)
	}
	return 0, nil
}

// tableFunc returns entry idx of the exported function table ext (nil when
// the module exports none).
func tableFunc(st wasmtime.Storelike, ext *wasmtime.Extern, idx uint32) (*wasmtime.Func, error) {
	if ext == nil || ext.Table() == nil {
		return nil, fmt.Errorf("module exports no %s (link with -Wl,--export-table)", TableExport)
	}
	v, err := ext.Table().Get(st, uint64(idx))
	if err != nil {
		return nil, fmt.Errorf("function table[%d]: %w", idx, err)
	}
	fn := v.Funcref()
	if fn == nil {
		return nil, fmt.Errorf("function table[%d] is null", idx)
	}
	return fn, nil
}

// i32Args boxes i32 arguments for wasmtime-go's Func.Call.
func i32Args(args []int32) []any {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a
	}
	return vals
}

// SetGlobalI32 sets an exported mutable i32 global, e.g. a thread's
// __stack_pointer before its entry point runs.
func (f *Faaslet) SetGlobalI32(name string, v int32) error {
	ext := f.instance.GetExport(f.store, name)
	if ext == nil || ext.Global() == nil {
		return fmt.Errorf("module exports no global %q", name)
	}
	return ext.Global().Set(f.store, wasmtime.ValI32(v))
}

// HasExport reports whether the module exports name.
func (f *Faaslet) HasExport(name string) bool {
	return f.instance.GetExport(f.store, name) != nil
}

func (f *Faaslet) classify(err error) (int32, error) {
	var exit *hostabi.ExitError
	var pe procExit
	if errors.As(f.hostErr, &pe) {
		return int32(pe), nil // a normal exit, like returning from main
	}
	if f.hostErr != nil {
		if errors.As(f.hostErr, &exit) {
			return exit.Code, exit
		}
		return 1, &TrapError{Kind: TrapHost, Cause: f.hostErr, Frames: trapFrames(err)}
	}
	var werr *wasmtime.Error
	if errors.As(err, &werr) {
		if code, ok := werr.ExitStatus(); ok {
			return code, nil
		}
	}
	var trap *wasmtime.Trap
	if errors.As(err, &trap) {
		return 1, newTrapError(trap)
	}
	return 1, &TrapError{Detail: summarize(err.Error()), Cause: err}
}

// procExit is how the guest's proc_exit (exit(), or returning from main)
// unwinds out of wasm: a trap whose cause classify turns back into a status.
type procExit uint32

func (p procExit) Error() string { return fmt.Sprintf("exit status %d", uint32(p)) }

// Memory is the Faaslet's linear memory as host code sees it.
func (f *Faaslet) Memory() hostabi.Memory {
	return linearMemory{m: f.memory, s: f.store}
}

// Close releases the Faaslet's store and everything in it.
func (f *Faaslet) Close() {
	if f.store != nil {
		unregisterFaaslet(f.dataIdx, f)
		f.store.Close()
		f.store = nil
	}
}

// TrapKind classifies how a guest stopped abnormally.
type TrapKind uint8

const (
	TrapOther TrapKind = iota
	TrapStackOverflow
	TrapMemoryOutOfBounds
	TrapMisaligned
	TrapTableOutOfBounds
	TrapNullCall
	TrapBadSignature
	TrapIntegerOverflow
	TrapDivideByZero
	TrapBadConversion
	TrapUnreachable // abort() in wasi-libc, __builtin_trap
	TrapInterrupt   // epoch interruption: the job's timeout
	TrapOutOfFuel
	TrapHost // a host function failed
)

var trapKindNames = [...]string{
	TrapOther:             "trap",
	TrapStackOverflow:     "stack overflow",
	TrapMemoryOutOfBounds: "out-of-bounds memory access",
	TrapMisaligned:        "misaligned atomic access",
	TrapTableOutOfBounds:  "out-of-bounds table access",
	TrapNullCall:          "indirect call to null",
	TrapBadSignature:      "indirect call signature mismatch",
	TrapIntegerOverflow:   "integer overflow",
	TrapDivideByZero:      "integer divide by zero",
	TrapBadConversion:     "invalid conversion to integer",
	TrapUnreachable:       "unreachable code reached (abort)",
	TrapInterrupt:         "interrupt",
	TrapOutOfFuel:         "out of fuel",
	TrapHost:              "host error",
}

func (k TrapKind) String() string { return trapKindNames[k] }

// wasmtime's trap codes in the order of its TrapCode constants.
var fromWasmtime = map[wasmtime.TrapCode]TrapKind{
	wasmtime.StackOverflow:          TrapStackOverflow,
	wasmtime.MemoryOutOfBounds:      TrapMemoryOutOfBounds,
	wasmtime.HeapMisaligned:         TrapMisaligned,
	wasmtime.TableOutOfBounds:       TrapTableOutOfBounds,
	wasmtime.IndirectCallToNull:     TrapNullCall,
	wasmtime.BadSignature:           TrapBadSignature,
	wasmtime.IntegerOverflow:        TrapIntegerOverflow,
	wasmtime.IntegerDivisionByZero:  TrapDivideByZero,
	wasmtime.BadConversionToInteger: TrapBadConversion,
	wasmtime.UnreachableCodeReached: TrapUnreachable,
	wasmtime.Interrupt:              TrapInterrupt,
	wasmtime.OutOfFuel:              TrapOutOfFuel,
}

// TrapError reports a guest that stopped abnormally.
type TrapError struct {
	Kind TrapKind
	// Detail replaces Kind's name when wasmtime gave no trap code.
	Detail string
	Frames []string // innermost first, wasm function names (or "func[N]")
	Cause  error
}

func (t *TrapError) Error() string {
	var b strings.Builder
	b.WriteString("trap: ")
	if t.Detail != "" {
		b.WriteString(t.Detail)
	} else {
		b.WriteString(t.Kind.String())
	}
	if t.Cause != nil && t.Kind == TrapHost {
		b.WriteString(": ")
		b.WriteString(t.Cause.Error())
	}
	if len(t.Frames) > 0 {
		b.WriteString(" in ")
		const maxFrames = 6
		for i, fr := range t.Frames {
			if i == maxFrames {
				fmt.Fprintf(&b, " <- ... (%d more)", len(t.Frames)-maxFrames)
				break
			}
			if i > 0 {
				b.WriteString(" <- ")
			}
			b.WriteString(fr)
		}
	}
	return b.String()
}

func (t *TrapError) Unwrap() error { return t.Cause }

func newTrapError(trap *wasmtime.Trap) *TrapError {
	te := &TrapError{Frames: frameNames(trap)}
	if code := trap.Code(); code != nil {
		te.Kind = fromWasmtime[*code]
	} else {
		te.Detail = firstLine(trap.Message())
	}
	return te
}

func trapFrames(err error) []string {
	var trap *wasmtime.Trap
	if errors.As(err, &trap) {
		return frameNames(trap)
	}
	return nil
}

func frameNames(trap *wasmtime.Trap) []string {
	frames := trap.Frames()
	names := make([]string, 0, len(frames))
	for _, fr := range frames {
		if n := fr.FuncName(); n != nil && *n != "" {
			names = append(names, *n)
		} else {
			names = append(names, fmt.Sprintf("func[%d]", fr.FuncIndex()))
		}
	}
	return names
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// linearMemory implements hostabi.Memory over a wasmtime memory. It looks up
// the current size on every access: memory.grow may have changed it.
type linearMemory struct {
	m *wasmtime.Memory
	s wasmtime.Storelike
}

func (l linearMemory) data() []byte {
	if l.m == nil {
		return nil
	}
	n := l.m.DataSize(l.s)
	return unsafe.Slice((*byte)(l.m.Data(l.s)), n)
}

func (l linearMemory) Size() uint32 {
	if l.m == nil {
		return 0
	}
	return uint32(min(l.m.DataSize(l.s), math.MaxUint32))
}

func (l linearMemory) Read(ptr hostabi.GuestPtr, n uint32) ([]byte, bool) {
	return hostabi.SliceMemory(l.data()).Read(ptr, n)
}

func (l linearMemory) Write(ptr hostabi.GuestPtr, b []byte) bool {
	return hostabi.SliceMemory(l.data()).Write(ptr, b)
}
