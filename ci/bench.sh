#!/bin/sh
# make bench: micro-benchmarks and, as later parts land, native-vs-faasm
# comparisons. Results go to build/bench/ (JSON) and the terminal.
set -eu
cd "$(dirname "$0")/.."
out=build/bench
mkdir -p "$out"

# Faaslet start-up: an empty main (small module) and a module of about 1 MB,
# whose size is mostly code, as a realistic application's would be.
printf 'int main(void) { return 0; }\n' > "$out/empty.c"
awk 'BEGIN {
	for (i = 0; i < 3800; i++) {
		printf "double f%d(double x, int n) { double s = x; for (int i = 0; i < n; i++) { switch ((i * %d) %% 7) {", i, i + 3
		for (c = 0; c < 7; c++) printf " case %d: s = s * %d.5 + %d; break;", c, c + i % 5, i + c
		printf " } } return s; }\n"
	}
	print "typedef double (*fn)(double, int);"
	printf "fn table[] = {"
	for (i = 0; i < 3800; i++) printf "f%d,", i
	print "};"
	print "volatile int pick = -1;"
	print "int main(void) { return pick >= 0 ? (int)table[pick](1.0, 3) : 0; }"
}' > "$out/big.c"
faasm-cc -O2 -o "$out/empty.wasm" "$out/empty.c"
faasm-cc -O2 -o "$out/big.wasm" "$out/big.c"
faasm bench startup -n 3000 -json "$out/startup.json" "$out/empty.wasm" "$out/big.wasm"

# MPI: the same source under OpenMPI (shared-memory transport) and under
# faasm run, in the same run, at np 2 and 4. Ratios are faasm/OpenMPI:
# for times (us) below 1 is faster, for bandwidth (GB/s) above 1 is faster.
if command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1; then
	mpicc -O2 -o "$out/mpi_bench" examples/mpi_bench.c
	faasm-mpicc -O2 -o "$out/mpi_bench.wasm" examples/mpi_bench.c
	for np in 2 4; do
		mpirun --allow-run-as-root --oversubscribe -np "$np" "$out/mpi_bench" > "$out/mpi_openmpi_np$np.txt"
		faasm run -np "$np" "$out/mpi_bench.wasm" > "$out/mpi_faasm_np$np.txt"
		echo "MPI np=$np: benchmark bytes OpenMPI faasm unit ratio(faasm/OpenMPI)"
		paste "$out/mpi_openmpi_np$np.txt" "$out/mpi_faasm_np$np.txt" |
			awk '{ printf "  %-14s %9s %10s %10s %-5s %6.2f\n", $1, $2, $3, $7, $4, $7 / ($3 > 0 ? $3 : 1) }'
	done
else
	echo "bench: mpicc/mpirun not found; skipping the OpenMPI comparison" >&2
fi

# Issue 4: OpenMP construct overheads, libfaasmp vs native libomp.
sh ci/omp_bench.sh

# Issue 6: LAMMPS's LJ benchmark (and chain, rhodo), native vs faasm at np
# 1, 2, 4: loop times and thermo match (build/bench/lammps.json). Builds
# LAMMPS first if its cache is cold (lammps-port/README.md).
sh lammps-port/bench.sh

# Issue 5: the ParRes-style kernels, native vs faasm at 1, 2 and 4
# ranks/threads (kernels/cmd/kbench): table, kernels.json and SVG charts,
# with the other JSON files in build/bench gathered into the same report.
go run ./kernels/cmd/kbench -out "$out"
