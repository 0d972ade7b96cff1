package mpi

import "errors"

// Sentinel errors returned (wrapped, with a location prefix) by every call in
// this package. The faasmpi adapter maps them to MPI error classes with one
// table (errors.Is(err, mpi.ErrTruncate) → MPI_ERR_TRUNCATE); nothing below the
// adapter knows the numeric classes.
var (
	// ErrTruncate: a receive buffer was smaller than the matched message. The
	// status is still filled (source, tag, bytes stored) (MPI_ERR_TRUNCATE).
	ErrTruncate = errors.New("message truncated")
	// ErrRank: a rank argument is out of range for the communicator (MPI_ERR_RANK).
	ErrRank = errors.New("invalid rank")
	// ErrTag: a tag is negative (other than AnyTag on receives) or above TagUB (MPI_ERR_TAG).
	ErrTag = errors.New("invalid tag")
	// ErrComm: the communicator is nil, freed, or of the wrong kind (MPI_ERR_COMM).
	ErrComm = errors.New("invalid communicator")
	// ErrGroup: a group argument is invalid (MPI_ERR_GROUP).
	ErrGroup = errors.New("invalid group")
	// ErrTopology: the communicator has no (or the wrong) topology (MPI_ERR_TOPOLOGY).
	ErrTopology = errors.New("invalid topology")
	// ErrDims: invalid dimension arguments (MPI_ERR_DIMS).
	ErrDims = errors.New("invalid dimensions")
	// ErrArg: any other invalid argument (MPI_ERR_ARG).
	ErrArg = errors.New("invalid argument")
	// ErrCount: a count or buffer length is inconsistent (MPI_ERR_COUNT).
	ErrCount = errors.New("invalid count")
	// ErrBuffer: Bsend does not fit the attached buffer, or attach/detach
	// misuse (MPI_ERR_BUFFER).
	ErrBuffer = errors.New("invalid buffer")
	// ErrRequest: the request is nil, freed, or in the wrong state (MPI_ERR_REQUEST).
	ErrRequest = errors.New("invalid request")
	// ErrRoot: the root rank is out of range (MPI_ERR_ROOT).
	ErrRoot = errors.New("invalid root")
	// ErrOp: the reduction is nil or unusable for this call (MPI_ERR_OP).
	ErrOp = errors.New("invalid operation")
	// ErrInStatus: Waitall/Waitsome/Testall saw a failing request; look at
	// each Status.Err (MPI_ERR_IN_STATUS).
	ErrInStatus = errors.New("error in status")
	// ErrPending: Waitall/Testall left requests incomplete because another
	// one failed (MPI_ERR_PENDING).
	ErrPending = errors.New("request pending")
	// ErrAborted: some rank called Abort; every blocked or later call fails
	// with an error wrapping this one and naming the code.
	ErrAborted = errors.New("job aborted")
	// ErrPeerDied: a rank exited or trapped without Finalize; every blocked or
	// later blocking call fails with an error naming that rank.
	ErrPeerDied = errors.New("peer rank died")
	// ErrDeadlock: every live rank was blocked in MPI with nothing in flight.
	// The wrapped message holds one line per rank describing its pending call.
	ErrDeadlock = errors.New("deadlock")
	// ErrFinalized: the rank already called Finalize (MPI_ERR_OTHER).
	ErrFinalized = errors.New("rank finalized")
	// ErrTransport: the transport failed to deliver (MPI_ERR_OTHER; the
	// adapter turns it into a trap, it is a host failure).
	ErrTransport = errors.New("transport failure")
)
