/* Communicators, groups, topologies and attributes. */
#include "internal.h"

#include <stdlib.h>

#pragma weak MPI_Comm_size = PMPI_Comm_size
int PMPI_Comm_size(MPI_Comm comm, int *size) {
	if (comm == MPI_COMM_WORLD && faasmpi_world_size > 0 && faasmpi_initial_thread() &&
	    faasmpi_in_memory(size, sizeof *size)) {
		*size = faasmpi_world_size;
		return MPI_SUCCESS;
	}
	RET(comm, __faasmpi_mpi_comm_size(comm, IP(size)));
}
#pragma weak MPI_Comm_rank = PMPI_Comm_rank
int PMPI_Comm_rank(MPI_Comm comm, int *rank) {
	if (comm == MPI_COMM_WORLD && faasmpi_world_size > 0 && faasmpi_initial_thread() &&
	    faasmpi_in_memory(rank, sizeof *rank)) {
		*rank = faasmpi_world_rank;
		return MPI_SUCCESS;
	}
	RET(comm, __faasmpi_mpi_comm_rank(comm, IP(rank)));
}
static int copy_attrs(MPI_Comm from, MPI_Comm to);
#pragma weak MPI_Comm_dup = PMPI_Comm_dup
int PMPI_Comm_dup(MPI_Comm comm, MPI_Comm *newcomm) {
	int rc = __faasmpi_mpi_comm_dup(comm, IP(newcomm));
	if (rc != MPI_SUCCESS) return faasmpi_error(comm, rc, __func__);
	rc = copy_attrs(comm, *newcomm);
	if (rc != MPI_SUCCESS) {
		PMPI_Comm_free(newcomm);
		return faasmpi_error(comm, rc, __func__);
	}
	return MPI_SUCCESS;
}
#pragma weak MPI_Comm_dup_with_info = PMPI_Comm_dup_with_info
int PMPI_Comm_dup_with_info(MPI_Comm comm, MPI_Info info, MPI_Comm *newcomm) {
	(void)info;
	return PMPI_Comm_dup(comm, newcomm);
}
#pragma weak MPI_Comm_split = PMPI_Comm_split
int PMPI_Comm_split(MPI_Comm comm, int color, int key, MPI_Comm *newcomm) {
	RET(comm, __faasmpi_mpi_comm_split(comm, color, key, IP(newcomm)));
}
#pragma weak MPI_Comm_split_type = PMPI_Comm_split_type
int PMPI_Comm_split_type(MPI_Comm comm, int split_type, int key, MPI_Info info, MPI_Comm *newcomm) {
	(void)info;
	RET(comm, __faasmpi_mpi_comm_split_type(comm, split_type, key, IP(newcomm)));
}
#pragma weak MPI_Comm_create = PMPI_Comm_create
int PMPI_Comm_create(MPI_Comm comm, MPI_Group group, MPI_Comm *newcomm) {
	RET(comm, __faasmpi_mpi_comm_create(comm, group, IP(newcomm)));
}
#pragma weak MPI_Comm_free = PMPI_Comm_free
int PMPI_Comm_free(MPI_Comm *comm) {
	MPI_Comm c = *comm;
	/* MPI-3.1 §6.7.3: the delete callbacks run before the communicator
	 * goes, and a failing one fails the free. */
	int rc = faasmpi_delete_attrs(c);
	if (rc != MPI_SUCCESS) return faasmpi_error(c, rc, __func__);
	RET(c, __faasmpi_mpi_comm_free(IP(comm)));
}
#pragma weak MPI_Comm_disconnect = PMPI_Comm_disconnect
int PMPI_Comm_disconnect(MPI_Comm *comm) { return PMPI_Comm_free(comm); }
#pragma weak MPI_Comm_compare = PMPI_Comm_compare
int PMPI_Comm_compare(MPI_Comm comm1, MPI_Comm comm2, int *result) {
	RET(comm1, __faasmpi_mpi_comm_compare(comm1, comm2, IP(result)));
}
#pragma weak MPI_Comm_group = PMPI_Comm_group
int PMPI_Comm_group(MPI_Comm comm, MPI_Group *group) { RET(comm, __faasmpi_mpi_comm_group(comm, IP(group))); }
#pragma weak MPI_Comm_test_inter = PMPI_Comm_test_inter
int PMPI_Comm_test_inter(MPI_Comm comm, int *flag) {
	int size;
	int rc = __faasmpi_mpi_comm_size(comm, IP(&size)); /* validates comm */
	if (rc != MPI_SUCCESS) return faasmpi_error(comm, rc, __func__);
	*flag = 0;
	return MPI_SUCCESS;
}
#pragma weak MPI_Comm_set_name = PMPI_Comm_set_name
int PMPI_Comm_set_name(MPI_Comm comm, const char *comm_name) {
	RET(comm, __faasmpi_mpi_comm_set_name(comm, comm_name, (uint32_t)strlen(comm_name)));
}
#pragma weak MPI_Comm_get_name = PMPI_Comm_get_name
int PMPI_Comm_get_name(MPI_Comm comm, char *comm_name, int *resultlen) {
	RET(comm, __faasmpi_mpi_comm_get_name(comm, comm_name, IP(resultlen)));
}
#pragma weak MPI_Comm_get_parent = PMPI_Comm_get_parent
int PMPI_Comm_get_parent(MPI_Comm *parent) { *parent = MPI_COMM_NULL; return MPI_SUCCESS; }
#pragma weak MPI_Comm_set_info = PMPI_Comm_set_info
int PMPI_Comm_set_info(MPI_Comm comm, MPI_Info info) { (void)comm; (void)info; return MPI_SUCCESS; }
#pragma weak MPI_Comm_get_info = PMPI_Comm_get_info
int PMPI_Comm_get_info(MPI_Comm comm, MPI_Info *info_used) { (void)comm; return PMPI_Info_create(info_used); }

