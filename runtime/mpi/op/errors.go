package op

import "errors"

// Sentinel errors; the adapter maps them to MPI error classes.
var (
	// ErrOp: the op is not defined on the datatype, such as MPI_BAND on
	// MPI_DOUBLE, or a null op (MPI_ERR_OP).
	ErrOp = errors.New("operation not defined on datatype")
	// ErrCount: a negative count (MPI_ERR_COUNT).
	ErrCount = errors.New("invalid count")
)
