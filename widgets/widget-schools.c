/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/* The Schools panel: today's attendance by area, and an area's schools. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "i18n.h"
#include "panel.h"
#include "theme.h"
#include "xmalloc.h"

/*
 * The panel has two levels. At the top, rows are areas, not schools:
 * every area of the store that has at least one school (and passes the
 * filter and the search), in the store's area order (the dataset's
 * order) or by attendance, lowest first. A row shows the area's name,
 * how many schools, present/enrolled, the attendance as a percentage, a
 * bar, and the trend: a sparkline of the area's attendance, which the
 * panel samples each time the area's figures change, or an arrow when
 * narrow. Enter on an area drills down to its schools (name, level,
 * present/enrolled, percentage, bar, smart classrooms); Esc goes back up
 * with the area still selected. The bottom border carries today's total
 * against the enrolled.
 *
 * A school with nobody present has not reported today (or has no school
 * day) and is left out of the figures; an area where no school reported
 * shows a dash.
 */

struct widget_schools_data {
	char			 drill[MODEL_CODE_MAX];	/* "" at the top. */
	char			 area_sel[MODEL_ID_MAX]; /* Back to it. */
	struct panel_spark	*spark;		/* Owned; one per area. */
	size_t			 nspark;
};

struct widget_schools_sort {
	struct panel	*p;
	struct store	*store;
};

static int		 widget_schools_init(struct panel *);
static void		 widget_schools_free(struct panel *);
static const char	*widget_schools_id(struct panel *, struct store *,
			     size_t);
static int		 widget_schools_cmp(const void *, const void *,
			     void *);
static void		 widget_schools_refresh(struct panel *,
			     struct store *);
static void		 widget_schools_draw(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);
static void		 widget_schools_draw_schools(struct panel *, WINDOW *,
			     struct store *, const struct panel_view *);
static enum panel_key	 widget_schools_key(struct panel *, int);
static void		 widget_schools_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_schools_footer(struct panel *,
			     struct store *, const struct panel_view *,
			     char *, size_t);
static const char	*widget_schools_subtitle(struct panel *,
			     struct store *);
static void		 widget_schools_sum(struct store *, const char *,
			     long *, long *, int *);
static const struct panel_spark *widget_schools_spark(struct panel *,
			     const char *);
static long		 widget_schools_pm(long, long);
static enum theme_slot	 widget_schools_slot(long);

static const char *const widget_schools_sorts[] = {
	"area", "attendance", "name", NULL
};

const struct panel_class widget_schools_class = {
	.name = "schools",
	.title = N_("Schools"),
	.store_mask = STORE_CH_SCHOOLS | STORE_CH_META,
	.item_kind = "school",
	.sorts = widget_schools_sorts,
	.init = widget_schools_init,
	.free = widget_schools_free,
	.refresh = widget_schools_refresh,
	.draw = widget_schools_draw,
	.key = widget_schools_key,
	.row_id = widget_schools_id,
	.detail = widget_schools_detail,
	.footer = widget_schools_footer,
	.subtitle = widget_schools_subtitle,
	.tick = 0
};

static const char *const widget_schools_levels[SCHOOL_LEVEL_COUNT] = {
	N_("kindergarten"), N_("primary"), N_("lower secondary"),
	N_("upper secondary")
};

enum {
	COL_NAME,
	COL_COUNT_SCHOOLS,
	COL_FIGS,
	COL_PCT,
	COL_BAR,
	COL_TREND,
	COL_COUNT
};

static int
widget_schools_init(struct panel *p)
{
	p->data = xcalloc(1, sizeof (struct widget_schools_data));
	return (0);
}

static void
widget_schools_free(struct panel *p)
{
	struct widget_schools_data	*sd = p->data;

	if (sd != NULL)
		free(sd->spark);
	free(sd);
	p->data = NULL;
}

/* Rows are areas at the top, schools when drilled down. */
static const char *
widget_schools_id(struct panel *p, struct store *store, size_t i)
{
	struct widget_schools_data	*sd = p->data;

	if (sd->drill[0] != '\0')
		return (i < store->nschools ? store->schools[i].id : NULL);
	if (i >= store->nareas)
		return (NULL);
	return (store->areas[i].code);
}

