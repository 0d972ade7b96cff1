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
	"github.com/faasm-go/faasm/libfaasmpi/internal/shim"
)

// TestUnsupportedListed checks mpi.h against the library: a program that
// takes the address of every MPI_X and PMPI_X declared there must link,
// and calling each function of the unsupported section under
// MPI_ERRORS_RETURN must print "faasm: MPI_X is not supported" and return
// MPI_ERR_UNSUPPORTED_OPERATION; under the default MPI_ERRORS_ARE_FATAL
// the first one ends the job.
func TestUnsupportedListed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a faasm program; skipped with -short")
	}
	if _, err := exec.LookPath("clang-19"); err != nil {
		t.Skip("clang-19 not installed")
	}
	h, err := os.ReadFile(filepath.Join("..", "include", "mpi.h"))
	if err != nil {
		t.Fatal(err)
	}
	protos, err := shim.Parse(h)
	if err != nil {
		t.Fatal(err)
	}
	var unsup []shim.Proto
	var src strings.Builder
	src.WriteString("#include <mpi.h>\n#include <stdio.h>\n#include <string.h>\n\n")
	src.WriteString("static void *volatile every[] = {\n")
	for _, p := range protos {
		fmt.Fprintf(&src, "\t(void *)%s, (void *)P%s,\n", p.Name, p.Name)
		if p.Unsupported {
			unsup = append(unsup, p)
		}
	}
	src.WriteString("};\n\nint main(int argc, char **argv) {\n\tMPI_Init(&argc, &argv);\n")
	src.WriteString("\tint fatal = argc > 1 && strcmp(argv[1], \"fatal\") == 0;\n")
	src.WriteString("\tif (!fatal) MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);\n")
	src.WriteString("\tprintf(\"%d functions\\n\", (int)(sizeof every / sizeof *every) / 2);\n\tint rc;\n")
	for _, p := range unsup {
		args := make([]string, len(p.Params))
		for i, a := range p.Params {
			args[i] = "0" // every handle is an int and every pointer may be NULL: a stub reads nothing
			if a.Type == "MPI_Comm" {
				args[i] = "MPI_COMM_WORLD"
			}
		}
		fmt.Fprintf(&src, "\trc = %s(%s);\n\tprintf(\"%s %%s\\n\", rc == MPI_ERR_UNSUPPORTED_OPERATION ? \"unsupported\" : \"WRONG\");\n\tfflush(stdout);\n",
			p.Name, strings.Join(args, ", "), p.Name)
	}
	src.WriteString("\tMPI_Finalize();\n\treturn 0;\n}\n")
	if len(unsup) < 50 {
		t.Fatalf("only %d unsupported prototypes found in mpi.h", len(unsup))
	}

	dir := t.TempDir()
	bin := testbin.Dir(t)
	c := filepath.Join(dir, "unsupported.c")
	wasm := filepath.Join(dir, "unsupported.wasm")
	if err := os.WriteFile(c, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "FAASM_CACHE="+filepath.Join(dir, "cache"))
	build := exec.Command(filepath.Join(bin, "faasm-mpicc"), "-O2", "-o", wasm, c)
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("a program using every function of mpi.h does not build: %v\n%s", err, out)
	}

	res := execute(env, filepath.Join(bin, "faasm"), "run", "-timeout", "60s", wasm)
	if res.err != nil || res.code != 0 {
		t.Fatalf("exit %d err %v\n%s%s", res.code, res.err, res.stdout, tail(res.stderr))
	}
	if want := fmt.Sprintf("%d functions\n", len(protos)); !strings.HasPrefix(res.stdout, want) {
		t.Errorf("stdout starts %q, want %q", firstLine(res.stdout), want)
	}
	for _, p := range unsup {
		if !strings.Contains(res.stdout, p.Name+" unsupported\n") {
			t.Errorf("%s did not return MPI_ERR_UNSUPPORTED_OPERATION", p.Name)
		}
		if !strings.Contains(res.stderr, "faasm: "+p.Name+" is not supported\n") {
			t.Errorf("%s printed no %q", p.Name, "faasm: "+p.Name+" is not supported")
		}
	}

	start := time.Now()
	res = execute(env, filepath.Join(bin, "faasm"), "run", "-timeout", "60s", wasm, "fatal")
	first := unsup[0].Name
	if res.code == 0 || res.err != nil || !strings.Contains(res.stderr, "faasm: "+first+" is not supported") ||
		!strings.Contains(res.stderr, "MPI error in "+first+": MPI_ERR_UNSUPPORTED_OPERATION") {
		t.Errorf("under MPI_ERRORS_ARE_FATAL, %s: exit %d err %v after %v\n%s%s", first, res.code, res.err, time.Since(start), res.stdout, tail(res.stderr))
	}
	if strings.Contains(res.stdout, first+" ") {
		t.Errorf("under MPI_ERRORS_ARE_FATAL, %s returned to the program", first)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i+1]
	}
	return s
}
