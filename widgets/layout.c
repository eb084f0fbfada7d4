/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The screen layout: header, tiled panels, tab bar, status line. */

#include "layout.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "draw.h"
#include "fold.h"
#include "i18n.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * The screen, top to bottom:
 *
 *   line 0            header: brand and province, clock, link state,
 *                     exercise banner, operator and role
 *   line 1            tab bar (single mode only)
 *   body              the panels
 *   line LINES-2      status line: open alerts by severity, overdue
 *                     items, free beds, attendance, the last message
 *   line LINES-1      the prompt, drawn by console/prompt.c
 *
 * The body is laid out by layout_geometry(), a pure function of the size,
 * the focus and zoom: 2x2 from 80x20; from 160x36 Alerts takes the left
 * half at full height and the other three are stacked on the right;
 * below 80x20 one panel at a time with a tab bar; below 40x10 only a
 * "too small" message. Zoom gives the focused panel the whole body. Every
 * mode covers the whole screen but the prompt line, so nothing stale is
 * left behind after a change of mode.
 *
 * Panels own their windows; the layout creates them (layout_apply) and
 * only where a panel's rectangle changed. Drawing is lazy: a panel is
 * drawn when dirty, the chrome (header, tabs, status) when the second
 * changed, the status or the store changed, or the runtime said so.
 */

/* One piece of the header or status line. */
struct layout_seg {
	char		 text[320];
	attr_t		 attr;
	int		 prio;		/* Lower is kept first. */
	int		 flex;		/* May be cut to fit... */
	int		 min;		/* ...to no less than this. */
	int		 right;		/* Pushed to the right edge. */
	int		 gap;		/* Spaces before it. */
	int		 width;		/* Out: columns given, 0 if hidden. */
};


/* Roles, for the translator: the header shows C_("role", role). */
static const char *const layout_roles[] __attribute__((unused)) = {
	NC_("role", "supervisor"), NC_("role", "operator"),
	NC_("role", "observer"), NC_("role", "trainer")
};

static void	layout_apply(struct layout *);
static void	layout_delete_windows(struct layout *);
static WINDOW	*layout_newwin(int, int, int, int);
static int	layout_segs_total(const struct layout_seg *, int);
static void	layout_segs(WINDOW *, struct layout_seg *, int, int, attr_t,
		    int);
static void	layout_draw_header(struct layout *);
static void	layout_draw_tabs(struct layout *);
static void	layout_draw_status(struct layout *);
static void	layout_draw_small(struct layout *);
static int	layout_st_changed(struct layout *);
static int	layout_lookup(int);
static void	layout_area_step(struct layout *, int);
static int	layout_run(struct layout *, int);
static int	layout_detail_key(struct layout *, struct panel *, int);
static int	layout_panel_word(struct layout *, const char *);

/*
 * Compute the mode for a terminal of lines x cols and the rectangle of
 * each of the four panels (h == 0: not shown), given the focused panel
 * and zoom. Returns the mode; nothing is allocated.
 */
enum layout_mode
layout_geometry(int lines, int cols, int focus, int zoom,
    struct layout_rect rect[4])
{
	return (layout_geometry_want(lines, cols, focus, zoom, LAYOUT_AUTO,
	    rect));
}

/*
 * As layout_geometry(), with the mode the officer asked for (want): a
 * mode is used only when the terminal is big enough for it (single from
 * 40x10, grid from 80x20, wide from 160x36); otherwise, and for
 * LAYOUT_AUTO, the biggest mode that fits.
 */
enum layout_mode
layout_geometry_want(int lines, int cols, int focus, int zoom,
    enum layout_mode want, struct layout_rect rect[4])
{
	enum layout_mode	 mode;
	int			 i, top, body, h1, h2, w1;

	memset(rect, 0, 4 * sizeof *rect);
	if (focus < 0 || focus > 3)
		focus = 0;
	if (cols < LAYOUT_MIN_COLS || lines < LAYOUT_MIN_LINES)
		return (LAYOUT_TOO_SMALL);
	if (cols >= LAYOUT_WIDE_COLS && lines >= LAYOUT_WIDE_LINES)
		mode = LAYOUT_WIDE;
	else if (cols >= LAYOUT_GRID_COLS && lines >= LAYOUT_GRID_LINES)
		mode = LAYOUT_GRID;
	else
		mode = LAYOUT_SINGLE;
	if (want != LAYOUT_AUTO && want != LAYOUT_TOO_SMALL && want < mode)
		mode = want;

	top = mode == LAYOUT_SINGLE ? 2 : 1;
	body = lines - 2 - top;		/* Status and prompt lines. */
	if (mode == LAYOUT_SINGLE || zoom) {
		rect[focus] = (struct layout_rect){ top, 0, body, cols };
		return (mode);
	}
	w1 = cols / 2;
	if (mode == LAYOUT_GRID) {
		h1 = (body + 1) / 2;
		h2 = body - h1;
		rect[0] = (struct layout_rect){ top, 0, h1, w1 };
		rect[1] = (struct layout_rect){ top, w1, h1, cols - w1 };
		rect[2] = (struct layout_rect){ top + h1, 0, h2, w1 };
		rect[3] = (struct layout_rect){ top + h1, w1, h2, cols - w1 };
		return (mode);
	}
	rect[0] = (struct layout_rect){ top, 0, body, w1 };
	for (i = 1; i <= 3; i++) {
		h1 = body / 3 + (body % 3 >= i ? 1 : 0);
		rect[i] = (struct layout_rect){ top, w1, h1, cols - w1 };
		top += h1;
	}
	return (mode);
}

/*
 * Create the layout of store (borrowed) with one panel of each class.
 * When curses is running the windows are made for the current size.
 * Returns the layout; the caller frees it with layout_free().
 */
struct layout *
layout_create(struct store *store)
{
	struct layout	*l;
	struct panel	*p;
	int		 i;

	l = xcalloc(1, sizeof *l);
	l->store = store;
	l->drawn_sec = -1;
	l->want = LAYOUT_AUTO;
	l->view.lang_en = i18n_is_en();
	for (i = 0; panel_classes[i] != NULL && l->npanels < 4; i++) {
		if ((p = panel_create(panel_classes[i], (unsigned)i + 1)) ==
		    NULL)
			continue;
		p->filter = &l->filter;
		panel_refresh(p, store);
		l->panels[l->npanels++] = p;
	}
	if (l->npanels > 0)
		l->panels[0]->flags |= PANEL_FOCUS;
	l->st.link = LAYOUT_LINK_CONNECTING;
	l->dirty_chrome = 1;
	if (stdscr != NULL)
		layout_resize(l, LINES, COLS);
	return (l);
}

