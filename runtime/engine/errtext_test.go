package engine

import "testing"

func TestSummarize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"one line", "unknown import: `env::f` has not been defined", "unknown import: `env::f` has not been defined"},
		{"causes and backtrace", `failed to compile: wasm[0]::function[0]

Caused by:
    0: WebAssembly translation error
    1: Invalid input WebAssembly code at offset 49: type mismatch: expected i32 but nothing on stack

Stack backtrace:
   0: <E as anyhow::context::ext::StdError>::ext_context
   1: rayon_core::join::join_context::{{closure}}`,
			"failed to compile: wasm[0]::function[0]: Invalid input WebAssembly code at offset 49: type mismatch: expected i32 but nothing on stack"},
		{"single cause", "error while executing at wasm backtrace:\n    0:   0x5 - <unknown>!f\n\nCaused by:\n    exit with invalid exit status outside of [0..126)\n",
			"error while executing at wasm backtrace: exit with invalid exit status outside of [0..126)"},
		{"backtrace only", "boom\n\nStack backtrace:\n   0: x", "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summarize(tc.in); got != tc.want {
				t.Errorf("summarize:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
