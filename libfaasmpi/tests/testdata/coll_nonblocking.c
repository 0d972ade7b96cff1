/* Non-blocking collectives: Ibarrier, Ibcast, Ireduce, Iallreduce,
 * Iallgather, Ialltoall; several outstanding at once and completed out of
 * order with Wait/Test/Waitall/Waitany; overlapped with point-to-point. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    long sumr = (long)size * (size - 1) / 2;

    /* Ibarrier: completes after everyone entered */
    MPI_Request r;
    MPI_OK(MPI_Ibarrier(MPI_COMM_WORLD, &r));
    int flag = 0;
    while (!flag) MPI_OK(MPI_Test(&r, &flag, MPI_STATUS_IGNORE));
    CHECK(r == MPI_REQUEST_NULL);
    say("ibarrier ok\n");

    /* six collectives in flight at once, completed in reverse order */
    int bc[4] = {-1, -1, -1, -1}, red = -1, ared[2], *ag = malloc(size * sizeof(int));
    int *a2as = malloc(size * 2 * sizeof(int)), *a2ar = malloc(size * 2 * sizeof(int));
    if (rank == size - 1) bc[0] = 1, bc[1] = 2, bc[2] = 3, bc[3] = 4;
    int mine = rank + 1, two[2] = {rank, -rank};
    for (int d = 0; d < size; d++) a2as[2 * d] = rank * 100 + d, a2as[2 * d + 1] = -(rank * 100 + d);
    MPI_Request rq[6];
    MPI_OK(MPI_Ibcast(bc, 4, MPI_INT, size - 1, MPI_COMM_WORLD, &rq[0]));
    MPI_OK(MPI_Ireduce(&mine, &red, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD, &rq[1]));
    MPI_OK(MPI_Iallreduce(two, ared, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &rq[2]));
    MPI_OK(MPI_Iallgather(&mine, 1, MPI_INT, ag, 1, MPI_INT, MPI_COMM_WORLD, &rq[3]));
    MPI_OK(MPI_Ialltoall(a2as, 2, MPI_INT, a2ar, 2, MPI_INT, MPI_COMM_WORLD, &rq[4]));
    MPI_OK(MPI_Ibarrier(MPI_COMM_WORLD, &rq[5]));
    for (int i = 5; i >= 0; i--) MPI_OK(MPI_Wait(&rq[i], MPI_STATUS_IGNORE));
    CHECK(bc[0] == 1 && bc[3] == 4);
    if (rank == 0) CHECK_INT(red, sumr + size);
    CHECK_INT(ared[0], size - 1);
    CHECK_INT(ared[1], 0);
    for (int i = 0; i < size; i++) CHECK_INT(ag[i], i + 1);
    for (int s = 0; s < size; s++) {
        CHECK_INT(a2ar[2 * s], s * 100 + rank);
        CHECK_INT(a2ar[2 * s + 1], -(s * 100 + rank));
    }
    say("six outstanding collectives ok\n");

    /* repeated rounds with Waitany and Waitall, in place variants */
    for (int round = 0; round < 10; round++) {
        int x = rank * round, sum = -1, y[1] = {rank + round};
        MPI_OK(MPI_Iallreduce(&x, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &rq[0]));
        MPI_OK(MPI_Iallreduce(MPI_IN_PLACE, y, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &rq[1]));
        int root = round % size, v = rank == root ? round * 7 : -1;
        MPI_OK(MPI_Ibcast(&v, 1, MPI_INT, root, MPI_COMM_WORLD, &rq[2]));
        for (int i = 0; i < size; i++) ag[i] = -1;
        ag[rank] = rank * round;
        MPI_OK(MPI_Iallgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, ag, 1, MPI_INT, MPI_COMM_WORLD, &rq[3]));
        int got = 0, idx;
        while (got < 4) {
            MPI_OK(MPI_Waitany(4, rq, &idx, MPI_STATUS_IGNORE));
            CHECK(idx >= 0 && idx < 4);
            got++;
        }
        CHECK_INT(sum, sumr * round);
        CHECK_INT(y[0], round);
        CHECK_INT(v, round * 7);
        for (int i = 0; i < size; i++) CHECK_INT(ag[i], i * round);
        int red2 = -1, in2 = rank;
        if (rank == root) {
            red2 = rank;
            MPI_OK(MPI_Ireduce(MPI_IN_PLACE, &red2, 1, MPI_INT, MPI_MAX, root, MPI_COMM_WORLD, &rq[0]));
        } else {
            MPI_OK(MPI_Ireduce(&in2, NULL, 1, MPI_INT, MPI_MAX, root, MPI_COMM_WORLD, &rq[0]));
        }
        MPI_OK(MPI_Waitall(1, rq, MPI_STATUSES_IGNORE));
        if (rank == root) CHECK_INT(red2, size - 1);
    }
    say("ten rounds with waitany ok\n");

    /* a collective in flight while point-to-point traffic flows */
    {
        int right = (rank + 1) % size, left = (rank + size - 1) % size;
        int s = rank, rr = -1, tot = -1;
        MPI_OK(MPI_Iallreduce(&s, &tot, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &rq[0]));
        MPI_OK(MPI_Sendrecv(&s, 1, MPI_INT, right, 0, &rr, 1, MPI_INT, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        MPI_OK(MPI_Wait(&rq[0], MPI_STATUS_IGNORE));
        CHECK_INT(rr, left);
        CHECK_INT(tot, sumr);
    }
    say("overlap with p2p ok\n");
    free(ag);
    free(a2as);
    free(a2ar);
    finish();
    return 0;
}
