/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The store. Items live in growable arrays in arrival order, which the
 * widgets index directly; beside each array an idmap (idmap.h) finds an
 * item by id in constant time, so loading a snapshot of n items is linear.
 * Removing an item moves the last one into its place and tells the map,
 * so a removal costs the same however many items there are (retention
 * takes thousands at once); store_remove_if() closes many up in one pass,
 * keeping their order. Areas and departments (a few
 * dozen) are found by a linear scan. Every change goes through
 * store_put*(), called directly by loaders and through
 * store_apply_event() by everyone else.
 */

#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "kind.h"
#include "log.h"
#include "proto.h"
#include "sanitize.h"
#include "xmalloc.h"

static void	*store_array(const struct store *, const struct kind *,
		    size_t **, size_t **);

/* The change bits are the kinds' (kind.h). */
_Static_assert(STORE_CH_ALERTS == 1 << KIND_ALERT &&
    STORE_CH_UNITS == 1 << KIND_UNIT &&
    STORE_CH_HOSPITALS == 1 << KIND_HOSPITAL &&
    STORE_CH_SCHOOLS == 1 << KIND_SCHOOL &&
    STORE_CH_FEEDBACK == 1 << KIND_FEEDBACK, "STORE_CH_ and kinds differ");

/*
 * Create an empty store. Returns it; free with store_free().
 */
struct store *
store_new(void)
{
	struct store	*s;

	s = xcalloc(1, sizeof *s);
	s->province = xstrdup("");
	s->utc_offset_min = 420;
	return (s);
}

/*
 * Drop every item and the metadata; the store stays usable.
 */
void
store_clear(struct store *s)
{
	const struct kind	*k;
	size_t			 i, *n, *cap;

	for (i = 0; i < s->nareas; i++)
		area_clear(&s->areas[i]);
	for (i = 0; i < s->ndepts; i++)
		department_clear(&s->depts[i]);
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		for (i = 0; i < store_count(s, k); i++)
			k->clear(store_item(s, k, i));
		free(store_array(s, k, &n, &cap));
		idmap_clear(&s->ids[k->index]);
	}
	free(s->areas);
	free(s->depts);
	free(s->province);
	memset(s, 0, sizeof *s);
	s->province = xstrdup("");
	s->utc_offset_min = 420;
	s->changed = STORE_CH_ALL;
}

/*
 * Free a store and everything in it. NULL is a no-op.
 */
void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	store_clear(s);
	free(s->province);
	free(s);
}

/* ==== Items of any kind ==== */

/*
 * The typed arrays behind a kind. Only these switch on the kind: the rest
 * of the store goes through them.
 */
static void *
store_array(const struct store *s, const struct kind *k, size_t **n,
    size_t **cap)
{
	/* The const goes only so the counts can be handed out. */
	struct store	*w = (struct store *)s;

	switch (k->index) {
	case KIND_ALERT:
		*n = &w->nalerts;
		*cap = &w->alerts_cap;
		return (w->alerts);
	case KIND_UNIT:
		*n = &w->nunits;
		*cap = &w->units_cap;
		return (w->units);
	case KIND_HOSPITAL:
		*n = &w->nhospitals;
		*cap = &w->hospitals_cap;
		return (w->hospitals);
	case KIND_SCHOOL:
		*n = &w->nschools;
		*cap = &w->schools_cap;
		return (w->schools);
	case KIND_FEEDBACK:
		*n = &w->nfeedback;
		*cap = &w->feedback_cap;
		return (w->feedback);
	default:
		fatalx("%s: no kind %d", __func__, (int)k->index);
	}
}

static void
store_set_array(struct store *s, const struct kind *k, void *v)
{
	switch (k->index) {
	case KIND_ALERT:
		s->alerts = v;
		break;
	case KIND_UNIT:
		s->units = v;
		break;
	case KIND_HOSPITAL:
		s->hospitals = v;
		break;
	case KIND_SCHOOL:
		s->schools = v;
		break;
	case KIND_FEEDBACK:
		s->feedback = v;
		break;
	default:
		fatalx("%s: no kind %d", __func__, (int)k->index);
	}
}

/*
 * The number of items of kind k.
 */
size_t
store_count(const struct store *s, const struct kind *k)
{
	size_t	*n, *cap;

	store_array(s, k, &n, &cap);
	return (*n);
}

