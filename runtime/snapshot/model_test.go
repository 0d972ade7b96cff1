package snapshot

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The reference model: a random memory, random merge regions of every type
// and op, N simulated threads that each work on a private copy and write
// only what the OpenMP race-free contract lets them write (plain bytes and
// overwrite elements owned by one thread; reduction elements updated by any
// thread with the region's operator). The expected master is computed
// directly (for sum: A0 + Σ(Bi1 − Bi0), ...), then checked against merging
// every thread's diffs.

type elemVal struct {
	i int64
	f float64
}

func getElem(mem []byte, t DataType, at int) elemVal {
	le := binary.LittleEndian
	switch t {
	case I32:
		return elemVal{i: int64(int32(le.Uint32(mem[at:])))}
	case I64:
		return elemVal{i: int64(le.Uint64(mem[at:]))}
	case F32:
		return elemVal{f: float64(math.Float32frombits(le.Uint32(mem[at:])))}
	case F64:
		return elemVal{f: math.Float64frombits(le.Uint64(mem[at:]))}
	}
	return elemVal{i: int64(mem[at])}
}

func putElem(mem []byte, t DataType, at int, v elemVal) {
	le := binary.LittleEndian
	switch t {
	case I32:
		le.PutUint32(mem[at:], uint32(v.i))
	case I64:
		le.PutUint64(mem[at:], uint64(v.i))
	case F32:
		le.PutUint32(mem[at:], math.Float32bits(float32(v.f)))
	case F64:
		le.PutUint64(mem[at:], math.Float64bits(v.f))
	default:
		mem[at] = byte(v.i)
	}
}

func isFloat(t DataType) bool { return t == F32 || t == F64 }

type modelCase struct {
	base    []byte // B0: the master when the threads started
	regions []Region
	threads [][]byte // each thread's final replica (B1)
	want    []byte   // the master after merging everything
	// shared: some plain bytes were written by several threads, all with
	// the same value (a benign race, e.g. `found = 1`).
	shared bool
}

var allOps = []MergeOp{Overwrite, Sum, Subtract, Multiply, Divide, Max, Min, Ignore}

type elemWrite struct {
	thread int
	v      elemVal
}

// roundTo returns v as stored in type t (wrapped to 32 bits, rounded to f32).
func roundTo(t DataType, v elemVal) elemVal {
	var b [8]byte
	putElem(b[:], t, 0, v)
	return getElem(b[:], t, 0)
}

func genModel(rng *rand.Rand, maxThreads int) *modelCase {
	page := PageSize
	size := (1 + rng.IntN(10)) * page
	final := size
	if rng.IntN(4) == 0 {
		final += (1 + rng.IntN(2)) * page // memory grew during the interval
	}
	base := make([]byte, size)
	for i := range base {
		base[i] = byte(rng.Uint32())
	}
	if rng.IntN(3) == 0 { // long zero stretches, as in real memories
		s := rng.IntN(size)
		clear(base[s:min(size, s+rng.IntN(3*page))])
	}
	n := 1 + rng.IntN(maxThreads)
	m := &modelCase{base: base}

	// Regions, registered the way the runtime would.
	var reg Regions
	inRegion := make([]bool, final)
	for k := rng.IntN(10); k > 0; k-- {
		t := DataType(rng.IntN(int(numDataTypes)))
		op := allOps[rng.IntN(len(allOps))]
		if t == Raw && op != Ignore {
			op = Overwrite
		}
		elems := 1 + rng.IntN(64)
		length := elems * t.Size()
		if length >= size {
			continue
		}
		off := rng.IntN(size - length) // unaligned on purpose
		r := Region{Offset: uint64(off), Length: uint64(length), Type: t, Op: op}
		if reg.Add(r) != nil {
			continue
		}
		for i := off; i < off+length; i++ {
			inRegion[i] = true
		}
	}
	m.regions = reg.List()

	// Phase 1: initial values of region elements (into base), the threads'
	// element writes and the expected results.
	type staged struct {
		t      DataType
		at     int
		writes []elemWrite
		want   elemVal
		keep   bool // want is the base value
	}
	var elems []staged
	for _, r := range m.regions {
		sz := r.Type.Size()
		for e := 0; e < int(r.Length)/sz; e++ {
			at := int(r.Offset) + e*sz
			init, writes, want, keep := genElem(rng, r.Type, r.Op, n)
			if !keep || r.Op != Overwrite && r.Op != Ignore {
				putElem(base, r.Type, at, init)
			}
			elems = append(elems, staged{r.Type, at, writes, want, keep})
		}
	}
	// Phase 2: replicas start as copies of the base (zero-extended).
	threads := make([][]byte, n)
	for i := range threads {
		threads[i] = make([]byte, final)
		copy(threads[i], base)
	}
	want := make([]byte, final)
	copy(want, base)
	for _, e := range elems {
		for _, w := range e.writes {
			putElem(threads[w.thread], e.t, e.at, w.v)
		}
		if !e.keep {
			putElem(want, e.t, e.at, e.want)
		}
	}

	// Plain bytes: each owned by at most one thread, written by it with
	// probability q, in patterns from byte-interleaved to page-sized chunks.
	// In some cases a few bytes are also stored to by every thread, with
	// one value: shared memory would hold that value.
	sharedP := 0.0
	if n > 1 && rng.IntN(3) == 0 {
		sharedP = []float64{0.001, 0.05}[rng.IntN(2)]
	}
	chunk := []int{1, 2, 4, 8, 64, page}[rng.IntN(6)]
	q := []float64{0.001, 0.02, 0.3, 1}[rng.IntN(4)]
	randomOwner := rng.IntN(2) == 0
	owner := 0
	for i := 0; i < final; i++ {
		if i%chunk == 0 {
			if randomOwner {
				owner = rng.IntN(n + 1) // n: nobody
			} else {
				owner = (i / chunk) % n
			}
		}
		if inRegion[i] {
			continue
		}
		if rng.Float64() < sharedP {
			v := byte(rng.Uint32())
			for th := range threads {
				threads[th][i] = v
			}
			want[i] = v
			m.shared = true
			continue
		}
		if owner == n || rng.Float64() >= q {
			continue
		}
		v := byte(rng.Uint32())
		if rng.IntN(10) == 0 && i < size {
			v = base[i] // written with the same value
		}
		threads[owner][i] = v
		want[i] = v
	}
	m.threads = threads
	m.want = want
	return m
}

