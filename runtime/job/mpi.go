package job

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/host/faasm"
	"github.com/faasm-go/faasm/runtime/host/faasmpi"
	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
	"github.com/faasm-go/faasm/runtime/omp"
	"github.com/faasm-go/faasm/runtime/procs"
)

// abortGrace is how long a failed MPI job (MPI_Abort, a dead rank, a
// deadlock) waits for ranks that are computing outside MPI before the job
// ends without them. Ranks blocked in MPI wake at once; a rank in pure
// compute notices at its next MPI call, or is interrupted at once when the
// engine is interruptible (--timeout). Plain engines are the default because
// epoch checks cost every loop back-edge (RATIONALE: epoch interruption is
// opt-in); the CLI exits after the grace period either way.
const abortGrace = 2 * time.Second

// singleRank is the one-rank world of a job run without -np, so MPI
// programs work at -np 1 too.
func singleRank(spec Spec) (*faasmpi.Job, *mpi.Rank) {
	w, err := mpi.NewWorld(mpi.Config{Size: 1, Transport: inproc.New(1), Name: filepath.Base(spec.Path), EagerLimit: spec.EagerLimit})
	if err != nil {
		panic(err) // size 1 with a transport cannot fail
	}
	return &faasmpi.Job{World: w}, w.Rank(0)
}

// rankResult is how one rank's Faaslet ended.
type rankResult struct {
	code  int
	err   error
	ended bool // stopped because the job failed under it
	at    time.Time
}

// runRanks runs spec.NP ranks of an MPI job (like mpirun): one Faaslet per
// rank on its own goroutine, all in one world with its own transport, so
// several jobs in one process never share ids or messages. Each rank's
// stdout and stderr go through a pipe and reach the real streams as whole
// lines. The job's exit code is MPI_Abort's code, or the first non-zero
// rank exit code; a job failure (abort, a rank that died while others
// waited, a deadlock) is reported once, in Result.Err.
func runRanks(spec Spec) (*Result, error) {
	e, err := NewEngine(engine.Options{Interruptible: spec.Timeout > 0})
	if err != nil {
		return nil, err
	}
	m, entry, err := loadSpec(e, spec)
	if err != nil {
		return nil, err
	}
	defer m.Close()

	n := spec.NP
	name := filepath.Base(spec.Path)
	tr := inproc.New(n)
	defer tr.Close()
	w, err := mpi.NewWorld(mpi.Config{Size: n, Transport: tr, Name: name, EagerLimit: spec.EagerLimit})
	if err != nil {
		return nil, err
	}
	var stdout, stderr io.Writer = os.Stdout, os.Stderr
	outMux, errMux := &lineWriter{w: stdout}, &lineWriter{w: stderr}
	mj := &faasmpi.Job{World: w, Stderr: errMux}
	host := NewFaasmHost(spec.Input)

	results := make([]rankResult, n)
	var pipes []*rankPipe
	var wg, fwd sync.WaitGroup
	for i := range n {
		cfg := engine.Config{
			Args:           append([]string{name}, spec.Args...),
			Env:            spec.Env,
			Stdin:          spec.Stdin,
			Stdout:         spec.Stdout,
			Stderr:         spec.Stderr,
			Preopens:       spec.Dirs,
			MaxMemoryBytes: spec.MaxMemory,
			HugePages:      !spec.NoHugePages,
		}
		if i != 0 && spec.Stdin == "" {
			cfg.Stdin = os.DevNull // like mpirun: only rank 0 reads stdin
		}
		for _, s := range []struct {
			path *string
			mux  *lineWriter
		}{{&cfg.Stdout, outMux}, {&cfg.Stderr, errMux}} {
			if *s.path != "" {
				continue
			}
			p, err := newRankPipe(s.mux, &fwd)
			if err != nil {
				return nil, err
			}
			pipes = append(pipes, p)
			*s.path = p.path
		}
		wg.Add(1)
		go func(i int, cfg engine.Config) {
			defer wg.Done()
			results[i] = runRank(e, m, spec, cfg, host, mj, w.Rank(i))
		}(i, cfg)
	}

	var timer *time.Timer
	if spec.Timeout > 0 {
		timer = time.AfterFunc(spec.Timeout, e.Interrupt)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-w.Done():
		if spec.Timeout > 0 {
			e.Interrupt()
		}
		select {
		case <-done:
		case <-time.After(abortGrace):
		}
	}
	if timer != nil {
		timer.Stop()
	}
	for _, p := range pipes {
		p.w.Close() // the guests' ends are closed with their Faaslets
	}
	fwdDone := make(chan struct{})
	go func() { fwd.Wait(); close(fwdDone) }()
	select {
	case <-fwdDone:
	case <-time.After(abortGrace):
	}

	if os.Getenv("FAASM_MPI_STATS") != "" {
		for i := range n {
			sends, recvs, colls := w.Rank(i).FastCounts()
			fmt.Fprintf(stderr, "faasm: rank %d: %d sends, %d receives and %d collectives took the fast path\n", i, sends, recvs, colls)
		}
	}
	res := &Result{Output: host.Call.Output(), CacheHit: entry.Hit, Compile: entry.CompileTime}
	res.ExitCode, res.Err = jobOutcome(w, results, spec.Timeout)
	return res, nil
}

