package mpi

// This file defines the boundary between the matching engine and the
// transports that move envelopes between ranks. The engine never knows where a
// rank lives: it builds an Envelope and hands it to Transport.Send; the
// transport owning the destination calls Deliverer.Deliver on that rank.
//
// Two payload modes keep the one-copy promise on every transport:
//
//   - Eager (Remote == nil): Data holds the whole payload. Data is borrowed:
//     it is valid only until Send (in-process) or Deliver returns, so whoever
//     keeps it past that point copies it. In-process, a message that finds its
//     receive already posted is therefore copied exactly once.
//   - Rendezvous or synchronous (Remote != nil): the envelope is only a
//     header. After matching, the receiver calls Remote.Pull with the posted
//     buffer and then Remote.Done, which completes the sender's request. In
//     process, Pull copies straight out of the sender's buffer (the sender's
//     request is incomplete, so the buffer is still valid). Across hosts, a
//     transport implements Remote as "clear to send + fragmented pull" and
//     Done as an acknowledgement; the engine does not change.

// ContextID names a communicator's matching space. Each communicator owns two:
// an even one for point-to-point traffic and the next odd one for its
// collectives, so the two kinds of traffic never match each other.
type ContextID uint64

// Envelope is one message as seen by the matching engine.
type Envelope struct {
	Context ContextID // matching space (communicator, p2p or collective)
	Source  int       // sender's rank in the communicator
	Tag     int       // message tag
	From    int       // sender's world rank (used by transports for ordering)
	To      int       // destination world rank
	Size    int       // payload size in bytes
	Data    []byte    // eager payload (nil when Remote != nil)
	Owned   bool      // Data belongs to the envelope and outlives Send/Deliver
	Remote  Remote    // set for rendezvous/synchronous sends

	spare   bool   // a matcher's own copy, reused once received (matcher.spare)
	arrival uint64 // its place among a matcher's unexpected envelopes
}

// Remote is the sender side of a rendezvous or synchronous message.
//
// The receiver calls Pull at most once, with a buffer of at most Size bytes,
// then calls Done exactly once (also when it pulled nothing, e.g. after a
// zero-byte receive). Done completes the sender's request.
type Remote interface {
	Pull(dst []byte) error
	Done()
}

// Deliverer is the receive side of one rank: the matching engine.
type Deliverer interface {
	// Deliver hands env to the rank's matching engine. It never blocks on
	// another rank. env itself is valid only until Deliver returns (senders
	// keep it inside their request); the engine copies what it keeps.
	Deliver(env *Envelope)
}

// Transport moves envelopes between world ranks.
//
// Contract (checked by mpitest.TestTransport):
//   - Envelopes Sent from world rank a to world rank b are Delivered to b in
//     Send order (MPI's non-overtaking rule rests on this).
//   - Every envelope is delivered exactly once or Send returns an error;
//     a transport never drops silently.
//   - Send must not block waiting for the receiver to post a receive (the
//     matching engine queues unexpected messages); it may block for flow
//     control.
//   - The envelope and its eager Data are borrowed for the duration of Send:
//     copy what is kept.
//   - Remote.Pull/Done on a delivered envelope reach the sender's Remote.
type Transport interface {
	// Register attaches world rank's matching engine. Ranks that live on
	// another host are registered by that host's transport instance.
	Register(worldRank int, d Deliverer) error
	// Send delivers env to env.To.
	Send(env *Envelope) error
	// Close releases the transport; later Sends fail with ErrTransport.
	Close() error
}
