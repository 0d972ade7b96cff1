// The C half of the small-message fast path (fast.go says why it exists).
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fast.h"
#include "_cgo_export.h"

// TAG_UB mirrors mpi.TagUB.
#define TAG_UB ((1 << 30) - 1)

// FAST_POLLS bounds how long a receive waits in C for its message before it
// leaves the wait to Go (which polls on and then parks): about as long as a
// partner on another core takes to answer. FAST_RECHECK is how often the
// loop looks at the matcher's counts, so that a message that arrived another
// way (through the transport) is not left waiting for the whole loop.
#define FAST_POLLS 4096
#define FAST_RECHECK 63

// FULL_POLLS bounds how long a send waits for a slot in a full ring: with a
// pause per poll, some tens of microseconds.
#define FULL_POLLS 2048

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

// wait_for_slot waits for the receiver to free a slot of the full ring rg,
// whose next message is the t-th: a receiver that is draining (a stream of
// sends) frees one within a few hundred nanoseconds. Sending through Go
// instead queues the message as unexpected, and then the receiver takes
// Go's slower path too until it has caught up, which a sender faster than
// it never lets happen. A receiver that does not drain (it is busy, or
// waits for something else first) makes the wait give up: the ring is
// marked congested, and no send waits again until the receiver has
// emptied it.
static int wait_for_slot(const faasm_mpi_rank *r, faasm_mpi_ring *rg, uint64_t t) {
	rg->head_seen = atomic_load_explicit(&rg->head, memory_order_acquire);
	if (t - rg->head_seen < FAASM_MPI_RING_SLOTS) return 1;
	if (!r->spin || rg->congested) return 0;
	for (int i = 0; i < FULL_POLLS; i++) {
		cpu_relax();
		rg->head_seen = atomic_load_explicit(&rg->head, memory_order_acquire);
		if (t - rg->head_seen < FAASM_MPI_RING_SLOTS) return 1;
	}
	rg->congested = 1;
	return 0;
}

int faasm_mpi_send_fast(const faasm_mpi_comm *c, const uint8_t *data, int32_t n, int32_t dest, int32_t tag) {
	faasm_mpi_rank *r = c->r;
	if (n < 0 || n > FAASM_MPI_RING_SMALL || n > r->eager || dest < 0 || dest >= c->size || tag < 0 ||
	    tag > TAG_UB)
		return 0;
	int32_t to = c->ranks[dest];
	if (to == r->id || to < 0 || to >= r->size) return 0;
	faasm_mpi_ring *rg = atomic_load_explicit(&r->out[to], memory_order_acquire);
	if (rg == NULL) return 0;
	uint64_t t = rg->tail;
	if (t - rg->head_seen >= FAASM_MPI_RING_SLOTS && !wait_for_slot(r, rg, t)) return 0;
	faasm_mpi_slot *s = &rg->slots[t % FAASM_MPI_RING_SLOTS];
	s->ctx = c->ctx;
	s->src = c->rank;
	s->tag = tag;
	s->size = n;
	s->kind = FAASM_MPI_SLOT_INLINE;
	memcpy(s->small, data, (size_t)n);
	rg->tail = t + 1;
	if (rg->congested && t == rg->head_seen) rg->congested = 0; // the receiver had caught up
	// Sequentially consistent, like the receiver's store of sleeping before
	// its last look at the rings (waiter.block): one of the two sees the
	// other, so a receiver never sleeps on a message that is there.
	atomic_store_explicit(&s->seq, t + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&rg->to->sleeping, memory_order_seq_cst)) faasmMpiWake(rg->to);
	r->fast_sends++;
	return 1;
}

