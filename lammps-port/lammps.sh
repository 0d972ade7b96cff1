#!/bin/sh
# lammps-port/lammps.sh: obtain Debian's LAMMPS source, build it natively
# (OpenMPI mpicxx) and for faasm (faasm-mpicxx through faasm-cmake), with
# the same CMake options, and compare the two. See lammps-port/README.md.
#
#   lammps.sh source   obtain, verify and unpack the source; print the tree
#   lammps.sh native   build the native lmp (cached); print its path
#   lammps.sh wasm     build lmp.wasm (cached); print its path, or exit 3
#                      with the reason when faasm's MPI is not usable yet
#   lammps.sh build    all of the above; print LMP_NATIVE=, LMP_WASM= and
#                      LMP_WASM_PENDING= lines (what the Go test reads)
#   lammps.sh bench    full LJ comparison at np 1, 2, 4 (build/bench/lammps.json)
#   lammps.sh status   LMP_NATIVE=/LMP_WASM= of the builds cached for the
#                      current keys (empty: a cold build), building nothing
#
# Everything lives under $FAASM_CACHE/lammps (faasm-cc env's FAASM_CACHE):
#   src/           the apt download (kept: 80 MB)
#   tree-<key>/    a verified, unpacked source tree: the Debian source as
#                  is (native build) and with patches/ applied (wasm build;
#                  every hunk is inside #if defined(__wasi__), see patches/)
#   native-<key>/  native build; key = pristine tree + options + mpicxx identity
#   wasm-<key>/    wasm build;   key = patched tree + options + toolchain_key
#                  (clang, the driver's exact commands, the sysroot's files
#                  except the OpenMP runtime's)
# A directory is complete when it holds `stamp`; anything else is rebuilt.
# Progress and build logs go to stderr; stdout carries only the results.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# Our tools: bin/ of this checkout unless the caller put others first on PATH
# (the Go test uses the binaries it just built).
if ! command -v faasm-cc >/dev/null 2>&1; then
	PATH=$root/bin:$PATH
	export PATH
fi

# The source: Debian bookworm's lammps package.
PKG=lammps
VERSION=20220106.git7586adbb6a+ds1-2
ORIG=lammps_20220106.git7586adbb6a+ds1.orig.tar.xz
DSC=lammps_${VERSION}.dsc
TOPDIR=lammps-0~20220106.git7586adbb6a
# Bumped when this script changes how a build is made.
RECIPE=1

# The CMake options both builds use. No OpenMP/KOKKOS/GPU, LAMMPS's own KISS
# FFT, no image/movie/gzip output (they run external programs or need
# libraries we do not have), errors end the program (no exceptions).
CMAKE_OPTS="-DCMAKE_BUILD_TYPE=Release
-DBUILD_MPI=on
-DBUILD_OMP=off
-DPKG_OPENMP=off
-DPKG_KOKKOS=off
-DPKG_GPU=off
-DPKG_MOLECULE=on
-DPKG_KSPACE=on
-DPKG_RIGID=on
-DPKG_OPT=on
-DFFT=KISS
-DWITH_JPEG=off
-DWITH_PNG=off
-DWITH_FFMPEG=off
-DWITH_GZIP=off
-DLAMMPS_EXCEPTIONS=off
-DBUILD_SHARED_LIBS=off
-DBUILD_TOOLS=off
-DBUILD_LAMMPS_SHELL=off
-DLAMMPS_SIZES=smallbig"

JOBS=${JOBS:-2}
NICE=${NICE:-nice -n 10}

