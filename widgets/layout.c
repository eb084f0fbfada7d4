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

#include "areas.h"
#include "clock.h"
#include "draw.h"
#include "follow.h"
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
 * drawn when dirty (and then only its lines that changed: panel.c), the
 * header when the second or what it shows changed, the status line when
 * its figures or its message changed, or when the runtime said so.
 *
 * The store's changes reach the panels in layout_store_changed(), once a
 * frame; a view (units, overview) only while it is shown: it is brought
 * up to date when it is opened. Records (alerts, feedback, units) are
 * shown at the frame after they came. Gauges are shown at most every
 * gauge_ms (LAYOUT_GAUGE_MS):
 * a gauge panel (one whose class has a records hook: hospitals, schools)
 * shows a change at once when its last one was shown longer ago, else
 * holds it until then, the latest reading winning, and the runtime asks
 * layout_gauge_due() when to come back for it. A record in a gauge
 * panel (a diversion; an item come or gone: the class's records key
 * moved) and a new picture (STORE_CH_META: a snapshot) are shown at
 * once. The status line's figures are totalled when what they count is
 * shown, never per frame: open alerts and overdue items when alerts or
 * cases changed, or when the next deadline falls due; free beds and
 * attendance with their panels.
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
	const char	*more;		/* Ends it when it is cut, or NULL. */
};


/* Roles, for the translator: the header shows C_("role", role). */
/* The tile the follow view takes: the Schools panel's. */
#define LAYOUT_FOLLOW_TILE	2

static const char *const layout_roles[] __attribute__((unused)) = {
	NC_("role", "supervisor"), NC_("role", "operator"),
	NC_("role", "observer"), NC_("role", "trainer")
};

static enum layout_mode layout_rects(struct layout *,
		    struct layout_rect[LAYOUT_PANELS]);
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
static int	layout_following(const struct layout *);
static void	layout_draw_follow(struct layout *, struct panel *, int);
static int	layout_st_changed(struct layout *);
static void	layout_area_message(struct layout *);
static void	layout_total_records(struct layout *, int64_t);
static void	layout_total_gauges(struct layout *, int);

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
	l->gauge_ms = LAYOUT_GAUGE_MS;
	l->log = msglog_create(0);
	for (i = 0; panel_classes[i] != NULL && l->npanels < LAYOUT_PANELS;
	    i++) {
		if ((p = panel_create(panel_classes[i], (unsigned)i + 1)) ==
		    NULL)
			continue;
		p->filter = &l->filter;
		panel_refresh(p, store);
		/* Never shown: the first reading shows at once. */
		l->gauge_at[l->npanels] = INT64_MIN / 2;
		if (p->cls->records != NULL)
			l->records[l->npanels] = p->cls->records(p, store);
		l->panels[l->npanels++] = p;
	}
	layout_total_records(l, clock_now());
	layout_total_gauges(l, STORE_CH_ALL);
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
	msglog_free(l->log);
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
 * The mode and every panel's rectangle for the current size, focus and
 * zoom: the tiled panels by layout_geometry_want(); a focused view takes
 * the body a zoomed panel would, and hides the tiled ones.
 */
static enum layout_mode
layout_rects(struct layout *l, struct layout_rect r[LAYOUT_PANELS])
{
	enum layout_mode	mode;

	memset(r, 0, LAYOUT_PANELS * sizeof *r);
	if (l->focus < LAYOUT_TILED)
		return (layout_geometry_want(l->lines, l->cols, l->focus,
		    l->zoom, l->want, r));
	mode = layout_geometry_want(l->lines, l->cols, 0, 1, l->want, r);
	r[l->focus] = r[0];
	memset(&r[0], 0, sizeof r[0]);
	return (mode);
}

/*
 * Lay the panels out for the current size, focus and zoom, giving a new
 * window to every panel whose rectangle changed.
 */