// take receives the message at the head of rg into buf if it is the one
// asked for and nothing in the matcher could come before it. 1 taken, 0
// not there (yet), -1 give up (Go must decide).
static int take(const faasm_mpi_comm *c, faasm_mpi_ring *rg, uint8_t *buf, int32_t cap, int32_t source,
                int32_t tag, int32_t *out_tag, int32_t *out_count) {
	faasm_mpi_rank *r = c->r;
	int32_t free = 0;
	if (!atomic_compare_exchange_strong(&r->consumer, &free, 1)) return -1; // Go drains
	int rc = -1;
	uint64_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
	faasm_mpi_slot *s = &rg->slots[h % FAASM_MPI_RING_SLOTS];
	if (atomic_load_explicit(&s->seq, memory_order_acquire) != h + 1) {
		rc = 0; // Go drained it meanwhile
	} else if (atomic_load(&r->queued) == 0 && atomic_load(&r->waiting) == 0 &&
	           s->kind == FAASM_MPI_SLOT_INLINE && s->ctx == c->ctx && s->src == source &&
	           (tag == -1 || s->tag == tag) && s->size <= cap) {
		// The counts are read after the slot: a message its sender passed
		// to the transport before this one was queued before this one was
		// pushed.
		memcpy(buf, s->small, (size_t)s->size);
		*out_tag = s->tag;
		*out_count = s->size;
		atomic_store_explicit(&rg->head, h + 1, memory_order_release);
		r->fast_recvs++;
		rc = 1;
	}
	atomic_store_explicit(&r->consumer, 0, memory_order_release);
	return rc;
}

int faasm_mpi_recv_fast(const faasm_mpi_comm *c, uint8_t *buf, int32_t cap, int32_t source, int32_t tag,
                        int32_t *out_tag, int32_t *out_count) {
	faasm_mpi_rank *r = c->r;
	if (source < 0 || source >= c->size || tag < -1 || tag > TAG_UB || cap < 0) return 0;
	int32_t from = c->ranks[source];
	if (from == r->id || from < 0 || from >= r->size) return 0;
	faasm_mpi_ring *rg = atomic_load_explicit(&r->in[from], memory_order_acquire);
	if (rg == NULL) return 0;
	int polls = r->spin ? FAST_POLLS : 1;
	for (int i = 0; i < polls; i++) {
		if ((i & FAST_RECHECK) == FAST_RECHECK &&
		    (atomic_load_explicit(&r->queued, memory_order_relaxed) != 0 ||
		     atomic_load_explicit(&r->waiting, memory_order_relaxed) != 0))
			return 0;
		uint64_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
		if (atomic_load_explicit(&rg->slots[h % FAASM_MPI_RING_SLOTS].seq, memory_order_acquire) != h + 1)
			continue;
		int rc = take(c, rg, buf, cap, source, tag, out_tag, out_count);
		if (rc != 0) return rc > 0;
	}
	return 0;
}

// faasm_mpi_alloc returns n zeroed bytes on a cache line of their own.
void *faasm_mpi_alloc(size_t n) {
	void *p = NULL;
	if (posix_memalign(&p, 64, n) != 0) return NULL;
	memset(p, 0, n);
	return p;
}

// faasm_mpi_layout reports the layout that checkFastLayout compares with Go's.
size_t faasm_mpi_layout(int i) {
	switch (i) {
	case 0: return sizeof(faasm_mpi_slot);
	case 1: return offsetof(faasm_mpi_slot, small);
	case 2: return sizeof(faasm_mpi_ring);
	case 3: return offsetof(faasm_mpi_ring, tail);
	case 4: return offsetof(faasm_mpi_ring, to);
	case 5: return offsetof(faasm_mpi_ring, slots);
	case 6: return sizeof(faasm_mpi_rank);
	case 7: return offsetof(faasm_mpi_rank, consumer);
	case 8: return offsetof(faasm_mpi_rank, waiting);
	case 9: return offsetof(faasm_mpi_rank, id);
	case 10: return offsetof(faasm_mpi_rank, in);
	case 11: return offsetof(faasm_mpi_rank, out);
	case 12: return offsetof(faasm_mpi_rank, fast_colls);
	case 13: return sizeof(faasm_mpi_comm);
	case 14: return offsetof(faasm_mpi_comm, ranks);
	case 15: return offsetof(faasm_mpi_comm, r);
	case 16: return offsetof(faasm_mpi_comm, seq);
	case 17: return offsetof(faasm_mpi_comm, pending);
	case 18: return offsetof(faasm_mpi_comm, slots);
	case 19: return offsetof(faasm_mpi_comm, members);
	case 20: return sizeof(faasm_mpi_board_slot);
	case 21: return offsetof(faasm_mpi_board_slot, small);
	case 22: return offsetof(faasm_mpi_comm, bcasts);
	case 23: return offsetof(faasm_mpi_comm, bcast);
	case 24: return sizeof(faasm_mpi_bcast_slot);
	case 25: return offsetof(faasm_mpi_bcast_slot, small);
	case 26: return offsetof(faasm_mpi_comm, bigs);
	case 27: return FAASM_MPI_BOARD_BIG;
	}
	return 0;
}

