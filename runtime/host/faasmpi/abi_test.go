package faasmpi_test

import (
	"testing"

	"github.com/faasm-go/faasm/hostabi"
	"github.com/faasm-go/faasm/runtime/mpi"
	dt "github.com/faasm-go/faasm/runtime/mpi/datatype"
	"github.com/faasm-go/faasm/runtime/mpi/op"
)

// TestABIConstants checks that the handle ids mpi.h gets from the hostabi
// table are the ones the datatype and op engines use.
func TestABIConstants(t *testing.T) {
	names := map[string]int64{}
	for _, d := range hostabi.MPIDatatypeIDs {
		names[d.Name] = d.ID
	}
	for _, ty := range dt.Predefined {
		for _, n := range append([]string{ty.Name()}, ty.Aliases()...) {
			id, ok := names[n]
			if !ok {
				t.Errorf("%s (id %d) missing from hostabi.MPIDatatypeIDs", n, ty.ID())
				continue
			}
			if id != int64(ty.ID()) {
				t.Errorf("%s: hostabi id %d, datatype engine id %d", n, id, ty.ID())
			}
			delete(names, n)
		}
	}
	for n, id := range names {
		if n != "MPI_DATATYPE_NULL" && n != "MPI_C_COMPLEX" {
			t.Errorf("hostabi datatype %s=%d unknown to the datatype engine", n, id)
		}
	}
	for _, o := range hostabi.MPIOpIDs {
		if o.ID == 0 {
			continue
		}
		p := op.ByID(op.ID(o.ID))
		if p == nil || p.Name() != o.Name {
			t.Errorf("op %s=%d: engine has %v", o.Name, o.ID, p)
		}
	}
	if len(hostabi.MPIOpIDs)-1 != len(op.Predefined) {
		t.Errorf("hostabi lists %d ops, engine %d", len(hostabi.MPIOpIDs)-1, len(op.Predefined))
	}
	consts := map[string]int64{}
	for _, c := range hostabi.FaasMPI.Consts {
		consts[c.Name] = c.Value
	}
	for name, want := range map[string]int64{
		"FAASMPI_FIRST_DERIVED_TYPE": int64(dt.FirstDerivedID),
		"FAASMPI_FIRST_USER_OP":      int64(op.FirstUserID),
		"MPI_ANY_SOURCE":             mpi.AnySource,
		"MPI_ANY_TAG":                mpi.AnyTag,
		"MPI_PROC_NULL":              mpi.ProcNull,
		"MPI_UNDEFINED":              mpi.Undefined,
		"MPI_TAG_UB_VALUE":           mpi.TagUB,
		"MPI_IDENT":                  int64(mpi.Ident),
		"MPI_CONGRUENT":              int64(mpi.Congruent),
		"MPI_SIMILAR":                int64(mpi.Similar),
		"MPI_UNEQUAL":                int64(mpi.Unequal),
		"MPI_CART":                   mpi.TopoCart,
		"MPI_COMM_TYPE_SHARED":       mpi.SplitTypeShared,
		"MPI_ORDER_C":                int64(dt.OrderC),
		"MPI_ORDER_FORTRAN":          int64(dt.OrderFortran),
	} {
		if got, ok := consts[name]; !ok || got != want {
			t.Errorf("%s = %d (present %t), runtime says %d", name, got, ok, want)
		}
	}
}