/*
 * The i-th item of kind k in the store's order (i < store_count()).
 * Borrowed: valid until the next change of that kind.
 */
void *
store_item(const struct store *s, const struct kind *k, size_t i)
{
	size_t	*n, *cap;
	char	*v;

	v = store_array(s, k, &n, &cap);
	if (i >= *n)
		fatalx("%s: %s %zu of %zu", __func__, k->name, i, *n);
	return (v + i * k->size);
}

/* The id at position pos of a kind's array, for its idmap. */
struct store_key {
	const struct store	*s;
	const struct kind	*k;
};

static const char *
store_key(void *arg, size_t pos)
{
	struct store_key	*sk = arg;

	return (kind_id(sk->k, store_item(sk->s, sk->k, pos)));
}

/* The position of the item of kind k with that id, or IDMAP_NONE. */
static size_t
store_pos(struct store *s, const struct kind *k, const char *id)
{
	struct store_key	sk = { s, k };

	return (idmap_find(&s->ids[k->index], id, store_key, &sk));
}

/*
 * The item of kind k with that id (borrowed, valid until the next change
 * of that kind), or NULL. Constant time.
 */
void *
store_find(struct store *s, const struct kind *k, const char *id)
{
	size_t	pos;

	if ((pos = store_pos(s, k, id)) == IDMAP_NONE)
		return (NULL);
	return (store_item(s, k, pos));
}

/*
 * Insert or replace an item of kind k by id. The store takes over the
 * contents of the argument (its strings), which is left zeroed; an
 * alert's or a case's strings go into the pool (model.h: read-only from
 * then on). Returns the stored item (borrowed).
 */
void *
store_put(struct store *s, const struct kind *k, void *item)
{
	size_t	*n, *cap;
	char	*v, *old;

	if ((old = store_find(s, k, kind_id(k, item))) != NULL)
		k->clear(old);
	else {
		v = store_array(s, k, &n, &cap);
		if (*n == *cap) {
			*cap = *cap == 0 ? 16 : *cap * 2;
			v = xreallocarray(v, *cap, k->size);
			store_set_array(s, k, v);
		}
		idmap_add(&s->ids[k->index], kind_id(k, item), *n);
		old = v + (*n)++ * k->size;
	}
	memcpy(old, item, k->size);
	memset(item, 0, k->size);
	if (k->pool != NULL)
		k->pool(old);
	s->changed |= k->changed;
	return (old);
}

/*
 * Remove the items of kind k from position "from" on for which drop(item,
 * arg) is non-zero; the others close up and the index follows them.
 * Returns how many went.
 */
static size_t
store_compact(struct store *s, const struct kind *k, size_t from,
    int (*drop)(const void *, void *), void *arg)
{
	struct idmap	*m = &s->ids[k->index];
	size_t		*n, *cap, i, w = from;
	char		*v, *item;

	v = store_array(s, k, &n, &cap);
	for (i = from; i < *n; i++) {
		item = v + i * k->size;
		if (drop(item, arg)) {
			idmap_remove(m, kind_id(k, item), i);
			k->clear(item);
			continue;
		}
		if (w != i) {
			memcpy(v + w * k->size, item, k->size);
			idmap_move(m, kind_id(k, item), i, w);
			s->moves++;
		}
		w++;
	}
	if (w == *n)
		return (0);
	memset(v + w * k->size, 0, (*n - w) * k->size);
	i = *n - w;
	*n = w;
	s->changed |= k->changed;
	return (i);
}

/*
 * Remove every item of kind k for which drop(item, arg) returns non-zero
 * (drop must neither change nor search the store), in one pass: the
 * others close up in their order and the index follows them. Returns
 * how many were removed. Linear in the number of items of kind k, however
 * many go.
 */
size_t
store_remove_if(struct store *s, const struct kind *k,
    int (*drop)(const void *, void *), void *arg)
{
	return (store_compact(s, k, 0, drop, arg));
}

/*
 * Remove the item of kind k with that id in constant time: the last item
 * of the array takes its place (one copy, one index slot rewritten), so
 * the array stays dense but is no longer in creation order once anything
 * left. Nothing reads the order as a meaning: the panels sort their rows
 * (to the id), retention sorts by when the work ended, and the digest hashes
 * the items in the order of their ids (a console that holds only some
 * areas' items has another last item than the backend).
 * Returns 0, or -1 when there is none.
 */