// genElem picks an initial value for one element, the threads' writes and
// the expected result. Values are chosen so float results are exact
// (integer-valued sums, power-of-two products and quotients) and so the
// check can be bitwise; integers wrap like native code.
func genElem(rng *rand.Rand, t DataType, op MergeOp, n int) (init elemVal, writes []elemWrite, want elemVal, keep bool) {
	smallInt := func() int64 { return int64(rng.IntN(20001) - 10000) }
	nonzero := func() int64 {
		for {
			if v := smallInt(); v != 0 {
				return v
			}
		}
	}
	pow2 := func() float64 {
		v := math.Ldexp(1, rng.IntN(9)-4)
		if rng.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	touched := func() bool { return rng.IntN(10) < 7 }
	random := func() elemVal { return roundTo(t, elemVal{i: int64(rng.Uint64()), f: rng.NormFloat64() * 1e3}) }
	w := func(th int, v elemVal) { writes = append(writes, elemWrite{th, roundTo(t, v)}) }

	switch op {
	case Ignore:
		for th := 0; th < n; th++ {
			if touched() {
				w(th, random())
			}
		}
		return elemVal{}, writes, elemVal{}, true
	case Overwrite:
		if touched() {
			v := random()
			w(rng.IntN(n), v)
			return elemVal{}, writes, v, false
		}
		return elemVal{}, nil, elemVal{}, true
	case Sum, Subtract:
		init = roundTo(t, elemVal{i: int64(rng.Uint64()), f: float64(smallInt())})
		acc := init
		for th := 0; th < n; th++ {
			if !touched() {
				continue
			}
			p := elemVal{i: int64(rng.Uint64()), f: float64(nonzero())}
			if op == Subtract {
				p = elemVal{i: -p.i, f: -p.f}
			}
			w(th, elemVal{i: init.i + p.i, f: init.f + p.f})
			acc = elemVal{i: acc.i + p.i, f: acc.f + p.f}
		}
		return init, writes, roundTo(t, acc), false
	case Multiply:
		init = roundTo(t, elemVal{i: int64(rng.Uint64()), f: float64(nonzero())})
		if rng.IntN(8) == 0 {
			init = elemVal{} // B0 == 0: the product stays 0
		}
		acc := init
		for th := 0; th < n; th++ {
			if !touched() {
				continue
			}
			p := elemVal{i: int64(rng.Uint64() >> rng.IntN(64)), f: pow2()}
			if rng.IntN(4) == 0 {
				p.i = int64(rng.IntN(7)) - 3 // small, even, negative, zero
			}
			w(th, elemVal{i: init.i * p.i, f: init.f * p.f})
			acc = elemVal{i: acc.i * p.i, f: acc.f * p.f}
		}
		return init, writes, roundTo(t, acc), false
	case Divide:
		ps := make([]int64, n)
		prod := int64(1)
		for th := range ps {
			ps[th] = int64(1 + rng.IntN(4))
			if rng.IntN(3) == 0 {
				ps[th] = -ps[th]
			}
			prod *= ps[th]
		}
		init = roundTo(t, elemVal{i: prod * int64(1+rng.IntN(1000)), f: float64(nonzero())})
		acc := init
		for th := 0; th < n; th++ {
			if !touched() {
				continue
			}
			f := pow2()
			w(th, elemVal{i: init.i / ps[th], f: init.f / f})
			acc = elemVal{i: acc.i / ps[th], f: acc.f / f}
		}
		return init, writes, roundTo(t, acc), false
	case Max, Min:
		init = random()
		acc := init
		for th := 0; th < n; th++ {
			if !touched() {
				continue
			}
			v := random()
			if op == Max {
				w(th, elemVal{i: max(init.i, v.i), f: max(init.f, v.f)})
				acc = elemVal{i: max(acc.i, v.i), f: max(acc.f, v.f)}
			} else {
				w(th, elemVal{i: min(init.i, v.i), f: min(init.f, v.f)})
				acc = elemVal{i: min(acc.i, v.i), f: min(acc.f, v.f)}
			}
		}
		return init, writes, acc, false
	}
	panic("unreachable")
}

// diffThread computes one thread's batch the way a replica would.
func diffThread(t *testing.T, m *modelCase, th int, gap int, allDirty bool) Batch {
	return diffThreadOpt(t, m, th, DiffOptions{Gap: gap}, allDirty)
}

func diffThreadOpt(t *testing.T, m *modelCase, th int, opt DiffOptions, allDirty bool) Batch {
	mem := m.threads[th]
	npages := (len(mem) + PageSize - 1) / PageSize
	dirty := NewPageSet(npages)
	if allDirty {
		dirty.AddRange(0, npages)
	} else {
		require.NoError(t, CompareTracker{}.Dirty(mem, m.base, dirty))
	}
	return ComputeDiffs(mem, m.base, dirty, m.regions, opt)
}

func TestDiffMergeMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	iters := 200
	if testing.Short() {
		iters = 50
	}
	for iter := 0; iter < iters; iter++ {
		m := genModel(rng, 5)
		gap := []int{-1, 0, 1, 8, 64, 512}[rng.IntN(6)]
		// The Xor encoding is exact only without same-value stores.
		xor := !m.shared && rng.IntN(4) == 0
		master := make([]byte, len(m.want))
		copy(master, m.base)
		merger := NewMerger(master)
		batches := make([]Batch, len(m.threads))
		for th := range m.threads {
			batches[th] = diffThreadOpt(t, m, th, DiffOptions{Gap: gap, Xor: xor}, rng.IntN(2) == 0)
			checkBatchShape(t, batches[th])
		}
		// Merge concurrently: one goroutine per thread's batch. Batches that
		// store to one byte (the same value) would race: those merge one
		// after another, in a random order.
		if m.shared {
			for _, i := range rng.Perm(len(batches)) {
				require.NoError(t, merger.Apply(batches[i]))
			}
			requireSameMemory(t, m, master, "iter %d gap %d threads %d (sequential)", iter, gap, len(m.threads))
			continue
		}
		var wg sync.WaitGroup
		errs := make([]error, len(batches))
		for i, b := range batches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = merger.Apply(b)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		requireSameMemory(t, m, master, "iter %d gap %d threads %d", iter, gap, len(m.threads))
	}
}

func checkBatchShape(t *testing.T, b Batch) {
	t.Helper()
	for i := range b {
		require.NoError(t, b[i].Validate())
		require.NotEmpty(t, b[i].Data)
		if i > 0 {
			require.LessOrEqual(t, b[i-1].End(), b[i].Offset, "diffs sorted and disjoint")
		}
	}
}

func requireSameMemory(t *testing.T, m *modelCase, got []byte, msgAndArgs ...any) {
	t.Helper()
	if string(got) == string(m.want) {
		return
	}
	for i := range got {
		if got[i] != m.want[i] {
			where := "plain memory"
			for _, r := range m.regions {
				if uint64(i) >= r.Offset && uint64(i) < r.End() {
					where = r.String()
				}
			}
			require.Failf(t, "master differs from the model", "first at byte %d (%s): got %#x want %#x base %#x; %v",
				i, where, got[i], m.want[i], elemOr(m.base, i), msgAndArgs)
		}
	}
}

func elemOr(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}
