/* Attribute caching on communicators: Comm_create_keyval / set / get /
 * delete / free_keyval, copy callbacks at Comm_dup (MPI_COMM_NULL_COPY_FN,
 * MPI_COMM_DUP_FN, a user callback that copies, one that declines),
 * delete callbacks at Comm_free, at delete, on overwrite, for attributes
 * whose keyval was already freed, and on MPI_COMM_SELF at MPI_Finalize;
 * the deprecated MPI-1 names. */
#include "check.h"

static int deletes, copies;
static char log_[512];

static void note(const char *what, int key_index, long val) {
    char b[64];
    snprintf(b, sizeof b, "%s%d=%ld ", what, key_index, val);
    strncat(log_, b, sizeof log_ - strlen(log_) - 1);
}

/* extra_state carries a small index so the log does not print keyvals */
static int del_cb(MPI_Comm comm, int key, void *val, void *extra) {
    (void)comm;
    (void)key;
    deletes++;
    note("del", (int)(long)extra, (long)val);
    return MPI_SUCCESS;
}
/* copies val+1000 */
static int copy_plus(MPI_Comm comm, int key, void *extra, void *in, void *out, int *flag) {
    (void)comm;
    (void)key;
    copies++;
    note("copy", (int)(long)extra, (long)in);
    *(void **)out = (void *)((long)in + 1000);
    *flag = 1;
    return MPI_SUCCESS;
}
/* runs but declines to copy */
static int copy_no(MPI_Comm comm, int key, void *extra, void *in, void *out, int *flag) {
    (void)comm;
    (void)key;
    (void)in;
    (void)out;
    copies++;
    note("nocopy", (int)(long)extra, 0);
    *flag = 0;
    return MPI_SUCCESS;
}
static int fail_copy(MPI_Comm comm, int key, void *extra, void *in, void *out, int *flag) {
    (void)comm;
    (void)key;
    (void)extra;
    (void)in;
    (void)out;
    *flag = 0;
    return MPI_ERR_OTHER;
}
static int self_del(MPI_Comm comm, int key, void *val, void *extra) {
    (void)key;
    (void)val;
    (void)extra;
    CHECK(comm == MPI_COMM_SELF);
    int fin = 1;
    MPI_Finalized(&fin);
    CHECK_INT(fin, 0); /* still usable: Finalize runs this first */
    int n = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    CHECK_INT(n, size);
    say("self delete callback before finalize\n");
    return MPI_SUCCESS;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
/* flush_log prints the callbacks run since the last flush, sorted: MPI does
 * not order the callbacks of one communicator. */
static void flush_log(const char *title) {
    char *tok[32];
    int n = 0;
    for (char *t = strtok(log_, " "); t && n < 32; t = strtok(NULL, " ")) tok[n++] = t;
    qsort(tok, (size_t)n, sizeof *tok, cmp);
    char out[512] = "";
    for (int i = 0; i < n; i++) {
        strncat(out, " ", sizeof out - strlen(out) - 1);
        strncat(out, tok[i], sizeof out - strlen(out) - 1);
    }
    say("%s:%s\n", title, out);
    log_[0] = 0;
}

static long get(MPI_Comm c, int key, int *flag) {
    void *v = NULL;
    MPI_OK(MPI_Comm_get_attr(c, key, &v, flag));
    return *flag ? (long)v : -1;
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int k1, k2, k3, k4, k5, flag;
    MPI_OK(MPI_Comm_create_keyval(copy_plus, del_cb, &k1, (void *)1L));
    MPI_OK(MPI_Comm_create_keyval(MPI_COMM_DUP_FN, del_cb, &k2, (void *)2L));
    MPI_OK(MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, del_cb, &k3, (void *)3L));
    MPI_OK(MPI_Comm_create_keyval(copy_no, MPI_COMM_NULL_DELETE_FN, &k4, (void *)4L));
    MPI_OK(MPI_Keyval_create(MPI_NULL_COPY_FN, MPI_NULL_DELETE_FN, &k5, NULL));
    CHECK(k1 != k2 && k2 != k3 && k3 != k4 && k4 != k5);

    MPI_Comm c;
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &c));
    get(c, k1, &flag);
    CHECK_INT(flag, 0);
    MPI_OK(MPI_Comm_set_attr(c, k1, (void *)11L));
    MPI_OK(MPI_Comm_set_attr(c, k2, (void *)22L));
    MPI_OK(MPI_Comm_set_attr(c, k3, (void *)33L));
    MPI_OK(MPI_Comm_set_attr(c, k4, (void *)44L));
    MPI_OK(MPI_Attr_put(c, k5, (void *)55L));
    CHECK_INT(get(c, k1, &flag), 11);
    CHECK_INT(get(c, k5, &flag), 55);
    /* attributes are per communicator */
    get(MPI_COMM_WORLD, k1, &flag);
    CHECK_INT(flag, 0);

    /* overwrite: the old value's delete callback runs */
    MPI_OK(MPI_Comm_set_attr(c, k3, (void *)34L));
    CHECK_INT(get(c, k3, &flag), 34);
    flush_log("overwrite");

    /* dup: copy_plus copies +1000, DUP_FN copies as is, NULL_COPY_FN and a
     * declining callback do not copy, MPI-1 NULL_COPY_FN neither */
    MPI_Comm d;
    MPI_OK(MPI_Comm_dup(c, &d));
    CHECK_INT(get(d, k1, &flag), 1011);
    CHECK_INT(get(d, k2, &flag), 22);
    get(d, k3, &flag);
    CHECK_INT(flag, 0);
    get(d, k4, &flag);
    CHECK_INT(flag, 0);
    get(d, k5, &flag);
    CHECK_INT(flag, 0);
    CHECK_INT(get(c, k1, &flag), 11); /* the original keeps its own */
    flush_log("dup");

    /* delete_attr runs the callback; deleting a missing one is an error */
    MPI_OK(MPI_Comm_delete_attr(d, k2));
    get(d, k2, &flag);
    CHECK_INT(flag, 0);
    MPI_Comm_set_errhandler(d, MPI_ERRORS_RETURN);
    CHECK(MPI_Comm_delete_attr(d, k2) != MPI_SUCCESS);
    flush_log("delete");

    /* a freed keyval: its attributes live on, their delete callbacks
     * still run; new uses of the key fail */
    MPI_OK(MPI_Comm_free_keyval(&k1));
    CHECK_INT(k1, MPI_KEYVAL_INVALID);
    MPI_OK(MPI_Comm_free(&d)); /* deletes d's k1 copy */
    CHECK(d == MPI_COMM_NULL);
    flush_log("free dup after keyval free");

    /* Comm_free runs the remaining delete callbacks */
    MPI_OK(MPI_Attr_delete(c, k5));
    MPI_OK(MPI_Comm_free(&c));
    flush_log("free");

    /* a failing copy callback fails the dup */
    int kf;
    MPI_OK(MPI_Comm_create_keyval(fail_copy, MPI_COMM_NULL_DELETE_FN, &kf, NULL));
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &c));
    MPI_OK(MPI_Comm_set_attr(c, kf, (void *)1L));
    MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
    MPI_Comm e = MPI_COMM_NULL;
    CHECK(MPI_Comm_dup(c, &e) != MPI_SUCCESS);
    MPI_OK(MPI_Comm_free(&c));
    MPI_OK(MPI_Comm_free_keyval(&kf));
    say("failing copy callback fails the dup\n");

    MPI_OK(MPI_Comm_free_keyval(&k2));
    MPI_OK(MPI_Comm_free_keyval(&k3));
    MPI_OK(MPI_Comm_free_keyval(&k4));
    MPI_OK(MPI_Keyval_free(&k5));
    say("deletes %d copies %d\n", deletes, copies);

    int ks;
    MPI_OK(MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, self_del, &ks, NULL));
    MPI_OK(MPI_Comm_set_attr(MPI_COMM_SELF, ks, (void *)7L));
    finish();
    return 0;
}
