package op

import (
	"bufio"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// This file is an in-package test because f128 is internal: its reference is
// gcc's __float128 (libgcc soft-fp) on the host, which rounds exactly as the
// guest's compiler-rt does; only NaN payloads and signs differ between the two
// libraries, so NaN results are compared by NaN-ness.

const f128RefC = `
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static __float128 get(uint64_t hi, uint64_t lo) { uint64_t w[2] = {lo, hi}; __float128 f; memcpy(&f, w, 16); return f; }
int main(void) {
	char op; unsigned long long ah, al, bh, bl;
	while (scanf(" %c %llx %llx %llx %llx", &op, &ah, &al, &bh, &bl) == 5) {
		__float128 a = get(ah, al), b = get(bh, bl), r = 0;
		int c = -2;
		switch (op) {
		case '+': r = a + b; break;
		case '*': r = a * b; break;
		case '<': c = a < b; break;
		case '>': c = a > b; break;
		case '=': c = a == b; break;
		}
		uint64_t w[2]; memcpy(w, &r, 16);
		printf("%016llx %016llx %d\n", (unsigned long long)w[1], (unsigned long long)w[0], c);
	}
	return 0;
}
`

func randF128(r *rand.Rand) f128 {
	exps := [][2]uint64{{0, 1}, {1, 120}, {8100, 8300}, {16383 - 60, 16383 + 60}, {32700, 32767}, {0, 32767}}
	er := exps[r.IntN(len(exps))]
	e := er[0] + r.Uint64N(er[1]-er[0]+1)
	x := f128{r.Uint64(), e<<48 | r.Uint64()&(1<<48-1)}
	switch r.IntN(10) {
	case 0:
		x.lo, x.hi = 0, x.hi&^(1<<48-1) // short mantissa: exact results, ties
	case 1:
		x.lo &^= 1<<40 - 1
	}
	if r.IntN(2) == 0 {
		x.hi |= f128SignBit
	}
	if r.IntN(40) == 0 {
		x = []f128{{}, f128Zero(true), f128Inf(false), f128Inf(true), f128QNaN, {1, 0}}[r.IntN(6)]
	}
	return x
}

func TestF128_againstGCC(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not installed")
	}
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "ref.c"), filepath.Join(dir, "ref")
	require.NoError(t, os.WriteFile(src, []byte(f128RefC), 0o644))
	if out, err := exec.Command(gcc, "-O1", "-o", bin, src).CombinedOutput(); err != nil {
		t.Skipf("gcc cannot build __float128 code: %v\n%s", err, out)
	}
	r := rand.New(rand.NewPCG(7, 8))
	type tc struct {
		op   byte
		a, b f128
	}
	var cases []tc
	for range 4000 {
		a, b := randF128(r), randF128(r)
		switch r.IntN(4) {
		case 0: // cancellation: b close to -a
			b = f128{a.lo ^ r.Uint64N(16), a.hi ^ f128SignBit}
		case 1: // products near the subnormal range
			a.hi = a.hi&^f128ExpMask | (8100+r.Uint64N(200))<<48
			b.hi = b.hi&^f128ExpMask | (8100+r.Uint64N(200))<<48
		}
		for _, op := range []byte("+*<>=") {
			cases = append(cases, tc{op, a, b})
		}
	}
	var in strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&in, "%c %x %x %x %x\n", c.op, c.a.hi, c.a.lo, c.b.hi, c.b.lo)
	}
	cmd := exec.Command(bin)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	require.NoError(t, err)
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for i, c := range cases {
		require.True(t, sc.Scan(), "short output at %d", i)
		var want f128
		var cmp int
		_, err := fmt.Sscanf(sc.Text(), "%x %x %d", &want.hi, &want.lo, &cmp)
		require.NoError(t, err)
		msg := fmt.Sprintf("%c %016x%016x %016x%016x", c.op, c.a.hi, c.a.lo, c.b.hi, c.b.lo)
		switch c.op {
		case '+', '*':
			got := addF128(c.a, c.b)
			if c.op == '*' {
				got = mulF128(c.a, c.b)
			}
			if want.isNaN() {
				require.True(t, got.isNaN(), msg)
			} else {
				require.Equal(t, want, got, msg)
			}
		case '<':
			require.Equal(t, cmp == 1, ltF128(c.a, c.b), msg)
		case '>':
			require.Equal(t, cmp == 1, gtF128(c.a, c.b), msg)
		case '=':
			require.Equal(t, cmp == 1, eqF128(c.a, c.b), msg)
		}
	}
}

// TestF128_roundTrip: every finite float64 converts exactly, and back.
func TestF128_roundTrip(t *testing.T) {
	for _, v := range []float64{0, 1, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-300, 3.141592653589793} {
		x := roundF128(big.NewFloat(v))
		got, acc := x.big().Float64()
		require.Equal(t, big.Exact, acc)
		require.Equal(t, v, got)
	}
	require.True(t, roundF128(big.NewFloat(math.Copysign(0, -1))).sign())
}
