package lammpsport

import "testing"

// A LAMMPS 2022 screen output around the thermo table (bench/in.lj).
const sample = `Setting up Verlet run ...
  Unit style    : lj
  Current step  : 0
  Time step     : 0.005
Per MPI rank memory allocation (min/avg/max) = 8.625 | 8.625 | 8.625 Mbytes
Step Temp E_pair E_mol TotEng Press 
       0         1.44   -6.7733681            0   -4.6134356   -5.0197073 
      50    0.7003224   -5.6770141            0   -4.6265526   0.57039163 
     100    0.7558236   -5.7576632            0   -4.6239564   0.30652501 
Loop time of 1.53398 on 1 procs for 100 steps with 32000 atoms

Performance: 28161.994 tau/day, 65.190 timesteps/s
`

func TestParseThermo(t *testing.T) {
	th, err := ParseThermo(sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(th.Columns) != 6 || len(th.Rows) != 3 || th.Rows[2][5] != "0.30652501" {
		t.Fatalf("parsed %+v", th)
	}
	if s, err := th.LoopSeconds(); err != nil || s != 1.53398 {
		t.Fatalf("loop seconds %v, %v", s, err)
	}
	if _, err := ParseThermo("Step Temp\n 0 1.44\nERROR: Lost atoms\n"); err == nil {
		t.Fatal("a table ended by an ERROR line parsed")
	}
	if _, err := ParseThermo("no table here\n"); err == nil {
		t.Fatal("output without a table parsed")
	}
}

func TestDiffAndSpread(t *testing.T) {
	a, _ := ParseThermo(sample)
	b, _ := ParseThermo(sample)
	if n, err := Diff(a, b, nil); n != 0 || err != nil {
		t.Fatalf("identical tables: %d, %v", n, err)
	}
	b.Rows[1][5] = "0.57039164" // one unit in the last printed digit
	if _, err := Diff(a, b, nil); err == nil {
		t.Fatal("a digit difference passed without tolerance")
	}
	tol, err := Spread(a, a)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := Diff(a, b, tol); n != 1 || err != nil {
		t.Fatalf("within one unit of the last digit: %d, %v", n, err)
	}
	b.Rows[1][5] = "0.57039180"
	if _, err := Diff(a, b, tol); err == nil {
		t.Fatal("a difference of 17 units in the last digit passed")
	}
	if got := lastDigit("-4.6134356"); got < 0.99e-7 || got > 1.01e-7 {
		t.Fatalf("lastDigit = %g", got)
	}
	if got := lastDigit("1.5e-05"); got < 0.99e-6 || got > 1.01e-6 {
		t.Fatalf("lastDigit(1.5e-05) = %g", got)
	}
}
