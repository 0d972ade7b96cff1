package faasmpi_test

import (
	"fmt"
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
	return runEnv(t, nil, faasm, args...)
}

// runEnv is run with env added to the environment.
func runEnv(t *testing.T, env []string, faasm string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(faasm, append([]string{"run"}, args...)...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Env = append(append(os.Environ(), "FAASM_CACHE="+t.TempDir()), env...)
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

// TestRun_fastPath: small MPI calls between ranks of one process take the C
// fast path (engine trampoline, no Go), with the same results;
// FAASM_MPI_FAST=0 turns it off.
func TestRun_fastPath(t *testing.T) {
	faasm, wasm := build(t, "pingpong")
	const want = "sum 3998000" // 2 * (0 + 1 + ... + 1999)
	for _, tc := range []struct {
		env  []string
		fast bool
	}{{[]string{"FAASM_MPI_STATS=1"}, true}, {[]string{"FAASM_MPI_STATS=1", "FAASM_MPI_FAST=0"}, false}} {
		stdout, stderr, code := runEnv(t, tc.env, faasm, "-np", "2", wasm)
		if code != 0 || strings.TrimSpace(stdout) != want {
			t.Fatalf("%v: exit %d, stdout %q (want %q)\n%s", tc.env, code, stdout, want, stderr)
		}
		for rank := range 2 {
			var sends, recvs, colls int
			line := ""
			for _, l := range strings.Split(stderr, "\n") {
				if strings.HasPrefix(l, fmt.Sprintf("faasm: rank %d: ", rank)) {
					line = l
				}
			}
			if _, err := fmt.Sscanf(line, "faasm: rank "+fmt.Sprint(rank)+": %d sends, %d receives and %d collectives took the fast path", &sends, &recvs, &colls); err != nil {
				t.Fatalf("%v: rank %d's statistics line %q: %v\n%s", tc.env, rank, line, err, stderr)
			}
			// What must take the fast path whatever the machine's load:
			// every send but the first to each peer (which makes the
			// ring, in Go; a ping-pong never fills it), and the root's
			// side of each Bcast (its slot was read 128 broadcasts ago).
			// Whether a receive or a synchronising collective completes
			// in C depends on the partner answering within the C half's
			// polling, which a loaded machine does not promise.
			minColls := 0
			if rank == 0 {
				minColls = 200
			}
			if tc.fast && (sends < 1999 || colls < minColls) || !tc.fast && (sends != 0 || recvs != 0 || colls != 0) {
				t.Errorf("%v: rank %d: %d sends, %d receives and %d collectives of 2000, 2000 and 600 took the fast path",
					tc.env, rank, sends, recvs, colls)
			}
		}
	}
}