// wake_members wakes the members of c but this one that sleep in Go.
static void wake_members(const faasm_mpi_comm *c) {
	for (int32_t m = 0; m < c->size; m++)
		if (m != c->rank && atomic_load_explicit(&c->members[m]->sleeping, memory_order_seq_cst))
			faasmMpiWake(c->members[m]);
}

// arrive publishes this member's slot of round g (its input in place) and
// wakes the members asleep in Go, as shmBoard.arrive does; then waits for
// every other member's slot, polling when the member has a CPU of its own.
// FAASM_MPI_COLL_DONE when all arrived, else FAASM_MPI_COLL_GO_ON with the
// round left to Go (coll.resumed).
static int arrive(faasm_mpi_comm *c, uint64_t g) {
	faasm_mpi_board_slot *slots = c->slots[g & 1];
	atomic_store_explicit(&slots[c->rank].seq, g + 1, memory_order_seq_cst);
	wake_members(c);
	int polls = c->r->spin ? FAST_POLLS : 1;
	int32_t next = 0; // the members before it have arrived
	for (int i = 0; i < polls; i++) {
		while (next < c->size &&
		       (next == c->rank || atomic_load_explicit(&slots[next].seq, memory_order_acquire) == g + 1))
			next++;
		if (next == c->size) return FAASM_MPI_COLL_DONE;
	}
	c->pending = g + 1;
	return FAASM_MPI_COLL_GO_ON;
}

// board_round starts a board collective on c: its call and its round.
static uint64_t board_round(faasm_mpi_comm *c) {
	c->seq++;
	return c->rounds++;
}

int faasm_mpi_barrier_fast(faasm_mpi_comm *c) {
	if (c->slots[0] == NULL || c->pending != 0 || c->size < 2) return FAASM_MPI_COLL_NOT;
	int rc = arrive(c, board_round(c));
	if (rc == FAASM_MPI_COLL_DONE) c->r->fast_colls++;
	return rc;
}

// COMBINE(T, OP) computes d = d OP l elementwise over n bytes, as the Go
// kernels do (op package: inout = inout OP in, with in the lower block).
#define COMBINE_ALL(T)                                                                              \
	static void combine_##T(T *d, const T *l, int32_t k, int op) {                                 \
		for (int32_t i = 0; i < k; i++) {                                                          \
			switch (op) {                                                                          \
			case FAASM_MPI_SUM: d[i] = d[i] + l[i]; break;                                          \
			case FAASM_MPI_PROD: d[i] = d[i] * l[i]; break;                                         \
			case FAASM_MPI_MIN: if (!(d[i] < l[i])) d[i] = l[i]; break;                             \
			case FAASM_MPI_MAX: if (!(d[i] > l[i])) d[i] = l[i]; break;                             \
			}                                                                                      \
		}                                                                                          \
	}
COMBINE_ALL(int32_t)
COMBINE_ALL(int64_t)
COMBINE_ALL(uint32_t)
COMBINE_ALL(uint64_t)
COMBINE_ALL(float)
COMBINE_ALL(double)

