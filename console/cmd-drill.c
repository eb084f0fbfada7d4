/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* Trainers' commands: inject into a drill, annotate it. */

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "i18n.h"
#include "model.h"
#include "store.h"
#include "xmalloc.h"

/*
 * An instructor injects from the command line, as a drill file would
 * (docs/drills.md): an alert, a feedback case, or a unit's status. The
 * words after the kind are read in order, the free text last, so the
 * line reads as it is said:
 *
 *	inject alert flood 4 06676 Ngập sâu 0,8 m ở Hà Lầm
 *	inject feedback hotline 06688 power Mất điện khu 5 Hồng Hải
 *	inject unit RES-VD-02 out_of_service
 *
 * Every item a trainer injects is an exercise (the backend makes it so).
 * annotate adds a time-stamped note to the drill's journal and report.
 */

static enum cmd_retval	cmd_drill_inject_exec(struct cmd_ctx *,
			    struct cmd_args *);
static enum cmd_retval	cmd_drill_annotate_exec(struct cmd_ctx *,
			    struct cmd_args *);

const struct cmd_entry cmd_drill_inject_entry = {
	.name = "inject",
	.alias = "tao",
	.args = {
		{ "alert|feedback|unit", "inject", 0, 0 },
		{ "WORDS", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Trainers: inject into the drill: \"alert KIND SEVERITY "
	    "AREA TITLE\", \"feedback CHANNEL AREA CATEGORY TEXT\" or \"unit "
	    "UNIT STATUS\"."),
	.exec = cmd_drill_inject_exec
};

const struct cmd_entry cmd_drill_annotate_entry = {
	.name = "annotate",
	.alias = "ghichu",
	.args = {
		{ "TEXT", "text", CMD_ARG_REST, 0 },
	},
	.help = N_("Trainers: a time-stamped note for the drill's journal and "
	    "report."),
	.exec = cmd_drill_annotate_exec
};

/*
 * Split the first n words off line into w[] (pointers into copy, which
 * the caller frees); *rest is what follows them, NULL when nothing
 * does. Returns the words found.
 */
static int
cmd_drill_words(const char *line, char **copy, char **w, int n, char **rest)
{
	char	*p;
	int	 i = 0;

	p = *copy = xstrdup(line);
	*rest = NULL;
	while (i < n) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return (i);
		w[i++] = p;
		p += strcspn(p, " ");
		if (*p != '\0')
			*p++ = '\0';
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		*rest = p;
	return (i);
}

/* The area a word names (a code or a name), as the store spells it. */
static const char *
cmd_drill_area(struct cmd_ctx *ctx, const char *word)
{
	size_t	i;

	for (i = 0; i < ctx->store->nareas; i++) {
		if (strcmp(ctx->store->areas[i].code, word) == 0)
			return (ctx->store->areas[i].code);
	}
	return (NULL);
}

static enum cmd_retval
cmd_drill_inject_alert(struct cmd_ctx *ctx, const char *line)
{
	char		*copy, *w[3], *title, *summary;
	const char	*area, *place;
	struct area	*a;
	enum cmd_retval	 rv;
	long		 sev;

	if (cmd_drill_words(line, &copy, w, 3, &title) != 3 ||
	    title == NULL) {
		cmd_error(ctx, "%s", _("inject alert KIND SEVERITY AREA TITLE"));
		free(copy);
		return (CMD_ERROR);
	}
	sev = strtol(w[1], NULL, 10);
	if ((area = cmd_drill_area(ctx, w[2])) == NULL) {
		cmd_error(ctx, _("no such area: %s"), w[2]);
		free(copy);
		return (CMD_ERROR);
	}
	a = store_area(ctx->store, area);
	place = a != NULL && a->name != NULL ? a->name : area;
	summary = xprintf("inject alert %s", area);
	rv = cmd_send_one(ctx, "inject", json_pack("{s:s s:{s:s s:I s:s s:s "
	    "s:s s:s s:b}}", "kind", "alert", "item", "kind", w[0],
	    "severity", (json_int_t)sev, "area", area, "place", place,
	    "source", "manual", "title", title, "exercise", 1), summary);
	free(summary);
	free(copy);
	return (rv);
}

static enum cmd_retval
cmd_drill_inject_feedback(struct cmd_ctx *ctx, const char *line)
{
	char		*copy, *w[3], *text, *summary;
	const char	*area;
	enum cmd_retval	 rv;

	if (cmd_drill_words(line, &copy, w, 3, &text) != 3 || text == NULL) {
		cmd_error(ctx, "%s", _("inject feedback CHANNEL AREA CATEGORY "
		    "TEXT"));
		free(copy);
		return (CMD_ERROR);
	}
	if ((area = cmd_drill_area(ctx, w[1])) == NULL) {
		cmd_error(ctx, _("no such area: %s"), w[1]);
		free(copy);
		return (CMD_ERROR);
	}
	summary = xprintf("inject feedback %s", area);
	rv = cmd_send_one(ctx, "inject", json_pack("{s:s s:{s:s s:s s:s s:s "
	    "s:b}}", "kind", "feedback", "item", "channel", w[0], "area",
	    area, "category", w[2], "text", text, "exercise", 1), summary);
	free(summary);
	free(copy);
	return (rv);
}

static enum cmd_retval
cmd_drill_inject_unit(struct cmd_ctx *ctx, const char *line)
{
	char		*copy, *w[2], *rest, *summary;
	struct unit	*u;
	enum cmd_retval	 rv;

	if (cmd_drill_words(line, &copy, w, 2, &rest) != 2 || rest != NULL) {
		cmd_error(ctx, "%s", _("inject unit UNIT STATUS"));
		free(copy);
		return (CMD_ERROR);
	}
	if ((u = store_unit(ctx->store, w[0])) == NULL) {
		cmd_error(ctx, _("no such unit: %s"), w[0]);
		free(copy);
		return (CMD_ERROR);
	}
	summary = xprintf("inject unit %s %s", u->id, w[1]);
	rv = cmd_send_one(ctx, "unit_status", json_pack("{s:s s:s s:I}",
	    "unit", u->id, "status", w[1], "version", (json_int_t)u->version),
	    summary);
	free(summary);
	free(copy);
	return (rv);
}

static enum cmd_retval
cmd_drill_inject_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	const char	*what = cmd_arg_value(args, 0, 0);
	const char	*line = cmd_arg_text(args, 1);

	if (strcmp(what, "alert") == 0)
		return (cmd_drill_inject_alert(ctx, line));
	if (strcmp(what, "feedback") == 0)
		return (cmd_drill_inject_feedback(ctx, line));
	return (cmd_drill_inject_unit(ctx, line));
}

static enum cmd_retval
cmd_drill_annotate_exec(struct cmd_ctx *ctx, struct cmd_args *args)
{
	return (cmd_send_one(ctx, "annotate", json_pack("{s:s}", "text",
	    cmd_arg_text(args, 0)), "annotate"));
}
