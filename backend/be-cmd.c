/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * Commands. be_cmd_exec() checks the envelope, answers a repeated command
 * id from memory (same payload: the first result; other payload:
 * conflict), and runs the command with be_cmd_run(), which the simulator
 * and scenarios use too. A handler validates its arguments with
 * json_unpack_ex(JSON_STRICT), then checks in this order: the item exists,
 * the operator's role and areas allow it, the version the officer saw is
 * current, the state machine (alert_can(), unit_can(), feedback_can())
 * allows it, the units are available; only then does it change anything,
 * through be_emit_*(), so a refused command changes nothing. Every change
 * to an alert or a feedback case appends an entry to its history.
 *
 * Refusal messages are one English line an officer understands, naming
 * the item and the reason: "A-0012 is closed: reopen it first".
 */

#include "be-cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be-idem.h"
#include "be-state.h"
#include "clock.h"
#include "kind.h"
#include "log.h"
#include "model.h"
#include "proto.h"
#include "store.h"
#include "xmalloc.h"

#define BE_CMD_MUTE_MAX		240	/* Minutes. */
#define BE_CMD_DEADLINE_MAX	10080	/* Minutes (a week). */

struct be_cmd_ctx {
	struct be_state			*st;
	const struct be_operator	*op;
	const char			*name;
	int64_t				 now;
	int				 dry;	/* Check only. */
	struct be_cmd_outcome		*out;
};

struct be_cmd_entry {
	const char	*name;
	int		 flags;
#define BE_CMD_WRITE	0x1	/* Changes state: not for observers. */
#define BE_CMD_DRILL	0x2	/* Trainers and supervisors only. */
	int		(*exec)(struct be_cmd_ctx *, json_t *args);
};

enum be_role {
	BE_ROLE_OBSERVER,
	BE_ROLE_OPERATOR,
	BE_ROLE_TRAINER,
	BE_ROLE_SUPERVISOR,
	BE_ROLE_UNKNOWN
};

static int	be_cmd_ack(struct be_cmd_ctx *, json_t *);
static int	be_cmd_assign(struct be_cmd_ctx *, json_t *);
static int	be_cmd_close(struct be_cmd_ctx *, json_t *);
static int	be_cmd_close_case(struct be_cmd_ctx *, json_t *);
static int	be_cmd_dispatch(struct be_cmd_ctx *, json_t *);
static int	be_cmd_divert(struct be_cmd_ctx *, json_t *);
static int	be_cmd_escalate(struct be_cmd_ctx *, json_t *);
static int	be_cmd_inject(struct be_cmd_ctx *, json_t *);
static int	be_cmd_mute(struct be_cmd_ctx *, json_t *);
static int	be_cmd_note(struct be_cmd_ctx *, json_t *);
static int	be_cmd_reopen(struct be_cmd_ctx *, json_t *);
static int	be_cmd_reply(struct be_cmd_ctx *, json_t *);
static int	be_cmd_resolve(struct be_cmd_ctx *, json_t *);
static int	be_cmd_return(struct be_cmd_ctx *, json_t *);
static int	be_cmd_unit_status(struct be_cmd_ctx *, json_t *);

/* In alphabetical order; docs/protocol.md "cmd and result". */
static const struct be_cmd_entry be_cmd_table[] = {
	{ "ack",	 BE_CMD_WRITE,		    be_cmd_ack },
	{ "assign",	 BE_CMD_WRITE,		    be_cmd_assign },
	{ "close",	 BE_CMD_WRITE,		    be_cmd_close },
	{ "close_case",	 BE_CMD_WRITE,		    be_cmd_close_case },
	{ "dispatch",	 BE_CMD_WRITE,		    be_cmd_dispatch },
	{ "divert",	 BE_CMD_WRITE,		    be_cmd_divert },
	{ "escalate",	 BE_CMD_WRITE,		    be_cmd_escalate },
	{ "inject",	 BE_CMD_WRITE|BE_CMD_DRILL, be_cmd_inject },
	{ "mute",	 BE_CMD_WRITE,		    be_cmd_mute },
	{ "note",	 BE_CMD_WRITE,		    be_cmd_note },
	{ "reopen",	 BE_CMD_WRITE,		    be_cmd_reopen },
	{ "reply",	 BE_CMD_WRITE,		    be_cmd_reply },
	{ "resolve",	 BE_CMD_WRITE,		    be_cmd_resolve },
	{ "return",	 BE_CMD_WRITE,		    be_cmd_return },
	{ "unit_status", BE_CMD_WRITE,		    be_cmd_unit_status },
};

static int __attribute__((format(printf, 3, 4)))
be_cmd_fail(struct be_cmd_ctx *ctx, enum proto_err err, const char *fmt, ...)
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
be_cmd_bad_args(struct be_cmd_ctx *ctx, const json_error_t *jerr)
{
	return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: bad arguments: %s",
	    ctx->name, jerr->text));
}

/* ==== Roles and areas ==== */

