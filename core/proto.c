/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Protocol v1 codec. Every inbound frame passes proto_parse(), which checks
 * the envelope of its type; items are checked member by member by the
 * decoders below, which never trust a length, a type or an enum name.
 */

#include "proto.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "log.h"
#include "xmalloc.h"



const char *const proto_type_names[PROTO_TYPE_COUNT] = {
	"hello", "welcome", "snapshot", "event", "cmd", "result", "error",
	"get", "digest", "presence", "follow", "drill", "archive",
	"batch", "beat"
};

const char *const proto_err_names[PROTO_E_COUNT] = {
	"bad_message", "unsupported_version", "unauthorized", "forbidden",
	"unknown_command", "bad_args", "not_found", "bad_state",
	"stale_version", "unit_unavailable", "conflict", "too_large",
	"rate_limited", "not_ready", "internal", "too_many_sessions"
};

static const char *const proto_event_kinds[] = {
	"alert", "unit", "hospital", "school", "feedback"
};

static int __attribute__((format(printf, 2, 3)))
proto_fail(char **cause, const char *fmt, ...)
{
	va_list	ap;

	if (cause != NULL) {
		va_start(ap, fmt);
		if (vasprintf(cause, fmt, ap) < 0)
			*cause = NULL;
		va_end(ap);
		if (*cause == NULL)
			*cause = xstrdup("out of memory");
	}
	return (-1);
}

/* ==== Member readers ==== */

/*
 * The readers take the member's value v (NULL: absent) and its name, for
 * what they say; proto_get_*() look the member up first. A decoder of a
 * hot message (a reading, an event's envelope) finds all its members in
 * one pass with proto_members() instead.
 */

/*
 * The members of object o named in names[0..n-1] into v[] (NULL when
 * absent), in one pass over o: for the small objects of an event,
 * cheaper than a hash lookup per name. The search for each key starts
 * after the name matched last: the backend writes members in the order
 * of the names.
 */
static void
proto_members(json_t *o, const char *const *names, size_t n, json_t **v)
{
	void		*it;
	const char	*key;
	size_t		 i, j, at = 0;

	for (i = 0; i < n; i++)
		v[i] = NULL;
	for (it = json_object_iter(o); it != NULL;
	    it = json_object_iter_next(o, it)) {
		key = json_object_iter_key(it);
		for (j = 0; j < n; j++) {
			i = at + j < n ? at + j : at + j - n;
			if (key[0] == names[i][0] &&
			    strcmp(key, names[i]) == 0) {
				v[i] = json_object_iter_value(it);
				at = i + 1 < n ? i + 1 : 0;
				break;
			}
		}
	}
}

static int
proto_int(json_t *v, const char *key, int required, json_int_t min,
    json_int_t max, json_int_t *out, char **cause)
{
	if (v == NULL || json_is_null(v)) {
		if (required)
			return (proto_fail(cause, "member \"%s\" is missing",
			    key));
		*out = 0;
		return (0);
	}
	if (!json_is_integer(v))
		return (proto_fail(cause, "member \"%s\" must be an integer",
		    key));
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return (proto_fail(cause, "member \"%s\" is out of range (%"
		    JSON_INTEGER_FORMAT ")", key, *out));
	return (0);
}

static int
proto_get_int(json_t *o, const char *key, int required, json_int_t min,
    json_int_t max, json_int_t *out, char **cause)
{
	return (proto_int(json_object_get(o, key), key, required, min, max,
	    out, cause));
}

static int
proto_bool(json_t *v, const char *key, int *out, char **cause)
{
	if (v == NULL) {
		*out = 0;
		return (0);
	}
	if (!json_is_boolean(v))
		return (proto_fail(cause, "member \"%s\" must be a boolean",
		    key));
	*out = json_is_true(v);
	return (0);
}

static int
proto_get_bool(json_t *o, const char *key, int *out, char **cause)
{
	return (proto_bool(json_object_get(o, key), key, out, cause));
}

/*
 * Read a text member into a new string (NULL when absent or null and not
 * required). Text is bounded and, with sanitize, made safe for a terminal.
 */
static int
proto_text(json_t *v, const char *key, int required, int sanitize,
    int flags, char **out, char **cause)
{
	size_t	 len;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return (proto_fail(cause, "member \"%s\" is missing",
			    key));
		return (0);
	}
	if (!json_is_string(v))
		return (proto_fail(cause, "member \"%s\" must be a string",
		    key));
	len = json_string_length(v);
	if (len > PROTO_MAX_TEXT)
		return (proto_fail(cause, "member \"%s\" is too long (%zu "
		    "bytes, limit %d)", key, len, PROTO_MAX_TEXT));
	if (sanitize)
		*out = sanitize_text(json_string_value(v), len, flags);
	else if (memchr(json_string_value(v), '\0', len) != NULL)
		return (proto_fail(cause, "member \"%s\" contains NUL", key));
	else
		*out = xstrndup(json_string_value(v), len);
	return (0);
}

static int
proto_get_text(json_t *o, const char *key, int required, int sanitize,
    int flags, char **out, char **cause)
{
	return (proto_text(json_object_get(o, key), key, required, sanitize,
	    flags, out, cause));
}

/* An id or code into buf; empty allowed only when allow_empty. */
static int
proto_id(json_t *v, const char *key, int allow_empty, char *buf, size_t sz,
    char **cause)
{
	const char	*s;

	if (v == NULL || (allow_empty && json_is_null(v))) {
		if (!allow_empty)
			return (proto_fail(cause, "member \"%s\" is missing",
			    key));
		buf[0] = '\0';
		return (0);
	}
	if (!json_is_string(v))
		return (proto_fail(cause, "member \"%s\" must be a string",
		    key));
	s = json_string_value(v);
	if (allow_empty && *s == '\0') {
		buf[0] = '\0';
		return (0);
	}
	if (!model_id_valid(s, sz) || json_string_length(v) != strlen(s))
		return (proto_fail(cause, "member \"%s\" is not a valid id",
		    key));
	memcpy(buf, s, strlen(s) + 1);
	return (0);
}

