// Package op is the MPI reduction engine of FaasMPI: the predefined
// operations with their handle ids, the rules of which op applies to which
// type (MPI-3.1 §5.9.2), and Apply, which computes inout = in op inout
// elementwise over guest-layout buffers, as MPI_Reduce_local does.
//
// Results are those the C code would compute in the guest: IEEE arithmetic
// in the type's own precision (float sums round to float), two's complement
// wrap-around for integers, long double as IEEE binary128 (in software, see
// float128.go), and the comparisons of OpenMPI's op kernels, so MAX with a
// NaN operand and MINLOC ties come out the same.
//
// User-defined ops (MPI_Op_create) are Op values wrapping a Go callback; the
// adapter's callback calls back into the guest.
//
// The kernels read guest memory with the host's byte order, which must be
// little-endian like wasm's (amd64 and arm64, the only hosts wasmtime-go runs on).
package op