/* Sum the reporting schools of area code. */
static void
widget_schools_sum(struct store *store, const char *code, long *present,
    long *enrolled, int *nschools)
{
	const struct school	*s;
	size_t			 i;

	*present = *enrolled = 0;
	*nschools = 0;
	for (i = 0; i < store->nschools; i++) {
		s = &store->schools[i];
		if (strcmp(s->area, code) != 0)
			continue;
		(*nschools)++;
		if (s->present > 0 && s->enrolled > 0) {
			*present += s->present;
			*enrolled += s->enrolled;
		}
	}
}

/* Attendance in permille, or 1001 (after everything) when unknown. */
static long
widget_schools_pm(long present, long enrolled)
{
	return (enrolled > 0 ? present * 1000 / enrolled : 1001);
}

static int
widget_schools_cmp(const void *va, const void *vb, void *arg)
{
	struct widget_schools_sort	*s = arg;
	struct widget_schools_data	*sd = s->p->data;
	struct store			*st = s->store;
	size_t				 ia = *(const size_t *)va;
	size_t				 ib = *(const size_t *)vb;
	const struct school		*a, *b;
	long				 pa, ea, pb, eb, ma, mb;
	int				 n, c;

	if (sd->drill[0] != '\0') {
		a = &st->schools[ia];
		b = &st->schools[ib];
		if (s->p->sort == 1) {
			ma = widget_schools_pm(a->present > 0 ? a->present :
			    0, a->present > 0 ? a->enrolled : 0);
			mb = widget_schools_pm(b->present > 0 ? b->present :
			    0, b->present > 0 ? b->enrolled : 0);
			if (ma != mb)
				return (ma < mb ? -1 : 1);
		}
		if (s->p->sort != 0 && (c = strcmp(a->name != NULL ?
		    a->name : a->id, b->name != NULL ? b->name : b->id)) != 0)
			return (c);
		if (a->level != b->level)
			return (a->level < b->level ? -1 : 1);
		return (strcmp(a->id, b->id));
	}
	if (s->p->sort == 1) {
		widget_schools_sum(st, st->areas[ia].code, &pa, &ea, &n);
		widget_schools_sum(st, st->areas[ib].code, &pb, &eb, &n);
		ma = widget_schools_pm(pa, ea);
		mb = widget_schools_pm(pb, eb);
		if (ma != mb)
			return (ma < mb ? -1 : 1);
	} else if (s->p->sort == 2) {
		c = strcmp(st->areas[ia].name != NULL ? st->areas[ia].name :
		    st->areas[ia].code, st->areas[ib].name != NULL ?
		    st->areas[ib].name : st->areas[ib].code);
		if (c != 0)
			return (c);
	}
	return (ia < ib ? -1 : ia > ib);
}

static void
widget_schools_refresh(struct panel *p, struct store *store)
{
	struct widget_schools_data	*sd = p->data;
	struct widget_schools_sort	 s;
	struct panel_spark		*sp;
	const struct school		*sc;
	const char			*texts[2];
	long				 present, enrolled;
	size_t				 i;
	int				 n;

	/* Sample every area whose figures changed. */
	for (i = 0; i < store->nareas; i++) {
		widget_schools_sum(store, store->areas[i].code, &present,
		    &enrolled, &n);
		if (n == 0)
			continue;
		sp = panel_spark_get(&sd->spark, &sd->nspark,
		    store->areas[i].code);
		if (sp->n == 0 || sp->version != (uint32_t)present) {
			panel_spark_add(sp, enrolled > 0 ?
			    (short)(present * 1000 / enrolled) : 0);
			sp->version = (uint32_t)present;
		}
	}

	panel_rows_clear(p);
	if (sd->drill[0] != '\0' && store_area(store, sd->drill) == NULL)
		sd->drill[0] = '\0';
	if (sd->drill[0] != '\0') {
		for (i = 0; i < store->nschools; i++) {
			sc = &store->schools[i];
			if (strcmp(sc->area, sd->drill) != 0)
				continue;
			texts[0] = sc->id;
			texts[1] = sc->name;
			if (panel_want(p, store, NULL, -1, texts, 2))
				panel_rows_add(p, i);
		}
	} else {
		for (i = 0; i < store->nareas; i++) {
			widget_schools_sum(store, store->areas[i].code,
			    &present, &enrolled, &n);
			if (n == 0)
				continue;
			if (panel_want(p, store, store->areas[i].code, -1,
			    NULL, 0))
				panel_rows_add(p, i);
		}
	}
	s.p = p;
	s.store = store;
	if (p->nrows > 1)
		qsort_r(p->rows, p->nrows, sizeof *p->rows,
		    widget_schools_cmp, &s);
	panel_reselect(p, widget_schools_id, store);
}

