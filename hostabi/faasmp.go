package hostabi

// Faasmp is the narrow host interface under libfaasmp, the guest's OpenMP
// runtime. The wide LLVM OpenMP ABI (__kmpc_*, omp_*) is implemented in C in
// libfaasmp on top of these: worksharing, barriers, locks and reductions run
// in the guest with wasm atomics on the team's shared memory, and the host is
// only asked to start threads, to block and wake them, and to keep the
// team's memory mapped. In --omp-memory=private mode every synchronisation
// goes through the host (the *_private functions), because guest atomics on
// private copies do not synchronise.
var Faasmp = Module{
	Name: "faasmp",
	Doc:  "OpenMP threads: thread Faaslets, futex-style blocking, team memory, and private-mode synchronisation.",
	Funcs: []Func{
		{
			Name:    "config",
			Params:  []Param{Ptr("cfg", "int32_t *"), Uint32("n")},
			Results: []Param{Int32("filled")},
			Support: Full,
			Doc: "Fills up to n int32 slots of cfg with the job's OpenMP configuration, in order: " +
				"cores given to the job, memory mode (0 shared, 1 private), the most threads the host will run. " +
				"Returns how many slots it filled.",
		},
		{
			Name:    "spawn",
			Params:  []Param{Int32("gtid"), Ptr("stack_top", "void *"), Uint32("entry")},
			Results: []Param{Int32("err")},
			Support: Full,
			Doc: "Starts a thread Faaslet of this module on the team's memory, with __stack_pointer set to " +
				"stack_top, running entry(gtid), a void(int32_t) function given by its index in the exported " +
				"__indirect_function_table (a C function pointer): exports of a command module are wrapped by " +
				"wasm-ld to re-run static constructors, so threads must not start through one. The guest parks " +
				"the thread between parallel regions, so each is started once. Returns 0, or -1 when the host " +
				"runs no more threads.",
		},
		{
			Name:    "wait",
			Params:  []Param{Ptr("addr", "void *"), Int32("expected"), Int64("timeout_ns")},
			Results: []Param{Int32("ret")},
			Support: Full,
			Doc: "Futex wait: blocks while the int32 at addr equals expected, until notify on addr or " +
				"timeout_ns (negative: none). Returns 0 woken, 1 value differed, 2 timed out.",
		},
		{
			Name:    "notify",
			Params:  []Param{Ptr("addr", "void *"), Int32("count")},
			Results: []Param{Int32("woken")},
			Support: Full,
			Doc:     "Wakes up to count waiters on addr (negative: all) and returns how many it woke.",
		},
		{
			Name:    "yield",
			Support: Full,
			Doc: "Gives the caller's core to another thread (sched_yield). libfaasmp's waits call it between " +
				"checks when there are more threads than cores, as libomp does, before blocking in wait.",
		},
		{
			Name:    "sync_memory",
			Results: []Param{Int32("pages")},
			Support: Full,
			Doc: "Brings the caller's linear memory in line with the team's (maps what other threads grew, " +
				"publishes what the caller grew) and returns the team's size in wasm pages.",
		},
		{
			Name:    "barrier_private",
			Params:  []Param{Ptr("team", "void *"), Int32("nthreads")},
			Support: Full,
			Doc: "Private memory mode: a barrier of the nthreads threads whose team descriptor is at team " +
				"that also exchanges every thread's changes (FDiffs) so all see the same memory after it.",
		},
		{
			Name:    "lock_private",
			Params:  []Param{Ptr("lock", "void *")},
			Support: Full,
			Doc: "Private memory mode: acquires the lock named by its address, first applying every change " +
				"released (by an unlock or a flush) before its last release that the caller has not seen.",
		},
		{
			Name:    "trylock_private",
			Params:  []Param{Ptr("lock", "void *")},
			Results: []Param{Int32("acquired")},
			Support: Full,
			Doc: "Private memory mode: lock_private if the lock is free (returns 1), otherwise returns 0 " +
				"at once (omp_test_lock).",
		},
		{
			Name:    "unlock_private",
			Params:  []Param{Ptr("lock", "void *")},
			Support: Full,
			Doc:     "Private memory mode: releases the lock, handing the caller's changes to the next holder.",
		},
		{
			Name:    "sync_private",
			Params:  []Param{Int32("kind")},
			Support: Full,
			Doc: "Private memory mode: moves memory at a fork or join. kind 0: the master before waking its " +
				"team or after joining it (merge every pending change into the master copy and refresh the " +
				"caller's replica); 1: a thread starting its part of a region (ship its own changes, refresh); " +
				"2: a thread finishing its part (its changes wait for the master's join); 3: a flush (release " +
				"the caller's changes and acquire those released before by any flush).",
		},
		{
			Name:    "reduce_region",
			Params:  []Param{Ptr("addr", "void *"), Uint32("size"), Int32("type"), Int32("op")},
			Support: Full,
			Doc: "Private memory mode: registers [addr, addr+size) as a merge region (type: 1 i32, 2 i64, " +
				"3 f32, 4 f64; op: 1 sum, 2 product, 3 max, 4 min) for the current parallel region.",
		},
		{
			Name:    "atomic_private",
			Params:  []Param{Ptr("addr", "void *"), Int32("opcode"), Int64("operand")},
			Results: []Param{Int64("old")},
			Support: Full,
			Doc: "Private memory mode: performs the wasm atomic instruction opcode (the byte after the 0xFE " +
				"prefix: a load, store or read-modify-write of 1 to 8 bytes) at addr on the job's one " +
				"authoritative copy of atomically accessed words, and returns the old value. faasm run " +
				"rewrites every atomic instruction of a module into a call that ends here, so `omp atomic` " +
				"and C11 atomics stay atomic across private replicas; the words reach memory at the next " +
				"barrier or join.",
		},
		{
			Name:    "cmpxchg_private",
			Params:  []Param{Ptr("addr", "void *"), Int32("opcode"), Int64("expected"), Int64("replacement")},
			Results: []Param{Int64("old")},
			Support: Full,
			Doc:     "Private memory mode: atomic compare-exchange (opcode 0x48..0x4e) like atomic_private.",
		},
	},
}
