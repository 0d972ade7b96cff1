#!/bin/sh
# Installs the Debian packages faasm-go needs, only those missing, so running
# it again is cheap. Needs root (or sudo) only when something is missing.
set -eu

# The wasm toolchain and sysroot; native compilers and MPI/OpenMP for the
# native-vs-wasm comparisons; redis for the state tier; cmake and autotools
# for the drop-in build tests.
PACKAGES="make clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32
libclang-rt-19-dev-wasm32 libomp-19-dev openmpi-bin libopenmpi-dev redis-server
cmake autoconf automake pkg-config"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "faasm: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "faasm: these packages are missing and you are not root:$missing" >&2
	echo "faasm: install them with: apt-get install$missing" >&2
	exit 1
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