int
store_remove(struct store *s, const struct kind *k, const char *id)
{
	struct idmap	*m = &s->ids[k->index];
	size_t		 pos, *n, *cap;
	char		*v, *item, *last;

	if ((pos = store_pos(s, k, id)) == IDMAP_NONE)
		return (-1);
	v = store_array(s, k, &n, &cap);
	item = v + pos * k->size;
	last = v + (*n - 1) * k->size;
	idmap_remove(m, kind_id(k, item), pos);
	k->clear(item);
	if (item != last) {
		memcpy(item, last, k->size);
		idmap_move(m, kind_id(k, item), *n - 1, pos);
	}
	memset(last, 0, k->size);
	(*n)--;
	s->moves += item != last;
	s->changed |= k->changed;
	return (0);
}

/* ==== Typed lookups and upserts ==== */

#define STORE_FIND(field, n, key)					\
	do {								\
		size_t	i_;						\
		for (i_ = 0; i_ < s->n; i_++) {				\
			if (strcmp(s->field[i_].key, id) == 0)		\
				return (&s->field[i_]);			\
		}							\
		return (NULL);						\
	} while (0)

struct area *
store_area(struct store *s, const char *id)
{
	STORE_FIND(areas, nareas, code);
}

struct department *
store_department(struct store *s, const char *id)
{
	STORE_FIND(depts, ndepts, code);
}

struct alert *
store_alert(struct store *s, const char *id)
{
	return (store_find(s, &kind_table[KIND_ALERT], id));
}

struct unit *
store_unit(struct store *s, const char *id)
{
	return (store_find(s, &kind_table[KIND_UNIT], id));
}

struct hospital *
store_hospital(struct store *s, const char *id)
{
	return (store_find(s, &kind_table[KIND_HOSPITAL], id));
}

struct school *
store_school(struct store *s, const char *id)
{
	return (store_find(s, &kind_table[KIND_SCHOOL], id));
}

struct feedback *
store_feedback(struct store *s, const char *id)
{
	return (store_find(s, &kind_table[KIND_FEEDBACK], id));
}

/*
 * Insert or replace an alert by id, taking over its strings (the argument
 * is left zeroed). Returns the stored alert. The same for the other kinds
 * below.
 */
struct alert *
store_put_alert(struct store *s, struct alert *item)
{
	return (store_put(s, &kind_table[KIND_ALERT], item));
}

struct unit *
store_put_unit(struct store *s, struct unit *item)
{
	return (store_put(s, &kind_table[KIND_UNIT], item));
}

struct hospital *
store_put_hospital(struct store *s, struct hospital *item)
{
	return (store_put(s, &kind_table[KIND_HOSPITAL], item));
}

struct school *
store_put_school(struct store *s, struct school *item)
{
	return (store_put(s, &kind_table[KIND_SCHOOL], item));
}

struct feedback *
store_put_feedback(struct store *s, struct feedback *item)
{
	return (store_put(s, &kind_table[KIND_FEEDBACK], item));
}

/*
 * Add an area (or rename an existing one). The strings are copied.
 */
void
store_add_area(struct store *s, const char *code, const char *name)
{
	struct area	*a;

	if ((a = store_area(s, code)) == NULL) {
		s->areas = xreallocarray(s->areas, s->nareas + 1,
		    sizeof *s->areas);
		a = &s->areas[s->nareas++];
		memset(a, 0, sizeof *a);
		snprintf(a->code, sizeof a->code, "%s", code);
	}
	free(a->name);
	a->name = xstrdup(name);
	s->changed |= STORE_CH_META;
}

/*
 * Add an area or replace the one with its code, display fields and all.
 * The strings are copied. Returns the stored area.
 */
struct area *
store_put_area(struct store *s, const struct area *src)
{
	struct area	*a;

	store_add_area(s, src->code, src->name != NULL ? src->name :
	    src->code);
	a = store_area(s, src->code);
	area_clear(a);
	area_copy(a, src);
	if (a->name == NULL)
		a->name = xstrdup(a->code);
	return (a);
}

/*
 * Add a department (or rename an existing one). The strings are copied.
 */
