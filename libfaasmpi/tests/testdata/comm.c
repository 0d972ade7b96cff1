/* Communicators: Comm_dup, Comm_split (colors, reversed keys, MPI_UNDEFINED),
 * Comm_create from a group, Comm_split_type(SHARED), Comm_compare
 * (IDENT/CONGRUENT/SIMILAR/UNEQUAL), Comm_free, context isolation between
 * a communicator and its dup (same tag, same peers), collectives on
 * sub-communicators. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int res, r, n;
    MPI_Comm dup;
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
    MPI_OK(MPI_Comm_compare(MPI_COMM_WORLD, MPI_COMM_WORLD, &res));
    CHECK_INT(res, MPI_IDENT);
    MPI_OK(MPI_Comm_compare(MPI_COMM_WORLD, dup, &res));
    CHECK_INT(res, MPI_CONGRUENT);
    say("dup is congruent\n");

    /* context isolation: the same (source, tag) on world and on dup */
    {
        int right = (rank + 1) % size, left = (rank + size - 1) % size;
        int a = rank, b = -rank, x, y;
        MPI_Request rq[2];
        MPI_OK(MPI_Isend(&a, 1, MPI_INT, right, 5, MPI_COMM_WORLD, &rq[0]));
        MPI_OK(MPI_Isend(&b, 1, MPI_INT, right, 5, dup, &rq[1]));
        MPI_OK(MPI_Recv(&y, 1, MPI_INT, left, 5, dup, MPI_STATUS_IGNORE));
        MPI_OK(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        CHECK_INT(x, left);
        CHECK_INT(y, -left);
        MPI_OK(MPI_Waitall(2, rq, MPI_STATUSES_IGNORE));
    }
    say("dup isolates traffic\n");

    /* split by parity, key reversing the order */
    MPI_Comm half;
    MPI_OK(MPI_Comm_split(MPI_COMM_WORLD, rank % 2, size - rank, &half));
    MPI_OK(MPI_Comm_rank(half, &r));
    MPI_OK(MPI_Comm_size(half, &n));
    int nsame = (size + 1 - rank % 2) / 2;
    CHECK_INT(n, nsame);
    CHECK_INT(r, nsame - 1 - rank / 2);
    int sum;
    MPI_OK(MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, half));
    int want = 0;
    for (int i = rank % 2; i < size; i += 2) want += i;
    CHECK_INT(sum, want);
    int root_world = -1; /* rank 0 of half is the highest world rank of that parity */
    if (r == 0) root_world = rank;
    MPI_OK(MPI_Bcast(&root_world, 1, MPI_INT, 0, half));
    CHECK_INT(root_world, (size - 1) % 2 == rank % 2 ? size - 1 : size - 2);
    MPI_OK(MPI_Comm_compare(MPI_COMM_WORLD, half, &res));
    CHECK_INT(res, size == 1 ? MPI_CONGRUENT : MPI_UNEQUAL);
    char line[LINE_MAX_];
    snprintf(line, sizeof line, "world %d: parity %d, half rank %d of %d, half sum %d", rank, rank % 2, r, n, sum);
    ordered(MPI_COMM_WORLD, line);

    /* a split with identical keys keeps world order; one with
     * MPI_UNDEFINED gets MPI_COMM_NULL */
    MPI_Comm some;
    MPI_OK(MPI_Comm_split(MPI_COMM_WORLD, rank % 3 == 2 ? MPI_UNDEFINED : 0, 0, &some));
    if (rank % 3 == 2) {
        CHECK(some == MPI_COMM_NULL);
    } else {
        MPI_OK(MPI_Comm_rank(some, &r));
        CHECK_INT(r, rank - rank / 3);
        MPI_OK(MPI_Comm_free(&some));
        CHECK(some == MPI_COMM_NULL);
    }
    /* split reversing the whole world: similar (same group, other order) */
    MPI_Comm rev;
    MPI_OK(MPI_Comm_split(MPI_COMM_WORLD, 0, size - rank, &rev));
    MPI_OK(MPI_Comm_rank(rev, &r));
    CHECK_INT(r, size - 1 - rank);
    MPI_OK(MPI_Comm_compare(MPI_COMM_WORLD, rev, &res));
    CHECK_INT(res, size == 1 ? MPI_CONGRUENT : MPI_SIMILAR);
    say("split variants ok\n");

    /* Comm_create from the group of the even ranks */
    MPI_Group wg, eg;
    MPI_OK(MPI_Comm_group(MPI_COMM_WORLD, &wg));
    int ne = (size + 1) / 2;
    int *ev = malloc(ne * sizeof(int));
    for (int i = 0; i < ne; i++) ev[i] = 2 * i;
    MPI_OK(MPI_Group_incl(wg, ne, ev, &eg));
    MPI_Comm evc;
    MPI_OK(MPI_Comm_create(MPI_COMM_WORLD, eg, &evc));
    if (rank % 2) {
        CHECK(evc == MPI_COMM_NULL);
    } else {
        MPI_OK(MPI_Comm_rank(evc, &r));
        CHECK_INT(r, rank / 2);
        int x = rank, mx;
        MPI_OK(MPI_Allreduce(&x, &mx, 1, MPI_INT, MPI_MAX, evc));
        CHECK_INT(mx, 2 * (ne - 1));
        MPI_OK(MPI_Comm_compare(evc, half, &res));
        CHECK_INT(res, size <= 2 ? MPI_CONGRUENT : MPI_SIMILAR);
        MPI_OK(MPI_Comm_free(&evc));
    }
    free(ev);
    MPI_OK(MPI_Group_free(&eg));
    MPI_OK(MPI_Group_free(&wg));
    say("comm_create ok\n");

    /* split_type shared: every rank of this job shares a node */
    MPI_Comm node;
    MPI_OK(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node));
    MPI_OK(MPI_Comm_size(node, &n));
    MPI_OK(MPI_Comm_rank(node, &r));
    CHECK_INT(n, size);
    CHECK_INT(r, rank);
    MPI_OK(MPI_Comm_free(&node));
    MPI_Comm none;
    MPI_OK(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_UNDEFINED, rank, MPI_INFO_NULL, &none));
    CHECK(none == MPI_COMM_NULL);
    say("split_type shared ok\n");

    /* many dups and frees, nested: each works independently */
    MPI_Comm c[8];
    c[0] = MPI_COMM_WORLD;
    for (int i = 1; i < 8; i++) MPI_OK(MPI_Comm_dup(c[i - 1], &c[i]));
    for (int i = 7; i >= 1; i--) {
        int v = i * rank, t;
        MPI_OK(MPI_Allreduce(&v, &t, 1, MPI_INT, MPI_SUM, c[i]));
        CHECK_INT(t, i * size * (size - 1) / 2);
        MPI_OK(MPI_Comm_free(&c[i]));
    }
    say("nested dups ok\n");
    MPI_OK(MPI_Comm_free(&half));
    MPI_OK(MPI_Comm_free(&rev));
    MPI_OK(MPI_Comm_free(&dup));
    finish();
    return 0;
}
