/* Barrier, Bcast, Gather, Scatter, Allgather, Alltoall from every root,
 * small and large (1 MiB; Gather 12 KiB blocks, also through a strided
 * receive type) payloads, MPI_IN_PLACE at the root of Gather and
 * Scatter and in Allgather/Alltoall, zero counts, sub-byte sizes. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    for (int i = 0; i < 5; i++) MPI_OK(MPI_Barrier(MPI_COMM_WORLD));
    say("barrier ok\n");

    for (int root = 0; root < size; root++) {
        int v[3] = {-1, -1, -1};
        if (rank == root) v[0] = root * 7, v[1] = root + 1, v[2] = 3;
        MPI_OK(MPI_Bcast(v, 3, MPI_INT, root, MPI_COMM_WORLD));
        CHECK(v[0] == root * 7 && v[1] == root + 1 && v[2] == 3);
        char c = rank == root ? 'A' + root : '?';
        MPI_OK(MPI_Bcast(&c, 1, MPI_CHAR, root, MPI_COMM_WORLD));
        CHECK_INT(c, 'A' + root);
        MPI_OK(MPI_Bcast(NULL, 0, MPI_INT, root, MPI_COMM_WORLD));
    }
    int big = 1 << 18;
    double *bb = malloc(big * sizeof(double));
    for (int i = 0; i < big; i++) bb[i] = rank == size - 1 ? i * 0.5 : -1;
    MPI_OK(MPI_Bcast(bb, big, MPI_DOUBLE, size - 1, MPI_COMM_WORLD));
    for (int i = 0; i < big; i++) if (bb[i] != i * 0.5) CHECK(bb[i] == i * 0.5);
    free(bb);
    /* 100 mid-size broadcasts (8-48 KiB) in a row, the root moving every
     * 7 calls: more than the runtime's 32 large broadcast buffers, so each
     * is reused (the Go test TestBcast_shmRing forces the run-ahead) */
    int *mb = malloc(12000 * sizeof(int));
    for (int i = 0; i < 100; i++) {
        int n = 2000 + (i * 1009) % 10000, root = (i / 7) % size;
        for (int k = 0; k < n; k++) mb[k] = rank == root ? i * 7 + k : -1;
        MPI_OK(MPI_Bcast(mb, n, MPI_INT, root, MPI_COMM_WORLD));
        for (int k = 0; k < n; k++) if (mb[k] != i * 7 + k) CHECK_INT(mb[k], i * 7 + k);
    }
    free(mb);
    say("bcast ok\n");

    int *all = malloc(size * 2 * sizeof(int));
    for (int root = 0; root < size; root++) {
        int mine[2] = {rank, rank * rank};
        for (int i = 0; i < 2 * size; i++) all[i] = -1;
        MPI_OK(MPI_Gather(mine, 2, MPI_INT, all, 2, MPI_INT, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int r = 0; r < size; r++) CHECK(all[2 * r] == r && all[2 * r + 1] == r * r);
        /* in place at the root: its contribution is already in place */
        if (rank == root) {
            for (int i = 0; i < 2 * size; i++) all[i] = -1;
            all[2 * root] = root, all[2 * root + 1] = root * root;
            MPI_OK(MPI_Gather(MPI_IN_PLACE, 2, MPI_INT, all, 2, MPI_INT, root, MPI_COMM_WORLD));
            for (int r = 0; r < size; r++) CHECK(all[2 * r] == r && all[2 * r + 1] == r * r);
        } else {
            MPI_OK(MPI_Gather(mine, 2, MPI_INT, NULL, 0, MPI_INT, root, MPI_COMM_WORLD));
        }
        /* scatter back, doubled */
        int got[2] = {-1, -1};
        if (rank == root)
            for (int i = 0; i < 2 * size; i++) all[i] *= 2;
        MPI_OK(MPI_Scatter(all, 2, MPI_INT, got, 2, MPI_INT, root, MPI_COMM_WORLD));
        CHECK(got[0] == 2 * rank && got[1] == 2 * rank * rank);
        if (rank == root) {
            MPI_OK(MPI_Scatter(all, 2, MPI_INT, MPI_IN_PLACE, 2, MPI_INT, root, MPI_COMM_WORLD));
            CHECK(all[2 * root] == 2 * root); /* untouched */
        } else {
            got[0] = got[1] = -1;
            MPI_OK(MPI_Scatter(NULL, 0, MPI_INT, got, 2, MPI_INT, root, MPI_COMM_WORLD));
            CHECK(got[0] == 2 * rank && got[1] == 2 * rank * rank);
        }
    }
    say("gather/scatter every root ok\n");

    /* large gathers (12 KiB blocks) from every root: plain, in place, sent
     * as bytes and received as ints, and received through a strided type
     * (every other int), which the runtime packs and unpacks */
    {
        int n = 3000;
        int *lm = malloc(n * sizeof(int)), *la = malloc((size_t)size * 2 * n * sizeof(int));
        for (int k = 0; k < n; k++) lm[k] = rank * 100000 + k;
        MPI_Datatype every_other;
        MPI_OK(MPI_Type_vector(n, 1, 2, MPI_INT, &every_other));
        MPI_OK(MPI_Type_create_resized(every_other, 0, (MPI_Aint)(2 * n * sizeof(int)), &every_other));
        MPI_OK(MPI_Type_commit(&every_other));
        for (int root = 0; root < size; root++) {
            for (int i = 0; i < size * n; i++) la[i] = -1;
            MPI_OK(MPI_Gather(lm, n, MPI_INT, la, n, MPI_INT, root, MPI_COMM_WORLD));
            if (rank == root)
                for (int i = 0; i < size * n; i++)
                    if (la[i] != (i / n) * 100000 + i % n) CHECK_INT(la[i], (i / n) * 100000 + i % n);
            if (rank == root) {
                for (int i = 0; i < size * n; i++) la[i] = i / n == root ? root * 100000 + i % n : -1;
                MPI_OK(MPI_Gather(MPI_IN_PLACE, n, MPI_INT, la, n, MPI_INT, root, MPI_COMM_WORLD));
                for (int i = 0; i < size * n; i++)
                    if (la[i] != (i / n) * 100000 + i % n) CHECK_INT(la[i], (i / n) * 100000 + i % n);
            } else {
                MPI_OK(MPI_Gather(lm, (int)(n * sizeof(int)), MPI_BYTE, NULL, 0, MPI_INT, root, MPI_COMM_WORLD));
            }
            for (int i = 0; i < size * 2 * n; i++) la[i] = -1;
            MPI_OK(MPI_Gather(lm, n, MPI_INT, la, 1, every_other, root, MPI_COMM_WORLD));
            if (rank == root)
                for (int i = 0; i < size * 2 * n; i++) {
                    int r = i / (2 * n), k = i % (2 * n), want = k % 2 ? -1 : r * 100000 + k / 2;
                    if (la[i] != want) CHECK_INT(la[i], want);
                }
        }
        MPI_OK(MPI_Type_free(&every_other));
        free(lm);
        free(la);
    }
    say("large gathers every root ok\n");

    /* allgather, normal and in place */
    {
        int mine[2] = {rank + 1, -rank};
        for (int i = 0; i < 2 * size; i++) all[i] = -9;
        MPI_OK(MPI_Allgather(mine, 2, MPI_INT, all, 2, MPI_INT, MPI_COMM_WORLD));
        for (int r = 0; r < size; r++) CHECK(all[2 * r] == r + 1 && all[2 * r + 1] == -r);
        for (int i = 0; i < 2 * size; i++) all[i] = -9;
        all[2 * rank] = rank * 3, all[2 * rank + 1] = rank * 4;
        MPI_OK(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, 2, MPI_INT, MPI_COMM_WORLD));
        for (int r = 0; r < size; r++) CHECK(all[2 * r] == r * 3 && all[2 * r + 1] == r * 4);
        /* bytes sent, ints received */
        int x = rank * 1000 + 1;
        int *xs = malloc(size * sizeof(int));
        MPI_OK(MPI_Allgather(&x, 4, MPI_BYTE, xs, 1, MPI_INT, MPI_COMM_WORLD));
        for (int r = 0; r < size; r++) CHECK_INT(xs[r], r * 1000 + 1);
        free(xs);
    }
    say("allgather ok\n");

    /* alltoall, normal and in place */
    {
        int *s = malloc(size * 3 * sizeof(int)), *r = malloc(size * 3 * sizeof(int));
        for (int d = 0; d < size; d++)
            for (int k = 0; k < 3; k++) s[3 * d + k] = rank * 10000 + d * 10 + k;
        MPI_OK(MPI_Alltoall(s, 3, MPI_INT, r, 3, MPI_INT, MPI_COMM_WORLD));
        for (int src = 0; src < size; src++)
            for (int k = 0; k < 3; k++) CHECK_INT(r[3 * src + k], src * 10000 + rank * 10 + k);
        MPI_OK(MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, s, 3, MPI_INT, MPI_COMM_WORLD));
        for (int src = 0; src < size; src++)
            for (int k = 0; k < 3; k++) CHECK_INT(s[3 * src + k], src * 10000 + rank * 10 + k);
        free(s);
        free(r);
        /* large alltoall: 64 KiB per pair */
        int n = 16384;
        int *ls = malloc((size_t)size * n * sizeof(int)), *lr = malloc((size_t)size * n * sizeof(int));
        for (int d = 0; d < size; d++)
            for (int k = 0; k < n; k++) ls[d * n + k] = rank ^ (d * n + k);
        MPI_OK(MPI_Alltoall(ls, n, MPI_INT, lr, n, MPI_INT, MPI_COMM_WORLD));
        for (int src = 0; src < size; src++)
            for (int k = 0; k < n; k++)
                if (lr[src * n + k] != (src ^ (rank * n + k))) CHECK_INT(lr[src * n + k], src ^ (rank * n + k));
        free(ls);
        free(lr);
    }
    say("alltoall ok\n");
    free(all);
    finish();
    return 0;
}
