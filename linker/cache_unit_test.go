package linker

import (
	"testing"

	"github.com/faasm-go/faasm/hostabi"
)

type fp string

func (f fp) Fingerprint() string                    { return string(f) }
func (f fp) Precompile(wasm []byte) ([]byte, error) { return wasm, nil }

// TestKey_hostabiVersion: an artefact validated against one ABI table must
// not be reused after the table changes.
func TestKey_hostabiVersion(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00")
	before := Key(wasm, fp("e"))
	saved := hostabi.Modules
	defer func() { hostabi.Modules = saved }()
	extra := hostabi.Module{Name: "extra", Funcs: []hostabi.Func{{Name: "f"}}}
	hostabi.Modules = append(append([]*hostabi.Module{}, saved...), &extra)
	if Key(wasm, fp("e")) == before {
		t.Error("key did not change with hostabi.Version()")
	}
}