/*
 * Free the layout, its panels and its windows. NULL is a no-op. Call it
 * before the curses screen is deleted: delscreen() frees the windows.
 */
void
layout_free(struct layout *l)
{
	int	i;

	if (l == NULL)
		return;
	layout_delete_windows(l);
	for (i = 0; i < l->npanels; i++)
		panel_free(l->panels[i]);
	free(l);
}

static void
layout_delete_windows(struct layout *l)
{
	int	i;

	for (i = 0; i < l->npanels; i++)
		panel_set_window(l->panels[i], NULL);
	memset(l->rect, 0, sizeof l->rect);
	if (l->header != NULL)
		delwin(l->header);
	if (l->status != NULL)
		delwin(l->status);
	if (l->tabs != NULL)
		delwin(l->tabs);
	if (l->small != NULL)
		delwin(l->small);
	l->header = l->status = l->tabs = l->small = NULL;
}

/*
 * newwin() that accepts nothing empty and nothing beyond the screen
 * curses has (a size from a stale SIGWINCH must not make windows that
 * overhang it); NULL when it says no.
 */
static WINDOW *
layout_newwin(int h, int w, int y, int x)
{
	if (h <= 0 || w <= 0 || stdscr == NULL || y < 0 || x < 0 ||
	    y + h > LINES || x + w > COLS)
		return (NULL);
	return (newwin(h, w, y, x));
}

/*
 * Lay the panels out for the current size, focus and zoom, giving a new
 * window to every panel whose rectangle changed.
 */
static void
layout_apply(struct layout *l)
{
	struct layout_rect	 r[4];
	struct layout_rect	*o;
	struct panel		*p;
	int			 i;

	l->mode = layout_geometry_want(l->lines, l->cols, l->focus, l->zoom,
	    l->want, r);
	l->too_small = (l->mode == LAYOUT_TOO_SMALL);
	l->single = (l->mode == LAYOUT_SINGLE);
	for (i = 0; i < l->npanels; i++) {
		p = l->panels[i];
		o = &l->rect[i];
		/* The border and highlight change with focus. */
		if ((i == l->focus) != ((p->flags & PANEL_FOCUS) != 0))
			p->flags = (p->flags ^ PANEL_FOCUS) | PANEL_DIRTY;
		if (r[i].h <= 0 || r[i].w <= 0) {
			panel_set_window(p, NULL);
			memset(o, 0, sizeof *o);
			continue;
		}
		if (p->win != NULL && o->y == r[i].y && o->x == r[i].x &&
		    o->h == r[i].h && o->w == r[i].w)
			continue;
		panel_set_window(p, NULL);
		panel_set_window(p, layout_newwin(r[i].h, r[i].w, r[i].y,
		    r[i].x));
		*o = r[i];
	}
	l->dirty_chrome = 1;
}

/*
 * Recreate every window for a terminal of lines x cols and mark it all
 * dirty. Selections are kept (they are by id).
 */
void
layout_resize(struct layout *l, int lines, int cols)
{
	struct layout_rect	r[4];

	layout_delete_windows(l);
	l->lines = lines > 0 ? lines : 0;
	l->cols = cols > 0 ? cols : 0;
	l->mode = layout_geometry_want(l->lines, l->cols, l->focus, l->zoom,
	    l->want, r);
	if (l->mode == LAYOUT_TOO_SMALL)
		l->small = layout_newwin(l->lines - 1, l->cols, 0, 0);
	else {
		l->header = layout_newwin(1, l->cols, 0, 0);
		l->status = layout_newwin(1, l->cols, l->lines - 2, 0);
		if (l->mode == LAYOUT_SINGLE)
			l->tabs = layout_newwin(1, l->cols, 1, 0);
	}
	layout_apply(l);
}

/*
 * Refresh and mark dirty the panels whose store_mask matches what changed
 * in the store, mark the chrome dirty, and clear the bits the layout
 * consumes (the panels' masks and STORE_CH_META).
 */
void
layout_store_changed(struct layout *l)
{
	struct panel	*p;
	int		 i, changed = l->store->changed, mask = STORE_CH_META;
	int		 detail;

	for (i = 0; i < l->npanels; i++) {
		p = l->panels[i];
		mask |= p->cls->store_mask;
		if ((changed & p->cls->store_mask) == 0)
			continue;
		detail = p->flags & PANEL_DETAIL;
		panel_refresh(p, l->store);
		/* The item of an open detail has gone: unzoom as Esc would. */
		if (detail && (~p->flags & PANEL_DETAIL) && i == l->focus) {
			l->zoom = l->detail_zoom;
			layout_apply(l);
		}
	}
	if (changed & mask)
		l->dirty_chrome = 1;
	l->store->changed &= ~mask;
}

/* Has the runtime changed st since the chrome was last drawn? */
static int
layout_st_changed(struct layout *l)
{
	struct layout_status	*a = &l->st, *b = &l->drawn_st;

	return (a->link != b->link || a->stale_since != b->stale_since ||
	    a->exercise != b->exercise ||
	    a->message_error != b->message_error ||
	    strcmp(a->operator, b->operator) != 0 ||
	    strcmp(a->role, b->role) != 0 ||
	    a->npresence != b->npresence || a->skipped != b->skipped ||
	    strcmp(a->presence, b->presence) != 0 ||
	    strcmp(a->message, b->message) != 0);
}

/*
 * Columns the shown segments take as drawn: their widths and gaps, but
 * no gap before the first one on the left.
 */
static int
layout_segs_total(const struct layout_seg *s, int n)
{
	int	i, total = 0, first = 1;

	for (i = 0; i < n; i++) {
		if (s[i].width == 0)
			continue;
		total += s[i].width;
		if (s[i].right || !first)
			total += s[i].gap;
		if (!s[i].right)
			first = 0;
	}
	return (total);
}

/*
 * Draw segments on the one-line window win of cols columns over a
 * background of attributes base: segments are given room in prio order
 * (a flex one may be cut to what is left, but not below its min; one
 * that does not fit is left out), then drawn in array order, right-aligned
 * ones at the right edge.
 */
