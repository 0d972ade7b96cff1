package linker

import "fmt"

// Report describes a module that passed validation.
type Report struct {
	Size   int    // bytes
	SHA256 string // hex digest of the binary

	Imports []Import // in import-section order
	Exports []Export // in export-section order

	MemoryMinPages uint32
	// MemoryMaxPages is the declared maximum, or the 4 GiB wasm32 ceiling
	// (65536) when the module declares none (see MemoryMaxDeclared).
	MemoryMaxPages    uint32
	MemoryMaxDeclared bool

	HasNameSection bool // function names for backtraces
	// Notes are observations that do not make the module invalid (e.g. no
	// memory maximum).
	Notes []string
}

// Import is one function import and the signature it was checked against.
type Import struct {
	Module, Name string
	Signature    string // e.g. "(i32,i32)->i32"
}

func (i Import) String() string { return fmt.Sprintf("%s.%s %s", i.Module, i.Name, i.Signature) }

// Export is one export and its kind ("func", "memory", "table", "global").
type Export struct {
	Name string
	Kind string
}
