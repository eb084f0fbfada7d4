/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Alerts panel: open alerts, most severe and oldest first. */

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
 * Rows are the alerts that are not closed and pass the filter and the
 * search, sorted by severity (highest first), then by age (oldest first:
 * it has waited longest), then by id; other sorts are by age, deadline,
 * area, state or id. Columns are fitted to the width, most important
 * first: severity (glyph and number: never colour alone), id, a mark for
 * muted (⊘) and escalated (↑) alerts, area, title (guaranteed room; it
 * takes the rest), state (a word, or one glyph when narrow), the age with
 * a deadline mark ("!" near, "!!" past), then, as width allows, the time
 * left to the deadline, kind, units and the handler (who acknowledged,
 * dispatched or reopened it last: a supervisor's "who handles what").
 */

static const char	*widget_alerts_id(struct panel *, struct store *,
			     size_t);
static int		 widget_alerts_cmp(const void *, const void *, void *);
static void		 widget_alerts_refresh(struct panel *, struct store *);
static int		 widget_alerts_init(struct panel *);
static void		 widget_alerts_free(struct panel *);
static void		 widget_alerts_columns(struct panel *, struct store *,
			     const struct panel_view *);
static void		 widget_alerts_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_alerts_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_alerts_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_alerts_detail_clocks(struct panel_detail *,
			    const struct alert *);
static void		 widget_alerts_footer(struct panel *, struct store *,
			     const struct panel_view *, char *, size_t);
static int		 widget_alerts_muted(const struct alert *, int64_t);
static const char	*widget_alerts_handler(const struct alert *);
static void		 widget_alerts_legend(int, void (*)(void *,
			    const char *, const char *), void *);

static const char *const widget_alerts_sorts[] = {
	"severity", "age", "deadline", "area", "state", "id", NULL
};

const struct panel_class widget_alerts_class = {
	.name = "alerts",
	.title = N_("Alerts"),
	.store_mask = STORE_CH_ALERTS | STORE_CH_UNITS,
	.item_kind = "alert",
	.sorts = widget_alerts_sorts,
	.init = widget_alerts_init,
	.free = widget_alerts_free,
	.refresh = widget_alerts_refresh,
	.columns = widget_alerts_columns,
	.head = widget_alerts_head,
	.row = widget_alerts_row,
	.row_id = widget_alerts_id,
	.detail = widget_alerts_detail,
	.footer = widget_alerts_footer,
	.legend = widget_alerts_legend,
	.tick = 1
};

/* Shown in the Kind column; translated where drawn. */
static const char *const widget_alerts_kinds[ALERT_KIND_COUNT] = {
	NC_("alert kind", "flood"), NC_("alert kind", "storm"),
	NC_("alert kind", "fire"), NC_("alert kind", "traffic"),
	NC_("alert kind", "environ"), NC_("alert kind", "health"),
	NC_("alert kind", "security"), NC_("alert kind", "infra"),
	NC_("alert kind", "ict")
};
static const char *const widget_alerts_states[ALERT_STATE_COUNT] = {
	NC_("alert state", "new"), NC_("alert state", "ack"),
	NC_("alert state", "disp"), NC_("alert state", "scene"),
	NC_("alert state", "done"), NC_("alert state", "closed")
};
/* One column each, for narrow panels; the help explains them. */
static const char *const widget_alerts_glyphs[ALERT_STATE_COUNT] = {
	"●", "✓", "→", "⌂", "○", "×"
};
static const char widget_alerts_glyphs_ascii[ALERT_STATE_COUNT] = {
	'N', 'A', 'D', 'S', 'R', 'C'
};
/* What the Due column's glyph says: which stage clock runs. */
static const char *const widget_alerts_clock_notes[ALERT_CLOCK_COUNT] = {
	"", N_("Due: time left to acknowledge"),
	N_("Due: time left to dispatch a unit"),
	N_("Due: time left for a unit to be on scene")
};
static const char *const widget_alerts_state_names[ALERT_STATE_COUNT] = {
	N_("new"), N_("acknowledged"), N_("dispatched"), N_("on scene"),
	N_("resolved"), N_("closed")
};
static const char *const widget_alerts_unit_status[UNIT_STATUS_COUNT] = {
	N_("available"), N_("dispatched"), N_("en route"), N_("on scene"),
	N_("returning"), N_("out of service")
};
static const char *const widget_alerts_sources[SOURCE_COUNT] = {
	N_("sensor"), N_("camera"), N_("citizen"), N_("hospital"),
	N_("manual")
};
static const char *const widget_alerts_dispositions[DISPOSITION_COUNT] = {
	N_("none"), N_("resolved"), N_("false alarm"), N_("duplicate"),
	N_("cancelled"), N_("transferred")
};

enum {
	COL_SEV,
	COL_ID,
	COL_FLAGS,
	COL_KIND,
	COL_AREA,
	COL_TITLE,
	COL_STATE,
	COL_HANDLER,
	COL_UNITS,
	COL_LEFT,
	COL_AGE,
	COL_COUNT
};

struct widget_alerts_sort {
	struct store	*store;
	int		 sort;
};

/* The columns as laid out for the last draw. */
struct widget_alerts_data {
	struct draw_col	 c[COL_COUNT];
};

static int
widget_alerts_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_alerts_data));
	return (0);
}

