/* random (MPI+OpenMP, RandomAccess): XOR updates at pseudo-random places
 * of a table of 2^logsize 64-bit words, distributed cyclically over the
 * ranks (word w lives on rank w % np) and shared by the threads of its
 * rank. Each rank runs <vector length> independent streams
 * (common/random.h), split in blocks over its threads. Every round each
 * thread draws one value per stream and buckets it by owning rank into the
 * rank's send buffer (each thread at its own offsets); the master thread
 * exchanges the buckets (MPI_Alltoall of counts, then MPI_Alltoallv; MPI
 * is called by the master thread only); then the threads share out the
 * received values and apply Table[v & (size-1)] ^= v without
 * synchronisation: two threads updating one word at once may lose an
 * update, which the specification allows.
 *
 * Usage: random <# threads> <log2 table size> <update ratio> <vector length>
 * update ratio * table size updates are made in all (the same updates as
 * the MPI kernel's at the same ranks and vector length). Validation replays
 * the same updates, which undoes every update that was not lost (XOR is
 * its own inverse), and counts the words with Table[w] != w: at most 1% of
 * the table may be wrong. Timed once; the reported "Avg time" is that of
 * the one timed pass. Rate: GUPs/s. */
#include <mpi.h>
#include "prk.h"
#include "random.h"

struct ra {
    uint64_t *table, tmask;
    long rounds, vlen, first;  /* first: this rank's first stream */
    uint64_t *ran, *sendbuf, *recvbuf;
    int *dest;                 /* per stream: the owning rank of its value */
    int *tcount;               /* per thread and rank: values bucketed */
    int *scount, *sdisp, *rcount, *rdisp;
    int nrecv;
};

