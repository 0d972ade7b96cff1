package datatype

import (
	"errors"
	"fmt"
)

// Undefined stands for MPI_UNDEFINED in the results of GetCount and GetElements.
const Undefined = -32766

// GetCount is MPI_Get_count: how many whole elements of t nbytes of data are, or
// Undefined when nbytes is not a whole number of elements.
func GetCount(t *Type, nbytes int64) int64 {
	if t.size == 0 {
		return 0
	}
	if nbytes%t.size != 0 {
		return Undefined
	}
	return nbytes / t.size
}

// GetElements is MPI_Get_elements: how many basic elements (a pair counts as
// two) the leading nbytes of data of a sequence of elements of t hold. That
// number need not be a multiple of NumBasic: a short message may end inside
// an element. Undefined when nbytes ends inside a basic element.
func GetElements(t *Type, nbytes int64) int64 {
	if t.size == 0 || nbytes <= 0 {
		return 0
	}
	full, rest := nbytes/t.size, nbytes%t.size
	n, ok := elementsIn(t, rest)
	if !ok {
		return Undefined
	}
	return full*t.nbasic + n
}

// elementsIn counts the basic elements in the first rest (< size) bytes of
// one element of t; ok is false when rest ends inside a basic element.
func elementsIn(t *Type, rest int64) (int64, bool) {
	if rest == 0 {
		return 0, true
	}
	if t.entries == nil {
		return 0, false
	}
	var n int64
	for _, e := range t.entries {
		ch := e.child
		if ch.size == 0 || e.n == 0 || e.blocklen == 0 {
			continue
		}
		copies := e.n * e.blocklen
		if k := rest / ch.size; k < copies {
			m, ok := elementsIn(ch, rest-k*ch.size)
			return n + k*ch.nbasic + m, ok
		}
		n += copies * ch.nbasic
		rest -= copies * ch.size
	}
	return n, rest == 0
}

// Run is a run of N consecutive basic elements of the same predefined type in
// a type signature.
type Run struct {
	Type *Type
	N    int64
}

// maxRuns bounds Signature, which is for debugging.
const maxRuns = 1 << 16

// Signature returns the type signature of one element of t, run-length
// encoded, with pair types expanded into their two members. It fails with
// ErrTooLarge past 65536 runs.
func (t *Type) Signature() ([]Run, error) {
	var rs []Run
	if err := appendSig(&rs, t, 1); err != nil {
		return nil, fmt.Errorf("datatype.signature: %w", err)
	}
	return rs, nil
}

func appendSig(rs *[]Run, t *Type, times int64) error {
	if times == 0 || t.nbasic == 0 {
		return nil
	}
	if t.entries == nil {
		if n := len(*rs); n > 0 && (*rs)[n-1].Type == t {
			(*rs)[n-1].N += times
			return nil
		}
		if len(*rs) >= maxRuns {
			return ErrTooLarge
		}
		*rs = append(*rs, Run{t, times})
		return nil
	}
	if t.leaf != nil && t.leaf.entries == nil {
		return appendSig(rs, t.leaf, times*t.nbasic)
	}
	for range times {
		for _, e := range t.entries {
			if err := appendSig(rs, e.child, e.n*e.blocklen); err != nil {
				return err
			}
		}
		if len(*rs) >= maxRuns {
			return ErrTooLarge
		}
	}
	return nil
}

// Compatible reports whether a message of sendCount elements of send can be
// received into recvCount elements of recv under MPI's type matching rules:
// the send signature must be a prefix of the receive signature. A side made
// only of MPI_BYTE or MPI_PACKED matches anything that fits in bytes. FaasMPI does not enforce this (neither do
// the common implementations); it is for a debugging mode.
func Compatible(send *Type, sendCount int, recv *Type, recvCount int) (bool, error) {
	if wildcard(send.leaf) || wildcard(recv.leaf) {
		sn, err1 := PackSize(sendCount, send)
		rn, err2 := PackSize(recvCount, recv)
		return sn <= rn, errors.Join(err1, err2)
	}
	ss, err := send.Signature()
	if err != nil {
		return false, err
	}
	rs, err := recv.Signature()
	if err != nil {
		return false, err
	}
	si, ri := sigIter{runs: ss, reps: int64(sendCount)}, sigIter{runs: rs, reps: int64(recvCount)}
	for {
		a, an := si.peek()
		if a == nil {
			return true, nil
		}
		b, bn := ri.peek()
		if b == nil {
			return false, nil // message longer than the receive buffer
		}
		if a != b {
			return false, nil
		}
		k := min(an, bn)
		si.skip(k)
		ri.skip(k)
	}
}

func wildcard(t *Type) bool { return t == Byte || t == Packed }

type sigIter struct {
	runs     []Run
	reps     int64
	rep      int64
	i        int
	consumed int64
}

func (s *sigIter) peek() (*Type, int64) {
	for s.rep < s.reps && len(s.runs) > 0 {
		if s.i < len(s.runs) {
			return s.runs[s.i].Type, s.runs[s.i].N - s.consumed
		}
		s.i, s.rep = 0, s.rep+1
	}
	return nil, 0
}

func (s *sigIter) skip(k int64) {
	if s.consumed += k; s.consumed == s.runs[s.i].N {
		s.i, s.consumed = s.i+1, 0
	}
}
