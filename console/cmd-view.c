/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Console commands: help, keys, the screen's own commands, retry, outbox. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "input.h"
#include "outbox.h"
#include "xmalloc.h"

/*
 * These change nothing on the backend (CMD_READONLY) except retry, which
 * sends again what was refused as stale. The screen's commands (filter,
 * search, sort, focus, zoom, layout, theme, lang) go to ops->ui: the
 * machinery is the screen's; a build without it says "not yet".
 */

static enum cmd_retval	cmd_view_digest_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_help_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_keys_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_outbox_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_prompt_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_quit_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_record_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_redraw_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_retry_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_ui_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_view_digest_entry = {
	.name = "digest",
	.alias = "kiemtra",
	.help = N_("Compare the console's state with the backend's "
	    "(digest)."),
	.cflags = CMD_NEEDCONN | CMD_READONLY,
	.exec = cmd_view_digest_exec
};

const struct cmd_entry cmd_view_filter_entry = {
	.name = "filter",
	.alias = "loc",
	.args = {
		{ "WHAT", "filter", CMD_ARG_REST | CMD_ARG_OPT, 0 },
	},
	.help = N_("Show only some rows: an area, a severity; no words: "
	    "show all."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_focus_entry = {
	.name = "focus",
	.alias = "chon",
	.args = {
		{ "PANEL", "panel", 0, 0 },
	},
	.help = N_("Move the focus to a panel: alerts, hospitals, schools, "
	    "feedback, or 1-4."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_help_entry = {
	.name = "help",
	.alias = "trogiup",
	.args = {
		{ "COMMAND", "command", CMD_ARG_OPT, 0 },
	},
	.help = N_("List the commands, or show how to use one."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_help_exec
};

const struct cmd_entry cmd_view_keys_entry = {
	.name = "keys",
	.alias = "phim",
	.help = N_("List the key bindings."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_keys_exec
};

const struct cmd_entry cmd_view_lang_entry = {
	.name = "lang",
	.alias = "ngonngu",
	.args = {
		{ "vi|en", "lang", 0, 0 },
	},
	.help = N_("Switch the language of the screen."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_layout_entry = {
	.name = "layout",
	.alias = "bocuc",
	.args = {
		{ "NAME", "layout", CMD_ARG_OPT, 0 },
	},
	.help = N_("Switch the arrangement of the panels."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_outbox_entry = {
	.name = "outbox",
	.alias = "hangdoi",
	.help = N_("List the commands still waiting for their result: sent, "
	    "or queued while offline."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_outbox_exec
};

const struct cmd_entry cmd_view_prompt_entry = {
	.name = "prompt",
	.alias = "lenh",
	.args = {
		{ "TEXT", "word", CMD_ARG_OPT, 0 },
	},
	.help = N_("Open the command line, with TEXT already typed."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_prompt_exec
};

const struct cmd_entry cmd_view_quit_entry = {
	.name = "quit",
	.alias = "thoat",
	.help = N_("Leave the console; commands not yet answered stay in "
	    "the outbox."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_quit_exec
};

const struct cmd_entry cmd_view_record_entry = {
	.name = "record",
	.alias = "ghi",
	.args = {
		{ "FILE|stop", "word", CMD_ARG_OPT, 0 },
	},
	.help = N_("Record every message in and out into a new FILE, for "
	    "training; \"record stop\" ends it."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_record_exec
};

const struct cmd_entry cmd_view_redraw_entry = {
	.name = "redraw",
	.alias = "velai",
	.help = N_("Repaint the whole screen."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_redraw_exec
};

const struct cmd_entry cmd_view_retry_entry = {
	.name = "retry",
	.alias = "thulai",
	.help = N_("Send again the commands refused because the item had "
	    "changed, with the version the console holds now."),
	.exec = cmd_view_retry_exec
};

const struct cmd_entry cmd_view_search_entry = {
	.name = "search",
	.alias = "tim",
	.args = {
		{ "TEXT", "word", CMD_ARG_REST | CMD_ARG_OPT, 0 },
	},
	.help = N_("Find rows by their text, accents ignored (\"ha long\" "
	    "finds Hạ Long); no text: clear."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_sort_entry = {
	.name = "sort",
	.alias = "xep",
	.args = {
		{ "FIELD", "sort", CMD_ARG_OPT, 0 },
	},
	.help = N_("Sort the focused panel by a column."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_theme_entry = {
	.name = "theme",
	.alias = "giaodien",
	.args = {
		{ "NAME", "theme", 0, 0 },
	},
	.help = N_("Switch the colour theme."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

const struct cmd_entry cmd_view_zoom_entry = {
	.name = "zoom",
	.alias = "phong",
	.help = N_("Let the focused panel fill the screen, or stop."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_ui_exec
};

static void
cmd_view_show(struct cmd_ctx *ctx, const char *title, const char *text)
{
	if (ctx->ops->pager != NULL)
		ctx->ops->pager(ctx->arg, title, text);
	else
		cmd_print(ctx, "%s", text);
}

static enum cmd_retval
cmd_view_digest_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*cause = NULL;

	(void)args;
	if (ctx->ops->digest == NULL) {
		cmd_error(ctx, _("digest: no backend"));
		return (CMD_ERROR);
	}
	if (ctx->ops->digest(ctx->arg, &cause) != 0) {
		cmd_error(ctx, "digest: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (!(ctx->flags & CMD_CTX_SCRIPT))
		cmd_print(ctx, _("digest: asked"));
	return (CMD_WAIT);
}

static enum cmd_retval
cmd_view_help_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const struct cmd_entry	*ce;
	char			*cause, *text;

	if (cmd_arg_count(args, 0) == 0) {
		text = cmd_help_text();
		cmd_view_show(ctx, _("Commands"), text);
		free(text);
		return (CMD_OK);
	}
	if ((ce = cmd_find(cmd_arg_value(args, 0, 0), &cause)) == NULL) {
		cmd_error(ctx, "help: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	text = cmd_help_one(ce);
	cmd_print(ctx, "%s", text);
	free(text);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_keys_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*text;

	(void)args;
	text = input_help_text();
	cmd_view_show(ctx, _("Keys"), text);
	free(text);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_outbox_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*text;

	(void)args;
	if (ctx->outbox == NULL) {
		cmd_error(ctx, _("outbox: none here"));
		return (CMD_ERROR);
	}
	text = outbox_text(ctx->outbox, ctx->store->utc_offset_min,
	    ctx->ascii);
	cmd_view_show(ctx, _("Outbox"), text);
	free(text);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_prompt_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	if (ctx->ops->prompt == NULL) {
		cmd_error(ctx, _("prompt: no command line here"));
		return (CMD_ERROR);
	}
	ctx->ops->prompt(ctx->arg, cmd_arg_count(args, 0) > 0 ?
	    cmd_arg_value(args, 0, 0) : "");
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_quit_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	if (ctx->ops->quit != NULL)
		ctx->ops->quit(ctx->arg);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_record_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*what = cmd_arg_value(args, 0, 0);
	char		*msg = NULL;
	int		 rv;

	if (ctx->ops->record == NULL) {
		cmd_error(ctx, _("record: not available here"));
		return (CMD_ERROR);
	}
	rv = ctx->ops->record(ctx->arg, what, &msg);
	if (rv != 0) {
		cmd_error(ctx, "record: %s", msg);
		free(msg);
		return (CMD_ERROR);
	}
	cmd_print(ctx, "%s", msg);
	free(msg);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_redraw_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	if (ctx->ops->redraw != NULL)
		ctx->ops->redraw(ctx->arg);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_retry_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	return (cmd_retry_all(ctx));
}

static enum cmd_retval
cmd_view_ui_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*verb = args->argv[0];
	const struct cmd_entry *ce;
	char		*cause = NULL;
	int		 rv;

	/* argv[0] is what was typed; the hook gets the command's name. */
	if ((ce = cmd_find(verb, NULL)) != NULL)
		verb = ce->name;
	rv = ctx->ops->ui == NULL ? 1 : ctx->ops->ui(ctx->arg, verb,
	    args->argc - 1, args->argv + 1, &cause);
	if (rv == 1) {
		cmd_error(ctx, _("%s: not yet in this version"), verb);
		return (CMD_ERROR);
	}
	if (rv != 0) {
		cmd_error(ctx, "%s: %s", verb, cause != NULL ? cause : "?");
		free(cause);
		return (CMD_ERROR);
	}
	return (CMD_OK);
}
