// The C half of the rank-to-rank rings (ring.go) and of the fast path that
// sends and receives small messages through them without entering Go
// (fast.go says why). Every struct here lives in C memory and is also read
// and written from Go through mirror types of the same layout (fast.go);
// TestFastLayout compares the two.
#ifndef FAASM_MPI_FAST_H
#define FAASM_MPI_FAST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define FAASM_MPI_RING_SLOTS 32
#define FAASM_MPI_RING_SMALL 32   // payload bytes in a slot itself
#define FAASM_MPI_RING_DATA 4096  // the largest payload a ring carries
#define FAASM_MPI_RING_AREA 32768 // the ring's data area: payloads above RING_SMALL, end to end

enum { FAASM_MPI_SLOT_INLINE = 0, FAASM_MPI_SLOT_BUF = 1 };

// One message slot: what a small message needs fills one cache line. A
// payload in the data area (kind FAASM_MPI_SLOT_BUF) starts at the
// position held in small's first 8 bytes: bytes ever placed in the area
// before it, so modulo FAASM_MPI_RING_AREA where it lies.
typedef struct {
	_Atomic uint64_t seq; // k+1 while it holds the k-th message pushed
	uint64_t ctx;
	int32_t src, tag, size, kind;
	uint8_t small[FAASM_MPI_RING_SMALL];
} faasm_mpi_slot;

typedef struct faasm_mpi_rank faasm_mpi_rank;

// The shared part of the ring from one rank to another.
typedef struct {
	_Atomic uint64_t head;      // messages drained: the consumer's
	_Atomic uint64_t data_head; // data area bytes freed (the end of the last payload drained): the consumer's
	uint8_t *area;              // data, for the consumer: reading it on the producer's line cost a transfer a message
	uint8_t _pad0[40];
	uint64_t tail, head_seen;           // the producer's
	faasm_mpi_rank *to;                 // the receiver's state
	uint64_t gave_up_at;                // 1 + the head at which a send gave up waiting for room (fast.c)
	uint8_t *data;                      // [RING_AREA]: larger payloads, made by the first that needs it
	uint64_t data_tail, data_head_seen; // the producer's: the end of the last payload placed, data_head as last read
	uint8_t _pad1[8];
	faasm_mpi_slot slots[FAASM_MPI_RING_SLOTS];
} faasm_mpi_ring;

// The per-rank state both halves read.
struct faasm_mpi_rank {
	_Atomic uint32_t sleeping; // the rank's own goroutine sleeps in a blocking call
	uint8_t _pad0[60];
	_Atomic int32_t consumer; // 1 while someone drains the rank's rings
	_Atomic int32_t queued;   // unexpected messages held by the matcher
	_Atomic int32_t waiting;  // posted receives and blocked probes
	uint8_t _pad1[52];
	int32_t id, size;        // world rank and world size
	int32_t eager;           // largest eager payload in bytes
	int32_t spin;            // poll for a message before giving up (ranks <= CPUs)
	faasm_mpi_ring *_Atomic *in; // [size] ring from each world rank, NULL until made
	faasm_mpi_ring *_Atomic *out; // [size] ring to each world rank, NULL until made
	_Atomic int32_t *queued_from; // [size+1] unexpected messages held from each world rank, then from any other
	uint64_t fast_sends, fast_recvs; // messages the fast path sent and received
	uint64_t fast_colls;             // collectives it completed
};

// One member's slot of a collective board (shm.go's shmSlot).
#define FAASM_MPI_BOARD_SMALL 48
typedef struct {
	_Atomic uint64_t seq; // g+1 once the member's input of round g is in place
	int64_t n;            // its size
	uint8_t small[FAASM_MPI_BOARD_SMALL];
} faasm_mpi_board_slot;

// One broadcast's slot of a board (shm.go's bcastSlot).
#define FAASM_MPI_BCAST_SLOTS 128
#define FAASM_MPI_BCAST_SMALL 296
typedef struct {
	_Atomic uint64_t seq;     // 1 + the number of the broadcast it holds
	_Atomic int64_t consumed; // members other than the root that copied it out
	int64_t n;                // the data's size
	uint8_t small[FAASM_MPI_BCAST_SMALL];
} faasm_mpi_bcast_slot;