static void
widget_alerts_free(struct panel *p)
{
	free(p->data);
	p->data = NULL;
}

static const char *
widget_alerts_id(struct panel *p, struct store *store, size_t i)
{
	(void)p;
	if (i >= store->nalerts)
		return (NULL);
	return (store->alerts[i].id);
}

static int
widget_alerts_cmp(const void *va, const void *vb, void *arg)
{
	struct widget_alerts_sort	*s = arg;
	const struct alert		*a, *b;
	int				 c;

	a = &s->store->alerts[*(const size_t *)va];
	b = &s->store->alerts[*(const size_t *)vb];
	switch (s->sort) {
	case 1:		/* age: the oldest first */
		break;
	case 2:		/* deadline: the soonest first, none last */
		if (a->deadline != b->deadline) {
			if (a->deadline == 0 || b->deadline == 0)
				return (a->deadline == 0 ? 1 : -1);
			return (a->deadline < b->deadline ? -1 : 1);
		}
		break;
	case 3:
		if ((c = strcmp(a->area, b->area)) != 0)
			return (c);
		break;
	case 4:
		if (a->state != b->state)
			return (a->state < b->state ? -1 : 1);
		break;
	case 5:
		return (strcmp(a->id, b->id));
	}
	if (s->sort != 1 && a->severity != b->severity)
		return (a->severity > b->severity ? -1 : 1);
	if (a->created != b->created)
		return (a->created < b->created ? -1 : 1);
	return (strcmp(a->id, b->id));
}

static void
widget_alerts_refresh(struct panel *p, struct store *store)
{
	struct widget_alerts_sort	 s;
	const struct alert		*a;
	const char			*texts[5 + ALERT_MAX_UNITS];
	size_t				 i;
	int				 k, n;

	panel_rows_clear(p);
	for (i = 0; i < store->nalerts; i++) {
		a = &store->alerts[i];
		if (a->state == ALERT_CLOSED)
			continue;
		n = 0;
		texts[n++] = a->id;
		texts[n++] = a->title;
		texts[n++] = a->place;
		texts[n++] = a->acked_by;
		texts[n++] = (unsigned)a->kind < ALERT_KIND_COUNT ?
		    alert_kind_names[a->kind] : NULL;
		for (k = 0; k < a->nunits && k < ALERT_MAX_UNITS; k++)
			texts[n++] = a->units[k];
		if (panel_want(p, store, a->area, a->severity, texts,
		    (size_t)n))
			panel_rows_add(p, i);
	}
	s.store = store;
	s.sort = p->sort;
	panel_sort(p, widget_alerts_cmp, &s);
	panel_reselect(p, widget_alerts_id, store);
}

