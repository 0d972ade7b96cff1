/* Environment: init and finalize, error handlers and strings, clocks, info. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int initialized, finalized, thread_level;
int faasmpi_world_size, faasmpi_world_rank;

#pragma weak MPI_Init_thread = PMPI_Init_thread
int PMPI_Init_thread(int *argc, char ***argv, int required, int *provided) {
	(void)argc;
	(void)argv;
	int32_t p = 0;
	int rc = __faasmpi_mpi_init(required, &p);
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	initialized = 1;
	thread_level = p;
	int32_t size = 0, me = 0;
	if (__faasmpi_mpi_comm_size(MPI_COMM_WORLD, &size) == MPI_SUCCESS &&
	    __faasmpi_mpi_comm_rank(MPI_COMM_WORLD, &me) == MPI_SUCCESS)
		faasmpi_world_size = size, faasmpi_world_rank = me;
	if (provided) *provided = p;
	return MPI_SUCCESS;
}

#pragma weak MPI_Init = PMPI_Init
int PMPI_Init(int *argc, char ***argv) {
	int rc = PMPI_Init_thread(argc, argv, MPI_THREAD_SINGLE, NULL);
	return rc;
}

#pragma weak MPI_Initialized = PMPI_Initialized
int PMPI_Initialized(int *flag) { *flag = initialized; return MPI_SUCCESS; }
#pragma weak MPI_Finalized = PMPI_Finalized
int PMPI_Finalized(int *flag) { *flag = finalized; return MPI_SUCCESS; }

#pragma weak MPI_Finalize = PMPI_Finalize
int PMPI_Finalize(void) {
	/* MPI-3.1 §8.7.1: first, as if MPI_COMM_SELF were freed, so libraries
	 * can hook finalization with a delete callback. */
	int rc = faasmpi_delete_attrs(MPI_COMM_SELF);
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	faasmpi_world_size = 0;
	rc = __faasmpi_mpi_finalize();
	if (rc != MPI_SUCCESS) return faasmpi_error(MPI_COMM_WORLD, rc, __func__);
	finalized = 1;
	return MPI_SUCCESS;
}

#pragma weak MPI_Abort = PMPI_Abort
int PMPI_Abort(MPI_Comm comm, int errorcode) {
	fflush(stdout);
	fflush(stderr);
	__faasmpi_mpi_abort(comm, errorcode);
}

#pragma weak MPI_Query_thread = PMPI_Query_thread
int PMPI_Query_thread(int *provided) { *provided = thread_level; return MPI_SUCCESS; }
#pragma weak MPI_Is_thread_main = PMPI_Is_thread_main
int PMPI_Is_thread_main(int *flag) { *flag = 1; return MPI_SUCCESS; }
#pragma weak MPI_Get_version = PMPI_Get_version
int PMPI_Get_version(int *version, int *subversion) {
	*version = MPI_VERSION;
	*subversion = MPI_SUBVERSION;
	return MPI_SUCCESS;
}
#pragma weak MPI_Get_library_version = PMPI_Get_library_version
int PMPI_Get_library_version(char *version, int *resultlen) {
	const char *v = "faasm libfaasmpi (FaasMPI), MPI 3.1";
	size_t n = strlen(v);
	memcpy(version, v, n + 1);
	*resultlen = (int)n;
	return MPI_SUCCESS;
}
#pragma weak MPI_Get_processor_name = PMPI_Get_processor_name
int PMPI_Get_processor_name(char *name, int *resultlen) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_get_processor_name(name, IP(resultlen)));
}