static enum be_role
be_cmd_role(const struct be_operator *op)
{
	if (op->role == NULL)
		return (BE_ROLE_UNKNOWN);
	if (strcmp(op->role, "supervisor") == 0)
		return (BE_ROLE_SUPERVISOR);
	if (strcmp(op->role, "trainer") == 0)
		return (BE_ROLE_TRAINER);
	if (strcmp(op->role, "operator") == 0)
		return (BE_ROLE_OPERATOR);
	if (strcmp(op->role, "observer") == 0)
		return (BE_ROLE_OBSERVER);
	return (BE_ROLE_UNKNOWN);
}

/*
 * Check that the operator may act on an item (named by what, e.g.
 * "A-0012") in area: supervisors and trainers everywhere, operators in
 * their areas. Returns 0 or -1 after be_cmd_fail().
 */
static int
be_cmd_area(struct be_cmd_ctx *ctx, const char *what, const char *area)
{
	const struct area	*a;
	char			*list = NULL, *tmp;
	size_t			 i;
	int			 rc;

	switch (be_cmd_role(ctx->op)) {
	case BE_ROLE_SUPERVISOR:
	case BE_ROLE_TRAINER:
		return (0);
	case BE_ROLE_OPERATOR:
		break;
	default:
		return (be_cmd_fail(ctx, PROTO_E_FORBIDDEN, "%s: your role "
		    "cannot change anything", ctx->name));
	}
	if (be_operator_has_area(ctx->op, area))
		return (0);
	for (i = 0; i < ctx->op->nareas && i < 8; i++) {
		if (ctx->op->areas[i] == NULL)
			continue;
		tmp = list;
		xasprintf(&list, "%s%s%s", tmp != NULL ? tmp : "",
		    tmp != NULL ? ", " : "", ctx->op->areas[i]);
		free(tmp);
	}
	a = store_area(ctx->st->store, area);
	if (a != NULL && a->name != NULL)
		rc = be_cmd_fail(ctx, PROTO_E_FORBIDDEN, "%s is in %s (%s): "
		    "you act only in %s%s", what, a->name, area,
		    list != NULL ? list : "none",
		    ctx->op->nareas > 8 ? ", ..." : "");
	else
		rc = be_cmd_fail(ctx, PROTO_E_FORBIDDEN, "%s is in area %s: "
		    "you act only in %s%s", what, area,
		    list != NULL ? list : "none",
		    ctx->op->nareas > 8 ? ", ..." : "");
	free(list);
	return (rc);
}

/* ==== Argument checks ==== */

/* Check the optional "version" argument: -1 (absent) or >= 1. */
static int
be_cmd_version(struct be_cmd_ctx *ctx, json_int_t version)
{
	if (version != -1 && (version < 1 || version > UINT32_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"version\" "
		    "must be a positive integer", ctx->name));
	return (0);
}

/* Check an item id argument. */
static int
be_cmd_id(struct be_cmd_ctx *ctx, const char *key, const char *id)
{
	if (!model_id_valid(id, MODEL_ID_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: \"%s\" is not "
		    "a valid id", ctx->name, key));
	return (0);
}

/*
 * Check a free text argument: required (or NULL when optional), 1 to
 * PROTO_MAX_TEXT bytes. Returns 0 or -1.
 */
static int
be_cmd_text(struct be_cmd_ctx *ctx, const char *key, const char *s,
    int required)
{
	size_t	len;

	if (s == NULL) {
		if (!required)
			return (0);
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: give a %s",
		    ctx->name, key));
	}
	len = strlen(s);
	if (len == 0)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: the %s must "
		    "not be empty", ctx->name, key));
	if (len > PROTO_MAX_TEXT)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: the %s is too "
		    "long (%zu bytes, at most %d)", ctx->name, key, len,
		    PROTO_MAX_TEXT));
	return (0);
}

/* Refuse a stale version, naming both. */
static int
be_cmd_fresh(struct be_cmd_ctx *ctx, const char *id, uint32_t current,
    json_int_t seen)
{
	if (seen != -1 && (json_int_t)current != seen)
		return (be_cmd_fail(ctx, PROTO_E_STALE_VERSION, "%s changed: "
		    "you saw version %" JSON_INTEGER_FORMAT ", it is now "
		    "version %u", id, seen, current));
	return (0);
}

/* ==== Alerts ==== */

/*
 * A bad_state refusal for an alert action, worded for the officer.
 */
static int
be_cmd_alert_state(struct be_cmd_ctx *ctx, const struct alert *a,
    enum alert_action action)
{
	const char	*state = alert_state_names[a->state];

	if (alert_can(a->state, action))
		return (0);
	switch (action) {
	case ALERT_DO_ACK:
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: only a "
		    "new alert can be acknowledged", a->id, state));
	case ALERT_DO_REOPEN:
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is still open "
		    "(%s): only a resolved or closed alert can be reopened",
		    a->id, state));
	case ALERT_DO_CLOSE:
	case ALERT_DO_RESOLVE:
		if (a->state == ALERT_CLOSED)
			return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is "
			    "already closed", a->id));
		if (a->state == ALERT_RESOLVED)
			return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is "
			    "already resolved: close it", a->id));
		break;
	default:
		break;
	}
	if (a->state == ALERT_CLOSED || a->state == ALERT_RESOLVED)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: reopen "
		    "it first", a->id, state));
	return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "cannot %s %s: it is %s",
	    ctx->name, a->id, state));
}

