package svg

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// The documents must be well-formed XML with the expected marks.
func TestDocument(t *testing.T) {
	doc := Document("kernels <&>", 2, 400, 300,
		Bars{Title: "ratio", YLabel: "faasm/native", Categories: []string{"mpi/nstream", "omp/dgemm"},
			Groups: []string{"1", "2"}, Values: [][]float64{{1.1, math.NaN()}, {0.9, 1.3}}, RefLine: 1, RefLabel: "native"},
		Lines{Title: "dgemm", XLabel: "threads", YLabel: "s", LogX: true, XNote: "4: oversubscribed",
			Series: []Series{{Name: "native", Points: []Point{{1, 0.5}, {2, 0.3}, {4, 0.31}}},
				{Name: "faasm", Dashed: true, Points: []Point{{1, 0.6}, {2, math.NaN()}, {4, 0.4}}}}},
		Lines{Title: "empty"})
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
	}
	if n := strings.Count(doc, "<rect x="); n != 3 {
		t.Errorf("%d bars, want 3 (NaN is a gap)", n)
	}
	if n := strings.Count(doc, "<polyline"); n != 2 {
		t.Errorf("%d lines, want 2", n)
	}
	if !strings.Contains(doc, "kernels &lt;&amp;&gt;") {
		t.Error("title not escaped")
	}
}

func TestNiceMax(t *testing.T) {
	for in, want := range map[float64]float64{0.7: 1, 1.3: 2, 3: 5, 7: 10, 0.012: 0.02, 0: 1} {
		if got := niceMax(in); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceMax(%g) = %g, want %g", in, got, want)
		}
	}
}
