/* Derived datatypes in point-to-point: matrix columns (vector) sent and
 * received contiguous and vice versa, struct arrays, indexed scatter,
 * subarray halos, resized strides, Get_count/Get_elements with partial
 * derived receives, Pack/Unpack/Pack_size, MPI_PACKED messages. */
#include "check.h"
#include <stddef.h>

struct particle {
    int id;
    double x[3];
    char tag;
};

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    MPI_Status st;

    /* column 2 of a 6x5 matrix -> contiguous 6 on the receiver, and back
     * into column 4 */
    {
        double a[6][5], col[6], b[6][5];
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 5; j++) a[i][j] = rank * 100 + i * 10 + j, b[i][j] = -1;
        MPI_Datatype column;
        MPI_OK(MPI_Type_vector(6, 1, 5, MPI_DOUBLE, &column));
        MPI_OK(MPI_Type_commit(&column));
        MPI_OK(MPI_Sendrecv(&a[0][2], 1, column, right, 1, col, 6, MPI_DOUBLE, left, 1, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 6; i++) CHECK(col[i] == left * 100 + i * 10 + 2);
        int c;
        MPI_OK(MPI_Get_count(&st, MPI_DOUBLE, &c));
        CHECK_INT(c, 6);
        MPI_OK(MPI_Sendrecv(col, 6, MPI_DOUBLE, right, 2, &b[0][4], 1, column, left, 2, MPI_COMM_WORLD, &st));
        MPI_OK(MPI_Get_count(&st, column, &c));
        CHECK_INT(c, 1);
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 5; j++) {
                double want = j == 4 ? ((left + size - 1) % size) * 100 + i * 10 + 2 : -1;
                CHECK(b[i][j] == want);
            }
        MPI_OK(MPI_Type_free(&column));
    }
    say("vector column ok\n");

    /* array of structs with a resized struct type */
    {
        struct particle out[4], in[4];
        memset(in, 0, sizeof in);
        for (int i = 0; i < 4; i++) {
            out[i].id = rank * 10 + i;
            for (int k = 0; k < 3; k++) out[i].x[k] = rank + i * 0.5 + k;
            out[i].tag = 'a' + i;
        }
        int bl[3] = {1, 3, 1};
        MPI_Aint d[3] = {offsetof(struct particle, id), offsetof(struct particle, x), offsetof(struct particle, tag)};
        MPI_Datatype ts[3] = {MPI_INT, MPI_DOUBLE, MPI_CHAR}, s0, sp;
        MPI_OK(MPI_Type_create_struct(3, bl, d, ts, &s0));
        MPI_OK(MPI_Type_create_resized(s0, 0, sizeof(struct particle), &sp));
        MPI_OK(MPI_Type_commit(&sp));
        MPI_OK(MPI_Sendrecv(out, 4, sp, right, 3, in, 4, sp, left, 3, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 4; i++) {
            CHECK_INT(in[i].id, left * 10 + i);
            for (int k = 0; k < 3; k++) CHECK(in[i].x[k] == left + i * 0.5 + k);
            CHECK_INT(in[i].tag, 'a' + i);
        }
        /* a partial message: 2 particles plus the id of a third */
        int c, e;
        MPI_OK(MPI_Sendrecv(out, 2, sp, right, 4, in, 4, sp, left, 4, MPI_COMM_WORLD, &st));
        MPI_OK(MPI_Get_count(&st, sp, &c));
        CHECK_INT(c, 2);
        MPI_OK(MPI_Get_elements(&st, sp, &e));
        CHECK_INT(e, 10);
        MPI_OK(MPI_Type_free(&sp));
        MPI_OK(MPI_Type_free(&s0));
    }
    say("struct array ok\n");

    /* partial fill of a derived receive type: 7 doubles into pairs */
    {
        MPI_Datatype pair;
        MPI_OK(MPI_Type_contiguous(2, MPI_DOUBLE, &pair));
        MPI_OK(MPI_Type_commit(&pair));
        double o[7], in[8];
        for (int i = 0; i < 7; i++) o[i] = i + rank;
        MPI_OK(MPI_Sendrecv(o, 7, MPI_DOUBLE, right, 5, in, 4, pair, left, 5, MPI_COMM_WORLD, &st));
        int c, e;
        MPI_OK(MPI_Get_count(&st, pair, &c));
        CHECK_INT(c, MPI_UNDEFINED);
        MPI_OK(MPI_Get_elements(&st, pair, &e));
        CHECK_INT(e, 7);
        for (int i = 0; i < 7; i++) CHECK(in[i] == i + left);
        MPI_OK(MPI_Type_free(&pair));
    }
    say("partial derived receive ok\n");

    /* indexed on both sides: scatter pieces into a different layout */
    {
        int src[20], dst[20];
        for (int i = 0; i < 20; i++) src[i] = rank * 100 + i, dst[i] = -1;
        int bl[3] = {3, 1, 2}, ds[3] = {0, 10, 15}, dr[3] = {17, 2, 8};
        MPI_Datatype ti, to;
        MPI_OK(MPI_Type_indexed(3, bl, ds, MPI_INT, &ti));
        MPI_OK(MPI_Type_indexed(3, bl, dr, MPI_INT, &to));
        MPI_OK(MPI_Type_commit(&ti));
        MPI_OK(MPI_Type_commit(&to));
        MPI_OK(MPI_Sendrecv(src, 1, ti, right, 6, dst, 1, to, left, 6, MPI_COMM_WORLD, &st));
        /* stream: 0 1 2 10 15 16 -> positions 17 18 19 2 8 9 */
        int pos[6] = {17, 18, 19, 2, 8, 9}, val[6] = {0, 1, 2, 10, 15, 16};
        int filled = 0;
        for (int k = 0; k < 6; k++) CHECK_INT(dst[pos[k]], left * 100 + val[k]);
        for (int i = 0; i < 20; i++) filled += dst[i] != -1;
        CHECK_INT(filled, 6);
        MPI_OK(MPI_Type_free(&ti));
        MPI_OK(MPI_Type_free(&to));
    }
    say("indexed to indexed ok\n");

    /* subarray: interior 2x3 block of a 4x5 grid into the corner of another */
    {
        int g[4][5], h[4][5];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++) g[i][j] = rank * 100 + i * 10 + j, h[i][j] = -1;
        int sizes[2] = {4, 5}, sub[2] = {2, 3}, s1[2] = {1, 1}, s2[2] = {0, 2};
        MPI_Datatype a, b;
        MPI_OK(MPI_Type_create_subarray(2, sizes, sub, s1, MPI_ORDER_C, MPI_INT, &a));
        MPI_OK(MPI_Type_create_subarray(2, sizes, sub, s2, MPI_ORDER_C, MPI_INT, &b));
        MPI_OK(MPI_Type_commit(&a));
        MPI_OK(MPI_Type_commit(&b));
        MPI_OK(MPI_Sendrecv(g, 1, a, right, 7, h, 1, b, left, 7, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 5; j++) {
                int in = i < 2 && j >= 2;
                CHECK_INT(h[i][j], in ? left * 100 + (i + 1) * 10 + (j - 2 + 1) : -1);
            }
        MPI_OK(MPI_Type_free(&a));
        MPI_OK(MPI_Type_free(&b));
    }
    say("subarray block ok\n");

    /* resized type with a stride: every third int, sent count 4 */
    {
        int a[12], b[4];
        for (int i = 0; i < 12; i++) a[i] = rank * 100 + i;
        MPI_Datatype r;
        MPI_OK(MPI_Type_create_resized(MPI_INT, 0, 3 * sizeof(int), &r));
        MPI_OK(MPI_Type_commit(&r));
        MPI_OK(MPI_Sendrecv(a, 4, r, right, 8, b, 4, MPI_INT, left, 8, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 4; i++) CHECK_INT(b[i], left * 100 + 3 * i);
        MPI_OK(MPI_Type_free(&r));
    }
    say("resized stride ok\n");

    /* Pack/Unpack round trip and MPI_PACKED on the wire */
    {
        int n = 3;
        double d[2] = {rank + 0.25, rank + 0.75};
        char txt[5] = "mpi!";
        int psz = 0, t;
        MPI_OK(MPI_Pack_size(1, MPI_INT, MPI_COMM_WORLD, &t));
        psz += t;
        MPI_OK(MPI_Pack_size(2, MPI_DOUBLE, MPI_COMM_WORLD, &t));
        psz += t;
        MPI_OK(MPI_Pack_size(5, MPI_CHAR, MPI_COMM_WORLD, &t));
        psz += t;
        CHECK(psz >= 4 + 16 + 5);
        char *buf = malloc(psz), *rbuf = malloc(psz);
        int pos = 0;
        MPI_OK(MPI_Pack(&n, 1, MPI_INT, buf, psz, &pos, MPI_COMM_WORLD));
        MPI_OK(MPI_Pack(d, 2, MPI_DOUBLE, buf, psz, &pos, MPI_COMM_WORLD));
        MPI_OK(MPI_Pack(txt, 5, MPI_CHAR, buf, psz, &pos, MPI_COMM_WORLD));
        CHECK(pos > 0 && pos <= psz);
        MPI_OK(MPI_Sendrecv(buf, pos, MPI_PACKED, right, 9, rbuf, psz, MPI_PACKED, left, 9, MPI_COMM_WORLD, &st));
        int got;
        MPI_OK(MPI_Get_count(&st, MPI_PACKED, &got));
        CHECK_INT(got, pos);
        int rn;
        double rd[2];
        char rt[5];
        int rpos = 0;
        MPI_OK(MPI_Unpack(rbuf, got, &rpos, &rn, 1, MPI_INT, MPI_COMM_WORLD));
        MPI_OK(MPI_Unpack(rbuf, got, &rpos, rd, 2, MPI_DOUBLE, MPI_COMM_WORLD));
        MPI_OK(MPI_Unpack(rbuf, got, &rpos, rt, 5, MPI_CHAR, MPI_COMM_WORLD));
        CHECK_INT(rpos, pos);
        CHECK_INT(rn, 3);
        CHECK(rd[0] == left + 0.25 && rd[1] == left + 0.75);
        CHECK(strcmp(rt, "mpi!") == 0);
        /* packed ints received as MPI_INT */
        int vals[4] = {rank, rank + 1, rank + 2, rank + 3}, rv[4];
        MPI_OK(MPI_Pack_size(4, MPI_INT, MPI_COMM_WORLD, &t));
        char *b2 = malloc(t);
        pos = 0;
        MPI_OK(MPI_Pack(vals, 4, MPI_INT, b2, t, &pos, MPI_COMM_WORLD));
        MPI_OK(MPI_Sendrecv(b2, pos, MPI_PACKED, right, 10, rv, 4, MPI_INT, left, 10, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 4; i++) CHECK_INT(rv[i], left + i);
        /* pack a vector type */
        MPI_Datatype v;
        int m[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, diag[3];
        MPI_OK(MPI_Type_vector(3, 1, 4, MPI_INT, &v));
        MPI_OK(MPI_Type_commit(&v));
        pos = 0;
        MPI_OK(MPI_Pack(m, 1, v, b2, t, &pos, MPI_COMM_WORLD));
        rpos = 0;
        MPI_OK(MPI_Unpack(b2, pos, &rpos, diag, 3, MPI_INT, MPI_COMM_WORLD));
        CHECK(diag[0] == 1 && diag[1] == 5 && diag[2] == 9);
        MPI_OK(MPI_Type_free(&v));
        free(buf);
        free(rbuf);
        free(b2);
    }
    say("pack/unpack ok\n");
    finish();
    return 0;
}
