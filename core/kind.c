/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The table of item kinds: names, structs, codecs, common fields. */

#include "kind.h"

#include <stddef.h>
#include <string.h>

#include "model.h"
#include "proto.h"

/*
 * The codec and life cycle of each kind through untyped pointers. The
 * typed functions are in model.c and proto.c; these only convert.
 */
#define KIND_OPS(t)							\
static json_t *								\
kind_##t##_encode(const void *p)					\
{									\
	return (proto_##t##_encode(p));					\
}									\
static int								\
kind_##t##_decode(json_t *o, void *p, int sanitize, char **cause)	\
{									\
	return (proto_##t##_decode(o, p, sanitize, cause));		\
}									\
static void								\
kind_##t##_clear(void *p)						\
{									\
	t##_clear(p);							\
}									\
static void								\
kind_##t##_copy(void *dst, const void *src)				\
{									\
	t##_copy(dst, src);						\
}

KIND_OPS(alert)
KIND_OPS(unit)
KIND_OPS(hospital)
KIND_OPS(school)
KIND_OPS(feedback)

static void
kind_alert_pool(void *p)
{
	alert_pool(p);
}

static void
kind_feedback_pool(void *p)
{
	feedback_pool(p);
}

/* An alert records when it changed, and when it was made. */
static void
kind_alert_touch(void *p, int64_t now)
{
	struct alert	*a = p;

	a->updated = now;
	if (a->created == 0)
		a->created = now;
}

#define KIND_FIELDS(t)							\
	.size = sizeof (struct t),					\
	.id_off = offsetof(struct t, id),				\
	.area_off = offsetof(struct t, area),				\
	.version_off = offsetof(struct t, version),			\
	.encode = kind_##t##_encode,					\
	.decode = kind_##t##_decode,					\
	.clear = kind_##t##_clear,					\
	.copy = kind_##t##_copy

const struct kind kind_table[KIND_COUNT] = {
	[KIND_ALERT] = {
		.index = KIND_ALERT,
		.name = "alert",
		.plural = "alerts",
		.arg = "alert",
		.label = "alert",
		.changed = 1 << KIND_ALERT,
		.flags = KIND_HISTORY,
		.hist_off = offsetof(struct alert, hist),
		.touch = kind_alert_touch,
		.pool = kind_alert_pool,
		KIND_FIELDS(alert)
	},
	[KIND_UNIT] = {
		.index = KIND_UNIT,
		.name = "unit",
		.plural = "units",
		.arg = "unit",
		.label = "unit",
		.changed = 1 << KIND_UNIT,
		KIND_FIELDS(unit)
	},
	[KIND_HOSPITAL] = {
		.index = KIND_HOSPITAL,
		.name = "hospital",
		.plural = "hospitals",
		.arg = "hospital",
		.label = "hospital",
		.changed = 1 << KIND_HOSPITAL,
		.flags = KIND_GAUGE,
		KIND_FIELDS(hospital)
	},
	[KIND_SCHOOL] = {
		.index = KIND_SCHOOL,
		.name = "school",
		.plural = "schools",
		.arg = "school",
		.label = "school",
		.changed = 1 << KIND_SCHOOL,
		.flags = KIND_GAUGE,
		KIND_FIELDS(school)
	},
	[KIND_FEEDBACK] = {
		.index = KIND_FEEDBACK,
		.name = "feedback",
		.plural = "feedback",
		.arg = "case",
		.label = "feedback case",
		.changed = 1 << KIND_FEEDBACK,
		.flags = KIND_HISTORY,
		.hist_off = offsetof(struct feedback, hist),
		.pool = kind_feedback_pool,
		KIND_FIELDS(feedback)
	},
};

/*
 * The kind at index i. Returns a pointer into the table (static).
 */
const struct kind *
kind_get(enum kind_index i)
{
	return (&kind_table[i]);
}

/* The kind whose name member at offset off (a const char *) is s. */
static const struct kind *
kind_lookup(size_t off, const char *s)
{
	const char	*v;
	size_t		 i;

	if (s == NULL)
		return (NULL);
	for (i = 0; i < KIND_COUNT; i++) {
		v = *(const char *const *)((const char *)&kind_table[i] + off);
		if (strcmp(v, s) == 0)
			return (&kind_table[i]);
	}
	return (NULL);
}

/*
 * The kind of an event or a "get" by its name ("alert", "feedback"), or
 * NULL when none (or name is NULL). Static; never freed.
 */
const struct kind *
kind_find(const char *name)
{
	return (kind_lookup(offsetof(struct kind, name), name));
}

/*
 * The kind of a snapshot member ("alerts", "feedback"), or NULL.
 */
const struct kind *
kind_find_plural(const char *plural)
{
	return (kind_lookup(offsetof(struct kind, plural), plural));
}

/*
 * The kind a command argument names ("alert", "case", "unit",
 * "hospital"), or NULL.
 */
const struct kind *
kind_find_arg(const char *arg)
{
	return (kind_lookup(offsetof(struct kind, arg), arg));
}

/*
 * The item a command's arguments name first: the first of the table's
 * argument names present in args as a string. Returns its kind and sets
 * *id (borrowed from args), or returns NULL (and leaves *id alone).
 */
const struct kind *
kind_first_arg(json_t *args, const char **id)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < KIND_COUNT; i++) {
		v = json_string_value(json_object_get(args,
		    kind_table[i].arg));
		if (v != NULL) {
			*id = v;
			return (&kind_table[i]);
		}
	}
	return (NULL);
}

/*
 * The id of an item of kind k (borrowed from the item).
 */
const char *
kind_id(const struct kind *k, const void *item)
{
	return ((const char *)item + k->id_off);
}

/*
 * The area code of an item of kind k (borrowed; "" when it has none).
 */
const char *
kind_area(const struct kind *k, const void *item)
{
	return ((const char *)item + k->area_off);
}

/*
 * The version of an item of kind k.
 */
uint32_t
kind_version(const struct kind *k, const void *item)
{
	return (*(const uint32_t *)((const char *)item + k->version_off));
}

/*
 * Set the version of an item of kind k.
 */
void
kind_set_version(const struct kind *k, void *item, uint32_t v)
{
	*(uint32_t *)((char *)item + k->version_off) = v;
}

/*
 * The history of an item of kind k (borrowed), or NULL when the kind has
 * none.
 */
struct history *
kind_history(const struct kind *k, void *item)
{
	if (~k->flags & KIND_HISTORY)
		return (NULL);
	return ((struct history *)((char *)item + k->hist_off));
}
