#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
static void myop(void *in, void *inout, int *len, MPI_Datatype *dt) {
  int *a = in, *b = inout; for (int i = 0; i < *len; i++) b[i] = a[i] + 2 * b[i];
}
int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int r, n; MPI_Comm_rank(MPI_COMM_WORLD, &r); MPI_Comm_size(MPI_COMM_WORLD, &n);
  int big = 1 << 20; double *buf = malloc(big * sizeof(double));
  if (n > 1 && r == 0) { for (int i = 0; i < big; i++) buf[i] = i; MPI_Send(buf, big, MPI_DOUBLE, 1, 7, MPI_COMM_WORLD); }
  if (n > 1 && r == 1) { MPI_Status st; int c; MPI_Recv(buf, big, MPI_DOUBLE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st); MPI_Get_count(&st, MPI_DOUBLE, &c); printf("rank %d got %d from %d tag %d last %.0f\n", r, c, st.MPI_SOURCE, st.MPI_TAG, buf[big-1]); }
  int v = r + 1, s; MPI_Allreduce(&v, &s, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  MPI_Op op; MPI_Op_create(myop, 0, &op); int u; MPI_Allreduce(&v, &u, 1, MPI_INT, op, MPI_COMM_WORLD);
  MPI_Datatype col; MPI_Type_vector(4, 1, 4, MPI_INT, &col); MPI_Type_commit(&col);
  int mat[16], got[4]; for (int i = 0; i < 16; i++) mat[i] = i + 100 * r;
  MPI_Request rq[2];
  MPI_Irecv(got, 4, MPI_INT, (r + n - 1) % n, 1, MPI_COMM_WORLD, &rq[0]);
  MPI_Isend(mat + 1, 1, col, (r + 1) % n, 1, MPI_COMM_WORLD, &rq[1]);
  MPI_Waitall(2, rq, MPI_STATUSES_IGNORE);
  int all[64]; MPI_Allgather(&r, 1, MPI_INT, all, 1, MPI_INT, MPI_COMM_WORLD);
  MPI_Comm cart; int dims[2] = {0, 0}, per[2] = {1, 0}; MPI_Dims_create(n, 2, dims); MPI_Cart_create(MPI_COMM_WORLD, 2, dims, per, 0, &cart);
  int src, dst; MPI_Cart_shift(cart, 0, 1, &src, &dst);
  printf("rank %d sum %d userop %d col %d %d %d %d gather-last %d dims %dx%d shift %d->%d\n", r, s, u, got[0], got[1], got[2], got[3], all[n-1], dims[0], dims[1], src, dst);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int rc = MPI_Send(&v, 1, MPI_INT, n + 5, 0, MPI_COMM_WORLD);
  char es[MPI_MAX_ERROR_STRING]; int el; MPI_Error_string(rc, es, &el);
  if (r == 0) printf("bad rank rc=%d %s\n", rc, es);
  MPI_Finalize();
  return 0;
}
