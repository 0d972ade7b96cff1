/* Calls faasm does not support: they link, and fail at run time with
 * "faasm: MPI_X is not supported" through the error handler. One body per
 * prototype in the unsupported section of mpi.h (TestUnsupportedListed checks). */
#include "internal.h"

int MPI_Win_create(void *base, MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm, MPI_Win *win) {
	(void)base;
	(void)size;
	(void)disp_unit;
	(void)info;
	(void)win;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Win_allocate(MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm, void *baseptr, MPI_Win *win) {
	(void)size;
	(void)disp_unit;
	(void)info;
	(void)baseptr;
	(void)win;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Win_allocate_shared(MPI_Aint size, int disp_unit, MPI_Info info, MPI_Comm comm, void *baseptr, MPI_Win *win) {
	(void)size;
	(void)disp_unit;
	(void)info;
	(void)baseptr;
	(void)win;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Win_create_dynamic(MPI_Info info, MPI_Comm comm, MPI_Win *win) {
	(void)info;
	(void)win;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Win_shared_query(MPI_Win win, int rank, MPI_Aint *size, int *disp_unit, void *baseptr) {
	(void)win;
	(void)rank;
	(void)size;
	(void)disp_unit;
	(void)baseptr;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_free(MPI_Win *win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_fence(int assert, MPI_Win win) {
	(void)assert;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_lock(int lock_type, int rank, int assert, MPI_Win win) {
	(void)lock_type;
	(void)rank;
	(void)assert;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_unlock(int rank, MPI_Win win) {
	(void)rank;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_lock_all(int assert, MPI_Win win) {
	(void)assert;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_unlock_all(MPI_Win win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_flush(int rank, MPI_Win win) {
	(void)rank;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_flush_all(MPI_Win win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_flush_local(int rank, MPI_Win win) {
	(void)rank;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_sync(MPI_Win win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_post(MPI_Group group, int assert, MPI_Win win) {
	(void)group;
	(void)assert;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_start(MPI_Group group, int assert, MPI_Win win) {
	(void)group;
	(void)assert;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_complete(MPI_Win win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_wait(MPI_Win win) {
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_get_group(MPI_Win win, MPI_Group *group) {
	(void)win;
	(void)group;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_get_attr(MPI_Win win, int win_keyval, void *attribute_val, int *flag) {
	(void)win;
	(void)win_keyval;
	(void)attribute_val;
	(void)flag;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Win_set_attr(MPI_Win win, int win_keyval, void *attribute_val) {
	(void)win;
	(void)win_keyval;
	(void)attribute_val;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Put(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype, int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Win win) {
	(void)origin_addr;
	(void)origin_count;
	(void)origin_datatype;
	(void)target_rank;
	(void)target_disp;
	(void)target_count;
	(void)target_datatype;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Get(void *origin_addr, int origin_count, MPI_Datatype origin_datatype, int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Win win) {
	(void)origin_addr;
	(void)origin_count;
	(void)origin_datatype;
	(void)target_rank;
	(void)target_disp;
	(void)target_count;
	(void)target_datatype;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Accumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype, int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Op op, MPI_Win win) {
	(void)origin_addr;
	(void)origin_count;
	(void)origin_datatype;
	(void)target_rank;
	(void)target_disp;
	(void)target_count;
	(void)target_datatype;
	(void)op;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Get_accumulate(const void *origin_addr, int origin_count, MPI_Datatype origin_datatype, void *result_addr, int result_count, MPI_Datatype result_datatype, int target_rank, MPI_Aint target_disp, int target_count, MPI_Datatype target_datatype, MPI_Op op, MPI_Win win) {
	(void)origin_addr;
	(void)origin_count;
	(void)origin_datatype;
	(void)result_addr;
	(void)result_count;
	(void)result_datatype;
	(void)target_rank;
	(void)target_disp;
	(void)target_count;
	(void)target_datatype;
	(void)op;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Fetch_and_op(const void *origin_addr, void *result_addr, MPI_Datatype datatype, int target_rank, MPI_Aint target_disp, MPI_Op op, MPI_Win win) {
	(void)origin_addr;
	(void)result_addr;
	(void)datatype;
	(void)target_rank;
	(void)target_disp;
	(void)op;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Compare_and_swap(const void *origin_addr, const void *compare_addr, void *result_addr, MPI_Datatype datatype, int target_rank, MPI_Aint target_disp, MPI_Win win) {
	(void)origin_addr;
	(void)compare_addr;
	(void)result_addr;
	(void)datatype;
	(void)target_rank;
	(void)target_disp;
	(void)win;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_open(MPI_Comm comm, const char *filename, int amode, MPI_Info info, MPI_File *fh) {
	(void)filename;
	(void)amode;
	(void)info;
	(void)fh;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_File_close(MPI_File *fh) {
	(void)fh;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_delete(const char *filename, MPI_Info info) {
	(void)filename;
	(void)info;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_set_view(MPI_File fh, MPI_Offset disp, MPI_Datatype etype, MPI_Datatype filetype, const char *datarep, MPI_Info info) {
	(void)fh;
	(void)disp;
	(void)etype;
	(void)filetype;
	(void)datarep;
	(void)info;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_read(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_write(MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_read_at(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)offset;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_write_at(MPI_File fh, MPI_Offset offset, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)offset;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_read_all(MPI_File fh, void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_write_all(MPI_File fh, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_read_at_all(MPI_File fh, MPI_Offset offset, void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)offset;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_write_at_all(MPI_File fh, MPI_Offset offset, const void *buf, int count, MPI_Datatype datatype, MPI_Status *status) {
	(void)fh;
	(void)offset;
	(void)buf;
	(void)count;
	(void)datatype;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_get_size(MPI_File fh, MPI_Offset *size) {
	(void)fh;
	(void)size;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_set_size(MPI_File fh, MPI_Offset size) {
	(void)fh;
	(void)size;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_seek(MPI_File fh, MPI_Offset offset, int whence) {
	(void)fh;
	(void)offset;
	(void)whence;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_File_sync(MPI_File fh) {
	(void)fh;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Comm_spawn(const char *command, char *argv[], int maxprocs, MPI_Info info, int root, MPI_Comm comm, MPI_Comm *intercomm, int array_of_errcodes[]) {
	(void)command;
	(void)argv;
	(void)maxprocs;
	(void)info;
	(void)root;
	(void)intercomm;
	(void)array_of_errcodes;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Comm_spawn_multiple(int count, char *array_of_commands[], char **array_of_argv[], const int array_of_maxprocs[], const MPI_Info array_of_info[], int root, MPI_Comm comm, MPI_Comm *intercomm, int array_of_errcodes[]) {
	(void)count;
	(void)array_of_commands;
	(void)array_of_argv;
	(void)array_of_maxprocs;
	(void)array_of_info;
	(void)root;
	(void)intercomm;
	(void)array_of_errcodes;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Intercomm_create(MPI_Comm local_comm, int local_leader, MPI_Comm peer_comm, int remote_leader, int tag, MPI_Comm *newintercomm) {
	(void)local_leader;
	(void)peer_comm;
	(void)remote_leader;
	(void)tag;
	(void)newintercomm;
	return faasmpi_unsupported(local_comm, __func__);
}

int MPI_Intercomm_merge(MPI_Comm intercomm, int high, MPI_Comm *newintracomm) {
	(void)high;
	(void)newintracomm;
	return faasmpi_unsupported(intercomm, __func__);
}

int MPI_Comm_remote_size(MPI_Comm comm, int *size) {
	(void)size;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Comm_remote_group(MPI_Comm comm, MPI_Group *group) {
	(void)group;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Comm_idup(MPI_Comm comm, MPI_Comm *newcomm, MPI_Request *request) {
	(void)newcomm;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Comm_create_group(MPI_Comm comm, MPI_Group group, int tag, MPI_Comm *newcomm) {
	(void)group;
	(void)tag;
	(void)newcomm;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Open_port(MPI_Info info, char *port_name) {
	(void)info;
	(void)port_name;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Close_port(const char *port_name) {
	(void)port_name;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Comm_accept(const char *port_name, MPI_Info info, int root, MPI_Comm comm, MPI_Comm *newcomm) {
	(void)port_name;
	(void)info;
	(void)root;
	(void)newcomm;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Comm_connect(const char *port_name, MPI_Info info, int root, MPI_Comm comm, MPI_Comm *newcomm) {
	(void)port_name;
	(void)info;
	(void)root;
	(void)newcomm;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Graph_create(MPI_Comm comm_old, int nnodes, const int index[], const int edges[], int reorder, MPI_Comm *comm_graph) {
	(void)nnodes;
	(void)index;
	(void)edges;
	(void)reorder;
	(void)comm_graph;
	return faasmpi_unsupported(comm_old, __func__);
}

int MPI_Graph_neighbors_count(MPI_Comm comm, int rank, int *nneighbors) {
	(void)rank;
	(void)nneighbors;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Graph_neighbors(MPI_Comm comm, int rank, int maxneighbors, int neighbors[]) {
	(void)rank;
	(void)maxneighbors;
	(void)neighbors;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Graphdims_get(MPI_Comm comm, int *nnodes, int *nedges) {
	(void)nnodes;
	(void)nedges;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Dist_graph_create_adjacent(MPI_Comm comm_old, int indegree, const int sources[], const int sourceweights[], int outdegree, const int destinations[], const int destweights[], MPI_Info info, int reorder, MPI_Comm *comm_dist_graph) {
	(void)indegree;
	(void)sources;
	(void)sourceweights;
	(void)outdegree;
	(void)destinations;
	(void)destweights;
	(void)info;
	(void)reorder;
	(void)comm_dist_graph;
	return faasmpi_unsupported(comm_old, __func__);
}

int MPI_Dist_graph_create(MPI_Comm comm_old, int n, const int sources[], const int degrees[], const int destinations[], const int weights[], MPI_Info info, int reorder, MPI_Comm *comm_dist_graph) {
	(void)n;
	(void)sources;
	(void)degrees;
	(void)destinations;
	(void)weights;
	(void)info;
	(void)reorder;
	(void)comm_dist_graph;
	return faasmpi_unsupported(comm_old, __func__);
}

int MPI_Dist_graph_neighbors_count(MPI_Comm comm, int *indegree, int *outdegree, int *weighted) {
	(void)indegree;
	(void)outdegree;
	(void)weighted;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Cart_map(MPI_Comm comm, int ndims, const int dims[], const int periods[], int *newrank) {
	(void)ndims;
	(void)dims;
	(void)periods;
	(void)newrank;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Neighbor_allgather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm) {
	(void)sendbuf;
	(void)sendcount;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcount;
	(void)recvtype;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Neighbor_alltoall(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype, MPI_Comm comm) {
	(void)sendbuf;
	(void)sendcount;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcount;
	(void)recvtype;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Igather(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request) {
	(void)sendbuf;
	(void)sendcount;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcount;
	(void)recvtype;
	(void)root;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Iscatter(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, int recvcount, MPI_Datatype recvtype, int root, MPI_Comm comm, MPI_Request *request) {
	(void)sendbuf;
	(void)sendcount;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcount;
	(void)recvtype;
	(void)root;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Iallgatherv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, void *recvbuf, const int recvcounts[], const int displs[], MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request) {
	(void)sendbuf;
	(void)sendcount;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcounts;
	(void)displs;
	(void)recvtype;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Ialltoallv(const void *sendbuf, const int sendcounts[], const int sdispls[], MPI_Datatype sendtype, void *recvbuf, const int recvcounts[], const int rdispls[], MPI_Datatype recvtype, MPI_Comm comm, MPI_Request *request) {
	(void)sendbuf;
	(void)sendcounts;
	(void)sdispls;
	(void)sendtype;
	(void)recvbuf;
	(void)recvcounts;
	(void)rdispls;
	(void)recvtype;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Iscan(const void *sendbuf, void *recvbuf, int count, MPI_Datatype datatype, MPI_Op op, MPI_Comm comm, MPI_Request *request) {
	(void)sendbuf;
	(void)recvbuf;
	(void)count;
	(void)datatype;
	(void)op;
	(void)request;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Mprobe(int source, int tag, MPI_Comm comm, MPI_Message *message, MPI_Status *status) {
	(void)source;
	(void)tag;
	(void)message;
	(void)status;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Improbe(int source, int tag, MPI_Comm comm, int *flag, MPI_Message *message, MPI_Status *status) {
	(void)source;
	(void)tag;
	(void)flag;
	(void)message;
	(void)status;
	return faasmpi_unsupported(comm, __func__);
}

int MPI_Mrecv(void *buf, int count, MPI_Datatype datatype, MPI_Message *message, MPI_Status *status) {
	(void)buf;
	(void)count;
	(void)datatype;
	(void)message;
	(void)status;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Type_get_envelope(MPI_Datatype datatype, int *num_integers, int *num_addresses, int *num_datatypes, int *combiner) {
	(void)datatype;
	(void)num_integers;
	(void)num_addresses;
	(void)num_datatypes;
	(void)combiner;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Type_get_contents(MPI_Datatype datatype, int max_integers, int max_addresses, int max_datatypes, int array_of_integers[], MPI_Aint array_of_addresses[], MPI_Datatype array_of_datatypes[]) {
	(void)datatype;
	(void)max_integers;
	(void)max_addresses;
	(void)max_datatypes;
	(void)array_of_integers;
	(void)array_of_addresses;
	(void)array_of_datatypes;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Type_create_darray(int size, int rank, int ndims, const int array_of_gsizes[], const int array_of_distribs[], const int array_of_dargs[], const int array_of_psizes[], int order, MPI_Datatype oldtype, MPI_Datatype *newtype) {
	(void)size;
	(void)rank;
	(void)ndims;
	(void)array_of_gsizes;
	(void)array_of_distribs;
	(void)array_of_dargs;
	(void)array_of_psizes;
	(void)order;
	(void)oldtype;
	(void)newtype;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Add_error_class(int *errorclass) {
	(void)errorclass;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Add_error_code(int errorclass, int *errorcode) {
	(void)errorclass;
	(void)errorcode;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}

int MPI_Add_error_string(int errorcode, const char *string) {
	(void)errorcode;
	(void)string;
	return faasmpi_unsupported(MPI_COMM_WORLD, __func__);
}
