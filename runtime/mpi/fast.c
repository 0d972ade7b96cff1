// The C half of the small-message fast path (fast.go says why it exists).
#include <sched.h>
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

// YIELD_POLLS bounds the polls of a rank of a job with more ranks than
// CPUs, which gives its CPU away between them: the partner it waits for
// probably needs that CPU. Before, such a rank polled once and left the
// wait to Go, whose own yielding wait (spinUntil) then cost the call a
// trip through the cgo callback and the Go path's bookkeeping: 8-byte
// Gather and Scatter at np 4 on 2 cores took 1.3-2.0 us against OpenMPI's
// 0.7-0.8.
#define YIELD_POLLS 16

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

// keep_polling is asked after the i-th (from 0) unsuccessful poll of a
// wait whether to poll again: FAST_POLLS polls for a rank with a CPU of its
// own, YIELD_POLLS with a yield before each for one without.
static int keep_polling(const faasm_mpi_rank *r, int i) {
	if (r->spin) return i + 1 < FAST_POLLS;
	if (i + 1 >= YIELD_POLLS) return 0;
	sched_yield();
	return 1;
}

// data_pos is where in rg's data area the next payload of n bytes goes:
// after the last one, on a cache line of its own (so that the reductions'
// operands are aligned), and at the area's start when it would not fit
// before its end.
static uint64_t data_pos(const faasm_mpi_ring *rg, int32_t n) {
	uint64_t pos = (rg->data_tail + 63) & ~(uint64_t)63;
	if (pos % FAASM_MPI_RING_AREA + (uint64_t)n > FAASM_MPI_RING_AREA)
		pos += FAASM_MPI_RING_AREA - pos % FAASM_MPI_RING_AREA;
	return pos;
}

// fits reports whether rg has a free slot for its t-th message and, for a
// payload of n bytes above FAASM_MPI_RING_SMALL, room in its data area, as
// the consumer's counts were last read.
static int fits(const faasm_mpi_ring *rg, uint64_t t, int32_t n) {
	return t - rg->head_seen < FAASM_MPI_RING_SLOTS &&
	       (n <= FAASM_MPI_RING_SMALL || data_pos(rg, n) + (uint64_t)n - rg->data_head_seen <= FAASM_MPI_RING_AREA);
}

// look_again reads the consumer's counts of rg again and reports fits.
static int look_again(faasm_mpi_ring *rg, uint64_t t, int32_t n) {
	rg->head_seen = atomic_load_explicit(&rg->head, memory_order_acquire);
	rg->data_head_seen = atomic_load_explicit(&rg->data_head, memory_order_acquire);
	return fits(rg, t, n);
}

// wait_for_room waits for the receiver to make room in the full ring rg
// for its t-th message, of n bytes: a receiver that is draining (a stream
// of sends) frees some within a few hundred nanoseconds. Sending through Go
// instead queues the message as unexpected, and then the receiver takes
// Go's slower path too until it has caught up, which a sender faster than
// it never lets happen. A receiver that does not drain (it is busy, or
// waits for something else first) makes the wait give up, and no send
// waits again until the receiver has taken a message since. A rank without
// a CPU of its own yields while it waits: the receiver probably needs that
// CPU to drain. It used to send through Go at once, and 8-byte Scatter at
// np 4 on 2 cores took 1.1-1.8 us against 0.3-0.4 (OpenMPI 0.4).
static int wait_for_room(const faasm_mpi_rank *r, faasm_mpi_ring *rg, uint64_t t, int32_t n) {
	if (look_again(rg, t, n)) return 1;
	if (rg->gave_up_at == rg->head_seen + 1) return 0;
	for (int i = 0; i < (r->spin ? FULL_POLLS : YIELD_POLLS); i++) {
		if (r->spin) cpu_relax();
		else sched_yield();
		if (look_again(rg, t, n)) return 1;
	}
	rg->gave_up_at = rg->head_seen + 1;
	return 0;
}

// out_ring is the ring from this member to member dest of c, NULL when
// there is none (dest is this rank, on another host, or not sent to yet).
static faasm_mpi_ring *out_ring(const faasm_mpi_comm *c, int32_t dest) {
	int32_t to = c->ranks[dest];
	if (to == c->r->id || to < 0 || to >= c->r->size) return NULL;
	return atomic_load_explicit(&c->r->out[to], memory_order_acquire);
}

