package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faasm-go/faasm/internal/testbin"
)

// hybridShapes are the ranks x threads a hybrid MPI+OpenMP program runs at:
// one team per rank, with more threads in all than this machine has cores.
var hybridShapes = []struct{ ranks, threads int }{{1, 3}, {2, 1}, {2, 2}, {3, 2}}

// hybridPrograms are the conformance programs that are MPI programs too.
// They build with OpenMPI's mpicc around clang-19 and libomp natively, and
// with faasm-mpicc -fopenmp; they run under mpirun and under `faasm run -np`.
var hybridPrograms = []string{"hybrid_mpi.c"}

func TestHybridMPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real MPI+OpenMP programs; skipped with -short")
	}
	for _, tool := range []string{"clang-19", "mpicc", "mpirun"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (install Debian packages: make deps)", tool)
		}
	}
	work := t.TempDir()
	bin := testbin.Dir(t)
	env := append(cleanEnviron(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"FAASM_CACHE="+filepath.Join(work, "cache"),
		"HOME="+work,
		// OpenMPI's wrapper compiles with clang-19 so -fopenmp means libomp,
		// the same runtime the plain conformance programs compare against.
		"OMPI_CC=clang-19")

	for _, file := range hybridPrograms {
		name := strings.TrimSuffix(file, ".c")
		t.Run(name, func(t *testing.T) {
			src := filepath.Join("testdata", file)
			dir := t.TempDir()
			nat := filepath.Join(dir, name+".native")
			if out, err := command(env, 5*time.Minute, "mpicc", append(append([]string{}, nativeFlags...), src, "-o", nat)...); err != nil {
				t.Fatalf("native build: %v\n%s", err, out)
			}
			wasm := filepath.Join(dir, name+".wasm")
			if out, err := command(env, 5*time.Minute, filepath.Join(bin, "faasm-mpicc"), "-fopenmp", "-O2", src, "-o", wasm); err != nil {
				t.Fatalf("faasm build: %v\n%s", err, out)
			}
			for _, s := range hybridShapes {
				threads := fmt.Sprintf("OMP_NUM_THREADS=%d", s.threads)
				np := fmt.Sprint(s.ranks)
				t.Run(fmt.Sprintf("np%dxT%d", s.ranks, s.threads), func(t *testing.T) {
					want := execute(env, nil, "mpirun", "--allow-run-as-root", "--oversubscribe", "-np", np, "-x", threads, nat)
					if want.err != nil || want.code != 0 || !endsOK(want.stdout) {
						t.Fatalf("native: exit %d err %v (the program itself is wrong against OpenMPI+libomp)\nstdout:\n%s\nstderr:\n%s",
							want.code, want.err, want.stdout, tail(want.stderr, 4000))
					}
					for _, m := range modes {
						args := append([]string{"run", "-np", np, "-x", threads}, m.flags...)
						args = append(args, wasm)
						got := execute(env, nil, append([]string{filepath.Join(bin, "faasm")}, args...)...)
						if got.err != nil || got.code != want.code || got.stdout != want.stdout {
							t.Errorf("faasm %s (%s memory)\nexit %d (native %d) err %v\n--- faasm stdout:\n%s--- native stdout:\n%s--- faasm stderr:\n%s",
								strings.Join(args, " "), m.name, got.code, want.code, got.err,
								got.stdout, want.stdout, tail(got.stderr, 4000))
						}
					}
				})
			}
		})
	}
}

// TestHybridMPI_workerCall: an MPI call from an OpenMP worker fails the job
// with the call's name, at one rank (where libfaasmpi finishes the initial
// thread's MPI_Comm_rank and collectives without the host) and at two.
func TestHybridMPI_workerCall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real MPI+OpenMP program; skipped with -short")
	}
	work := t.TempDir()
	bin := testbin.Dir(t)
	env := append(cleanEnviron(), "FAASM_CACHE="+filepath.Join(work, "cache"), "HOME="+work)
	wasm := filepath.Join(work, "worker_mpi.wasm")
	if out, err := command(env, 5*time.Minute, filepath.Join(bin, "faasm-mpicc"), "-fopenmp", "-O2",
		filepath.Join("testdata", "worker_mpi.c"), "-o", wasm); err != nil {
		t.Fatalf("faasm build: %v\n%s", err, out)
	}
	for _, np := range []string{"1", "2"} {
		got := execute(env, nil, filepath.Join(bin, "faasm"), "run", "-np", np, wasm)
		if got.err != nil || got.code == 0 || strings.Contains(got.stdout, "worker got rank") ||
			!strings.Contains(got.stderr, "MPI_Comm_rank") {
			t.Errorf("np %s: exit %d err %v, want a failure naming MPI_Comm_rank\nstdout:\n%s\nstderr:\n%s",
				np, got.code, got.err, got.stdout, tail(got.stderr, 2000))
		}
	}
}
