/* User-defined reductions: Op_create commutative and non-commutative (the
 * non-commutative one must combine in rank order), on predefined and
 * derived (struct) datatypes, through Reduce, Allreduce, Scan, Exscan,
 * Reduce_scatter_block and Reduce_local; Op_free. */
#include "check.h"
#include <stddef.h>

/* x o y = 2x2 integer matrix product mod 1000003: associative, not
 * commutative */
#define MOD 1000003LL
static void matmul(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    long long *a = in, *b = inout;
    for (int k = 0; k < *len; k++, a += 4, b += 4) {
        long long c[4] = {(a[0] * b[0] + a[1] * b[2]) % MOD, (a[0] * b[1] + a[1] * b[3]) % MOD,
                          (a[2] * b[0] + a[3] * b[2]) % MOD, (a[2] * b[1] + a[3] * b[3]) % MOD};
        memcpy(b, c, sizeof c);
    }
}
static void mat_of(int r, int k, long long m[4]) {
    m[0] = r + 1, m[1] = k + 2, m[2] = r * k % 5, m[3] = 3;
}
static void mat_mul(const long long *a, const long long *b, long long *out) {
    long long c[4] = {(a[0] * b[0] + a[1] * b[2]) % MOD, (a[0] * b[1] + a[1] * b[3]) % MOD,
                      (a[2] * b[0] + a[3] * b[2]) % MOD, (a[2] * b[1] + a[3] * b[3]) % MOD};
    memcpy(out, c, sizeof c);
}

/* commutative: elementwise max of |x| */
static int calls;
static void absmax(void *in, void *inout, int *len, MPI_Datatype *dt) {
    CHECK(*dt == MPI_INT);
    int *a = in, *b = inout;
    calls++;
    for (int i = 0; i < *len; i++) {
        int x = a[i] < 0 ? -a[i] : a[i], y = b[i] < 0 ? -b[i] : b[i];
        b[i] = x > y ? x : y;
    }
}

/* on a struct type: {int count; double sum; } merge */
typedef struct {
    int n;
    double s;
} acc_t;
static void accmerge(void *in, void *inout, int *len, MPI_Datatype *dt) {
    (void)dt;
    acc_t *a = in, *b = inout;
    for (int i = 0; i < *len; i++) b[i].n += a[i].n, b[i].s += a[i].s;
}