/*
 * Find the alert a command names and run the checks every alert command
 * shares: a valid id, the alert exists, the operator may act in its area,
 * the version the officer saw (-1: none given) is current, the state
 * machine allows action. Returns the stored alert (borrowed, valid until
 * the next change) or NULL after be_cmd_fail().
 */
static struct alert *
be_cmd_alert(struct be_cmd_ctx *ctx, const char *id, json_int_t version,
    enum alert_action action)
{
	struct alert	*a;

	if (be_cmd_id(ctx, "alert", id) != 0 ||
	    be_cmd_version(ctx, version) != 0)
		return (NULL);
	if ((a = store_alert(ctx->st->store, id)) == NULL) {
		be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no alert %s", id);
		return (NULL);
	}
	if (be_cmd_area(ctx, a->id, a->area) != 0 ||
	    be_cmd_fresh(ctx, a->id, a->version, version) != 0 ||
	    be_cmd_alert_state(ctx, a, action) != 0)
		return (NULL);
	return (a);
}

/*
 * Emit a changed copy of an alert with a history entry (what: the
 * command; text may be NULL). Returns 0 or -1 after be_cmd_fail().
 */
static int
be_cmd_emit_alert(struct be_cmd_ctx *ctx, struct alert *copy,
    const char *text)
{
	history_add(&copy->hist, ctx->now, ctx->op->name, ctx->name, text);
	if (be_emit_alert(ctx->st, copy, ctx->op->name, ctx->name,
	    &ctx->out->seq) != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "%s: %s failed",
		    copy->id, ctx->name));
	return (0);
}

/* Emit a unit in a new status, bound to alert (NULL: unbound). */
static int
be_cmd_emit_unit(struct be_cmd_ctx *ctx, const struct unit *u,
    enum unit_status status, const char *alert)
{
	struct unit	copy;
	int		rc;

	unit_copy(&copy, u);
	copy.status = status;
	snprintf(copy.alert, sizeof copy.alert, "%s",
	    alert != NULL ? alert : "");
	rc = be_emit_unit(ctx->st, &copy, ctx->op->name, ctx->name,
	    &ctx->out->seq);
	unit_clear(&copy);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "%s: %s failed",
		    u->id, ctx->name));
	return (0);
}

/*
 * Send the alert's units that are still on the job (dispatched, en route,
 * on scene) back: they become returning.
 */
