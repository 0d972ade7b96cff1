/* Wildcards: MPI_ANY_SOURCE and MPI_ANY_TAG with the status telling who and
 * what; tag-selective receives taken out of send order; ANY_TAG with a fixed
 * source; ANY_SOURCE with a fixed tag skipping other tags. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);

    /* every rank sends (rank, tag=100+rank) to rank 0, including itself */
    int v = rank * 7;
    MPI_Request sr;
    MPI_OK(MPI_Isend(&v, 1, MPI_INT, 0, 100 + rank, MPI_COMM_WORLD, &sr));
    if (rank == 0) {
        int *seen = calloc(size, sizeof(int));
        for (int i = 0; i < size; i++) {
            int x = -1;
            MPI_Status st;
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            CHECK(st.MPI_SOURCE >= 0 && st.MPI_SOURCE < size);
            CHECK_INT(st.MPI_TAG, 100 + st.MPI_SOURCE);
            CHECK_INT(x, st.MPI_SOURCE * 7);
            seen[st.MPI_SOURCE]++;
        }
        for (int i = 0; i < size; i++) CHECK_INT(seen[i], 1);
        free(seen);
        say("any_source/any_tag: one message from each of %s ranks\n", "all");
    }
    MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
    MPI_Barrier(MPI_COMM_WORLD);

    /* tags 1..5 sent in order to the right; received 5,3,1 then ANY_TAG x2 */
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    MPI_Request rq[5];
    int out[5];
    for (int t = 1; t <= 5; t++) {
        out[t - 1] = rank * 100 + t;
        MPI_OK(MPI_Isend(&out[t - 1], 1, MPI_INT, right, t, MPI_COMM_WORLD, &rq[t - 1]));
    }
    int order[3] = {5, 3, 1};
    char line[LINE_MAX_];
    int pos = snprintf(line, sizeof line, "tag order:");
    for (int i = 0; i < 3; i++) {
        int x;
        MPI_Status st;
        MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, order[i], MPI_COMM_WORLD, &st));
        CHECK_INT(x, left * 100 + order[i]);
        CHECK_INT(st.MPI_TAG, order[i]);
        pos += snprintf(line + pos, sizeof line - pos, " %d", st.MPI_TAG);
    }
    for (int i = 0; i < 2; i++) {
        int x;
        MPI_Status st;
        MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
        CHECK_INT(x, left * 100 + st.MPI_TAG);
        CHECK_INT(st.MPI_SOURCE, left);
        pos += snprintf(line + pos, sizeof line - pos, " %d", st.MPI_TAG);
    }
    MPI_OK(MPI_Waitall(5, rq, MPI_STATUSES_IGNORE));
    ordered(MPI_COMM_WORLD, line);

    /* ANY_SOURCE with a fixed tag: rank 0 gets tag 9 from everyone while
     * tag 8 messages wait; then collects tag 8 with ANY_SOURCE */
    int a = rank, b = -rank;
    MPI_Request r2[2];
    MPI_OK(MPI_Isend(&b, 1, MPI_INT, 0, 8, MPI_COMM_WORLD, &r2[0]));
    MPI_OK(MPI_Isend(&a, 1, MPI_INT, 0, 9, MPI_COMM_WORLD, &r2[1]));
    if (rank == 0) {
        long sum9 = 0, sum8 = 0;
        for (int i = 0; i < size; i++) {
            int x;
            MPI_Status st;
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, 9, MPI_COMM_WORLD, &st));
            CHECK_INT(st.MPI_TAG, 9);
            CHECK_INT(x, st.MPI_SOURCE);
            sum9 += x;
        }
        for (int i = 0; i < size; i++) {
            int x;
            MPI_Status st;
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
            CHECK_INT(st.MPI_TAG, 8);
            CHECK_INT(x, -st.MPI_SOURCE);
            sum8 += x;
        }
        CHECK_INT(sum9, size * (size - 1) / 2);
        CHECK_INT(sum8, -(size * (size - 1) / 2));
        say("fixed tag with any_source ok\n");
    }
    MPI_OK(MPI_Waitall(2, r2, MPI_STATUSES_IGNORE));

    /* an ANY_SOURCE receive posted before the send is made */
    {
        int x = -1;
        MPI_Request r = MPI_REQUEST_NULL;
        if (rank == 0) MPI_OK(MPI_Irecv(&x, 1, MPI_INT, MPI_ANY_SOURCE, 33, MPI_COMM_WORLD, &r));
        MPI_Barrier(MPI_COMM_WORLD);
        if (rank == size - 1) {
            int y = 1234;
            MPI_OK(MPI_Send(&y, 1, MPI_INT, 0, 33, MPI_COMM_WORLD));
        }
        if (rank == 0) {
            MPI_Status st;
            MPI_OK(MPI_Wait(&r, &st));
            CHECK_INT(st.MPI_SOURCE, size - 1);
            CHECK_INT(st.MPI_TAG, 33);
            CHECK_INT(x, 1234);
            say("pre-posted any_source matched rank size-1\n");
        }
    }
    finish();
    return 0;
}
