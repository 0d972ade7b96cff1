// Package snapshot holds a team's memory in a memfd and moves changes
// between copy-on-write replicas and the master as FDiffs. It is pure Go
// (raw syscalls, no cgo, no wasm) and Linux only for the memfd, mapping
// and pagemap parts; diffing, merging and encoding work on any []byte.
//
// The memfd is the master snapshot. Threads on the team's host map it
// MAP_SHARED (MapOver a wasmtime memory) and share it outright. A thread on
// another host, or any thread under --omp-memory=private, works on a
// MAP_PRIVATE replica and ships its changes at synchronisation points:
//
//	          memfd (master snapshot)
//	     MAP_SHARED |            | MAP_PRIVATE (copy-on-write)
//	                v            v
//	master view  <--+        replica (thread's memory)
//	    ^                        |  1. DirtyTracker: written pages
//	    |                        |     (pagemap bit 61 clear, or memcmp)
//	    |                        v  2. ComputeDiffs vs B0 (snapshot or
//	Merger.Apply             Batch      shadow page): Patch runs + typed
//	    ^                        |      region diffs carrying B0, B1
//	    |     NATS / channel     v  3. Encode
//	  Decode  <--------------  []byte
//
// A barrier or join collects every replica, merges all batches into the
// master (concurrently where no two batches store to one plain byte; typed
// elements are locked, plain bytes are only stored where they changed),
// then refreshes the replicas (madvise of their private pages). A lock
// hand-over gives the releaser's batch to the next holder's Replica.Apply.
// Plain bytes merge as overwrites, so the batches of threads that handed a
// lock on to each other must be applied in release order. The master must only change while replicas are
// quiescent (see Replica).
//
// Usage:
//
//	snap, _ := snapshot.FromBytes("team", memory)
//	var regions snapshot.Regions // from __kmpc_reduce's reduction list
//	regions.Add(snapshot.Region{Offset: sumAddr, Length: 8, Type: snapshot.F64, Op: snapshot.Sum})
//	r, _ := snapshot.NewReplica(snap, snapshot.ReplicaOptions{Regions: &regions})
//	// ... the thread runs on r.Bytes() ...
//	batch, _ := r.Collect()
//	msg, _ := snapshot.Encode(batch)
//	// on the master's host:
//	master, _ := snap.Map(snapshot.Shared, 0, int(snap.Size()))
//	got, _ := snapshot.Decode(msg)
//	snapshot.NewMerger(master.Bytes()).Apply(got)
//	r.Refresh()
//
// Merge semantics, B0: typed diffs (reduction regions) carry both B1 and
// B0, so the merging side needs no record of which snapshot version each
// thread started from, and every formula (including integer product and
// quotient, and their B0 == 0 cases) is computed where all the inputs are.
// Plain memory travels as B1 with a mask of the changed bytes (Patch), which
// needs no B0 at the merge either, and gives the value shared memory would
// hold when two threads store the same value to one byte. DiffOptions.Xor
// ships B1 xor B0 instead, for a caller that cannot keep release order.
package snapshot
