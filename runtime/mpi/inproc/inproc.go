// Package inproc is the in-process mpi.Transport: every rank of the job
// lives in this process, and Send hands the envelope straight to the
// destination rank's matching engine on the sender's goroutine.
//
// Because delivery is synchronous, per-pair order is program order, nothing
// is ever in flight (the deadlock detector relies on this), eager data is
// copied once when the receive is already posted, and rendezvous data is
// copied once from the sender's buffer by whoever matches it.
//
//	w, err := mpi.NewWorld(mpi.Config{Size: 4, Transport: inproc.New(4)})
package inproc

import (
	"fmt"
	"sync/atomic"

	"github.com/faasm-go/faasm/runtime/mpi"
)

// Transport connects the ranks of one process.
type Transport struct {
	ranks  []atomic.Pointer[deliverer]
	closed atomic.Bool
}

type deliverer struct{ d mpi.Deliverer }

// New returns a transport for a job of size ranks.
func New(size int) *Transport {
	return &Transport{ranks: make([]atomic.Pointer[deliverer], size)}
}

// Register implements mpi.Transport.
func (t *Transport) Register(rank int, d mpi.Deliverer) error {
	if rank < 0 || rank >= len(t.ranks) {
		return fmt.Errorf("inproc.register: rank %d of %d: %w", rank, len(t.ranks), mpi.ErrRank)
	}
	if !t.ranks[rank].CompareAndSwap(nil, &deliverer{d}) {
		return fmt.Errorf("inproc.register: rank %d registered twice: %w", rank, mpi.ErrTransport)
	}
	return nil
}

// Send implements mpi.Transport.
func (t *Transport) Send(env *mpi.Envelope) error {
	if t.closed.Load() {
		return fmt.Errorf("inproc.send: closed: %w", mpi.ErrTransport)
	}
	if env.To < 0 || env.To >= len(t.ranks) {
		return fmt.Errorf("inproc.send: rank %d of %d: %w", env.To, len(t.ranks), mpi.ErrRank)
	}
	d := t.ranks[env.To].Load()
	if d == nil {
		return fmt.Errorf("inproc.send: rank %d not registered: %w", env.To, mpi.ErrTransport)
	}
	d.d.Deliver(env)
	return nil
}

// Close implements mpi.Transport.
func (t *Transport) Close() error {
	t.closed.Store(true)
	return nil
}
