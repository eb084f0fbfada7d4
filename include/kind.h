/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The kinds of item a store holds, in one table: alert, unit, hospital,
 * school and feedback, with their names (in events, in snapshots, in
 * command arguments, in messages), their struct, their codec and the
 * fields every kind has (id, area, version). Code that handles "an item of
 * some kind" looks the kind up once and goes through the table instead of
 * comparing names:
 *
 *	const struct kind	*k = kind_find("hospital");
 *	void			*item = store_find(s, k, id);
 *
 *	if (item != NULL)
 *		version = kind_version(k, item);
 *
 * The table knows nothing of stores: finding and putting an item of a kind
 * are store_find() and store_put() (store.h), so the store can use the
 * table without an include circle.
 */

#ifndef KIND_H
#define KIND_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model.h"

/* Table order is snapshot order; 1 << index is the store's STORE_CH_ bit. */
enum kind_index {
	KIND_ALERT,
	KIND_UNIT,
	KIND_HOSPITAL,
	KIND_SCHOOL,
	KIND_FEEDBACK,
	KIND_COUNT
};

struct kind {
	enum kind_index	 index;
	const char	*name;		/* In events and "get": "feedback". */
	const char	*plural;	/* Snapshot member: "feedback". */
	const char	*arg;		/* Its command argument: "case". */
	const char	*label;		/* In messages: "feedback case". */
	size_t		 size;		/* Of the struct. */
	int		 changed;	/* The store's STORE_CH_ bit. */

	int		 flags;
#define KIND_GAUGE	0x1		/* Simulated readings (conflatable). */
#define KIND_HISTORY	0x2		/* Has a history (struct history). */

	size_t		 id_off;	/* char [MODEL_ID_MAX] */
	size_t		 area_off;	/* char [MODEL_CODE_MAX] */
	size_t		 version_off;	/* uint32_t */
	size_t		 hist_off;	/* struct history; KIND_HISTORY. */

	json_t		*(*encode)(const void *);
	int		 (*decode)(json_t *, void *, int sanitize, char **);
	void		 (*clear)(void *);
	void		 (*copy)(void *dst, const void *src);
	void		 (*touch)(void *, int64_t now);	/* NULL: none. */
	/* Its strings into the pool, for a store (model.h); NULL: kept. */
	void		 (*pool)(void *);
};

/* Room for one item of any kind, for code that handles any. */
union kind_item {
	struct alert	 alert;
	struct unit	 unit;
	struct hospital	 hospital;
	struct school	 school;
	struct feedback	 feedback;
};

extern const struct kind kind_table[KIND_COUNT];

const struct kind	*kind_get(enum kind_index);
const struct kind	*kind_find(const char *name);
const struct kind	*kind_find_plural(const char *plural);
const struct kind	*kind_find_arg(const char *arg);
const struct kind	*kind_first_arg(json_t *args, const char **id);

const char		*kind_id(const struct kind *, const void *);
const char		*kind_area(const struct kind *, const void *);
uint32_t		 kind_version(const struct kind *, const void *);
void			 kind_set_version(const struct kind *, void *,
			     uint32_t);
struct history		*kind_history(const struct kind *, void *);

#endif
