/* Derived datatypes whose memory has holes: a receive of a vector type
 * released with MPI_Request_free still lands in the user's buffer, and
 * reductions (blocking and non-blocking, predefined and user ops, IN_PLACE,
 * Reduce_scatter_block, Scan) into a vector type and into a padded struct
 * never write the holes. */
#include "check.h"

#define HOLE -7 /* what every hole holds before and after */
#define N 4     /* vector: N blocks of 1 int, stride 2, extent 2N ints */

static MPI_Datatype vec, pair;

static void fill_holes(int *b, int n) {
    for (int i = 0; i < n; i++) b[i] = HOLE;
}
/* the vector's data sits at the even indices */
static void check_vec(const int *b, int reps, const int *want) {
    for (int i = 0; i < 2 * N * reps; i++) {
        if (i % 2) {
            CHECK_INT(b[i], HOLE);
        } else {
            CHECK_INT(b[i], want[i / 2]);
        }
    }
}

typedef struct {
    short a; /* 2 bytes of padding after a */
    int b;
    char c; /* 3 bytes of padding after c */
} padded_t;

static void sum_pairs(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    padded_t *x = in, *y = inout;
    for (int i = 0; i < *len; i++) y[i].a += x[i].a, y[i].b += x[i].b, y[i].c += x[i].c;
}

/* vector ops (OpenMPI allows predefined ops on predefined types only),
 * touching the data ints only */
static void vmax(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    int *x = in, *y = inout;
    for (int e = 0; e < *len; e++, x += 2 * N, y += 2 * N)
        for (int i = 0; i < 2 * N; i += 2)
            if (x[i] > y[i]) y[i] = x[i];
}
static void vsum(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    int *x = in, *y = inout;
    for (int i = 0; i < 2 * N * *len; i += 2) y[i] += x[i];
}

static void freed_irecv(void) {
    /* Rank 0 posts a vector receive from every other rank, frees each
     * request, and learns that the data arrived from a later message on
     * the same pair (non-overtaking). */
    if (size < 2) return;
    if (rank == 0) {
        int n = size - 1;
        int *bufs = malloc(sizeof(int) * 2 * N * n);
        fill_holes(bufs, 2 * N * n);
        for (int r = 1; r < size; r++) {
            MPI_Request q;
            MPI_OK(MPI_Irecv(bufs + 2 * N * (r - 1), 1, vec, r, 1, MPI_COMM_WORLD, &q));
            MPI_OK(MPI_Request_free(&q));
            CHECK(q == MPI_REQUEST_NULL);
        }
        for (int r = 1; r < size; r++) {
            int ack;
            MPI_OK(MPI_Recv(&ack, 1, MPI_INT, r, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            CHECK_INT(ack, r);
        }
        /* both messages of a pair went out in order and the ack is in, so
         * the freed receive completed; its data is in place. */
        MPI_Barrier(MPI_COMM_WORLD);
        for (int r = 1; r < size; r++) {
            int want[N];
            for (int i = 0; i < N; i++) want[i] = 10 * r + i;
            check_vec(bufs + 2 * N * (r - 1), 1, want);
        }
        free(bufs);
    } else {
        int data[N];
        for (int i = 0; i < N; i++) data[i] = 10 * rank + i;
        MPI_OK(MPI_Send(data, N, MPI_INT, 0, 1, MPI_COMM_WORLD));
        MPI_OK(MPI_Send(&rank, 1, MPI_INT, 0, 2, MPI_COMM_WORLD));
        MPI_Barrier(MPI_COMM_WORLD);
    }
    say("freed vector irecv lands: ok\n");

}

static void get_status_irecv(void) {
    /* Request_get_status: the data is in place once it reports completion,
     * and the later Wait does not overwrite what the program did since. */
    int buf[2 * N], v[N];
    fill_holes(buf, 2 * N);
    for (int i = 0; i < N; i++) v[i] = rank * 3 + i;
    MPI_Request q[2];
    int to = (rank + 1) % size, from = (rank + size - 1) % size;
    MPI_OK(MPI_Irecv(buf, 1, vec, from, 3, MPI_COMM_WORLD, &q[0]));
    MPI_OK(MPI_Isend(v, N, MPI_INT, to, 3, MPI_COMM_WORLD, &q[1]));
    int flag = 0;
    while (!flag) MPI_OK(MPI_Request_get_status(q[0], &flag, MPI_STATUS_IGNORE));
    int want[N];
    for (int i = 0; i < N; i++) want[i] = from * 3 + i;
    check_vec(buf, 1, want);
    buf[0] = 12345;
    MPI_OK(MPI_Waitall(2, q, MPI_STATUSES_IGNORE));
    CHECK_INT(buf[0], 12345);
    say("get_status of a vector irecv: ok\n");
}

static void vector_reductions(void) {
    int send[2 * N * 2], recv[2 * N * 2], want[N * 2];
    fill_holes(send, 2 * N * 2);
    for (int i = 0; i < 2 * N * 2; i += 2) send[i] = rank * 100 + i;
    for (int i = 0; i < N * 2; i++) want[i] = (size * (size - 1) / 2) * 100 + size * 2 * i;

    MPI_Op sum;
    MPI_OK(MPI_Op_create(vsum, 1, &sum));
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Allreduce(send, recv, 2, vec, sum, MPI_COMM_WORLD));
    check_vec(recv, 2, want);

    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Reduce(send, recv, 2, vec, sum, 0, MPI_COMM_WORLD));
    if (rank == 0) check_vec(recv, 2, want);

    memcpy(recv, send, sizeof recv);
    MPI_OK(MPI_Allreduce(MPI_IN_PLACE, recv, 2, vec, sum, MPI_COMM_WORLD));
    check_vec(recv, 2, want);

    MPI_Request q;
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Iallreduce(send, recv, 2, vec, sum, MPI_COMM_WORLD, &q));
    MPI_OK(MPI_Wait(&q, MPI_STATUS_IGNORE));
    check_vec(recv, 2, want);

    /* user op: max of each data int is the last rank's */
    MPI_Op op;
    MPI_OK(MPI_Op_create(vmax, 1, &op));
    int wmax[N * 2];
    for (int i = 0; i < N * 2; i++) wmax[i] = (size - 1) * 100 + 2 * i;
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Allreduce(send, recv, 2, vec, op, MPI_COMM_WORLD));
    check_vec(recv, 2, wmax);
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Iallreduce(send, recv, 2, vec, op, MPI_COMM_WORLD, &q));
    MPI_OK(MPI_Wait(&q, MPI_STATUS_IGNORE));
    check_vec(recv, 2, wmax);
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Ireduce(send, recv, 2, vec, op, size - 1, MPI_COMM_WORLD, &q));
    MPI_OK(MPI_Wait(&q, MPI_STATUS_IGNORE));
    if (rank == size - 1) check_vec(recv, 2, wmax);
    MPI_OK(MPI_Op_free(&op));

    /* Scan: prefix sums */
    fill_holes(recv, 2 * N * 2);
    MPI_OK(MPI_Scan(send, recv, 2, vec, sum, MPI_COMM_WORLD));
    int wscan[N * 2];
    for (int i = 0; i < N * 2; i++) wscan[i] = (rank * (rank + 1) / 2) * 100 + (rank + 1) * 2 * i;
    check_vec(recv, 2, wscan);

    /* Reduce_scatter_block: one vector element per rank */
    int *big = malloc(sizeof(int) * 2 * N * size), mine[2 * N];
    fill_holes(big, 2 * N * size);
    for (int e = 0; e < size; e++)
        for (int i = 0; i < N; i++) big[2 * N * e + 2 * i] = e + i + rank;
    fill_holes(mine, 2 * N);
    MPI_OK(MPI_Reduce_scatter_block(big, mine, 1, vec, sum, MPI_COMM_WORLD));
    int wrs[N];
    for (int i = 0; i < N; i++) wrs[i] = size * (rank + i) + size * (size - 1) / 2;
    check_vec(mine, 1, wrs);
    free(big);
    MPI_OK(MPI_Op_free(&sum));
    say("vector reductions keep holes: ok\n");
}

