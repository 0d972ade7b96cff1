package inproc_test

import (
	"testing"

	"github.com/faasm-go/faasm/runtime/mpi"
	"github.com/faasm-go/faasm/runtime/mpi/inproc"
	"github.com/faasm-go/faasm/runtime/mpi/mpitest"
)

func TestTransport(t *testing.T) {
	mpitest.TestTransport(t, func(t *testing.T, size int) mpi.Transport { return inproc.New(size) })
}
