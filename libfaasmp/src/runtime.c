/* libfaasmp runtime: threads, fork/join and barriers.
 *
 * Every OpenMP thread is its own Faaslet (wasm instance) on the team's
 * shared memory; the host starts one with faasmp.spawn the first time a team
 * needs it and it then lives in thread_main, parked on its `go`
 * word between parallel regions (the warm pool). A fork picks free threads,
 * hands each the team and bumps its `go`; a join counts arrivals. Waiting
 * spins on the word for a while and then blocks in the host (faasmp.wait);
 * wakers call faasmp.notify only when the sleepers count says someone
 * sleeps, so a fork/join of spinning threads never leaves the guest.
 *
 * Thread identity: wasm globals other than __stack_pointer are not per
 * instance and C globals live in the shared memory, so a thread finds its
 * descriptor from its stack: worker stacks are aligned blocks of
 * faasmp_stack_size bytes with the descriptor at the bottom, and the
 * initial thread is the one on the linker's stack. */
#include "faasmp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <faasm/host_faasm.h>

int faasmp_private, faasmp_ncpu = 1, faasmp_spin = 200000, faasmp_max_active_levels = 1;
int faasmp_thread_limit = FAASMP_MAX_THREADS - 1, faasmp_dyn_default;
int faasmp_nthreads_list[FAASMP_MAX_LEVELS], faasmp_nthreads_list_len;
int faasmp_threads_started;
static int host_max_threads = FAASMP_MAX_THREADS - 1;
static uint32_t faasmp_stack_size = 4u << 20;
_Atomic int32_t faasmp_team_pages;
thread_t *faasmp_threads[FAASMP_MAX_THREADS];
team_t faasmp_initial_team;
static thread_t initial_thread;
static thread_t *initial_threads[1] = {&initial_thread};
static _Atomic int32_t pool_lock;
static int nthreads_spawned = 1; /* gtids handed out, the initial thread's included */
static _Atomic int init_state;
/* Private mode: nonzero while this thread's team has other threads; the
 * atomic helpers then go to the host, otherwise they act on this thread's
 * own copy (it is alone, and the master copy gets it at the next fork). */
static int parallel_active;

extern char __stack_low, __stack_high;

_Noreturn void faasmp_fatal(const char *msg) {
    __faasm_fatal(msg, strlen(msg), 134);
    __builtin_unreachable();
}

void faasmp_unsupported(const char *construct) {
    char buf[256];
    snprintf(buf, sizeof buf, "OpenMP: %s is not supported by faasm's OpenMP runtime (libfaasmp)", construct);
    faasmp_fatal(buf);
}

static int env_int(const char *name, int dflt) {
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    return atoi(v);
}

static int env_bool(const char *name, int dflt) {
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "on")) return 1;
    if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "off")) return 0;
    return dflt;
}

void faasmp_parse_schedule(const char *v, int *kind, int *chunk); /* api.c */

static uint32_t parse_size(const char *v, uint32_t dflt) {
    if (!v || !*v) return dflt;
    char *end;
    unsigned long long n = strtoull(v, &end, 10);
    while (*end == ' ') end++;
    unsigned long long mult = 1024; /* OMP_STACKSIZE's default unit is K */
    switch (*end) {
    case 'B': case 'b': mult = 1; break;
    case 'K': case 'k': mult = 1024; break;
    case 'M': case 'm': mult = 1024 * 1024; break;
    case 'G': case 'g': mult = 1024 * 1024 * 1024; break;
    }
    n *= mult;
    if (n < 64 * 1024) n = 64 * 1024;
    if (n > (1u << 30)) n = 1u << 30;
    uint32_t p = 64 * 1024;
    while (p < n) p <<= 1;
    return p;
}