// combine computes d = upper OP lower into d (n bytes, aligned scratch).
static void combine(uint8_t *d, const uint8_t *lower, const uint8_t *upper, int32_t n, int kind, int op) {
	// Elements may sit unaligned in the slots: work on aligned copies.
	uint64_t l[FAASM_MPI_BOARD_SMALL / 8];
	memcpy(l, lower, (size_t)n);
	memcpy(d, upper, (size_t)n);
	switch (kind) {
	case FAASM_MPI_I32: combine_int32_t((int32_t *)d, (const int32_t *)l, n / 4, op); break;
	case FAASM_MPI_I64: combine_int64_t((int64_t *)d, (const int64_t *)l, n / 8, op); break;
	case FAASM_MPI_U32: combine_uint32_t((uint32_t *)d, (const uint32_t *)l, n / 4, op); break;
	case FAASM_MPI_U64: combine_uint64_t((uint64_t *)d, (const uint64_t *)l, n / 8, op); break;
	case FAASM_MPI_F32: combine_float((float *)d, (const float *)l, n / 4, op); break;
	case FAASM_MPI_F64: combine_double((double *)d, (const double *)l, n / 8, op); break;
	}
}

// MAX_TREE bounds the members whose inputs the fast Allreduce combines
// itself (a stack of results for the tree).
#define MAX_TREE 64

// slot_buf sets this member's input of round g to n bytes and returns
// where they go: in the slot, or in its large buffer (shmBoard.slot).
static uint8_t *slot_buf(faasm_mpi_comm *c, uint64_t g, int64_t n) {
	faasm_mpi_board_slot *s = &c->slots[g & 1][c->rank];
	s->n = n;
	if (n <= FAASM_MPI_BOARD_SMALL) return s->small;
	return c->bigs[g & 1] + (size_t)c->rank * FAASM_MPI_BOARD_BIG;
}

// input is member m's input of round g, of slots[m].n bytes
// (shmBoard.input).
static const uint8_t *input(const faasm_mpi_comm *c, uint64_t g, int32_t m) {
	const faasm_mpi_board_slot *s = &c->slots[g & 1][m];
	if (s->n <= FAASM_MPI_BOARD_SMALL) return s->small;
	return c->bigs[g & 1] + (size_t)m * FAASM_MPI_BOARD_BIG;
}

// combine_tree combines the inputs of round g at [off, off+n) into out in
// the order of recursive doubling, as combineTree (shm.go): the first 2*rem
// inputs fold pairwise, then levels of pairs, lower block first.
static void combine_tree(const faasm_mpi_comm *c, uint64_t g, size_t off, int32_t n, uint8_t *out, int kind, int op) {
	int32_t pof2 = 1;
	while (pof2 * 2 <= c->size) pof2 *= 2;
	int32_t rem = c->size - pof2;
	_Alignas(8) uint8_t res[MAX_TREE][FAASM_MPI_BOARD_SMALL];
	const uint8_t *level[MAX_TREE];
	int32_t used = 0;
	for (int32_t j = 0; j < pof2; j++) {
		if (j < rem) {
			combine(res[used], input(c, g, 2 * j) + off, input(c, g, 2 * j + 1) + off, n, kind, op);
			level[j] = res[used++];
		} else {
			level[j] = input(c, g, j + rem) + off;
		}
	}
	for (int32_t len = pof2; len > 1; len /= 2) {
		for (int32_t k = 0; k < len / 2; k++) {
			combine(res[used], level[2 * k], level[2 * k + 1], n, kind, op);
			level[k] = res[used++];
		}
	}
	memcpy(out, level[0], (size_t)n);
}

// combine_order is combine_tree or combine_binomial.
typedef void (*combine_order)(const faasm_mpi_comm *c, uint64_t g, size_t off, int32_t n, uint8_t *out, int kind,
                              int op);