static void
layout_segs(WINDOW *win, struct layout_seg *s, int n, int cols, attr_t base,
    int ascii)
{
	int	 i, j, p, used, x, rw = 0, w, maxprio = 0;

	for (i = 0; i < n; i++) {
		s[i].width = 0;
		if (s[i].prio > maxprio)
			maxprio = s[i].prio;
	}
	for (p = 0; p <= maxprio; p++) {
		for (i = 0; i < n; i++) {
			if (s[i].prio != p || s[i].text[0] == '\0')
				continue;
			s[i].width = draw_width(s[i].text, ascii);
			if ((used = layout_segs_total(s, n)) <= cols)
				continue;
			w = s[i].width - (used - cols);
			s[i].width = (s[i].flex && w >= s[i].min) ? w : 0;
		}
	}
	draw_text(win, 0, 0, cols, "", base, DRAW_PAD, ascii);
	for (i = 0; i < n; i++) {
		if (s[i].right && s[i].width > 0)
			rw += s[i].width + s[i].gap;
	}
	x = 0;
	for (i = 0; i < n; i++) {
		if (s[i].width == 0 || s[i].right)
			continue;
		if (x > 0)
			x += s[i].gap;
		draw_text(win, 0, x, s[i].width, s[i].text, s[i].attr,
		    DRAW_ELLIPSIS, ascii);
		x += s[i].width;
	}
	x = cols - rw;
	for (j = 0; j < n; j++) {
		if (s[j].width == 0 || !s[j].right)
			continue;
		x += s[j].gap;
		draw_text(win, 0, x, s[j].width, s[j].text, s[j].attr,
		    DRAW_ELLIPSIS, ascii);
		x += s[j].width;
	}
}

static void
layout_draw_header(struct layout *l)
{
	struct layout_seg	 s[6];
	const struct panel_view	*v = &l->view;
	const char		*glyph, *text;
	char			 hms[16], since[16], skipped[64];
	attr_t			 base = theme_attr(THEME_HEADER), la;
	int			 a = v->ascii;
	size_t			 n;

	if (l->header == NULL)
		return;
	memset(s, 0, sizeof s);
	werase(l->header);

	snprintf(s[0].text, sizeof s[0].text, "TRUCBAN · %s",
	    l->store->province != NULL ? l->store->province : "");
	s[0].attr = base | A_BOLD;
	s[0].prio = 3;
	s[0].flex = 1;
	s[0].min = 14;

	clock_hms(v->now, v->utc_offset_min, hms, sizeof hms);
	snprintf(s[1].text, sizeof s[1].text, "%s", hms);
	s[1].attr = base;
	s[1].prio = 2;
	s[1].gap = 2;

	switch (l->st.link) {
	case LAYOUT_LINK_CONNECTED:
		glyph = a ? "*" : "●";
		text = _("connected");
		la = theme_attr(THEME_OK);
		break;
	case LAYOUT_LINK_CONNECTING:
		glyph = a ? "o" : "◌";
		text = _("connecting");
		la = theme_attr(THEME_WARN);
		break;
	case LAYOUT_LINK_RECONNECTING:
		glyph = a ? "o" : "◌";
		text = _("reconnecting");
		la = theme_attr(THEME_WARN);
		break;
	case LAYOUT_LINK_REFUSED:
		glyph = a ? "x" : "✕";
		text = _("refused (token)");
		la = theme_attr(THEME_CRIT);
		break;
	default:
		glyph = a ? "x" : "✕";
		text = _("offline");
		la = theme_attr(THEME_CRIT);
		break;
	}
	if (l->st.link != LAYOUT_LINK_CONNECTED && l->st.stale_since != 0) {
		clock_hms(l->st.stale_since, v->utc_offset_min, since,
		    sizeof since);
		snprintf(s[2].text, sizeof s[2].text, "%s %s — %s %s", glyph,
		    text, _("stale since"), since);
	} else
		snprintf(s[2].text, sizeof s[2].text, "%s %s", glyph, text);
	/* What could not be read stays in view until the picture is whole. */
	if (l->st.skipped > 0) {
		snprintf(skipped, sizeof skipped, ngettext("%zu skipped",
		    "%zu skipped", l->st.skipped), l->st.skipped);
		n = strlen(s[2].text);
		snprintf(s[2].text + n, sizeof s[2].text - n, "%s%s",
		    a ? " - " : " · ", skipped);
		la = theme_attr(THEME_WARN);
	}
	/* Connected blends in; anything else stands out of the header. */
	if (l->st.link == LAYOUT_LINK_CONNECTED && l->st.skipped == 0)
		s[2].attr = base | A_BOLD;
	else
		s[2].attr = la | A_REVERSE | A_BOLD;
	s[2].prio = 1;
	s[2].flex = 1;
	s[2].min = 8;
	s[2].gap = 2;

	if (l->st.exercise) {
		snprintf(s[3].text, sizeof s[3].text, " %s ",
		    _("EXERCISE"));
		s[3].attr = theme_attr(THEME_EXERCISE) | A_REVERSE | A_BOLD;
		s[3].prio = 0;
		s[3].gap = 2;
	}

	if (l->st.operator[0] != '\0') {
		if (l->st.role[0] != '\0')
			snprintf(s[4].text, sizeof s[4].text, "%s (%s) ",
			    l->st.operator, C_("role", l->st.role));
		else
			snprintf(s[4].text, sizeof s[4].text, "%s ",
			    l->st.operator);
	}
	s[4].attr = base;
	s[4].prio = 4;
	s[4].flex = 1;
	s[4].min = 10;
	s[4].right = 1;
	s[4].gap = 2;

	/* Who else is on duty: the first to go when the header is narrow. */
	if (l->st.npresence > 0) {
		snprintf(s[5].text, sizeof s[5].text, "+%d: %s",
		    l->st.npresence, l->st.presence);
		s[5].attr = base;
		s[5].prio = 5;
		s[5].flex = 1;
		s[5].min = 8;
		s[5].right = 1;
		s[5].gap = 1;
	}

	layout_segs(l->header, s, 6, l->cols, base, a);
	wnoutrefresh(l->header);
}

