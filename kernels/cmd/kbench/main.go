// Command kbench times the kernels natively and under faasm, interleaved
// (native, faasm, native, faasm, ...), at 1, 2 and 4 ranks/threads, and
// reports the median time per iteration, the faasm/native ratio per kernel
// and the geometric means: a terminal table, build/bench/kernels.json and
// SVG charts in build/bench/. It also gathers the other micro-benchmark
// JSON files found in build/bench/ into the same report.
//
// Run from the repository root (ci/bench.sh does): go run ./kernels/cmd/kbench
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faasm-go/faasm/kernels"
	"github.com/faasm-go/faasm/kernels/svg"
)

type sample struct {
	MedianS     float64   `json:"median_s_per_iter,omitempty"`
	RunsS       []float64 `json:"runs_s_per_iter,omitempty"`
	WallMedianS float64   `json:"wall_median_s,omitempty"`
	CPUMedianS  float64   `json:"cpu_median_s,omitempty"` // user+system of the whole run
	RateMedian  float64   `json:"rate_median,omitempty"`
	Unit        string    `json:"unit,omitempty"`
	Error       string    `json:"error,omitempty"`
}

type row struct {
	Flavour        kernels.Flavour `json:"flavour"`
	Kernel         string          `json:"kernel"`
	Config         string          `json:"config"`
	Ranks          int             `json:"ranks"`
	Threads        int             `json:"threads"`
	Oversubscribed bool            `json:"oversubscribed"`
	Args           []string        `json:"args"`
	Native         sample          `json:"native"`
	Faasm          sample          `json:"faasm"`
	Ratio          float64         `json:"ratio,omitempty"` // faasm/native median time per iteration
}

type report struct {
	Date    string                                 `json:"date"`
	CPUs    int                                    `json:"cpus"`
	Reps    int                                    `json:"reps"`
	Levels  []int                                  `json:"levels"`
	Rows    []*row                                 `json:"results"`
	GeoMean map[kernels.Flavour]map[string]float64 `json:"geomean"` // flavour -> config -> geometric mean ratio
	Micro   map[string]json.RawMessage             `json:"micro,omitempty"`
}

func config(f kernels.Flavour, level int) kernels.Config {
	switch f {
	case kernels.MPI:
		return kernels.Config{Ranks: level, Threads: 1}
	case kernels.OpenMP:
		return kernels.Config{Ranks: 1, Threads: level}
	}
	// Hybrid: threads first, then ranks: 1x1, 1x2, 2x2.
	if level >= 4 {
		return kernels.Config{Ranks: level / 2, Threads: 2}
	}
	return kernels.Config{Ranks: 1, Threads: level}
}

