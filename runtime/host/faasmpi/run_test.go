package faasmpi_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/internal/testbin"
)

// build compiles testdata/<name>.c with faasm-mpicc.
func build(t *testing.T, name string) (faasm, wasm string) {
	t.Helper()
	if _, err := exec.LookPath("clang-19"); err != nil {
		t.Skip("clang-19 not installed")
	}
	dir := testbin.Dir(t)
	wasm = filepath.Join(t.TempDir(), name+".wasm")
	src, _ := filepath.Abs(filepath.Join("testdata", name+".c"))
	out, err := exec.Command(filepath.Join(dir, "faasm-mpicc"), "-O2", src, "-o", wasm).CombinedOutput()
	if err != nil {
		t.Fatalf("faasm-mpicc %s: %v\n%s", name, err, out)
	}
	return filepath.Join(dir, "faasm"), wasm
}

func run(t *testing.T, faasm string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(faasm, append([]string{"run"}, args...)...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Env = append(os.Environ(), "FAASM_CACHE="+t.TempDir())
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func sortedLines(s string) []string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(ls)
	return ls
}

// TestRun_features runs p2p (eager and one-copy rendezvous), wildcards,
// Allreduce with a predefined and a non-commutative user op, a vector
// datatype, Allgather, Cartesian shifts and MPI_ERRORS_RETURN.
func TestRun_features(t *testing.T) {
	faasm, wasm := build(t, "features")
	stdout, stderr, code := run(t, faasm, "-np", "3", wasm)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	want := []string{
		"bad rank rc=6 MPI_ERR_RANK: invalid rank",
		"rank 0 sum 6 userop 11 col 201 205 209 213 gather-last 2 dims 3x1 shift 2->1",
		"rank 1 got 1048576 from 0 tag 7 last 1048575",
		"rank 1 sum 6 userop 11 col 1 5 9 13 gather-last 2 dims 3x1 shift 0->2",
		"rank 2 sum 6 userop 11 col 101 105 109 113 gather-last 2 dims 3x1 shift 1->0",
	}
	if got := sortedLines(stdout); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("output:\n%s\nwant (sorted):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// One rank works too.
	if stdout, stderr, code := run(t, faasm, wasm); code != 0 || !strings.Contains(stdout, "rank 0 sum 1 userop 1") {
		t.Errorf("-np 1: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestRun_failures checks how a job ends: MPI_Abort's code, a deadlock
// report, a trapping rank, exit without MPI_Finalize, the fatal error
// handler and an unsupported call.
func TestRun_failures(t *testing.T) {
	faasm, wasm := build(t, "failures")
	tests := []struct {
		mode   string
		code   int
		stderr []string
	}{
		{"abort", 3, []string{"rank 1 called MPI_Abort with code 3"}},
		{"deadlock", 1, []string{"deadlock", "rank 2 blocked in MPI_Recv(source=MPI_ANY_SOURCE, tag=7, comm=MPI_COMM_WORLD)"}},
		{"trap", 134, []string{"rank 1: trap: unreachable code reached (abort)"}},
		{"exit", 5, []string{"rank 1 exited with code 5 without MPI_Finalize"}},
		{"fatal", 1, []string{"MPI error in MPI_Send: MPI_ERR_RANK"}},
		{"win", 1, []string{"faasm: MPI_Win_create is not supported"}},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			_, stderr, code := run(t, faasm, "-np", "3", wasm, tc.mode)
			if code != tc.code {
				t.Errorf("exit code %d, want %d\n%s", code, tc.code, stderr)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}