static int
proto_get_id(json_t *o, const char *key, int allow_empty, char *buf,
    size_t sz, char **cause)
{
	return (proto_id(json_object_get(o, key), key, allow_empty, buf, sz,
	    cause));
}

static int
proto_enum(json_t *v, const char *key, const char *const *names, int n,
    int *out, char **cause)
{
	int	 i;

	if (v == NULL)
		return (proto_fail(cause, "member \"%s\" is missing", key));
	if (!json_is_string(v))
		return (proto_fail(cause, "member \"%s\" must be a string",
		    key));
	if ((i = model_enum_parse(names, n, json_string_value(v))) == -1)
		return (proto_fail(cause, "member \"%s\": unknown value",
		    key));
	*out = i;
	return (0);
}

#define GET_ENUM(o, key, table, out, cause) \
	proto_enum(json_object_get((o), (key)), (key), (table), \
	    (int)(sizeof (table) / sizeof (table)[0]), (out), (cause))
#define ENUM_OF(v, key, table, out, cause) \
	proto_enum((v), (key), (table), \
	    (int)(sizeof (table) / sizeof (table)[0]), (out), (cause))

#define INT_MAX_COUNT	100000000

static int
proto_count(json_t *v, const char *key, int *out, char **cause)
{
	json_int_t	n;

	if (proto_int(v, key, 1, 0, INT_MAX_COUNT, &n, cause) != 0)
		return (-1);
	*out = (int)n;
	return (0);
}

static int
proto_version(json_t *v, uint32_t *out, char **cause)
{
	json_int_t	n;

	if (proto_int(v, "version", 1, 0, UINT32_MAX, &n, cause) != 0)
		return (-1);
	*out = (uint32_t)n;
	return (0);
}

static int
proto_get_version(json_t *o, uint32_t *out, char **cause)
{
	return (proto_version(json_object_get(o, "version"), out, cause));
}

static int
proto_get_time(json_t *o, const char *key, int64_t *out, char **cause)
{
	json_int_t	v = 0;

	if (proto_get_int(o, key, 1, 0, INT64_MAX, &v, cause) != 0)
		return (-1);
	*out = v;
	return (0);
}

static int
proto_check_object(json_t *o, const char *what, char **cause)
{
	if (!json_is_object(o))
		return (proto_fail(cause, "%s must be an object", what));
	return (0);
}

/* ==== Histories ==== */

/* An item's history as an array, oldest first (new reference). */
static json_t *
proto_history_encode(const struct history *h)
{
	struct history_entry	 buf;
	const struct history_entry *e;
	json_t			*arr = json_array(), *o;
	size_t			 i;

	for (i = 0; i < h->n; i++) {
		e = history_at(h, i, &buf);
		o = json_pack("{s:I s:s s:s s:s}", "ts", (json_int_t)e->ts,
		    "by", e->by != NULL ? e->by : "", "what", e->what,
		    "text", e->text != NULL ? e->text : "");
		if (o == NULL)
			fatalx("%s: cannot encode", __func__);
		if (strcmp(e->what, "trimmed") == 0)
			json_object_set_new(o, "count",
			    json_integer(e->count));
		json_array_append_new(arr, o);
	}
	return (arr);
}

/*
 * Decode the optional "history" member into h (empty when absent or null):
 * at most HISTORY_MAX entries of {ts, by?, what, text?, count?}. Returns 0,
 * or -1 with *cause set and h empty.
 */
static int
proto_get_history(json_t *o, struct history *h, int sanitize, char **cause)
{
	struct history_entry	*v = NULL, *e;
	json_t			*arr = json_object_get(o, "history"), *m;
	json_int_t		 n;
	size_t			 i, nv = 0;
	char			 what[64], *by, *text;
	int			 rc = -1;

	memset(h, 0, sizeof *h);
	if (arr == NULL || json_is_null(arr))
		return (0);
	if (!json_is_array(arr))
		return (proto_fail(cause, "member \"history\" must be an "
		    "array"));
	if (json_array_size(arr) > HISTORY_MAX)
		return (proto_fail(cause, "member \"history\" has more than "
		    "%d entries", HISTORY_MAX));
	if (json_array_size(arr) == 0)
		return (0);
	/*
	 * The entries are read into a loose array (whats in one buffer, the
	 * texts as decoded), then packed into the history's block at once.
	 */
	v = xcalloc(json_array_size(arr), sizeof *v + HISTORY_WHAT_MAX);
	json_array_foreach(arr, i, m) {
		e = &v[i];
		by = text = NULL;
		if (!json_is_object(m)) {
			proto_fail(cause, "history[%zu] must be an object", i);
			goto out;
		}
		if (proto_get_time(m, "ts", &e->ts, cause) != 0 ||
		    proto_get_id(m, "what", 0, what, sizeof what, cause) != 0)
			goto fail_entry;
		if (strlen(what) >= HISTORY_WHAT_MAX) {
			proto_fail(cause, "history[%zu]: member \"what\" is "
			    "too long", i);
			goto out;
		}
		e->what = memcpy((char *)(v + json_array_size(arr)) +
		    i * HISTORY_WHAT_MAX, what, strlen(what) + 1);
		e->by = e->text = "";
		nv++;
		if (proto_get_text(m, "by", 0, sanitize, 0, &by, cause) != 0)
			goto fail_entry;
		if (by != NULL && by[0] != '\0')
			e->by = by;
		else
			free(by);
		if (proto_get_text(m, "text", 0, sanitize, SANITIZE_KEEP_NL,
		    &text, cause) != 0)
			goto fail_entry;
		if (text != NULL && text[0] != '\0')
			e->text = text;
		else
			free(text);
		if (proto_get_int(m, "count", 0, 0, UINT32_MAX, &n,
		    cause) != 0)
			goto fail_entry;
		e->count = (uint32_t)n;
	}
	history_set(h, v, nv);
	rc = 0;
	goto out;

fail_entry:
	/* Say which entry. */
	if (cause != NULL && *cause != NULL) {
		char	*c = *cause;

		xasprintf(cause, "history[%zu]: %s", i, c);
		free(c);
	}
out:
	for (i = 0; i < nv; i++) {
		if (v[i].by[0] != '\0')
			free((char *)v[i].by);
		if (v[i].text[0] != '\0')
			free((char *)v[i].text);
	}
	free(v);
	return (rc);
}

