package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/faasm-go/faasm/linker"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/job"
)

// startupResult is one module's Faaslet start-up measurement.
type startupResult struct {
	Module        string  `json:"module"`
	ModuleBytes   int     `json:"module_bytes"`
	CompileMs     float64 `json:"compile_ms"` // one-time AOT compile
	LoadMs        float64 `json:"load_ms"`    // deserialise the cached artefact
	Samples       int     `json:"samples"`
	InstMedianUs  float64 `json:"instantiate_median_us"` // store + WASI + instantiate
	InstP99Us     float64 `json:"instantiate_p99_us"`
	StartMedianUs float64 `json:"start_median_us"` // instantiate + run an empty main + tear down
	StartP99Us    float64 `json:"start_p99_us"`
	// A warm Faaslet reset to the snapshot taken after instantiation, then
	// run: what a warm pool pays per request instead of instantiating.
	RestoreMedianUs   float64 `json:"restore_median_us"`
	WarmStartMedianUs float64 `json:"warm_start_median_us"` // restore + run the empty main
}

func cmdBench(args []string) int {
	if len(args) == 0 || args[0] != "startup" {
		return fail(2, "bench: usage: faasm bench startup [-n N] [-json FILE] module.wasm...")
	}
	fs := flag.NewFlagSet("bench startup", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("n", 2000, "samples per module")
	jsonOut := fs.String("json", "", "also write results as JSON to this file")
	if err := fs.Parse(args[1:]); err != nil {
		return fail(2, "bench startup: %v", err)
	}
	if fs.NArg() == 0 {
		return fail(2, "bench startup: no module given")
	}
	var results []startupResult
	for _, path := range fs.Args() {
		r, err := benchStartup(path, *n)
		if err != nil {
			return fail(1, "bench startup: %s: %s", filepath.Base(path), oneLine(err))
		}
		results = append(results, *r)
	}
	fmt.Printf("%-22s %9s %11s %9s %14s %11s %14s %11s %14s %12s\n", "faaslet start-up", "size", "compile", "load",
		"inst median", "inst p99", "start median", "start p99", "restore median", "warm start")
	for _, r := range results {
		fmt.Printf("%-22s %8.0fK %9.1fms %7.2fms %12.1fµs %9.1fµs %12.1fµs %9.1fµs %12.1fµs %10.1fµs\n", r.Module, float64(r.ModuleBytes)/1024,
			r.CompileMs, r.LoadMs, r.InstMedianUs, r.InstP99Us, r.StartMedianUs, r.StartP99Us, r.RestoreMedianUs, r.WarmStartMedianUs)
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			return fail(1, "bench startup: %v", err)
		}
	}
	return 0
}

func benchStartup(path string, n int) (*startupResult, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if _, err := linker.Validate(wasm, linker.Limits{}); err != nil {
		return nil, err
	}
	e, err := job.NewEngine(engine.Options{})
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	art, err := e.Precompile(wasm)
	if err != nil {
		return nil, err
	}
	compile := time.Since(t0)
	t0 = time.Now()
	m, err := e.LoadPrecompiled(art)
	if err != nil {
		return nil, err
	}
	load := time.Since(t0)
	defer m.Close()

	inst, start, err := timeRuns(n, "a new Faaslet", func() (*engine.Faaslet, error) { return newBenchFaaslet(e, m) },
		(*engine.Faaslet).Close)
	if err != nil {
		return nil, err
	}
	restore, warm, err := benchWarm(e, m, n)
	if err != nil {
		return nil, err
	}
	return &startupResult{
		Module:        filepath.Base(path),
		ModuleBytes:   len(wasm),
		CompileMs:     ms(compile),
		LoadMs:        ms(load),
		Samples:       n,
		InstMedianUs:  us(quantile(inst, 0.5)),
		InstP99Us:     us(quantile(inst, 0.99)),
		StartMedianUs: us(quantile(start, 0.5)),
		StartP99Us:    us(quantile(start, 0.99)),

		RestoreMedianUs:   us(quantile(restore, 0.5)),
		WarmStartMedianUs: us(quantile(warm, 0.5)),
	}, nil
}

// benchWarm times the warm path: one Faaslet, snapshotted once after
// instantiation, restored before every run.
func benchWarm(e *engine.Engine, m *engine.Module, n int) (restore, warm []time.Duration, err error) {
	f, err := newBenchFaaslet(e, m)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	snap, err := f.Snapshot()
	if err != nil {
		return nil, nil, err
	}
	return timeRuns(n, "a restored Faaslet", func() (*engine.Faaslet, error) { return f, f.Restore(snap) }, nil)
}

// newBenchFaaslet makes a Faaslet as faasm run does by default (huge-page
// advice included), so start-up is measured as jobs pay it.
func newBenchFaaslet(e *engine.Engine, m *engine.Module) (*engine.Faaslet, error) {
	ctx := &job.Context{Faasm: job.NewFaasmHost(nil)}
	return e.NewFaaslet(m, engine.Config{Args: []string{"bench"}, Stdout: os.DevNull, Data: ctx, HugePages: true})
}

// timeRuns gets a Faaslet from setup and runs its empty main, n+n/10
// times, and returns how long setup took and how long setup, run and done
// (which, if given, tears each Faaslet down) took together. The first tenth
// warms caches and is dropped.
func timeRuns(n int, what string, setup func() (*engine.Faaslet, error), done func(*engine.Faaslet)) (setupT, total []time.Duration, err error) {
	setupT = make([]time.Duration, 0, n)
	total = make([]time.Duration, 0, n)
	for i := 0; i < n+n/10; i++ {
		t0 := time.Now()
		f, err := setup()
		if err != nil {
			return nil, nil, err
		}
		t1 := time.Now()
		code, err := f.Run("_start")
		if done != nil {
			done(f)
		}
		t2 := time.Now()
		if err != nil || code != 0 {
			return nil, nil, fmt.Errorf("empty main exited %d on %s: %v", code, what, err)
		}
		if i >= n/10 {
			setupT = append(setupT, t1.Sub(t0))
			total = append(total, t2.Sub(t0))
		}
	}
	return setupT, total, nil
}

func quantile(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
