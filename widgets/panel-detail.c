/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The detail view's lines: fields, wrapped text and an item's history. */

#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "draw.h"
#include "i18n.h"
#include "sanitize.h"
#include "theme.h"

/*
 * A class's detail hook describes one item as a run of lines: fields
 * ("Area:  Hạ Long"), paragraphs of free text wrapped at word boundaries
 * to the width (a '\n' in the text starts a new line), headings, blank
 * lines and the item's history. Each helper numbers the lines it makes
 * and draws only those between top and top + h, so the same hook both
 * counts the lines (win NULL) and draws the visible part. Nothing is
 * allocated: a line is copied to a buffer on the stack and drawn with
 * draw_text(), which sanitises and fits it again.
 */

#define PANEL_DETAIL_LINE	1024	/* Bytes of one drawn line. */
#define PANEL_DETAIL_LABEL	14	/* Default width of the labels. */

static void	panel_detail_put(struct panel_detail *, int, const char *,
		    size_t, attr_t);
static size_t	panel_detail_wrap(const char *, size_t, int, int, size_t *);
static void	panel_detail_para(struct panel_detail *, const char *, int,
		    attr_t);

/* Draw len bytes of s on the next line at column x (if it is visible). */
static void
panel_detail_put(struct panel_detail *d, int x, const char *s, size_t len,
    attr_t attr)
{
	char	buf[PANEL_DETAIL_LINE];
	int	y = d->line - d->top;

	d->line++;
	if (d->win == NULL || y < 0 || y >= d->h || x >= d->w)
		return;
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	draw_text(d->win, d->y0 + y, d->x0 + x, d->w - x, buf, attr, 0,
	    d->view->ascii);
}

/*
 * How many bytes of s (len bytes) go on one line of cols columns: up to
 * the last space that fits, or a hard cut when a word is longer than the
 * line, or up to a '\n'. *skip gets the bytes to step over after them
 * (the space or newline). Returns 0 only when len is 0.
 */
static size_t
panel_detail_wrap(const char *s, size_t len, int cols, int ascii,
    size_t *skip)
{
	size_t		 i = 0, n, space = 0;
	uint32_t	 cp;
	int		 used = 0, w, have_space = 0;

	*skip = 0;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\n') {
			*skip = n;
			return (i);
		}
		w = draw_cpwidth(cp, ascii);
		if (used + w > cols) {
			if (have_space) {
				*skip = 1;
				return (space);
			}
			return (i > 0 ? i : n);
		}
		if (cp == ' ') {
			space = i;
			have_space = 1;
		}
		used += w;
		i += n;
	}
	return (i);
}

/* Wrap text into lines indented by indent columns. */
static void
panel_detail_para(struct panel_detail *d, const char *text, int indent,
    attr_t attr)
{
	size_t	len, n, skip;
	int	cols = d->w - indent;

	if (text == NULL)
		text = "";
	if (cols < 1) {
		indent = 0;
		cols = d->w > 0 ? d->w : 1;
	}
	len = strlen(text);
	if (len == 0) {
		panel_detail_put(d, indent, "", 0, attr);
		return;
	}
	while (len > 0) {
		n = panel_detail_wrap(text, len, cols, d->view->ascii, &skip);
		panel_detail_put(d, indent, text, n, attr);
		text += n + skip;
		len -= n + skip;
	}
}

/*
 * One field: the label (translated by the caller) in the label column,
 * the value wrapped beside it in attr.
 */
void
panel_detail_field(struct panel_detail *d, const char *label,
    const char *value, attr_t attr)
{
	int	lw = d->label_w > 0 ? d->label_w : PANEL_DETAIL_LABEL;
	int	first = d->line, n;

	/* A long label pushes its value along rather than being cut. */
	if ((n = draw_width(label, d->view->ascii) + 2) > lw)
		lw = n;
	if (lw > d->w / 2)
		lw = d->w / 2;
	panel_detail_para(d, value, lw, attr);
	if (d->win != NULL && first - d->top >= 0 && first - d->top < d->h)
		draw_text(d->win, d->y0 + first - d->top, d->x0, lw - 1,
		    label, theme_attr(THEME_MUTED), 0, d->view->ascii);
}

/* A paragraph of text wrapped to the width, indented by indent. */
void
panel_detail_text(struct panel_detail *d, const char *text, attr_t attr,
    int indent)
{
	panel_detail_para(d, text, indent, attr);
}

/* An empty line. */
void
panel_detail_blank(struct panel_detail *d)
{
	panel_detail_put(d, 0, "", 0, A_NORMAL);
}

/* A heading line in the title style. */
void
panel_detail_heading(struct panel_detail *d, const char *text)
{
	panel_detail_put(d, 0, text, strlen(text),
	    theme_attr(THEME_TITLE) | A_BOLD);
}

/* What a history entry's "what" means, for people. */
static const struct {
	const char	*what;
	const char	*text;
} panel_detail_whats[] = {
	{ "created", N_("created") },
	{ "ack", N_("acknowledged") },
	{ "dispatch", N_("units dispatched") },
	{ "unit_status", N_("unit status") },
	{ "on_scene", N_("on scene") },
	{ "recall", N_("units recalled") },
	{ "note", N_("note") },
	{ "escalate", N_("escalated") },
	{ "mute", N_("muted") },
	{ "resolve", N_("resolved") },
	{ "close", N_("closed") },
	{ "reopen", N_("reopened") },
	{ "assign", N_("assigned") },
	{ "start", N_("work started") },
	{ "reply", N_("answered") },
	{ "return", N_("returned") },
	{ "transfer", N_("transferred") },
	{ "close_case", N_("closed") },
	{ "divert", N_("diversion") },
	{ "inject", N_("injected (drill)") },
	{ "update", N_("updated") }
};

