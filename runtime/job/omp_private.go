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
//   - lock: the releaser collects its batch and the lock remembers (as a
//     vector clock) every release its holders had seen; the next holder
//     applies those it has not, whichever lock or flush they went through
//     in release order (every batch still merges at the next barrier or
//     join, in release order too: plain memory merges as overwrites);
//   - flush (kind 3): a release and an acquire through one clock shared by
//     all flushes, so data written before a flush and a flag reaches a
//     thread that saw the flag and flushed;
//   - atomics: faasm run rewrote every atomic instruction into a call to
//     Atomic/Cmpxchg (runtime/omp/wasmrw), which work on one authoritative
//     copy per word here, written back to the master copy at merges.
//
// Reductions: where clang generated the atomic path (every item a scalar
// with a built-in operator) libfaasmp takes it, so the shared variables are
// combined on their host words by the compiler's own atomics; otherwise the
// critical method, whose lock hands the previous holders' results over.

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
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
	pending  []snapshot.Batch // every batch since the last merge
	barriers map[uint32]*pbarrier
	locks    map[uint32]*plock

	// Between two merges, lazy release consistency: a thread that acquires
	// a lock (or flushes) must receive every release that happened before
	// the lock's last release, whichever lock or flush it went through (a
	// malloc inside a critical section ships the section's stores with the
	// heap lock's batch). shipped holds each thread's released batches in
	// order; a vector clock says how many of each thread's batches a thread,
	// a lock or the flushes have seen. Plain memory merges as overwrites
	// (snapshot.Patch), so the batches a thread takes in are applied in
	// release order (seq), which a batch that saw another always follows.
	shipped map[hostabi.Caller][]released
	seq     uint64
	clocks  map[hostabi.Caller]vclock
	flushes vclock
}

// released is a shipped batch and its place in the release order.
type released struct {
	seq uint64
	b   snapshot.Batch
}

// inOrder returns the batches of rs in release order.
func inOrder(rs []released) []snapshot.Batch {
	slices.SortFunc(rs, func(x, y released) int { return cmp.Compare(x.seq, y.seq) })
	out := make([]snapshot.Batch, len(rs))
	for i, r := range rs {
		out[i] = r.b
	}
	return out
}

// vclock counts, per thread, the released batches something has seen.
type vclock map[hostabi.Caller]int

// join raises c to cover o.
func (c vclock) join(o vclock) {
	for k, n := range o {
		if n > c[k] {
			c[k] = n
		}
	}
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
	ch    chan struct{} // holds one token when free
	clock vclock        // the releases its next holder must have seen
}

func newPrivateSync(t *ompTeam) *privateSync {
	return &privateSync{t: t, atom: map[uint32]atomWord{}, barriers: map[uint32]*pbarrier{}, locks: map[uint32]*plock{},
		shipped: map[hostabi.Caller][]released{}, clocks: map[hostabi.Caller]vclock{}, flushes: vclock{}}
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
	// Hold p.mu throughout: a thread that is not part of the merge (a
	// worker that joined and parks, its wake-up and sleeper counts) may
	// run an atomic meanwhile, and it must find the word either in the
	// map or already written back, never the older master value.
	p.mu.Lock()
	defer p.mu.Unlock()
	batches := append(p.pending, extra...)
	p.pending = nil
	// Every replica refreshes from the merged master before it runs again.
	for _, l := range p.locks {
		clear(l.clock)
	}
	clear(p.shipped)
	clear(p.clocks)
	clear(p.flushes)
	atom := p.atom
	p.atom = map[uint32]atomWord{}
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
		m.ClearRegions()
		return m.Refresh(c)
	case 1:
		return p.start(c, m, b)
	case 2:
		// The end of a thread's part: a release, which the master acquires
		// with a flush after a nested join, or merges after a top-level one.
		owner := ownerOf(c)
		p.mu.Lock()
		p.flushes.join(p.release(owner, b))
		p.mu.Unlock()
		return nil
	case 3:
		return p.flush(c, m, b)
	}
	return fmt.Errorf("sync_private: unknown kind %d", kind)
}

// start is a thread starting its part of a region (kind 1), b its changes
// since it parked. Its replica may hold pages older than the master copy
// (it has not refreshed since its last join), so it refreshes, then takes
// back what the master copy does not have yet: its own batches since the
// last merge and every release it had seen, plus the releases that reached
// a flush, among them the fork of a nested team. After a top-level fork
// that merged everything, that is just b.
func (p *privateSync) start(c hostabi.Caller, m *engine.TeamMemory, b snapshot.Batch) error {
	if err := caughtUp(c, m); err != nil {
		return err
	}
	owner := ownerOf(c)
	p.mu.Lock()
	mine := p.release(owner, b)
	own := append([]released(nil), p.shipped[owner]...)
	want := vclock{}
	want.join(mine)
	want.join(p.flushes)
	for o := range mine {
		if o != owner {
			delete(mine, o)
		}
	}
	todo := inOrder(append(own, p.catchUp(owner, want)...))
	p.mu.Unlock()
	if err := m.Refresh(c); err != nil {
		return err
	}
	if err := p.apply(c, m, todo); err != nil {
		return err
	}
	return p.seeAll(c)
}

