/* SPDX-License-Identifier: ISC */
/* Copyright (c) 2026 The trucban Authors */
/*
 * The Schools panel: today's attendance by region, by area, and an area's
 * schools.
 */

#include <limits.h>
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
 * The panel has up to three levels; its rows are never schools at the
 * top:
 *
 *   groups	when the areas have display groups (the former districts of
 *		a province of communes), one row per group that has schools,
 *		with the group's totals; areas without a group have a row of
 *		their own here. Enter opens a group (a group of one area
 *		opens straight to that area's schools).
 *   areas	the areas of the opened group, or every area when the areas
 *		have no groups, or when a filter or a search is set (those
 *		already say which areas are wanted: a search for "bai chay"
 *		lists Phường Bãi Cháy, wherever its group is). Enter opens
 *		an area.
 *   schools	the schools of the opened area (name, level,
 *		present/enrolled, percentage, bar, smart classrooms).
 *
 * Esc goes back up one level with the row it came from still selected.
 * A group or area row shows the name, how many schools,
 * present/enrolled, the attendance as a percentage, a bar, and the trend:
 * a sparkline the panel samples each time the figures change, or an
 * arrow when narrow. Rows are in the store's area order (the dataset's)
 * or by attendance, lowest first, or by name. The bottom border carries
 * the total against the enrolled of what the level shows.
 *
 * A school with nobody present has not reported today (or has no school
 * day) and is left out of the figures; a row where no school reported
 * shows a dash. Refresh sums the schools by area once (sum[], one per
 * store area) so that drawing reads figures without a pass over the
 * schools per row. Attendance is a gauge: the layout shows it at its
 * gauge rate; which schools there are is a record (records hook).
 */

enum widget_schools_level {
	SCHOOLS_GROUPS,
	SCHOOLS_AREAS,
	SCHOOLS_SCHOOLS
};

struct widget_schools_sum {
	long			 present;	/* Of the schools reporting. */
	long			 enrolled;	/* Likewise. */
	int			 nschools;	/* All of them. */
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

enum {
	SCOL_NAME,
	SCOL_LEVEL,
	SCOL_FIGS,
	SCOL_PCT,
	SCOL_BAR,
	SCOL_SMART,
	SCOL_COUNT
};

struct widget_schools_data {
	char			 group[MODEL_CODE_MAX];	/* Opened, or "". */
	char			 drill[MODEL_CODE_MAX];	/* Opened, or "". */
	char			 group_sel[MODEL_ID_MAX]; /* Back to it. */
	char			 area_sel[MODEL_ID_MAX];  /* Back to it. */
	struct widget_schools_sum *sum;		/* Owned; per store area. */
	size_t			 nsum;
	char			 subtitle[160];
	struct panel_spark	*spark;		/* Owned; per area, group. */
	size_t			 nspark;
	int			 groups;	/* The rows are groups. */
	struct draw_col		 c[COL_COUNT];	/* As laid out, or */
	struct draw_col		 sc[SCOL_COUNT];	/* for schools. */
};

struct widget_schools_sort {
	struct panel	*p;
	struct store	*store;
};

static int		 widget_schools_init(struct panel *);
static void		 widget_schools_free(struct panel *);
static enum widget_schools_level widget_schools_level(struct panel *,
			     struct store *);
static const char	*widget_schools_id(struct panel *, struct store *,
			     size_t);
static int		 widget_schools_cmp(const void *, const void *,
			     void *);
static void		 widget_schools_refresh(struct panel *,
			     struct store *);
static void		 widget_schools_columns(struct panel *,
			     struct store *, const struct panel_view *);
static void		 widget_schools_head(struct panel *,
			     const struct panel_view *, struct draw_line *);
static void		 widget_schools_row(struct panel *, struct store *,
			     const struct panel_view *, size_t,
			     struct draw_line *);
static void		 widget_schools_row_school(struct panel *,
			     struct store *, const struct panel_view *,
			     size_t, struct draw_line *);
static uint64_t		 widget_schools_records(struct panel *,
			     struct store *);
static enum panel_key	 widget_schools_key(struct panel *, int);
static void		 widget_schools_detail(struct panel *,
			     struct panel_detail *, struct store *);
static void		 widget_schools_legend(int, void (*)(void *,
			     const char *, const char *), void *);
static void		 widget_schools_footer(struct panel *,
			     struct store *, const struct panel_view *,
			     char *, size_t);
static const char	*widget_schools_subtitle(struct panel *,
			     struct store *);
static void		 widget_schools_sum_row(struct panel *,
			     struct store *, size_t, int,
			     struct widget_schools_sum *);
static const char	*widget_schools_name(struct store *, size_t, int,
			     int);
static const struct panel_spark *widget_schools_spark(struct panel *,
			     const char *);
static void		 widget_schools_sample(struct panel *, const char *,
			     const struct widget_schools_sum *);
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
	.columns = widget_schools_columns,
	.head = widget_schools_head,
	.row = widget_schools_row,
	.records = widget_schools_records,
	.key = widget_schools_key,
	.row_id = widget_schools_id,
	.detail = widget_schools_detail,
	.footer = widget_schools_footer,
	.legend = widget_schools_legend,
	.subtitle = widget_schools_subtitle,
	.tick = 0
};

