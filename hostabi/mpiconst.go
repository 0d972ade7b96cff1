package hostabi

// The numeric constants of mpi.h. The datatype and op ids are copies of the
// tables in runtime/mpi/datatype and runtime/mpi/op (hostabi imports nothing
// from the runtime); runtime/host/faasmpi's tests fail if they drift apart.

// MPIDatatypeIDs are the predefined MPI_Datatype handles, aliases included.
var MPIDatatypeIDs = []struct {
	Name string
	ID   int64
}{
	{"MPI_DATATYPE_NULL", 0},
	{"MPI_CHAR", 1}, {"MPI_SIGNED_CHAR", 2}, {"MPI_UNSIGNED_CHAR", 3}, {"MPI_BYTE", 4}, {"MPI_WCHAR", 5},
	{"MPI_SHORT", 6}, {"MPI_UNSIGNED_SHORT", 7}, {"MPI_INT", 8}, {"MPI_UNSIGNED", 9}, {"MPI_LONG", 10},
	{"MPI_UNSIGNED_LONG", 11}, {"MPI_LONG_LONG_INT", 12}, {"MPI_LONG_LONG", 12}, {"MPI_UNSIGNED_LONG_LONG", 13},
	{"MPI_FLOAT", 14}, {"MPI_DOUBLE", 15}, {"MPI_LONG_DOUBLE", 16}, {"MPI_C_BOOL", 17},
	{"MPI_INT8_T", 18}, {"MPI_INT16_T", 19}, {"MPI_INT32_T", 20}, {"MPI_INT64_T", 21},
	{"MPI_UINT8_T", 22}, {"MPI_UINT16_T", 23}, {"MPI_UINT32_T", 24}, {"MPI_UINT64_T", 25},
	{"MPI_C_FLOAT_COMPLEX", 26}, {"MPI_C_COMPLEX", 26}, {"MPI_C_DOUBLE_COMPLEX", 27}, {"MPI_C_LONG_DOUBLE_COMPLEX", 28},
	{"MPI_AINT", 29}, {"MPI_OFFSET", 30}, {"MPI_COUNT", 31}, {"MPI_PACKED", 32},
	{"MPI_CXX_BOOL", 33}, {"MPI_CXX_FLOAT_COMPLEX", 34}, {"MPI_CXX_DOUBLE_COMPLEX", 35}, {"MPI_CXX_LONG_DOUBLE_COMPLEX", 36},
	{"MPI_FLOAT_INT", 40}, {"MPI_DOUBLE_INT", 41}, {"MPI_LONG_INT", 42}, {"MPI_2INT", 43}, {"MPI_SHORT_INT", 44},
	{"MPI_LONG_DOUBLE_INT", 45},
}

// MPIOpIDs are the predefined MPI_Op handles.
var MPIOpIDs = []struct {
	Name string
	ID   int64
}{
	{"MPI_OP_NULL", 0}, {"MPI_MAX", 1}, {"MPI_MIN", 2}, {"MPI_SUM", 3}, {"MPI_PROD", 4}, {"MPI_LAND", 5},
	{"MPI_BAND", 6}, {"MPI_LOR", 7}, {"MPI_BOR", 8}, {"MPI_LXOR", 9}, {"MPI_BXOR", 10}, {"MPI_MINLOC", 11},
	{"MPI_MAXLOC", 12}, {"MPI_REPLACE", 13}, {"MPI_NO_OP", 14},
}