/* ==== Alerts ==== */

/*
 * Encode an alert. Returns a new reference.
 */
json_t *
proto_alert_encode(const struct alert *a)
{
	json_t	*units = json_array();
	int	 i;

	for (i = 0; i < a->nunits; i++)
		json_array_append_new(units, json_string(a->units[i]));
	return (json_pack("{s:s s:s s:i s:s s:s s:s s:s s:s s:s s:o s:o "
	    "s:i s:I s:I s:I s:b s:I s:I s:o s:I s:I s:I s:I s:I s:I s:s}",
	    "id", a->id,
	    "kind", alert_kind_names[a->kind],
	    "severity", a->severity,
	    "area", a->area,
	    "place", a->place != NULL ? a->place : "",
	    "source", alert_source_names[a->source],
	    "title", a->title != NULL ? a->title : "",
	    "state", alert_state_names[a->state],
	    "disposition", disposition_names[a->disposition],
	    "acked_by", a->acked_by != NULL ? json_string(a->acked_by) :
	    json_null(),
	    "units", units,
	    "escalation", a->escalation,
	    "created", (json_int_t)a->created,
	    "updated", (json_int_t)a->updated,
	    "deadline", (json_int_t)a->deadline,
	    "exercise", a->exercise,
	    "version", (json_int_t)a->version,
	    "muted_until", (json_int_t)a->muted_until,
	    "history", proto_history_encode(&a->hist),
	    "acked_at", (json_int_t)a->acked_at,
	    "dispatched_at", (json_int_t)a->dispatched_at,
	    "on_scene_at", (json_int_t)a->on_scene_at,
	    "due_ack", (json_int_t)a->due_ack,
	    "due_dispatch", (json_int_t)a->due_dispatch,
	    "due_on_scene", (json_int_t)a->due_on_scene,
	    "handler", a->handler != NULL ? a->handler : ""));
}

/* An alert's stage clocks, all optional. */
static const char *const proto_alert_clocks[] = {
	"acked_at", "dispatched_at", "on_scene_at", "due_ack", "due_dispatch",
	"due_on_scene", NULL
};

/* A case's optional times. */
static const char *const proto_feedback_clocks[] = {
	"due_assign", "held_since", NULL
};

/*
 * The optional times of an item (absent or null: 0) into ms[], by the
 * names in keys[] (NULL-terminated). Returns 0, or -1 with *cause set.
 */
static int
proto_get_times(json_t *o, const char *const *keys, int64_t *const *ms,
    char **cause)
{
	json_int_t	v = 0;
	size_t		i;

	for (i = 0; keys[i] != NULL; i++) {
		if (proto_get_int(o, keys[i], 0, 0, INT64_MAX, &v, cause) != 0)
			return (-1);
		*ms[i] = v;
	}
	return (0);
}

/*
 * The optional "handler": an operator's name, "" (or absent, or null)
 * when nobody; into *out, NULL for nobody. Returns 0 or -1.
 */
static int
proto_get_handler(json_t *o, int sanitize, char **out, char **cause)
{
	if (proto_get_text(o, "handler", 0, sanitize, 0, out, cause) != 0)
		return (-1);
	if (*out != NULL && **out == '\0') {
		free(*out);
		*out = NULL;
	}
	return (0);
}

/*
 * Decode and validate an alert into a (cleared first). Returns 0, or -1
 * with *cause set (caller frees) and a cleared.
 */
int
proto_alert_decode(json_t *o, struct alert *a, int sanitize, char **cause)
{
	json_t		*units, *u;
	json_int_t	 v;
	int64_t		*ms[6];
	size_t		 i;
	int		 e;

	memset(a, 0, sizeof *a);
	if (proto_check_object(o, "alert", cause) != 0)
		return (-1);
	if (proto_get_id(o, "id", 0, a->id, sizeof a->id, cause) != 0)
		goto fail;
	if (GET_ENUM(o, "kind", alert_kind_names, &e, cause) != 0)
		goto fail;
	a->kind = e;
	if (proto_get_int(o, "severity", 1, 1, 4, &v, cause) != 0)
		goto fail;
	a->severity = (int)v;
	if (proto_get_id(o, "area", 0, a->area, sizeof a->area, cause) != 0)
		goto fail;
	if (proto_get_text(o, "place", 1, sanitize, 0, &a->place, cause) != 0)
		goto fail;
	if (GET_ENUM(o, "source", alert_source_names, &e, cause) != 0)
		goto fail;
	a->source = e;
	if (proto_get_text(o, "title", 1, sanitize, 0, &a->title, cause) != 0)
		goto fail;
	if (GET_ENUM(o, "state", alert_state_names, &e, cause) != 0)
		goto fail;
	a->state = e;
	if (GET_ENUM(o, "disposition", disposition_names, &e, cause) != 0)
		goto fail;
	a->disposition = e;
	if (proto_get_text(o, "acked_by", 0, sanitize, 0, &a->acked_by,
	    cause) != 0)
		goto fail;
	units = json_object_get(o, "units");
	if (!json_is_array(units)) {
		proto_fail(cause, "member \"units\" must be an array");
		goto fail;
	}
	if (json_array_size(units) > ALERT_MAX_UNITS) {
		proto_fail(cause, "member \"units\" has more than %d ids",
		    ALERT_MAX_UNITS);
		goto fail;
	}
	json_array_foreach(units, i, u) {
		if (!json_is_string(u) || !model_id_valid(json_string_value(u),
		    MODEL_ID_MAX)) {
			proto_fail(cause, "member \"units\" holds a bad id");
			goto fail;
		}
		alert_add_unit(a, json_string_value(u));
	}
	if (proto_get_int(o, "escalation", 1, 0, 100, &v, cause) != 0)
		goto fail;
	a->escalation = (int)v;
	if (proto_get_time(o, "created", &a->created, cause) != 0 ||
	    proto_get_time(o, "updated", &a->updated, cause) != 0 ||
	    proto_get_time(o, "deadline", &a->deadline, cause) != 0 ||
	    proto_get_bool(o, "exercise", &a->exercise, cause) != 0 ||
	    proto_get_version(o, &a->version, cause) != 0)
		goto fail;
	/* Optional since issue 3. */
	if (proto_get_int(o, "muted_until", 0, 0, INT64_MAX, &v, cause) != 0)
		goto fail;
	a->muted_until = v;
	if (proto_get_history(o, &a->hist, sanitize, cause) != 0)
		goto fail;
	/* Optional since issue 13: the stage clocks and the handler. */
	ms[0] = &a->acked_at;
	ms[1] = &a->dispatched_at;
	ms[2] = &a->on_scene_at;
	ms[3] = &a->due_ack;
	ms[4] = &a->due_dispatch;
	ms[5] = &a->due_on_scene;
	if (proto_get_times(o, proto_alert_clocks, ms, cause) != 0 ||
	    proto_get_handler(o, sanitize, &a->handler, cause) != 0)
		goto fail;
	return (0);

fail:
	alert_clear(a);
	return (-1);
}