static const char *const widget_schools_levels[SCHOOL_LEVEL_COUNT] = {
	N_("kindergarten"), N_("primary"), N_("lower secondary"),
	N_("upper secondary")
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

	if (sd != NULL) {
		free(sd->spark);
		free(sd->sum);
	}
	free(sd);
	p->data = NULL;
}

/* Which level the panel shows now. */
static enum widget_schools_level
widget_schools_level(struct panel *p, struct store *store)
{
	struct widget_schools_data	*sd = p->data;

	if (sd->drill[0] != '\0')
		return (SCHOOLS_SCHOOLS);
	if (sd->group[0] != '\0' || p->search != NULL || (p->filter != NULL &&
	    p->filter->area[0] != '\0') || areas_ngroups(store) == 0)
		return (SCHOOLS_AREAS);
	return (SCHOOLS_GROUPS);
}

/*
 * Rows are store indexes: of schools when drilled into an area, of areas
 * otherwise. At the group level a row is the group's first area and its
 * id the group's code (a group code is never an area's).
 */
static const char *
widget_schools_id(struct panel *p, struct store *store, size_t i)
{
	switch (widget_schools_level(p, store)) {
	case SCHOOLS_SCHOOLS:
		return (i < store->nschools ? store->schools[i].id : NULL);
	case SCHOOLS_GROUPS:
		if (i < store->nareas && store->areas[i].group[0] != '\0')
			return (store->areas[i].group);
		break;
	case SCHOOLS_AREAS:
		break;
	}
	return (i < store->nareas ? store->areas[i].code : NULL);
}

/*
 * The figures of row i (a store area index): the area's, or with group
 * set those of every area in the area's group.
 */
static void
widget_schools_sum_row(struct panel *p, struct store *store, size_t i,
    int group, struct widget_schools_sum *out)
{
	struct widget_schools_data	*sd = p->data;
	size_t				 j;

	memset(out, 0, sizeof *out);
	if (i >= sd->nsum || i >= store->nareas)
		return;
	if (!group || store->areas[i].group[0] == '\0') {
		*out = sd->sum[i];
		return;
	}
	for (j = 0; j < store->nareas && j < sd->nsum; j++) {
		if (strcmp(store->areas[j].group, store->areas[i].group) != 0)
			continue;
		out->present += sd->sum[j].present;
		out->enrolled += sd->sum[j].enrolled;
		out->nschools += sd->sum[j].nschools;
	}
}

/*
 * The name of row i: the group's, or the area's name when it fits in
 * width columns, else its short name. Borrowed.
 */
