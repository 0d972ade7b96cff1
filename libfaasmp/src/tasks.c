/* Tasks. A task runs when it is created, on the encountering thread
 * (an "included" task in OpenMP terms, which every task may be): that
 * satisfies depend clauses, taskwait, taskgroup and if(0) trivially and
 * keeps every result right; tasks do not yet spread over the team's
 * threads (see RATIONALE.md). */
#include "faasmp.h"

#include <stdlib.h>
#include <string.h>

typedef int32_t (*kmp_routine)(int32_t, void *);

typedef struct kmp_task {
    void *shareds;
    kmp_routine routine;
    int32_t part_id;
    kmp_routine destructors; /* data1 */
    int32_t priority;        /* data2 */
} kmp_task_t;

typedef struct task_hdr {
    size_t total;  /* bytes from the kmp_task_t on */
    int32_t flags;
    int32_t pad;
    int32_t running; /* the routine is on the stack (see task_run) */
    uint64_t align;
} task_hdr_t;

#define HDR(t) ((task_hdr_t *)(t) - 1)
#define TASK_DESTRUCTORS 8

kmp_task_t *__kmpc_omp_task_alloc(ident_t *loc, int32_t gtid, int32_t flags, size_t sizeof_task, size_t sizeof_shareds,
                                  kmp_routine entry) {
    size_t ts = (sizeof_task + 15) & ~(size_t)15;
    task_hdr_t *h = malloc(sizeof *h + ts + sizeof_shareds);
    if (!h) faasmp_fatal("OpenMP: out of memory allocating a task");
    memset(h, 0, sizeof *h + ts);
    h->total = ts + sizeof_shareds;
    h->flags = flags;
    kmp_task_t *t = (kmp_task_t *)(h + 1);
    t->shareds = sizeof_shareds ? (char *)t + ts : NULL;
    t->routine = entry;
    return t;
}

kmp_task_t *__kmpc_omp_target_task_alloc(ident_t *loc, int32_t gtid, int32_t flags, size_t sizeof_task,
                                         size_t sizeof_shareds, kmp_routine entry, int64_t device) {
    return __kmpc_omp_task_alloc(loc, gtid, flags, sizeof_task, sizeof_shareds, entry);
}

static void task_run(int32_t gtid, kmp_task_t *t) {
    /* An untied task at a scheduling point (taskyield, taskwait) hands its
     * own descriptor back to __kmpc_omp_task, with part_id advanced, to have
     * the rest of its body scheduled, and then returns. Run that rest now;
     * the outer call still owns the descriptor and frees it once. */
    if (HDR(t)->running) {
        t->routine(gtid, t);
        return;
    }
    HDR(t)->running = 1;
    thread_t *th = faasmp_th(gtid);
    int final = th->in_final;
    if (HDR(t)->flags & 2) th->in_final = 1;
    t->routine(gtid, t);
    th->in_final = final;
    if (HDR(t)->flags & TASK_DESTRUCTORS && t->destructors) t->destructors(gtid, t);
    free(HDR(t));
}

int32_t __kmpc_omp_task(ident_t *loc, int32_t gtid, kmp_task_t *t) {
    task_run(gtid, t);
    return 0;
}

int32_t __kmpc_omp_task_with_deps(ident_t *loc, int32_t gtid, kmp_task_t *t, int32_t ndeps, void *deps,
                                  int32_t ndeps_noalias, void *noalias) {
    task_run(gtid, t);
    return 0;
}

void __kmpc_omp_taskwait_deps_51(ident_t *loc, int32_t gtid, int32_t ndeps, void *deps, int32_t nna, void *na,
                                  int32_t has_nowait) {}
void __kmpc_omp_wait_deps(ident_t *loc, int32_t gtid, int32_t ndeps, void *deps, int32_t nna, void *na) {}

int32_t __kmpc_omp_task_parts(ident_t *loc, int32_t gtid, kmp_task_t *t) { return __kmpc_omp_task(loc, gtid, t); }

void __kmpc_omp_task_begin_if0(ident_t *loc, int32_t gtid, kmp_task_t *t) {
    thread_t *th = faasmp_th(gtid);
    HDR(t)->pad = th->in_final;
    if (HDR(t)->flags & 2) th->in_final = 1;
}

void __kmpc_omp_task_complete_if0(ident_t *loc, int32_t gtid, kmp_task_t *t) {
    faasmp_th(gtid)->in_final = HDR(t)->pad;
    free(HDR(t));
}

int32_t __kmpc_omp_taskwait(ident_t *loc, int32_t gtid) { return 0; }
int32_t __kmpc_omp_taskwait_51(ident_t *loc, int32_t gtid, int32_t nowait) { return 0; }
int32_t __kmpc_omp_taskyield(ident_t *loc, int32_t gtid, int end_part) { return 0; }
void __kmpc_taskgroup(ident_t *loc, int32_t gtid) {}
void __kmpc_end_taskgroup(ident_t *loc, int32_t gtid) {}
int32_t __kmpc_omp_has_task_team(int32_t gtid) { return 0; }

