/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The store. Items live in growable arrays in arrival order; lookups are
 * linear, which is ample for a province (hundreds of facilities, thousands
 * of alerts in a shift). Every change goes through store_put_*(), called
 * directly by loaders and through store_apply_event() by everyone else.
 */

#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proto.h"
#include "sanitize.h"
#include "xmalloc.h"

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
	size_t	i;

	for (i = 0; i < s->nareas; i++)
		area_clear(&s->areas[i]);
	for (i = 0; i < s->ndepts; i++)
		department_clear(&s->depts[i]);
	for (i = 0; i < s->nalerts; i++)
		alert_clear(&s->alerts[i]);
	for (i = 0; i < s->nunits; i++)
		unit_clear(&s->units[i]);
	for (i = 0; i < s->nhospitals; i++)
		hospital_clear(&s->hospitals[i]);
	for (i = 0; i < s->nschools; i++)
		school_clear(&s->schools[i]);
	for (i = 0; i < s->nfeedback; i++)
		feedback_clear(&s->feedback[i]);
	free(s->areas);
	free(s->depts);
	free(s->alerts);
	free(s->units);
	free(s->hospitals);
	free(s->schools);
	free(s->feedback);
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

/* ==== Lookups ==== */

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
	STORE_FIND(alerts, nalerts, id);
}

struct unit *
store_unit(struct store *s, const char *id)
{
	STORE_FIND(units, nunits, id);
}

struct hospital *
store_hospital(struct store *s, const char *id)
{
	STORE_FIND(hospitals, nhospitals, id);
}

struct school *
store_school(struct store *s, const char *id)
{
	STORE_FIND(schools, nschools, id);
}

struct feedback *
store_feedback(struct store *s, const char *id)
{
	STORE_FIND(feedback, nfeedback, id);
}

/* ==== Upserts ==== */

/*
 * Grow an array so one more element fits; returns the array.
 */
static void *
store_grow(void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return (arr);
	*cap = *cap == 0 ? 16 : *cap * 2;
	return (xreallocarray(arr, *cap, size));
}

#define STORE_PUT(type, field, n, cap, find, clear, bit)		\
	do {								\
		struct type	*old;					\
		if ((old = find(s, item->id)) != NULL) {		\
			clear(old);					\
			*old = *item;					\
		} else {						\
			s->field = store_grow(s->field, s->n, &s->cap,	\
			    sizeof *s->field);				\
			old = &s->field[s->n++];			\
			*old = *item;					\
		}							\
		memset(item, 0, sizeof *item);				\
		s->changed |= (bit);					\
		return (old);						\
	} while (0)

/*
 * Insert or replace an alert by id, taking over its strings (the argument
 * is left zeroed). Returns the stored alert.
 */
struct alert *
store_put_alert(struct store *s, struct alert *item)
{
	STORE_PUT(alert, alerts, nalerts, alerts_cap, store_alert,
	    alert_clear, STORE_CH_ALERTS);
}

struct unit *
store_put_unit(struct store *s, struct unit *item)
{
	STORE_PUT(unit, units, nunits, units_cap, store_unit, unit_clear,
	    STORE_CH_UNITS);
}

struct hospital *
store_put_hospital(struct store *s, struct hospital *item)
{
	STORE_PUT(hospital, hospitals, nhospitals, hospitals_cap,
	    store_hospital, hospital_clear, STORE_CH_HOSPITALS);
}

struct school *
store_put_school(struct store *s, struct school *item)
{
	STORE_PUT(school, schools, nschools, schools_cap, store_school,
	    school_clear, STORE_CH_SCHOOLS);
}

