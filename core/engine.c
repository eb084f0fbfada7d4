/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The domain engine. engine_run() finds the command in engine_cmds[],
 * checks the role the command needs, and runs its handler. A handler
 * validates its arguments with json_unpack_ex(JSON_STRICT), then checks
 * in this order: the item exists, the operator's role and areas allow it,
 * the version the officer saw is current, the state machine (alert_can(),
 * unit_can(), feedback_can()) allows it, the units are available. Only
 * then, unless it is a dry run, does it change anything, through the
 * sink (engine_change()), so a refused command changes nothing. Every
 * change to an alert or a feedback case appends an entry to its history.
 *
 * Refusal messages are one English line an officer understands, naming
 * the item and the reason: "A-0012 is closed: reopen it first".
 */

#include "engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "operator.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define ENGINE_MUTE_MAX		240	/* Minutes. */
#define ENGINE_DEADLINE_MAX	10080	/* Minutes (a week). */

struct engine {
	struct store		*store;		/* Read; changed by the sink. */
	struct engine_sink	 sink;
	int			 exercise;	/* Injects' default flag. */
	uint32_t		 last[KIND_COUNT]; /* Own numbering. */
};

/* One command being run. */
struct engine_ctx {
	struct engine		*e;
	const struct operator	*op;
	const char		*name;
	int64_t			 now;
	int			 dry;		/* Check only. */
	struct engine_outcome	*out;
};

struct engine_cmd {
	const char	*name;
	int		 flags;
#define ENGINE_WRITE	0x1	/* Changes state: not for observers. */
#define ENGINE_DRILL	0x2	/* Trainers and supervisors only. */
	int		(*exec)(struct engine_ctx *, json_t *args);
};

static int	engine_ack(struct engine_ctx *, json_t *);
static int	engine_assign(struct engine_ctx *, json_t *);
static int	engine_close(struct engine_ctx *, json_t *);
static int	engine_close_case(struct engine_ctx *, json_t *);
static int	engine_dispatch(struct engine_ctx *, json_t *);
static int	engine_divert(struct engine_ctx *, json_t *);
static int	engine_escalate(struct engine_ctx *, json_t *);
static int	engine_inject(struct engine_ctx *, json_t *);
static int	engine_mute(struct engine_ctx *, json_t *);
static int	engine_note(struct engine_ctx *, json_t *);
static int	engine_reopen(struct engine_ctx *, json_t *);
static int	engine_reply(struct engine_ctx *, json_t *);
static int	engine_resolve(struct engine_ctx *, json_t *);
static int	engine_return(struct engine_ctx *, json_t *);
static int	engine_unit_status(struct engine_ctx *, json_t *);

/* In alphabetical order; docs/protocol.md "cmd and result". */
static const struct engine_cmd engine_cmds[] = {
	{ "ack",	 ENGINE_WRITE,		    engine_ack },
	{ "assign",	 ENGINE_WRITE,		    engine_assign },
	{ "close",	 ENGINE_WRITE,		    engine_close },
	{ "close_case",	 ENGINE_WRITE,		    engine_close_case },
	{ "dispatch",	 ENGINE_WRITE,		    engine_dispatch },
	{ "divert",	 ENGINE_WRITE,		    engine_divert },
	{ "escalate",	 ENGINE_WRITE,		    engine_escalate },
	{ "inject",	 ENGINE_WRITE|ENGINE_DRILL, engine_inject },
	{ "mute",	 ENGINE_WRITE,		    engine_mute },
	{ "note",	 ENGINE_WRITE,		    engine_note },
	{ "reopen",	 ENGINE_WRITE,		    engine_reopen },
	{ "reply",	 ENGINE_WRITE,		    engine_reply },
	{ "resolve",	 ENGINE_WRITE,		    engine_resolve },
	{ "return",	 ENGINE_WRITE,		    engine_return },
	{ "unit_status", ENGINE_WRITE,		    engine_unit_status },
};

static int __attribute__((format(printf, 3, 4)))
engine_fail(struct engine_ctx *ctx, enum proto_err err, const char *fmt, ...)
{
	va_list	ap;

	free(ctx->out->msg);
	va_start(ap, fmt);
	if (vasprintf(&ctx->out->msg, fmt, ap) == -1)
		fatalx("%s: out of memory", __func__);
	va_end(ap);
	ctx->out->err = err;
	return (-1);
}

/* Refuse arguments that json_unpack_ex() did not accept. */
static int
engine_bad_args(struct engine_ctx *ctx, const json_error_t *jerr)
{
	return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: bad arguments: %s",
	    ctx->name, jerr->text));
}

/* ==== Roles and areas ==== */

/*
 * Check that the operator may act on an item (named by what, e.g.
 * "A-0012") in area: supervisors and trainers everywhere, operators in
 * their areas. Returns 0 or -1 after engine_fail().
 */
static int
engine_area(struct engine_ctx *ctx, const char *what, const char *area)
{
	const struct area	*a;
	struct buf		 list = BUF_INIT;
	size_t			 i;
	int			 rc;

	if (operator_may_act_in(ctx->op, area))
		return (0);
	if (!operator_may_change(ctx->op))
		return (engine_fail(ctx, PROTO_E_FORBIDDEN, "%s: your role "
		    "cannot change anything", ctx->name));
	for (i = 0; i < ctx->op->nareas && i < 8; i++) {
		if (ctx->op->areas[i] != NULL)
			buf_printf(&list, "%s%s", list.len > 0 ? ", " : "",
			    ctx->op->areas[i]);
	}
	a = store_area(ctx->e->store, area);
	if (a != NULL && a->name != NULL)
		rc = engine_fail(ctx, PROTO_E_FORBIDDEN, "%s is in %s (%s): "
		    "you act only in %s%s", what, a->name, area,
		    list.len > 0 ? buf_str(&list) : "none",
		    ctx->op->nareas > 8 ? ", ..." : "");
	else
		rc = engine_fail(ctx, PROTO_E_FORBIDDEN, "%s is in area %s: "
		    "you act only in %s%s", what, area,
		    list.len > 0 ? buf_str(&list) : "none",
		    ctx->op->nareas > 8 ? ", ..." : "");
	buf_free(&list);
	return (rc);
}