/* Task reductions: tasks run one at a time on their creator, so each may
 * combine straight into the original variable. */
void *__kmpc_taskred_init(int32_t gtid, int32_t num, void *data) { return data; }
void *__kmpc_taskred_modifier_init(ident_t *loc, int32_t gtid, int32_t is_ws, int32_t num, void *data) { return data; }
void *__kmpc_task_reduction_init(int32_t gtid, int32_t num, void *data) { return data; }
void *__kmpc_task_reduction_modifier_init(ident_t *loc, int32_t gtid, int32_t is_ws, int32_t num, void *data) { return data; }
void __kmpc_task_reduction_modifier_fini(ident_t *loc, int32_t gtid, int32_t is_ws) {}
void *__kmpc_task_reduction_get_th_data(int32_t gtid, void *tg, void *item) { return item; }

typedef void (*task_dup_t)(kmp_task_t *, kmp_task_t *, int32_t);

/* taskloop: the range is split into chunks as the grainsize/num_tasks
 * clauses say, and each chunk runs as its own task (a duplicate made with
 * the compiler's task_dup, so firstprivate and lastprivate are right). */
static void taskloop(int32_t gtid, kmp_task_t *t, int32_t if_val, uint64_t *lb, uint64_t *ub, int64_t st, int32_t sched,
                     uint64_t grain, void *dup) {
    int64_t lo = (int64_t)*lb, hi = (int64_t)*ub;
    uint64_t trip = 0;
    if (st > 0 ? hi >= lo : hi <= lo) trip = st > 0 ? (uint64_t)(hi - lo) / (uint64_t)st + 1 : (uint64_t)(lo - hi) / (uint64_t)(-st) + 1;
    size_t lboff = (char *)lb - (char *)t, uboff = (char *)ub - (char *)t;
    uint64_t ntasks, chunk;
    if (sched == 1 && grain > 0) {
        ntasks = trip / grain;
        if (ntasks == 0) ntasks = 1;
    } else if (sched == 2 && grain > 0) {
        ntasks = grain < trip ? grain : trip;
    } else {
        int nth = faasmp_th(gtid)->m.team->nthreads;
        ntasks = trip < (uint64_t)nth * 10 ? trip : (uint64_t)nth * 10;
    }
    if (ntasks == 0) ntasks = 1;
    chunk = trip / ntasks;
    uint64_t extra = trip % ntasks, done = 0;
    task_hdr_t *h = HDR(t);
    for (uint64_t i = 0; i < ntasks && done < trip; i++) {
        uint64_t n = chunk + (i < extra);
        if (n == 0) continue;
        task_hdr_t *nh = malloc(sizeof *nh + h->total);
        memcpy(nh, h, sizeof *nh + h->total);
        kmp_task_t *c = (kmp_task_t *)(nh + 1);
        if (t->shareds) c->shareds = (char *)c + ((char *)t->shareds - (char *)t);
        int last = done + n == trip;
        if (dup) ((task_dup_t)dup)(c, t, last);
        *(int64_t *)((char *)c + lboff) = lo + (int64_t)done * st;
        *(int64_t *)((char *)c + uboff) = lo + (int64_t)(done + n - 1) * st;
        task_run(gtid, c);
        done += n;
    }
    free(h);
}

void __kmpc_taskloop(ident_t *loc, int32_t gtid, kmp_task_t *t, int32_t if_val, uint64_t *lb, uint64_t *ub, int64_t st,
                     int32_t nogroup, int32_t sched, uint64_t grain, void *dup) {
    taskloop(gtid, t, if_val, lb, ub, st, sched, grain, dup);
}

void __kmpc_taskloop_5(ident_t *loc, int32_t gtid, kmp_task_t *t, int32_t if_val, uint64_t *lb, uint64_t *ub, int64_t st,
                       int32_t nogroup, int32_t sched, uint64_t grain, int32_t modifier, void *dup) {
    taskloop(gtid, t, if_val, lb, ub, st, sched, grain, dup);
}

/* Memory allocators (omp_alloc & co. and the allocate clause). */
void *__kmpc_alloc(int32_t gtid, size_t size, void *allocator) { return malloc(size); }
void *__kmpc_aligned_alloc(int32_t gtid, size_t align, size_t size, void *allocator) {
    return aligned_alloc(align < sizeof(void *) ? sizeof(void *) : align, (size + align - 1) / align * align);
}
void __kmpc_free(int32_t gtid, void *p, void *allocator) { free(p); }
void *omp_alloc(size_t size, void *allocator) { return malloc(size); }
void *omp_aligned_alloc(size_t align, size_t size, void *allocator) { return __kmpc_aligned_alloc(0, align, size, allocator); }
void *omp_calloc(size_t n, size_t size, void *allocator) { return calloc(n, size); }
void *omp_realloc(void *p, size_t size, void *a, void *b) { return realloc(p, size); }
void omp_free(void *p, void *allocator) { free(p); }
