/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Console commands: the screen's views, help, confirm, retry, outbox. */

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "cmd.h"
#include "i18n.h"
#include "layout.h"
#include "msglog.h"
#include "outbox.h"
#include "panel.h"
#include "screen.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * These change nothing on the backend (CMD_READONLY) except retry, which
 * sends again what was refused as stale. The screen's commands (focus,
 * select, detail, back, zoom, filter, search, sort, layout) act on
 * ctx->layout (widgets/layout.c) and are refused without a screen
 * (CMD_NEEDSCREEN); theme and lang work anywhere. Most keys run one of
 * them (console/key.c), so each is a small step with its words already
 * checked and canonical: "focus next", "select down", "filter severity
 * +1", "zoom".
 */

static enum cmd_retval	cmd_view_archive_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_back_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_confirm_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_detail_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_digest_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_filter_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_focus_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_help_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_lang_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_layout_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_messages_exec(struct cmd_ctx *,
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
static enum cmd_retval	cmd_view_search_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_select_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_sort_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_theme_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_view_zoom_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_view_archive_entry = {
	.name = "archive",
	.alias = "luutru",
	.args = {
		{ "alerts|feedback|all|next", "word", CMD_ARG_OPT, 0 },
		{ "HOURS", "word", CMD_ARG_OPT, 0 },
	},
	.help = N_("List what left the live state in the last HOURS "
	    "(default 24): closed alerts, closed or returned cases; \"next\": "
	    "the next page."),
	.cflags = CMD_NEEDCONN | CMD_READONLY,
	.exec = cmd_view_archive_exec
};

const struct cmd_entry cmd_view_back_entry = {
	.name = "back",
	.alias = "lui",
	.help = N_("Go back a step: close the detail, or clear the focused "
	    "panel's search."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_back_exec
};

const struct cmd_entry cmd_view_confirm_entry = {
	.name = "confirm",
	.alias = "hoi",
	.args = {
		{ "COMMAND", "command", CMD_ARG_REST, 0 },
	},
	.help = N_("Ask y/n first, then run the command (\"confirm quit\")."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_confirm_exec
};

const struct cmd_entry cmd_view_detail_entry = {
	.name = "detail",
	.alias = "chitiet",
	.args = {
		{ "on|off", "onoff", CMD_ARG_OPT, 0 },
	},
	.help = N_("Show the selected row's detail with its history, or "
	    "close it; no word: the other of the two."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_detail_exec
};

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
		{ "area|severity|clear", "filter", CMD_ARG_OPT, 0 },
		{ "VALUE", "filter.value", CMD_ARG_REST | CMD_ARG_OPT, 0 },
	},
	.help = N_("Show only some rows: \"area HL\" (a code or a name "
	    "without accents; next, prev), \"severity 3\" (+1, -1), or just "
	    "the area or severity; clear, or no words: show all."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_filter_exec
};

const struct cmd_entry cmd_view_focus_entry = {
	.name = "focus",
	.alias = "chon",
	.args = {
		{ "PANEL|next|prev", "panel.focus", 0, 0 },
	},
	.help = N_("Move the focus to a panel: alerts, hospitals, schools, "
	    "feedback, units, overview, or 1-6; or the next or previous "
	    "one."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_focus_exec
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

const struct cmd_entry cmd_view_lang_entry = {
	.name = "lang",
	.alias = "ngonngu",
	.args = {
		{ "vi|en", "lang", 0, 0 },
	},
	.help = N_("Switch the language of the screen."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_lang_exec
};

const struct cmd_entry cmd_view_layout_entry = {
	.name = "layout",
	.alias = "bocuc",
	.args = {
		{ "auto|single|grid|wide", "layout", 0, 0 },
	},
	.help = N_("Switch the arrangement of the panels (used when the "
	    "terminal is big enough for it)."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_layout_exec
};

const struct cmd_entry cmd_view_messages_entry = {
	.name = "messages",
	.alias = "tinnhan log",
	.help = N_("Show the message log: every result, refusal and notice "
	    "of this session, with its time, in full."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_messages_exec
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
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_search_exec
};

const struct cmd_entry cmd_view_select_entry = {
	.name = "select",
	.alias = "dichuyen",
	.args = {
		{ "up|down|page-up|page-down|top|bottom", "move", 0, 0 },
	},
	.help = N_("Move the selection of the focused panel (in a detail: "
	    "scroll it)."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_select_exec
};

const struct cmd_entry cmd_view_sort_entry = {
	.name = "sort",
	.alias = "xep",
	.args = {
		{ "PANEL", "panel", CMD_ARG_OPT | CMD_ARG_LOOKS, 0 },
		{ "FIELD", "sort", CMD_ARG_OPT, 0 },
	},
	.help = N_("Sort a panel (the focused one unless named) by a column; "
	    "no column: its usual order."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_sort_exec
};

const struct cmd_entry cmd_view_theme_entry = {
	.name = "theme",
	.alias = "giaodien",
	.args = {
		{ "NAME", "theme", CMD_ARG_OPT, 0 },
	},
	.help = N_("Switch the colour theme; no name: list the themes."),
	.cflags = CMD_READONLY,
	.exec = cmd_view_theme_exec
};

const struct cmd_entry cmd_view_zoom_entry = {
	.name = "zoom",
	.alias = "phong",
	.args = {
		{ "on|off", "onoff", CMD_ARG_OPT, 0 },
	},
	.help = N_("Let the focused panel fill the screen, or stop; no word: "
	    "the other of the two."),
	.cflags = CMD_READONLY | CMD_NEEDSCREEN,
	.exec = cmd_view_zoom_exec
};

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

/* The archive command's first word: what it lists, by table. */
static const struct {
	const char	*word;
	const char	*kind;		/* NULL: both. */
	int		 next;
} cmd_view_archive_words[] = {
	{ "alerts", "alert", 0 },	{ "canhbao", "alert", 0 },
	{ "feedback", "feedback", 0 },	{ "phananh", "feedback", 0 },
	{ "all", NULL, 0 },		{ "tatca", NULL, 0 },
	{ "next", NULL, 1 },		{ "tiep", NULL, 1 },
};

#define CMD_VIEW_ARCHIVE_NWORDS	\
	(sizeof cmd_view_archive_words / sizeof cmd_view_archive_words[0])
#define CMD_VIEW_ARCHIVE_HOURS		24
#define CMD_VIEW_ARCHIVE_HOURS_MAX	8784	/* A leap year. */

static enum cmd_retval
cmd_view_archive_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*w, *kind = NULL;
	char		*end, *cause = NULL;
	long		 hours = CMD_VIEW_ARCHIVE_HOURS;
	size_t		 i;
	int		 next = 0;

	if (cmd_arg_count(args, 0) > 0) {
		w = cmd_arg_value(args, 0, 0);
		for (i = 0; i < CMD_VIEW_ARCHIVE_NWORDS; i++) {
			if (strcmp(w, cmd_view_archive_words[i].word) == 0)
				break;
		}
		if (i == CMD_VIEW_ARCHIVE_NWORDS) {
			cmd_error(ctx, _("archive: \"%s\" is not alerts, "
			    "feedback, all or next"), w);
			return (CMD_ERROR);
		}
		kind = cmd_view_archive_words[i].kind;
		next = cmd_view_archive_words[i].next;
	}
	if (cmd_arg_count(args, 1) > 0) {
		w = cmd_arg_value(args, 1, 0);
		hours = strtol(w, &end, 10);
		if (next || *w < '0' || *w > '9' || *end != '\0' ||
		    hours < 1 || hours > CMD_VIEW_ARCHIVE_HOURS_MAX) {
			cmd_error(ctx, _("archive: hours are a number from 1 "
			    "to %d"), CMD_VIEW_ARCHIVE_HOURS_MAX);
			return (CMD_ERROR);
		}
	}
	if (ctx->ops->archive == NULL) {
		cmd_error(ctx, _("archive: no backend"));
		return (CMD_ERROR);
	}
	if (ctx->ops->archive(ctx->arg, kind, clock_now() - (int64_t)hours *
	    3600000, next, &cause) != 0) {
		cmd_error(ctx, "archive: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (!(ctx->flags & CMD_CTX_SCRIPT))
		cmd_print(ctx, _("archive: asked"));
	return (CMD_WAIT);
}

static enum cmd_retval
cmd_view_help_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const struct cmd_entry	*ce;
	char			*cause, *text;

	if (cmd_arg_count(args, 0) == 0) {
		text = cmd_help_text();
		cmd_show(ctx, _("Commands"), text);
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

/* The log in an overlay, wrapped to what the overlay can show. */
static enum cmd_retval
cmd_view_messages_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct layout	*l = ctx->layout;
	char		*text;

	(void)args;
	if (l->log == NULL || l->log->n == 0) {
		cmd_print(ctx, "%s", _("No messages yet"));
		return (CMD_OK);
	}
	text = msglog_text(l->log, ctx->store->utc_offset_min, ctx->ascii,
	    l->cols > 8 ? (size_t)l->cols - 4 : 0);
	cmd_show(ctx, _("Messages"), text);
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
	cmd_show(ctx, _("Outbox"), text);
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
cmd_view_confirm_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_run_asking(ctx, cmd_arg_text(args, 0)));
}

/* Returns "on" (1), "off" (0) or nothing (-1); the word is canonical. */
static int
cmd_view_onoff(struct cmd_args *args, int spec)
{
	if (cmd_arg_count(args, spec) == 0)
		return (-1);
	return (strcmp(cmd_arg_value(args, spec, 0), "on") == 0);
}

static enum cmd_retval
cmd_view_back_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	(void)args;
	layout_back(ctx->layout);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_detail_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct panel	*p = layout_focused(ctx->layout);
	int		 on = cmd_view_onoff(args, 0);

	if (on == -1)
		on = p == NULL || (~p->flags & PANEL_DETAIL);
	if (layout_detail(ctx->layout, on) != 0) {
		cmd_error(ctx, _("detail: nothing selected"));
		return (CMD_ERROR);
	}
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_focus_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*name = cmd_arg_value(args, 0, 0);
	int		 i;

	if (strcmp(name, "next") == 0)
		layout_focus_step(ctx->layout, 1);
	else if (strcmp(name, "prev") == 0)
		layout_focus_step(ctx->layout, -1);
	else if ((i = layout_find(ctx->layout, name)) < 0) {
		cmd_error(ctx, _("focus: no panel \"%s\" here"), name);
		return (CMD_ERROR);
	} else
		layout_focus(ctx->layout, i);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_select_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	static const struct {
		const char		*word;
		enum layout_move	 how;
	} moves[] = {
		{ "up", LAYOUT_MOVE_UP },
		{ "down", LAYOUT_MOVE_DOWN },
		{ "page-up", LAYOUT_MOVE_PAGE_UP },
		{ "page-down", LAYOUT_MOVE_PAGE_DOWN },
		{ "top", LAYOUT_MOVE_TOP },
		{ "bottom", LAYOUT_MOVE_BOTTOM }
	};
	const char	*word = cmd_arg_value(args, 0, 0);
	size_t		 i;

	for (i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		if (strcmp(moves[i].word, word) == 0) {
			layout_move(ctx->layout, moves[i].how);
			return (CMD_OK);
		}
	}
	cmd_error(ctx, "select: %s?", word);	/* cmd_words() and moves[]. */
	return (CMD_ERROR);
}

static enum cmd_retval
cmd_view_zoom_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	layout_zoom(ctx->layout, cmd_view_onoff(args, 0));
	return (CMD_OK);
}

/*
 * filter [area AREA... | area next|prev | severity N | severity +1|-1 |
 * clear], or just AREA... or N; nothing: clear.
 */
static enum cmd_retval
cmd_view_filter_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct layout	*l = ctx->layout;
	const char	*what = cmd_arg_value(args, 0, 0);
	const char	*value = cmd_arg_text(args, 1);
	char		*text, *end, *cause = NULL;
	long		 n;
	int		 rv;

	if (what == NULL || (value == NULL && (strcmp(what, "clear") == 0 ||
	    strcmp(what, "off") == 0 || strcmp(what, "none") == 0))) {
		layout_filter_clear(l);
		return (CMD_OK);
	}
	if (strcmp(what, "severity") == 0 || strcmp(what, "sev") == 0) {
		if (value == NULL)
			goto usage;
		if (strcmp(value, "+1") == 0)
			layout_filter_severity_step(l, 1);
		else if (strcmp(value, "-1") == 0)
			layout_filter_severity_step(l, -1);
		else {
			what = value;
			value = NULL;
			goto number;
		}
		return (CMD_OK);
	}
	if (strcmp(what, "area") == 0) {
		if (value == NULL)
			goto usage;
		if (strcmp(value, "next") == 0)
			layout_filter_area_step(l, 1);
		else if (strcmp(value, "prev") == 0)
			layout_filter_area_step(l, -1);
		else if (layout_filter_area(l, value, &cause) != 0)
			goto fail;
		return (CMD_OK);
	}
number:
	n = strtol(what, &end, 10);
	if (value == NULL && *end == '\0' && end != what) {
		if (layout_filter_severity(l, (int)n) != 0) {
			cmd_error(ctx, _("filter: severity is 1 to 4"));
			return (CMD_ERROR);
		}
		return (CMD_OK);
	}
	if (value != NULL)
		xasprintf(&text, "%s %s", what, value);
	else
		text = xstrdup(what);
	rv = layout_filter_area(l, text, &cause);
	free(text);
	if (rv != 0)
		goto fail;
	return (CMD_OK);

fail:
	cmd_error(ctx, "filter: %s", cause);
	free(cause);
	return (CMD_ERROR);
usage:
	cmd_error(ctx, _("filter: area AREA, severity N, or clear"));
	return (CMD_ERROR);
}

static enum cmd_retval
cmd_view_search_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	layout_search(ctx->layout, cmd_arg_text(args, 0));
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_sort_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct layout	*l = ctx->layout;
	struct panel	*p = layout_focused(l);
	const char	*panel = cmd_arg_value(args, 0, 0);
	const char	*field = cmd_arg_value(args, 1, 0);
	char		*cause = NULL;
	int		 i;

	if (panel != NULL) {
		if ((i = layout_find(l, panel)) < 0) {
			cmd_error(ctx, _("sort: no panel \"%s\" here"), panel);
			return (CMD_ERROR);
		}
		p = l->panels[i];
	}
	if (p == NULL)
		return (CMD_OK);
	if (panel_set_sort(p, field != NULL ? field : "", &cause) != 0) {
		cmd_error(ctx, "sort: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	l->dirty_chrome = 1;
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_layout_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*cause = NULL;

	if (layout_set_mode(ctx->layout, cmd_arg_value(args, 0, 0),
	    &cause) != 0) {
		cmd_error(ctx, "layout: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_theme_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	struct buf	 list = BUF_INIT;
	char		**names, *cause = NULL;
	size_t		 i;
	int		 rv;

	if (cmd_arg_count(args, 0) == 0) {
		names = theme_list();
		for (i = 0; names[i] != NULL; i++)
			buf_printf(&list, "%s%s", i > 0 ? ", " : "",
			    names[i]);
		theme_list_free(names);
		cmd_print(ctx, _("Theme %s; themes: %s"), theme_name(),
		    buf_str(&list));
		buf_free(&list);
		return (CMD_OK);
	}
	if ((rv = screen_theme(cmd_arg_value(args, 0, 0), &cause)) < 0) {
		cmd_error(ctx, "theme: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	if (rv > 0)
		cmd_error(ctx, "%s", cause);
	else
		cmd_print(ctx, _("Theme %s"), theme_name());
	free(cause);
	return (CMD_OK);
}

static enum cmd_retval
cmd_view_lang_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	char	*cause = NULL;

	if (screen_lang(cmd_arg_value(args, 0, 0), &cause) != 0) {
		cmd_error(ctx, "lang: %s", cause);
		free(cause);
		return (CMD_ERROR);
	}
	return (CMD_OK);
}
