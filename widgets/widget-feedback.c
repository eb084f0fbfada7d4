/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Feedback panel: open citizen cases, nearest deadline first. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "clock.h"
#include "draw.h"
#include "i18n.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * Rows are the open cases (feedback_is_open: not answered, closed or
 * returned) that pass the filter and the search, sorted by deadline (the
 * earliest first, cases without one last), then by when they came in,
 * then by id; other sorts are by arrival, area, state or channel.
 * Columns, most important first: id, the first words of the citizen's
 * text (untrusted: sanitised and normalised by the decoder, and drawn
 * only through draw_text; guaranteed room, it takes the rest), the time
 * left to the deadline with a mark ("!" near, "-12m!!" past), state (a
 * word, or a glyph when narrow), area, department, category, channel.
 */

static const char	*widget_feedback_id(struct panel *, struct store *,
			     size_t);
static int		 widget_feedback_cmp(const void *, const void *,
			     void *);
static void		 widget_feedback_refresh(struct panel *,
			     struct store *);
static int		 widget_feedback_init(struct panel *);
static void		 widget_feedback_free(struct panel *);
static void		 widget_feedback_columns(struct panel *,
			     struct store *, const struct panel_view *);
static void		 widget_feedback_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_feedback_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_feedback_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_feedback_legend(int, void (*)(void *,
			     const char *, const char *), void *);
static void		 widget_feedback_due(const struct panel_view *, int64_t,
			     enum draw_deadline, char *, size_t);
static void		 widget_feedback_footer(struct panel *,
			     struct store *, const struct panel_view *,
			     char *, size_t);

static const char *const widget_feedback_sorts[] = {
	"deadline", "received", "area", "state", "channel", NULL
};

const struct panel_class widget_feedback_class = {
	.name = "feedback",
	.title = N_("Feedback"),
	.store_mask = STORE_CH_FEEDBACK | STORE_CH_META,
	.item_kind = "feedback",
	.sorts = widget_feedback_sorts,
	.init = widget_feedback_init,
	.free = widget_feedback_free,
	.refresh = widget_feedback_refresh,
	.columns = widget_feedback_columns,
	.head = widget_feedback_head,
	.row = widget_feedback_row,
	.row_id = widget_feedback_id,
	.detail = widget_feedback_detail,
	.footer = widget_feedback_footer,
	.legend = widget_feedback_legend,
	.tick = 1
};

static const char *const widget_feedback_channels[FB_CHANNEL_COUNT] = {
	NC_("channel", "app"), NC_("channel", "1022"), NC_("channel", "web"),
	NC_("channel", "zalo"), NC_("channel", "press"),
	NC_("channel", "social")
};
/*
 * The categories of the dataset's cases, in words; a category the table
 * does not know (another province's) shows as its code.
 */
static const struct {
	const char	*code;
	const char	*name;
} widget_feedback_categories[] = {
	{ "administration", NC_("category", "administration") },
	{ "construction", NC_("category", "construction") },
	{ "education", NC_("category", "education") },
	{ "environment", NC_("category", "environment") },
	{ "health", NC_("category", "health") },
	{ "ict", NC_("category", "ict") },
	{ "land", NC_("category", "land") },
	{ "power", NC_("category", "power") },
	{ "security", NC_("category", "security") },
	{ "traffic", NC_("category", "traffic") },
	{ "water", NC_("category", "water") }
};
static const char *const widget_feedback_states[FB_STATE_COUNT] = {
	NC_("case state", "new"), NC_("case state", "asgn"),
	NC_("case state", "work"), NC_("case state", "answ"),
	NC_("case state", "closed"), NC_("case state", "ret")
};
static const char *const widget_feedback_state_names[FB_STATE_COUNT] = {
	N_("new"), N_("assigned"), N_("in progress"), N_("answered"),
	N_("closed"), N_("returned")
};
static const char *const widget_feedback_glyphs[FB_STATE_COUNT] = {
	"●", "→", "»", "✓", "×", "←"
};
static const char widget_feedback_glyphs_ascii[FB_STATE_COUNT] = {
	'N', 'G', 'W', 'A', 'C', 'R'
};