/*
 * The legend: the state glyphs (narrow panels draw them), the marks, and
 * the glyph of the stage clock in the Due column, from the tables the
 * rows are drawn from.
 */
static void
widget_alerts_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	char	g[8];
	int	k;

	for (k = 0; k < ALERT_STATE_COUNT; k++) {
		if (ascii)
			snprintf(g, sizeof g, "%c",
			    widget_alerts_glyphs_ascii[k]);
		else
			snprintf(g, sizeof g, "%s", widget_alerts_glyphs[k]);
		add(arg, g, _(widget_alerts_state_names[k]));
	}
	add(arg, ascii ? "^" : "↑", _("escalated"));
	add(arg, ascii ? "m" : "⊘", _("muted"));
	for (k = ALERT_CLOCK_ACK; k < ALERT_CLOCK_COUNT; k++) {
		snprintf(g, sizeof g, "%s 5m", draw_clock_glyph(k, ascii));
		add(arg, g, _(widget_alerts_clock_notes[k]));
	}
	add(arg, _("[EX] "), _("an exercise"));
}

static int
widget_alerts_muted(const struct alert *a, int64_t now)
{
	return (a->muted_until != 0 && a->muted_until > now);
}

/*
 * Who handles the alert: its handler, or for a backend older than the
 * handler field whoever acknowledged it; NULL for nobody.
 */
static const char *
widget_alerts_handler(const struct alert *a)
{
	if (a->handler != NULL && a->handler[0] != '\0')
		return (a->handler);
	if (a->acked_by != NULL && a->acked_by[0] != '\0')
		return (a->acked_by);
	return (NULL);
}

/* Fit the columns to the width and to what the rows hold. */
static void
widget_alerts_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_alerts_data	*ad = p->data;
	struct draw_col			*c = ad->c;
	const struct alert		*a;
	size_t				 i;
	int				 iw = p->w - 2, n, k, wid, warea;
	int				 wstate, wkind, whand, wunits;
	int				 flags = 0;

	wid = draw_width(_("ID"), v->ascii);
	warea = draw_width(_("Area"), v->ascii);
	wstate = draw_width(_("State"), v->ascii);
	wkind = draw_width(_("Kind"), v->ascii);
	whand = draw_width(_("Handler"), v->ascii);
	wunits = draw_width(_("Units"), v->ascii);
	for (k = 0; k < ALERT_STATE_COUNT; k++) {
		if ((n = draw_width(C_("alert state",
		    widget_alerts_states[k]), v->ascii)) > wstate)
			wstate = n;
	}
	for (k = 0; k < ALERT_KIND_COUNT; k++) {
		if ((n = draw_width(C_("alert kind", widget_alerts_kinds[k]),
		    v->ascii)) > wkind)
			wkind = n;
	}
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nalerts)
			continue;
		a = &store->alerts[p->rows[i]];
		if ((n = (int)strlen(a->id)) > wid)
			wid = n;
		if ((n = (int)strlen(areas_label(store, a->area))) > warea)
			warea = n;
		if (widget_alerts_muted(a, v->now) || a->escalation > 0)
			flags = 1;
		if (widget_alerts_handler(a) != NULL &&
		    (n = draw_width(widget_alerts_handler(a), v->ascii)) >
		    whand)
			whand = n > 18 ? 18 : n;
		for (k = 0, n = -1; k < a->nunits && k < ALERT_MAX_UNITS;
		    k++)
			n += (int)strlen(a->units[k]) + 1;
		if (n > wunits)
			wunits = n > 24 ? 24 : n;
	}
	memset(c, 0, sizeof ad->c);
	c[COL_SEV] = (struct draw_col){ .want = 2, .prio = 0 };
	c[COL_ID] = (struct draw_col){ .want = wid, .prio = 0 };
	c[COL_FLAGS] = (struct draw_col){ .want = flags, .prio = 2 };
	c[COL_KIND] = (struct draw_col){ .want = wkind, .prio = 5 };
	c[COL_AREA] = (struct draw_col){ .want = warea, .prio = 3 };
	/* The title is what an officer reads first: room for it. */
	c[COL_TITLE] = (struct draw_col){ .want = iw >= 70 ? 24 : 12,
	    .prio = 0, .fill = 1 };
	c[COL_STATE] = (struct draw_col){ .want = wstate, .alt = 1,
	    .altprio = 4, .prio = 1 };
	c[COL_HANDLER] = (struct draw_col){ .want = whand, .prio = 8 };
	c[COL_UNITS] = (struct draw_col){ .want = wunits,
	    .alt = wunits > 12 ? 12 : 0, .altprio = 7, .prio = 6 };
	c[COL_LEFT] = (struct draw_col){ .want = 7, .prio = 7 };
	c[COL_AGE] = (struct draw_col){ .want = 5, .prio = 0 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_alerts_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_alerts_data	*ad = p->data;
	const struct draw_col		*c = ad->c;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	draw_line_text(l, c[COL_SEV].x, c[COL_SEV].w, "S", head, 0);
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, _("ID"), head, 0);
	draw_line_text(l, c[COL_KIND].x, c[COL_KIND].w, _("Kind"), head, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w, _("Area"), head, 0);
	draw_line_text(l, c[COL_TITLE].x, c[COL_TITLE].w, _("Title"), head,
	    0);
	if (!c[COL_STATE].narrow)
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, _("State"),
		    head, 0);
	draw_line_text(l, c[COL_HANDLER].x, c[COL_HANDLER].w, _("Handler"),
	    head, 0);
	draw_line_text(l, c[COL_UNITS].x, c[COL_UNITS].w, _("Units"), head,
	    0);
	draw_line_text(l, c[COL_LEFT].x, c[COL_LEFT].w, _("Due"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_AGE].x, c[COL_AGE].w, _("Age"), head,
	    DRAW_RIGHT);
}

