/* Round trips of one int between ranks 0 and 1, with a Barrier, an
 * Allreduce and a Bcast every tenth round: calls the C fast path serves
 * (TestRun_fastPath). */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv) {
	MPI_Init(&argc, &argv);
	int rank, size;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	long sum = 0;
	for (int i = 0; i < 2000 && size > 1; i++) {
		int v = i, st_ok = 1;
		MPI_Status st;
		if (rank == 0) {
			MPI_Send(&v, 1, MPI_INT, 1, i % 7, MPI_COMM_WORLD);
			MPI_Recv(&v, 1, MPI_INT, 1, i % 7, MPI_COMM_WORLD, &st);
			st_ok = v == 2 * i && st.MPI_SOURCE == 1 && st.MPI_TAG == i % 7;
			sum += v;
		} else if (rank == 1) {
			MPI_Recv(&v, 1, MPI_INT, 0, i % 7, MPI_COMM_WORLD, &st);
			int count;
			MPI_Get_count(&st, MPI_INT, &count);
			st_ok = v == i && count == 1 && st.MPI_SOURCE == 0 && st.MPI_TAG == i % 7;
			v *= 2;
			MPI_Send(&v, 1, MPI_INT, 0, i % 7, MPI_COMM_WORLD);
		}
		if (i % 10 == 0) {
			double d = rank + 0.5, sum;
			int b = rank == 0 ? i : -1;
			MPI_Barrier(MPI_COMM_WORLD);
			MPI_Allreduce(&d, &sum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
			MPI_Bcast(&b, 1, MPI_INT, 0, MPI_COMM_WORLD);
			st_ok = st_ok && sum == size * size / 2.0 && b == i;
		}
		if (!st_ok) {
			printf("rank %d: round %d went wrong\n", rank, i);
			MPI_Abort(MPI_COMM_WORLD, 2);
		}
	}
	if (rank == 0) printf("sum %ld\n", sum);
	MPI_Finalize();
	return 0;
}