enum {
	COL_ID,
	COL_CHANNEL,
	COL_AREA,
	COL_CATEGORY,
	COL_TEXT,
	COL_STATE,
	COL_DEPT,
	COL_HANDLER,
	COL_LEFT,
	COL_COUNT
};

struct widget_feedback_sort {
	struct store	*store;
	int		 sort;
};

/* The columns as laid out for the last draw. */
struct widget_feedback_data {
	struct draw_col	 c[COL_COUNT];
};

static int
widget_feedback_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_feedback_data));
	return (0);
}

static void
widget_feedback_free(struct panel *p)
{
	free(p->data);
	p->data = NULL;
}

static const char *
widget_feedback_id(struct panel *p, struct store *store, size_t i)
{
	(void)p;
	if (i >= store->nfeedback)
		return (NULL);
	return (store->feedback[i].id);
}

static int
widget_feedback_cmp(const void *va, const void *vb, void *arg)
{
	struct widget_feedback_sort	*s = arg;
	const struct feedback		*a, *b;
	int				 c;

	a = &s->store->feedback[*(const size_t *)va];
	b = &s->store->feedback[*(const size_t *)vb];
	switch (s->sort) {
	case 2:
		if ((c = strcmp(a->area, b->area)) != 0)
			return (c);
		break;
	case 3:
		if (a->state != b->state)
			return (a->state < b->state ? -1 : 1);
		break;
	case 4:
		if (a->channel != b->channel)
			return (a->channel < b->channel ? -1 : 1);
		break;
	}
	if (s->sort != 1 && a->deadline != b->deadline) {
		if (a->deadline == 0 || b->deadline == 0)
			return (a->deadline == 0 ? 1 : -1);
		return (a->deadline < b->deadline ? -1 : 1);
	}
	if (a->received != b->received)
		return (a->received < b->received ? -1 : 1);
	return (strcmp(a->id, b->id));
}

/* A case's category in words (translated), or its code. */
static const char *
widget_feedback_category(const char *code)
{
	size_t	i;

	for (i = 0; i < sizeof widget_feedback_categories /
	    sizeof widget_feedback_categories[0]; i++) {
		if (strcmp(widget_feedback_categories[i].code, code) == 0)
			return (C_("category",
			    widget_feedback_categories[i].name));
	}
	return (code);
}

static void
widget_feedback_refresh(struct panel *p, struct store *store)
{
	struct widget_feedback_sort	 s;
	const struct feedback		*f;
	const struct department		*d;
	const char			*texts[6];
	size_t				 i;

	panel_rows_clear(p);
	for (i = 0; i < store->nfeedback; i++) {
		f = &store->feedback[i];
		if (!feedback_is_open(f))
			continue;
		d = f->dept[0] != '\0' ? store_department(store, f->dept) :
		    NULL;
		texts[0] = f->id;
		texts[1] = f->text;
		texts[2] = widget_feedback_category(f->category);
		texts[3] = f->dept;
		texts[4] = d != NULL ? d->name : NULL;
		texts[5] = (unsigned)f->channel < FB_CHANNEL_COUNT ?
		    fb_channel_names[f->channel] : NULL;
		if (panel_want(p, store, f->area, -1, texts, 6))
			panel_rows_add(p, i);
	}
	s.store = store;
	s.sort = p->sort;
	panel_sort(p, widget_feedback_cmp, &s);
	panel_reselect(p, widget_feedback_id, store);
}