/* ---- attributes: predefined keys answered here, user keys in a small table ----
 *
 * A keyval stays allocated while attributes still use it (MPI-3.1 §6.7.2:
 * freeing a keyval does not affect attributes already set with it, and
 * their delete callbacks still run), so refs counts those attributes. */

static int tag_ub = MPI_TAG_UB_VALUE, wtime_global = 1, host_attr = MPI_PROC_NULL, io_attr = MPI_ANY_SOURCE,
           appnum = 0, universe_size, lastusedcode = MPI_ERR_LASTCODE;

struct keyval {
	int used;  /* allocated: by the user (until Comm_free_keyval) or by refs */
	int freed; /* Comm_free_keyval was called: no new attributes */
	int refs;  /* attributes set with it */
	MPI_Comm_copy_attr_function *copy;
	MPI_Comm_delete_attr_function *del;
	void *extra;
};
struct attr {
	MPI_Comm comm;
	int key;
	void *val;
	struct attr *next;
};
#define FIRST_KEYVAL 100
#define MAX_KEYVALS 128
static struct keyval keyvals[MAX_KEYVALS];
static struct attr *attrs;

int MPI_COMM_DUP_FN(MPI_Comm oldcomm, int keyval, void *extra, void *in, void *out, int *flag) {
	(void)oldcomm;
	(void)keyval;
	(void)extra;
	*(void **)out = in;
	*flag = 1;
	return MPI_SUCCESS;
}

#pragma weak MPI_Comm_create_keyval = PMPI_Comm_create_keyval
int PMPI_Comm_create_keyval(MPI_Comm_copy_attr_function *copy, MPI_Comm_delete_attr_function *del, int *keyval,
                           void *extra) {
	for (int i = 0; i < MAX_KEYVALS; i++) {
		if (!keyvals[i].used) {
			keyvals[i] = (struct keyval){1, 0, 0, copy, del, extra};
			*keyval = FIRST_KEYVAL + i;
			return MPI_SUCCESS;
		}
	}
	return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_NO_MEM, __func__);
}
#pragma weak MPI_Keyval_create = PMPI_Keyval_create
int PMPI_Keyval_create(MPI_Copy_function *copy, MPI_Delete_function *del, int *keyval, void *extra) {
	return PMPI_Comm_create_keyval(copy, del, keyval, extra);
}
/* kv is the keyval of key, freed ones included (their attributes live on). */
static struct keyval *kv(int key) {
	int i = key - FIRST_KEYVAL;
	return i >= 0 && i < MAX_KEYVALS && keyvals[i].used ? &keyvals[i] : NULL;
}
/* live is kv for the calls a freed keyval no longer accepts. */
static struct keyval *live(int key) {
	struct keyval *k = kv(key);
	return k && !k->freed ? k : NULL;
}
static void unref(struct keyval *k) {
	if (--k->refs == 0 && k->freed) k->used = 0;
}
#pragma weak MPI_Comm_free_keyval = PMPI_Comm_free_keyval
int PMPI_Comm_free_keyval(int *keyval) {
	struct keyval *k = live(*keyval);
	if (!k) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_KEYVAL, __func__);
	k->freed = 1;
	if (k->refs == 0) k->used = 0;
	*keyval = MPI_KEYVAL_INVALID;
	return MPI_SUCCESS;
}
#pragma weak MPI_Keyval_free = PMPI_Keyval_free
int PMPI_Keyval_free(int *keyval) { return PMPI_Comm_free_keyval(keyval); }