/* ==== Units ==== */

json_t *
proto_unit_encode(const struct unit *u)
{
	return (json_pack("{s:s s:s s:s s:s s:s s:s s:I}",
	    "id", u->id,
	    "type", unit_type_names[u->type],
	    "area", u->area,
	    "name", u->name != NULL ? u->name : "",
	    "status", unit_status_names[u->status],
	    "alert", u->alert,
	    "version", (json_int_t)u->version));
}

int
proto_unit_decode(json_t *o, struct unit *u, int sanitize, char **cause)
{
	int	e;

	memset(u, 0, sizeof *u);
	if (proto_check_object(o, "unit", cause) != 0)
		return (-1);
	if (proto_get_id(o, "id", 0, u->id, sizeof u->id, cause) != 0 ||
	    GET_ENUM(o, "type", unit_type_names, &e, cause) != 0)
		goto fail;
	u->type = e;
	if (proto_get_id(o, "area", 0, u->area, sizeof u->area, cause) != 0 ||
	    proto_get_text(o, "name", 1, sanitize, 0, &u->name, cause) != 0 ||
	    GET_ENUM(o, "status", unit_status_names, &e, cause) != 0)
		goto fail;
	u->status = e;
	if (proto_get_id(o, "alert", 1, u->alert, sizeof u->alert,
	    cause) != 0 || proto_get_version(o, &u->version, cause) != 0)
		goto fail;
	return (0);

fail:
	unit_clear(u);
	return (-1);
}

/* ==== Hospitals ==== */

json_t *
proto_hospital_encode(const struct hospital *h)
{
	return (json_pack("{s:s s:s s:s s:b s:i s:i s:i s:i s:i s:i s:b s:I}",
	    "id", h->id,
	    "name", h->name != NULL ? h->name : "",
	    "area", h->area,
	    "smart", h->smart,
	    "beds", h->beds,
	    "beds_used", h->beds_used,
	    "icu", h->icu,
	    "icu_used", h->icu_used,
	    "er_waiting", h->er_waiting,
	    "ambulances", h->ambulances,
	    "diversion", h->diversion,
	    "version", (json_int_t)h->version));
}

/* A hospital's members, in the order proto_hospital_encode() writes. */
enum {
	PH_ID, PH_NAME, PH_AREA, PH_SMART, PH_BEDS, PH_BEDS_USED, PH_ICU,
	PH_ICU_USED, PH_ER_WAITING, PH_AMBULANCES, PH_DIVERSION, PH_VERSION,
	PH_COUNT
};
static const char *const proto_hospital_members[PH_COUNT] = {
	[PH_ID] = "id", [PH_NAME] = "name", [PH_AREA] = "area",
	[PH_SMART] = "smart", [PH_BEDS] = "beds", [PH_BEDS_USED] = "beds_used",
	[PH_ICU] = "icu", [PH_ICU_USED] = "icu_used",
	[PH_ER_WAITING] = "er_waiting", [PH_AMBULANCES] = "ambulances",
	[PH_DIVERSION] = "diversion", [PH_VERSION] = "version"
};

int
proto_hospital_decode(json_t *o, struct hospital *h, int sanitize,
    char **cause)
{
	const char *const	*n = proto_hospital_members;
	json_t			*m[PH_COUNT];

	memset(h, 0, sizeof *h);
	if (proto_check_object(o, "hospital", cause) != 0)
		return (-1);
	proto_members(o, n, PH_COUNT, m);
	if (proto_id(m[PH_ID], n[PH_ID], 0, h->id, sizeof h->id, cause) != 0 ||
	    proto_text(m[PH_NAME], n[PH_NAME], 1, sanitize, 0, &h->name,
	    cause) != 0 ||
	    proto_id(m[PH_AREA], n[PH_AREA], 0, h->area, sizeof h->area,
	    cause) != 0 ||
	    proto_bool(m[PH_SMART], n[PH_SMART], &h->smart, cause) != 0 ||
	    proto_count(m[PH_BEDS], n[PH_BEDS], &h->beds, cause) != 0 ||
	    proto_count(m[PH_BEDS_USED], n[PH_BEDS_USED], &h->beds_used,
	    cause) != 0 ||
	    proto_count(m[PH_ICU], n[PH_ICU], &h->icu, cause) != 0 ||
	    proto_count(m[PH_ICU_USED], n[PH_ICU_USED], &h->icu_used,
	    cause) != 0 ||
	    proto_count(m[PH_ER_WAITING], n[PH_ER_WAITING], &h->er_waiting,
	    cause) != 0 ||
	    proto_count(m[PH_AMBULANCES], n[PH_AMBULANCES], &h->ambulances,
	    cause) != 0 ||
	    proto_bool(m[PH_DIVERSION], n[PH_DIVERSION], &h->diversion,
	    cause) != 0 ||
	    proto_version(m[PH_VERSION], &h->version, cause) != 0)
		goto fail;
	return (0);

fail:
	hospital_clear(h);
	return (-1);
}

/* ==== Schools ==== */