/* ==== Argument checks ==== */

/* Check the optional "version" argument: -1 (absent) or >= 1. */
static int
engine_version(struct engine_ctx *ctx, json_int_t version)
{
	if (version != -1 && (version < 1 || version > UINT32_MAX))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"version\" "
		    "must be a positive integer", ctx->name));
	return (0);
}

/* Check an item id argument. */
static int
engine_id(struct engine_ctx *ctx, const char *key, const char *id)
{
	if (!model_id_valid(id, MODEL_ID_MAX))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"%s\" is not "
		    "a valid id", ctx->name, key));
	return (0);
}

/*
 * Check a free text argument: required (or NULL when optional), 1 to
 * PROTO_MAX_TEXT bytes. Returns 0 or -1.
 */
static int
engine_text(struct engine_ctx *ctx, const char *key, const char *s,
    int required)
{
	size_t	len;

	if (s == NULL) {
		if (!required)
			return (0);
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: give a %s",
		    ctx->name, key));
	}
	len = strlen(s);
	if (len == 0)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: the %s must "
		    "not be empty", ctx->name, key));
	if (len > PROTO_MAX_TEXT)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: the %s is too "
		    "long (%zu bytes, at most %d)", ctx->name, key, len,
		    PROTO_MAX_TEXT));
	return (0);
}

/* Refuse a stale version, naming both. */
static int
engine_fresh(struct engine_ctx *ctx, const char *id, uint32_t current,
    json_int_t seen)
{
	if (seen != -1 && (json_int_t)current != seen)
		return (engine_fail(ctx, PROTO_E_STALE_VERSION, "%s changed: "
		    "you saw version %" JSON_INTEGER_FORMAT ", it is now "
		    "version %u", id, seen, current));
	return (0);
}

/* ==== Alerts ==== */

/*
 * A bad_state refusal for an alert action, worded for the officer.
 */
static int
engine_alert_state(struct engine_ctx *ctx, const struct alert *a,
    enum alert_action action)
{
	const char	*state = alert_state_names[a->state];

	if (alert_can(a->state, action))
		return (0);
	switch (action) {
	case ALERT_DO_ACK:
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: only a "
		    "new alert can be acknowledged", a->id, state));
	case ALERT_DO_REOPEN:
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is still open "
		    "(%s): only a resolved or closed alert can be reopened",
		    a->id, state));
	case ALERT_DO_CLOSE:
	case ALERT_DO_RESOLVE:
		if (a->state == ALERT_CLOSED)
			return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is "
			    "already closed", a->id));
		if (a->state == ALERT_RESOLVED)
			return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is "
			    "already resolved: close it", a->id));
		break;
	default:
		break;
	}
	if (a->state == ALERT_CLOSED || a->state == ALERT_RESOLVED)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: reopen "
		    "it first", a->id, state));
	return (engine_fail(ctx, PROTO_E_BAD_STATE, "cannot %s %s: it is %s",
	    ctx->name, a->id, state));
}

/*
 * Find the alert a command names and run the checks every alert command
 * shares: a valid id, the alert exists, the operator may act in its area,
 * the version the officer saw (-1: none given) is current, the state
 * machine allows action. Returns the stored alert (borrowed, valid until
 * the next change) or NULL after engine_fail().
 */
static struct alert *
engine_alert(struct engine_ctx *ctx, const char *id, json_int_t version,
    enum alert_action action)
{
	struct alert	*a;

	if (engine_id(ctx, "alert", id) != 0 ||
	    engine_version(ctx, version) != 0)
		return (NULL);
	if ((a = store_alert(ctx->e->store, id)) == NULL) {
		engine_fail(ctx, PROTO_E_NOT_FOUND, "no alert %s", id);
		return (NULL);
	}
	if (engine_area(ctx, a->id, a->area) != 0 ||
	    engine_fresh(ctx, a->id, a->version, version) != 0 ||
	    engine_alert_state(ctx, a, action) != 0)
		return (NULL);
	return (a);
}

/*
 * Append what this command did to an item's history: when, who, the
 * command, and text (NULL: none). A history text is a free text like any
 * other, at most PROTO_MAX_TEXT bytes: a longer one (a close's
 * "disposition: reason" with a reason near the limit) is cut on a
 * character boundary and ends with an ellipsis, so any valid argument
 * makes a valid item.
 */
static void
engine_history(struct engine_ctx *ctx, struct history *h, const char *what,
    const char *text)
{
	static const char	 ellipsis[] = "\xe2\x80\xa6";	/* U+2026 */
	char			*cut;
	size_t			 len;

	if (text == NULL || strlen(text) <= PROTO_MAX_TEXT) {
		history_add(h, ctx->now, ctx->op->name, what, text);
		return;
	}
	len = PROTO_MAX_TEXT - (sizeof ellipsis - 1);
	while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;
	cut = xmalloc(len + sizeof ellipsis);
	memcpy(cut, text, len);
	memcpy(cut + len, ellipsis, sizeof ellipsis);
	history_add(h, ctx->now, ctx->op->name, what, cut);
	free(cut);
}

/*
 * Hand a changed item to the sink as this command's change: stamped by
 * engine_emit() and counted in the outcome. Returns 0, or -1 after
 * engine_fail() (internal) when the sink refused it.
 */
