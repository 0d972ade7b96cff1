/* Cancel and Test_cancelled on receives: an unmatched Irecv is cancelled
 * (Wait completes, Test_cancelled true) and a later message goes to the
 * next receive; a completed receive cannot be cancelled; Request_free of
 * active send requests; Test on an inactive/null request. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;

    /* cancel a receive nobody will match */
    int x = -1, flag = -1;
    MPI_Request r;
    MPI_Status st;
    MPI_OK(MPI_Irecv(&x, 1, MPI_INT, left, 60, MPI_COMM_WORLD, &r));
    MPI_OK(MPI_Cancel(&r));
    MPI_OK(MPI_Wait(&r, &st));
    CHECK(r == MPI_REQUEST_NULL);
    MPI_OK(MPI_Test_cancelled(&st, &flag));
    CHECK_INT(flag, 1);
    CHECK_INT(x, -1);
    say("unmatched receive cancelled\n");

    /* a wildcard receive cancelled with Test instead of Wait */
    MPI_OK(MPI_Irecv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &r));
    MPI_OK(MPI_Cancel(&r));
    flag = 0;
    while (!flag) MPI_OK(MPI_Test(&r, &flag, &st));
    MPI_OK(MPI_Test_cancelled(&st, &flag));
    CHECK_INT(flag, 1);
    say("wildcard receive cancelled\n");

    /* after the cancel, a message with that tag goes to the next receive */
    MPI_Barrier(MPI_COMM_WORLD);
    int v = rank + 1000;
    MPI_Request sr;
    MPI_OK(MPI_Isend(&v, 1, MPI_INT, right, 60, MPI_COMM_WORLD, &sr));
    MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 60, MPI_COMM_WORLD, &st));
    CHECK_INT(x, left + 1000);
    MPI_OK(MPI_Test_cancelled(&st, &flag));
    CHECK_INT(flag, 0);
    MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
    say("later message delivered to the next receive\n");

    /* a matched receive cannot be cancelled any more: the synchronous
     * send completes only once the receive has matched it */
    MPI_OK(MPI_Irecv(&x, 1, MPI_INT, left, 61, MPI_COMM_WORLD, &r));
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_OK(MPI_Ssend(&v, 1, MPI_INT, right, 61, MPI_COMM_WORLD));
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_OK(MPI_Cancel(&r));
    MPI_OK(MPI_Wait(&r, &st));
    CHECK_INT(x, left + 1000);
    MPI_OK(MPI_Test_cancelled(&st, &flag));
    CHECK_INT(flag, 0);
    CHECK_INT(st.MPI_SOURCE, left);
    say("matched receive not cancelled\n");

    /* many cancels among live receives: only the cancelled ones are skipped */
    MPI_Request rq[6];
    int vals[6];
    for (int i = 0; i < 6; i++) {
        vals[i] = -1;
        MPI_OK(MPI_Irecv(&vals[i], 1, MPI_INT, left, 62, MPI_COMM_WORLD, &rq[i]));
    }
    MPI_OK(MPI_Cancel(&rq[0]));
    MPI_OK(MPI_Cancel(&rq[2]));
    MPI_OK(MPI_Cancel(&rq[3]));
    MPI_Barrier(MPI_COMM_WORLD); /* cancels are in before the sends */
    for (int i = 0; i < 3; i++) {
        int m = 10 * rank + i;
        MPI_OK(MPI_Send(&m, 1, MPI_INT, right, 62, MPI_COMM_WORLD));
    }
    MPI_Status sts[6];
    MPI_OK(MPI_Waitall(6, rq, sts));
    int live[3] = {1, 4, 5};
    for (int k = 0; k < 3; k++) CHECK_INT(vals[live[k]], 10 * left + k);
    for (int i = 0; i < 6; i++) {
        MPI_OK(MPI_Test_cancelled(&sts[i], &flag));
        CHECK_INT(flag, (i == 0 || i == 2 || i == 3));
    }
    say("cancel among live receives ok\n");

    /* Request_free on an active send: the message is still delivered */
    int w = rank * 3;
    MPI_OK(MPI_Isend(&w, 1, MPI_INT, right, 63, MPI_COMM_WORLD, &sr));
    MPI_OK(MPI_Request_free(&sr));
    CHECK(sr == MPI_REQUEST_NULL);
    MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 63, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    CHECK_INT(x, left * 3);
    say("request_free on active send ok\n");

    /* Test on MPI_REQUEST_NULL: flag true, empty status */
    r = MPI_REQUEST_NULL;
    flag = 0;
    MPI_OK(MPI_Test(&r, &flag, &st));
    CHECK_INT(flag, 1);
    CHECK_INT(st.MPI_SOURCE, MPI_ANY_SOURCE);
    CHECK_INT(st.MPI_TAG, MPI_ANY_TAG);
    say("test on null request ok\n");
    MPI_Barrier(MPI_COMM_WORLD);
    finish();
    return 0;
}