json_t *
proto_school_encode(const struct school *s)
{
	return (json_pack("{s:s s:s s:s s:s s:i s:i s:i s:I}",
	    "id", s->id,
	    "name", s->name != NULL ? s->name : "",
	    "area", s->area,
	    "level", school_level_names[s->level],
	    "enrolled", s->enrolled,
	    "present", s->present,
	    "smart_classrooms", s->smart_classrooms,
	    "version", (json_int_t)s->version));
}

/* A school's members, in the order proto_school_encode() writes. */
enum {
	PS_ID, PS_NAME, PS_AREA, PS_LEVEL, PS_ENROLLED, PS_PRESENT,
	PS_SMART_CLASSROOMS, PS_VERSION, PS_COUNT
};
static const char *const proto_school_members[PS_COUNT] = {
	[PS_ID] = "id", [PS_NAME] = "name", [PS_AREA] = "area",
	[PS_LEVEL] = "level", [PS_ENROLLED] = "enrolled",
	[PS_PRESENT] = "present", [PS_SMART_CLASSROOMS] = "smart_classrooms",
	[PS_VERSION] = "version"
};

int
proto_school_decode(json_t *o, struct school *s, int sanitize, char **cause)
{
	const char *const	*n = proto_school_members;
	json_t			*m[PS_COUNT];
	int			 e;

	memset(s, 0, sizeof *s);
	if (proto_check_object(o, "school", cause) != 0)
		return (-1);
	proto_members(o, n, PS_COUNT, m);
	if (proto_id(m[PS_ID], n[PS_ID], 0, s->id, sizeof s->id, cause) != 0 ||
	    proto_text(m[PS_NAME], n[PS_NAME], 1, sanitize, 0, &s->name,
	    cause) != 0 ||
	    proto_id(m[PS_AREA], n[PS_AREA], 0, s->area, sizeof s->area,
	    cause) != 0 ||
	    ENUM_OF(m[PS_LEVEL], n[PS_LEVEL], school_level_names, &e,
	    cause) != 0)
		goto fail;
	s->level = e;
	if (proto_count(m[PS_ENROLLED], n[PS_ENROLLED], &s->enrolled,
	    cause) != 0 ||
	    proto_count(m[PS_PRESENT], n[PS_PRESENT], &s->present,
	    cause) != 0 ||
	    proto_count(m[PS_SMART_CLASSROOMS], n[PS_SMART_CLASSROOMS],
	    &s->smart_classrooms, cause) != 0 ||
	    proto_version(m[PS_VERSION], &s->version, cause) != 0)
		goto fail;
	return (0);

fail:
	school_clear(s);
	return (-1);
}

/* ==== Feedback ==== */

json_t *
proto_feedback_encode(const struct feedback *f)
{
	json_t	*o, *via;
	int	 i;

	o = json_pack("{s:s s:s s:s s:s s:s s:s s:s s:o s:I s:I s:I s:o s:b "
	    "s:I s:s s:I s:s}",
	    "id", f->id,
	    "channel", fb_channel_names[f->channel],
	    "area", f->area,
	    "category", f->category,
	    "text", f->text != NULL ? f->text : "",
	    "state", fb_state_names[f->state],
	    "dept", f->dept,
	    "reply", f->reply != NULL ? json_string(f->reply) : json_null(),
	    "received", (json_int_t)f->received,
	    "deadline", (json_int_t)f->deadline,
	    "version", (json_int_t)f->version,
	    "history", proto_history_encode(&f->hist),
	    "urgent", f->urgent,
	    "due_assign", (json_int_t)f->due_assign,
	    "holder", f->holder,
	    "held_since", (json_int_t)f->held_since,
	    "handler", f->handler != NULL ? f->handler : "");
	if (o == NULL)
		fatalx("%s: cannot encode", __func__);
	/* Only an exercise says so: live cases look as they always did. */
	if (f->exercise)
		json_object_set_new(o, "exercise", json_true());
	if (f->nvia == 0)
		return (o);
	via = json_array();
	for (i = 0; i < f->nvia; i++) {
		json_array_append_new(via, json_pack("{s:s s:I s:I}", "body",
		    f->via[i].body, "since", (json_int_t)f->via[i].since,
		    "deadline", (json_int_t)f->via[i].deadline));
	}
	json_object_set_new(o, "via", via);
	return (o);
}

/*
 * The optional "via": the bodies a case came through, oldest first, at
 * most FB_VIA_MAX of {body, since, deadline}. Returns 0, or -1 with
 * *cause set.
 */
static int
proto_get_via(json_t *o, struct feedback *f, char **cause)
{
	json_t		*arr = json_object_get(o, "via"), *v;
	struct fb_hop	 hop;
	size_t		 i;
	char		*c;

	feedback_clear_via(f);
	if (arr == NULL || json_is_null(arr))
		return (0);
	if (!json_is_array(arr))
		return (proto_fail(cause, "member \"via\" must be an array"));
	if (json_array_size(arr) > FB_VIA_MAX)
		return (proto_fail(cause, "member \"via\" has more than %d "
		    "bodies", FB_VIA_MAX));
	json_array_foreach(arr, i, v) {
		if (!json_is_object(v))
			return (proto_fail(cause, "via[%zu] must be an object",
			    i));
		memset(&hop, 0, sizeof hop);
		if (proto_get_id(v, "body", 0, hop.body, sizeof hop.body,
		    cause) != 0 ||
		    proto_get_time(v, "since", &hop.since, cause) != 0 ||
		    proto_get_time(v, "deadline", &hop.deadline,
		    cause) != 0) {
			if (cause != NULL && *cause != NULL) {
				c = *cause;
				xasprintf(cause, "via[%zu]: %s", i, c);
				free(c);
			}
			return (-1);
		}
		feedback_push_via(f, hop.body, hop.since, hop.deadline);
	}
	return (0);
}

