package mpi

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"sort"
)

// Well-known contexts. Derived communicators get hashed contexts (see
// nextCtx); the collective context of a communicator is always ctx|1.
const (
	ctxWorld ContextID = 2
	ctxSelf  ContextID = 4
)

// Split types for SplitType.
const (
	// SplitTypeShared is MPI_COMM_TYPE_SHARED: ranks on the same host.
	SplitTypeShared = 1
)

// Comm is one rank's view of a communicator (MPI_Comm). Each member rank has
// its own *Comm; they agree on the context and the group. A nil *Comm is
// MPI_COMM_NULL.
//
// A Comm is used only from its rank's goroutine.
type Comm struct {
	r     *Rank
	ctx   ContextID // p2p; collectives use ctx|1
	group *Group
	rank  int
	name  string
	cart  *cartTopo

	nchild uint64 // communicator-creating calls made on this comm
	freed  bool
	shm    *shmBoard   // shared-memory collectives (shm.go), set at first use
	sh     *commShared // what the C fast path shares (fast.go): collective counts; use shared()
}

// Size is MPI_Comm_size.
func (c *Comm) Size() int { return c.group.size() }

// Rank is MPI_Comm_rank.
func (c *Comm) Rank() int { return c.rank }

// Group is MPI_Comm_group.
func (c *Comm) Group() *Group { return c.group }

// Owner is the rank this view belongs to.
func (c *Comm) Owner() *Rank { return c.r }

// WorldRank translates a rank of c to a world rank.
func (c *Comm) WorldRank(r int) int { return c.group.ranks[r] }

// Context is the communicator's point-to-point context id (its collective
// context is Context()|1).
func (c *Comm) Context() ContextID { return c.ctx }

// Name is the communicator's name (MPI_Comm_get_name). Derived
// communicators are named after their parent, e.g. "MPI_COMM_WORLD.split".
func (c *Comm) Name() string {
	if c == nil {
		return "MPI_COMM_NULL"
	}
	return c.name
}

// SetName is MPI_Comm_set_name (local).
func (c *Comm) SetName(name string) { c.name = name }

// TestInter is MPI_Comm_test_inter: intercommunicators are not supported.
func (c *Comm) TestInter() bool { return false }

// nextCtx derives the context of the next communicator created from c.
// MPI makes creation calls collective and ordered on c, so every member
// computes the same value without talking to anyone; the 64-bit hash makes
// collisions with other live contexts negligible. Disjoint children (the
// colors of one Split) share a context, which is safe because no rank is in
// two of them.
func (c *Comm) nextCtx() ContextID {
	c.nchild++
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(c.ctx))
	binary.LittleEndian.PutUint64(b[8:], c.nchild)
	h.Write(b[:])
	ctx := ContextID(h.Sum64()) &^ 1
	if ctx < 16 {
		ctx += 16
	}
	return ctx
}

func (c *Comm) child(ctx ContextID, g *Group, suffix string) *Comm {
	return &Comm{r: c.r, ctx: ctx, group: g, rank: g.RankOf(c.r.id), name: c.name + "." + suffix}
}

// Dup is MPI_Comm_dup: same group and topology, new contexts.
func (c *Comm) Dup() (*Comm, error) {
	if err := c.check("mpi.comm_dup"); err != nil {
		return nil, err
	}
	n := c.child(c.nextCtx(), c.group, "dup")
	n.cart = c.cart
	return n, nil
}

// Create is MPI_Comm_create: every member of c calls it with the same
// subgroup g; members of g get the new communicator, the others nil.
func (c *Comm) Create(g *Group) (*Comm, error) {
	if err := c.check("mpi.comm_create"); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, fmt.Errorf("mpi.comm_create: nil group: %w", ErrGroup)
	}
	for _, w := range g.ranks {
		if c.group.RankOf(w) == Undefined {
			return nil, fmt.Errorf("mpi.comm_create: world rank %d is not in %s: %w", w, c.Name(), ErrGroup)
		}
	}
	ctx := c.nextCtx()
	if g.RankOf(c.r.id) == Undefined {
		return nil, nil
	}
	return c.child(ctx, g, "create"), nil
}

// Split is MPI_Comm_split: ranks with the same color form a communicator,
// ordered by key then by rank in c; color Undefined yields nil.
func (c *Comm) Split(color, key int) (*Comm, error) {
	const loc = "mpi.comm_split"
	if err := c.check(loc); err != nil {
		return nil, err
	}
	if color < 0 && color != Undefined {
		return nil, fmt.Errorf("%s: color %d: %w", loc, color, ErrArg)
	}
	n := c.Size()
	mine := make([]byte, 16)
	binary.LittleEndian.PutUint64(mine, uint64(int64(color)))
	binary.LittleEndian.PutUint64(mine[8:], uint64(int64(key)))
	all := make([]byte, 16*n)
	if err := c.Allgather(mine, all, false); err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	ctx := c.nextCtx()
	if color == Undefined {
		return nil, nil
	}
	type member struct{ key, rank int }
	var ms []member
	for i := range n {
		col := int(int64(binary.LittleEndian.Uint64(all[16*i:])))
		k := int(int64(binary.LittleEndian.Uint64(all[16*i+8:])))
		if col == color {
			ms = append(ms, member{k, i})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].key < ms[j].key })
	g := &Group{ranks: make([]int, len(ms))}
	for i, m := range ms {
		g.ranks[i] = c.group.ranks[m.rank]
	}
	return c.child(ctx, g, fmt.Sprintf("split(%d)", color)), nil
}

// SplitType is MPI_Comm_split_type. SplitTypeShared groups the ranks that
// live on the same host; any other type yields nil.
func (c *Comm) SplitType(typ, key int) (*Comm, error) {
	color := Undefined
	if typ == SplitTypeShared {
		color = c.r.w.Host(c.r.id)
	}
	n, err := c.Split(color, key)
	if err != nil {
		return nil, fmt.Errorf("mpi.comm_split_type: %w", err)
	}
	if n != nil {
		n.name = c.name + ".shared"
	}
	return n, nil
}

// Free is MPI_Comm_free. Pending communication on c still completes.
func (c *Comm) Free() error {
	if c == nil || c.freed || c == c.r.world || c == c.r.self {
		return fmt.Errorf("mpi.comm_free: %s: %w", c.Name(), ErrComm)
	}
	c.freed = true
	c.releaseBoard()
	return nil
}

// CompareComms is MPI_Comm_compare.
func CompareComms(a, b *Comm) Comparison {
	if a == b || (a.ctx == b.ctx && a.r == b.r) {
		return Ident
	}
	switch CompareGroups(a.group, b.group) {
	case Ident:
		return Congruent
	case Similar:
		return Similar
	}
	return Unequal
}
