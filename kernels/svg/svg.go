// Package svg writes the small charts of the kernel benchmarks: grouped bar
// charts and line charts, as standalone SVG documents. No dependencies.
package svg

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Palette for series and groups.
var Palette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"}

// Chart renders itself into a w x h box at (x, y).
type Chart interface {
	Render(b *strings.Builder, x, y, w, h float64)
}

// Document lays charts out in a grid of cols columns, each cw x ch.
func Document(title string, cols int, cw, ch float64, charts ...Chart) string {
	if cols < 1 {
		cols = 1
	}
	rows := (len(charts) + cols - 1) / cols
	top := 0.0
	if title != "" {
		top = 30
	}
	W, H := float64(cols)*cw, float64(rows)*ch+top
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="11">`+"\n", W, H, W, H)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	if title != "" {
		text(&b, W/2, 20, "middle", 15, "bold", title)
	}
	for i, c := range charts {
		c.Render(&b, float64(i%cols)*cw, top+float64(i/cols)*ch, cw, ch)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func text(b *strings.Builder, x, y float64, anchor string, size float64, weight, s string) {
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-size="%.0f" font-weight="%s">%s</text>`+"\n",
		x, y, anchor, size, weight, html.EscapeString(s))
}

func line(b *strings.Builder, x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	d := ""
	if dash != "" {
		d = fmt.Sprintf(` stroke-dasharray="%s"`, dash)
	}
	fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"%s/>`+"\n", x1, y1, x2, y2, stroke, width, d)
}

// niceMax rounds v up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func fmtTick(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 1000 || math.Abs(v) < 0.01:
		return fmt.Sprintf("%.0e", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", v), "0"), ".")
}

// Bars is a grouped bar chart: one cluster per category, one bar per group.
// Values[g][c] is group g's value in category c; NaN leaves a gap.
type Bars struct {
	Title, YLabel string
	Categories    []string
	Groups        []string
	Values        [][]float64
	RefLine       float64 // drawn dashed when > 0 (e.g. ratio 1.0)
	RefLabel      string
}

