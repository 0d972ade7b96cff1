/* Locks (critical, omp_lock_t, reductions), flush, threadprivate, and the
 * generic __atomic_* calls clang emits for types wasm has no atomics for.
 *
 * A lock is one int32 word (Drepper's futex mutex): 0 free, 1 held, 2 held
 * with sleepers. Uncontended lock/unlock never leaves the guest. Each named
 * critical is its own lock: the word is the first int32 of the compiler's
 * .gomp_critical_user_<name>.var. In private mode the host holds the lock
 * and moves the holders' diffs. */
#include "faasmp.h"

#include <stdlib.h>
#include <string.h>

static int lock_spin = 2000;

void faasmp_lock(_Atomic int32_t *l) {
    if (faasmp_private) {
        __faasmp_lock_private((void *)l);
        return;
    }
    int32_t c = 0;
    /* Even an uncontended acquire must catch up with the team's memory: the
     * previous holder may have grown it (malloc's sbrk), and a stale size
     * here would make this thread's sbrk hand out pages already in use. */
    if (atomic_compare_exchange_strong(l, &c, 1)) goto out;
    for (int i = 0; i < lock_spin; i++) {
        c = 0;
        if (atomic_load_explicit(l, memory_order_relaxed) == 0 && atomic_compare_exchange_weak(l, &c, 1)) goto out;
    }
    if (c != 2) c = atomic_exchange(l, 2);
    while (c != 0) {
        __faasmp_wait(l, 2, -1);
        c = atomic_exchange(l, 2);
    }
out:
    faasmp_mem_check();
}

int faasmp_trylock(_Atomic int32_t *l) {
    if (faasmp_private) return __faasmp_trylock_private((void *)l);
    int32_t c = 0;
    if (!atomic_compare_exchange_strong(l, &c, 1)) return 0;
    faasmp_mem_check();
    return 1;
}

void faasmp_unlock(_Atomic int32_t *l) {
    if (faasmp_private) {
        __faasmp_unlock_private((void *)l);
        return;
    }
    if (atomic_fetch_sub(l, 1) != 1) {
        atomic_store(l, 0);
        __faasmp_notify(l, 1);
    }
}

void __kmpc_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) { faasmp_lock((_Atomic int32_t *)crit); }
void __kmpc_critical_with_hint(ident_t *loc, int32_t gtid, kmp_critical_name *crit, uint32_t hint) {
    faasmp_lock((_Atomic int32_t *)crit);
}
void __kmpc_end_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) { faasmp_unlock((_Atomic int32_t *)crit); }

/* In private mode a flush moves memory: clang also calls it after seq_cst
 * atomic constructs, which is what makes the flag protocols work there. */
void __kmpc_flush(ident_t *loc) {
    if (faasmp_private) __faasmp_sync_private(3);
    else atomic_thread_fence(memory_order_seq_cst);
}

/* Reductions use the critical method: __kmpc_reduce returns 1 holding the
 * compiler's lock, the thread combines its private copy into the shared
 * variable with the compiler's own code, and __kmpc_end_reduce releases.
 * This is right for every operator, type, array section and declare
 * reduction because the combining code is the compiler's.
 *
 * In private mode a lock hand-over costs a scan of the releaser's writes
 * and every thread waits for the one before it. When clang generated the
 * atomic path as well (ident flag KMP_IDENT_ATOMIC_REDUCE: every item is a
 * scalar with a built-in operator), returning 2 makes each thread combine
 * with atomic operations, which private mode sends to the host's one copy
 * of each word: the shared variables become merge words registered by the
 * compiler's own code, with its operator (an add, an and, a min's
 * compare-exchange loop), combined without a lock and written to memory at
 * the next barrier or join. Anything clang cannot do atomically it puts in
 * a critical section there, which moves memory like any lock. */
static int reduce_begin(ident_t *loc, thread_t *th, kmp_critical_name *lck) {
    if (faasmp_private && loc && (loc->flags & KMP_IDENT_ATOMIC_REDUCE)) {
        th->m.red_atomic = 1;
        return 2;
    }
    th->m.red_atomic = 0;
    faasmp_lock((_Atomic int32_t *)lck);
    return 1;
}