// in_ring is the ring from member source of c to this member, or NULL.
static faasm_mpi_ring *in_ring(const faasm_mpi_comm *c, int32_t source) {
	int32_t from = c->ranks[source];
	if (from == c->r->id || from < 0 || from >= c->r->size) return NULL;
	return atomic_load_explicit(&c->r->in[from], memory_order_acquire);
}

uint8_t *faasm_mpi_ring_data(faasm_mpi_ring *rg) {
	if (rg->data == NULL) rg->data = rg->area = faasm_mpi_alloc(FAASM_MPI_RING_AREA);
	return rg->data;
}

// slot_pos is the position in the data area of the payload of s, a slot
// of kind FAASM_MPI_SLOT_BUF (push puts it there).
static uint64_t slot_pos(const faasm_mpi_slot *s) {
	uint64_t pos;
	memcpy(&pos, s->small, sizeof pos);
	return pos;
}

// slot_data is where slot i's payload lies.
static const uint8_t *slot_data(const faasm_mpi_ring *rg, uint64_t i) {
	const faasm_mpi_slot *s = &rg->slots[i];
	if (s->kind == FAASM_MPI_SLOT_INLINE) return s->small;
	return rg->area + slot_pos(s) % FAASM_MPI_RING_AREA;
}

// has_room reports whether rg can take a message of n <= RING_DATA bytes
// now, waiting for room as wait_for_room does; it makes the data area a
// payload above RING_SMALL needs (0 when out of memory).
static int has_room(const faasm_mpi_rank *r, faasm_mpi_ring *rg, int32_t n) {
	if (n > FAASM_MPI_RING_SMALL && faasm_mpi_ring_data(rg) == NULL) return 0;
	uint64_t t = rg->tail;
	return fits(rg, t, n) || wait_for_room(r, rg, t, n);
}

// push writes a message of n <= FAASM_MPI_RING_DATA bytes into rg, which
// has room for it (has_room), and wakes its receiver if it sleeps.
static void push(uint64_t ctx, faasm_mpi_ring *rg, int32_t src, int32_t tag, const uint8_t *data, int32_t n) {
	uint64_t t = rg->tail, i = t % FAASM_MPI_RING_SLOTS;
	faasm_mpi_slot *s = &rg->slots[i];
	if (n <= FAASM_MPI_RING_SMALL) {
		s->kind = FAASM_MPI_SLOT_INLINE;
		memcpy(s->small, data, (size_t)n);
	} else {
		uint64_t pos = data_pos(rg, n);
		s->kind = FAASM_MPI_SLOT_BUF;
		memcpy(rg->data + pos % FAASM_MPI_RING_AREA, data, (size_t)n);
		memcpy(s->small, &pos, sizeof pos);
		rg->data_tail = pos + (uint64_t)n;
	}
	s->ctx = ctx;
	s->src = src;
	s->tag = tag;
	s->size = n;
	rg->tail = t + 1;
	// Sequentially consistent, like the receiver's store of sleeping before
	// its last look at the rings (waiter.block): one of the two sees the
	// other, so a receiver never sleeps on a message that is there.
	atomic_store_explicit(&s->seq, t + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&rg->to->sleeping, memory_order_seq_cst)) faasmMpiWake(rg->to);
}

int faasm_mpi_send_fast(const faasm_mpi_comm *c, const uint8_t *data, int32_t n, int32_t dest, int32_t tag) {
	faasm_mpi_rank *r = c->r;
	if (n < 0 || n > FAASM_MPI_RING_DATA || n > r->eager || dest < 0 || dest >= c->size || tag < 0 ||
	    tag > TAG_UB)
		return 0;
	faasm_mpi_ring *rg = out_ring(c, dest);
	if (rg == NULL || !has_room(r, rg, n)) return 0;
	push(c->ctx, rg, c->rank, tag, data, n);
	r->fast_sends++;
	return 1;
}