static void
layout_apply(struct layout *l)
{
	struct layout_rect	 r[LAYOUT_PANELS];
	struct layout_rect	*o;
	struct panel		*p;
	int			 i;

	l->mode = layout_rects(l, r);
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
		/* A view was not kept up to date while hidden. */
		if (i >= LAYOUT_TILED)
			panel_refresh(p, l->store);
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
	struct layout_rect	r[LAYOUT_PANELS];

	layout_delete_windows(l);
	l->lines = lines > 0 ? lines : 0;
	l->cols = cols > 0 ? cols : 0;
	l->mode = layout_rects(l, r);
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
 * Refresh (and so mark dirty) the panels whose store_mask matches what
 * changed in the store: at once for records and for a new picture; for
 * the readings of a gauge panel only when gauge_ms have passed since it
 * last showed some, else they are held (see the top of the file). Then
 * total again what the status line counts of what was shown, and clear
 * the bits the layout consumes (the panels' masks and STORE_CH_META).
 */
void
layout_store_changed(struct layout *l)
{
	struct layout_totals	 was = l->tot;
	struct panel		*p;
	int64_t			 now = clock_mono();
	uint64_t		 records;
	int			 i, changed = l->store->changed;
	int			 mask = STORE_CH_META, want, shown = 0, detail;

	for (i = 0; i < l->npanels; i++) {
		p = l->panels[i];
		mask |= p->cls->store_mask;
		want = (changed & p->cls->store_mask) | l->held[i];
		if (want == 0)
			continue;
		/* A hidden view is refreshed when it is shown (apply). */
		if (i >= LAYOUT_TILED && p->win == NULL)
			continue;
		if (p->cls->records != NULL) {
			records = p->cls->records(p, l->store);
			if (l->gauge_ms > 0 && (~changed & STORE_CH_META) &&
			    now - l->gauge_at[i] < l->gauge_ms &&
			    records == l->records[i]) {
				l->held[i] = want;
				continue;
			}
			l->gauge_at[i] = now;
			l->records[i] = records;
		}
		l->held[i] = 0;
		shown |= want;
		detail = p->flags & PANEL_DETAIL;
		panel_refresh(p, l->store);
		/* The item of an open detail has gone: unzoom as Esc would. */
		if (detail && (~p->flags & PANEL_DETAIL) && i == l->focus) {
			l->zoom = l->detail_zoom;
			layout_apply(l);
		}
	}
	if (shown & (STORE_CH_ALERTS | STORE_CH_FEEDBACK | STORE_CH_META))
		layout_total_records(l, clock_now());
	layout_total_gauges(l, shown | (changed & STORE_CH_META));
	if (memcmp(&was, &l->tot, sizeof was) != 0)
		l->dirty_status = 1;
	if (shown != 0)
		l->dirty_tabs = 1;
	l->store->changed &= ~mask;
}

/*
 * Return when the readings held back are due (clock_mono() ms; the
 * runtime draws a frame then), or -1 when nothing is held.
 */
int64_t
layout_gauge_due(struct layout *l)
{
	int64_t	due = -1;
	int	i;

	for (i = 0; i < l->npanels; i++) {
		if (l->held[i] == 0)
			continue;
		if (due == -1 || l->gauge_at[i] + l->gauge_ms < due)
			due = l->gauge_at[i] + l->gauge_ms;
	}
	return (due);
}

/*
 * Count the open alerts by severity and the alerts and cases past their
 * deadline at now, and note when the next one falls due.
 */
static void
layout_total_records(struct layout *l, int64_t now)
{
	struct store		*st = l->store;
	struct layout_totals	*t = &l->tot;
	const struct alert	*a;
	const struct feedback	*f;
	enum alert_clock	 clk;
	int64_t			 next = INT64_MAX, due;
	size_t			 i;

	memset(t->open, 0, sizeof t->open);
	t->overdue = t->untouched = 0;
	for (i = 0; i < st->nalerts; i++) {
		a = &st->alerts[i];
		if (!alert_is_open(a))
			continue;
		t->open[0]++;
		if (a->severity >= 1 && a->severity <= 4)
			t->open[a->severity]++;
		/* The stage clock running, not the first response's. */
		if ((clk = alert_clock(a, &due)) == ALERT_CLOCK_NONE ||
		    due == 0)
			continue;
		if (due > now) {
			if (due < next)
				next = due;
		} else if (clk == ALERT_CLOCK_ACK)
			t->untouched++;
		else
			t->overdue++;
	}
	for (i = 0; i < st->nfeedback; i++) {
		f = &st->feedback[i];
		if (!feedback_is_open(f))
			continue;
		/* A new case waits for the desk: to be assigned by. */
		due = f->deadline;
		if (f->state == FB_NEW && f->due_assign != 0 &&
		    (due == 0 || f->due_assign < due))
			due = f->due_assign;
		if (due == 0)
			continue;
		if (due > now) {
			if (due < next)
				next = due;
		} else if (f->state == FB_NEW)
			t->untouched++;
		else
			t->overdue++;
	}
	t->overdue_next = next;
}

/* Total the free beds (kinds has STORE_CH_HOSPITALS), the attendance. */
static void
layout_total_gauges(struct layout *l, int kinds)
{
	struct store		*st = l->store;
	struct layout_totals	*t = &l->tot;
	size_t			 i;

	if (kinds & (STORE_CH_HOSPITALS | STORE_CH_META)) {
		t->beds_free = 0;
		for (i = 0; i < st->nhospitals; i++) {
			if (st->hospitals[i].beds > st->hospitals[i].beds_used)
				t->beds_free += st->hospitals[i].beds -
				    st->hospitals[i].beds_used;
		}
	}
	if (kinds & (STORE_CH_SCHOOLS | STORE_CH_META)) {
		t->present = t->enrolled = 0;
		for (i = 0; i < st->nschools; i++) {
			if (st->schools[i].present > 0 &&
			    st->schools[i].enrolled > 0) {
				t->present += st->schools[i].present;
				t->enrolled += st->schools[i].enrolled;
			}
		}
	}
}

/* Has the runtime changed st since the chrome was last drawn? */
static int
layout_st_changed(struct layout *l)
{
	struct layout_status	*a = &l->st, *b = &l->drawn_st;

	return (a->link != b->link || a->stale_since != b->stale_since ||
	    a->upstream_down != b->upstream_down ||
	    a->exercise != b->exercise ||
	    a->message_error != b->message_error ||
	    strcmp(a->operator, b->operator) != 0 ||
	    strcmp(a->role, b->role) != 0 ||
	    a->npresence != b->npresence || a->skipped != b->skipped ||
	    a->replay != b->replay ||
	    a->replay_permille != b->replay_permille ||
	    strcmp(a->replay_state, b->replay_state) != 0 ||
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
		w = s[i].more != NULL ? draw_width(s[i].more, ascii) : 0;
		if (w > 0 && s[i].width < draw_width(s[i].text, ascii) &&
		    s[i].width > w + 1) {
			draw_text(win, 0, x, s[i].width - w - 1, s[i].text,
			    s[i].attr, DRAW_ELLIPSIS, ascii);
			draw_text(win, 0, x + s[i].width - w, w, s[i].more,
			    s[i].attr | A_BOLD, 0, ascii);
		} else
			draw_text(win, 0, x, s[i].width, s[i].text,
			    s[i].attr, DRAW_ELLIPSIS, ascii);
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

/* The replay's progress: "‖ 4× ━━━━╸──── 43%", in ASCII "[####----]". */
static void
layout_replay_bar(struct layout *l, char *buf, size_t len)
{
	int	i, n, a = l->view.ascii;
	int	full = l->st.replay_permille * 10 / 1000;
	size_t	o;

	o = (size_t)snprintf(buf, len, "%s %s", l->st.replay_state,
	    a ? "[" : "");
	for (i = 0; i < 10 && o < len; i++) {
		n = snprintf(buf + o, len - o, "%s", i < full ? (a ? "#" :
		    "━") : (a ? "-" : "─"));
		o += n > 0 ? (size_t)n : 0;
	}
	if (o < len)
		snprintf(buf + o, len - o, "%s %d%%", a ? "]" : "",
		    l->st.replay_permille / 10);
}

static void
layout_draw_header(struct layout *l)
{
	struct layout_seg	 s[7];
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
	s[0].attr = theme_attr(THEME_HEADER_BRAND);
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
		la = theme_attr(THEME_HEADER_LINK);
		if (l->st.upstream_down) {
			/* The relay is here; the province behind it is not. */
			glyph = a ? "o" : "◌";
			text = _("relay: province out of reach");
			la = theme_attr(THEME_HEADER_LINK_WARN);
		}
		break;
	case LAYOUT_LINK_CONNECTING:
		glyph = a ? "o" : "◌";
		text = _("connecting");
		la = theme_attr(THEME_HEADER_LINK_WARN);
		break;
	case LAYOUT_LINK_RECONNECTING:
		glyph = a ? "o" : "◌";
		text = _("reconnecting");
		la = theme_attr(THEME_HEADER_LINK_WARN);
		break;
	case LAYOUT_LINK_REFUSED:
		glyph = a ? "x" : "✕";
		text = _("refused (token)");
		la = theme_attr(THEME_HEADER_LINK_CRIT);
		break;
	default:
		glyph = a ? "x" : "✕";
		text = _("offline");
		la = theme_attr(THEME_HEADER_LINK_CRIT);
		break;
	}
	if ((l->st.link != LAYOUT_LINK_CONNECTED || l->st.upstream_down) &&
	    l->st.stale_since != 0) {
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
		la = theme_attr(THEME_HEADER_LINK_WARN);
	}
	/* Connected blends in; anything else stands out of the header. */
	s[2].attr = la;
	s[2].prio = 1;
	s[2].flex = 1;
	s[2].min = 8;
	s[2].gap = 2;

	/* A replay says so first, and never gives way. */
	if (l->st.replay) {
		snprintf(s[3].text, sizeof s[3].text, " %s%s%s ",
		    _("REPLAY"), l->st.exercise ? (a ? " - " : " · ") : "",
		    l->st.exercise ? _("EXERCISE") : "");
		s[3].attr = theme_attr(THEME_HEADER_EXERCISE);
		s[3].prio = 0;
		s[3].gap = 2;
		layout_replay_bar(l, s[6].text, sizeof s[6].text);
		s[6].attr = base;
		s[6].prio = 2;
		s[6].flex = 1;
		s[6].min = 6;
		s[6].gap = 1;
	} else if (l->st.exercise) {
		snprintf(s[3].text, sizeof s[3].text, " %s ",
		    _("EXERCISE"));
		s[3].attr = theme_attr(THEME_HEADER_EXERCISE);
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

	layout_segs(l->header, s, 7, l->cols, base, a);
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
			if (i >= LAYOUT_TILED && i != l->focus)
				continue;
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
		/* The views have a tab only while they are shown. */
		if (i >= LAYOUT_TILED && i != l->focus)
			continue;
		cls = l->panels[i]->cls;
		if (form == 0 || (form >= 2 && i == l->focus))
			snprintf(buf, sizeof buf, " %d %s (%zu) ", i + 1,
			    _(cls->title), l->panels[i]->nrows);
		else if (form == 1)
			snprintf(buf, sizeof buf, " %d %s ", i + 1,
			    _(cls->title));
		else
			snprintf(buf, sizeof buf, " %d ", i + 1);
		attr = theme_attr(i == l->focus ? THEME_TAB_FOCUS :
		    THEME_STATUS);
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
	const struct layout_totals *t = &l->tot;
	const struct panel_view	*v = &l->view;
	char			 pct[16];
	attr_t			 base = theme_attr(THEME_STATUS);
	int			 k;

	if (l->status == NULL)
		return;
	memset(s, 0, sizeof s);
	werase(l->status);

	for (k = 0; k < 4; k++) {
		snprintf(s[k].text, sizeof s[k].text, "S%d:%zu", 4 - k,
		    t->open[4 - k]);
		s[k].attr = k == 0 ? theme_attr(THEME_STATUS_SEV4) : base;
		s[k].prio = 0;
		s[k].gap = 1;
	}
	/*
	 * Untouched (nobody has acted) apart from late at a later stage;
	 * while a message shows, it takes the later stage's room (the
	 * panels' footers keep both counts).
	 */
	if (t->untouched > 0 && t->overdue > 0 && l->st.message[0] == '\0')
		snprintf(s[4].text, sizeof s[4].text, "!! %s %zu · %s %zu",
		    _("untouched"), t->untouched, _("overdue"), t->overdue);
	else if (t->untouched > 0)
		snprintf(s[4].text, sizeof s[4].text, "!! %s %zu",
		    _("untouched"), t->untouched);
	else
		snprintf(s[4].text, sizeof s[4].text, "%s%s %zu",
		    t->overdue > 0 ? "!! " : "", _("overdue"), t->overdue);
	s[4].attr = t->overdue + t->untouched > 0 ?
	    theme_attr(THEME_STATUS_OVERDUE) : base;
	s[4].prio = 1;
	s[4].gap = 2;

	snprintf(s[5].text, sizeof s[5].text, "%s %ld",
	    _("beds free"), t->beds_free);
	s[5].attr = base;
	s[5].prio = 3;
	s[5].gap = 2;

	draw_permille(t->present, t->enrolled, !v->lang_en, pct, sizeof pct);
	snprintf(s[6].text, sizeof s[6].text, "%s %s", _("attendance"), pct);
	s[6].attr = base;
	s[6].prio = 4;
	s[6].gap = 2;

	snprintf(s[7].text, sizeof s[7].text, "%s", l->st.message);
	s[7].attr = l->st.message_error ? theme_attr(THEME_STATUS_ERROR) :
	    base;
	s[7].prio = 2;
	s[7].flex = 1;
	s[7].min = 10;
	s[7].gap = 2;
	/* Cut: a hint to read it whole in the log. */
	s[7].more = l->msg_more[0] != '\0' ? l->msg_more : NULL;

	layout_segs(l->status, s, 8, l->cols, base, v->ascii);
	wnoutrefresh(l->status);
}

/* Both languages: whoever sits at a tiny terminal must understand. */
static void
layout_draw_small(struct layout *l)
{
	const char	*msg[4];
	char		 buf[64];
	int		 h, w, y, i, n, top = 0;

	if (l->small == NULL)
		return;
	getmaxyx(l->small, h, w);
	werase(l->small);
	/* A replay says so even here: its banner is never hidden. */
	if (l->st.replay && h > 0) {
		draw_text(l->small, 0, 0, w, _("REPLAY"),
		    theme_attr(THEME_HEADER_EXERCISE), DRAW_CENTRE,
		    l->view.ascii);
		top = 1;
	}
	snprintf(buf, sizeof buf, "%dx%d", l->cols, l->lines);
	msg[0] = "Cửa sổ quá nhỏ";
	msg[1] = "Window too small";
	msg[2] = "(cần/need 40×10)";
	msg[3] = buf;
	n = 4;
	if (n > h - top)
		n = h - top;
	y = top + (h - top - n) / 2;
	for (i = 0; i < n; i++)
		draw_text(l->small, y + i, 0, w, msg[i], theme_attr(i < 2 ?
		    THEME_TOO_SMALL : THEME_NORMAL), DRAW_CENTRE,
		    l->view.ascii);
	wnoutrefresh(l->small);
}

/*
 * Draw what needs it, with wnoutrefresh only (the runtime calls doupdate
 * once per frame): dirty panels, the header and tab bar when the second
 * changed or anything they show did, the status line when its figures
 * or its message did.
 */
void
layout_draw(struct layout *l, int64_t now)
{
	struct panel_view	*v = &l->view;
	struct layout_totals	 was;
	int64_t			 sec;
	int			 i, chrome, header, status, tabs;

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
	/* Time moves items past their deadlines: count them again then. */
	if (now >= l->tot.overdue_next) {
		was = l->tot;
		layout_total_records(l, now);
		if (memcmp(&was, &l->tot, sizeof was) != 0)
			l->dirty_status = 1;
	}
	sec = now >= 0 ? now / 1000 : (now - 999) / 1000;
	chrome = l->dirty_chrome || layout_st_changed(l);
	header = chrome || sec != l->drawn_sec;
	tabs = header || l->dirty_tabs;
	status = chrome || l->dirty_status;
	if (sec != l->drawn_sec) {
		for (i = 0; i < l->npanels; i++) {
			if (l->panels[i]->cls->tick)
				panel_dirty(l->panels[i]);
		}
	}
	l->drawn_sec = sec;
	l->drawn_view = *v;
	l->drawn_st = l->st;
	l->dirty_chrome = l->dirty_status = l->dirty_tabs = 0;

	if (l->mode == LAYOUT_TOO_SMALL) {
		if (header)
			layout_draw_small(l);
		return;
	}
	if (header)
		layout_draw_header(l);
	if (tabs)
		layout_draw_tabs(l);
	if (status)
		layout_draw_status(l);
	for (i = 0; i < l->npanels; i++) {
		if (i == LAYOUT_FOLLOW_TILE && layout_following(l))
			layout_draw_follow(l, l->panels[i], chrome);
		else
			panel_draw(l->panels[i], l->store, v);
	}
}

/* Whether the follow view takes the Schools tile. */
static int
layout_following(const struct layout *l)
{
	return (l->follow != NULL && l->follow->name[0] != '\0');
}

/*
 * The follow view in panel p's window (the Schools tile): a frame titled
 * with the trainee, the drill's line and its expectations, then the
 * trainee's last commands, newest at the bottom. Drawn when they changed
 * (or the panel's window did).
 */
static void
layout_draw_follow(struct layout *l, struct panel *p, int force)
{
	const struct follow_view	*f = l->follow;
	WINDOW				*win = p->win;
	attr_t				 base, a;
	char				 title[128];
	int				 y, h, w, i, first, ascii = l->view.ascii;

	if (win == NULL)
		return;
	if (!force && l->follow_drawn && l->drawn_follow == f->gen &&
	    (~p->flags & PANEL_DIRTY))
		return;
	l->follow_drawn = 1;
	l->drawn_follow = f->gen;
	p->flags &= ~PANEL_DIRTY;
	panel_forget(p);
	base = theme_attr(THEME_NORMAL) & (A_COLOR | A_REVERSE);
	wbkgdset(win, base);
	werase(win);
	draw_box(win, theme_attr((p->flags & PANEL_FOCUS) ?
	    THEME_BORDER_FOCUS : THEME_BORDER), ascii);
	getmaxyx(win, h, w);
	snprintf(title, sizeof title, " %s %s ", _("Following"), f->name);
	draw_text(win, 0, 2, w - 4, title, theme_attr(THEME_TITLE),
	    DRAW_ELLIPSIS, ascii);
	y = 1;
	if (f->drill[0] != '\0' && y < h - 1)
		draw_text(win, y++, 1, w - 2, f->drill,
		    theme_attr(THEME_EXERCISE), DRAW_PAD | DRAW_ELLIPSIS, ascii);
	for (i = 0; i < f->nexpect && y < h - 1 - (f->nlines > 0); i++) {
		a = theme_attr(strncmp(f->expect[i], ascii ? "+" : "✓",
		    ascii ? 1 : 3) == 0 ? THEME_OK : strncmp(f->expect[i],
		    ascii ? "x" : "✗", ascii ? 1 : 3) == 0 ? THEME_CRIT :
		    THEME_NORMAL);
		draw_text(win, y++, 1, w - 2, f->expect[i], a,
		    DRAW_PAD | DRAW_ELLIPSIS, ascii);
	}
	if (f->nlines == 0 && y < h - 1)
		draw_text(win, y, 1, w - 2, _("(no command from the trainee "
		    "yet)"), theme_attr(THEME_MUTED), DRAW_PAD, ascii);
	/* As many of the newest commands as fit. */
	first = f->nlines - (h - 1 - y);
	if (first < 0)
		first = 0;
	for (i = first; i < f->nlines && y < h - 1; i++)
		draw_text(win, y++, 1, w - 2, f->lines[i], theme_attr(
		    THEME_NORMAL), DRAW_PAD | DRAW_ELLIPSIS, ascii);
	wnoutrefresh(win);
}

/*
 * Focus panel index (ignored when out of range); an open detail is closed
 * first, even when the panel is the focused one.
 */
void
layout_focus(struct layout *l, int index)
{
	if (index < 0 || index >= l->npanels)
		return;
	layout_detail(l, 0);
	if (index == l->focus)
		return;
	if (l->focus < LAYOUT_TILED)
		l->view_from = l->focus;
	l->focus = index;
	layout_apply(l);
}

/*
 * Focus the next tiled panel (dir 1) or the previous one (dir -1); from
 * a view, the one next to the panel it was opened from.
 */
void
layout_focus_step(struct layout *l, int dir)
{
	int	n = l->npanels < LAYOUT_TILED ? l->npanels : LAYOUT_TILED;
	int	from = l->focus < LAYOUT_TILED ? l->focus : l->view_from;

	if (n > 0)
		layout_focus(l, ((from + dir) % n + n) % n);
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

static void
layout_vmessage(struct layout *l, int flags, int error, const char *fmt,
    va_list ap)
{
	char	*text;

	if (vasprintf(&text, fmt, ap) == -1)
		return;
	snprintf(l->st.message, sizeof l->st.message, "%s", text);
	l->st.message_error = error;
	l->msg_flags = flags;
	if (~flags & LAYOUT_MSG_NOLOG)
		msglog_add(l->log, clock_now(), error, text);
	free(text);
	l->dirty_chrome = 1;
}

/*
 * Set the status line's message (printf-style) and add it, whole, to the
 * log; error shows it as an error. The text is fitted and stripped of
 * controls when drawn.
 */
void
layout_message(struct layout *l, int error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	layout_vmessage(l, 0, error, fmt, ap);
	va_end(ap);
}

/*
 * As layout_message(), saying what the message is (LAYOUT_MSG_NOLOG: a
 * passing one, kept out of the log; LAYOUT_MSG_LINK: about the link
 * being down, see layout_message_expire()).
 */
void
layout_message_flags(struct layout *l, int flags, int error,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	layout_vmessage(l, flags, error, fmt, ap);
	va_end(ap);
}

/*
 * What a message said is no longer true (the link is back: flags
 * LAYOUT_MSG_LINK): when the status line shows such a message, it goes.
 * The log keeps it, with its time.
 */
void
layout_message_expire(struct layout *l, int flags)
{
	if ((l->msg_flags & flags) == 0 || l->st.message[0] == '\0')
		return;
	l->st.message[0] = '\0';
	l->st.message_error = 0;
	l->msg_flags = 0;
	l->dirty_chrome = 1;
}

/*
 * The hint a cut message ends with (the key that opens the log), copied;
 * NULL or "" for none.
 */
void
layout_message_more(struct layout *l, const char *more)
{
	snprintf(l->msg_more, sizeof l->msg_more, "%s", more != NULL ? more :
	    "");
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

/*
 * Rebuild every shown panel's rows (the filter changed) and redraw them.
 * A hidden view is rebuilt when it is shown (layout_apply()): the
 * finished view of a 100,000-item state would otherwise gather and sort
 * its entries (megabytes) at every filter change, unseen.
 */
void
layout_dirty_all(struct layout *l)
{
	struct panel	*p;
	int		 i;

	for (i = 0; i < l->npanels; i++) {
		p = l->panels[i];
		if (i >= LAYOUT_TILED && p->win == NULL)
			continue;
		panel_refresh(p, l->store);
	}
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
 * Show only area (a code, or a name with or without accents: "bai chay";
 * a display group's code or name shows its areas; NULL, "", "all" or "*"
 * for every area) in every panel. Returns 0, or -1
 * with *cause set (allocated; caller frees) when no area matches.
 */
int
layout_filter_area(struct layout *l, const char *area, char **cause)
{
	char	code[sizeof l->filter.area];
	int	found;

	if (area == NULL || *area == '\0' || strcmp(area, "all") == 0 ||
	    strcmp(area, "*") == 0) {
		layout_detail(l, 0);
		l->filter.area[0] = '\0';
		layout_dirty_all(l);
		return (0);
	}
	/* A code, a name or a unique start of one: areas_find(). */
	if ((found = areas_find(l->store, area, code, sizeof code)) != 0) {
		xasprintf(cause, found == -2 ? _("more than one area matches "
		    "\"%s\"") : _("no area \"%s\""), area);
		return (-1);
	}
	layout_detail(l, 0);
	memcpy(l->filter.area, code, sizeof l->filter.area);
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
	layout_detail(l, 0);
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

	layout_detail(l, 0);
	memset(&l->filter, 0, sizeof l->filter);
	for (i = 0; i < l->npanels; i++)
		panel_set_search(l->panels[i], NULL);
	layout_dirty_all(l);
	layout_message(l, 0, "%s", _("Filters cleared"));
}

/*
 * Step the area filter through "all" and the store's areas: dir 1 to the
 * next, -1 to the previous.
 */
void
layout_filter_area_step(struct layout *l, int dir)
{
	if (areas_step(l->store, l->filter.area, dir, l->filter.area,
	    sizeof l->filter.area) != 0)
		return;
	layout_detail(l, 0);
	layout_dirty_all(l);
	layout_area_message(l);
}

/* Say on the status line what the area filter shows. */
static void
layout_area_message(struct layout *l)
{
	struct store		*st = l->store;
	const struct area	*a;
	const char		*f = l->filter.area;
	size_t			 n;

	if (*f == '\0')
		layout_message(l, 0, "%s", _("All areas"));
	else if (areas_is_group(st, f)) {
		n = areas_group_size(st, f);
		layout_message(l, 0, ngettext("Area: %s, %zu commune",
		    "Area: %s, %zu communes", n), areas_filter_name(st, f), n);
	} else if ((a = store_area(st, f)) != NULL && a->group_name != NULL)
		layout_message(l, 0, "%s: %s (%s)", _("Area"),
		    areas_filter_name(st, f), a->group_name);
	else
		layout_message(l, 0, "%s: %s", _("Area"),
		    areas_filter_name(st, f));
}

/*
 * Raise (dir 1) or lower (dir -1) the least severity shown: all, then 2,
 * 3, 4, and back down.
 */
void
layout_filter_severity_step(struct layout *l, int dir)
{
	int	sev = l->filter.severity;

	if (dir > 0)
		layout_filter_severity(l, sev < 2 ? 2 : sev < 4 ? sev + 1 : 4);
	else
		layout_filter_severity(l, sev <= 2 ? 0 : sev - 1);
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
 * Move the focused panel's selection, or, while it shows a detail, scroll
 * the detail.
 */
void
layout_move(struct layout *l, enum layout_move how)
{
	struct panel	*p = layout_focused(l);
	long		 page;

	if (p == NULL)
		return;
	if (p->flags & PANEL_DETAIL) {
		page = p->h > 3 ? p->h - 3 : 1;
		switch (how) {
		case LAYOUT_MOVE_UP:
			panel_detail_scroll(p, -1);
			break;
		case LAYOUT_MOVE_DOWN:
			panel_detail_scroll(p, 1);
			break;
		case LAYOUT_MOVE_PAGE_UP:
			panel_detail_scroll(p, -page);
			break;
		case LAYOUT_MOVE_PAGE_DOWN:
			panel_detail_scroll(p, page);
			break;
		case LAYOUT_MOVE_TOP:
			panel_detail_scroll(p, LONG_MIN / 2);
			break;
		case LAYOUT_MOVE_BOTTOM:
			panel_detail_scroll(p, LONG_MAX / 2);
			break;
		}
		return;
	}
	switch (how) {
	case LAYOUT_MOVE_UP:
		panel_move(p, -1);
		break;
	case LAYOUT_MOVE_DOWN:
		panel_move(p, 1);
		break;
	case LAYOUT_MOVE_PAGE_UP:
		panel_move(p, -(long)panel_visible(p));
		break;
	case LAYOUT_MOVE_PAGE_DOWN:
		panel_move(p, panel_visible(p));
		break;
	case LAYOUT_MOVE_TOP:
		panel_move(p, LONG_MIN);
		break;
	case LAYOUT_MOVE_BOTTOM:
		panel_move(p, LONG_MAX);
		break;
	}
}

/*
 * Go back one step: close the focused panel's detail, else clear its
 * search, else leave a view for the panel it was opened from. Returns 1
 * if there was a step to go back, else 0.
 */
int
layout_back(struct layout *l)
{
	struct panel	*p = layout_focused(l);

	if (p == NULL)
		return (0);
	if (p->flags & PANEL_DETAIL) {
		layout_detail(l, 0);
		return (1);
	}
	if (p->search != NULL) {
		layout_search(l, NULL);
		return (1);
	}
	if (l->focus >= LAYOUT_TILED) {
		layout_focus(l, l->view_from);
		return (1);
	}
	return (0);
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
