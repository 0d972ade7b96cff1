package job

// --omp-memory=private: every thread runs on a copy-on-write replica of the
// team's memory; changes move only as FDiffs (runtime/snapshot), with lazy
// release consistency:
//
//   - fork (sync kind 0 on the master): every pending batch (lock hand-overs,
//     joins, re-created replicas) and the master's own changes merge into the
//     master copy while the workers are parked, the atomic words are written
//     back, and the master's replica is refreshed; each worker then ships its
//     own (stack) changes and refreshes (kind 1) before it runs its part;
//   - join: a worker collects its changes (kind 2) and they wait for the
//     master, which merges everything after the last arrival (kind 0);
//   - barrier: every member collects, the last arrival merges all batches
//     (the master copy changes only while all members are in the barrier),
//     and every member refreshes;
//   - lock: the releaser collects its batch and leaves it on the lock; the
//     next holder applies the batches it has not seen (and every batch
//     still merges at the next barrier or join, Xor diffs compose);
//   - atomics: faasm run rewrote every atomic instruction into a call to
//     Atomic/Cmpxchg (runtime/omp/wasmrw), which work on one authoritative
//     copy per word here, written back to the master copy at merges.
//
// Reductions use the critical method (a lock), so the compiler's combining
// code sees the previous holders' results; no merge regions are needed.

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/engine"
	"github.com/faasm-go/faasm/runtime/omp/wasmrw"
	"github.com/faasm-go/faasm/runtime/snapshot"
)

// privateModule rewrites the module's atomic instructions into calls to
// libfaasmp's helpers (runtime/omp/wasmrw), which end in Atomic/Cmpxchg.
func privateModule(wasm []byte) ([]byte, error) {
	out, _, err := wasmrw.Rewrite(wasm)
	if err != nil {
		return nil, fmt.Errorf("--omp-memory=private: %w", err)
	}
	return out, nil
}

type privateSync struct {
	t *ompTeam

	mu       sync.Mutex
	atom     map[uint32]atomWord
	pending  []snapshot.Batch // join batches and lock batches since the last merge
	barriers map[uint32]*pbarrier
	locks    map[uint32]*plock
}

type atomWord struct {
	v    uint64
	size int
}

type pbarrier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	count   int
	gen     int
	batches []snapshot.Batch
	err     error
}

type plock struct {
	ch   chan struct{} // holds one token when free
	log  []ownedBatch
	seen map[hostabi.Caller]int
}

type ownedBatch struct {
	owner any
	b     snapshot.Batch
}

func newPrivateSync(t *ompTeam) *privateSync {
	return &privateSync{t: t, atom: map[uint32]atomWord{}, barriers: map[uint32]*pbarrier{}, locks: map[uint32]*plock{}}
}

func (p *privateSync) mem() (*engine.TeamMemory, error) {
	m := p.t.mem.Load()
	if m == nil {
		return nil, fmt.Errorf("private memory: no team memory yet")
	}
	return m, nil
}

// mergeAll merges every pending batch plus extra into the master copy and
// writes the atomic words back. Callers guarantee quiescence.
func (p *privateSync) mergeAll(m *engine.TeamMemory, extra []snapshot.Batch) error {
	p.mu.Lock()
	batches := append(p.pending, extra...)
	p.pending = nil
	for _, l := range p.locks {
		l.log = nil
		clear(l.seen)
	}
	atom := p.atom
	p.atom = map[uint32]atomWord{}
	p.mu.Unlock()
	batches = append(batches, m.TakePending()...)
	if err := m.Merge(batches...); err != nil {
		return err
	}
	var buf [8]byte
	for addr, w := range atom {
		binary.LittleEndian.PutUint64(buf[:], w.v)
		if err := m.WriteMaster(buf[:w.size], int64(addr)); err != nil {
			return err
		}
	}
	return nil
}