void faasmp_init(void) {
    if (atomic_load(&init_state) == 2) return;
    int expect = 0;
    if (!atomic_compare_exchange_strong(&init_state, &expect, 1)) {
        while (atomic_load(&init_state) != 2) {}
        return;
    }
    int32_t cfg[3] = {1, 0, FAASMP_MAX_THREADS - 1};
    __faasmp_config(cfg, 3);
    faasmp_ncpu = cfg[0] > 0 ? cfg[0] : 1;
    faasmp_private = cfg[1];
    if (cfg[2] > 0 && cfg[2] < host_max_threads) host_max_threads = cfg[2];

    /* OMP_NUM_THREADS: a comma list gives nthreads-var per nesting level. */
    const char *nt = getenv("OMP_NUM_THREADS");
    faasmp_nthreads_list[0] = faasmp_ncpu;
    faasmp_nthreads_list_len = 1;
    if (nt && *nt) {
        int n = 0;
        const char *p = nt;
        while (*p && n < FAASMP_MAX_LEVELS) {
            int v = atoi(p);
            if (v > 0) faasmp_nthreads_list[n++] = v;
            const char *c = strchr(p, ',');
            if (!c) break;
            p = c + 1;
        }
        if (n > 0) faasmp_nthreads_list_len = n;
    }
    /* thread-limit-var as the user sees it (libomp: INT_MAX unless set);
     * the threads actually started are also capped by the host. */
    faasmp_thread_limit = env_int("OMP_THREAD_LIMIT", INT_MAX);
    if (faasmp_thread_limit < 1) faasmp_thread_limit = 1;
    faasmp_dyn_default = env_bool("OMP_DYNAMIC", 0);
    /* libomp: nesting is off unless asked for, by OMP_MAX_ACTIVE_LEVELS,
     * OMP_NESTED=true or a list in OMP_NUM_THREADS. */
    int mal = faasmp_nthreads_list_len > 1 ? INT_MAX : 1;
    if (env_bool("OMP_NESTED", 0)) mal = INT_MAX;
    const char *nested = getenv("OMP_NESTED");
    if (nested && !env_bool("OMP_NESTED", 1)) mal = 1;
    faasmp_max_active_levels = env_int("OMP_MAX_ACTIVE_LEVELS", mal);
    if (faasmp_max_active_levels < 0) faasmp_max_active_levels = 0;
    faasmp_stack_size = parse_size(getenv("OMP_STACKSIZE"), 4u << 20);
    const char *wp = getenv("OMP_WAIT_POLICY");
    if (wp && !strcasecmp(wp, "passive")) faasmp_spin = 100;
    else if (wp && !strcasecmp(wp, "active")) faasmp_spin = 1 << 30;

    thread_t *th = &initial_thread;
    th->gtid = 0;
    th->icv.nthreads = faasmp_nthreads_list[0];
    th->icv.dyn = faasmp_dyn_default;
    th->icv.run_sched = omp_sched_static;
    th->icv.run_chunk = 0;
    faasmp_parse_schedule(getenv("OMP_SCHEDULE"), &th->icv.run_sched, &th->icv.run_chunk);
    team_t *t = &faasmp_initial_team;
    t->nthreads = 1;
    t->cap = 1;
    t->threads = initial_threads;
    t->master = th;
    th->m.team = t;
    faasmp_threads[0] = th;
    atomic_store(&init_state, 2);
}

thread_t *faasmp_self(void) {
    volatile char probe;
    uintptr_t sp = (uintptr_t)&probe;
    if (!faasmp_threads_started || (sp >= (uintptr_t)&__stack_low && sp < (uintptr_t)&__stack_high)) {
        faasmp_init();
        return &initial_thread;
    }
    return (thread_t *)(sp & ~(uintptr_t)(faasmp_stack_size - 1));
}

void faasmp_sync_memory(void) {
    int32_t pages = __faasmp_sync_memory();
    int32_t cur = atomic_load(&faasmp_team_pages);
    while (pages > cur && !atomic_compare_exchange_weak(&faasmp_team_pages, &cur, pages)) {}
}