// head_matches reports whether the message at rg's head h is (ctx,
// source, tag) (tag -1: any), carried in the ring (not a rendezvous
// header) and at most cap bytes.
static int head_matches(const faasm_mpi_ring *rg, uint64_t h, uint64_t ctx, int32_t source, int32_t tag, int32_t cap) {
	const faasm_mpi_slot *s = &rg->slots[h % FAASM_MPI_RING_SLOTS];
	return (s->kind == FAASM_MPI_SLOT_INLINE || s->kind == FAASM_MPI_SLOT_BUF) && s->ctx == ctx &&
	       s->src == source && (tag == -1 || s->tag == tag) && s->size <= cap;
}

// ready reports whether rg holds a message not yet drained.
static int ready(faasm_mpi_ring *rg) {
	uint64_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
	return atomic_load_explicit(&rg->slots[h % FAASM_MPI_RING_SLOTS].seq, memory_order_acquire) == h + 1;
}

// lock_rings tries to take the rank's consumer word (Go may hold it).
static int lock_rings(faasm_mpi_rank *r) {
	int32_t free = 0;
	return atomic_compare_exchange_strong(&r->consumer, &free, 1);
}

// queued_from is how many unexpected messages the matcher holds from world
// rank from (in range: a ring's sender), or from senders out of range.
static int32_t queued_from(const faasm_mpi_rank *r, int32_t from) {
	return atomic_load(&r->queued_from[from]) + atomic_load(&r->queued_from[r->size]);
}

// matcher_idle reports whether the matcher holds nothing that could come
// before a message in the ring from world rank from: no receive or probe
// waits, and nothing from that sender is queued (MPI orders one sender's
// messages, not different senders'). It must be read after the slots to
// be taken are seen: a message its sender passed to the transport before
// one of them was queued before that one was pushed.
static int matcher_idle(faasm_mpi_rank *r, int32_t from) {
	return atomic_load(&r->waiting) == 0 && queued_from(r, from) == 0;
}

static void unlock_rings(faasm_mpi_rank *r) { atomic_store_explicit(&r->consumer, 0, memory_order_release); }

// release_head gives the slot at rg's head, and its payload's part of the
// data area, back to the sender (the rings locked, the message used).
static void release_head(faasm_mpi_ring *rg) {
	uint64_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
	const faasm_mpi_slot *s = &rg->slots[h % FAASM_MPI_RING_SLOTS];
	if (s->kind == FAASM_MPI_SLOT_BUF)
		atomic_store_explicit(&rg->data_head, slot_pos(s) + (uint64_t)s->size, memory_order_release);
	atomic_store_explicit(&rg->head, h + 1, memory_order_release);
}

// take_head copies the message at rg's head into buf and releases its
// slot (the rings locked, the head checked).
static int32_t take_head(faasm_mpi_ring *rg, uint8_t *buf, int32_t *out_tag) {
	uint64_t h = atomic_load_explicit(&rg->head, memory_order_relaxed);
	const faasm_mpi_slot *s = &rg->slots[h % FAASM_MPI_RING_SLOTS];
	int32_t n = s->size;
	memcpy(buf, slot_data(rg, h % FAASM_MPI_RING_SLOTS), (size_t)n);
	if (out_tag != NULL) *out_tag = s->tag;
	release_head(rg);
	return n;
}

// take receives the message at the head of rg, the ring from world rank
// from, into buf if it is the one asked for and nothing in the matcher
// could come before it. 1 taken, 0 not there (yet), -1 give up (Go must
// decide).
static int take(faasm_mpi_rank *r, faasm_mpi_ring *rg, int32_t from, uint64_t ctx, uint8_t *buf, int32_t cap,
                int32_t source, int32_t tag, int32_t *out_tag, int32_t *out_count) {
	if (!lock_rings(r)) return -1;
	int rc = -1;
	if (!ready(rg)) {
		rc = 0; // Go drained it meanwhile
	} else if (matcher_idle(r, from) &&
	           head_matches(rg, atomic_load_explicit(&rg->head, memory_order_relaxed), ctx, source, tag, cap)) {
		*out_count = take_head(rg, buf, out_tag);
		rc = 1;
	}
	unlock_rings(r);
	return rc;
}

