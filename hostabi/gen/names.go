package gen

import (
	"go/token"
	"strings"
)

// GoName turns a snake_case import or parameter name into an exported Go
// name: read_call_input → ReadCallInput.
func GoName(snake string) string {
	var b strings.Builder
	for _, part := range strings.Split(snake, "_") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}

// GoParamName turns a snake_case parameter name into a lowerCamel Go
// identifier (buf_len → bufLen) that cannot clash with a keyword or with the
// names the generated trampolines use themselves.
func GoParamName(snake string) string {
	n := GoName(snake)
	if n == "" {
		return "arg"
	}
	n = strings.ToLower(n[:1]) + n[1:]
	if token.IsKeyword(n) || reservedGo[n] {
		n += "Arg"
	}
	return n
}

// reservedGo are identifiers the generated Handler methods and trampolines
// declare or use; a parameter must not shadow them.
var reservedGo = map[string]bool{
	"c": true, "stack": true, "err": true, "handlerOf": true, "hostabi": true, "math": true, "fmt": true,
}

// ConstGoName derives a Go constant name from a C one: MPI_COMM_WORLD →
// MPICommWorld when the first word is all capitals and short (a prefix),
// otherwise each word capitalised.
func ConstGoName(c string) string {
	parts := strings.Split(c, "_")
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if i == 0 && len(parts) > 1 && len(p) <= 4 && strings.ToUpper(p) == p {
			b.WriteString(p)
			continue
		}
		lp := strings.ToLower(p)
		b.WriteString(strings.ToUpper(lp[:1]))
		b.WriteString(lp[1:])
	}
	return b.String()
}

// CSymbol is the C name of a host import: __<module>_<name>.
func CSymbol(module, name string) string { return "__" + module + "_" + name }

// CKeywords are C and C++ keywords and common macros a parameter name must
// not be, or the generated header stops compiling.
var CKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`auto break case char const continue default do double else enum extern
		float for goto if inline int long register restrict return short signed sizeof static struct switch
		typedef union unsigned void volatile while _Bool _Complex _Imaginary _Alignas _Alignof _Atomic
		_Generic _Noreturn _Static_assert _Thread_local bool true false alignas alignof asm catch class
		const_cast decltype delete dynamic_cast explicit export friend mutable namespace new noexcept
		nullptr operator private protected public reinterpret_cast static_assert static_cast template this
		thread_local throw try typeid typename using virtual wchar_t char8_t char16_t char32_t concept
		consteval constexpr constinit co_await co_return co_yield requires and or not xor bitand bitor
		compl and_eq or_eq not_eq xor_eq NULL errno`) {
		CKeywords[k] = true
	}
}
