#!/bin/sh
# OpenMP overheads (EPCC syncbench style, libfaasmp/bench/syncbench.c): the
# same source under native libomp (clang-19 -fopenmp) and under faasm run
# (faasm-cc -fopenmp), in the same run, at 2 and 4 threads. Overheads are
# microseconds per construct; ratio = faasm/libomp (below 1 is faster).
# Called by ci/bench.sh; results in build/bench/omp_*.txt.
set -eu
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"
clang-19 -fopenmp -O2 -o "$out/syncbench" libfaasmp/bench/syncbench.c
faasm-cc -fopenmp -O2 -o "$out/syncbench.wasm" libfaasmp/bench/syncbench.c
inner=${OMP_BENCH_INNER:-5000}
for t in 2 4; do
	OMP_NUM_THREADS=$t "$out/syncbench" "$inner" > "$out/omp_libomp_t$t.txt"
	OMP_NUM_THREADS=$t faasm run "$out/syncbench.wasm" "$inner" > "$out/omp_faasm_t$t.txt"
	echo "OpenMP threads=$t: construct libomp(us) faasm(us) ratio(faasm/libomp)"
	paste "$out/omp_libomp_t$t.txt" "$out/omp_faasm_t$t.txt" |
		awk '{ r = ($2 > 0.001) ? $4 / $2 : 0; printf "  %-13s %9.3f %9.3f %7.2f\n", $1, $2, $4, r }'
done