// await_ready polls until rg, the ring from world rank from, holds a
// message, as long as the rank may poll; it gives up early when a message
// from that sender arrives another way (through the transport), which Go
// must look at.
static int await_ready(const faasm_mpi_rank *r, faasm_mpi_ring *rg, int32_t from) {
	for (int i = 0;; i++) {
		if (((i & FAST_RECHECK) == FAST_RECHECK || !r->spin) &&
		    (queued_from(r, from) != 0 || atomic_load_explicit(&r->waiting, memory_order_relaxed) != 0))
			return 0;
		if (ready(rg)) return 1;
		if (!keep_polling(r, i)) return 0;
	}
}

// recv_from receives from source of c in context ctx; see
// faasm_mpi_recv_fast.
static int recv_from(const faasm_mpi_comm *c, uint64_t ctx, uint8_t *buf, int32_t cap, int32_t source, int32_t tag,
                     int32_t *out_tag, int32_t *out_count) {
	faasm_mpi_rank *r = c->r;
	if (source < 0 || source >= c->size || tag < -1 || tag > TAG_UB || cap < 0) return 0;
	faasm_mpi_ring *rg = in_ring(c, source);
	if (rg == NULL) return 0;
	int32_t from = c->ranks[source];
	for (;;) {
		if (!await_ready(r, rg, from)) return 0;
		int rc = take(r, rg, from, ctx, buf, cap, source, tag, out_tag, out_count);
		if (rc != 0) return rc > 0;
	}
}

int faasm_mpi_recv_fast(const faasm_mpi_comm *c, uint8_t *buf, int32_t cap, int32_t source, int32_t tag,
                        int32_t *out_tag, int32_t *out_count) {
	if (!recv_from(c, c->ctx, buf, cap, source, tag, out_tag, out_count)) return 0;
	c->r->fast_recvs++;
	return 1;
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
	case 28: return offsetof(faasm_mpi_ring, data);
	case 29: return FAASM_MPI_SLOT_BUF;
	case 30: return FAASM_MPI_RING_DATA;
	case 31: return offsetof(faasm_mpi_rank, queued_from);
	case 32: return FAASM_MPI_RING_AREA;
	case 33: return offsetof(faasm_mpi_ring, data_head);
	case 34: return offsetof(faasm_mpi_ring, data_tail);
	case 35: return offsetof(faasm_mpi_ring, area);
	}
	return 0;
}

// wake_members wakes the members of c but this one that sleep in Go.
static void wake_members(const faasm_mpi_comm *c) {
	for (int32_t m = 0; m < c->size; m++)
		if (m != c->rank && atomic_load_explicit(&c->members[m]->sleeping, memory_order_seq_cst))
			faasmMpiWake(c->members[m]);
}

// publish makes this member's slot of round g (its input in place) visible
// and wakes the members asleep in Go.
static void publish(faasm_mpi_comm *c, uint64_t g) {
	atomic_store_explicit(&c->slots[g & 1][c->rank].seq, g + 1, memory_order_seq_cst);
	wake_members(c);
}

// all_arrived reports whether every other member has published its slot
// of round g, polling as long as the rank may (shmBoard.await).
static int all_arrived(const faasm_mpi_comm *c, uint64_t g) {
	const faasm_mpi_board_slot *slots = c->slots[g & 1];
	int32_t next = 0; // the members before it have arrived
	for (int i = 0;; i++) {
		while (next < c->size &&
		       (next == c->rank || atomic_load_explicit(&slots[next].seq, memory_order_acquire) == g + 1))
			next++;
		if (next == c->size) return 1;
		if (!keep_polling(c->r, i)) return 0;
	}
}

// arrive publishes this member's slot of round g (its input in place) and
// wakes the members asleep in Go, as shmBoard.arrive does; then waits for
// every other member's slot. FAASM_MPI_COLL_DONE when all arrived, else
// FAASM_MPI_COLL_GO_ON with the round left to Go (coll.resumed).
static int arrive(faasm_mpi_comm *c, uint64_t g) {
	publish(c, g);
	if (all_arrived(c, g)) return FAASM_MPI_COLL_DONE;
	c->pending = g + 1;
	return FAASM_MPI_COLL_GO_ON;
}

