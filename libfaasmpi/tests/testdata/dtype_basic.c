/* Datatype constructors and queries: contiguous, vector, hvector, indexed,
 * hindexed, create_indexed_block, create_struct, create_subarray (C and
 * Fortran order), create_resized, dup, commit, free, Type_size,
 * Type_get_extent, Type_get_true_extent, Get_address. Sizes and extents are
 * printed only for types built from int/double, identical on every ABI. */
#include "check.h"
#include <stddef.h>

static void show(const char *name, MPI_Datatype t) {
    int sz;
    MPI_Aint lb, ext, tlb, text;
    MPI_OK(MPI_Type_size(t, &sz));
    MPI_OK(MPI_Type_get_extent(t, &lb, &ext));
    MPI_OK(MPI_Type_get_true_extent(t, &tlb, &text));
    say("%-22s size %3d lb %3ld extent %3ld true_lb %3ld true_extent %3ld\n", name, sz, (long)lb, (long)ext,
        (long)tlb, (long)text);
}

struct particle {
    int id;
    double x[3];
    char tag;
};

int main(int argc, char **argv) {
    setup(&argc, &argv);
    show("MPI_INT", MPI_INT);
    show("MPI_DOUBLE", MPI_DOUBLE);
    show("MPI_2INT", MPI_2INT);
    show("MPI_DOUBLE_INT", MPI_DOUBLE_INT);
    show("MPI_FLOAT_INT", MPI_FLOAT_INT);

    MPI_Datatype t, u;
    MPI_OK(MPI_Type_contiguous(5, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("contiguous(5,int)", t);
    MPI_OK(MPI_Type_free(&t));
    CHECK(t == MPI_DATATYPE_NULL);

    MPI_OK(MPI_Type_vector(3, 2, 4, MPI_DOUBLE, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("vector(3,2,4,double)", t);
    MPI_OK(MPI_Type_dup(t, &u));
    show("dup(vector)", u);
    MPI_OK(MPI_Type_free(&u));
    MPI_OK(MPI_Type_free(&t));

    MPI_OK(MPI_Type_create_hvector(3, 1, 20, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("hvector(3,1,20B,int)", t);
    MPI_OK(MPI_Type_free(&t));

    int bl[3] = {2, 1, 3}, disp[3] = {5, 0, 10};
    MPI_OK(MPI_Type_indexed(3, bl, disp, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("indexed", t);
    MPI_OK(MPI_Type_free(&t));

    MPI_Aint hdisp[3] = {8, 0, 40};
    MPI_OK(MPI_Type_create_hindexed(3, bl, hdisp, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("hindexed", t);
    MPI_OK(MPI_Type_free(&t));

    int bd[4] = {1, 7, 3, 12};
    MPI_OK(MPI_Type_create_indexed_block(4, 2, bd, MPI_DOUBLE, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("indexed_block", t);
    MPI_OK(MPI_Type_free(&t));

    /* a struct laid out by offsetof: same on every ABI for int/double/char */
    int sbl[3] = {1, 3, 1};
    MPI_Aint sd[3] = {offsetof(struct particle, id), offsetof(struct particle, x), offsetof(struct particle, tag)};
    MPI_Datatype st[3] = {MPI_INT, MPI_DOUBLE, MPI_CHAR};
    MPI_OK(MPI_Type_create_struct(3, sbl, sd, st, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("struct(int,3dbl,char)", t);
    MPI_OK(MPI_Type_create_resized(t, 0, sizeof(struct particle), &u));
    MPI_OK(MPI_Type_commit(&u));
    show("resized(struct)", u);
    MPI_OK(MPI_Type_free(&u));
    MPI_OK(MPI_Type_free(&t));

    /* Get_address differences match pointer differences */
    struct particle ps[2];
    MPI_Aint a0, a1, a2;
    MPI_OK(MPI_Get_address(&ps[0], &a0));
    MPI_OK(MPI_Get_address(&ps[0].x[1], &a1));
    MPI_OK(MPI_Get_address(&ps[1], &a2));
    CHECK_INT(a1 - a0, (char *)&ps[0].x[1] - (char *)&ps[0]);
    CHECK_INT(a2 - a0, sizeof(struct particle));
    say("get_address differences ok\n");

    int sizes[3] = {4, 5, 6}, subs[3] = {2, 3, 2}, starts[3] = {1, 2, 3};
    MPI_OK(MPI_Type_create_subarray(3, sizes, subs, starts, MPI_ORDER_C, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("subarray C", t);
    MPI_OK(MPI_Type_free(&t));
    MPI_OK(MPI_Type_create_subarray(3, sizes, subs, starts, MPI_ORDER_FORTRAN, MPI_DOUBLE, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("subarray Fortran", t);
    MPI_OK(MPI_Type_free(&t));

    /* resized with a negative lower bound, and a vector of it */
    MPI_OK(MPI_Type_create_resized(MPI_INT, -4, 12, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("resized(int,-4,12)", t);
    MPI_OK(MPI_Type_contiguous(3, t, &u));
    MPI_OK(MPI_Type_commit(&u));
    show("contiguous(3,resized)", u);
    MPI_OK(MPI_Type_free(&u));
    MPI_OK(MPI_Type_free(&t));

    /* nested: vector of vectors */
    MPI_Datatype inner;
    MPI_OK(MPI_Type_vector(2, 1, 3, MPI_INT, &inner));
    MPI_OK(MPI_Type_create_hvector(2, 1, 64, inner, &t));
    MPI_OK(MPI_Type_commit(&t));
    show("hvector(vector)", t);
    MPI_OK(MPI_Type_free(&inner)); /* t stays usable */
    show("hvector after inner free", t);
    MPI_OK(MPI_Type_free(&t));

    /* zero-count types */
    MPI_OK(MPI_Type_contiguous(0, MPI_INT, &t));
    MPI_OK(MPI_Type_commit(&t));
    int sz;
    MPI_OK(MPI_Type_size(t, &sz));
    CHECK_INT(sz, 0);
    MPI_OK(MPI_Type_free(&t));
    say("zero-count type ok\n");
    finish();
    return 0;
}