/* Blocks while *word == val: spins, then sleeps in the host. */
void faasmp_wait_while(_Atomic int32_t *word, int32_t val, _Atomic int32_t *sleepers) {
    /* More threads than cores: a spinning thread takes the core the one it
     * waits for needs (wasm has no pause/yield), so block almost at once. */
    int spin = nthreads_spawned > faasmp_ncpu && faasmp_spin < (1 << 30) ? 64 : faasmp_spin;
    if (faasmp_private) spin = 0; /* every load is a host call there */
    for (int i = 0; i < spin; i++) {
        if (atomic_load_explicit(word, memory_order_acquire) != val) return;
    }
    if (spin == 64) {
        /* oversubscribed: let the thread we wait for run, as libomp's
         * sched_yield does, before paying for a sleep and a wake-up */
        for (int i = 0; i < 200; i++) {
            __faasmp_yield();
            if (atomic_load_explicit(word, memory_order_acquire) != val) return;
        }
    }
    atomic_fetch_add(sleepers, 1);
    while (atomic_load(word) == val) __faasmp_wait(word, val, -1);
    atomic_fetch_sub(sleepers, 1);
}

void faasmp_wake(_Atomic int32_t *word, _Atomic int32_t *sleepers) {
    if (atomic_load(sleepers) > 0) __faasmp_notify(word, -1);
}

void faasmp_barrier(team_t *t) {
    if (t->nthreads <= 1) return;
    if (faasmp_private) {
        if (t->merge) {
            __faasmp_barrier_private(t, t->nthreads);
            return;
        }
        /* A nested team: other teams run meanwhile, so the master copy must
         * not change. Every member releases its changes, counts in (the
         * counters are host atomics), and acquires the others'. */
        __faasmp_sync_private(3);
    }
    int32_t gen = atomic_load(&t->bar_gen);
    if (atomic_fetch_add(&t->bar_count, 1) == t->nthreads - 1) {
        atomic_store(&t->bar_count, 0);
        atomic_store(&t->bar_gen, gen + 1);
        faasmp_wake(&t->bar_gen, &t->bar_sleep);
    } else {
        faasmp_wait_while(&t->bar_gen, gen, &t->bar_sleep);
    }
    if (faasmp_private) __faasmp_sync_private(3);
    faasmp_mem_check();
}

static void invoke(kmpc_micro fn, int32_t gtid, int32_t tid, int argc, void **a) {
    int32_t g = gtid, bt = tid;
    int32_t *gp = &g, *bp = &bt;
#define g gp
#define b bp
    switch (argc) {
#include "invoke.inc"
    default:
        faasmp_unsupported("a parallel region capturing more than 32 variables");
    }
#undef g
#undef b
}

static void run_member(thread_t *th, team_t *t, int tid) {
    memset(&th->m, 0, sizeof th->m);
    th->m.team = t;
    th->m.tid = tid;
    th->icv = t->icv;
    invoke(t->fn, th->gtid, tid, t->argc, t->argv);
}

/* A thread's whole life; the host calls it through the function table. */
static void thread_main(int32_t gtid) {
    thread_t *th = faasmp_threads[gtid];
    int32_t seen = 0;
    for (;;) {
        faasmp_wait_while(&th->go, seen, &th->sleeping);
        seen = atomic_load(&th->go);
        if (faasmp_private) __faasmp_sync_private(1);
        faasmp_mem_check();
        team_t *t = th->next_team;
        run_member(th, t, th->next_tid);
        if (faasmp_private) __faasmp_sync_private(2);
        if (atomic_fetch_add(&t->join_count, 1) == t->nthreads - 2)
            faasmp_wake(&t->join_count, &t->join_sleep);
    }
}

/* Starts a new worker; called with pool_lock held. */
static thread_t *spawn_thread(void) {
    if (nthreads_spawned >= FAASMP_MAX_THREADS || nthreads_spawned > host_max_threads) return NULL;
    void *block = aligned_alloc(faasmp_stack_size, faasmp_stack_size);
    if (!block) return NULL;
    thread_t *th = block;
    memset(th, 0, sizeof *th);
    th->gtid = nthreads_spawned;
    faasmp_threads_started = 1;
    faasmp_threads[th->gtid] = th;
    uintptr_t top = ((uintptr_t)block + faasmp_stack_size) & ~(uintptr_t)15;
    if (__faasmp_spawn(th->gtid, (void *)top, (uint32_t)(uintptr_t)&thread_main) != 0) {
        faasmp_threads[th->gtid] = NULL;
        free(block);
        return NULL;
    }
    nthreads_spawned++;
    return th;
}

