package faasmpi

import (
	"fmt"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
)

// sendData resolves count elements of t at p for sending: a view of guest
// memory for dense types, packed bytes otherwise.
func sendData(m []byte, p hostabi.GuestPtr, count int32, t *dt.Type) ([]byte, error) {
	if count < 0 {
		return nil, fmt.Errorf("count %d: %w", count, mpi.ErrCount)
	}
	if t.Dense() {
		lb, _ := t.Extent()
		off := int64(p) + lb
		n := int64(count) * t.Size()
		if off < 0 || off+n > int64(len(m)) {
			return nil, badPtr("buffer", p, n)
		}
		return m[off : off+n : off+n], nil
	}
	n, err := dt.PackSize(int(count), t)
	if err != nil {
		return nil, err
	}
	tmp := make([]byte, n)
	if _, err := dt.Pack(tmp, m, int64(p), int(count), t); err != nil {
		return nil, err
	}
	return tmp, nil
}

// rbuf is a resolved receive buffer: a view, or a host buffer to unpack
// into guest memory once the data is there.
type rbuf struct {
	data   []byte
	packed bool
	ptr    int64
	count  int
	t      *dt.Type
}

func recvData(m []byte, p hostabi.GuestPtr, count int32, t *dt.Type) (rbuf, error) {
	if count < 0 {
		return rbuf{}, fmt.Errorf("count %d: %w", count, mpi.ErrCount)
	}
	if t.Dense() {
		b, err := sendData(m, p, count, t)
		return rbuf{data: b}, err
	}
	if err := dt.CheckBounds(m, int64(p), int(count), t); err != nil {
		return rbuf{}, err
	}
	n, err := dt.PackSize(int(count), t)
	if err != nil {
		return rbuf{}, err
	}
	return rbuf{data: make([]byte, n), packed: true, ptr: int64(p), count: int(count), t: t}, nil
}

// finish unpacks the n bytes received (a no-op for views).
func (b *rbuf) finish(m []byte, n int) error {
	if !b.packed {
		return nil
	}
	_, err := dt.Unpack(m, b.ptr, b.count, b.t, b.data[:min(n, len(b.data))])
	return err
}

func (h *Host) p2pArgs(c hostabi.Caller, comm, datatype int32) (*commEntry, *dt.Type, []byte, error) {
	e, err := h.comm(comm)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := h.ctype(datatype)
	if err != nil {
		return nil, nil, nil, err
	}
	return e, t, mem(c), nil
}

// sendArgs resolves a send: its communicator, type and data (a view, or a
// packed copy).
func (h *Host) sendArgs(c hostabi.Caller, buf hostabi.GuestPtr, count, datatype, comm int32) (*commEntry, *dt.Type, []byte, error) {
	e, t, m, err := h.p2pArgs(c, comm, datatype)
	if err != nil {
		return nil, nil, nil, err
	}
	data, err := sendData(m, buf, count, t)
	return e, t, data, err
}

// recvArgs resolves a receive: its communicator and buffer.
func (h *Host) recvArgs(c hostabi.Caller, buf hostabi.GuestPtr, count, datatype, comm int32) (*commEntry, rbuf, error) {
	e, t, m, err := h.p2pArgs(c, comm, datatype)
	if err != nil {
		return nil, rbuf{}, err
	}
	rb, err := recvData(m, buf, count, t)
	return e, rb, err
}

func (h *Host) MpiSend(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, dest int32, tag int32, comm int32, mode int32) (int32, error) {
	e, _, data, err := h.sendArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	switch mode {
	case FaasmpiModeSync:
		err = e.c.Ssend(data, int(dest), int(tag))
	case FaasmpiModeBuffered:
		err = e.c.Bsend(data, int(dest), int(tag))
	case FaasmpiModeReady:
		err = e.c.Rsend(data, int(dest), int(tag))
	default:
		err = e.c.Send(data, int(dest), int(tag))
	}
	return h.ret(err)
}