static void
layout_draw_tabs(struct layout *l)
{
	const struct panel_class	*cls;
	char				 buf[128];
	int				 i, x, w, form, total;
	attr_t				 attr;

	if (l->tabs == NULL)
		return;
	werase(l->tabs);
	draw_text(l->tabs, 0, 0, l->cols, "", theme_attr(THEME_STATUS),
	    DRAW_PAD, l->view.ascii);
	/* Form 0: "1 Alerts (12)"; 1: "1 Alerts"; 2: others by number. */
	for (form = 0; form < 3; form++) {
		total = 0;
		for (i = 0; i < l->npanels; i++) {
			cls = l->panels[i]->cls;
			if (form == 0 || (form == 2 && i == l->focus))
				snprintf(buf, sizeof buf, " %d %s (%zu) ",
				    i + 1, _(cls->title),
				    l->panels[i]->nrows);
			else if (form == 1)
				snprintf(buf, sizeof buf, " %d %s ", i + 1,
				    _(cls->title));
			else
				snprintf(buf, sizeof buf, " %d ", i + 1);
			total += draw_width(buf, l->view.ascii);
		}
		if (total <= l->cols)
			break;
	}
	x = 0;
	for (i = 0; i < l->npanels && x < l->cols; i++) {
		cls = l->panels[i]->cls;
		if (form == 0 || (form >= 2 && i == l->focus))
			snprintf(buf, sizeof buf, " %d %s (%zu) ", i + 1,
			    _(cls->title), l->panels[i]->nrows);
		else if (form == 1)
			snprintf(buf, sizeof buf, " %d %s ", i + 1,
			    _(cls->title));
		else
			snprintf(buf, sizeof buf, " %d ", i + 1);
		attr = i == l->focus ? theme_attr(THEME_SELECTED) | A_BOLD :
		    theme_attr(THEME_STATUS);
		w = draw_text(l->tabs, 0, x, l->cols - x, buf, attr, 0,
		    l->view.ascii);
		x += w;
	}
	wnoutrefresh(l->tabs);
}

static void
layout_draw_status(struct layout *l)
{
	struct layout_seg	 s[8];
	struct store		*st = l->store;
	const struct panel_view	*v = &l->view;
	size_t			 i, overdue = 0;
	long			 free_beds = 0, present = 0, enrolled = 0;
	char			 pct[16];
	attr_t			 base = theme_attr(THEME_STATUS);
	int			 k;

	if (l->status == NULL)
		return;
	memset(s, 0, sizeof s);
	werase(l->status);

	for (k = 0; k < 4; k++) {
		snprintf(s[k].text, sizeof s[k].text, "S%d:%zu", 4 - k,
		    store_open_alerts(st, 4 - k));
		s[k].attr = base;
		if (theme_colour() == 0 && k == 0)
			s[k].attr = base | A_BOLD;
		s[k].prio = 0;
		s[k].gap = 1;
	}
	for (i = 0; i < st->nalerts; i++) {
		if (st->alerts[i].state != ALERT_CLOSED &&
		    draw_alert_deadline(&st->alerts[i], v->now) ==
		    DRAW_DL_OVERDUE)
			overdue++;
	}
	for (i = 0; i < st->nfeedback; i++) {
		if (draw_feedback_deadline(&st->feedback[i], v->now) ==
		    DRAW_DL_OVERDUE)
			overdue++;
	}
	snprintf(s[4].text, sizeof s[4].text, "%s%s %zu",
	    overdue > 0 ? "!! " : "", _("overdue"),
	    overdue);
	s[4].attr = overdue > 0 ? base | A_BOLD : base;
	s[4].prio = 1;
	s[4].gap = 2;

	for (i = 0; i < st->nhospitals; i++) {
		if (st->hospitals[i].beds > st->hospitals[i].beds_used)
			free_beds += st->hospitals[i].beds -
			    st->hospitals[i].beds_used;
	}
	snprintf(s[5].text, sizeof s[5].text, "%s %ld",
	    _("beds free"), free_beds);
	s[5].attr = base;
	s[5].prio = 3;
	s[5].gap = 2;

	for (i = 0; i < st->nschools; i++) {
		if (st->schools[i].present > 0 && st->schools[i].enrolled > 0) {
			present += st->schools[i].present;
			enrolled += st->schools[i].enrolled;
		}
	}
	draw_permille(present, enrolled, !v->lang_en, pct, sizeof pct);
	snprintf(s[6].text, sizeof s[6].text, "%s %s", _("attendance"), pct);
	s[6].attr = base;
	s[6].prio = 4;
	s[6].gap = 2;

	snprintf(s[7].text, sizeof s[7].text, "%s", l->st.message);
	s[7].attr = l->st.message_error ? theme_attr(THEME_ERROR) | A_BOLD |
	    (theme_colour() ? 0 : A_REVERSE) : base;
	s[7].prio = 2;
	s[7].flex = 1;
	s[7].min = 10;
	s[7].gap = 2;

	layout_segs(l->status, s, 8, l->cols, base, v->ascii);
	wnoutrefresh(l->status);
}

/* Both languages: whoever sits at a tiny terminal must understand. */
static void
layout_draw_small(struct layout *l)
{
	const char	*msg[4];
	char		 buf[64];
	int		 h, w, y, i, n;

	if (l->small == NULL)
		return;
	getmaxyx(l->small, h, w);
	werase(l->small);
	snprintf(buf, sizeof buf, "%dx%d", l->cols, l->lines);
	msg[0] = "Cửa sổ quá nhỏ";
	msg[1] = "Window too small";
	msg[2] = "(cần/need 40×10)";
	msg[3] = buf;
	n = 4;
	if (n > h)
		n = h;
	y = (h - n) / 2;
	for (i = 0; i < n; i++)
		draw_text(l->small, y + i, 0, w, msg[i], i < 2 ?
		    theme_attr(THEME_WARN) | A_BOLD : theme_attr(THEME_NORMAL),
		    DRAW_CENTRE, l->view.ascii);
	wnoutrefresh(l->small);
}

/*
 * Draw what needs it, with wnoutrefresh only (the runtime calls doupdate
 * once per frame): dirty panels, and the header, tab bar and status line
 * when the second changed or anything they show did.
 */
void
layout_draw(struct layout *l, int64_t now)
{
	struct panel_view	*v = &l->view;
	int64_t			 sec;
	int			 i, chrome;

	if (l->lines == 0 || l->cols == 0)
		return;
	v->now = now;
	v->utc_offset_min = l->store->utc_offset_min;
	v->stale = (l->st.link != LAYOUT_LINK_CONNECTED &&
	    l->st.stale_since != 0);
	v->stale_since = v->stale ? l->st.stale_since : 0;
	v->exercise = l->st.exercise;
	if (v->stale != l->drawn_view.stale ||
	    v->stale_since != l->drawn_view.stale_since ||
	    v->ascii != l->drawn_view.ascii ||
	    v->lang_en != l->drawn_view.lang_en ||
	    v->exercise != l->drawn_view.exercise ||
	    v->utc_offset_min != l->drawn_view.utc_offset_min) {
		for (i = 0; i < l->npanels; i++)
			panel_dirty(l->panels[i]);
		l->dirty_chrome = 1;
	}
	sec = now >= 0 ? now / 1000 : (now - 999) / 1000;
	chrome = l->dirty_chrome || sec != l->drawn_sec ||
	    layout_st_changed(l);
	if (sec != l->drawn_sec) {
		for (i = 0; i < l->npanels; i++) {
			if (l->panels[i]->cls->tick)
				panel_dirty(l->panels[i]);
		}
	}
	l->drawn_sec = sec;
	l->drawn_view = *v;
	l->drawn_st = l->st;
	l->dirty_chrome = 0;

	if (l->mode == LAYOUT_TOO_SMALL) {
		if (chrome)
			layout_draw_small(l);
		return;
	}
	if (chrome) {
		layout_draw_header(l);
		layout_draw_tabs(l);
		layout_draw_status(l);
	}
	for (i = 0; i < l->npanels; i++)
		panel_draw(l->panels[i], l->store, v);
}

