/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Training commands: replay, score, mark. */

#include <stdlib.h>

#include "cmd.h"
#include "i18n.h"

/*
 * The controls of a replay (console/replay.c) and the trainee's score,
 * and marks: in a recording while one is made, in a replay to come back
 * to. They reach the replay or the recorder through the train hook of
 * struct cmd_ops; in a live session without a recording, or a script
 * against a backend, they say there is nothing to control.
 */

static enum cmd_retval	cmd_replay_mark_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_replay_replay_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_replay_score_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_replay_mark_entry = {
	.name = "mark",
	.alias = "danhdau",
	.args = {
		{ "TEXT", "text", CMD_ARG_OPT | CMD_ARG_REST, 0 },
	},
	.help = N_("Put a mark here, with an optional text: in the recording "
	    "being made, or in the replay, to seek back to it."),
	.cflags = CMD_READONLY,
	.exec = cmd_replay_mark_exec
};

const struct cmd_entry cmd_replay_replay_entry = {
	.name = "replay",
	.alias = "phatlai",
	.args = {
		{ "WHAT", "replay", 0, 0 },
		{ "VALUE", "word", CMD_ARG_OPT, 0 },
	},
	.help = N_("Control the replay: play, pause, toggle, step, speed "
	    "0.25-64|max, faster, slower, seek +30s|-1m|10:42|50%|start|end, "
	    "next alert|mark, prev alert|mark, status."),
	.cflags = CMD_READONLY,
	.exec = cmd_replay_replay_exec
};

const struct cmd_entry cmd_replay_score_entry = {
	.name = "score",
	.alias = "diem",
	.help = N_("In a replay, compare what you did with what the recorded "
	    "officer did, item by item, so far."),
	.cflags = CMD_READONLY,
	.exec = cmd_replay_score_exec
};

/* Run verb with value through the train hook and tell what it said. */
static enum cmd_retval
cmd_replay_train(struct cmd_ctx *ctx, const char *name, const char *verb,
    const char *value)
{
	char	*msg = NULL;
	int	 rv;

	if (ctx->ops->train == NULL) {
		cmd_error(ctx, _("%s: no replay here"), name);
		return (CMD_ERROR);
	}
	rv = ctx->ops->train(ctx->arg, verb, value, &msg);
	if (rv < 0) {
		cmd_error(ctx, "%s", msg != NULL ? msg : name);
		free(msg);
		return (CMD_ERROR);
	}
	if (rv == 1)
		cmd_show(ctx, _("Score"), msg);
	else if (msg != NULL && !(ctx->flags & CMD_CTX_SCRIPT))
		cmd_print(ctx, "%s", msg);
	free(msg);
	return (CMD_OK);
}

static enum cmd_retval
cmd_replay_mark_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_replay_train(ctx, "mark", "mark", cmd_arg_text(args, 0)));
}

static enum cmd_retval
cmd_replay_replay_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_replay_train(ctx, "replay", cmd_arg_value(args, 0, 0),
	    cmd_arg_count(args, 1) > 0 ? cmd_arg_value(args, 1, 0) : NULL));
}

static enum cmd_retval
cmd_replay_score_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	return (cmd_replay_train(ctx, "score", "score", NULL));
}
