/* Shared helpers for the kernels: wall-clock timer, argument parsing,
 * allocation, reporting. Written for faasm-go from the Parallel Research
 * Kernels' published specifications; the same source builds natively and
 * with the faasm drop-in compilers.
 *
 * Define nothing: the flavour is taken from the compiler. A program that
 * includes <mpi.h> before this header gets MPI_Wtime as its timer (MPI and
 * hybrid kernels); otherwise an OpenMP build uses omp_get_wtime. */
#ifndef PRK_H
#define PRK_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define PRK_VERSION "faasm-go kernels 1.0"
/* The specification's tolerance for the floating-point checks. */
#define PRK_EPSILON 1.e-8

#if defined(MPI_VERSION)
#define PRK_FLAVOUR "MPI"
static inline double prk_wtime(void) { return MPI_Wtime(); }
#elif defined(_OPENMP)
#define PRK_FLAVOUR "OpenMP"
static inline double prk_wtime(void) { return omp_get_wtime(); }
#else
#error "build the kernels with an MPI compiler (mpicc, faasm-mpicc) or with -fopenmp"
#endif

#if defined(MPI_VERSION) && defined(_OPENMP)
#undef PRK_FLAVOUR
#define PRK_FLAVOUR "MPI+OpenMP"
#endif

/* Only rank 0 prints usage errors. */
static int prk_quiet = 0;

/* prk_arg parses argv[i] as an integer >= min, or prints the usage line and
 * exits 1. Missing optional arguments take def (pass min-1 for required). */
static inline long prk_arg(int argc, char **argv, int i, const char *name, long min, long def,
                    int required, const char *usage) {
    if (i >= argc) {
        if (!required) return def;
        if (!prk_quiet) fprintf(stderr, "Usage: %s %s\n", argv[0], usage);
        exit(1);
    }
    char *end;
    errno = 0;
    long v = strtol(argv[i], &end, 10);
    if (errno || *end || end == argv[i]) {
        if (!prk_quiet) fprintf(stderr, "ERROR: %s must be an integer, not \"%s\"\nUsage: %s %s\n", name, argv[i], argv[0], usage);
        exit(1);
    }
    if (v < min) {
        if (!prk_quiet) fprintf(stderr, "ERROR: %s must be >= %ld, not %ld\nUsage: %s %s\n", name, min, v, argv[0], usage);
        exit(1);
    }
    return v;
}

static inline void *prk_malloc(size_t bytes) {
    void *p = NULL;
    if (bytes == 0) bytes = 1;
    if (posix_memalign(&p, 64, bytes) != 0 || p == NULL) {
        fprintf(stderr, "ERROR: cannot allocate %zu bytes\n", bytes);
        exit(1);
    }
    return p;
}

/* Block distribution of n items over p owners: owner r gets [lo, lo+len). */
static inline long prk_block_lo(long n, int p, int r) { return (n / p) * r + (r < n % p ? r : n % p); }
static inline long prk_block_len(long n, int p, int r) { return n / p + (r < n % p ? 1 : 0); }

/* Factor p into px*py with px >= py and both as close as possible. */
static inline void prk_factor2(int p, int *px, int *py) {
    int y = (int)sqrt((double)p + 0.5);
    while (y > 1 && p % y) y--;
    *py = y;
    *px = p / y;
}

/* Threaded builds (OpenMP, hybrid) take the thread count as their first
 * argument, as the specification's OpenMP kernels do. prk_threads_arg
 * reads it, sets it, and returns the index of the next argument. */
#ifdef _OPENMP
#define PRK_THREADS_USAGE "<# threads> "
static int prk_nthreads = 1;
static inline int prk_threads_arg(int argc, char **argv, const char *usage) {
    prk_nthreads = (int)prk_arg(argc, argv, 1, "# threads", 1, 0, 1, usage);
    omp_set_num_threads(prk_nthreads);
    return 2;
}
/* Called inside a parallel region: the team must have the size asked for. */
static inline void prk_check_team(void) {
    if (omp_get_num_threads() != prk_nthreads) {
        fprintf(stderr, "ERROR: asked for %d threads, got %d\n", prk_nthreads, omp_get_num_threads());
        exit(1);
    }
}
#else
#define PRK_THREADS_USAGE ""
static inline int prk_threads_arg(int argc, char **argv, const char *usage) { (void)argc; (void)argv; (void)usage; return 1; }
#endif

#ifdef MPI_VERSION
static int prk_me = 0, prk_np = 1;
static inline void prk_mpi_init(int *argc, char ***argv) {
#ifdef _OPENMP
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
#else
    MPI_Init(argc, argv);
#endif
    MPI_Comm_rank(MPI_COMM_WORLD, &prk_me);
    MPI_Comm_size(MPI_COMM_WORLD, &prk_np);
    prk_quiet = prk_me != 0;
}
/* Every rank returns rank 0's verdict so that a failed validation gives a
 * non-zero exit status on every rank. */
static inline int prk_mpi_finish(int ok) {
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return ok ? 0 : 1;
}
/* Rank 0 prints, the others stay quiet. */
#define prk_printf(...) do { if (prk_me == 0) printf(__VA_ARGS__); } while (0)
/* Any rank that finds its parameters invalid makes them all exit 1. */
static inline void prk_mpi_require(int cond, const char *msg) {
    int ok = cond, all;
    MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (!all) {
        if (prk_me == 0) fprintf(stderr, "ERROR: %s\n", msg);
        MPI_Finalize();
        exit(1);
    }
}
/* The slowest rank's time. */
static inline double prk_max_time(double t) {
    double m;
    MPI_Allreduce(&t, &m, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return m;
}
#else
#define prk_printf(...) printf(__VA_ARGS__)
#endif

/* The report lines every kernel ends with. The time keeps nine decimals:
 * Synch_global's iterations take microseconds, which six would round to
 * one or two digits. */
static inline void prk_report_rate(const char *unit, double rate, double avgtime) {
    prk_printf("Solution validates\n");
    prk_printf("Rate (%s): %lf Avg time (s): %.9lf\n", unit, rate, avgtime);
}

#endif
