/* Vector collectives: Gatherv, Scatterv, Allgatherv, Alltoallv with
 * varying and zero counts, gapped and reversed displacements, every root,
 * and MPI_IN_PLACE where allowed (Gatherv/Scatterv root, Allgatherv,
 * Alltoallv). */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int *counts = malloc(size * sizeof(int)), *displs = malloc(size * sizeof(int));
    /* rank r contributes r%3 items (zero for every third rank); blocks are
     * laid out in reverse rank order with a gap of 2 */
    int total = 0;
    for (int r = size - 1; r >= 0; r--) {
        counts[r] = r % 3;
        displs[r] = total;
        total += counts[r] + 2;
    }
    int *buf = malloc((total + 1) * sizeof(int));
    int mine[3];
    for (int k = 0; k < 3; k++) mine[k] = rank * 10 + k;

    for (int root = 0; root < size; root++) {
        for (int i = 0; i < total; i++) buf[i] = -1;
        MPI_OK(MPI_Gatherv(mine, counts[rank], MPI_INT, buf, counts, displs, MPI_INT, root, MPI_COMM_WORLD));
        if (rank == root) {
            for (int r = 0; r < size; r++)
                for (int k = 0; k < counts[r]; k++) CHECK_INT(buf[displs[r] + k], r * 10 + k);
            for (int r = 0; r < size; r++) CHECK_INT(buf[displs[r] + counts[r]], -1); /* gaps untouched */
        }
        /* in place at root */
        if (rank == root) {
            for (int i = 0; i < total; i++) buf[i] = -1;
            for (int k = 0; k < counts[root]; k++) buf[displs[root] + k] = root * 10 + k;
            MPI_OK(MPI_Gatherv(MPI_IN_PLACE, 0, MPI_INT, buf, counts, displs, MPI_INT, root, MPI_COMM_WORLD));
            for (int r = 0; r < size; r++)
                for (int k = 0; k < counts[r]; k++) CHECK_INT(buf[displs[r] + k], r * 10 + k);
        } else {
            MPI_OK(MPI_Gatherv(mine, counts[rank], MPI_INT, NULL, NULL, NULL, MPI_INT, root, MPI_COMM_WORLD));
        }
        /* scatterv back, negated */
        if (rank == root)
            for (int i = 0; i < total; i++) buf[i] = -buf[i];
        int got[3] = {7, 7, 7};
        MPI_OK(MPI_Scatterv(buf, counts, displs, MPI_INT, got, counts[rank], MPI_INT, root, MPI_COMM_WORLD));
        for (int k = 0; k < counts[rank]; k++) CHECK_INT(got[k], -(rank * 10 + k));
        for (int k = counts[rank]; k < 3; k++) CHECK_INT(got[k], 7);
        if (rank == root) {
            MPI_OK(MPI_Scatterv(buf, counts, displs, MPI_INT, MPI_IN_PLACE, 0, MPI_INT, root, MPI_COMM_WORLD));
        } else {
            got[0] = 7;
            MPI_OK(MPI_Scatterv(NULL, NULL, NULL, MPI_INT, got, counts[rank], MPI_INT, root, MPI_COMM_WORLD));
            if (counts[rank] > 0) CHECK_INT(got[0], -(rank * 10));
        }
    }
    say("gatherv/scatterv every root ok\n");

    /* allgatherv, normal and in place */
    for (int i = 0; i < total; i++) buf[i] = -1;
    MPI_OK(MPI_Allgatherv(mine, counts[rank], MPI_INT, buf, counts, displs, MPI_INT, MPI_COMM_WORLD));
    for (int r = 0; r < size; r++)
        for (int k = 0; k < counts[r]; k++) CHECK_INT(buf[displs[r] + k], r * 10 + k);
    for (int i = 0; i < total; i++) buf[i] = -1;
    for (int k = 0; k < counts[rank]; k++) buf[displs[rank] + k] = rank * 10 + k;
    MPI_OK(MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, buf, counts, displs, MPI_INT, MPI_COMM_WORLD));
    for (int r = 0; r < size; r++) {
        for (int k = 0; k < counts[r]; k++) CHECK_INT(buf[displs[r] + k], r * 10 + k);
        CHECK_INT(buf[displs[r] + counts[r]], -1);
    }
    say("allgatherv ok\n");

    /* alltoallv: rank s sends (s+d)%4 items to d; receive blocks reversed */
    {
        int *sc = malloc(size * sizeof(int)), *sd = malloc(size * sizeof(int));
        int *rc = malloc(size * sizeof(int)), *rd = malloc(size * sizeof(int));
        int st = 0, rt = 0;
        for (int d = 0; d < size; d++) sc[d] = (rank + d) % 4, sd[d] = st, st += sc[d] + 1;
        for (int s = size - 1; s >= 0; s--) rc[s] = (s + rank) % 4, rd[s] = rt, rt += rc[s];
        int *sb = malloc((st + 1) * sizeof(int)), *rb = malloc((rt + 1) * sizeof(int));
        for (int d = 0; d < size; d++)
            for (int k = 0; k < sc[d]; k++) sb[sd[d] + k] = rank * 1000 + d * 10 + k;
        MPI_OK(MPI_Alltoallv(sb, sc, sd, MPI_INT, rb, rc, rd, MPI_INT, MPI_COMM_WORLD));
        for (int s = 0; s < size; s++)
            for (int k = 0; k < rc[s]; k++) CHECK_INT(rb[rd[s] + k], s * 1000 + rank * 10 + k);
        /* in place: symmetric counts (s+d)%4 both ways */
        int *ib = malloc((rt + 1) * sizeof(int));
        for (int d = 0; d < size; d++)
            for (int k = 0; k < rc[d]; k++) ib[rd[d] + k] = rank * 1000 + d * 10 + k;
        MPI_OK(MPI_Alltoallv(MPI_IN_PLACE, NULL, NULL, MPI_DATATYPE_NULL, ib, rc, rd, MPI_INT, MPI_COMM_WORLD));
        for (int s = 0; s < size; s++)
            for (int k = 0; k < rc[s]; k++) CHECK_INT(ib[rd[s] + k], s * 1000 + rank * 10 + k);
        free(sc), free(sd), free(rc), free(rd), free(sb), free(rb), free(ib);
    }
    say("alltoallv ok\n");
    free(counts);
    free(displs);
    free(buf);
    finish();
    return 0;
}