static const char *
widget_schools_name(struct store *store, size_t i, int group, int width)
{
	const struct area	*a = &store->areas[i];

	if (group && a->group[0] != '\0')
		return (a->group_name != NULL ? a->group_name : a->group);
	if (a->name != NULL && draw_width(a->name, 0) <= width)
		return (a->name);
	return (areas_short(a));
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
	struct store			*st = s->store;
	size_t				 ia = *(const size_t *)va;
	size_t				 ib = *(const size_t *)vb;
	const struct school		*a, *b;
	struct widget_schools_sum	 sa, sb;
	long				 ma, mb;
	int				 c, group;

	group = widget_schools_level(s->p, st) == SCHOOLS_GROUPS;
	if (widget_schools_level(s->p, st) == SCHOOLS_SCHOOLS) {
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
		widget_schools_sum_row(s->p, st, ia, group, &sa);
		widget_schools_sum_row(s->p, st, ib, group, &sb);
		ma = widget_schools_pm(sa.present, sa.enrolled);
		mb = widget_schools_pm(sb.present, sb.enrolled);
		if (ma != mb)
			return (ma < mb ? -1 : 1);
	} else if (s->p->sort == 2) {
		c = strcmp(widget_schools_name(st, ia, group, 0),
		    widget_schools_name(st, ib, group, 0));
		if (c != 0)
			return (c);
	}
	return (ia < ib ? -1 : ia > ib);
}

/* Add a sample to the sparkline of id when its figures changed. */
static void
widget_schools_sample(struct panel *p, const char *id,
    const struct widget_schools_sum *sum)
{
	struct widget_schools_data	*sd = p->data;
	struct panel_spark		*sp;

	if (sum->nschools == 0)
		return;
	sp = panel_spark_get(&sd->spark, &sd->nspark, id);
	if (sp->n == 0 || sp->version != (uint32_t)sum->present) {
		panel_spark_add(sp, sum->enrolled > 0 ?
		    (short)(sum->present * 1000 / sum->enrolled) : 0);
		sp->version = (uint32_t)sum->present;
	}
}

static void
widget_schools_refresh(struct panel *p, struct store *store)
{
	struct widget_schools_data	*sd = p->data;
	struct widget_schools_sort	 s;
	struct widget_schools_sum	 sum;
	const struct school		*sc;
	const struct area		*a;
	const char			*texts[2];
	enum widget_schools_level	 level;
	size_t				 i, k;

	/* Sum the schools by area, once. */
	free(sd->sum);
	sd->nsum = store->nareas;
	sd->sum = xcalloc(sd->nsum + 1, sizeof *sd->sum);
	for (i = 0; i < store->nschools; i++) {
		sc = &store->schools[i];
		for (k = 0; k < store->nareas; k++) {
			if (strcmp(store->areas[k].code, sc->area) == 0)
				break;
		}
		if (k == store->nareas)
			continue;
		sd->sum[k].nschools++;
		if (sc->present > 0 && sc->enrolled > 0) {
			sd->sum[k].present += sc->present;
			sd->sum[k].enrolled += sc->enrolled;
		}
	}

	/* Sample every area and group whose figures changed. */
	for (i = 0; i < store->nareas; i++) {
		widget_schools_sample(p, store->areas[i].code, &sd->sum[i]);
		if (store->areas[i].group[0] != '\0') {
			widget_schools_sum_row(p, store, i, 1, &sum);
			widget_schools_sample(p, store->areas[i].group, &sum);
		}
	}

	/* What was opened may have gone with a new snapshot. */
	if (sd->drill[0] != '\0' && store_area(store, sd->drill) == NULL)
		sd->drill[0] = '\0';
	if (sd->group[0] != '\0' && areas_group_size(store, sd->group) == 0)
		sd->group[0] = '\0';

	panel_rows_clear(p);
	level = widget_schools_level(p, store);
	for (i = 0; level == SCHOOLS_SCHOOLS && i < store->nschools; i++) {
		sc = &store->schools[i];
		if (strcmp(sc->area, sd->drill) != 0)
			continue;
		texts[0] = sc->id;
		texts[1] = sc->name;
		if (panel_want(p, store, NULL, -1, texts, 2))
			panel_rows_add(p, i);
	}
	for (i = 0; level == SCHOOLS_AREAS && i < store->nareas; i++) {
		a = &store->areas[i];
		if (sd->sum[i].nschools == 0 || (sd->group[0] != '\0' &&
		    strcmp(a->group, sd->group) != 0))
			continue;
		if (panel_want(p, store, a->code, -1, NULL, 0))
			panel_rows_add(p, i);
	}
	for (k = 0; level == SCHOOLS_GROUPS && k < store->nareas; k++) {
		/* A group's row is its first area; lone areas their own. */
		a = &store->areas[k];
		if (a->group[0] != '\0') {
			for (i = 0; i < k; i++) {
				if (strcmp(store->areas[i].group,
				    a->group) == 0)
					break;
			}
			if (i < k)
				continue;
		}
		widget_schools_sum_row(p, store, k, 1, &sum);
		if (sum.nschools > 0)
			panel_rows_add(p, k);
	}

	s.p = p;
	s.store = store;
	panel_sort(p, widget_schools_cmp, &s);
	panel_reselect(p, widget_schools_id, store);

	/* Where the panel is, for its title. */
	sd->subtitle[0] = '\0';
	if (sd->group[0] != '\0')
		snprintf(sd->subtitle, sizeof sd->subtitle, "%s",
		    areas_filter_name(store, sd->group));
	if (sd->drill[0] != '\0' && (a = store_area(store,
	    sd->drill)) != NULL)
		snprintf(sd->subtitle, sizeof sd->subtitle, "%s%s%s",
		    a->group_name != NULL ? a->group_name : "",
		    a->group_name != NULL ? " › " : "", areas_short(a));
}

