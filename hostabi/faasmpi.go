package hostabi

// FaasMPI is the host side of libfaasmpi, the guest's MPI library (mpi.h).
//
// Every import is named after the MPI function it serves, lower-cased
// ("mpi_send" serves MPI_Send, MPI_Ssend, MPI_Bsend and MPI_Rsend through
// its mode argument), takes only i32 values (guest pointers, counts and
// integer handles) and returns an MPI error code. The C shim calls the
// import and, on a non-zero code, invokes the communicator's error handler;
// the host never decides between "return" and "abort" except through
// mpi_error_fatal, which the shim calls for MPI_ERRORS_ARE_FATAL.
//
// Handles are small integers with fixed predefined values (the Consts
// below; mpi.h includes this module's generated header for them). Derived
// handles are allocated by the host per rank: communicators from 3,
// groups from 2, requests from 1, datatypes from 256, ops from 64.
// Error handlers and info objects live in the shim (the host only stores a
// communicator's error-handler number).
//
// Guest pointers: 0 is MPI_BOTTOM (absolute addresses), 1 MPI_IN_PLACE,
// 2 MPI_STATUS_IGNORE, 3 MPI_STATUSES_IGNORE, 4 MPI_ERRCODES_IGNORE. The host
// never writes through a pointer below 16. MPI_Status is six int32 (see
// MPI_STATUS_* offsets below); count is in bytes, split in lo/hi words.
var FaasMPI = Module{
	Name:   "faasmpi",
	Doc:    "MPI for Faaslets: libfaasmpi's calls into the job's FaasMPI world (one import per MPI function the shim cannot do alone).",
	Funcs:  mpiFuncs,
	Consts: mpiConsts(),
}

// Parameter shorthands for the MPI table: every argument is i32.
func mpiBuf(name string) Param  { return Ptr(name, "const void *") }
func mpiOut(name string) Param  { return Ptr(name, "void *") }
func mpiIntp(name string) Param { return Ptr(name, "int32_t *") }
func mpiStat(name string) Param { return Ptr(name, "void *") }

// mf declares one import returning an MPI error code.
func mf(name, doc string, params ...Param) Func {
	return Func{Name: "mpi_" + name, Params: params, Results: []Param{Int32("rc")}, Support: Full, Doc: doc}
}

