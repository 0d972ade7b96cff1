// Command faasm-cc is faasm's C/C++ compiler driver for wasm32-wasi. One
// binary answers many names (faasm-c++, faasm-mpicc, faasm-ar, faasm-cmake,
// ...): the name it runs under picks the tool. `faasm-cc install-links DIR`
// creates the names; `faasm-cc env` prints the resolved toolchain. See
// package toolchain.
package main

import (
	"os"

	"github.com/faasm-go/faasm/toolchain"
)

func main() {
	os.Exit(toolchain.Main(os.Args))
}