static int
engine_change(struct engine_ctx *ctx, const struct kind *k, void *item)
{
	if (engine_emit(ctx->e, k, item, ctx->op->name, ctx->name,
	    &ctx->out->seq) != 0)
		return (engine_fail(ctx, PROTO_E_INTERNAL, "%s: %s failed in "
		    "the server after %zu of its changes", kind_id(k, item),
		    ctx->name, ctx->out->changes));
	ctx->out->changes++;
	return (0);
}

/*
 * Emit a changed copy of an alert with a history entry (what: the
 * command; text may be NULL). Returns 0 or -1 after engine_fail().
 */
static int
engine_alert_change(struct engine_ctx *ctx, struct alert *copy,
    const char *text)
{
	engine_history(ctx, &copy->hist, ctx->name, text);
	return (engine_change(ctx, kind_get(KIND_ALERT), copy));
}

/* Emit a unit in a new status, bound to alert (NULL: unbound). */
static int
engine_unit_change(struct engine_ctx *ctx, const struct unit *u,
    enum unit_status status, const char *alert)
{
	struct unit	copy;
	int		rc;

	unit_copy(&copy, u);
	copy.status = status;
	snprintf(copy.alert, sizeof copy.alert, "%s",
	    alert != NULL ? alert : "");
	rc = engine_change(ctx, kind_get(KIND_UNIT), &copy);
	unit_clear(&copy);
	return (rc);
}

/*
 * Send the alert's units that are still on the job (dispatched, en route,
 * on scene) back: they become returning.
 */
static int
engine_release_units(struct engine_ctx *ctx, const struct alert *a)
{
	char		 ids[ALERT_MAX_UNITS][MODEL_ID_MAX];
	char		 alert[MODEL_ID_MAX];
	struct unit	*u;
	int		 i, n = a->nunits;

	/* Copy: the alert may move while units are emitted. */
	memcpy(ids, a->units, sizeof ids);
	snprintf(alert, sizeof alert, "%s", a->id);
	for (i = 0; i < n; i++) {
		u = store_unit(ctx->e->store, ids[i]);
		if (u == NULL || strcmp(u->alert, alert) != 0 ||
		    !unit_is_busy(u))
			continue;
		if (engine_unit_change(ctx, u, UNIT_RETURNING, alert) != 0)
			return (-1);
	}
	return (0);
}

/*
 * ack {alert, version?}: new -> acknowledged, recording who.
 */
static int
engine_ack(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "alert", &id, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if ((a = engine_alert(ctx, id, version, ALERT_DO_ACK)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.state = ALERT_ACKNOWLEDGED;
	free(copy.acked_by);
	copy.acked_by = xstrdup(ctx->op->name);
	rc = engine_alert_change(ctx, &copy, NULL);
	alert_clear(&copy);
	return (rc);
}

/*
 * dispatch {alert, units, version?}: each unit, which must be available
 * (and, for an operator, of their areas), goes to dispatched on the alert;
 * the alert gets the units and goes to dispatched (an alert already on
 * scene stays on scene). Dispatching a new alert acknowledges it.
 */
static int
engine_dispatch(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *ids[ALERT_MAX_UNITS];
	json_t		*units, *v;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	struct unit	*u;
	size_t		 i, j, n, added;
	char		*text = NULL, *tmp;
	int		 rc = 0;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:o, s?:I}",
	    "alert", &id, "units", &units, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (!json_is_array(units))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: "
		    "\"units\" must be an array of unit ids"));
	n = json_array_size(units);
	if (n < 1 || n > ALERT_MAX_UNITS)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: give 1 "
		    "to %d units, not %zu", ALERT_MAX_UNITS, n));
	json_array_foreach(units, i, v) {
		if (!json_is_string(v) ||
		    !model_id_valid(json_string_value(v), MODEL_ID_MAX))
			return (engine_fail(ctx, PROTO_E_BAD_ARGS, "dispatch: "
			    "units[%zu] is not a valid unit id", i));
		ids[i] = json_string_value(v);
		for (j = 0; j < i; j++) {
			if (strcmp(ids[j], ids[i]) == 0)
				return (engine_fail(ctx, PROTO_E_BAD_ARGS,
				    "dispatch: unit %s given twice", ids[i]));
		}
	}
	if ((a = engine_alert(ctx, id, version, ALERT_DO_DISPATCH)) == NULL)
		return (-1);
	added = 0;
	for (i = 0; i < n; i++) {
		if ((u = store_unit(ctx->e->store, ids[i])) == NULL)
			return (engine_fail(ctx, PROTO_E_NOT_FOUND, "no unit "
			    "%s", ids[i]));
		if (engine_area(ctx, u->id, u->area) != 0)
			return (-1);
		if (!unit_can(u->status, UNIT_DISPATCHED))
			return (engine_fail(ctx, PROTO_E_UNIT_UNAVAILABLE,
			    "unit %s is %s%s%s", u->id,
			    unit_status_names[u->status],
			    u->alert[0] != '\0' ? " on " : "", u->alert));
		if (!alert_has_unit(a, u->id))
			added++;
	}
	if (a->nunits + added > ALERT_MAX_UNITS)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s already has %d "
		    "units; at most %d", a->id, a->nunits, ALERT_MAX_UNITS));

	/* Checked: from here on the command is applied. */
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	if (copy.state == ALERT_NEW || copy.state == ALERT_ACKNOWLEDGED)
		copy.state = ALERT_DISPATCHED;
	if (copy.acked_by == NULL)
		copy.acked_by = xstrdup(ctx->op->name);
	for (i = 0; i < n; i++) {
		if (!alert_has_unit(&copy, ids[i]))
			snprintf(copy.units[copy.nunits++], MODEL_ID_MAX,
			    "%s", ids[i]);
		tmp = text;
		xasprintf(&text, "%s%s%s", tmp != NULL ? tmp : "",
		    tmp != NULL ? ", " : "", ids[i]);
		free(tmp);
	}
	rc = engine_alert_change(ctx, &copy, text);
	free(text);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = engine_unit_change(ctx, store_unit(ctx->e->store, ids[i]),
		    UNIT_DISPATCHED, copy.id);
	}
	alert_clear(&copy);
	return (rc);
}

