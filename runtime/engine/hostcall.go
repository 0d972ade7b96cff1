package engine

// This file is the host-call path: wasm calls a host import, wasmtime calls
// the C trampoline in hostcall.c with the arguments as raw 16-byte slots,
// and faasmHostCall runs the hostabi handler on a uint64 stack.
//
// wasmtime-go's Linker.FuncNew costs one cgo call per argument (Val.I32),
// a store-map lookup under a global lock and several allocations per call;
// the MPI and OpenMP imports are on every message's path, so we define them
// with wasmtime's unchecked callback instead (wasmtime-go v39 does not wrap
// it). The price is reading three unexported wasmtime-go fields (the
// linker's pointer, a memory's handle); init checks their layout and New
// fails with a clear message if a wasmtime-go upgrade changed them.

/*
#include <stdlib.h>
#include "hostcall.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/faasm-go/faasm/hostabi"
)

// hostEntry is one defined host function; its index in hostEntries is the
// env word wasmtime hands back to the trampoline.
type hostEntry struct {
	call    func(c hostabi.Caller, stack []uint64) error
	name    string
	params  []hostabi.ValType
	results []hostabi.ValType
	nslots  int
}

// envWord is the word wasmtime hands back to the trampoline for entry idx
// (layout in hostcall.h): the index, the slot of the fast function, and
// whether the function takes a guest pointer (then the trampoline looks up
// the memory's span, in C).
func envWord(idx uintptr, f *hostabi.Func, fastSlot int) uintptr {
	w := idx<<C.FAASM_ENV_INDEX_SHIFT | uintptr(fastSlot)<<1
	for _, p := range f.Params {
		if p.Kind == hostabi.KindPtr {
			return w | 1
		}
	}
	return w
}

// fastSlot registers hf's fast function with the trampoline, when it has
// one and its signature allows it (hostabi.HostFunc.Fast); 0 otherwise.
func fastSlot(hf hostabi.HostFunc) int {
	f := hf.Func
	if hf.Fast == nil || len(f.Results) != 1 || len(f.Params) > C.FAASM_FAST_ARGS {
		return 0
	}
	for _, t := range f.ParamTypes() {
		if t != hostabi.I32 {
			return 0
		}
	}
	if f.ResultTypes()[0] != hostabi.I32 {
		return 0
	}
	hostMu.Lock()
	defer hostMu.Unlock()
	return int(C.faasm_fast_slot(C.faasm_fast_fn(hf.Fast)))
}

// hostEntries only grows (engines live as long as the process in practice);
// readers load it without a lock.
var (
	hostMu      sync.Mutex
	hostEntries atomic.Pointer[[]*hostEntry]
)

func addHostEntry(h *hostEntry) uintptr {
	hostMu.Lock()
	defer hostMu.Unlock()
	var next []*hostEntry
	if cur := hostEntries.Load(); cur != nil {
		next = append(next, *cur...)
	}
	next = append(next, h)
	hostEntries.Store(&next)
	return uintptr(len(next) - 1)
}

// faaslets maps wasmtime-go's per-store data word (a small, reused slab
// index) to the Faaslet that owns the store, so a host call finds its
// Faaslet without a lock. Copy on write: Faaslets are created far less
// often than they call the host.
var (
	faasletMu sync.Mutex
	faaslets  atomic.Pointer[[]*Faaslet]
)

// maxFaasletIndex bounds the registry: far more live stores than one
// process can hold, far fewer than a pointer-valued data word would give.
const maxFaasletIndex = 1 << 24

func registerFaaslet(idx uintptr, f *Faaslet) {
	faasletMu.Lock()
	defer faasletMu.Unlock()
	var next []*Faaslet
	if cur := faaslets.Load(); cur != nil {
		next = append(next, *cur...)
	}
	for uintptr(len(next)) <= idx {
		next = append(next, nil)
	}
	next[idx] = f
	faaslets.Store(&next)
}

// setMemory tells the trampoline the memory of f's store (see hostcall.c).
func setMemory(f *Faaslet) {
	faasletMu.Lock()
	defer faasletMu.Unlock()
	C.faasm_set_memory(C.uintptr_t(f.dataIdx), f.view.mem, 1)
}

func unregisterFaaslet(idx uintptr, f *Faaslet) {
	faasletMu.Lock()
	defer faasletMu.Unlock()
	cur := faaslets.Load()
	if cur == nil || uintptr(len(*cur)) <= idx || (*cur)[idx] != f {
		return
	}
	next := append([]*Faaslet(nil), *cur...)
	next[idx] = nil
	faaslets.Store(&next)
	C.faasm_set_memory(C.uintptr_t(idx), C.faasm_memory_t{}, 0)
}

func faasletAt(idx uintptr) *Faaslet {
	cur := faaslets.Load()
	if cur == nil || uintptr(len(*cur)) <= idx {
		return nil
	}
	return (*cur)[idx]
}

// layoutErr is why the unexported wasmtime-go fields cannot be read, or nil.
var layoutErr = checkLayout()

func checkLayout() error {
	lt := reflect.TypeOf(wasmtime.Linker{})
	if f := lt.Field(0); f.Name != "_ptr" || f.Offset != 0 || f.Type.Kind() != reflect.Pointer {
		return fmt.Errorf("engine: wasmtime-go's Linker no longer starts with its C pointer (field %s %s)", f.Name, f.Type)
	}
	mt := reflect.TypeOf(wasmtime.Memory{})
	if mt.NumField() != 1 || mt.Size() != C.sizeof_faasm_memory_t {
		return fmt.Errorf("engine: wasmtime-go's Memory is no longer one wasmtime_memory_t (%d bytes)", mt.Size())
	}
	return nil
}

func linkerPtr(l *wasmtime.Linker) *C.wasmtime_linker_t {
	return *(**C.wasmtime_linker_t)(unsafe.Pointer(l))
}

func rawMemory(m *wasmtime.Memory) C.faasm_memory_t {
	return *(*C.faasm_memory_t)(unsafe.Pointer(m))
}

func contextData(st *wasmtime.Store) uintptr {
	return uintptr(C.faasm_context_data((*C.wasmtime_context_t)(unsafe.Pointer(st.Context()))))
}

var wasmKinds = [...]C.uint8_t{hostabi.I32: 0, hostabi.I64: 1, hostabi.F32: 2, hostabi.F64: 3}

// define links one host function with the unchecked calling convention.
func (e *Engine) define(hf hostabi.HostFunc) error {
	if layoutErr != nil {
		return layoutErr
	}
	f := hf.Func
	h := &hostEntry{
		call:    hf.Call,
		name:    hf.Module + "." + f.Name,
		params:  f.ParamTypes(),
		results: f.ResultTypes(),
	}
	h.nslots = max(len(h.params), len(h.results))
	kinds := make([]C.uint8_t, 0, len(h.params)+len(h.results)+1)
	for _, t := range h.params {
		kinds = append(kinds, wasmKinds[t])
	}
	for _, t := range h.results {
		kinds = append(kinds, wasmKinds[t])
	}
	kinds = append(kinds, 0) // never empty, so &kinds[0] is valid
	env := envWord(addHostEntry(h), f, fastSlot(hf))
	mod, name := C.CString(hf.Module), C.CString(f.Name)
	defer C.free(unsafe.Pointer(mod))
	defer C.free(unsafe.Pointer(name))
	msg := C.faasm_define(linkerPtr(e.linker), mod, C.size_t(len(hf.Module)), name, C.size_t(len(f.Name)),
		&kinds[0], C.size_t(len(h.params)), &kinds[len(h.params)], C.size_t(len(h.results)), C.uintptr_t(env))
	if msg != nil {
		defer C.free(unsafe.Pointer(msg))
		return fmt.Errorf("engine: define %s: %s", h.name, C.GoString(msg))
	}
	return nil
}

// rawSlot is wasmtime_val_raw_t: every value sits little-endian at the
// start of a 16-byte slot.
type rawSlot struct {
	lo, hi uint64
}

// faasmHostCall returns the trap as an integer: a pointer result costs a
// cgocheck walk (cgoCheckResult) on every host call, 3% of the crossing,
// and the trap is C memory that the check has nothing to say about.
//
//export faasmHostCall
func faasmHostCall(env, data C.uintptr_t, ctx *C.wasmtime_context_t, vals unsafe.Pointer, n C.size_t, base *C.uint8_t, size C.size_t) (trap C.uintptr_t) {
	h := (*hostEntries.Load())[env]
	fl := faasletAt(uintptr(data))
	if fl == nil {
		return newTrap(h.name + ": called outside a faaslet")
	}
	slots := unsafe.Slice((*rawSlot)(vals), int(n))
	// The stack escapes into the handler, so it comes from the Faaslet's
	// own arena rather than the heap; nested calls (CallTable re-entering
	// the guest) take the slots above.
	sp := fl.sp
	if sp+h.nslots > len(fl.slots) {
		fl.slots = append(fl.slots, make([]uint64, sp+h.nslots+16-len(fl.slots))...)
	}
	stack := fl.slots[sp : sp+h.nslots : sp+h.nslots]
	fl.sp = sp + h.nslots
	for i, t := range h.params {
		if t == hostabi.I32 || t == hostabi.F32 {
			stack[i] = uint64(uint32(slots[i].lo))
		} else {
			stack[i] = slots[i].lo
		}
	}

	// A host function may re-enter the guest (CallTable) and be called
	// again on the same Faaslet, so the view is saved and restored rather
	// than allocated per call.
	cv := &fl.view
	saved := cv.ctx
	cv.ctx = ctx
	cv.fresh = false // the guest may have grown its memory since the last call
	if base != nil {
		cv.base, cv.size, cv.fresh = unsafe.Pointer(base), uint64(size), true
	}
	defer func() {
		cv.ctx = saved
		cv.fresh = false // and a nested call's guest code too
		fl.sp = sp
		if p := recover(); p != nil {
			fl.hostErr = fmt.Errorf("%s: host function panicked: %v", h.name, p)
			trap = newTrap(fl.hostErr.Error())
		}
	}()
	if err := h.call(cv, stack); err != nil {
		fl.hostErr = fmt.Errorf("%s: %w", h.name, err)
		var exit *hostabi.ExitError
		if errors.As(err, &exit) {
			fl.hostErr = err
		}
		return newTrap(fl.hostErr.Error())
	}
	for i, t := range h.results {
		if t == hostabi.I32 || t == hostabi.F32 {
			// The upper half of an i32 slot is not read, but wasmtime's
			// own host functions leave it zeroed; do the same.
			slots[i].lo = uint64(uint32(stack[i]))
		} else {
			slots[i].lo = stack[i]
		}
	}
	return 0
}

func newTrap(msg string) C.uintptr_t {
	p := C.CString(msg)
	defer C.free(unsafe.Pointer(p))
	return C.uintptr_t(uintptr(unsafe.Pointer(C.faasm_trap(p, C.size_t(len(msg))))))
}

// callerView is the hostabi.Caller a host function receives. It is valid
// only during the call (ctx is the calling store's context); c is the
// Faaslet's store, which names the same store for wasmtime-go's methods.
type callerView struct {
	c   wasmtime.Storelike
	f   *Faaslet
	ctx *C.wasmtime_context_t
	mem C.faasm_memory_t

	// base and size cache the memory's address and a size it had. Linear
	// memory never shrinks and its base never moves (wasmtime reserves
	// 4 GiB for a 32-bit memory; team memory relies on the same), so an
	// access inside size needs no C call; only one beyond it asks wasmtime
	// again, in case the memory grew.
	base unsafe.Pointer
	size uint64
	// fresh says size was read during this host call. Size() must be
	// exact, and the guest can only grow its memory between host calls, so
	// it asks wasmtime once per call. (A host function that grows the
	// memory itself through wasmtime-go sees the old Size until its next
	// access past the old end; none of ours asks for both.)
	fresh bool
}

func (c *callerView) Memory() hostabi.Memory { return callerMemory{c} }
func (c *callerView) Data() any              { return c.f.data }

// SetFastState implements hostabi.FastStater.
func (c *callerView) SetFastState(state unsafe.Pointer) {
	C.faasm_set_fast(C.uintptr_t(c.f.dataIdx), state)
}

func (c *callerView) refresh() {
	if c.f.memory == nil {
		return
	}
	span := C.faasm_memory_data(c.ctx, c.mem)
	c.base = unsafe.Pointer(span.base)
	c.size = uint64(span.size)
	c.fresh = true
}

type callerMemory struct{ c *callerView }

// view returns the memory as a slice covering at least [0, end) when the
// memory is that large.
func (m callerMemory) view(end uint64) []byte {
	c := m.c
	if end > c.size || c.base == nil {
		c.refresh()
	}
	if c.base == nil {
		return nil
	}
	return unsafe.Slice((*byte)(c.base), int(c.size))
}

func (m callerMemory) Size() uint32 {
	if !m.c.fresh {
		m.c.refresh()
	}
	return uint32(min(m.c.size, 1<<32-1))
}

func (m callerMemory) Read(ptr hostabi.GuestPtr, n uint32) ([]byte, bool) {
	return hostabi.SliceMemory(m.view(uint64(ptr)+uint64(n))).Read(ptr, n)
}

func (m callerMemory) Write(ptr hostabi.GuestPtr, b []byte) bool {
	return hostabi.SliceMemory(m.view(uint64(ptr)+uint64(len(b)))).Write(ptr, b)
}