/* Counts the threads running a team now (the initial one always does);
 * called with pool_lock held. */
static int busy_threads(void) {
    int n = 0;
    for (int i = 0; i < nthreads_spawned; i++)
        if (faasmp_threads[i] && (i == 0 || atomic_load(&faasmp_threads[i]->busy))) n++;
    return n;
}

/* Claims up to want idle workers, spawning more as needed. A nested fork
 * passes limit, the most threads that may be busy at once, and gets no more
 * than fit under it. The count runs under pool_lock because it reads the
 * descriptors of threads another thread may be spawning: their blocks can
 * lie in memory that thread just grew, which this thread's view only covers
 * after the lock's memory check. */
static int acquire_workers(thread_t **out, int want, int limit) {
    int got = 0;
    faasmp_lock(&pool_lock);
    if (limit > 0) {
        int room = limit - busy_threads();
        if (want > room) want = room;
    }
    for (int i = 1; i < nthreads_spawned && got < want; i++) {
        thread_t *w = faasmp_threads[i];
        if (w && !atomic_load(&w->busy)) {
            atomic_store(&w->busy, 1);
            out[got++] = w;
        }
    }
    while (got < want) {
        thread_t *w = spawn_thread();
        if (!w) break;
        atomic_store(&w->busy, 1);
        out[got++] = w;
    }
    faasmp_unlock(&pool_lock);
    return got;
}

static team_t *team_for(thread_t *th, int level, int n) {
    team_t *t = level < FAASMP_MAX_LEVELS ? th->hot[level] : NULL;
    if (t && t->cap >= n) return t;
    if (t) {
        free(t->threads);
        free(t);
    }
    t = aligned_alloc(64, sizeof *t);
    if (!t) faasmp_fatal("OpenMP: out of memory creating a team");
    memset(t, 0, sizeof *t);
    t->cap = n < 8 ? 8 : n;
    t->threads = calloc(t->cap, sizeof *t->threads);
    if (level < FAASMP_MAX_LEVELS) th->hot[level] = t;
    return t;
}

/* Clears a team's counters and dispatch slots for a new region. Every wasm
 * atomic store is sequentially consistent (a store plus a full fence on
 * x86), and this runs on the fork's critical path, so shared mode clears
 * them with plain stores: nobody else touches the team until the `go` bump
 * (an atomic read-modify-write) publishes it, and its workers of the last
 * region are done with these words once they have counted into the join.
 * Private mode must keep the atomics: the host may hold these words'
 * authoritative values, which a plain store would not reach. */
static void reset_team(team_t *t) {
    if (faasmp_private) {
        atomic_store(&t->bar_count, 0);
        atomic_store(&t->join_count, 0);
        atomic_store(&t->single_last, 0);
        for (int j = 0; j < FAASMP_NDISP; j++) {
            disp_slot_t *s = &t->disp[j];
            atomic_store(&s->next, 0);
            atomic_store(&s->done, 0);
            atomic_store(&s->ord_next, 0);
            atomic_store(&s->ready_for, j == 0 ? FAASMP_NDISP : j);
        }
        return;
    }
    *(int32_t *)&t->bar_count = 0;
    *(int32_t *)&t->join_count = 0;
    *(uint32_t *)&t->single_last = 0;
    for (int j = 0; j < FAASMP_NDISP; j++) {
        disp_slot_t *s = &t->disp[j];
        *(int64_t *)&s->next = 0;
        *(int32_t *)&s->done = 0;
        *(int64_t *)&s->ord_next = 0;
        *(uint32_t *)&s->ready_for = j == 0 ? FAASMP_NDISP : j;
    }
}