int
proto_feedback_decode(json_t *o, struct feedback *f, int sanitize,
    char **cause)
{
	int64_t	*ms[2];
	int	 e;

	memset(f, 0, sizeof *f);
	if (proto_check_object(o, "feedback", cause) != 0)
		return (-1);
	if (proto_get_id(o, "id", 0, f->id, sizeof f->id, cause) != 0 ||
	    GET_ENUM(o, "channel", fb_channel_names, &e, cause) != 0)
		goto fail;
	f->channel = e;
	if (proto_get_id(o, "area", 0, f->area, sizeof f->area, cause) != 0 ||
	    proto_get_id(o, "category", 0, f->category, sizeof f->category,
	    cause) != 0 ||
	    proto_get_text(o, "text", 1, sanitize, SANITIZE_KEEP_NL, &f->text,
	    cause) != 0 ||
	    GET_ENUM(o, "state", fb_state_names, &e, cause) != 0)
		goto fail;
	f->state = e;
	if (proto_get_id(o, "dept", 1, f->dept, sizeof f->dept, cause) != 0 ||
	    proto_get_text(o, "reply", 0, sanitize, SANITIZE_KEEP_NL,
	    &f->reply, cause) != 0 ||
	    proto_get_time(o, "received", &f->received, cause) != 0 ||
	    proto_get_time(o, "deadline", &f->deadline, cause) != 0 ||
	    proto_get_version(o, &f->version, cause) != 0 ||
	    proto_get_history(o, &f->hist, sanitize, cause) != 0)
		goto fail;
	/* Optional since issue 13: clocks, the holder, the hand-offs. */
	ms[0] = &f->due_assign;
	ms[1] = &f->held_since;
	if (proto_get_bool(o, "urgent", &f->urgent, cause) != 0 ||
	    proto_get_bool(o, "exercise", &f->exercise, cause) != 0 ||
	    proto_get_times(o, proto_feedback_clocks, ms, cause) != 0 ||
	    proto_get_id(o, "holder", 1, f->holder, sizeof f->holder,
	    cause) != 0 ||
	    proto_get_handler(o, sanitize, &f->handler, cause) != 0 ||
	    proto_get_via(o, f, cause) != 0)
		goto fail;
	return (0);

fail:
	feedback_clear(f);
	return (-1);
}

/* ==== Envelopes ==== */

static int
proto_check_cmd_id(json_t *o, char **cause)
{
	json_t		*v = json_object_get(o, "id");
	const char	*s;

	if (!json_is_string(v))
		return (proto_fail(cause, "member \"id\" must be a string"));
	s = json_string_value(v);
	if (!model_id_valid(s, PROTO_CMD_ID_MAX) ||
	    json_string_length(v) != strlen(s))
		return (proto_fail(cause, "member \"id\" is not a valid id "
		    "([A-Za-z0-9_.-], at most %d)", PROTO_CMD_ID_MAX - 1));
	return (0);
}

static int
proto_check_string(json_t *o, const char *key, int required, char **cause)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL && !required)
		return (0);
	if (!json_is_string(v))
		return (proto_fail(cause, "member \"%s\" must be a string",
		    key));
	return (0);
}

/* An event's members, in the order the backend writes them. */
enum {
	PE_SEQ, PE_TS, PE_KIND, PE_ITEM, PE_PREV, PE_HISTORY_FROM,
	PE_CONFLATED, PE_REMOVE, PE_COUNT
};
static const char *const proto_event_members[PE_COUNT] = {
	[PE_SEQ] = "seq", [PE_TS] = "ts", [PE_KIND] = "kind",
	[PE_ITEM] = "item", [PE_PREV] = "prev",
	[PE_HISTORY_FROM] = "history_from", [PE_CONFLATED] = "conflated",
	[PE_REMOVE] = "remove"
};

/* The envelope of an event (the item is the store's to decode). */
static int
proto_check_event_members(json_t *o, char **cause)
{
	const char *const	*n = proto_event_members;
	json_t			*m[PE_COUNT];
	json_int_t		 v;
	int			 b;

	proto_members(o, n, PE_COUNT, m);
	if (proto_int(m[PE_SEQ], n[PE_SEQ], 1, 1, INT64_MAX, &v, cause) ||
	    proto_int(m[PE_TS], n[PE_TS], 1, 0, INT64_MAX, &v, cause) ||
	    proto_int(m[PE_PREV], n[PE_PREV], 0, 0, INT64_MAX, &v, cause) ||
	    proto_int(m[PE_HISTORY_FROM], n[PE_HISTORY_FROM], 0, 0, INT64_MAX,
	    &v, cause) ||
	    proto_bool(m[PE_CONFLATED], n[PE_CONFLATED], &b, cause) ||
	    proto_bool(m[PE_REMOVE], n[PE_REMOVE], &b, cause))
		return (-1);
	if (!json_is_string(m[PE_KIND]) || MODEL_ENUM_PARSE(proto_event_kinds,
	    json_string_value(m[PE_KIND])) == -1)
		return (proto_fail(cause, "member \"kind\" must be "
		    "alert, unit, hospital, school or feedback"));
	if (!json_is_object(m[PE_ITEM]))
		return (proto_fail(cause, "member \"item\" must be an "
		    "object"));
	return (0);
}

