/* Persistent requests: Send_init/Recv_init, Start, Startall, reuse across
 * iterations with changing buffer contents, Wait/Test/Waitall on them,
 * inactive persistent requests, Request_free. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int out[8], in[8];
    MPI_Request rq[2];
    MPI_OK(MPI_Recv_init(in, 8, MPI_INT, left, 70, MPI_COMM_WORLD, &rq[0]));
    MPI_OK(MPI_Send_init(out, 8, MPI_INT, right, 70, MPI_COMM_WORLD, &rq[1]));
    CHECK(rq[0] != MPI_REQUEST_NULL && rq[1] != MPI_REQUEST_NULL);
    /* an inactive persistent request completes at once with an empty status */
    int flag = 0;
    MPI_Status st;
    MPI_OK(MPI_Test(&rq[0], &flag, &st));
    CHECK_INT(flag, 1);
    CHECK(rq[0] != MPI_REQUEST_NULL);
    long check = 0;
    for (int it = 0; it < 20; it++) {
        for (int i = 0; i < 8; i++) out[i] = it * 1000 + rank * 10 + i;
        if (it % 2 == 0) {
            MPI_OK(MPI_Startall(2, rq));
        } else {
            MPI_OK(MPI_Start(&rq[0]));
            MPI_OK(MPI_Start(&rq[1]));
        }
        MPI_Status sts[2];
        if (it % 3 == 0) {
            MPI_OK(MPI_Waitall(2, rq, sts));
        } else {
            MPI_OK(MPI_Wait(&rq[1], MPI_STATUS_IGNORE));
            flag = 0;
            while (!flag) MPI_OK(MPI_Test(&rq[0], &flag, &sts[0]));
        }
        CHECK(rq[0] != MPI_REQUEST_NULL && rq[1] != MPI_REQUEST_NULL);
        CHECK_INT(sts[0].MPI_SOURCE, left);
        CHECK_INT(sts[0].MPI_TAG, 70);
        for (int i = 0; i < 8; i++) {
            CHECK_INT(in[i], it * 1000 + left * 10 + i);
            check += in[i];
        }
    }
    MPI_OK(MPI_Request_free(&rq[0]));
    MPI_OK(MPI_Request_free(&rq[1]));
    CHECK(rq[0] == MPI_REQUEST_NULL);
    CHECK_INT(check, 8L * (20 * 19 / 2 * 1000 + 20 * left * 10) + 20 * 28);
    say("20 persistent iterations ok\n");

    /* persistent wildcard receive collecting from everyone at rank 0 */
    MPI_Request pr = MPI_REQUEST_NULL;
    int got = -1;
    if (rank == 0) MPI_OK(MPI_Recv_init(&got, 1, MPI_INT, MPI_ANY_SOURCE, 71, MPI_COMM_WORLD, &pr));
    MPI_Request ps;
    int mine = rank * rank;
    MPI_OK(MPI_Send_init(&mine, 1, MPI_INT, 0, 71, MPI_COMM_WORLD, &ps));
    MPI_OK(MPI_Start(&ps));
    if (rank == 0) {
        long sum = 0;
        for (int k = 0; k < size; k++) {
            MPI_OK(MPI_Start(&pr));
            MPI_OK(MPI_Wait(&pr, &st));
            CHECK_INT(got, st.MPI_SOURCE * st.MPI_SOURCE);
            sum += got;
        }
        CHECK_INT(sum, (long)(size - 1) * size * (2 * size - 1) / 6);
        MPI_OK(MPI_Request_free(&pr));
        say("persistent any_source receive ok\n");
    }
    MPI_OK(MPI_Wait(&ps, MPI_STATUS_IGNORE));
    MPI_OK(MPI_Request_free(&ps));
    finish();
    return 0;
}