struct feedback *
store_put_feedback(struct store *s, struct feedback *item)
{
	STORE_PUT(feedback, feedback, nfeedback, feedback_cap,
	    store_feedback, feedback_clear, STORE_CH_FEEDBACK);
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
 * Decode an item of the given kind ("alert") and upsert it, outside the
 * seq order (the seq is left alone). Returns 0 or -1 with *cause set
 * (allocated; caller frees); the store is unchanged on error.
 */
int
store_apply_item(struct store *s, const char *kind, json_t *item, int flags,
    char **cause)
{
	int	san = (flags & STORE_SANITIZE) != 0;

	if (strcmp(kind, "alert") == 0) {
		struct alert	a;

		if (proto_alert_decode(item, &a, san, cause) != 0)
			return (-1);
		store_put_alert(s, &a);
	} else if (strcmp(kind, "unit") == 0) {
		struct unit	u;

		if (proto_unit_decode(item, &u, san, cause) != 0)
			return (-1);
		store_put_unit(s, &u);
	} else if (strcmp(kind, "hospital") == 0) {
		struct hospital	h;

		if (proto_hospital_decode(item, &h, san, cause) != 0)
			return (-1);
		store_put_hospital(s, &h);
	} else if (strcmp(kind, "school") == 0) {
		struct school	sc;

		if (proto_school_decode(item, &sc, san, cause) != 0)
			return (-1);
		store_put_school(s, &sc);
	} else if (strcmp(kind, "feedback") == 0) {
		struct feedback	f;

		if (proto_feedback_decode(item, &f, san, cause) != 0)
			return (-1);
		store_put_feedback(s, &f);
	} else {
		xasprintf(cause, "unknown item kind \"%.32s\"", kind);
		return (-1);
	}
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
	if (store_apply_item(s, json_string_value(kind),
	    json_object_get(ev, "item"), flags, cause) != 0)
		return (-1);
	s->seq = (uint64_t)seq;
	return (0);
}

/* ==== Snapshots ==== */

/*
 * The whole state as a snapshot body: {"seq", "province", "areas",
 * "departments", "alerts", "units", "hospitals", "schools", "feedback"}.
 * Returns a new reference.
 */
json_t *
store_snapshot(const struct store *s)
{
	json_t	*o, *a;
	size_t	 i;

	o = json_pack("{s:I s:{s:s s:s s:i}}", "seq", (json_int_t)s->seq,
	    "province", "code", s->province_code, "name", s->province,
	    "utc_offset_min", s->utc_offset_min);

	a = json_array();
	for (i = 0; i < s->nareas; i++)
		json_array_append_new(a, json_pack("{s:s s:s}", "code",
		    s->areas[i].code, "name", s->areas[i].name));
	json_object_set_new(o, "areas", a);

	a = json_array();
	for (i = 0; i < s->ndepts; i++)
		json_array_append_new(a, json_pack("{s:s s:s}", "code",
		    s->depts[i].code, "name", s->depts[i].name));
	json_object_set_new(o, "departments", a);

#define STORE_SNAP(name, field, n, enc)					\
	a = json_array();						\
	for (i = 0; i < s->n; i++)					\
		json_array_append_new(a, enc(&s->field[i]));		\
	json_object_set_new(o, name, a)

	STORE_SNAP("alerts", alerts, nalerts, proto_alert_encode);
	STORE_SNAP("units", units, nunits, proto_unit_encode);
	STORE_SNAP("hospitals", hospitals, nhospitals,
	    proto_hospital_encode);
	STORE_SNAP("schools", schools, nschools, proto_school_encode);
	STORE_SNAP("feedback", feedback, nfeedback, proto_feedback_encode);
#undef STORE_SNAP
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
	}
	return (0);
}

static int
store_load_items(struct store *s, json_t *body, const char *member,
    const char *kind, int flags, store_skip_cb skip, void *arg,
    char **cause)
{
	json_t	*arr = json_object_get(body, member), *v;
	size_t	 i;
	char	*why = NULL;

	if (!json_is_array(arr)) {
		xasprintf(cause, "snapshot member \"%s\" must be an array",
		    member);
		return (-1);
	}
	json_array_foreach(arr, i, v) {
		if (store_apply_item(s, kind, v, flags, &why) != 0) {
			if (skip != NULL) {
				skip(arg, kind, v, why);
				free(why);
				continue;
			}
			xasprintf(cause, "snapshot %s[%zu]: %s", member, i,
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
	    "departments", 1, flags, skip, arg, cause) != 0 ||
	    store_load_items(n, body, "alerts", "alert", flags, skip, arg,
	    cause) != 0 ||
	    store_load_items(n, body, "units", "unit", flags, skip, arg,
	    cause) != 0 ||
	    store_load_items(n, body, "hospitals", "hospital", flags, skip,
	    arg, cause) != 0 ||
	    store_load_items(n, body, "schools", "school", flags, skip, arg,
	    cause) != 0 ||
	    store_load_items(n, body, "feedback", "feedback", flags, skip,
	    arg, cause) != 0) {
		store_free(n);
		return (-1);
	}
	clean = (flags & STORE_SANITIZE) ? sanitize_text(name, strlen(name),
	    0) : xstrdup(name);
	free(n->province);
	n->province = clean;
	snprintf(n->province_code, sizeof n->province_code, "%s", code);
	n->utc_offset_min = (int)off;
	n->seq = (uint64_t)json_integer_value(seqv);

	/* Swap the new contents in. */
	store_clear(s);
	free(s->province);
	*s = *n;
	free(n);
	s->changed = STORE_CH_ALL;
	return (0);
}

/*
 * 64-bit FNV-1a over the canonical snapshot as a console holds it: every
 * free text sanitised (NFC, no controls; the decoder's STORE_SANITIZE),
 * seq removed, sorted keys, compact. The backend keeps raw text and a
 * console keeps it sanitised, so both hash the sanitised form and agree.
 * Sanitising is idempotent, so a console's store hashes the same either
 * way. Writes 16 lower-case hex digits and a NUL into out.
 */
void
store_digest(const struct store *s, char out[17])
{
	struct store	*clean = store_new();
	json_t		*snap = store_snapshot(s);
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
