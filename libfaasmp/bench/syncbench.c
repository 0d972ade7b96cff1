/* EPCC-syncbench-style OpenMP overheads (after J. M. Bull's EPCC OpenMP
 * microbenchmarks): each construct runs `inner` times around a small delay;
 * its overhead is (test time - reference time) / inner, in microseconds.
 * Built natively (clang-19 -fopenmp, libomp) and with faasm-cc -fopenmp;
 * ci/omp_bench.sh runs both side by side and prints the ratios. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int delay_len = 50;
static volatile double sink;

static void delay(int n) {
    double a = 0;
    for (int i = 0; i < n; i++) a += i * 0.5;
    if (a < 0) sink = a;
}

#define OUTER 7

static double ref_time(int inner) {
    double t0 = omp_get_wtime();
    for (int j = 0; j < inner; j++) delay(delay_len);
    return omp_get_wtime() - t0;
}

typedef void (*test_fn)(int inner);

static void t_parallel(int inner) {
    for (int j = 0; j < inner; j++) {
#pragma omp parallel
        delay(delay_len);
    }
}

static void t_for(int inner) {
#pragma omp parallel
    {
        int n = omp_get_num_threads();
        for (int j = 0; j < inner; j++) {
#pragma omp for
            for (int i = 0; i < n; i++) delay(delay_len);
        }
    }
}

static void t_parallel_for(int inner) {
    int n = omp_get_max_threads();
    for (int j = 0; j < inner; j++) {
#pragma omp parallel for
        for (int i = 0; i < n; i++) delay(delay_len);
    }
}

static void t_barrier(int inner) {
#pragma omp parallel
    for (int j = 0; j < inner; j++) {
        delay(delay_len);
#pragma omp barrier
    }
}

static void t_single(int inner) {
#pragma omp parallel
    for (int j = 0; j < inner; j++) {
#pragma omp single
        delay(delay_len);
    }
}

static void t_critical(int inner) {
#pragma omp parallel
    {
        int n = omp_get_num_threads();
        for (int j = 0; j < inner / n; j++) {
#pragma omp critical
            delay(delay_len);
        }
    }
}

static omp_lock_t lock;
static void t_lock(int inner) {
#pragma omp parallel
    {
        int n = omp_get_num_threads();
        for (int j = 0; j < inner / n; j++) {
            omp_set_lock(&lock);
            delay(delay_len);
            omp_unset_lock(&lock);
        }
    }
}

static double atomic_acc;
static void t_atomic(int inner) {
#pragma omp parallel
    {
        int n = omp_get_num_threads();
        for (int j = 0; j < inner / n; j++) {
#pragma omp atomic
            atomic_acc += 1.0;
        }
    }
}

static void t_reduction(int inner) {
    int acc = 0;
    for (int j = 0; j < inner; j++) {
#pragma omp parallel reduction(+ : acc)
        {
            delay(delay_len);
            acc += 1;
        }
    }
    if (acc != inner * omp_get_max_threads()) {
        fprintf(stderr, "reduction gave %d, want %d\n", acc, inner * omp_get_max_threads());
        exit(1);
    }
}

static const struct {
    const char *name;
    test_fn fn;
    int serial_ref; /* reference: the delays one thread executes */
} tests[] = {
    {"parallel", t_parallel, 1}, {"for", t_for, 1},         {"parallel_for", t_parallel_for, 1},
    {"barrier", t_barrier, 1},   {"single", t_single, 1},   {"critical", t_critical, 0},
    {"lock", t_lock, 0},         {"atomic", t_atomic, 2},   {"reduction", t_reduction, 1},
};

int main(int argc, char **argv) {
    int inner = argc > 1 ? atoi(argv[1]) : 2000;
    omp_init_lock(&lock);
    int n = omp_get_max_threads();
    /* warm up the team */
    t_parallel(10);
    for (size_t k = 0; k < sizeof tests / sizeof tests[0]; k++) {
        if (argc > 2 && !strstr(argv[2], tests[k].name)) continue;
        double best = 1e30;
        for (int r = 0; r < OUTER; r++) {
            double ref;
            if (tests[k].serial_ref == 2) ref = 0; /* atomic: no delay */
            else if (tests[k].serial_ref) ref = ref_time(inner);
            else ref = ref_time(inner / n * n); /* critical/lock: all delays are serialised */
            double t0 = omp_get_wtime();
            tests[k].fn(inner);
            double t = omp_get_wtime() - t0;
            double ov = (t - ref) / (tests[k].serial_ref == 1 ? inner : (double)(inner / n * n)) * 1e6;
            if (ov < best) best = ov;
        }
        printf("%s %.3f\n", tests[k].name, best);
    }
    return 0;
}
