/* Worksharing: static loops computed locally, dynamic/guided loops from an
 * atomic counter in one of the team's dispatch slots, ordered, sections
 * (static loops to clang), single, master/masked, copyprivate. */
#include "faasmp.h"

#include <faasm/host_faasm.h>

enum {
    sch_static_chunked = 33, sch_static = 34, sch_dynamic_chunked = 35, sch_guided_chunked = 36,
    sch_runtime = 37, sch_auto = 38, sch_trapezoidal = 39, sch_static_greedy = 40,
    sch_static_balanced = 41, sch_guided_iterative = 42, sch_guided_analytical = 43,
    sch_static_steal = 44, sch_ord_lower = 64, sch_ord_upper = 96,
    sch_nomerge_lower = 160, sch_nomerge_upper = 192,
};

#define STATIC_INIT(NAME, T, UT, ST)                                                             \
    void NAME(ident_t *loc, int32_t gtid, int32_t schedtype, int32_t *plast, T *plower, T *pupper, \
              ST *pstride, ST incr, ST chunk) {                                                  \
        thread_t *th = faasmp_th(gtid);                                                          \
        int nth = th->m.team->nthreads, tid = th->m.tid;                                          \
        T lo = *plower, hi = *pupper;                                                            \
        if (incr > 0 ? hi < lo : hi > lo) { /* no iterations */                                  \
            if (plast) *plast = 0;                                                               \
            *pstride = incr;                                                                     \
            *plower = hi + incr; /* an empty range for this thread */                            \
            return;                                                                              \
        }                                                                                        \
        UT trip;                                                                                 \
        if (incr == 1) trip = (UT)(hi - lo) + 1;                                                 \
        else if (incr == -1) trip = (UT)(lo - hi) + 1;                                           \
        else if (incr > 0) trip = (UT)(hi - lo) / (UT)incr + 1;                                  \
        else trip = (UT)(lo - hi) / (UT)(-incr) + 1;                                             \
        if (nth == 1) {                                                                          \
            if (plast) *plast = 1;                                                               \
            *pstride = (ST)(trip * (UT)incr);                                                    \
            return;                                                                              \
        }                                                                                        \
        if (schedtype == sch_static_chunked) {                                                   \
            if (chunk < 1) chunk = 1;                                                            \
            ST span = chunk * incr;                                                              \
            *pstride = span * nth;                                                               \
            *plower = lo + span * tid;                                                           \
            *pupper = *plower + span - incr;                                                     \
            if (plast) *plast = (UT)tid == ((trip - 1) / (UT)chunk) % (UT)nth;                   \
            return;                                                                              \
        }                                                                                        \
        /* static, balanced: the first trip%nth threads get one more */                          \
        if (trip < (UT)nth) {                                                                    \
            if ((UT)tid < trip) *pupper = *plower = lo + (T)tid * incr;                          \
            else { *plower = hi + incr; *pupper = hi; }                                          \
            if (plast) *plast = (UT)tid == trip - 1;                                             \
        } else {                                                                                 \
            UT small = trip / (UT)nth, extras = trip % (UT)nth;                                  \
            UT first = (UT)tid * small + ((UT)tid < extras ? (UT)tid : extras);                   \
            UT cnt = small + ((UT)tid < extras);                                                 \
            *plower = lo + (T)(first * (UT)incr);                                                \
            *pupper = *plower + (T)((cnt - 1) * (UT)incr);                                       \
            if (plast) *plast = tid == nth - 1;                                                  \
        }                                                                                        \
        *pstride = (ST)(trip * (UT)incr);                                                        \
    }

STATIC_INIT(__kmpc_for_static_init_4, int32_t, uint32_t, int32_t)
STATIC_INIT(__kmpc_for_static_init_4u, uint32_t, uint32_t, int32_t)
STATIC_INIT(__kmpc_for_static_init_8, int64_t, uint64_t, int64_t)
STATIC_INIT(__kmpc_for_static_init_8u, uint64_t, uint64_t, int64_t)

void __kmpc_for_static_fini(ident_t *loc, int32_t gtid) {}

/* distribute on the host's single team is a plain static loop. */
void __kmpc_dist_for_static_init_4(ident_t *loc, int32_t gtid, int32_t sched, int32_t *plast, int32_t *pupperD,
                                   int32_t *plower, int32_t *pupper, int32_t *pstride, int32_t incr, int32_t chunk) {
    faasmp_unsupported("distribute parallel for (teams)");
}

/* ---- dispatched loops ---- */