/*
 * note {alert, text, version?}: appends the note to the alert's history,
 * in any state.
 */
static int
engine_note(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "alert", &id, "text", &text, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_text(ctx, "text", text, 1) != 0 ||
	    (a = engine_alert(ctx, id, version, ALERT_DO_NOTE)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	rc = engine_alert_change(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * escalate {alert, version?}: one escalation level more, at most
 * ALERT_MAX_ESCALATION, while the alert is open.
 */
static int
engine_escalate(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	char		 text[32];
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "alert", &id, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if ((a = engine_alert(ctx, id, version, ALERT_DO_ESCALATE)) == NULL)
		return (-1);
	if (a->escalation >= ALERT_MAX_ESCALATION)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is already at "
		    "the highest escalation level (%d)", a->id,
		    ALERT_MAX_ESCALATION));
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.escalation++;
	snprintf(text, sizeof text, "level %d", copy.escalation);
	rc = engine_alert_change(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * mute {alert, minutes, version?}: silences the alert until now + minutes
 * (1 to 240); it stays open. Muting again sets a new end.
 */
static int
engine_mute(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1, minutes;
	struct alert	*a, copy;
	char		 text[32];
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:I, s?:I}",
	    "alert", &id, "minutes", &minutes, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (minutes < 1 || minutes > ENGINE_MUTE_MAX)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "mute: \"minutes\" "
		    "must be 1 to %d", ENGINE_MUTE_MAX));
	if ((a = engine_alert(ctx, id, version, ALERT_DO_MUTE)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.muted_until = ctx->now + minutes * 60000;
	snprintf(text, sizeof text, "%d min", (int)minutes);
	rc = engine_alert_change(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * resolve {alert, text?, version?}: -> resolved; the units still on the
 * job return.
 */
static int
engine_resolve(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text = NULL;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "alert", &id, "text", &text, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_text(ctx, "text", text, 0) != 0 ||
	    (a = engine_alert(ctx, id, version, ALERT_DO_RESOLVE)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.state = ALERT_RESOLVED;
	copy.muted_until = 0;
	rc = engine_alert_change(ctx, &copy, text);
	if (rc == 0)
		rc = engine_release_units(ctx, &copy);
	alert_clear(&copy);
	return (rc);
}

/*
 * close {alert, disposition, reason?, version?}: -> closed with the
 * disposition; the reason is required unless the disposition is
 * "resolved". Units still on the job return.
 */
static int
engine_close(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *disp, *reason = NULL;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	char		*text;
	int		 d, rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:s, s?:I}",
	    "alert", &id, "disposition", &disp, "reason", &reason,
	    "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	d = MODEL_ENUM_PARSE(disposition_names, disp);
	if (d <= DISPOSITION_NONE)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "close: the "
		    "disposition must be resolved, false_alarm, duplicate, "
		    "cancelled or transferred"));
	if (engine_text(ctx, "reason", reason, 0) != 0 ||
	    engine_id(ctx, "alert", id) != 0)
		return (-1);
	if (reason == NULL && d != DISPOSITION_RESOLVED)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "%s: give a reason "
		    "to close it as %s", id, disposition_names[d]));
	if ((a = engine_alert(ctx, id, version, ALERT_DO_CLOSE)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.state = ALERT_CLOSED;
	copy.disposition = d;
	copy.muted_until = 0;
	if (reason != NULL)
		xasprintf(&text, "%s: %s", disposition_names[d], reason);
	else
		text = xstrdup(disposition_names[d]);
	rc = engine_alert_change(ctx, &copy, text);
	free(text);
	if (rc == 0)
		rc = engine_release_units(ctx, &copy);
	alert_clear(&copy);
	return (rc);
}

/*
 * reopen {alert, reason, version?}: resolved or closed -> acknowledged,
 * with no disposition and no units (the history keeps who went).
 */
static int
engine_reopen(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *reason = NULL;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "alert", &id, "reason", &reason, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_text(ctx, "reason", reason, 1) != 0 ||
	    (a = engine_alert(ctx, id, version, ALERT_DO_REOPEN)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	alert_copy(&copy, a);
	copy.state = ALERT_ACKNOWLEDGED;
	copy.disposition = DISPOSITION_NONE;
	memset(copy.units, 0, sizeof copy.units);
	copy.nunits = 0;
	if (copy.acked_by == NULL)
		copy.acked_by = xstrdup(ctx->op->name);
	rc = engine_alert_change(ctx, &copy, reason);
	alert_clear(&copy);
	return (rc);
}

/* ==== Units ==== */

/* A bad_state refusal for a unit move, worded for the officer. */
static int
engine_unit_state(struct engine_ctx *ctx, const struct unit *u,
    enum unit_status to)
{
	const char	*from = unit_status_names[u->status];

	if (u->status == to)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is already %s",
		    u->id, from));
	if (unit_can(u->status, to))
		return (0);
	if (u->status == UNIT_AVAILABLE)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is available: "
		    "dispatch it first", u->id));
	if (u->status == UNIT_OUT_OF_SERVICE)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is out of "
		    "service: make it available first", u->id));
	return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: it cannot go "
	    "%s", u->id, from, unit_status_names[to]));
}

/*
 * unit_status {unit, status, version?}: the unit's own report. On scene
 * takes its alert from dispatched to on_scene; available and
 * out_of_service unbind it, and take it off its alert while the alert is
 * open (the alert goes back to acknowledged when that was its last
 * unit).
 */