func (h *Host) isend(c hostabi.Caller, buf hostabi.GuestPtr, count, datatype, dest, tag, comm, mode int32, request hostabi.GuestPtr, persistent bool) (int32, error) {
	e, t, data, err := h.sendArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	var q *mpi.Request
	d, tg := int(dest), int(tag)
	switch {
	case persistent && mode == FaasmpiModeSync:
		q, err = e.c.SsendInit(data, d, tg)
	case persistent && mode == FaasmpiModeBuffered:
		q, err = e.c.BsendInit(data, d, tg)
	case persistent && mode == FaasmpiModeReady:
		q, err = e.c.RsendInit(data, d, tg)
	case persistent:
		q, err = e.c.SendInit(data, d, tg)
	case mode == FaasmpiModeSync:
		q, err = e.c.Issend(data, d, tg)
	case mode == FaasmpiModeBuffered:
		q, err = e.c.Ibsend(data, d, tg)
	case mode == FaasmpiModeReady:
		q, err = e.c.Irsend(data, d, tg)
	default:
		q, err = e.c.Isend(data, d, tg)
	}
	if err != nil {
		return h.ret(err)
	}
	re := h.newEntry(q)
	if persistent && !t.Dense() {
		// The packed copy must follow the guest's data at every Start.
		re.start = func(m []byte) error {
			_, err := dt.Pack(data, m, int64(buf), int(count), t)
			return err
		}
	}
	return h.out(c, request, h.newReq(re))
}

func (h *Host) MpiIsend(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, dest int32, tag int32, comm int32, mode int32, request hostabi.GuestPtr) (int32, error) {
	return h.isend(c, buf, count, datatype, dest, tag, comm, mode, request, false)
}

func (h *Host) MpiSendInit(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, dest int32, tag int32, comm int32, mode int32, request hostabi.GuestPtr) (int32, error) {
	return h.isend(c, buf, count, datatype, dest, tag, comm, mode, request, true)
}

func (h *Host) MpiRecv(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, source int32, tag int32, comm int32, status hostabi.GuestPtr) (int32, error) {
	e, rb, err := h.recvArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	st, err := e.c.Recv(rb.data, int(source), int(tag))
	return h.finishRecv(c, &rb, st, err, status)
}

// finishRecv unpacks and writes the status of a completed receive.
func (h *Host) finishRecv(c hostabi.Caller, rb *rbuf, st mpi.Status, err error, status hostabi.GuestPtr) (int32, error) {
	if err != nil && !isReqErr(err) {
		return h.ret(err)
	}
	m := mem(c)
	if ferr := rb.finish(m, st.Count); ferr != nil && err == nil {
		err = ferr
	}
	if serr := writeStatus(m, status, st, false); serr != nil && err == nil {
		err = serr
	}
	return h.ret(err)
}

// isReqErr reports whether err is about the request (status still valid)
// rather than a failed call.
func isReqErr(err error) bool {
	c := ErrorClass(err)
	return c == MPIErrTruncate
}

func (h *Host) irecv(c hostabi.Caller, buf hostabi.GuestPtr, count, datatype, source, tag, comm int32, request hostabi.GuestPtr, persistent bool) (int32, error) {
	e, rb, err := h.recvArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	var q *mpi.Request
	if persistent {
		q, err = e.c.RecvInit(rb.data, int(source), int(tag))
	} else {
		q, err = e.c.Irecv(rb.data, int(source), int(tag))
	}
	if err != nil {
		return h.ret(err)
	}
	re := h.newEntry(q)
	if rb.packed {
		packed := rb // only a packed receive's buffer moves to the heap
		re.finish = func(m []byte, st mpi.Status) error { return packed.finish(m, st.Count) }
	}
	return h.out(c, request, h.newReq(re))
}

func (h *Host) MpiIrecv(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, source int32, tag int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	return h.irecv(c, buf, count, datatype, source, tag, comm, request, false)
}

func (h *Host) MpiRecvInit(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, source int32, tag int32, comm int32, request hostabi.GuestPtr) (int32, error) {
	return h.irecv(c, buf, count, datatype, source, tag, comm, request, true)
}

