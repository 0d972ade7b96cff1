/* Collectives at their edges, at every np: zero counts, MPI_IN_PLACE, a
 * receive count larger than the send, MPI_LONG and unsigned types; then,
 * under MPI_ERRORS_RETURN, calls that must fail with the right class. At
 * np 1 libfaasmpi finishes valid calls without the host (coll.c), so this
 * also checks that it hands every invalid one over. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    long l = rank + 1, lsum = 0;
    MPI_OK(MPI_Allreduce(&l, &lsum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD));
    unsigned u = 3u << rank % 8, umax = 0;
    MPI_OK(MPI_Allreduce(&u, &umax, 1, MPI_UNSIGNED, MPI_MAX, MPI_COMM_WORLD));
    double d[3] = {rank + 0.5, -rank, 2.0}, dprod[3];
    MPI_OK(MPI_Allreduce(d, dprod, 3, MPI_DOUBLE, MPI_PROD, MPI_COMM_WORLD));
    short s = (short)(10 - rank);
    MPI_OK(MPI_Allreduce(MPI_IN_PLACE, &s, 1, MPI_SHORT, MPI_MIN, MPI_COMM_WORLD));
    say("allreduce long sum %ld, unsigned max %u, double prod %g %g %g, in-place short min %d\n", lsum, umax,
        dprod[0], dprod[1], dprod[2], s);

    int r0 = -1;
    MPI_OK(MPI_Reduce(&rank, &r0, 0, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD));
    MPI_OK(MPI_Bcast(&r0, 0, MPI_INT, 0, MPI_COMM_WORLD));
    say("zero-count reduce and bcast leave %d\n", r0);

    char *all = calloc((size_t)size * 4 + 8, 1);
    int *counts = malloc(sizeof(int) * size), *displs = malloc(sizeof(int) * size);
    for (int p = 0; p < size; p++) counts[p] = p % 3 + 1, displs[p] = 4 * p + 2;
    char mine[4] = {'a' + rank % 26, 'A' + rank % 26, '0' + rank % 10, 0};
    memcpy(all + displs[rank], mine, counts[rank]);
    MPI_OK(MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, all, counts, displs, MPI_CHAR, MPI_COMM_WORLD));
    for (int i = 0; i < size * 4 + 8; i++) if (all[i] == 0) all[i] = '.';
    all[size * 4 + 7] = 0;
    say("allgatherv in place: %s\n", all);
    memset(all, 0, (size_t)size * 4 + 8);
    MPI_OK(MPI_Allgatherv(mine, counts[rank], MPI_CHAR, all, counts, displs, MPI_CHAR, MPI_COMM_WORLD));
    for (int i = 0; i < size * 4 + 8; i++) if (all[i] == 0) all[i] = '.';
    all[size * 4 + 7] = 0;
    say("allgatherv: %s\n", all);

    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    int x = 1, y = 0;
    CHECK_CLASS(MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_OP_NULL, MPI_COMM_WORLD), MPI_ERR_OP);
    CHECK_CLASS(MPI_Reduce(&x, &y, 1, MPI_INT, MPI_SUM, -1, MPI_COMM_WORLD), MPI_ERR_ROOT);
    CHECK_CLASS(MPI_Bcast(&x, -1, MPI_INT, 0, MPI_COMM_WORLD), MPI_ERR_COUNT);
    CHECK_CLASS(MPI_Allgather(&x, -1, MPI_INT, &y, 1, MPI_INT, MPI_COMM_WORLD), MPI_ERR_COUNT);
    CHECK_CLASS(MPI_Barrier(MPI_COMM_NULL), MPI_ERR_COMM);
    say("invalid calls fail with their classes\n");

    free(all); free(counts); free(displs);
    MPI_Finalize();
    return 0;
}