void
store_add_department(struct store *s, const char *code, const char *name)
{
	struct department	*d;

	if ((d = store_department(s, code)) == NULL) {
		s->depts = xreallocarray(s->depts, s->ndepts + 1,
		    sizeof *s->depts);
		d = &s->depts[s->ndepts++];
		memset(d, 0, sizeof *d);
		snprintf(d->code, sizeof d->code, "%s", code);
	}
	free(d->name);
	d->name = xstrdup(name);
	s->changed |= STORE_CH_META;
}

/* ==== Events ==== */

/*
 * An event whose item carries only the history entries its change
 * appended, after "history_from" entries (docs/protocol.md): the item
 * (decoded, not yet stored) gets the history held for it with those
 * appended, folded as history_add() folds, which is what the backend's
 * history became; the held item's history is moved, not copied, so it is
 * left empty (the caller replaces the item). Returns 0, or -1 with *cause
 * set, nothing changed, when the item is not held or its history is not
 * the one the event follows.
 */
static int
store_merge_history(struct store *s, const struct kind *k, void *item,
    json_int_t from, char **cause)
{
	struct history		*h = kind_history(k, item), *held;
	void			*old;

	if (h == NULL) {
		xasprintf(cause, "a %s has no history", k->name);
		return (-1);
	}
	if ((old = store_find(s, k, kind_id(k, item))) == NULL) {
		xasprintf(cause, "history from entry %" JSON_INTEGER_FORMAT
		    " of %s %s, which is not held", from, k->name,
		    kind_id(k, item));
		return (-1);
	}
	held = kind_history(k, old);
	if (history_total(held) != (uint64_t)from) {
		xasprintf(cause, "history from entry %" JSON_INTEGER_FORMAT
		    " of %s %s, which has %" PRIu64, from, k->name,
		    kind_id(k, item), history_total(held));
		return (-1);
	}
	/* The held item is replaced next (store_put()): take its entries. */
	history_append(held, h);
	history_clear(h);
	*h = *held;
	held->v = NULL;
	held->n = 0;
	return (0);
}

/*
 * Decode an item of kind k and upsert it; with from (an event's
 * "history_from"), its history is the held one's continuation. Returns 0
 * or -1 with *cause set; the store is unchanged on error.
 */
static int
store_apply_kind(struct store *s, const struct kind *k, json_t *item,
    json_t *from, int flags, char **cause)
{
	union kind_item	u;

	if (from != NULL && !json_is_integer(from)) {
		xasprintf(cause, "member \"history_from\" must be an integer");
		return (-1);
	}
	if (k->decode(item, &u, (flags & STORE_SANITIZE) != 0, cause) != 0)
		return (-1);
	if (from != NULL && store_merge_history(s, k, &u,
	    json_integer_value(from), cause) != 0) {
		k->clear(&u);
		return (-1);
	}
	store_put(s, k, &u);
	return (0);
}

/*
 * Decode an item of the given kind ("alert") and upsert it, outside the
 * seq order (the seq is left alone). Returns 0 or -1 with *cause set
 * (allocated; caller frees); the store is unchanged on error.
 */
int
store_apply_item(struct store *s, const char *kind, json_t *item, int flags,
    char **cause)
{
	const struct kind	*k;

	if ((k = kind_find(kind)) == NULL) {
		xasprintf(cause, "unknown item kind \"%.32s\"", kind);
		return (-1);
	}
	return (store_apply_kind(s, k, item, NULL, flags, cause));
}

/*
 * A "remove" event: the item leaves the live state (the backend archived
 * it). Only its id counts; an item we do not hold (left out, or of
 * another area) is already gone. Returns 0, or -1 with *cause set.
 */
static int
store_apply_remove(struct store *s, const struct kind *k, json_t *ev,
    uint64_t seq, char **cause)
{
	const char	*id;

	id = json_string_value(json_object_get(json_object_get(ev, "item"),
	    "id"));
	if (id == NULL) {
		xasprintf(cause, "a remove event without the item's id");
		return (-1);
	}
	store_remove(s, k, id);
	s->changed |= k->changed;
	s->seq = seq;
	return (0);
}

/*
 * Apply one validated event message. Its seq must follow store->seq.
 * Returns 0, or -1 with *cause set (caller frees); nothing changes then.
 */
