package mpi

import (
	"fmt"
	"slices"
)

// Topology kinds for Topo (MPI_Topo_test).
const (
	TopoUndefined = Undefined
	TopoCart      = 1
)

// cartTopo is a Cartesian topology; coordinates are row-major (the last
// dimension varies fastest), as the MPI standard specifies.
type cartTopo struct {
	dims    []int
	periods []bool
}

func (t *cartTopo) coords(rank int) []int {
	co := make([]int, len(t.dims))
	for i := len(t.dims) - 1; i >= 0; i-- {
		co[i] = rank % t.dims[i]
		rank /= t.dims[i]
	}
	return co
}

// Topo is MPI_Topo_test.
func (c *Comm) Topo() int {
	if c.cart != nil {
		return TopoCart
	}
	return TopoUndefined
}

// CartCreate is MPI_Cart_create with any number of dimensions. reorder is
// accepted and ignored (rank i of c becomes rank i of the grid). Ranks
// beyond the grid's size get nil.
func (c *Comm) CartCreate(dims []int, periods []bool, reorder bool) (*Comm, error) {
	const loc = "mpi.cart_create"
	if err := c.check(loc); err != nil {
		return nil, err
	}
	if len(periods) != len(dims) {
		return nil, fmt.Errorf("%s: %d dims, %d periods: %w", loc, len(dims), len(periods), ErrDims)
	}
	n := 1
	for _, d := range dims {
		if d <= 0 {
			return nil, fmt.Errorf("%s: dims %v: %w", loc, dims, ErrDims)
		}
		n *= d
	}
	if n > c.Size() {
		return nil, fmt.Errorf("%s: grid %v needs %d ranks, %s has %d: %w", loc, dims, n, c.Name(), c.Size(), ErrDims)
	}
	ctx := c.nextCtx()
	if c.rank >= n {
		return nil, nil
	}
	g := &Group{ranks: slices.Clone(c.group.ranks[:n])}
	nc := c.child(ctx, g, "cart")
	nc.cart = &cartTopo{dims: slices.Clone(dims), periods: slices.Clone(periods)}
	return nc, nil
}

func (c *Comm) cartOf(loc string) (*cartTopo, error) {
	if err := c.check(loc); err != nil {
		return nil, err
	}
	if c.cart == nil {
		return nil, fmt.Errorf("%s: %s has no Cartesian topology: %w", loc, c.Name(), ErrTopology)
	}
	return c.cart, nil
}

// CartDim is MPI_Cartdim_get.
func (c *Comm) CartDim() (int, error) {
	t, err := c.cartOf("mpi.cartdim_get")
	if err != nil {
		return 0, err
	}
	return len(t.dims), nil
}

// CartGet is MPI_Cart_get: dimensions, periodicity and the caller's coordinates.
func (c *Comm) CartGet() (dims []int, periods []bool, coords []int, err error) {
	t, err := c.cartOf("mpi.cart_get")
	if err != nil {
		return nil, nil, nil, err
	}
	return slices.Clone(t.dims), slices.Clone(t.periods), t.coords(c.rank), nil
}

// CartCoords is MPI_Cart_coords.
func (c *Comm) CartCoords(rank int) ([]int, error) {
	t, err := c.cartOf("mpi.cart_coords")
	if err != nil {
		return nil, err
	}
	if rank < 0 || rank >= c.Size() {
		return nil, fmt.Errorf("mpi.cart_coords: rank %d: %w", rank, ErrRank)
	}
	return t.coords(rank), nil
}

// CartRank is MPI_Cart_rank: periodic coordinates wrap, out-of-range
// coordinates in non-periodic dimensions fail with ErrRank.
func (c *Comm) CartRank(coords []int) (int, error) {
	t, err := c.cartOf("mpi.cart_rank")
	if err != nil {
		return 0, err
	}
	if len(coords) != len(t.dims) {
		return 0, fmt.Errorf("mpi.cart_rank: %d coords for %d dims: %w", len(coords), len(t.dims), ErrDims)
	}
	r, ok := t.rank(coords)
	if !ok {
		return 0, fmt.Errorf("mpi.cart_rank: coords %v outside grid %v: %w", coords, t.dims, ErrRank)
	}
	return r, nil
}

func (t *cartTopo) rank(coords []int) (int, bool) {
	r := 0
	for i, x := range coords {
		d := t.dims[i]
		if x < 0 || x >= d {
			if !t.periods[i] {
				return 0, false
			}
			x = ((x % d) + d) % d
		}
		r = r*d + x
	}
	return r, true
}

