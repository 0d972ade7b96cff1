package snapshot

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// patchFromXor's word-at-a-time mask and payload agree with the byte-wise
// definition, for words with every pattern of changed bytes and runs of
// every length (a tail shorter than a word included).
func TestPatchFromXorMatchesBytewise(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for iter := 0; iter < 2000; iter++ {
		n := 1 + rng.IntN(80)
		mem := make([]byte, n)
		delta := make([]byte, n)
		for i := range mem {
			mem[i] = byte(rng.Uint32())
			if rng.IntN(3) != 0 {
				delta[i] = byte(1 + rng.IntN(255))
			}
		}
		if iter%7 == 0 {
			for i := range delta {
				delta[i] |= 1
			}
		}
		data := append([]byte(nil), delta...)
		mask := make([]byte, maskLen(n))
		all := patchFromXor(data, mem, mask)

		wantAll := true
		wantMask := make([]byte, maskLen(n))
		for i := range delta {
			if delta[i] != 0 {
				wantMask[i/8] |= 1 << (i % 8)
				require.Equal(t, mem[i], data[i], "changed byte %d of %d", i, n)
			} else {
				wantAll = false
				require.Zero(t, data[i], "unchanged byte %d of %d", i, n)
			}
		}
		require.Equal(t, wantMask, mask, "n %d", n)
		require.Equal(t, wantAll, all, "n %d", n)
	}
}

// twoReplicas maps a snapshot of size bytes with random contents and two
// replicas of it, and returns the master's bytes, a Merger on them and the
// replicas.
func twoReplicas(t *testing.T, tr DirtyTracker, size int) ([]byte, *Merger, *Replica, *Replica) {
	t.Helper()
	s, mm := newMaster(t, "patch", size)
	rng := rand.New(rand.NewPCG(23, 24))
	for i := range mm {
		mm[i] = byte(rng.Uint32())
	}
	var rs [2]*Replica
	for i := range rs {
		r, err := NewReplica(s, ReplicaOptions{Tracker: tr})
		require.NoError(t, err)
		t.Cleanup(func() { r.Close() })
		rs[i] = r
	}
	return mm, NewMerger(mm), rs[0], rs[1]
}

// newMaster creates a snapshot of size bytes and maps it shared: the
// master copy that merges land in. Both are released when the test ends.
func newMaster(t *testing.T, name string, size int) (*Snapshot, []byte) {
	t.Helper()
	s, err := New(name, int64(size))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	master, err := s.Map(Shared, 0, size)
	require.NoError(t, err)
	t.Cleanup(func() { master.Unmap() })
	return s, master.Bytes()
}

// Two threads store the same new value to the same bytes in one interval
// (nested.c's `in_inner = 1` from both inner threads, or a `found = 1`
// flag): shared memory holds that value afterwards, so the master must too,
// whatever the merge order and whether the batches crossed the wire. Xor
// diffs cancelled here and left the old value.
func TestSameValueFromTwoReplicas(t *testing.T) {
	for _, tr := range trackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			mm, merger, a, b := twoReplicas(t, tr, 4*page)
			flag, word := page+13, 2*page+40
			old := append([]byte(nil), mm...)
			for _, r := range []*Replica{a, b} {
				mem := r.Bytes()
				mem[flag] = old[flag] ^ 0x5a
				binary.LittleEndian.PutUint64(mem[word:], 0x0102030405060708)
			}
			// A neighbour of the flag only a writes, within coalescing range.
			a.Bytes()[flag+3] = old[flag+3] ^ 1

			ba, err := a.Collect()
			require.NoError(t, err)
			bb, err := b.Collect()
			require.NoError(t, err)
			for _, batch := range []Batch{bb, ba} {
				msg, err := Encode(batch)
				require.NoError(t, err)
				got, err := Decode(msg)
				require.NoError(t, err)
				require.NoError(t, merger.Apply(got))
			}
			want := append([]byte(nil), old...)
			want[flag] = old[flag] ^ 0x5a
			want[flag+3] = old[flag+3] ^ 1
			binary.LittleEndian.PutUint64(want[word:], 0x0102030405060708)
			require.Equal(t, want, mm)

			// Each replica, given the other's batch instead, agrees.
			require.NoError(t, a.Apply(bb))
			require.NoError(t, b.Apply(ba))
			require.Equal(t, want, a.Bytes())
			require.Equal(t, want, b.Bytes())
		})
	}
}