static int
proto_check_envelope(json_t *o, enum proto_type type, char **cause)
{
	json_int_t	 v;
	json_t		*m, *e;
	size_t		 i;
	int		 b;

	switch (type) {
	case PROTO_HELLO:
		if (proto_get_int(o, "proto", 1, 1, INT32_MAX, &v, cause) ||
		    proto_check_string(o, "client", 0, cause) ||
		    proto_get_int(o, "resume", 0, 0, INT64_MAX, &v, cause) ||
		    proto_get_int(o, "gauge_ms", 0, 0, INT32_MAX, &v, cause) ||
		    proto_check_string(o, "follow", 0, cause) ||
		    proto_get_bool(o, "batch", &b, cause) ||
		    proto_get_bool(o, "history_delta", &b, cause) ||
		    proto_get_bool(o, "beat", &b, cause))
			return (-1);
		return (0);
	case PROTO_WELCOME:
		if (proto_get_int(o, "proto", 1, 1, INT32_MAX, &v, cause) ||
		    proto_get_int(o, "seq", 1, 0, INT64_MAX, &v, cause) ||
		    proto_get_int(o, "now", 0, 0, INT64_MAX, &v, cause) ||
		    proto_check_string(o, "operator", 1, cause) ||
		    proto_check_string(o, "role", 1, cause) ||
		    proto_get_int(o, "beat_ms", 0, 1, INT32_MAX, &v, cause))
			return (-1);
		m = json_object_get(o, "areas");
		if (m != NULL && !json_is_array(m))
			return (proto_fail(cause, "member \"areas\" must be "
			    "an array"));
		return (0);
	case PROTO_SNAPSHOT:
		/* The body is validated by store_load_snapshot(). */
		return (proto_get_int(o, "seq", 1, 0, INT64_MAX, &v, cause));
	case PROTO_EVENT:
		return (proto_check_event_members(o, cause));
	case PROTO_CMD:
		if (proto_check_cmd_id(o, cause) ||
		    proto_check_string(o, "cmd", 1, cause))
			return (-1);
		if (!json_is_object(json_object_get(o, "args")))
			return (proto_fail(cause, "member \"args\" must be an "
			    "object"));
		return (0);
	case PROTO_RESULT:
		if (proto_check_cmd_id(o, cause))
			return (-1);
		if (!json_is_boolean(json_object_get(o, "ok")))
			return (proto_fail(cause, "member \"ok\" must be a "
			    "boolean"));
		if (!json_is_true(json_object_get(o, "ok")) &&
		    (proto_check_string(o, "code", 1, cause) ||
		    proto_check_string(o, "message", 1, cause) ||
		    proto_check_string(o, "reason", 0, cause)))
			return (-1);
		m = json_object_get(o, "args");
		if (m != NULL && !json_is_object(m))
			return (proto_fail(cause, "member \"args\" must be "
			    "an object"));
		return (0);
	case PROTO_ERROR:
		if (proto_check_string(o, "code", 1, cause) ||
		    proto_check_string(o, "message", 1, cause))
			return (-1);
		return (0);
	case PROTO_GET:
		if (proto_check_cmd_id(o, cause) ||
		    proto_check_string(o, "kind", 1, cause) ||
		    proto_check_string(o, "item", 1, cause))
			return (-1);
		return (0);
	case PROTO_DIGEST:
		return (proto_check_cmd_id(o, cause));
	case PROTO_ARCHIVE:
		/* The query's members are checked by the backend. */
		return (proto_check_cmd_id(o, cause));
	case PROTO_PRESENCE:
		m = json_object_get(o, "operators");
		if (!json_is_array(m))
			return (proto_fail(cause, "member \"operators\" must "
			    "be an array"));
		json_array_foreach(m, i, e) {
			if (!json_is_object(e))
				return (proto_fail(cause, "operators[%zu] must "
				    "be an object", i));
			if (proto_check_string(e, "name", 1, cause) ||
			    proto_check_string(e, "role", 1, cause) ||
			    proto_get_int(e, "since", 1, 0, INT64_MAX, &v,
			    cause) ||
			    proto_get_int(e, "sessions", 0, 0, INT32_MAX, &v,
			    cause))
				return (-1);
		}
		return (0);
	case PROTO_FOLLOW:
		if (proto_check_string(o, "operator", 1, cause) ||
		    proto_check_string(o, "cmd", 1, cause) ||
		    proto_get_int(o, "ts", 1, 0, INT64_MAX, &v, cause) ||
		    proto_check_string(o, "code", 0, cause) ||
		    proto_check_string(o, "message", 0, cause))
			return (-1);
		if (!json_is_boolean(json_object_get(o, "ok")))
			return (proto_fail(cause, "member \"ok\" must be a "
			    "boolean"));
		m = json_object_get(o, "args");
		if (m != NULL && !json_is_object(m))
			return (proto_fail(cause, "member \"args\" must be "
			    "an object"));
		return (0);
	case PROTO_DRILL:
		if (proto_check_string(o, "drill", 1, cause) ||
		    proto_check_string(o, "title", 1, cause) ||
		    proto_check_string(o, "operator", 1, cause) ||
		    proto_get_int(o, "elapsed_s", 1, INT32_MIN, INT32_MAX, &v,
		    cause) ||
		    proto_get_int(o, "duration_s", 1, 0, INT32_MAX, &v,
		    cause) ||
		    proto_get_int(o, "score", 1, 0, INT32_MAX, &v, cause) ||
		    proto_get_int(o, "max", 1, 0, INT32_MAX, &v, cause))
			return (-1);
		m = json_object_get(o, "expectations");
		if (!json_is_array(m) || json_array_size(m) > 1000)
			return (proto_fail(cause, "member \"expectations\" "
			    "must be an array"));
		json_array_foreach(m, i, e) {
			if (!json_is_object(e))
				return (proto_fail(cause, "expectations[%zu] "
				    "must be an object", i));
			if (proto_check_string(e, "id", 1, cause) ||
			    proto_check_string(e, "text", 1, cause) ||
			    proto_check_string(e, "state", 1, cause) ||
			    proto_get_int(e, "points", 1, 0, INT32_MAX, &v,
			    cause) ||
			    proto_get_int(e, "after_s", 0, 0, INT32_MAX, &v,
			    cause) ||
			    proto_get_int(e, "left_s", 0, INT32_MIN,
			    INT32_MAX, &v, cause))
				return (-1);
		}
		return (0);
	case PROTO_BEAT:
		if (proto_get_int(o, "ts", 1, 0, INT64_MAX, &v, cause) ||
		    proto_get_int(o, "seq", 1, 0, INT64_MAX, &v, cause))
			return (-1);
		return (0);
	case PROTO_BATCH:
		m = json_object_get(o, "events");
		if (!json_is_array(m))
			return (proto_fail(cause, "member \"events\" must be "
			    "an array"));
		if (json_array_size(m) > PROTO_BATCH_MAX)
			return (proto_fail(cause, "a batch of %zu events (at "
			    "most %d)", json_array_size(m), PROTO_BATCH_MAX));
		return (0);
	default:
		return (proto_fail(cause, "unknown type"));
	}
}

/*
 * One element of a batch: an object with the envelope of an event (its
 * "type", when present, must be "event").
 */
