/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A map from item ids to their positions in an array (the store keeps one
 * beside each of its arrays). Open addressing with linear probing over a
 * power-of-two table, at most 70 % full; each slot holds an id's hash and
 * a position. The map does not keep the ids: it asks the array for the id
 * at a position (idmap_key_cb) when two hashes are equal.
 *
 * Removing is by backward shift, so there are no tombstones. When the
 * array is compacted, each item that moves is told to the map with
 * idmap_move(), which rewrites one slot: a removal costs what the
 * compaction costs, and the map stays right.
 */

#ifndef IDMAP_H
#define IDMAP_H

#include <stddef.h>
#include <stdint.h>

#define IDMAP_NONE	SIZE_MAX	/* Not in the map. */

/* The id of the item at position pos of the array behind the map. */
typedef const char *(*idmap_key_cb)(void *arg, size_t pos);

struct idmap_slot {
	uint32_t	 hash;
	uint32_t	 pos;		/* Position + 1; 0: empty. */
};

struct idmap {
	struct idmap_slot	*slots;		/* Owned. */
	size_t			 cap;		/* Power of two, or 0. */
	size_t			 n;
	uint64_t		 probes;	/* Slots looked at (tests). */
};

void	 idmap_init(struct idmap *);
void	 idmap_clear(struct idmap *);
size_t	 idmap_find(struct idmap *, const char *id, idmap_key_cb, void *);
void	 idmap_add(struct idmap *, const char *id, size_t pos);
void	 idmap_remove(struct idmap *, const char *id, size_t pos);
void	 idmap_move(struct idmap *, const char *id, size_t from, size_t to);

#endif
