/* Send modes: Ssend/Issend (cannot complete before the receive is posted),
 * Bsend/Ibsend with Buffer_attach/Buffer_detach (returns the buffer),
 * Rsend/Irsend to a pre-posted receive. */
#include "check.h"

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;
    int x, v = rank * 5;
    MPI_Status st;
    int flag;

    /* Issend does not complete while the receiver has not posted */
    if (size > 1) {
        MPI_Request r;
        MPI_OK(MPI_Issend(&v, 1, MPI_INT, right, 80, MPI_COMM_WORLD, &r));
        for (int i = 0; i < 100; i++) {
            MPI_OK(MPI_Test(&r, &flag, MPI_STATUS_IGNORE));
            CHECK_INT(flag, 0);
        }
        MPI_Barrier(MPI_COMM_WORLD); /* nobody has posted a tag-80 receive yet */
        MPI_OK(MPI_Test(&r, &flag, MPI_STATUS_IGNORE));
        CHECK_INT(flag, 0);
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 80, MPI_COMM_WORLD, &st));
        CHECK_INT(x, left * 5);
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
    }
    say("issend waits for the receive\n");

    /* blocking Ssend around a ring: odd/even ordering avoids deadlock */
    if (size > 1) {
        if (rank % 2 == 0) {
            MPI_OK(MPI_Ssend(&v, 1, MPI_INT, right, 81, MPI_COMM_WORLD));
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 81, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        } else {
            MPI_OK(MPI_Recv(&x, 1, MPI_INT, left, 81, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            MPI_OK(MPI_Ssend(&v, 1, MPI_INT, right, 81, MPI_COMM_WORLD));
        }
        CHECK_INT(x, left * 5);
    } else {
        MPI_Request r;
        MPI_OK(MPI_Irecv(&x, 1, MPI_INT, 0, 81, MPI_COMM_WORLD, &r));
        MPI_OK(MPI_Ssend(&v, 1, MPI_INT, 0, 81, MPI_COMM_WORLD));
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        CHECK_INT(x, 0);
    }
    say("ssend ring ok\n");

    /* buffered sends: 10 messages complete locally before any receive */
    {
        int n = 10, len = 100;
        int packsz;
        MPI_OK(MPI_Pack_size(len, MPI_INT, MPI_COMM_WORLD, &packsz));
        int bsize = n * (packsz + MPI_BSEND_OVERHEAD);
        char *buf = malloc(bsize);
        MPI_OK(MPI_Buffer_attach(buf, bsize));
        int *data = malloc(len * sizeof(int));
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < len; i++) data[i] = rank * 1000 + m * 10 + i;
            if (m % 2 == 0) {
                MPI_OK(MPI_Bsend(data, len, MPI_INT, right, 82, MPI_COMM_WORLD));
            } else {
                MPI_Request r;
                MPI_OK(MPI_Ibsend(data, len, MPI_INT, right, 82, MPI_COMM_WORLD, &r));
                MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
            }
        }
        /* the data were copied: overwriting the user buffer is harmless */
        memset(data, 0xff, len * sizeof(int));
        MPI_Barrier(MPI_COMM_WORLD);
        int *in = malloc(len * sizeof(int));
        for (int m = 0; m < n; m++) {
            MPI_OK(MPI_Recv(in, len, MPI_INT, left, 82, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
            for (int i = 0; i < len; i++) CHECK_INT(in[i], left * 1000 + m * 10 + i);
        }
        void *det;
        int dsize;
        MPI_OK(MPI_Buffer_detach(&det, &dsize));
        CHECK(det == buf);
        CHECK_INT(dsize, bsize);
        free(buf);
        free(data);
        free(in);
    }
    say("bsend with attached buffer ok\n");

    /* Buffer_detach waits for pending buffered messages */
    {
        int bsize = 4 + MPI_BSEND_OVERHEAD + 64;
        char *buf = malloc(bsize);
        MPI_OK(MPI_Buffer_attach(buf, bsize));
        MPI_OK(MPI_Bsend(&v, 1, MPI_INT, right, 83, MPI_COMM_WORLD));
        MPI_Request r;
        MPI_OK(MPI_Irecv(&x, 1, MPI_INT, left, 83, MPI_COMM_WORLD, &r));
        void *det;
        int dsize;
        MPI_OK(MPI_Buffer_detach(&det, &dsize));
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        CHECK_INT(x, left * 5);
        free(buf);
    }
    say("buffer_detach drains ok\n");

    /* ready sends into pre-posted receives */
    {
        MPI_Request r[2];
        int y = -1;
        MPI_OK(MPI_Irecv(&x, 1, MPI_INT, left, 84, MPI_COMM_WORLD, &r[0]));
        MPI_OK(MPI_Irecv(&y, 1, MPI_INT, left, 85, MPI_COMM_WORLD, &r[1]));
        MPI_Barrier(MPI_COMM_WORLD); /* every receive is posted */
        MPI_OK(MPI_Rsend(&v, 1, MPI_INT, right, 84, MPI_COMM_WORLD));
        MPI_Request sr;
        int v2 = v + 1;
        MPI_OK(MPI_Irsend(&v2, 1, MPI_INT, right, 85, MPI_COMM_WORLD, &sr));
        MPI_OK(MPI_Wait(&sr, MPI_STATUS_IGNORE));
        MPI_OK(MPI_Waitall(2, r, MPI_STATUSES_IGNORE));
        CHECK_INT(x, left * 5);
        CHECK_INT(y, left * 5 + 1);
    }
    say("rsend/irsend ok\n");
    finish();
    return 0;
}