/*
 * Enter opens the selected group (a group of one area: that area) or
 * area; Esc, Backspace or Left go back up one level.
 */
static enum panel_key
widget_schools_key(struct panel *p, int key)
{
	struct widget_schools_data	*sd = p->data;
	struct store			*store = p->store;
	const char			*id;
	size_t				 i;

	if (store == NULL)
		return (PANEL_KEY_IGNORED);
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		if (sd->drill[0] != '\0' || (id = panel_selected(p)) == NULL)
			return (PANEL_KEY_IGNORED);
		if (widget_schools_level(p, store) == SCHOOLS_GROUPS &&
		    areas_is_group(store, id)) {
			snprintf(sd->group_sel, sizeof sd->group_sel, "%s",
			    id);
			if (areas_group_size(store, id) > 1)
				snprintf(sd->group, sizeof sd->group, "%s",
				    id);
			else {
				for (i = 0; i < store->nareas; i++) {
					if (strcmp(store->areas[i].group,
					    id) == 0)
						id = store->areas[i].code;
				}
				snprintf(sd->drill, sizeof sd->drill, "%s",
				    id);
				snprintf(sd->area_sel, sizeof sd->area_sel,
				    "%s", id);
			}
		} else {
			snprintf(sd->drill, sizeof sd->drill, "%s", id);
			snprintf(sd->area_sel, sizeof sd->area_sel, "%s", id);
		}
		p->sel = p->top = 0;
		p->sel_id[0] = '\0';
		panel_refresh(p, store);
		return (PANEL_KEY_HANDLED);
	}
	if (key != 27 && key != KEY_BACKSPACE && key != KEY_LEFT)
		return (PANEL_KEY_IGNORED);
	if (sd->drill[0] != '\0') {
		sd->drill[0] = '\0';
		/* A group of one area went straight to the schools. */
		snprintf(p->sel_id, sizeof p->sel_id, "%s",
		    widget_schools_level(p, store) == SCHOOLS_GROUPS ?
		    sd->group_sel : sd->area_sel);
	} else if (sd->group[0] != '\0') {
		sd->group[0] = '\0';
		snprintf(p->sel_id, sizeof p->sel_id, "%s", sd->group_sel);
	} else
		return (PANEL_KEY_IGNORED);
	panel_refresh(p, store);
	return (PANEL_KEY_HANDLED);
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

