/* MPI_Init_thread: the provided level is consistent with Query_thread and
 * Is_thread_main; argc/argv survive. */
#include "check.h"

int main(int argc, char **argv) {
    int provided = -1;
    MPI_OK(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided));
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    CHECK(provided >= MPI_THREAD_SINGLE && provided <= MPI_THREAD_MULTIPLE);
    int q = -1, main_ = 0;
    MPI_OK(MPI_Query_thread(&q));
    CHECK_INT(q, provided);
    MPI_OK(MPI_Is_thread_main(&main_));
    CHECK_INT(main_, 1);
    CHECK(argc == 3 && strcmp(argv[1], "alpha") == 0 && strcmp(argv[2], "beta") == 0);
    int sum = 0;
    MPI_OK(MPI_Allreduce(&rank, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    CHECK_INT(sum, size * (size - 1) / 2);
    say("init_thread ok, args %s %s\n", argv[1], argv[2]);
    finish();
    return 0;
}