static void
widget_alerts_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_alerts_data	*ad = p->data;
	const struct draw_col		*c = ad->c;
	const struct alert		*a;
	enum draw_deadline		 dl;
	enum alert_clock		 clk;
	int64_t				 due;
	char				 buf[160], age[16];
	int				 n, k;
	attr_t				 normal = theme_attr(THEME_NORMAL);

	if (p->rows[i] >= store->nalerts)
		return;
	a = &store->alerts[p->rows[i]];
	snprintf(buf, sizeof buf, "%s%d", draw_sev_glyph(a->severity,
	    v->ascii), a->severity);
	draw_line_text(l, c[COL_SEV].x, c[COL_SEV].w, buf,
	    theme_attr(draw_sev_slot(a->severity)), 0);
	draw_line_text(l, c[COL_ID].x, c[COL_ID].w, a->id, normal, 0);
	/* One mark: muted wins over escalated (the detail has both). */
	snprintf(buf, sizeof buf, "%s",
	    widget_alerts_muted(a, v->now) ? (v->ascii ? "m" : "⊘") :
	    a->escalation > 0 ? (v->ascii ? "^" : "↑") : "");
	if (buf[0] != '\0')
		draw_line_text(l, c[COL_FLAGS].x, c[COL_FLAGS].w, buf,
		    theme_attr(THEME_WARN), 0);
	if ((unsigned)a->kind < ALERT_KIND_COUNT)
		draw_line_text(l, c[COL_KIND].x, c[COL_KIND].w,
		    C_("alert kind", widget_alerts_kinds[a->kind]), normal, 0);
	draw_line_text(l, c[COL_AREA].x, c[COL_AREA].w,
	    areas_label(store, a->area), normal, 0);
	snprintf(buf, sizeof buf, "%s%s", a->exercise && !v->exercise ?
	    _("[EX] ") : "", a->title != NULL ? a->title : "");
	draw_line_text(l, c[COL_TITLE].x, c[COL_TITLE].w, buf,
	    a->severity >= 4 ? theme_attr(THEME_ALERT_ROW_CRITICAL) : normal,
	    DRAW_ELLIPSIS);
	if ((unsigned)a->state < ALERT_STATE_COUNT) {
		if (c[COL_STATE].narrow && v->ascii)
			snprintf(buf, sizeof buf, "%c",
			    widget_alerts_glyphs_ascii[a->state]);
		else if (c[COL_STATE].narrow)
			snprintf(buf, sizeof buf, "%s",
			    widget_alerts_glyphs[a->state]);
		else
			snprintf(buf, sizeof buf, "%s", C_("alert state",
			    widget_alerts_states[a->state]));
		draw_line_text(l, c[COL_STATE].x, c[COL_STATE].w, buf,
		    a->state == ALERT_NEW ? theme_attr(THEME_ALERT_ROW_NEW) :
		    normal, 0);
	}
	if (widget_alerts_handler(a) != NULL)
		draw_line_text(l, c[COL_HANDLER].x, c[COL_HANDLER].w,
		    widget_alerts_handler(a), normal, DRAW_ELLIPSIS);
	buf[0] = '\0';
	for (k = 0, n = 0; k < a->nunits && k < ALERT_MAX_UNITS; k++) {
		if (c[COL_UNITS].narrow && k > 0) {
			snprintf(buf + n, sizeof buf - n, "+%d",
			    a->nunits - 1);
			break;
		}
		n += snprintf(buf + n, sizeof buf - n, "%s%s",
		    k > 0 ? "," : "", a->units[k]);
		if ((size_t)n >= sizeof buf)
			break;
	}
	if (buf[0] != '\0')
		draw_line_text(l, c[COL_UNITS].x, c[COL_UNITS].w, buf, normal,
		    DRAW_ELLIPSIS);
	/* The clock running, by the glyph of the stage it waits for. */
	clk = alert_clock(a, &due);
	dl = draw_alert_deadline(a, v->now);
	if (dl != DRAW_DL_NONE) {
		draw_left(v->now, due, age, sizeof age);
		snprintf(buf, sizeof buf, "%s %s", draw_clock_glyph(clk,
		    v->ascii), age);
		draw_line_text(l, c[COL_LEFT].x, c[COL_LEFT].w, buf,
		    theme_attr(draw_deadline_slot(dl)), DRAW_RIGHT);
	}
	draw_age(v->now - a->created, age, sizeof age);
	snprintf(buf, sizeof buf, "%s%s", age, draw_deadline_glyph(dl));
	draw_line_text(l, c[COL_AGE].x, c[COL_AGE].w, buf,
	    theme_attr(draw_deadline_slot(dl)), DRAW_RIGHT);
}

