// Package kernels describes the ParRes-style kernels in this folder (MPI,
// OpenMP and hybrid C programs, see README.md) and runs them natively and
// under faasm. The tests here check that every kernel validates; the
// harness in kernels/cmd/kbench times them.
package kernels

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Flavour is one of the three program sets: mpi/, omp/ and hybrid/.
type Flavour string

const (
	MPI    Flavour = "mpi"
	OpenMP Flavour = "omp"
	Hybrid Flavour = "hybrid"
)

// Flavours in report order.
var Flavours = []Flavour{MPI, OpenMP, Hybrid}

// Kernel is one kernel: its name, the flavours it exists in, and its
// arguments (after the thread count, which threaded builds take first) at
// test size and at benchmark size.
type Kernel struct {
	Name     string
	Flavours []Flavour
	Test     []string
	Bench    []string
	Unit     string // the rate's unit as the program prints it
	// BenchAt, when set, gives the benchmark arguments per flavour and
	// configuration, or nil for Bench's: for a kernel whose iteration
	// costs a hundred times more at four workers than at one.
	BenchAt func(f Flavour, c Config) []string
}

// BenchArgs returns the kernel's benchmark arguments for flavour f at
// configuration c.
func (k Kernel) BenchArgs(f Flavour, c Config) []string {
	if k.BenchAt != nil {
		if args := k.BenchAt(f, c); args != nil {
			return args
		}
	}
	return k.Bench
}

// reduceBench gives OpenMP's reduce three times Bench's iterations: its
// threads share one vector sum per iteration (0.004 s at one thread), where
// MPI's ranks each sum their own and then reduce over the ranks (0.013 s
// at two, 0.037 s at four ranks on two cores).
func reduceBench(f Flavour, c Config) []string {
	if f == OpenMP {
		return []string{"150", "4000000"}
	}
	return nil
}

// synchGlobalBench sizes synch_global's runs. An iteration is a copy of
// the string at one worker (about 50-80 ns here), an exchange between two
// (0.5-1.7 us), and with more workers than the reference machine's two
// cores a round of spinning that the scheduler must serve (10 us for MPI
// and OpenMP, 1-2 ms for hybrid's OpenMPI and libomp spinning together).
// One count for all made a one-worker run 3 ms long, too short to time
// (its ratio swung between 1.0 and 2.4 from run to run), and the hybrid
// 2x2 run longer than kbench waits.
func synchGlobalBench(f Flavour, c Config) []string {
	iters := "10000000"
	switch {
	case c.Width() == 2:
		iters = "1000000"
	case c.Width() > 2 && f == Hybrid && c.Ranks > 1 && c.Threads > 1:
		iters = "1000"
	case c.Width() > 2:
		iters = "100000"
	}
	return []string{iters, "1000"}
}

// Has reports whether the kernel exists in flavour f.
func (k Kernel) Has(f Flavour) bool {
	for _, g := range k.Flavours {
		if g == f {
			return true
		}
	}
	return false
}

var all3 = []Flavour{MPI, OpenMP, Hybrid}

// All kernels. Benchmark sizes are chosen so that one native run at one
// rank/thread takes about 0.5-5 s on the 2-core reference machine
// (synch_global's at every configuration, synchGlobalBench); test
// sizes so that one takes milliseconds. Transpose orders are divisible by
// 1, 2, 3 and 4 ranks.
var All = []Kernel{
	{"nstream", all3, []string{"10", "10007"}, []string{"40", "10000000"}, "MB/s", nil},
	{"transpose", all3, []string{"10", "120", "16"}, []string{"15", "3000", "32"}, "MB/s", nil},
	{"stencil", all3, []string{"10", "101"}, []string{"20", "3000"}, "MFlops/s", nil},
	{"dgemm", all3, []string{"3", "97", "16"}, []string{"10", "600", "32"}, "MFlops/s", nil},
	{"reduce", all3, []string{"10", "1001"}, []string{"50", "4000000"}, "MFlops/s", reduceBench},
	{"p2p", all3, []string{"10", "67", "53", "3"}, []string{"15", "4000", "4000"}, "MFlops/s", nil},
	{"sparse", all3, []string{"10", "5", "2"}, []string{"50", "10", "2"}, "MFlops/s", nil},
	{"random", all3, []string{"12", "4", "64"}, []string{"22", "4", "16384"}, "GUPs/s", nil},
	{"synch_global", all3, []string{"100", "1001"}, nil, "synch/s", synchGlobalBench},
}

// Lookup returns the kernel called name.
func Lookup(name string) (Kernel, bool) {
	for _, k := range All {
		if k.Name == name {
			return k, true
		}
	}
	return Kernel{}, false
}

// Config is a run's parallelism: ranks (MPI, hybrid) and threads (OpenMP,
// hybrid); unused ones are 1.
type Config struct {
	Ranks, Threads int
}

