package tests

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// programs is the suite. Keep one area per program.
var programs = []program{
	{file: "env.c", what: "Initialized/Finalized, Get_version, Get_library_version, Get_processor_name, Query_thread, Is_thread_main, Wtime/Wtick, Comm_get_attr TAG_UB/WTIME_IS_GLOBAL, Comm_test_inter"},
	{file: "env_thread.c", what: "Init_thread, argv passing", args: []string{"alpha", "beta"}},
	{file: "errors.c", what: "Error_class/Error_string, errhandlers, MPI_ERRORS_RETURN classes of invalid arguments, Comm_call_errhandler"},
	{file: "abort.c", what: "MPI_Abort(42) while other ranks block: exit code 42", exit: 42},
	{file: "abort_sub.c", what: "MPI_Abort(7) on a Comm_split communicator ends the job with 7", exit: 7},
	{file: "exitcode.c", what: "a rank returning 5 after MPI_Finalize: job exit code 5", exit: 5},
	{file: "deadlock.c", what: "faasm only: a receive cycle is reported per rank and exits non-zero", faasmOnly: true, check: checkDeadlock},
	{file: "p2p_basic.c", what: "Send/Recv every predefined type, status, Get_count/Get_elements, zero-length, self, Sendrecv(_replace), 4 MiB messages"},
	{file: "p2p_wildcard.c", what: "ANY_SOURCE/ANY_TAG with status checks, tag-selective out-of-order receives"},
	{file: "p2p_sizes.c", what: "1-5000 B messages around the ring and flooding rank 0 (slot, ring data area wrapping, through Go), Gather/Scatter/Reduce of 1-4 KiB blocks and Bcast of 64-300 KiB from every root"},
	{file: "p2p_order.c", what: "non-overtaking order: floods, small/large mixes, posted receives (also ahead of a later blocking one), ANY_TAG"},
	{file: "p2p_truncate.c", what: "MPI_ERR_TRUNCATE under MPI_ERRORS_RETURN for Recv, Wait, Waitall (ERR_IN_STATUS), Sendrecv; status filled; traffic continues"},
	{file: "p2p_procnull.c", what: "MPI_PROC_NULL in every p2p call, Probe/Iprobe, persistent requests"},
	{file: "p2p_probe.c", what: "Probe/Iprobe: sizing receives, not consuming, tag selection, ANY_SOURCE collection"},
	{file: "p2p_cancel.c", what: "Cancel + Test_cancelled on receives, matched receives not cancelled, Request_free of active sends, Test on null"},
	{file: "p2p_persistent.c", what: "Send_init/Recv_init, Start/Startall, reuse, inactive requests, wildcard persistent receive"},
	{file: "p2p_modes.c", what: "Ssend/Issend synchronisation, Bsend/Ibsend with Buffer_attach/detach, Rsend/Irsend"},
	{file: "dtype_basic.c", what: "every type constructor, dup/free, Type_size/get_extent/get_true_extent, Get_address"},
	{file: "dtype_p2p.c", what: "derived types in p2p (vector, struct, indexed, subarray, resized), partial receives with Get_count/Get_elements, Pack/Unpack/Pack_size, MPI_PACKED"},
	{file: "coll_basic.c", what: "Barrier, Bcast, Gather, Scatter, Allgather, Alltoall at every root, large payloads, MPI_IN_PLACE"},
	{file: "coll_edges.c", what: "collectives with zero counts, MPI_IN_PLACE, long/unsigned/short reductions, gapped Allgatherv; invalid op, type, root, count and comm fail with their classes (at np 1 libfaasmpi finishes valid calls itself)"},
	{file: "coll_v.c", what: "Gatherv, Scatterv, Allgatherv, Alltoallv with zero/varying counts, reversed gapped displacements, MPI_IN_PLACE"},
	{file: "coll_reduce.c", what: "Reduce (every root), Allreduce, Reduce_local, Reduce_scatter(_block), Scan, Exscan, all with MPI_IN_PLACE"},
	{file: "reduce_ops.c", what: "every predefined op on every applicable type, complex SUM/PROD, MINLOC/MAXLOC on all pair types with ties, REPLACE rejected"},
	{file: "reduce_user.c", what: "Op_create commutative and non-commutative (rank order) on predefined, contiguous and struct types through Reduce/Allreduce/Scan/Exscan/Reduce_scatter_block/Reduce_local; Op_free"},
	{file: "coll_nonblocking.c", what: "Ibarrier, Ibcast, Ireduce, Iallreduce, Iallgather, Ialltoall outstanding together, Waitany/Test completion, IN_PLACE, overlap with p2p"},
	{file: "dtype_coll.c", what: "derived types in Bcast, Gather/Scatter/Allgather (resized column transpose), struct Allgather/Alltoall, strided Gatherv, user op on contiguous type"},
	{file: "coll_alltoallw.c", what: "Alltoallw with per-peer datatypes, byte displacements, zero counts, MPI_IN_PLACE"},
	{file: "comm.c", what: "Comm_dup/split/create/split_type/compare/free, context isolation, collectives on sub-communicators"},
	{file: "group.c", what: "Group incl/excl/range_incl/range_excl/union/intersection/difference/translate_ranks/compare, GROUP_EMPTY"},
	{file: "cart.c", what: "Dims_create, Cart_create 1-3D periodic/open/reorder/partial, Cart_coords/rank/shift(+-1,+-2)/get/sub, Cartdim_get, Topo_test, halo Sendrecv"},
	{file: "reduce_replace.c", what: "MPI_REPLACE (one-sided only) rejected by Reduce_local/Allreduce with MPI_ERR_OP"},
	{file: "cpp_basic.cpp", what: "C++: templated type map, std::string messages sized by Probe, std::map, RAII Comm_split wrapper"},
	{file: "cpp_userop.cpp", what: "C++: a captureless lambda as MPI_Op_create user op in a module with static destructors"},
	{file: "reduce_nb_user.c", what: "Iallreduce/Ireduce with a non-commutative user op posted before p2p owed to ranks that join later (no deadlock), several outstanding, Test/Waitall/Waitany/Request_get_status, IN_PLACE, struct type"},
	{file: "dtype_holes.c", what: "a freed vector Irecv still lands; Request_get_status unpacks once; Allreduce/Reduce/Iallreduce/Ireduce/Scan/Reduce_scatter_block into vector and padded struct types leave the holes alone, predefined and user ops"},
	{file: "attr.c", what: "Comm_create_keyval/set/get/delete_attr/free_keyval, copy callbacks at Comm_dup (NULL_COPY_FN, DUP_FN, user), delete callbacks at overwrite/delete/Comm_free and for freed keyvals, MPI_COMM_SELF at Finalize"},
	{file: "info.c", what: "Info_create/set/get/get_valuelen/get_nkeys/get_nthkey/dup/delete/free: key order, overwrite, truncation, deep dup, error classes, MPI_INFO_NULL"},
	{file: "pmpi.c", what: "profiling interface: the program wraps MPI_Init/Send/Isend/Allreduce/Finalize calling PMPI_X and counts calls; the library's own work does not go through the wrappers"},
	{file: "p2p_waitany.c", what: "Waitany/Waitsome/Testany/Testsome/Testall, MPI_UNDEFINED on null arrays"},
}

// checkDeadlock: non-zero exit within a few seconds, and one
// "rank N blocked in MPI_Recv(" line per rank.
func checkDeadlock(np int, r result) error {
	if r.err != nil {
		return r.err
	}
	if r.code == 0 {
		return fmt.Errorf("exit code 0, want non-zero")
	}
	if r.elapsed > 15*time.Second {
		return fmt.Errorf("deadlock reported after %v, want a few seconds", r.elapsed)
	}
	out := r.stdout + r.stderr
	for k := 0; k < np; k++ {
		want := fmt.Sprintf("rank %d blocked in MPI_Recv(", k)
		if !strings.Contains(out, want) {
			return fmt.Errorf("no %q line", want)
		}
		re := regexp.MustCompile(fmt.Sprintf(`rank %d blocked in MPI_Recv\([^)]*\b%d\b[^)]*\b7\b`, k, (k+1)%np))
		if !re.MatchString(out) {
			return fmt.Errorf("rank %d's line does not name source %d and tag 7", k, (k+1)%np)
		}
	}
	return nil
}