static void fork_team(thread_t *th, int n, kmpc_micro fn, int argc, void **argv) {
    team_t *parent = th->m.team;
    int level = parent->level + 1;
    int active = parent->active_level;
    if (n > 1 && active >= faasmp_max_active_levels) n = 1;
    if (n > faasmp_thread_limit) n = faasmp_thread_limit;
    if (n > host_max_threads) n = host_max_threads;
    /* A nested team stays within the thread limit, counting the threads
     * other teams hold. */
    int limit = 0;
    if (parent != &faasmp_initial_team)
        limit = faasmp_thread_limit < host_max_threads ? faasmp_thread_limit : host_max_threads;
    thread_t *workers[FAASMP_MAX_THREADS];
    int was_active = parallel_active;
    if (faasmp_private && n > 1) parallel_active = 1;
    if (n > 1) n = 1 + acquire_workers(workers, n - 1, limit);

    team_t *t = team_for(th, level, n);
    t->nthreads = n;
    t->level = level;
    t->active_level = active + (n > 1);
    t->parent = parent;
    t->parent_tid = th->m.tid;
    t->master = th;
    t->fn = fn;
    t->argc = argc;
    t->argv = argv;
    /* Private mode merges into the master copy only while no other team
     * runs: at this team's fork, join and barriers when it is the only
     * active one. A nested team moves memory with releases and acquires. */
    t->merge = active == 0;
    t->icv = th->icv;
    if (level < faasmp_nthreads_list_len) t->icv.nthreads = faasmp_nthreads_list[level];
    reset_team(t);
    t->threads[0] = th;
    for (int i = 1; i < n; i++) {
        thread_t *w = workers[i - 1];
        t->threads[i] = w;
        w->next_team = t;
        w->next_tid = i;
    }
    if (faasmp_private && n > 1) __faasmp_sync_private(t->merge ? 0 : 3);
    for (int i = 1; i < n; i++) {
        thread_t *w = t->threads[i];
        atomic_fetch_add(&w->go, 1);
        faasmp_wake(&w->go, &w->sleeping);
    }

    member_t saved = th->m;
    icv_t saved_icv = th->icv;
    run_member(th, t, 0);

    if (n > 1) {
        for (;;) {
            int32_t c = atomic_load(&t->join_count);
            if (c == n - 1) break;
            faasmp_wait_while(&t->join_count, c, &t->join_sleep);
        }
        if (faasmp_private) {
            __faasmp_sync_private(t->merge ? 0 : 3);
            /* Hand the workers back through the pool lock, which their next
             * master takes: it must see this master's stores to their
             * descriptors (next_team) before making its own, or two
             * unordered Xor diffs of one word merge into garbage. */
            faasmp_lock(&pool_lock);
            for (int i = 1; i < n; i++) atomic_store(&t->threads[i]->busy, 0);
            faasmp_unlock(&pool_lock);
        } else {
            for (int i = 1; i < n; i++) atomic_store(&t->threads[i]->busy, 0);
        }
        faasmp_mem_check();
    }
    parallel_active = was_active;
    th->m = saved;
    th->icv = saved_icv;
}

void __kmpc_fork_call(ident_t *loc, int32_t argc, kmpc_micro fn, ...) {
    thread_t *th = faasmp_self();
    void *argv[argc > 0 ? argc : 1];
    va_list ap;
    va_start(ap, fn);
    for (int i = 0; i < argc; i++) argv[i] = va_arg(ap, void *);
    va_end(ap);
    int n = th->push_nthreads > 0 ? th->push_nthreads : th->icv.nthreads;
    th->push_nthreads = 0;
    fork_team(th, n, fn, argc, argv);
}

void __kmpc_fork_call_if(ident_t *loc, int32_t argc, kmpc_micro fn, int32_t cond, void *args) {
    thread_t *th = faasmp_self();
    void **argv = args;
    int n = th->push_nthreads > 0 ? th->push_nthreads : th->icv.nthreads;
    th->push_nthreads = 0;
    fork_team(th, cond ? n : 1, fn, argc, argv);
}

/* if(false): the region runs on a team of one, which still counts as a level. */
typedef struct serial_frame {
    member_t saved;
    icv_t saved_icv;
} serial_frame_t;

