/* faasm only: under MPI_THREAD_FUNNELED an OpenMP worker's MPI call is an
 * error that ends the job, also for the calls libfaasmpi answers without
 * the host on the initial thread (MPI_Comm_rank of the world, one-rank
 * collectives). */
#include <mpi.h>
#include <omp.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int provided, rank = -1;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
#pragma omp parallel num_threads(2)
    if (omp_get_thread_num() == 1) {
        int r = -7;
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
        printf("worker got rank %d\n", r);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    printf("main rank %d\n", rank);
    MPI_Finalize();
    return 0;
}
