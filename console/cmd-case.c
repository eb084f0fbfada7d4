/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Feedback case commands: assign, reply, return (close is in cmd-alert.c). */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "model.h"
#include "xmalloc.h"

/*
 * As in cmd-alert.c: the words are checked and canonical (a department is
 * its code, whatever the officer typed), and each command carries the
 * version of the case the console holds.
 */

static enum cmd_retval	cmd_case_assign_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_case_reply_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_case_return_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_case_assign_entry = {
	.name = "assign",
	.alias = "giao",
	.args = {
		{ "CASE", "case.assign", CMD_ARG_MANY, 0 },
		{ "DEPT", "dept", 0, 0 },
	},
	.help = N_("Assign feedback cases to a department (its code, or its "
	    "name without accents)."),
	.exec = cmd_case_assign_exec
};

const struct cmd_entry cmd_case_reply_entry = {
	.name = "reply",
	.alias = "tl",
	.args = {
		{ "CASE", "case.reply", 0, 0 },
		{ "TEXT", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Answer a feedback case with the reply text."),
	.exec = cmd_case_reply_exec
};

const struct cmd_entry cmd_case_return_entry = {
	.name = "return",
	.alias = "tra",
	.args = {
		{ "CASE", "case.return", 0, 0 },
		{ "REASON", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Return a feedback case as not within our competence, "
	    "with the reason (asks first)."),
	.cflags = CMD_CONFIRM,
	.exec = cmd_case_return_exec
};

static json_t *
cmd_case_args(struct cmd_ctx *ctx, const char *id)
{
	struct feedback	*f = store_feedback(ctx->store, id);

	return (json_pack("{s:s s:I}", "case", id, "version",
	    (json_int_t)(f != NULL ? f->version : 0)));
}

static json_t *
cmd_case_build_assign(struct cmd_ctx *ctx, const char *id, void *data)
{
	json_t	*o = cmd_case_args(ctx, id);

	json_object_set_new(o, "dept", json_string(data));
	return (o);
}

static enum cmd_retval
cmd_case_assign_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	**ids;
	enum cmd_retval	  rv;
	int		  i, n = cmd_arg_count(args, 0);

	ids = xcalloc(n + 1, sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = cmd_arg_value(args, 0, i);
	rv = cmd_send_each(ctx, "assign", "assign", NULL, n, ids,
	    cmd_case_build_assign, (void *)cmd_arg_value(args, 1, 0));
	free(ids);
	return (rv);
}

/* Send verb for one case with a text member called key. */
static enum cmd_retval
cmd_case_text(struct cmd_ctx *ctx, struct cmd_args *args, const char *verb,
    const char *key)
{
	const char	*id = cmd_arg_value(args, 0, 0);
	char		*summary;
	json_t		*o;
	enum cmd_retval	 rv;

	o = cmd_case_args(ctx, id);
	json_object_set_new(o, key, json_string(cmd_arg_text(args, 1)));
	summary = xprintf("%s %s", verb, id);
	rv = cmd_send_one(ctx, verb, o, summary);
	free(summary);
	return (rv);
}

static enum cmd_retval
cmd_case_reply_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_case_text(ctx, args, "reply", "text"));
}

static enum cmd_retval
cmd_case_return_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_case_text(ctx, args, "return", "reason"));
}
