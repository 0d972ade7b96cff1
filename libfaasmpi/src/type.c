/* Datatypes: constructors, queries, pack/unpack. */
#include "internal.h"

#define W MPI_COMM_WORLD

#pragma weak MPI_Type_contiguous = PMPI_Type_contiguous
int PMPI_Type_contiguous(int count, MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_contiguous(count, old, IP(nt)));
}
#pragma weak MPI_Type_vector = PMPI_Type_vector
int PMPI_Type_vector(int count, int bl, int stride, MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_vector(count, bl, stride, old, IP(nt)));
}
#pragma weak MPI_Type_create_hvector = PMPI_Type_create_hvector
int PMPI_Type_create_hvector(int count, int bl, MPI_Aint stride, MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_hvector(count, bl, (int32_t)stride, old, IP(nt)));
}
#pragma weak MPI_Type_hvector = PMPI_Type_hvector
int PMPI_Type_hvector(int count, int bl, MPI_Aint stride, MPI_Datatype old, MPI_Datatype *nt) {
	return PMPI_Type_create_hvector(count, bl, stride, old, nt);
}
#pragma weak MPI_Type_indexed = PMPI_Type_indexed
int PMPI_Type_indexed(int count, const int bls[], const int displs[], MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_indexed(count, IP(bls), IP(displs), old, IP(nt)));
}
#pragma weak MPI_Type_create_hindexed = PMPI_Type_create_hindexed
int PMPI_Type_create_hindexed(int count, const int bls[], const MPI_Aint displs[], MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_hindexed(count, IP(bls), IP(displs), old, IP(nt)));
}
#pragma weak MPI_Type_hindexed = PMPI_Type_hindexed
int PMPI_Type_hindexed(int count, const int bls[], const MPI_Aint displs[], MPI_Datatype old, MPI_Datatype *nt) {
	return PMPI_Type_create_hindexed(count, bls, displs, old, nt);
}
#pragma weak MPI_Type_create_indexed_block = PMPI_Type_create_indexed_block
int PMPI_Type_create_indexed_block(int count, int bl, const int displs[], MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_indexed_block(count, bl, IP(displs), old, IP(nt)));
}
#pragma weak MPI_Type_create_hindexed_block = PMPI_Type_create_hindexed_block
int PMPI_Type_create_hindexed_block(int count, int bl, const MPI_Aint displs[], MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_hindexed_block(count, bl, IP(displs), old, IP(nt)));
}
#pragma weak MPI_Type_create_struct = PMPI_Type_create_struct
int PMPI_Type_create_struct(int count, const int bls[], const MPI_Aint displs[], const MPI_Datatype types[],
                           MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_struct(count, IP(bls), IP(displs), IP(types), IP(nt)));
}
#pragma weak MPI_Type_struct = PMPI_Type_struct
int PMPI_Type_struct(int count, int bls[], MPI_Aint displs[], MPI_Datatype types[], MPI_Datatype *nt) {
	return PMPI_Type_create_struct(count, bls, displs, types, nt);
}
#pragma weak MPI_Type_create_subarray = PMPI_Type_create_subarray
int PMPI_Type_create_subarray(int ndims, const int sizes[], const int subsizes[], const int starts[], int order,
                             MPI_Datatype old, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_subarray(ndims, IP(sizes), IP(subsizes), IP(starts), order, old, IP(nt)));
}
#pragma weak MPI_Type_create_resized = PMPI_Type_create_resized
int PMPI_Type_create_resized(MPI_Datatype old, MPI_Aint lb, MPI_Aint extent, MPI_Datatype *nt) {
	RET(W, __faasmpi_mpi_type_resized(old, (int32_t)lb, (int32_t)extent, IP(nt)));
}
#pragma weak MPI_Type_dup = PMPI_Type_dup
int PMPI_Type_dup(MPI_Datatype old, MPI_Datatype *nt) { RET(W, __faasmpi_mpi_type_dup(old, IP(nt))); }
#pragma weak MPI_Type_commit = PMPI_Type_commit
int PMPI_Type_commit(MPI_Datatype *dt) { RET(W, __faasmpi_mpi_type_commit(IP(dt))); }
#pragma weak MPI_Type_free = PMPI_Type_free
int PMPI_Type_free(MPI_Datatype *dt) { RET(W, __faasmpi_mpi_type_free(IP(dt))); }
#pragma weak MPI_Type_size = PMPI_Type_size
int PMPI_Type_size(MPI_Datatype dt, int *size) { RET(W, __faasmpi_mpi_type_size(dt, IP(size))); }
#pragma weak MPI_Type_size_x = PMPI_Type_size_x
int PMPI_Type_size_x(MPI_Datatype dt, MPI_Count *size) {
	int s;
	int rc = PMPI_Type_size(dt, &s);
	if (rc == MPI_SUCCESS) *size = s;
	return rc;
}
#pragma weak MPI_Type_get_extent = PMPI_Type_get_extent
int PMPI_Type_get_extent(MPI_Datatype dt, MPI_Aint *lb, MPI_Aint *extent) {
	RET(W, __faasmpi_mpi_type_get_extent(dt, IP(lb), IP(extent)));
}
#pragma weak MPI_Type_get_extent_x = PMPI_Type_get_extent_x
int PMPI_Type_get_extent_x(MPI_Datatype dt, MPI_Count *lb, MPI_Count *extent) {
	MPI_Aint l, e;
	int rc = PMPI_Type_get_extent(dt, &l, &e);
	if (rc == MPI_SUCCESS) {
		*lb = l;
		*extent = e;
	}
	return rc;
}
#pragma weak MPI_Type_extent = PMPI_Type_extent
int PMPI_Type_extent(MPI_Datatype dt, MPI_Aint *extent) {
	MPI_Aint lb;
	return PMPI_Type_get_extent(dt, &lb, extent);
}
#pragma weak MPI_Type_lb = PMPI_Type_lb
int PMPI_Type_lb(MPI_Datatype dt, MPI_Aint *lb) {
	MPI_Aint e;
	return PMPI_Type_get_extent(dt, lb, &e);
}
#pragma weak MPI_Type_ub = PMPI_Type_ub
int PMPI_Type_ub(MPI_Datatype dt, MPI_Aint *ub) {
	MPI_Aint lb, e;
	int rc = PMPI_Type_get_extent(dt, &lb, &e);
	if (rc == MPI_SUCCESS) *ub = lb + e;
	return rc;
}
#pragma weak MPI_Type_get_true_extent = PMPI_Type_get_true_extent
int PMPI_Type_get_true_extent(MPI_Datatype dt, MPI_Aint *lb, MPI_Aint *extent) {
	RET(W, __faasmpi_mpi_type_get_true_extent(dt, IP(lb), IP(extent)));
}
#pragma weak MPI_Get_address = PMPI_Get_address
int PMPI_Get_address(const void *location, MPI_Aint *address) {
	*address = (MPI_Aint)location;
	return MPI_SUCCESS;
}
#pragma weak MPI_Address = PMPI_Address
int PMPI_Address(void *location, MPI_Aint *address) { return PMPI_Get_address(location, address); }
#pragma weak MPI_Aint_add = PMPI_Aint_add
MPI_Aint PMPI_Aint_add(MPI_Aint base, MPI_Aint disp) { return base + disp; }
#pragma weak MPI_Aint_diff = PMPI_Aint_diff
MPI_Aint PMPI_Aint_diff(MPI_Aint a, MPI_Aint b) { return a - b; }
#pragma weak MPI_Pack = PMPI_Pack
int PMPI_Pack(const void *in, int incount, MPI_Datatype dt, void *out, int outsize, int *pos, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_pack(in, incount, dt, out, outsize, IP(pos), comm));
}
#pragma weak MPI_Unpack = PMPI_Unpack
int PMPI_Unpack(const void *in, int insize, int *pos, void *out, int outcount, MPI_Datatype dt, MPI_Comm comm) {
	RET(comm, __faasmpi_mpi_unpack(in, insize, IP(pos), out, outcount, dt, comm));
}
#pragma weak MPI_Pack_size = PMPI_Pack_size
int PMPI_Pack_size(int incount, MPI_Datatype dt, MPI_Comm comm, int *size) {
	RET(comm, __faasmpi_mpi_pack_size(incount, dt, comm, IP(size)));
}
