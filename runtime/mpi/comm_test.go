package mpi_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasm-go/faasm/runtime/mpi"
)

func TestGroup(t *testing.T) {
	g := mpi.NewGroup([]int{10, 11, 12, 13, 14, 15})
	incl, err := g.Incl([]int{4, 0, 2})
	require.NoError(t, err)
	require.Equal(t, []int{14, 10, 12}, incl.WorldRanks())
	excl, err := g.Excl([]int{1, 3})
	require.NoError(t, err)
	require.Equal(t, []int{10, 12, 14, 15}, excl.WorldRanks())
	rg, err := g.RangeIncl([][3]int{{5, 1, -2}, {0, 0, 1}})
	require.NoError(t, err)
	require.Equal(t, []int{15, 13, 11, 10}, rg.WorldRanks())
	rx, err := g.RangeExcl([][3]int{{0, 4, 2}})
	require.NoError(t, err)
	require.Equal(t, []int{11, 13, 15}, rx.WorldRanks())

	require.Equal(t, []int{14, 10, 12, 11, 13, 15}, mpi.Union(incl, g).WorldRanks())
	require.Equal(t, []int{14, 10, 12}, mpi.Intersection(incl, excl).WorldRanks())
	require.Equal(t, []int{11, 13, 15}, mpi.Difference(g, incl).WorldRanks())
	require.Equal(t, 0, mpi.GroupEmpty.Size())

	tr, err := mpi.TranslateRanks(incl, []int{0, 1, 2, mpi.ProcNull}, excl)
	require.NoError(t, err)
	require.Equal(t, []int{2, 0, 1, mpi.ProcNull}, tr)
	tr, err = mpi.TranslateRanks(g, []int{1}, excl)
	require.NoError(t, err)
	require.Equal(t, []int{mpi.Undefined}, tr)
	require.Equal(t, 2, g.RankOf(12))
	require.Equal(t, mpi.Undefined, g.RankOf(99))

	require.Equal(t, mpi.Ident, mpi.CompareGroups(g, mpi.NewGroup(g.WorldRanks())))
	rev := slices.Clone(g.WorldRanks())
	slices.Reverse(rev)
	require.Equal(t, mpi.Similar, mpi.CompareGroups(g, mpi.NewGroup(rev)))
	require.Equal(t, mpi.Unequal, mpi.CompareGroups(g, incl))

	for _, bad := range [][]int{{6}, {-1}, {1, 1}} {
		_, err := g.Incl(bad)
		require.ErrorIs(t, err, mpi.ErrRank, "incl %v", bad)
	}
	_, err = g.RangeIncl([][3]int{{0, 3, 0}})
	require.ErrorIs(t, err, mpi.ErrArg)
}

func TestComm_splitCreateDup(t *testing.T) {
	for _, n := range sizes {
		t.Run(fmt.Sprint("np", n), func(t *testing.T) {
			run(t, n, 0, func(r *mpi.Rank) error {
				w := r.CommWorld()
				me := w.Rank()
				// Split by parity, reversed order by key.
				color := me % 2
				if me == n-1 && n > 2 {
					color = mpi.Undefined
				}
				s, err := w.Split(color, -me)
				if err != nil {
					return err
				}
				if color == mpi.Undefined {
					if s != nil {
						return fmt.Errorf("undefined color got a communicator")
					}
				} else {
					var want []int
					for i := n - 1; i >= 0; i-- {
						if i%2 == color && !(i == n-1 && n > 2) {
							want = append(want, i)
						}
					}
					if !slices.Equal(s.Group().WorldRanks(), want) || s.WorldRank(s.Rank()) != me {
						return fmt.Errorf("split: group %v rank %d, want %v", s.Group().WorldRanks(), s.Rank(), want)
					}
					// Collectives on the split comm work and stay inside it.
					x := i64s(int64(me))
					if err := s.Allreduce(nil, x, sum, true); err != nil {
						return err
					}
					var total int64
					for _, v := range want {
						total += int64(v)
					}
					if err := check("allreduce on split", x, i64s(total)); err != nil {
						return err
					}
				}
				d, err := w.Dup()
				if err != nil {
					return err
				}
				if mpi.CompareComms(w, d) != mpi.Congruent || mpi.CompareComms(w, w) != mpi.Ident {
					return fmt.Errorf("compare dup: %v", mpi.CompareComms(w, d))
				}
				if d.Context() == w.Context() {
					return fmt.Errorf("dup shares the context")
				}
				// Comm_create with the even ranks.
				evens, _ := w.Group().RangeIncl([][3]int{{0, n - 1, 2}})
				cc, err := w.Create(evens)
				if err != nil {
					return err
				}
				if (me%2 == 0) != (cc != nil) {
					return fmt.Errorf("create: member %v got %v", me%2 == 0, cc)
				}
				if cc != nil {
					if cc.Size() != evens.Size() || cc.Rank() != me/2 {
						return fmt.Errorf("create: size %d rank %d", cc.Size(), cc.Rank())
					}
					if err := cc.Barrier(); err != nil {
						return err
					}
					if err := cc.Free(); err != nil {
						return err
					}
					if err := cc.Barrier(); !errors.Is(err, mpi.ErrComm) {
						return fmt.Errorf("barrier on freed comm: %v", err)
					}
				}
				sh, err := w.SplitType(mpi.SplitTypeShared, 0)
				if err != nil {
					return err
				}
				if sh.Size() != n || sh.Rank() != me {
					return fmt.Errorf("split_type shared: %d/%d", sh.Rank(), sh.Size())
				}
				if err := w.Free(); !errors.Is(err, mpi.ErrComm) {
					return fmt.Errorf("freeing MPI_COMM_WORLD: %v", err)
				}
				return nil
			})
		})
	}
}

