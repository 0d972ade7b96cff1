/* random (RandomAccess): XOR updates at pseudo-random places of a table of
 * 2^logsize 64-bit words, distributed cyclically over the ranks (word w
 * lives on rank w % np). Each rank runs <vector length> independent streams
 * (common/random.h); every round it draws one value per stream, buckets the
 * values by owning rank, exchanges them (MPI_Alltoall of counts, then
 * MPI_Alltoallv) and applies Table[v & (size-1)] ^= v.
 *
 * Usage: random <log2 table size> <update ratio> <vector length>
 * update ratio * table size updates are made in all. Validation replays the
 * same updates, which undoes them (XOR is its own inverse), and counts the
 * words with Table[w] != w: the specification tolerates errors in at most
 * 1% of the table (exact here: no update is lost). Timed once; the reported
 * "Avg time" is that of the one timed pass. Rate: GUPs/s. */
#include <mpi.h>
#include "prk.h"
#include "random.h"

static void run(uint64_t *table, uint64_t tmask, long rounds, long vlen, long first, int *scount, int *sdisp,
                int *rcount, int *rdisp, uint64_t *ran, uint64_t *sendbuf, uint64_t *recvbuf, int *dest) {
    for (long v = 0; v < vlen; v++) ran[v] = ra_starts((first + v) * rounds);
    for (long r = 0; r < rounds; r++) {
        for (int p = 0; p < prk_np; p++) scount[p] = 0;
        for (long v = 0; v < vlen; v++) {
            ran[v] = ra_next(ran[v]);
            dest[v] = (int)((ran[v] & tmask) % (uint64_t)prk_np);
            scount[dest[v]]++;
        }
        sdisp[0] = 0;
        for (int p = 1; p < prk_np; p++) sdisp[p] = sdisp[p - 1] + scount[p - 1];
        for (int p = 0; p < prk_np; p++) scount[p] = 0;
        for (long v = 0; v < vlen; v++) sendbuf[sdisp[dest[v]] + scount[dest[v]]++] = ran[v];
        int nrecv;
        if (prk_np > 1) {
            MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, MPI_COMM_WORLD);
            rdisp[0] = 0;
            for (int p = 1; p < prk_np; p++) rdisp[p] = rdisp[p - 1] + rcount[p - 1];
            nrecv = rdisp[prk_np - 1] + rcount[prk_np - 1];
            MPI_Alltoallv(sendbuf, scount, sdisp, MPI_UINT64_T, recvbuf, rcount, rdisp, MPI_UINT64_T,
                          MPI_COMM_WORLD);
        } else {
            nrecv = scount[0];
            memcpy(recvbuf, sendbuf, sizeof(uint64_t) * nrecv);
        }
        for (int k = 0; k < nrecv; k++) {
            uint64_t x = recvbuf[k];
            table[(x & tmask) / (uint64_t)prk_np] ^= x;
        }
    }
}

int main(int argc, char **argv) {
    prk_mpi_init(&argc, &argv);
    const char *usage = "<log2 table size> <update ratio> <vector length>";
    long logsize = prk_arg(argc, argv, 1, "log2 table size", 1, 0, 1, usage);
    long ratio = prk_arg(argc, argv, 2, "update ratio", 1, 0, 1, usage);
    long vlen = prk_arg(argc, argv, 3, "vector length", 1, 0, 1, usage);
    prk_mpi_require(logsize <= 40, "log2 table size must be at most 40");
    uint64_t tsize = UINT64_C(1) << logsize, tmask = tsize - 1;
    uint64_t nupdate = (uint64_t)ratio * tsize;
    long rounds = (long)(nupdate / ((uint64_t)prk_np * (uint64_t)vlen));
    prk_mpi_require(rounds >= 1, "vector length times ranks exceeds the number of updates");
    nupdate = (uint64_t)rounds * (uint64_t)vlen * (uint64_t)prk_np;

    uint64_t local = tsize / (uint64_t)prk_np + ((uint64_t)prk_me < tsize % (uint64_t)prk_np ? 1 : 0);
    prk_printf("Parallel Research Kernels - %s\n", PRK_VERSION);
    prk_printf("%s Random Access test\n", PRK_FLAVOUR);
    prk_printf("Number of ranks      = %d\n", prk_np);
    prk_printf("Table size (words)   = %llu\n", (unsigned long long)tsize);
    prk_printf("Update ratio         = %ld\n", ratio);
    prk_printf("Vector length        = %ld\n", vlen);
    prk_printf("Number of updates    = %llu\n", (unsigned long long)nupdate);

    uint64_t *table = prk_malloc(sizeof(uint64_t) * local);
    uint64_t *ran = prk_malloc(sizeof(uint64_t) * vlen);
    uint64_t *sendbuf = prk_malloc(sizeof(uint64_t) * vlen);
    uint64_t *recvbuf = prk_malloc(sizeof(uint64_t) * vlen * prk_np);
    int *dest = prk_malloc(sizeof(int) * vlen);
    int *cnt = prk_malloc(sizeof(int) * 4 * prk_np);
    for (uint64_t l = 0; l < local; l++) table[l] = l * (uint64_t)prk_np + (uint64_t)prk_me;
    long first = (long)prk_me * vlen;

    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = prk_wtime();
    run(table, tmask, rounds, vlen, first, cnt, cnt + prk_np, cnt + 2 * prk_np, cnt + 3 * prk_np, ran, sendbuf,
        recvbuf, dest);
    double elapsed = prk_max_time(prk_wtime() - t0);

    /* Replay: undoes every update. */
    run(table, tmask, rounds, vlen, first, cnt, cnt + prk_np, cnt + 2 * prk_np, cnt + 3 * prk_np, ran, sendbuf,
        recvbuf, dest);
    long long errors = 0, gerrors = 0;
    for (uint64_t l = 0; l < local; l++)
        if (table[l] != l * (uint64_t)prk_np + (uint64_t)prk_me) errors++;
    MPI_Reduce(&errors, &gerrors, 1, MPI_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    int ok = 1;
    if (prk_me == 0) {
        ok = ra_verdict((unsigned long long)gerrors, tsize);
        if (ok) {
            prk_report_rate("GUPs/s", 1.0e-9 * (double)nupdate / elapsed, elapsed);
        }
    }
    free(table); free(ran); free(sendbuf); free(recvbuf); free(dest); free(cnt);
    return prk_mpi_finish(ok);
}
