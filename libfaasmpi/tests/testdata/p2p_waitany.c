/* Completion calls: Waitany, Waitsome, Testany, Testsome, Testall, Test,
 * including MPI_UNDEFINED results on all-null arrays, statuses matching
 * indices, and every request completing exactly once. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int idx, flag, outcount;
    MPI_Status st;
    MPI_Request nulls[3] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    MPI_OK(MPI_Waitany(3, nulls, &idx, &st));
    CHECK_INT(idx, MPI_UNDEFINED);
    MPI_OK(MPI_Testany(3, nulls, &idx, &flag, &st));
    CHECK_INT(flag, 1);
    CHECK_INT(idx, MPI_UNDEFINED);
    int idxs[3];
    MPI_OK(MPI_Waitsome(3, nulls, &outcount, idxs, MPI_STATUSES_IGNORE));
    CHECK_INT(outcount, MPI_UNDEFINED);
    MPI_OK(MPI_Testsome(3, nulls, &outcount, idxs, MPI_STATUSES_IGNORE));
    CHECK_INT(outcount, MPI_UNDEFINED);
    MPI_OK(MPI_Testall(3, nulls, &flag, MPI_STATUSES_IGNORE));
    CHECK_INT(flag, 1);
    MPI_OK(MPI_Waitany(0, NULL, &idx, &st));
    CHECK_INT(idx, MPI_UNDEFINED);
    say("null request arrays ok\n");

    /* rank 0 receives K messages from every rank (itself included) */
    int K = 3, n = size * K;
    int *vals = malloc(n * sizeof(int));
    MPI_Request *rq = malloc(n * sizeof(MPI_Request));
    int *done = calloc(n, sizeof(int));
    MPI_Request sr[3];
    int sv[3];
    for (int round = 0; round < 4; round++) {
        if (rank == 0) {
            for (int i = 0; i < n; i++) {
                vals[i] = -1;
                done[i] = 0;
                MPI_OK(MPI_Irecv(&vals[i], 1, MPI_INT, i / K, 90 + i % K, MPI_COMM_WORLD, &rq[i]));
            }
        }
        for (int k = 0; k < K; k++) {
            sv[k] = rank * 100 + k + round;
            MPI_OK(MPI_Isend(&sv[k], 1, MPI_INT, 0, 90 + k, MPI_COMM_WORLD, &sr[k]));
        }
        if (rank == 0) {
            int completed = 0;
            while (completed < n) {
                if (round == 0) {
                    MPI_OK(MPI_Waitany(n, rq, &idx, &st));
                    CHECK(idx >= 0 && idx < n);
                    CHECK(rq[idx] == MPI_REQUEST_NULL);
                    CHECK_INT(st.MPI_SOURCE, idx / K);
                    CHECK_INT(st.MPI_TAG, 90 + idx % K);
                    done[idx]++, completed++;
                } else if (round == 1) {
                    MPI_OK(MPI_Testany(n, rq, &idx, &flag, &st));
                    if (flag) {
                        CHECK(idx >= 0 && idx < n);
                        CHECK_INT(st.MPI_SOURCE, idx / K);
                        done[idx]++, completed++;
                    }
                } else {
                    int *ix = malloc(n * sizeof(int));
                    MPI_Status *sts = malloc(n * sizeof(MPI_Status));
                    if (round == 2)
                        MPI_OK(MPI_Waitsome(n, rq, &outcount, ix, sts));
                    else
                        MPI_OK(MPI_Testsome(n, rq, &outcount, ix, sts));
                    CHECK(outcount != MPI_UNDEFINED);
                    if (round == 2) CHECK(outcount >= 1);
                    for (int j = 0; j < outcount; j++) {
                        CHECK_INT(sts[j].MPI_SOURCE, ix[j] / K);
                        CHECK_INT(sts[j].MPI_TAG, 90 + ix[j] % K);
                        done[ix[j]]++, completed++;
                    }
                    free(ix);
                    free(sts);
                }
            }
            for (int i = 0; i < n; i++) {
                CHECK_INT(done[i], 1);
                CHECK_INT(vals[i], (i / K) * 100 + i % K + round);
                CHECK(rq[i] == MPI_REQUEST_NULL);
            }
            /* everything is complete now: another call says so */
            MPI_OK(MPI_Waitany(n, rq, &idx, &st));
            CHECK_INT(idx, MPI_UNDEFINED);
        }
        MPI_OK(MPI_Waitall(K, sr, MPI_STATUSES_IGNORE));
        MPI_Barrier(MPI_COMM_WORLD);
    }
    say("waitany/testany/waitsome/testsome ok\n");

    /* Testall reports false until all complete, then true and nulls */
    {
        int right = (rank + 1) % size, left = (rank + size - 1) % size;
        int a = -1, b = -1;
        MPI_Request r[2];
        MPI_OK(MPI_Irecv(&a, 1, MPI_INT, left, 95, MPI_COMM_WORLD, &r[0]));
        MPI_OK(MPI_Irecv(&b, 1, MPI_INT, left, 96, MPI_COMM_WORLD, &r[1]));
        MPI_OK(MPI_Testall(2, r, &flag, MPI_STATUSES_IGNORE));
        CHECK_INT(flag, 0);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_OK(MPI_Send(&rank, 1, MPI_INT, right, 95, MPI_COMM_WORLD));
        MPI_Barrier(MPI_COMM_WORLD);
        /* only the first has a message: the second pins Testall to false */
        MPI_OK(MPI_Testall(2, r, &flag, MPI_STATUSES_IGNORE));
        CHECK_INT(flag, 0);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_OK(MPI_Send(&rank, 1, MPI_INT, right, 96, MPI_COMM_WORLD));
        flag = 0;
        MPI_Status sts[2];
        while (!flag) MPI_OK(MPI_Testall(2, r, &flag, sts));
        CHECK(r[0] == MPI_REQUEST_NULL && r[1] == MPI_REQUEST_NULL);
        CHECK_INT(a, left);
        CHECK_INT(b, left);
        CHECK_INT(sts[1].MPI_TAG, 96);
    }
    say("testall ok\n");
    free(vals);
    free(rq);
    free(done);
    finish();
    return 0;
}