// MPIErrorClasses are the error classes, numbered as OpenMPI numbers them
// so programs that print codes print the same numbers.
var MPIErrorClasses = []struct {
	Name string
	Code int64
}{
	{"MPI_SUCCESS", 0}, {"MPI_ERR_BUFFER", 1}, {"MPI_ERR_COUNT", 2}, {"MPI_ERR_TYPE", 3}, {"MPI_ERR_TAG", 4},
	{"MPI_ERR_COMM", 5}, {"MPI_ERR_RANK", 6}, {"MPI_ERR_REQUEST", 7}, {"MPI_ERR_ROOT", 8}, {"MPI_ERR_GROUP", 9},
	{"MPI_ERR_OP", 10}, {"MPI_ERR_TOPOLOGY", 11}, {"MPI_ERR_DIMS", 12}, {"MPI_ERR_ARG", 13},
	{"MPI_ERR_UNKNOWN", 14}, {"MPI_ERR_TRUNCATE", 15}, {"MPI_ERR_OTHER", 16}, {"MPI_ERR_INTERN", 17},
	{"MPI_ERR_IN_STATUS", 18}, {"MPI_ERR_PENDING", 19}, {"MPI_ERR_ACCESS", 20}, {"MPI_ERR_AMODE", 21},
	{"MPI_ERR_ASSERT", 22}, {"MPI_ERR_BAD_FILE", 23}, {"MPI_ERR_BASE", 24}, {"MPI_ERR_CONVERSION", 25},
	{"MPI_ERR_DISP", 26}, {"MPI_ERR_DUP_DATAREP", 27}, {"MPI_ERR_FILE_EXISTS", 28}, {"MPI_ERR_FILE_IN_USE", 29},
	{"MPI_ERR_FILE", 30}, {"MPI_ERR_INFO_KEY", 31}, {"MPI_ERR_INFO_NOKEY", 32}, {"MPI_ERR_INFO_VALUE", 33},
	{"MPI_ERR_INFO", 34}, {"MPI_ERR_IO", 35}, {"MPI_ERR_KEYVAL", 36}, {"MPI_ERR_LOCKTYPE", 37},
	{"MPI_ERR_NAME", 38}, {"MPI_ERR_NO_MEM", 39}, {"MPI_ERR_NOT_SAME", 40}, {"MPI_ERR_NO_SPACE", 41},
	{"MPI_ERR_NO_SUCH_FILE", 42}, {"MPI_ERR_PORT", 43}, {"MPI_ERR_QUOTA", 44}, {"MPI_ERR_READ_ONLY", 45},
	{"MPI_ERR_RMA_CONFLICT", 46}, {"MPI_ERR_RMA_SYNC", 47}, {"MPI_ERR_SERVICE", 48}, {"MPI_ERR_SIZE", 49},
	{"MPI_ERR_SPAWN", 50}, {"MPI_ERR_UNSUPPORTED_DATAREP", 51}, {"MPI_ERR_UNSUPPORTED_OPERATION", 52},
	{"MPI_ERR_WIN", 53}, {"MPI_ERR_LASTCODE", 92},
}