/* Fit the columns to the width and to the figures of the rows. */
static void
widget_schools_columns(struct panel *p, struct store *store,
    const struct panel_view *v)
{
	struct widget_schools_data	*sd = p->data;
	struct widget_schools_sum	 sum;
	struct draw_col			*c = sd->c, *sc = sd->sc;
	const struct school		*s;
	char				 buf[160];
	size_t				 i;
	int				 iw = p->w - 2, n, wfigs, wlevel;

	if (iw < 0)
		iw = 0;
	wfigs = draw_width(_("Present"), v->ascii);
	if (widget_schools_level(p, store) == SCHOOLS_SCHOOLS) {
		wlevel = draw_width(_("Level"), v->ascii);
		for (i = 0; i < SCHOOL_LEVEL_COUNT; i++) {
			if ((n = draw_width(_(widget_schools_levels[i]),
			    v->ascii)) > wlevel)
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
		memset(sc, 0, sizeof sd->sc);
		sc[SCOL_NAME] = (struct draw_col){ .want = 18, .prio = 0,
		    .fill = 1 };
		sc[SCOL_LEVEL] = (struct draw_col){ .want = wlevel,
		    .prio = 4 };
		sc[SCOL_FIGS] = (struct draw_col){ .want = wfigs, .prio = 2 };
		sc[SCOL_PCT] = (struct draw_col){ .want = 6, .prio = 0 };
		sc[SCOL_BAR] = (struct draw_col){ .want = 10, .alt = 5,
		    .prio = 3 };
		sc[SCOL_SMART] = (struct draw_col){ .want = 4, .prio = 5 };
		draw_cols_fit(sc, SCOL_COUNT, iw, 1);
		return;
	}
	sd->groups = widget_schools_level(p, store) == SCHOOLS_GROUPS;
	for (i = 0; i < p->nrows; i++) {
		if (p->rows[i] >= store->nareas)
			continue;
		widget_schools_sum_row(p, store, p->rows[i], sd->groups, &sum);
		n = snprintf(buf, sizeof buf, "%ld/%ld", sum.present,
		    sum.enrolled);
		if (n > wfigs)
			wfigs = n;
	}
	memset(c, 0, sizeof sd->c);
	c[COL_NAME] = (struct draw_col){ .want = 10, .prio = 0, .fill = 1 };
	c[COL_COUNT_SCHOOLS] = (struct draw_col){ .want = 3, .prio = 4 };
	c[COL_FIGS] = (struct draw_col){ .want = wfigs, .prio = 2 };
	c[COL_PCT] = (struct draw_col){ .want = 6, .prio = 0 };
	c[COL_BAR] = (struct draw_col){ .want = 10, .alt = 5, .prio = 3 };
	c[COL_TREND] = (struct draw_col){ .want = 8, .alt = 1, .prio = 1 };
	draw_cols_fit(c, COL_COUNT, iw, 1);
}

static void
widget_schools_head(struct panel *p, const struct panel_view *v,
    struct draw_line *l)
{
	struct widget_schools_data	*sd = p->data;
	const struct draw_col		*c = sd->c, *sc = sd->sc;
	attr_t				 head = theme_attr(THEME_HEADING);

	(void)v;
	if (sd->drill[0] != '\0') {
		draw_line_text(l, sc[SCOL_NAME].x, sc[SCOL_NAME].w,
		    _("School"), head, 0);
		draw_line_text(l, sc[SCOL_LEVEL].x, sc[SCOL_LEVEL].w,
		    _("Level"), head, 0);
		draw_line_text(l, sc[SCOL_FIGS].x, sc[SCOL_FIGS].w,
		    _("Present"), head, DRAW_RIGHT);
		draw_line_text(l, sc[SCOL_PCT].x, sc[SCOL_PCT].w, "%", head,
		    DRAW_RIGHT);
		draw_line_text(l, sc[SCOL_SMART].x, sc[SCOL_SMART].w,
		    C_("schools", "SC"), head, DRAW_RIGHT);
		return;
	}
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, sd->groups ?
	    _("Region") : _("Area"), head, 0);
	draw_line_text(l, c[COL_COUNT_SCHOOLS].x, c[COL_COUNT_SCHOOLS].w,
	    C_("schools", "N"), head, DRAW_RIGHT);
	draw_line_text(l, c[COL_FIGS].x, c[COL_FIGS].w, _("Present"), head,
	    DRAW_RIGHT);
	draw_line_text(l, c[COL_PCT].x, c[COL_PCT].w, "%", head, DRAW_RIGHT);
	if (!c[COL_TREND].narrow)
		draw_line_text(l, c[COL_TREND].x, c[COL_TREND].w, _("Trend"),
		    head, 0);
}

