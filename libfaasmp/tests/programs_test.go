package tests

// programs is the conformance suite. A program's shared field is "" once
// its faasm side passes in shared memory mode; until then it holds the
// precise reason it is pending, and the subtest is skipped with it. Every
// program passes in private mode. The MPI+OpenMP programs are in
// hybrid_test.go.
var programs = []program{
	// fork/join and worksharing
	{file: "parallel_basic.c", what: "parallel: team size, thread ids, num_threads (above cores), if(0/1), in_parallel, firstprivate/private/shared, 200 back-to-back regions, omp_set_num_threads"},
	{file: "for_static.c", what: "for schedule(static) (libomp's balanced split) and static,chunk (round robin) exact ownership; same mapping twice; nowait reuse; long long bounds"},
	{file: "for_dynamic.c", what: "schedule(dynamic[,c]) and monotonic:/nonmonotonic: modifiers: each iteration once, whole chunks, monotonic per-thread order; two nowait loops"},
	{file: "for_guided.c", what: "schedule(guided[,c]) with modifiers: each iteration once, chunks >= c except the last; descending stride; schedule(auto)"},
	{file: "for_runtime.c", what: "schedule(runtime) under omp_set_schedule of every kind (+monotonic); omp_get_schedule round trip, inherited by teams"},
	{file: "for_types.c", what: "loop index types int/unsigned/long long/unsigned long long/short/char, negative and non-unit strides, empty and one-trip loops, pointer loops, under static/static,c/dynamic/guided (_4/_4u/_8/_8u)"},
	{file: "collapse.c", what: "collapse(2)/(3) rectangular and triangular (non-rectangular), static/dynamic/guided, long long bounds"},
	{file: "ordered.c", what: "ordered blocks in iteration order under static/static,c/dynamic/guided/runtime, descending long long, two loops, sparse ordered"},
	{file: "sections.c", what: "sections each once, lastprivate, reduction, firstprivate, nowait + barrier, 10 sections x 20 regions"},
	{file: "barrier.c", what: "300 barrier rounds exchanging through shared arrays; implicit barriers after for/single; nowait + explicit barrier"},
	{file: "single_master.c", what: "single (+nowait), master, masked and masked filter(1), copyprivate of scalar/double/struct/array, 50 copyprivate rounds"},
	{file: "data_sharing.c", what: "private, firstprivate of arrays/structs, lastprivate (monotonic dynamic, static,c, loop variable), linear, default(none), parallel for simd reduction"},

	// synchronisation
	{file: "critical.c", what: "unnamed and named criticals with hint; distinct names are distinct locks (thread 0 holds alpha while thread 1 takes beta; unnamed vs gamma); nested different names"},
	{file: "atomic.c", what: "atomic update/read/write/capture/compare on int/unsigned/long long/float/double, every operator, untorn 64-bit reads, capture permutations"},
	{file: "atomic_wide.c", what: "atomic on long double and _Complex float/double/long double (library atomics), capture/read/write of long double, __sync/__atomic builtins",
		flags: []string{"-latomic"}},
	{file: "flush.c", what: "flush + atomic flags: producer/consumer pipeline through all threads; flush(list)"},
	{file: "locks.c", what: "simple/nested locks with hints, test_lock fails while another thread holds it, nest counts, recursive nest lock, a lock per bucket, init/destroy churn"},

	// reductions and data
	{file: "reduction.c", what: "reduction + * - min max on int/long long/float/double/unsigned; & | ^ && || on int/long long; char/short; on parallel/for/sections, nowait, extremes"},
	{file: "reduction_array.c", what: "array-section reductions: whole arrays, a[2:5], pointer p[0:n], 2-D arrays, min/max sections, sections on parallel"},
	{file: "declare_reduction.c", what: "declare reduction in C: struct argmin with initializer, pair sum, bounding box via functions, modular product, UDR on an array section"},
	{file: "threadprivate.c", what: "threadprivate scalars/arrays/structs persist across regions; copyin; copyprivate of a threadprivate; distinct addresses"},
	{file: "threadprivate_cxx.cpp", what: "threadprivate C++ objects with constructors (threadprivate_register), static members, copyin of a class"},

	// tasks
	{file: "tasks.c", what: "500 tasks + taskwait, recursive fib with if(), final/mergeable, firstprivate snapshot vs shared, if(0) undeferred, tasks from all threads, untied + taskyield, nested tasks"},
	{file: "task_depend.c", what: "depend inout chain order, out/in fan-out/fan-in, iterator depend lists, multi-item depends, mutexinoutset, 2-D wavefront"},
	{file: "taskwait_depend.c", what: "taskwait depend(in/inout) on out and inout chains (__kmpc_omp_taskwait_deps_51)"},
	{file: "taskgroup.c", what: "taskgroup waits for grandchildren, nested taskgroups, taskgroup task_reduction + task in_reduction, parallel reduction(task, ...)"},
	{file: "taskloop.c", what: "taskloop default/grainsize/num_tasks, nogroup + taskwait, collapse, firstprivate/lastprivate, long long stride, taskloop from every thread"},
	{file: "taskloop_reduction.c", what: "taskloop reduction(+,*,min,max) with grainsize/num_tasks, parallel master taskloop reduction, taskloop in_reduction in a taskgroup"},

	// nesting, API, environment
	{file: "nested.c", what: "3-level nesting with max_active_levels 3/2/1: level, active level, thread num, team size, ancestor_thread_num/team_size at every level (and out of range); nested reductions, barriers, criticals"},
	{file: "nested_env.c", what: "OMP_NUM_THREADS lists (2,3 / 3,2,2) per level, OMP_MAX_ACTIVE_LEVELS, OMP_NESTED",
		runs: envRuns(
			[]string{"OMP_NUM_THREADS=2,3"},
			[]string{"OMP_NUM_THREADS=3,2,2"},
			[]string{"OMP_NUM_THREADS=2,3", "OMP_MAX_ACTIVE_LEVELS=1"},
			[]string{"OMP_NUM_THREADS=2", "OMP_MAX_ACTIVE_LEVELS=2"},
			[]string{"OMP_NUM_THREADS=2", "OMP_NESTED=true"},
			[]string{"OMP_NUM_THREADS=3", "OMP_NESTED=false"},
		)},
	{file: "omp_api.c", what: "omp_* API: num/max threads, thread num, num_procs>0, in_parallel, dynamic, nested, max_active_levels, schedule, thread_limit, wtime/wtick resolution, proc_bind, places, devices, setters"},
	{file: "env_vars.c", what: "OMP_SCHEDULE (kinds, chunks, modifiers), OMP_DYNAMIC, OMP_MAX_ACTIVE_LEVELS, OMP_NESTED, OMP_THREAD_LIMIT, OMP_NUM_THREADS (unset: the job's cores), OMP_WAIT_POLICY/OMP_PROC_BIND accepted",
		runs: sharedPending(envRuns(
			[]string{},
			[]string{"OMP_NUM_THREADS=3"},
			[]string{"OMP_NUM_THREADS=4", "OMP_SCHEDULE=dynamic,3"},
			[]string{"OMP_NUM_THREADS=2", "OMP_SCHEDULE=guided"},
			[]string{"OMP_NUM_THREADS=3", "OMP_SCHEDULE=static,5"},
			[]string{"OMP_NUM_THREADS=3", "OMP_SCHEDULE=auto"},
			[]string{"OMP_NUM_THREADS=3", "OMP_SCHEDULE=monotonic:dynamic,2"},
			[]string{"OMP_NUM_THREADS=3", "OMP_SCHEDULE=nonmonotonic:guided,4"},
			[]string{"OMP_NUM_THREADS=4", "OMP_DYNAMIC=true"},
			[]string{"OMP_NUM_THREADS=2", "OMP_MAX_ACTIVE_LEVELS=3"},
			[]string{"OMP_NUM_THREADS=2", "OMP_NESTED=true"},
			[]string{"OMP_NUM_THREADS=8", "OMP_THREAD_LIMIT=3"},
			[]string{"OMP_NUM_THREADS=3", "OMP_WAIT_POLICY=passive", "OMP_PROC_BIND=false"},
			[]string{"OMP_NUM_THREADS=3", "OMP_WAIT_POLICY=active", "OMP_PROC_BIND=true"},
		), map[string]string{
			"NUM_THREADS_2,SCHEDULE_guided": pendingChunk1,
			"NUM_THREADS_3,SCHEDULE_auto":   pendingChunk1,
		})},
	{file: "stacksize.c", what: "OMP_STACKSIZE=16M: 3 MiB automatic arrays and deep recursion in every thread",
		runs: withEnv(threadRuns(), "OMP_STACKSIZE=16M")},

	// memory and applications
	{file: "cxx_alloc.cpp", what: "std::vector push_back per thread, new/delete and new[]/delete[] churn, std::string, std::map, shared_ptr freed by another thread, 8 MiB vectors growing memory in every thread"},
	{file: "cxx_features.cpp", what: "C++: iterator loops, templates, member functions, lambdas/std::function, declare reduction on class/std::vector/std::complex, reductions on references"},
	{file: "malloc_storm.c", what: "malloc/calloc/realloc/free/posix_memalign/aligned_alloc storm per thread, cross-thread frees, concurrent memory growth"},
	{file: "matmul.c", what: "parallel matrix multiply (collapse static, dynamic+guided) equal to serial, checksum"},
	{file: "stencil.c", what: "2-D Jacobi stencil, double buffered, bitwise equal to serial; dynamic schedule with max reduction"},
}

// threadRuns are the default runs: OMP_NUM_THREADS at each thread count.
func threadRuns() []run { return program{}.allRuns() }

// withEnv adds variables to every run.
func withEnv(rs []run, env ...string) []run {
	for i := range rs {
		rs[i].env = append(append([]string{}, rs[i].env...), env...)
	}
	return rs
}
