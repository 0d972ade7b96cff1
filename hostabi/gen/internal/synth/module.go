// Package synth is a made-up host module that uses every parameter kind and
// width, so the generator's trampolines are compiled and exercised for
// shapes the real modules do not have yet (i64, floats, handles, constants).
// zz_generated.go is rewritten by `go test ./hostabi/gen -update`.
package synth

import "github.com/faasm-go/faasm/hostabi"

// Module is the table entry the bindings are generated from.
var Module = hostabi.Module{
	Name: "synth",
	Doc:  "A test-only module covering every parameter kind.",
	Funcs: []hostabi.Func{
		{
			Name:    "mix",
			Params:  []hostabi.Param{hostabi.Int32("a"), hostabi.Uint32("b"), hostabi.Int64("c"), hostabi.Uint64("d"), hostabi.Ptr("p", "const void *"), hostabi.Handle("type")},
			Results: []hostabi.Param{hostabi.Int64("r")},
			Support: hostabi.Full,
			Doc:     "Takes one of each integer kind.",
		},
		{
			Name:    "scale",
			Params:  []hostabi.Param{hostabi.Float32("x"), hostabi.Float64("y")},
			Results: []hostabi.Param{hostabi.Float64("r")},
			Support: hostabi.Partial,
			Note:    "only finite values",
			Doc:     "Multiplies floats.",
		},
		{
			Name:    "neg",
			Params:  []hostabi.Param{hostabi.Int32("v")},
			Results: []hostabi.Param{hostabi.Int32("r")},
			Support: hostabi.Full,
			Doc:     "Negates v; checks sign handling of i32 results.",
		},
		{
			Name:     "halt",
			Support:  hostabi.Stub,
			Note:     "never implemented",
			NoReturn: true,
			Doc:      "Never returns.",
		},
	},
	Consts: []hostabi.Const{
		{Name: "SYN_ANSWER", Value: 42, Doc: "The answer."},
		{Name: "SYN_MIN", Value: -1 << 31},
		{Name: "SYN_BIG", GoName: "Big", Value: 1 << 40},
	},
}

func init() {
	// The generated HostFuncs look their entries up in hostabi.Modules.
	hostabi.Modules = append(hostabi.Modules, &Module)
}