/* A row of groups or areas: the name, figures, bar and trend. */
static void
widget_schools_row(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_schools_data	*sd = p->data;
	struct widget_schools_sum	 sum;
	const struct draw_col		*c = sd->c;
	const struct panel_spark	*sp;
	const char			*name;
	enum theme_slot			 slot;
	char				 buf[160];
	long				 pm;
	int				 tr, group = sd->groups;
	attr_t				 normal = theme_attr(THEME_NORMAL);
	attr_t				 muted = theme_attr(THEME_MUTED);

	if (sd->drill[0] != '\0') {
		widget_schools_row_school(p, store, v, i, l);
		return;
	}
	if (p->rows[i] >= store->nareas)
		return;
	widget_schools_sum_row(p, store, p->rows[i], group, &sum);
	name = widget_schools_name(store, p->rows[i], group, c[COL_NAME].w);
	/* A group opens to its areas: say so with a mark. */
	if (group && store->areas[p->rows[i]].group[0] != '\0' &&
	    areas_group_size(store, store->areas[p->rows[i]].group) > 1) {
		snprintf(buf, sizeof buf, "%s %s", name, v->ascii ? ">" :
		    "›");
		name = buf;
	}
	draw_line_text(l, c[COL_NAME].x, c[COL_NAME].w, name, normal,
	    DRAW_ELLIPSIS);
	snprintf(buf, sizeof buf, "%d", sum.nschools);
	draw_line_text(l, c[COL_COUNT_SCHOOLS].x, c[COL_COUNT_SCHOOLS].w,
	    buf, normal, DRAW_RIGHT);
	if (sum.enrolled == 0) {
		draw_line_text(l, c[COL_FIGS].x, c[COL_FIGS].w, "-", muted,
		    DRAW_RIGHT);
		draw_line_text(l, c[COL_PCT].x, c[COL_PCT].w, "-", muted,
		    DRAW_RIGHT);
		return;
	}
	pm = sum.present * 1000 / sum.enrolled;
	slot = widget_schools_slot(pm);
	snprintf(buf, sizeof buf, "%ld/%ld", sum.present, sum.enrolled);
	draw_line_text(l, c[COL_FIGS].x, c[COL_FIGS].w, buf, normal,
	    DRAW_RIGHT);
	draw_permille(sum.present, sum.enrolled, !v->lang_en, buf,
	    sizeof buf);
	draw_line_text(l, c[COL_PCT].x, c[COL_PCT].w, buf, theme_attr(slot),
	    DRAW_RIGHT);
	draw_line_bar(l, c[COL_BAR].x, c[COL_BAR].w, sum.present,
	    sum.enrolled, theme_attr(slot));
	sp = widget_schools_spark(p, widget_schools_id(p, store,
	    p->rows[i]));
	if (c[COL_TREND].narrow) {
		tr = panel_spark_trend(sp);
		snprintf(buf, sizeof buf, "%s", tr > 0 ? (v->ascii ? "+" :
		    "↑") : tr < 0 ? (v->ascii ? "-" : "↓") : (v->ascii ? "=" :
		    "→"));
	} else
		panel_spark_render(sp, c[COL_TREND].w, v->ascii, buf,
		    sizeof buf);
	draw_line_text(l, c[COL_TREND].x, c[COL_TREND].w, buf,
	    theme_attr(slot), 0);
}