static void run(struct ra *s) {
    int np = prk_np, nt = prk_nthreads;
#pragma omp parallel
    {
        prk_check_team();
        int me = omp_get_thread_num();
        long vlo = prk_block_lo(s->vlen, nt, me), vhi = vlo + prk_block_len(s->vlen, nt, me);
        int *cnt = s->tcount + (long)me * np;
        for (long v = vlo; v < vhi; v++) s->ran[v] = ra_starts((s->first + v) * s->rounds);
        for (long r = 0; r < s->rounds; r++) {
            for (int p = 0; p < np; p++) cnt[p] = 0;
            for (long v = vlo; v < vhi; v++) {
                s->ran[v] = ra_next(s->ran[v]);
                s->dest[v] = (int)((s->ran[v] & s->tmask) % (uint64_t)np);
                cnt[s->dest[v]]++;
            }
#pragma omp barrier
            /* Bucket p holds every thread's values for rank p, thread 0's
             * first: this thread's place in it follows the lower threads'. */
            int off[np];
            int base = 0;
            for (int p = 0; p < np; p++) {
                int total = 0;
                off[p] = base;
                for (int t = 0; t < nt; t++) {
                    if (t < me) off[p] += s->tcount[(long)t * np + p];
                    total += s->tcount[(long)t * np + p];
                }
                if (me == 0) { s->scount[p] = total; s->sdisp[p] = base; }
                base += total;
            }
            for (long v = vlo; v < vhi; v++) s->sendbuf[off[s->dest[v]]++] = s->ran[v];
#pragma omp barrier
#pragma omp master
            if (np > 1) {
                MPI_Alltoall(s->scount, 1, MPI_INT, s->rcount, 1, MPI_INT, MPI_COMM_WORLD);
                s->rdisp[0] = 0;
                for (int p = 1; p < np; p++) s->rdisp[p] = s->rdisp[p - 1] + s->rcount[p - 1];
                s->nrecv = s->rdisp[np - 1] + s->rcount[np - 1];
                MPI_Alltoallv(s->sendbuf, s->scount, s->sdisp, MPI_UINT64_T, s->recvbuf, s->rcount, s->rdisp,
                              MPI_UINT64_T, MPI_COMM_WORLD);
            } else {
                s->nrecv = s->scount[0];
            }
#pragma omp barrier
            const uint64_t *in = np > 1 ? s->recvbuf : s->sendbuf;
            long klo = prk_block_lo(s->nrecv, nt, me), khi = klo + prk_block_len(s->nrecv, nt, me);
            for (long k = klo; k < khi; k++) {
                uint64_t x = in[k];
                s->table[(x & s->tmask) / (uint64_t)np] ^= x;
            }
            /* The next round's first barrier keeps the buffers from being
             * refilled while another thread still reads them. */
        }
    }
}

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = PRK_THREADS_USAGE "<log2 table size> <update ratio> <vector length>";
    int a0 = prk_threads_arg(argc, argv, usage);
    long logsize = prk_arg(argc, argv, a0, "log2 table size", 1, 0, 1, usage);
    long ratio = prk_arg(argc, argv, a0 + 1, "update ratio", 1, 0, 1, usage);
    long vlen = prk_arg(argc, argv, a0 + 2, "vector length", 1, 0, 1, usage);
    prk_mpi_require(logsize <= 40, "log2 table size must be at most 40");
    prk_mpi_require(vlen * prk_np <= 0x7fffffffL, "vector length times ranks must fit an MPI count");
    uint64_t tsize = UINT64_C(1) << logsize, tmask = tsize - 1;
    uint64_t nupdate = (uint64_t)ratio * tsize;
    long rounds = (long)(nupdate / ((uint64_t)prk_np * (uint64_t)vlen));
    prk_mpi_require(rounds >= 1, "vector length times ranks exceeds the number of updates");
    nupdate = (uint64_t)rounds * (uint64_t)vlen * (uint64_t)prk_np;
    int np = prk_np, nt = prk_nthreads;

    uint64_t local = tsize / (uint64_t)np + ((uint64_t)prk_me < tsize % (uint64_t)np ? 1 : 0);
    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s Random Access test\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", np);
    prk_printf("Threads per rank     = %d\n", nt);
    prk_printf("Table size (words)   = %llu\n", (unsigned long long)tsize);
    prk_printf("Update ratio         = %ld\n", ratio);
    prk_printf("Vector length        = %ld\n", vlen);
    prk_printf("Number of updates    = %llu\n", (unsigned long long)nupdate);

    struct ra s = {.tmask = tmask, .rounds = rounds, .vlen = vlen, .first = (long)prk_me * vlen};
    s.table = prk_malloc(sizeof(uint64_t) * local);
    s.ran = prk_malloc(sizeof(uint64_t) * vlen);
    s.sendbuf = prk_malloc(sizeof(uint64_t) * vlen);
    s.recvbuf = prk_malloc(sizeof(uint64_t) * vlen * np);
    s.dest = prk_malloc(sizeof(int) * vlen);
    s.tcount = prk_malloc(sizeof(int) * nt * np);
    int *cnt = prk_malloc(sizeof(int) * 4 * np);
    s.scount = cnt; s.sdisp = cnt + np; s.rcount = cnt + 2 * np; s.rdisp = cnt + 3 * np;
#pragma omp parallel for schedule(static)
    for (uint64_t l = 0; l < local; l++) s.table[l] = l * (uint64_t)np + (uint64_t)prk_me;

    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = prk_wtime();
    run(&s);
    double elapsed = prk_max_time(prk_wtime() - t0);

    /* Replay: undoes every update that was not lost. */
    run(&s);
    long long errors = 0, gerrors = 0;
#pragma omp parallel for schedule(static) reduction(+ : errors)
    for (uint64_t l = 0; l < local; l++)
        if (s.table[l] != l * (uint64_t)np + (uint64_t)prk_me) errors++;
    MPI_Reduce(&errors, &gerrors, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        ok = ra_verdict((unsigned long long)gerrors, tsize);
        if (ok) {
            prk_report_rate("GUPs/s", 1.0e-9 * (double)nupdate / elapsed, elapsed);
        }
    }
    free(s.table); free(s.ran); free(s.sendbuf); free(s.recvbuf); free(s.dest); free(s.tcount); free(cnt);
    return prk_mpi_finish(ok);
}
