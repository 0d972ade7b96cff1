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

void *__wrap_malloc(size_t n) { heap_enter(); void *p = __real_malloc(n); heap_leave(); return p; }
void __wrap_free(void *p) { heap_enter(); __real_free(p); heap_leave(); }
void *__wrap_calloc(size_t n, size_t s) { heap_enter(); void *p = __real_calloc(n, s); heap_leave(); return p; }
void *__wrap_realloc(void *q, size_t n) { heap_enter(); void *p = __real_realloc(q, n); heap_leave(); return p; }
int __wrap_posix_memalign(void **pp, size_t a, size_t n) {
    heap_enter();
    int r = __real_posix_memalign(pp, a, n);
    heap_leave();
    return r;
}
void *__wrap_aligned_alloc(size_t a, size_t n) { heap_enter(); void *p = __real_aligned_alloc(a, n); heap_leave(); return p; }
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
