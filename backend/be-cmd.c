/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Commands. be_cmd_exec() checks the envelope, answers a repeated command
 * id from memory (same payload: the first result; other payload:
 * conflict), finds the command in be_cmd_table and runs it. A handler
 * validates its arguments with json_unpack_ex(JSON_STRICT), checks the
 * item, the version the officer saw and the state machine (alert_can()),
 * and only then changes anything, through be_emit_*(), so a refused
 * command changes nothing.
 */

#include "be-cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be-idem.h"
#include "be-state.h"
#include "log.h"
#include "model.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

struct be_cmd_ctx {
	struct be_state			*st;
	const struct be_operator	*op;
	const char			*id;
	const char			*name;
	uint64_t			 seq;	/* Last event produced. */
	enum proto_err			 err;
	char				*msg;	/* Refusal message. */
};

struct be_cmd_entry {
	const char	*name;
	int		 flags;
#define BE_CMD_WRITE	0x1	/* Changes state: not for observers. */
	int		(*exec)(struct be_cmd_ctx *, json_t *args);
};

static int	be_cmd_ack(struct be_cmd_ctx *, json_t *);
static int	be_cmd_dispatch(struct be_cmd_ctx *, json_t *);

/* In alphabetical order. */
static const struct be_cmd_entry be_cmd_table[] = {
	{ "ack", BE_CMD_WRITE, be_cmd_ack },
	{ "dispatch", BE_CMD_WRITE, be_cmd_dispatch },
};

static int __attribute__((format(printf, 3, 4)))
be_cmd_fail(struct be_cmd_ctx *ctx, enum proto_err err, const char *fmt, ...)
{
	va_list	ap;

	free(ctx->msg);
	va_start(ap, fmt);
	if (vasprintf(&ctx->msg, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	ctx->err = err;
	return (-1);
}

/* Refuse arguments that json_unpack_ex() did not accept. */
static int
be_cmd_bad_args(struct be_cmd_ctx *ctx, const json_error_t *jerr)
{
	return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: bad arguments: %s",
	    ctx->name, jerr->text));
}

/*
 * Find the alert a command names, and check the version the officer saw
 * (version < 0: none given). Returns the stored alert (borrowed, valid
 * until the next change) or NULL after be_cmd_fail().
 */
static struct alert *
be_cmd_alert(struct be_cmd_ctx *ctx, const char *id, json_int_t version)
{
	struct alert	*a;

	if (!model_id_valid(id, MODEL_ID_MAX)) {
		be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"alert\" is not a "
		    "valid id", ctx->name);
		return (NULL);
	}
	if ((a = store_alert(ctx->st->store, id)) == NULL) {
		be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no alert %s", id);
		return (NULL);
	}
	if (version != -1 && (json_int_t)a->version != version) {
		be_cmd_fail(ctx, PROTO_E_STALE_VERSION, "%s changed: you saw "
		    "version %" JSON_INTEGER_FORMAT ", it is now version %u",
		    a->id, version, a->version);
		return (NULL);
	}
	return (a);
}

/* Check the optional "version" argument: -1 (absent) or >= 1. */
static int
be_cmd_version(struct be_cmd_ctx *ctx, json_int_t version)
{
	if (version != -1 && (version < 1 || version > UINT32_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"version\" "
		    "must be a positive integer", ctx->name));
	return (0);
}

static int
be_cmd_state(struct be_cmd_ctx *ctx, const struct alert *a,
    enum alert_action action)
{
	if (!alert_can(a->state, action))
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "cannot %s %s: it "
		    "is %s", ctx->name, a->id, alert_state_names[a->state]));
	return (0);
}

/*
 * ack {alert, version?}: new -> acknowledged, recording who.
 */
static int
be_cmd_ack(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "alert", &id, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_version(ctx, version) != 0 ||
	    (a = be_cmd_alert(ctx, id, version)) == NULL ||
	    be_cmd_state(ctx, a, ALERT_DO_ACK) != 0)
		return (-1);

	alert_copy(&copy, a);
	copy.state = ALERT_ACKNOWLEDGED;
	free(copy.acked_by);
	copy.acked_by = xstrdup(ctx->op->name);
	rc = be_emit_alert(ctx->st, &copy, ctx->op->name, ctx->name,
	    &ctx->seq);
	alert_clear(&copy);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "ack failed"));
	return (0);
}

/*
 * dispatch {alert, units, version?}: the alert goes to dispatched with the
 * units added; each unit, which must be available, goes to dispatched on
 * the alert.
 */
