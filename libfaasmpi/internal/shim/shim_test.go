package shim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGenerated fails when src/unsupported.c or mpi.h's profiling block
// is not what mpi.h's prototypes generate: run `go generate ./libfaasmpi`.
func TestGenerated(t *testing.T) {
	h := read(t, "include/mpi.h")
	protos, err := Parse(h)
	if err != nil {
		t.Fatal(err)
	}
	nh, err := WithProfiling(h, protos)
	if err != nil {
		t.Fatal(err)
	}
	if string(nh) != string(h) {
		t.Errorf("include/mpi.h: the profiling block is stale; run go generate ./libfaasmpi")
	}
	if got := read(t, "src/unsupported.c"); string(got) != string(Unsupported(protos)) {
		t.Errorf("src/unsupported.c is stale; run go generate ./libfaasmpi")
	}
	// Regenerating is stable: the block is replaced, not appended again.
	again, err := WithProfiling(nh, protos)
	if err != nil || string(again) != string(nh) {
		t.Errorf("regenerating the profiling block changes it again (err %v)", err)
	}
}

func TestParse(t *testing.T) {
	h := []byte(`typedef int MPI_Comm_copy_attr_function(MPI_Comm oldcomm, int k);
int MPI_COMM_DUP_FN(MPI_Comm, int, void *, void *, void *, int *);
double MPI_Wtime(void);
int MPI_Pcontrol(const int level, ...);
int MPI_Group_range_incl(MPI_Group group, int n, int ranges[][3],
                         MPI_Group *newgroup);
/* ---- Unsupported: these link ---- */
int MPI_Win_free(MPI_Win *win);
int MPI_Comm_spawn(const char *command, char *argv[], int maxprocs, MPI_Info info, int root, MPI_Comm comm,
                   MPI_Comm *intercomm, int array_of_errcodes[]);
#ifdef __cplusplus
}
#endif
`)
	ps, err := Parse(h)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "MPI_Wtime MPI_Pcontrol MPI_Group_range_incl MPI_Win_free MPI_Comm_spawn" {
		t.Fatalf("names %q", got)
	}
	if ps[0].Signature("PMPI_Wtime") != "double PMPI_Wtime(void)" {
		t.Errorf("Wtime: %q", ps[0].Signature("PMPI_Wtime"))
	}
	if s := ps[1].Signature("PMPI_Pcontrol"); s != "int PMPI_Pcontrol(const int level, ...)" {
		t.Errorf("Pcontrol: %q", s)
	}
	if p := ps[2].Params[2]; p.Name != "ranges" || p.Type != "int[][3]" {
		t.Errorf("ranges parameter: %+v", p)
	}
	if ps[2].Unsupported || !ps[3].Unsupported || !ps[4].Unsupported {
		t.Errorf("unsupported flags wrong: %+v", ps)
	}
	if ps[3].Comm() != "MPI_COMM_WORLD" || ps[4].Comm() != "comm" {
		t.Errorf("stub communicators: %q %q", ps[3].Comm(), ps[4].Comm())
	}
	c := string(Unsupported(ps))
	for _, want := range []string{
		"#pragma weak MPI_Comm_spawn = PMPI_Comm_spawn\n",
		"\t(void)array_of_errcodes;\n\treturn faasmpi_unsupported(comm, __func__);\n}",
		"\t(void)win;\n\treturn faasmpi_unsupported(MPI_COMM_WORLD, __func__);\n}",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("stubs lack %q:\n%s", want, c)
		}
	}
	if strings.Contains(c, "MPI_Wtime") {
		t.Errorf("a supported call got a stub")
	}
	nh, err := WithProfiling(h, ps)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(nh), "int PMPI_Group_range_incl(MPI_Group group, int n, int ranges[][3], MPI_Group *newgroup);\n") ||
		!strings.HasSuffix(string(nh), pmpiEnd+"\n"+tail+"\n") {
		t.Errorf("profiling block:\n%s", nh)
	}
	if _, err := Parse([]byte("int MPI_Send(int);\n")); err == nil {
		t.Errorf("a header without the unsupported section parsed")
	}
}
