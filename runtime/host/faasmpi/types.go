package faasmpi

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// newTypeOut stores a constructed type and writes its handle.
func (h *Host) newTypeOut(c hostabi.Caller, p hostabi.GuestPtr, t *dt.Type, err error) (int32, error) {
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, p, h.newType(t))
}

func (h *Host) MpiTypeContiguous(c hostabi.Caller, count int32, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Contiguous(int(count), old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeVector(c hostabi.Caller, count int32, blocklength int32, stride int32, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Vector(int(count), int(blocklength), int(stride), old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeHvector(c hostabi.Caller, count int32, blocklength int32, stride int32, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Hvector(int(count), int(blocklength), int64(stride), old)
	return h.newTypeOut(c, newtype, t, err)
}

func int64s(vs []int) []int64 {
	out := make([]int64, len(vs))
	for i, v := range vs {
		out[i] = int64(v)
	}
	return out
}

func (h *Host) indexedArgs(c hostabi.Caller, count int32, blocklengths, displs hostabi.GuestPtr, oldtype int32) ([]int, []int, *dt.Type, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return nil, nil, nil, err
	}
	m := mem(c)
	var bls []int
	if blocklengths != 0 {
		if bls, err = getInts(m, blocklengths, count, "blocklengths"); err != nil {
			return nil, nil, nil, err
		}
	}
	ds, err := getInts(m, displs, count, "displacements")
	return bls, ds, old, err
}

func (h *Host) MpiTypeIndexed(c hostabi.Caller, count int32, blocklengths hostabi.GuestPtr, displs hostabi.GuestPtr, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	bls, ds, old, err := h.indexedArgs(c, count, blocklengths, displs, oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Indexed(bls, ds, old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeHindexed(c hostabi.Caller, count int32, blocklengths hostabi.GuestPtr, displs hostabi.GuestPtr, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	bls, ds, old, err := h.indexedArgs(c, count, blocklengths, displs, oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Hindexed(bls, int64s(ds), old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeIndexedBlock(c hostabi.Caller, count int32, blocklength int32, displs hostabi.GuestPtr, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	_, ds, old, err := h.indexedArgs(c, count, 0, displs, oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.IndexedBlock(int(blocklength), ds, old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeHindexedBlock(c hostabi.Caller, count int32, blocklength int32, displs hostabi.GuestPtr, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	_, ds, old, err := h.indexedArgs(c, count, 0, displs, oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.HindexedBlock(int(blocklength), int64s(ds), old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeStruct(c hostabi.Caller, count int32, blocklengths hostabi.GuestPtr, displs hostabi.GuestPtr, types hostabi.GuestPtr, newtype hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	bls, err := getInts(m, blocklengths, count, "blocklengths")
	if err != nil {
		return h.ret(err)
	}
	ds, err := getInts(m, displs, count, "displacements")
	if err != nil {
		return h.ret(err)
	}
	hs, err := getInts(m, types, count, "types")
	if err != nil {
		return h.ret(err)
	}
	ts := make([]*dt.Type, len(hs))
	for i, hd := range hs {
		if ts[i], err = h.dtype(int32(hd)); err != nil {
			return h.ret(err)
		}
	}
	t, err := dt.Struct(bls, int64s(ds), ts)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeSubarray(c hostabi.Caller, ndims int32, sizes hostabi.GuestPtr, subsizes hostabi.GuestPtr, starts hostabi.GuestPtr, order int32, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	var arrs [3][]int
	for i, p := range []hostabi.GuestPtr{sizes, subsizes, starts} {
		if arrs[i], err = getInts(m, p, ndims, "subarray"); err != nil {
			return h.ret(err)
		}
	}
	t, err := dt.Subarray(arrs[0], arrs[1], arrs[2], dt.Order(order), old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeResized(c hostabi.Caller, oldtype int32, lb int32, extent int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Resized(old, int64(lb), int64(extent))
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeDup(c hostabi.Caller, oldtype int32, newtype hostabi.GuestPtr) (int32, error) {
	old, err := h.dtype(oldtype)
	if err != nil {
		return h.ret(err)
	}
	t, err := dt.Dup(old)
	return h.newTypeOut(c, newtype, t, err)
}

func (h *Host) MpiTypeCommit(c hostabi.Caller, datatype hostabi.GuestPtr) (int32, error) {
	handle, err := getI32(mem(c), datatype, "datatype")
	if err != nil {
		return h.ret(err)
	}
	t, err := h.dtype(handle)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(t.Commit())
}

func (h *Host) MpiTypeFree(c hostabi.Caller, datatype hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, datatype, "datatype")
	if err != nil {
		return h.ret(err)
	}
	if h.types[handle] == nil {
		return h.errorf(dt.ErrType, "MPI_Type_free of handle %d (predefined types cannot be freed)", handle)
	}
	delete(h.types, handle) // pending requests hold the *Type itself
	return h.ret(putI32(m, datatype, MPIDatatypeNull, "datatype"))
}

func (h *Host) MpiTypeSize(c hostabi.Caller, datatype int32, size hostabi.GuestPtr) (int32, error) {
	t, err := h.dtype(datatype)
	if err != nil {
		return h.ret(err)
	}
	s := t.Size()
	if s > 1<<31-1 {
		s = mpi.Undefined
	}
	return h.out(c, size, int32(s))
}

func (h *Host) extentOut(c hostabi.Caller, lbp, extp hostabi.GuestPtr, lb, ext int64) (int32, error) {
	m := mem(c)
	if err := putI32(m, lbp, int32(lb), "lb"); err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, extp, int32(ext), "extent"))
}

func (h *Host) MpiTypeGetExtent(c hostabi.Caller, datatype int32, lb hostabi.GuestPtr, extent hostabi.GuestPtr) (int32, error) {
	t, err := h.dtype(datatype)
	if err != nil {
		return h.ret(err)
	}
	l, e := t.Extent()
	return h.extentOut(c, lb, extent, l, e)
}

func (h *Host) MpiTypeGetTrueExtent(c hostabi.Caller, datatype int32, lb hostabi.GuestPtr, extent hostabi.GuestPtr) (int32, error) {
	t, err := h.dtype(datatype)
	if err != nil {
		return h.ret(err)
	}
	l, e := t.TrueExtent()
	return h.extentOut(c, lb, extent, l, e)
}

func (h *Host) MpiPack(c hostabi.Caller, inbuf hostabi.GuestPtr, incount int32, datatype int32, outbuf hostabi.GuestPtr, outsize int32, position hostabi.GuestPtr, comm int32) (int32, error) {
	t, err := h.ctype(datatype)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	pos, err := getI32(m, position, "position")
	if err != nil {
		return h.ret(err)
	}
	if pos < 0 || pos > outsize {
		return h.errorf(mpi.ErrArg, "position %d outside %d-byte buffer", pos, outsize)
	}
	out, err := view(m, outbuf+hostabi.GuestPtr(pos), int64(outsize-pos), "outbuf")
	if err != nil {
		return h.ret(err)
	}
	n, err := dt.Pack(out, m, int64(inbuf), int(incount), t)
	if err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, position, pos+int32(n), "position"))
}

func (h *Host) MpiUnpack(c hostabi.Caller, inbuf hostabi.GuestPtr, insize int32, position hostabi.GuestPtr, outbuf hostabi.GuestPtr, outcount int32, datatype int32, comm int32) (int32, error) {
	t, err := h.ctype(datatype)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	pos, err := getI32(m, position, "position")
	if err != nil {
		return h.ret(err)
	}
	if pos < 0 || pos > insize {
		return h.errorf(mpi.ErrArg, "position %d outside %d-byte buffer", pos, insize)
	}
	need, err := dt.PackSize(int(outcount), t)
	if err != nil {
		return h.ret(err)
	}
	if need > int64(insize-pos) {
		return h.errorf(mpi.ErrTruncate, "unpacking %d bytes from %d", need, insize-pos)
	}
	in, err := view(m, inbuf+hostabi.GuestPtr(pos), need, "inbuf")
	if err != nil {
		return h.ret(err)
	}
	// The packed bytes may overlap the output only in erroneous programs;
	// copy them so Unpack never reads what it already wrote.
	n, err := dt.Unpack(m, int64(outbuf), int(outcount), t, append([]byte(nil), in...))
	if err != nil {
		return h.ret(err)
	}
	return h.ret(putI32(m, position, pos+int32(n), "position"))
}

func (h *Host) MpiPackSize(c hostabi.Caller, incount int32, datatype int32, comm int32, size hostabi.GuestPtr) (int32, error) {
	t, err := h.dtype(datatype)
	if err != nil {
		return h.ret(err)
	}
	n, err := dt.PackSize(int(incount), t)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, size, int32(n))
}

// ---- user-defined ops ----

func (h *Host) MpiOpCreate(c hostabi.Caller, fn int32, trampoline int32, scratch int32, commute int32, o hostabi.GuestPtr) (int32, error) {
	u := &userOp{fn: fn, trampoline: uint32(trampoline), scratch: uint32(scratch)}
	// The core calls Op.Fn; the op engine's UserFunc form is not used for
	// guest ops (the adapter wraps the guest call in reduceOp).
	u.o = op.New(func([]byte, int64, []byte, int64, int, *dt.Type) error {
		return fmt.Errorf("guest op called through the op engine")
	}, commute != 0)
	id := h.nextOp
	h.nextOp++
	h.ops[id] = u
	return h.out(c, o, id)
}

func (h *Host) MpiOpFree(c hostabi.Caller, o hostabi.GuestPtr) (int32, error) {
	m := mem(c)
	handle, err := getI32(m, o, "op")
	if err != nil {
		return h.ret(err)
	}
	if h.ops[handle] == nil {
		return h.errorf(mpi.ErrOp, "MPI_Op_free of handle %d", handle)
	}
	delete(h.ops, handle)
	return h.ret(putI32(m, o, MPIOpNull, "op"))
}

func (h *Host) MpiOpCommutative(c hostabi.Caller, o int32, commute hostabi.GuestPtr) (int32, error) {
	po, _, err := h.op(o)
	if err != nil {
		return h.ret(err)
	}
	return h.out(c, commute, b2i(po.Commutative()))
}
