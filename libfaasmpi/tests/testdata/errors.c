/* Error handling: Error_class/Error_string, Comm_set/get_errhandler
 * (MPI_ERRORS_ARE_FATAL default, MPI_ERRORS_RETURN), Errhandler_set where
 * the implementation still has it, Comm_call_errhandler, and the error class
 * of invalid arguments. Only class equalities are printed: codes and strings
 * differ between implementations. */
#include "check.h"

static void show(const char *what, int rc, int cls) {
    int c = -1;
    MPI_Error_class(rc, &c);
    say("%s: %s\n", what, c == cls ? "expected class" : "WRONG CLASS");
    CHECK_INT(c, cls);
}

int main(int argc, char **argv) {
    setup(&argc, &argv);

    /* every error class is its own class; strings are non-empty */
    int classes[] = {MPI_SUCCESS, MPI_ERR_BUFFER, MPI_ERR_COUNT, MPI_ERR_TYPE, MPI_ERR_TAG,
                     MPI_ERR_COMM, MPI_ERR_RANK, MPI_ERR_REQUEST, MPI_ERR_ROOT, MPI_ERR_GROUP,
                     MPI_ERR_OP, MPI_ERR_TOPOLOGY, MPI_ERR_DIMS, MPI_ERR_ARG, MPI_ERR_UNKNOWN,
                     MPI_ERR_TRUNCATE, MPI_ERR_OTHER, MPI_ERR_INTERN, MPI_ERR_IN_STATUS,
                     MPI_ERR_PENDING, MPI_ERR_UNSUPPORTED_OPERATION, MPI_ERR_INFO_KEY};
    int n = sizeof classes / sizeof classes[0];
    for (int i = 0; i < n; i++) {
        int c = -1;
        MPI_OK(MPI_Error_class(classes[i], &c));
        CHECK_INT(c, classes[i]);
        char s[MPI_MAX_ERROR_STRING];
        int len = -1;
        MPI_OK(MPI_Error_string(classes[i], s, &len));
        CHECK(len > 0 && len < MPI_MAX_ERROR_STRING);
        CHECK(strlen(s) > 0);
        for (int j = 0; j < i; j++) CHECK(classes[i] != classes[j]);
    }
    CHECK(MPI_ERR_LASTCODE >= MPI_ERR_UNSUPPORTED_OPERATION);
    say("%d classes distinct, self-classed, with strings\n", n);

    MPI_Errhandler eh;
    MPI_OK(MPI_Comm_get_errhandler(MPI_COMM_WORLD, &eh));
    CHECK(eh == MPI_ERRORS_ARE_FATAL);
    MPI_OK(MPI_Errhandler_free(&eh));
    say("default handler is MPI_ERRORS_ARE_FATAL\n");

    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
    MPI_OK(MPI_Comm_get_errhandler(MPI_COMM_WORLD, &eh));
    CHECK(eh == MPI_ERRORS_RETURN);
    MPI_OK(MPI_Errhandler_free(&eh));
    say("handler set to MPI_ERRORS_RETURN\n");

    int x = 1, y = 0, rc;
    show("send to rank size", MPI_Send(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD), MPI_ERR_RANK);
    show("send to rank -5", MPI_Send(&x, 1, MPI_INT, -5, 0, MPI_COMM_WORLD), MPI_ERR_RANK);
    show("recv from rank size", MPI_Recv(&x, 1, MPI_INT, size, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE), MPI_ERR_RANK);
    show("send count -1", MPI_Send(&x, -1, MPI_INT, rank, 0, MPI_COMM_WORLD), MPI_ERR_COUNT);
    show("send tag -3", MPI_Send(&x, 1, MPI_INT, rank, -3, MPI_COMM_WORLD), MPI_ERR_TAG);
    show("send null datatype", MPI_Send(&x, 1, MPI_DATATYPE_NULL, rank, 0, MPI_COMM_WORLD), MPI_ERR_TYPE);
    show("bcast root size", MPI_Bcast(&x, 1, MPI_INT, size, MPI_COMM_WORLD), MPI_ERR_ROOT);
    show("reduce null op", MPI_Reduce(&x, &y, 1, MPI_INT, MPI_OP_NULL, 0, MPI_COMM_WORLD), MPI_ERR_OP);
    show("allreduce count -1", MPI_Allreduce(&x, &y, -1, MPI_INT, MPI_SUM, MPI_COMM_WORLD), MPI_ERR_COUNT);
    {
        MPI_Comm cc = MPI_COMM_NULL;
        int dims[1] = {size + 1}, periods[1] = {0};
        rc = MPI_Cart_create(MPI_COMM_WORLD, 1, dims, periods, 0, &cc);
        say("cart_create with more cells than ranks: %s\n", rc != MPI_SUCCESS ? "error" : "NO ERROR");
        CHECK(rc != MPI_SUCCESS);
    }
    MPI_Request req = MPI_REQUEST_NULL;
    MPI_OK(MPI_Wait(&req, MPI_STATUS_IGNORE));
    say("wait on MPI_REQUEST_NULL: success\n");
    /* Group_incl with a rank out of range */
    MPI_Group g, g2;
    MPI_OK(MPI_Comm_group(MPI_COMM_WORLD, &g));
    int bad = size;
    show("group_incl out of range", MPI_Group_incl(g, 1, &bad, &g2), MPI_ERR_RANK);
    MPI_OK(MPI_Group_free(&g));

    /* Comm_call_errhandler: with MPI_ERRORS_RETURN it returns */
    rc = MPI_Comm_call_errhandler(MPI_COMM_WORLD, MPI_ERR_OTHER);
    CHECK(rc == MPI_SUCCESS || rc == MPI_ERR_OTHER);
    say("comm_call_errhandler returned under MPI_ERRORS_RETURN\n");

    /* a duplicated communicator inherits the handler */
    MPI_Comm dup;
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
    MPI_OK(MPI_Comm_get_errhandler(dup, &eh));
    CHECK(eh == MPI_ERRORS_RETURN);
    MPI_OK(MPI_Errhandler_free(&eh));
    show("send to rank size on dup", MPI_Send(&x, 1, MPI_INT, size, 0, dup), MPI_ERR_RANK);
    /* the deprecated MPI-1 setter where the implementation has it */
#if defined(OPEN_MPI) && !OMPI_ENABLE_MPI1_COMPAT
    MPI_OK(MPI_Comm_set_errhandler(dup, MPI_ERRORS_ARE_FATAL));
#else
    MPI_OK(MPI_Errhandler_set(dup, MPI_ERRORS_ARE_FATAL));
#endif
    MPI_OK(MPI_Comm_get_errhandler(dup, &eh));
    CHECK(eh == MPI_ERRORS_ARE_FATAL);
    MPI_OK(MPI_Errhandler_free(&eh));
    MPI_OK(MPI_Comm_get_errhandler(MPI_COMM_WORLD, &eh));
    CHECK(eh == MPI_ERRORS_RETURN);
    MPI_OK(MPI_Errhandler_free(&eh));
    say("errhandler per communicator\n");
    MPI_OK(MPI_Comm_free(&dup));

    MPI_OK(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL));
    finish();
    return 0;
}
