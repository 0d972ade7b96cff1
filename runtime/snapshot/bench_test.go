//go:build linux

package snapshot

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchReplica maps a 256 MiB snapshot (random contents) and a private
// replica in which frac of the pages have been written. kind "sparse"
// changes one 8-byte word per dirty page; "dense" rewrites the whole page.
func benchReplica(b *testing.B, size int, frac float64, kind string) (*Snapshot, *Mapping, *Mapping, int) {
	b.Helper()
	s, err := New("bench", int64(size))
	if err != nil {
		b.Fatal(err)
	}
	master, err := s.Map(Shared, 0, size)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	mm := master.Bytes()
	for i := 0; i < len(mm); i += 8 {
		mm[i] = byte(rng.Uint32())
	}
	replica, err := s.Map(Private, 0, size)
	if err != nil {
		b.Fatal(err)
	}
	r := replica.Bytes()
	npages := size / PageSize
	ndirty := int(float64(npages) * frac)
	perm := rng.Perm(npages)[:ndirty]
	for _, p := range perm {
		off := p * PageSize
		if kind == "dense" {
			for i := off; i < off+PageSize; i++ {
				r[i]++
			}
		} else {
			r[off+8*rng.IntN(PageSize/8)]++
		}
	}
	// Touch the rest for reading, as a running program would have.
	var sum byte
	for i := 0; i < len(r); i += PageSize {
		sum += r[i]
	}
	sink += sum
	b.Cleanup(func() { replica.Unmap(); master.Unmap(); s.Close() })
	return s, master, replica, ndirty
}

const benchSize = 256 << 20

// BenchmarkTracker: finding dirty pages, and finding them plus computing
// the diffs (what Collect does), over 256 MiB with 1%, 10%, 100% of pages
// dirty.
func BenchmarkTracker(b *testing.B) {
	pm, err := NewPagemapTracker()
	if err != nil {
		b.Fatal(err)
	}
	defer pm.Close()
	for _, frac := range []float64{0.01, 0.1, 1} {
		for _, kind := range []string{"sparse", "dense"} {
			_, master, replica, ndirty := benchReplica(b, benchSize, frac, kind)
			for _, tr := range []DirtyTracker{pm, CompareTracker{}} {
				for _, withDiff := range []bool{false, true} {
					name := fmt.Sprintf("%s/dirty=%g%%/%s/diff=%t", tr.Name(), frac*100, kind, withDiff)
					b.Run(name, func(b *testing.B) {
						set := NewPageSet(benchSize / PageSize)
						for b.Loop() {
							set.Reset(set.Len())
							if err := tr.Dirty(replica.Bytes(), master.Bytes(), set); err != nil {
								b.Fatal(err)
							}
							if withDiff {
								ComputeDiffs(replica.Bytes(), master.Bytes(), set, nil, DiffOptions{})
							}
						}
						if set.Count() < ndirty {
							b.Fatalf("tracker found %d of %d dirty pages", set.Count(), ndirty)
						}
						b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/op")
					})
				}
			}
		}
	}
}

// BenchmarkDiff: ComputeDiffs throughput in bytes of dirty memory per second.
func BenchmarkDiff(b *testing.B) {
	const size = 64 << 20
	for _, kind := range []string{"sparse", "dense"} {
		_, master, replica, ndirty := benchReplica(b, size, 1, kind)
		set := NewPageSet(size / PageSize)
		set.AddRange(0, size/PageSize)
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(ndirty * PageSize))
			for b.Loop() {
				ComputeDiffs(replica.Bytes(), master.Bytes(), set, nil, DiffOptions{})
			}
		})
	}
}

