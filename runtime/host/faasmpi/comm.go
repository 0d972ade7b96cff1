package faasmpi

import (
	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
)

// commOut answers a query on comm with one int written to p.
func (h *Host) commOut(c hostabi.Caller, comm int32, p hostabi.GuestPtr, f func(*mpi.Comm) (int, error)) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	v, err := f(e.c)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, p, int32(v))
}

// handleAt reads the handle a Free call points at; the call stores the
// null handle back with putI32(m, p, ...).
func handleAt(c hostabi.Caller, p hostabi.GuestPtr, what string) ([]byte, int32, error) {
	m := mem(c)
	v, err := getI32(m, p, what)
	return m, v, err
}

// groupPair resolves the two groups of a binary group call.
func (h *Host) groupPair(group1, group2 int32) (*mpi.Group, *mpi.Group, error) {
	a, err := h.group(group1)
	if err != nil {
		return nil, nil, err
	}
	b, err := h.group(group2)
	return a, b, err
}

// getBools reads n C ints as flags (periods, remain_dims).
func getBools(m []byte, p hostabi.GuestPtr, n int32, what string) ([]bool, error) {
	vs, err := getInts(m, p, n, what)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(vs))
	for i, v := range vs {
		out[i] = v != 0
	}
	return out, nil
}

func (h *Host) MpiCommSize(c hostabi.Caller, comm int32, size hostabi.GuestPtr) (int32, error) {
	return h.commOut(c, comm, size, func(x *mpi.Comm) (int, error) { return x.Size(), nil })
}

func (h *Host) MpiCommRank(c hostabi.Caller, comm int32, rank hostabi.GuestPtr) (int32, error) {
	return h.commOut(c, comm, rank, func(x *mpi.Comm) (int, error) { return x.Rank(), nil })
}

// newCommOut runs make on comm and writes the new handle to p.
func (h *Host) newCommOut(c hostabi.Caller, comm int32, p hostabi.GuestPtr, make func(*mpi.Comm) (*mpi.Comm, error)) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	nc, err := make(e.c)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, p, h.newComm(nc, e))
}

func (h *Host) MpiCommDup(c hostabi.Caller, comm int32, newcomm hostabi.GuestPtr) (int32, error) {
	return h.newCommOut(c, comm, newcomm, (*mpi.Comm).Dup)
}

func (h *Host) MpiCommSplit(c hostabi.Caller, comm int32, color int32, key int32, newcomm hostabi.GuestPtr) (int32, error) {
	return h.newCommOut(c, comm, newcomm, func(x *mpi.Comm) (*mpi.Comm, error) { return x.Split(int(color), int(key)) })
}

func (h *Host) MpiCommSplitType(c hostabi.Caller, comm int32, splitType int32, key int32, newcomm hostabi.GuestPtr) (int32, error) {
	return h.newCommOut(c, comm, newcomm, func(x *mpi.Comm) (*mpi.Comm, error) { return x.SplitType(int(splitType), int(key)) })
}

func (h *Host) MpiCommCreate(c hostabi.Caller, comm int32, group int32, newcomm hostabi.GuestPtr) (int32, error) {
	g, err := h.group(group)
	if err != nil {
		return h.ret(err)
	}
	return h.newCommOut(c, comm, newcomm, func(x *mpi.Comm) (*mpi.Comm, error) { return x.Create(g) })
}

func (h *Host) MpiCommFree(c hostabi.Caller, comm hostabi.GuestPtr) (int32, error) {
	m, handle, err := handleAt(c, comm, "comm")
	if err != nil {
		return h.ret(err)
	}
	e, err := h.comm(handle)
	if err != nil {
		return h.ret(err)
	}
	if err := e.c.Free(); err != nil {
		return h.ret(err)
	}
	h.comms[handle] = nil
	h.setFastComm(int(handle), nil)
	return h.ret(putI32(m, comm, MPICommNull, "comm"))
}

func (h *Host) MpiCommCompare(c hostabi.Caller, comm1 int32, comm2 int32, result hostabi.GuestPtr) (int32, error) {
	a, err := h.comm(comm1)
	if err != nil {
		return h.ret(err)
	}
	b, err := h.comm(comm2)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, result, int32(mpi.CompareComms(a.c, b.c)))
}

func (h *Host) MpiCommGroup(c hostabi.Caller, comm int32, group hostabi.GuestPtr) (int32, error) {
	return h.commOut(c, comm, group, func(x *mpi.Comm) (int, error) { return int(h.newGroup(x.Group())), nil })
}

func (h *Host) MpiCommSetName(c hostabi.Caller, comm int32, name hostabi.GuestPtr, nameLen uint32) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	b, err := view(mem(c), name, int64(min(nameLen, MPIMaxObjectName-1)), "name")
	if err != nil {
		return h.ret(err)
	}
	e.c.SetName(string(b))
	return MPISuccess, nil
}