func main() {
	reps := flag.Int("reps", 3, "repetitions of each native/faasm pair")
	levelsFlag := flag.String("levels", "1,2,4", "ranks/threads levels")
	only := flag.String("kernels", "", "comma-separated kernels (default all)")
	flavoursFlag := flag.String("flavours", "mpi,omp,hybrid", "comma-separated flavours")
	out := flag.String("out", "build/bench", "report directory")
	size := flag.String("size", "bench", "argument set: bench or test")
	build := flag.Bool("build", true, "run make -C kernels (native and wasm) first")
	nativeOnly := flag.Bool("native-only", false, "do not run under faasm")
	timeout := flag.Duration("timeout", 2*time.Minute, "limit per run")
	nativeDir := flag.String("native-dir", "kernels/build/native", "native programs: <dir>/<flavour>/<kernel>")
	wasmDir := flag.String("wasm-dir", "kernels/build/wasm",
		"wasm programs: <dir>/<flavour>/<kernel>.wasm (another directory times a build made with other flags; use -build=false)")
	flag.Parse()

	var levels []int
	for _, s := range strings.Split(*levelsFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fatalf("bad -levels %q", *levelsFlag)
		}
		levels = append(levels, n)
	}
	if *build {
		for _, target := range []string{"native", "wasm"} {
			args := []string{"-s", "-C", "kernels", "-j", strconv.Itoa(runtime.NumCPU()), target}
			if target == "wasm" {
				// The wasm programs depend on libfaasmpi/libfaasmp inside the
				// faasm toolchain, which make cannot see: always rebuild them
				// so no module built against an older host ABI is timed.
				args = append([]string{"-B"}, args...)
			}
			cmd := exec.Command("make", args...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				fatalf("make -C kernels %s: %v", target, err)
			}
		}
	}
	faasm, _ := exec.LookPath("faasm")
	if faasm == "" {
		faasm = "bin/faasm"
	}
	r := kernels.Runner{NativeDir: *nativeDir, WasmDir: *wasmDir, Faasm: faasm, Timeout: *timeout}

	want := map[string]bool{}
	for _, k := range strings.Split(*only, ",") {
		if k = strings.TrimSpace(k); k != "" {
			if _, ok := kernels.Lookup(k); !ok {
				fatalf("unknown kernel %q", k)
			}
			want[k] = true
		}
	}
	var rows []*row
	for _, fs := range strings.Split(*flavoursFlag, ",") {
		f := kernels.Flavour(strings.TrimSpace(fs))
		for _, k := range kernels.All {
			if !k.Has(f) || (len(want) > 0 && !want[k.Name]) {
				continue
			}
			for _, l := range levels {
				c := config(f, l)
				args := k.Test
				if *size != "test" {
					args = k.BenchArgs(f, c)
				}
				rows = append(rows, &row{Flavour: f, Kernel: k.Name, Config: c.Label(f), Ranks: c.Ranks,
					Threads: c.Threads, Oversubscribed: c.Width() > runtime.NumCPU(), Args: args})
			}
		}
	}

	modes := []kernels.Mode{kernels.Native, kernels.Faasm}
	if *nativeOnly {
		modes = modes[:1]
	}
	total := len(rows) * *reps * len(modes)
	done := 0
	start := time.Now()
	tty := isTerminal(os.Stderr)
	progress := func(rw *row, m kernels.Mode, rep int) {
		left := "?"
		if done > 0 {
			left = (time.Duration(float64(time.Since(start)) / float64(done) * float64(total-done))).Round(time.Second).String()
		}
		msg := fmt.Sprintf("[%3d/%d] %s %s %s %s rep %d/%d · elapsed %s · ~%s left",
			done+1, total, rw.Flavour, rw.Kernel, rw.Config, m, rep+1, *reps, time.Since(start).Round(time.Second), left)
		if tty {
			fmt.Fprintf(os.Stderr, "\r\033[K%s", msg)
		} else {
			fmt.Fprintln(os.Stderr, msg)
		}
	}
	ctx := context.Background()
	for _, rw := range rows {
		c := kernels.Config{Ranks: rw.Ranks, Threads: rw.Threads}
		runs := map[kernels.Mode][]kernels.Result{}
		errs := map[kernels.Mode]string{}
		for _, m := range modes {
			if _, err := os.Stat(r.Binary(m, rw.Flavour, rw.Kernel)); err != nil {
				errs[m] = "not built (see make -C kernels " + map[kernels.Mode]string{kernels.Native: "native", kernels.Faasm: "wasm"}[m] + ")"
			}
		}
		for rep := 0; rep < *reps; rep++ {
			for _, m := range modes { // interleaved: native, faasm, native, faasm, ...
				if errs[m] != "" {
					done++
					continue
				}
				progress(rw, m, rep)
				res := r.Run(ctx, m, rw.Flavour, rw.Kernel, c, rw.Args)
				done++
				if res.Err != nil {
					errs[m] = res.Err.Error() + ": " + lastLine(res.Output)
					continue
				}
				runs[m] = append(runs[m], res)
			}
		}
		rw.Native = summarize(runs[kernels.Native], errs[kernels.Native])
		if len(modes) > 1 {
			rw.Faasm = summarize(runs[kernels.Faasm], errs[kernels.Faasm])
		}
		if rw.Native.Error == "" && rw.Faasm.Error == "" && rw.Native.MedianS > 0 && rw.Faasm.MedianS > 0 {
			rw.Ratio = rw.Faasm.MedianS / rw.Native.MedianS
		}
	}
	if tty {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
	fmt.Fprintf(os.Stderr, "kernels: %d runs in %s\n", done, time.Since(start).Round(time.Second))

	rep := &report{Date: time.Now().UTC().Format(time.RFC3339), CPUs: runtime.NumCPU(), Reps: *reps, Levels: levels, Rows: rows,
		GeoMean: geomeans(rows), Micro: gatherMicro(*out)}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("%v", err)
	}
	printTable(rep)
	printMicro(rep.Micro)
	data, _ := json.MarshalIndent(rep, "", "  ")
	write(filepath.Join(*out, "kernels.json"), string(data)+"\n")
	writeCharts(rep, *out)
}