static int
be_cmd_release_units(struct be_cmd_ctx *ctx, const struct alert *a)
{
	char		 ids[ALERT_MAX_UNITS][MODEL_ID_MAX];
	char		 alert[MODEL_ID_MAX];
	struct unit	*u;
	int		 i, n = a->nunits;

	/* Copy: the alert may move while units are emitted. */
	memcpy(ids, a->units, sizeof ids);
	snprintf(alert, sizeof alert, "%s", a->id);
	for (i = 0; i < n; i++) {
		u = store_unit(ctx->st->store, ids[i]);
		if (u == NULL || strcmp(u->alert, alert) != 0 ||
		    !unit_is_busy(u))
			continue;
		if (be_cmd_emit_unit(ctx, u, UNIT_RETURNING, alert) != 0)
			return (-1);
	}
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
	if ((a = be_cmd_alert(ctx, id, version, ALERT_DO_ACK)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	copy.state = ALERT_ACKNOWLEDGED;
	free(copy.acked_by);
	copy.acked_by = xstrdup(ctx->op->name);
	rc = be_cmd_emit_alert(ctx, &copy, NULL);
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
be_cmd_dispatch(struct be_cmd_ctx *ctx, json_t *args)
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
	if ((a = be_cmd_alert(ctx, id, version, ALERT_DO_DISPATCH)) == NULL)
		return (-1);
	added = 0;
	for (i = 0; i < n; i++) {
		if ((u = store_unit(ctx->st->store, ids[i])) == NULL)
			return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no unit "
			    "%s", ids[i]));
		if (be_cmd_area(ctx, u->id, u->area) != 0)
			return (-1);
		if (!unit_can(u->status, UNIT_DISPATCHED))
			return (be_cmd_fail(ctx, PROTO_E_UNIT_UNAVAILABLE,
			    "unit %s is %s%s%s", u->id,
			    unit_status_names[u->status],
			    u->alert[0] != '\0' ? " on " : "", u->alert));
		if (!alert_has_unit(a, u->id))
			added++;
	}
	if (a->nunits + added > ALERT_MAX_UNITS)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s already has %d "
		    "units; at most %d", a->id, a->nunits, ALERT_MAX_UNITS));

	/* Checked: from here on the command is applied. */
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
	rc = be_cmd_emit_alert(ctx, &copy, text);
	free(text);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = be_cmd_emit_unit(ctx, store_unit(ctx->st->store, ids[i]),
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
be_cmd_note(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "alert", &id, "text", &text, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_text(ctx, "text", text, 1) != 0 ||
	    (a = be_cmd_alert(ctx, id, version, ALERT_DO_NOTE)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	rc = be_cmd_emit_alert(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * escalate {alert, version?}: one escalation level more, at most
 * ALERT_MAX_ESCALATION, while the alert is open.
 */
static int
be_cmd_escalate(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	char		 text[32];
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "alert", &id, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if ((a = be_cmd_alert(ctx, id, version, ALERT_DO_ESCALATE)) == NULL)
		return (-1);
	if (a->escalation >= ALERT_MAX_ESCALATION)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is already at "
		    "the highest escalation level (%d)", a->id,
		    ALERT_MAX_ESCALATION));
	alert_copy(&copy, a);
	copy.escalation++;
	snprintf(text, sizeof text, "level %d", copy.escalation);
	rc = be_cmd_emit_alert(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * mute {alert, minutes, version?}: silences the alert until now + minutes
 * (1 to 240); it stays open. Muting again sets a new end.
 */
static int
be_cmd_mute(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1, minutes;
	struct alert	*a, copy;
	char		 text[32];
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:I, s?:I}",
	    "alert", &id, "minutes", &minutes, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (minutes < 1 || minutes > BE_CMD_MUTE_MAX)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "mute: \"minutes\" "
		    "must be 1 to %d", BE_CMD_MUTE_MAX));
	if ((a = be_cmd_alert(ctx, id, version, ALERT_DO_MUTE)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	copy.muted_until = ctx->now + minutes * 60000;
	snprintf(text, sizeof text, "%d min", (int)minutes);
	rc = be_cmd_emit_alert(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/*
 * resolve {alert, text?, version?}: -> resolved; the units still on the
 * job return.
 */
static int
be_cmd_resolve(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text = NULL;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "alert", &id, "text", &text, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_text(ctx, "text", text, 0) != 0 ||
	    (a = be_cmd_alert(ctx, id, version, ALERT_DO_RESOLVE)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	copy.state = ALERT_RESOLVED;
	copy.muted_until = 0;
	rc = be_cmd_emit_alert(ctx, &copy, text);
	if (rc == 0)
		rc = be_cmd_release_units(ctx, &copy);
	alert_clear(&copy);
	return (rc);
}

/*
 * close {alert, disposition, reason?, version?}: -> closed with the
 * disposition; the reason is required unless the disposition is
 * "resolved". Units still on the job return.
 */
static int
be_cmd_close(struct be_cmd_ctx *ctx, json_t *args)
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
		return (be_cmd_bad_args(ctx, &jerr));
	d = MODEL_ENUM_PARSE(disposition_names, disp);
	if (d <= DISPOSITION_NONE)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "close: the "
		    "disposition must be resolved, false_alarm, duplicate, "
		    "cancelled or transferred"));
	if (be_cmd_text(ctx, "reason", reason, 0) != 0 ||
	    be_cmd_id(ctx, "alert", id) != 0)
		return (-1);
	if (reason == NULL && d != DISPOSITION_RESOLVED)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "%s: give a reason "
		    "to close it as %s", id, disposition_names[d]));
	if ((a = be_cmd_alert(ctx, id, version, ALERT_DO_CLOSE)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	copy.state = ALERT_CLOSED;
	copy.disposition = d;
	copy.muted_until = 0;
	if (reason != NULL)
		xasprintf(&text, "%s: %s", disposition_names[d], reason);
	else
		text = xstrdup(disposition_names[d]);
	rc = be_cmd_emit_alert(ctx, &copy, text);
	free(text);
	if (rc == 0)
		rc = be_cmd_release_units(ctx, &copy);
	alert_clear(&copy);
	return (rc);
}

/*
 * reopen {alert, reason, version?}: resolved or closed -> acknowledged,
 * with no disposition and no units (the history keeps who went).
 */
static int
be_cmd_reopen(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *reason = NULL;
	json_int_t	 version = -1;
	struct alert	*a, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "alert", &id, "reason", &reason, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_text(ctx, "reason", reason, 1) != 0 ||
	    (a = be_cmd_alert(ctx, id, version, ALERT_DO_REOPEN)) == NULL)
		return (-1);
	alert_copy(&copy, a);
	copy.state = ALERT_ACKNOWLEDGED;
	copy.disposition = DISPOSITION_NONE;
	memset(copy.units, 0, sizeof copy.units);
	copy.nunits = 0;
	if (copy.acked_by == NULL)
		copy.acked_by = xstrdup(ctx->op->name);
	rc = be_cmd_emit_alert(ctx, &copy, reason);
	alert_clear(&copy);
	return (rc);
}

/* ==== Units ==== */

/* A bad_state refusal for a unit move, worded for the officer. */
static int
be_cmd_unit_state(struct be_cmd_ctx *ctx, const struct unit *u,
    enum unit_status to)
{
	const char	*from = unit_status_names[u->status];

	if (u->status == to)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is already %s",
		    u->id, from));
	if (unit_can(u->status, to))
		return (0);
	if (u->status == UNIT_AVAILABLE)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is available: "
		    "dispatch it first", u->id));
	if (u->status == UNIT_OUT_OF_SERVICE)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is out of "
		    "service: make it available first", u->id));
	return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: it cannot go "
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
be_cmd_unit_status(struct be_cmd_ctx *ctx, json_t *args)
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
		return (be_cmd_bad_args(ctx, &jerr));
	to = MODEL_ENUM_PARSE(unit_status_names, status);
	if (to == -1 || to == UNIT_DISPATCHED)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "unit_status: the "
		    "status must be en_route, on_scene, returning, available "
		    "or out_of_service"));
	if (be_cmd_id(ctx, "unit", id) != 0 ||
	    be_cmd_version(ctx, version) != 0)
		return (-1);
	if ((u = store_unit(ctx->st->store, id)) == NULL)
		return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no unit %s", id));
	a = u->alert[0] != '\0' ? store_alert(ctx->st->store, u->alert) :
	    NULL;
	/* An operator may report for a unit of theirs or on their alert. */
	if (a == NULL || be_cmd_role(ctx->op) != BE_ROLE_OPERATOR ||
	    !be_operator_has_area(ctx->op, a->area)) {
		if (be_cmd_area(ctx, u->id, u->area) != 0)
			return (-1);
	}
	if (be_cmd_fresh(ctx, u->id, u->version, version) != 0 ||
	    be_cmd_unit_state(ctx, u, to) != 0)
		return (-1);

	snprintf(alert, sizeof alert, "%s", u->alert);
	if (be_cmd_emit_unit(ctx, u, to, (to == UNIT_AVAILABLE ||
	    to == UNIT_OUT_OF_SERVICE) ? NULL : alert) != 0)
		return (-1);
	if (alert[0] == '\0' ||
	    (a = store_alert(ctx->st->store, alert)) == NULL)
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
	rc = be_cmd_emit_alert(ctx, &copy, text);
	alert_clear(&copy);
	return (rc);
}

