/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The supervisor's overview: open work per area, and who holds what. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "areas.h"
#include "draw.h"
#include "i18n.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * Two tables in one panel. First the areas with open work (those that
 * pass the filter and the search), most critical first: open alerts by
 * severity, open cases, the items nobody has touched past their first
 * deadline (an alert still new after its time to acknowledge, a case
 * still new after its time to assign), and the escalated alerts. Then,
 * under a heading row, one row per operator handling open items (the
 * handler: who acknowledged, dispatched or routed it last), with how
 * many alerts and cases each holds, most first.
 *
 * Rows are indexes: below the store's area count an area, then the
 * heading (OVERVIEW_HEAD), then operators (OVERVIEW_OP + their index in
 * the class data). The refresh counts everything it can once per store
 * change; only "untouched overdue" depends on the clock, so the refresh
 * keeps those items' due times and a draw counts the ones past now.
 */

#define OVERVIEW_OP	((size_t)1 << 30)
#define OVERVIEW_HEAD	(OVERVIEW_OP - 1)

static const char	*widget_overview_id(struct panel *, struct store *,
			     size_t);
static void		 widget_overview_refresh(struct panel *,
			     struct store *);
static int		 widget_overview_init(struct panel *);
static void		 widget_overview_free(struct panel *);
static void		 widget_overview_columns(struct panel *,
			     struct store *, const struct panel_view *);
static void		 widget_overview_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_overview_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_overview_footer(struct panel *,
			     struct store *, const struct panel_view *, char *,
			     size_t);
static void		 widget_overview_legend(int, void (*)(void *,
			    const char *, const char *), void *);

const struct panel_class widget_overview_class = {
	.name = "overview",
	.title = N_("Overview"),
	.store_mask = STORE_CH_ALERTS | STORE_CH_FEEDBACK,
	.item_kind = NULL,
	.init = widget_overview_init,
	.free = widget_overview_free,
	.refresh = widget_overview_refresh,
	.columns = widget_overview_columns,
	.head = widget_overview_head,
	.row = widget_overview_row,
	.row_id = widget_overview_id,
	.footer = widget_overview_footer,
	.legend = widget_overview_legend,
	.tick = 1
};

enum {
	COL_NAME,
	COL_S4,
	COL_S3,
	COL_S2,
	COL_S1,
	COL_CASES,
	COL_UNTOUCHED,
	COL_ESC,
	COL_COUNT
};

/* What one area has open. */
struct widget_overview_area {
	unsigned	 open[5];	/* Alerts by severity 1..4. */
	unsigned	 cases;
	unsigned	 escalated;
	int		 any;
};

/* An item nobody touched, and when that became overdue. */
struct widget_overview_due {
	size_t		 area;		/* Index into store->areas. */
	int64_t		 due;
};

/* Who holds what. */
struct widget_overview_op {
	char		*name;		/* Owned. */
	unsigned	 alerts, cases;
};

struct widget_overview_data {
	struct draw_col			 c[COL_COUNT];
	struct widget_overview_area	*areas;		/* nareas of them. */
	size_t				 nareas;
	struct widget_overview_due	*dues;
	size_t				 ndues, dues_cap;
	struct widget_overview_op	*ops;
	size_t				 nops, ops_cap;
};

static void
widget_overview_clear(struct widget_overview_data *od)
{
	size_t	i;

	for (i = 0; i < od->nops; i++)
		free(od->ops[i].name);
	od->nops = 0;
	od->ndues = 0;
}

static int
widget_overview_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_overview_data));
	return (0);
}

static void
widget_overview_free(struct panel *p)
{
	struct widget_overview_data	*od = p->data;

	if (od == NULL)
		return;
	widget_overview_clear(od);
	free(od->ops);
	free(od->dues);
	free(od->areas);
	free(od);
	p->data = NULL;
}

static const char *
widget_overview_id(struct panel *p, struct store *store, size_t i)
{
	struct widget_overview_data	*od = p->data;

	if (i < store->nareas)
		return (store->areas[i].code);
	if (i >= OVERVIEW_OP && i - OVERVIEW_OP < od->nops)
		return (od->ops[i - OVERVIEW_OP].name);
	return (NULL);
}

