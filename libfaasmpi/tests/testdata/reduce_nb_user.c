/* Non-blocking reductions with user-defined ops are really non-blocking:
 * Iallreduce/Ireduce with a non-commutative MPI_Op_create op are posted
 * while point-to-point traffic is still owed to ranks that only join the
 * reduction after it (a blocking implementation deadlocks here), several
 * are outstanding together, completed by Wait, Test loops and Waitall in
 * reverse order, Request_get_status, IN_PLACE, and on a struct type. */
#include "check.h"

/* x o y = 2x2 integer matrix product mod 1000003: associative, not
 * commutative, so the result shows the combining order. */
#define MOD 1000003LL
static int calls;
static void matmul(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    calls++;
    long long *a = in, *b = inout;
    for (int k = 0; k < *len; k++, a += 4, b += 4) {
        long long c[4] = {(a[0] * b[0] + a[1] * b[2]) % MOD, (a[0] * b[1] + a[1] * b[3]) % MOD,
                          (a[2] * b[0] + a[3] * b[2]) % MOD, (a[2] * b[1] + a[3] * b[3]) % MOD};
        memcpy(b, c, sizeof c);
    }
}
static void mat_of(int r, int k, int salt, long long m[4]) {
    m[0] = r + 1 + salt, m[1] = k + 2, m[2] = (r * k + salt) % 5, m[3] = 3;
}
/* want = M(0) M(1) ... M(n-1) */
static void expected(int n, int k, int salt, long long want[4]) {
    mat_of(0, k, salt, want);
    for (int r = 1; r < n; r++) {
        long long m[4], c[4];
        mat_of(r, k, salt, m);
        c[0] = (want[0] * m[0] + want[1] * m[2]) % MOD, c[1] = (want[0] * m[1] + want[1] * m[3]) % MOD;
        c[2] = (want[2] * m[0] + want[3] * m[2]) % MOD, c[3] = (want[2] * m[1] + want[3] * m[3]) % MOD;
        memcpy(want, c, sizeof c);
    }
}

typedef struct {
    int n;
    double s;
} acc_t;
static void accmerge(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    acc_t *a = in, *b = inout;
    for (int i = 0; i < *len; i++) b[i].n += a[i].n, b[i].s += a[i].s;
}

