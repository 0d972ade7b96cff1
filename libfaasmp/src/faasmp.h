/* libfaasmp internals. See runtime.c for the design. */
#ifndef FAASMP_INTERNAL_H
#define FAASMP_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stddef.h>
#include <faasmp/omp.h>
#include <faasm/host_faasmp.h>

#define FAASMP_MAX_THREADS 256  /* gtids are < this */
#define FAASMP_MAX_LEVELS 16
#define FAASMP_NDISP 8          /* dispatch buffers: nowait loops in flight */
#define FAASMP_MCACHE_CLASSES 28 /* private mode: cached block sizes, 16..4096 bytes */
#define FAASMP_MCACHE_ALIGN 256  /* private mode: aligned requests served from the cache */
#define FAASMP_EXPORT(name) __attribute__((export_name(name)))

typedef struct ident {
    int32_t reserved_1;
    int32_t flags;      /* KMP_IDENT_* */
    int32_t reserved_2, reserved_3;
    const char *psource;
} ident_t;
#define KMP_IDENT_ATOMIC_REDUCE 0x10 /* clang generated the atomic reduction path */
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);
typedef int32_t kmp_critical_name[8];

typedef struct disp_slot {
    _Atomic int64_t next;     /* next iteration to hand out (dynamic/guided) */
    _Atomic int32_t done;     /* threads finished with this loop */
    _Atomic uint32_t ready_for; /* loop index this slot may serve */
    _Atomic int64_t ord_next; /* ordered: the iteration allowed next */
    _Atomic int32_t ord_gen;  /* futex word bumped when ord_next moves */
    _Atomic int32_t ord_sleep;
    int32_t pad;
} disp_slot_t;

typedef struct team team_t;

/* What a thread does as a member of one team; a master saves its outer
 * member state across the fork. */
typedef struct member {
    team_t *team;
    int tid;
    uint32_t nsingle;   /* single constructs met in this region */
    uint32_t disp_idx;  /* dispatched loops met in this region */
    /* the current dispatched loop */
    disp_slot_t *slot;
    int sched;          /* resolved: 1 static, 2 dynamic, 3 guided */
    int ordered;
    int64_t lb, st;
    uint64_t trip, chunk, k;
    int64_t ord_iter;
    int red_atomic;     /* the current reduction takes clang's atomic path */
} member_t;

typedef struct icv {
    int nthreads;        /* nthreads-var of the current level */
    int run_sched, run_chunk; /* run-sched-var */
    int dyn;
} icv_t;

typedef struct thread {
    int gtid;
    member_t m;
    icv_t icv;
    int push_nthreads;
    _Atomic int32_t go;       /* bumped by the master that hands us a team */
    _Atomic int32_t sleeping;
    _Atomic int32_t busy;     /* in some team besides the initial one */
    team_t *next_team;
    int next_tid;
    team_t *hot[FAASMP_MAX_LEVELS]; /* team structs this thread reuses as a master */
    int in_final;
    /* private mode: small blocks this thread may hand out without the heap
     * lock (wrap.c), a free list per size class */
    void *mcache[FAASMP_MCACHE_CLASSES];
    int32_t mcount[FAASMP_MCACHE_CLASSES];
    void *mcache_al[FAASMP_MCACHE_CLASSES]; /* blocks aligned to FAASMP_MCACHE_ALIGN */
} thread_t;

struct team {
    int nthreads, cap;
    int level, active_level;
    team_t *parent;
    int parent_tid;
    thread_t *master;
    kmpc_micro fn;
    int argc;
    void **argv;
    icv_t icv;                /* what members start with */
    int merge;                /* private mode: the only active team, its syncs merge */
    _Atomic int32_t bar_count, bar_gen, bar_sleep;
    _Atomic int32_t join_count, join_sleep;
    _Atomic uint32_t single_last;
    void *cpy_data;
    disp_slot_t disp[FAASMP_NDISP];
    thread_t **threads;
};

/* runtime.c */
extern int faasmp_private;    /* --omp-memory=private */
extern int faasmp_ncpu;
extern int faasmp_spin;       /* spins before blocking in the host */
extern int faasmp_max_active_levels;
extern int faasmp_thread_limit;
extern int faasmp_dyn_default;
extern int faasmp_nthreads_list[FAASMP_MAX_LEVELS];
extern int faasmp_nthreads_list_len;
extern int faasmp_threads_started;
extern _Atomic int32_t faasmp_team_pages;
extern thread_t *faasmp_threads[FAASMP_MAX_THREADS];
extern team_t faasmp_initial_team;

void faasmp_init(void);
thread_t *faasmp_self(void);
_Noreturn void faasmp_fatal(const char *msg);
void faasmp_unsupported(const char *construct);
void faasmp_sync_memory(void);
void faasmp_wait_while(_Atomic int32_t *word, int32_t val, _Atomic int32_t *sleepers);
void faasmp_wake(_Atomic int32_t *word, _Atomic int32_t *sleepers);
void faasmp_barrier(team_t *t);
void faasmp_ordered_next(thread_t *th);

static inline thread_t *faasmp_th(int32_t gtid) {
    if (gtid >= 0 && gtid < FAASMP_MAX_THREADS && faasmp_threads[gtid])
        return faasmp_threads[gtid];
    return faasmp_self();
}

static inline void faasmp_mem_check(void) {
    if ((int32_t)__builtin_wasm_memory_size(0) < atomic_load_explicit(&faasmp_team_pages, memory_order_relaxed))
        faasmp_sync_memory();
}

/* sync.c */
void faasmp_lock(_Atomic int32_t *l);
void faasmp_unlock(_Atomic int32_t *l);
int faasmp_trylock(_Atomic int32_t *l);

#endif