// Bytes interleaved between two threads at byte granularity (adjacent
// chars of one array, owned by different threads: not a race in C11)
// coalesce into one diff per thread; merged concurrently, neither thread's
// diff may store to the other's bytes, including unchanged ones it carries
// inside its run.
func TestInterleavedBytesFromTwoReplicas(t *testing.T) {
	for _, tr := range trackers(t) {
		t.Run(trackerName(tr), func(t *testing.T) {
			page := PageSize
			mm, merger, a, b := twoReplicas(t, tr, 4*page)
			old := append([]byte(nil), mm...)
			want := append([]byte(nil), old...)
			am, bm := a.Bytes(), b.Bytes()
			for i := page; i < 3*page; i++ {
				switch i % 3 {
				case 0:
					am[i] = old[i] + 1
				case 1:
					bm[i] = old[i] + 2
				case 2:
					continue // nobody's: must keep its master value
				}
				want[i] = old[i] + byte(1+i%3)
			}
			ba, err := a.Collect()
			require.NoError(t, err)
			bb, err := b.Collect()
			require.NoError(t, err)
			for _, batch := range []Batch{ba, bb} {
				require.Len(t, batch, 1, "one coalesced diff per page run")
				require.Equal(t, Patch, batch[0].Op)
			}
			done := make(chan error, 2)
			for _, batch := range []Batch{ba, bb} {
				go func() { done <- merger.Apply(batch) }()
			}
			require.NoError(t, <-done)
			require.NoError(t, <-done)
			require.Equal(t, want, mm)
		})
	}
}

// A run in which every byte changed needs no mask: it ships as Overwrite.
func TestFullyChangedRunIsOverwrite(t *testing.T) {
	base := make([]byte, PageSize)
	mem := make([]byte, PageSize)
	for i := 100; i < 200; i++ {
		mem[i] = 1
	}
	mem[300] = 2 // far from the first run: a diff of its own
	mem[302] = 3 // two bytes on: coalesced with 300 across an unchanged byte
	set := NewPageSet(1)
	set.Add(0)
	b := ComputeDiffs(mem, base, set, nil, DiffOptions{})
	require.Len(t, b, 2)
	require.Equal(t, Diff{Offset: 100, Data: mem[100:200], Type: Raw, Op: Overwrite}, b[0])
	require.Equal(t, Diff{Offset: 300, Data: []byte{2, 0, 3}, Mask: []byte{0b101}, Type: Raw, Op: Patch}, b[1])
}

func TestPatchMaskValidation(t *testing.T) {
	ok := Diff{Offset: 0, Data: make([]byte, 10), Mask: []byte{1, 2}, Type: Raw, Op: Patch}
	require.NoError(t, ok.Validate())
	for name, d := range map[string]Diff{
		"no mask":        {Data: make([]byte, 10), Type: Raw, Op: Patch},
		"short mask":     {Data: make([]byte, 10), Mask: []byte{1}, Type: Raw, Op: Patch},
		"bit past data":  {Data: make([]byte, 10), Mask: []byte{1, 4}, Type: Raw, Op: Patch},
		"typed patch":    {Data: make([]byte, 8), Mask: []byte{1}, Type: I64, Op: Patch},
		"mask on xor":    {Data: make([]byte, 8), Mask: []byte{1}, Type: Raw, Op: Xor},
		"mask on a sum":  {Data: make([]byte, 8), Base: make([]byte, 8), Mask: []byte{1}, Type: I64, Op: Sum},
		"mask overwrite": {Data: make([]byte, 8), Mask: []byte{0xff}, Type: Raw, Op: Overwrite},
	} {
		require.Error(t, d.Validate(), name)
		_, err := Encode(Batch{d})
		require.Error(t, err, name)
	}
	var rs Regions
	require.Error(t, rs.Add(Region{Offset: 0, Length: 8, Type: Raw, Op: Patch}), "Patch is plain memory's op, not a region's")

	// A decoder given a mask bit past the data refuses the batch.
	msg, err := Encode(Batch{ok})
	require.NoError(t, err)
	body := msg[:len(msg)-crcLen]
	// The mask's last byte, before the two written bytes.
	body[len(body)-3] |= 0x04
	_, err = Decode(appendCRC(body))
	require.ErrorIs(t, err, ErrCorrupt)
	require.ErrorContains(t, err, "past")
}

// DiffOptions.Xor keeps the commuting encoding for callers that apply
// batches out of release order.
func TestXorOption(t *testing.T) {
	base := make([]byte, PageSize)
	mem := make([]byte, PageSize)
	mem[10], mem[12] = 1, 2
	set := NewPageSet(1)
	set.Add(0)
	b := ComputeDiffs(mem, base, set, nil, DiffOptions{Xor: true})
	require.Equal(t, Batch{{Offset: 10, Data: []byte{1, 0, 2}, Type: Raw, Op: Xor}}, b)
}
