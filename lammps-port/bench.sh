#!/bin/sh
# lammps-port/bench.sh (make bench, via lammps.sh bench): the LAMMPS
# benchmarks natively (mpirun) and under `faasm run`, at np 1, 2 and 4:
#
#   lj         bench/in.lj, 32,000 atoms, 100 steps
#   lj-scaled  bench/in.lj -var x 2 -var y 2: 128,000 atoms, 100 steps
#   chain      bench/in.chain (MOLECULE: FENE bead-spring, 32,000 atoms)
#   rhodo      bench/in.rhodo (MOLECULE + KSPACE PPPM, 32,000 atoms)
#
# For every run it records LAMMPS's loop time and whether the thermo table
# matches the native run at the same np to the printed digits. Logs go to
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

cases=${BENCH_CASES:-lj lj-scaled chain rhodo}
nps=${BENCH_NP:-1 2 4}

args_of() {
	case $1 in
	lj) echo "-in in.lj" ;;
	lj-scaled) echo "-in in.lj -var x 2 -var y 2" ;;
	chain) echo "-in in.chain" ;;
	rhodo) echo "-in in.rhodo" ;;
	esac
}

# thermo FILE: the thermo table's rows (Step line to Loop time line).
thermo() { awk '/^Step /{s=1} /^Loop time/{s=0} s' "$1"; }
loop() { awk '/^Loop time of/ {print $4; exit}' "$1"; }

# The inputs read data.chain, data.rhodo: run in a copy of bench/.
work=$out/work
rm -rf "$work"
cp -r "$bench" "$work"

json="["
sep=""
printf '%-10s %3s %12s %12s %8s  %s\n' case np native_s faasm_s ratio thermo
for c in $cases; do
	for np in $nps; do
		a=$(args_of "$c")
		nl=$out/$c-np$np-native.log
		fl=$out/$c-np$np-faasm.log
		# shellcheck disable=SC2086
		(cd "$work" && mpirun --allow-run-as-root --oversubscribe -np "$np" "$native" $a -log none) >"$nl" 2>&1 ||
			{ tail -20 "$nl"; echo "native $c np $np failed"; exit 1; }
		nt=$(loop "$nl")
		ft=null ratio=null match=null
		if [ -z "$pending" ]; then
			# shellcheck disable=SC2086
			if (cd "$work" && faasm run -np "$np" --dir . "$wasm" -- $a -log none) >"$fl" 2>&1; then
				ft=$(loop "$fl")
				ratio=$(awk -v f="$ft" -v n="$nt" 'BEGIN {printf "%.3f", f / n}')
				if [ "$(thermo "$nl")" = "$(thermo "$fl")" ]; then match=true; else match=false; fi
			else
				tail -20 "$fl"
				echo "faasm $c np $np failed (log: $fl)"
				match='"run failed"'
			fi
		fi
		printf '%-10s %3s %12s %12s %8s  %s\n' "$c" "$np" "$nt" "$ft" "$ratio" "$match"
		json="$json$sep
  {\"case\": \"$c\", \"np\": $np, \"native_loop_s\": $nt, \"faasm_loop_s\": $ft, \"ratio\": $ratio, \"thermo_match\": $match}"
		sep=","
	done
done
[ -z "$pending" ] || echo "faasm runs pending: $pending"
printf '%s\n]\n' "$json" >"$root/build/bench/lammps.json"
echo "wrote build/bench/lammps.json (logs: build/bench/lammps/)"