static void dispatch_init(thread_t *th, int sched, int64_t lb, int64_t st, uint64_t trip, int64_t chunk) {
    team_t *t = th->m.team;
    member_t *m = &th->m;
    uint32_t idx = ++m->disp_idx;
    disp_slot_t *s = &t->disp[idx % FAASMP_NDISP];
    /* Wait until the slot's previous loop is finished by everyone. */
    while (atomic_load(&s->ready_for) != idx) {
        int32_t gen = atomic_load(&s->ord_gen);
        if (atomic_load(&s->ready_for) == idx) break;
        faasmp_wait_while(&s->ord_gen, gen, &s->ord_sleep);
    }
    sched &= ~((1 << 29) | (1 << 30)); /* monotonic / nonmonotonic modifiers */
    m->ordered = 0;
    if (sched >= sch_nomerge_lower && sched < sch_nomerge_upper) sched -= sch_nomerge_lower - 32;
    if (sched >= sch_ord_lower && sched < sch_ord_upper) {
        m->ordered = 1;
        sched -= 32;
    }
    if (sched == sch_runtime) {
        int k = th->icv.run_sched & 0x7fffffff;
        chunk = th->icv.run_chunk;
        sched = k == omp_sched_dynamic ? sch_dynamic_chunked
              : k == omp_sched_guided  ? sch_guided_chunked
              : chunk > 0              ? sch_static_chunked
                                       : sch_static;
    }
    int kind;
    switch (sched) {
    case sch_dynamic_chunked: kind = 2; break;
    case sch_guided_chunked: case sch_guided_iterative: case sch_guided_analytical: case sch_trapezoidal: kind = 3; break;
    case sch_static_chunked: kind = 1; break;
    default: kind = 1; chunk = 0; break; /* static, auto, balanced, greedy, steal */
    }
    int nth = t->nthreads;
    if (chunk < 1) chunk = kind == 1 ? (int64_t)((trip + nth - 1) / nth) : 1;
    if (chunk < 1) chunk = 1;
    m->slot = s;
    m->sched = kind;
    m->lb = lb;
    m->st = st;
    m->trip = trip;
    m->chunk = (uint64_t)chunk;
    m->k = 0;
}

static void dispatch_done(thread_t *th) {
    team_t *t = th->m.team;
    disp_slot_t *s = th->m.slot;
    if (!s) return;
    th->m.slot = 0;
    if (atomic_fetch_add(&s->done, 1) == t->nthreads - 1) {
        atomic_store(&s->next, 0);
        atomic_store(&s->done, 0);
        atomic_store(&s->ord_next, 0);
        atomic_fetch_add(&s->ready_for, FAASMP_NDISP);
        atomic_fetch_add(&s->ord_gen, 1);
        faasmp_wake(&s->ord_gen, &s->ord_sleep);
    }
}

/* Next chunk [*lo, *hi] in iteration numbers; 0 when the loop is done. */
static int dispatch_next(thread_t *th, uint64_t *plo, uint64_t *phi) {
    member_t *m = &th->m;
    disp_slot_t *s = m->slot;
    if (!s) return 0;
    uint64_t trip = m->trip, lo;
    uint64_t size = m->chunk;
    int nth = m->team->nthreads;
    if (m->sched == 1) {
        lo = ((uint64_t)m->tid + m->k * (uint64_t)nth) * size;
        m->k++;
        if (lo >= trip) goto done;
    } else if (m->sched == 2) {
        lo = (uint64_t)atomic_fetch_add(&s->next, (int64_t)size);
        if (lo >= trip) goto done;
    } else {
        int64_t cur = atomic_load(&s->next);
        for (;;) {
            if ((uint64_t)cur >= trip) goto done;
            uint64_t rem = trip - (uint64_t)cur;
            size = (rem + 2 * nth - 1) / (2 * (uint64_t)nth);
            if (size < m->chunk) size = m->chunk;
            if (size > rem) size = rem;
            if (atomic_compare_exchange_weak(&s->next, &cur, cur + (int64_t)size)) break;
        }
        lo = (uint64_t)cur;
    }
    uint64_t hi = lo + size - 1;
    if (hi >= trip) hi = trip - 1;
    *plo = lo;
    *phi = hi;
    m->ord_iter = (int64_t)lo;
    return 1;
done:
    dispatch_done(th);
    return 0;
}

#define DISPATCH(SUF, T, UT, ST)                                                                     \
    void __kmpc_dispatch_init_##SUF(ident_t *loc, int32_t gtid, int32_t sched, T lb, T ub, ST st, ST chunk) { \
        thread_t *th = faasmp_th(gtid);                                                              \
        uint64_t trip;                                                                               \
        if (st > 0 ? ub < lb : ub > lb) trip = 0;                                                    \
        else if (st > 0) trip = (uint64_t)((UT)(ub - lb) / (UT)st) + 1;                               \
        else trip = (uint64_t)((UT)(lb - ub) / (UT)(-st)) + 1;                                        \
        dispatch_init(th, sched, (int64_t)lb, (int64_t)st, trip, (int64_t)chunk);                     \
    }                                                                                                \
    int32_t __kmpc_dispatch_next_##SUF(ident_t *loc, int32_t gtid, int32_t *plast, T *plb, T *pub, ST *pst) { \
        thread_t *th = faasmp_th(gtid);                                                              \
        uint64_t lo, hi;                                                                             \
        if (!dispatch_next(th, &lo, &hi)) return 0;                                                  \
        *plb = (T)((UT)th->m.lb + (UT)lo * (UT)th->m.st);                                            \
        *pub = (T)((UT)th->m.lb + (UT)hi * (UT)th->m.st);                                            \
        if (pst) *pst = (ST)th->m.st;                                                                \
        if (plast) *plast = hi == th->m.trip - 1;                                                    \
        return 1;                                                                                    \
    }                                                                                                \
    void __kmpc_dispatch_fini_##SUF(ident_t *loc, int32_t gtid) { faasmp_ordered_next(faasmp_th(gtid)); }

