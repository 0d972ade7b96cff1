// The C half of the unchecked host-call path (see hostcall.go).
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hostcall.h"
#include "_cgo_export.h"

typedef struct {
	size_t size;
	wasm_valtype_t **data;
} faasm_valtype_vec_t;

typedef struct {
	size_t size;
	char *data;
} faasm_byte_vec_t;

typedef union {
	int32_t i32;
	int64_t i64;
	float f32;
	double f64;
	uint8_t v128[16];
} faasm_val_raw_t;

typedef wasm_trap_t *(*faasm_unchecked_cb)(void *env, wasmtime_caller_t *caller,
                                           faasm_val_raw_t *args_and_results, size_t n);

extern wasm_valtype_t *wasm_valtype_new(uint8_t kind);
extern void wasm_valtype_vec_new_uninitialized(faasm_valtype_vec_t *out, size_t size);
extern wasm_functype_t *wasm_functype_new(faasm_valtype_vec_t *params, faasm_valtype_vec_t *results);
extern void wasm_functype_delete(wasm_functype_t *ty);
extern wasmtime_error_t *wasmtime_linker_define_func_unchecked(
	wasmtime_linker_t *linker, const char *module, size_t module_len, const char *name,
	size_t name_len, const wasm_functype_t *ty, faasm_unchecked_cb cb, void *data,
	void (*finalizer)(void *));
extern void wasmtime_error_message(const wasmtime_error_t *err, faasm_byte_vec_t *message);
extern void wasmtime_error_delete(wasmtime_error_t *err);
extern void wasm_byte_vec_delete(faasm_byte_vec_t *v);
extern wasmtime_context_t *wasmtime_caller_context(wasmtime_caller_t *caller);
extern void *wasmtime_context_get_data(const wasmtime_context_t *ctx);
extern uint8_t *wasmtime_memory_data(const wasmtime_context_t *ctx, const faasm_memory_t *m);
extern size_t wasmtime_memory_data_size(const wasmtime_context_t *ctx, const faasm_memory_t *m);
extern wasm_trap_t *wasmtime_trap_new(const char *msg, size_t len);

_Static_assert(sizeof(faasm_val_raw_t) == 16, "wasmtime_val_raw_t is 16 bytes");
_Static_assert(sizeof(faasm_memory_t) == 24, "wasmtime_memory_t is 24 bytes");

// Memories by store data word, in chunks that are allocated once and never
// move, so the trampoline reads them without a lock while another thread
// registers a new store. The data word is a small reused index (the Go side
// bounds it by maxFaasletIndex = 1<<24).
#define MEM_CHUNK_BITS 16
#define MEM_CHUNKS 256

typedef struct {
	faasm_memory_t mem;
	int valid;
	void *_Atomic fast; // the state of the store's fast functions (faasm_set_fast)
} mem_slot_t;

static mem_slot_t *_Atomic mem_chunks[MEM_CHUNKS];

void faasm_set_memory(uintptr_t idx, faasm_memory_t m, int valid) {
	size_t c = idx >> MEM_CHUNK_BITS;
	if (c >= MEM_CHUNKS) return;
	mem_slot_t *chunk = mem_chunks[c];
	if (chunk == NULL) {
		// Registration runs under the Go side's faasletMu: no racing
		// allocator for the same chunk.
		chunk = calloc((size_t)1 << MEM_CHUNK_BITS, sizeof(mem_slot_t));
		if (chunk == NULL) return; // host calls fall back to asking from Go
		mem_chunks[c] = chunk;
	}
	mem_slot_t *s = &chunk[idx & ((1u << MEM_CHUNK_BITS) - 1)];
	s->valid = 0;
	if (!valid) atomic_store(&s->fast, NULL);
	s->mem = m;
	s->valid = valid;
}

void faasm_set_fast(uintptr_t idx, void *state) {
	size_t c = idx >> MEM_CHUNK_BITS;
	if (c >= MEM_CHUNKS || mem_chunks[c] == NULL) return;
	atomic_store(&mem_chunks[c][idx & ((1u << MEM_CHUNK_BITS) - 1)].fast, state);
}

// Fast functions by the slot that envWord puts in bits 1-4 of the env word
// (0: none). Registered under the Go side's hostMu; read without a lock.
static faasm_fast_fn _Atomic fast_fns[FAASM_FAST_SLOTS];

