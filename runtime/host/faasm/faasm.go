// Package faasm implements the "faasm" host module: call input and output,
// and guest-initiated termination. The marshalling is generated from the
// hostabi table (zz_generated.go); this file holds the semantics.
package faasm

import (
	"fmt"
	"sync"

	"github.com/faasm-go/faasm/hostabi"
)

// Call is the state of one function call shared by its Faaslets: the input
// they read and the output they append to.
type Call struct {
	Input []byte

	mu     sync.Mutex
	output []byte
}

// Output returns a copy of what the guest wrote with write_call_output.
func (c *Call) Output() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.output...)
}

// Host implements Handler for one call.
type Host struct {
	Call *Call
}

var _ Handler = (*Host)(nil)

// ReadCallInput copies as much of the input as fits and returns its full
// length, so a guest can size its buffer with a first call of length 0.
func (h *Host) ReadCallInput(c hostabi.Caller, buf hostabi.GuestPtr, bufLen uint32) (int32, error) {
	in := h.Call.Input
	n := min(uint32(len(in)), bufLen)
	if n > 0 && !c.Memory().Write(buf, in[:n]) {
		return 0, fmt.Errorf("buffer [%#x, +%d) is outside linear memory", buf, n)
	}
	return int32(len(in)), nil
}

// WriteCallOutput appends the guest's bytes to the call's output.
func (h *Host) WriteCallOutput(c hostabi.Caller, buf hostabi.GuestPtr, bufLen uint32) error {
	b, ok := c.Memory().Read(buf, bufLen)
	if !ok {
		return fmt.Errorf("buffer [%#x, +%d) is outside linear memory", buf, bufLen)
	}
	h.Call.mu.Lock()
	h.Call.output = append(h.Call.output, b...)
	h.Call.mu.Unlock()
	return nil
}

// Fatal ends the Faaslet with the guest's message and exit code.
func (h *Host) Fatal(c hostabi.Caller, msg hostabi.GuestPtr, msgLen uint32, exitCode int32) error {
	const maxMsg = 4096
	b, ok := c.Memory().Read(msg, min(msgLen, maxMsg))
	if !ok {
		return &hostabi.ExitError{Code: exitCode, Message: "fatal error (message outside linear memory)"}
	}
	return &hostabi.ExitError{Code: exitCode, Message: string(b)}
}
