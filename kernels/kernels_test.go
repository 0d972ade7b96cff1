package kernels

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faasm-go/faasm/internal/testbin"
)

// Test configurations: ranks 1-3 (MPI), threads 1-3 (OpenMP), and for the
// hybrid kernels 1x3, 2x2 and 3x1 ranks x threads.
func testConfigs(f Flavour) []Config {
	switch f {
	case MPI:
		return []Config{{1, 1}, {2, 1}, {3, 1}}
	case OpenMP:
		return []Config{{1, 1}, {1, 2}, {1, 3}}
	}
	return []Config{{1, 3}, {2, 2}, {3, 1}}
}

func kernelsDir() string { return filepath.Join(testbin.Root(), "kernels") }

// make runs make in kernels/ with the given arguments and PATH.
func runMake(t *testing.T, path string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("make", append([]string{"-C", kernelsDir(), "-j2"}, args...)...)
	cmd.Env = append(os.Environ(), "PATH="+path)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func runAll(t *testing.T, r Runner, m Mode, flavours []Flavour) {
	for _, f := range flavours {
		for _, k := range All {
			if !k.Has(f) {
				continue
			}
			for _, c := range testConfigs(f) {
				f, k, c := f, k, c
				t.Run(string(f)+"/"+k.Name+"/"+c.Label(f), func(t *testing.T) {
					t.Parallel()
					if _, err := os.Stat(r.Binary(m, f, k.Name)); err != nil {
						t.Fatalf("not built: %v", err)
					}
					res := r.Run(context.Background(), m, f, k.Name, c, k.Test)
					if res.Err != nil {
						t.Fatalf("%s %s %s: %v\n%s", m, f, k.Name, res.Err, Tail(res.Output, 15))
					}
					if res.Unit != k.Unit {
						t.Errorf("rate unit %q, want %q", res.Unit, k.Unit)
					}
				})
			}
		}
	}
}

// TestNative: every kernel validates natively (OpenMPI, clang-19 + libomp).
func TestNative(t *testing.T) {
	for _, tool := range []string{"mpicc", "mpirun", "clang-19"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (run sh ci/deps.sh): %v", tool, err)
		}
	}
	dir := t.TempDir()
	if out, err := runMake(t, os.Getenv("PATH"), "native", "NATIVE_DIR="+dir); err != nil {
		t.Fatalf("make native: %v\n%s", err, out)
	}
	runAll(t, Runner{NativeDir: dir, Timeout: 2 * time.Minute}, Native, Flavours)
}

// A tiny program per runtime, to tell "FaasMPI/FaasMP not there yet" (skip)
// from a kernel that is wrong (fail).
const probeMPI = `#include <mpi.h>
#include <stdio.h>
int main(int argc, char **argv) {
    int me, np, sum;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    MPI_Comm_size(MPI_COMM_WORLD, &np);
    MPI_Allreduce(&me, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Finalize();
    return sum == np * (np - 1) / 2 ? 0 : 1;
}
`

const probeOMP = `#include <omp.h>
int main(void) {
    int n = 0;
#pragma omp parallel reduction(+ : n)
    n += 1;
    return n == 2 && omp_get_wtime() > 0 ? 0 : 1;
}
`

