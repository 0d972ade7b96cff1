package engine

// Team memory: several Faaslets (one per OpenMP thread, each in its own
// Store) share one linear memory without wasm shared memory (DESIGN §4).
//
// The memory lives in a memfd (a runtime/snapshot.Snapshot, which is also the
// master snapshot the private mode and distributed threads diff against).
// Every member maps it MAP_SHARED|MAP_FIXED over its own linear memory, whose
// base never moves (wasmtime reserves 4 GiB for a 32-bit memory), so a guest
// pointer means the same byte in every member.
//
// Growth. Any member may run memory.grow (malloc's sbrk). wasmtime then makes
// [old, new) of that member's reservation accessible as anonymous zero pages,
// which nobody else sees. Sync repairs this lazily, at the member's next host
// call (the guest library also calls in whenever it sees its memory smaller
// than the team's size, published in guest memory): a member that grew past
// the team's size publishes the new range (copies what it already wrote into
// the memfd, extends the memfd, maps it over itself); a member smaller than
// the team's size grows its instance and maps the missing range. A pointer
// into new memory only reaches another thread through a synchronisation, and
// every synchronisation either is a host call or checks the size first.

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/snapshot"
)

// wasmPage is the WebAssembly page size (memory.grow's unit).
const wasmPage = 64 << 10

// MemoryMode says how team members see the team's memory.
type MemoryMode int

const (
	// SharedMemory maps the memfd MAP_SHARED into every member: writes are
	// visible to all members at once (the default).
	SharedMemory MemoryMode = iota
	// PrivateMemory gives every member a MAP_PRIVATE copy-on-write replica;
	// changes move only as FDiffs (--omp-memory=private).
	PrivateMemory
)

func (m MemoryMode) String() string {
	if m == PrivateMemory {
		return "private"
	}
	return "shared"
}

// TeamMemory is a linear memory shared by a team of Faaslets through a memfd.
type TeamMemory struct {
	mode MemoryMode
	snap *snapshot.Snapshot

	mu   sync.Mutex
	size atomic.Int64 // bytes every member must have mapped

	// private mode: one replica per member, keyed by Faaslet.
	replicas   map[*Faaslet]*snapshot.Replica
	regions    snapshot.Regions
	pending    []snapshot.Batch
	merger     *snapshot.Merger
	masterSize int64
}

// memView is a Faaslet's memory in some store context (the Faaslet's own
// store, or the Caller of a host function running in it).
type memView struct {
	f  *Faaslet
	st wasmtime.Storelike
}

func (v memView) size() int64 { return int64(v.f.memory.DataSize(v.st)) }

func (v memView) bytes(off, end int64) []byte {
	base := unsafe.Pointer(v.f.memory.Data(v.st))
	return unsafe.Slice((*byte)(unsafe.Add(base, off)), end-off)
}

func (v memView) grow(to int64) error {
	cur := v.size()
	if to <= cur {
		return nil
	}
	if _, err := v.f.memory.Grow(v.st, uint64((to-cur)/wasmPage)); err != nil {
		return fmt.Errorf("grow linear memory to %d bytes: %w", to, err)
	}
	return nil
}

func callerMem(c hostabi.Caller) (memView, error) {
	cv, ok := c.(*callerView)
	if !ok || cv.f.memory == nil {
		return memView{}, errors.New("team memory: caller is not a Faaslet with a memory")
	}
	return memView{f: cv.f, st: cv.c}, nil
}

// ShareMemory moves the memory of the Faaslet running the host call c into a
// new memfd and maps it back over that Faaslet, which becomes the team's
// first member. In PrivateMemory mode the Faaslet gets a private replica.
func ShareMemory(c hostabi.Caller, name string, mode MemoryMode) (*TeamMemory, error) {
	v, err := callerMem(c)
	if err != nil {
		return nil, err
	}
	return shareMemory(v, name, mode)
}

// ShareMemory is the package-level ShareMemory for a Faaslet that is not
// running (tests, a runtime that sets the team up before _start).
func (f *Faaslet) ShareMemory(name string, mode MemoryMode) (*TeamMemory, error) {
	if f.memory == nil {
		return nil, errors.New("team memory: module has no exported memory")
	}
	return shareMemory(memView{f: f, st: f.store}, name, mode)
}

