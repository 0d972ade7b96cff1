package hostabi

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// GuestPtr is an address in a guest's linear memory.
type GuestPtr uint32

// Memory is a guest's linear memory as a host function sees it.
//
// Every access is bounds-checked and reports ok=false instead of panicking.
// A slice returned by Read aliases guest memory and is valid only until the
// host call returns: memory.grow may move it, and other OpenMP threads may
// write it concurrently. Copy what must outlive the call.
type Memory interface {
	Size() uint32
	Read(ptr GuestPtr, n uint32) ([]byte, bool)
	Write(ptr GuestPtr, b []byte) bool
}

// ReadUint32 reads a little-endian uint32 at ptr.
func ReadUint32(m Memory, ptr GuestPtr) (uint32, bool) {
	b, ok := m.Read(ptr, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

// WriteUint32 writes a little-endian uint32 at ptr.
func WriteUint32(m Memory, ptr GuestPtr, v uint32) bool {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return m.Write(ptr, b[:])
}

// SliceMemory is a Memory over a Go slice, for tests of host functions.
type SliceMemory []byte

func (s SliceMemory) Size() uint32 { return uint32(len(s)) }

func (s SliceMemory) Read(ptr GuestPtr, n uint32) ([]byte, bool) {
	end := uint64(ptr) + uint64(n)
	if end > uint64(len(s)) {
		return nil, false
	}
	return s[ptr:end:end], true
}

func (s SliceMemory) Write(ptr GuestPtr, b []byte) bool {
	dst, ok := s.Read(ptr, uint32(len(b)))
	if !ok {
		return false
	}
	copy(dst, b)
	return true
}

// Caller is the calling Faaslet as a host function sees it.
type Caller interface {
	// Memory is the caller's linear memory.
	Memory() Memory
	// Data is what the runtime attached to the Faaslet (its job, rank, team).
	Data() any
}

// HostFunc binds one table entry to Go code. Call reads its arguments from
// stack (one uint64 slot per wasm parameter, in order) and writes its results
// back into stack from slot 0. A non-nil error ends the guest: an *ExitError
// exits with its code, anything else traps carrying the error.
type HostFunc struct {
	Module string
	Func   *Func
	Call   func(c Caller, stack []uint64) error
	// Fast, when set, is a C function the runtime calls before Call, without
	// entering Go (whose callback costs more than a small MPI message). Its
	// C type is
	//
	//	int32_t fast(void *state, uint8_t *mem, size_t mem_size, const uint32_t *args)
	//
	// with the Faaslet's state (see FastStater; never NULL), its linear
	// memory and the call's i32 arguments. It returns the function's i32
	// result, or -1 to leave the call to Call. Only for functions with i32
	// parameters and one i32 result.
	Fast unsafe.Pointer
}

// FastStater is implemented by a Caller whose runtime supports
// HostFunc.Fast: SetFastState gives the Faaslet's fast functions their
// state (nil: Call handles everything). The state must stay valid until it
// is replaced or the Faaslet ends.
type FastStater interface {
	SetFastState(state unsafe.Pointer)
}

// ExitError ends a Faaslet with an exit code, like proc_exit, optionally after
// printing Message as one line on stderr.
type ExitError struct {
	Code    int32
	Message string
}

func (e *ExitError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("exit status %d", e.Code)
}