int
store_apply_event(struct store *s, json_t *ev, int flags, char **cause)
{
	json_t		*seqv = json_object_get(ev, "seq");
	json_t		*kind = json_object_get(ev, "kind");
	json_int_t	 seq;
	const struct kind *k;

	if (!json_is_integer(seqv) || !json_is_string(kind)) {
		xasprintf(cause, "event without seq or kind");
		return (-1);
	}
	seq = json_integer_value(seqv);
	if (seq <= 0 || (uint64_t)seq <= s->seq) {
		xasprintf(cause, "event seq %" JSON_INTEGER_FORMAT " is not "
		    "after %" PRIu64, seq, s->seq);
		return (-1);
	}
	if ((k = kind_find(json_string_value(kind))) == NULL) {
		xasprintf(cause, "unknown item kind \"%.32s\"",
		    json_string_value(kind));
		return (-1);
	}
	if (json_is_true(json_object_get(ev, "remove")))
		return (store_apply_remove(s, k, ev, (uint64_t)seq, cause));
	if (store_apply_kind(s, k, json_object_get(ev, "item"),
	    json_object_get(ev, "history_from"), flags, cause) != 0)
		return (-1);
	s->seq = (uint64_t)seq;
	return (0);
}

/* ==== Snapshots ==== */

/* The text of each kind's item array in a snapshot (NULL: absent). */
struct store_spans {
	const char	*v[KIND_COUNT];
	const char	*end[KIND_COUNT];
};

static int	store_load_body(struct store *, json_t *,
		    const struct store_spans *, int, store_skip_cb, void *,
		    char **);

/* An area as the snapshot has it; the display fields only when set. */
static json_t *
store_area_encode(const struct area *ar)
{
	json_t	*o;

	o = json_pack("{s:s s:s}", "code", ar->code, "name", ar->name);
	if (ar->short_name != NULL)
		json_object_set_new(o, "short", json_string(ar->short_name));
	if (ar->abbr[0] != '\0')
		json_object_set_new(o, "abbr", json_string(ar->abbr));
	if (ar->group[0] != '\0')
		json_object_set_new(o, "group", json_string(ar->group));
	if (ar->group_name != NULL)
		json_object_set_new(o, "group_name",
		    json_string(ar->group_name));
	if (ar->former != NULL)
		json_object_set_new(o, "former", json_string(ar->former));
	return (o);
}

/*
 * The display fields of a snapshot's area v into a (code and name are
 * already there): texts sanitised with STORE_SANITIZE, codes checked.
 * Returns 0, or -1 when a member has the wrong type or form.
 */
static int
store_area_decode(struct area *a, json_t *v, int flags)
{
	static const char *const texts[] = { "short", "group_name",
	    "former" };
	char		**dst[3];
	json_t		*m;
	const char	*str;
	size_t		 i;

	dst[0] = &a->short_name;
	dst[1] = &a->group_name;
	dst[2] = &a->former;
	for (i = 0; i < 3; i++) {
		if ((m = json_object_get(v, texts[i])) == NULL)
			continue;
		if ((str = json_string_value(m)) == NULL)
			return (-1);
		free(*dst[i]);
		*dst[i] = (flags & STORE_SANITIZE) ? sanitize_text(str,
		    strlen(str), 0) : xstrdup(str);
	}
	if ((m = json_object_get(v, "abbr")) != NULL) {
		if ((str = json_string_value(m)) == NULL ||
		    !area_abbr_valid(str))
			return (-1);
		snprintf(a->abbr, sizeof a->abbr, "%s", str);
	}
	if ((m = json_object_get(v, "group")) != NULL) {
		if ((str = json_string_value(m)) == NULL ||
		    !model_id_valid(str, sizeof a->group))
			return (-1);
		snprintf(a->group, sizeof a->group, "%s", str);
	}
	return (0);
}

/*
 * The whole state as a snapshot body: {"seq", "province", "areas",
 * "departments", "alerts", "units", "hospitals", "schools", "feedback"}.
 * Returns a new reference.
 */
json_t *
store_snapshot(const struct store *s)
{
	const struct kind	*k;
	json_t			*o, *a;
	size_t			 i;

	o = store_snapshot_head(s);
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		a = json_array();
		for (i = 0; i < store_count(s, k); i++)
			json_array_append_new(a, k->encode(store_item(s, k,
			    i)));
		json_object_set_new(o, k->plural, a);
	}
	return (o);
}

/*
 * The snapshot body without its items: {"seq", "province", "areas",
 * "departments"}, for a writer that adds the items one at a time (a
 * snapshot in parts, core/snapparts.c). Returns a new reference.
 */