static int
be_cmd_dispatch(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *ids[ALERT_MAX_UNITS];
	json_t		*units, *v;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	struct unit	*u, ucopy;
	size_t		 i, j, n, added;
	int		 rc = 0;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:o, s?:I}",
	    "alert", &id, "units", &units, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (!json_is_array(units))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: "
		    "\"units\" must be an array of unit ids"));
	n = json_array_size(units);
	if (n < 1 || n > ALERT_MAX_UNITS)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: give 1 "
		    "to %d units, not %zu", ALERT_MAX_UNITS, n));
	json_array_foreach(units, i, v) {
		if (!json_is_string(v) ||
		    !model_id_valid(json_string_value(v), MODEL_ID_MAX))
			return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: "
			    "units[%zu] is not a valid unit id", i));
		ids[i] = json_string_value(v);
		for (j = 0; j < i; j++) {
			if (strcmp(ids[j], ids[i]) == 0)
				return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS,
				    "dispatch: unit %s given twice", ids[i]));
		}
	}
	if (be_cmd_version(ctx, version) != 0 ||
	    (a = be_cmd_alert(ctx, id, version)) == NULL ||
	    be_cmd_state(ctx, a, ALERT_DO_DISPATCH) != 0)
		return (-1);
	added = 0;
	for (i = 0; i < n; i++) {
		if ((u = store_unit(ctx->st->store, ids[i])) == NULL)
			return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no unit "
			    "%s", ids[i]));
		if (u->status != UNIT_AVAILABLE)
			return (be_cmd_fail(ctx, PROTO_E_UNIT_UNAVAILABLE,
			    "unit %s is %s", u->id,
			    unit_status_names[u->status]));
		if (!alert_has_unit(a, u->id))
			added++;
	}
	if (a->nunits + added > ALERT_MAX_UNITS)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s already has %d "
		    "units; at most %d", a->id, a->nunits, ALERT_MAX_UNITS));

	/* Checked: from here on the command is applied. */
	alert_copy(&copy, a);
	copy.state = ALERT_DISPATCHED;
	for (i = 0; i < n; i++) {
		if (!alert_has_unit(&copy, ids[i]))
			snprintf(copy.units[copy.nunits++], MODEL_ID_MAX,
			    "%s", ids[i]);
	}
	rc = be_emit_alert(ctx->st, &copy, ctx->op->name, ctx->name,
	    &ctx->seq);
	for (i = 0; rc == 0 && i < n; i++) {
		unit_copy(&ucopy, store_unit(ctx->st->store, ids[i]));
		ucopy.status = UNIT_DISPATCHED;
		snprintf(ucopy.alert, sizeof ucopy.alert, "%s", copy.id);
		rc = be_emit_unit(ctx->st, &ucopy, ctx->op->name, ctx->name,
		    &ctx->seq);
		unit_clear(&ucopy);
	}
	alert_clear(&copy);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "dispatch failed"));
	return (0);
}

static const struct be_cmd_entry *
be_cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof be_cmd_table / sizeof be_cmd_table[0]; i++) {
		if (strcmp(be_cmd_table[i].name, name) == 0)
			return (&be_cmd_table[i]);
	}
	return (NULL);
}

/*
 * The canonical payload of a command, for idempotency: {cmd, args} with
 * sorted keys, compact. Caller frees.
 */
static char *
be_cmd_payload(const char *name, json_t *args)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s s:O}", "cmd", name, "args", args);
	if (o == NULL || (s = json_dumps(o, JSON_SORT_KEYS |
	    JSON_COMPACT)) == NULL)
		fatalx("%s: cannot serialise", __func__);
	json_decref(o);
	return (s);
}

/*
 * Execute a command message ({"type":"cmd","id","cmd","args"}) for an
 * operator. Events go through be_emit() (and so to the state's event
 * callback) before this returns. Returns the result message (new
 * reference, never NULL): ok with the seq of the last event produced, or
 * a refusal with a code and message. A repeated id with the same payload
 * returns the first result again and changes nothing.
 */
