/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Alert commands: ack, dispatch, note, escalate, mute, resolve, close... */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "model.h"
#include "proto.h"
#include "xmalloc.h"

/*
 * Each handler runs after cmd_run() has bound and checked its words: the
 * ids name alerts the console holds (as the store spells them), status
 * and disposition words are canonical, minutes are a number. A handler
 * builds the protocol arguments (docs/protocol.md, "cmd and result") with
 * the version of the alert the console holds, and sends one command per
 * alert. "close" on a feedback case sends close_case: an officer closes
 * things, the protocol tells alerts from cases.
 */

static enum cmd_retval	cmd_alert_ack_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_close_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_dispatch_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_escalate_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_mute_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_note_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_reopen_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_alert_resolve_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_alert_ack_entry = {
	.name = "ack",
	.alias = "xn",
	.args = {
		{ "ALERT", "alert.ack", CMD_ARG_MANY, 0 },
	},
	.help = N_("Acknowledge alerts: new -> acknowledged."),
	.exec = cmd_alert_ack_exec
};

const struct cmd_entry cmd_alert_close_entry = {
	.name = "close",
	.alias = "dong",
	.args = {
		{ "ITEM", "item.close", 0, 0 },
		{ "DISPOSITION", "disposition", CMD_ARG_OPT, 0 },
		{ "REASON", "text", CMD_ARG_REST | CMD_ARG_OPT, 0 },
	},
	.help = N_("Close an alert with a disposition (resolved, "
	    "false_alarm, duplicate, cancelled, transferred; a reason unless "
	    "resolved), or close an answered feedback case."),
	.cflags = CMD_CONFIRM_CRIT,
	.exec = cmd_alert_close_exec
};

const struct cmd_entry cmd_alert_dispatch_entry = {
	.name = "dispatch",
	.alias = "dd dieu",
	.args = {
		{ "ALERT", "alert.dispatch", 0, 0 },
		{ "UNIT", "unit.available", CMD_ARG_MANY, ALERT_MAX_UNITS },
	},
	.help = N_("Dispatch available units (at most 8) to an alert."),
	.exec = cmd_alert_dispatch_exec
};

const struct cmd_entry cmd_alert_escalate_entry = {
	.name = "escalate",
	.alias = "nang",
	.args = {
		{ "ALERT", "alert.escalate", CMD_ARG_MANY, 0 },
	},
	.help = N_("Raise the escalation level of alerts by one (at most "
	    "5)."),
	.exec = cmd_alert_escalate_exec
};

const struct cmd_entry cmd_alert_mute_entry = {
	.name = "mute",
	.alias = "tat",
	.args = {
		{ "ALERT", "alert.mute", CMD_ARG_MANY, 0 },
		{ "MINUTES", "minutes", CMD_ARG_OPT, 0 },
	},
	.help = N_("Mute alerts for MINUTES (1-240, or 45m, 2h; default 30); "
	    "they stay open."),
	.exec = cmd_alert_mute_exec
};