func (h *Host) MpiSendrecv(c hostabi.Caller, sendbuf hostabi.GuestPtr, sendcount int32, sendtype int32, dest int32, sendtag int32, recvbuf hostabi.GuestPtr, recvcount int32, recvtype int32, source int32, recvtag int32, comm int32, status hostabi.GuestPtr) (int32, error) {
	e, _, sdata, err := h.sendArgs(c, sendbuf, sendcount, sendtype, comm)
	if err != nil {
		return h.ret(err)
	}
	_, rb, err := h.recvArgs(c, recvbuf, recvcount, recvtype, comm)
	if err != nil {
		return h.ret(err)
	}
	st, err := e.c.Sendrecv(sdata, int(dest), int(sendtag), rb.data, int(source), int(recvtag))
	return h.finishRecv(c, &rb, st, err, status)
}

func (h *Host) MpiSendrecvReplace(c hostabi.Caller, buf hostabi.GuestPtr, count int32, datatype int32, dest int32, sendtag int32, source int32, recvtag int32, comm int32, status hostabi.GuestPtr) (int32, error) {
	e, rb, err := h.recvArgs(c, buf, count, datatype, comm)
	if err != nil {
		return h.ret(err)
	}
	if rb.packed {
		if _, err := dt.Pack(rb.data, mem(c), int64(buf), int(count), rb.t); err != nil {
			return h.ret(err)
		}
	}
	st, err := e.c.SendrecvReplace(rb.data, int(dest), int(sendtag), int(source), int(recvtag))
	return h.finishRecv(c, &rb, st, err, status)
}

func (h *Host) MpiProbe(c hostabi.Caller, source int32, tag int32, comm int32, status hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	st, err := e.c.Probe(int(source), int(tag))
	if err != nil {
		return h.ret(err)
	}
	return h.ret(writeStatus(mem(c), status, st, false))
}

func (h *Host) MpiIprobe(c hostabi.Caller, source int32, tag int32, comm int32, flag hostabi.GuestPtr, status hostabi.GuestPtr) (int32, error) {
	e, err := h.comm(comm)
	if err != nil {
		return h.ret(err)
	}
	ok, st, err := e.c.Iprobe(int(source), int(tag))
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	if ok {
		if err := writeStatus(m, status, st, false); err != nil {
			return h.ret(err)
		}
	}
	return h.ret(putI32(m, flag, b2i(ok), "flag"))
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func (h *Host) MpiGetCount(c hostabi.Caller, status hostabi.GuestPtr, datatype int32, count hostabi.GuestPtr) (int32, error) {
	return h.getCount(c, status, datatype, count, dt.GetCount)
}

func (h *Host) MpiGetElements(c hostabi.Caller, status hostabi.GuestPtr, datatype int32, count hostabi.GuestPtr) (int32, error) {
	return h.getCount(c, status, datatype, count, dt.GetElements)
}

func (h *Host) getCount(c hostabi.Caller, status hostabi.GuestPtr, datatype int32, count hostabi.GuestPtr, f func(*dt.Type, int64) int64) (int32, error) {
	t, err := h.dtype(datatype)
	if err != nil {
		return h.ret(err)
	}
	m := mem(c)
	n, err := readStatusCount(m, status)
	if err != nil {
		return h.ret(err)
	}
	v := f(t, n)
	if v > 1<<31-1 {
		v = mpi.Undefined
	}
	return h.ret(putI32(m, count, int32(v), "count"))
}

func (h *Host) MpiBufferAttach(c hostabi.Caller, buffer hostabi.GuestPtr, size int32) (int32, error) {
	if err := h.rank.BufferAttach(int(size)); err != nil {
		return h.ret(err)
	}
	h.bsendBuf = size
	return MPISuccess, nil
}

func (h *Host) MpiBufferDetach(c hostabi.Caller, size hostabi.GuestPtr) (int32, error) {
	n, err := h.rank.BufferDetach()
	if err != nil {
		return h.ret(err)
	}
	h.bsendBuf = 0
	return h.out(c, size, int32(n))
}
