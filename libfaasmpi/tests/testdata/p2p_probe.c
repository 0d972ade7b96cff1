/* Probe and Iprobe: specific and wildcard source/tag, the probed message
 * stays queued (probe twice), Get_count from a probe sizes the receive,
 * Iprobe returns false when nothing matches, probe skips other tags. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    MPI_Status st;
    int flag = -1;

    /* nothing sent yet with tag 77 */
    MPI_OK(MPI_Iprobe(MPI_ANY_SOURCE, 77, MPI_COMM_WORLD, &flag, &st));
    CHECK_INT(flag, 0);
    MPI_Barrier(MPI_COMM_WORLD);

    /* variable-size message: length depends on the sender */
    int n = 5 + 3 * rank;
    int *out = malloc(n * sizeof(int));
    for (int i = 0; i < n; i++) out[i] = rank + i;
    MPI_Request sr;
    MPI_OK(MPI_Isend(out, n, MPI_INT, right, 30, MPI_COMM_WORLD, &sr));
    MPI_OK(MPI_Probe(left, 30, MPI_COMM_WORLD, &st));
    CHECK_INT(st.MPI_SOURCE, left);
    CHECK_INT(st.MPI_TAG, 30);
    int c = -1;
    MPI_OK(MPI_Get_count(&st, MPI_INT, &c));
    CHECK_INT(c, 5 + 3 * left);
    /* probing again finds the same message */
    MPI_OK(MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
    CHECK_INT(st.MPI_SOURCE, left);
    CHECK_INT(st.MPI_TAG, 30);
    int *in = malloc(c * sizeof(int));
    MPI_OK(MPI_Recv(in, c, MPI_INT, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &st));
    for (int i = 0; i < c; i++) CHECK_INT(in[i], left + i);
    MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
    free(in);
    say("probe sizes receive ok\n");

    /* Iprobe polling until a message arrives (sent after a barrier) */
    MPI_Barrier(MPI_COMM_WORLD);
    double v = rank * 1.5;
    MPI_OK(MPI_Isend(&v, 1, MPI_DOUBLE, right, 31, MPI_COMM_WORLD, &sr));
    flag = 0;
    long spins = 0;
    while (!flag) {
        MPI_OK(MPI_Iprobe(left, 31, MPI_COMM_WORLD, &flag, &st));
        spins++;
    }
    CHECK_INT(st.MPI_SOURCE, left);
    MPI_OK(MPI_Get_count(&st, MPI_DOUBLE, &c));
    CHECK_INT(c, 1);
    double w = 0;
    MPI_OK(MPI_Recv(&w, 1, MPI_DOUBLE, left, 31, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    CHECK(w == left * 1.5);
    MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
    say("iprobe polling ok\n");

    /* probe skips a message with another tag */
    int a = 1, b = 2;
    MPI_Request r2[2];
    MPI_OK(MPI_Isend(&a, 1, MPI_INT, right, 40, MPI_COMM_WORLD, &r2[0]));
    MPI_OK(MPI_Isend(&b, 1, MPI_INT, right, 41, MPI_COMM_WORLD, &r2[1]));
    MPI_OK(MPI_Probe(left, 41, MPI_COMM_WORLD, &st));
    CHECK_INT(st.MPI_TAG, 41);
    MPI_OK(MPI_Iprobe(left, 40, MPI_COMM_WORLD, &flag, &st));
    CHECK_INT(flag, 1);
    CHECK_INT(st.MPI_TAG, 40);
    int x;
    MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 41, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    CHECK_INT(x, 2);
    MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, MPI_ANY_TAG, MPI_COMM_WORLD, &st));
    CHECK_INT(x, 1);
    CHECK_INT(st.MPI_TAG, 40);
    MPI_OK(MPI_Waitall(2, r2, MPI_STATUSES_IGNORE));
    say("probe tag selection ok\n");

    /* rank 0 collects variable messages from all with Probe(ANY_SOURCE) */
    int m = rank + 1;
    int *mb = malloc(m * sizeof(int));
    for (int i = 0; i < m; i++) mb[i] = rank;
    MPI_OK(MPI_Isend(mb, m, MPI_INT, 0, 50, MPI_COMM_WORLD, &sr));
    if (rank == 0) {
        long total = 0;
        for (int k = 0; k < size; k++) {
            MPI_OK(MPI_Probe(MPI_ANY_SOURCE, 50, MPI_COMM_WORLD, &st));
            MPI_OK(MPI_Get_count(&st, MPI_INT, &c));
            CHECK_INT(c, st.MPI_SOURCE + 1);
            int *buf = malloc(c * sizeof(int));
            MPI_OK(MPI_Recv(buf, c, MPI_INT, st.MPI_SOURCE, 50, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            for (int i = 0; i < c; i++) {
                CHECK_INT(buf[i], st.MPI_SOURCE);
                total += buf[i];
            }
            free(buf);
        }
        long want = 0;
        for (int r = 0; r < size; r++) want += (long)r * (r + 1);
        CHECK_INT(total, want);
        say("probe any_source collection ok\n");
    }
    MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
    free(mb);
    free(out);
    finish();
    return 0;
}
