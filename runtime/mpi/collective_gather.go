package mpi

// This file implements the data-movement collectives. In process every
// message lands directly in its final place (receives are posted into the
// destination slot, large blocks take the one-copy rendezvous path), so the
// linear root-centred algorithms cost one copy per block.

import "slices"

func uniform(n, blk int) (counts, displs []int) {
	counts, displs = make([]int, n), make([]int, n)
	for i := range counts {
		counts[i], displs[i] = blk, i*blk
	}
	return counts, displs
}

func (x *coll) checkV(what string, buf []byte, counts, displs []int) error {
	n := x.c.Size()
	if len(counts) != n || len(displs) != n {
		return x.errorf("%s: %d counts, %d displacements for %d ranks: %w", what, len(counts), len(displs), n, ErrCount)
	}
	for i := range counts {
		if counts[i] < 0 || displs[i] < 0 || displs[i]+counts[i] > len(buf) {
			return x.errorf("%s: block %d [%d,+%d) outside %d-byte buffer: %w", what, i, displs[i], counts[i], len(buf), ErrCount)
		}
	}
	return nil
}

// Gather is MPI_Gather: rank i's send lands in recv[i*len(send):] at root.
// With inPlace (root only) the root's block is already in recv and the
// block size is len(recv)/Size().
func (c *Comm) Gather(send, recv []byte, root int, inPlace bool) error {
	x, err := c.begin("MPI_Gather")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	blk := len(send)
	if inPlace && c.rank == root {
		blk = len(recv) / c.Size()
	}
	// Every member knows the block size, so all take the same path.
	if blk > shmCollMax {
		if b := x.localBoard(); b != nil {
			return x.gatherDirect(b, send, recv, blk, root, inPlace && c.rank == root)
		}
	}
	counts, displs := uniform(c.Size(), blk)
	return x.gatherv(send, recv, counts, displs, root, inPlace)
}

// Gatherv is MPI_Gatherv with counts and displacements in bytes (used at root).
func (c *Comm) Gatherv(send, recv []byte, counts, displs []int, root int, inPlace bool) error {
	x, err := c.begin("MPI_Gatherv")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	return x.gatherv(send, recv, counts, displs, root, inPlace)
}

func (x *coll) gatherv(send, recv []byte, counts, displs []int, root int, inPlace bool) error {
	c := x.c
	if c.rank != root {
		return x.send(send, root)
	}
	if err := x.checkV("receive", recv, counts, displs); err != nil {
		return err
	}
	qs := make([]*Request, 0, c.Size())
	for i := range c.Size() {
		blk := recv[displs[i] : displs[i]+counts[i]]
		if i == root {
			if !inPlace {
				copy(blk, send)
			}
			continue
		}
		qs = append(qs, x.irecv(blk, i))
	}
	return x.wait(qs...)
}

// Scatter is MPI_Scatter: block i of root's send (len(recv) bytes each)
// goes to rank i. With inPlace (root only) the root keeps its block in send
// and recv is ignored; the block size is len(send)/Size().
func (c *Comm) Scatter(send, recv []byte, root int, inPlace bool) error {
	x, err := c.begin("MPI_Scatter")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	blk := len(recv)
	if inPlace && c.rank == root {
		blk = len(send) / c.Size()
	}
	counts, displs := uniform(c.Size(), blk)
	return x.scatterv(send, counts, displs, recv, root, inPlace)
}

// Scatterv is MPI_Scatterv with counts and displacements in bytes (used at root).
func (c *Comm) Scatterv(send []byte, counts, displs []int, recv []byte, root int, inPlace bool) error {
	x, err := c.begin("MPI_Scatterv")
	if err != nil {
		return err
	}
	if err := x.checkRoot(root); err != nil {
		return err
	}
	return x.scatterv(send, counts, displs, recv, root, inPlace)
}

func (x *coll) scatterv(send []byte, counts, displs []int, recv []byte, root int, inPlace bool) error {
	c := x.c
	if c.rank != root {
		return x.recv(recv, root)
	}
	if err := x.checkV("send", send, counts, displs); err != nil {
		return err
	}
	qs := make([]*Request, 0, c.Size())
	for i := range c.Size() {
		blk := send[displs[i] : displs[i]+counts[i]]
		if i == root {
			if !inPlace {
				copy(recv, blk)
			}
			continue
		}
		qs = append(qs, x.isend(blk, i))
	}
	return x.wait(qs...)
}

// Allgather is MPI_Allgather: every rank's send lands in recv[i*len(send):]
// on every rank. With inPlace each rank's block is already in recv.
func (c *Comm) Allgather(send, recv []byte, inPlace bool) error {
	x, err := c.begin("MPI_Allgather")
	if err != nil {
		return err
	}
	blk := len(send)
	if inPlace {
		blk = len(recv) / c.Size()
	}
	counts, displs := uniform(c.Size(), blk)
	return x.allgatherv(send, recv, counts, displs, inPlace)
}

