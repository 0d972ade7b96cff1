/* The omp_* API. */
#include "faasmp.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void faasmp_parse_schedule(const char *v, int *kind, int *chunk) {
    if (!v || !*v) return;
    int mono = 0;
    const char *colon = strchr(v, ':');
    if (colon) {
        if (!strncasecmp(v, "monotonic", 9)) mono = 1;
        v = colon + 1;
    }
    while (*v == ' ') v++;
    int k = 0;
    if (!strncasecmp(v, "static", 6)) k = omp_sched_static;
    else if (!strncasecmp(v, "dynamic", 7)) k = omp_sched_dynamic;
    else if (!strncasecmp(v, "guided", 6)) k = omp_sched_guided;
    else if (!strncasecmp(v, "auto", 4)) k = omp_sched_auto;
    if (!k) return;
    *kind = k | (mono ? (int)omp_sched_monotonic : 0);
    const char *comma = strchr(v, ',');
    *chunk = comma ? atoi(comma + 1) : 0;
    /* as omp_set_schedule: static keeps 0 (unchunked), the others 1 */
    if (*chunk < 1) *chunk = k == omp_sched_static ? 0 : 1;
    if (k == omp_sched_auto) *chunk = 1;
}

static thread_t *me(void) { return faasmp_self(); }

void omp_set_num_threads(int n) { if (n > 0) me()->icv.nthreads = n; }
int omp_get_num_threads(void) { return me()->m.team->nthreads; }
int omp_get_max_threads(void) { return me()->icv.nthreads; }
int omp_get_thread_num(void) { return me()->m.tid; }
int omp_get_num_procs(void) { faasmp_init(); return faasmp_ncpu; }
int omp_in_parallel(void) { return me()->m.team->active_level > 0; }
int omp_in_final(void) { return me()->in_final; }
void omp_set_dynamic(int d) { me()->icv.dyn = d != 0; }
int omp_get_dynamic(void) { return me()->icv.dyn; }
int omp_get_cancellation(void) { return 0; }
void omp_set_nested(int n) { faasmp_init(); faasmp_max_active_levels = n ? INT_MAX : 1; }
int omp_get_nested(void) { faasmp_init(); return faasmp_max_active_levels > 1; }
void omp_set_schedule(omp_sched_t kind, int chunk) {
    thread_t *th = me();
    th->icv.run_sched = kind;
    /* libomp: static keeps chunk 0 (unchunked), the others default to 1 */
    int k = kind & 0x7fffffff;
    th->icv.run_chunk = chunk >= 1 ? chunk : k == omp_sched_static ? 0 : 1;
    if (k == omp_sched_auto) th->icv.run_chunk = 1;
}
void omp_get_schedule(omp_sched_t *kind, int *chunk) {
    thread_t *th = me();
    *kind = (omp_sched_t)th->icv.run_sched;
    *chunk = th->icv.run_chunk;
}
int omp_get_thread_limit(void) { faasmp_init(); return faasmp_thread_limit; }
int omp_get_supported_active_levels(void) { return INT_MAX; }
void omp_set_max_active_levels(int n) {
    faasmp_init();
    if (n >= 0) faasmp_max_active_levels = n;
}
int omp_get_max_active_levels(void) { faasmp_init(); return faasmp_max_active_levels; }
int omp_get_level(void) { return me()->m.team->level; }
int omp_get_active_level(void) { return me()->m.team->active_level; }

int omp_get_ancestor_thread_num(int level) {
    thread_t *th = me();
    team_t *t = th->m.team;
    int tid = th->m.tid;
    if (level < 0 || level > t->level) return -1;
    while (t->level > level) {
        tid = t->parent_tid;
        t = t->parent;
    }
    return tid;
}

int omp_get_team_size(int level) {
    team_t *t = me()->m.team;
    if (level < 0 || level > t->level) return -1;
    while (t->level > level) t = t->parent;
    return t->nthreads;
}

omp_proc_bind_t omp_get_proc_bind(void) { return omp_proc_bind_false; }
int omp_get_num_places(void) { return 0; }
int omp_get_place_num_procs(int p) { return 0; }
void omp_get_place_proc_ids(int p, int *ids) {}
int omp_get_place_num(void) { return -1; }
int omp_get_partition_num_places(void) { return 0; }
void omp_get_partition_place_nums(int *p) {}
int omp_get_max_task_priority(void) { return 0; }
int omp_pause_resource(omp_pause_resource_t k, int dev) { return 0; }
int omp_pause_resource_all(omp_pause_resource_t k) { return 0; }

void omp_display_env(int verbose) {
    faasmp_init();
    thread_t *th = me();
    fprintf(stderr, "OPENMP DISPLAY ENVIRONMENT BEGIN\n  _OPENMP = '201811'\n  OMP_NUM_THREADS = '%d'\n"
                    "  OMP_DYNAMIC = '%s'\n  OMP_MAX_ACTIVE_LEVELS = '%d'\n  OMP_THREAD_LIMIT = '%d'\n"
                    "OPENMP DISPLAY ENVIRONMENT END\n",
            th->icv.nthreads, th->icv.dyn ? "TRUE" : "FALSE", faasmp_max_active_levels, faasmp_thread_limit);
}

void omp_set_default_device(int d) {}
int omp_get_default_device(void) { return 0; }
int omp_get_num_devices(void) { return 0; }
int omp_get_device_num(void) { return 0; }
int omp_get_num_teams(void) { return 1; }
int omp_get_team_num(void) { return 0; }
int omp_is_initial_device(void) { return 1; }
int omp_get_initial_device(void) { return 0; }

double omp_get_wtime(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
double omp_get_wtick(void) { return 1e-9; }

/* GNU-style kmp_* extensions some codes call. */
int kmp_get_blocktime(void) { return 0; }
void kmp_set_blocktime(int t) {}
void kmp_set_stacksize(int s) {}