/* ==== Feedback ==== */

/*
 * Find the feedback case a command names and run the shared checks, as
 * be_cmd_alert(). Returns the stored case (borrowed) or NULL.
 */
static struct feedback *
be_cmd_case(struct be_cmd_ctx *ctx, const char *id, json_int_t version,
    enum fb_action action)
{
	struct feedback	*f;
	const char	*state;

	if (be_cmd_id(ctx, "case", id) != 0 ||
	    be_cmd_version(ctx, version) != 0)
		return (NULL);
	if ((f = store_feedback(ctx->st->store, id)) == NULL) {
		be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no feedback case %s", id);
		return (NULL);
	}
	if (be_cmd_area(ctx, f->id, f->area) != 0 ||
	    be_cmd_fresh(ctx, f->id, f->version, version) != 0)
		return (NULL);
	if (feedback_can(f->state, action))
		return (f);
	state = fb_state_names[f->state];
	if (f->state == FB_CLOSED)
		be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is closed", f->id);
	else if (action == FB_DO_CLOSE)
		be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is %s: only an "
		    "answered or returned case can be closed", f->id, state);
	else if (action == FB_DO_REPLY && f->state == FB_NEW)
		be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is new: assign it to a "
		    "department first", f->id);
	else
		be_cmd_fail(ctx, PROTO_E_BAD_STATE, "cannot %s %s: it is %s",
		    ctx->name, f->id, state);
	return (NULL);
}

/* Emit a changed copy of a case with a history entry. */
static int
be_cmd_emit_case(struct be_cmd_ctx *ctx, struct feedback *copy,
    const char *text)
{
	history_add(&copy->hist, ctx->now, ctx->op->name, ctx->name, text);
	if (be_emit_feedback(ctx->st, copy, ctx->op->name, ctx->name,
	    &ctx->out->seq) != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "%s: %s failed",
		    copy->id, ctx->name));
	return (0);
}

/*
 * assign {case, dept, version?}: new, assigned, in progress or returned
 * -> assigned to the department.
 */
static int
be_cmd_assign(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t		 jerr;
	const char		*id, *dept;
	json_int_t		 version = -1;
	struct feedback		*f, copy;
	struct department	*d;
	int			 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "case", &id, "dept", &dept, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (!model_id_valid(dept, MODEL_CODE_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "assign: \"dept\" "
		    "is not a valid department code"));
	if ((f = be_cmd_case(ctx, id, version, FB_DO_ASSIGN)) == NULL)
		return (-1);
	if ((d = store_department(ctx->st->store, dept)) == NULL)
		return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no department "
		    "%s", dept));
	if (f->state != FB_RETURNED && strcmp(f->dept, d->code) == 0)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is already "
		    "assigned to %s", f->id, d->code));
	feedback_copy(&copy, f);
	copy.state = FB_ASSIGNED;
	snprintf(copy.dept, sizeof copy.dept, "%s", d->code);
	rc = be_cmd_emit_case(ctx, &copy, d->code);
	feedback_clear(&copy);
	return (rc);
}

/*
 * reply {case, text, version?}: assigned or in progress -> answered, with
 * the reply.
 */
static int
be_cmd_reply(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *text;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:s, s?:I}",
	    "case", &id, "text", &text, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_text(ctx, "text", text, 1) != 0 ||
	    (f = be_cmd_case(ctx, id, version, FB_DO_REPLY)) == NULL)
		return (-1);
	feedback_copy(&copy, f);
	copy.state = FB_ANSWERED;
	free(copy.reply);
	copy.reply = xstrdup(text);
	rc = be_cmd_emit_case(ctx, &copy, text);
	feedback_clear(&copy);
	return (rc);
}

/*
 * return {case, reason, version?}: -> returned, "not within our
 * competence"; the reason is the reply.
 */
