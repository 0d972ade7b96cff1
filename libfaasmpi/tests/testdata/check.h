/* Shared helpers for the FaasMPI conformance programs.
 *
 * Every program prints deterministic lines (identical under OpenMPI and
 * faasm run) and checks its own results: a failed CHECK prints
 * "FAIL file:line: expr" on stdout and aborts the job with code 99, so a
 * failure is loud under both runtimes. Never print values that differ
 * between MPI implementations (handle values, error codes, sizes of
 * long/MPI_Aint/pointers, error strings, processor names). */
#ifndef FAASMPI_TESTS_CHECK_H
#define FAASMPI_TESTS_CHECK_H

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_CODE 99

#define CHECK(e)                                                            \
    do {                                                                    \
        if (!(e)) {                                                         \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #e);             \
            fflush(stdout);                                                 \
            MPI_Abort(MPI_COMM_WORLD, FAIL_CODE);                           \
        }                                                                   \
    } while (0)

/* CHECK_INT compares two integers and prints both on failure. */
#define CHECK_INT(got, want)                                                \
    do {                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);            \
        if (g_ != w_) {                                                     \
            printf("FAIL %s:%d: %s == %s (got %lld, want %lld)\n",          \
                   __FILE__, __LINE__, #got, #want, g_, w_);                \
            fflush(stdout);                                                 \
            MPI_Abort(MPI_COMM_WORLD, FAIL_CODE);                           \
        }                                                                   \
    } while (0)

/* MPI_OK checks that an MPI call returned MPI_SUCCESS. */
#define MPI_OK(call) CHECK_INT((call), MPI_SUCCESS)

/* CHECK_CLASS checks the error class of a return code. */
#define CHECK_CLASS(rc, cls)                                                \
    do {                                                                    \
        int c_ = -1;                                                        \
        MPI_Error_class((rc), &c_);                                         \
        if (c_ != (cls)) {                                                  \
            printf("FAIL %s:%d: class of %s is %s\n", __FILE__, __LINE__,   \
                   #rc, #cls);                                              \
            fflush(stdout);                                                 \
            MPI_Abort(MPI_COMM_WORLD, FAIL_CODE);                           \
        }                                                                   \
    } while (0)

static int rank, size;

static inline void setup(int *argc, char ***argv) {
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
}

/* say prints from rank 0 only. */
#define say(...)                                                            \
    do {                                                                    \
        if (rank == 0) {                                                    \
            printf(__VA_ARGS__);                                            \
            fflush(stdout);                                                 \
        }                                                                   \
    } while (0)

/* ordered prints one line per rank of comm, in rank order, from rank 0 of
 * comm (lines are gathered with MPI_Gather of fixed-size buffers). */
#define LINE_MAX_ 200
static inline void ordered(MPI_Comm comm, const char *line) {
    int r, n;
    MPI_Comm_rank(comm, &r);
    MPI_Comm_size(comm, &n);
    char buf[LINE_MAX_];
    memset(buf, 0, sizeof buf);
    snprintf(buf, sizeof buf, "%s", line);
    char *all = r == 0 ? malloc((size_t)n * LINE_MAX_) : NULL;
    MPI_Gather(buf, LINE_MAX_, MPI_CHAR, all, LINE_MAX_, MPI_CHAR, 0, comm);
    if (r == 0) {
        for (int i = 0; i < n; i++)
            printf("%s\n", all + (size_t)i * LINE_MAX_);
        fflush(stdout);
        free(all);
    }
}

static inline void finish(void) {
    MPI_Barrier(MPI_COMM_WORLD);
    say("done\n");
    MPI_Finalize();
}

#endif