/* ---- ordered ---- */

static disp_slot_t *ordered_slot(thread_t *th) {
    return th->m.slot;
}

void __kmpc_ordered(ident_t *loc, int32_t gtid) {
    thread_t *th = faasmp_th(gtid);
    disp_slot_t *s = ordered_slot(th);
    if (!s || th->m.team->nthreads == 1) return;
    if (faasmp_private) {
        /* the iteration order is enforced with the ordered counter read
         * through the host lock (diffs move with it) */
        for (;;) {
            __faasmp_lock_private(s);
            if (atomic_load(&s->ord_next) == th->m.ord_iter) return; /* held until end_ordered */
            __faasmp_unlock_private(s);
            __faasmp_wait(&s->ord_gen, atomic_load(&s->ord_gen), 100000);
        }
    }
    for (;;) {
        int32_t gen = atomic_load(&s->ord_gen);
        if (atomic_load(&s->ord_next) == th->m.ord_iter) break;
        faasmp_wait_while(&s->ord_gen, gen, &s->ord_sleep);
    }
    faasmp_mem_check();
}

void __kmpc_end_ordered(ident_t *loc, int32_t gtid) {
    thread_t *th = faasmp_th(gtid);
    disp_slot_t *s = ordered_slot(th);
    if (!s || th->m.team->nthreads == 1) return;
    if (faasmp_private) {
        atomic_store(&s->ord_next, th->m.ord_iter + 1);
        th->m.ordered = 2; /* dispatch_fini must not advance again */
        __faasmp_unlock_private(s);
        return;
    }
}

void faasmp_ordered_next(thread_t *th) {
    disp_slot_t *s = th->m.slot;
    if (!s) return;
    if (th->m.team->nthreads > 1 && !faasmp_private) {
        for (;;) {
            int32_t gen = atomic_load(&s->ord_gen);
            if (atomic_load(&s->ord_next) == th->m.ord_iter) break;
            faasmp_wait_while(&s->ord_gen, gen, &s->ord_sleep);
        }
        atomic_store(&s->ord_next, th->m.ord_iter + 1);
        atomic_fetch_add(&s->ord_gen, 1);
        faasmp_wake(&s->ord_gen, &s->ord_sleep);
    } else if (th->m.team->nthreads > 1) {
        if (th->m.ordered != 2) {
            __kmpc_ordered(0, th->gtid);
            __kmpc_end_ordered(0, th->gtid);
        }
        th->m.ordered = 1;
    }
    th->m.ord_iter++;
}

DISPATCH(4, int32_t, uint32_t, int32_t)
DISPATCH(4u, uint32_t, uint32_t, int32_t)
DISPATCH(8, int64_t, uint64_t, int64_t)
DISPATCH(8u, uint64_t, uint64_t, int64_t)

void __kmpc_dispatch_deinit(ident_t *loc, int32_t gtid) {}

/* ---- single, master, masked, copyprivate ---- */

int32_t __kmpc_single(ident_t *loc, int32_t gtid) {
    thread_t *th = faasmp_th(gtid);
    team_t *t = th->m.team;
    uint32_t n = ++th->m.nsingle;
    if (t->nthreads == 1) return 1;
    uint32_t expect = n - 1;
    return atomic_compare_exchange_strong(&t->single_last, &expect, n);
}

void __kmpc_end_single(ident_t *loc, int32_t gtid) {}

int32_t __kmpc_master(ident_t *loc, int32_t gtid) { return faasmp_th(gtid)->m.tid == 0; }
void __kmpc_end_master(ident_t *loc, int32_t gtid) {}
int32_t __kmpc_masked(ident_t *loc, int32_t gtid, int32_t filter) { return faasmp_th(gtid)->m.tid == filter; }
void __kmpc_end_masked(ident_t *loc, int32_t gtid) {}

void __kmpc_copyprivate(ident_t *loc, int32_t gtid, size_t size, void *data, void (*cpy)(void *, void *), int32_t didit) {
    thread_t *th = faasmp_th(gtid);
    team_t *t = th->m.team;
    if (t->nthreads == 1) return;
    if (didit) t->cpy_data = data;
    faasmp_barrier(t);
    if (!didit) cpy(data, t->cpy_data);
    faasmp_barrier(t);
}
