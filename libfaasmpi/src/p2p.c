/* Point-to-point: thin wrappers over the faasmpi imports. */
#include "internal.h"

#define SEND(mode) RET(comm, __faasmpi_mpi_send(buf, count, datatype, dest, tag, comm, mode))
#define ISEND(imp, mode) RET(comm, imp(buf, count, datatype, dest, tag, comm, mode, IP(request)))

int MPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_STANDARD);
}
int MPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_SYNC);
}
int MPI_Bsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_BUFFERED);
}
int MPI_Rsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_READY);
}
int MPI_Isend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_STANDARD);
}
int MPI_Issend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_SYNC);
}
int MPI_Ibsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_BUFFERED);
}
int MPI_Irsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_READY);
}
int MPI_Send_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_STANDARD);
}
int MPI_Ssend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_SYNC);
}
int MPI_Bsend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_BUFFERED);
}
int MPI_Rsend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_READY);
}
int MPI_Recv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_recv(buf, count, datatype, source, tag, comm, status));
}
int MPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Request *request) {
	RET(comm, __faasmpi_mpi_irecv(buf, count, datatype, source, tag, comm, IP(request)));
}
int MPI_Recv_init(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Request *request) {
	RET(comm, __faasmpi_mpi_recv_init(buf, count, datatype, source, tag, comm, IP(request)));
}
int MPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag, void *recvbuf,
                 int recvcount, MPI_Datatype recvtype, int source, int recvtag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source,
	                                 recvtag, comm, status));
}
int MPI_Sendrecv_replace(void *buf, int count, MPI_Datatype datatype, int dest, int sendtag, int source, int recvtag,
                         MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_sendrecv_replace(buf, count, datatype, dest, sendtag, source, recvtag, comm, status));
}

static void *attached;
int MPI_Buffer_attach(void *buffer, int size) {
	int rc = __faasmpi_mpi_buffer_attach(buffer, size);
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	attached = buffer;
	return MPI_SUCCESS;
}
int MPI_Buffer_detach(void *buffer_addr, int *size) {
	int rc = __faasmpi_mpi_buffer_detach(IP(size));
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	*(void **)buffer_addr = attached;
	attached = NULL;
	return MPI_SUCCESS;
}

int MPI_Wait(MPI_Request *request, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_wait(IP(request), status));
}
int MPI_Waitall(int count, MPI_Request reqs[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitall(count, IP(reqs), statuses));
}
int MPI_Waitany(int count, MPI_Request reqs[], int *index, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitany(count, IP(reqs), IP(index), status));
}
int MPI_Waitsome(int incount, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitsome(incount, IP(reqs), IP(outcount), IP(indices), statuses));
}
int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_test(IP(request), IP(flag), status));
}
int MPI_Testall(int count, MPI_Request reqs[], int *flag, MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testall(count, IP(reqs), IP(flag), statuses));
}
int MPI_Testany(int count, MPI_Request reqs[], int *index, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testany(count, IP(reqs), IP(index), IP(flag), status));
}
int MPI_Testsome(int incount, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testsome(incount, IP(reqs), IP(outcount), IP(indices), statuses));
}
int MPI_Request_get_status(MPI_Request request, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_request_get_status(request, IP(flag), status));
}
int MPI_Request_free(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_request_free(IP(request))); }
int MPI_Cancel(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_cancel(IP(request))); }
int MPI_Test_cancelled(const MPI_Status *status, int *flag) {
	*flag = status->faasmpi_cancelled;
	return MPI_SUCCESS;
}
int MPI_Start(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_start(IP(request))); }
int MPI_Startall(int count, MPI_Request reqs[]) { RET(MPI_COMM_WORLD, __faasmpi_mpi_startall(count, IP(reqs))); }
int MPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_probe(source, tag, comm, status));
}
int MPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_iprobe(source, tag, comm, IP(flag), status));
}
int MPI_Get_count(const MPI_Status *status, MPI_Datatype datatype, int *count) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_get_count(P(status), datatype, IP(count)));
}
int MPI_Get_elements(const MPI_Status *status, MPI_Datatype datatype, int *count) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_get_elements(P(status), datatype, IP(count)));
}
int MPI_Get_elements_x(const MPI_Status *status, MPI_Datatype datatype, MPI_Count *count) {
	int c;
	int rc = MPI_Get_elements(status, datatype, &c);
	if (rc == MPI_SUCCESS) *count = c;
	return rc;
}
int MPI_Status_set_elements(MPI_Status *status, MPI_Datatype datatype, int count) {
	int size;
	int rc = __faasmpi_mpi_type_size(datatype, IP(&size));
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	long long bytes = (long long)size * count;
	status->faasmpi_count_lo = (int)(bytes & 0xffffffff);
	status->faasmpi_count_hi = (int)(bytes >> 32);
	return MPI_SUCCESS;
}
int MPI_Status_set_cancelled(MPI_Status *status, int flag) {
	status->faasmpi_cancelled = flag != 0;
	return MPI_SUCCESS;
}