func (h *Host) MpiCommGetName(c hostabi.Caller, comm int32, name hostabi.GuestPtr, resultlen hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	s := e.c.Name()
	if len(s) >= MPIMaxObjectName {
		s = s[:MPIMaxObjectName-1]
	}
	m := mem(c)
	b, err := view(m, name, int64(len(s))+1, "name")
	if err != nil {
		return h.ret(err)
	}
	copy(b, s)
	b[len(s)] = 0
	return h.ret(putI32(m, resultlen, int32(len(s)), "resultlen"))
}

// ---- groups ----

func (h *Host) MpiGroupSize(c hostabi.Caller, group int32, size hostabi.GuestPtr) (int32, error) {
	g, err := h.group(group)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, size, int32(g.Size()))
}

func (h *Host) MpiGroupRank(c hostabi.Caller, group int32, rank hostabi.GuestPtr) (int32, error) {
	g, err := h.group(group)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, rank, int32(g.RankOf(h.rank.ID())))
}

func (h *Host) groupOp(c hostabi.Caller, group int32, n int32, ranks hostabi.GuestPtr, per int32, newgroup hostabi.GuestPtr,
	f func(g *mpi.Group, vs []int) (*mpi.Group, error),
) (int32, error) {
	g, err := h.group(group)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	vs, err := getInts(m, ranks, n*per, "ranks")
	if err != nil {
		return h.ret(err)
	}
	ng, err := f(g, vs)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, newgroup, h.newGroup(ng), "newgroup"))
}

func triplets(vs []int) [][3]int {
	out := make([][3]int, len(vs)/3)
	for i := range out {
		out[i] = [3]int{vs[3*i], vs[3*i+1], vs[3*i+2]}
	}
	return out
}

func (h *Host) MpiGroupIncl(c hostabi.Caller, group int32, n int32, ranks hostabi.GuestPtr, newgroup hostabi.GuestPtr) (int32, error) {
	return h.groupOp(c, group, n, ranks, 1, newgroup, (*mpi.Group).Incl)
}

func (h *Host) MpiGroupExcl(c hostabi.Caller, group int32, n int32, ranks hostabi.GuestPtr, newgroup hostabi.GuestPtr) (int32, error) {
	return h.groupOp(c, group, n, ranks, 1, newgroup, (*mpi.Group).Excl)
}

func (h *Host) MpiGroupRangeIncl(c hostabi.Caller, group int32, n int32, ranges hostabi.GuestPtr, newgroup hostabi.GuestPtr) (int32, error) {
	return h.groupOp(c, group, n, ranges, 3, newgroup, func(g *mpi.Group, vs []int) (*mpi.Group, error) { return g.RangeIncl(triplets(vs)) })
}

func (h *Host) MpiGroupRangeExcl(c hostabi.Caller, group int32, n int32, ranges hostabi.GuestPtr, newgroup hostabi.GuestPtr) (int32, error) {
	return h.groupOp(c, group, n, ranges, 3, newgroup, func(g *mpi.Group, vs []int) (*mpi.Group, error) { return g.RangeExcl(triplets(vs)) })
}

func (h *Host) MpiGroupTranslateRanks(c hostabi.Caller, group1 int32, n int32, ranks1 hostabi.GuestPtr, group2 int32, ranks2 hostabi.GuestPtr) (int32, error) {
	a, b, err := h.groupPair(group1, group2)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	vs, err := getInts(m, ranks1, n, "ranks1")
	if err != nil {
		return h.ret(err)
	}
	out, err := mpi.TranslateRanks(a, vs, b)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(putInts(m, ranks2, out, "ranks2"))
}

func (h *Host) setOp(c hostabi.Caller, group1, group2 int32, newgroup hostabi.GuestPtr, f func(a, b *mpi.Group) *mpi.Group) (int32, error) {
	a, b, err := h.groupPair(group1, group2)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, newgroup, h.newGroup(f(a, b)))
}

func (h *Host) MpiGroupUnion(c hostabi.Caller, group1 int32, group2 int32, newgroup hostabi.GuestPtr) (int32, error) {
	return h.setOp(c, group1, group2, newgroup, mpi.Union)
}

func (h *Host) MpiGroupIntersection(c hostabi.Caller, group1 int32, group2 int32, newgroup hostabi.GuestPtr) (int32, error) {
	return h.setOp(c, group1, group2, newgroup, mpi.Intersection)
}

func (h *Host) MpiGroupDifference(c hostabi.Caller, group1 int32, group2 int32, newgroup hostabi.GuestPtr) (int32, error) {
	return h.setOp(c, group1, group2, newgroup, mpi.Difference)
}