const struct cmd_entry cmd_alert_note_entry = {
	.name = "note",
	.alias = "gc",
	.args = {
		{ "ALERT", "alert.note", 0, 0 },
		{ "TEXT", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Add a note to an alert's history."),
	.exec = cmd_alert_note_exec
};

const struct cmd_entry cmd_alert_reopen_entry = {
	.name = "reopen",
	.alias = "mo",
	.args = {
		{ "ALERT", "alert.reopen", 0, 0 },
		{ "REASON", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Reopen a resolved or closed alert, with a reason."),
	.exec = cmd_alert_reopen_exec
};

const struct cmd_entry cmd_alert_resolve_entry = {
	.name = "resolve",
	.alias = "xl",
	.args = {
		{ "ALERT", "alert.resolve", 0, 0 },
		{ "TEXT", "text", CMD_ARG_REST | CMD_ARG_OPT, 0 },
	},
	.help = N_("Resolve an alert (its units return), with an optional "
	    "note."),
	.cflags = CMD_CONFIRM_CRIT,
	.exec = cmd_alert_resolve_exec
};

/* {"alert": id, "version": v} and the extra members, for one alert. */
static json_t *
cmd_alert_args(struct cmd_ctx *ctx, const char *id)
{
	struct alert	*a = store_alert(ctx->store, id);

	return (json_pack("{s:s s:I}", "alert", id, "version",
	    (json_int_t)(a != NULL ? a->version : 0)));
}

static json_t *
cmd_alert_build_plain(struct cmd_ctx *ctx, const char *id, void *data)
{
	(void)data;
	return (cmd_alert_args(ctx, id));
}

static json_t *
cmd_alert_build_mute(struct cmd_ctx *ctx, const char *id, void *data)
{
	json_t	*o = cmd_alert_args(ctx, id);

	json_object_set_new(o, "minutes", json_integer(*(int *)data));
	return (o);
}

/* The ids bound to spec 0 as an array for cmd_send_each(). */
static const char **
cmd_alert_ids(struct cmd_args *args, int spec, int *n)
{
	const char	**ids;
	int		  i;

	*n = cmd_arg_count(args, spec);
	ids = xcalloc(*n + 1, sizeof *ids);
	for (i = 0; i < *n; i++)
		ids[i] = cmd_arg_value(args, spec, i);
	return (ids);
}

/* Send one command for one alert, with extra members (stolen). */
static enum cmd_retval
cmd_alert_one(struct cmd_ctx *ctx, const char *verb, const char *id,
    json_t *extra, const char *summary)
{
	json_t	*o = cmd_alert_args(ctx, id);

	if (extra != NULL) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	return (cmd_send_one(ctx, verb, o, summary));
}

static enum cmd_retval
cmd_alert_ack_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	**ids;
	enum cmd_retval	  rv;
	int		  n;

	ids = cmd_alert_ids(args, 0, &n);
	rv = cmd_send_each(ctx, "ack", "ack", NULL, n, ids,
	    cmd_alert_build_plain, NULL);
	free(ids);
	return (rv);
}

static enum cmd_retval
cmd_alert_escalate_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	**ids;
	enum cmd_retval	  rv;
	int		  n;

	ids = cmd_alert_ids(args, 0, &n);
	rv = cmd_send_each(ctx, "escalate", "escalate", NULL, n, ids,
	    cmd_alert_build_plain, NULL);
	free(ids);
	return (rv);
}

static enum cmd_retval
cmd_alert_mute_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	**ids;
	enum cmd_retval	  rv;
	int		  n, minutes = CMD_MUTE_DEFAULT;

	if (cmd_arg_count(args, 1) == 1)
		minutes = atoi(cmd_arg_value(args, 1, 0));
	ids = cmd_alert_ids(args, 0, &n);
	rv = cmd_send_each(ctx, "mute", "mute", NULL, n, ids,
	    cmd_alert_build_mute, &minutes);
	free(ids);
	return (rv);
}

static enum cmd_retval
cmd_alert_dispatch_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	char		*summary, *tmp;
	json_t		*units;
	enum cmd_retval	 rv;
	int		 i;

	units = json_array();
	summary = xprintf("dispatch %s", id);
	for (i = 0; i < cmd_arg_count(args, 1); i++) {
		json_array_append_new(units,
		    json_string(cmd_arg_value(args, 1, i)));
		xasprintf(&tmp, "%s %s", summary, cmd_arg_value(args, 1, i));
		free(summary);
		summary = tmp;
	}
	rv = cmd_alert_one(ctx, "dispatch", id, json_pack("{s:o}", "units",
	    units), summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_alert_note_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	char		*summary;
	enum cmd_retval	 rv;

	summary = xprintf("note %s", id);
	rv = cmd_alert_one(ctx, "note", id, json_pack("{s:s}", "text",
	    cmd_arg_text(args, 1)), summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_alert_reopen_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	char		*summary;
	enum cmd_retval	 rv;

	summary = xprintf("reopen %s", id);
	rv = cmd_alert_one(ctx, "reopen", id, json_pack("{s:s}", "reason",
	    cmd_arg_text(args, 1)), summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_alert_resolve_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	const char	*text = cmd_arg_text(args, 1);
	char		*summary;
	enum cmd_retval	 rv;

	summary = xprintf("resolve %s", id);
	rv = cmd_alert_one(ctx, "resolve", id, text != NULL ?
	    json_pack("{s:s}", "text", text) : NULL, summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_alert_close_case(struct cmd_ctx *ctx, struct cmd_args *args,
    struct feedback *f)
{
	char		*summary;
	enum cmd_retval	 rv;

	if (cmd_arg_count(args, 1) != 0 || cmd_arg_count(args, 2) != 0) {
		cmd_error(ctx, _("close: %s is a feedback case: no "
		    "disposition or reason"), f->id);
		return (CMD_ERROR);
	}
	summary = xprintf("close %s", f->id);
	rv = cmd_send_one(ctx, "close_case", json_pack("{s:s s:I}", "case",
	    f->id, "version", (json_int_t)f->version), summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_alert_close_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	const char	*disp = cmd_arg_value(args, 1, 0);
	const char	*reason = cmd_arg_text(args, 2);
	struct alert	*a;
	struct feedback	*f;
	char		*summary;
	json_t		*extra;
	enum cmd_retval	 rv;

	if ((a = store_alert(ctx->store, id)) == NULL) {
		if ((f = store_feedback(ctx->store, id)) == NULL) {
			cmd_error(ctx, _("close: no such alert or case: %s"),
			    id);
			return (CMD_ERROR);
		}
		return (cmd_alert_close_case(ctx, args, f));
	}
	if (disp == NULL) {
		if (a->state != ALERT_RESOLVED) {
			cmd_error(ctx, _("close %s: give a disposition: "
			    "resolved, false_alarm, duplicate, cancelled or "
			    "transferred"), id);
			return (CMD_ERROR);
		}
		disp = disposition_names[DISPOSITION_RESOLVED];
	}
	if (reason == NULL && strcmp(disp,
	    disposition_names[DISPOSITION_RESOLVED]) != 0) {
		cmd_error(ctx, _("close %s %s: give a reason"), id, disp);
		return (CMD_ERROR);
	}
	extra = json_pack("{s:s}", "disposition", disp);
	if (reason != NULL)
		json_object_set_new(extra, "reason", json_string(reason));
	summary = xprintf("close %s %s", id, disp);
	rv = cmd_alert_one(ctx, "close", id, extra, summary);
	free(summary);
	return (rv);
}