static int
engine_unit_status(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *status;
	json_int_t	 version = -1;
	struct unit	*u;
	struct alert	*a, copy;
	char		 alert[MODEL_ID_MAX], text[64];
	int		 to, rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "unit", &id, "status", &status, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	to = MODEL_ENUM_PARSE(unit_status_names, status);
	if (to == -1 || to == UNIT_DISPATCHED)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "unit_status: the "
		    "status must be en_route, on_scene, returning, available "
		    "or out_of_service"));
	if (engine_id(ctx, "unit", id) != 0 ||
	    engine_version(ctx, version) != 0)
		return (-1);
	if ((u = store_unit(ctx->e->store, id)) == NULL)
		return (engine_fail(ctx, PROTO_E_NOT_FOUND, "no unit %s", id));
	a = u->alert[0] != '\0' ? store_alert(ctx->e->store, u->alert) :
	    NULL;
	/* An operator may report for a unit of theirs or on their alert. */
	if (a == NULL || ctx->op->role != OPERATOR_OPERATOR ||
	    !operator_has_area(ctx->op, a->area)) {
		if (engine_area(ctx, u->id, u->area) != 0)
			return (-1);
	}
	if (engine_fresh(ctx, u->id, u->version, version) != 0 ||
	    engine_unit_state(ctx, u, to) != 0)
		return (-1);
	if (ctx->dry)
		return (0);

	snprintf(alert, sizeof alert, "%s", u->alert);
	if (engine_unit_change(ctx, u, to, (to == UNIT_AVAILABLE ||
	    to == UNIT_OUT_OF_SERVICE) ? NULL : alert) != 0)
		return (-1);
	if (alert[0] == '\0' ||
	    (a = store_alert(ctx->e->store, alert)) == NULL)
		return (0);
	if (to == UNIT_ON_SCENE && alert_can(a->state, ALERT_DO_ON_SCENE)) {
		alert_copy(&copy, a);
		copy.state = ALERT_ON_SCENE;
		snprintf(text, sizeof text, "%s on scene", id);
	} else if ((to == UNIT_AVAILABLE || to == UNIT_OUT_OF_SERVICE) &&
	    alert_is_open(a) && alert_has_unit(a, id)) {
		alert_copy(&copy, a);
		alert_remove_unit(&copy, id);
		if (copy.nunits == 0 && alert_can(copy.state, ALERT_DO_RECALL))
			copy.state = ALERT_ACKNOWLEDGED;
		snprintf(text, sizeof text, "%s released (%s)", id,
		    unit_status_names[to]);
	} else
		return (0);
	rc = engine_alert_change(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/* ==== Feedback ==== */

/*
 * Find the feedback case a command names and run the shared checks, as
 * engine_alert(). Returns the stored case (borrowed) or NULL.
 */
static struct feedback *
engine_case(struct engine_ctx *ctx, const char *id, json_int_t version,
    enum fb_action action)
{
	struct feedback	*f;
	const char	*state;

	if (engine_id(ctx, "case", id) != 0 ||
	    engine_version(ctx, version) != 0)
		return (NULL);
	if ((f = store_feedback(ctx->e->store, id)) == NULL) {
		engine_fail(ctx, PROTO_E_NOT_FOUND, "no feedback case %s", id);
		return (NULL);
	}
	if (engine_area(ctx, f->id, f->area) != 0 ||
	    engine_fresh(ctx, f->id, f->version, version) != 0)
		return (NULL);
	if (feedback_can(f->state, action))
		return (f);
	state = fb_state_names[f->state];
	if (f->state == FB_CLOSED)
		engine_fail(ctx, PROTO_E_BAD_STATE, "%s is closed", f->id);
	else if (action == FB_DO_CLOSE)
		engine_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: only an "
		    "answered or returned case can be closed", f->id, state);
	else if (action == FB_DO_REPLY && f->state == FB_NEW)
		engine_fail(ctx, PROTO_E_BAD_STATE, "%s is new: assign it to a "
		    "department first", f->id);
	else
		engine_fail(ctx, PROTO_E_BAD_STATE, "cannot %s %s: it is %s",
		    ctx->name, f->id, state);
	return (NULL);
}

/* Emit a changed copy of a case with a history entry. */
static int
engine_case_change(struct engine_ctx *ctx, struct feedback *copy,
    const char *text)
{
	engine_history(ctx, &copy->hist, ctx->name, text);
	return (engine_change(ctx, kind_get(KIND_FEEDBACK), copy));
}

/*
 * assign {case, dept, version?}: new, assigned, in progress or returned
 * -> assigned to the department.
 */
static int
engine_assign(struct engine_ctx *ctx, json_t *args)
{
	json_error_t		 jerr;
	const char		*id, *dept;
	json_int_t		 version = -1;
	struct feedback		*f, copy;
	struct department	*d;
	int			 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "case", &id, "dept", &dept, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (!model_id_valid(dept, MODEL_CODE_MAX))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "assign: \"dept\" "
		    "is not a valid department code"));
	if ((f = engine_case(ctx, id, version, FB_DO_ASSIGN)) == NULL)
		return (-1);
	if ((d = store_department(ctx->e->store, dept)) == NULL)
		return (engine_fail(ctx, PROTO_E_NOT_FOUND, "no department "
		    "%s", dept));
	if (f->state != FB_RETURNED && strcmp(f->dept, d->code) == 0)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is already "
		    "assigned to %s", f->id, d->code));
	if (ctx->dry)
		return (0);
	feedback_copy(&copy, f);
	copy.state = FB_ASSIGNED;
	snprintf(copy.dept, sizeof copy.dept, "%s", d->code);
	rc = engine_case_change(ctx, &copy, d->code);
	feedback_clear(&copy);
	return (rc);
}

/*
 * reply {case, text, version?}: assigned or in progress -> answered, with
 * the reply.
 */