void __kmpc_serialized_parallel(ident_t *loc, int32_t gtid) {
    thread_t *th = faasmp_th(gtid);
    th->push_nthreads = 0;
    team_t *parent = th->m.team;
    team_t *t = malloc(sizeof *t + sizeof(serial_frame_t) + sizeof(thread_t *));
    if (!t) faasmp_fatal("OpenMP: out of memory");
    memset(t, 0, sizeof *t);
    serial_frame_t *f = (serial_frame_t *)(t + 1);
    f->saved = th->m;
    f->saved_icv = th->icv;
    t->threads = (thread_t **)(f + 1);
    t->threads[0] = th;
    t->nthreads = t->cap = 1;
    t->level = parent->level + 1;
    t->active_level = parent->active_level;
    t->parent = parent;
    t->parent_tid = th->m.tid;
    t->master = th;
    t->icv = th->icv;
    if (t->level < faasmp_nthreads_list_len) t->icv.nthreads = faasmp_nthreads_list[t->level];
    for (int j = 0; j < FAASMP_NDISP; j++) atomic_store(&t->disp[j].ready_for, j == 0 ? FAASMP_NDISP : j);
    memset(&th->m, 0, sizeof th->m);
    th->m.team = t;
    th->icv = t->icv;
}

void __kmpc_end_serialized_parallel(ident_t *loc, int32_t gtid) {
    thread_t *th = faasmp_th(gtid);
    team_t *t = th->m.team;
    serial_frame_t *f = (serial_frame_t *)(t + 1);
    th->m = f->saved;
    th->icv = f->saved_icv;
    free(t);
}

void __kmpc_push_num_threads(ident_t *loc, int32_t gtid, int32_t n) {
    faasmp_th(gtid)->push_nthreads = n;
}

void __kmpc_push_proc_bind(ident_t *loc, int32_t gtid, int32_t bind) {}

int32_t __kmpc_global_thread_num(ident_t *loc) { return faasmp_self()->gtid; }
int32_t __kmpc_global_num_threads(ident_t *loc) { return nthreads_spawned; }
int32_t __kmpc_bound_thread_num(ident_t *loc) { return faasmp_self()->m.tid; }
int32_t __kmpc_bound_num_threads(ident_t *loc) { return faasmp_self()->m.team->nthreads; }
int32_t __kmpc_in_parallel(ident_t *loc) { return faasmp_self()->m.team->active_level > 0; }
void __kmpc_begin(ident_t *loc, int32_t flags) { faasmp_init(); }
void __kmpc_end(ident_t *loc) {}
int32_t __kmpc_ok_to_fork(ident_t *loc) { return 1; }

void __kmpc_barrier(ident_t *loc, int32_t gtid) { faasmp_barrier(faasmp_th(gtid)->m.team); }
int32_t __kmpc_cancel_barrier(ident_t *loc, int32_t gtid) {
    faasmp_barrier(faasmp_th(gtid)->m.team);
    return 0;
}
int32_t __kmpc_cancel(ident_t *loc, int32_t gtid, int32_t kind) { return 0; }
int32_t __kmpc_cancellationpoint(ident_t *loc, int32_t gtid, int32_t kind) { return 0; }

/* Target offload and teams: the host is the only device and we do not run
 * teams regions; say so instead of computing something else. */
void __kmpc_fork_teams(ident_t *loc, int32_t argc, kmpc_micro fn, ...) { faasmp_unsupported("the teams construct (#pragma omp teams)"); }
void __kmpc_push_num_teams(ident_t *loc, int32_t gtid, int32_t nteams, int32_t nthreads) { faasmp_unsupported("the teams construct (num_teams)"); }
void __kmpc_push_num_teams_51(ident_t *loc, int32_t gtid, int32_t lb, int32_t ub, int32_t nthreads) { faasmp_unsupported("the teams construct (num_teams)"); }
int32_t __tgt_target_kernel(void *loc, int64_t dev, int32_t nteams, int32_t nthreads, void *fn, void *args) {
    faasmp_unsupported("target offload (#pragma omp target)");
    return 1;
}
void __tgt_register_lib(void *desc) {}
void __tgt_unregister_lib(void *desc) {}
void __tgt_register_requires(int64_t flags) {}
void __tgt_target_data_begin_mapper(void *loc, int64_t dev, int32_t n, void **bp, void **p, int64_t *s, int64_t *t, void **names, void **m) {
    faasmp_unsupported("target data mapping (#pragma omp target data / enter data)");
}
void __tgt_target_data_end_mapper(void *loc, int64_t dev, int32_t n, void **bp, void **p, int64_t *s, int64_t *t, void **names, void **m) {
    faasmp_unsupported("target data mapping (#pragma omp target data / exit data)");
}
void __tgt_target_data_update_mapper(void *loc, int64_t dev, int32_t n, void **bp, void **p, int64_t *s, int64_t *t, void **names, void **m) {
    faasmp_unsupported("target update (#pragma omp target update)");
}

