/* Cartesian topologies: Dims_create (free and constrained), Cart_create in
 * 1, 2 and 3 dimensions, periodic and not, with and without reorder and
 * with fewer cells than ranks (the rest get MPI_COMM_NULL), Cart_coords,
 * Cart_rank (wrapping periodic coordinates), Cart_shift by +-1 and +-2 in
 * every direction (MPI_PROC_NULL at open ends), Cart_get, Cartdim_get,
 * Topo_test, Cart_sub, and a halo exchange with Sendrecv. */
#include "check.h"

static void dims(int n, int nd, int *in) {
    int d[4];
    memcpy(d, in, nd * sizeof(int));
    MPI_OK(MPI_Dims_create(n, nd, d));
    char line[LINE_MAX_];
    int pos = snprintf(line, sizeof line, "dims_create(%d, %d, [", n, nd);
    for (int i = 0; i < nd; i++) pos += snprintf(line + pos, sizeof line - pos, i ? " %d" : "%d", in[i]);
    pos += snprintf(line + pos, sizeof line - pos, "]) =");
    for (int i = 0; i < nd; i++) pos += snprintf(line + pos, sizeof line - pos, " %d", d[i]);
    say("%s\n", line);
}

static void grid(int nd, const int *periods, int reorder, const char *name) {
    int d[3] = {0, 0, 0};
    MPI_OK(MPI_Dims_create(size, nd, d));
    MPI_Comm c;
    MPI_OK(MPI_Cart_create(MPI_COMM_WORLD, nd, d, periods, reorder, &c));
    CHECK(c != MPI_COMM_NULL);
    int st, ndims, cr, n;
    MPI_OK(MPI_Topo_test(c, &st));
    CHECK_INT(st, MPI_CART);
    MPI_OK(MPI_Cartdim_get(c, &ndims));
    CHECK_INT(ndims, nd);
    MPI_OK(MPI_Comm_rank(c, &cr));
    MPI_OK(MPI_Comm_size(c, &n));
    CHECK_INT(n, size);
    int gd[3], gp[3], gc[3], co[3];
    MPI_OK(MPI_Cart_get(c, nd, gd, gp, gc));
    MPI_OK(MPI_Cart_coords(c, cr, nd, co));
    for (int i = 0; i < nd; i++) {
        CHECK_INT(gd[i], d[i]);
        CHECK_INT(gp[i], periods[i]);
        CHECK_INT(gc[i], co[i]);
    }
    int back;
    MPI_OK(MPI_Cart_rank(c, co, &back));
    CHECK_INT(back, cr);
    /* row-major order: the rank is the coordinates in mixed radix */
    int lin = 0;
    for (int i = 0; i < nd; i++) lin = lin * d[i] + co[i];
    CHECK_INT(lin, cr);
    char line[LINE_MAX_];
    int pos = snprintf(line, sizeof line, "%s rank %d coords", name, cr);
    for (int i = 0; i < nd; i++) pos += snprintf(line + pos, sizeof line - pos, " %d", co[i]);
    pos += snprintf(line + pos, sizeof line - pos, " shifts");
    for (int dir = 0; dir < nd; dir++)
        for (int k = 0; k < 4; k++) {
            int disp = (int[]){-2, -1, 1, 2}[k];
            int src, dst;
            MPI_OK(MPI_Cart_shift(c, dir, disp, &src, &dst));
            int want[3];
            memcpy(want, co, sizeof want);
            want[dir] = co[dir] + disp;
            int wd = MPI_PROC_NULL;
            if (periods[dir] || (want[dir] >= 0 && want[dir] < d[dir])) {
                want[dir] = ((want[dir] % d[dir]) + d[dir]) % d[dir];
                MPI_OK(MPI_Cart_rank(c, want, &wd));
            }
            CHECK_INT(dst, wd);
            if (dst == MPI_PROC_NULL)
                pos += snprintf(line + pos, sizeof line - pos, " %d:%+d>N", dir, disp);
            else
                pos += snprintf(line + pos, sizeof line - pos, " %d:%+d>%d", dir, disp, dst);
            (void)src;
        }
    ordered(c, line);
    /* periodic Cart_rank wraps out-of-range coordinates */
    if (periods[0]) {
        int w[3];
        memcpy(w, co, sizeof w);
        w[0] += 3 * d[0];
        MPI_OK(MPI_Cart_rank(c, w, &back));
        CHECK_INT(back, cr);
        w[0] = co[0] - d[0];
        MPI_OK(MPI_Cart_rank(c, w, &back));
        CHECK_INT(back, cr);
    }
    /* halo exchange along dimension 0: sum of neighbours' ranks */
    int src, dst, in = -1;
    MPI_OK(MPI_Cart_shift(c, 0, 1, &src, &dst));
    MPI_OK(MPI_Sendrecv(&cr, 1, MPI_INT, dst, 9, &in, 1, MPI_INT, src, 9, c, MPI_STATUS_IGNORE));
    CHECK_INT(in, src == MPI_PROC_NULL ? -1 : src);
    /* Cart_sub keeping the last dimension */
    if (nd > 1) {
        int keep[3] = {0, 0, 0};
        keep[nd - 1] = 1;
        MPI_Comm sub;
        MPI_OK(MPI_Cart_sub(c, keep, &sub));
        int sn, sr, sd;
        MPI_OK(MPI_Comm_size(sub, &sn));
        MPI_OK(MPI_Comm_rank(sub, &sr));
        MPI_OK(MPI_Cartdim_get(sub, &sd));
        CHECK_INT(sn, d[nd - 1]);
        CHECK_INT(sr, co[nd - 1]);
        CHECK_INT(sd, 1);
        int rowsum;
        MPI_OK(MPI_Allreduce(&cr, &rowsum, 1, MPI_INT, MPI_SUM, sub));
        int base = cr - co[nd - 1];
        CHECK_INT(rowsum, base * d[nd - 1] + d[nd - 1] * (d[nd - 1] - 1) / 2);
        MPI_OK(MPI_Comm_free(&sub));
    }
    MPI_OK(MPI_Comm_free(&c));
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int st;
    MPI_OK(MPI_Topo_test(MPI_COMM_WORLD, &st));
    CHECK_INT(st, MPI_UNDEFINED);
    dims(12, 3, (int[]){0, 0, 0});
    dims(7, 2, (int[]){0, 0});
    dims(16, 2, (int[]){0, 0});
    dims(24, 3, (int[]){0, 3, 0});
    dims(30, 3, (int[]){0, 0, 0});
    dims(1, 3, (int[]){0, 0, 0});
    dims(36, 4, (int[]){0, 0, 0, 0});
    dims(8, 3, (int[]){2, 0, 0});
    dims(size, 3, (int[]){0, 0, 0});

    grid(3, (int[]){1, 1, 1}, 0, "3d-periodic");
    grid(3, (int[]){0, 0, 0}, 0, "3d-open");
    grid(3, (int[]){1, 0, 1}, 1, "3d-mixed-reorder");
    grid(2, (int[]){0, 1}, 0, "2d");
    grid(1, (int[]){1}, 0, "1d-ring");

    /* fewer cells than ranks: the extra ranks get MPI_COMM_NULL */
    int d2[2] = {1, size > 1 ? size - 1 : 1}, p2[2] = {0, 0};
    MPI_Comm c;
    MPI_OK(MPI_Cart_create(MPI_COMM_WORLD, 2, d2, p2, 0, &c));
    if (rank >= d2[0] * d2[1]) {
        CHECK(c == MPI_COMM_NULL);
    } else {
        int n;
        MPI_OK(MPI_Comm_size(c, &n));
        CHECK_INT(n, d2[0] * d2[1]);
        MPI_OK(MPI_Comm_free(&c));
    }
    say("partial grid ok\n");
    finish();
    return 0;
}
