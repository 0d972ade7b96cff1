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
		require.Equal(t, naiveRanges(a, b, at), changedRanges(a, b, at, nil), "iter %d", iter)
	}
}

func FuzzChangedRanges(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{1, 0, 3, 0, 5, 6, 7, 8, 0})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		n := min(len(a), len(b))
		a, b = a[:n], b[:n]
		require.Equal(t, naiveRanges(a, b, 0), changedRanges(a, b, 0, nil))
	})
}