func (h *Host) MpiGroupCompare(c hostabi.Caller, group1 int32, group2 int32, result hostabi.GuestPtr) (int32, error) {
	a, b, err := h.groupPair(group1, group2)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, result, int32(mpi.CompareGroups(a, b)))
}

func (h *Host) MpiGroupFree(c hostabi.Caller, group hostabi.GuestPtr) (int32, error) {
	m, handle, err := handleAt(c, group, "group")
	if err != nil {
		return h.ret(err)
	}
	if _, err := h.group(handle); err != nil {
		return h.ret(err)
	}
	if handle != MPIGroupEmpty {
		h.groups[handle] = nil
	}
	return h.ret(putI32(m, group, MPIGroupNull, "group"))
}

// ---- Cartesian topologies ----

func (h *Host) MpiCartCreate(c hostabi.Caller, comm int32, ndims int32, dims hostabi.GuestPtr, periods hostabi.GuestPtr, reorder int32, newcomm hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	ds, err := getInts(m, dims, ndims, "dims")
	if err != nil {
		return h.ret(err)
	}
	per, err := getBools(m, periods, ndims, "periods")
	if err != nil {
		return h.ret(err)
	}
	return h.newCommOut(c, comm, newcomm, func(x *mpi.Comm) (*mpi.Comm, error) { return x.CartCreate(ds, per, reorder != 0) })
}

func (h *Host) MpiCartCoords(c hostabi.Caller, comm int32, rank int32, maxdims int32, coords hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	co, err := e.c.CartCoords(int(rank))
	if err != nil {
		return h.ret(err)
	}
	if int(maxdims) < len(co) {
		return h.errorf(mpi.ErrArg, "maxdims %d < %d dimensions", maxdims, len(co))
	}
	return h.ret(putInts(mem(c), coords, co, "coords"))
}

func (h *Host) MpiCartRank(c hostabi.Caller, comm int32, coords hostabi.GuestPtr, rank hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	nd, err := e.c.CartDim()
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	co, err := getInts(m, coords, int32(nd), "coords")
	if err != nil {
		return h.ret(err)
	}
	r, err := e.c.CartRank(co)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, rank, int32(r), "rank"))
}

func (h *Host) MpiCartShift(c hostabi.Caller, comm int32, direction int32, disp int32, source hostabi.GuestPtr, dest hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	s, d, err := e.c.CartShift(int(direction), int(disp))
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	if err := putI32(m, source, int32(s), "source"); err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, dest, int32(d), "dest"))
}

func (h *Host) MpiCartSub(c hostabi.Caller, comm int32, remainDims hostabi.GuestPtr, newcomm hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	nd, err := e.c.CartDim()
	if err != nil {
		return h.ret(err)
	}
	keep, err := getBools(mem(c), remainDims, int32(nd), "remain_dims")
	if err != nil {
		return h.ret(err)
	}
	return h.newCommOut(c, comm, newcomm, func(x *mpi.Comm) (*mpi.Comm, error) { return x.CartSub(keep) })
}

func (h *Host) MpiCartGet(c hostabi.Caller, comm int32, maxdims int32, dims hostabi.GuestPtr, periods hostabi.GuestPtr, coords hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	ds, ps, co, err := e.c.CartGet()
	if err != nil {
		return h.ret(err)
	}
	if int(maxdims) < len(ds) {
		return h.errorf(mpi.ErrArg, "maxdims %d < %d dimensions", maxdims, len(ds))
	}
	pi := make([]int, len(ps))
	for i, p := range ps {
		if p {
			pi[i] = 1
		}
	}
	m := mem(c)
	for _, w := range []struct {
		p  hostabi.GuestPtr
		vs []int
	}{{dims, ds}, {periods, pi}, {coords, co}} {
		if err := putInts(m, w.p, w.vs, "cart_get"); err != nil {
			return h.ret(err)
		}
	}
	return MPISuccess, nil
}

func (h *Host) MpiCartdimGet(c hostabi.Caller, comm int32, ndims hostabi.GuestPtr) (int32, error) {
	return h.commOut(c, comm, ndims, (*mpi.Comm).CartDim)
}

func (h *Host) MpiDimsCreate(c hostabi.Caller, nnodes int32, ndims int32, dims hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	ds, err := getInts(m, dims, ndims, "dims")
	if err != nil {
		return h.ret(err)
	}
	if err := mpi.DimsCreate(int(nnodes), ds); err != nil {
		return h.ret(err)
	}
	return h.ret(putInts(m, dims, ds, "dims"))
}

func (h *Host) MpiTopoTest(c hostabi.Caller, comm int32, status hostabi.GuestPtr) (int32, error) {
	return h.commOut(c, comm, status, func(x *mpi.Comm) (int, error) { return int(x.Topo()), nil })
}
