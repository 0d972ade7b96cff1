package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/linker"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/job"
)

func cmdValidate(args []string) int {
	if len(args) == 0 {
		return fail(2, "validate: no module given (usage: faasm validate app.wasm...)")
	}
	code := 0
	for _, path := range args {
		wasm, err := os.ReadFile(path)
		if err != nil {
			code = fail(1, "%s: %v", filepath.Base(path), err)
			continue
		}
		rep, err := linker.Validate(wasm, linker.Limits{})
		if err != nil {
			code = fail(1, "%s: %s", filepath.Base(path), oneLine(err))
			continue
		}
		fmt.Printf("%s: ok (%d imports, memory %d..%d pages)\n", path, len(rep.Imports), rep.MemoryMinPages, rep.MemoryMaxPages)
	}
	return code
}

func cmdCompile(args []string) int {
	if len(args) == 0 {
		return fail(2, "compile: no module given (usage: faasm compile app.wasm...)")
	}
	e, err := job.NewEngine(engine.Options{})
	if err != nil {
		return fail(1, "compile: %v", err)
	}
	code := 0
	for _, path := range args {
		m, entry, err := job.Load(e, path, "", false)
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