// CartShift is MPI_Cart_shift: the ranks to receive from and send to for a
// shift of disp along dimension dir; ProcNull past a non-periodic edge.
func (c *Comm) CartShift(dir, disp int) (source, dest int, err error) {
	t, err := c.cartOf("mpi.cart_shift")
	if err != nil {
		return 0, 0, err
	}
	if dir < 0 || dir >= len(t.dims) {
		return 0, 0, fmt.Errorf("mpi.cart_shift: direction %d of %d dims: %w", dir, len(t.dims), ErrDims)
	}
	co := t.coords(c.rank)
	at := func(delta int) int {
		x := slices.Clone(co)
		x[dir] += delta
		r, ok := t.rank(x)
		if !ok {
			return ProcNull
		}
		return r
	}
	return at(-disp), at(disp), nil
}

// CartSub is MPI_Cart_sub: keeps the dimensions with remain[i] set; ranks
// that agree on the dropped coordinates form one sub-grid. It needs no
// communication: every member knows every coordinate.
func (c *Comm) CartSub(remain []bool) (*Comm, error) {
	t, err := c.cartOf("mpi.cart_sub")
	if err != nil {
		return nil, err
	}
	if len(remain) != len(t.dims) {
		return nil, fmt.Errorf("mpi.cart_sub: %d flags for %d dims: %w", len(remain), len(t.dims), ErrDims)
	}
	ctx := c.nextCtx()
	key := func(r int) []int {
		co := t.coords(r)
		var k []int
		for i, keep := range remain {
			if !keep {
				k = append(k, co[i])
			}
		}
		return k
	}
	mine := key(c.rank)
	g := &Group{}
	for r := range c.Size() {
		if slices.Equal(key(r), mine) {
			g.ranks = append(g.ranks, c.group.ranks[r])
		}
	}
	sub := &cartTopo{}
	for i, keep := range remain {
		if keep {
			sub.dims = append(sub.dims, t.dims[i])
			sub.periods = append(sub.periods, t.periods[i])
		}
	}
	nc := c.child(ctx, g, "sub")
	nc.cart = sub
	return nc, nil
}

// DimsCreate is MPI_Dims_create: fills the zero entries of dims so that the
// product of dims is nnodes and the filled sizes are as close to each other
// as possible, in non-increasing order. Non-zero entries are kept.
func DimsCreate(nnodes int, dims []int) error {
	const loc = "mpi.dims_create"
	if nnodes <= 0 {
		return fmt.Errorf("%s: nnodes %d: %w", loc, nnodes, ErrDims)
	}
	fixed, free := 1, 0
	for _, d := range dims {
		switch {
		case d < 0:
			return fmt.Errorf("%s: dims %v: %w", loc, dims, ErrDims)
		case d == 0:
			free++
		default:
			fixed *= d
		}
	}
	if nnodes%fixed != 0 {
		return fmt.Errorf("%s: %d nodes not divisible by fixed dims %v: %w", loc, nnodes, dims, ErrDims)
	}
	m := nnodes / fixed
	if free == 0 {
		if m != 1 {
			return fmt.Errorf("%s: dims %v do not multiply to %d: %w", loc, dims, nnodes, ErrDims)
		}
		return nil
	}
	slots := balancedFactors(m, free)
	k := 0
	for i, d := range dims {
		if d == 0 {
			dims[i] = slots[k]
			k++
		}
	}
	return nil
}

// balancedFactors splits m into k non-increasing factors with the smallest
// spread (largest minus smallest), searching over m's divisors.
func balancedFactors(m, k int) []int {
	var divs []int
	for d := 1; d*d <= m; d++ {
		if m%d == 0 {
			divs = append(divs, d)
			if d*d != m {
				divs = append(divs, m/d)
			}
		}
	}
	slices.Sort(divs)
	slices.Reverse(divs)
	var best []int
	cur := make([]int, 0, k)
	var rec func(rem, k, maxd int)
	rec = func(rem, k, maxd int) {
		if best != nil && len(cur) > 0 && cur[0]-cur[len(cur)-1] >= best[0]-best[len(best)-1] {
			return // the spread can only grow
		}
		if k == 1 {
			if rem <= maxd {
				cand := append(slices.Clone(cur), rem)
				if best == nil || cand[0]-rem < best[0]-best[len(best)-1] {
					best = cand
				}
			}
			return
		}
		for _, d := range divs {
			if d > maxd || rem%d != 0 {
				continue
			}
			// the remaining k-1 factors are all <= d
			p, ok := 1, false
			for range k - 1 {
				p *= d
				if p >= rem/d {
					ok = true
					break
				}
			}
			if !ok && p < rem/d {
				break // divisors only get smaller
			}
			cur = append(cur, d)
			rec(rem/d, k-1, d)
			cur = cur[:len(cur)-1]
		}
	}
	rec(m, k, m)
	return best
}
