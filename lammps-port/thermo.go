// Package lammpsport holds the LAMMPS port's checks: lammps.sh obtains and
// builds Debian's LAMMPS natively and for faasm, the tests run the
// Lennard-Jones benchmark both ways and compare LAMMPS's thermo output.
package lammpsport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Thermo is one run's thermo table: the header's column names and the rows
// as printed (the strings are compared: "match to the printed digits").
type Thermo struct {
	Columns []string
	Rows    [][]string
	Loop    string // the "Loop time of ..." line
}

// ParseThermo reads the first thermo table of a LAMMPS log or screen output:
// the line starting with "Step", the numeric rows after it, up to "Loop time".
func ParseThermo(out string) (*Thermo, error) {
	var th *Thermo
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case th == nil:
			if len(f) > 1 && f[0] == "Step" {
				th = &Thermo{Columns: f}
			}
		case strings.HasPrefix(line, "Loop time"):
			th.Loop = strings.TrimSpace(line)
			if len(th.Rows) == 0 {
				return nil, fmt.Errorf("thermo table has no rows")
			}
			return th, nil
		case len(f) == len(th.Columns) && allNumbers(f):
			th.Rows = append(th.Rows, f)
		case len(f) == 0 || strings.HasPrefix(line, "WARNING"):
		default:
			return nil, fmt.Errorf("unexpected line in the thermo table: %q", line)
		}
	}
	if th == nil {
		return nil, fmt.Errorf("no thermo table (no line starting with Step)")
	}
	return nil, fmt.Errorf("thermo table not ended by a Loop time line (run cut short?)")
}

func allNumbers(f []string) bool {
	for _, s := range f {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return false
		}
	}
	return true
}

// LoopSeconds is the loop time of the run, from "Loop time of 1.234 on ...".
func (th *Thermo) LoopSeconds() (float64, error) {
	f := strings.Fields(th.Loop)
	if len(f) < 4 {
		return 0, fmt.Errorf("no loop time in %q", th.Loop)
	}
	return strconv.ParseFloat(f[3], 64)
}

// Diff compares two tables cell by cell as printed. tol, when not nil, gives
// per column the absolute difference that is accepted although the printed
// digits differ (nil: digits must match). It returns the first difference
// beyond tol, and the number of cells that differ within it.
func Diff(want, got *Thermo, tol []float64) (within int, err error) {
	if strings.Join(want.Columns, " ") != strings.Join(got.Columns, " ") {
		return 0, fmt.Errorf("columns %v, want %v", got.Columns, want.Columns)
	}
	if len(want.Rows) != len(got.Rows) {
		return 0, fmt.Errorf("%d thermo rows, want %d", len(got.Rows), len(want.Rows))
	}
	for i := range want.Rows {
		for j := range want.Rows[i] {
			w, g := want.Rows[i][j], got.Rows[i][j]
			if w == g {
				continue
			}
			wf, _ := strconv.ParseFloat(w, 64)
			gf, _ := strconv.ParseFloat(g, 64)
			if tol != nil && math.Abs(wf-gf) <= tol[j] {
				within++
				continue
			}
			return within, fmt.Errorf("step %s %s: %s, want %s", want.Rows[i][0], want.Columns[j], g, w)
		}
	}
	return within, nil
}

// Spread is, per column, the largest absolute difference between two tables
// of the same run (LAMMPS's own differences between process counts), plus
// one unit in the last printed digit of the larger value.
func Spread(a, b *Thermo) ([]float64, error) {
	if len(a.Rows) != len(b.Rows) || len(a.Columns) != len(b.Columns) {
		return nil, fmt.Errorf("tables of different shapes")
	}
	tol := make([]float64, len(a.Columns))
	for i := range a.Rows {
		for j := range a.Rows[i] {
			x, _ := strconv.ParseFloat(a.Rows[i][j], 64)
			y, _ := strconv.ParseFloat(b.Rows[i][j], 64)
			d := math.Abs(x-y) + lastDigit(a.Rows[i][j])
			tol[j] = math.Max(tol[j], d)
		}
	}
	return tol, nil
}

// lastDigit is the value of one unit in the last printed digit of s.
func lastDigit(s string) float64 {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:])
	}
	dec := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		dec = len(mant) - i - 1
	}
	return math.Pow(10, float64(exp-dec))
}

// Format renders a table as LAMMPS prints it (for test logs).
func (th *Thermo) Format() string {
	var b strings.Builder
	b.WriteString(strings.Join(th.Columns, " "))
	for _, r := range th.Rows {
		b.WriteString("\n" + strings.Join(r, " "))
	}
	return b.String()
}