static struct attr **find_attr(MPI_Comm comm, int key) {
	for (struct attr **a = &attrs; *a; a = &(*a)->next)
		if ((*a)->comm == comm && (*a)->key == key) return a;
	return NULL;
}

#pragma weak MPI_Comm_get_attr = PMPI_Comm_get_attr
int PMPI_Comm_get_attr(MPI_Comm comm, int key, void *val, int *flag) {
	int size;
	int rc = __faasmpi_mpi_comm_size(comm, IP(&size));
	if (rc != MPI_SUCCESS) return faasmpi_error(comm, rc, __func__);
	int *p = NULL;
	switch (key) {
	case MPI_TAG_UB: p = &tag_ub; break;
	case MPI_HOST: p = &host_attr; break;
	case MPI_IO: p = &io_attr; break;
	case MPI_WTIME_IS_GLOBAL: p = &wtime_global; break;
	case MPI_APPNUM: p = &appnum; break;
	case MPI_UNIVERSE_SIZE:
		__faasmpi_mpi_comm_size(MPI_COMM_WORLD, IP(&universe_size));
		p = &universe_size;
		break;
	case MPI_LASTUSEDCODE: p = &lastusedcode; break;
	}
	if (p) {
		*(int **)val = p;
		*flag = 1;
		return MPI_SUCCESS;
	}
	if (!live(key)) return faasmpi_error(comm, MPI_ERR_KEYVAL, __func__);
	struct attr **a = find_attr(comm, key);
	*flag = a != NULL;
	if (a) *(void **)val = (*a)->val;
	return MPI_SUCCESS;
}
#pragma weak MPI_Attr_get = PMPI_Attr_get
int PMPI_Attr_get(MPI_Comm comm, int key, void *val, int *flag) { return PMPI_Comm_get_attr(comm, key, val, flag); }

/* delete_attr runs key's delete callback on comm's attribute and drops it;
 * a callback's error keeps the attribute. */
static int delete_attr(MPI_Comm comm, int key) {
	struct attr **a = find_attr(comm, key);
	if (!a) return MPI_ERR_KEYVAL;
	struct attr *e = *a;
	struct keyval *k = kv(key);
	if (k && k->del) {
		int rc = k->del(comm, key, e->val, k->extra);
		if (rc != MPI_SUCCESS) return rc;
	}
	/* the callback may have set or deleted other attributes */
	a = find_attr(comm, key);
	if (a && *a == e) {
		*a = e->next;
		free(e);
		if (k) unref(k);
	}
	return MPI_SUCCESS;
}

/* faasmpi_delete_attrs deletes every attribute of comm, newest first (the
 * order MPI_Finalize must use on MPI_COMM_SELF, MPI-3.1 §8.7.1). */
int faasmpi_delete_attrs(MPI_Comm comm) {
	for (;;) {
		struct attr *a = attrs;
		while (a && a->comm != comm) a = a->next;
		if (!a) return MPI_SUCCESS;
		int rc = delete_attr(comm, a->key);
		if (rc != MPI_SUCCESS) return rc;
	}
}