/* A school of the area drilled into. */
static void
widget_schools_row_school(struct panel *p, struct store *store,
    const struct panel_view *v, size_t i, struct draw_line *l)
{
	struct widget_schools_data	*sd = p->data;
	const struct draw_col		*c = sd->sc;
	const struct school		*s;
	char				 buf[160];
	long				 pm;
	attr_t				 normal = theme_attr(THEME_NORMAL);
	attr_t				 muted = theme_attr(THEME_MUTED);

	if (p->rows[i] >= store->nschools)
		return;
	s = &store->schools[p->rows[i]];
	draw_line_text(l, c[SCOL_NAME].x, c[SCOL_NAME].w,
	    s->name != NULL ? s->name : s->id, normal, DRAW_ELLIPSIS);
	if ((unsigned)s->level < SCHOOL_LEVEL_COUNT)
		draw_line_text(l, c[SCOL_LEVEL].x, c[SCOL_LEVEL].w,
		    _(widget_schools_levels[s->level]), normal, DRAW_ELLIPSIS);
	snprintf(buf, sizeof buf, "%d", s->smart_classrooms);
	draw_line_text(l, c[SCOL_SMART].x, c[SCOL_SMART].w, buf, normal,
	    DRAW_RIGHT);
	if (s->present <= 0 || s->enrolled <= 0) {
		draw_line_text(l, c[SCOL_FIGS].x, c[SCOL_FIGS].w, "-", muted,
		    DRAW_RIGHT);
		draw_line_text(l, c[SCOL_PCT].x, c[SCOL_PCT].w, "-", muted,
		    DRAW_RIGHT);
		return;
	}
	pm = (long)s->present * 1000 / s->enrolled;
	snprintf(buf, sizeof buf, "%d/%d", s->present, s->enrolled);
	draw_line_text(l, c[SCOL_FIGS].x, c[SCOL_FIGS].w, buf, normal,
	    DRAW_RIGHT);
	draw_permille(s->present, s->enrolled, !v->lang_en, buf, sizeof buf);
	draw_line_text(l, c[SCOL_PCT].x, c[SCOL_PCT].w, buf,
	    theme_attr(widget_schools_slot(pm)), DRAW_RIGHT);
	draw_line_bar(l, c[SCOL_BAR].x, c[SCOL_BAR].w, s->present,
	    s->enrolled, theme_attr(widget_schools_slot(pm)));
}

/*
 * What in the schools is a record rather than a reading: which schools
 * there are and where (attendance is all readings).
 */
static uint64_t
widget_schools_records(struct panel *p, struct store *store)
{
	const struct school	*s;
	uint64_t		 key = DRAW_HASH_INIT;
	size_t			 i;

	(void)p;
	for (i = 0; i < store->nschools; i++) {
		s = &store->schools[i];
		key = draw_hash(key, s->id, strlen(s->id) + 1);
		key = draw_hash(key, s->area, strlen(s->area) + 1);
	}
	return (key);
}

/* The group and area opened ("Hạ Long › Bãi Cháy"), or NULL. */
static const char *
widget_schools_subtitle(struct panel *p, struct store *store)
{
	struct widget_schools_data	*sd = p->data;

	(void)store;
	return (sd->subtitle[0] != '\0' ? sd->subtitle : NULL);
}

/* The legend: a region's mark, the trend's arrows. */
static void
widget_schools_legend(int ascii, void (*add)(void *, const char *,
    const char *), void *arg)
{
	add(arg, ascii ? ">" : "›", _("a region: Enter shows its areas"));
	add(arg, ascii ? "+" : "↑", _("attendance rising"));
	add(arg, ascii ? "-" : "↓", _("attendance falling"));
	add(arg, ascii ? "=" : "→", _("attendance steady"));
}