int32_t __kmpc_reduce_nowait(ident_t *loc, int32_t gtid, int32_t nvars, size_t size, void *data,
                             void (*func)(void *, void *), kmp_critical_name *lck) {
    thread_t *th = faasmp_th(gtid);
    if (th->m.team->nthreads == 1) return 1;
    return reduce_begin(loc, th, lck);
}

void __kmpc_end_reduce_nowait(ident_t *loc, int32_t gtid, kmp_critical_name *lck) {
    thread_t *th = faasmp_th(gtid);
    if (th->m.team->nthreads == 1 || th->m.red_atomic) return;
    faasmp_unlock((_Atomic int32_t *)lck);
}

int32_t __kmpc_reduce(ident_t *loc, int32_t gtid, int32_t nvars, size_t size, void *data,
                      void (*func)(void *, void *), kmp_critical_name *lck) {
    return __kmpc_reduce_nowait(loc, gtid, nvars, size, data, func, lck);
}

void __kmpc_end_reduce(ident_t *loc, int32_t gtid, kmp_critical_name *lck) {
    thread_t *th = faasmp_th(gtid);
    if (th->m.team->nthreads == 1) return;
    if (!th->m.red_atomic) faasmp_unlock((_Atomic int32_t *)lck);
    faasmp_barrier(th->m.team);
}

/* ---- omp locks ---- */

void omp_init_lock(omp_lock_t *l) { l->_lk = 0; l->_pad = 0; }
void omp_init_lock_with_hint(omp_lock_t *l, omp_sync_hint_t h) { omp_init_lock(l); }
void omp_destroy_lock(omp_lock_t *l) {}
void omp_set_lock(omp_lock_t *l) { faasmp_lock((_Atomic int32_t *)&l->_lk); }
void omp_unset_lock(omp_lock_t *l) { faasmp_unlock((_Atomic int32_t *)&l->_lk); }
int omp_test_lock(omp_lock_t *l) { return faasmp_trylock((_Atomic int32_t *)&l->_lk); }

void omp_init_nest_lock(omp_nest_lock_t *l) { memset(l, 0, sizeof *l); }
void omp_init_nest_lock_with_hint(omp_nest_lock_t *l, omp_sync_hint_t h) { omp_init_nest_lock(l); }
void omp_destroy_nest_lock(omp_nest_lock_t *l) {}
void omp_set_nest_lock(omp_nest_lock_t *l) {
    int me = faasmp_self()->gtid + 1;
    if (atomic_load((_Atomic int32_t *)&l->_owner) == me) {
        l->_count++;
        return;
    }
    faasmp_lock((_Atomic int32_t *)&l->_lk);
    atomic_store((_Atomic int32_t *)&l->_owner, me);
    l->_count = 1;
}
void omp_unset_nest_lock(omp_nest_lock_t *l) {
    if (--l->_count == 0) {
        atomic_store((_Atomic int32_t *)&l->_owner, 0);
        faasmp_unlock((_Atomic int32_t *)&l->_lk);
    }
}
int omp_test_nest_lock(omp_nest_lock_t *l) {
    int me = faasmp_self()->gtid + 1;
    if (atomic_load((_Atomic int32_t *)&l->_owner) == me) return ++l->_count;
    if (!faasmp_trylock((_Atomic int32_t *)&l->_lk)) return 0;
    atomic_store((_Atomic int32_t *)&l->_owner, me);
    l->_count = 1;
    return 1;
}

/* ---- threadprivate ---- */

typedef struct tp_ctor {
    void *data;
    void *(*ctor)(void *);
    void *(*cctor)(void *, void *);
    struct tp_ctor *next;
} tp_ctor_t;
static tp_ctor_t *tp_ctors;
static _Atomic int32_t tp_lock;

void __kmpc_threadprivate_register(ident_t *loc, void *data, void *(*ctor)(void *), void *(*cctor)(void *, void *),
                                   void (*dtor)(void *)) {
    tp_ctor_t *c = malloc(sizeof *c);
    c->data = data;
    c->ctor = ctor;
    c->cctor = cctor;
    faasmp_lock(&tp_lock);
    c->next = tp_ctors;
    tp_ctors = c;
    faasmp_unlock(&tp_lock);
}

/* *cache is an array of FAASMP_MAX_THREADS+1 pointers: each thread's copy,
 * then the data's first-touch image that new copies start from. */