func mpiConsts() []Const {
	var cs []Const
	add := func(name string, v int64, doc string) { cs = append(cs, Const{Name: name, Value: v, Doc: doc}) }
	for _, d := range MPIDatatypeIDs {
		add(d.Name, d.ID, "")
	}
	for _, o := range MPIOpIDs {
		add(o.Name, o.ID, "")
	}
	for _, e := range MPIErrorClasses {
		add(e.Name, e.Code, "")
	}
	for _, c := range []struct {
		name string
		v    int64
		doc  string
	}{
		{"MPI_COMM_NULL", 0, "Communicator handles; the host numbers new ones from 3."},
		{"MPI_COMM_WORLD", 1, ""},
		{"MPI_COMM_SELF", 2, ""},
		{"MPI_GROUP_NULL", 0, "Group handles; the host numbers new ones from 2."},
		{"MPI_GROUP_EMPTY", 1, ""},
		{"MPI_REQUEST_NULL", 0, "Request handles; the host numbers live ones from 1."},
		{"MPI_ERRHANDLER_NULL", 0, "Error handlers; the shim numbers user ones from 3."},
		{"MPI_ERRORS_ARE_FATAL", 1, ""},
		{"MPI_ERRORS_RETURN", 2, ""},
		{"MPI_INFO_NULL", 0, "Info objects live in the shim."},
		{"MPI_INFO_ENV", 1, ""},
		{"MPI_MESSAGE_NULL", 0, ""},
		{"MPI_MESSAGE_NO_PROC", 1, ""},
		{"MPI_WIN_NULL", 0, ""},
		{"MPI_FILE_NULL", 0, ""},
		{"FAASMPI_FIRST_USER_COMM", 3, ""},
		{"FAASMPI_FIRST_DERIVED_TYPE", 256, "Must equal runtime/mpi/datatype.FirstDerivedID."},
		{"FAASMPI_FIRST_USER_OP", 64, "Must equal runtime/mpi/op.FirstUserID."},
		{"MPI_ANY_SOURCE", -1, "Special ranks and tags; they equal runtime/mpi's AnySource, AnyTag, ProcNull, Undefined."},
		{"MPI_ANY_TAG", -1, ""},
		{"MPI_PROC_NULL", -2, ""},
		{"MPI_ROOT", -4, ""},
		{"MPI_UNDEFINED", -32766, ""},
		{"MPI_KEYVAL_INVALID", -1, ""},
		{"MPI_TAG_UB_VALUE", 1<<30 - 1, "The largest tag (the MPI_TAG_UB attribute's value)."},
		{"FAASMPI_BOTTOM", 0, "Special guest pointers (mpi.h casts them): MPI_BOTTOM is address 0, so absolute addresses work as offsets."},
		{"FAASMPI_IN_PLACE", 1, ""},
		{"FAASMPI_STATUS_IGNORE", 2, ""},
		{"FAASMPI_STATUSES_IGNORE", 3, ""},
		{"FAASMPI_ERRCODES_IGNORE", 4, ""},
		{"FAASMPI_SPECIAL_PTR_LIMIT", 16, "The host never reads or writes through a pointer below this."},
		{"FAASMPI_MODE_STANDARD", 0, "Send modes of mpi_send, mpi_isend and mpi_send_init."},
		{"FAASMPI_MODE_SYNC", 1, ""},
		{"FAASMPI_MODE_BUFFERED", 2, ""},
		{"FAASMPI_MODE_READY", 3, ""},
		{"FAASMPI_STATUS_SIZE", 24, "MPI_Status: int32 SOURCE, TAG, ERROR, count_lo, count_hi (bytes), cancelled."},
		{"FAASMPI_STATUS_SOURCE", 0, ""},
		{"FAASMPI_STATUS_TAG", 4, ""},
		{"FAASMPI_STATUS_ERROR", 8, ""},
		{"FAASMPI_STATUS_COUNT_LO", 12, ""},
		{"FAASMPI_STATUS_COUNT_HI", 16, ""},
		{"FAASMPI_STATUS_CANCELLED", 20, ""},
		{"MPI_IDENT", 0, "Comparison results."},
		{"MPI_CONGRUENT", 1, ""},
		{"MPI_SIMILAR", 2, ""},
		{"MPI_UNEQUAL", 3, ""},
		{"MPI_GRAPH", 2, "Topologies (MPI_Topo_test)."},
		{"MPI_CART", 1, ""},
		{"MPI_DIST_GRAPH", 3, ""},
		{"MPI_THREAD_SINGLE", 0, "Thread levels: a rank calls MPI from one thread (FUNNELED at most)."},
		{"MPI_THREAD_FUNNELED", 1, ""},
		{"MPI_THREAD_SERIALIZED", 2, ""},
		{"MPI_THREAD_MULTIPLE", 3, ""},
		{"MPI_COMM_TYPE_SHARED", 1, ""},
		{"MPI_ORDER_C", 0, ""},
		{"MPI_ORDER_FORTRAN", 1, ""},
		{"MPI_MAX_PROCESSOR_NAME", 256, ""},
		{"MPI_MAX_ERROR_STRING", 256, ""},
		{"MPI_MAX_OBJECT_NAME", 64, ""},
		{"MPI_MAX_LIBRARY_VERSION_STRING", 256, ""},
		{"MPI_MAX_INFO_KEY", 255, ""},
		{"MPI_MAX_INFO_VAL", 1024, ""},
		{"MPI_MAX_PORT_NAME", 1024, ""},
		{"MPI_MAX_DATAREP_STRING", 128, ""},
		{"MPI_BSEND_OVERHEAD", 0, "Buffered sends are copied host-side; the attached buffer is only a size."},
	} {
		add(c.name, c.v, c.doc)
	}
	return cs
}
