/* Point-to-point basics: Send/Recv of every predefined C type, status
 * fields, Get_count, zero-length messages, self messages, ring exchanges
 * with Sendrecv and Sendrecv_replace, and large messages (4 MiB). */
#include "check.h"
#include <stdint.h>
#include <stdbool.h>

#define N 17

#define RING_TYPE(ctype, mpitype, name)                                          \
    do {                                                                         \
        ctype out[N], in[N];                                                     \
        for (int i = 0; i < N; i++) {                                            \
            out[i] = (ctype)(rank * 3 + i);                                      \
            in[i] = (ctype)0;                                                    \
        }                                                                        \
        MPI_Status st;                                                           \
        MPI_Request rq;                                                          \
        MPI_OK(MPI_Irecv(in, N, mpitype, left, 11, MPI_COMM_WORLD, &rq));        \
        MPI_OK(MPI_Send(out, N, mpitype, right, 11, MPI_COMM_WORLD));            \
        MPI_OK(MPI_Wait(&rq, &st));                                              \
        CHECK_INT(st.MPI_SOURCE, left);                                          \
        CHECK_INT(st.MPI_TAG, 11);                                               \
        int cnt = -1;                                                            \
        MPI_OK(MPI_Get_count(&st, mpitype, &cnt));                               \
        CHECK_INT(cnt, N);                                                       \
        for (int i = 0; i < N; i++) CHECK(in[i] == (ctype)(left * 3 + i));      \
        int sz = 0;                                                              \
        MPI_OK(MPI_Type_size(mpitype, &sz));                                     \
        CHECK_INT(sz, sizeof(ctype));                                            \
        say("ring %s ok\n", name);                                               \
    } while (0)

typedef struct { float re, im; } fcomplex;
typedef struct { double re, im; } dcomplex;