/*
 * "new 3 · !! untouched 1 · overdue 2" on the bottom border: untouched
 * counts the alerts nobody has acknowledged past their time to, apart
 * from those late at a later stage.
 */
static void
widget_alerts_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	const struct alert	*a;
	size_t			 i, nnew = 0, over = 0, muted = 0;
	size_t			 untouched = 0;
	int64_t			 due;
	int			 n = 0;

	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nalerts)
			continue;
		a = &store->alerts[p->rows[i]];
		if (a->state == ALERT_NEW)
			nnew++;
		if (draw_alert_deadline(a, v->now) == DRAW_DL_OVERDUE) {
			if (alert_clock(a, &due) == ALERT_CLOCK_ACK)
				untouched++;
			else
				over++;
		}
		if (widget_alerts_muted(a, v->now))
			muted++;
	}
	if (nnew > 0)
		n += snprintf(buf + n, sz - n, "%s %zu", _("new"), nnew);
	if (untouched > 0 && (size_t)n < sz)
		n += snprintf(buf + n, sz - n, "%s!! %s %zu", n > 0 ? " · " :
		    "", _("untouched"), untouched);
	if (over > 0 && (size_t)n < sz)
		n += snprintf(buf + n, sz - n, "%s!! %s %zu", n > 0 ? " · " :
		    "", _("overdue"), over);
	if (muted > 0 && (size_t)n < sz)
		snprintf(buf + n, sz - n, "%s%s %s %zu", n > 0 ? " · " : "",
		    v->ascii ? "m" : "⊘", _("muted"), muted);
}