/* ==== Keys ==== */

/*
 * The layout's key table: which key runs which of its actions. The
 * defaults come from layout_default_keys; the configuration file rebinds
 * them (layout_bind(), layout_unbind()). The help ('?') is generated from
 * this table and console/input.c's, so it shows what the keys do now.
 */
enum {
	LA_FOCUS_NEXT,
	LA_FOCUS_PREV,
	LA_FOCUS_1,
	LA_FOCUS_2,
	LA_FOCUS_3,
	LA_FOCUS_4,
	LA_ZOOM,
	LA_UP,
	LA_DOWN,
	LA_PAGE_UP,
	LA_PAGE_DOWN,
	LA_TOP,
	LA_BOTTOM,
	LA_DETAIL,
	LA_BACK,
	LA_SEV_UP,
	LA_SEV_DOWN,
	LA_AREA_NEXT,
	LA_AREA_PREV,
	LA_CLEAR,
	LA_COUNT
};

const struct layout_action layout_actions[LA_COUNT + 1] = {
	{ "focus-next", N_("Focus the next panel") },
	{ "focus-prev", N_("Focus the previous panel") },
	{ "focus-1", N_("Focus Alerts") },
	{ "focus-2", N_("Focus Hospitals") },
	{ "focus-3", N_("Focus Schools") },
	{ "focus-4", N_("Focus Feedback") },
	{ "zoom", N_("Zoom the focused panel (again: back to all)") },
	{ "up", N_("Select the row above (scroll up in a detail)") },
	{ "down", N_("Select the row below (scroll down in a detail)") },
	{ "page-up", N_("One page up") },
	{ "page-down", N_("One page down") },
	{ "top", N_("First row") },
	{ "bottom", N_("Last row") },
	{ "detail", N_("Detail of the selected row, with its history "
	    "(Schools: the area's schools)") },
	{ "back", N_("Back: close the detail, leave an area, clear the "
	    "search") },
	{ "severity-up", N_("Show only more severe alerts") },
	{ "severity-down", N_("Show less severe alerts again") },
	{ "area-next", N_("Show only the next area") },
	{ "area-prev", N_("Show only the previous area") },
	{ "clear", N_("Clear the area, severity and search filters") },
	{ NULL, NULL }
};

static const struct {
	int		 key;
	const char	*name;
	int		 action;
} layout_default_keys[] = {
	{ '\t', "Tab", LA_FOCUS_NEXT },
	{ KEY_BTAB, "BTab", LA_FOCUS_PREV },
	{ '1', "1", LA_FOCUS_1 },
	{ '2', "2", LA_FOCUS_2 },
	{ '3', "3", LA_FOCUS_3 },
	{ '4', "4", LA_FOCUS_4 },
	{ 'z', "z", LA_ZOOM },
	{ KEY_UP, "Up", LA_UP },
	{ 'k', "k", LA_UP },
	{ KEY_DOWN, "Down", LA_DOWN },
	{ 'j', "j", LA_DOWN },
	{ KEY_PPAGE, "PgUp", LA_PAGE_UP },
	{ KEY_NPAGE, "PgDn", LA_PAGE_DOWN },
	{ KEY_HOME, "Home", LA_TOP },
	{ 'g', "g", LA_TOP },
	{ KEY_END, "End", LA_BOTTOM },
	{ 'G', "G", LA_BOTTOM },
	{ '\r', "Enter", LA_DETAIL },
	{ KEY_ENTER, NULL, LA_DETAIL },
	{ '\n', NULL, LA_DETAIL },
	{ 27, "Esc", LA_BACK },
	{ '+', "+", LA_SEV_UP },
	{ '-', "-", LA_SEV_DOWN },
	{ ']', "]", LA_AREA_NEXT },
	{ '[', "[", LA_AREA_PREV },
	{ '0', "0", LA_CLEAR }
};

#define LAYOUT_MAX_BINDS	96

static struct {
	int		 key;
	char		 name[16];	/* "" for aliases not shown. */
	int		 action;
} layout_binds[LAYOUT_MAX_BINDS];
static int	layout_nbinds = -1;	/* -1: defaults not loaded. */

/* Put the default bindings back. */
void
layout_keys_reset(void)
{
	size_t	i;

	layout_nbinds = 0;
	for (i = 0; i < sizeof layout_default_keys /
	    sizeof layout_default_keys[0]; i++) {
		layout_binds[layout_nbinds].key = layout_default_keys[i].key;
		snprintf(layout_binds[layout_nbinds].name,
		    sizeof layout_binds[layout_nbinds].name, "%s",
		    layout_default_keys[i].name != NULL ?
		    layout_default_keys[i].name : "");
		layout_binds[layout_nbinds].action =
		    layout_default_keys[i].action;
		layout_nbinds++;
	}
}

/* Return the index of the action called name, or -1. */
int
layout_action_find(const char *name)
{
	int	i;

	for (i = 0; i < LA_COUNT; i++) {
		if (strcmp(layout_actions[i].name, name) == 0)
			return (i);
	}
	return (-1);
}

/*
 * Bind key (a curses key code; keyname is how the help shows it) to the
 * action called action, replacing what the key did. Returns 0, or -1 for
 * an unknown action or a full table.
 */
int
layout_bind(int key, const char *keyname, const char *action)
{
	int	a, i;

	if (layout_nbinds < 0)
		layout_keys_reset();
	if ((a = layout_action_find(action)) < 0)
		return (-1);
	for (i = 0; i < layout_nbinds; i++) {
		if (layout_binds[i].key == key)
			break;
	}
	if (i == layout_nbinds) {
		if (layout_nbinds == LAYOUT_MAX_BINDS)
			return (-1);
		layout_nbinds++;
	}
	layout_binds[i].key = key;
	snprintf(layout_binds[i].name, sizeof layout_binds[i].name, "%s",
	    keyname);
	layout_binds[i].action = a;
	return (0);
}

