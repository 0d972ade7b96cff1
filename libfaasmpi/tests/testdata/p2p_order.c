/* Non-overtaking order: messages between one pair on one communicator with
 * matching (source, tag) arrive in send order, for ANY_SOURCE receives,
 * mixed small/large messages, Isend bursts and ANY_TAG receives. */
#include "check.h"

#define MSGS 500

int main(int argc, char **argv) {
    setup(&argc, &argv);

    /* everybody floods rank 0 with sequence numbers; rank 0 receives with
     * ANY_SOURCE and checks every source's sequence is increasing */
    if (rank != 0) {
        for (int i = 0; i < MSGS; i++) {
            int m[2] = {rank, i};
            MPI_OK(MPI_Send(m, 2, MPI_INT, 0, 1, MPI_COMM_WORLD));
        }
    } else {
        int *next = calloc(size, sizeof(int));
        for (int i = 0; i < MSGS * (size - 1); i++) {
            int m[2];
            MPI_Status st;
            MPI_OK(MPI_Recv(m, 2, MPI_INT, MPI_ANY_SOURCE, 1, MPI_COMM_WORLD, &st));
            CHECK_INT(m[0], st.MPI_SOURCE);
            CHECK_INT(m[1], next[m[0]]);
            next[m[0]]++;
        }
        free(next);
    }
    say("flood order ok\n");

    /* small, large, small, large with the same tag: order kept */
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int big = 300000;
    int *b1 = malloc(big * sizeof(int)), *b2 = malloc(big * sizeof(int));
    for (int i = 0; i < big; i++) b1[i] = i, b2[i] = -i;
    int s1 = 1, s2 = 2;
    MPI_Request rq[4];
    MPI_OK(MPI_Isend(&s1, 1, MPI_INT, right, 2, MPI_COMM_WORLD, &rq[0]));
    MPI_OK(MPI_Isend(b1, big, MPI_INT, right, 2, MPI_COMM_WORLD, &rq[1]));
    MPI_OK(MPI_Isend(&s2, 1, MPI_INT, right, 2, MPI_COMM_WORLD, &rq[2]));
    MPI_OK(MPI_Isend(b2, big, MPI_INT, right, 2, MPI_COMM_WORLD, &rq[3]));
    int *in = malloc(big * sizeof(int));
    int counts[4] = {1, big, 1, big};
    for (int k = 0; k < 4; k++) {
        MPI_Status st;
        MPI_OK(MPI_Recv(in, big, MPI_INT, left, 2, MPI_COMM_WORLD, &st));
        int c;
        MPI_OK(MPI_Get_count(&st, MPI_INT, &c));
        CHECK_INT(c, counts[k]);
        if (k == 0) CHECK_INT(in[0], 1);
        if (k == 1) CHECK_INT(in[big - 1], big - 1);
        if (k == 2) CHECK_INT(in[0], 2);
        if (k == 3) CHECK_INT(in[big - 1], -(big - 1));
    }
    MPI_OK(MPI_Waitall(4, rq, MPI_STATUSES_IGNORE));
    say("small/large order ok\n");

    /* receives posted first (Irecv x N, in order) match sends in order */
    {
        int n = 64;
        int *vals = malloc(n * sizeof(int));
        MPI_Request *r = malloc(n * sizeof(MPI_Request));
        for (int i = 0; i < n; i++) MPI_OK(MPI_Irecv(&vals[i], 1, MPI_INT, left, 3, MPI_COMM_WORLD, &r[i]));
        MPI_Barrier(MPI_COMM_WORLD);
        for (int i = 0; i < n; i++) {
            int x = i * 3;
            MPI_OK(MPI_Send(&x, 1, MPI_INT, right, 3, MPI_COMM_WORLD));
        }
        MPI_OK(MPI_Waitall(n, r, MPI_STATUSES_IGNORE));
        for (int i = 0; i < n; i++) CHECK_INT(vals[i], i * 3);
        free(vals);
        free(r);
    }
    say("posted receive order ok\n");

    /* a receive posted earlier gets the first matching message, also when
     * a blocking receive comes along after the messages have arrived */
    {
        int a = -1, b = -1, v[2] = {100, 200};
        MPI_Request r;
        MPI_OK(MPI_Irecv(&a, 1, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &r));
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_OK(MPI_Send(&v[0], 1, MPI_INT, right, 6, MPI_COMM_WORLD));
        MPI_OK(MPI_Send(&v[1], 1, MPI_INT, right, 6, MPI_COMM_WORLD));
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_OK(MPI_Recv(&b, 1, MPI_INT, left, 6, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        CHECK_INT(a, 100);
        CHECK_INT(b, 200);
    }
    say("earlier posted receive first ok\n");

    /* ANY_TAG receives see different tags in send order */
    {
        for (int t = 0; t < 20; t++) {
            int x = t;
            MPI_Request r;
            MPI_OK(MPI_Isend(&x, 1, MPI_INT, right, 40 + (t * 7) % 13, MPI_COMM_WORLD, &r));
            MPI_OK(MPI_Request_free(&r));
        }
        for (int t = 0; t < 20; t++) {
            int x;
            MPI_Status st;
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            CHECK_INT(x, t);
            CHECK_INT(st.MPI_TAG, 40 + (t * 7) % 13);
        }
    }
    say("any_tag order ok\n");
    free(b1);
    free(b2);
    free(in);
    finish();
    return 0;
}
