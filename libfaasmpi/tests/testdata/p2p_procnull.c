/* MPI_PROC_NULL in Send/Recv/Isend/Irecv/Sendrecv/Sendrecv_replace/Probe/
 * Iprobe/persistent requests: immediate completion, status source
 * MPI_PROC_NULL, tag MPI_ANY_TAG, count 0; buffers untouched. */
#include "check.h"

static void check_null_status(MPI_Status *st) {
    CHECK_INT(st->MPI_SOURCE, MPI_PROC_NULL);
    CHECK_INT(st->MPI_TAG, MPI_ANY_TAG);
    int c = -1;
    MPI_OK(MPI_Get_count(st, MPI_INT, &c));
    CHECK_INT(c, 0);
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int buf[4] = {9, 9, 9, 9};
    MPI_Status st;
    MPI_OK(MPI_Send(buf, 4, MPI_INT, MPI_PROC_NULL, 1, MPI_COMM_WORLD));
    MPI_OK(MPI_Ssend(buf, 4, MPI_INT, MPI_PROC_NULL, 1, MPI_COMM_WORLD));
    MPI_OK(MPI_Rsend(buf, 4, MPI_INT, MPI_PROC_NULL, 1, MPI_COMM_WORLD));
    MPI_OK(MPI_Recv(buf, 4, MPI_INT, MPI_PROC_NULL, 1, MPI_COMM_WORLD, &st));
    check_null_status(&st);
    CHECK_INT(buf[0], 9);
    say("blocking proc_null ok\n");

    MPI_Request rq[2];
    MPI_OK(MPI_Isend(buf, 4, MPI_INT, MPI_PROC_NULL, 2, MPI_COMM_WORLD, &rq[0]));
    MPI_OK(MPI_Irecv(buf, 4, MPI_INT, MPI_PROC_NULL, 2, MPI_COMM_WORLD, &rq[1]));
    int flag = 0;
    MPI_Status sts[2];
    MPI_OK(MPI_Testall(2, rq, &flag, sts));
    CHECK_INT(flag, 1);
    check_null_status(&sts[1]);
    say("nonblocking proc_null ok\n");

    MPI_OK(MPI_Sendrecv(buf, 4, MPI_INT, MPI_PROC_NULL, 3, buf, 4, MPI_INT, MPI_PROC_NULL, 3, MPI_COMM_WORLD, &st));
    check_null_status(&st);
    MPI_OK(MPI_Sendrecv_replace(buf, 4, MPI_INT, MPI_PROC_NULL, 3, MPI_PROC_NULL, 3, MPI_COMM_WORLD, &st));
    check_null_status(&st);
    CHECK_INT(buf[3], 9);
    /* half-null sendrecv: a shift with open ends */
    int x = rank, y = -1;
    int up = rank + 1 < size ? rank + 1 : MPI_PROC_NULL;
    int down = rank > 0 ? rank - 1 : MPI_PROC_NULL;
    MPI_OK(MPI_Sendrecv(&x, 1, MPI_INT, up, 4, &y, 1, MPI_INT, down, 4, MPI_COMM_WORLD, &st));
    if (rank == 0) {
        CHECK_INT(y, -1);
        check_null_status(&st);
    } else {
        CHECK_INT(y, rank - 1);
        CHECK_INT(st.MPI_SOURCE, rank - 1);
    }
    say("sendrecv proc_null ok\n");

    MPI_OK(MPI_Probe(MPI_PROC_NULL, 5, MPI_COMM_WORLD, &st));
    check_null_status(&st);
    flag = 0;
    MPI_OK(MPI_Iprobe(MPI_PROC_NULL, 5, MPI_COMM_WORLD, &flag, &st));
    CHECK_INT(flag, 1);
    check_null_status(&st);
    say("probe proc_null ok\n");

    MPI_Request p[2];
    MPI_OK(MPI_Send_init(buf, 4, MPI_INT, MPI_PROC_NULL, 6, MPI_COMM_WORLD, &p[0]));
    MPI_OK(MPI_Recv_init(buf, 4, MPI_INT, MPI_PROC_NULL, 6, MPI_COMM_WORLD, &p[1]));
    for (int it = 0; it < 3; it++) {
        MPI_OK(MPI_Startall(2, p));
        MPI_OK(MPI_Waitall(2, p, sts));
        check_null_status(&sts[1]);
    }
    MPI_OK(MPI_Request_free(&p[0]));
    MPI_OK(MPI_Request_free(&p[1]));
    say("persistent proc_null ok\n");
    finish();
    return 0;
}