int main(int argc, char **argv) {
    setup(&argc, &argv);
    MPI_Datatype mat;
    MPI_OK(MPI_Type_contiguous(4, MPI_LONG_LONG, &mat));
    MPI_OK(MPI_Type_commit(&mat));
    MPI_Op mop;
    MPI_OK(MPI_Op_create(matmul, 0, &mop));
    int K = 3;
    long long in[3][4], out[3][4], want[3][4];
    for (int k = 0; k < K; k++) {
        mat_of(rank, k, in[k]);
        mat_of(0, k, want[k]);
        for (int r = 1; r < size; r++) {
            long long m[4];
            mat_of(r, k, m);
            mat_mul(want[k], m, want[k]);
        }
    }
    for (int root = 0; root < size; root++) {
        memset(out, 0, sizeof out);
        MPI_OK(MPI_Reduce(in, out, K, mat, mop, root, MPI_COMM_WORLD));
        if (rank == root)
            for (int k = 0; k < K; k++)
                for (int j = 0; j < 4; j++) CHECK_INT(out[k][j], want[k][j]);
    }
    memset(out, 0, sizeof out);
    MPI_OK(MPI_Allreduce(in, out, K, mat, mop, MPI_COMM_WORLD));
    for (int k = 0; k < K; k++)
        for (int j = 0; j < 4; j++) CHECK_INT(out[k][j], want[k][j]);
    if (rank == 0) {
        printf("non-commutative product:");
        for (int j = 0; j < 4; j++) printf(" %lld", out[0][j]);
        printf("\n");
    }
    /* Scan / Exscan: prefix products in rank order */
    long long pre[4], m[4];
    mat_of(0, 0, pre);
    for (int r = 1; r <= rank; r++) mat_of(r, 0, m), mat_mul(pre, m, pre);
    MPI_OK(MPI_Scan(in, out, K, mat, mop, MPI_COMM_WORLD));
    for (int j = 0; j < 4; j++) CHECK_INT(out[0][j], pre[j]);
    MPI_OK(MPI_Exscan(in, out, K, mat, mop, MPI_COMM_WORLD));
    if (rank > 0) {
        mat_of(0, 0, pre);
        for (int r = 1; r < rank; r++) mat_of(r, 0, m), mat_mul(pre, m, pre);
        for (int j = 0; j < 4; j++) CHECK_INT(out[0][j], pre[j]);
    }
    /* Reduce_scatter_block with the non-commutative op */
    long long *rsin = malloc(size * 4 * sizeof(long long)), rsout[4];
    for (int b = 0; b < size; b++) mat_of(rank, b, rsin + 4 * b);
    MPI_OK(MPI_Reduce_scatter_block(rsin, rsout, 1, mat, mop, MPI_COMM_WORLD));
    mat_of(0, rank, pre);
    for (int r = 1; r < size; r++) mat_of(r, rank, m), mat_mul(pre, m, pre);
    for (int j = 0; j < 4; j++) CHECK_INT(rsout[j], pre[j]);
    free(rsin);
    /* Reduce_local: inout = in o inout */
    long long a[4], b[4], c[4];
    mat_of(1, 1, a), mat_of(2, 2, b);
    mat_mul(a, b, c);
    MPI_OK(MPI_Reduce_local(a, b, 1, mat, mop));
    for (int j = 0; j < 4; j++) CHECK_INT(b[j], c[j]);
    MPI_OK(MPI_Op_free(&mop));
    CHECK(mop == MPI_OP_NULL);
    say("non-commutative op in rank order ok\n");

    /* commutative op on MPI_INT */
    MPI_Op amax;
    MPI_OK(MPI_Op_create(absmax, 1, &amax));
    int v[5], r5[5];
    for (int i = 0; i < 5; i++) v[i] = (rank % 2 ? -1 : 1) * (rank * 3 + i) % 17;
    MPI_OK(MPI_Allreduce(v, r5, 5, MPI_INT, amax, MPI_COMM_WORLD));
    for (int i = 0; i < 5; i++) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            int x = (r % 2 ? -1 : 1) * (r * 3 + i) % 17;
            x = x < 0 ? -x : x;
            w = x > w ? x : w;
        }
        CHECK_INT(r5[i], w);
    }
    MPI_OK(MPI_Allreduce(MPI_IN_PLACE, v, 5, MPI_INT, amax, MPI_COMM_WORLD));
    for (int i = 0; i < 5; i++) CHECK_INT(v[i], r5[i]);
    int total_calls = 0;
    MPI_OK(MPI_Allreduce(&calls, &total_calls, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
    CHECK(size == 1 || total_calls > 0);
    MPI_OK(MPI_Op_free(&amax));
    say("commutative user op ok\n");

    /* user op on a struct datatype */
    MPI_Datatype acc;
    int bl[2] = {1, 1};
    MPI_Aint d[2] = {offsetof(acc_t, n), offsetof(acc_t, s)};
    MPI_Datatype ts[2] = {MPI_INT, MPI_DOUBLE}, acc0;
    MPI_OK(MPI_Type_create_struct(2, bl, d, ts, &acc0));
    MPI_OK(MPI_Type_create_resized(acc0, 0, sizeof(acc_t), &acc));
    MPI_OK(MPI_Type_commit(&acc));
    MPI_Op merge;
    MPI_OK(MPI_Op_create(accmerge, 1, &merge));
    acc_t ai[2] = {{1, rank * 0.5}, {rank, 2.0}}, ao[2];
    MPI_OK(MPI_Allreduce(ai, ao, 2, acc, merge, MPI_COMM_WORLD));
    CHECK_INT(ao[0].n, size);
    CHECK(ao[0].s == 0.25 * size * (size - 1));
    CHECK_INT(ao[1].n, size * (size - 1) / 2);
    CHECK(ao[1].s == 2.0 * size);
    MPI_OK(MPI_Reduce(ai, ao, 2, acc, merge, size - 1, MPI_COMM_WORLD));
    if (rank == size - 1) CHECK_INT(ao[0].n, size);
    MPI_OK(MPI_Op_free(&merge));
    MPI_OK(MPI_Type_free(&acc));
    MPI_OK(MPI_Type_free(&acc0));
    MPI_OK(MPI_Type_free(&mat));
    say("user op on struct type ok\n");
    finish();
    return 0;
}