static int set_attr(MPI_Comm comm, int key, void *val) {
	struct keyval *k = kv(key);
	if (find_attr(comm, key)) {
		int rc = delete_attr(comm, key);
		if (rc != MPI_SUCCESS) return rc;
	}
	struct attr *e = malloc(sizeof *e);
	if (!e) return MPI_ERR_NO_MEM;
	*e = (struct attr){comm, key, val, attrs};
	attrs = e;
	k->refs++;
	return MPI_SUCCESS;
}

/* copy_attrs gives a duplicate its attributes: each key's copy callback
 * decides (MPI_COMM_NULL_COPY_FN: not copied; MPI_COMM_DUP_FN: the same
 * value). Oldest first, so the duplicate lists them in the same order. */
static int copy_attrs(MPI_Comm from, MPI_Comm to) {
	int n = 0;
	for (struct attr *a = attrs; a; a = a->next) n += a->comm == from;
	if (n == 0) return MPI_SUCCESS;
	struct attr **list = malloc(sizeof *list * (size_t)n);
	if (!list) return MPI_ERR_NO_MEM;
	int i = n;
	for (struct attr *a = attrs; a; a = a->next)
		if (a->comm == from) list[--i] = a;
	int rc = MPI_SUCCESS;
	for (i = 0; i < n && rc == MPI_SUCCESS; i++) {
		int key = list[i]->key;
		struct keyval *k = kv(key);
		if (!k || !k->copy) continue;
		void *out = NULL;
		int flag = 0;
		rc = k->copy(from, key, k->extra, list[i]->val, &out, &flag);
		if (rc == MPI_SUCCESS && flag) rc = set_attr(to, key, out);
	}
	free(list);
	if (rc != MPI_SUCCESS) faasmpi_delete_attrs(to);
	return rc;
}

#pragma weak MPI_Comm_set_attr = PMPI_Comm_set_attr
int PMPI_Comm_set_attr(MPI_Comm comm, int key, void *val) {
	int size;
	int rc = __faasmpi_mpi_comm_size(comm, IP(&size)); /* validates comm */
	if (rc != MPI_SUCCESS) return faasmpi_error(comm, rc, __func__);
	if (!live(key)) return faasmpi_error(comm, MPI_ERR_KEYVAL, __func__);
	rc = set_attr(comm, key, val);
	return rc == MPI_SUCCESS ? rc : faasmpi_error(comm, rc, __func__);
}
#pragma weak MPI_Attr_put = PMPI_Attr_put
int PMPI_Attr_put(MPI_Comm comm, int key, void *val) { return PMPI_Comm_set_attr(comm, key, val); }
#pragma weak MPI_Comm_delete_attr = PMPI_Comm_delete_attr
int PMPI_Comm_delete_attr(MPI_Comm comm, int key) {
	if (!live(key)) return faasmpi_error(comm, MPI_ERR_KEYVAL, __func__);
	int rc = delete_attr(comm, key);
	return rc == MPI_SUCCESS ? rc : faasmpi_error(comm, rc, __func__);
}
#pragma weak MPI_Attr_delete = PMPI_Attr_delete
int PMPI_Attr_delete(MPI_Comm comm, int key) { return PMPI_Comm_delete_attr(comm, key); }