// runRank runs one rank's Faaslet to completion and tells the world how it
// ended.
func runRank(e *engine.Engine, m *engine.Module, spec Spec, cfg engine.Config, host *faasm.Host, mj *faasmpi.Job, r *mpi.Rank) (res rankResult) {
	defer func() { res.at = time.Now() }()
	rt := omp.New(omp.Config{NumCPU: spec.OMPCores, Private: spec.OMPPrivate})
	team := newOMPTeam(e, m, cfg, host, rt)
	defer team.close()
	cfg.Data = &Context{Faasm: host, Faasmp: team.hostFor(true), MPI: faasmpi.NewHost(mj, r)}
	f, err := e.NewFaaslet(m, cfg)
	if err != nil {
		r.Exit(err)
		return rankResult{code: ExitFailure, err: err}
	}
	defer f.Close()
	procs.Add(1)
	done := procs.GuestThread()
	code, runErr := f.Run("_start")
	done()
	procs.Add(-1)
	var ended *faasmpi.JobEnded
	if errors.As(runErr, &ended) {
		r.Exit(runErr)
		return rankResult{ended: true}
	}
	ec, eerr := explain(code, runErr, spec.Timeout)
	if tc, terr, ok := threadFailure(rt, spec.Timeout); ok {
		ec, eerr = tc, terr
	}
	why := eerr
	if why == nil {
		why = fmt.Errorf("exit code %d", ec)
	}
	r.Exit(why)
	return rankResult{code: ec, err: eerr}
}

// jobOutcome turns the ranks' ends into the job's exit code and message.
func jobOutcome(w *mpi.World, results []rankResult, timeout time.Duration) (int, error) {
	if code, ok := w.AbortCode(); ok {
		return code, nil // the aborting rank's message (if any) is already printed
	}
	// The first rank (in time) that failed by itself.
	first := -1
	for i, r := range results {
		if r.ended || (r.code == 0 && r.err == nil) {
			continue
		}
		if first < 0 || r.at.Before(results[first].at) {
			first = i
		}
	}
	if err := w.Err(); err != nil {
		code := ExitFailure
		if first >= 0 && results[first].code != 0 {
			code = results[first].code
		}
		if errors.Is(err, mpi.ErrDeadlock) {
			return code, err
		}
		if first >= 0 {
			r := results[first]
			if r.err != nil {
				return code, fmt.Errorf("rank %d: %v; the other ranks were stopped", first, r.err)
			}
			return code, fmt.Errorf("rank %d exited with code %d without MPI_Finalize while other ranks were in MPI", first, r.code)
		}
		for _, r := range results {
			if r.ended {
				return code, err
			}
		}
	}
	if first >= 0 {
		r := results[first]
		if r.err != nil {
			return r.code, fmt.Errorf("rank %d: %w", first, r.err)
		}
		return r.code, nil
	}
	return 0, nil
}

// lineWriter serialises whole lines from several ranks onto one stream.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// rankPipe carries one rank's stream: wasmtime's WASI opens the write end by
// path (/proc/self/fd/N), and a goroutine forwards whole lines.
type rankPipe struct {
	w    *os.File
	path string
}

func newRankPipe(dst *lineWriter, wg *sync.WaitGroup) (*rankPipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p := &rankPipe{w: w, path: fmt.Sprintf("/proc/self/fd/%d", w.Fd())}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer r.Close()
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				dst.Write(line)
			}
			if err != nil {
				return
			}
		}
	}()
	return p, nil
}