func summarize(rs []kernels.Result, errMsg string) sample {
	s := sample{Error: errMsg}
	if len(rs) == 0 {
		return s
	}
	var t, w, cpu, rate []float64
	for _, r := range rs {
		t = append(t, r.AvgTime)
		w = append(w, r.Wall.Seconds())
		cpu = append(cpu, r.CPU.Seconds())
		rate = append(rate, r.Rate)
		s.Unit = r.Unit
	}
	s.RunsS = t
	s.MedianS, s.WallMedianS, s.CPUMedianS, s.RateMedian = median(t), median(w), median(cpu), median(rate)
	return s
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func geomeans(rows []*row) map[kernels.Flavour]map[string]float64 {
	sum := map[kernels.Flavour]map[string][]float64{}
	for _, r := range rows {
		if r.Ratio > 0 {
			if sum[r.Flavour] == nil {
				sum[r.Flavour] = map[string][]float64{}
			}
			sum[r.Flavour][r.Config] = append(sum[r.Flavour][r.Config], math.Log(r.Ratio))
		}
	}
	g := map[kernels.Flavour]map[string]float64{}
	for f, m := range sum {
		g[f] = map[string]float64{}
		for c, logs := range m {
			t := 0.0
			for _, l := range logs {
				t += l
			}
			g[f][c] = math.Exp(t / float64(len(logs)))
		}
	}
	return g
}

func fmtS(s sample) string {
	if s.Error != "" && s.MedianS == 0 {
		return "—"
	}
	return fmt.Sprintf("%.4g", s.MedianS)
}

func printTable(rep *report) {
	fmt.Printf("\nParRes kernels: median time per iteration (s) over %d runs, faasm/native ratio (* = more workers than the %d CPUs: oversubscribed)\n\n", rep.Reps, rep.CPUs)
	fmt.Printf("%-7s %-13s %-8s %12s %12s %8s %9s %9s %9s %9s\n", "flavour", "kernel", "config", "native", "faasm", "ratio",
		"native-wall", "faasm-wall", "native-cpu", "faasm-cpu")
	var notes []string
	for _, r := range rep.Rows {
		cfg := r.Config
		if r.Oversubscribed {
			cfg += "*"
		}
		ratio := "—"
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		fmt.Printf("%-7s %-13s %-8s %12s %12s %8s %9.2fs %9.2fs %9.2fs %9.2fs\n", r.Flavour, r.Kernel, cfg, fmtS(r.Native), fmtS(r.Faasm), ratio,
			r.Native.WallMedianS, r.Faasm.WallMedianS, r.Native.CPUMedianS, r.Faasm.CPUMedianS)
		for _, e := range []struct{ m, s string }{{"native", r.Native.Error}, {"faasm", r.Faasm.Error}} {
			if e.s != "" {
				notes = append(notes, fmt.Sprintf("%s %s %s %s: %s", r.Flavour, r.Kernel, r.Config, e.m, e.s))
			}
		}
	}
	fmt.Printf("\nGeometric mean faasm/native (targets: MPI <= 1.0 at np 2 and 4; OpenMP <= 1.25; no kernel above 1.5):\n")
	for _, f := range kernels.Flavours {
		m := rep.GeoMean[f]
		if len(m) == 0 {
			fmt.Printf("  %-7s no faasm results\n", f)
			continue
		}
		var parts []string
		for _, l := range rep.Levels {
			c := config(f, l).Label(f)
			if v, ok := m[c]; ok {
				parts = append(parts, fmt.Sprintf("%s %.2f", c, v))
			}
		}
		fmt.Printf("  %-7s %s\n", f, strings.Join(parts, "   "))
	}
	for _, r := range rep.Rows {
		if r.Ratio > 1.5 {
			fmt.Printf("  above 1.5: %s %s %s (%.2f)\n", r.Flavour, r.Kernel, r.Config, r.Ratio)
		}
	}
	if len(notes) > 0 {
		fmt.Printf("\nNot measured:\n")
		seen := map[string]bool{}
		for _, n := range notes {
			if !seen[n] {
				seen[n] = true
				fmt.Printf("  %s\n", n)
			}
		}
	}
}

// gatherMicro reads the other benchmarks' JSON files in dir.
func gatherMicro(dir string) map[string]json.RawMessage {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	m := map[string]json.RawMessage{}
	for _, f := range files {
		base := filepath.Base(f)
		if base == "kernels.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil || !json.Valid(data) {
			continue
		}
		m[strings.TrimSuffix(base, ".json")] = json.RawMessage(data)
	}
	return m
}