static int
engine_reply(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "case", &id, "text", &text, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_text(ctx, "text", text, 1) != 0 ||
	    (f = engine_case(ctx, id, version, FB_DO_REPLY)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	feedback_copy(&copy, f);
	copy.state = FB_ANSWERED;
	free(copy.reply);
	copy.reply = xstrdup(text);
	rc = engine_case_change(ctx, &copy, text);
	feedback_clear(&copy);
	return (rc);
}

/*
 * return {case, reason, version?}: -> returned, "not within our
 * competence"; the reason is the reply.
 */
static int
engine_return(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *reason = NULL;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "case", &id, "reason", &reason, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_text(ctx, "reason", reason, 1) != 0 ||
	    (f = engine_case(ctx, id, version, FB_DO_RETURN)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	feedback_copy(&copy, f);
	copy.state = FB_RETURNED;
	free(copy.reply);
	copy.reply = xstrdup(reason);
	rc = engine_case_change(ctx, &copy, reason);
	feedback_clear(&copy);
	return (rc);
}

/*
 * close_case {case, version?}: answered or returned -> closed.
 */
static int
engine_close_case(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "case", &id, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if ((f = engine_case(ctx, id, version, FB_DO_CLOSE)) == NULL)
		return (-1);
	if (ctx->dry)
		return (0);
	feedback_copy(&copy, f);
	copy.state = FB_CLOSED;
	rc = engine_case_change(ctx, &copy, NULL);
	feedback_clear(&copy);
	return (rc);
}

/* ==== Hospitals ==== */

/*
 * divert {hospital, on, version?}: diversion on or off.
 */
static int
engine_divert(struct engine_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct hospital	*h, copy;
	int		 on, rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:b, s?:I}",
	    "hospital", &id, "on", &on, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_id(ctx, "hospital", id) != 0 ||
	    engine_version(ctx, version) != 0)
		return (-1);
	if ((h = store_hospital(ctx->e->store, id)) == NULL)
		return (engine_fail(ctx, PROTO_E_NOT_FOUND, "no hospital %s",
		    id));
	if (engine_area(ctx, h->id, h->area) != 0 ||
	    engine_fresh(ctx, h->id, h->version, version) != 0)
		return (-1);
	if (!h->diversion == !on)
		return (engine_fail(ctx, PROTO_E_BAD_STATE, "%s is already %s",
		    h->id, on ? "on diversion" : "off diversion"));
	if (ctx->dry)
		return (0);
	hospital_copy(&copy, h);
	copy.diversion = on != 0;
	rc = engine_change(ctx, kind_get(KIND_HOSPITAL), &copy);
	hospital_clear(&copy);
	return (rc);
}

/* ==== Inject ==== */

/* An area the inject names must be one of the province's. */
static int
engine_known_area(struct engine_ctx *ctx, const char *area)
{
	if (!model_id_valid(area, MODEL_CODE_MAX))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"area\" "
		    "is not a valid area code"));
	if (store_area(ctx->e->store, area) == NULL)
		return (engine_fail(ctx, PROTO_E_NOT_FOUND, "no area %s in "
		    "this province", area));
	return (0);
}

/* An enum argument of inject. */
static int
engine_enum(struct engine_ctx *ctx, const char *key, const char *s,
    const char *const *names, int n, int *out)
{
	int	i;

	if ((i = model_enum_parse(names, n, s)) == -1)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: unknown "
		    "%s \"%.32s\"", key, s));
	*out = i;
	return (0);
}

static int
engine_inject_alert(struct engine_ctx *ctx, json_t *item)
{
	json_error_t	 jerr;
	const char	*kind, *area, *place, *source, *title;
	json_int_t	 severity, deadline = 0;
	int		 exercise = ctx->e->exercise, k = 0, src = 0, rc;
	struct alert	 a;

	if (json_unpack_ex(item, &jerr, JSON_STRICT, "{s:s, s:I, s:s, s:s, "
	    "s:s, s:s, s?:I, s?:b}", "kind", &kind, "severity", &severity,
	    "area", &area, "place", &place, "source", &source, "title",
	    &title, "deadline_min", &deadline, "exercise", &exercise) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_enum(ctx, "kind", kind, alert_kind_names,
	    ALERT_KIND_COUNT, &k) != 0 ||
	    engine_enum(ctx, "source", source, alert_source_names,
	    SOURCE_COUNT, &src) != 0)
		return (-1);
	if (severity < 1 || severity > 4)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"severity\" must be 1 to 4"));
	if (deadline < 0 || deadline > ENGINE_DEADLINE_MAX)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"deadline_min\" must be 0 to %d", ENGINE_DEADLINE_MAX));
	if (engine_text(ctx, "title", title, 1) != 0 ||
	    engine_text(ctx, "place", place, 1) != 0 ||
	    engine_known_area(ctx, area) != 0)
		return (-1);
	if (ctx->dry)
		return (0);

	memset(&a, 0, sizeof a);
	engine_new_id(ctx->e, kind_get(KIND_ALERT), a.id);
	a.kind = k;
	a.severity = (int)severity;
	snprintf(a.area, sizeof a.area, "%s", area);
	a.place = xstrdup(place);
	a.source = src;
	a.title = xstrdup(title);
	a.state = ALERT_NEW;
	a.disposition = DISPOSITION_NONE;
	a.created = ctx->now;
	a.deadline = deadline > 0 ? ctx->now + deadline * 60000 : 0;
	a.exercise = exercise != 0;
	engine_history(ctx, &a.hist, "created",
	    alert_source_names[src]);
	rc = engine_change(ctx, kind_get(KIND_ALERT), &a);
	snprintf(ctx->out->item, sizeof ctx->out->item, "%s", a.id);
	alert_clear(&a);
	return (rc);
}