var mpiFuncs = []Func{
	// Environment.
	mf("init", "MPI_Init/MPI_Init_thread: joins the job's world as this Faaslet's rank.", Int32("required"), mpiIntp("provided")),
	mf("finalize", "MPI_Finalize."),
	{
		Name: "mpi_abort", Params: []Param{Handle("comm"), Int32("code")}, Support: Full, NoReturn: true,
		Doc: "MPI_Abort: ends every rank of the job; the job exits with code.",
	},
	{
		Name: "mpi_error_fatal", Params: []Param{Handle("comm"), Int32("code"), Ptr("fname", "const char *"), Uint32("fname_len")},
		Support: Full, NoReturn: true,
		Doc: "MPI_ERRORS_ARE_FATAL: prints `faasm: rank R: MPI error in <fname>: <error>` (with the host's detail of the last failed call) and aborts the job.",
	},
	mf("unsupported", "A call libfaasmpi does not implement: prints `faasm: <fname> is not supported` and returns MPI_ERR_UNSUPPORTED_OPERATION (the shim then runs the error handler).",
		Ptr("fname", "const char *"), Uint32("fname_len")),
	mf("get_processor_name", "MPI_Get_processor_name: writes the host name (NUL-terminated, at most MPI_MAX_PROCESSOR_NAME bytes) and its length.", mpiOut("name"), mpiIntp("resultlen")),
	mf("comm_set_errhandler", "MPI_Comm_set_errhandler: stores the shim's error-handler number on the communicator (inherited by dup/split/create).", Handle("comm"), Handle("errhandler")),
	mf("comm_get_errhandler", "MPI_Comm_get_errhandler.", Handle("comm"), mpiIntp("errhandler")),

	// Communicators and groups.
	mf("comm_size", "MPI_Comm_size.", Handle("comm"), mpiIntp("size")),
	mf("comm_rank", "MPI_Comm_rank.", Handle("comm"), mpiIntp("rank")),
	mf("comm_dup", "MPI_Comm_dup.", Handle("comm"), mpiIntp("newcomm")),
	mf("comm_split", "MPI_Comm_split.", Handle("comm"), Int32("color"), Int32("key"), mpiIntp("newcomm")),
	mf("comm_split_type", "MPI_Comm_split_type (MPI_COMM_TYPE_SHARED: the ranks on this host).", Handle("comm"), Int32("split_type"), Int32("key"), mpiIntp("newcomm")),
	mf("comm_create", "MPI_Comm_create.", Handle("comm"), Handle("group"), mpiIntp("newcomm")),
	mf("comm_free", "MPI_Comm_free: sets *comm to MPI_COMM_NULL.", mpiIntp("comm")),
	mf("comm_compare", "MPI_Comm_compare.", Handle("comm1"), Handle("comm2"), mpiIntp("result")),
	mf("comm_group", "MPI_Comm_group.", Handle("comm"), mpiIntp("group")),
	mf("comm_set_name", "MPI_Comm_set_name.", Handle("comm"), Ptr("name", "const char *"), Uint32("name_len")),
	mf("comm_get_name", "MPI_Comm_get_name.", Handle("comm"), mpiOut("name"), mpiIntp("resultlen")),
	mf("group_size", "MPI_Group_size.", Handle("group"), mpiIntp("size")),
	mf("group_rank", "MPI_Group_rank (MPI_UNDEFINED when not a member).", Handle("group"), mpiIntp("rank")),
	mf("group_incl", "MPI_Group_incl.", Handle("group"), Int32("n"), mpiIntp("ranks"), mpiIntp("newgroup")),
	mf("group_excl", "MPI_Group_excl.", Handle("group"), Int32("n"), mpiIntp("ranks"), mpiIntp("newgroup")),
	mf("group_range_incl", "MPI_Group_range_incl (ranges: n triplets).", Handle("group"), Int32("n"), mpiIntp("ranges"), mpiIntp("newgroup")),
	mf("group_range_excl", "MPI_Group_range_excl.", Handle("group"), Int32("n"), mpiIntp("ranges"), mpiIntp("newgroup")),
	mf("group_translate_ranks", "MPI_Group_translate_ranks.", Handle("group1"), Int32("n"), mpiIntp("ranks1"), Handle("group2"), mpiIntp("ranks2")),
	mf("group_union", "MPI_Group_union.", Handle("group1"), Handle("group2"), mpiIntp("newgroup")),
	mf("group_intersection", "MPI_Group_intersection.", Handle("group1"), Handle("group2"), mpiIntp("newgroup")),
	mf("group_difference", "MPI_Group_difference.", Handle("group1"), Handle("group2"), mpiIntp("newgroup")),
	mf("group_compare", "MPI_Group_compare.", Handle("group1"), Handle("group2"), mpiIntp("result")),
	mf("group_free", "MPI_Group_free: sets *group to MPI_GROUP_NULL.", mpiIntp("group")),

	// Topologies.
	mf("cart_create", "MPI_Cart_create (any number of dimensions; reorder accepted and ignored).", Handle("comm"), Int32("ndims"), mpiIntp("dims"), mpiIntp("periods"), Int32("reorder"), mpiIntp("newcomm")),
	mf("cart_coords", "MPI_Cart_coords.", Handle("comm"), Int32("rank"), Int32("maxdims"), mpiIntp("coords")),
	mf("cart_rank", "MPI_Cart_rank.", Handle("comm"), mpiIntp("coords"), mpiIntp("rank")),
	mf("cart_shift", "MPI_Cart_shift.", Handle("comm"), Int32("direction"), Int32("disp"), mpiIntp("source"), mpiIntp("dest")),
	mf("cart_sub", "MPI_Cart_sub.", Handle("comm"), mpiIntp("remain_dims"), mpiIntp("newcomm")),
	mf("cart_get", "MPI_Cart_get.", Handle("comm"), Int32("maxdims"), mpiIntp("dims"), mpiIntp("periods"), mpiIntp("coords")),
	mf("cartdim_get", "MPI_Cartdim_get.", Handle("comm"), mpiIntp("ndims")),
	mf("dims_create", "MPI_Dims_create.", Int32("nnodes"), Int32("ndims"), mpiIntp("dims")),
	mf("topo_test", "MPI_Topo_test.", Handle("comm"), mpiIntp("status")),

	// Point-to-point. mode is FAASMPI_MODE_* (standard, sync, buffered, ready).
	mf("send", "MPI_Send, MPI_Ssend, MPI_Bsend, MPI_Rsend (mode).", mpiBuf("buf"), Int32("count"), Handle("datatype"), Int32("dest"), Int32("tag"), Handle("comm"), Int32("mode")),
	mf("isend", "MPI_Isend, MPI_Issend, MPI_Ibsend, MPI_Irsend (mode).", mpiBuf("buf"), Int32("count"), Handle("datatype"), Int32("dest"), Int32("tag"), Handle("comm"), Int32("mode"), mpiIntp("request")),
	mf("send_init", "MPI_Send_init, MPI_Ssend_init, MPI_Bsend_init, MPI_Rsend_init (mode).", mpiBuf("buf"), Int32("count"), Handle("datatype"), Int32("dest"), Int32("tag"), Handle("comm"), Int32("mode"), mpiIntp("request")),
	mf("recv", "MPI_Recv.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("source"), Int32("tag"), Handle("comm"), mpiStat("status")),
	mf("irecv", "MPI_Irecv.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("source"), Int32("tag"), Handle("comm"), mpiIntp("request")),
	mf("recv_init", "MPI_Recv_init.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("source"), Int32("tag"), Handle("comm"), mpiIntp("request")),
	mf("sendrecv", "MPI_Sendrecv.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), Int32("dest"), Int32("sendtag"),
		mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Int32("source"), Int32("recvtag"), Handle("comm"), mpiStat("status")),
	mf("sendrecv_replace", "MPI_Sendrecv_replace.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("dest"), Int32("sendtag"),
		Int32("source"), Int32("recvtag"), Handle("comm"), mpiStat("status")),
	mf("probe", "MPI_Probe.", Int32("source"), Int32("tag"), Handle("comm"), mpiStat("status")),
	mf("iprobe", "MPI_Iprobe.", Int32("source"), Int32("tag"), Handle("comm"), mpiIntp("flag"), mpiStat("status")),
	mf("wait", "MPI_Wait: completes *request, sets it to MPI_REQUEST_NULL unless persistent.", mpiIntp("request"), mpiStat("status")),
	mf("test", "MPI_Test.", mpiIntp("request"), mpiIntp("flag"), mpiStat("status")),
	mf("waitall", "MPI_Waitall.", Int32("count"), mpiIntp("requests"), mpiStat("statuses")),
	mf("testall", "MPI_Testall.", Int32("count"), mpiIntp("requests"), mpiIntp("flag"), mpiStat("statuses")),
	mf("waitany", "MPI_Waitany.", Int32("count"), mpiIntp("requests"), mpiIntp("index"), mpiStat("status")),
	mf("testany", "MPI_Testany.", Int32("count"), mpiIntp("requests"), mpiIntp("index"), mpiIntp("flag"), mpiStat("status")),
	mf("waitsome", "MPI_Waitsome.", Int32("incount"), mpiIntp("requests"), mpiIntp("outcount"), mpiIntp("indices"), mpiStat("statuses")),
	mf("testsome", "MPI_Testsome.", Int32("incount"), mpiIntp("requests"), mpiIntp("outcount"), mpiIntp("indices"), mpiStat("statuses")),
	mf("request_get_status", "MPI_Request_get_status: like MPI_Test without freeing the request.", Handle("request"), mpiIntp("flag"), mpiStat("status")),
	mf("request_free", "MPI_Request_free.", mpiIntp("request")),
	mf("cancel", "MPI_Cancel (receives; a send cannot be cancelled once started).", mpiIntp("request")),
	mf("start", "MPI_Start.", mpiIntp("request")),
	mf("startall", "MPI_Startall.", Int32("count"), mpiIntp("requests")),
	mf("get_count", "MPI_Get_count (MPI_UNDEFINED when the bytes are not whole elements).", mpiStat("status"), Handle("datatype"), mpiIntp("count")),
	mf("get_elements", "MPI_Get_elements.", mpiStat("status"), Handle("datatype"), mpiIntp("count")),
	mf("buffer_attach", "MPI_Buffer_attach: the host keeps the size; messages are buffered host-side.", mpiBuf("buffer"), Int32("size")),
	mf("buffer_detach", "MPI_Buffer_detach: waits for buffered sends and writes the attached size.", mpiIntp("size")),

	// Collectives.
	mf("barrier", "MPI_Barrier.", Handle("comm")),
	mf("bcast", "MPI_Bcast.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("root"), Handle("comm")),
	mf("reduce", "MPI_Reduce.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Int32("root"), Handle("comm")),
	mf("allreduce", "MPI_Allreduce.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Handle("comm")),
	mf("reduce_local", "MPI_Reduce_local.", mpiBuf("inbuf"), mpiOut("inoutbuf"), Int32("count"), Handle("datatype"), Handle("op")),
	mf("reduce_scatter", "MPI_Reduce_scatter.", mpiBuf("sendbuf"), mpiOut("recvbuf"), mpiIntp("recvcounts"), Handle("datatype"), Handle("op"), Handle("comm")),
	mf("reduce_scatter_block", "MPI_Reduce_scatter_block.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("recvcount"), Handle("datatype"), Handle("op"), Handle("comm")),
	mf("scan", "MPI_Scan.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Handle("comm")),
	mf("exscan", "MPI_Exscan.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Handle("comm")),
	mf("gather", "MPI_Gather.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Int32("root"), Handle("comm")),
	mf("gatherv", "MPI_Gatherv.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), mpiIntp("recvcounts"), mpiIntp("displs"), Handle("recvtype"), Int32("root"), Handle("comm")),
	mf("scatter", "MPI_Scatter.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Int32("root"), Handle("comm")),
	mf("scatterv", "MPI_Scatterv.", mpiBuf("sendbuf"), mpiIntp("sendcounts"), mpiIntp("displs"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Int32("root"), Handle("comm")),
	mf("allgather", "MPI_Allgather.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Handle("comm")),
	mf("allgatherv", "MPI_Allgatherv.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), mpiIntp("recvcounts"), mpiIntp("displs"), Handle("recvtype"), Handle("comm")),
	mf("alltoall", "MPI_Alltoall.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Handle("comm")),
	mf("alltoallv", "MPI_Alltoallv.", mpiBuf("sendbuf"), mpiIntp("sendcounts"), mpiIntp("sdispls"), Handle("sendtype"), mpiOut("recvbuf"), mpiIntp("recvcounts"), mpiIntp("rdispls"), Handle("recvtype"), Handle("comm")),
	mf("alltoallw", "MPI_Alltoallw (displacements in bytes, one datatype per peer).", mpiBuf("sendbuf"), mpiIntp("sendcounts"), mpiIntp("sdispls"), mpiIntp("sendtypes"), mpiOut("recvbuf"), mpiIntp("recvcounts"), mpiIntp("rdispls"), mpiIntp("recvtypes"), Handle("comm")),
	mf("ibarrier", "MPI_Ibarrier.", Handle("comm"), mpiIntp("request")),
	mf("ibcast", "MPI_Ibcast.", mpiOut("buf"), Int32("count"), Handle("datatype"), Int32("root"), Handle("comm"), mpiIntp("request")),
	mf("ireduce", "MPI_Ireduce.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Int32("root"), Handle("comm"), mpiIntp("request")),
	mf("iallreduce", "MPI_Iallreduce.", mpiBuf("sendbuf"), mpiOut("recvbuf"), Int32("count"), Handle("datatype"), Handle("op"), Handle("comm"), mpiIntp("request")),
	mf("iallgather", "MPI_Iallgather.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Handle("comm"), mpiIntp("request")),
	mf("ialltoall", "MPI_Ialltoall.", mpiBuf("sendbuf"), Int32("sendcount"), Handle("sendtype"), mpiOut("recvbuf"), Int32("recvcount"), Handle("recvtype"), Handle("comm"), mpiIntp("request")),

	// Reduction operations.
	mf("op_create", "MPI_Op_create: fn is the guest's MPI_User_function (a table index); the host calls it through the shim's trampoline (table index trampoline) on operands it places in memory from the shim's scratch allocator (table index scratch). Function pointers, not exports: wasm-ld wraps a command module's exports to re-run static constructors and destructors on every call.", Int32("fn"), Int32("trampoline"), Int32("scratch"), Int32("commute"), mpiIntp("op")),
	mf("op_free", "MPI_Op_free.", mpiIntp("op")),
	mf("op_commutative", "MPI_Op_commutative.", Handle("op"), mpiIntp("commute")),

	// Datatypes. MPI_Aint is 4 bytes on wasm32, so Aint arguments are i32 too.
	mf("type_contiguous", "MPI_Type_contiguous.", Int32("count"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_vector", "MPI_Type_vector.", Int32("count"), Int32("blocklength"), Int32("stride"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_hvector", "MPI_Type_create_hvector / MPI_Type_hvector.", Int32("count"), Int32("blocklength"), Int32("stride"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_indexed", "MPI_Type_indexed.", Int32("count"), mpiIntp("blocklengths"), mpiIntp("displs"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_hindexed", "MPI_Type_create_hindexed / MPI_Type_hindexed (byte displacements).", Int32("count"), mpiIntp("blocklengths"), mpiIntp("displs"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_indexed_block", "MPI_Type_create_indexed_block.", Int32("count"), Int32("blocklength"), mpiIntp("displs"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_hindexed_block", "MPI_Type_create_hindexed_block.", Int32("count"), Int32("blocklength"), mpiIntp("displs"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_struct", "MPI_Type_create_struct / MPI_Type_struct.", Int32("count"), mpiIntp("blocklengths"), mpiIntp("displs"), mpiIntp("types"), mpiIntp("newtype")),
	mf("type_subarray", "MPI_Type_create_subarray.", Int32("ndims"), mpiIntp("sizes"), mpiIntp("subsizes"), mpiIntp("starts"), Int32("order"), Handle("oldtype"), mpiIntp("newtype")),
	mf("type_resized", "MPI_Type_create_resized.", Handle("oldtype"), Int32("lb"), Int32("extent"), mpiIntp("newtype")),
	mf("type_dup", "MPI_Type_dup.", Handle("oldtype"), mpiIntp("newtype")),
	mf("type_commit", "MPI_Type_commit.", mpiIntp("datatype")),
	mf("type_free", "MPI_Type_free: sets *datatype to MPI_DATATYPE_NULL.", mpiIntp("datatype")),
	mf("type_size", "MPI_Type_size.", Handle("datatype"), mpiIntp("size")),
	mf("type_get_extent", "MPI_Type_get_extent (lb and extent as MPI_Aint).", Handle("datatype"), mpiIntp("lb"), mpiIntp("extent")),
	mf("type_get_true_extent", "MPI_Type_get_true_extent.", Handle("datatype"), mpiIntp("lb"), mpiIntp("extent")),
	mf("pack", "MPI_Pack.", mpiBuf("inbuf"), Int32("incount"), Handle("datatype"), mpiOut("outbuf"), Int32("outsize"), mpiIntp("position"), Handle("comm")),
	mf("unpack", "MPI_Unpack.", mpiBuf("inbuf"), Int32("insize"), mpiIntp("position"), mpiOut("outbuf"), Int32("outcount"), Handle("datatype"), Handle("comm")),
	mf("pack_size", "MPI_Pack_size.", Int32("incount"), Handle("datatype"), Handle("comm"), mpiIntp("size")),
}