// printMicro prints each gathered file compactly: one line per object.
func printMicro(m map[string]json.RawMessage) {
	if len(m) == 0 {
		return
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("\nOther benchmarks in this report:\n")
	for _, n := range names {
		var v any
		_ = json.Unmarshal(m[n], &v)
		fmt.Printf("  %s:\n", n)
		var objs []any
		switch t := v.(type) {
		case []any:
			objs = t
		default:
			objs = []any{t}
		}
		for _, o := range objs {
			fmt.Printf("    %s\n", flat(o))
		}
	}
}

func flat(v any) string {
	obj, ok := v.(map[string]any)
	if !ok {
		b, _ := json.Marshal(v)
		return string(b)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		switch x := obj[k].(type) {
		case float64:
			parts = append(parts, fmt.Sprintf("%s=%.4g", k, x))
		case string:
			parts = append(parts, k+"="+x)
		default:
			b, _ := json.Marshal(x)
			if len(b) > 40 {
				b = append(b[:37], "..."...)
			}
			parts = append(parts, k+"="+string(b))
		}
	}
	s := strings.Join(parts, " ")
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

func writeCharts(rep *report, out string) {
	// Ratio per kernel, one bar per level.
	var cats []string
	idx := map[string]int{}
	for _, r := range rep.Rows {
		k := string(r.Flavour) + "/" + r.Kernel
		if _, ok := idx[k]; !ok {
			idx[k] = len(cats)
			cats = append(cats, k)
		}
	}
	var groups []string
	vals := make([][]float64, len(rep.Levels))
	for li, l := range rep.Levels {
		g := fmt.Sprintf("%d ranks/threads", l)
		if l > rep.CPUs {
			g += " (oversubscribed)"
		}
		groups = append(groups, g)
		vals[li] = make([]float64, len(cats))
		for i := range vals[li] {
			vals[li][i] = math.NaN()
		}
	}
	for _, r := range rep.Rows {
		for li, l := range rep.Levels {
			if r.Ranks*r.Threads == l && r.Ratio > 0 {
				vals[li][idx[string(r.Flavour)+"/"+r.Kernel]] = r.Ratio
			}
		}
	}
	w := math.Max(700, float64(len(cats))*45+100)
	write(filepath.Join(out, "kernels-ratio.svg"), svg.Document("", 1, w, 420,
		svg.Bars{Title: "faasm / native time per iteration (lower is better; 1 = native)", YLabel: "faasm / native",
			Categories: cats, Groups: groups, Values: vals, RefLine: 1, RefLabel: "native"}))

	// Time against ranks/threads, one panel per kernel, one file per flavour.
	for _, f := range kernels.Flavours {
		var charts []svg.Chart
		for _, k := range kernels.All {
			var nat, fa []svg.Point
			for _, r := range rep.Rows {
				if r.Flavour != f || r.Kernel != k.Name {
					continue
				}
				x := float64(r.Ranks * r.Threads)
				nat = append(nat, svg.Point{X: x, Y: orNaN(r.Native.MedianS)})
				fa = append(fa, svg.Point{X: x, Y: orNaN(r.Faasm.MedianS)})
			}
			if len(nat) == 0 {
				continue
			}
			xl := map[kernels.Flavour]string{kernels.MPI: "ranks", kernels.OpenMP: "threads", kernels.Hybrid: "ranks x threads (1x1, 1x2, 2x2)"}[f]
			charts = append(charts, svg.Lines{Title: k.Name, XLabel: xl, YLabel: "s / iteration", LogX: true,
				XNote:  fmt.Sprintf("more than %d: oversubscribed", rep.CPUs),
				Series: []svg.Series{{Name: "native", Points: nat}, {Name: "faasm", Points: fa, Dashed: true}}})
		}
		if len(charts) == 0 {
			continue
		}
		write(filepath.Join(out, "kernels-time-"+string(f)+".svg"),
			svg.Document(fmt.Sprintf("%s kernels: median time per iteration", f), 3, 330, 260, charts...))
	}
}

func orNaN(v float64) float64 {
	if v <= 0 {
		return math.NaN()
	}
	return v
}

func write(path, s string) {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		fatalf("%v", err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s\n", path)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "kbench: "+format+"\n", a...)
	os.Exit(1)
}