static int
engine_inject_feedback(struct engine_ctx *ctx, json_t *item)
{
	json_error_t	 jerr;
	const char	*channel, *area, *category, *text;
	struct feedback	 f;
	int		 c = 0, rc;

	if (json_unpack_ex(item, &jerr, JSON_STRICT, "{s:s, s:s, s:s, s:s}",
	    "channel", &channel, "area", &area, "category", &category,
	    "text", &text) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (engine_enum(ctx, "channel", channel, fb_channel_names,
	    FB_CHANNEL_COUNT, &c) != 0)
		return (-1);
	if (!model_id_valid(category, MODEL_CODE_MAX))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"category\" is not a valid code"));
	if (engine_text(ctx, "text", text, 1) != 0 ||
	    engine_known_area(ctx, area) != 0)
		return (-1);
	if (ctx->dry)
		return (0);

	memset(&f, 0, sizeof f);
	engine_new_id(ctx->e, kind_get(KIND_FEEDBACK), f.id);
	f.channel = c;
	snprintf(f.area, sizeof f.area, "%s", area);
	snprintf(f.category, sizeof f.category, "%s", category);
	f.text = xstrdup(text);
	f.state = FB_NEW;
	f.received = ctx->now;
	f.deadline = engine_feedback_due(ctx->now,
	    ctx->e->store->utc_offset_min);
	engine_history(ctx, &f.hist, "created",
	    fb_channel_names[c]);
	rc = engine_change(ctx, kind_get(KIND_FEEDBACK), &f);
	snprintf(ctx->out->item, sizeof ctx->out->item, "%s", f.id);
	feedback_clear(&f);
	return (rc);
}

/*
 * inject {kind, item}: a new alert or feedback case with a fresh id, as a
 * drill or a test makes it (trainers and supervisors only). The result
 * carries the new id as "item".
 */
static int
engine_inject(struct engine_ctx *ctx, json_t *args)
{
	static int	(*const engine_injects[KIND_COUNT])(struct engine_ctx *,
			    json_t *) = {
		[KIND_ALERT] = engine_inject_alert,
		[KIND_FEEDBACK] = engine_inject_feedback
	};
	const struct kind *k;
	json_error_t	 jerr;
	const char	*kind;
	json_t		*item;
	json_int_t	 version = -1;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:o, s?:I}",
	    "kind", &kind, "item", &item, "version", &version) != 0)
		return (engine_bad_args(ctx, &jerr));
	if (!json_is_object(item))
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"item\" "
		    "must be an object"));
	if ((k = kind_find(kind)) == NULL || engine_injects[k->index] == NULL)
		return (engine_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"kind\" "
		    "must be alert or feedback"));
	return (engine_injects[k->index](ctx, item));
}

/* ==== The feedback deadline ==== */

/*
 * The deadline of a feedback case received at "received": two working
 * days, counted in working hours (Monday to Friday, 07:30-11:30 and
 * 13:30-17:00 local time at utc_offset_min; 7.5 hours a day), so a case
 * that arrives on Friday evening is due on Tuesday at 17:00. Returns ms.
 */
int64_t
engine_feedback_due(int64_t received, int utc_offset_min)
{
	static const int	 spans[2][2] = {
		{ 7 * 60 + 30, 11 * 60 + 30 }, { 13 * 60 + 30, 17 * 60 }
	};
	int64_t			 off = (int64_t)utc_offset_min * 60000;
	int64_t			 local = received + off, day, left, start, end;
	int64_t			 t;
	int			 wday, i, guard;

	left = 15 * 3600000LL;		/* 2 days x 7.5 h, in ms. */
	day = local / 86400000;
	if (local < 0)
		return (received);
	for (guard = 0; guard < 60; guard++, day++) {
		wday = (int)((day + 4) % 7);	/* 1970-01-01: Thursday. */
		if (wday == 0 || wday == 6)
			continue;
		for (i = 0; i < 2; i++) {
			start = day * 86400000 + spans[i][0] * 60000LL;
			end = day * 86400000 + spans[i][1] * 60000LL;
			t = local > start ? local : start;
			if (t >= end)
				continue;
			if (end - t >= left)
				return (t + left - off);
			left -= end - t;
		}
	}
	return (received + 2 * 86400000LL);
}

/* ==== Running commands ==== */

static const struct engine_cmd *
engine_cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof engine_cmds / sizeof engine_cmds[0]; i++) {
		if (strcmp(engine_cmds[i].name, name) == 0)
			return (&engine_cmds[i]);
	}
	return (NULL);
}

/*
 * 1 when name is a command of the engine, else 0.
 */
int
engine_cmd_exists(const char *name)
{
	return (name != NULL && engine_cmd_find(name) != NULL);
}

/*
 * Run a command for an operator: every check, then (unless flags has
 * ENGINE_DRY) the change, through the sink. Simulated colleagues,
 * scenario injects and a console's sandbox come this way as well as
 * officers' commands. Returns 0 with out->seq the seq of the last change
 * made (0: none), out->changes their number and out->item the id of an
 * injected item (not for a dry run); or -1 with out->err and out->msg
 * (allocated; free with engine_outcome_clear()). A refused command
 * changes nothing; an internal failure (the sink refused a change) may
 * leave the changes made before it. A dry run answers as the real run
 * would, and changes nothing.
 */