log() { printf 'lammps: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

cache_root() {
	c=$(faasm-cc env | sed -n 's/^FAASM_CACHE=//p')
	[ -n "$c" ] || c=${FAASM_CACHE:-$HOME/.cache/faasm}
	printf '%s/lammps\n' "$c"
}
CACHE=$(cache_root)
mkdir -p "$CACHE"

hash() { sha256sum | cut -c1-16; }


# ---- source ---------------------------------------------------------------

# download: apt-get source with a private configuration (our own deb-src
# list, lists and cache directories); nothing is added to the machine's
# apt sources. apt checks the files against the signed Sources index.
download() {
	src=$CACHE/src
	if [ -f "$src/$ORIG" ] && [ -f "$src/$DSC" ]; then
		return 0
	fi
	apt=$CACHE/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$src"
	echo 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main' >"$apt/sources.list"
	set -- -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	log "downloading $PKG $VERSION with apt-get source (private apt configuration)"
	apt-get "$@" -q update >&2 || die "apt-get update failed (network? deb.debian.org)"
	(cd "$src" && apt-get "$@" -q source --download-only "$PKG=$VERSION") >&2 ||
		die "apt-get source $PKG=$VERSION failed"
}

# verify: the sizes and sha256 sums the .dsc lists for the files we use.
verify() {
	src=$CACHE/src
	for f in "$ORIG"; do
		line=$(awk '/^Checksums-Sha256:/ {s=1; next} /^[^ ]/ {s=0} s && $3 == "'"$f"'" {print $1, $2}' "$src/$DSC")
		[ -n "$line" ] || die "$DSC lists no sha256 for $f"
		want=${line% *}
		size=${line#* }
		got=$(sha256sum "$src/$f" | cut -d' ' -f1)
		gotsize=$(wc -c <"$src/$f")
		if [ "$got" != "$want" ] || [ "$gotsize" -ne "$size" ]; then
			rm -f "$src/$f"
			die "$f: sha256 $got ($gotsize bytes), the .dsc says $want ($size bytes): removed, run again"
		fi
	done
}

patches() { ls "$here"/patches/*.patch 2>/dev/null | sort || true; }

# tree_key pristine|patched
tree_key() {
	{
		sed -n '/^Checksums-Sha256:/,/^[^ C]/p' "$CACHE/src/$DSC" 2>/dev/null || echo "$VERSION"
		if [ "$1" = patched ]; then
			for p in $(patches); do
				basename "$p"
				cat "$p"
			done
		fi
	} | hash
}

# do_source pristine|patched: the unpacked tree (no Debian patches: none is
# needed). Prints the LAMMPS top directory.
do_source() {
	download
	tree=$CACHE/tree-$(tree_key "$1")
	if [ ! -f "$tree/stamp" ]; then
		verify
		log "unpacking $ORIG into $tree"
		rm -rf "$tree"
		mkdir -p "$tree"
		tar -xJf "$CACHE/src/$ORIG" -C "$tree"
		if [ "$1" = patched ]; then
			for p in $(patches); do
				log "applying $(basename "$p")"
				patch -d "$tree/$TOPDIR" -p1 --batch --forward <"$p" >&2 || die "$p does not apply"
			done
		fi
		date >"$tree/stamp"
	fi
	printf '%s\n' "$tree/$TOPDIR"
}

# prune KIND KEEP: remove other complete or abandoned entries of a kind.
prune() {
	for d in "$CACHE/$1"-*; do
		[ -d "$d" ] && [ "$d" != "$2" ] || continue
		log "removing stale $d"
		rm -rf "$d"
	done
}

# prune_trees: remove trees that neither current build uses.
prune_trees() {
	keep1=$CACHE/tree-$(tree_key pristine)
	keep2=$CACHE/tree-$(tree_key patched)
	for d in "$CACHE"/tree-*; do
		[ -d "$d" ] && [ "$d" != "$keep1" ] && [ "$d" != "$keep2" ] || continue
		log "removing stale $d"
		rm -rf "$d"
	done
}

# ---- builds ---------------------------------------------------------------

# cmake_build DIR SRC WRAPPER...: configure DIR (fresh unless the same
# command configured it before) and build the lmp target.
cmake_build() {
	dir=$1
	srcdir=$2
	shift 2
	cmd="$* cmake -S $srcdir/cmake -B $dir/build $(echo $CMAKE_OPTS ${EXTRA_OPTS:-})"
	# CMake takes CXXFLAGS from the environment on the first configure.
	[ -z "${CXXFLAGS:-}" ] || cmd="CXXFLAGS='$CXXFLAGS' $cmd"
	if [ "$(cat "$dir/configured" 2>/dev/null)" != "$cmd" ]; then
		rm -rf "$dir/build"
		mkdir -p "$dir/build"
		log "configuring: $cmd"
		# shellcheck disable=SC2086
		$NICE $* cmake -S "$srcdir/cmake" -B "$dir/build" $CMAKE_OPTS ${EXTRA_OPTS:-} >"$dir/configure.log" 2>&1 || { tail -40 "$dir/configure.log" >&2; die "configure failed: $dir/configure.log"; }
		printf '%s\n' "$cmd" >"$dir/configured"
	fi
	log "building lmp in $dir/build (make -j$JOBS; log: $dir/build.log)"
	start=$(date +%s)
	# -k: a failed build lists every file that does not compile.
	if ! $NICE make -k -C "$dir/build" -j"$JOBS" lmp >"$dir/build.log" 2>&1; then
		grep -E -A6 'error:' "$dir/build.log" | head -120 >&2
		die "build failed: $dir/build.log"
	fi
	echo "$(($(date +%s) - start))" >"$dir/build-seconds"
	# CPU time of the configure and build (user, system): on an idle
	# machine the cold build takes about that divided by the cores.
	times | tail -1 >"$dir/build-cpu"
}

native_key() {
	{
		echo "recipe $RECIPE"
		tree_key pristine
		echo "$CMAKE_OPTS"
		mpicxx --showme 2>/dev/null || true
		mpicxx --version
	} | hash
}

do_native() {
	srcdir=$(do_source pristine)
	command -v mpicxx >/dev/null || die "mpicxx not found (OpenMPI: sh ci/deps.sh)"
	dir=$CACHE/native-$(native_key)
	if [ ! -f "$dir/stamp" ]; then
		mkdir -p "$dir"
		log "native build (mpicxx) -> $dir"
		cmake_build "$dir" "$srcdir" env CXX=mpicxx CC=mpicc
		cp "$dir/build/lmp" "$dir/lmp"
		date >"$dir/stamp"
		prune native "$dir"
		prune_trees
	fi
	printf '%s\n' "$dir/lmp"
}

# mpi_pending [run]: why faasm's MPI cannot build (and with "run", run)
# LAMMPS yet, or nothing. Building needs mpi.h and -lmpi from faasm-mpicxx;
# running needs `faasm run -np 2` to run an MPI module.
mpi_pending() {
	t=$(mktemp -d)
	cat >"$t/probe.cpp" <<-'EOF'
		#include <mpi.h>
		#include <stdio.h>
		int main(int argc, char **argv) {
		  MPI_Init(&argc, &argv);
		  int r, n;
		  MPI_Comm_rank(MPI_COMM_WORLD, &r);
		  MPI_Comm_size(MPI_COMM_WORLD, &n);
		  int s = r, sum = 0;
		  MPI_Allreduce(&s, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
		  printf("rank %d of %d sum %d\n", r, n, sum);
		  MPI_Finalize();
		  return 0;
		}
	EOF
	if ! faasm-mpicxx -O1 -o "$t/probe.wasm" "$t/probe.cpp" >"$t/cc.log" 2>&1; then
		echo "faasm-mpicxx cannot build an MPI program yet: $(grep -m1 -E 'error' "$t/cc.log" || head -1 "$t/cc.log")"
	elif [ "${1:-}" != run ]; then
		:
	elif ! faasm run -np 2 --timeout 60s "$t/probe.wasm" >"$t/run.log" 2>&1; then
		echo "faasm run -np 2 cannot run an MPI program yet: $(grep -v '^rank' "$t/run.log" | head -1)"
	elif [ "$(grep -c 'sum 1$' "$t/run.log")" != 2 ]; then
		echo "faasm run -np 2 of an MPI_Allreduce probe printed: $(tr '\n' '|' <"$t/run.log")"
	fi
	rm -rf "$t"
}

wasm_key() {
	{
		echo "recipe $RECIPE"
		tree_key patched
		echo "$CMAKE_OPTS"
		toolchain_key
	} | hash
}

# toolchain_key: what an MPI C++ build with faasm-mpicxx depends on, and
# nothing else: clang and the toolchain version, the exact commands the
# driver runs (so a change of default flags counts), and the content of
# every sysroot file except the OpenMP runtime's, which lmp.wasm never
# links. An OpenMP runtime change then rebuilds nothing here, while a change
# to libmpi, libfaasm, the headers or the flags does.
toolchain_key() {
	tenv=$(faasm-cc env)
	sr=$(printf '%s\n' "$tenv" | sed -n 's/^FAASM_SYSROOT=//p')
	[ -d "$sr" ] || die "faasm-cc env names no sysroot"
	printf '%s\n' "$tenv" | grep -v -e '^FAASM_CACHE=' -e '^FAASM_SYSROOT=' -e '^FAASM_CMAKE_TOOLCHAIN=' -e '^FAASM_HOSTABI_VERSION='
	kt=$(mktemp -d)
	printf 'int main() { return 0; }\n' >"$kt/k.cpp"
	: >"$kt/k.o"
	(cd "$kt" && faasm-mpicxx -### -c k.cpp -o k.o 2>&1 && faasm-mpicxx -### k.o -o k.wasm 2>&1) |
		sed -e "s|$sr|SYSROOT|g" -e "s|$kt|TMP|g"
	rm -rf "$kt"
	(cd "$sr" && find -L . -type f ! -name key.json ! -path ./lib/wasm32-wasi/libfaasmp.a \
		! -path './include/faasmp/*' ! -path ./include/faasm/host_faasmp.h | LC_ALL=C sort | xargs sha256sum) 2>/dev/null
}

do_wasm() {
	srcdir=$(do_source patched)
	dir=$CACHE/wasm-$(wasm_key)
	if [ ! -f "$dir/stamp" ]; then
		why=$(mpi_pending)
		if [ -n "$why" ]; then
			log "wasm build pending: $why"
			printf '%s\n' "$why"
			return 3
		fi
		mkdir -p "$dir"
		log "wasm build (faasm-mpicxx via faasm-cmake) -> $dir"
		# Nothing wasm-specific beyond faasm-cmake: FindMPI learns
		# libfaasmpi from faasm-mpicxx -showme:*, and the POSIX calls
		# LAMMPS names but WASI lacks (popen, dup, pipe) are declared by
		# the toolchain and fail with ENOSYS.
		cmake_build "$dir" "$srcdir" faasm-cmake
		cp "$dir/build/lmp.wasm" "$dir/lmp.wasm"
		date >"$dir/stamp"
		prune wasm "$dir"
		prune_trees
	fi
	printf '%s\n' "$dir/lmp.wasm"
}

do_build() {
	native=$(do_native)
	printf 'LMP_NATIVE=%s\n' "$native"
	if wasm=$(do_wasm); then
		printf 'LMP_WASM=%s\nLMP_WASM_PENDING=\n' "$wasm"
		printf 'LMP_RUN_PENDING=%s\n' "$(mpi_pending run)"
	else
		rc=$?
		[ $rc -eq 3 ] || exit $rc
		printf 'LMP_WASM=\nLMP_WASM_PENDING=%s\nLMP_RUN_PENDING=%s\n' "$wasm" "$wasm"
	fi
	# Build times, for the record.
	for d in "$(dirname "$native")" ${wasm:+"$(dirname "$wasm")"}; do
		[ -f "$d/build-seconds" ] && log "$(basename "$d"): built in $(cat "$d/build-seconds") s (make -j$JOBS; CPU user/sys $(cat "$d/build-cpu" 2>/dev/null))"
	done
	true
}

# do_status: the cached builds for the current keys, building nothing.
do_status() {
	n=$CACHE/native-$(native_key)
	w=$CACHE/wasm-$(wasm_key)
	if [ -f "$n/stamp" ]; then echo "LMP_NATIVE=$n/lmp"; else echo "LMP_NATIVE="; fi
	if [ -f "$w/stamp" ]; then
		printf 'LMP_WASM=%s\nLMP_WASM_PENDING=\n' "$w/lmp.wasm"
	else
		printf 'LMP_WASM=\nLMP_WASM_PENDING=%s\n' "$(mpi_pending)"
	fi
}

# One builder at a time (make test and make bench may run at once).
case "${1:-build}" in
source | native | wasm | build | bench)
	if [ -z "${LAMMPS_LOCKED:-}" ]; then
		LAMMPS_LOCKED=1 exec flock "$CACHE/build.lock" sh "$here/lammps.sh" "$@"
	fi
	;;
esac

case "${1:-build}" in
source) do_source "${2:-patched}" ;;
native) do_native ;;
wasm) do_wasm ;;
build) do_build ;;
bench) exec sh "$here/bench.sh" ;;
status) do_status ;;
key) printf 'tree %s (pristine) %s (patched)\nnative %s\nwasm %s\n' "$(tree_key pristine)" "$(tree_key patched)" "$(native_key)" "$(wasm_key)" ;;
*) die "usage: lammps.sh source|native|wasm|build|bench|status|key" ;;
esac
