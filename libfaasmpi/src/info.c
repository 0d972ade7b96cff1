/* MPI_Info objects live entirely in the guest: nothing in faasm reads hints. */
#include "internal.h"

#include <stdlib.h>

struct kv {
	char *key, *val;
	struct kv *next;
};
#define MAX_INFOS 256
static struct kv *infos[MAX_INFOS]; /* index = handle - 2 */
static char used[MAX_INFOS];

static struct kv **slot(MPI_Info info) {
	int i = info - 2;
	if (i < 0 || i >= MAX_INFOS || !used[i]) return NULL;
	return &infos[i];
}

#pragma weak MPI_Info_create = PMPI_Info_create
int PMPI_Info_create(MPI_Info *info) {
	for (int i = 0; i < MAX_INFOS; i++) {
		if (!used[i]) {
			used[i] = 1;
			infos[i] = NULL;
			*info = i + 2;
			return MPI_SUCCESS;
		}
	}
	return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_NO_MEM, __func__);
}

static struct kv *find(struct kv *l, const char *key) {
	for (; l; l = l->next)
		if (strcmp(l->key, key) == 0) return l;
	return NULL;
}

#pragma weak MPI_Info_set = PMPI_Info_set
int PMPI_Info_set(MPI_Info info, const char *key, const char *value) {
	struct kv **s = slot(info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	if (strlen(key) > MPI_MAX_INFO_KEY) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO_KEY, __func__);
	if (strlen(value) > MPI_MAX_INFO_VAL) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO_VALUE, __func__);
	struct kv *e = find(*s, key);
	if (e) {
		free(e->val);
	} else {
		e = calloc(1, sizeof *e);
		e->key = strdup(key);
		struct kv **t = s;
		while (*t) t = &(*t)->next;
		*t = e;
	}
	e->val = strdup(value);
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_get = PMPI_Info_get
int PMPI_Info_get(MPI_Info info, const char *key, int valuelen, char *value, int *flag) {
	struct kv **s = slot(info);
	*flag = 0;
	if (info == MPI_INFO_ENV) return MPI_SUCCESS;
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	struct kv *e = find(*s, key);
	if (!e) return MPI_SUCCESS;
	*flag = 1;
	size_t n = strlen(e->val);
	if ((int)n > valuelen) n = (size_t)valuelen;
	memcpy(value, e->val, n);
	value[n] = 0;
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_get_valuelen = PMPI_Info_get_valuelen
int PMPI_Info_get_valuelen(MPI_Info info, const char *key, int *valuelen, int *flag) {
	struct kv **s = slot(info);
	*flag = 0;
	if (info == MPI_INFO_ENV) return MPI_SUCCESS;
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	struct kv *e = find(*s, key);
	if (e) {
		*flag = 1;
		*valuelen = (int)strlen(e->val);
	}
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_get_nkeys = PMPI_Info_get_nkeys
int PMPI_Info_get_nkeys(MPI_Info info, int *nkeys) {
	*nkeys = 0;
	if (info == MPI_INFO_ENV) return MPI_SUCCESS;
	struct kv **s = slot(info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	for (struct kv *e = *s; e; e = e->next) ++*nkeys;
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_get_nthkey = PMPI_Info_get_nthkey
int PMPI_Info_get_nthkey(MPI_Info info, int n, char *key) {
	struct kv **s = slot(info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	struct kv *e = *s;
	for (int i = 0; e && i < n; i++) e = e->next;
	if (!e || n < 0) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_ARG, __func__);
	strcpy(key, e->key);
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_delete = PMPI_Info_delete
int PMPI_Info_delete(MPI_Info info, const char *key) {
	struct kv **s = slot(info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	for (struct kv **p = s; *p; p = &(*p)->next) {
		if (strcmp((*p)->key, key) == 0) {
			struct kv *e = *p;
			*p = e->next;
			free(e->key);
			free(e->val);
			free(e);
			return MPI_SUCCESS;
		}
	}
	return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO_NOKEY, __func__);
}

#pragma weak MPI_Info_dup = PMPI_Info_dup
int PMPI_Info_dup(MPI_Info info, MPI_Info *newinfo) {
	struct kv **s = slot(info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	int rc = PMPI_Info_create(newinfo);
	if (rc != MPI_SUCCESS) return rc;
	for (struct kv *e = *s; e; e = e->next) PMPI_Info_set(*newinfo, e->key, e->val);
	return MPI_SUCCESS;
}

#pragma weak MPI_Info_free = PMPI_Info_free
int PMPI_Info_free(MPI_Info *info) {
	struct kv **s = slot(*info);
	if (!s) return faasmpi_error(MPI_COMM_WORLD, MPI_ERR_INFO, __func__);
	for (struct kv *e = *s, *n; e; e = n) {
		n = e->next;
		free(e->key);
		free(e->val);
		free(e);
	}
	used[*info - 2] = 0;
	*info = MPI_INFO_NULL;
	return MPI_SUCCESS;
}
