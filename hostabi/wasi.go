package hostabi

// WASI is wasi_snapshot_preview1 as wasmtime provides it. The runtime does not
// implement these; the table exists so the linker can check a module's WASI
// imports and the docs can list them.
var WASI = Module{
	Name:     "wasi_snapshot_preview1",
	Doc:      "WASI preview 1, provided by wasmtime.",
	Provided: true,
	// TODO(hostabi helper): every function wasi-libc may import, with signatures.
}