/* The index of area code in the store, or (size_t)-1. */
static size_t
widget_overview_area_index(struct store *store, const char *code)
{
	const struct area	*a;

	if ((a = store_area(store, code)) == NULL)
		return ((size_t)-1);
	return ((size_t)(a - store->areas));
}

/* Count one open item in hand of handler (NULL or "": nobody). */
static void
widget_overview_hold(struct widget_overview_data *od, const char *handler,
    int alert)
{
	size_t	i;

	if (handler == NULL || *handler == '\0')
		return;
	for (i = 0; i < od->nops; i++) {
		if (strcmp(od->ops[i].name, handler) == 0)
			break;
	}
	if (i == od->nops) {
		if (od->nops == od->ops_cap) {
			od->ops_cap = od->ops_cap == 0 ? 8 : od->ops_cap * 2;
			od->ops = xreallocarray(od->ops, od->ops_cap,
			    sizeof *od->ops);
		}
		od->ops[i].name = xstrdup(handler);
		od->ops[i].alerts = od->ops[i].cases = 0;
		od->nops++;
	}
	if (alert)
		od->ops[i].alerts++;
	else
		od->ops[i].cases++;
}

static void
widget_overview_untouched(struct widget_overview_data *od, size_t area,
    int64_t due)
{
	if (due == 0)
		return;
	if (od->ndues == od->dues_cap) {
		od->dues_cap = od->dues_cap == 0 ? 32 : od->dues_cap * 2;
		od->dues = xreallocarray(od->dues, od->dues_cap,
		    sizeof *od->dues);
	}
	od->dues[od->ndues].area = area;
	od->dues[od->ndues].due = due;
	od->ndues++;
}

/* Most severe work first: S4, then S3 ..., then cases, then by code. */
static int
widget_overview_cmp(const void *va, const void *vb, void *arg)
{
	struct panel			*p = arg;
	struct widget_overview_data	*od = p->data;
	size_t				 ia = *(const size_t *)va;
	size_t				 ib = *(const size_t *)vb;
	const struct widget_overview_area *a, *b;
	const struct widget_overview_op	*oa, *ob;
	int				 k;

	if ((ia >= OVERVIEW_HEAD) != (ib >= OVERVIEW_HEAD))
		return (ia >= OVERVIEW_HEAD ? 1 : -1);
	if (ia >= OVERVIEW_HEAD) {
		if (ia == OVERVIEW_HEAD || ib == OVERVIEW_HEAD)
			return (ia == OVERVIEW_HEAD ? -1 : 1);
		oa = &od->ops[ia - OVERVIEW_OP];
		ob = &od->ops[ib - OVERVIEW_OP];
		if (oa->alerts + oa->cases != ob->alerts + ob->cases)
			return (oa->alerts + oa->cases > ob->alerts +
			    ob->cases ? -1 : 1);
		return (strcmp(oa->name, ob->name));
	}
	a = &od->areas[ia];
	b = &od->areas[ib];
	for (k = 4; k >= 1; k--) {
		if (a->open[k] != b->open[k])
			return (a->open[k] > b->open[k] ? -1 : 1);
	}
	if (a->cases != b->cases)
		return (a->cases > b->cases ? -1 : 1);
	return (strcmp(p->store->areas[ia].code, p->store->areas[ib].code));
}

