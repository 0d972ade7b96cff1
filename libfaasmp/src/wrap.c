/* Thread-safe allocation and stdio. Debian's wasi-libc is built
 * single-threaded: dlmalloc and stdio have no locks. faasm-cc -fopenmp links
 * with --wrap for these functions, so every call (from user code, libc++'s
 * operator new, or libc itself) goes through a recursive lock here.
 * The allocator also notices when it grew the memory and tells the host,
 * which publishes the new pages to the team. */
#include "faasmp.h"

#include <stdio.h>
#include <stdlib.h>

static _Atomic int32_t heap_lock;
static int32_t heap_owner = -1, heap_depth;

static void heap_enter(void) {
    if (!faasmp_threads_started) return;
    int32_t g = faasmp_self()->gtid;
    if (heap_owner == g) {
        heap_depth++;
        return;
    }
    faasmp_lock(&heap_lock);
    heap_owner = g;
    heap_depth = 1;
}

static void heap_leave(void) {
    if (!faasmp_threads_started || heap_owner < 0) return;
    int32_t pages = (int32_t)__builtin_wasm_memory_size(0);
    if (pages > atomic_load(&faasmp_team_pages)) faasmp_sync_memory();
    if (--heap_depth == 0) {
        heap_owner = -1;
        faasmp_unlock(&heap_lock);
    }
}

void *__real_malloc(size_t);
void __real_free(void *);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
int __real_posix_memalign(void **, size_t, size_t);
void *__real_aligned_alloc(size_t, size_t);
size_t __real_malloc_usable_size(void *);

/* Private mode: every heap lock hand-over collects the releasing thread's
 * changes (a scan of its dirty pages), so a thread allocating small blocks
 * one by one would pay that per malloc. Each thread keeps its own free
 * lists of small blocks instead: it takes MCACHE_BATCH blocks from dlmalloc
 * under one lock, frees into its lists, and returns blocks to dlmalloc in
 * batches when a list grows long. The blocks stay dlmalloc chunks, so
 * realloc and malloc_usable_size work on them, and a block may be freed by
 * any thread. Reading a chunk's size without the lock is safe there: a
 * replica sees no other thread's stores until a synchronisation. Shared
 * mode keeps the plain locked path. */
#define MCACHE_MAX_SIZE 4096

/* Size classes: 16..128 in steps of 16, then four per power of two. */
static size_t mcache_size(int c) {
    if (c < 8) return (size_t)(c + 1) << 4;
    int k = c - 8;                      /* 0.. : 160, 192, 224, 256, 320, ... */
    size_t base = (size_t)128 << (k / 4);
    return base + (base / 4) * (size_t)(k % 4 + 1);
}

/* The smallest class holding n bytes (n <= MCACHE_MAX_SIZE). */
static int mcache_class(size_t n) {
    if (n <= 128) return n ? (int)((n - 1) >> 4) : 0;
    int c = 8;
    while (mcache_size(c) < n) c++;
    return c;
}

static int mcache_batch(int c) {
    size_t b = 8192 / mcache_size(c);
    return b < 4 ? 4 : b > 32 ? 32 : (int)b;
}

static int mcache_on(void) { return faasmp_private && faasmp_threads_started; }

static void *mcache_alloc(size_t n) {
    thread_t *th = faasmp_self();
    int c = mcache_class(n);
    if (!th->mcache[c]) {
        heap_enter();
        for (int i = mcache_batch(c); i > 0; i--) {
            void *q = __real_malloc(mcache_size(c));
            if (!q) break;
            *(void **)q = th->mcache[c];
            th->mcache[c] = q;
            th->mcount[c]++;
        }
        heap_leave();
        if (!th->mcache[c]) return NULL;
    }
    void *p = th->mcache[c];
    th->mcache[c] = *(void **)p;
    th->mcount[c]--;
    return p;
}

/* Returns 1 when p went to this thread's lists. */
static int mcache_free(void *p) {
    size_t u = __real_malloc_usable_size(p);
    if (u < 16) return 0;
    int c = FAASMP_MCACHE_CLASSES - 1; /* the largest class the block can serve */
    while (c >= 0 && mcache_size(c) > u) c--;
    if (c < 0 || u > 2 * MCACHE_MAX_SIZE) return 0;
    thread_t *th = faasmp_self();
    *(void **)p = th->mcache[c];
    th->mcache[c] = p;
    int limit = 4 * mcache_batch(c);
    if (++th->mcount[c] > limit) {
        heap_enter();
        while (th->mcount[c] > limit - mcache_batch(c)) {
            void *q = th->mcache[c];
            th->mcache[c] = *(void **)q;
            th->mcount[c]--;
            __real_free(q);
        }
        heap_leave();
    }
    return 1;
}