func (c Bars) Render(b *strings.Builder, x, y, w, h float64) {
	const left, right, top, bottom = 55.0, 10.0, 28.0, 95.0
	px, py, pw, ph := x+left, y+top, w-left-right, h-top-bottom
	text(b, x+w/2, y+16, "middle", 13, "bold", c.Title)
	max := c.RefLine
	for _, g := range c.Values {
		for _, v := range g {
			if !math.IsNaN(v) && v > max {
				max = v
			}
		}
	}
	max = niceMax(max * 1.05)
	ys := func(v float64) float64 { return py + ph - v/max*ph }
	for i := 0; i <= 5; i++ {
		v := max * float64(i) / 5
		line(b, px, ys(v), px+pw, ys(v), "#e0e0e0", 1, "")
		text(b, px-4, ys(v)+4, "end", 10, "normal", fmtTick(v))
	}
	fmt.Fprintf(b, `<text transform="translate(%.1f,%.1f) rotate(-90)" text-anchor="middle" font-size="11">%s</text>`+"\n",
		x+14, py+ph/2, html.EscapeString(c.YLabel))
	nc, ng := len(c.Categories), len(c.Groups)
	if nc > 0 && ng > 0 {
		cw := pw / float64(nc)
		bw := cw * 0.8 / float64(ng)
		for ci, cat := range c.Categories {
			cx := px + float64(ci)*cw
			for gi := range c.Groups {
				if gi >= len(c.Values) || ci >= len(c.Values[gi]) || math.IsNaN(c.Values[gi][ci]) {
					continue
				}
				v := c.Values[gi][ci]
				fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %.3g</title></rect>`+"\n",
					cx+cw*0.1+float64(gi)*bw, ys(v), bw, py+ph-ys(v), Palette[gi%len(Palette)],
					html.EscapeString(cat), html.EscapeString(c.Groups[gi]), v)
			}
			fmt.Fprintf(b, `<text transform="translate(%.1f,%.1f) rotate(-50)" text-anchor="end" font-size="10">%s</text>`+"\n",
				cx+cw/2, py+ph+12, html.EscapeString(cat))
		}
	}
	if c.RefLine > 0 {
		line(b, px, ys(c.RefLine), px+pw, ys(c.RefLine), "#333", 1.2, "5,4")
		if c.RefLabel != "" {
			text(b, px+pw-2, ys(c.RefLine)-3, "end", 10, "normal", c.RefLabel)
		}
	}
	line(b, px, py+ph, px+pw, py+ph, "#333", 1, "")
	line(b, px, py, px, py+ph, "#333", 1, "")
	legend(b, px, y+h-14, c.Groups, nil)
}

func legend(b *strings.Builder, x, y float64, names []string, dashed []bool) {
	for i, n := range names {
		col := Palette[i%len(Palette)]
		dash := ""
		if dashed != nil && dashed[i] {
			dash = "4,3"
		}
		line(b, x, y-4, x+16, y-4, col, 3, dash)
		text(b, x+20, y, "start", 10, "normal", n)
		x += 30 + 6.5*float64(len(n))
	}
}

// Point is one sample of a line.
type Point struct{ X, Y float64 }

// Series is one line.
type Series struct {
	Name   string
	Points []Point
	Dashed bool
}

// Lines is a line chart; X is drawn on a log2 scale when LogX is set.
type Lines struct {
	Title, XLabel, YLabel string
	Series                []Series
	LogX                  bool
	XNote                 string // small note under the x axis (e.g. oversubscription)
}

func (c Lines) Render(b *strings.Builder, x, y, w, h float64) {
	const left, right, top, bottom = 55.0, 10.0, 28.0, 58.0
	px, py, pw, ph := x+left, y+top, w-left-right, h-top-bottom
	text(b, x+w/2, y+16, "middle", 12, "bold", c.Title)
	xmin, xmax, ymax := math.Inf(1), math.Inf(-1), 0.0
	tx := func(v float64) float64 {
		if c.LogX {
			return math.Log2(v)
		}
		return v
	}
	var xs []float64
	seen := map[float64]bool{}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if math.IsNaN(p.Y) {
				continue
			}
			xmin, xmax = math.Min(xmin, tx(p.X)), math.Max(xmax, tx(p.X))
			ymax = math.Max(ymax, p.Y)
			if !seen[p.X] {
				seen[p.X] = true
				xs = append(xs, p.X)
			}
		}
	}
	if math.IsInf(xmin, 0) {
		xmin, xmax = 0, 1
	}
	if xmax == xmin {
		xmax = xmin + 1
	}
	ymax = niceMax(ymax * 1.05)
	xsc := func(v float64) float64 { return px + (tx(v)-xmin)/(xmax-xmin)*pw }
	ysc := func(v float64) float64 { return py + ph - v/ymax*ph }
	for i := 0; i <= 4; i++ {
		v := ymax * float64(i) / 4
		line(b, px, ysc(v), px+pw, ysc(v), "#e0e0e0", 1, "")
		text(b, px-4, ysc(v)+4, "end", 10, "normal", fmtTick(v))
	}
	for _, v := range xs {
		line(b, xsc(v), py+ph, xsc(v), py+ph+4, "#333", 1, "")
		text(b, xsc(v), py+ph+15, "middle", 10, "normal", fmtTick(v))
	}
	text(b, px+pw/2, py+ph+28, "middle", 10, "normal", c.XLabel)
	if c.XNote != "" {
		text(b, px+pw/2, py+ph+40, "middle", 9, "italic", c.XNote)
	}
	fmt.Fprintf(b, `<text transform="translate(%.1f,%.1f) rotate(-90)" text-anchor="middle" font-size="10">%s</text>`+"\n",
		x+12, py+ph/2, html.EscapeString(c.YLabel))
	var names []string
	var dashed []bool
	for i, s := range c.Series {
		col := Palette[i%len(Palette)]
		var pts []string
		for _, p := range s.Points {
			if math.IsNaN(p.Y) {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xsc(p.X), ysc(p.Y)))
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %g: %.4g</title></circle>`+"\n",
				xsc(p.X), ysc(p.Y), col, html.EscapeString(s.Name), p.X, p.Y)
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="5,3"`
		}
		if len(pts) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), col, dash)
		}
		names = append(names, s.Name)
		dashed = append(dashed, s.Dashed)
	}
	line(b, px, py+ph, px+pw, py+ph, "#333", 1, "")
	line(b, px, py, px, py+ph, "#333", 1, "")
	legend(b, px, y+h-4, names, dashed)
}
