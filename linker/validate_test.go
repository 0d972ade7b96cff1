package linker_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/linker"
)

func TestValidate_ok(t *testing.T) {
	m := validMod()
	m.nameSect = true
	bin := m.bytes()
	rep, err := linker.Validate(bin, linker.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Size != len(bin) || len(rep.SHA256) != 64 || !rep.HasNameSection {
		t.Errorf("report = %+v", rep)
	}
	if len(rep.Imports) != 1 || rep.Imports[0].String() != "faasm.write_call_output (i32,i32)->()" {
		t.Errorf("imports = %v", rep.Imports)
	}
	if rep.MemoryMinPages != 1 || rep.MemoryMaxPages != 16 || !rep.MemoryMaxDeclared {
		t.Errorf("memory = %d..%d", rep.MemoryMinPages, rep.MemoryMaxPages)
	}
	if len(rep.Exports) != 2 || rep.Exports[0] != (linker.Export{Name: "_start", Kind: "func"}) {
		t.Errorf("exports = %v", rep.Exports)
	}

	// No maximum is allowed, and noted.
	m.memory = &[2]int64{2, -1}
	rep, err = linker.Validate(m.bytes(), linker.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MemoryMaxDeclared || rep.MemoryMaxPages != 65536 || len(rep.Notes) != 1 {
		t.Errorf("no-max report = %+v", rep)
	}
}

func TestValidate_errors(t *testing.T) {
	tests := []struct {
		name string
		edit func(*mod)
		bin  []byte // instead of edit
		lim  linker.Limits
		kind error
		want []string // ERROR: lines, in order
	}{
		{name: "bad magic", bin: []byte("\x7fELF\x02\x01\x01\x00"), kind: linker.ErrNotWasm,
			want: []string{"not a WebAssembly module (bad magic)"}},
		{name: "empty", bin: nil, kind: linker.ErrNotWasm, want: []string{"not a WebAssembly module (bad magic)"}},
		{name: "version", bin: []byte("\x00asm\x02\x00\x00\x00"), kind: linker.ErrNotWasm,
			want: []string{"not a WebAssembly module (version 2, want 1)"}},
		{name: "component", bin: []byte("\x00asm\x0d\x00\x01\x00"), kind: linker.ErrNotWasm,
			want: []string{"not a WebAssembly core module (a component? layer 1): faasm runs core modules"}},
		{name: "truncated section", bin: func() []byte { b := validMod().bytes(); return b[:len(b)-2] }(), kind: linker.ErrCorrupt,
			want: []string{"corrupt module: section code: truncated: 4 bytes declared, 2 remain"}},
		{name: "huge count", bin: []byte("\x00asm\x01\x00\x00\x00\x06\x05\xff\xff\xff\xff\x0f"), kind: linker.ErrCorrupt,
			want: []string{"corrupt module: section global: vector of 4294967295 elements in 0 bytes"}},
		{name: "shared memory", bin: []byte("\x00asm\x01\x00\x00\x00\x05\x04\x01\x03\x01\x01"), kind: linker.ErrInvalid,
			want: []string{"memory is shared (linked with --shared-memory): faasm shares a private memory between threads itself; link without --shared-memory"}},
		{name: "typo import", kind: linker.ErrInvalid, edit: func(m *mod) {
			m.imports[0].name = "read_call_inptu"
		}, want: []string{"import[0] faasm.read_call_inptu: unknown import (module faasm has: read_call_input, write_call_output, fatal)"}},
		{name: "wrong signature and unknown module, all reported", kind: linker.ErrInvalid, edit: func(m *mod) {
			m.imports = []imp{
				{module: "faasm", name: "fatal", sig: sig{params: []valType{i32, i32}}},
				{module: "env", name: "foo", sig: sig{}},
				{module: "wasi_snapshot_preview1", name: "fd_seek", sig: sig{params: []valType{i32, i32, i32, i32}, results: []valType{i32}}},
			}
			m.exports[0].index = 3
		}, want: []string{
			"import[0] faasm.fatal: signature (i32,i32)->(), want (i32,i32,i32)->()",
			`import[1] env.foo: unknown import module "env" (faasm provides: faasm, faasmp, faasmpi, wasi_snapshot_preview1)`,
			"import[2] wasi_snapshot_preview1.fd_seek: signature (i32,i32,i32,i32)->i32, want (i32,i64,i32,i32)->i32",
		}},
		{name: "imported memory", kind: linker.ErrInvalid, edit: func(m *mod) {
			m.imports = append(m.imports, imp{module: "env", name: "memory", kind: 2})
			m.memory = nil
			m.exports = m.exports[:1]
		}, want: []string{"import[1] env.memory: imported memory not supported: the module must define and export its memory (link without --import-memory)"}},
		{name: "imported table and global", kind: linker.ErrInvalid, edit: func(m *mod) {
			m.imports = append(m.imports, imp{module: "env", name: "__indirect_function_table", kind: 1},
				imp{module: "env", name: "__stack_pointer", kind: 3})
		}, want: []string{
			"import[1] env.__indirect_function_table: imported table not supported: the module must define its own table (link without --import-table)",
			"import[2] env.__stack_pointer: imported global not supported: faasm provides no globals",
		}},
		{name: "no start no memory export", kind: linker.ErrInvalid, edit: func(m *mod) { m.exports = nil },
			want: []string{
				"missing export _start: faasm runs WASI commands (link a main function, not a reactor or --no-entry)",
				`missing export memory: the module must export its memory as "memory"`,
			}},
		{name: "start signature", kind: linker.ErrInvalid, edit: func(m *mod) { m.funcs[0] = sig{results: []valType{i32}} },
			want: []string{"export _start: signature ()->i32, want ()->()"}},
		{name: "start is import", kind: linker.ErrInvalid, edit: func(m *mod) { m.exports[0].index = 0 },
			want: []string{"export _start: re-exports an import; the module must define _start"}},
		{name: "no memory", kind: linker.ErrInvalid, edit: func(m *mod) { m.memory = nil; m.exports = m.exports[:1] },
			want: []string{`no memory: the module must define and export its memory as "memory"`}},
		{name: "memory over limit", kind: linker.ErrInvalid, lim: linker.Limits{MaxMemoryBytes: 1 << 20},
			edit: func(m *mod) { m.memory = &[2]int64{17, 32} },
			want: []string{
				"memory minimum 17 pages (1088 KiB) exceeds the limit 1 MiB",
				"memory maximum 32 pages (2 MiB) exceeds the limit 1 MiB (link with --max-memory=1048576 or less)",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := tt.bin
			if tt.edit != nil {
				m := validMod()
				tt.edit(&m)
				bin = m.bytes()
			}
			rep, err := linker.Validate(bin, tt.lim)
			var ve *linker.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (report %+v), want a *ValidationError", err, rep)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
			}
			if got := strings.Join(ve.Problems, "\n"); got != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
			if err.Error() != strings.Join(ve.Problems, "\n") {
				t.Errorf("Error() is not the problems one per line: %q", err.Error())
			}
		})
	}
}
