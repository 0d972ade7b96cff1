/* MPI micro-benchmarks for make bench: the same source runs under OpenMPI
 * (mpicc + mpirun) and under faasm (faasm-mpicc + faasm run -np N).
 * Prints "<bench> <bytes> <value> <unit>" lines from rank 0. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rank, size;

static int iters(long bytes) {
	long it = (1L << 26) / (bytes + 64);
	return it < 20 ? 20 : it > 20000 ? 20000 : (int)it;
}

static void pingpong(char *buf, long bytes) {
	if (size < 2 || rank > 1) return;
	int n = iters(bytes);
	for (int w = 0; w < 2; w++) {
		MPI_Barrier(MPI_COMM_SELF);
		double t0 = MPI_Wtime();
		for (int i = 0; i < n; i++) {
			if (rank == 0) {
				MPI_Send(buf, (int)bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
				MPI_Recv(buf, (int)bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			} else {
				MPI_Recv(buf, (int)bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				MPI_Send(buf, (int)bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD);
			}
		}
		double dt = (MPI_Wtime() - t0) / n / 2; /* one way */
		if (w == 1 && rank == 0) {
			if (bytes <= 8) printf("latency %ld %.3f us\n", bytes, dt * 1e6);
			else printf("bandwidth %ld %.3f GB/s\n", bytes, bytes / dt / 1e9);
		}
	}
}

/* Message rate: rank 0 streams 8-byte messages to rank 1, which receives
 * them in order; the time per message is the slower side's. */
static void rate(char *buf) {
	if (size < 2 || rank > 1) return;
	int n = 100000;
	double best = 1e30;
	for (int w = 0; w < 3; w++) {
		MPI_Barrier(MPI_COMM_SELF);
		double t0 = MPI_Wtime();
		for (int i = 0; i < n; i++) {
			if (rank == 0) MPI_Send(buf, 8, MPI_BYTE, 1, 3, MPI_COMM_WORLD);
			else MPI_Recv(buf, 8, MPI_BYTE, 0, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		}
		double dt = (MPI_Wtime() - t0) / n, other;
		MPI_Sendrecv(&dt, 1, MPI_DOUBLE, 1 - rank, 4, &other, 1, MPI_DOUBLE, 1 - rank, 4, MPI_COMM_WORLD,
		             MPI_STATUS_IGNORE);
		dt = dt > other ? dt : other;
		if (dt < best) best = dt;
	}
	if (rank == 0) printf("msgrate 8 %.3f us\n", best * 1e6);
}

static void coll(const char *name, char *a, char *b, long bytes) {
	int n = iters(bytes * size);
	double best = 1e30;
	for (int w = 0; w < 3; w++) {
		MPI_Barrier(MPI_COMM_WORLD);
		double t0 = MPI_Wtime();
		for (int i = 0; i < n; i++) {
			if (!strcmp(name, "allreduce")) MPI_Allreduce(a, b, (int)(bytes / 8), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
			else if (!strcmp(name, "bcast")) MPI_Bcast(a, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
			else if (!strcmp(name, "barrier")) MPI_Barrier(MPI_COMM_WORLD);
			else if (!strcmp(name, "reduce"))
				MPI_Reduce(a, b, (int)(bytes / 8), MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
			else if (!strcmp(name, "gather"))
				MPI_Gather(a, (int)bytes, MPI_BYTE, b, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
			else if (!strcmp(name, "scatter"))
				MPI_Scatter(a, (int)bytes, MPI_BYTE, b, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
			else MPI_Alltoall(a, (int)bytes, MPI_BYTE, b, (int)bytes, MPI_BYTE, MPI_COMM_WORLD);
		}
		double dt = (MPI_Wtime() - t0) / n, mx;
		MPI_Allreduce(&dt, &mx, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
		if (mx < best) best = mx;
	}
	if (rank == 0) printf("%s-np%d %ld %.3f us\n", name, size, bytes, best * 1e6);
}

int main(int argc, char **argv) {
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	long max = 16L << 20;
	char *a = calloc(1, max * (size > 4 ? size : 4)), *b = calloc(1, max * (size > 4 ? size : 4));
	if (size == 2) {
		pingpong(a, 8);
		rate(a);
		for (long s = 1024; s <= max; s *= 4) pingpong(a, s);
	}
	for (long s = 8; s <= (8L << 20); s *= 32) coll("allreduce", a, b, s);
	for (long s = 8; s <= (1L << 20); s *= 32) coll("bcast", a, b, s);
	coll("barrier", a, b, 0);
	/* The rooted ones: their members run ahead of the root as far as the
	 * implementation buffers eager messages, so the root's time is the
	 * call's. */
	for (long s = 8; s <= (1L << 20); s *= 32) coll("reduce", a, b, s);
	for (long s = 8; s <= (1L << 20); s *= 32) coll("gather", a, b, s);
	for (long s = 8; s <= (1L << 20); s *= 32) coll("scatter", a, b, s);
	if (size == 4)
		for (long s = 8; s <= (64L << 10); s *= 32) coll("alltoall", a, b, s);
	MPI_Finalize();
	return 0;
}