// Sync implements the fork/join steps (see the file comment).
func (p *privateSync) Sync(c hostabi.Caller, kind int32) error {
	m, err := p.mem()
	if err != nil {
		// No thread yet: the fork that spawns them shares memory first.
		return nil
	}
	b, err := m.Collect(c)
	if err != nil {
		return err
	}
	switch kind {
	case 0:
		if err := p.mergeAll(m, []snapshot.Batch{b}); err != nil {
			return err
		}
		return m.Refresh(c)
	case 1:
		// The master copy must not change while the master runs, so the
		// worker's own changes since it parked (its stack) wait for the
		// next merge; the worker refreshes and takes them back.
		p.mu.Lock()
		p.pending = append(p.pending, b)
		p.mu.Unlock()
		if err := m.Refresh(c); err != nil {
			return err
		}
		return m.Apply(c, b)
	case 2:
		p.mu.Lock()
		p.pending = append(p.pending, b)
		p.mu.Unlock()
		return nil
	}
	return fmt.Errorf("sync_private: unknown kind %d", kind)
}

func (p *privateSync) Barrier(c hostabi.Caller, team uint32, n int) error {
	m, err := p.mem()
	if err != nil {
		return err
	}
	p.mu.Lock()
	pb := p.barriers[team]
	if pb == nil {
		pb = &pbarrier{}
		pb.cond = sync.NewCond(&pb.mu)
		p.barriers[team] = pb
	}
	p.mu.Unlock()
	b, err := m.Collect(c)
	if err != nil {
		return err
	}
	pb.mu.Lock()
	pb.batches = append(pb.batches, b)
	pb.count++
	gen := pb.gen
	if pb.count == n {
		pb.err = p.mergeAll(m, pb.batches)
		pb.batches = nil
		pb.count = 0
		pb.gen++
		pb.cond.Broadcast()
	} else {
		for pb.gen == gen {
			if e := p.t.rt.Err(); e != nil {
				pb.mu.Unlock()
				return e
			}
			pb.cond.Wait()
		}
	}
	err = pb.err
	pb.mu.Unlock()
	if err != nil {
		return err
	}
	return m.Refresh(c)
}

func (p *privateSync) lock(addr uint32) *plock {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.locks[addr]
	if l == nil {
		l = &plock{ch: make(chan struct{}, 1), seen: map[hostabi.Caller]int{}}
		l.ch <- struct{}{}
		p.locks[addr] = l
	}
	return l
}

func (p *privateSync) Lock(c hostabi.Caller, addr uint32) error {
	l := p.lock(addr)
	select {
	case <-l.ch:
	case <-p.t.rt.Done():
		return p.t.rt.Err()
	}
	owner := ownerOf(c)
	p.mu.Lock()
	var todo []snapshot.Batch
	for i := l.seen[owner]; i < len(l.log); i++ {
		if l.log[i].owner != owner {
			todo = append(todo, l.log[i].b)
		}
	}
	l.seen[owner] = len(l.log)
	p.mu.Unlock()
	m, err := p.mem()
	if err != nil {
		return nil // one thread so far: nothing to exchange
	}
	for _, b := range todo {
		if err := m.Apply(c, b); err != nil {
			return err
		}
	}
	return nil
}

func (p *privateSync) Unlock(c hostabi.Caller, addr uint32) error {
	var b snapshot.Batch
	if m, err := p.mem(); err == nil {
		if b, err = m.Collect(c); err != nil {
			return err
		}
	}
	l := p.lock(addr)
	owner := ownerOf(c)
	p.mu.Lock()
	l.log = append(l.log, ownedBatch{owner: owner, b: b})
	l.seen[owner] = len(l.log)
	p.pending = append(p.pending, b)
	p.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
	default:
		return fmt.Errorf("unlock of a lock that is not held (%#x)", addr)
	}
	return nil
}

// ownerOf identifies the calling thread across host calls.
func ownerOf(c hostabi.Caller) hostabi.Caller {
	if o, ok := c.Data().(*Context); ok {
		return callerKey{o}
	}
	return c
}

type callerKey struct{ ctx *Context }