/* Fit the columns to the width and to what the rows hold. */
static void
widget_feedback_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_feedback_data	*fd = p->data;
	struct draw_col			*c = fd->c;
	const struct feedback		*f;
	size_t				 i;
	int				 iw = p->w - 2, n, k, wid, warea;
	int				 wcat, wdept, wstate, wchan, whand;

	wid = draw_width(_("ID"), v->ascii);
	warea = draw_width(_("Area"), v->ascii);
	wcat = wdept = whand = 0; /* Shown only when some row has one. */
	wstate = draw_width(_("State"), v->ascii);
	wchan = draw_width(_("Chan"), v->ascii);
	for (k = 0; k < FB_STATE_COUNT; k++) {
		if ((n = draw_width(C_("case state",
		    widget_feedback_states[k]), v->ascii)) > wstate)
			wstate = n;
	}
	for (k = 0; k < FB_CHANNEL_COUNT; k++) {
		if ((n = draw_width(C_("channel",
		    widget_feedback_channels[k]), v->ascii)) > wchan)
			wchan = n;
	}
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nfeedback)
			continue;
		f = &store->feedback[p->rows[i]];
		if ((n = (int)strlen(f->id)) > wid)
			wid = n;
		if ((n = (int)strlen(areas_label(store, f->area))) > warea)
			warea = n;
		if ((n = draw_width(widget_feedback_category(f->category),
		    v->ascii)) > wcat)
			wcat = n;
		if ((n = (int)strlen(f->dept)) > wdept)
			wdept = n;
		if (f->handler != NULL && (n = draw_width(f->handler,
		    v->ascii)) > whand)
			whand = n > 18 ? 18 : n;
	}
	if (whand > 0 && (n = draw_width(_("Handler"), v->ascii)) > whand)
		whand = n;
	if (wcat > 0 && (n = draw_width(_("Cat"), v->ascii)) > wcat)
		wcat = n;
	if (wdept > 0 && (n = draw_width(_("Dept"), v->ascii)) > wdept)
		wdept = n;
	memset(c, 0, sizeof fd->c);
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_CHANNEL] = (struct draw_col){ .want = wchan, .prio = 7 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 2 };
	c[COL_CATEGORY] = (struct draw_col){ .want = wcat, .prio = 6 };
	c[COL_TEXT] = (struct draw_col){ .want = 14, .prio = 0, .fill = 1 };
	c[COL_STATE] = (struct draw_col){ .want = wstate, .alt = 1,
	    .altprio = 5, .prio = 3 };
	c[COL_DEPT] = (struct draw_col){ .want = wdept, .prio = 4 };
	c[COL_HANDLER] = (struct draw_col){ .want = whand, .prio = 8 };
	c[COL_LEFT] = (struct draw_col){ .want = 7, .prio = 0 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_feedback_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_feedback_data	*fd = p->data;
	const struct draw_col		*c = fd->c;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, _("ID"), head, 0);
	draw_line_text(l, c[COL_CHANNEL].x, c[COL_CHANNEL].w, _("Chan"),
	    head, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w, _("Area"), head, 0);
	draw_line_text(l, c[COL_CATEGORY].x, c[COL_CATEGORY].w, _("Cat"),
	    head, 0);
	draw_line_text(l, c[COL_TEXT].x, c[COL_TEXT].w, _("Text"), head, 0);
	if (!c[COL_STATE].narrow)
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, _("State"),
		    head, 0);
	draw_line_text(l, c[COL_DEPT].x, c[COL_DEPT].w, _("Dept"), head, 0);
	draw_line_text(l, c[COL_HANDLER].x, c[COL_HANDLER].w, _("Handler"),
	    head, 0);
	draw_line_text(l, c[COL_LEFT].x, c[COL_LEFT].w, _("Left"), head,
	    DRAW_RIGHT);
}

