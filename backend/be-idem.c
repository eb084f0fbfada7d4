/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Remembered command ids. Entries live in a ring (oldest evicted first when
 * full) and are found through a chained hash table of ring indexes.
 */

#include "be-idem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct be_idem_entry {
	char		*id;		/* NULL: slot unused. */
	char		*payload;
	char		*result;
	size_t		 next;	/* Next in the chain, or NONE. */
};

#define BE_IDEM_NONE	SIZE_MAX	/* All ones: be_idem_new() memsets. */

struct be_idem {
	struct be_idem_entry	*ring;
	size_t			 cap;
	size_t			 head;	/* Oldest entry. */
	size_t			 n;
	size_t			*buckets;
	size_t			 nbuckets;
};

static size_t
be_idem_hash(const struct be_idem *im, const char *s)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return ((size_t)(h % im->nbuckets));
}

/*
 * Make a table that remembers the last cap ids. Caller frees with
 * be_idem_free().
 */
struct be_idem *
be_idem_new(size_t cap)
{
	struct be_idem	*im;

	if (cap == 0)
		cap = 1;
	im = xcalloc(1, sizeof *im);
	im->cap = cap;
	im->ring = xcalloc(cap, sizeof *im->ring);
	im->nbuckets = cap + cap / 2 + 1;
	im->buckets = xreallocarray(NULL, im->nbuckets, sizeof *im->buckets);
	memset(im->buckets, 0xff, im->nbuckets * sizeof *im->buckets);
	return (im);
}

static void
be_idem_clear_entry(struct be_idem_entry *e)
{
	free(e->id);
	free(e->payload);
	free(e->result);
	memset(e, 0, sizeof *e);
}

/*
 * Free the table and everything it remembers. NULL is a no-op.
 */
void
be_idem_free(struct be_idem *im)
{
	size_t	k;

	if (im == NULL)
		return;
	for (k = 0; k < im->n; k++)	/* Only the slots in use. */
		be_idem_clear_entry(&im->ring[(im->head + k) % im->cap]);
	free(im->ring);
	free(im->buckets);
	free(im);
}

/* Unlink ring slot idx from its bucket chain. */
static void
be_idem_unlink(struct be_idem *im, size_t idx)
{
	size_t	*pp;

	pp = &im->buckets[be_idem_hash(im, im->ring[idx].id)];
	while (*pp != BE_IDEM_NONE) {
		if (*pp == idx) {
			*pp = im->ring[idx].next;
			return;
		}
		pp = &im->ring[*pp].next;
	}
}

/*
 * Look an id up. Returns 1 and sets *payload and *result (borrowed, valid
 * until the next be_idem_put()) when it is remembered, else 0.
 */
int
be_idem_find(struct be_idem *im, const char *id, const char **payload,
    const char **result)
{
	size_t	idx;

	idx = im->buckets[be_idem_hash(im, id)];
	for (; idx != BE_IDEM_NONE; idx = im->ring[idx].next) {
		if (strcmp(im->ring[idx].id, id) == 0) {
			*payload = im->ring[idx].payload;
			*result = im->ring[idx].result;
			return (1);
		}
	}
	return (0);
}

/*
 * Remember id with its canonical payload and serialised result (all
 * copied). The id must not be remembered already. When full, the oldest
 * entry is forgotten.
 */
void
be_idem_put(struct be_idem *im, const char *id, const char *payload,
    const char *result)
{
	struct be_idem_entry	*e;
	size_t			 idx, b;

	if (im->n == im->cap) {
		idx = im->head;
		be_idem_unlink(im, idx);
		be_idem_clear_entry(&im->ring[idx]);
		im->head = (im->head + 1) % im->cap;
		im->n--;
	}
	idx = (im->head + im->n) % im->cap;
	e = &im->ring[idx];
	e->id = xstrdup(id);
	e->payload = xstrdup(payload);
	e->result = xstrdup(result);
	b = be_idem_hash(im, id);
	e->next = im->buckets[b];
	im->buckets[b] = idx;
	im->n++;
}

/*
 * The number of ids remembered.
 */
size_t
be_idem_count(const struct be_idem *im)
{
	return (im->n);
}

/*
 * Call fn(arg, id, payload, result) for every remembered id, oldest
 * first (the order be_idem_put() saw them, so putting them again in this
 * order rebuilds the same table). The strings are borrowed.
 */
void
be_idem_foreach(const struct be_idem *im, void (*fn)(void *, const char *,
    const char *, const char *), void *arg)
{
	const struct be_idem_entry	*e;
	size_t				 i;

	for (i = 0; i < im->n; i++) {
		e = &im->ring[(im->head + i) % im->cap];
		fn(arg, e->id, e->payload, e->result);
	}
}