/*
 * The wire values a history entry's text may hold (a source or channel
 * on creation, a disposition on close, a unit's status), in words.
 */
static const struct {
	const char	*wire;
	const char	*text;
} panel_detail_values[] = {
	{ "sensor", N_("sensor") }, { "camera", N_("camera") },
	{ "citizen", N_("citizen") }, { "hospital", N_("hospital") },
	{ "manual", N_("manual") },
	{ "app", N_("app") }, { "hotline", N_("hotline 1022") },
	{ "web", N_("web portal") }, { "zalo", N_("Zalo") },
	{ "press", N_("press") }, { "social", N_("social media") },
	{ "resolved", N_("resolved") }, { "false_alarm", N_("false alarm") },
	{ "duplicate", N_("duplicate") }, { "cancelled", N_("cancelled") },
	{ "transferred", N_("transferred") },
	{ "available", N_("available") }, { "dispatched", N_("dispatched") },
	{ "en_route", N_("en route") }, { "on_scene", N_("on scene") },
	{ "returning", N_("returning") },
	{ "out_of_service", N_("out of service") }
};

/* A wire value of len bytes in words (translated), or NULL. */
static const char *
panel_detail_value(const char *wire, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof panel_detail_values /
	    sizeof panel_detail_values[0]; i++) {
		if (strlen(panel_detail_values[i].wire) == len &&
		    strncmp(panel_detail_values[i].wire, wire, len) == 0)
			return (_(panel_detail_values[i].text));
	}
	return (NULL);
}

/*
 * A history entry's text in the officer's language, into buf: the
 * backend writes a few short descriptions in English and wire values
 * (docs/protocol.md §5, "history"), said here in words; anything else,
 * a note or a reason, is the officer's own and stays as it is.
 */
void
panel_history_text(const char *what, const char *text, char *buf,
    size_t sz)
{
	const char	*v, *colon;
	char		 id[64], status[32];
	int		 n;

	if ((v = panel_detail_value(text, strlen(text))) != NULL &&
	    (strcmp(what, "created") == 0 || strcmp(what, "close") == 0)) {
		snprintf(buf, sz, "%s", v);
		return;
	}
	if (strcmp(what, "close") == 0 && (colon = strchr(text, ':')) !=
	    NULL && (v = panel_detail_value(text, (size_t)(colon - text))) !=
	    NULL) {
		snprintf(buf, sz, "%s%s", v, colon);
		return;
	}
	if (strcmp(what, "escalate") == 0 && sscanf(text, "level %d", &n) ==
	    1) {
		snprintf(buf, sz, _("level %d"), n);
		return;
	}
	if (strcmp(what, "mute") == 0 && sscanf(text, "%d min", &n) == 1) {
		snprintf(buf, sz, _("%d min"), n);
		return;
	}
	if (sscanf(text, "%63s released (%31[a-z_])", id, status) == 2 &&
	    (v = panel_detail_value(status, strlen(status))) != NULL) {
		snprintf(buf, sz, _("%s released (%s)"), id, v);
		return;
	}
	n = (int)strlen(text);
	if (n > 9 && strcmp(text + n - 9, " on scene") == 0 &&
	    strchr(text, ' ') == text + n - 9) {
		snprintf(buf, sz, _("%.*s on scene"), n - 9, text);
		return;
	}
	snprintf(buf, sz, "%s", text);
}

/* What a history entry's what says, in words (translated). */
const char *
panel_history_what(const char *what)
{
	size_t	k;

	for (k = 0; k < sizeof panel_detail_whats /
	    sizeof panel_detail_whats[0]; k++) {
		if (strcmp(panel_detail_whats[k].what, what) == 0)
			return (_(panel_detail_whats[k].text));
	}
	return (what);
}

/*
 * The item's history, oldest first: "hh:mm:ss  who  what" and the entry's
 * text wrapped under it.
 */
void
panel_detail_history(struct panel_detail *d, const struct history *h)
{
	const struct history_entry	*e;
	struct history_entry		 buf;
	const char			*what;
	char				 hms[16], line[256], text[4200];
	size_t				 i;

	if (h == NULL || h->n == 0) {
		panel_detail_text(d, _("(no history)"),
		    theme_attr(THEME_MUTED), 2);
		return;
	}
	for (i = 0; i < h->n; i++) {
		e = history_at(h, i, &buf);
		if (strcmp(e->what, "trimmed") == 0) {
			snprintf(line, sizeof line, _("(%u earlier entries "
			    "not kept)"), (unsigned)e->count);
			panel_detail_text(d, line, theme_attr(THEME_MUTED), 2);
			continue;
		}
		what = panel_history_what(e->what);
		clock_hms(e->ts, d->view->utc_offset_min, hms, sizeof hms);
		snprintf(line, sizeof line, "%s  %s  %s", hms,
		    e->by != NULL && e->by[0] != '\0' ? e->by : "-", what);
		panel_detail_text(d, line, theme_attr(THEME_NORMAL), 2);
		if (e->text != NULL && e->text[0] != '\0') {
			panel_history_text(e->what, e->text, text,
			    sizeof text);
			panel_detail_text(d, text, theme_attr(THEME_NORMAL),
			    12);
		}
	}
}
