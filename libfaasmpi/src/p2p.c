/* Point-to-point: thin wrappers over the faasmpi imports. */
#include "internal.h"

#define SEND(mode) RET(comm, __faasmpi_mpi_send(buf, count, datatype, dest, tag, comm, mode))
#define ISEND(imp, mode) RET(comm, imp(buf, count, datatype, dest, tag, comm, mode, IP(request)))

#pragma weak MPI_Send = PMPI_Send
int PMPI_Send(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_STANDARD);
}
#pragma weak MPI_Ssend = PMPI_Ssend
int PMPI_Ssend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_SYNC);
}
#pragma weak MPI_Bsend = PMPI_Bsend
int PMPI_Bsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_BUFFERED);
}
#pragma weak MPI_Rsend = PMPI_Rsend
int PMPI_Rsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm) {
	SEND(FAASMPI_MODE_READY);
}
#pragma weak MPI_Isend = PMPI_Isend
int PMPI_Isend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_STANDARD);
}
#pragma weak MPI_Issend = PMPI_Issend
int PMPI_Issend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_SYNC);
}
#pragma weak MPI_Ibsend = PMPI_Ibsend
int PMPI_Ibsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_BUFFERED);
}
#pragma weak MPI_Irsend = PMPI_Irsend
int PMPI_Irsend(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_isend, FAASMPI_MODE_READY);
}
#pragma weak MPI_Send_init = PMPI_Send_init
int PMPI_Send_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_STANDARD);
}
#pragma weak MPI_Ssend_init = PMPI_Ssend_init
int PMPI_Ssend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_SYNC);
}
#pragma weak MPI_Bsend_init = PMPI_Bsend_init
int PMPI_Bsend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_BUFFERED);
}
#pragma weak MPI_Rsend_init = PMPI_Rsend_init
int PMPI_Rsend_init(const void *buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm, MPI_Request *request) {
	ISEND(__faasmpi_mpi_send_init, FAASMPI_MODE_READY);
}
#pragma weak MPI_Recv = PMPI_Recv
int PMPI_Recv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_recv(buf, count, datatype, source, tag, comm, status));
}
#pragma weak MPI_Irecv = PMPI_Irecv
int PMPI_Irecv(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Request *request) {
	RET(comm, __faasmpi_mpi_irecv(buf, count, datatype, source, tag, comm, IP(request)));
}
#pragma weak MPI_Recv_init = PMPI_Recv_init
int PMPI_Recv_init(void *buf, int count, MPI_Datatype datatype, int source, int tag, MPI_Comm comm, MPI_Request *request) {
	RET(comm, __faasmpi_mpi_recv_init(buf, count, datatype, source, tag, comm, IP(request)));
}
#pragma weak MPI_Sendrecv = PMPI_Sendrecv
int PMPI_Sendrecv(const void *sendbuf, int sendcount, MPI_Datatype sendtype, int dest, int sendtag, void *recvbuf,
                 int recvcount, MPI_Datatype recvtype, int source, int recvtag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_sendrecv(sendbuf, sendcount, sendtype, dest, sendtag, recvbuf, recvcount, recvtype, source,
	                                 recvtag, comm, status));
}
#pragma weak MPI_Sendrecv_replace = PMPI_Sendrecv_replace
int PMPI_Sendrecv_replace(void *buf, int count, MPI_Datatype datatype, int dest, int sendtag, int source, int recvtag,
                         MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_sendrecv_replace(buf, count, datatype, dest, sendtag, source, recvtag, comm, status));
}

static void *attached;
#pragma weak MPI_Buffer_attach = PMPI_Buffer_attach
int PMPI_Buffer_attach(void *buffer, int size) {
	int rc = __faasmpi_mpi_buffer_attach(buffer, size);
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	attached = buffer;
	return MPI_SUCCESS;
}
#pragma weak MPI_Buffer_detach = PMPI_Buffer_detach
int PMPI_Buffer_detach(void *buffer_addr, int *size) {
	int rc = __faasmpi_mpi_buffer_detach(IP(size));
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	*(void **)buffer_addr = attached;
	attached = NULL;
	return MPI_SUCCESS;
}