// beforeSpawn releases the spawner's changes for a new thread (its
// descriptor, its stack block), which afterSpawn hands to the thread's
// fresh replica. Merging them into the master copy instead would be safe
// only with every other thread parked, and a nested fork spawns while its
// team's siblings run (and a top-level fork's woken workers may not have
// refreshed yet).
func (p *privateSync) beforeSpawn(c hostabi.Caller) error {
	m, err := p.mem()
	if err != nil {
		return err
	}
	b, err := m.Collect(c)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.release(ownerOf(c), b)
	p.mu.Unlock()
	return nil
}

// afterSpawn gives thread f (not running yet, owner key newOwner) what its
// spawner has: the spawner's batches since the last merge and every release
// the spawner had seen.
func (p *privateSync) afterSpawn(c hostabi.Caller, f *engine.Faaslet, newOwner hostabi.Caller) error {
	m, err := p.mem()
	if err != nil {
		return err
	}
	spawner := ownerOf(c)
	p.mu.Lock()
	todo := append([]released(nil), p.shipped[spawner]...)
	// Counted as seen before catching up with the spawner's clock, which
	// covers them too: none may be applied twice, or a later batch of
	// another thread applied in between would be undone.
	p.clock(newOwner)[spawner] = len(p.shipped[spawner])
	todo = append(todo, p.catchUp(newOwner, p.clock(spawner))...)
	p.mu.Unlock()
	for _, b := range inOrder(todo) {
		if err := m.ApplyFaaslet(f, b); err != nil {
			return err
		}
	}
	return nil
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
	if err := caughtUp(c, m); err != nil {
		return err
	}
	return m.Refresh(c)
}

func (p *privateSync) lock(addr uint32) *plock {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.locks[addr]
	if l == nil {
		l = &plock{ch: make(chan struct{}, 1), clock: vclock{}}
		l.ch <- struct{}{}
		p.locks[addr] = l
	}
	return l
}

// clock is the vector clock of thread owner. Called with p.mu held.
func (p *privateSync) clock(owner hostabi.Caller) vclock {
	c := p.clocks[owner]
	if c == nil {
		c = vclock{}
		p.clocks[owner] = c
	}
	return c
}

// release records b, owner's changes since its last Collect, as its next
// released batch. Called with p.mu held.
func (p *privateSync) release(owner hostabi.Caller, b snapshot.Batch) vclock {
	c := p.clock(owner)
	if len(b) > 0 {
		p.seq++
		p.shipped[owner] = append(p.shipped[owner], released{p.seq, b})
		c[owner] = len(p.shipped[owner])
		p.pending = append(p.pending, b)
	}
	return c
}

// catchUp returns the released batches that to covers and owner has not
// seen yet (in no particular order: see inOrder), and counts them as seen.
// Called with p.mu held.
func (p *privateSync) catchUp(owner hostabi.Caller, to vclock) []released {
	c := p.clock(owner)
	var todo []released
	for o, n := range to {
		if o == owner || n <= c[o] {
			continue
		}
		todo = append(todo, p.shipped[o][c[o]:n]...)
		c[o] = n
	}
	return todo
}

// caughtUp grows the caller's memory to the team's after an acquire. The
// host call synced it on entry, but a thread that grew the memory while the
// caller waited (malloc's sbrk under the heap lock) published the new size
// since, and the caller's own sbrk must start past it, or two threads hand
// out the same pages.
func caughtUp(c hostabi.Caller, m *engine.TeamMemory) error { return m.Sync(c) }

func (p *privateSync) apply(c hostabi.Caller, m *engine.TeamMemory, todo []snapshot.Batch) error {
	for _, b := range todo {
		if err := m.Apply(c, b); err != nil {
			return err
		}
	}
	return nil
}

func (p *privateSync) Lock(c hostabi.Caller, addr uint32) error {
	l := p.lock(addr)
	select {
	case <-l.ch:
	case <-p.t.rt.Done():
		return p.t.rt.Err()
	}
	return p.acquired(c, l)
}

func (p *privateSync) TryLock(c hostabi.Caller, addr uint32) (bool, error) {
	l := p.lock(addr)
	select {
	case <-l.ch:
	default:
		return false, nil
	}
	return true, p.acquired(c, l)
}