// board_round starts a board collective on c, its call and its round *g,
// once every member has arrived at the round before (coll.round says why).
// 0, with nothing changed, when they have not within the polls.
static int board_round(faasm_mpi_comm *c, uint64_t *g) {
	*g = c->rounds;
	if (*g > 0 && !all_arrived(c, *g - 1)) return 0;
	c->seq++;
	c->rounds++;
	return 1;
}

int faasm_mpi_barrier_fast(faasm_mpi_comm *c) {
	uint64_t g;
	if (c->slots[0] == NULL || c->pending != 0 || c->size < 2 || !board_round(c, &g)) return FAASM_MPI_COLL_NOT;
	int rc = arrive(c, g);
	if (rc == FAASM_MPI_COLL_DONE) c->r->fast_colls++;
	return rc;
}

// combine_T computes d = d OP l elementwise for k elements, as the Go
// kernels do (op package: inout = inout OP in, with in the lower block).
// One loop per operation, so that each vectorises.
#define COMBINE_ALL(T)                                                                                  \
	static void combine_##T(T *restrict d, const T *restrict l, int32_t k, int op) {                    \
		switch (op) {                                                                                  \
		case FAASM_MPI_SUM:                                                                            \
			for (int32_t i = 0; i < k; i++) d[i] = d[i] + l[i];                                         \
			break;                                                                                     \
		case FAASM_MPI_PROD:                                                                           \
			for (int32_t i = 0; i < k; i++) d[i] = d[i] * l[i];                                         \
			break;                                                                                     \
		case FAASM_MPI_MIN:                                                                            \
			for (int32_t i = 0; i < k; i++) d[i] = d[i] < l[i] ? d[i] : l[i];                           \
			break;                                                                                     \
		case FAASM_MPI_MAX:                                                                            \
			for (int32_t i = 0; i < k; i++) d[i] = d[i] > l[i] ? d[i] : l[i];                           \
			break;                                                                                     \
		}                                                                                              \
	}
COMBINE_ALL(int32_t)
COMBINE_ALL(int64_t)
COMBINE_ALL(uint32_t)
COMBINE_ALL(uint64_t)
COMBINE_ALL(float)
COMBINE_ALL(double)

// combine computes d = upper OP lower (n bytes). Every operand is 8-byte
// aligned: slots and results are, and chunks start at multiples of CHUNK.
static void combine(uint8_t *d, const uint8_t *lower, const uint8_t *upper, int32_t n, int kind, int op) {
	memcpy(d, upper, (size_t)n);
	switch (kind) {
	case FAASM_MPI_I32: combine_int32_t((int32_t *)d, (const int32_t *)lower, n / 4, op); break;
	case FAASM_MPI_I64: combine_int64_t((int64_t *)d, (const int64_t *)lower, n / 8, op); break;
	case FAASM_MPI_U32: combine_uint32_t((uint32_t *)d, (const uint32_t *)lower, n / 4, op); break;
	case FAASM_MPI_U64: combine_uint64_t((uint64_t *)d, (const uint64_t *)lower, n / 8, op); break;
	case FAASM_MPI_F32: combine_float((float *)d, (const float *)lower, n / 4, op); break;
	case FAASM_MPI_F64: combine_double((double *)d, (const double *)lower, n / 8, op); break;
	}
}

// CHUNK is how many bytes of the vectors the reductions combine at a time
// (a stack of MAX_TREE results of it).
#define CHUNK 256

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

// enter_round starts a board round (*g) with n bytes of data as this
// member's input, not yet published; 0, with nothing changed, when the
// round cannot start yet (board_round).
static int enter_round(faasm_mpi_comm *c, const uint8_t *data, int64_t n, uint64_t *g) {
	if (!board_round(c, g)) return 0;
	memcpy(slot_buf(c, *g, n), data, (size_t)n);
	return 1;
}

// input is member m's input of round g, of slots[m].n bytes
// (shmBoard.input).
static const uint8_t *input(const faasm_mpi_comm *c, uint64_t g, int32_t m) {
	const faasm_mpi_board_slot *s = &c->slots[g & 1][m];
	if (s->n <= FAASM_MPI_BOARD_SMALL) return s->small;
	return c->bigs[g & 1] + (size_t)m * FAASM_MPI_BOARD_BIG;
}