/*
 * The total against the enrolled of what the level shows, and at the
 * lower levels where "Esc" goes.
 */
static void
widget_schools_footer(struct panel *p, struct store *store,
    const struct panel_view *v, char *buf, size_t sz)
{
	struct widget_schools_data	*sd = p->data;
	const struct school		*sc;
	const char			*where = NULL;
	long				 present = 0, enrolled = 0;
	size_t				 i, k;
	char				 pct[16];

	for (i = 0; i < store->nschools; i++) {
		sc = &store->schools[i];
		if (sd->drill[0] != '\0' && strcmp(sc->area, sd->drill) != 0)
			continue;
		if (sd->drill[0] == '\0' && sd->group[0] != '\0') {
			for (k = 0; k < store->nareas; k++) {
				if (strcmp(store->areas[k].code,
				    sc->area) == 0)
					break;
			}
			if (k == store->nareas || strcmp(store->areas[k].group,
			    sd->group) != 0)
				continue;
		}
		if (p->filter != NULL && !areas_in(store, sc->area,
		    p->filter->area))
			continue;
		if (sc->present > 0 && sc->enrolled > 0) {
			present += sc->present;
			enrolled += sc->enrolled;
		}
	}
	draw_permille(present, enrolled, !v->lang_en, pct, sizeof pct);
	if (sd->drill[0] != '\0')
		where = areas_filter_name(store, sd->drill);
	else if (sd->group[0] != '\0')
		where = areas_filter_name(store, sd->group);
	if (where != NULL)
		snprintf(buf, sz, "%s %s · Esc %s", where, pct, _("back"));
	else if (enrolled == 0)
		snprintf(buf, sz, "%s", _("today: no reports yet"));
	else
		snprintf(buf, sz, "%s %ld/%ld %s", _("today"), present,
		    enrolled, pct);
}

static void
widget_schools_detail(struct panel *p, struct panel_detail *d,
    struct store *store)
{
	const struct panel_view		*v = d->view;
	const struct school		*s;
	const struct area		*a;
	const struct panel_spark	*sp;
	struct widget_schools_sum	 sum;
	char				 buf[256], pct[16];
	size_t				 i;
	int				 group;
	attr_t				 normal = theme_attr(THEME_NORMAL);

	if (p->sel_id[0] == '\0')
		return;
	if (widget_schools_level(p, store) != SCHOOLS_SCHOOLS) {
		group = areas_is_group(store, p->sel_id);
		for (i = 0; i < store->nareas; i++) {
			if (strcmp(group ? store->areas[i].group :
			    store->areas[i].code, p->sel_id) == 0)
				break;
		}
		if (i == store->nareas)
			return;
		a = &store->areas[i];
		panel_detail_text(d, widget_schools_name(store, i, group,
		    INT_MAX), normal | A_BOLD, 0);
		panel_detail_blank(d);
		if (group) {
			snprintf(buf, sizeof buf, "%zu",
			    areas_group_size(store, a->group));
			panel_detail_field(d, _("Communes"), buf, normal);
		} else {
			if (a->group_name != NULL)
				panel_detail_field(d, _("Region"),
				    a->group_name, normal);
			if (a->former != NULL)
				panel_detail_field(d, _("Formed from"),
				    a->former, normal);
		}
		widget_schools_sum_row(p, store, i, group, &sum);
		snprintf(buf, sizeof buf, "%d", sum.nschools);
		panel_detail_field(d, _("Schools"), buf, normal);
		draw_permille(sum.present, sum.enrolled, !v->lang_en, pct,
		    sizeof pct);
		snprintf(buf, sizeof buf, "%ld/%ld (%s)", sum.present,
		    sum.enrolled, pct);
		panel_detail_field(d, _("Present"), buf, normal);
		sp = widget_schools_spark(p, p->sel_id);
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
	if (a != NULL && a->group_name != NULL)
		panel_detail_field(d, _("Region"), a->group_name, normal);
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