// reduce_round is the common part of Reduce and Allreduce: it publishes
// this member's n-byte input in a new round (*g), waits for the others
// and checks that they all sent n bytes. FAASM_MPI_COLL_DONE when the
// inputs can be combined.
static int reduce_round(faasm_mpi_comm *c, const uint8_t *in, int32_t n, uint64_t *g) {
	*g = board_round(c);
	memcpy(slot_buf(c, *g, n), in, (size_t)n);
	int rc = arrive(c, *g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	for (int32_t m = 0; m < c->size; m++)
		if (c->slots[*g & 1][m].n != n) { // an erroneous program: Go reports it
			c->pending = *g + 1;
			return FAASM_MPI_COLL_GO_ON;
		}
	return FAASM_MPI_COLL_DONE;
}

// combine_all combines round g's n-byte inputs into out in order's order.
// Element by element the order is the same for any split, so the vectors
// are combined a slot's worth (a whole number of elements) at a time.
static void combine_all(const faasm_mpi_comm *c, uint64_t g, int32_t n, uint8_t *out, int kind, int op,
                        combine_order order) {
	for (int32_t off = 0; off < n; off += FAASM_MPI_BOARD_SMALL) {
		int32_t k = n - off < FAASM_MPI_BOARD_SMALL ? n - off : FAASM_MPI_BOARD_SMALL;
		order(c, g, (size_t)off, k, out + off, kind, op);
	}
}

// reduce_args_ok checks what Reduce and Allreduce serve.
static int reduce_args_ok(const faasm_mpi_comm *c, int32_t n, int kind, int op) {
	return c->slots[0] != NULL && c->pending == 0 && c->size >= 2 && c->size <= MAX_TREE && n > 0 &&
	       n <= FAASM_MPI_BOARD_BIG && kind >= FAASM_MPI_I32 && kind <= FAASM_MPI_F64 && op >= FAASM_MPI_SUM &&
	       op <= FAASM_MPI_MAX;
}

int faasm_mpi_allreduce_fast(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op) {
	if (!reduce_args_ok(c, n, kind, op)) return FAASM_MPI_COLL_NOT;
	uint64_t g;
	int rc = reduce_round(c, in, n, &g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	combine_all(c, g, n, out, kind, op, combine_tree);
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

int faasm_mpi_alltoall_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int64_t blk) {
	int32_t me = c->rank, n = c->size;
	if (blk < 0 || (int64_t)n * blk > FAASM_MPI_BOARD_BIG) return FAASM_MPI_COLL_NOT; // Go's path is messages
	if (n == 1) { // Go's path has no board here either
		memmove(recv, send, (size_t)blk);
		c->seq++;
		c->r->fast_colls++;
		return FAASM_MPI_COLL_DONE;
	}
	if (c->slots[0] == NULL || c->pending != 0) return FAASM_MPI_COLL_NOT;
	uint64_t g = board_round(c);
	memcpy(slot_buf(c, g, n * blk), send, (size_t)(n * blk));
	int rc = arrive(c, g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	for (int32_t m = 0; m < n; m++)
		if (c->slots[g & 1][m].n != n * blk) { // a block size that differs: Go reports it
			c->pending = g + 1;
			return FAASM_MPI_COLL_GO_ON;
		}
	for (int32_t m = 0; m < n; m++) memcpy(recv + m * blk, input(c, g, m) + me * blk, (size_t)blk);
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

// combine_binomial combines the inputs of round g at [off, off+n) into out
// in reduceOn's binomial order, as combineBinomial (shm.go).
static void combine_binomial(const faasm_mpi_comm *c, uint64_t g, size_t off, int32_t n, uint8_t *out, int kind,
                             int op) {
	_Alignas(8) uint8_t res[MAX_TREE][FAASM_MPI_BOARD_SMALL];
	const uint8_t *vals[MAX_TREE];
	int32_t used = 0;
	for (int32_t m = 0; m < c->size; m++) vals[m] = input(c, g, m) + off;
	for (int32_t mask = 1; mask < c->size; mask <<= 1)
		for (int32_t r = 0; r + mask < c->size; r += 2 * mask) {
			combine(res[used], vals[r], vals[r + mask], n, kind, op);
			vals[r] = res[used++];
		}
	memcpy(out, vals[0], (size_t)n);
}

int faasm_mpi_reduce_fast(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op,
                          int32_t root) {
	if (!reduce_args_ok(c, n, kind, op) || root < 0 || root >= c->size || (c->rank == root) != (out != NULL))
		return FAASM_MPI_COLL_NOT;
	uint64_t g;
	int rc = reduce_round(c, in, n, &g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	if (c->rank == root) combine_all(c, g, n, out, kind, op, combine_binomial);
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

int faasm_mpi_allgatherv_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, const int64_t *counts,
                              const int64_t *displs) {
	int32_t me = c->rank;
	uint8_t *mine = recv + displs[me];
	if (c->size == 1) { // Go's path has no board here either
		if (send != NULL) memmove(mine, send, (size_t)counts[0]);
		c->seq++;
		c->r->fast_colls++;
		return FAASM_MPI_COLL_DONE;
	}
	if (c->slots[0] == NULL || c->pending != 0) return FAASM_MPI_COLL_NOT;
	for (int32_t m = 0; m < c->size; m++)
		if (counts[m] > FAASM_MPI_BOARD_BIG) return FAASM_MPI_COLL_NOT; // Go's path is messages
	uint64_t g = board_round(c);
	if (send != NULL) memmove(mine, send, (size_t)counts[me]);
	memcpy(slot_buf(c, g, counts[me]), mine, (size_t)counts[me]);
	int rc = arrive(c, g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	for (int32_t m = 0; m < c->size; m++)
		if (m != me && c->slots[g & 1][m].n > counts[m]) { // truncation: Go reports it
			c->pending = g + 1;
			return FAASM_MPI_COLL_GO_ON;
		}
	for (int32_t m = 0; m < c->size; m++)
		if (m != me) memcpy(recv + displs[m], input(c, g, m), (size_t)c->slots[g & 1][m].n);
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}
// Like bcastShm (shm.go), for data that fits a slot. Nothing is changed
// unless the call completes here: a root whose slot is still being read,
// or a member whose data is not there yet (after polling, when it has a
// CPU of its own), leave the whole call to Go.
int faasm_mpi_bcast_fast(faasm_mpi_comm *c, uint8_t *buf, int32_t n, int32_t root) {
	if (c->bcast == NULL || c->size < 2 || root < 0 || root >= c->size || n < 0 || n > FAASM_MPI_BCAST_SMALL)
		return FAASM_MPI_COLL_NOT;
	uint64_t seq = c->bcasts;
	faasm_mpi_bcast_slot *sl = &c->bcast[seq % FAASM_MPI_BCAST_SLOTS];
	if (c->rank == root) {
		if (atomic_load_explicit(&sl->consumed, memory_order_acquire) != c->size - 1) return FAASM_MPI_COLL_NOT;
		atomic_store_explicit(&sl->consumed, 0, memory_order_relaxed);
		sl->n = n;
		memcpy(sl->small, buf, (size_t)n);
		atomic_store_explicit(&sl->seq, seq + 1, memory_order_seq_cst);
		wake_members(c);
	} else {
		int polls = c->r->spin ? FAST_POLLS : 1, i = 0;
		while (atomic_load_explicit(&sl->seq, memory_order_acquire) != seq + 1)
			if (++i >= polls) return FAASM_MPI_COLL_NOT;
		if (sl->n != n) return FAASM_MPI_COLL_NOT; // Go reports the truncation
		memcpy(buf, sl->small, (size_t)n);
		if (atomic_fetch_add_explicit(&sl->consumed, 1, memory_order_acq_rel) + 1 == c->size - 1)
			wake_members(c); // the slot's next root may be waiting for it
	}
	c->bcasts++;
	c->seq++;
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}
