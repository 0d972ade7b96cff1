package snapshot

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func naiveRanges(a, b []byte, at int) []span {
	var out []span
	open := -1
	for i := range a {
		if a[i] != b[i] {
			if open < 0 {
				open = i
			}
		} else if open >= 0 {
			out = append(out, span{at + open, at + i})
			open = -1
		}
	}
	if open >= 0 {
		out = append(out, span{at + open, at + len(a)})
	}
	return out
}

func coalesce(in []span, gap int) []span {
	var out []span
	for _, s := range in {
		if len(out) > 0 && s.start-out[len(out)-1].end <= gap {
			out[len(out)-1].end = s.end
			continue
		}
		out = append(out, s)
	}
	return out
}

func TestChangedRangesMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 3000; iter++ {
		n := rng.IntN(300)
		a := make([]byte, n)
		for i := range a {
			a[i] = byte(rng.IntN(4))
		}
		b := append([]byte(nil), a...)
		// Mix sparse single bytes, dense runs and runs of equal writes.
		for k := rng.IntN(8); k > 0 && n > 0; k-- {
			s := rng.IntN(n)
			e := min(n, s+1+rng.IntN(20))
			for i := s; i < e; i++ {
				if rng.IntN(3) > 0 {
					b[i] = byte(rng.IntN(4))
				}
			}
		}
		at := rng.IntN(1000)
		gap := []int{0, 1, 3, 6, 7, 8, 20}[rng.IntN(7)]
		require.Equal(t, coalesce(naiveRanges(a, b, at), gap), changedRanges(a, b, at, gap, nil), "iter %d gap %d", iter, gap)
	}
}

func FuzzChangedRanges(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{1, 0, 3, 0, 5, 6, 7, 8, 0})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		n := min(len(a), len(b))
		a, b = a[:n], b[:n]
		for _, gap := range []int{0, 5, 6, 9} {
			require.Equal(t, coalesce(naiveRanges(a, b, 0), gap), changedRanges(a, b, 0, gap, nil))
		}
	})
}
