#!/bin/sh
# OpenMP overheads (EPCC syncbench style, libfaasmp/bench/syncbench.c): the
# same source under native libomp (clang-19 -fopenmp) and under faasm run
# (faasm-cc -fopenmp), in the same run, at 2 and 4 threads. Overheads are
# microseconds per construct; ratio = faasm/libomp (below 1 is faster).
# Then the private memory mode and the FDiff engine's throughput. Called by
# ci/bench.sh; results in build/bench/omp_*.txt and fdiff.txt.
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

# Private memory mode (--omp-memory=private): every construct moves memory as
# FDiffs, so it costs far more; fewer repetitions keep it short.
pinner=${OMP_BENCH_PRIVATE_INNER:-200}
OMP_NUM_THREADS=2 faasm run --omp-memory=private "$out/syncbench.wasm" "$pinner" > "$out/omp_faasm_private_t2.txt"
echo "OpenMP threads=2, --omp-memory=private: construct faasm-private(us) ratio(private/libomp)"
paste "$out/omp_libomp_t2.txt" "$out/omp_faasm_private_t2.txt" |
	awk '{ r = ($2 > 0.001) ? $4 / $2 : 0; printf "  %-13s %9.3f %9.1f\n", $1, $4, r }'

# The FDiff engine itself: finding dirty pages, computing diffs and merging
# them, in bytes of dirty memory per second (runtime/snapshot benchmarks).
echo "FDiff engine (runtime/snapshot): dirty-page tracking, diff and merge throughput"
go test -run '^$' -bench '^Benchmark(Tracker|Diff|Merge)$' -benchtime 3x ./runtime/snapshot |
	tee "$out/fdiff.txt" | grep -E '^Benchmark' | awk '{ printf "  %s\n", $0 }'