func TestCart(t *testing.T) {
	run(t, 12, 0, func(r *mpi.Rank) error {
		w := r.CommWorld()
		if w.Topo() != mpi.TopoUndefined {
			return fmt.Errorf("world has a topology")
		}
		if _, err := w.CartCreate([]int{5, 3}, []bool{false, false}, false); !errors.Is(err, mpi.ErrDims) {
			return fmt.Errorf("oversized grid: %v", err)
		}
		c, err := w.CartCreate([]int{2, 3, 2}, []bool{true, false, true}, true)
		if err != nil {
			return err
		}
		me := w.Rank()
		if c == nil || c.Topo() != mpi.TopoCart {
			return fmt.Errorf("cart: %v", c)
		}
		co, err := c.CartCoords(c.Rank())
		if err != nil {
			return err
		}
		if want := []int{me / 6, (me / 2) % 3, me % 2}; !slices.Equal(co, want) {
			return fmt.Errorf("coords %v want %v", co, want)
		}
		if rk, err := c.CartRank(co); err != nil || rk != me {
			return fmt.Errorf("cart_rank %v = %d %v", co, rk, err)
		}
		if rk, _ := c.CartRank([]int{-1, 0, 3}); rk != 6+1 { // periodic dims wrap
			return fmt.Errorf("wrapped rank %d", rk)
		}
		if _, err := c.CartRank([]int{0, 3, 0}); !errors.Is(err, mpi.ErrRank) {
			return fmt.Errorf("non-periodic overflow: %v", err)
		}
		src, dst, err := c.CartShift(1, 1)
		if err != nil {
			return err
		}
		wantSrc, wantDst := mpi.ProcNull, mpi.ProcNull
		if co[1] > 0 {
			wantSrc = me - 2
		}
		if co[1] < 2 {
			wantDst = me + 2
		}
		if src != wantSrc || dst != wantDst {
			return fmt.Errorf("shift dim 1: %d %d want %d %d", src, dst, wantSrc, wantDst)
		}
		src, dst, _ = c.CartShift(0, 1)
		if other := (me + 6) % 12; src != other || dst != other {
			return fmt.Errorf("periodic shift dim 0: %d %d", src, dst)
		}
		dims, periods, coords, err := c.CartGet()
		if err != nil || !slices.Equal(dims, []int{2, 3, 2}) || !slices.Equal(periods, []bool{true, false, true}) || !slices.Equal(coords, co) {
			return fmt.Errorf("cart_get %v %v %v %v", dims, periods, coords, err)
		}
		// Halo exchange along dim 1 with PROC_NULL at the edges.
		out, in := []byte{byte(me)}, []byte{0xFF}
		if _, err := c.Sendrecv(out, dst, 0, in, src, 0); err != nil {
			return err
		}
		sub, err := c.CartSub([]bool{false, true, false})
		if err != nil {
			return err
		}
		if nd, _ := sub.CartDim(); nd != 1 || sub.Size() != 3 || sub.Rank() != co[1] {
			return fmt.Errorf("sub: %d dims, size %d rank %d", nd, sub.Size(), sub.Rank())
		}
		x := i64s(int64(me))
		if err := sub.Allreduce(nil, x, sum, true); err != nil {
			return err
		}
		base := me - 2*co[1]
		if err := check("sub allreduce", x, i64s(int64(3*base+6))); err != nil {
			return err
		}
		small, err := w.CartCreate([]int{5}, []bool{false}, false)
		if err != nil || (me < 5) != (small != nil) {
			return fmt.Errorf("partial grid: %v %v", small, err)
		}
		if _, err := w.CartCoords(0); !errors.Is(err, mpi.ErrTopology) {
			return fmt.Errorf("coords without topology: %v", err)
		}
		return nil
	})
}

func TestDimsCreate(t *testing.T) {
	cases := []struct {
		n    int
		in   []int
		want []int
		err  error
	}{
		{6, []int{0, 0}, []int{3, 2}, nil},
		{7, []int{0, 0}, []int{7, 1}, nil},
		{6, []int{0, 3, 0}, []int{2, 3, 1}, nil},
		{72, []int{0, 0}, []int{9, 8}, nil},
		{64, []int{0, 0, 0}, []int{4, 4, 4}, nil},
		{12, []int{0, 0, 0}, []int{3, 2, 2}, nil},
		{1, []int{0, 0}, []int{1, 1}, nil},
		{7, []int{0, 3, 0}, nil, mpi.ErrDims},
		{6, []int{2, 3}, []int{2, 3}, nil},
		{6, []int{2, 2}, nil, mpi.ErrDims},
		{30, []int{0, 0, 0, 0}, []int{5, 3, 2, 1}, nil},
	}
	for _, tc := range cases {
		dims := slices.Clone(tc.in)
		err := mpi.DimsCreate(tc.n, dims)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, "%d %v", tc.n, tc.in)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, dims, "%d %v", tc.n, tc.in)
	}
}
