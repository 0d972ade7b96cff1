package mpi

import (
	"fmt"
	"slices"
)

// Group is an ordered set of world ranks (MPI_Group); group rank i is
// ranks[i]. Groups are immutable and may be shared between ranks.
type Group struct {
	ranks []int
}

// Comparison is the result of Compare on groups and communicators.
type Comparison int

// Comparison results (MPI_IDENT, MPI_CONGRUENT, MPI_SIMILAR, MPI_UNEQUAL).
const (
	Ident Comparison = iota
	Congruent
	Similar
	Unequal
)

// GroupEmpty is MPI_GROUP_EMPTY.
var GroupEmpty = &Group{}

func worldGroup(n int) *Group {
	g := &Group{ranks: make([]int, n)}
	for i := range g.ranks {
		g.ranks[i] = i
	}
	return g
}

// NewGroup returns a group of the given world ranks, in order.
func NewGroup(worldRanks []int) *Group { return &Group{ranks: slices.Clone(worldRanks)} }

func (g *Group) size() int { return len(g.ranks) }

// Size is MPI_Group_size.
func (g *Group) Size() int { return len(g.ranks) }

// WorldRanks returns the group's world ranks in group order.
func (g *Group) WorldRanks() []int { return slices.Clone(g.ranks) }

// WorldRank returns the world rank of group rank i.
func (g *Group) WorldRank(i int) int { return g.ranks[i] }

// RankOf returns the group rank of world rank w, or Undefined
// (MPI_Group_rank with the caller's world rank).
func (g *Group) RankOf(w int) int {
	for i, x := range g.ranks {
		if x == w {
			return i
		}
	}
	return Undefined
}

func (g *Group) checkRanks(loc string, ranks []int) error {
	seen := make(map[int]bool, len(ranks))
	for _, r := range ranks {
		if r < 0 || r >= len(g.ranks) {
			return fmt.Errorf("%s: rank %d not in group of size %d: %w", loc, r, len(g.ranks), ErrRank)
		}
		if seen[r] {
			return fmt.Errorf("%s: rank %d listed twice: %w", loc, r, ErrRank)
		}
		seen[r] = true
	}
	return nil
}

// Incl is MPI_Group_incl: the listed group ranks, in the listed order.
func (g *Group) Incl(ranks []int) (*Group, error) {
	if err := g.checkRanks("mpi.group_incl", ranks); err != nil {
		return nil, err
	}
	n := &Group{ranks: make([]int, len(ranks))}
	for i, r := range ranks {
		n.ranks[i] = g.ranks[r]
	}
	return n, nil
}

// Excl is MPI_Group_excl: the group without the listed ranks, in group order.
func (g *Group) Excl(ranks []int) (*Group, error) {
	if err := g.checkRanks("mpi.group_excl", ranks); err != nil {
		return nil, err
	}
	n := &Group{}
	for i, w := range g.ranks {
		if !slices.Contains(ranks, i) {
			n.ranks = append(n.ranks, w)
		}
	}
	return n, nil
}

func (g *Group) expandRanges(loc string, ranges [][3]int) ([]int, error) {
	var out []int
	for _, rg := range ranges {
		first, last, stride := rg[0], rg[1], rg[2]
		if stride == 0 || (stride > 0 && first > last) || (stride < 0 && first < last) {
			return nil, fmt.Errorf("%s: range %v: %w", loc, rg, ErrArg)
		}
		for r := first; (stride > 0 && r <= last) || (stride < 0 && r >= last); r += stride {
			out = append(out, r)
		}
	}
	return out, g.checkRanks(loc, out)
}

// RangeIncl is MPI_Group_range_incl; each range is (first, last, stride).
func (g *Group) RangeIncl(ranges [][3]int) (*Group, error) {
	rs, err := g.expandRanges("mpi.group_range_incl", ranges)
	if err != nil {
		return nil, err
	}
	return g.Incl(rs)
}

// RangeExcl is MPI_Group_range_excl.
func (g *Group) RangeExcl(ranges [][3]int) (*Group, error) {
	rs, err := g.expandRanges("mpi.group_range_excl", ranges)
	if err != nil {
		return nil, err
	}
	return g.Excl(rs)
}

// Union is MPI_Group_union: a's ranks, then b's ranks not in a.
func Union(a, b *Group) *Group {
	n := &Group{ranks: slices.Clone(a.ranks)}
	for _, w := range b.ranks {
		if !slices.Contains(a.ranks, w) {
			n.ranks = append(n.ranks, w)
		}
	}
	return n
}

// Intersection is MPI_Group_intersection: a's ranks also in b, in a's order.
func Intersection(a, b *Group) *Group {
	n := &Group{}
	for _, w := range a.ranks {
		if slices.Contains(b.ranks, w) {
			n.ranks = append(n.ranks, w)
		}
	}
	return n
}

// Difference is MPI_Group_difference: a's ranks not in b, in a's order.
func Difference(a, b *Group) *Group {
	n := &Group{}
	for _, w := range a.ranks {
		if !slices.Contains(b.ranks, w) {
			n.ranks = append(n.ranks, w)
		}
	}
	return n
}

// TranslateRanks maps ranks of a to ranks of b (Undefined when absent,
// ProcNull stays ProcNull) (MPI_Group_translate_ranks).
func TranslateRanks(a *Group, ranks []int, b *Group) ([]int, error) {
	out := make([]int, len(ranks))
	for i, r := range ranks {
		if r == ProcNull {
			out[i] = ProcNull
			continue
		}
		if r < 0 || r >= len(a.ranks) {
			return nil, fmt.Errorf("mpi.group_translate_ranks: rank %d not in group of size %d: %w", r, len(a.ranks), ErrRank)
		}
		out[i] = b.RankOf(a.ranks[r])
	}
	return out, nil
}

// CompareGroups is MPI_Group_compare: Ident (same members, same order),
// Similar (same members) or Unequal.
func CompareGroups(a, b *Group) Comparison {
	if slices.Equal(a.ranks, b.ranks) {
		return Ident
	}
	if len(a.ranks) == len(b.ranks) {
		x, y := slices.Clone(a.ranks), slices.Clone(b.ranks)
		slices.Sort(x)
		slices.Sort(y)
		if slices.Equal(x, y) {
			return Similar
		}
	}
	return Unequal
}