#pragma weak MPI_Wtime = PMPI_Wtime
double PMPI_Wtime(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
#pragma weak MPI_Wtick = PMPI_Wtick
double PMPI_Wtick(void) { return 1e-9; }

/* ---- error classes and strings ---- */

static const char *const error_strings[] = {
	[MPI_SUCCESS] = "MPI_SUCCESS: no errors",
	[MPI_ERR_BUFFER] = "MPI_ERR_BUFFER: invalid buffer pointer",
	[MPI_ERR_COUNT] = "MPI_ERR_COUNT: invalid count argument",
	[MPI_ERR_TYPE] = "MPI_ERR_TYPE: invalid datatype",
	[MPI_ERR_TAG] = "MPI_ERR_TAG: invalid tag",
	[MPI_ERR_COMM] = "MPI_ERR_COMM: invalid communicator",
	[MPI_ERR_RANK] = "MPI_ERR_RANK: invalid rank",
	[MPI_ERR_REQUEST] = "MPI_ERR_REQUEST: invalid request",
	[MPI_ERR_ROOT] = "MPI_ERR_ROOT: invalid root",
	[MPI_ERR_GROUP] = "MPI_ERR_GROUP: invalid group",
	[MPI_ERR_OP] = "MPI_ERR_OP: invalid reduce operation",
	[MPI_ERR_TOPOLOGY] = "MPI_ERR_TOPOLOGY: invalid communicator topology",
	[MPI_ERR_DIMS] = "MPI_ERR_DIMS: invalid topology dimension",
	[MPI_ERR_ARG] = "MPI_ERR_ARG: invalid argument of some other kind",
	[MPI_ERR_UNKNOWN] = "MPI_ERR_UNKNOWN: unknown error",
	[MPI_ERR_TRUNCATE] = "MPI_ERR_TRUNCATE: message truncated",
	[MPI_ERR_OTHER] = "MPI_ERR_OTHER: known error not in list",
	[MPI_ERR_INTERN] = "MPI_ERR_INTERN: internal error",
	[MPI_ERR_IN_STATUS] = "MPI_ERR_IN_STATUS: error code is in status",
	[MPI_ERR_PENDING] = "MPI_ERR_PENDING: pending request",
	[MPI_ERR_INFO_KEY] = "MPI_ERR_INFO_KEY: invalid info key",
	[MPI_ERR_INFO_NOKEY] = "MPI_ERR_INFO_NOKEY: unknown info key",
	[MPI_ERR_INFO_VALUE] = "MPI_ERR_INFO_VALUE: invalid info value",
	[MPI_ERR_INFO] = "MPI_ERR_INFO: invalid info object",
	[MPI_ERR_KEYVAL] = "MPI_ERR_KEYVAL: invalid key value",
	[MPI_ERR_NO_MEM] = "MPI_ERR_NO_MEM: out of memory",
	[MPI_ERR_UNSUPPORTED_OPERATION] = "MPI_ERR_UNSUPPORTED_OPERATION: operation not supported",
	[MPI_ERR_WIN] = "MPI_ERR_WIN: invalid window",
};

#pragma weak MPI_Error_string = PMPI_Error_string
int PMPI_Error_string(int errorcode, char *string, int *resultlen) {
	const char *s = NULL;
	if (errorcode >= 0 && errorcode < (int)(sizeof error_strings / sizeof *error_strings)) s = error_strings[errorcode];
	char tmp[64];
	if (!s) {
		snprintf(tmp, sizeof tmp, "MPI error %d", errorcode);
		s = tmp;
	}
	size_t n = strlen(s);
	if (n >= MPI_MAX_ERROR_STRING) n = MPI_MAX_ERROR_STRING - 1;
	memcpy(string, s, n);
	string[n] = 0;
	*resultlen = (int)n;
	return MPI_SUCCESS;
}

#pragma weak MPI_Error_class = PMPI_Error_class
int PMPI_Error_class(int errorcode, int *errorclass) {
	if (errorcode < 0 || errorcode > MPI_ERR_LASTCODE)
		return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_ARG, __func__);
	*errorclass = errorcode;
	return MPI_SUCCESS;
}

/* ---- error handlers: numbers 1 and 2 are predefined, user ones start at 3 ---- */

#define MAX_ERRHANDLERS 64
static MPI_Comm_errhandler_function *errhandlers[MAX_ERRHANDLERS];
static int nerrhandlers;

/* Calls are defined as PMPI_X (see internal.h); messages name them the way
 * the program called them. */
static const char *public_name(const char *fname) { return strncmp(fname, "PMPI_", 5) == 0 ? fname + 1 : fname; }

int faasmpi_error(MPI_Comm comm, int rc, const char *fname) {
	fname = public_name(fname);
	int32_t eh = MPI_ERRORS_ARE_FATAL;
	if (__faasmpi_mpi_comm_get_errhandler(comm, &eh) != MPI_SUCCESS) {
		comm = MPI_COMM_WORLD;
		__faasmpi_mpi_comm_get_errhandler(comm, &eh);
	}
	if (eh == MPI_ERRORS_RETURN) return rc;
	if (eh >= 3 && eh - 3 < nerrhandlers) {
		errhandlers[eh - 3](&comm, &rc, fname);
		return rc;
	}
	fflush(stdout);
	__faasmpi_mpi_error_fatal(comm, rc, fname, (uint32_t)strlen(fname));
}

int faasmpi_unsupported(MPI_Comm comm, const char *fname) {
	fflush(stdout);
	fname = public_name(fname);
	int rc = __faasmpi_mpi_unsupported(fname, (uint32_t)strlen(fname));
	return faasmpi_error(comm, rc, fname);
}