/* Take key out of the layout's table (it then reaches the key tables). */
void
layout_unbind(int key)
{
	int	i;

	if (layout_nbinds < 0)
		layout_keys_reset();
	for (i = 0; i < layout_nbinds; i++) {
		if (layout_binds[i].key != key)
			continue;
		memmove(&layout_binds[i], &layout_binds[i + 1],
		    (layout_nbinds - i - 1) * sizeof layout_binds[0]);
		layout_nbinds--;
		i--;
	}
}

static int
layout_lookup(int key)
{
	int	i;

	if (layout_nbinds < 0)
		layout_keys_reset();
	for (i = 0; i < layout_nbinds; i++) {
		if (layout_binds[i].key == key)
			return (layout_binds[i].action);
	}
	return (-1);
}

/*
 * The help for the layout's keys, one line per action that has a key:
 * "j, Down  Select the row below", notes translated. Returns an
 * allocated string; caller frees.
 */
char *
layout_help_text(void)
{
	char	*text = xstrdup(""), *tmp, keys[64];
	int	 a, i, n;

	if (layout_nbinds < 0)
		layout_keys_reset();
	for (a = 0; a < LA_COUNT; a++) {
		keys[0] = '\0';
		n = 0;
		for (i = 0; i < layout_nbinds; i++) {
			if (layout_binds[i].action != a ||
			    layout_binds[i].name[0] == '\0')
				continue;
			if ((size_t)n < sizeof keys)
				n += snprintf(keys + n, sizeof keys - n,
				    "%s%s", n > 0 ? ", " : "",
				    layout_binds[i].name);
		}
		if (keys[0] == '\0')
			continue;
		xasprintf(&tmp, "%s%-10s %s\n", text, keys,
		    _(layout_actions[a].note));
		free(text);
		text = tmp;
	}
	return (text);
}

/* Cycle the area filter through "all" and the store's areas. */
static void
layout_area_step(struct layout *l, int dir)
{
	struct store	*st = l->store;
	size_t		 i;
	long		 cur = -1, next;

	if (st->nareas == 0)
		return;
	for (i = 0; i < st->nareas; i++) {
		if (strcmp(st->areas[i].code, l->filter.area) == 0)
			cur = (long)i;
	}
	if (l->filter.area[0] == '\0')
		cur = -1;
	next = cur + dir;
	if (next < -1)
		next = (long)st->nareas - 1;
	if (next >= (long)st->nareas)
		next = -1;
	if (next < 0)
		l->filter.area[0] = '\0';
	else
		snprintf(l->filter.area, sizeof l->filter.area, "%s",
		    st->areas[next].code);
	layout_dirty_all(l);
	if (next < 0)
		layout_message(l, 0, "%s", _("All areas"));
	else
		layout_message(l, 0, "%s: %s", _("Area"),
		    st->areas[next].name != NULL ? st->areas[next].name :
		    st->areas[next].code);
}

/* Run one of the layout's actions. Returns 1 if it did something. */
static int
layout_run(struct layout *l, int action)
{
	struct panel	*p = layout_focused(l);

	switch (action) {
	case LA_FOCUS_NEXT:
		if (l->npanels > 0)
			layout_focus(l, (l->focus + 1) % l->npanels);
		return (1);
	case LA_FOCUS_PREV:
		if (l->npanels > 0)
			layout_focus(l, (l->focus + l->npanels - 1) %
			    l->npanels);
		return (1);
	case LA_FOCUS_1:
	case LA_FOCUS_2:
	case LA_FOCUS_3:
	case LA_FOCUS_4:
		layout_focus(l, action - LA_FOCUS_1);
		return (1);
	case LA_ZOOM:
		layout_zoom(l, -1);
		return (1);
	case LA_SEV_UP:
		layout_filter_severity(l, l->filter.severity < 2 ? 2 :
		    l->filter.severity < 4 ? l->filter.severity + 1 : 4);
		return (1);
	case LA_SEV_DOWN:
		layout_filter_severity(l, l->filter.severity <= 2 ? 0 :
		    l->filter.severity - 1);
		return (1);
	case LA_AREA_NEXT:
		layout_area_step(l, 1);
		return (1);
	case LA_AREA_PREV:
		layout_area_step(l, -1);
		return (1);
	case LA_CLEAR:
		layout_filter_clear(l);
		return (1);
	}
	if (p == NULL)
		return (0);
	switch (action) {
	case LA_UP:
		panel_move(p, -1);
		break;
	case LA_DOWN:
		panel_move(p, 1);
		break;
	case LA_PAGE_UP:
		panel_move(p, -(long)panel_visible(p));
		break;
	case LA_PAGE_DOWN:
		panel_move(p, panel_visible(p));
		break;
	case LA_TOP:
		panel_move(p, LONG_MIN);
		break;
	case LA_BOTTOM:
		panel_move(p, LONG_MAX);
		break;
	case LA_DETAIL:
		return (layout_detail(l, 1) == 0);
	case LA_BACK:
		if (p->search != NULL) {
			layout_search(l, NULL);
			return (1);
		}
		return (0);
	default:
		return (0);
	}
	return (1);
}

/* Keys while the focused panel shows a detail. */
static int
layout_detail_key(struct layout *l, struct panel *p, int action)
{
	switch (action) {
	case LA_UP:
		panel_detail_scroll(p, -1);
		return (1);
	case LA_DOWN:
		panel_detail_scroll(p, 1);
		return (1);
	case LA_PAGE_UP:
		panel_detail_scroll(p, -(long)(p->h > 3 ? p->h - 3 : 1));
		return (1);
	case LA_PAGE_DOWN:
		panel_detail_scroll(p, p->h > 3 ? p->h - 3 : 1);
		return (1);
	case LA_TOP:
		panel_detail_scroll(p, LONG_MIN / 2);
		return (1);
	case LA_BOTTOM:
		panel_detail_scroll(p, LONG_MAX / 2);
		return (1);
	case LA_DETAIL:
	case LA_BACK:
		layout_detail(l, 0);
		return (1);
	case -1:
		return (0);
	}
	/* Anything else leaves the detail first. */
	layout_detail(l, 0);
	return (layout_run(l, action));
}

/*
 * Handle a key: in a detail view, scrolling and leaving it; else the
 * focused panel's own keys (Schools: Enter and Esc to go down into an
 * area and back), then the layout's key table (focus, zoom, selection,
 * detail, filters). Returns 1 if the key was used, else 0 (it goes on to
 * the key bindings of console/input.c).
 */
int
layout_key(struct layout *l, int key)
{
	struct panel	*p = layout_focused(l);

	if (p != NULL && (p->flags & PANEL_DETAIL))
		return (layout_detail_key(l, p, layout_lookup(key)));
	if (p != NULL && panel_key(p, key) == PANEL_KEY_HANDLED)
		return (1);
	return (layout_run(l, layout_lookup(key)));
}