// acquired gives the new holder of l the releases it must see.
func (p *privateSync) acquired(c hostabi.Caller, l *plock) error {
	m, err := p.mem()
	if err != nil {
		return nil // one thread so far: nothing to exchange
	}
	if err := caughtUp(c, m); err != nil {
		return err
	}
	owner := ownerOf(c)
	p.mu.Lock()
	todo := inOrder(p.catchUp(owner, l.clock))
	p.mu.Unlock()
	if err := p.apply(c, m, todo); err != nil {
		return err
	}
	return p.seeAll(c)
}

// seeAll is see for every atomic word updated since the last merge: an
// acquire also orders the atomic updates before it.
func (p *privateSync) seeAll(c hostabi.Caller) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.see(c, 0)
}

func (p *privateSync) Unlock(c hostabi.Caller, addr uint32) error {
	l := p.lock(addr)
	if m, err := p.mem(); err == nil {
		b, err := m.Collect(c)
		if err != nil {
			return err
		}
		owner := ownerOf(c)
		p.mu.Lock()
		// The holder caught up with l.clock when it took the lock, so its
		// own clock covers it.
		clear(l.clock)
		l.clock.join(p.release(owner, b))
		p.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
	default:
		return fmt.Errorf("unlock of a lock that is not held (%#x)", addr)
	}
	return nil
}

// flush is #pragma omp flush (sync kind 3) (and the flush implied by seq_cst atomic
// constructs): a release of the caller's changes and an acquire of every
// release that reached a flush before, so a flag set after a flush carries
// the data written before it.
func (p *privateSync) flush(c hostabi.Caller, m *engine.TeamMemory, b snapshot.Batch) error {
	if err := caughtUp(c, m); err != nil {
		return err
	}
	owner := ownerOf(c)
	p.mu.Lock()
	p.flushes.join(p.release(owner, b))
	todo := inOrder(p.catchUp(owner, p.flushes))
	p.flushes.join(p.clock(owner))
	p.mu.Unlock()
	if err := p.apply(c, m, todo); err != nil {
		return err
	}
	return p.seeAll(c)
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

// ReduceRegion registers a typed merge region until the end of the
// current top-level region: its bytes then travel as typed diffs (a Sum
// carries B1 and B0 and merges as A0 + B1 - B0), so threads may update it
// concurrently without a lock. libfaasmp does not call it: its reductions
// combine through the compiler's atomic path or a lock (see sync.c), since
// __kmpc_reduce is not told the shared variables' addresses or types; a
// guest that knows them may.
func (p *privateSync) ReduceRegion(c hostabi.Caller, addr, size uint32, typ, op int32) error {
	m, err := p.mem()
	if err != nil {
		return nil // one thread so far: nothing merges
	}
	types := map[int32]snapshot.DataType{1: snapshot.I32, 2: snapshot.I64, 3: snapshot.F32, 4: snapshot.F64}
	ops := map[int32]snapshot.MergeOp{1: snapshot.Sum, 2: snapshot.Multiply, 3: snapshot.Max, 4: snapshot.Min}
	t, ok := types[typ]
	if !ok {
		return fmt.Errorf("reduce_region: unknown type %d (1 i32, 2 i64, 3 f32, 4 f64)", typ)
	}
	o, ok := ops[op]
	if !ok {
		return fmt.Errorf("reduce_region: unknown op %d (1 sum, 2 product, 3 max, 4 min)", op)
	}
	return m.AddRegion(snapshot.Region{Offset: uint64(addr), Length: uint64(size), Type: t, Op: o})
}

// Word is the authoritative value of an atomic word, if held.
func (p *privateSync) Word(addr uint32) (int32, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w, ok := p.atom[addr]
	return int32(uint32(w.v)), ok
}

// see writes atomic words into the caller's replica as received changes
// (so they are not shipped back as its own): a thread's plain reads then
// see its own atomic updates at once, and after an acquire every update
// made so far. Called with p.mu held.
func (p *privateSync) see(c hostabi.Caller, addr uint32, words ...atomWord) error {
	m := p.t.mem.Load()
	if m == nil {
		return nil
	}
	var b snapshot.Batch
	add := func(addr uint32, w atomWord) {
		cur, ok := c.Memory().Read(hostabi.GuestPtr(addr), uint32(w.size))
		if !ok {
			return
		}
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], w.v)
		d := make([]byte, w.size)
		changed := false
		for i := range d {
			d[i] = buf[i] ^ cur[i]
			changed = changed || d[i] != 0
		}
		if changed {
			b = append(b, snapshot.Diff{Offset: uint64(addr), Data: d, Type: snapshot.Raw, Op: snapshot.Xor})
		}
	}
	if len(words) == 1 {
		add(addr, words[0])
	} else {
		for a, w := range p.atom {
			add(a, w)
		}
	}
	if len(b) == 0 {
		return nil
	}
	return m.Apply(c, b)
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
	return int64(old), p.see(c, addr, p.atom[addr])
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
	return int64(old), p.see(c, addr, p.atom[addr])
}