static int
be_cmd_return(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id, *reason = NULL;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:s, s?:I}",
	    "case", &id, "reason", &reason, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_text(ctx, "reason", reason, 1) != 0 ||
	    (f = be_cmd_case(ctx, id, version, FB_DO_RETURN)) == NULL)
		return (-1);
	feedback_copy(&copy, f);
	copy.state = FB_RETURNED;
	free(copy.reply);
	copy.reply = xstrdup(reason);
	rc = be_cmd_emit_case(ctx, &copy, reason);
	feedback_clear(&copy);
	return (rc);
}

/*
 * close_case {case, version?}: answered or returned -> closed.
 */
static int
be_cmd_close_case(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct feedback	*f, copy;
	int		 rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s?:I}",
	    "case", &id, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if ((f = be_cmd_case(ctx, id, version, FB_DO_CLOSE)) == NULL)
		return (-1);
	feedback_copy(&copy, f);
	copy.state = FB_CLOSED;
	rc = be_cmd_emit_case(ctx, &copy, NULL);
	feedback_clear(&copy);
	return (rc);
}

/* ==== Hospitals ==== */

/*
 * divert {hospital, on, version?}: diversion on or off.
 */
static int
be_cmd_divert(struct be_cmd_ctx *ctx, json_t *args)
{
	json_error_t	 jerr;
	const char	*id;
	json_int_t	 version = -1;
	struct hospital	*h, copy;
	int		 on, rc;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:b, s?:I}",
	    "hospital", &id, "on", &on, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_id(ctx, "hospital", id) != 0 ||
	    be_cmd_version(ctx, version) != 0)
		return (-1);
	if ((h = store_hospital(ctx->st->store, id)) == NULL)
		return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no hospital %s",
		    id));
	if (be_cmd_area(ctx, h->id, h->area) != 0 ||
	    be_cmd_fresh(ctx, h->id, h->version, version) != 0)
		return (-1);
	if (!h->diversion == !on)
		return (be_cmd_fail(ctx, PROTO_E_BAD_STATE, "%s is already %s",
		    h->id, on ? "on diversion" : "off diversion"));
	hospital_copy(&copy, h);
	copy.diversion = on != 0;
	rc = be_emit_hospital(ctx->st, &copy, ctx->op->name, ctx->name,
	    &ctx->out->seq);
	hospital_clear(&copy);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "%s: divert failed",
		    id));
	return (0);
}

/* ==== Inject ==== */

/* An area the inject names must be one of the province's. */
static int
be_cmd_known_area(struct be_cmd_ctx *ctx, const char *area)
{
	if (!model_id_valid(area, MODEL_CODE_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"area\" "
		    "is not a valid area code"));
	if (store_area(ctx->st->store, area) == NULL)
		return (be_cmd_fail(ctx, PROTO_E_NOT_FOUND, "no area %s in "
		    "this province", area));
	return (0);
}

/* An enum argument of inject. */
static int
be_cmd_enum(struct be_cmd_ctx *ctx, const char *key, const char *s,
    const char *const *names, int n, int *out)
{
	int	i;

	if ((i = model_enum_parse(names, n, s)) == -1)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: unknown "
		    "%s \"%.32s\"", key, s));
	*out = i;
	return (0);
}

static int
be_cmd_inject_alert(struct be_cmd_ctx *ctx, json_t *item)
{
	json_error_t	 jerr;
	const char	*kind, *area, *place, *source, *title;
	json_int_t	 severity, deadline = 0;
	int		 exercise = ctx->st->exercise, k = 0, src = 0, rc;
	struct alert	 a;

	if (json_unpack_ex(item, &jerr, JSON_STRICT, "{s:s, s:I, s:s, s:s, "
	    "s:s, s:s, s?:I, s?:b}", "kind", &kind, "severity", &severity,
	    "area", &area, "place", &place, "source", &source, "title",
	    &title, "deadline_min", &deadline, "exercise", &exercise) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_enum(ctx, "kind", kind, alert_kind_names,
	    ALERT_KIND_COUNT, &k) != 0 ||
	    be_cmd_enum(ctx, "source", source, alert_source_names,
	    SOURCE_COUNT, &src) != 0)
		return (-1);
	if (severity < 1 || severity > 4)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"severity\" must be 1 to 4"));
	if (deadline < 0 || deadline > BE_CMD_DEADLINE_MAX)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"deadline_min\" must be 0 to %d", BE_CMD_DEADLINE_MAX));
	if (be_cmd_text(ctx, "title", title, 1) != 0 ||
	    be_cmd_text(ctx, "place", place, 1) != 0 ||
	    be_cmd_known_area(ctx, area) != 0)
		return (-1);
	if (ctx->dry)
		return (0);

	memset(&a, 0, sizeof a);
	do {
		snprintf(a.id, sizeof a.id, "A-%04u", ++ctx->st->last_alert);
	} while (store_alert(ctx->st->store, a.id) != NULL);
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
	history_add(&a.hist, ctx->now, ctx->op->name, "created",
	    alert_source_names[src]);
	rc = be_emit_alert(ctx->st, &a, ctx->op->name, ctx->name,
	    &ctx->out->seq);
	snprintf(ctx->out->item, sizeof ctx->out->item, "%s", a.id);
	alert_clear(&a);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "inject failed"));
	return (0);
}

