package gen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/faasm-go/faasm/hostabi"
)

// CHeader renders module m's prototypes. Each carries import_module and
// import_name attributes (the wasi-libc api.h style), so wasm-ld turns a call
// into exactly that import and still rejects typos: no --allow-undefined.
func CHeader(m *hostabi.Module) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	guard := "FAASM_HOST_" + strings.ToUpper(m.Name) + "_H"

	w("/* %s */\n\n", Header)
	w("/*\n * Imports of the %q host module.\n *\n", m.Name)
	writeCComment(&b, " * ", m.Doc)
	w(" *\n * Generated from the hostabi table (hostabi/%s.go); see docs/hostabi.md.\n */\n\n", m.Name)
	w("#ifndef %s\n#define %s\n\n#include <stdint.h>\n\n", guard, guard)
	w("#ifdef __cplusplus\nextern \"C\" {\n#endif\n")

	if len(m.Consts) > 0 {
		w("\n/* Values shared with the host. */\n")
		for _, c := range m.Consts {
			if c.Doc != "" {
				w("/* %s */\n", strings.ReplaceAll(c.Doc, "*/", "* /"))
			}
			w("#define %s (%s)\n", c.Name, cLiteral(c.Value))
		}
	}

	for _, f := range m.Funcs {
		w("\n/*\n")
		writeCComment(&b, " * ", fmt.Sprintf("%s.%s %s", m.Name, f.Name, f.Signature()))
		if f.Doc != "" {
			w(" *\n")
			writeCComment(&b, " * ", f.Doc)
		}
		if f.Support != hostabi.Full {
			w(" *\n")
			writeCComment(&b, " * ", "Support: "+f.Support.String()+noteSuffix(f.Note))
		}
		w(" */\n")
		w("%s;\n", CPrototype(m, &f))
	}

	w("\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* %s */\n", guard)
	return b.Bytes()
}

// CPrototype is f's declaration, attributes included, without the semicolon.
func CPrototype(m *hostabi.Module, f *hostabi.Func) string {
	ret := "void"
	if len(f.Results) == 1 {
		ret = CType(f.Results[0])
	}
	ps := make([]string, len(f.Params))
	for i, p := range f.Params {
		ps[i] = cParam(CType(p), p.Name)
	}
	params := "void"
	if len(ps) > 0 {
		params = strings.Join(ps, ", ")
	}
	attrs := fmt.Sprintf("__import_module__(%q), __import_name__(%q)", m.Name, f.Name)
	if f.NoReturn {
		attrs = "__noreturn__, " + attrs
	}
	return fmt.Sprintf("%s %s(%s)\n    __attribute__((%s))", ret, CSymbol(m.Name, f.Name), params, attrs)
}

// cParam joins a C type and a name, keeping "char *p" rather than "char * p".
func cParam(ctype, name string) string {
	if strings.HasSuffix(ctype, "*") {
		return ctype + name
	}
	return ctype + " " + name
}

// cLiteral writes v so that C gives it the intended value and a 64-bit type
// only when it needs one.
func cLiteral(v int64) string {
	switch {
	case v == -1<<63:
		return "(-0x7fffffffffffffffLL - 1)"
	case v < -1<<31 || v > 1<<31-1:
		return fmt.Sprintf("%dLL", v)
	case v == -1<<31:
		return "(-0x7fffffff - 1)"
	}
	return fmt.Sprintf("%d", v)
}

func writeCComment(b *bytes.Buffer, prefix, text string) {
	const width = 96
	text = strings.ReplaceAll(text, "*/", "* /")
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			fmt.Fprintf(b, "%s%s\n", prefix, line)
			line = ""
		}
		if line == "" {
			line = word
		} else {
			line += " " + word
		}
	}
	if line != "" {
		fmt.Fprintf(b, "%s%s\n", prefix, line)
	}
}