// Allgatherv is MPI_Allgatherv with counts and displacements in bytes.
func (c *Comm) Allgatherv(send, recv []byte, counts, displs []int, inPlace bool) error {
	x, err := c.begin("MPI_Allgatherv")
	if err != nil {
		return err
	}
	return x.allgatherv(send, recv, counts, displs, inPlace)
}

// allgatherv: every rank posts a receive for every other rank's block and
// sends its own block to everyone (n-1 messages each way, one step). In
// process this is latency-optimal and each block is copied once per
// receiver; a ring or Bruck variant belongs to the cross-host version.
func (x *coll) allgatherv(send, recv []byte, counts, displs []int, inPlace bool) error {
	c := x.c
	if err := x.checkV("receive", recv, counts, displs); err != nil {
		return err
	}
	n, me := c.Size(), c.rank
	mine := recv[displs[me] : displs[me]+counts[me]]
	if !inPlace {
		copy(mine, send)
	}
	// Every member sees the same counts, so all take the same path.
	if b := x.shmFor(slices.Max(counts)); b != nil {
		return x.allgathervShm(b, recv, counts, displs)
	}
	qs := make([]*Request, 0, 2*n)
	for k := 1; k < n; k++ {
		src := (me - k + n) % n
		qs = append(qs, x.irecv(recv[displs[src]:displs[src]+counts[src]], src))
	}
	for k := 1; k < n; k++ {
		qs = append(qs, x.isend(mine, (me+k)%n))
	}
	return x.wait(qs...)
}

// Alltoall is MPI_Alltoall: block j of rank i's send lands in block i of
// rank j's recv. With inPlace, recv is also the send buffer.
func (c *Comm) Alltoall(send, recv []byte, inPlace bool) error {
	x, err := c.begin("MPI_Alltoall")
	if err != nil {
		return err
	}
	n := c.Size()
	blk := len(recv) / n
	if !inPlace {
		blk = len(send) / n
	}
	if b := x.shmFor(n * blk); b != nil && !inPlace && len(send) >= n*blk && len(recv) >= n*blk {
		return x.alltoallShm(b, send, recv, blk)
	}
	counts, displs := uniform(n, blk)
	return x.alltoallv(send, counts, displs, recv, counts, displs, inPlace)
}

// Alltoallv is MPI_Alltoallv with counts and displacements in bytes. With
// inPlace, recv is also the send buffer and the receive layout is used for
// both.
func (c *Comm) Alltoallv(send []byte, scounts, sdispls []int, recv []byte, rcounts, rdispls []int, inPlace bool) error {
	x, err := c.begin("MPI_Alltoallv")
	if err != nil {
		return err
	}
	return x.alltoallv(send, scounts, sdispls, recv, rcounts, rdispls, inPlace)
}

// Alltoallw is MPI_Alltoallw. At this layer datatypes are already packed, so
// per-peer types reduce to byte counts and displacements: the glue packs
// each block with its datatype and calls this like Alltoallv.
func (c *Comm) Alltoallw(send []byte, scounts, sdispls []int, recv []byte, rcounts, rdispls []int, inPlace bool) error {
	x, err := c.begin("MPI_Alltoallw")
	if err != nil {
		return err
	}
	return x.alltoallv(send, scounts, sdispls, recv, rcounts, rdispls, inPlace)
}

func (x *coll) alltoallv(send []byte, scounts, sdispls []int, recv []byte, rcounts, rdispls []int, inPlace bool) error {
	c := x.c
	if inPlace {
		send, scounts, sdispls = slices.Clone(recv), rcounts, rdispls
	}
	if err := x.checkV("send", send, scounts, sdispls); err != nil {
		return err
	}
	if err := x.checkV("receive", recv, rcounts, rdispls); err != nil {
		return err
	}
	n, me := c.Size(), c.rank
	if scounts[me] > rcounts[me] {
		return x.errorf("%d bytes to self into %d: %w", scounts[me], rcounts[me], ErrTruncate)
	}
	copy(recv[rdispls[me]:rdispls[me]+rcounts[me]], send[sdispls[me]:sdispls[me]+scounts[me]])
	qs := make([]*Request, 0, 2*n)
	for k := 1; k < n; k++ {
		src := (me - k + n) % n
		qs = append(qs, x.irecv(recv[rdispls[src]:rdispls[src]+rcounts[src]], src))
	}
	for k := 1; k < n; k++ {
		dst := (me + k) % n
		qs = append(qs, x.isend(send[sdispls[dst]:sdispls[dst]+scounts[dst]], dst))
	}
	return x.wait(qs...)
}