#pragma weak MPI_Wait = PMPI_Wait
int PMPI_Wait(MPI_Request *request, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_wait(IP(request), status));
}
#pragma weak MPI_Waitall = PMPI_Waitall
int PMPI_Waitall(int count, MPI_Request reqs[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitall(count, IP(reqs), statuses));
}
#pragma weak MPI_Waitany = PMPI_Waitany
int PMPI_Waitany(int count, MPI_Request reqs[], int *index, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitany(count, IP(reqs), IP(index), status));
}
#pragma weak MPI_Waitsome = PMPI_Waitsome
int PMPI_Waitsome(int incount, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_waitsome(incount, IP(reqs), IP(outcount), IP(indices), statuses));
}
#pragma weak MPI_Test = PMPI_Test
int PMPI_Test(MPI_Request *request, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_test(IP(request), IP(flag), status));
}
#pragma weak MPI_Testall = PMPI_Testall
int PMPI_Testall(int count, MPI_Request reqs[], int *flag, MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testall(count, IP(reqs), IP(flag), statuses));
}
#pragma weak MPI_Testany = PMPI_Testany
int PMPI_Testany(int count, MPI_Request reqs[], int *index, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testany(count, IP(reqs), IP(index), IP(flag), status));
}
#pragma weak MPI_Testsome = PMPI_Testsome
int PMPI_Testsome(int incount, MPI_Request reqs[], int *outcount, int indices[], MPI_Status statuses[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_testsome(incount, IP(reqs), IP(outcount), IP(indices), statuses));
}
#pragma weak MPI_Request_get_status = PMPI_Request_get_status
int PMPI_Request_get_status(MPI_Request request, int *flag, MPI_Status *status) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_request_get_status(request, IP(flag), status));
}
#pragma weak MPI_Request_free = PMPI_Request_free
int PMPI_Request_free(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_request_free(IP(request))); }
#pragma weak MPI_Cancel = PMPI_Cancel
int PMPI_Cancel(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_cancel(IP(request))); }
#pragma weak MPI_Test_cancelled = PMPI_Test_cancelled
int PMPI_Test_cancelled(const MPI_Status *status, int *flag) {
	*flag = status->faasmpi_cancelled;
	return MPI_SUCCESS;
}
#pragma weak MPI_Start = PMPI_Start
int PMPI_Start(MPI_Request *request) { RET(MPI_COMM_WORLD, __faasmpi_mpi_start(IP(request))); }
#pragma weak MPI_Startall = PMPI_Startall
int PMPI_Startall(int count, MPI_Request reqs[]) { RET(MPI_COMM_WORLD, __faasmpi_mpi_startall(count, IP(reqs))); }
#pragma weak MPI_Probe = PMPI_Probe
int PMPI_Probe(int source, int tag, MPI_Comm comm, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_probe(source, tag, comm, status));
}
#pragma weak MPI_Iprobe = PMPI_Iprobe
int PMPI_Iprobe(int source, int tag, MPI_Comm comm, int *flag, MPI_Status *status) {
	RET(comm, __faasmpi_mpi_iprobe(source, tag, comm, IP(flag), status));
}
#pragma weak MPI_Get_count = PMPI_Get_count
int PMPI_Get_count(const MPI_Status *status, MPI_Datatype datatype, int *count) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_get_count(P(status), datatype, IP(count)));
}
#pragma weak MPI_Get_elements = PMPI_Get_elements
int PMPI_Get_elements(const MPI_Status *status, MPI_Datatype datatype, int *count) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_get_elements(P(status), datatype, IP(count)));
}
#pragma weak MPI_Get_elements_x = PMPI_Get_elements_x
int PMPI_Get_elements_x(const MPI_Status *status, MPI_Datatype datatype, MPI_Count *count) {
	int c;
	int rc = PMPI_Get_elements(status, datatype, &c);
	if (rc == MPI_SUCCESS) *count = c;
	return rc;
}
#pragma weak MPI_Status_set_elements = PMPI_Status_set_elements
int PMPI_Status_set_elements(MPI_Status *status, MPI_Datatype datatype, int count) {
	int size;
	int rc = __faasmpi_mpi_type_size(datatype, IP(&size));
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	long long bytes = (long long)size * count;
	status->faasmpi_count_lo = (int)(bytes & 0xffffffff);
	status->faasmpi_count_hi = (int)(bytes >> 32);
	return MPI_SUCCESS;
}
#pragma weak MPI_Status_set_cancelled = PMPI_Status_set_cancelled
int PMPI_Status_set_cancelled(MPI_Status *status, int flag) {
	status->faasmpi_cancelled = flag != 0;
	return MPI_SUCCESS;
}
