// The subset of wasmtime's C API (v39) that the unchecked host-call path
// uses. wasmtime-go links the library and ships the full headers; these are
// our own declarations of the same ABI, because cgo cannot point an include
// path into another module's directory. The prototypes were compared by
// hand with the v39.0.1 headers (go.mod pins that version); checkLayout in
// hostcall.go checks at start-up that wasmtime-go's structs still keep
// their C pointers where we read them.
#ifndef FAASM_ENGINE_HOSTCALL_H
#define FAASM_ENGINE_HOSTCALL_H

#include <stddef.h>
#include <stdint.h>

typedef struct wasmtime_linker wasmtime_linker_t;
typedef struct wasmtime_caller wasmtime_caller_t;
typedef struct wasmtime_context wasmtime_context_t;
typedef struct wasmtime_error wasmtime_error_t;
typedef struct wasm_trap_t wasm_trap_t;
typedef struct wasm_functype_t wasm_functype_t;
typedef struct wasm_valtype_t wasm_valtype_t;

// wasmtime_memory_t: a store id and an index, no ownership. The inner
// struct is padded to 16 bytes, so the whole is 24.
typedef struct faasm_memory {
	struct {
		uint64_t store_id;
		uint32_t private1;
	} inner;
	uint32_t private2;
} faasm_memory_t;

// Defines one host function in linker whose callback is the Go function
// faasmHostCall, called with env. On failure returns wasmtime's message
// (malloc'ed, the caller frees it).
char *faasm_define(wasmtime_linker_t *linker, const char *module, size_t module_len,
                   const char *name, size_t name_len, const uint8_t *params, size_t nparams,
                   const uint8_t *results, size_t nresults, uintptr_t env);

// The data word wasmtime-go attached to the store (its index for the store).
uintptr_t faasm_context_data(wasmtime_context_t *ctx);

// Base address and current byte size of memory m in ctx, returned by value
// so that the Go caller passes no pointer to its own memory (which cgo
// would move to the heap on every call).
typedef struct faasm_memory_span {
	uint8_t *base;
	size_t size;
} faasm_memory_span_t;

faasm_memory_span_t faasm_memory_data(wasmtime_context_t *ctx, faasm_memory_t m);

// Records (valid != 0) or forgets the linear memory of the store whose data
// word is idx, so that the trampoline can hand a host function that takes
// guest pointers the memory's span without a further cgo call.
void faasm_set_memory(uintptr_t idx, faasm_memory_t m, int valid);

// A host function's fast path (hostabi.HostFunc.Fast): the i32 result, or
// -1 to run the Go handler.
typedef int32_t (*faasm_fast_fn)(void *state, uint8_t *mem, size_t mem_size, const uint32_t *args);

// The env word of a host function: its index in hostEntries from bit 5, the
// slot of its fast function in bits 1-4 (0: none) and in bit 0 whether it
// takes guest pointers. FAASM_FAST_ARGS bounds the arguments a fast
// function sees.
#define FAASM_ENV_INDEX_SHIFT 5
#define FAASM_FAST_SLOTS 16
#define FAASM_FAST_ARGS 16

// The slot of fn in the trampoline's table, added if new; 0 when the table
// is full (the function then has no fast path).
int faasm_fast_slot(faasm_fast_fn fn);

// Sets (or with NULL clears) the state handed to the fast functions of the
// store whose data word is idx. Forgetting the store's memory clears it.
void faasm_set_fast(uintptr_t idx, void *state);

// A trap carrying msg, handed to wasmtime as the callback's result.
wasm_trap_t *faasm_trap(const char *msg, size_t len);

#endif
