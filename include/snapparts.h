/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * A snapshot in parts (docs/protocol.md §4, "snapshot in parts"): a
 * state too large for one message, written as a row of snapshot messages
 * of about SNAPPARTS_BYTES each, and read back into a staging store that
 * becomes the state only when the last part is in.
 *
 * Writing (a server, for a client whose hello said "snapshot_parts"):
 *
 *	struct snapparts_part	*v;
 *	size_t			 n = snapparts_split(store, gap, view,
 *				     SNAPPARTS_BYTES, &v);
 *	... send v[0..n-1].text, free each, free(v)
 *
 * Reading (a client):
 *
 *	struct snapparts_head	 h;
 *	switch (snapparts_peek(text, len, &h)) {
 *	case SNAPPARTS_PART:
 *		rc = snapparts_add(&join, text, len, &h, flags, skip, arg,
 *		    &cause);
 *		rc 1: store_replace(store, snapparts_take(&join));
 *	...
 */

#ifndef SNAPPARTS_H
#define SNAPPARTS_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct operator;

/* The text of a part's items, about (one item may be more). */
#define SNAPPARTS_BYTES		(1024 * 1024)

struct snapparts_part {
	char	*text;		/* Owned; NUL-terminated. */
	size_t	 len;
};

/* What snapparts_peek() found a message to be. */
enum snapparts_kind {
	SNAPPARTS_OTHER,	/* Not a snapshot (or not an object). */
	SNAPPARTS_WHOLE,	/* A snapshot in one message. */
	SNAPPARTS_PART,		/* One part of a snapshot. */
	SNAPPARTS_BAD		/* A snapshot with a bad part, parts or seq. */
};

/* A message's envelope, read without parsing its items. */
struct snapparts_head {
	uint64_t	 seq;
	int		 gap;
	long		 part;		/* 1 to parts; 0: whole. */
	long		 parts;
};

/* A snapshot in parts being read. Zeroed: nothing under way. */
struct snapparts_join {
	struct store	*st;		/* Staging; NULL: none. */
	uint64_t	 seq;
	int		 gap;
	long		 part;		/* Parts loaded ... */
	long		 parts;		/* ... of these. */
};

size_t		 snapparts_split(const struct store *, int gap,
		     const struct operator *view, size_t max,
		     struct snapparts_part **);
enum snapparts_kind snapparts_peek(const char *, size_t,
		     struct snapparts_head *);
int		 snapparts_add(struct snapparts_join *, const char *, size_t,
		     const struct snapparts_head *, int flags,
		     store_skip_cb skip, void *arg, char **cause);
struct store	*snapparts_take(struct snapparts_join *);
void		 snapparts_reset(struct snapparts_join *);

#endif