json_t *
store_snapshot_head(const struct store *s)
{
	json_t			*o, *a;
	size_t			 i;

	o = json_pack("{s:I s:{s:s s:s s:i}}", "seq", (json_int_t)s->seq,
	    "province", "code", s->province_code, "name", s->province,
	    "utc_offset_min", s->utc_offset_min);

	a = json_array();
	for (i = 0; i < s->nareas; i++)
		json_array_append_new(a, store_area_encode(&s->areas[i]));
	json_object_set_new(o, "areas", a);

	a = json_array();
	for (i = 0; i < s->ndepts; i++)
		json_array_append_new(a, json_pack("{s:s s:s}", "code",
		    s->depts[i].code, "name", s->depts[i].name));
	json_object_set_new(o, "departments", a);
	return (o);
}

static int
store_load_named(struct store *s, json_t *arr, const char *what, int dept,
    int flags, store_skip_cb skip, void *arg, char **cause)
{
	json_t		*v;
	size_t		 i;
	const char	*code, *name;
	char		*clean;

	if (!json_is_array(arr)) {
		xasprintf(cause, "snapshot member \"%s\" must be an array",
		    what);
		return (-1);
	}
	json_array_foreach(arr, i, v) {
		code = json_string_value(json_object_get(v, "code"));
		name = json_string_value(json_object_get(v, "name"));
		if (code == NULL || name == NULL ||
		    !model_id_valid(code, MODEL_CODE_MAX)) {
			if (skip != NULL) {
				skip(arg, dept ? "department" : "area", v,
				    "needs a valid code and a name");
				continue;
			}
			xasprintf(cause, "snapshot %s[%zu] needs a valid "
			    "code and a name", what, i);
			return (-1);
		}
		clean = (flags & STORE_SANITIZE) ? sanitize_text(name,
		    strlen(name), 0) : xstrdup(name);
		if (dept)
			store_add_department(s, code, clean);
		else
			store_add_area(s, code, clean);
		free(clean);
		if (!dept && store_area_decode(store_area(s, code), v,
		    flags) != 0) {
			xasprintf(cause, "snapshot %s[%zu] has a bad short, "
			    "abbr, group, group_name or former", what, i);
			return (-1);
		}
	}
	return (0);
}

static int
store_load_items(struct store *s, json_t *body, const struct kind *k,
    int flags, store_skip_cb skip, void *arg, char **cause)
{
	json_t	*arr = json_object_get(body, k->plural), *v;
	size_t	 i;
	char	*why = NULL;

	if (!json_is_array(arr)) {
		xasprintf(cause, "snapshot member \"%s\" must be an array",
		    k->plural);
		return (-1);
	}
	json_array_foreach(arr, i, v) {
		if (store_apply_kind(s, k, v, NULL, flags, &why) != 0) {
			if (skip != NULL) {
				skip(arg, k->name, v, why);
				free(why);
				continue;
			}
			xasprintf(cause, "snapshot %s[%zu]: %s", k->plural, i,
			    why);
			free(why);
			return (-1);
		}
	}
	return (0);
}

/*
 * Replace the contents with a snapshot body, all or nothing. Returns 0, or
 * -1 with *cause set (caller frees) and the store unchanged.
 */
int
store_load_snapshot(struct store *s, json_t *body, int flags, char **cause)
{
	return (store_load_snapshot_skip(s, body, flags, NULL, NULL, cause));
}

/*
 * Replace the contents with a snapshot body. With skip, an item, area or
 * department that does not decode is left out, and skip is called with
 * arg, its kind ("alert", "area"), the item as received and why (both
 * borrowed); only the envelope (seq, province, the arrays themselves) can
 * then fail the load. Without skip, as store_load_snapshot(). Returns 0,
 * or -1 with *cause set (caller frees) and the store unchanged.
 */
int
store_load_snapshot_skip(struct store *s, json_t *body, int flags,
    store_skip_cb skip, void *arg, char **cause)
{
	return (store_load_body(s, body, NULL, flags, skip, arg, cause));
}

/*
 * Add the items of kind k from the text of their array (p to end), one at
 * a time: each is parsed, decoded, put and freed before the next is read
 * (store.h).
 */
