// Package datatype is the MPI datatype engine of FaasMPI: the predefined
// types of the wasm32 guest ABI (with their handle ids, sizes and C
// alignments), the derived-type constructors of MPI-3.1 §4.1, the queries on
// them (size, extent, true extent, signature) and the copies between guest
// memory and packed bytes that every send, receive and collective uses.
//
// A Type is an immutable value: constructors build a new Type from old ones
// and never change their arguments, so a Type can be shared between ranks and
// requests without locks, and "freeing" a handle is the caller's business (a
// pending request that holds the *Type keeps it alive).
//
// Memory is addressed as in the guest: a []byte view of the whole linear
// memory plus a signed byte offset (the buffer pointer; MPI_BOTTOM is 0 and
// absolute addresses come in through displacements). Every copy checks that
// each byte it touches lies inside the view and returns ErrBuffer otherwise;
// nothing here panics on guest-controlled input.
//
// Layout rules are those of clang's wasm32 C ABI (ILP32, long double is IEEE
// binary128 aligned to 16), checked against clang-19 in the tests.
package datatype
