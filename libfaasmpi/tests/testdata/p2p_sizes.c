/* Message sizes across the shared-memory paths: a stream of 1 B to 5000 B
 * messages around the ring of ranks (in a ring slot, end to end in a
 * ring's data area, which they wrap many times, and above it), every rank
 * flooding rank 0 with mixed sizes and tags that it receives source by
 * source, then Gather, Scatter and Reduce of 1-4 KiB blocks and Bcast of
 * 64-300 KiB from every root. */
#include "check.h"

enum { MAXB = 5000, MSGS = 400, FLOOD = 200 };

static unsigned char val(int src, int i, int k) { return (unsigned char)(src * 31 + i * 7 + k); }

static int msg_size(int i) { return 1 + (i * 997) % MAXB; }

static void fill(unsigned char *b, int n, int src, int i) {
    for (int k = 0; k < n; k++) b[k] = val(src, i, k);
}

static void check_msg(const unsigned char *b, int n, int src, int i) {
    for (int k = 0; k < n; k++)
        if (b[k] != val(src, i, k)) CHECK_INT(b[k], val(src, i, k));
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    unsigned char *out = malloc(MAXB), *in = malloc(MAXB);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;

    /* Even ranks send first and odd ones receive first, so that no cycle
     * of sends waits when a size is above the eager limit. */
    if (size > 1) {
        for (int i = 0; i < MSGS; i++) {
            int n = msg_size(i);
            MPI_Status st;
            fill(out, n, rank, i);
            if (rank % 2 == 0) MPI_OK(MPI_Send(out, n, MPI_BYTE, right, i % 5, MPI_COMM_WORLD));
            MPI_OK(MPI_Recv(in, MAXB, MPI_BYTE, left, i % 5, MPI_COMM_WORLD, &st));
            if (rank % 2 != 0) MPI_OK(MPI_Send(out, n, MPI_BYTE, right, i % 5, MPI_COMM_WORLD));
            int got;
            MPI_OK(MPI_Get_count(&st, MPI_BYTE, &got));
            CHECK_INT(got, n);
            check_msg(in, n, left, i);
        }
    }
    say("stream ok\n");

    /* Every other rank floods rank 0, which takes one message from each
     * source in turn by source and tag: the messages of the other sources
     * wait behind, in their rings or queued. */
    if (rank != 0) {
        for (int i = 0; i < FLOOD; i++) {
            int n = msg_size(i * 13 + rank);
            fill(out, n, rank, i);
            MPI_OK(MPI_Send(out, n, MPI_BYTE, 0, i % 3, MPI_COMM_WORLD));
        }
    } else {
        for (int i = 0; i < FLOOD; i++)
            for (int src = 1; src < size; src++) {
                MPI_Status st;
                int n = msg_size(i * 13 + src), got;
                MPI_OK(MPI_Recv(in, MAXB, MPI_BYTE, src, i % 3, MPI_COMM_WORLD, &st));
                MPI_OK(MPI_Get_count(&st, MPI_BYTE, &got));
                CHECK_INT(got, n);
                check_msg(in, n, src, i);
            }
    }
    say("flood ok\n");

    int blks[] = {100, 1000, 4000};
    unsigned char *many = malloc((size_t)size * 4000);
    double *dv = malloc(4000), *dr = malloc(4000);
    for (int root = 0; root < size; root++)
        for (int b = 0; b < 3; b++) {
            int blk = blks[b];
            fill(out, blk, rank, root + b);
            MPI_OK(MPI_Gather(out, blk, MPI_BYTE, many, blk, MPI_BYTE, root, MPI_COMM_WORLD));
            if (rank == root)
                for (int r = 0; r < size; r++) check_msg(many + (size_t)r * blk, blk, r, root + b);
            if (rank == root)
                for (int r = 0; r < size; r++) fill(many + (size_t)r * blk, blk, r + 100, root + b);
            MPI_OK(MPI_Scatter(many, blk, MPI_BYTE, in, blk, MPI_BYTE, root, MPI_COMM_WORLD));
            check_msg(in, blk, rank + 100, root + b);
            int n = blk / 8;
            for (int k = 0; k < n; k++) dv[k] = rank * 1000 + k + root;
            MPI_OK(MPI_Reduce(dv, dr, n, MPI_DOUBLE, MPI_SUM, root, MPI_COMM_WORLD));
            if (rank == root)
                for (int k = 0; k < n; k++)
                    if (dr[k] != 1000.0 * size * (size - 1) / 2 + (double)size * (k + root))
                        CHECK(dr[k] == 1000.0 * size * (size - 1) / 2 + (double)size * (k + root));
        }
    say("rooted ok\n");

    int bsizes[] = {64 * 1024 + 1, 150000, 300000};
    unsigned char *bb = malloc(300000);
    for (int root = 0; root < size; root++)
        for (int b = 0; b < 3; b++) {
            int n = bsizes[b];
            if (rank == root) fill(bb, n, root, b);
            else memset(bb, 0, n);
            MPI_OK(MPI_Bcast(bb, n, MPI_BYTE, root, MPI_COMM_WORLD));
            check_msg(bb, n, root, b);
        }
    say("bcast ok\n");

    free(out), free(in), free(many), free(dv), free(dr), free(bb);
    finish();
    return 0;
}
