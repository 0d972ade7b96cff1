// Package mpi is the semantic core of FaasMPI: worlds, ranks,
// communicators, groups, Cartesian topologies, the point-to-point matching
// engine, requests, collectives and failure handling, in pure Go (no wasm,
// no cgo). The faasmpi host module adapts guest calls onto it: it resolves
// guest pointers to []byte views, maps integer handles to *Comm, *Group and
// *Request, and maps the sentinel errors of errors.go to MPI error classes.
//
// # Model
//
// A World is one MPI job. Each rank runs on its own goroutine and calls MPI
// through its *Rank; a blocking call polls for a while (2 ms without
// leaving the CPU when every local rank has one; 20 µs, yielding between
// polls, when they outnumber the CPUs), then sleeps the rank's thread on a
// futex (deadlock.go, park_linux.go). Ranks exchange Envelopes through a
// Transport (inproc for one process; a cross-host transport plugs in behind
// the same interface); small and rendezvous point-to-point messages between
// two ranks of this process take a per-pair ring instead, which the
// receiver drains and matches itself (ring.go). Every envelope carries its communicator's context, the source rank and
// the tag; each rank's matching engine keeps MPI's posted-receive and
// unexpected-message queues. Small messages are eager; large ones use a
// rendezvous in which the receiver copies once, straight from the sender's
// buffer. Small blocking Barrier, Bcast, Reduce, Allreduce, Allgather(v)
// and Alltoall on a communicator whose members are all in this process go
// through shared slots instead of messages, and large Bcast, Reduce,
// Allreduce and Gather read and write the members' buffers where they lie
// (shm.go); when the ranks outnumber the CPUs a small Reduce goes through
// the rings instead, so that its members can run ahead of the root.
//
// The ranks of a job share one Go heap, so the per-message path does not
// allocate: blocking calls recycle their requests, Isend/Irecv requests
// are recycled once retired (Rank.Recycle), and a matcher reuses the
// envelopes of early messages. An allocation per call measurably slowed
// every rank of the job.
//
// # Buffers and datatypes
//
// Every buffer is contiguous bytes and every count in a Status is bytes.
// Derived datatypes are packed and unpacked by the glue with the datatype
// engine (runtime/mpi/datatype); reductions arrive as an Op whose Fn the op
// engine (runtime/mpi/op) or a guest callback supplies. A buffer passed to
// a blocking call is used only during the call; one passed to a
// non-blocking call must stay valid until its request completes.
//
// # Failures
//
// Rank.Abort ends the job, a rank that exits without Finalize (Rank.Exit)
// makes every blocked peer fail with ErrPeerDied, and when every live rank
// is blocked with nothing in flight the job fails with ErrDeadlock and a
// report of each rank's pending call. World.Done and World.Err expose the
// job's state to the runner.
//
// # Example
//
//	w, _ := mpi.NewWorld(mpi.Config{Size: 2, Transport: inproc.New(2)})
//	for i := range 2 {
//		go func(r *mpi.Rank) {
//			defer r.Exit(nil)
//			c := r.CommWorld()
//			buf := make([]byte, 8)
//			if c.Rank() == 0 {
//				_ = c.Send([]byte("hello!!!"), 1, 7)
//			} else {
//				st, _ := c.Recv(buf, mpi.AnySource, mpi.AnyTag) // st.Source == 0, st.Tag == 7, st.Count == 8
//				_ = st
//			}
//			_ = r.Finalize()
//		}(w.Rank(i))
//	}
//
// Lock order: see runtime/LOCKS.md.
package mpi