/* ---- groups ---- */
#pragma weak MPI_Group_size = PMPI_Group_size
int PMPI_Group_size(MPI_Group g, int *size) { RET(MPI_COMM_WORLD, __faasmpi_mpi_group_size(g, IP(size))); }
#pragma weak MPI_Group_rank = PMPI_Group_rank
int PMPI_Group_rank(MPI_Group g, int *rank) { RET(MPI_COMM_WORLD, __faasmpi_mpi_group_rank(g, IP(rank))); }
#pragma weak MPI_Group_incl = PMPI_Group_incl
int PMPI_Group_incl(MPI_Group g, int n, const int ranks[], MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_incl(g, n, IP(ranks), IP(ng)));
}
#pragma weak MPI_Group_excl = PMPI_Group_excl
int PMPI_Group_excl(MPI_Group g, int n, const int ranks[], MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_excl(g, n, IP(ranks), IP(ng)));
}
#pragma weak MPI_Group_range_incl = PMPI_Group_range_incl
int PMPI_Group_range_incl(MPI_Group g, int n, int ranges[][3], MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_range_incl(g, n, IP(ranges), IP(ng)));
}
#pragma weak MPI_Group_range_excl = PMPI_Group_range_excl
int PMPI_Group_range_excl(MPI_Group g, int n, int ranges[][3], MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_range_excl(g, n, IP(ranges), IP(ng)));
}
#pragma weak MPI_Group_translate_ranks = PMPI_Group_translate_ranks
int PMPI_Group_translate_ranks(MPI_Group g1, int n, const int r1[], MPI_Group g2, int r2[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_translate_ranks(g1, n, IP(r1), g2, IP(r2)));
}
#pragma weak MPI_Group_union = PMPI_Group_union
int PMPI_Group_union(MPI_Group a, MPI_Group b, MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_union(a, b, IP(ng)));
}
#pragma weak MPI_Group_intersection = PMPI_Group_intersection
int PMPI_Group_intersection(MPI_Group a, MPI_Group b, MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_intersection(a, b, IP(ng)));
}
#pragma weak MPI_Group_difference = PMPI_Group_difference
int PMPI_Group_difference(MPI_Group a, MPI_Group b, MPI_Group *ng) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_difference(a, b, IP(ng)));
}
#pragma weak MPI_Group_compare = PMPI_Group_compare
int PMPI_Group_compare(MPI_Group a, MPI_Group b, int *result) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_group_compare(a, b, IP(result)));
}
#pragma weak MPI_Group_free = PMPI_Group_free
int PMPI_Group_free(MPI_Group *g) { RET(MPI_COMM_WORLD, __faasmpi_mpi_group_free(IP(g))); }

/* ---- Cartesian topologies ---- */
#pragma weak MPI_Cart_create = PMPI_Cart_create
int PMPI_Cart_create(MPI_Comm comm, int ndims, const int dims[], const int periods[], int reorder, MPI_Comm *cart) {
	RET(comm, __faasmpi_mpi_cart_create(comm, ndims, IP(dims), IP(periods), reorder, IP(cart)));
}
#pragma weak MPI_Cart_coords = PMPI_Cart_coords
int PMPI_Cart_coords(MPI_Comm comm, int rank, int maxdims, int coords[]) {
	RET(comm, __faasmpi_mpi_cart_coords(comm, rank, maxdims, IP(coords)));
}
#pragma weak MPI_Cart_rank = PMPI_Cart_rank
int PMPI_Cart_rank(MPI_Comm comm, const int coords[], int *rank) {
	RET(comm, __faasmpi_mpi_cart_rank(comm, IP(coords), IP(rank)));
}
#pragma weak MPI_Cart_shift = PMPI_Cart_shift
int PMPI_Cart_shift(MPI_Comm comm, int direction, int disp, int *source, int *dest) {
	RET(comm, __faasmpi_mpi_cart_shift(comm, direction, disp, IP(source), IP(dest)));
}
#pragma weak MPI_Cart_sub = PMPI_Cart_sub
int PMPI_Cart_sub(MPI_Comm comm, const int remain_dims[], MPI_Comm *newcomm) {
	RET(comm, __faasmpi_mpi_cart_sub(comm, IP(remain_dims), IP(newcomm)));
}
#pragma weak MPI_Cart_get = PMPI_Cart_get
int PMPI_Cart_get(MPI_Comm comm, int maxdims, int dims[], int periods[], int coords[]) {
	RET(comm, __faasmpi_mpi_cart_get(comm, maxdims, IP(dims), IP(periods), IP(coords)));
}
#pragma weak MPI_Cartdim_get = PMPI_Cartdim_get
int PMPI_Cartdim_get(MPI_Comm comm, int *ndims) { RET(comm, __faasmpi_mpi_cartdim_get(comm, IP(ndims))); }
#pragma weak MPI_Dims_create = PMPI_Dims_create
int PMPI_Dims_create(int nnodes, int ndims, int dims[]) {
	RET(MPI_COMM_WORLD, __faasmpi_mpi_dims_create(nnodes, ndims, IP(dims)));
}
#pragma weak MPI_Topo_test = PMPI_Topo_test
int PMPI_Topo_test(MPI_Comm comm, int *status) { RET(comm, __faasmpi_mpi_topo_test(comm, IP(status))); }
