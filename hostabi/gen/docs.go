package gen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/faasm-go/faasm/hostabi"
)

// Docs renders docs/hostabi.md: one table per module, after gVisor's
// generated syscall tables, so users can see what a guest may import and how
// completely each import works.
func Docs(modules []*hostabi.Module) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("<!-- %s -->\n\n", Header)
	w("# Host ABI\n\n")
	w("Every import a faasm guest may use. `faasm validate` rejects a module that imports anything\n")
	w("else, or imports one of these with another signature. The table lives in `hostabi/`;\n")
	w("change it there and run `go generate ./hostabi`.\n\n")
	w("Table version (part of AOT cache keys): see `hostabi.Version()`.\n\n")
	w("Support levels: **full** (documented semantics), **partial** (see the note), **stub** (links, but\n")
	w("calling it fails with a clear error).\n")

	for _, m := range modules {
		w("\n## `%s`\n\n", m.Name)
		w("%s\n\n", mdEscape(m.Doc))
		if m.Provided {
			w("Provided by wasmtime's WASI implementation: faasm generates no header or bindings for it;\n")
			w("guests reach it through wasi-libc.\n\n")
		} else {
			w("C header: `%s` (include as `<faasm/host_%s.h>`). Go bindings: `%s`.\n\n",
				HeaderPath(m), m.Name, strings.TrimSuffix(GoPath(m), "/zz_generated.go"))
		}
		if m.Provided {
			w("| name | signature | support | note | doc |\n|---|---|---|---|---|\n")
		} else {
			w("| name | signature | C prototype | support | note | doc |\n|---|---|---|---|---|---|\n")
		}
		for i := range m.Funcs {
			f := &m.Funcs[i]
			sig := "`" + f.Signature() + "`"
			if f.NoReturn {
				sig += " (noreturn)"
			}
			if m.Provided {
				w("| `%s` | %s | %s | %s | %s |\n", f.Name, sig, f.Support, mdEscape(f.Note), mdEscape(f.Doc))
				continue
			}
			proto := strings.Join(strings.Fields(CPrototype(m, f)), " ")
			w("| `%s` | %s | `%s` | %s | %s | %s |\n", f.Name, sig, proto, f.Support, mdEscape(f.Note), mdEscape(f.Doc))
		}
		if len(m.Consts) > 0 {
			w("\n| constant | value | doc |\n|---|---|---|\n")
			for _, c := range m.Consts {
				w("| `%s` | %d | %s |\n", c.Name, c.Value, mdEscape(c.Doc))
			}
		}
	}
	return b.Bytes()
}

func mdEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