/* Private memory mode: faasm run rewrites every atomic instruction of the
 * module into a call to one of these (runtime/omp/wasmrw finds them by
 * name), passing the instruction's offset and opcode. They must contain no
 * atomic instruction themselves. */
/* The initial thread outside any team is alone; workers never are (and
 * must not write shared pages before their first refresh, so they do not
 * keep a flag of their own). */
static inline int alone(void) {
    volatile char probe;
    uintptr_t sp = (uintptr_t)&probe;
    return !parallel_active && sp >= (uintptr_t)&__stack_low && sp < (uintptr_t)&__stack_high;
}

/* The helpers' own atomics are left alone by the rewriter. */
static uint64_t local_rmw(void *p, int op, uint64_t v) {
    int size, cls;
    static const int sizes[7] = {4, 8, 1, 2, 1, 2, 4};
    if (op <= 0x16) { size = sizes[op - 0x10]; cls = 0; }
    else if (op <= 0x1d) { size = sizes[op - 0x17]; cls = 1; }
    else { size = sizes[(op - 0x1e) % 7]; cls = 2 + (op - 0x1e) / 7; }
    uint64_t old = 0, nv;
    __builtin_memcpy(&old, p, size);
    switch (cls) {
    case 0: return old;
    case 2: nv = old + v; break;
    case 3: nv = old - v; break;
    case 4: nv = old & v; break;
    case 5: nv = old | v; break;
    case 6: nv = old ^ v; break;
    default: nv = v; break; /* store, exchange */
    }
    __builtin_memcpy(p, &nv, size);
    return old;
}

static uint64_t local_cas(void *p, int op, uint64_t expected, uint64_t repl) {
    static const int sizes[7] = {4, 8, 1, 2, 1, 2, 4};
    int size = sizes[(op - 0x1e) % 7];
    uint64_t old = 0, mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    __builtin_memcpy(&old, p, size);
    if (old == (expected & mask)) __builtin_memcpy(p, &repl, size);
    return old;
}

__attribute__((used, noinline)) int32_t __faasmp_a32(int32_t addr, int32_t val, int32_t off, int32_t op) {
    if (alone()) return (int32_t)local_rmw((void *)(uintptr_t)(uint32_t)(addr + off), op, (uint32_t)val);
    return (int32_t)__faasmp_atomic_private((void *)(uintptr_t)(uint32_t)(addr + off), op, (int64_t)(uint32_t)val);
}
__attribute__((used, noinline)) int64_t __faasmp_a64(int32_t addr, int64_t val, int32_t off, int32_t op) {
    if (alone()) return (int64_t)local_rmw((void *)(uintptr_t)(uint32_t)(addr + off), op, (uint64_t)val);
    return __faasmp_atomic_private((void *)(uintptr_t)(uint32_t)(addr + off), op, val);
}
__attribute__((used, noinline)) int32_t __faasmp_cas32(int32_t addr, int32_t expected, int32_t repl, int32_t off, int32_t op) {
    if (alone())
        return (int32_t)local_cas((void *)(uintptr_t)(uint32_t)(addr + off), op, (uint32_t)expected, (uint32_t)repl);
    return (int32_t)__faasmp_cmpxchg_private((void *)(uintptr_t)(uint32_t)(addr + off), op, (int64_t)(uint32_t)expected,
                                             (int64_t)(uint32_t)repl);
}
__attribute__((used, noinline)) int64_t __faasmp_cas64(int32_t addr, int64_t expected, int64_t repl, int32_t off, int32_t op) {
    if (alone()) return (int64_t)local_cas((void *)(uintptr_t)(uint32_t)(addr + off), op, (uint64_t)expected, (uint64_t)repl);
    return __faasmp_cmpxchg_private((void *)(uintptr_t)(uint32_t)(addr + off), op, expected, repl);
}