// probe compiles src with cc and runs it under faasm run with runArgs;
// it returns why that does not work, or "".
func probe(t *testing.T, bin, path, cc, src string, ccArgs, runArgs []string) string {
	dir := t.TempDir()
	c := filepath.Join(dir, "probe.c")
	wasm := filepath.Join(dir, "probe.wasm")
	if err := os.WriteFile(c, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+path)
	cmd := exec.Command(filepath.Join(bin, cc), append(append([]string{"-O2"}, ccArgs...), "-o", wasm, c)...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return strings.Join(append([]string{cc}, ccArgs...), " ") + " cannot build a probe program yet: " + firstLine(string(out), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd = exec.CommandContext(ctx, filepath.Join(bin, "faasm"), append(append([]string{"run"}, runArgs...), wasm)...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "faasm run " + strings.Join(runArgs, " ") + " cannot run a probe program yet: " + firstLine(string(out), err)
	}
	return ""
}

func firstLine(out string, err error) string {
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return err.Error()
}

// TestFaasm: every kernel validates under faasm, built with the drop-in
// compilers from the same Makefile. A flavour whose runtime support has not
// landed yet (the probe fails) is skipped with the reason.
func TestFaasm(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	bin := testbin.Dir(t)
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")
	dir := t.TempDir()
	r := Runner{WasmDir: dir, Faasm: filepath.Join(bin, "faasm"), Timeout: 2 * time.Minute}

	mpiWhy := probe(t, bin, path, "faasm-mpicc", probeMPI, nil, []string{"-np", "2"})
	ompWhy := probe(t, bin, path, "faasm-cc", probeOMP, []string{"-fopenmp"}, []string{"-x", "OMP_NUM_THREADS=2"})
	hybWhy := mpiWhy
	if hybWhy == "" {
		hybWhy = ompWhy
	}
	why := map[Flavour]string{MPI: mpiWhy, OpenMP: ompWhy, Hybrid: hybWhy}
	var ready []Flavour
	for _, f := range Flavours {
		if why[f] != "" {
			t.Run(string(f), func(t *testing.T) { t.Skip(why[f]) })
			continue
		}
		cc := "CC=faasm-mpicc"
		if f == OpenMP {
			cc = "CC=faasm-cc"
		}
		if out, err := runMake(t, path, "-k", string(f), cc, "OUT="+dir, "EXE=.wasm"); err != nil {
			t.Errorf("make %s %s: %v\n%s", f, cc, err, Tail(out, 30))
		}
		ready = append(ready, f)
	}
	runAll(t, r, Faasm, ready)
}

// TestBenchArgs: every kernel has benchmark arguments at every level kbench
// runs, and synch_global's iterations follow the cost of an iteration there.
func TestBenchArgs(t *testing.T) {
	for _, k := range All {
		for _, f := range k.Flavours {
			for _, c := range []Config{{1, 1}, {2, 1}, {1, 2}, {4, 1}, {1, 4}, {2, 2}} {
				if len(k.BenchArgs(f, c)) == 0 {
					t.Errorf("%s %s %s: no benchmark arguments", f, k.Name, c.Label(f))
				}
			}
		}
	}
	sg, _ := Lookup("synch_global")
	for _, tc := range []struct {
		f     Flavour
		c     Config
		iters string
	}{
		{MPI, Config{1, 1}, "10000000"},
		{OpenMP, Config{1, 2}, "1000000"},
		{Hybrid, Config{1, 2}, "1000000"},
		{MPI, Config{4, 1}, "100000"},
		{OpenMP, Config{1, 4}, "100000"},
		{Hybrid, Config{4, 1}, "100000"},
		{Hybrid, Config{2, 2}, "1000"},
	} {
		if got := sg.BenchArgs(tc.f, tc.c)[0]; got != tc.iters {
			t.Errorf("synch_global %s %s: %s iterations, want %s", tc.f, tc.c.Label(tc.f), got, tc.iters)
		}
	}
	rd, _ := Lookup("reduce")
	if got := rd.BenchArgs(OpenMP, Config{1, 2}); got[0] != "150" {
		t.Errorf("OpenMP reduce: %v, want 150 iterations", got)
	}
	if !equal(rd.BenchArgs(MPI, Config{2, 1}), rd.Bench) {
		t.Errorf("MPI reduce: %v, want its Bench %v", rd.BenchArgs(MPI, Config{2, 1}), rd.Bench)
	}
	if st, _ := Lookup("stencil"); !equal(st.BenchArgs(MPI, Config{4, 1}), st.Bench) {
		t.Errorf("stencil at np 4: %v, want its Bench %v", st.BenchArgs(MPI, Config{4, 1}), st.Bench)
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }
