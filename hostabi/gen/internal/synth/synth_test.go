package synth_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/hostabi/gen/internal/synth"
)

type caller struct{}

func (caller) Memory() hostabi.Memory { return hostabi.SliceMemory(nil) }
func (caller) Data() any              { return nil }

type handler struct {
	got  []any
	halt error
}

func (h *handler) Mix(c hostabi.Caller, a int32, b uint32, cArg int64, d uint64, p hostabi.GuestPtr, typ int32) (int64, error) {
	h.got = []any{a, b, cArg, d, p, typ}
	return -5, nil
}

func (h *handler) Scale(c hostabi.Caller, x float32, y float64) (float64, error) {
	h.got = []any{x, y}
	return float64(x) * y, nil
}

func (h *handler) Neg(c hostabi.Caller, v int32) (int32, error) {
	if v == 0 {
		return 0, errors.New("synth.neg: zero")
	}
	return -v, nil
}

func (h *handler) Halt(c hostabi.Caller) error { return h.halt }

func funcs(h *handler) map[string]hostabi.HostFunc {
	m := map[string]hostabi.HostFunc{}
	for _, hf := range synth.HostFuncs(func(hostabi.Caller) synth.Handler { return h }) {
		m[hf.Func.Name] = hf
	}
	return m
}

// TestTrampolines checks the stack-slot encoding the engine relies on: an
// i32 lives in the low 32 bits (its high bits are not trusted), an i64 is
// the whole slot, floats are bit patterns.
func TestTrampolines(t *testing.T) {
	h := &handler{}
	fs := funcs(h)
	if len(fs) != 4 || fs["mix"].Module != "synth" || fs["mix"].Func.Signature() != "(i32,i32,i64,i64,i32,i32)->i64" {
		t.Fatalf("HostFuncs = %+v", fs)
	}

	stack := []uint64{0xdead_beef_ffff_fffe, 0x1_0000_0007, uint64(1<<63 + 1), math.MaxUint64, 0xffff_0010, 3}
	if err := fs["mix"].Call(caller{}, stack); err != nil {
		t.Fatal(err)
	}
	want := []any{int32(-2), uint32(7), int64(math.MinInt64 + 1), uint64(math.MaxUint64), hostabi.GuestPtr(0xffff0010), int32(3)}
	for i := range want {
		if h.got[i] != want[i] {
			t.Errorf("mix arg %d = %#v, want %#v", i, h.got[i], want[i])
		}
	}
	if int64(stack[0]) != -5 {
		t.Errorf("mix result slot = %#x, want -5", stack[0])
	}

	stack = []uint64{uint64(math.Float32bits(1.5)), math.Float64bits(-2.25)}
	if err := fs["scale"].Call(caller{}, stack); err != nil {
		t.Fatal(err)
	}
	if r := math.Float64frombits(stack[0]); r != -3.375 {
		t.Errorf("scale result = %v, want -3.375", r)
	}

	stack = []uint64{7}
	if err := fs["neg"].Call(caller{}, stack); err != nil {
		t.Fatal(err)
	}
	if stack[0] != 0xffff_fff9 { // -7 as an i32, zero-extended
		t.Errorf("neg result slot = %#x, want 0xfffffff9", stack[0])
	}
	stack = []uint64{0}
	if err := fs["neg"].Call(caller{}, stack); err == nil || err.Error() != "synth.neg: zero" {
		t.Errorf("neg(0) error = %v", err)
	}
}

// TestNoReturn checks a noreturn import cannot fall back into the guest.
func TestNoReturn(t *testing.T) {
	exit := &hostabi.ExitError{Code: 3}
	h := &handler{halt: exit}
	if err := funcs(h)["halt"].Call(caller{}, nil); err != exit {
		t.Errorf("halt error = %v, want the handler's ExitError", err)
	}
	h.halt = nil
	if err := funcs(h)["halt"].Call(caller{}, nil); err == nil || !strings.Contains(err.Error(), "never returns") {
		t.Errorf("halt returning nil: error = %v", err)
	}
}

func TestConsts(t *testing.T) {
	if synth.SYNAnswer != 42 || synth.SYNMin != math.MinInt32 || synth.Big != 1<<40 {
		t.Error("constants differ from the table")
	}
}