// A communicator as the fast path sees it: one member's view, used by that
// member's thread only.
typedef struct {
	uint64_t ctx; // point-to-point context
	int32_t rank, size;
	const int32_t *ranks; // [size] world rank of each member
	faasm_mpi_rank *r;
	uint64_t seq, rounds, bcasts; // collective calls made; board rounds and broadcasts among them
	uint64_t pending;             // 1 + the round the fast path arrived at and left to Go
	faasm_mpi_board_slot *slots[2]; // [size] by parity; NULL until the board is made
	faasm_mpi_rank **members;       // [size]
	faasm_mpi_bcast_slot *bcast;    // [FAASM_MPI_BCAST_SLOTS]
	uint8_t *bigs[2];               // [size][FAASM_MPI_BOARD_BIG] by parity: inputs above BOARD_SMALL
} faasm_mpi_comm;

// The largest input a board slot takes (shm.go's shmCollMax).
#define FAASM_MPI_BOARD_BIG 4096

// The element types and operations the fast Allreduce combines itself.
enum { FAASM_MPI_I32 = 1, FAASM_MPI_I64, FAASM_MPI_U32, FAASM_MPI_U64, FAASM_MPI_F32, FAASM_MPI_F64 };
enum { FAASM_MPI_SUM = 1, FAASM_MPI_PROD, FAASM_MPI_MIN, FAASM_MPI_MAX };

// The results of the fast collectives: done, not started (Go does it all),
// or arrived and left to Go to finish (comm->pending set).
enum { FAASM_MPI_COLL_DONE = 1, FAASM_MPI_COLL_NOT = 0, FAASM_MPI_COLL_GO_ON = 2 };

// n zeroed bytes of C memory on a cache line of their own, or NULL.
void *faasm_mpi_alloc(size_t n);

// The ring's data area, made if missing; NULL when out of memory. Only
// the ring's producer calls it.
uint8_t *faasm_mpi_ring_data(faasm_mpi_ring *rg);

// Sends n bytes at data to dest with tag, as a blocking standard-mode send
// small enough to be eager. Returns 1 when the message is in the ring, 0
// when the caller must send it through Go (anything unusual, an argument
// error included, a full ring, or a ring not made yet).
int faasm_mpi_send_fast(const faasm_mpi_comm *c, const uint8_t *data, int32_t n, int32_t dest, int32_t tag);

// Receives from source (a rank of c, not a wildcard) with tag (or -1 for
// any) into buf of cap bytes, when the message is or soon is at the head of
// that source's ring and nothing else waits in the matcher. Returns 1 with
// *src, *tag and *count set, or 0 when the caller must receive through Go.
int faasm_mpi_recv_fast(const faasm_mpi_comm *c, uint8_t *buf, int32_t cap, int32_t source, int32_t tag,
                        int32_t *out_tag, int32_t *out_count);

// MPI_Barrier on c through its board.
int faasm_mpi_barrier_fast(faasm_mpi_comm *c);

// MPI_Bcast of n bytes at buf from root through c's board.
int faasm_mpi_bcast_fast(faasm_mpi_comm *c, uint8_t *buf, int32_t n, int32_t root);

// MPI_Allgatherv through c's board: member m's block of counts[m] bytes
// lands at recv + displs[m]; this member's comes from send (NULL: in
// place). The caller checked every block against memory.
int faasm_mpi_allgatherv_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, const int64_t *counts,
                              const int64_t *displs);

// MPI_Alltoall of blk-byte blocks through c's board: block m of send
// lands in block me of member m's recv (send and recv do not overlap).
int faasm_mpi_alltoall_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int64_t blk);

// MPI_Reduce of n bytes (as for the Allreduce) from in into the root's out
// (NULL on the other members): through the rings up to
// FAASM_MPI_RING_DATA bytes when ranks outnumber CPUs, else through c's
// board.
int faasm_mpi_reduce_fast(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op,
                          int32_t root);

// MPI_Gather of blk-byte blocks to root, through the rings as Go's eager
// messages: send is this member's block (NULL at a root in place), recv
// the root's buffer of size blocks (NULL elsewhere).
int faasm_mpi_gather_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int32_t blk, int32_t root);

// MPI_Scatter of blk-byte blocks from root: send is the root's size blocks
// (NULL elsewhere), recv this member's block (NULL at a root in place).
int faasm_mpi_scatter_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int32_t blk, int32_t root);

// MPI_Allreduce of n bytes (elements of kind, combined with op, at most
// FAASM_MPI_BOARD_BIG) from in into out (which may be in) through c's board.
int faasm_mpi_allreduce_fast(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op);

#endif