#pragma weak MPI_Comm_create_errhandler = PMPI_Comm_create_errhandler
int PMPI_Comm_create_errhandler(MPI_Comm_errhandler_function *fn, MPI_Errhandler *errhandler) {
	if (nerrhandlers == MAX_ERRHANDLERS) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_NO_MEM, __func__);
	errhandlers[nerrhandlers] = fn;
	*errhandler = 3 + nerrhandlers++;
	return MPI_SUCCESS;
}
#pragma weak MPI_Errhandler_create = PMPI_Errhandler_create
int PMPI_Errhandler_create(MPI_Handler_function *fn, MPI_Errhandler *errhandler) {
	return PMPI_Comm_create_errhandler(fn, errhandler);
}
#pragma weak MPI_Comm_set_errhandler = PMPI_Comm_set_errhandler
int PMPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler) {
	if (errhandler != MPI_ERRORS_ARE_FATAL && errhandler != MPI_ERRORS_RETURN &&
	    (errhandler < 3 || errhandler - 3 >= nerrhandlers))
		return faasmpi_error(comm, MPI_ERR_ARG, __func__);
	RET(comm, __faasmpi_mpi_comm_set_errhandler(comm, errhandler));
}
#pragma weak MPI_Errhandler_set = PMPI_Errhandler_set
int PMPI_Errhandler_set(MPI_Comm comm, MPI_Errhandler errhandler) { return PMPI_Comm_set_errhandler(comm, errhandler); }
#pragma weak MPI_Comm_get_errhandler = PMPI_Comm_get_errhandler
int PMPI_Comm_get_errhandler(MPI_Comm comm, MPI_Errhandler *errhandler) {
	RET(comm, __faasmpi_mpi_comm_get_errhandler(comm, IP(errhandler)));
}
#pragma weak MPI_Errhandler_get = PMPI_Errhandler_get
int PMPI_Errhandler_get(MPI_Comm comm, MPI_Errhandler *errhandler) { return PMPI_Comm_get_errhandler(comm, errhandler); }
#pragma weak MPI_Errhandler_free = PMPI_Errhandler_free
int PMPI_Errhandler_free(MPI_Errhandler *errhandler) { *errhandler = MPI_ERRHANDLER_NULL; return MPI_SUCCESS; }
#pragma weak MPI_Comm_call_errhandler = PMPI_Comm_call_errhandler
int PMPI_Comm_call_errhandler(MPI_Comm comm, int errorcode) {
	faasmpi_error(comm, errorcode, __func__);
	return MPI_SUCCESS;
}

#pragma weak MPI_Alloc_mem = PMPI_Alloc_mem
int PMPI_Alloc_mem(MPI_Aint size, MPI_Info info, void *baseptr) {
	(void)info;
	void *p = malloc(size ? (size_t)size : 1);
	if (!p) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_NO_MEM, __func__);
	*(void **)baseptr = p;
	return MPI_SUCCESS;
}
#pragma weak MPI_Free_mem = PMPI_Free_mem
int PMPI_Free_mem(void *base) { free(base); return MPI_SUCCESS; }
#pragma weak MPI_Pcontrol = PMPI_Pcontrol
int PMPI_Pcontrol(const int level, ...) { (void)level; return MPI_SUCCESS; }

/* Handles are already integers: the Fortran conversions are identities. */
#pragma weak MPI_Comm_c2f = PMPI_Comm_c2f
MPI_Fint PMPI_Comm_c2f(MPI_Comm h) { return h; }
#pragma weak MPI_Comm_f2c = PMPI_Comm_f2c
MPI_Comm PMPI_Comm_f2c(MPI_Fint h) { return h; }
#pragma weak MPI_Type_c2f = PMPI_Type_c2f
MPI_Fint PMPI_Type_c2f(MPI_Datatype h) { return h; }
#pragma weak MPI_Type_f2c = PMPI_Type_f2c
MPI_Datatype PMPI_Type_f2c(MPI_Fint h) { return h; }
#pragma weak MPI_Op_c2f = PMPI_Op_c2f
MPI_Fint PMPI_Op_c2f(MPI_Op h) { return h; }
#pragma weak MPI_Op_f2c = PMPI_Op_f2c
MPI_Op PMPI_Op_f2c(MPI_Fint h) { return h; }
#pragma weak MPI_Group_c2f = PMPI_Group_c2f
MPI_Fint PMPI_Group_c2f(MPI_Group h) { return h; }
#pragma weak MPI_Group_f2c = PMPI_Group_f2c
MPI_Group PMPI_Group_f2c(MPI_Fint h) { return h; }
#pragma weak MPI_Request_c2f = PMPI_Request_c2f
MPI_Fint PMPI_Request_c2f(MPI_Request h) { return h; }
#pragma weak MPI_Request_f2c = PMPI_Request_f2c
MPI_Request PMPI_Request_f2c(MPI_Fint h) { return h; }
#pragma weak MPI_Info_c2f = PMPI_Info_c2f
MPI_Fint PMPI_Info_c2f(MPI_Info h) { return h; }
#pragma weak MPI_Info_f2c = PMPI_Info_f2c
MPI_Info PMPI_Info_f2c(MPI_Fint h) { return h; }
