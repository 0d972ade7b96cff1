package gen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/faasm-go/faasm/hostabi"
)

// goSource renders module m's bindings before gofmt. The trampolines are
// plain code, one per import, so a host call costs a type switch-free
// decode and one interface call (no reflection, STYLE §3.11).
func goSource(m *hostabi.Module) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("// %s\n\n", Header)
	w("// Package %s binds the %q host import module to Go.\n//\n", m.Name, m.Name)
	writeComment(&b, "", m.Doc)
	w("//\n// Implement Handler and pass HostFuncs to the engine. This file is generated\n")
	w("// from hostabi.%s by cmd/hostabigen.\n", "Modules")
	w("package %s\n\n", m.Name)
	w("import (\n")
	if hasNoReturn(m) {
		w("\t\"fmt\"\n")
	}
	if usesMath(m) {
		w("\t\"math\"\n")
	}
	w("\n\t\"github.com/faasm-go/faasm/hostabi\"\n)\n\n")
	w("// ModuleName is the wasm import module these functions are imported from.\n")
	w("const ModuleName = %q\n\n", m.Name)

	w("// Import names, as the guest's import section spells them.\nconst (\n")
	for _, f := range m.Funcs {
		w("\tFunc%s = %q\n", GoName(f.Name), f.Name)
	}
	w(")\n\n")

	if len(m.Consts) > 0 {
		w("// Values shared with the guest's C headers.\nconst (\n")
		for _, c := range m.Consts {
			if c.Doc != "" {
				writeComment(&b, "\t", c.Doc)
			}
			name := c.GoName
			if name == "" {
				name = ConstGoName(c.Name)
			}
			w("\t%s = %d // %s\n", name, c.Value, c.Name)
		}
		w(")\n\n")
	}

	w("// Handler implements the %q imports. Each method gets the calling\n", m.Name)
	w("// Faaslet and the decoded arguments. A returned error ends the guest: an\n")
	w("// *hostabi.ExitError exits with its code, any other error traps. Results\n")
	w("// the guest should see (error codes included) are ordinary return values.\n")
	w("type Handler interface {\n")
	for i, f := range m.Funcs {
		if i > 0 {
			w("\n")
		}
		doc := fmt.Sprintf("%s implements %s.%s %s.", GoName(f.Name), m.Name, f.Name, f.Signature())
		writeComment(&b, "\t", doc)
		if f.Doc != "" {
			w("\t//\n")
			writeComment(&b, "\t", f.Doc)
		}
		if f.Support != hostabi.Full {
			w("\t//\n")
			writeComment(&b, "\t", "Support: "+f.Support.String()+noteSuffix(f.Note))
		}
		w("\t%s(%s) %s\n", GoName(f.Name), goParams(f), goResults(f))
	}
	w("}\n\n")

	w("// HostFuncs returns one hostabi.HostFunc per %q import, in table order.\n", m.Name)
	w("// handlerOf picks the Handler for a call (usually from c.Data()); it is\n")
	w("// called on every host call, so it should be cheap.\n")
	w("func HostFuncs(handlerOf func(hostabi.Caller) Handler) []hostabi.HostFunc {\n")
	w("\treturn []hostabi.HostFunc{\n")
	for _, f := range m.Funcs {
		w("\t\t{\n\t\t\tModule: ModuleName,\n")
		w("\t\t\tFunc: hostabi.MustFunc(ModuleName, Func%s),\n", GoName(f.Name))
		w("\t\t\tCall: func(c hostabi.Caller, stack []uint64) error {\n")
		args := []string{"c"}
		for i, p := range f.Params {
			args = append(args, decodeSlot(p, i))
		}
		call := fmt.Sprintf("handlerOf(c).%s(%s)", GoName(f.Name), strings.Join(args, ", "))
		switch {
		case len(f.Results) == 0 && f.NoReturn:
			w("\t\t\t\tif err := %s; err != nil {\n\t\t\t\t\treturn err\n\t\t\t\t}\n", call)
			w("\t\t\t\t// The guest declared this import noreturn: returning to it is undefined behaviour.\n")
			w("\t\t\t\treturn fmt.Errorf(\"%s.%s: handler returned, but the import never returns\")\n", m.Name, f.Name)
		case len(f.Results) == 0:
			w("\t\t\t\treturn %s\n", call)
		default:
			rs := make([]string, len(f.Results))
			for i := range rs {
				rs[i] = fmt.Sprintf("r%d", i)
			}
			w("\t\t\t\t%s, err := %s\n", strings.Join(rs, ", "), call)
			w("\t\t\t\tif err != nil {\n\t\t\t\t\treturn err\n\t\t\t\t}\n")
			for i, r := range f.Results {
				w("\t\t\t\tstack[%d] = %s\n", i, encodeSlot(r, rs[i]))
			}
			w("\t\t\t\treturn nil\n")
		}
		w("\t\t\t},\n\t\t},\n")
	}
	w("\t}\n}\n")
	return b.Bytes()
}

func goParams(f hostabi.Func) string {
	ps := []string{"c hostabi.Caller"}
	for _, p := range f.Params {
		ps = append(ps, GoParamName(p.Name)+" "+GoType(p))
	}
	return strings.Join(ps, ", ")
}

func goResults(f hostabi.Func) string {
	if len(f.Results) == 0 {
		return "error"
	}
	rs := make([]string, 0, len(f.Results)+1)
	for _, r := range f.Results {
		rs = append(rs, GoType(r))
	}
	return "(" + strings.Join(append(rs, "error"), ", ") + ")"
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return ". " + note
}

// writeComment writes text as // lines wrapped at about 100 columns.
func writeComment(b *bytes.Buffer, indent, text string) {
	const width = 96
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(indent)*4+len(line)+1+len(word) > width {
			fmt.Fprintf(b, "%s// %s\n", indent, line)
			line = ""
		}
		if line == "" {
			line = word
		} else {
			line += " " + word
		}
	}
	if line != "" {
		fmt.Fprintf(b, "%s// %s\n", indent, line)
	}
}

func hasNoReturn(m *hostabi.Module) bool {
	for _, f := range m.Funcs {
		if f.NoReturn {
			return true
		}
	}
	return false
}
