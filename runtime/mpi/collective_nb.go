package mpi

// This file implements non-blocking collectives. Each one reserves its tag
// in the caller's goroutine (program order), then runs the blocking
// algorithm on a helper goroutine with its own waiter; the helper counts as
// a participant for the deadlock detector until it has completed the
// request.

func (c *Comm) icoll(fn string, check func(x *coll) error, run func(x *coll) error) (*Request, error) {
	shared, err := c.begin(fn)
	if err != nil {
		return nil, err
	}
	x := new(coll)
	*x = *shared
	if check != nil {
		if err := check(x); err != nil {
			return nil, err
		}
	}
	r := c.r
	q := &Request{kind: reqColl, r: r, owner: r.wt, comm: c, call: x.call}
	x.wt = newWaiter(r.w, r.id, fn+" progress")
	x.wt.activate()
	go func() {
		err := run(x)
		wt := x.wt
		q.complete(Status{Source: AnySource, Tag: AnyTag, Err: err})
		wt.deactivate() // after complete: the owner must not look blocked with no helper left
	}()
	return q, nil
}

// Ibarrier is MPI_Ibarrier.
func (c *Comm) Ibarrier() (*Request, error) {
	return c.icoll("MPI_Ibarrier", nil, func(x *coll) error { return x.barrier() })
}

// Ibcast is MPI_Ibcast; buf must stay valid until the request completes
// (as for every non-blocking collective's buffers).
func (c *Comm) Ibcast(buf []byte, root int) (*Request, error) {
	return c.icoll("MPI_Ibcast",
		func(x *coll) error { return x.checkRoot(root) },
		func(x *coll) error { return x.bcast(buf, root) })
}

// Ireduce is MPI_Ireduce.
func (c *Comm) Ireduce(send, recv []byte, op Op, root int, inPlace bool) (*Request, error) {
	return c.icoll("MPI_Ireduce",
		func(x *coll) error {
			if err := x.checkRoot(root); err != nil {
				return err
			}
			return x.checkOp(op)
		},
		func(x *coll) error { return x.reduce(send, recv, op, root, inPlace) })
}

// Iallreduce is MPI_Iallreduce.
func (c *Comm) Iallreduce(send, recv []byte, op Op, inPlace bool) (*Request, error) {
	return c.icoll("MPI_Iallreduce",
		func(x *coll) error { return x.checkOp(op) },
		func(x *coll) error { return x.allreduce(send, recv, op, inPlace) })
}

// Iallgather is MPI_Iallgather.
func (c *Comm) Iallgather(send, recv []byte, inPlace bool) (*Request, error) {
	blk := len(send)
	if inPlace {
		blk = len(recv) / c.Size()
	}
	counts, displs := uniform(c.Size(), blk)
	return c.icoll("MPI_Iallgather", nil,
		func(x *coll) error { return x.allgatherv(send, recv, counts, displs, inPlace) })
}

// Ialltoall is MPI_Ialltoall.
func (c *Comm) Ialltoall(send, recv []byte, inPlace bool) (*Request, error) {
	n := c.Size()
	blk := len(recv) / n
	if !inPlace {
		blk = len(send) / n
	}
	counts, displs := uniform(n, blk)
	return c.icoll("MPI_Ialltoall", nil,
		func(x *coll) error { return x.alltoallv(send, counts, displs, recv, counts, displs, inPlace) })
}
