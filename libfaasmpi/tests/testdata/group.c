/* Groups: Comm_group, Group_size/rank, incl, excl, range_incl,
 * translate_ranks (with MPI_PROC_NULL), union, intersection, difference,
 * compare (IDENT/SIMILAR/UNEQUAL), MPI_GROUP_EMPTY, Group_free; the
 * groups printed are the same member lists under any implementation. */
#include "check.h"

static void show(const char *name, MPI_Group g, MPI_Group world) {
    int n, r;
    MPI_OK(MPI_Group_size(g, &n));
    MPI_OK(MPI_Group_rank(g, &r));
    int *in = malloc((n + 1) * sizeof(int)), *out = malloc((n + 1) * sizeof(int));
    for (int i = 0; i < n; i++) in[i] = i;
    if (n > 0) MPI_OK(MPI_Group_translate_ranks(g, n, in, world, out));
    char line[LINE_MAX_];
    int pos = snprintf(line, sizeof line, "%-12s size %d members [", name, n);
    for (int i = 0; i < n && pos < LINE_MAX_ - 8; i++) pos += snprintf(line + pos, sizeof line - pos, i ? " %d" : "%d", out[i]);
    snprintf(line + pos, sizeof line - pos, "]");
    say("%s\n", line);
    /* my rank in g is where I appear, or MPI_UNDEFINED */
    int where = MPI_UNDEFINED;
    for (int i = 0; i < n; i++)
        if (out[i] == rank) where = i;
    CHECK_INT(r, where);
    free(in);
    free(out);
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_Group w, a, b, u, x, d, e, t;
    MPI_OK(MPI_Comm_group(MPI_COMM_WORLD, &w));
    show("world", w, w);

    /* a = even ranks descending, b = ranks 1..size-1 */
    int na = (size + 1) / 2, *ra = malloc(na * sizeof(int));
    for (int i = 0; i < na; i++) ra[i] = 2 * (na - 1 - i);
    MPI_OK(MPI_Group_incl(w, na, ra, &a));
    show("evens desc", a, w);
    int zero = 0;
    MPI_OK(MPI_Group_excl(w, 1, &zero, &b));
    show("excl 0", b, w);
    MPI_OK(MPI_Group_union(a, b, &u));
    show("union", u, w);
    MPI_OK(MPI_Group_intersection(a, b, &x));
    show("intersection", x, w);
    MPI_OK(MPI_Group_difference(a, b, &d));
    show("difference", d, w);
    MPI_OK(MPI_Group_difference(b, a, &e));
    show("b minus a", e, w);
    int ranges[2][3] = {{size - 1, size / 2, -1}, {0, size / 2 - 1, 2}};
    if (size == 1) ranges[0][1] = 0;
    MPI_OK(MPI_Group_range_incl(w, size > 1 ? 2 : 1, ranges, &t));
    show("range_incl", t, w);
    MPI_Group t2;
    MPI_OK(MPI_Group_range_excl(w, 1, (int(*)[3])(int[]){0, size - 1, 2}, &t2));
    show("range_excl", t2, w);
    MPI_OK(MPI_Group_free(&t2));

    int res;
    MPI_OK(MPI_Group_compare(w, w, &res));
    CHECK_INT(res, MPI_IDENT);
    MPI_OK(MPI_Group_compare(w, u, &res));
    CHECK_INT(res, size <= 2 ? MPI_IDENT : MPI_SIMILAR);
    MPI_OK(MPI_Group_compare(a, b, &res));
    CHECK_INT(res, MPI_UNEQUAL);
    say("compare ok\n");

    /* translate with MPI_PROC_NULL and non-members */
    int in[3] = {0, MPI_PROC_NULL, size - 1}, out[3];
    MPI_OK(MPI_Group_translate_ranks(w, 3, in, a, out));
    CHECK_INT(out[0], na - 1);
    CHECK_INT(out[1], MPI_PROC_NULL);
    CHECK_INT(out[2], (size - 1) % 2 == 0 ? 0 : MPI_UNDEFINED);
    say("translate ok\n");

    /* the empty group */
    int n;
    MPI_OK(MPI_Group_size(MPI_GROUP_EMPTY, &n));
    CHECK_INT(n, 0);
    MPI_OK(MPI_Group_rank(MPI_GROUP_EMPTY, &n));
    CHECK_INT(n, MPI_UNDEFINED);
    MPI_Group em;
    MPI_OK(MPI_Group_incl(w, 0, NULL, &em));
    MPI_OK(MPI_Group_compare(em, MPI_GROUP_EMPTY, &res));
    CHECK_INT(res, MPI_IDENT);
    MPI_OK(MPI_Group_free(&em));
    say("empty group ok\n");

    MPI_Group *gs[] = {&w, &a, &b, &u, &x, &d, &e, &t};
    for (int i = 0; i < 8; i++) {
        MPI_OK(MPI_Group_free(gs[i]));
        CHECK(*gs[i] == MPI_GROUP_NULL);
    }
    free(ra);
    finish();
    return 0;
}