json_t *
be_cmd_exec(struct be_state *st, const struct be_operator *op, json_t *msg)
{
	const struct be_cmd_entry	*ce;
	struct be_cmd_ctx		 ctx;
	json_t				*idv, *namev, *args, *res;
	const char			*payload0, *result0;
	char				*payload, *text;

	memset(&ctx, 0, sizeof ctx);
	ctx.st = st;
	ctx.op = op;

	idv = json_object_get(msg, "id");
	if (!json_is_string(idv) ||
	    !model_id_valid(json_string_value(idv), BE_CMD_ID_MAX))
		return (proto_result_err(json_is_string(idv) ?
		    json_string_value(idv) : "", PROTO_E_BAD_ARGS,
		    "the command id must be 1 to 63 of [A-Za-z0-9_.-]"));
	ctx.id = json_string_value(idv);
	namev = json_object_get(msg, "cmd");
	args = json_object_get(msg, "args");
	if (!json_is_string(namev) || !json_is_object(args))
		return (proto_result_err(ctx.id, PROTO_E_BAD_ARGS,
		    "a command needs a \"cmd\" string and an \"args\" "
		    "object"));
	ctx.name = json_string_value(namev);

	payload = be_cmd_payload(ctx.name, args);
	if (be_idem_find(st->idem, ctx.id, &payload0, &result0)) {
		if (strcmp(payload, payload0) == 0 &&
		    (res = json_loads(result0, 0, NULL)) != NULL) {
			free(payload);
			return (res);
		}
		free(payload);
		return (proto_result_err(ctx.id, PROTO_E_CONFLICT, "command "
		    "id already used for another command"));
	}

	if ((ce = be_cmd_find(ctx.name)) == NULL)
		be_cmd_fail(&ctx, PROTO_E_UNKNOWN_COMMAND, "unknown command "
		    "\"%.32s\"", ctx.name);
	else if ((ce->flags & BE_CMD_WRITE) &&
	    strcmp(op->role, "observer") == 0)
		be_cmd_fail(&ctx, PROTO_E_FORBIDDEN, "%s: an observer cannot "
		    "change anything", ctx.name);
	else
		ce->exec(&ctx, args);

	if (ctx.msg != NULL) {
		res = proto_result_err(ctx.id, ctx.err, ctx.msg);
		log_info("cmd %s %s by %s: %s: %s", ctx.id, ctx.name,
		    op->name, proto_err_names[ctx.err], ctx.msg);
	} else {
		res = proto_result_ok(ctx.id, ctx.seq);
		log_info("cmd %s %s by %s: ok, seq %llu", ctx.id, ctx.name,
		    op->name, (unsigned long long)ctx.seq);
	}
	/* A failure of ours is not an answer: the client may retry. */
	if (ctx.msg == NULL || ctx.err != PROTO_E_INTERNAL) {
		text = proto_dump(res);
		be_idem_put(st->idem, ctx.id, payload, text);
		free(text);
	}
	free(ctx.msg);
	free(payload);
	return (res);
}

/*
 * Answer {"type":"get","id","kind","item"} with the item (new reference):
 * {"type":"result","id","ok":true,"item":{...}} or a not_found refusal.
 */
json_t *
be_cmd_get(struct be_state *st, json_t *msg)
{
	const char	*id, *kind, *item;
	json_t		*enc = NULL, *res;
	void		*p;
	char		*m;

	id = json_string_value(json_object_get(msg, "id"));
	kind = json_string_value(json_object_get(msg, "kind"));
	item = json_string_value(json_object_get(msg, "item"));
	if (id == NULL || kind == NULL || item == NULL)
		return (proto_result_err(id != NULL ? id : "",
		    PROTO_E_BAD_ARGS, "get needs \"id\", \"kind\" and "
		    "\"item\""));
	if (strcmp(kind, "alert") == 0) {
		if ((p = store_alert(st->store, item)) != NULL)
			enc = proto_alert_encode(p);
	} else if (strcmp(kind, "unit") == 0) {
		if ((p = store_unit(st->store, item)) != NULL)
			enc = proto_unit_encode(p);
	} else if (strcmp(kind, "hospital") == 0) {
		if ((p = store_hospital(st->store, item)) != NULL)
			enc = proto_hospital_encode(p);
	} else if (strcmp(kind, "school") == 0) {
		if ((p = store_school(st->store, item)) != NULL)
			enc = proto_school_encode(p);
	} else if (strcmp(kind, "feedback") == 0) {
		if ((p = store_feedback(st->store, item)) != NULL)
			enc = proto_feedback_encode(p);
	} else
		return (proto_result_err(id, PROTO_E_BAD_ARGS, "\"kind\" must "
		    "be alert, unit, hospital, school or feedback"));
	if (enc == NULL) {
		xasprintf(&m, "no %s %.32s", kind, item);
		res = proto_result_err(id, PROTO_E_NOT_FOUND, m);
		free(m);
		return (res);
	}
	return (json_pack("{s:s s:s s:b s:o}", "type", "result", "id", id,
	    "ok", 1, "item", enc));
}

/*
 * Answer {"type":"digest","id"} with the seq and the digest of the state
 * (new reference).
 */
json_t *
be_cmd_digest(struct be_state *st, json_t *msg)
{
	const char	*id;
	char		 digest[17];

	id = json_string_value(json_object_get(msg, "id"));
	store_digest(st->store, digest);
	return (json_pack("{s:s s:s s:b s:I s:s}", "type", "result",
	    "id", id != NULL ? id : "", "ok", 1,
	    "seq", (json_int_t)st->store->seq, "digest", digest));
}
