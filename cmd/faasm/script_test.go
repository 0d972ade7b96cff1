package main_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/faasm-go/faasm/internal/testbin"
)

// TestScripts runs testdata/script/*.txtar: each compiles real programs with
// faasm-cc and runs them with faasm run (and natively, where the output must
// match), with the binaries a user gets on PATH.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("clang-19"); err != nil {
		t.Skip("clang-19 not installed (run: sh ci/deps.sh)")
	}
	bin := testbin.Dir(t)
	cache := t.TempDir() // one AOT/sysroot cache for all scripts: hits are part of what is tested
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			env.Setenv("FAASM_CACHE", cache)
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": cmdStatus,
		},
	})
}

// status N prog args... runs prog and checks its exit code is exactly N,
// keeping stdout and stderr for the following stdout/stderr assertions.
// Plain exec only knows success and failure; exit codes are part of what
// faasm run promises.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N prog args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: %v", err)
	}
	// A hung guest must fail the script, not stall the whole test binary.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, lookPath(ts, args[1]), args[2:]...)
	cmd.Dir = ts.Getenv("WORK")
	cmd.Env = environ(ts)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdinFile := ts.Getenv("STATUS_STDIN"); stdinFile != "" {
		f, err := os.Open(filepath.Join(ts.Getenv("WORK"), stdinFile))
		ts.Check(err)
		defer f.Close()
		cmd.Stdin = f
	}
	err = cmd.Run()
	got := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	// Make the output available to stdout/stderr commands via files, the
	// way exec does, by replaying it through a trivial command.
	ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), ".status-out"), []byte(stdout.String()), 0o644))
	ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), ".status-err"), []byte(stderr.String()), 0o644))
	ts.Exec("sh", "-c", "cat .status-out; cat .status-err >&2")
	if got != want {
		ts.Fatalf("%s exited %d, want %d\nstdout:\n%s\nstderr:\n%s", args[1], got, want, stdout.String(), stderr.String())
	}
	if strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "panic:") {
		ts.Fatalf("%s printed a Go panic trace:\n%s", args[1], stderr.String())
	}
}

func environ(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "FAASM_CACHE", "WORK", "TMPDIR"} {
		env = append(env, fmt.Sprintf("%s=%s", k, ts.Getenv(k)))
	}
	return env
}

// lookPath resolves prog against the script's PATH, not the test process's.
func lookPath(ts *testscript.TestScript, prog string) string {
	if strings.Contains(prog, "/") {
		return prog
	}
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, prog)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return prog
}
