package linker_test

// A tiny WebAssembly binary writer for fixtures, so the linker's tests need
// neither cgo (wasmtime's Wat2Wasm) nor clang. Each fixture is described as
// data: types, imports, functions, memory, exports.

type valType = byte

const (
	i32 valType = 0x7f
	i64 valType = 0x7e
	f64 valType = 0x7c
)

type sig struct{ params, results []valType }

type imp struct {
	module, name string
	kind         byte // 0 func, 1 table, 2 memory, 3 global
	sig          sig  // for functions
}

type exp struct {
	name  string
	kind  byte // 0 func, 2 memory
	index uint32
}

type mod struct {
	imports  []imp
	funcs    []sig // defined functions; each body is just `end`
	memory   *[2]int64
	exports  []exp
	nameSect bool
}

// validMod is the smallest module faasm accepts: memory, _start, one import.
func validMod() mod {
	return mod{
		imports: []imp{{module: "faasm", name: "write_call_output", sig: sig{params: []valType{i32, i32}}}},
		funcs:   []sig{{}},
		memory:  &[2]int64{1, 16},
		exports: []exp{{name: "_start", kind: 0, index: 1}, {name: "memory", kind: 2, index: 0}},
	}
}

func uleb(v uint64) []byte {
	var out []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			out = append(out, c|0x80)
			continue
		}
		return append(out, c)
	}
}

func name(s string) []byte { return append(uleb(uint64(len(s))), s...) }

func section(id byte, body []byte) []byte {
	return append(append([]byte{id}, uleb(uint64(len(body)))...), body...)
}

func vecOf(items [][]byte) []byte {
	out := uleb(uint64(len(items)))
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func (m mod) bytes() []byte {
	out := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	var types [][]byte
	typeOf := func(s sig) uint64 {
		enc := append(append([]byte{0x60}, append(uleb(uint64(len(s.params))), s.params...)...),
			append(uleb(uint64(len(s.results))), s.results...)...)
		for i, t := range types {
			if string(t) == string(enc) {
				return uint64(i)
			}
		}
		types = append(types, enc)
		return uint64(len(types) - 1)
	}
	var imps, funcs, codes, exps [][]byte
	for _, im := range m.imports {
		b := append(name(im.module), name(im.name)...)
		b = append(b, im.kind)
		switch im.kind {
		case 0:
			b = append(b, uleb(typeOf(im.sig))...)
		case 1:
			b = append(b, 0x70, 0, 1)
		case 2:
			b = append(b, 0, 1)
		case 3:
			b = append(b, i32, 0)
		}
		imps = append(imps, b)
	}
	for _, f := range m.funcs {
		funcs = append(funcs, uleb(typeOf(f)))
		codes = append(codes, []byte{2, 0, 0x0b})
	}
	for _, e := range m.exports {
		exps = append(exps, append(append(name(e.name), e.kind), uleb(uint64(e.index))...))
	}
	if len(types) > 0 {
		out = append(out, section(1, vecOf(types))...)
	}
	if len(imps) > 0 {
		out = append(out, section(2, vecOf(imps))...)
	}
	if len(funcs) > 0 {
		out = append(out, section(3, vecOf(funcs))...)
	}
	if m.memory != nil {
		lim := []byte{0}
		lim = append(lim, uleb(uint64(m.memory[0]))...)
		if m.memory[1] >= 0 {
			lim[0] = 1
			lim = append(lim, uleb(uint64(m.memory[1]))...)
		}
		out = append(out, section(5, vecOf([][]byte{lim}))...)
	}
	if len(exps) > 0 {
		out = append(out, section(7, vecOf(exps))...)
	}
	if len(codes) > 0 {
		out = append(out, section(10, vecOf(codes))...)
	}
	if m.nameSect {
		out = append(out, section(0, append(name("name"), section(0, name("fixture"))...))...)
	}
	return out
}