/* Focus panel index (ignored when out of range). */
void
layout_focus(struct layout *l, int index)
{
	if (index < 0 || index >= l->npanels || index == l->focus)
		return;
	layout_detail(l, 0);
	l->focus = index;
	layout_apply(l);
}

/* Return the focused panel (owned by the layout), or NULL if none. */
struct panel *
layout_focused(struct layout *l)
{
	if (l == NULL || l->npanels == 0)
		return (NULL);
	return (l->panels[l->focus]);
}

/*
 * Put the terminal cursor on the selected row of the focused panel (for
 * braille readers and IMEs): wmove and wnoutrefresh, so the runtime's
 * doupdate leaves it there.
 */
void
layout_place_cursor(struct layout *l)
{
	struct panel	*p;
	int		 y, x;

	if (l->mode == LAYOUT_TOO_SMALL) {
		if (l->small != NULL) {
			wmove(l->small, 0, 0);
			wnoutrefresh(l->small);
		}
		return;
	}
	if ((p = layout_focused(l)) == NULL || p->win == NULL)
		return;
	y = p->nrows > 0 ? p->cursor_y : PANEL_ROW0;
	if (p->flags & PANEL_DETAIL)
		y = 1;
	if (y > p->h - 1)
		y = p->h - 1;
	if (y < 0)
		y = 0;
	x = p->w > 2 ? 1 : 0;
	wmove(p->win, y, x);
	wnoutrefresh(p->win);
}

/*
 * Set the status line's message (printf-style); error shows it as an
 * error. The text is fitted and stripped of controls when drawn.
 */
void
layout_message(struct layout *l, int error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(l->st.message, sizeof l->st.message, fmt, ap);
	va_end(ap);
	l->st.message_error = error;
	l->dirty_chrome = 1;
}

/* Switch ASCII mode and the UI language; everything is drawn again. */
void
layout_set_view(struct layout *l, int ascii, int lang_en)
{
	int	i;

	l->view.ascii = ascii;
	l->view.lang_en = lang_en;
	for (i = 0; i < l->npanels; i++)
		panel_dirty(l->panels[i]);
	l->dirty_chrome = 1;
}

/* Rebuild every panel's rows (the filter changed) and redraw them. */
void
layout_dirty_all(struct layout *l)
{
	int	i;

	for (i = 0; i < l->npanels; i++)
		panel_refresh(l->panels[i], l->store);
	l->dirty_chrome = 1;
}

/* Return the index of the panel of class name, or -1. */
int
layout_find(struct layout *l, const char *name)
{
	int	i;

	for (i = 0; i < l->npanels; i++) {
		if (strcmp(l->panels[i]->cls->name, name) == 0)
			return (i);
	}
	return (-1);
}

/* ==== Views ==== */

/*
 * Show only area (a code, or a name with or without accents: "ha long";
 * NULL, "", "all" or "*" for every area) in every panel. Returns 0, or -1
 * with *cause set (allocated; caller frees) when no area matches.
 */
int
layout_filter_area(struct layout *l, const char *area, char **cause)
{
	struct store	*st = l->store;
	char		*want, *name;
	size_t		 i;
	long		 found = -1, prefix = -1;

	if (area == NULL || *area == '\0' || strcmp(area, "all") == 0 ||
	    strcmp(area, "*") == 0) {
		l->filter.area[0] = '\0';
		layout_dirty_all(l);
		return (0);
	}
	for (i = 0; i < st->nareas && found < 0; i++) {
		if (strcasecmp(st->areas[i].code, area) == 0)
			found = (long)i;
	}
	want = fold_text(area);
	for (i = 0; i < st->nareas && found < 0; i++) {
		if (st->areas[i].name == NULL)
			continue;
		name = fold_text(st->areas[i].name);
		if (strcmp(name, want) == 0)
			found = (long)i;
		free(name);
	}
	/* A unique start of a name ("cam" for Cẩm Phả) will do. */
	for (i = 0; i < st->nareas && found == -1 && *want != '\0'; i++) {
		if (st->areas[i].name == NULL)
			continue;
		name = fold_text(st->areas[i].name);
		if (strncmp(name, want, strlen(want)) == 0) {
			if (prefix == -1)
				prefix = (long)i;
			else
				prefix = -2;
		}
		free(name);
	}
	if (found == -1)
		found = prefix;
	free(want);
	if (found < 0) {
		xasprintf(cause, found == -2 ? _("more than one area matches "
		    "\"%s\"") : _("no area \"%s\""), area);
		return (-1);
	}
	snprintf(l->filter.area, sizeof l->filter.area, "%s",
	    st->areas[found].code);
	layout_dirty_all(l);
	return (0);
}

/*
 * Show only alerts of severity min or more (0 or 1: all). Returns 0, or
 * -1 when min is out of 0..4.
 */
int
layout_filter_severity(struct layout *l, int min)
{
	if (min < 0 || min > 4)
		return (-1);
	l->filter.severity = min <= 1 ? 0 : min;
	layout_dirty_all(l);
	if (l->filter.severity == 0)
		layout_message(l, 0, "%s", _("Alerts of every severity"));
	else
		layout_message(l, 0, _("Alerts of severity %d and up"),
		    l->filter.severity);
	return (0);
}

/* Clear the area and severity filters and every panel's search. */
void
layout_filter_clear(struct layout *l)
{
	int	i;

	memset(&l->filter, 0, sizeof l->filter);
	for (i = 0; i < l->npanels; i++)
		panel_set_search(l->panels[i], NULL);
	layout_dirty_all(l);
	layout_message(l, 0, "%s", _("Filters cleared"));
}

/*
 * Search the focused panel for text, accents ignored; NULL or "" clears
 * the search.
 */
void
layout_search(struct layout *l, const char *text)
{
	struct panel	*p = layout_focused(l);

	if (p == NULL)
		return;
	if (p->flags & PANEL_DETAIL)
		layout_detail(l, 0);
	panel_set_search(p, text);
	l->dirty_chrome = 1;
	if (p->search != NULL)
		layout_message(l, 0, _("%s: %zu found for \"%s\""),
		    _(p->cls->title), p->nrows, p->search);
	else
		layout_message(l, 0, "%s", _("Search cleared"));
}

/* Zoom the focused panel: 1 on, 0 off, -1 toggle. Returns the state. */
int
layout_zoom(struct layout *l, int on)
{
	struct panel	*p = layout_focused(l);

	if (p != NULL && (p->flags & PANEL_DETAIL))
		layout_detail(l, 0);
	l->zoom = on < 0 ? !l->zoom : on != 0;
	layout_apply(l);
	return (l->zoom);
}