int faasm_fast_slot(faasm_fast_fn fn) {
	for (int i = 1; i < FAASM_FAST_SLOTS; i++) {
		faasm_fast_fn cur = atomic_load(&fast_fns[i]);
		if (cur == fn) return i;
		if (cur == NULL) {
			atomic_store(&fast_fns[i], fn);
			return i;
		}
	}
	return 0;
}

// The store's data word is looked up here, in C, so the Go side needs no
// further cgo call to find its Faaslet; for functions that take guest
// pointers (env's low bit) the memory's span comes along too.
static wasm_trap_t *faasm_trampoline(void *env, wasmtime_caller_t *caller,
                                     faasm_val_raw_t *vals, size_t n) {
	wasmtime_context_t *ctx = wasmtime_caller_context(caller);
	uintptr_t data = (uintptr_t)wasmtime_context_get_data(ctx);
	uintptr_t e = (uintptr_t)env;
	faasm_memory_span_t span = {NULL, 0};
	unsigned slot = (e >> 1) & (FAASM_FAST_SLOTS - 1);
	if ((e & 1 || slot != 0) && (data >> MEM_CHUNK_BITS) < MEM_CHUNKS) {
		mem_slot_t *chunk = mem_chunks[data >> MEM_CHUNK_BITS];
		if (chunk != NULL) {
			mem_slot_t *s = &chunk[data & ((1u << MEM_CHUNK_BITS) - 1)];
			if (s->valid) {
				span = faasm_memory_data(ctx, s->mem);
				void *state = atomic_load_explicit(&s->fast, memory_order_acquire);
				if (slot != 0 && state != NULL && span.base != NULL) {
					uint32_t args[FAASM_FAST_ARGS];
					size_t na = n < FAASM_FAST_ARGS ? n : FAASM_FAST_ARGS;
					for (size_t i = 0; i < na; i++) args[i] = (uint32_t)vals[i].i32;
					int32_t rc = atomic_load_explicit(&fast_fns[slot], memory_order_relaxed)(
						state, span.base, span.size, args);
					if (rc >= 0) {
						memset(&vals[0], 0, sizeof vals[0]);
						vals[0].i32 = rc;
						return NULL;
					}
				}
			}
		}
	}
	return (wasm_trap_t *)faasmHostCall(e >> FAASM_ENV_INDEX_SHIFT, data, ctx, vals, n, span.base, span.size);
}

static void fill(faasm_valtype_vec_t *v, const uint8_t *kinds, size_t n) {
	wasm_valtype_vec_new_uninitialized(v, n);
	for (size_t i = 0; i < n; i++) v->data[i] = wasm_valtype_new(kinds[i]);
}

char *faasm_define(wasmtime_linker_t *linker, const char *module, size_t module_len,
                   const char *name, size_t name_len, const uint8_t *params, size_t nparams,
                   const uint8_t *results, size_t nresults, uintptr_t env) {
	faasm_valtype_vec_t p, r;
	fill(&p, params, nparams);
	fill(&r, results, nresults);
	wasm_functype_t *ty = wasm_functype_new(&p, &r);
	wasmtime_error_t *err = wasmtime_linker_define_func_unchecked(
		linker, module, module_len, name, name_len, ty, faasm_trampoline, (void *)env, NULL);
	wasm_functype_delete(ty);
	if (err == NULL) return NULL;
	faasm_byte_vec_t msg;
	wasmtime_error_message(err, &msg);
	char *out = malloc(msg.size + 1);
	if (out != NULL) {
		memcpy(out, msg.data, msg.size);
		out[msg.size] = 0;
	}
	wasm_byte_vec_delete(&msg);
	wasmtime_error_delete(err);
	return out;
}

uintptr_t faasm_context_data(wasmtime_context_t *ctx) {
	return (uintptr_t)wasmtime_context_get_data(ctx);
}

faasm_memory_span_t faasm_memory_data(wasmtime_context_t *ctx, faasm_memory_t m) {
	faasm_memory_span_t s = {wasmtime_memory_data(ctx, &m), wasmtime_memory_data_size(ctx, &m)};
	return s;
}

wasm_trap_t *faasm_trap(const char *msg, size_t len) { return wasmtime_trap_new(msg, len); }
