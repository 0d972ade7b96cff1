/* MPI_Info objects: create/set/get/get_valuelen/get_nkeys/get_nthkey/
 * dup/delete/free, overwrite keeping the key's place, truncation by
 * valuelen, copies independent of their original, and the error classes
 * of missing keys, bad indices, oversized keys and values and
 * MPI_INFO_NULL (under MPI_ERRORS_RETURN). */
#include "check.h"

static void dump(const char *title, MPI_Info info) {
    int n = -1;
    MPI_OK(MPI_Info_get_nkeys(info, &n));
    say("%s: %d keys", title, n);
    for (int i = 0; i < n; i++) {
        char key[MPI_MAX_INFO_KEY + 1], val[64];
        int flag = 0, len = -1;
        MPI_OK(MPI_Info_get_nthkey(info, i, key));
        MPI_OK(MPI_Info_get_valuelen(info, key, &len, &flag));
        CHECK_INT(flag, 1);
        MPI_OK(MPI_Info_get(info, key, sizeof val - 1, val, &flag));
        CHECK_INT(flag, 1);
        CHECK_INT((int)strlen(val), len);
        say(" %s=%s", key, val);
    }
    say("\n");
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);

    MPI_Info a;
    MPI_OK(MPI_Info_create(&a));
    CHECK(a != MPI_INFO_NULL);
    dump("empty", a);
    MPI_OK(MPI_Info_set(a, "striping_factor", "4"));
    MPI_OK(MPI_Info_set(a, "cb_nodes", "2"));
    MPI_OK(MPI_Info_set(a, "host", "node-a"));
    dump("three", a);

    /* overwrite keeps the key where it was */
    MPI_OK(MPI_Info_set(a, "cb_nodes", "16"));
    dump("overwrite", a);

    /* missing key: flag 0, nothing written */
    char val[64] = "untouched";
    int flag = 1, len = 5;
    MPI_OK(MPI_Info_get(a, "nope", sizeof val - 1, val, &flag));
    CHECK_INT(flag, 0);
    CHECK(strcmp(val, "untouched") == 0);
    MPI_OK(MPI_Info_get_valuelen(a, "nope", &len, &flag));
    CHECK_INT(flag, 0);

    /* valuelen truncates */
    MPI_OK(MPI_Info_set(a, "long", "abcdefghij"));
    memset(val, 'X', sizeof val);
    MPI_OK(MPI_Info_get(a, "long", 4, val, &flag));
    CHECK_INT(flag, 1);
    say("truncated to 4: %s\n", val);

    /* dup is a deep copy */
    MPI_Info b;
    MPI_OK(MPI_Info_dup(a, &b));
    MPI_OK(MPI_Info_set(b, "host", "node-b"));
    MPI_OK(MPI_Info_delete(a, "striping_factor"));
    dump("original", a);
    dump("dup", b);

    /* delete then set again: the key goes to the end */
    MPI_OK(MPI_Info_delete(b, "cb_nodes"));
    MPI_OK(MPI_Info_set(b, "cb_nodes", "1"));
    dump("re-added", b);

    /* error classes */
    int rc = MPI_Info_delete(a, "striping_factor");
    CHECK_CLASS(rc, MPI_ERR_INFO_NOKEY);
    char key[MPI_MAX_INFO_KEY + 1];
    int n;
    MPI_OK(MPI_Info_get_nkeys(a, &n));
    rc = MPI_Info_get_nthkey(a, n, key); /* the class differs between MPIs */
    CHECK(rc != MPI_SUCCESS);
    rc = MPI_Info_get_nthkey(a, -1, key);
    CHECK_CLASS(rc, MPI_ERR_ARG);
    char big[2100];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    rc = MPI_Info_set(a, big, "v");
    CHECK_CLASS(rc, MPI_ERR_INFO_KEY);
    rc = MPI_Info_set(a, "v", big);
    CHECK_CLASS(rc, MPI_ERR_INFO_VALUE);
    dump("after errors", a);

    /* free: the handle becomes MPI_INFO_NULL, which is invalid */
    MPI_OK(MPI_Info_free(&a));
    CHECK(a == MPI_INFO_NULL);
    rc = MPI_Info_set(a, "k", "v");
    CHECK_CLASS(rc, MPI_ERR_INFO);
    rc = MPI_Info_get_nkeys(a, &n);
    CHECK_CLASS(rc, MPI_ERR_INFO);
    rc = MPI_Info_free(&a);
    CHECK_CLASS(rc, MPI_ERR_INFO);
    dump("dup survives", b);
    MPI_OK(MPI_Info_free(&b));

    /* many objects at once, each with its own keys */
    MPI_Info many[40];
    for (int i = 0; i < 40; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", i * rank);
        MPI_OK(MPI_Info_create(&many[i]));
        MPI_OK(MPI_Info_set(many[i], "i", v));
    }
    for (int i = 0; i < 40; i++) {
        char v[16];
        MPI_OK(MPI_Info_get(many[i], "i", sizeof v - 1, v, &flag));
        CHECK_INT(atoi(v), i * rank);
        MPI_OK(MPI_Info_free(&many[i]));
    }
    say("40 infos: ok\n");
    finish();
    return 0;
}