int
store_add_items_text(struct store *s, const struct kind *k, const char *p,
    const char *end, int flags, store_skip_cb skip, void *arg, char **cause)
{
	json_error_t	 jerr;
	json_t		*v;
	const char	*e, *ee;
	size_t		 i = 0;
	char		*why = NULL;
	int		 rc;

	if (p == NULL || (p = jscan_open(p, end, '[')) == NULL) {
		xasprintf(cause, "snapshot member \"%s\" must be an array",
		    k->plural);
		return (-1);
	}
	while ((rc = jscan_next_element(&p, end, &e, &ee)) == 1) {
		if ((v = json_loadb(e, (size_t)(ee - e), 0, &jerr)) == NULL) {
			xasprintf(cause, "snapshot %s[%zu]: %s", k->plural, i,
			    jerr.text);
			return (-1);
		}
		if (store_apply_kind(s, k, v, NULL, flags, &why) != 0) {
			if (skip == NULL) {
				xasprintf(cause, "snapshot %s[%zu]: %s",
				    k->plural, i, why);
				free(why);
				json_decref(v);
				return (-1);
			}
			skip(arg, k->name, v, why);
			free(why);
			why = NULL;
		}
		json_decref(v);
		i++;
	}
	if (rc != 0) {
		xasprintf(cause, "snapshot member \"%s\" is not an array",
		    k->plural);
		return (-1);
	}
	return (0);
}

/*
 * Replace the contents with a snapshot body given as its text (len
 * bytes), as store_load_snapshot_skip() does with a parsed one, but
 * without ever holding the whole body parsed: the item arrays are read
 * one item at a time, so the memory a large load needs is the store's
 * and one item's, not ten times the text's (jansson's tree). Returns 0,
 * or -1 with *cause set (caller frees) and the store unchanged.
 */
int
store_load_snapshot_text(struct store *s, const char *text, size_t len,
    int flags, store_skip_cb skip, void *arg, char **cause)
{
	struct store_spans	 sp;
	struct jscan_member	 m;
	const struct kind	*k;
	const char		*p = text, *end = text + len;
	json_error_t		 jerr;
	json_t			*head, *v;
	char			*key;
	int			 rc;

	memset(&sp, 0, sizeof sp);
	if ((p = jscan_open(p, end, '{')) == NULL) {
		xasprintf(cause, "a snapshot is an object");
		return (-1);
	}
	head = json_object();
	while ((rc = jscan_next_member(&p, end, &m)) == 1) {
		if ((key = jscan_key_dup(&m)) == NULL) {
			rc = -1;
			break;
		}
		for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
			if (strcmp(key, k->plural) == 0)
				break;
		}
		if (k < kind_table + KIND_COUNT) {
			sp.v[k->index] = m.value;
			sp.end[k->index] = m.value_end;
			free(key);
			continue;
		}
		v = json_loadb(m.value, (size_t)(m.value_end - m.value),
		    JSON_DECODE_ANY, &jerr);
		if (v == NULL) {
			xasprintf(cause, "snapshot member \"%.32s\": %s", key,
			    jerr.text);
			free(key);
			json_decref(head);
			return (-1);
		}
		json_object_set_new(head, key, v);
		free(key);
	}
	if (rc != 0 || jscan_ws(p, end) != end) {
		xasprintf(cause, "a snapshot is one JSON object");
		json_decref(head);
		return (-1);
	}
	rc = store_load_body(s, head, &sp, flags, skip, arg, cause);
	json_decref(head);
	return (rc);
}

/*
 * The loader of both: the envelope from body, the items from body's
 * arrays or, with spans, from the text of each kind's array.
 */
