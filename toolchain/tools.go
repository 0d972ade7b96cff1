// This file implements finding the LLVM tools the driver runs. Debian installs
// them with a version suffix (clang-19, wasm-ld-19); the unversioned name is
// the fallback for other installs (tinygo builder/commands.go does the same).
package toolchain

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// LLVMMajor is the LLVM release the driver and sysroot are built for.
const LLVMMajor = "19"

// toolEnv lets a user point at a specific binary, e.g. FAASM_CLANG=/opt/llvm/bin/clang.
var toolEnv = map[string]string{
	"clang":       "FAASM_CLANG",
	"clang++":     "FAASM_CLANGXX",
	"wasm-ld":     "FAASM_WASM_LD",
	"llvm-ar":     "FAASM_AR",
	"llvm-ranlib": "FAASM_RANLIB",
	"llvm-nm":     "FAASM_NM",
}

// candidates lists the names tried for a tool, versioned first.
func candidates(tool string) []string {
	return []string{tool + "-" + LLVMMajor, tool}
}

// findTool returns the path of an LLVM tool or an error naming every
// candidate tried.
func findTool(tool string) (string, error) {
	if env := toolEnv[tool]; env != "" {
		if p := os.Getenv(env); p != "" {
			path, err := exec.LookPath(p)
			if err != nil {
				return "", fmt.Errorf("%s=%s: %w", env, p, err)
			}
			return path, nil
		}
	}
	names := candidates(tool)
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s-%s not found (install Debian packages: make deps; tried %s on PATH)",
		tool, LLVMMajor, strings.Join(names, ", "))
}

// clangVersion returns clang's first --version line ("Debian clang version 19.1.7 ...").
func clangVersion(clang string) string {
	out, err := exec.Command(clang, "--version").Output()
	if err != nil {
		return "unknown"
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}
