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