static void
widget_overview_refresh(struct panel *p, struct store *store)
{
	struct widget_overview_data	*od = p->data;
	struct widget_overview_area	*oa;
	const struct alert		*a;
	const struct feedback		*f;
	const char			*texts[1];
	size_t				 i, k;

	widget_overview_clear(od);
	if (od->areas == NULL || od->nareas != store->nareas) {
		free(od->areas);
		od->nareas = store->nareas;
		od->areas = xcalloc(od->nareas + 1, sizeof *od->areas);
	} else
		memset(od->areas, 0, od->nareas * sizeof *od->areas);
	for (i = 0; i < store->nalerts; i++) {
		a = &store->alerts[i];
		if (!alert_is_open(a) || (k = widget_overview_area_index(store,
		    a->area)) == (size_t)-1)
			continue;
		oa = &od->areas[k];
		oa->any = 1;
		if (a->severity >= 1 && a->severity <= 4)
			oa->open[a->severity]++;
		if (a->escalation > 0)
			oa->escalated++;
		if (a->state == ALERT_NEW)
			widget_overview_untouched(od, k, a->due_ack != 0 ?
			    a->due_ack : a->deadline);
		widget_overview_hold(od, a->handler, 1);
	}
	for (i = 0; i < store->nfeedback; i++) {
		f = &store->feedback[i];
		if (!feedback_is_open(f) || (k = widget_overview_area_index(
		    store, f->area)) == (size_t)-1)
			continue;
		oa = &od->areas[k];
		oa->any = 1;
		oa->cases++;
		if (f->state == FB_NEW)
			widget_overview_untouched(od, k, f->due_assign != 0 ?
			    f->due_assign : f->deadline);
		widget_overview_hold(od, f->handler, 0);
	}

	panel_rows_clear(p);
	for (i = 0; i < store->nareas; i++) {
		texts[0] = store->areas[i].code;
		if (od->areas[i].any && panel_want(p, store,
		    store->areas[i].code, -1, texts, 1))
			panel_rows_add(p, i);
	}
	if (od->nops > 0) {
		panel_rows_add(p, OVERVIEW_HEAD);
		for (i = 0; i < od->nops; i++)
			panel_rows_add(p, OVERVIEW_OP + i);
	}
	p->store = store;
	panel_sort(p, widget_overview_cmp, p);
	panel_reselect(p, widget_overview_id, store);
}

/* The untouched items of area index k past due at now. */
static unsigned
widget_overview_overdue(const struct widget_overview_data *od, size_t k,
    int64_t now)
{
	size_t		i;
	unsigned	n = 0;

	for (i = 0; i < od->ndues; i++) {
		if (od->dues[i].area == k && od->dues[i].due <= now)
			n++;
	}
	return (n);
}

static void
widget_overview_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_overview_data	*od = p->data;
	struct draw_col			*c = od->c;
	int				 iw = p->w - 2, wname, wc, wu, we;
	size_t				 i;
	int				 n;

	wname = draw_width(_("Area"), v->ascii);
	if (od->nops > 0 && (n = draw_width(_("Operator"), v->ascii)) > wname)
		wname = n;
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] < store->nareas &&
		    (n = draw_width(areas_label(store,
		    store->areas[p->rows[i]].code), v->ascii)) > wname)
			wname = n;
		else if (p->rows[i] >= OVERVIEW_OP &&
		    p->rows[i] - OVERVIEW_OP < od->nops &&
		    (n = draw_width(od->ops[p->rows[i] - OVERVIEW_OP].name,
		    v->ascii)) > wname)
			wname = n > 20 ? 20 : n;
	}
	wc = draw_width(_("Cases"), v->ascii);
	wu = draw_width(_("Untouched"), v->ascii);
	we = draw_width(_("Escalated"), v->ascii);
	memset(c, 0, sizeof od->c);
	c[COL_NAME] = (struct draw_col){ .want = wname, .prio = 0 };
	c[COL_S4] = (struct draw_col){ .want = 3, .prio = 0 };
	c[COL_S3] = (struct draw_col){ .want = 3, .prio = 0 };
	c[COL_S2] = (struct draw_col){ .want = 3, .prio = 1 };
	c[COL_S1] = (struct draw_col){ .want = 3, .prio = 1 };
	c[COL_CASES] = (struct draw_col){ .want = wc, .prio = 2 };
	c[COL_UNTOUCHED] = (struct draw_col){ .want = wu, .alt = 3,
	    .altprio = 2, .prio = 0 };
	c[COL_ESC] = (struct draw_col){ .want = we, .alt = 3, .altprio = 3,
	    .prio = 1 };
	draw_cols_fit(c, COL_COUNT, iw > 0 ? iw : 0, 1);
}