static void
widget_feedback_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_feedback_data	*fd = p->data;
	const struct draw_col		*c = fd->c;
	const struct feedback		*f;
	enum draw_deadline		 dl;
	char				 buf[64], left[16];
	attr_t				 normal = theme_attr(THEME_NORMAL);
	int				 x, w, n;

	if (p->rows[i] >= store->nfeedback)
		return;
	f = &store->feedback[p->rows[i]];
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, f->id, normal, 0);
	if ((unsigned)f->channel < FB_CHANNEL_COUNT)
		draw_line_text(l, c[COL_CHANNEL].x, c[COL_CHANNEL].w,
		    C_("channel", widget_feedback_channels[f->channel]),
		    normal, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w,
	    areas_label(store, f->area), normal, 0);
	draw_line_text(l, c[COL_CATEGORY].x, c[COL_CATEGORY].w,
	    widget_feedback_category(f->category), normal, 0);
	/* A trainer's case on a live feed says so, as alerts do. */
	x = c[COL_TEXT].x;
	w = c[COL_TEXT].w;
	if (f->exercise && !v->exercise) {
		n = draw_line_text(l, x, w, _("[EX] "), normal, 0);
		x += n;
		w -= n;
	}
	draw_line_text(l, x, w, f->text != NULL ? f->text : "", normal,
	    DRAW_ELLIPSIS);
	if ((unsigned)f->state < FB_STATE_COUNT) {
		if (c[COL_STATE].narrow && v->ascii)
			snprintf(buf, sizeof buf, "%c",
			    widget_feedback_glyphs_ascii[f->state]);
		else if (c[COL_STATE].narrow)
			snprintf(buf, sizeof buf, "%s",
			    widget_feedback_glyphs[f->state]);
		else
			snprintf(buf, sizeof buf, "%s", C_("case state",
			    widget_feedback_states[f->state]));
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, buf,
		    f->state == FB_NEW ? normal | A_BOLD : normal, 0);
	}
	draw_line_text(l, c[COL_DEPT].x, c[COL_DEPT].w, f->dept, normal, 0);
	if (f->handler != NULL)
		draw_line_text(l, c[COL_HANDLER].x, c[COL_HANDLER].w,
		    f->handler, normal, DRAW_ELLIPSIS);
	dl = draw_feedback_deadline(f, v->now);
	buf[0] = '\0';
	if (dl != DRAW_DL_NONE) {
		/* In working time, as the deadline itself is counted. */
		draw_work_left(v->workcal, v->now, f->deadline, left,
		    sizeof left);
		snprintf(buf, sizeof buf, "%s%s", left,
		    draw_deadline_glyph(dl));
	}
	if (buf[0] != '\0')
		draw_line_text(l, c[COL_LEFT].x, c[COL_LEFT].w, buf,
		    theme_attr(draw_deadline_slot(dl)), DRAW_RIGHT);
}

/* The legend: the state glyphs narrow panels draw, the time left. */
static void
widget_feedback_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	char	g[8];
	int	k;

	for (k = 0; k < FB_STATE_COUNT; k++) {
		if (ascii)
			snprintf(g, sizeof g, "%c",
			    widget_feedback_glyphs_ascii[k]);
		else
			snprintf(g, sizeof g, "%s", widget_feedback_glyphs[k]);
		add(arg, g, _(widget_feedback_state_names[k]));
	}
	add(arg, "40h", _("Left: working hours to the deadline (office hours, "
	    "no week-ends or holidays)"));
}

/* "new 3 · overdue 2" on the bottom border. */
static void
widget_feedback_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	const struct feedback	*f;
	size_t			 i, nnew = 0, over = 0, untouched = 0;
	int			 n = 0, late;

	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nfeedback)
			continue;
		f = &store->feedback[p->rows[i]];
		if (f->state == FB_NEW)
			nnew++;
		late = draw_feedback_deadline(f, v->now) == DRAW_DL_OVERDUE;
		/* New and past the desk's time to assign, or the deadline:
		 * nobody has acted, counted apart (as on the status line). */
		if (f->state == FB_NEW && (late || (f->due_assign != 0 &&
		    f->due_assign <= v->now)))
			untouched++;
		else if (late)
			over++;
	}
	if (nnew > 0)
		n += snprintf(buf + n, sz - n, "%s %zu", _("new"), nnew);
	if (untouched > 0 && (size_t)n < sz)
		n += snprintf(buf + n, sz - n, "%s!! %s %zu", n > 0 ? " · " :
		    "", _("untouched"), untouched);
	if (over > 0 && (size_t)n < sz)
		snprintf(buf + n, sz - n, "%s!! %s %zu", n > 0 ? " · " : "",
		    _("overdue"), over);
}

