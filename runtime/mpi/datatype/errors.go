package datatype

import "errors"

// Sentinel errors. The MPI adapter maps them to error classes with one table
// (errors.Is(err, datatype.ErrBuffer) → MPI_ERR_BUFFER, and so on); messages
// here carry the details.
var (
	// ErrBuffer: an element would reach outside the given memory.
	ErrBuffer = errors.New("buffer out of bounds")
	// ErrTruncate: the data does not fit the destination (MPI_ERR_TRUNCATE).
	ErrTruncate = errors.New("message truncated")
	// ErrCount: a negative count or block length (MPI_ERR_COUNT).
	ErrCount = errors.New("invalid count")
	// ErrArg: another invalid constructor argument, such as a subarray that
	// does not fit its array or an unknown order (MPI_ERR_ARG).
	ErrArg = errors.New("invalid argument")
	// ErrType: a nil or otherwise unusable datatype (MPI_ERR_TYPE).
	ErrType = errors.New("invalid datatype")
	// ErrTooLarge: sizes or displacements overflow int64, or the flattened
	// form of a type would be unreasonably large (MPI_ERR_TYPE).
	ErrTooLarge = errors.New("datatype too large")
)
