package toolchain

import (
	"os/exec"
	"testing"

	"github.com/faasm-go/faasm/sysroot"
)

// The sysroot key must be stable (or every compile rebuilds) and must change
// when a library's flags change (or a stale libfaasm.a is used).
func TestSysrootKey(t *testing.T) {
	clang, err := exec.LookPath("clang-19")
	if err != nil {
		t.Skip("clang-19 not installed (install Debian packages: make deps)")
	}
	k1, _, err := sysrootKey(clang)
	if err != nil {
		t.Skip(err) // no wasi-libc
	}
	k2, _, err := sysrootKey(clang)
	if err != nil || k1 != k2 {
		t.Fatalf("key not stable: %s %s %v", k1, k2, err)
	}
	saved := Libraries
	defer func() { Libraries = saved }()
	changed := *sysroot.LibFaasm
	changed.CFlags = append([]string{"-DCHANGED"}, changed.CFlags...)
	Libraries = []*sysroot.Library{&changed}
	k3, _, err := sysrootKey(clang)
	if err != nil || k3 == k1 {
		t.Fatalf("key did not change with library flags: %s %v", k3, err)
	}
}