/*
 * A case's deadline for its detail: "14:00 Friday 04/12 · 9 working hours
 * left" (working time by the calendar, core/workcal.c), on the clock
 * without one, "overdue by 25m" past it.
 */
static void
widget_feedback_due(const struct panel_view *v, int64_t deadline,
    enum draw_deadline dl, char *buf, size_t sz)
{
	char	date[64], left[16];
	int64_t	w;

	draw_date(deadline, v->utc_offset_min, date, sizeof date);
	w = draw_work_left(v->workcal, v->now, deadline, left, sizeof left);
	if (dl == DRAW_DL_OVERDUE || deadline <= v->now)
		snprintf(buf, sz, _("%s · !! overdue by %s"), date, left + 1);
	else if (v->workcal == NULL)
		snprintf(buf, sz, _("%s · %s left"), date, left);
	else if (w < 3600000)
		snprintf(buf, sz, _("%s · %d working minutes left"), date,
		    (int)(w / 60000));
	else
		snprintf(buf, sz, _("%s · %d working hours left"), date,
		    (int)(w / 3600000));
}

static void
widget_feedback_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	const struct panel_view	*v = d->view;
	const struct feedback	*f;
	const struct area	*a;
	const struct department	*dep;
	enum draw_deadline	 dl;
	char			 buf[512], t1[16], t2[16];
	attr_t			 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0' ||
	    (f = store_feedback(store, p->sel_id)) == NULL)
		return;
	if ((unsigned)f->channel < FB_CHANNEL_COUNT)
		snprintf(buf, sizeof buf, "%s · %s", f->id, C_("channel",
		    widget_feedback_channels[f->channel]));
	else
		snprintf(buf, sizeof buf, "%s", f->id);
	panel_detail_text(d, buf, normal | A_BOLD, 0);
	panel_detail_blank(d);
	if ((unsigned)f->state < FB_STATE_COUNT)
		panel_detail_field(d, C_("detail", "State"),
		    _(widget_feedback_state_names[f->state]), normal | A_BOLD);
	a = store_area(store, f->area);
	panel_detail_field(d, C_("detail", "Area"),
	    a != NULL && a->name != NULL ? a->name : f->area, normal);
	panel_detail_field(d, _("Category"),
	    widget_feedback_category(f->category), normal);
	dep = f->dept[0] != '\0' ? store_department(store, f->dept) : NULL;
	if (f->dept[0] == '\0')
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%s%s%s%s", f->dept,
		    dep != NULL && dep->name != NULL ? " (" : "",
		    dep != NULL && dep->name != NULL ? dep->name : "",
		    dep != NULL && dep->name != NULL ? ")" : "");
	panel_detail_field(d, _("Department"), buf, normal);
	panel_detail_field(d, _("Handler"), f->handler != NULL &&
	    f->handler[0] != '\0' ? f->handler : "-", normal);
	clock_hms(f->received, v->utc_offset_min, t1, sizeof t1);
	draw_age(v->now - f->received, t2, sizeof t2);
	snprintf(buf, sizeof buf, "%s (%s %s)", t1, t2, _("ago"));
	panel_detail_field(d, _("Received"), buf, normal);
	dl = draw_feedback_deadline(f, v->now);
	if (f->deadline != 0) {
		widget_feedback_due(v, f->deadline, dl, buf, sizeof buf);
		panel_detail_field(d, _("Deadline"), buf,
		    theme_attr(draw_deadline_slot(dl)));
	}
	snprintf(buf, sizeof buf, "%u", (unsigned)f->version);
	panel_detail_field(d, _("Version"), buf, theme_attr(THEME_MUTED));
	panel_detail_blank(d);
	panel_detail_heading(d, _("Text"));
	panel_detail_text(d, f->text, normal, 2);
	if (f->reply != NULL) {
		panel_detail_blank(d);
		panel_detail_heading(d, _("Reply"));
		panel_detail_text(d, f->reply, normal, 2);
	}
	panel_detail_blank(d);
	panel_detail_heading(d, _("History"));
	panel_detail_history(d, &f->hist);
}
