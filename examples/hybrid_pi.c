/* MPI + OpenMP: every rank integrates its share of 4/(1+x^2) over [0,1]
 * with an OpenMP team, and the ranks' sums meet in MPI_Reduce. Built with
 * faasm-mpicc -fopenmp, run with faasm run -np N (each rank its own team). */
#include <mpi.h>
#include <omp.h>
#include <stdio.h>

int main(int argc, char **argv) {
  int provided, rank, size;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  const long n = 20000000;
  const double h = 1.0 / (double)n;
  long lo = n * rank / size, hi = n * (rank + 1) / size;
  double local = 0;
  int threads = 0;
  double t0 = MPI_Wtime();
#pragma omp parallel reduction(+ : local)
  {
#pragma omp single
    threads = omp_get_num_threads();
#pragma omp for schedule(static)
    for (long i = lo; i < hi; i++) {
      double x = h * ((double)i + 0.5);
      local += 4.0 / (1.0 + x * x);
    }
  }
  double pi = 0;
  int all_threads = 0;
  MPI_Reduce(&local, &pi, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&threads, &all_threads, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0)
    printf("pi = %.12f from %d ranks x OpenMP teams (%d threads in all), %.3f s\n", pi * h, size,
           all_threads, MPI_Wtime() - t0);
  MPI_Finalize();
  return 0;
}
