package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/linker"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/job"
)

// moduleArgs parses the flags of validate and compile (-h and, for
// compile, --cache) and returns the module paths, or an exit code.
func moduleArgs(cmd string, args []string, cacheDir *string) ([]string, int, bool) {
	usage := fmt.Sprintf("usage: faasm %s [flags] app.wasm...", cmd)
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if cacheDir != nil {
		fs.StringVar(cacheDir, "cache", "", "AOT cache directory (default $FAASM_CACHE/aot)")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, usage)
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			return nil, 0, false
		}
		return nil, fail(2, "%s: %v (%s)", cmd, err, usage), false
	}
	if fs.NArg() == 0 {
		return nil, fail(2, "%s: no module given (%s)", cmd, usage), false
	}
	return fs.Args(), 0, true
}

func cmdValidate(args []string) int {
	args, code, ok := moduleArgs("validate", args, nil)
	if !ok {
		return code
	}
	// The linker checks what a Faaslet needs (imports, exports, memory);
	// the engine checks every function body, which the linker's decoder
	// does not read, so a module that passes here also compiles.
	e, err := job.NewEngine(engine.Options{})
	if err != nil {
		return fail(1, "validate: %v", err)
	}
	for _, path := range args {
		wasm, err := os.ReadFile(path)
		if err != nil {
			code = fail(1, "%s: %v", filepath.Base(path), err)
			continue
		}
		rep, err := linker.Validate(wasm, linker.Limits{})
		if err == nil {
			err = e.Validate(wasm)
		}
		if err != nil {
			code = fail(1, "%s: %s", filepath.Base(path), oneLine(err))
			continue
		}
		fmt.Printf("%s: ok (%d imports, memory %d..%d pages)\n", path, len(rep.Imports), rep.MemoryMinPages, rep.MemoryMaxPages)
	}
	return code
}

func cmdCompile(args []string) int {
	var cacheDir string
	args, code, ok := moduleArgs("compile", args, &cacheDir)
	if !ok {
		return code
	}
	e, err := job.NewEngine(engine.Options{})
	if err != nil {
		return fail(1, "compile: %v", err)
	}
	for _, path := range args {
		m, entry, err := job.Load(e, path, cacheDir, false)
		if err != nil {
			code = fail(1, "%s: %s", filepath.Base(path), oneLine(err))
			continue
		}
		m.Close()
		state := "compiled in " + entry.CompileTime.String()
		if entry.Hit {
			state = "cached"
		}
		fmt.Printf("%s: %s (%s)\n", path, state, entry.Key[:16])
	}
	return code
}

func cmdVersion() int {
	fmt.Printf("faasm %s\nhostabi %s\n", version, hostabi.Version())
	return 0
}
