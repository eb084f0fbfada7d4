/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Answers that change nothing: the welcome, snapshots, "get" and
 * "digest". An area-scoped operator's snapshot and digest are of what it
 * sees: the items of its areas, with the province, its areas and its
 * departments whole.
 */

#include "be-query.h"

#include <stdlib.h>

#include "be-archive.h"
#include "be-state.h"
#include "clock.h"
#include "engine.h"
#include "kind.h"
#include "log.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The welcome message for an operator (new reference).
 */
json_t *
be_query_welcome(const struct be_state *st, const struct operator *op)
{
	json_t	*areas;
	size_t	 i;

	areas = json_array();
	for (i = 0; i < op->nareas; i++)
		json_array_append_new(areas, json_string(op->areas[i]));
	/* "now": the province's clock (--start runs it elsewhere). */
	return (json_pack("{s:s s:i s:s s:s s:s s:o s:I s:b s:I}",
	    "type", "welcome", "proto", PROTO_VERSION,
	    "server", "trucban-backend " TRUCBAN_VERSION,
	    "operator", op->name, "role", operator_role_name(op->role),
	    "areas", areas, "seq", (json_int_t)st->store->seq,
	    "exercise", engine_exercise(st->engine),
	    "now", (json_int_t)clock_now()));
}

/* Keep only the members of array key whose "area" the operator has. */
static void
be_query_filter(json_t *o, const char *key, const struct operator *op)
{
	json_t	*arr = json_object_get(o, key), *v;
	size_t	 i;

	if (!json_is_array(arr))
		return;
	for (i = 0; i < json_array_size(arr); /* nothing */) {
		v = json_array_get(arr, i);
		if (operator_has_area(op, json_string_value(
		    json_object_get(v, "area"))))
			i++;
		else
			json_array_remove(arr, i);
	}
}

/*
 * The state as a snapshot message at the current seq, with the gap
 * marker: the whole of it (op NULL or without areas), or what an
 * area-scoped operator sees, only the alerts, units, hospitals, schools
 * and feedback of its areas. Returns a new reference.
 */
json_t *
be_query_snapshot(const struct be_state *st, int gap,
    const struct operator *op)
{
	json_t	*o;
	int	 i;

	o = store_snapshot(st->store);
	json_object_set_new(o, "type", json_string("snapshot"));
	json_object_set_new(o, "seq", json_integer((json_int_t)st->store->seq));
	json_object_set_new(o, "gap", json_boolean(gap));
	if (op == NULL || op->nareas == 0)
		return (o);
	for (i = 0; i < KIND_COUNT; i++)
		be_query_filter(o, kind_get(i)->plural, op);
	return (o);
}

/*
 * The digest of what an area-scoped operator sees (op NULL: of the whole
 * state), computed exactly as a console does: the scoped snapshot loaded
 * into a store, then store_digest(). Writes 16 hex digits and a NUL.
 */
void
be_query_digest_for(const struct be_state *st, const struct operator *op,
    char out[17])
{
	struct store	*s;
	json_t		*o;
	char		*cause = NULL;

	if (op == NULL || op->nareas == 0) {
		store_digest(st->store, out);
		return;
	}
	o = be_query_snapshot(st, 0, op);
	s = store_new();
	if (store_load_snapshot(s, o, 0, &cause) != 0) {
		log_error("%s: %s", __func__, cause);
		free(cause);
	}
	store_digest(s, out);
	store_free(s);
	json_decref(o);
}

/*
 * Answer {"type":"get","id","kind","item"} with the item (new reference):
 * {"type":"result","id","ok":true,"item":{...}} or a not_found refusal.
 */
json_t *
be_query_get(struct be_state *st, json_t *msg)
{
	const struct kind	*k;
	const char		*id, *kind, *item;
	json_t			*res;
	void			*p;
	char			*m;

	id = json_string_value(json_object_get(msg, "id"));
	kind = json_string_value(json_object_get(msg, "kind"));
	item = json_string_value(json_object_get(msg, "item"));
	if (id == NULL || kind == NULL || item == NULL)
		return (proto_result_err(id != NULL ? id : "",
		    PROTO_E_BAD_ARGS, "get needs \"id\", \"kind\" and "
		    "\"item\""));
	if ((k = kind_find(kind)) == NULL)
		return (proto_result_err(id, PROTO_E_BAD_ARGS, "\"kind\" must "
		    "be alert, unit, hospital, school or feedback"));
	if ((p = store_find(st->store, k, item)) == NULL) {
		xasprintf(&m, "no %s %.32s", kind, item);
		res = proto_result_err(id, PROTO_E_NOT_FOUND, m);
		free(m);
		return (res);
	}
	return (json_pack("{s:s s:s s:b s:o}", "type", "result", "id", id,
	    "ok", 1, "item", k->encode(p)));
}

/*
 * Answer {"type":"digest","id"} with the seq and the digest of the whole
 * state (new reference).
 */
json_t *
be_query_digest(struct be_state *st, json_t *msg)
{
	const char	*id;
	char		 digest[17];

	id = json_string_value(json_object_get(msg, "id"));
	store_digest(st->store, digest);
	return (json_pack("{s:s s:s s:b s:I s:s}", "type", "result",
	    "id", id != NULL ? id : "", "ok", 1,
	    "seq", (json_int_t)st->store->seq, "digest", digest));
}

/*
 * Answer {"type":"archive","id",...} with a page of the archive (docs/
 * protocol.md "archive"; new reference): for a scoped operator (scope not
 * NULL) only the items of its areas.
 */
json_t *
be_query_archive(struct be_state *st, const struct operator *scope,
    json_t *msg)
{
	const char	*id = json_string_value(json_object_get(msg, "id"));

	if (st->archive == NULL)
		return (json_pack("{s:s s:s s:b s:[]}", "type", "result",
		    "id", id != NULL ? id : "", "ok", 1, "items"));
	return (be_archive_query(st->archive, scope, msg));
}