void *__kmpc_threadprivate_cached(ident_t *loc, int32_t gtid, void *data, size_t size, void ***cache) {
    if (gtid <= 0) return data;
    void **arr = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!arr) {
        faasmp_lock(&tp_lock);
        arr = *cache;
        if (!arr) {
            arr = calloc(FAASMP_MAX_THREADS + 1, sizeof(void *));
            void *img = malloc(size ? size : 1);
            memcpy(img, data, size);
            arr[FAASMP_MAX_THREADS] = img;
            __atomic_store_n(cache, arr, __ATOMIC_RELEASE);
        }
        faasmp_unlock(&tp_lock);
    }
    if (!arr[gtid]) {
        void *p = malloc(size ? size : 1);
        tp_ctor_t *c;
        faasmp_lock(&tp_lock);
        for (c = tp_ctors; c && c->data != data; c = c->next) {}
        faasmp_unlock(&tp_lock);
        if (c && c->ctor) c->ctor(p);
        else if (c && c->cctor) c->cctor(p, data);
        else memcpy(p, arr[FAASMP_MAX_THREADS], size);
        arr[gtid] = p;
    }
    return arr[gtid];
}

void *__kmpc_threadprivate(ident_t *loc, int32_t gtid, void *data, size_t size) {
    static void **cache;
    faasmp_unsupported("threadprivate without a cache (__kmpc_threadprivate)");
    return cache;
}

/* ---- generic atomics (long double, complex, structs) ---- */

static _Atomic int32_t atomic_lock;

void faasmp_atomic_load(size_t n, void *src, void *dst, int order) __asm__("__atomic_load");
void faasmp_atomic_load(size_t n, void *src, void *dst, int order) {
    faasmp_lock(&atomic_lock);
    memcpy(dst, src, n);
    faasmp_unlock(&atomic_lock);
}

void faasmp_atomic_store(size_t n, void *dst, void *src, int order) __asm__("__atomic_store");
void faasmp_atomic_store(size_t n, void *dst, void *src, int order) {
    faasmp_lock(&atomic_lock);
    memcpy(dst, src, n);
    faasmp_unlock(&atomic_lock);
}

void faasmp_atomic_exchange(size_t n, void *ptr, void *val, void *old, int order) __asm__("__atomic_exchange");
void faasmp_atomic_exchange(size_t n, void *ptr, void *val, void *old, int order) {
    faasmp_lock(&atomic_lock);
    memcpy(old, ptr, n);
    memcpy(ptr, val, n);
    faasmp_unlock(&atomic_lock);
}

_Bool faasmp_atomic_compare_exchange(size_t n, void *ptr, void *expected, void *desired, int s, int f) __asm__("__atomic_compare_exchange");
_Bool faasmp_atomic_compare_exchange(size_t n, void *ptr, void *expected, void *desired, int s, int f) {
    faasmp_lock(&atomic_lock);
    _Bool ok = memcmp(ptr, expected, n) == 0;
    if (ok) memcpy(ptr, desired, n);
    else memcpy(expected, ptr, n);
    faasmp_unlock(&atomic_lock);
    return ok;
}

/* libomp's __kmpc_atomic_* entry points for the types clang does not inline. */
#define ATOMIC_OP(NAME, T, EXPR)                                        \
    void __kmpc_atomic_##NAME(ident_t *loc, int32_t gtid, T *lhs, T rhs) { \
        faasmp_lock(&atomic_lock);                                      \
        *lhs = EXPR;                                                    \
        faasmp_unlock(&atomic_lock);                                    \
    }
ATOMIC_OP(float10_add, long double, *lhs + rhs)
ATOMIC_OP(float10_sub, long double, *lhs - rhs)
ATOMIC_OP(float10_mul, long double, *lhs * rhs)
ATOMIC_OP(float10_div, long double, *lhs / rhs)
ATOMIC_OP(float16_add, long double, *lhs + rhs)
ATOMIC_OP(float16_sub, long double, *lhs - rhs)
ATOMIC_OP(float16_mul, long double, *lhs * rhs)
ATOMIC_OP(float16_div, long double, *lhs / rhs)

void __kmpc_atomic_start(void) { faasmp_lock(&atomic_lock); }
void __kmpc_atomic_end(void) { faasmp_unlock(&atomic_lock); }
