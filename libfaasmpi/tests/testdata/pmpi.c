/* The profiling interface: this program wraps MPI_Init, MPI_Send,
 * MPI_Isend, MPI_Allreduce and MPI_Finalize the way a tool does, counting
 * calls and reaching the library through PMPI_; the wrapped calls must be
 * the program's, and the library's own work must not go through them. */
#include "check.h"

static int sends, isends, allreduces, inits;

int MPI_Init(int *argc, char ***argv) {
    inits++;
    return PMPI_Init(argc, argv);
}
int MPI_Send(const void *buf, int count, MPI_Datatype dt, int dest, int tag, MPI_Comm comm) {
    sends++;
    return PMPI_Send(buf, count, dt, dest, tag, comm);
}
int MPI_Isend(const void *buf, int count, MPI_Datatype dt, int dest, int tag, MPI_Comm comm, MPI_Request *req) {
    isends++;
    return PMPI_Isend(buf, count, dt, dest, tag, comm, req);
}
int MPI_Allreduce(const void *s, void *r, int count, MPI_Datatype dt, MPI_Op op, MPI_Comm comm) {
    allreduces++;
    return PMPI_Allreduce(s, r, count, dt, op, comm);
}
/* the tool's report: totals over all ranks, through PMPI_ so that it does
 * not count itself */
int MPI_Finalize(void) {
    int mine[4] = {inits, sends, isends, allreduces}, all[4];
    PMPI_Reduce(mine, all, 4, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) printf("profile: init %d send %d isend %d allreduce %d\n", all[0], all[1], all[2], all[3]);
    return PMPI_Finalize();
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    CHECK_INT(inits, 1);
    /* a ring: every rank sends 3 messages (2 blocking, 1 non-blocking) */
    int next = (rank + 1) % size, prev = (rank + size - 1) % size, v = -1;
    for (int i = 0; i < 2; i++) {
        if (rank % 2 == 0) {
            MPI_OK(MPI_Send(&rank, 1, MPI_INT, next, i, MPI_COMM_WORLD));
            MPI_OK(MPI_Recv(&v, 1, MPI_INT, prev, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        } else {
            MPI_OK(MPI_Recv(&v, 1, MPI_INT, prev, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            MPI_OK(MPI_Send(&rank, 1, MPI_INT, next, i, MPI_COMM_WORLD));
        }
        CHECK_INT(v, prev);
    }
    MPI_Request q;
    MPI_OK(MPI_Isend(&rank, 1, MPI_INT, next, 9, MPI_COMM_WORLD, &q));
    MPI_OK(MPI_Recv(&v, 1, MPI_INT, prev, 9, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    MPI_OK(MPI_Wait(&q, MPI_STATUS_IGNORE));
    CHECK_INT(sends, 2);
    CHECK_INT(isends, 1);
    /* collectives and derived calls do not go through the wrappers */
    int s = 0;
    MPI_OK(MPI_Allreduce(&rank, &s, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    CHECK_INT(s, size * (size - 1) / 2);
    MPI_OK(MPI_Bcast(&s, 1, MPI_INT, 0, MPI_COMM_WORLD));
    MPI_OK(MPI_Reduce(&rank, &s, 1, MPI_INT, MPI_MAX, 0, MPI_COMM_WORLD));
    MPI_Comm d;
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &d));
    MPI_OK(MPI_Comm_free(&d));
    MPI_OK(MPI_Sendrecv(&rank, 1, MPI_INT, next, 4, &v, 1, MPI_INT, prev, 4, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    CHECK_INT(sends, 2);
    CHECK_INT(allreduces, 1);
    /* PMPI_ is callable directly and is not counted */
    MPI_OK(PMPI_Allreduce(&rank, &s, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    CHECK_INT(allreduces, 1);
    int r2 = -1;
    MPI_OK(PMPI_Comm_rank(MPI_COMM_WORLD, &r2));
    CHECK_INT(r2, rank);
    finish();
    return 0;
}