static int
store_load_body(struct store *s, json_t *body, const struct store_spans *sp,
    int flags, store_skip_cb skip, void *arg, char **cause)
{
	const struct kind *k;
	struct store	*n;
	json_t		*prov, *seqv;
	json_int_t	 off;
	const char	*code, *name;
	char		*clean;

	seqv = json_object_get(body, "seq");
	prov = json_object_get(body, "province");
	if (!json_is_integer(seqv) || json_integer_value(seqv) < 0) {
		xasprintf(cause, "snapshot member \"seq\" must be an integer");
		return (-1);
	}
	if (!json_is_object(prov)) {
		xasprintf(cause, "snapshot member \"province\" must be an "
		    "object");
		return (-1);
	}
	code = json_string_value(json_object_get(prov, "code"));
	name = json_string_value(json_object_get(prov, "name"));
	off = json_integer_value(json_object_get(prov, "utc_offset_min"));
	if (code == NULL || name == NULL || strlen(code) >= MODEL_CODE_MAX ||
	    off < -14 * 60 || off > 14 * 60) {
		xasprintf(cause, "snapshot province needs code, name and "
		    "utc_offset_min");
		return (-1);
	}

	n = store_new();
	if (store_load_named(n, json_object_get(body, "areas"), "areas", 0,
	    flags, skip, arg, cause) != 0 ||
	    store_load_named(n, json_object_get(body, "departments"),
	    "departments", 1, flags, skip, arg, cause) != 0)
		goto fail;
	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		if (sp != NULL ? store_add_items_text(n, k, sp->v[k->index],
		    sp->end[k->index], flags, skip, arg, cause) != 0 :
		    store_load_items(n, body, k, flags, skip, arg, cause) != 0)
			goto fail;
	}
	clean = (flags & STORE_SANITIZE) ? sanitize_text(name, strlen(name),
	    0) : xstrdup(name);
	free(n->province);
	n->province = clean;
	snprintf(n->province_code, sizeof n->province_code, "%s", code);
	n->utc_offset_min = (int)off;
	n->seq = (uint64_t)json_integer_value(seqv);

	store_replace(s, n);
	return (0);

fail:
	store_free(n);
	return (-1);
}

/*
 * Replace the contents of s with those of n, which is freed (its contents
 * now s's): a store loaded aside (a staging store) becomes the one
 * everybody holds a pointer to, in one step.
 */
void
store_replace(struct store *s, struct store *n)
{
	store_clear(s);
	free(s->province);
	*s = *n;
	free(n);
	s->changed = STORE_CH_ALL;
}

/* Two items by their ids. */
static int
store_digest_cmp(const void *a, const void *b)
{
	const char	*ia, *ib;

	ia = json_string_value(json_object_get(*(json_t *const *)a, "id"));
	ib = json_string_value(json_object_get(*(json_t *const *)b, "id"));
	return (strcmp(ia != NULL ? ia : "", ib != NULL ? ib : ""));
}

/* Put an array of items in the order of their ids. */
static void
store_digest_sort(json_t *a)
{
	json_t		**v;
	size_t		 i, n = json_array_size(a);

	if (n < 2)
		return;
	v = xreallocarray(NULL, n, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof *v, store_digest_cmp);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

/*
 * 64-bit FNV-1a over the canonical snapshot as a console holds it: every
 * free text sanitised (NFC, no controls; the decoder's STORE_SANITIZE),
 * seq removed, each kind's items in the order of their ids, sorted keys,
 * compact. The backend keeps raw text and a console keeps it sanitised,
 * so both hash the sanitised form and agree. Sanitising is idempotent, so
 * a console's store hashes the same either way. Not the store's order: a
 * removal moves the last item into the hole (store_remove()), and a
 * console that holds only some areas' items has another last item than
 * the backend. Writes 16 lower-case hex digits and a NUL into out.
 */
void
store_digest(const struct store *s, char out[17])
{
	struct store	*clean = store_new();
	json_t		*snap = store_snapshot(s);
	const struct kind *k;
	char		*text, *cause = NULL;
	uint64_t	 h = 0xcbf29ce484222325ULL;
	const unsigned char *p;

	if (store_load_snapshot(clean, snap, STORE_SANITIZE, &cause) == 0) {
		json_decref(snap);
		snap = store_snapshot(clean);
	} else {
		log_warn("store_digest: %s", cause);
		free(cause);
	}
	store_free(clean);
	json_object_del(snap, "seq");
	for (k = kind_table; k < kind_table + KIND_COUNT; k++)
		store_digest_sort(json_object_get(snap, k->plural));
	text = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(snap);
	if (text == NULL)
		fatalx("store_digest: cannot serialise");
	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	free(text);
	snprintf(out, 17, "%016" PRIx64, h);
}

/*
 * Number of open alerts of a severity (0: all severities).
 */
size_t
store_open_alerts(const struct store *s, int severity)
{
	size_t	i, n = 0;

	for (i = 0; i < s->nalerts; i++) {
		if (alert_is_open(&s->alerts[i]) &&
		    (severity == 0 || s->alerts[i].severity == severity))
			n++;
	}
	return (n);
}