/* Enter drills into the selected area; Esc goes back up. */
static enum panel_key
widget_schools_key(struct panel *p, int key)
{
	struct widget_schools_data	*sd = p->data;
	const char			*id;

	if (p->store == NULL)
		return (PANEL_KEY_IGNORED);
	if (sd->drill[0] == '\0' && (key == '\r' || key == '\n' ||
	    key == KEY_ENTER)) {
		if ((id = panel_selected(p)) == NULL)
			return (PANEL_KEY_IGNORED);
		snprintf(sd->drill, sizeof sd->drill, "%s", id);
		snprintf(sd->area_sel, sizeof sd->area_sel, "%s", id);
		p->sel = p->top = 0;
		p->sel_id[0] = '\0';
		panel_refresh(p, p->store);
		return (PANEL_KEY_HANDLED);
	}
	if (sd->drill[0] != '\0' && (key == 27 || key == KEY_BACKSPACE ||
	    key == KEY_LEFT)) {
		sd->drill[0] = '\0';
		snprintf(p->sel_id, sizeof p->sel_id, "%s", sd->area_sel);
		panel_refresh(p, p->store);
		return (PANEL_KEY_HANDLED);
	}
	return (PANEL_KEY_IGNORED);
}

static const struct panel_spark *
widget_schools_spark(struct panel *p, const char *code)
{
	struct widget_schools_data	*sd = p->data;
	size_t				 i;

	for (i = 0; i < sd->nspark; i++) {
		if (strcmp(sd->spark[i].id, code) == 0)
			return (&sd->spark[i]);
	}
	return (NULL);
}

static enum theme_slot
widget_schools_slot(long pm)
{
	return (pm >= 900 ? THEME_OK : pm >= 750 ? THEME_WARN : THEME_CRIT);
}