int
proto_check_event(json_t *o, char **cause)
{
	json_t	*t;

	if (!json_is_object(o))
		return (proto_fail(cause, "an event must be an object"));
	t = json_object_get(o, "type");
	if (t != NULL && (!json_is_string(t) ||
	    strcmp(json_string_value(t), "event") != 0))
		return (proto_fail(cause, "a batch holds only events"));
	return (proto_check_envelope(o, PROTO_EVENT, cause));
}

/*
 * Parse one frame of at most PROTO_MAX_DOWN_FRAME bytes (a receiver
 * enforces its own, smaller limit while it reassembles). Returns a new
 * reference to a validated message and its type, or NULL with *err and
 * *cause (allocated; caller frees) set.
 */
json_t *
proto_parse(const char *buf, size_t len, enum proto_type *type,
    enum proto_err *err, char **cause)
{
	json_error_t	 jerr;
	json_t		*o, *t;
	int		 i;

	*err = PROTO_E_BAD_MESSAGE;
	if (len > PROTO_MAX_DOWN_FRAME) {
		*err = PROTO_E_TOO_LARGE;
		proto_fail(cause, "message of %zu bytes exceeds the limit of "
		    "%d", len, PROTO_MAX_DOWN_FRAME);
		return (NULL);
	}
	/* Rejects invalid UTF-8 and NUL in strings. */
	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (o == NULL) {
		proto_fail(cause, "not JSON: %s (at byte %d)", jerr.text,
		    jerr.position);
		return (NULL);
	}
	if (!json_is_object(o)) {
		proto_fail(cause, "message must be a JSON object");
		goto fail;
	}
	t = json_object_get(o, "type");
	if (!json_is_string(t)) {
		proto_fail(cause, "member \"type\" must be a string");
		goto fail;
	}
	if ((i = MODEL_ENUM_PARSE(proto_type_names,
	    json_string_value(t))) == -1) {
		proto_fail(cause, "unknown message type \"%.32s\"",
		    json_string_value(t));
		goto fail;
	}
	if (proto_check_envelope(o, i, cause) != 0)
		goto fail;
	*type = i;
	return (o);

fail:
	json_decref(o);
	return (NULL);
}

/*
 * Serialise a message compactly. Returns a new string; caller frees.
 */
char *
proto_dump(const json_t *o)
{
	char	*s;

	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatalx("proto_dump: cannot serialise");
	return (s);
}

/* ==== Builders ==== */

json_t *
proto_hello_new(const char *client, int64_t resume_seq)
{
	json_t	*o;

	o = json_pack("{s:s s:i s:s}", "type", "hello", "proto",
	    PROTO_VERSION, "client", client);
	if (resume_seq >= 0)
		json_object_set_new(o, "resume", json_integer(resume_seq));
	return (o);
}

/*
 * An event; steals the reference to item.
 */
json_t *
proto_event_new(uint64_t seq, int64_t ts, const char *kind, json_t *item)
{
	return (json_pack("{s:s s:I s:I s:s s:o}", "type", "event",
	    "seq", (json_int_t)seq, "ts", (json_int_t)ts, "kind", kind,
	    "item", item));
}

/*
 * The event that takes an item out of the live state (docs/protocol.md
 * "event"): the item as it was last, so that a client that does not know
 * "remove" reads an upsert of what it holds, and "remove":true. Steals
 * the reference to item.
 */
json_t *
proto_remove_new(uint64_t seq, int64_t ts, const char *kind, json_t *item)
{
	json_t	*ev = proto_event_new(seq, ts, kind, item);

	if (ev != NULL)
		json_object_set_new(ev, "remove", json_true());
	return (ev);
}

/*
 * The event ev (borrowed) with only the last "add" entries of its item's
 * history, marked "history_from": from, the number of entries the
 * history had before them (history_total()). Returns a new reference;
 * ev is unchanged (members are shared, not copied).
 */
json_t *
proto_event_delta(json_t *ev, uint64_t from, size_t add)
{
	json_t	*d, *item, *h, *nh;
	size_t	 n, i;

	d = json_copy(ev);
	item = json_copy(json_object_get(ev, "item"));
	h = json_object_get(item, "history");
	n = json_array_size(h);
	nh = json_array();
	for (i = add < n ? n - add : 0; i < n; i++)
		json_array_append(nh, json_array_get(h, i));
	json_object_set_new(item, "history", nh);
	json_object_set_new(d, "item", item);
	json_object_set_new(d, "history_from", json_integer((json_int_t)from));
	return (d);
}

/*
 * A command; steals the reference to args.
 */
json_t *
proto_cmd_new(const char *id, const char *cmd, json_t *args)
{
	return (json_pack("{s:s s:s s:s s:o}", "type", "cmd", "id", id,
	    "cmd", cmd, "args", args));
}

json_t *
proto_result_ok(const char *id, uint64_t seq)
{
	return (json_pack("{s:s s:s s:b s:I}", "type", "result", "id", id,
	    "ok", 1, "seq", (json_int_t)seq));
}

json_t *
proto_result_err(const char *id, enum proto_err code, const char *msg)
{
	return (json_pack("{s:s s:s s:b s:s s:s}", "type", "result",
	    "id", id, "ok", 0, "code", proto_err_names[code],
	    "message", msg));
}

/*
 * A refusal with its reason (a name of docs/protocol.md §7) and the
 * arguments the message names (an object of strings, borrowed; NULL for
 * none), beside the code and the English message. Returns a new
 * reference.
 */
json_t *
proto_result_refused(const char *id, enum proto_err code, const char *reason,
    json_t *args, const char *msg)
{
	json_t	*o = proto_result_err(id, code, msg);

	if (reason != NULL) {
		json_object_set_new(o, "reason", json_string(reason));
		json_object_set_new(o, "args", args != NULL ?
		    json_deep_copy(args) : json_object());
	}
	return (o);
}

json_t *
proto_error_new(enum proto_err code, const char *msg)
{
	return (json_pack("{s:s s:s s:s}", "type", "error",
	    "code", proto_err_names[code], "message", msg));
}

/*
 * Write a command id "<prefix>-<n>" into buf.
 */
void
proto_cmd_id(char *buf, size_t sz, const char *prefix, uint64_t n)
{
	snprintf(buf, sz, "%s-%" PRIu64, prefix, n);
}