int
engine_run(struct engine *e, const struct operator *op, const char *name,
    json_t *args, int flags, struct engine_outcome *out)
{
	const struct engine_cmd	*ce;
	struct engine_ctx	 ctx;
	json_t			*v;

	memset(out, 0, sizeof *out);
	memset(&ctx, 0, sizeof ctx);
	ctx.e = e;
	ctx.op = op;
	ctx.name = name;
	ctx.now = engine_now(e);
	ctx.dry = (flags & ENGINE_DRY) != 0;
	ctx.out = out;

	if (!json_is_object(args))
		return (engine_fail(&ctx, PROTO_E_BAD_ARGS, "%s: \"args\" must "
		    "be an object", name));
	if ((ce = engine_cmd_find(name)) == NULL)
		return (engine_fail(&ctx, PROTO_E_UNKNOWN_COMMAND, "unknown "
		    "command \"%.32s\"", name));
	if ((ce->flags & ENGINE_WRITE) && op->role == OPERATOR_OBSERVER)
		return (engine_fail(&ctx, PROTO_E_FORBIDDEN, "%s: an observer "
		    "cannot change anything", name));
	if ((ce->flags & ENGINE_WRITE) && !operator_may_change(op))
		return (engine_fail(&ctx, PROTO_E_FORBIDDEN, "%s: the role "
		    "\"%s\" cannot change anything", name,
		    operator_role_name(op->role)));
	if ((ce->flags & ENGINE_DRILL) && !operator_may_inject(op))
		return (engine_fail(&ctx, PROTO_E_FORBIDDEN, "%s: only a "
		    "trainer or a supervisor may do this", name));
	/*
	 * The version the officer saw, when given, is a version: a
	 * negative one is not "none" (the handlers read -1 as none).
	 */
	v = json_object_get(args, "version");
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > UINT32_MAX))
		return (engine_fail(&ctx, PROTO_E_BAD_ARGS, "%s: \"version\" "
		    "must be a positive integer", name));
	if (ce->exec(&ctx, args) != 0) {
		if (out->msg == NULL)
			engine_fail(&ctx, PROTO_E_INTERNAL, "%s failed", name);
		return (-1);
	}
	return (0);
}

/*
 * Free what an outcome holds (the refusal message). The struct stays
 * usable.
 */
void
engine_outcome_clear(struct engine_outcome *out)
{
	free(out->msg);
	out->msg = NULL;
}

/* ==== The engine ==== */

/*
 * Make an engine that reads store (borrowed; it must outlive the engine)
 * and changes it through sink (copied). Caller frees with engine_free().
 */
struct engine *
engine_new(struct store *store, const struct engine_sink *sink)
{
	struct engine	*e;

	if (sink->emit == NULL)
		fatalx("%s: a sink without emit", __func__);
	e = xcalloc(1, sizeof *e);
	e->store = store;
	e->sink = *sink;
	return (e);
}

/*
 * Free an engine (not its store). NULL is a no-op.
 */
void
engine_free(struct engine *e)
{
	free(e);
}

/*
 * Whether injected alerts are exercises unless they say (the feed's
 * flag): set it, and read it.
 */
void
engine_set_exercise(struct engine *e, int exercise)
{
	e->exercise = exercise != 0;
}

int
engine_exercise(const struct engine *e)
{
	return (e->exercise);
}

/*
 * The engine's time in ms: the sink's clock, or clock_now().
 */
int64_t
engine_now(struct engine *e)
{
	if (e->sink.now != NULL)
		return (e->sink.now(e->sink.arg));
	return (clock_now());
}

/*
 * Emit a new or changed item of kind k through the sink: stamps its
 * version (the stored one + 1, or 1 when new) and, for kinds that keep
 * times, when it changed (now). The item stays the caller's, stamped.
 * by and cmd name who and what caused it (NULL: nobody, a simulated
 * reading). This is the one way anything changes the store, commands or
 * not. Returns the sink's answer: 0 with *seq set (when not NULL), or -1.
 */
int
engine_emit(struct engine *e, const struct kind *k, void *item,
    const char *by, const char *cmd, uint64_t *seq)
{
	const void	*old = store_find(e->store, k, kind_id(k, item));
	int64_t		 now = engine_now(e);

	kind_set_version(k, item, old != NULL ? kind_version(k, old) + 1 : 1);
	if (k->touch != NULL)
		k->touch(item, now);
	return (e->sink.emit(e->sink.arg, k, item, by, cmd, now, seq));
}

/* The engine's own ids: a prefix and a number, "A-0001". */
static const char *const engine_id_prefixes[KIND_COUNT] = {
	[KIND_ALERT] = "A-",
	[KIND_FEEDBACK] = "PA-"
};

/* The number in an id "<prefix><n>", or 0. */
static uint32_t
engine_id_number(const char *id, const char *prefix)
{
	size_t		 n = strlen(prefix);
	unsigned long	 v;
	char		*end;

	if (strncmp(id, prefix, n) != 0 || id[n] < '0' || id[n] > '9')
		return (0);
	v = strtoul(id + n, &end, 10);
	if (*end != '\0' || v > UINT32_MAX)
		return (0);
	return ((uint32_t)v);
}

/*
 * Write a fresh id for a new item of kind k (alert or feedback): the
 * sink's, or the engine's own next number that the store does not hold.
 */
void
engine_new_id(struct engine *e, const struct kind *k, char id[MODEL_ID_MAX])
{
	const char	*prefix = engine_id_prefixes[k->index];

	if (e->sink.new_id != NULL) {
		e->sink.new_id(e->sink.arg, k, id);
		return;
	}
	if (prefix == NULL)
		fatalx("%s: no ids for %s", __func__, k->name);
	do {
		snprintf(id, MODEL_ID_MAX, "%s%04u", prefix,
		    ++e->last[k->index]);
	} while (store_find(e->store, k, id) != NULL);
}

/*
 * After the store was rebuilt (from a journal): go on numbering after the
 * highest number the store holds, so new ids do not collide.
 */
void
engine_restored(struct engine *e)
{
	const struct kind	*k;
	uint32_t		 n;
	size_t			 i;

	for (k = kind_table; k < kind_table + KIND_COUNT; k++) {
		if (engine_id_prefixes[k->index] == NULL)
			continue;
		for (i = 0; i < store_count(e->store, k); i++) {
			n = engine_id_number(kind_id(k, store_item(e->store,
			    k, i)), engine_id_prefixes[k->index]);
			if (n > e->last[k->index])
				e->last[k->index] = n;
		}
	}
}

/*
 * The last number the engine gave an id of kind k (0: none yet).
 */
uint32_t
engine_last_number(const struct engine *e, const struct kind *k)
{
	return (e->last[k->index]);
}
