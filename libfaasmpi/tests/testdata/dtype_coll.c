/* Derived datatypes in collectives: Bcast of a vector, Gather/Scatter of
 * matrix columns with a resized vector (distributed transpose), Allgather
 * of a struct type, Alltoall with indexed/subarray blocks, Gatherv into a
 * strided receive type, Reduce with a contiguous type and a user op. */
#include "check.h"
#include <stddef.h>

typedef struct {
    int id;
    double v;
} rec_t;

static void sumvec(void *in, void *io, int *len, MPI_Datatype *dt) {
    (void)dt;
    int *a = in, *b = io; /* the type is contiguous(3, int) */
    for (int i = 0; i < 3 * *len; i++) b[i] += a[i];
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    /* Bcast every other element of 10 */
    {
        int a[10];
        for (int i = 0; i < 10; i++) a[i] = rank == 0 ? i * 3 : -1;
        MPI_Datatype ev;
        MPI_OK(MPI_Type_vector(5, 1, 2, MPI_INT, &ev));
        MPI_OK(MPI_Type_commit(&ev));
        MPI_OK(MPI_Bcast(a, 1, ev, 0, MPI_COMM_WORLD));
        for (int i = 0; i < 10; i++) CHECK_INT(a[i], (i % 2 == 0 || rank == 0) ? i * 3 : -1);
        MPI_OK(MPI_Type_free(&ev));
    }
    say("bcast vector ok\n");

    /* root holds an size x 4 matrix (row r goes to rank r); gathering
     * columns: each rank sends its row of 4 and root receives it as a
     * column of a 4 x size matrix via a resized vector */
    {
        int row[4];
        for (int j = 0; j < 4; j++) row[j] = rank * 10 + j;
        int *t = malloc(4 * size * sizeof(int));
        MPI_Datatype col, colr;
        MPI_OK(MPI_Type_vector(4, 1, size, MPI_INT, &col));
        MPI_OK(MPI_Type_create_resized(col, 0, sizeof(int), &colr));
        MPI_OK(MPI_Type_commit(&colr));
        for (int i = 0; i < 4 * size; i++) t[i] = -1;
        MPI_OK(MPI_Gather(row, 4, MPI_INT, t, 1, colr, 0, MPI_COMM_WORLD));
        if (rank == 0)
            for (int j = 0; j < 4; j++)
                for (int r = 0; r < size; r++) CHECK_INT(t[j * size + r], r * 10 + j);
        /* and back: scatter columns, received as rows */
        int back[4] = {-1, -1, -1, -1};
        MPI_OK(MPI_Scatter(t, 1, colr, back, 4, MPI_INT, 0, MPI_COMM_WORLD));
        for (int j = 0; j < 4; j++) CHECK_INT(back[j], rank * 10 + j);
        /* allgather of columns: everyone builds the transpose */
        for (int i = 0; i < 4 * size; i++) t[i] = -1;
        MPI_OK(MPI_Allgather(row, 4, MPI_INT, t, 1, colr, MPI_COMM_WORLD));
        for (int j = 0; j < 4; j++)
            for (int r = 0; r < size; r++) CHECK_INT(t[j * size + r], r * 10 + j);
        MPI_OK(MPI_Type_free(&colr));
        MPI_OK(MPI_Type_free(&col));
        free(t);
    }
    say("gather/scatter/allgather with resized columns ok\n");

    /* allgather of structs */
    {
        int bl[2] = {1, 1};
        MPI_Aint d[2] = {offsetof(rec_t, id), offsetof(rec_t, v)};
        MPI_Datatype ts[2] = {MPI_INT, MPI_DOUBLE}, rt0, rt;
        MPI_OK(MPI_Type_create_struct(2, bl, d, ts, &rt0));
        MPI_OK(MPI_Type_create_resized(rt0, 0, sizeof(rec_t), &rt));
        MPI_OK(MPI_Type_commit(&rt));
        rec_t me[2] = {{rank, rank * 0.5}, {-rank, rank * 2.0}};
        rec_t *all = malloc(2 * size * sizeof(rec_t));
        MPI_OK(MPI_Allgather(me, 2, rt, all, 2, rt, MPI_COMM_WORLD));
        for (int r = 0; r < size; r++) {
            CHECK_INT(all[2 * r].id, r);
            CHECK(all[2 * r].v == r * 0.5);
            CHECK_INT(all[2 * r + 1].id, -r);
            CHECK(all[2 * r + 1].v == r * 2.0);
        }
        /* alltoall of structs */
        rec_t *s = malloc(size * sizeof(rec_t)), *rr = malloc(size * sizeof(rec_t));
        for (int dd = 0; dd < size; dd++) s[dd].id = rank * 100 + dd, s[dd].v = dd + 0.5;
        MPI_OK(MPI_Alltoall(s, 1, rt, rr, 1, rt, MPI_COMM_WORLD));
        for (int src = 0; src < size; src++) {
            CHECK_INT(rr[src].id, src * 100 + rank);
            CHECK(rr[src].v == rank + 0.5);
        }
        MPI_OK(MPI_Type_free(&rt));
        MPI_OK(MPI_Type_free(&rt0));
        free(all);
        free(s);
        free(rr);
    }
    say("struct allgather/alltoall ok\n");

    /* gatherv into a strided layout: rank r's r%3+1 ints land every other slot */
    {
        MPI_Datatype every2;
        MPI_OK(MPI_Type_create_resized(MPI_INT, 0, 2 * sizeof(int), &every2));
        MPI_OK(MPI_Type_commit(&every2));
        int *counts = malloc(size * sizeof(int)), *displs = malloc(size * sizeof(int)), tot = 0;
        for (int r = 0; r < size; r++) counts[r] = r % 3 + 1, displs[r] = tot, tot += counts[r];
        int *g = malloc(2 * tot * sizeof(int));
        for (int i = 0; i < 2 * tot; i++) g[i] = -1;
        int mine[3] = {rank * 10, rank * 10 + 1, rank * 10 + 2};
        MPI_OK(MPI_Gatherv(mine, counts[rank], MPI_INT, g, counts, displs, every2, 0, MPI_COMM_WORLD));
        if (rank == 0)
            for (int r = 0; r < size; r++)
                for (int k = 0; k < counts[r]; k++) {
                    CHECK_INT(g[2 * (displs[r] + k)], r * 10 + k);
                    CHECK_INT(g[2 * (displs[r] + k) + 1], -1);
                }
        MPI_OK(MPI_Type_free(&every2));
        free(counts), free(displs), free(g);
    }
    say("gatherv strided ok\n");

    /* reduce with a contiguous type: predefined-type-only ops are not
     * allowed on derived types, so a user op sums the triples */
    {
        MPI_Datatype tri;
        MPI_OK(MPI_Type_contiguous(3, MPI_INT, &tri));
        MPI_OK(MPI_Type_commit(&tri));
        MPI_Op op;
        MPI_OK(MPI_Op_create(sumvec, 1, &op));
        int in[6], out[6];
        for (int i = 0; i < 6; i++) in[i] = rank + i;
        MPI_OK(MPI_Allreduce(in, out, 2, tri, op, MPI_COMM_WORLD));
        for (int i = 0; i < 6; i++) CHECK_INT(out[i], size * (size - 1) / 2 + size * i);
        MPI_OK(MPI_Op_free(&op));
        MPI_OK(MPI_Type_free(&tri));
    }
    say("reduce on contiguous type ok\n");
    finish();
    return 0;
}
