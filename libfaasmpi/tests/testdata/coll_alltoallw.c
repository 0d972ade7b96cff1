/* Alltoallw: a different datatype per peer (contiguous ints, a vector,
 * doubles), byte displacements, zero counts, and MPI_IN_PLACE. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int *sc = malloc(size * sizeof(int)), *rc = malloc(size * sizeof(int));
    int *sd = malloc(size * sizeof(int)), *rd = malloc(size * sizeof(int));
    MPI_Datatype *st = malloc(size * sizeof(MPI_Datatype)), *rt = malloc(size * sizeof(MPI_Datatype));
    MPI_Datatype pair;
    MPI_OK(MPI_Type_vector(2, 1, 2, MPI_INT, &pair)); /* ints 0 and 2 */
    MPI_OK(MPI_Type_commit(&pair));
    /* to peer d: (d % 3) elements of kind d%2 (0: pair vectors, 1: ints) */
    int *sbuf = malloc(size * 8 * sizeof(int)), *rbuf = malloc(size * 8 * sizeof(int));
    for (int d = 0; d < size; d++) {
        sd[d] = d * 8 * sizeof(int);
        rd[d] = (size - 1 - d) * 8 * sizeof(int); /* reversed on receive */
        sc[d] = (rank + d) % 3;
        rc[d] = (d + rank) % 3;
        st[d] = (rank + d) % 2 ? MPI_INT : pair;
        rt[d] = (d + rank) % 2 ? MPI_INT : pair;
        for (int k = 0; k < 8; k++) sbuf[d * 8 + k] = rank * 1000 + d * 10 + k;
    }
    for (int i = 0; i < size * 8; i++) rbuf[i] = -1;
    MPI_OK(MPI_Alltoallw(sbuf, sc, sd, st, rbuf, rc, rd, rt, MPI_COMM_WORLD));
    for (int s = 0; s < size; s++) {
        int *blk = rbuf + (size - 1 - s) * 8, n = (s + rank) % 3;
        if ((s + rank) % 2) { /* n plain ints: sender's k = 0..n-1 */
            for (int k = 0; k < n; k++) CHECK_INT(blk[k], s * 1000 + rank * 10 + k);
            for (int k = n; k < 8; k++) CHECK_INT(blk[k], -1);
        } else { /* n pairs: sender elements 0,2 | 3,5 land at 0,2 | 3,5 */
            for (int p = 0; p < n; p++) {
                CHECK_INT(blk[3 * p], s * 1000 + rank * 10 + 3 * p);
                CHECK_INT(blk[3 * p + 2], s * 1000 + rank * 10 + 3 * p + 2);
                CHECK_INT(blk[3 * p + 1], -1);
            }
        }
    }
    say("alltoallw mixed types ok\n");

    /* in place: symmetric counts and types */
    for (int d = 0; d < size; d++)
        for (int k = 0; k < 8; k++) rbuf[d * 8 + k] = rank * 1000 + d * 10 + k;
    for (int d = 0; d < size; d++) rd[d] = d * 8 * sizeof(int);
    MPI_OK(MPI_Alltoallw(MPI_IN_PLACE, NULL, NULL, NULL, rbuf, rc, rd, rt, MPI_COMM_WORLD));
    for (int s = 0; s < size; s++) {
        int n = (s + rank) % 3, *blk = rbuf + s * 8;
        if ((s + rank) % 2)
            for (int k = 0; k < n; k++) CHECK_INT(blk[k], s * 1000 + rank * 10 + k);
        else
            for (int p = 0; p < n; p++) CHECK_INT(blk[3 * p + 2], s * 1000 + rank * 10 + 3 * p + 2);
    }
    say("alltoallw in place ok\n");
    MPI_OK(MPI_Type_free(&pair));
    free(sc), free(rc), free(sd), free(rd), free(st), free(rt), free(sbuf), free(rbuf);
    finish();
    return 0;
}