#define K 3
static void check_mats(long long got[K][4], int salt) {
    for (int k = 0; k < K; k++) {
        long long want[4];
        expected(size, k, salt, want);
        for (int j = 0; j < 4; j++) CHECK_INT(got[k][j], want[j]);
    }
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_Datatype mat;
    MPI_OK(MPI_Type_contiguous(4, MPI_LONG_LONG, &mat));
    MPI_OK(MPI_Type_commit(&mat));
    MPI_Op mop;
    MPI_OK(MPI_Op_create(matmul, 0, &mop));
    long long in[K][4], out[K][4];

    /* 1. Rank 0 posts Iallreduce, then receives a synchronous send from
     * every other rank; the others send first and join the reduction only
     * afterwards. */
    for (int k = 0; k < K; k++) mat_of(rank, k, 0, in[k]);
    MPI_Request req;
    if (rank == 0) {
        MPI_OK(MPI_Iallreduce(in, out, K, mat, mop, MPI_COMM_WORLD, &req));
        for (int r = 1; r < size; r++) {
            int v = -1;
            MPI_OK(MPI_Recv(&v, 1, MPI_INT, r, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            CHECK_INT(v, 100 + r);
        }
    } else {
        int v = 100 + rank;
        MPI_OK(MPI_Ssend(&v, 1, MPI_INT, 0, 5, MPI_COMM_WORLD));
        MPI_OK(MPI_Iallreduce(in, out, K, mat, mop, MPI_COMM_WORLD, &req));
    }
    MPI_OK(MPI_Wait(&req, MPI_STATUS_IGNORE));
    CHECK(req == MPI_REQUEST_NULL);
    check_mats(out, 0);
    say("iallreduce before owed p2p: ok\n");

    /* 2. Ireduce to the last rank, which posts it first and then receives
     * from everyone; completed with a Test loop. */
    int root = size - 1;
    for (int k = 0; k < K; k++) mat_of(rank, k, 1, in[k]);
    memset(out, 0, sizeof out);
    if (rank == root) {
        MPI_OK(MPI_Ireduce(in, out, K, mat, mop, root, MPI_COMM_WORLD, &req));
        for (int r = 0; r < size - 1; r++) {
            int v = -1;
            MPI_OK(MPI_Recv(&v, 1, MPI_INT, MPI_ANY_SOURCE, 6, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        }
    } else {
        int v = rank;
        MPI_OK(MPI_Ssend(&v, 1, MPI_INT, root, 6, MPI_COMM_WORLD));
        MPI_OK(MPI_Ireduce(in, out, K, mat, mop, root, MPI_COMM_WORLD, &req));
    }
    int flag = 0;
    while (!flag) {
        MPI_OK(MPI_Test(&req, &flag, MPI_STATUS_IGNORE));
    }
    if (rank == root) check_mats(out, 1);
    say("ireduce with a test loop: ok\n");

    /* 3. Three outstanding together (user op, IN_PLACE user op, predefined
     * op), completed by Waitall in reverse order of posting. */
    long long a[K][4], b[K][4], c[K][4];
    int s = rank + 1, ssum = 0;
    for (int k = 0; k < K; k++) mat_of(rank, k, 2, in[k]), mat_of(rank, k, 3, b[k]);
    MPI_Request rs[3];
    MPI_OK(MPI_Iallreduce(in, a, K, mat, mop, MPI_COMM_WORLD, &rs[2]));
    MPI_OK(MPI_Iallreduce(MPI_IN_PLACE, b, K, mat, mop, MPI_COMM_WORLD, &rs[1]));
    MPI_OK(MPI_Iallreduce(&s, &ssum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD, &rs[0]));
    memcpy(c, in, sizeof c); /* the send buffer is untouched */
    MPI_OK(MPI_Waitall(3, rs, MPI_STATUSES_IGNORE));
    check_mats(a, 2);
    check_mats(b, 3);
    CHECK_INT(ssum, size * (size + 1) / 2);
    CHECK(memcmp(c, in, sizeof c) == 0);
    say("three outstanding, waitall reversed: ok\n");

    /* 4. A struct type with padding: {int; double} merged by a user op,
     * Iallreduce completed by Waitany. */
    MPI_Datatype acct;
    int bl[2] = {1, 1};
    MPI_Aint disp[2] = {offsetof(acc_t, n), offsetof(acc_t, s)};
    MPI_Datatype ts[2] = {MPI_INT, MPI_DOUBLE};
    MPI_OK(MPI_Type_create_struct(2, bl, disp, ts, &acct));
    MPI_OK(MPI_Type_commit(&acct));
    MPI_Op accop;
    MPI_OK(MPI_Op_create(accmerge, 1, &accop));
    acc_t x[2] = {{1, rank * 0.5}, {rank, 2.0}}, y[2];
    MPI_OK(MPI_Iallreduce(x, y, 2, acct, accop, MPI_COMM_WORLD, &req));
    int idx = -1;
    MPI_OK(MPI_Waitany(1, &req, &idx, MPI_STATUS_IGNORE));
    CHECK_INT(idx, 0);
    CHECK_INT(y[0].n, size);
    CHECK(y[0].s == 0.25 * size * (size - 1));
    CHECK_INT(y[1].n, size * (size - 1) / 2);
    CHECK(y[1].s == 2.0 * size);
    say("struct type, waitany: ok\n");

    /* 5. The same reduction posted twice in a row on one communicator
     * completes in order, interleaved with Iallreduce on a dup. */
    MPI_Comm dup;
    MPI_OK(MPI_Comm_dup(MPI_COMM_WORLD, &dup));
    for (int k = 0; k < K; k++) mat_of(rank, k, 4, in[k]), mat_of(rank, k, 5, b[k]);
    MPI_OK(MPI_Iallreduce(in, a, K, mat, mop, dup, &rs[0]));
    MPI_OK(MPI_Iallreduce(b, c, K, mat, mop, MPI_COMM_WORLD, &rs[1]));
    MPI_OK(MPI_Wait(&rs[1], MPI_STATUS_IGNORE));
    MPI_OK(MPI_Wait(&rs[0], MPI_STATUS_IGNORE));
    check_mats(a, 4);
    check_mats(c, 5);
    MPI_OK(MPI_Comm_free(&dup));
    say("on a dup, out of order: ok\n");
    int total = 0; /* some rank ran the user function */
    MPI_OK(MPI_Allreduce(&calls, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    CHECK(size == 1 || total > 0);

    /* 6. Request_get_status reports completion without freeing: the
     * result is already in the buffer when it says so. */
    for (int k = 0; k < K; k++) mat_of(rank, k, 6, in[k]);
    memset(out, 0, sizeof out);
    MPI_OK(MPI_Iallreduce(in, out, K, mat, mop, MPI_COMM_WORLD, &req));
    flag = 0;
    while (!flag) MPI_OK(MPI_Request_get_status(req, &flag, MPI_STATUS_IGNORE));
    check_mats(out, 6);
    CHECK(req != MPI_REQUEST_NULL);
    MPI_OK(MPI_Wait(&req, MPI_STATUS_IGNORE));
    check_mats(out, 6);
    say("request_get_status, then wait: ok\n");

    MPI_OK(MPI_Op_free(&mop));
    MPI_OK(MPI_Op_free(&accop));
    MPI_OK(MPI_Type_free(&mat));
    MPI_OK(MPI_Type_free(&acct));
    finish();
    return 0;
}