// BenchmarkMerge: Merger.Apply throughput in bytes of dirty memory per
// second, for the batches of BenchmarkDiff, and for reduction elements.
func BenchmarkMerge(b *testing.B) {
	const size = 64 << 20
	for _, kind := range []string{"sparse", "dense"} {
		_, master, replica, _ := benchReplica(b, size, 1, kind)
		set := NewPageSet(size / PageSize)
		set.AddRange(0, size/PageSize)
		batch := ComputeDiffs(replica.Bytes(), master.Bytes(), set, nil, DiffOptions{})
		dst := make([]byte, size)
		m := NewMerger(dst)
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				if err := m.Apply(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("f64-sum-elements", func(b *testing.B) {
		const n = 1 << 16
		data := make([]byte, 8*n)
		m := NewMerger(make([]byte, 8*n))
		batch := Batch{{Offset: 0, Data: data, Base: make([]byte, 8*n), Type: F64, Op: Sum}}
		b.SetBytes(8 * n)
		for b.Loop() {
			if err := m.Apply(batch); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGap measures the coalescing gap: diff + encode + decode + merge
// time and encoded bytes, for access patterns that leave unchanged gaps, with
// plain memory as Patch diffs (gap=0: runs split exactly at unchanged
// bytes, no masks) and as Xor diffs.
func BenchmarkGap(b *testing.B) {
	const size = 16 << 20
	rng := rand.New(rand.NewPCG(2, 2))
	base := make([]byte, size)
	for i := range base {
		base[i] = byte(rng.Uint32())
	}
	patterns := map[string]func(mem []byte){
		// schedule(static,1) over an int array with 2 threads: every other int.
		"stride8w4": func(mem []byte) {
			for i := 0; i < len(mem); i += 8 {
				mem[i]++
			}
		},
		// scattered 8-byte stores on 5% of words.
		"random5pct": func(mem []byte) {
			r := rand.New(rand.NewPCG(3, 3))
			for k := 0; k < len(mem)/8/20; k++ {
				mem[r.IntN(len(mem)/8)*8]++
			}
		},
		// a struct-of-arrays update: 16 of every 64 bytes.
		"field16of64": func(mem []byte) {
			for i := 0; i < len(mem); i += 64 {
				for j := i; j < i+16; j++ {
					mem[j]++
				}
			}
		},
	}
	for _, pname := range []string{"stride8w4", "random5pct", "field16of64"} {
		mem := append([]byte(nil), base...)
		patterns[pname](mem)
		set := NewPageSet(size / PageSize)
		set.AddRange(0, size/PageSize)
		for _, gap := range []int{-1, 8, 16, 32, 64, 128} {
			for _, xor := range []bool{false, true} {
				enc := "patch"
				if xor {
					enc = "xor"
				}
				b.Run(fmt.Sprintf("%s/%s/gap=%d", pname, enc, max(gap, 0)), func(b *testing.B) {
					dst := append([]byte(nil), base...)
					m := NewMerger(dst)
					var encoded, ndiffs int
					for b.Loop() {
						batch := ComputeDiffs(mem, base, set, nil, DiffOptions{Gap: gap, Xor: xor})
						msg, err := Encode(batch)
						if err != nil {
							b.Fatal(err)
						}
						got, err := Decode(msg)
						if err != nil {
							b.Fatal(err)
						}
						if err := m.Apply(got); err != nil {
							b.Fatal(err)
						}
						encoded, ndiffs = len(msg), len(batch)
					}
					b.ReportMetric(float64(encoded)/float64(size), "wire-bytes/mem-byte")
					b.ReportMetric(float64(ndiffs), "diffs")
				})
			}
		}
	}
}

// BenchmarkEncode: encode and decode throughput of a sparse Xor batch with
// and without zero-run coding being worthwhile.
func BenchmarkEncode(b *testing.B) {
	const size = 16 << 20
	for _, kind := range []string{"sparse", "dense"} {
		data := make([]byte, size)
		rng := rand.New(rand.NewPCG(4, 4))
		step := 1
		if kind == "sparse" {
			step = 32
		}
		for i := 0; i < size; i += step {
			data[i] = byte(1 + rng.IntN(255))
		}
		batch := Batch{{Offset: 0, Data: data, Type: Raw, Op: Xor}}
		msg, _ := Encode(batch)
		b.Run("encode/"+kind, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				Encode(batch)
			}
			b.ReportMetric(float64(len(msg))/size, "wire-bytes/byte")
		})
		b.Run("decode/"+kind, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				if _, err := Decode(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