// combine_tree combines the size inputs ins at [off, off+n) into out in
// the order of recursive doubling, as combineTree (shm.go): the first 2*rem
// inputs fold pairwise, then levels of pairs, lower block first.
static void combine_tree(const uint8_t *const *ins, int32_t size, size_t off, int32_t n, uint8_t *out, int kind,
                         int op) {
	int32_t pof2 = 1;
	while (pof2 * 2 <= size) pof2 *= 2;
	int32_t rem = size - pof2;
	_Alignas(8) uint8_t res[MAX_TREE][CHUNK];
	const uint8_t *level[MAX_TREE];
	int32_t used = 0;
	for (int32_t j = 0; j < pof2; j++) {
		if (j < rem) {
			combine(res[used], ins[2 * j] + off, ins[2 * j + 1] + off, n, kind, op);
			level[j] = res[used++];
		} else {
			level[j] = ins[j + rem] + off;
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

// all_sent checks, once every member has arrived at round g, that they
// all published n bytes. When one did not (an erroneous program) the round
// is left to Go, which reports it.
static int all_sent(faasm_mpi_comm *c, uint64_t g, int64_t n) {
	for (int32_t m = 0; m < c->size; m++)
		if (c->slots[g & 1][m].n != n) {
			c->pending = g + 1;
			return FAASM_MPI_COLL_GO_ON;
		}
	return FAASM_MPI_COLL_DONE;
}

// combine_order is combine_tree or combine_binomial.
typedef void (*combine_order)(const uint8_t *const *ins, int32_t size, size_t off, int32_t n, uint8_t *out,
                              int kind, int op);

// reduce_round is the common part of Reduce and Allreduce: it publishes
// this member's n-byte input in a new round (*g), waits for the others
// and checks that they all sent n bytes. FAASM_MPI_COLL_DONE when the
// inputs can be combined.
static int reduce_round(faasm_mpi_comm *c, const uint8_t *in, int32_t n, uint64_t *g) {
	if (!enter_round(c, in, n, g)) return FAASM_MPI_COLL_NOT;
	int rc = arrive(c, *g);
	return rc == FAASM_MPI_COLL_DONE ? all_sent(c, *g, n) : rc;
}

// combine_all combines the size inputs ins (n bytes each) into out in
// order's order. Element by element the order is the same for any split,
// so the vectors are combined CHUNK bytes (a whole number of elements) at
// a time.
static void combine_all(const uint8_t *const *ins, int32_t size, int32_t n, uint8_t *out, int kind, int op,
                        combine_order order) {
	for (int32_t off = 0; off < n; off += CHUNK) {
		int32_t k = n - off < CHUNK ? n - off : CHUNK;
		order(ins, size, (size_t)off, k, out + off, kind, op);
	}
}

// combine_round combines round g's n-byte inputs into out in order's
// order.
static void combine_round(const faasm_mpi_comm *c, uint64_t g, int32_t n, uint8_t *out, int kind, int op,
                          combine_order order) {
	const uint8_t *ins[MAX_TREE];
	for (int32_t m = 0; m < c->size; m++) ins[m] = input(c, g, m);
	combine_all(ins, c->size, n, out, kind, op, order);
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
	combine_round(c, g, n, out, kind, op, combine_tree);
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
	uint64_t g;
	if (c->slots[0] == NULL || c->pending != 0 || !enter_round(c, send, n * blk, &g)) return FAASM_MPI_COLL_NOT;
	int rc = arrive(c, g);
	if (rc == FAASM_MPI_COLL_DONE) rc = all_sent(c, g, n * blk);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	for (int32_t m = 0; m < n; m++) memcpy(recv + m * blk, input(c, g, m) + me * blk, (size_t)blk);
	c->r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

// combine_binomial combines the size inputs ins at [off, off+n) into out
// in reduceOn's binomial order, as combineBinomial (shm.go).
static void combine_binomial(const uint8_t *const *ins, int32_t size, size_t off, int32_t n, uint8_t *out, int kind,
                             int op) {
	_Alignas(8) uint8_t res[MAX_TREE][CHUNK];
	const uint8_t *vals[MAX_TREE];
	int32_t used = 0;
	for (int32_t m = 0; m < size; m++) vals[m] = ins[m] + off;
	for (int32_t mask = 1; mask < size; mask <<= 1)
		for (int32_t r = 0; r + mask < size; r += 2 * mask) {
			combine(res[used], vals[r], vals[r + mask], n, kind, op);
			vals[r] = res[used++];
		}
	memcpy(out, vals[0], (size_t)n);
}

// next_coll_tag is the tag of c's next collective call (coll.tag).
static int32_t next_coll_tag(const faasm_mpi_comm *c) { return (int32_t)((c->seq + 1) & TAG_UB); }

// rooted_ok checks what the fast Gather and Scatter serve: blocks that a
// ring carries, which Go sends as eager messages too.
static int rooted_ok(const faasm_mpi_comm *c, int32_t blk, int32_t root) {
	return c->size >= 2 && c->size <= MAX_TREE && root >= 0 && root < c->size && blk >= 0 &&
	       blk <= FAASM_MPI_RING_DATA && blk <= c->r->eager;
}

// lock_heads waits until the rings from every member of c but root hold
// at their heads the collective message (ctx, tag) of at most blk bytes,
// and locks the rings: 1 then, with rgs[m] the ring from member m, or 0
// with nothing taken and the rings unlocked. Every block must be at its
// ring's head before any is taken: Go cannot finish a call half done.
static int lock_heads(faasm_mpi_comm *c, faasm_mpi_ring **rgs, uint64_t ctx, int32_t tag, int32_t blk, int32_t root) {
	faasm_mpi_rank *r = c->r;
	for (int32_t m = 0; m < c->size; m++) {
		if (m == root) continue;
		if ((rgs[m] = in_ring(c, m)) == NULL || !await_ready(r, rgs[m], c->ranks[m])) return 0;
	}
	if (!lock_rings(r)) return 0;
	int ok = 1;
	for (int32_t m = 0; m < c->size && ok; m++)
		ok = m == root || (ready(rgs[m]) && head_matches(rgs[m], atomic_load_explicit(&rgs[m]->head, memory_order_relaxed),
		                                                  ctx, m, tag, blk));
	for (int32_t m = 0; m < c->size && ok; m++) ok = m == root || matcher_idle(r, c->ranks[m]);
	if (!ok) unlock_rings(r);
	return ok;
}

// send_coll sends the n bytes at data to member dest of c as the message
// (ctx, tag) of a collective, through the ring as Go's eager send would:
// 0 when Go must send it (no ring yet, or no room).
static int send_coll(faasm_mpi_comm *c, int32_t dest, uint64_t ctx, int32_t tag, const uint8_t *data, int32_t n) {
	faasm_mpi_ring *rg = out_ring(c, dest);
	if (rg == NULL || !has_room(c->r, rg, n)) return 0;
	push(ctx, rg, c->rank, tag, data, n);
	return 1;
}

// reduce_rings is a Reduce of n bytes that a ring carries, as Go's
// reduceRings: a member other than the root pushes its input to the root
// as an eager message and leaves; the root combines the messages at the
// heads of its rings, where they lie, in the binomial order.
static int reduce_rings(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op,
                        int32_t root) {
	faasm_mpi_rank *r = c->r;
	uint64_t ctx = c->ctx | 1;
	int32_t tag = next_coll_tag(c);
	if (c->rank != root) {
		if (!send_coll(c, root, ctx, tag, in, n)) return FAASM_MPI_COLL_NOT;
	} else {
		faasm_mpi_ring *rgs[MAX_TREE];
		if (!lock_heads(c, rgs, ctx, tag, n, root)) return FAASM_MPI_COLL_NOT;
		_Alignas(8) uint8_t mine[FAASM_MPI_RING_DATA]; // the guest's input need not be aligned
		const uint8_t *ins[MAX_TREE];
		int ok = 1;
		for (int32_t m = 0; m < c->size; m++) {
			if (m == root) {
				ins[m] = memcpy(mine, in, (size_t)n);
				continue;
			}
			uint64_t i = atomic_load_explicit(&rgs[m]->head, memory_order_relaxed) % FAASM_MPI_RING_SLOTS;
			ok &= rgs[m]->slots[i].size == n; // another size: Go reports it
			ins[m] = slot_data(rgs[m], i);
		}
		if (!ok) {
			unlock_rings(r);
			return FAASM_MPI_COLL_NOT;
		}
		combine_all(ins, c->size, n, out, kind, op, combine_binomial);
		for (int32_t m = 0; m < c->size; m++)
			if (m != root) release_head(rgs[m]);
		unlock_rings(r);
	}
	c->seq++;
	r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

int faasm_mpi_reduce_fast(faasm_mpi_comm *c, const uint8_t *in, uint8_t *out, int32_t n, int kind, int op,
                          int32_t root) {
	if (!reduce_args_ok(c, n, kind, op) || root < 0 || root >= c->size || (c->rank == root) != (out != NULL))
		return FAASM_MPI_COLL_NOT;
	if (!c->r->spin && n <= FAASM_MPI_RING_DATA && n <= c->r->eager) return reduce_rings(c, in, out, n, kind, op, root);
	uint64_t g;
	if (c->rank != root) { // reduceShm: it leaves once its input is in place
		if (!enter_round(c, in, n, &g)) return FAASM_MPI_COLL_NOT;
		publish(c, g);
		c->r->fast_colls++;
		return FAASM_MPI_COLL_DONE;
	}
	int rc = reduce_round(c, in, n, &g);
	if (rc != FAASM_MPI_COLL_DONE) return rc;
	combine_round(c, g, n, out, kind, op, combine_binomial);
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
	uint64_t g;
	if (!enter_round(c, send != NULL ? send : mine, counts[me], &g)) return FAASM_MPI_COLL_NOT;
	if (send != NULL) memmove(mine, send, (size_t)counts[me]);
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
		for (int i = 0; atomic_load_explicit(&sl->seq, memory_order_acquire) != seq + 1; i++)
			if (!keep_polling(c->r, i)) return FAASM_MPI_COLL_NOT;
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

int faasm_mpi_gather_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int32_t blk, int32_t root) {
	faasm_mpi_rank *r = c->r;
	if (!rooted_ok(c, blk, root)) return FAASM_MPI_COLL_NOT;
	uint64_t ctx = c->ctx | 1;
	int32_t tag = next_coll_tag(c);
	if (c->rank != root) {
		if (!send_coll(c, root, ctx, tag, send, blk)) return FAASM_MPI_COLL_NOT;
	} else {
		faasm_mpi_ring *rgs[MAX_TREE];
		if (!lock_heads(c, rgs, ctx, tag, blk, root)) return FAASM_MPI_COLL_NOT;
		for (int32_t m = 0; m < c->size; m++)
			if (m != root) take_head(rgs[m], recv + (size_t)m * (size_t)blk, NULL);
		unlock_rings(r);
		if (send != NULL) memmove(recv + (size_t)root * (size_t)blk, send, (size_t)blk);
	}
	c->seq++;
	r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}

int faasm_mpi_scatter_fast(faasm_mpi_comm *c, const uint8_t *send, uint8_t *recv, int32_t blk, int32_t root) {
	faasm_mpi_rank *r = c->r;
	if (!rooted_ok(c, blk, root)) return FAASM_MPI_COLL_NOT;
	uint64_t ctx = c->ctx | 1;
	int32_t tag = next_coll_tag(c);
	if (c->rank == root) {
		// Every ring must have room before anything is sent: Go cannot
		// finish a call half done.
		faasm_mpi_ring *rgs[MAX_TREE];
		for (int32_t m = 0; m < c->size; m++) {
			if (m == root) continue;
			if ((rgs[m] = out_ring(c, m)) == NULL || !has_room(r, rgs[m], blk)) return FAASM_MPI_COLL_NOT;
		}
		for (int32_t m = 0; m < c->size; m++)
			if (m != root) push(ctx, rgs[m], root, tag, send + (size_t)m * (size_t)blk, blk);
		if (recv != NULL) memmove(recv, send + (size_t)root * (size_t)blk, (size_t)blk);
	} else {
		int32_t got_tag, got;
		if (!recv_from(c, ctx, recv, blk, root, tag, &got_tag, &got)) return FAASM_MPI_COLL_NOT;
	}
	c->seq++;
	r->fast_colls++;
	return FAASM_MPI_COLL_DONE;
}