void *__wrap_malloc(size_t n) {
    if (n <= MCACHE_MAX_SIZE && mcache_on()) return mcache_alloc(n);
    heap_enter();
    void *p = __real_malloc(n);
    heap_leave();
    return p;
}
void __wrap_free(void *p) {
    if (!p) return;
    if (mcache_on() && mcache_free(p)) return;
    heap_enter();
    __real_free(p);
    heap_leave();
}
void *__wrap_calloc(size_t n, size_t s) {
    if (mcache_on() && s && n <= MCACHE_MAX_SIZE / s) {
        void *p = mcache_alloc(n * s);
        if (p) __builtin_memset(p, 0, n * s);
        return p;
    }
    heap_enter();
    void *p = __real_calloc(n, s);
    heap_leave();
    return p;
}
void *__wrap_realloc(void *q, size_t n) {
    if (q && n && n <= MCACHE_MAX_SIZE && mcache_on()) {
        size_t u = __real_malloc_usable_size(q);
        if (n <= u) return q;
        void *p = mcache_alloc(n);
        if (!p) return NULL;
        __builtin_memcpy(p, q, u);
        __wrap_free(q);
        return p;
    }
    heap_enter();
    void *p = __real_realloc(q, n);
    heap_leave();
    return p;
}
/* Aligned requests up to FAASMP_MCACHE_ALIGN get blocks that dlmalloc
 * aligned that much, also taken in batches; freed, they join the plain
 * lists of their size. */
static void *mcache_aligned(size_t n) {
    thread_t *th = faasmp_self();
    int c = mcache_class(n);
    if (!th->mcache_al[c]) {
        heap_enter();
        for (int i = mcache_batch(c); i > 0; i--) {
            void *q = NULL;
            if (__real_posix_memalign(&q, FAASMP_MCACHE_ALIGN, mcache_size(c)) != 0 || !q) break;
            *(void **)q = th->mcache_al[c];
            th->mcache_al[c] = q;
        }
        heap_leave();
        if (!th->mcache_al[c]) return NULL;
    }
    void *p = th->mcache_al[c];
    th->mcache_al[c] = *(void **)p;
    return p;
}

static int mcache_aligned_ok(size_t a, size_t n) {
    return a && a <= FAASMP_MCACHE_ALIGN && (a & (a - 1)) == 0 && n && n <= MCACHE_MAX_SIZE && mcache_on();
}

int __wrap_posix_memalign(void **pp, size_t a, size_t n) {
    if (a >= sizeof(void *) && mcache_aligned_ok(a, n)) {
        void *p = mcache_aligned(n);
        if (!p) return 12; /* ENOMEM */
        *pp = p;
        return 0;
    }
    heap_enter();
    int r = __real_posix_memalign(pp, a, n);
    heap_leave();
    return r;
}
void *__wrap_aligned_alloc(size_t a, size_t n) {
    if (mcache_aligned_ok(a, n)) return mcache_aligned(n);
    heap_enter();
    void *p = __real_aligned_alloc(a, n);
    heap_leave();
    return p;
}
size_t __wrap_malloc_usable_size(void *p) { heap_enter(); size_t r = __real_malloc_usable_size(p); heap_leave(); return r; }

/* stdio: one recursive lock for every stream, as a stand-in for musl's
 * per-FILE locks that this libc was built without. */
static _Atomic int32_t io_lock;
static int32_t io_owner = -1, io_depth;

static void io_enter(void) {
    if (!faasmp_threads_started) return;
    int32_t g = faasmp_self()->gtid;
    if (io_owner == g) {
        io_depth++;
        return;
    }
    faasmp_lock(&io_lock);
    io_owner = g;
    io_depth = 1;
}

static void io_leave(void) {
    if (!faasmp_threads_started || io_owner < 0) return;
    if (--io_depth == 0) {
        io_owner = -1;
        faasmp_unlock(&io_lock);
    }
}

int __real_vfprintf(FILE *, const char *, va_list);
int __real_fputs(const char *, FILE *);
int __real_puts(const char *);
int __real_fputc(int, FILE *);
int __real_putc(int, FILE *);
int __real_putchar(int);
size_t __real_fwrite(const void *, size_t, size_t, FILE *);
int __real_fflush(FILE *);

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap) { io_enter(); int r = __real_vfprintf(f, fmt, ap); io_leave(); return r; }
int __wrap_fputs(const char *s, FILE *f) { io_enter(); int r = __real_fputs(s, f); io_leave(); return r; }
int __wrap_puts(const char *s) { io_enter(); int r = __real_puts(s); io_leave(); return r; }
int __wrap_fputc(int c, FILE *f) { io_enter(); int r = __real_fputc(c, f); io_leave(); return r; }
int __wrap_putc(int c, FILE *f) { io_enter(); int r = __real_putc(c, f); io_leave(); return r; }
int __wrap_putchar(int c) { io_enter(); int r = __real_putchar(c); io_leave(); return r; }
size_t __wrap_fwrite(const void *p, size_t s, size_t n, FILE *f) { io_enter(); size_t r = __real_fwrite(p, s, n, f); io_leave(); return r; }
int __wrap_fflush(FILE *f) { io_enter(); int r = __real_fflush(f); io_leave(); return r; }