/* The detail's heading: the severity's colour, bold (plain when none). */
static enum theme_slot
widget_alerts_detail_slot(int severity)
{
	static const enum theme_slot	slots[] = {
		THEME_ALERT_DETAIL_STATE, THEME_ALERT_DETAIL_SEV1,
		THEME_ALERT_DETAIL_SEV2, THEME_ALERT_DETAIL_SEV3,
		THEME_ALERT_DETAIL_SEV4
	};

	if (severity < 1 || severity > 4)
		severity = 0;
	return (slots[severity]);
}

/*
 * The three stage clocks of the detail: each stage reached ("done" and
 * when), the one running (when due, the time left, and "!! overdue"), or
 * one still to come (when due).
 */
static void
widget_alerts_detail_clocks(struct panel_detail *d, const struct alert *a)
{
	static const char *const labels[ALERT_CLOCK_COUNT] = {
		NULL, NC_("stage", "Acknowledge"), NC_("stage", "Dispatch"),
		NC_("stage", "On scene")
	};
	const struct panel_view	*v = d->view;
	enum alert_clock	 run, k;
	enum draw_deadline	 dl;
	int64_t			 due, at, dues[ALERT_CLOCK_COUNT];
	int64_t			 ats[ALERT_CLOCK_COUNT];
	char			 buf[128], t1[16], t2[16];
	attr_t			 attr;

	run = alert_clock(a, &due);
	dl = draw_alert_deadline(a, v->now);
	dues[ALERT_CLOCK_ACK] = a->due_ack != 0 ? a->due_ack : a->deadline;
	dues[ALERT_CLOCK_DISPATCH] = a->due_dispatch;
	dues[ALERT_CLOCK_ON_SCENE] = a->due_on_scene;
	ats[ALERT_CLOCK_ACK] = a->acked_at;
	ats[ALERT_CLOCK_DISPATCH] = a->dispatched_at;
	ats[ALERT_CLOCK_ON_SCENE] = a->on_scene_at;
	for (k = ALERT_CLOCK_ACK; k < ALERT_CLOCK_COUNT; k++) {
		at = ats[k];
		attr = theme_attr(THEME_MUTED);
		t1[0] = t2[0] = '\0';
		if (k == run) {
			clock_hms(due, v->utc_offset_min, t1, sizeof t1);
			draw_left(v->now, due, t2, sizeof t2);
			if (due == 0)
				snprintf(buf, sizeof buf, "%s %s",
				    draw_clock_glyph(k, v->ascii),
				    _("running, no limit"));
			else
				snprintf(buf, sizeof buf, "%s %s %s (%s) %s",
				    draw_clock_glyph(k, v->ascii), _("due"),
				    t1, t2, dl == DRAW_DL_OVERDUE ?
				    _("!! overdue") : dl == DRAW_DL_NEAR ?
				    _("! due soon") : "");
			attr = theme_attr(draw_deadline_slot(dl));
		} else if (at != 0) {
			clock_hms(at, v->utc_offset_min, t1, sizeof t1);
			snprintf(buf, sizeof buf, "%s %s%s", C_("stage",
			    "done"), t1, dues[k] != 0 && at > dues[k] ?
			    _(", late") : "");
		} else if (run != ALERT_CLOCK_NONE && k > run &&
		    dues[k] != 0) {
			clock_hms(dues[k], v->utc_offset_min, t1, sizeof t1);
			snprintf(buf, sizeof buf, "%s %s", _("due"), t1);
		} else
			snprintf(buf, sizeof buf, "-");
		panel_detail_field(d, C_("stage", labels[k]), buf, attr);
	}
}

