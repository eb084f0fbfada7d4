/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Ids to array positions: open addressing, linear probing. */

#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

#define IDMAP_MIN	16	/* Slots, the first time. */

/* 32-bit FNV-1a. */
static uint32_t
idmap_hash(const char *s)
{
	uint32_t	h = 0x811c9dc5U;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x01000193U;
	}
	return (h);
}

/*
 * Make an empty map (it allocates on the first idmap_add()).
 */
void
idmap_init(struct idmap *m)
{
	memset(m, 0, sizeof *m);
}

/*
 * Free the slots; the map is empty and usable again.
 */
void
idmap_clear(struct idmap *m)
{
	free(m->slots);
	idmap_init(m);
}

/* Double the table (or make the first one) and put every slot again. */
static void
idmap_grow(struct idmap *m)
{
	struct idmap_slot	*old = m->slots;
	size_t			 oldcap = m->cap, i, k;

	m->cap = oldcap == 0 ? IDMAP_MIN : oldcap * 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++) {
		if (old[i].pos == 0)
			continue;
		k = old[i].hash & (m->cap - 1);
		while (m->slots[k].pos != 0)
			k = (k + 1) & (m->cap - 1);
		m->slots[k] = old[i];
	}
	free(old);
}

/*
 * The position of id in the array, or IDMAP_NONE. key(arg, pos) gives the
 * id of the item at pos, to tell ids with the same hash apart.
 */
size_t
idmap_find(struct idmap *m, const char *id, idmap_key_cb key, void *arg)
{
	const struct idmap_slot	*sl;
	uint32_t		 h;
	size_t			 k;

	if (m->n == 0)
		return (IDMAP_NONE);
	h = idmap_hash(id);
	for (k = h & (m->cap - 1);; k = (k + 1) & (m->cap - 1)) {
		sl = &m->slots[k];
		m->probes++;
		if (sl->pos == 0)
			return (IDMAP_NONE);
		if (sl->hash == h && strcmp(key(arg, sl->pos - 1), id) == 0)
			return (sl->pos - 1);
	}
}

/*
 * Add id at position pos. The id must not be in the map already.
 */
void
idmap_add(struct idmap *m, const char *id, size_t pos)
{
	uint32_t	h = idmap_hash(id);
	size_t		k;

	if (pos >= UINT32_MAX - 1)
		fatalx("%s: position %zu", __func__, pos);
	if ((m->n + 1) * 10 > m->cap * 7)
		idmap_grow(m);
	for (k = h & (m->cap - 1); m->slots[k].pos != 0;
	    k = (k + 1) & (m->cap - 1))
		m->probes++;
	m->probes++;
	m->slots[k].hash = h;
	m->slots[k].pos = (uint32_t)pos + 1;
	m->n++;
}

/* The slot of id at position pos; fatal when it is not there (a bug). */
static size_t
idmap_slot(struct idmap *m, const char *id, size_t pos)
{
	size_t	k;

	if (m->n == 0)
		fatalx("idmap: %s is not in the map", id);
	for (k = idmap_hash(id) & (m->cap - 1);; k = (k + 1) & (m->cap - 1)) {
		m->probes++;
		if (m->slots[k].pos == 0)
			fatalx("idmap: %s is not in the map", id);
		if (m->slots[k].pos == pos + 1)
			return (k);
	}
}

/*
 * Remove id, which is at position pos. The slots after it in its probe
 * run move back where they may, so no lookup ever walks past a hole.
 */
void
idmap_remove(struct idmap *m, const char *id, size_t pos)
{
	size_t	i, j, k, mask = m->cap - 1;

	i = j = idmap_slot(m, id, pos);
	for (;;) {
		j = (j + 1) & mask;
		if (m->slots[j].pos == 0)
			break;
		k = m->slots[j].hash & mask;
		/* j moves back to i unless its home k is in (i, j]. */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].pos = 0;
	m->n--;
}

/*
 * Tell the map that id moved from position "from" to "to" in the array.
 */
void
idmap_move(struct idmap *m, const char *id, size_t from, size_t to)
{
	m->slots[idmap_slot(m, id, from)].pos = (uint32_t)to + 1;
}