static int
be_cmd_inject_feedback(struct be_cmd_ctx *ctx, json_t *item)
{
	json_error_t	 jerr;
	const char	*channel, *area, *category, *text;
	struct feedback	 f;
	int		 c = 0, rc;

	if (json_unpack_ex(item, &jerr, JSON_STRICT, "{s:s, s:s, s:s, s:s}",
	    "channel", &channel, "area", &area, "category", &category,
	    "text", &text) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (be_cmd_enum(ctx, "channel", channel, fb_channel_names,
	    FB_CHANNEL_COUNT, &c) != 0)
		return (-1);
	if (!model_id_valid(category, MODEL_CODE_MAX))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: "
		    "\"category\" is not a valid code"));
	if (be_cmd_text(ctx, "text", text, 1) != 0 ||
	    be_cmd_known_area(ctx, area) != 0)
		return (-1);
	if (ctx->dry)
		return (0);

	memset(&f, 0, sizeof f);
	do {
		snprintf(f.id, sizeof f.id, "PA-%04u",
		    ++ctx->st->last_feedback);
	} while (store_feedback(ctx->st->store, f.id) != NULL);
	f.channel = c;
	snprintf(f.area, sizeof f.area, "%s", area);
	snprintf(f.category, sizeof f.category, "%s", category);
	f.text = xstrdup(text);
	f.state = FB_NEW;
	f.received = ctx->now;
	f.deadline = be_cmd_feedback_due(ctx->now,
	    ctx->st->store->utc_offset_min);
	history_add(&f.hist, ctx->now, ctx->op->name, "created",
	    fb_channel_names[c]);
	rc = be_emit_feedback(ctx->st, &f, ctx->op->name, ctx->name,
	    &ctx->out->seq);
	snprintf(ctx->out->item, sizeof ctx->out->item, "%s", f.id);
	feedback_clear(&f);
	if (rc != 0)
		return (be_cmd_fail(ctx, PROTO_E_INTERNAL, "inject failed"));
	return (0);
}

/*
 * inject {kind, item}: a new alert or feedback case with a fresh id, as a
 * drill or a test makes it (trainers and supervisors only). The result
 * carries the new id as "item".
 */
static int
be_cmd_inject(struct be_cmd_ctx *ctx, json_t *args)
{
	static int	(*const be_cmd_injects[KIND_COUNT])(struct be_cmd_ctx *,
			    json_t *) = {
		[KIND_ALERT] = be_cmd_inject_alert,
		[KIND_FEEDBACK] = be_cmd_inject_feedback
	};
	const struct kind *k;
	json_error_t	 jerr;
	const char	*kind;
	json_t		*item;
	json_int_t	 version = -1;

	if (json_unpack_ex(args, &jerr, JSON_STRICT, "{s:s, s:o, s?:I}",
	    "kind", &kind, "item", &item, "version", &version) != 0)
		return (be_cmd_bad_args(ctx, &jerr));
	if (!json_is_object(item))
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"item\" "
		    "must be an object"));
	if ((k = kind_find(kind)) == NULL || be_cmd_injects[k->index] == NULL)
		return (be_cmd_fail(ctx, PROTO_E_BAD_ARGS, "inject: \"kind\" "
		    "must be alert or feedback"));
	return (be_cmd_injects[k->index](ctx, item));
}

/* ==== Running commands ==== */

/*
 * The deadline of a feedback case received at "received": two working
 * days, counted in working hours (Monday to Friday, 07:30-11:30 and
 * 13:30-17:00 local time at utc_offset_min; 7.5 hours a day), so a case
 * that arrives on Friday evening is due on Tuesday at 17:00. Returns ms.
 */
int64_t
be_cmd_feedback_due(int64_t received, int utc_offset_min)
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

/* be_cmd_run() and, with dry, be_cmd_check(). */
static int
be_cmd_run1(struct be_state *st, const struct be_operator *op,
    const char *name, json_t *args, int dry, struct be_cmd_outcome *out)
{
	const struct be_cmd_entry	*ce;
	struct be_cmd_ctx		 ctx;
	enum be_role			 role = be_cmd_role(op);

	memset(out, 0, sizeof *out);
	memset(&ctx, 0, sizeof ctx);
	ctx.st = st;
	ctx.op = op;
	ctx.name = name;
	ctx.now = clock_now();
	ctx.dry = dry;
	ctx.out = out;
	if (dry && strcmp(name, "inject") != 0)
		return (be_cmd_fail(&ctx, PROTO_E_INTERNAL, "%s cannot be "
		    "checked without running it", name));

	if (!json_is_object(args))
		return (be_cmd_fail(&ctx, PROTO_E_BAD_ARGS, "%s: \"args\" must "
		    "be an object", name));
	if ((ce = be_cmd_find(name)) == NULL)
		return (be_cmd_fail(&ctx, PROTO_E_UNKNOWN_COMMAND, "unknown "
		    "command \"%.32s\"", name));
	if ((ce->flags & BE_CMD_WRITE) && role == BE_ROLE_OBSERVER)
		return (be_cmd_fail(&ctx, PROTO_E_FORBIDDEN, "%s: an observer "
		    "cannot change anything", name));
	if ((ce->flags & BE_CMD_WRITE) && role == BE_ROLE_UNKNOWN)
		return (be_cmd_fail(&ctx, PROTO_E_FORBIDDEN, "%s: the role "
		    "\"%.32s\" cannot change anything", name,
		    op->role != NULL ? op->role : ""));
	if ((ce->flags & BE_CMD_DRILL) && role != BE_ROLE_TRAINER &&
	    role != BE_ROLE_SUPERVISOR)
		return (be_cmd_fail(&ctx, PROTO_E_FORBIDDEN, "%s: only a "
		    "trainer or a supervisor may do this", name));
	if (ce->exec(&ctx, args) != 0) {
		if (out->msg == NULL)
			be_cmd_fail(&ctx, PROTO_E_INTERNAL, "%s failed", name);
		return (-1);
	}
	return (0);
}

