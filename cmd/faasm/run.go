package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/job"
	"github.com/faasm-go/faasm/runtime/procs"
)

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// byteSize parses sizes like 512MiB, 4G, 65536.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }
func (b *byteSize) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q (want e.g. 512MiB, 4GiB, 65536)", v)
	}
	return n * mult, nil
}

func cmdRun(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		np        = fs.Int("np", 1, "number of ranks (MPI jobs)")
		exports   stringList
		dirs      stringList
		maxMem    byteSize
		eager     byteSize
		timeout   = fs.Duration("timeout", 0, "stop the job after this long (e.g. 30s)")
		input     = fs.String("input", "", "call input (read with faasm's read_call_input)")
		inputFile = fs.String("input-file", "", "file whose contents are the call input")
		output    = fs.Bool("output", false, "print the call output on stdout after the run")
		noCache   = fs.Bool("no-cache", false, "compile in memory, bypassing the AOT cache")
		cacheDir  = fs.String("cache", "", "AOT cache directory (default $FAASM_CACHE/aot)")
		idleRT    = fs.Bool("idle-runtime", true, "with -np 2 or more, run faasm's own threads at SCHED_IDLE so they never preempt a rank (needs root or ulimit -e 20; else ignored)")
		hugePages = fs.Bool("huge-pages", true, "let the memory the guest grows into use transparent huge pages (=false: 4 KiB pages only)")
		ompMemory = fs.String("omp-memory", "shared", "how OpenMP threads share memory: shared (one memfd mapped by all) or private (copy-on-write copies exchanging diffs at synchronisation points)")
	)
	fs.IntVar(np, "n", 1, "same as -np")
	fs.Var(&exports, "x", "export VAR=VAL, or VAR from this environment, to the guest (repeatable)")
	fs.Var(&dirs, "dir", "make host directory HOST visible to the guest as GUEST: --dir HOST[:GUEST] (repeatable)")
	fs.Var(&maxMem, "max-memory", "cap the guest's linear memory (e.g. 1GiB)")
	fs.Var(&eager, "eager-limit", "largest MPI message sent eagerly (e.g. 4KiB; 0: none); larger ones are copied by the receiver straight from the sender (default 64KiB)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "usage: faasm run [flags] app.wasm [--] [args...]")
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			return 0
		}
		return fail(2, "run: %v (see faasm run -h)", err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return fail(2, "run: no module given (usage: faasm run [flags] app.wasm [--] [args...])")
	}
	path, guestArgs := rest[0], rest[1:]
	if len(guestArgs) > 0 && guestArgs[0] == "--" {
		guestArgs = guestArgs[1:]
	}
	if *np < 1 {
		return fail(2, "run: -np %d: need at least one rank", *np)
	}

	if eager < 0 || int64(eager) > math.MaxInt32 {
		return fail(2, "run: --eager-limit %d: want 0 to 2GiB", int64(eager))
	}
	if *ompMemory != "shared" && *ompMemory != "private" {
		return fail(2, "run: --omp-memory=%s: want shared or private", *ompMemory)
	}
	if *idleRT && *np > 1 {
		// Only ranks gain: a one-rank job's sole guest thread was hardly
		// preempted, and an OpenMP team turns it off anyway.
		procs.EnableIdleRuntime()
	}
	spec := job.Spec{
		OMPPrivate:  *ompMemory == "private",
		NP:          *np,
		Path:        path,
		Args:        guestArgs,
		MaxMemory:   int64(maxMem),
		NoHugePages: !*hugePages,
		Timeout:     *timeout,
		Input:       []byte(*input),
		NoCache:     *noCache,
		CacheDir:    *cacheDir,
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "eager-limit" {
			// Set explicitly, 0 means no eager messages at all (the core's
			// 0 is its default).
			spec.EagerLimit = int(eager)
			if eager == 0 {
				spec.EagerLimit = -1
			}
		}
	})
	if *inputFile != "" {
		b, err := os.ReadFile(*inputFile)
		if err != nil {
			return fail(2, "run: --input-file: %v", err)
		}
		spec.Input = b
	}
	// OpenMP's environment (OMP_NUM_THREADS, OMP_SCHEDULE, ...) reaches
	// the guest the way it reaches a native OpenMP program: from the
	// environment faasm run was started in. -x can still override it.
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "OMP_") {
			spec.Env = append(spec.Env, kv)
		}
	}
	for _, x := range exports {
		if k, _, ok := strings.Cut(x, "="); ok {
			if k == "" {
				return fail(2, "run: -x %q: empty variable name", x)
			}
			spec.Env = append(spec.Env, x)
		} else if v, ok := os.LookupEnv(x); ok {
			spec.Env = append(spec.Env, x+"="+v)
		}
	}
	for _, d := range dirs {
		host, guest, ok := strings.Cut(d, ":")
		if !ok {
			guest = host
		}
		st, err := os.Stat(host)
		if err != nil {
			return fail(2, "run: --dir %s: %v", d, err)
		}
		if !st.IsDir() {
			return fail(2, "run: --dir %s: not a directory", d)
		}
		spec.Dirs = append(spec.Dirs, engine.Preopen{Host: host, Guest: guest})
	}

	spec.Env = lastWins(spec.Env)
	res, err := job.Run(spec)
	if err != nil {
		return fail(1, "%s: %v", filepath.Base(path), oneLine(err))
	}
	if *output {
		os.Stdout.Write(res.Output)
	}
	if res.Err != nil {
		fmt.Fprintf(os.Stderr, "faasm: %s: %s\n", filepath.Base(path), oneLine(res.Err))
	}
	return res.ExitCode
}

// oneLine keeps multi-problem errors (validation reports) readable while
// making sure a single-line error stays on one line.
func oneLine(err error) string {
	s := strings.TrimRight(err.Error(), "\n")
	if strings.Contains(s, "\n") {
		return strings.ReplaceAll(s, "\n", "\n  ")
	}
	return s
}

// lastWins drops earlier KEY=VALUE entries whose key appears again later, so
// -x overrides what came from the environment (wasi-libc's getenv returns
// the first match).
func lastWins(env []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(env))
	for i := len(env) - 1; i >= 0; i-- {
		k, _, _ := strings.Cut(env[i], "=")
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, env[i])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
