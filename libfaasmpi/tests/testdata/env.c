/* Environment: Initialized/Finalized, Get_version, Get_library_version,
 * Get_processor_name, Query_thread, Is_thread_main, Wtime/Wtick,
 * Comm_get_attr(MPI_TAG_UB, MPI_WTIME_IS_GLOBAL), Comm_test_inter, the
 * predefined constants of MPI-3.1. */
#include "check.h"

int main(int argc, char **argv) {
    int flag = -1;
    MPI_OK(MPI_Initialized(&flag));
    CHECK_INT(flag, 0);
    MPI_OK(MPI_Finalized(&flag));
    CHECK_INT(flag, 0);
    setup(&argc, &argv);
    MPI_OK(MPI_Initialized(&flag));
    CHECK_INT(flag, 1);
    CHECK(argc >= 1);

    int v = 0, sv = -1;
    MPI_OK(MPI_Get_version(&v, &sv));
    CHECK_INT(v, MPI_VERSION);
    CHECK_INT(sv, MPI_SUBVERSION);
    say("version %d.%d\n", v, sv);

    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = -1;
    MPI_OK(MPI_Get_library_version(lib, &len));
    CHECK(len > 0 && len < MPI_MAX_LIBRARY_VERSION_STRING);
    /* OpenMPI counts the terminating NUL in len; the standard does not */
    CHECK(strlen(lib) > 0 && (int)strlen(lib) <= len && len <= (int)strlen(lib) + 1);
    say("library version: non-empty\n");

    char name[MPI_MAX_PROCESSOR_NAME];
    len = -1;
    memset(name, 0, sizeof name);
    MPI_OK(MPI_Get_processor_name(name, &len));
    CHECK(len > 0 && len < MPI_MAX_PROCESSOR_NAME);
    CHECK_INT(strlen(name), len);
    say("processor name: length > 0\n");

    int lvl = -1;
    MPI_OK(MPI_Query_thread(&lvl));
    CHECK(lvl >= MPI_THREAD_SINGLE && lvl <= MPI_THREAD_MULTIPLE);
    CHECK(MPI_THREAD_SINGLE < MPI_THREAD_FUNNELED);
    CHECK(MPI_THREAD_FUNNELED < MPI_THREAD_SERIALIZED);
    CHECK(MPI_THREAD_SERIALIZED < MPI_THREAD_MULTIPLE);
    MPI_OK(MPI_Is_thread_main(&flag));
    CHECK_INT(flag, 1);

    double tick = MPI_Wtick();
    CHECK(tick > 0 && tick <= 0.01);
    double t0 = MPI_Wtime();
    volatile double x = 0;
    for (int i = 0; i < 1000000; i++) x += i;
    double t1 = MPI_Wtime();
    CHECK(t1 >= t0);
    CHECK(t1 - t0 < 10.0);
    /* sleep-free monotonicity over many calls */
    double prev = MPI_Wtime();
    for (int i = 0; i < 10000; i++) {
        double t = MPI_Wtime();
        CHECK(t >= prev);
        prev = t;
    }
    say("wtime/wtick sane\n");

    void *val;
    MPI_OK(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &val, &flag));
    CHECK_INT(flag, 1);
    int tag_ub = *(int *)val;
    CHECK(tag_ub >= 32767);
    MPI_OK(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &val, &flag));
    if (flag) {
        int g = *(int *)val;
        CHECK(g == 0 || g == 1);
    }
    say("attributes ok\n");
    /* the largest tag works */
    int out = rank, in = -1;
    MPI_Status st;
    MPI_OK(MPI_Sendrecv(&out, 1, MPI_INT, rank, tag_ub, &in, 1, MPI_INT, rank, tag_ub,
                        MPI_COMM_WORLD, &st));
    CHECK_INT(in, rank);
    CHECK_INT(st.MPI_TAG, tag_ub);
    say("tag_ub usable\n");

    MPI_OK(MPI_Comm_test_inter(MPI_COMM_WORLD, &flag));
    CHECK_INT(flag, 0);
    int n = -1;
    MPI_OK(MPI_Comm_size(MPI_COMM_SELF, &n));
    CHECK_INT(n, 1);
    MPI_OK(MPI_Comm_rank(MPI_COMM_SELF, &n));
    CHECK_INT(n, 0);

    /* constants the standard pins */
    CHECK(MPI_ANY_SOURCE != MPI_PROC_NULL);
    CHECK(MPI_ANY_SOURCE < 0 && MPI_PROC_NULL < 0 && MPI_ANY_TAG < 0);
    CHECK(MPI_UNDEFINED < 0);
    CHECK(MPI_SUCCESS == 0);
    CHECK(MPI_IDENT < MPI_CONGRUENT && MPI_CONGRUENT < MPI_SIMILAR && MPI_SIMILAR < MPI_UNEQUAL);
    CHECK(MPI_MAX_PROCESSOR_NAME >= 1 && MPI_MAX_ERROR_STRING >= 1);
    CHECK(sizeof(MPI_Aint) >= sizeof(void *));
    CHECK(sizeof(MPI_Count) >= sizeof(MPI_Aint));
    MPI_Status s2;
    s2.MPI_SOURCE = 1;
    s2.MPI_TAG = 2;
    s2.MPI_ERROR = 3;
    CHECK(s2.MPI_SOURCE + s2.MPI_TAG + s2.MPI_ERROR == 6);
    say("size %s\n", size >= 1 ? "positive" : "bad");

    MPI_Barrier(MPI_COMM_WORLD);
    say("done\n");
    MPI_OK(MPI_Finalize());
    MPI_OK(MPI_Finalized(&flag));
    CHECK_INT(flag, 1);
    return 0;
}