static void check_padded(const padded_t *p, int n, short a, int b, char c) {
    for (int i = 0; i < n; i++) {
        const unsigned char *raw = (const unsigned char *)&p[i];
        CHECK_INT(p[i].a, a + i);
        CHECK_INT(p[i].b, b + i);
        CHECK_INT(p[i].c, c + i);
        CHECK_INT(raw[2], 0xAB);
        CHECK_INT(raw[3], 0xAB);
        for (int k = 9; k < 12; k++) CHECK_INT(raw[k], 0xAB);
    }
}

static void padded_reductions(void) {
    padded_t s[3], r[3];
    memset(s, 0, sizeof s);
    for (int i = 0; i < 3; i++) s[i].a = (short)(rank + i), s[i].b = rank * 10 + i, s[i].c = (char)(1 + i);
    short wa = (short)(size * (size - 1) / 2);
    int wb = 10 * size * (size - 1) / 2;
    MPI_Op op;
    MPI_OK(MPI_Op_create(sum_pairs, 1, &op));

    memset(r, 0xAB, sizeof r);
    MPI_OK(MPI_Allreduce(s, r, 3, pair, op, MPI_COMM_WORLD));
    for (int i = 0; i < 3; i++) r[i].a -= (short)(i * (size - 1)), r[i].b -= i * (size - 1), r[i].c -= (char)((1 + i) * size - 1 - i);
    check_padded(r, 3, wa, wb, 1);

    MPI_Request q;
    memset(r, 0xAB, sizeof r);
    MPI_OK(MPI_Iallreduce(s, r, 3, pair, op, MPI_COMM_WORLD, &q));
    MPI_OK(MPI_Wait(&q, MPI_STATUS_IGNORE));
    for (int i = 0; i < 3; i++) r[i].a -= (short)(i * (size - 1)), r[i].b -= i * (size - 1), r[i].c -= (char)((1 + i) * size - 1 - i);
    check_padded(r, 3, wa, wb, 1);
    MPI_OK(MPI_Op_free(&op));
    say("padded struct reductions keep padding: ok\n");
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    /* N ints at stride 2, resized so that element e starts at int 2Ne:
     * the last int of each element is a hole too */
    MPI_Datatype v;
    MPI_OK(MPI_Type_vector(N, 1, 2, MPI_INT, &v));
    MPI_OK(MPI_Type_create_resized(v, 0, 2 * N * sizeof(int), &vec));
    MPI_OK(MPI_Type_commit(&vec));
    MPI_OK(MPI_Type_free(&v));
    int bl[3] = {1, 1, 1};
    MPI_Aint d[3] = {offsetof(padded_t, a), offsetof(padded_t, b), offsetof(padded_t, c)};
    MPI_Datatype ts[3] = {MPI_SHORT, MPI_INT, MPI_CHAR};
    MPI_Datatype raw;
    MPI_OK(MPI_Type_create_struct(3, bl, d, ts, &raw));
    MPI_OK(MPI_Type_create_resized(raw, 0, sizeof(padded_t), &pair));
    MPI_OK(MPI_Type_commit(&pair));
    MPI_OK(MPI_Type_free(&raw));

    freed_irecv();
    get_status_irecv();
    vector_reductions();
    padded_reductions();

    MPI_OK(MPI_Type_free(&vec));
    MPI_OK(MPI_Type_free(&pair));
    finish();
    return 0;
}