/*
 * Open (1) or close (0) the detail of the focused panel's selected row;
 * the panel is zoomed while it shows it. Returns 0, or -1 when there is
 * nothing to show.
 */
int
layout_detail(struct layout *l, int open)
{
	struct panel	*p = layout_focused(l);

	if (p == NULL)
		return (-1);
	if (!open) {
		if (~p->flags & PANEL_DETAIL)
			return (0);
		panel_detail_close(p);
		l->zoom = l->detail_zoom;
		layout_apply(l);
		return (0);
	}
	if (p->flags & PANEL_DETAIL)
		return (0);
	if (panel_detail_open(p) != 0)
		return (-1);
	l->detail_zoom = l->zoom;
	l->zoom = 1;
	layout_apply(l);
	return (0);
}

/*
 * Ask for a layout mode: "auto", "single", "grid" or "wide" (used when
 * the terminal is big enough for it). Returns 0, or -1 with *cause set.
 */
int
layout_set_mode(struct layout *l, const char *name, char **cause)
{
	static const struct {
		const char		*name;
		enum layout_mode	 mode;
	} modes[] = {
		{ "auto", LAYOUT_AUTO }, { "single", LAYOUT_SINGLE },
		{ "grid", LAYOUT_GRID }, { "wide", LAYOUT_WIDE }
	};
	size_t	i;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcmp(modes[i].name, name) == 0)
			break;
	}
	if (i == sizeof modes / sizeof modes[0]) {
		xasprintf(cause, _("layout: one of auto, single, grid, wide"));
		return (-1);
	}
	l->want = modes[i].mode;
	layout_resize(l, l->lines, l->cols);
	return (0);
}

/* The panel named by a word: a class name (or its start) or 1-4. */
static int
layout_panel_word(struct layout *l, const char *w)
{
	int	i, found = -1;

	if (w[0] >= '1' && w[0] <= '4' && w[1] == '\0')
		return (w[0] - '1' < l->npanels ? w[0] - '1' : -1);
	for (i = 0; i < l->npanels; i++) {
		if (strncmp(l->panels[i]->cls->name, w, strlen(w)) == 0 ||
		    strcasecmp(_(l->panels[i]->cls->title), w) == 0) {
			if (found != -1)
				return (-1);
			found = i;
		}
	}
	return (found);
}

/*
 * Run a view command for the command line (console/cmd.c hands them over
 * through its ui hook); argv holds the words after the verb:
 *
 *	filter [area AREA | severity N | clear]	(or just AREA, N, clear)
 *	search [TEXT...]			(nothing clears)
 *	sort [PANEL] KEY
 *	focus PANEL | next | prev
 *	zoom [on | off]
 *	layout auto | single | grid | wide
 *
 * Returns 0 done, 1 when the verb is not the layout's, -1 with *cause set
 * (allocated; caller frees) for bad words.
 */
int
layout_ui(struct layout *l, const char *verb, int argc, char **argv,
    char **cause)
{
	struct panel	*p;
	char		*text, *tmp, *end;
	long		 n;
	int		 i;

	if (strcmp(verb, "search") == 0) {
		text = xstrdup("");
		for (i = 0; i < argc; i++) {
			xasprintf(&tmp, "%s%s%s", text, i > 0 ? " " : "",
			    argv[i]);
			free(text);
			text = tmp;
		}
		layout_search(l, text);
		free(text);
		return (0);
	}
	if (strcmp(verb, "filter") == 0) {
		if (argc == 0 || strcmp(argv[0], "clear") == 0 ||
		    strcmp(argv[0], "off") == 0 ||
		    strcmp(argv[0], "none") == 0) {
			layout_filter_clear(l);
			return (0);
		}
		if ((strcmp(argv[0], "severity") == 0 ||
		    strcmp(argv[0], "sev") == 0) && argc == 2) {
			argv++;
			argc--;
		} else if (strcmp(argv[0], "area") == 0 && argc >= 2) {
			text = xstrdup(argv[1]);
			for (i = 2; i < argc; i++) {
				xasprintf(&tmp, "%s %s", text, argv[i]);
				free(text);
				text = tmp;
			}
			i = layout_filter_area(l, text, cause);
			free(text);
			return (i);
		}
		n = strtol(argv[0], &end, 10);
		if (argc == 1 && *end == '\0' && end != argv[0]) {
			if (layout_filter_severity(l, (int)n) != 0) {
				xasprintf(cause, _("severity is 1 to 4"));
				return (-1);
			}
			return (0);
		}
		text = xstrdup(argv[0]);
		for (i = 1; i < argc; i++) {
			xasprintf(&tmp, "%s %s", text, argv[i]);
			free(text);
			text = tmp;
		}
		i = layout_filter_area(l, text, cause);
		free(text);
		return (i);
	}
	if (strcmp(verb, "sort") == 0) {
		p = layout_focused(l);
		if (argc == 2) {
			if ((i = layout_panel_word(l, argv[0])) < 0) {
				xasprintf(cause, _("no panel \"%s\""),
				    argv[0]);
				return (-1);
			}
			p = l->panels[i];
			argv++;
			argc--;
		}
		if (p == NULL)
			return (-1);
		return (panel_set_sort(p, argc > 0 ? argv[0] : "", cause));
	}
	if (strcmp(verb, "focus") == 0) {
		if (argc < 1) {
			xasprintf(cause, _("focus: which panel?"));
			return (-1);
		}
		if (strcmp(argv[0], "next") == 0)
			return (layout_run(l, LA_FOCUS_NEXT) ? 0 : 0);
		if (strcmp(argv[0], "prev") == 0)
			return (layout_run(l, LA_FOCUS_PREV) ? 0 : 0);
		if ((i = layout_panel_word(l, argv[0])) < 0) {
			xasprintf(cause, _("no panel \"%s\""), argv[0]);
			return (-1);
		}
		layout_focus(l, i);
		return (0);
	}
	if (strcmp(verb, "zoom") == 0) {
		if (argc == 0)
			layout_zoom(l, -1);
		else if (strcmp(argv[0], "on") == 0)
			layout_zoom(l, 1);
		else if (strcmp(argv[0], "off") == 0)
			layout_zoom(l, 0);
		else {
			xasprintf(cause, _("zoom: on or off"));
			return (-1);
		}
		return (0);
	}
	if (strcmp(verb, "layout") == 0) {
		if (argc != 1) {
			xasprintf(cause,
			    _("layout: one of auto, single, grid, wide"));
			return (-1);
		}
		return (layout_set_mode(l, argv[0], cause));
	}
	return (1);
}
