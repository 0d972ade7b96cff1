#!/bin/sh
# lammps-port/bench.sh (make bench, via lammps.sh bench): the LAMMPS
# benchmarks natively (mpirun) and under `faasm run`, at np 1, 2 and 4:
#
#   lj         bench/in.lj, 32,000 atoms, 100 steps
#   lj-scaled  bench/in.lj -var x 2 -var y 2: 128,000 atoms, 100 steps
#   lj-opt     bench/in.lj with -sf opt: the OPT package's lj/cut/opt, whose
#              force loop is specialised on the energy/virial flags, so it
#              has no call inside (see README: why plain lj/cut is slower
#              under wasmtime)
#   chain      bench/in.chain (MOLECULE: FENE bead-spring, 32,000 atoms)
#   rhodo      bench/in.rhodo (MOLECULE + KSPACE PPPM + RIGID's fix shake,
#              32,000 atoms)
#
# For every run it records LAMMPS's loop time, the CPU seconds (user+system)
# of the whole run, and whether the thermo table matches the native run at
# the same np to the printed digits. On this shared machine the loop's wall
# time mostly measures the other engineers' load; CPU time is the steadier
# measure at np 1. At np > 1 native CPU time includes OpenMPI's busy-polling
# while a rank waits (faasm's ranks block), so compare loop times there, or
# profile (lammps-port/README.md, "Performance"). Logs go to
# build/bench/lammps/, the summary to build/bench/lammps.json.
# BENCH_CASES and BENCH_NP narrow it down (e.g. BENCH_CASES=lj BENCH_NP=1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$root/build/bench/lammps
if ! command -v faasm >/dev/null 2>&1; then
	PATH=$root/bin:$PATH
	export PATH
fi
mkdir -p "$out"

paths=$(sh "$here/lammps.sh" build)
native=$(printf '%s\n' "$paths" | sed -n 's/^LMP_NATIVE=//p')
wasm=$(printf '%s\n' "$paths" | sed -n 's/^LMP_WASM=//p')
pending=$(printf '%s\n' "$paths" | sed -n 's/^LMP_WASM_PENDING=//p')
[ -n "$pending" ] || pending=$(printf '%s\n' "$paths" | sed -n 's/^LMP_RUN_PENDING=//p')
bench=$(sh "$here/lammps.sh" source)/bench

cases=${BENCH_CASES:-lj lj-scaled lj-opt chain rhodo}
nps=${BENCH_NP:-1 2 4}

args_of() {
	case $1 in
	lj) echo "-in in.lj" ;;
	lj-scaled) echo "-in in.lj -var x 2 -var y 2" ;;
	lj-opt) echo "-sf opt -in in.lj" ;;
	chain) echo "-in in.chain" ;;
	rhodo) echo "-in in.rhodo" ;;
	esac
}

# thermo FILE: the thermo table's rows (Step line to Loop time line).
thermo() { awk '/^Step /{s=1} /^Loop time/{s=0} s' "$1"; }
loop() { awk '/^Loop time of/ {print $4; exit}' "$1"; }

# snap records the user+system time of all the children this shell has
# waited for so far (mpirun and its ranks, faasm run); cpu prints it in
# seconds. `times` must run in this shell: in a $(...) subshell the
# children's counters start at zero.
snap() { times >"$out/times"; }
cpu() {
	awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }; printf "%.2f\n", s }' "$out/times"
}

# The inputs read data.chain, data.rhodo: run in a copy of bench/.
work=$out/work
rm -rf "$work"
cp -r "$bench" "$work"

# Compile lmp.wasm into the AOT cache first, so that no run's CPU time
# includes Cranelift (about 13 CPU-seconds for lmp.wasm).
if [ -z "$pending" ]; then
	faasm compile "$wasm" >/dev/null
fi

json="["
sep=""
printf '%-10s %3s %10s %10s %7s %10s %10s %7s  %s\n' case np native_s faasm_s ratio native_cpu faasm_cpu cpu_rat thermo
for c in $cases; do
	for np in $nps; do
		a=$(args_of "$c")
		nl=$out/$c-np$np-native.log
		fl=$out/$c-np$np-faasm.log
		snap
		c0=$(cpu)
		# shellcheck disable=SC2086
		(cd "$work" && mpirun --allow-run-as-root --oversubscribe -np "$np" "$native" $a -log none) >"$nl" 2>&1 ||
			{ tail -20 "$nl"; echo "native $c np $np failed"; exit 1; }
		snap
		c1=$(cpu)
		nt=$(loop "$nl")
		ncpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}')
		ft=null ratio=null match=null fcpu=null cratio=null
		if [ -z "$pending" ]; then
			# shellcheck disable=SC2086
			if (cd "$work" && faasm run -np "$np" --dir . "$wasm" -- $a -log none) >"$fl" 2>&1; then
				snap
				c2=$(cpu)
				ft=$(loop "$fl")
				fcpu=$(awk -v a="$c1" -v b="$c2" 'BEGIN {printf "%.2f", b - a}')
				cratio=$(awk -v f="$fcpu" -v n="$ncpu" 'BEGIN {printf "%.3f", f / n}')
				ratio=$(awk -v f="$ft" -v n="$nt" 'BEGIN {printf "%.3f", f / n}')
				if [ "$(thermo "$nl")" = "$(thermo "$fl")" ]; then match=true; else match=false; fi
			else
				tail -20 "$fl"
				echo "faasm $c np $np failed (log: $fl)"
				match='"run failed"'
			fi
		fi
		printf '%-10s %3s %10s %10s %7s %10s %10s %7s  %s\n' "$c" "$np" "$nt" "$ft" "$ratio" "$ncpu" "$fcpu" "$cratio" "$match"
		json="$json$sep
  {\"case\": \"$c\", \"np\": $np, \"native_loop_s\": $nt, \"faasm_loop_s\": $ft, \"ratio\": $ratio, \"native_cpu_s\": $ncpu, \"faasm_cpu_s\": $fcpu, \"cpu_ratio\": $cratio, \"thermo_match\": $match}"
		sep=","
	done
done
[ -z "$pending" ] || echo "faasm runs pending: $pending"
printf '%s\n]\n' "$json" >"$root/build/bench/lammps.json"
echo "wrote build/bench/lammps.json (logs: build/bench/lammps/)"