int main(int argc, char **argv) {
    setup(&argc, &argv);
    int right = (rank + 1) % size, left = (rank + size - 1) % size;

    RING_TYPE(char, MPI_CHAR, "MPI_CHAR");
    RING_TYPE(signed char, MPI_SIGNED_CHAR, "MPI_SIGNED_CHAR");
    RING_TYPE(unsigned char, MPI_UNSIGNED_CHAR, "MPI_UNSIGNED_CHAR");
    RING_TYPE(unsigned char, MPI_BYTE, "MPI_BYTE");
    RING_TYPE(short, MPI_SHORT, "MPI_SHORT");
    RING_TYPE(unsigned short, MPI_UNSIGNED_SHORT, "MPI_UNSIGNED_SHORT");
    RING_TYPE(int, MPI_INT, "MPI_INT");
    RING_TYPE(unsigned, MPI_UNSIGNED, "MPI_UNSIGNED");
    RING_TYPE(long, MPI_LONG, "MPI_LONG");
    RING_TYPE(unsigned long, MPI_UNSIGNED_LONG, "MPI_UNSIGNED_LONG");
    RING_TYPE(long long, MPI_LONG_LONG, "MPI_LONG_LONG");
    RING_TYPE(long long, MPI_LONG_LONG_INT, "MPI_LONG_LONG_INT");
    RING_TYPE(unsigned long long, MPI_UNSIGNED_LONG_LONG, "MPI_UNSIGNED_LONG_LONG");
    RING_TYPE(float, MPI_FLOAT, "MPI_FLOAT");
    RING_TYPE(double, MPI_DOUBLE, "MPI_DOUBLE");
    RING_TYPE(long double, MPI_LONG_DOUBLE, "MPI_LONG_DOUBLE");
    RING_TYPE(wchar_t, MPI_WCHAR, "MPI_WCHAR");
    RING_TYPE(bool, MPI_C_BOOL, "MPI_C_BOOL");
    RING_TYPE(int8_t, MPI_INT8_T, "MPI_INT8_T");
    RING_TYPE(int16_t, MPI_INT16_T, "MPI_INT16_T");
    RING_TYPE(int32_t, MPI_INT32_T, "MPI_INT32_T");
    RING_TYPE(int64_t, MPI_INT64_T, "MPI_INT64_T");
    RING_TYPE(uint8_t, MPI_UINT8_T, "MPI_UINT8_T");
    RING_TYPE(uint16_t, MPI_UINT16_T, "MPI_UINT16_T");
    RING_TYPE(uint32_t, MPI_UINT32_T, "MPI_UINT32_T");
    RING_TYPE(uint64_t, MPI_UINT64_T, "MPI_UINT64_T");
    RING_TYPE(MPI_Aint, MPI_AINT, "MPI_AINT");
    RING_TYPE(MPI_Offset, MPI_OFFSET, "MPI_OFFSET");
    RING_TYPE(MPI_Count, MPI_COUNT, "MPI_COUNT");

    /* complex types: struct with two reals */
    {
        fcomplex o = {rank, -rank}, i = {0, 0};
        MPI_OK(MPI_Sendrecv(&o, 1, MPI_C_FLOAT_COMPLEX, right, 3, &i, 1, MPI_C_FLOAT_COMPLEX, left, 3,
                            MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        CHECK(i.re == left && i.im == -left);
        dcomplex od = {rank, -rank}, id = {0, 0};
        MPI_OK(MPI_Sendrecv(&od, 1, MPI_C_DOUBLE_COMPLEX, right, 3, &id, 1, MPI_C_DOUBLE_COMPLEX, left, 3,
                            MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        CHECK(id.re == left && id.im == -left);
        say("ring complex ok\n");
    }

    /* zero-length message: status and count */
    {
        MPI_Status st;
        int dummy = 7;
        MPI_OK(MPI_Sendrecv(NULL, 0, MPI_INT, right, 4, &dummy, 1, MPI_INT, left, 4, MPI_COMM_WORLD, &st));
        int c = -1;
        MPI_OK(MPI_Get_count(&st, MPI_INT, &c));
        CHECK_INT(c, 0);
        CHECK_INT(dummy, 7);
        CHECK_INT(st.MPI_SOURCE, left);
        CHECK_INT(st.MPI_TAG, 4);
        say("zero-length ok\n");
    }

    /* short receive into a larger buffer: count reflects the message */
    {
        int out[3] = {rank, rank + 1, rank + 2}, in[10];
        for (int i = 0; i < 10; i++) in[i] = -1;
        MPI_Status st;
        MPI_OK(MPI_Sendrecv(out, 3, MPI_INT, right, 5, in, 10, MPI_INT, left, 5, MPI_COMM_WORLD, &st));
        int c;
        MPI_OK(MPI_Get_count(&st, MPI_INT, &c));
        CHECK_INT(c, 3);
        MPI_OK(MPI_Get_elements(&st, MPI_INT, &c));
        CHECK_INT(c, 3);
        MPI_OK(MPI_Get_count(&st, MPI_BYTE, &c));
        CHECK_INT(c, 12);
        CHECK_INT(in[2], left + 2);
        CHECK_INT(in[3], -1);
        /* 12 bytes are not a whole number of doubles */
        MPI_OK(MPI_Get_count(&st, MPI_DOUBLE, &c));
        CHECK_INT(c, MPI_UNDEFINED);
        say("short receive ok\n");
    }

    /* Sendrecv_replace around the ring, twice in opposite directions */
    {
        int buf[5];
        for (int i = 0; i < 5; i++) buf[i] = rank * 10 + i;
        MPI_Status st;
        MPI_OK(MPI_Sendrecv_replace(buf, 5, MPI_INT, right, 6, left, 6, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 5; i++) CHECK_INT(buf[i], left * 10 + i);
        CHECK_INT(st.MPI_SOURCE, left);
        MPI_OK(MPI_Sendrecv_replace(buf, 5, MPI_INT, left, 7, right, 7, MPI_COMM_WORLD, &st));
        for (int i = 0; i < 5; i++) CHECK_INT(buf[i], rank * 10 + i);
        say("sendrecv_replace ok\n");
    }

    /* self messages: Isend to self then Recv */
    {
        double o = rank + 0.5, i = 0;
        MPI_Request r;
        MPI_OK(MPI_Isend(&o, 1, MPI_DOUBLE, rank, 8, MPI_COMM_WORLD, &r));
        MPI_OK(MPI_Recv(&i, 1, MPI_DOUBLE, rank, 8, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        CHECK(r == MPI_REQUEST_NULL);
        CHECK(i == rank + 0.5);
        say("self message ok\n");
    }

    /* large messages: 4 MiB of ints, each rank to its right */
    {
        int n = 1 << 20;
        int *o = malloc(n * sizeof(int)), *in = malloc(n * sizeof(int));
        for (int i = 0; i < n; i++) o[i] = rank ^ i, in[i] = -1;
        MPI_Request rq[2];
        MPI_OK(MPI_Irecv(in, n, MPI_INT, left, 9, MPI_COMM_WORLD, &rq[0]));
        MPI_OK(MPI_Isend(o, n, MPI_INT, right, 9, MPI_COMM_WORLD, &rq[1]));
        MPI_Status sts[2];
        MPI_OK(MPI_Waitall(2, rq, sts));
        int c;
        MPI_OK(MPI_Get_count(&sts[0], MPI_INT, &c));
        CHECK_INT(c, n);
        for (int i = 0; i < n; i++) if (in[i] != (left ^ i)) CHECK_INT(in[i], left ^ i);
        /* blocking large send to self through a pre-posted receive */
        MPI_Request r;
        MPI_OK(MPI_Irecv(in, n, MPI_INT, rank, 10, MPI_COMM_WORLD, &r));
        MPI_OK(MPI_Send(o, n, MPI_INT, rank, 10, MPI_COMM_WORLD));
        MPI_OK(MPI_Wait(&r, MPI_STATUS_IGNORE));
        for (int i = 0; i < n; i++) if (in[i] != (rank ^ i)) CHECK_INT(in[i], rank ^ i);
        free(o);
        free(in);
        say("large messages ok\n");
    }
    finish();
    return 0;
}