static void
widget_schools_draw(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct widget_schools_data	*sd = p->data;
	const struct panel_spark	*sp;
	struct draw_col			 c[COL_COUNT];
	const struct area		*a;
	enum theme_slot			 slot;
	char				 buf[160];
	size_t				 i, end;
	long				 present, enrolled, pm;
	int				 y, x0 = 1, iw = p->w - 2, n;
	int				 nschools, wfigs, tr;
	attr_t				 normal = theme_attr(THEME_NORMAL);
	attr_t				 muted = theme_attr(THEME_MUTED);
	attr_t				 head = theme_attr(THEME_HEADING);

	if (iw < 1)
		return;
	if (sd->drill[0] != '\0') {
		widget_schools_draw_schools(p, win, store, v);
		return;
	}
	wfigs = draw_width(_("Present"), v->ascii);
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nareas)
			continue;
		widget_schools_sum(store, store->areas[p->rows[i]].code,
		    &present, &enrolled, &nschools);
		n = snprintf(buf, sizeof buf, "%ld/%ld", present, enrolled);
		if (n > wfigs)
			wfigs = n;
	}
	memset(c, 0, sizeof c);
	c[COL_NAME] = (struct draw_col){ .want = 10, .prio = 0, .fill = 1 };
	c[COL_COUNT_SCHOOLS] = (struct draw_col){ .want = 3, .prio = 4 };
	c[COL_FIGS] = (struct draw_col){ .want = wfigs, .prio = 2 };
	c[COL_PCT] = (struct draw_col){ .want = 6, .prio = 0 };
	c[COL_BAR] = (struct draw_col){ .want = 10, .alt = 5, .prio = 3 };
	c[COL_TREND] = (struct draw_col){ .want = 8, .alt = 1, .prio = 1 };
	draw_cols_fit(c, COL_COUNT, iw, 1);

	draw_text(win, 1, x0 + c[COL_NAME].x, c[COL_NAME].w, _("Area"), head,
	    0, v->ascii);
	draw_text(win, 1, x0 + c[COL_COUNT_SCHOOLS].x, c[COL_COUNT_SCHOOLS].w,
	    C_("schools", "N"), head, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_FIGS].x, c[COL_FIGS].w, _("Present"),
	    head, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[COL_PCT].x, c[COL_PCT].w, "%", head,
	    DRAW_RIGHT, v->ascii);
	if (!c[COL_TREND].narrow)
		draw_text(win, 1, x0 + c[COL_TREND].x, c[COL_TREND].w,
		    _("Trend"), head, 0, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nareas)
			continue;
		a = &store->areas[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;
		widget_schools_sum(store, a->code, &present, &enrolled,
		    &nschools);
		draw_text(win, y, x0 + c[COL_NAME].x, c[COL_NAME].w,
		    a->name != NULL ? a->name : a->code, normal,
		    DRAW_ELLIPSIS, v->ascii);
		snprintf(buf, sizeof buf, "%d", nschools);
		draw_text(win, y, x0 + c[COL_COUNT_SCHOOLS].x,
		    c[COL_COUNT_SCHOOLS].w, buf, normal, DRAW_RIGHT,
		    v->ascii);
		if (enrolled == 0) {
			draw_text(win, y, x0 + c[COL_FIGS].x, c[COL_FIGS].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			draw_text(win, y, x0 + c[COL_PCT].x, c[COL_PCT].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			continue;
		}
		pm = present * 1000 / enrolled;
		slot = widget_schools_slot(pm);
		snprintf(buf, sizeof buf, "%ld/%ld", present, enrolled);
		draw_text(win, y, x0 + c[COL_FIGS].x, c[COL_FIGS].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		draw_permille(present, enrolled, !v->lang_en, buf,
		    sizeof buf);
		draw_text(win, y, x0 + c[COL_PCT].x, c[COL_PCT].w, buf,
		    theme_attr(slot), DRAW_RIGHT, v->ascii);
		draw_bar(win, y, x0 + c[COL_BAR].x, c[COL_BAR].w, present,
		    enrolled, theme_attr(slot), v->ascii);
		sp = widget_schools_spark(p, a->code);
		if (c[COL_TREND].narrow) {
			tr = panel_spark_trend(sp);
			snprintf(buf, sizeof buf, "%s", tr > 0 ?
			    (v->ascii ? "+" : "↑") : tr < 0 ?
			    (v->ascii ? "-" : "↓") : (v->ascii ? "=" : "→"));
		} else
			panel_spark_render(sp, c[COL_TREND].w, v->ascii, buf,
			    sizeof buf);
		draw_text(win, y, x0 + c[COL_TREND].x, c[COL_TREND].w, buf,
		    theme_attr(slot), 0, v->ascii);
	}
}

enum {
	SCOL_NAME,
	SCOL_LEVEL,
	SCOL_FIGS,
	SCOL_PCT,
	SCOL_BAR,
	SCOL_SMART,
	SCOL_COUNT
};

/* The schools of the area drilled into. */
static void
widget_schools_draw_schools(struct panel *p, WINDOW *win, struct store *store,
    const struct panel_view *v)
{
	struct draw_col		 c[SCOL_COUNT];
	const struct school	*s;
	char			 buf[160];
	size_t			 i, end;
	long			 pm;
	int			 y, x0 = 1, iw = p->w - 2, n, wfigs, wlevel;
	attr_t			 normal = theme_attr(THEME_NORMAL);
	attr_t			 muted = theme_attr(THEME_MUTED);
	attr_t			 head = theme_attr(THEME_HEADING);

	wfigs = draw_width(_("Present"), v->ascii);
	wlevel = draw_width(_("Level"), v->ascii);
	for (i = 0; i < SCHOOL_LEVEL_COUNT; i++) {
		if ((n = draw_width(_(widget_schools_levels[i]), v->ascii)) >
		    wlevel)
			wlevel = n;
	}
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nschools)
			continue;
		s = &store->schools[p->rows[i]];
		n = snprintf(buf, sizeof buf, "%d/%d", s->present,
		    s->enrolled);
		if (n > wfigs)
			wfigs = n;
	}
	memset(c, 0, sizeof c);
	c[SCOL_NAME] = (struct draw_col){ .want = 18, .prio = 0, .fill = 1 };
	c[SCOL_LEVEL] = (struct draw_col){ .want = wlevel, .prio = 4 };
	c[SCOL_FIGS] = (struct draw_col){ .want = wfigs, .prio = 2 };
	c[SCOL_PCT] = (struct draw_col){ .want = 6, .prio = 0 };
	c[SCOL_BAR] = (struct draw_col){ .want = 10, .alt = 5, .prio = 3 };
	c[SCOL_SMART] = (struct draw_col){ .want = 4, .prio = 5 };
	draw_cols_fit(c, SCOL_COUNT, iw, 1);

	draw_text(win, 1, x0 + c[SCOL_NAME].x, c[SCOL_NAME].w, _("School"),
	    head, 0, v->ascii);
	draw_text(win, 1, x0 + c[SCOL_LEVEL].x, c[SCOL_LEVEL].w, _("Level"),
	    head, 0, v->ascii);
	draw_text(win, 1, x0 + c[SCOL_FIGS].x, c[SCOL_FIGS].w, _("Present"),
	    head, DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[SCOL_PCT].x, c[SCOL_PCT].w, "%", head,
	    DRAW_RIGHT, v->ascii);
	draw_text(win, 1, x0 + c[SCOL_SMART].x, c[SCOL_SMART].w,
	    C_("schools", "SC"), head, DRAW_RIGHT, v->ascii);

	end = p->top + (size_t)panel_visible(p);
	if (end > p->nrows)
		end = p->nrows;
	for (i = p->top; i < end; i++) {
		if (p->rows[i] >= store->nschools)
			continue;
		s = &store->schools[p->rows[i]];
		y = PANEL_ROW0 + (int)(i - p->top);
		if (y >= p->h - 1)
			break;
		draw_text(win, y, x0 + c[SCOL_NAME].x, c[SCOL_NAME].w,
		    s->name != NULL ? s->name : s->id, normal, DRAW_ELLIPSIS,
		    v->ascii);
		if ((unsigned)s->level < SCHOOL_LEVEL_COUNT)
			draw_text(win, y, x0 + c[SCOL_LEVEL].x,
			    c[SCOL_LEVEL].w, _(widget_schools_levels[s->level]),
			    normal, DRAW_ELLIPSIS, v->ascii);
		snprintf(buf, sizeof buf, "%d", s->smart_classrooms);
		draw_text(win, y, x0 + c[SCOL_SMART].x, c[SCOL_SMART].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		if (s->present <= 0 || s->enrolled <= 0) {
			draw_text(win, y, x0 + c[SCOL_FIGS].x, c[SCOL_FIGS].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			draw_text(win, y, x0 + c[SCOL_PCT].x, c[SCOL_PCT].w,
			    "-", muted, DRAW_RIGHT, v->ascii);
			continue;
		}
		pm = (long)s->present * 1000 / s->enrolled;
		snprintf(buf, sizeof buf, "%d/%d", s->present, s->enrolled);
		draw_text(win, y, x0 + c[SCOL_FIGS].x, c[SCOL_FIGS].w, buf,
		    normal, DRAW_RIGHT, v->ascii);
		draw_permille(s->present, s->enrolled, !v->lang_en, buf,
		    sizeof buf);
		draw_text(win, y, x0 + c[SCOL_PCT].x, c[SCOL_PCT].w, buf,
		    theme_attr(widget_schools_slot(pm)), DRAW_RIGHT,
		    v->ascii);
		draw_bar(win, y, x0 + c[SCOL_BAR].x, c[SCOL_BAR].w,
		    s->present, s->enrolled,
		    theme_attr(widget_schools_slot(pm)), v->ascii);
	}
}

/* The area drilled into, or NULL at the top. */
static const char *
widget_schools_subtitle(struct panel *p, struct store *store)
{
	struct widget_schools_data	*sd = p->data;
	const struct area		*a;

	if (sd->drill[0] == '\0')
		return (NULL);
	a = store_area(store, sd->drill);
	return (a != NULL && a->name != NULL ? a->name : sd->drill);
}

/* Today's total against the enrolled, or the area drilled into. */
static void
widget_schools_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	struct widget_schools_data	*sd = p->data;
	const struct area		*a;
	long				 present = 0, enrolled = 0;
	size_t				 i;
	char				 pct[16];

	for (i = 0; i < store->nschools; i++) {
		if (sd->drill[0] != '\0' &&
		    strcmp(store->schools[i].area, sd->drill) != 0)
			continue;
		if (p->filter != NULL && p->filter->area[0] != '\0' &&
		    strcmp(store->schools[i].area, p->filter->area) != 0)
			continue;
		if (store->schools[i].present > 0 &&
		    store->schools[i].enrolled > 0) {
			present += store->schools[i].present;
			enrolled += store->schools[i].enrolled;
		}
	}
	draw_permille(present, enrolled, !v->lang_en, pct, sizeof pct);
	if (sd->drill[0] != '\0') {
		a = store_area(store, sd->drill);
		snprintf(buf, sz, "%s %s · Esc %s",
		    a != NULL && a->name != NULL ? a->name : sd->drill, pct,
		    _("back"));
	} else if (enrolled == 0)
		snprintf(buf, sz, "%s", _("today: no reports yet"));
	else
		snprintf(buf, sz, "%s %ld/%ld %s", _("today"), present,
		    enrolled, pct);
}

static void
widget_schools_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	struct widget_schools_data	*sd = p->data;
	const struct panel_view		*v = d->view;
	const struct school		*s;
	const struct area		*a;
	const struct panel_spark	*sp;
	char				 buf[256], pct[16];
	long				 present, enrolled;
	int				 n;
	attr_t				 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0')
		return;
	if (sd->drill[0] == '\0') {
		if ((a = store_area(store, p->sel_id)) == NULL)
			return;
		panel_detail_text(d, a->name != NULL ? a->name : a->code,
		    normal | A_BOLD, 0);
		panel_detail_blank(d);
		widget_schools_sum(store, a->code, &present, &enrolled, &n);
		snprintf(buf, sizeof buf, "%d", n);
		panel_detail_field(d, _("Schools"), buf, normal);
		draw_permille(present, enrolled, !v->lang_en, pct,
		    sizeof pct);
		snprintf(buf, sizeof buf, "%ld/%ld (%s)", present, enrolled,
		    pct);
		panel_detail_field(d, _("Present"), buf, normal);
		sp = widget_schools_spark(p, a->code);
		panel_spark_render(sp, PANEL_SPARK, v->ascii, buf,
		    sizeof buf);
		panel_detail_field(d, _("Trend"), buf[0] != '\0' ? buf : "-",
		    normal);
		return;
	}
	if ((s = store_school(store, p->sel_id)) == NULL)
		return;
	panel_detail_text(d, s->name != NULL ? s->name : s->id,
	    normal | A_BOLD, 0);
	panel_detail_blank(d);
	a = store_area(store, s->area);
	panel_detail_field(d, C_("detail", "Area"),
	    a != NULL && a->name != NULL ? a->name : s->area, normal);
	if ((unsigned)s->level < SCHOOL_LEVEL_COUNT)
		panel_detail_field(d, _("Level"),
		    _(widget_schools_levels[s->level]), normal);
	snprintf(buf, sizeof buf, "%d", s->enrolled);
	panel_detail_field(d, _("Enrolled"), buf, normal);
	draw_permille(s->present, s->enrolled, !v->lang_en, pct, sizeof pct);
	snprintf(buf, sizeof buf, "%d (%s)", s->present, pct);
	panel_detail_field(d, _("Present"), s->present > 0 ? buf :
	    _("not reported"), normal);
	snprintf(buf, sizeof buf, "%d", s->smart_classrooms);
	panel_detail_field(d, _("Smart classrooms"), buf, normal);
	snprintf(buf, sizeof buf, "%u", (unsigned)s->version);
	panel_detail_field(d, _("Version"), buf, theme_attr(THEME_MUTED));
}