func shareMemory(v memView, name string, mode MemoryMode) (*TeamMemory, error) {
	n := v.size()
	snap, err := shareSnapshot(v, name, n)
	if err != nil {
		return nil, err
	}
	t := &TeamMemory{mode: mode, snap: snap, replicas: map[*Faaslet]*snapshot.Replica{}}
	t.size.Store(n)
	end := n
	if mode == PrivateMemory {
		// Replicas cover the whole range the memory may grow into (see
		// PrivateHeadroom), so growth never re-creates one.
		end = min(n+PrivateHeadroom, maxWasmMemory)
		if err := snap.Grow(end); err != nil {
			snap.Close()
			return nil, err
		}
	}
	if err := t.mapRange(v, 0, end); err != nil {
		snap.Close()
		return nil, err
	}
	return t, nil
}

// shareSnapshot copies v's first n bytes into a new memfd. The memory
// the guest grew into is anonymous, and its pages never touched read as
// zero in the memfd already: only the touched ones are written
// (Snapshot.WriteResident). An OpenMP program that allocates its arrays
// before its first parallel region and fills them inside it, as first-
// touch placement has it, used to copy every byte of them here: 240 MB
// for nstream, a third of its run under faasm.
func shareSnapshot(v memView, name string, n int64) (*snapshot.Snapshot, error) {
	snap, err := snapshot.New(name, n)
	if err != nil {
		return nil, err
	}
	image := min(v.f.initial, n)
	err = snap.WriteAt(v.bytes(0, image), 0)
	if err == nil {
		err = snap.WriteResident(v.bytes(image, n), image)
	}
	if err != nil {
		snap.Close()
		return nil, err
	}
	return snap, nil
}

// Mode is how members see the memory.
func (t *TeamMemory) Mode() MemoryMode { return t.mode }

// Size is the team's memory size in bytes.
func (t *TeamMemory) Size() int64 { return t.size.Load() }

// Snapshot is the memfd holding the team's memory (the master copy).
func (t *TeamMemory) Snapshot() *snapshot.Snapshot { return t.snap }

// mapRange maps [off, end) of the memfd over v's memory. Called with t.mu
// held, or before the team is shared.
func (t *TeamMemory) mapRange(v memView, off, end int64) error {
	if end <= off {
		return nil
	}
	if t.mode == PrivateMemory {
		return t.mapPrivate(v, end)
	}
	mem := v.bytes(off, end)
	if _, err := t.snap.MapOver(snapshot.Shared, mem, off); err != nil {
		return err
	}
	v.f.adviseTeamHugePages(mem, off)
	v.f.mapped = end
	return nil
}

// Attach makes f, a fresh instance of the team's module that is not
// running, a member: its memory grows to the team's size and is replaced by
// the team's.
func (t *TeamMemory) Attach(f *Faaslet) error {
	if f.memory == nil {
		return errors.New("team memory: module has no exported memory")
	}
	return t.sync(memView{f: f, st: f.store})
}

// Sync brings the calling Faaslet's memory in line with the team's: it maps
// what others added, and publishes what the caller added itself. Host
// functions of a team call it first thing; it is one atomic load when
// nothing changed.
func (t *TeamMemory) Sync(c hostabi.Caller) error {
	v, err := callerMem(c)
	if err != nil {
		return err
	}
	return t.sync(v)
}

// SyncFaaslet is Sync for a Faaslet that is not running.
func (t *TeamMemory) SyncFaaslet(f *Faaslet) error { return t.sync(memView{f: f, st: f.store}) }

func (t *TeamMemory) sync(v memView) error {
	if t.mode == PrivateMemory {
		return t.syncPrivate(v)
	}
	cur := v.size()
	if cur == v.f.mapped && cur == t.size.Load() {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ts := t.size.Load()
	if cur > ts {
		// The caller grew on its own: publish [ts, cur) with what it has
		// already written there (malloc headers, the new block). The
		// memfd past ts is all zero: it only grows here.
		if err := t.snap.Grow(cur); err != nil {
			return err
		}
		if err := t.snap.WriteResident(v.bytes(ts, cur), ts); err != nil {
			return err
		}
		t.size.Store(cur)
		ts = cur
	}
	if err := v.grow(ts); err != nil {
		return err
	}
	from := min(v.f.mapped, ts)
	return t.mapRange(v, from, ts)
}

// Close releases the memfd. Members keep their mappings until their stores
// are closed.
func (t *TeamMemory) Close() error {
	t.mu.Lock()
	for f, r := range t.replicas {
		r.Close()
		delete(t.replicas, f)
	}
	t.mu.Unlock()
	return t.snap.Close()
}