func (callerKey) Memory() hostabi.Memory { return nil }
func (callerKey) Data() any              { return nil }

func (p *privateSync) ReduceRegion(c hostabi.Caller, addr, size uint32, typ, op int32) error {
	return nil // reductions use the critical method: the lock moves the diffs
}

// Word is the authoritative value of an atomic word, if held.
func (p *privateSync) Word(addr uint32) (int32, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, ok := p.atom[addr]
	return int32(uint32(w.v)), ok
}

var atomicSizes = [7]int{4, 8, 1, 2, 1, 2, 4}

// opSize decodes an atomic opcode: its access size and its class (0 load,
// 1 store, 2..7 add sub and or xor xchg, 8 cmpxchg).
func opSize(op int32) (size, class int, err error) {
	switch {
	case op >= 0x10 && op <= 0x16:
		return atomicSizes[op-0x10], 0, nil
	case op >= 0x17 && op <= 0x1d:
		return atomicSizes[op-0x17], 1, nil
	case op >= 0x1e && op <= 0x4e:
		k := op - 0x1e
		return atomicSizes[k%7], 2 + int(k/7), nil
	}
	return 0, 0, fmt.Errorf("unknown atomic opcode %#x", op)
}

func (p *privateSync) load(c hostabi.Caller, addr uint32, size int) (uint64, error) {
	if addr%uint32(size) != 0 {
		return 0, fmt.Errorf("misaligned atomic access of %d bytes at %#x", size, addr)
	}
	if w, ok := p.atom[addr]; ok {
		return w.v & mask(size), nil
	}
	if uint64(addr)+uint64(size) > uint64(c.Memory().Size()) {
		return 0, fmt.Errorf("atomic access at %#x outside linear memory", addr)
	}
	// Not touched since the last merge: the master copy has it (every
	// merge writes the atomic words back, and plain writes before a fork
	// are merged by it). The caller's replica may hold a stale private copy
	// of the page.
	var buf [8]byte
	if m, err := p.mem(); err == nil {
		if err := m.Snapshot().ReadAt(buf[:size], int64(addr)); err != nil {
			return 0, err
		}
	} else {
		// One thread so far: its memory is the only copy.
		b, _ := c.Memory().Read(hostabi.GuestPtr(addr), uint32(size))
		copy(buf[:], b)
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}

func mask(size int) uint64 {
	if size == 8 {
		return ^uint64(0)
	}
	return 1<<(8*size) - 1
}

func (p *privateSync) Atomic(c hostabi.Caller, addr uint32, opcode int32, operand int64) (int64, error) {
	size, class, err := opSize(opcode)
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	old, err := p.load(c, addr, size)
	if err != nil {
		return 0, err
	}
	v := uint64(operand) & mask(size)
	nv := old
	switch class {
	case 0:
		return int64(old), nil
	case 1:
		nv = v
	case 2:
		nv = old + v
	case 3:
		nv = old - v
	case 4:
		nv = old & v
	case 5:
		nv = old | v
	case 6:
		nv = old ^ v
	case 7:
		nv = v
	default:
		return 0, fmt.Errorf("atomic opcode %#x is a compare-exchange", opcode)
	}
	p.atom[addr] = atomWord{v: nv & mask(size), size: size}
	return int64(old), nil
}

func (p *privateSync) Cmpxchg(c hostabi.Caller, addr uint32, opcode int32, expected, replacement int64) (int64, error) {
	size, class, err := opSize(opcode)
	if err != nil {
		return 0, err
	}
	if class != 8 {
		return 0, fmt.Errorf("atomic opcode %#x is not a compare-exchange", opcode)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	old, err := p.load(c, addr, size)
	if err != nil {
		return 0, err
	}
	if old == uint64(expected)&mask(size) {
		p.atom[addr] = atomWord{v: uint64(replacement) & mask(size), size: size}
	} else if _, ok := p.atom[addr]; !ok {
		p.atom[addr] = atomWord{v: old, size: size}
	}
	return int64(old), nil
}