/*
 * Run a command for an operator, without a command id: the checks and
 * the change, as be_cmd_exec() does after its idempotency check. The
 * simulator's colleagues and scenario injects come this way too. Returns
 * 0 with out->seq the seq of the last event produced (0: none) and
 * out->item the id of an injected item; or -1 with out->err and out->msg
 * (allocated; free with be_cmd_outcome_clear()), with nothing changed
 * (an "internal" failure excepted).
 */
int
be_cmd_run(struct be_state *st, const struct be_operator *op,
    const char *name, json_t *args, struct be_cmd_outcome *out)
{
	return (be_cmd_run1(st, op, name, args, 0, out));
}

/*
 * Check an inject as be_cmd_run() would, without changing anything (a
 * scenario checks its timeline when it loads). Returns 0, or -1 with
 * out->err and out->msg set.
 */
int
be_cmd_check(struct be_state *st, const struct be_operator *op,
    const char *name, json_t *args, struct be_cmd_outcome *out)
{
	return (be_cmd_run1(st, op, name, args, 1, out));
}

/*
 * Free what an outcome holds (the refusal message). The struct stays
 * usable.
 */
void
be_cmd_outcome_clear(struct be_cmd_outcome *out)
{
	free(out->msg);
	out->msg = NULL;
}

/*
 * The canonical payload of a command, for idempotency: {by, cmd, args}
 * with sorted keys, compact, so the same id from another operator is a
 * conflict too. Caller frees.
 */
static char *
be_cmd_payload(const char *by, const char *name, json_t *args)
{
	json_t	*o;
	char	*s;

	o = json_pack("{s:s s:s s:O}", "by", by != NULL ? by : "", "cmd",
	    name, "args", args);
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
 * reference, never NULL): ok with the seq of the last event produced (and
 * "item" for inject), or a refusal with a code and message. A repeated id
 * with the same payload returns the first result again and changes
 * nothing; with another payload it is refused with "conflict".
 */
json_t *
be_cmd_exec(struct be_state *st, const struct be_operator *op, json_t *msg)
{
	struct be_cmd_outcome	 out;
	json_t			*idv, *namev, *args, *res;
	const char		*payload0, *result0, *id, *name;
	char			*payload, *text;

	idv = json_object_get(msg, "id");
	if (!json_is_string(idv) ||
	    !model_id_valid(json_string_value(idv), BE_CMD_ID_MAX))
		return (proto_result_err(json_is_string(idv) ?
		    json_string_value(idv) : "", PROTO_E_BAD_ARGS,
		    "the command id must be 1 to 63 of [A-Za-z0-9_.-]"));
	id = json_string_value(idv);
	namev = json_object_get(msg, "cmd");
	args = json_object_get(msg, "args");
	if (!json_is_string(namev) || !json_is_object(args))
		return (proto_result_err(id, PROTO_E_BAD_ARGS, "a command "
		    "needs a \"cmd\" string and an \"args\" object"));
	name = json_string_value(namev);

	payload = be_cmd_payload(op->name, name, args);
	if (be_idem_find(st->idem, id, &payload0, &result0)) {
		if (strcmp(payload, payload0) == 0 &&
		    (res = json_loads(result0, 0, NULL)) != NULL) {
			free(payload);
			return (res);
		}
		free(payload);
		xasprintf(&text, "command id %s was already used for another "
		    "command", id);
		res = proto_result_err(id, PROTO_E_CONFLICT, text);
		free(text);
		return (res);
	}

	if (be_cmd_run(st, op, name, args, &out) != 0) {
		res = proto_result_err(id, out.err, out.msg);
		log_info("cmd %s %s by %s: %s: %s", id, name, op->name,
		    proto_err_names[out.err], out.msg);
	} else {
		res = proto_result_ok(id, out.seq);
		if (out.item[0] != '\0')
			json_object_set_new(res, "item",
			    json_string(out.item));
		log_info("cmd %s %s by %s: ok, seq %llu", id, name, op->name,
		    (unsigned long long)out.seq);
	}
	/* A failure of ours is not an answer: the client may retry. */
	if (out.msg == NULL || out.err != PROTO_E_INTERNAL) {
		text = proto_dump(res);
		be_idem_put(st->idem, id, payload, text);
		free(text);
	}
	be_cmd_outcome_clear(&out);
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
