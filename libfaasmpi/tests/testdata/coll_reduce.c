/* Reduction collectives: Reduce (every root), Allreduce, Reduce_local,
 * Reduce_scatter, Reduce_scatter_block, Scan, Exscan, each also with
 * MPI_IN_PLACE; large vectors; results exact (integer-valued). */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int n = 10;
    int *s = malloc(size * n * sizeof(int)), *r = malloc(size * n * sizeof(int));
    long sumr = (long)size * (size - 1) / 2;

    for (int root = 0; root < size; root++) {
        for (int i = 0; i < n; i++) s[i] = rank + i, r[i] = -1;
        MPI_OK(MPI_Reduce(s, r, n, MPI_INT, MPI_SUM, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int i = 0; i < n; i++) CHECK_INT(r[i], sumr + (long)size * i);
        if (rank == root) {
            for (int i = 0; i < n; i++) r[i] = rank + i;
            MPI_OK(MPI_Reduce(MPI_IN_PLACE, r, n, MPI_INT, MPI_MAX, root, MPI_COMM_WORLD));
            for (int i = 0; i < n; i++) CHECK_INT(r[i], size - 1 + i);
        } else {
            MPI_OK(MPI_Reduce(s, NULL, n, MPI_INT, MPI_MAX, root, MPI_COMM_WORLD));
        }
    }
    say("reduce every root ok\n");

    for (int i = 0; i < n; i++) s[i] = rank * i;
    MPI_OK(MPI_Allreduce(s, r, n, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    for (int i = 0; i < n; i++) CHECK_INT(r[i], sumr * i);
    for (int i = 0; i < n; i++) r[i] = rank - i;
    MPI_OK(MPI_Allreduce(MPI_IN_PLACE, r, n, MPI_INT, MPI_MIN, MPI_COMM_WORLD));
    for (int i = 0; i < n; i++) CHECK_INT(r[i], -i);
    /* a large allreduce of doubles (exact: small integers) */
    int big = 1 << 17;
    double *bd = malloc(big * sizeof(double)), *br = malloc(big * sizeof(double));
    for (int i = 0; i < big; i++) bd[i] = (i % 100) + rank;
    MPI_OK(MPI_Allreduce(bd, br, big, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD));
    for (int i = 0; i < big; i++)
        if (br[i] != (double)size * (i % 100) + sumr) CHECK(br[i] == (double)size * (i % 100) + sumr);
    MPI_OK(MPI_Allreduce(MPI_IN_PLACE, bd, big, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD));
    for (int i = 0; i < big; i++)
        if (bd[i] != (i % 100) + size - 1) CHECK(bd[i] == (i % 100) + size - 1);
    say("allreduce ok\n");
    /* a large Reduce at every root (above the shared-memory slots), and in
     * place at the root */
    for (int root = 0; root < size; root++) {
        for (int i = 0; i < big; i++) bd[i] = (i % 100) + rank, br[i] = -1;
        MPI_OK(MPI_Reduce(bd, br, big, MPI_DOUBLE, MPI_SUM, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int i = 0; i < big; i++)
                if (br[i] != (double)size * (i % 100) + sumr) CHECK(br[i] == (double)size * (i % 100) + sumr);
        MPI_OK(MPI_Reduce(rank == root ? MPI_IN_PLACE : bd, rank == root ? bd : br, big, MPI_DOUBLE, MPI_MAX, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int i = 0; i < big; i++)
                if (bd[i] != (i % 100) + size - 1) CHECK(bd[i] == (i % 100) + size - 1);
    }
    free(bd);
    free(br);
    say("large reduce every root ok\n");

    /* Reduce_local: inoutbuf = inbuf op inoutbuf, no communication */
    {
        int in[3] = {1, 5, 3}, io[3] = {4, 2, 3};
        MPI_OK(MPI_Reduce_local(in, io, 3, MPI_INT, MPI_MAX));
        CHECK(io[0] == 4 && io[1] == 5 && io[2] == 3);
        MPI_OK(MPI_Reduce_local(in, io, 3, MPI_INT, MPI_SUM));
        CHECK(io[0] == 5 && io[1] == 10 && io[2] == 6);
    }
    say("reduce_local ok\n");

    /* Reduce_scatter: rank i gets counts[i] = i%3+1 elements */
    {
        int *counts = malloc(size * sizeof(int)), tot = 0;
        for (int i = 0; i < size; i++) counts[i] = i % 3 + 1, tot += counts[i];
        int *in = malloc(tot * sizeof(int)), *out = malloc(3 * sizeof(int));
        for (int i = 0; i < tot; i++) in[i] = rank * 100 + i;
        MPI_OK(MPI_Reduce_scatter(in, out, counts, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
        int off = 0;
        for (int i = 0; i < rank; i++) off += counts[i];
        for (int k = 0; k < counts[rank]; k++) CHECK_INT(out[k], 100 * sumr + (long)size * (off + k));
        /* in place: result lands at the start of the buffer */
        MPI_OK(MPI_Reduce_scatter(MPI_IN_PLACE, in, counts, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
        for (int k = 0; k < counts[rank]; k++) CHECK_INT(in[k], 100 * sumr + (long)size * (off + k));
        free(in);
        free(out);
        free(counts);
    }
    say("reduce_scatter ok\n");

    {
        int bc = 3;
        int *in = malloc(size * bc * sizeof(int)), out[3];
        for (int i = 0; i < size * bc; i++) in[i] = rank + i;
        MPI_OK(MPI_Reduce_scatter_block(in, out, bc, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
        for (int k = 0; k < bc; k++) CHECK_INT(out[k], sumr + (long)size * (rank * bc + k));
        for (int i = 0; i < size * bc; i++) in[i] = rank * i;
        MPI_OK(MPI_Reduce_scatter_block(MPI_IN_PLACE, in, bc, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
        for (int k = 0; k < bc; k++) CHECK_INT(in[k], (size - 1) * (rank * bc + k));
        free(in);
    }
    say("reduce_scatter_block ok\n");

    /* Scan and Exscan, normal and in place */
    {
        int v[2] = {rank + 1, 2 * rank}, o[2] = {-1, -1};
        MPI_OK(MPI_Scan(v, o, 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
        CHECK_INT(o[0], (rank + 1) * (rank + 2) / 2);
        CHECK_INT(o[1], rank * (rank + 1));
        MPI_OK(MPI_Scan(MPI_IN_PLACE, v, 2, MPI_INT, MPI_PROD, MPI_COMM_WORLD));
        long f = 1;
        for (int i = 1; i <= rank + 1; i++) f *= i;
        CHECK_INT(v[0], f);
        CHECK_INT(v[1], 0);
        int e[2] = {rank + 1, rank}, eo[2] = {-7, -7};
        MPI_OK(MPI_Exscan(e, eo, 2, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
        if (rank > 0) {
            CHECK_INT(eo[0], rank * (rank + 1) / 2);
            CHECK_INT(eo[1], rank * (rank - 1) / 2);
        }
        MPI_OK(MPI_Exscan(MPI_IN_PLACE, e, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD));
        if (rank > 0) {
            CHECK_INT(e[0], rank);
            CHECK_INT(e[1], rank - 1);
        }
        /* scan of doubles, order-sensitive values that stay exact */
        double d = 1.0 / (1 << rank), dr;
        MPI_OK(MPI_Scan(&d, &dr, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD));
        CHECK(dr == 2.0 - 1.0 / (1 << rank));
    }
    say("scan/exscan ok\n");
    free(s);
    free(r);
    finish();
    return 0;
}