static void
widget_alerts_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	const struct panel_view	*v = d->view;
	const struct alert	*a;
	const struct area	*ar;
	const struct unit	*u;
	char			 buf[512], t1[16], t2[16];
	int			 k, n;
	attr_t			 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0' || (a = store_alert(store, p->sel_id)) ==
	    NULL)
		return;
	snprintf(buf, sizeof buf, "%s%d %s  %s%s",
	    draw_sev_glyph(a->severity, v->ascii), a->severity, a->id,
	    a->exercise ? _("[EX] ") : "", a->title != NULL ? a->title : "");
	panel_detail_text(d, buf, theme_attr(widget_alerts_detail_slot(
	    a->severity)), 0);
	panel_detail_blank(d);
	if ((unsigned)a->state < ALERT_STATE_COUNT) {
		if (a->state == ALERT_CLOSED &&
		    (unsigned)a->disposition < DISPOSITION_COUNT)
			snprintf(buf, sizeof buf, "%s (%s)",
			    _(widget_alerts_state_names[a->state]),
			    _(widget_alerts_dispositions[a->disposition]));
		else
			snprintf(buf, sizeof buf, "%s",
			    _(widget_alerts_state_names[a->state]));
		panel_detail_field(d, C_("detail", "State"), buf,
		    theme_attr(THEME_ALERT_DETAIL_STATE));
	}
	if ((unsigned)a->kind < ALERT_KIND_COUNT)
		panel_detail_field(d, _("Kind"), C_("alert kind",
		    widget_alerts_kinds[a->kind]), normal);
	ar = store_area(store, a->area);
	snprintf(buf, sizeof buf, "%s%s%s", ar != NULL && ar->name != NULL ?
	    ar->name : a->area, a->place != NULL && a->place[0] != '\0' ?
	    " · " : "", a->place != NULL ? a->place : "");
	panel_detail_field(d, C_("detail", "Area"), buf, normal);
	if ((unsigned)a->source < SOURCE_COUNT)
		panel_detail_field(d, _("Source"),
		    _(widget_alerts_sources[a->source]), normal);
	clock_hms(a->created, v->utc_offset_min, t1, sizeof t1);
	draw_age(v->now - a->created, t2, sizeof t2);
	snprintf(buf, sizeof buf, "%s (%s %s)", t1, t2, _("ago"));
	panel_detail_field(d, _("Created"), buf, normal);
	widget_alerts_detail_clocks(d, a);
	panel_detail_field(d, _("Acked by"), a->acked_by != NULL ?
	    a->acked_by : "-", normal);
	/* Who handles it now, when that is not who acknowledged it. */
	if (a->handler != NULL && a->handler[0] != '\0' &&
	    (a->acked_by == NULL || strcmp(a->handler, a->acked_by) != 0))
		panel_detail_field(d, _("Handler"), a->handler, normal);
	buf[0] = '\0';
	for (k = 0, n = 0; k < a->nunits && k < ALERT_MAX_UNITS &&
	    (size_t)n < sizeof buf; k++) {
		u = store_unit(store, a->units[k]);
		if (u != NULL && (unsigned)u->status >= UNIT_STATUS_COUNT)
			u = NULL;
		n += snprintf(buf + n, sizeof buf - n, "%s%s%s%s%s",
		    k > 0 ? ", " : "", a->units[k], u != NULL ? " (" : "",
		    u != NULL ? _(widget_alerts_unit_status[u->status]) : "",
		    u != NULL ? ")" : "");
	}
	panel_detail_field(d, _("Units"), buf[0] != '\0' ? buf : "-", normal);
	if (a->escalation > 0) {
		snprintf(buf, sizeof buf, "%s%d", v->ascii ? "^" : "↑",
		    a->escalation);
		panel_detail_field(d, _("Escalation"), buf,
		    theme_attr(THEME_WARN));
	}
	if (widget_alerts_muted(a, v->now)) {
		clock_hms(a->muted_until, v->utc_offset_min, t1, sizeof t1);
		snprintf(buf, sizeof buf, "%s %s", v->ascii ? "m" : "⊘", t1);
		panel_detail_field(d, _("Muted until"), buf,
		    theme_attr(THEME_WARN));
	}
	snprintf(buf, sizeof buf, "%u", (unsigned)a->version);
	panel_detail_field(d, _("Version"), buf, theme_attr(THEME_MUTED));
	panel_detail_blank(d);
	panel_detail_heading(d, _("History"));
	panel_detail_history(d, &a->hist);
}