static void
widget_overview_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_overview_data	*od = p->data;
	const struct draw_col		*c = od->c;
	attr_t				 head = theme_attr(THEME_HEADING);
	char				 buf[16];
	int				 k;

	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, _("Area"), head, 0);
	for (k = 0; k < 4; k++) {
		snprintf(buf, sizeof buf, "%s%d", draw_sev_glyph(4 - k,
		    v->ascii), 4 - k);
		draw_line_text(l, c[COL_S4 + k].x, c[COL_S4 + k].w, buf,
		    head, DRAW_RIGHT);
	}
	draw_line_text(l, c[COL_CASES].x, c[COL_CASES].w, _("Cases"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_UNTOUCHED].x, c[COL_UNTOUCHED].w,
	    c[COL_UNTOUCHED].narrow ? "!!" : _("Untouched"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_ESC].x, c[COL_ESC].w, c[COL_ESC].narrow ?
	    (v->ascii ? "^" : "↑") : _("Escalated"), head, DRAW_RIGHT);
}

/* The marks of the counts, for the legend of the help. */
static void
widget_overview_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	add(arg, "!!2", _("two items nobody has touched past their first "
	    "deadline"));
	add(arg, ascii ? "^1" : "↑1", _("one alert escalated"));
}

/* A count, right-aligned; blank for 0 so the eye finds the rest. */
static void
widget_overview_count(struct draw_line *l, const struct draw_col *c,
    unsigned n, attr_t attr)
{
	char	buf[16];

	if (n == 0)
		return;
	snprintf(buf, sizeof buf, "%u", n);
	draw_line_text(l, c->x, c->w, buf, attr, DRAW_RIGHT);
}

static void
widget_overview_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_overview_data	*od = p->data;
	const struct draw_col		*c = od->c;
	const struct widget_overview_area *oa;
	const struct widget_overview_op	*op;
	size_t				 k = p->rows[i];
	char				 buf[128];
	unsigned			 n;
	attr_t				 normal = theme_attr(THEME_NORMAL);
	int				 s;

	if (k == OVERVIEW_HEAD) {
		draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w,
		    _("Operator"), theme_attr(THEME_HEADING), 0);
		draw_line_text(l, c[COL_S4].x, p->w - 2 - c[COL_S4].x,
		    _("In hand"), theme_attr(THEME_HEADING), 0);
		return;
	}
	if (k >= OVERVIEW_OP) {
		if (k - OVERVIEW_OP >= od->nops)
			return;
		op = &od->ops[k - OVERVIEW_OP];
		draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, op->name,
		    normal, DRAW_ELLIPSIS);
		snprintf(buf, sizeof buf, "%s %u · %s %u", _("alerts"),
		    op->alerts, _("cases"), op->cases);
		draw_line_text(l, c[COL_S4].x, p->w - 2 - c[COL_S4].x, buf,
		    normal, DRAW_ELLIPSIS);
		return;
	}
	if (k >= store->nareas || k >= od->nareas)
		return;
	oa = &od->areas[k];
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w,
	    areas_label(store, store->areas[k].code), normal, 0);
	for (s = 4; s >= 1; s--)
		widget_overview_count(l, &c[COL_S4 + 4 - s], oa->open[s],
		    theme_attr(draw_sev_slot(s)));
	widget_overview_count(l, &c[COL_CASES], oa->cases, normal);
	n = widget_overview_overdue(od, k, v->now);
	if (n > 0) {
		snprintf(buf, sizeof buf, "!!%u", n);
		draw_line_text(l, c[COL_UNTOUCHED].x, c[COL_UNTOUCHED].w, buf,
		    theme_attr(THEME_OVERDUE), DRAW_RIGHT);
	}
	if (oa->escalated > 0) {
		snprintf(buf, sizeof buf, "%s%u", v->ascii ? "^" : "↑",
		    oa->escalated);
		draw_line_text(l, c[COL_ESC].x, c[COL_ESC].w, buf,
		    theme_attr(THEME_WARN), DRAW_RIGHT);
	}
}

/* "untouched overdue 3 · escalated 2" over every area shown. */
static void
widget_overview_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	struct widget_overview_data	*od = p->data;
	size_t				 i;
	unsigned			 over = 0, esc = 0;

	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nareas || p->rows[i] >= od->nareas)
			continue;
		over += widget_overview_overdue(od, p->rows[i], v->now);
		esc += od->areas[p->rows[i]].escalated;
	}
	snprintf(buf, sz, "%s%s %u · %s %u", over > 0 ? "!! " : "",
	    _("untouched overdue"), over, _("escalated"), esc);
}