// Width is ranks*threads, the number of concurrent workers.
func (c Config) Width() int { return c.Ranks * c.Threads }

// Label names the configuration the way the reports do.
func (c Config) Label(f Flavour) string {
	switch f {
	case MPI:
		return fmt.Sprintf("np=%d", c.Ranks)
	case OpenMP:
		return fmt.Sprintf("t=%d", c.Threads)
	}
	return fmt.Sprintf("%dx%d", c.Ranks, c.Threads)
}

// Mode says how a kernel runs: the native build or the wasm build under faasm.
type Mode string

const (
	Native Mode = "native"
	Faasm  Mode = "faasm"
)

// Runner knows where the builds and tools are.
type Runner struct {
	NativeDir string // make's NATIVE_DIR: <dir>/<flavour>/<kernel>
	WasmDir   string // make's WASM_DIR: <dir>/<flavour>/<kernel>.wasm
	Faasm     string // the faasm command; "faasm" when empty
	Mpirun    string // "mpirun" when empty
	Timeout   time.Duration
}

// Binary is the path of a kernel's program in mode m.
func (r Runner) Binary(m Mode, f Flavour, k string) string {
	if m == Native {
		return filepath.Join(r.NativeDir, string(f), k)
	}
	return filepath.Join(r.WasmDir, string(f), k+".wasm")
}

// Command builds the command line that runs kernel k of flavour f with args
// at configuration c in mode m.
func (r Runner) Command(ctx context.Context, m Mode, f Flavour, k string, c Config, args []string) *exec.Cmd {
	var prog []string
	if f != MPI {
		prog = append(prog, strconv.Itoa(c.Threads))
	}
	prog = append(prog, args...)
	bin := r.Binary(m, f, k)
	threads := "OMP_NUM_THREADS=" + strconv.Itoa(c.Threads)
	var argv []string
	switch {
	case m == Faasm:
		faasm := r.Faasm
		if faasm == "" {
			faasm = "faasm"
		}
		argv = []string{faasm, "run"}
		if f != OpenMP {
			argv = append(argv, "-np", strconv.Itoa(c.Ranks))
		}
		argv = append(argv, "-x", threads, bin, "--")
	case f == OpenMP:
		argv = []string{bin}
	default:
		mpirun := r.Mpirun
		if mpirun == "" {
			mpirun = "mpirun"
		}
		// No binding: faasm does not pin either, and hybrid ranks need
		// more than one core.
		argv = []string{mpirun, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none",
			"-np", strconv.Itoa(c.Ranks), "-x", threads, bin}
	}
	argv = append(argv, prog...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), threads)
	return cmd
}

// Result is one run.
type Result struct {
	Validated bool
	Rate      float64 // in Unit
	Unit      string
	AvgTime   float64 // seconds per iteration, as the kernel reports it
	Wall      time.Duration
	// CPU is the user+system time of the run and of the processes it
	// waited for (ranks under mpirun). At one rank/thread it is the work
	// done, which other processes sharing the CPUs disturb far less than
	// Wall; with more it includes spinning in barriers and polls.
	CPU    time.Duration
	Output string // stdout and stderr
	Err    error  // exit status or parse failure
}

var rateRE = regexp.MustCompile(`Rate \(([^)]+)\): ([0-9.eE+-]+) Avg time \(s\): ([0-9.eE+-]+)`)

// Parse reads a kernel's output.
func Parse(out string) (validated bool, unit string, rate, avg float64, err error) {
	validated = strings.Contains(out, "Solution validates")
	m := rateRE.FindStringSubmatch(out)
	if m == nil {
		return validated, "", 0, 0, errors.New("no rate line in the output")
	}
	rate, _ = strconv.ParseFloat(m[2], 64)
	avg, _ = strconv.ParseFloat(m[3], 64)
	return validated, m[1], rate, avg, nil
}

// Run runs one kernel and parses its report. Err is set when the program
// exits non-zero, does not validate, or prints no rate.
func (r Runner) Run(ctx context.Context, m Mode, f Flavour, k string, c Config, args []string) Result {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	cmd := r.Command(ctx, m, f, k, c, args)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	start := time.Now()
	err := cmd.Run()
	res := Result{Wall: time.Since(start), Output: buf.String()}
	if ps := cmd.ProcessState; ps != nil {
		res.CPU = ps.UserTime() + ps.SystemTime()
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("timed out after %v", res.Wall.Round(time.Second))
	}
	validated, unit, rate, avg, perr := Parse(res.Output)
	res.Validated, res.Unit, res.Rate, res.AvgTime = validated, unit, rate, avg
	switch {
	case err != nil:
		res.Err = err
	case !validated:
		res.Err = errors.New(`no "Solution validates" in the output`)
	case perr != nil:
		res.Err = perr
	}
	return res
}

// Tail is the last n lines of s, for error messages.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
